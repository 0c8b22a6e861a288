/* Golden maps: the bundled examples rendered end to end (load, layout,
 * paint) and compared with committed reference PNGs within a pixel
 * tolerance. Regenerate with EVM_UPDATE_GOLDEN=1 (tests/golden/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "testutil.h"

typedef struct buffer {
    unsigned char *data;
    size_t len, cap;
} buffer_t;

static evm_status to_buffer(void *closure, const unsigned char *data,
                            size_t len)
{
    buffer_t *b = closure;
    if (b->len + len > b->cap) {
        size_t cap = (b->len + len) * 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d)
            return EVM_ERR_NOMEM;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return EVM_OK;
}

static void render_example(const char *csv, const char *title,
                           const char *golden)
{
    evm_error_t err;
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    evm_events_t *ev = NULL;
    assert_int_equal(evm_events_load_file(csv, &co, &ev, &err), EVM_OK);
    evm_geodata_t *geo = NULL;
    assert_int_equal(evm_geodata_open(EVM_BUILD_DIR "/geodata", &geo, &err),
                     EVM_OK);
    evm_context_t *ctx = NULL;
    assert_int_equal(evm_context_create(&ctx, &err), EVM_OK);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.width_px = 800;
    mo.height_px = 500;
    mo.title = title;
    evm_scene_t *scene = NULL;
    assert_int_equal(evm_map_layout(ctx, ev, geo, &mo, &scene, &err), EVM_OK);
    buffer_t png = {0};
    assert_int_equal(evm_render(scene, EVM_FORMAT_PNG, to_buffer, &png, &err),
                     EVM_OK);
    /* Antialiasing and glyph rasterisation may differ slightly between
     * library builds; a moved label or a missing layer does not pass. */
    assert_int_equal(evm_test_golden_png(golden, png.data, png.len, 32, 0.001),
                     0);
    free(png.data);
    evm_scene_destroy(scene);
    evm_context_destroy(ctx);
    evm_geodata_destroy(geo);
    evm_events_destroy(ev);
}

static void test_korea_russia(void **state)
{
    (void)state;
    render_example(EVM_SOURCE_DIR "/examples/korea-russia-2023/events.csv",
                   "North Korea and Russia, September–October 2023",
                   "korea-russia-2023-800x500");
}

static void test_korea_peninsula(void **state)
{
    (void)state;
    render_example(EVM_SOURCE_DIR "/examples/korea-peninsula/events.csv",
                   "The Korean peninsula, October 2023",
                   "korea-peninsula-800x500");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_korea_russia),
        cmocka_unit_test(test_korea_peninsula),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
