/* Route style overrides from text: selectors, properties with values
 * computed by hand (#1f78b4 = 31/255, 120/255, 180/255), refused forms
 * with their messages, a style file with its line numbers, and the
 * options that carry them into evm_map_options_t. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/map.h>

#include "map/route_style_parse.h"

#define assert_close(a, b, eps) assert_true(fabs((a) - (b)) <= (eps))

static void parse_ok(const char *spec, evm_map_route_style_t *s, char **route)
{
    evm_error_t err;
    evm_status st = evm_route_style_parse(spec, NULL, 0, s, route, &err);
    if (st)
        fail_msg("\"%s\": %s", spec, err.message);
}

static void test_mode_selector_and_properties(void **state)
{
    (void)state;
    evm_map_route_style_t s;
    char *route;
    parse_ok("sea: color=#1f78b4, width=2.5, dash=6 3", &s, &route);
    assert_null(route);
    assert_null(s.route);
    assert_int_equal(s.mode, EVM_ROUTE_SEA);
    assert_true(s.has_color);
    assert_close(s.color.r, 31 / 255.0, 1e-12);
    assert_close(s.color.g, 120 / 255.0, 1e-12);
    assert_close(s.color.b, 180 / 255.0, 1e-12);
    assert_close(s.color.a, 1, 0);
    assert_close(s.width_pt, 2.5, 0);
    assert_true(s.has_dash);
    assert_int_equal(s.n_dash, 2);
    assert_close(s.dash_pt[0], 6, 0);
    assert_close(s.dash_pt[1], 3, 0);

    /* Case of the mode and property names, short and alpha colours. */
    parse_ok("RAIL:COLOR=#f0a", &s, &route);
    assert_int_equal(s.mode, EVM_ROUTE_RAIL);
    assert_close(s.color.r, 1, 1e-12);
    assert_close(s.color.g, 0, 1e-12);
    assert_close(s.color.b, 170 / 255.0, 1e-12);
    assert_false(s.has_dash);
    assert_close(s.width_pt, 0, 0); /* unchanged */
    parse_ok("air: color=#00000080", &s, &route);
    assert_close(s.color.a, 128 / 255.0, 1e-12);

    /* One length repeats; "none" is solid. */
    parse_ok("all: dash=2", &s, &route);
    assert_int_equal(s.mode, -1);
    assert_int_equal(s.n_dash, 2);
    assert_close(s.dash_pt[1], 2, 0);
    parse_ok("river: dash=none", &s, &route);
    assert_true(s.has_dash);
    assert_int_equal(s.n_dash, 0);
}

static void test_route_selector(void **state)
{
    (void)state;
    evm_map_route_style_t s;
    char *route;
    /* The last ':' splits: a route's name may hold one. */
    parse_ok("route=Shipment 2: Rajin to Tikhoretsk : width=3", &s, &route);
    assert_non_null(route);
    assert_string_equal(route, "Shipment 2: Rajin to Tikhoretsk");
    assert_ptr_equal(s.route, route);
    assert_int_equal(s.mode, -1);
    assert_close(s.width_pt, 3, 0);
    free(route);
}

static void test_refused(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *message_part;
    } bad[] = {
        {"sea color=#fff", "is not SELECTOR"},
        {"ship: color=#fff", "is not a mode"},
        {"sea: colour=#fff", "unknown property \"colour\""},
        {"sea: color=blue", "is not #rgb"},
        {"sea: color=#12345", "is not #rgb"},
        {"sea: color=#ggg", "is not #rgb"},
        {"sea: width=0", "0.05..50"},
        {"sea: width=nan", "0.05..50"},
        {"sea: width=1e1", "0.05..50"},
        {"sea: width=-2", "0.05..50"},
        {"sea: dash=1 2 3 4 5", "1 to 4 lengths"},
        {"sea: dash=0 0", "1 to 4 lengths"},
        {"sea: dash=a b", "1 to 4 lengths"},
        {"sea: dash=2 2 2", "1 to 4 lengths"}, /* would repeat to 6 */
        {"sea: ", "sets nothing"},
        {"sea: width", "is not PROPERTY=VALUE"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        evm_map_route_style_t s = {.width_pt = 7};
        char *route = (char *)"untouched";
        evm_error_t err;
        evm_status st =
            evm_route_style_parse(bad[i].spec, "f.txt", 3, &s, &route, &err);
        if (st != EVM_ERR_INVALID_ARG ||
            !strstr(err.message, bad[i].message_part))
            fail_msg("\"%s\": status %d, message \"%s\"", bad[i].spec, (int)st,
                     err.message);
        assert_null(route);
        assert_close(s.width_pt, 7, 0); /* unchanged */
        assert_string_equal(err.file, "f.txt");
        assert_int_equal(err.line, 3);
    }
}

