/* The version macros and evm_version(), and the version field of the
 * options structs: what _init sets is accepted, a zeroed struct or one
 * from a newer header is refused with EVM_ERR_INVALID_ARG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

static void test_version(void **state)
{
    (void)state;
    int num = -1;
    const char *v = evm_version(&num);
    assert_int_equal(num, EVM_VERSION_NUM);
    assert_string_equal(v, EVM_VERSION_STRING);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", EVM_VERSION_MAJOR,
             EVM_VERSION_MINOR, EVM_VERSION_PATCH);
    assert_string_equal(v, want);
    assert_int_equal(EVM_VERSION_NUM, 10000 * EVM_VERSION_MAJOR +
                                          100 * EVM_VERSION_MINOR +
                                          EVM_VERSION_PATCH);
    assert_string_equal(evm_version(NULL), v);
}

static void test_options_version(void **state)
{
    (void)state;
    static const char csv[] = "name,lat,lon\nSeoul,37.5665,126.978\n";
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    assert_int_equal(co.version, EVM_CSV_OPTIONS_VERSION);
    evm_events_t *ev = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_events_load_memory("t.csv", csv, strlen(csv), &co, &ev, &err),
        EVM_OK);
    for (unsigned bad = 0; bad < 2; bad++) {
        evm_csv_options_t b = co;
        b.version = bad ? EVM_CSV_OPTIONS_VERSION + 1 : 0;
        evm_events_t *none = NULL;
        assert_int_equal(
            evm_events_load_memory("t.csv", csv, strlen(csv), &b, &none, &err),
            EVM_ERR_INVALID_ARG);
        assert_null(none);
        assert_non_null(strstr(err.message, "evm_csv_options"));
    }

    evm_context_t *ctx = NULL;
    evm_geodata_t *gd = NULL;
    assert_int_equal(evm_context_create(&ctx, &err), EVM_OK);
    assert_int_equal(evm_geodata_open(NULL, &gd, &err), EVM_OK);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    assert_int_equal(mo.version, EVM_MAP_OPTIONS_VERSION);
    mo.version = 0;
    evm_scene_t *scene = NULL;
    assert_int_equal(evm_map_layout(ctx, ev, gd, &mo, &scene, &err),
                     EVM_ERR_INVALID_ARG);
    assert_null(scene);
    mo.version = EVM_MAP_OPTIONS_VERSION;
    mo.width_px = 320;
    mo.height_px = 200;
    assert_int_equal(evm_map_layout(ctx, ev, gd, &mo, &scene, &err), EVM_OK);

    evm_render_options_t ro;
    evm_render_options_init(&ro);
    ro.version = 7;
    assert_int_equal(evm_render_to_file_with(scene, EVM_FORMAT_SVG, &ro,
                                             "/nonexistent/x.svg", &err),
                     EVM_ERR_INVALID_ARG);
    evm_dist_options_t dopt;
    evm_dist_options_init(&dopt);
    assert_int_equal(dopt.version, EVM_DIST_OPTIONS_VERSION);
    evm_batch_run_options_t bo;
    evm_batch_run_options_init(&bo);
    assert_int_equal(bo.version, EVM_BATCH_RUN_OPTIONS_VERSION);

    evm_scene_destroy(scene);
    evm_geodata_destroy(gd);
    evm_context_destroy(ctx);
    evm_events_destroy(ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_options_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
