/* Golden maps: the bundled examples rendered end to end (load, layout,
 * paint) and compared with committed reference PNGs within a pixel
 * tolerance. Regenerate with EVM_UPDATE_GOLDEN=1 (tests/golden/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "testutil.h"

static void render_example(const evm_test_map_t *m, const char *example,
                           const char *title, const char *golden)
{
    evm_events_t *ev = evm_test_load_example(example);
    evm_scene_t *scene = evm_test_layout_page(m, ev, 800, 500, 96, title);
    evm_test_assert_golden(scene, golden);
    evm_scene_destroy(scene);
    evm_events_destroy(ev);
}

static void test_korea_russia(void **state)
{
    render_example(*state, "korea-russia-2023",
                   "North Korea and Russia, September–October 2023",
                   "korea-russia-2023-800x500");
}

static void test_korea_peninsula(void **state)
{
    render_example(*state, "korea-peninsula",
                   "The Korean peninsula, October 2023",
                   "korea-peninsula-800x500");
}

/* The framing data sets (tests/data/framing), each on a page of the area
 * of 800 x 500 in the data's shape, as render draws them without
 * --size: projection, frame, page shape, degree labels, scale bar and
 * inset as chosen for each. */
static void test_framing_sets(void **state)
{
    static const char *const sets[] = {"arctic",     "south-pole", "north-pole",
                                       "luxembourg", "hong-kong",  "chile",
                                       "capitals"};
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        char path[512], golden[64];
        snprintf(path, sizeof path, "%s/framing/%s.csv", EVM_TEST_DATA_DIR,
                 sets[i]);
        evm_events_t *ev = evm_test_load_events(path);
        evm_map_options_t mo;
        evm_map_options_init(&mo);
        mo.width_px = 800;
        mo.height_px = 500;
        mo.title = sets[i];
        evm_scene_t *scene = evm_test_layout(*state, ev, &mo, EVM_OK, NULL);
        snprintf(golden, sizeof golden, "framing-%s", sets[i]);
        evm_test_assert_golden(scene, golden);
        evm_scene_destroy(scene);
        evm_events_destroy(ev);
    }
}

/* The label maps of test_labels at 600x500, where Seoul's marker is
 * pressed between Pyongyang's and another (4 px on the world map, 5 and
 * 10 px on the example) and its label stands out on a short leader. */
static void test_label_maps(void **state)
{
    static const char *const maps[] = {"capitals-40", "seoul-60", NULL};
    for (size_t i = 0; i < 3; i++) {
        evm_events_t *ev;
        if (maps[i]) {
            char path[512];
            snprintf(path, sizeof path, "%s/labels/%s.csv", EVM_TEST_DATA_DIR,
                     maps[i]);
            ev = evm_test_load_events(path);
        } else {
            ev = evm_test_load_example("korea-russia-2023");
        }
        const char *name = maps[i] ? maps[i] : "korea-russia-2023";
        evm_scene_t *scene =
            evm_test_layout_page(*state, ev, 600, 500, 96, name);
        char golden[64];
        snprintf(golden, sizeof golden, "labels-%s-600x500", name);
        evm_test_assert_golden(scene, golden);
        evm_scene_destroy(scene);
        evm_events_destroy(ev);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_korea_russia),
        cmocka_unit_test(test_korea_peninsula),
        cmocka_unit_test(test_framing_sets),
        cmocka_unit_test(test_label_maps),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