static char *write_temp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/evm-route-styles-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_options_and_file(void **state)
{
    (void)state;
    const char *path = write_temp("\xEF\xBB\xBF# house style\n"
                                  "sea: color=#000080\r\n"
                                  "\n"
                                  "  route=Main: width=4  \n");
    evm_map_distance_opts_t *d;
    evm_error_t err;
    assert_int_equal(evm_map_distance_opts_create(&d, &err), EVM_OK);
    assert_true(evm_map_distance_opts_has_key("route-styles"));
    assert_true(evm_map_distance_opts_has_key("Route_Style"));
    assert_int_equal(
        evm_map_distance_opts_set(d, NULL, "route-styles", path, &err), EVM_OK);
    assert_int_equal(evm_map_distance_opts_set(d, NULL, "route-style",
                                               "rail: dash=4 2", &err),
                     EVM_OK);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_map_distance_opts_apply(d, &mo);
    assert_int_equal(mo.n_route_styles, 3);
    assert_int_equal(mo.route_styles[0].mode, EVM_ROUTE_SEA);
    assert_close(mo.route_styles[0].color.b, 128 / 255.0, 1e-12);
    assert_string_equal(mo.route_styles[1].route, "Main");
    assert_close(mo.route_styles[1].width_pt, 4, 0);
    assert_int_equal(mo.route_styles[2].mode, EVM_ROUTE_RAIL);
    assert_int_equal(mo.n_route_legs, 0);
    evm_map_distance_opts_destroy(d);
    remove(path);

    /* A bad line names the file and its line. */
    path = write_temp("sea: color=#000080\n\n# fine\nrail: width=big\n");
    assert_int_equal(evm_map_distance_opts_create(&d, &err), EVM_OK);
    assert_int_equal(
        evm_map_distance_opts_set(d, NULL, "route-styles", path, &err),
        EVM_ERR_PARSE);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.message, "width \"big\""));
    evm_map_distance_opts_destroy(d);
    remove(path);

    assert_int_equal(evm_map_distance_opts_create(&d, &err), EVM_OK);
    assert_int_equal(evm_map_distance_opts_set(d, NULL, "route-styles",
                                               "/nonexistent/styles.txt", &err),
                     EVM_ERR_IO);
    evm_map_distance_opts_destroy(d);
}

static void test_route_dates_option(void **state)
{
    (void)state;
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_error_t err;
    assert_int_equal(mo.route_dates, EVM_ROUTE_DATES_LEGEND);
    assert_true(evm_map_options_has_key("route-dates"));
    assert_int_equal(evm_map_options_set(&mo, "route_dates", "Labels", &err),
                     EVM_OK);
    assert_int_equal(mo.route_dates, EVM_ROUTE_DATES_LABELS);
    assert_int_equal(evm_map_options_set(&mo, "route-dates", "none", &err),
                     EVM_OK);
    assert_int_equal(mo.route_dates, EVM_ROUTE_DATES_NONE);
    assert_int_equal(evm_map_options_set(&mo, "route-dates", "title", &err),
                     EVM_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "legend, labels, both or none"));
    assert_int_equal(mo.route_dates, EVM_ROUTE_DATES_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode_selector_and_properties),
        cmocka_unit_test(test_route_selector),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_options_and_file),
        cmocka_unit_test(test_route_dates_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
