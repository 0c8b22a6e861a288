/* Maps laid out under a locale whose decimal point is a comma (de_DE,
 * as a program that calls setlocale(LC_ALL, "") gets in Germany) are the
 * maps laid out under C, item for item and byte for byte: every number
 * layout writes goes through the locale-free formatter. The maps cover
 * each place one is written: a distance line's length (data
 * "distance-km") and its ends as text, the route legs' lengths, the
 * legend row of a route whose ends are coordinates, graticule labels at
 * fractions of a degree, the locator inset (whose projection is a PROJ
 * definition, which a comma would break), cluster counts ("1.2k"), the
 * counts of a heat map and the values of a size legend ("0.25"). Their
 * native SVGs are the same bytes too (widths, font sizes and opacities
 * in the styles).
 *
 * Under C, the same texts are checked against what they must say, so
 * that both layouts being equally wrong cannot pass. Without any
 * decimal-comma locale (none installed and no localedef) only the C
 * checks run, and the test says so. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "testutil.h"

/* One map: events (from a CSV text, or the example when NULL), option
 * pairs for evm_map_options_set or evm_map_distance_opts_set, and
 * whether it has the route of LEGS. */
typedef struct map_case {
    const char *name;
    const char *csv;
    const char *const *opts; /* key, value, ..., NULL */
    bool legs;
} map_case_t;

/* A route whose points have no names (as a GPX track's may): the legend
 * names its ends by their coordinates. */
static const evm_route_point_t POINTS[] = {{"", 37.5665, 126.978, -1},
                                           {"", 35.1796, 129.0756, -1},
                                           {"", 33.5902, 130.4017, -1}};
static const evm_route_leg_t LEGS[] = {{.route = "",
                                        .leg = 1,
                                        .mode = EVM_ROUTE_RAIL,
                                        .points = POINTS,
                                        .n_points = 2,
                                        .date = "",
                                        .label = ""},
                                       {.route = "",
                                        .leg = 2,
                                        .mode = EVM_ROUTE_SEA,
                                        .points = POINTS + 1,
                                        .n_points = 2,
                                        .date = "",
                                        .label = ""}};

static const char *const LINES[] = {
    "distance", "37.5665,126.978:35.1796,129.0756", "sea-routing", "off", NULL};
static const char *const INSET[] = {
    "center", "37.5665,126.978", "radius-km",    "25", "inset", "ne",
    "size",   "800x600",         "no-graticule", "no", NULL};
static const char *const CLUSTERS[] = {"cluster", "on", "size", "600x400",
                                       NULL};
static const char *const HEAT[] = {"density", "heat", "size", "600x400", NULL};
static const char *const SIZES[] = {"size-col",  "w",   "cluster", "off",
                                    "no-labels", "yes", NULL};

/* A crowd of 1,234 events, for a cluster counted "1.2k" and a heat map,
 * and three others; column w for a size legend below 1. */
static char *crowd_csv(void)
{
    size_t cap = 64 + (1234 + 3) * 64;
    char *csv = malloc(cap);
    assert_non_null(csv);
    size_t n = (size_t)snprintf(csv, cap, "name,lat,lon,kind,w\n");
    unsigned long seed = 12345;
    for (int k = 0; k < 1234; k++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        double u = (double)(seed >> 11) / 9007199254740992.0;
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        double v = (double)(seed >> 11) / 9007199254740992.0;
        n += (size_t)snprintf(csv + n, cap - n, "e%d,%.5f,%.5f,k%d,%.3f\n", k,
                              37.5 + 0.04 * (u - 0.5), 127 + 0.04 * (v - 0.5),
                              k % 3, 0.05 + 0.95 * u);
    }
    /* Far-flung events, so that the frame holds the crowd in one spot. */
    static const double far[][2] = {
        {35.1, 129.0}, {34.8, 126.4}, {38.2, 128.6}};
    for (int k = 0; k < 3; k++)
        n += (size_t)snprintf(csv + n, cap - n, "f%d,%.1f,%.1f,k0,0.5\n", k,
                              far[k][0], far[k][1]);
    return csv;
}

/* The scene of one case laid out in the current locale; NULL events
 * mean the example's. The options are parsed in that locale too. */
static evm_scene_t *lay_out(const evm_test_map_t *m, const map_case_t *c,
                            const char *dir)
{
    evm_events_t *ev = NULL;
    evm_error_t err;
    if (c->csv) {
        char *path = evm_test_path(dir, "events.csv");
        assert_int_equal(evm_test_write_file(path, c->csv, strlen(c->csv)), 0);
        ev = evm_test_load_events(path);
        free(path);
    }
    const evm_events_t *events = ev ? ev : m->example;
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_map_distance_opts_t *d = NULL;
    assert_int_equal(evm_map_distance_opts_create(&d, &err), EVM_OK);
    for (const char *const *o = c->opts; o[0]; o += 2) {
        evm_status st =
            evm_map_distance_opts_has_key(o[0])
                ? evm_map_distance_opts_set(d, events, o[0], o[1], &err)
                : evm_map_options_set(&mo, o[0], o[1], &err);
        if (st)
            fail_msg("%s %s: %s", o[0], o[1], err.message);
    }
    evm_map_distance_opts_apply(d, &mo);
    if (c->legs) {
        mo.route_legs = LEGS;
        mo.n_route_legs = sizeof LEGS / sizeof LEGS[0];
    }
    evm_scene_t *s = evm_test_layout(m, events, &mo, EVM_OK, NULL);
    evm_map_distance_opts_destroy(d);
    evm_events_destroy(ev);
    return s;
}

static void assert_same_path(const evm_path_t *a, const evm_path_t *b)
{
    assert_int_equal(a->n_pts, b->n_pts);
    assert_int_equal(a->n_subs, b->n_subs);
    if (a->n_pts)
        assert_memory_equal(a->pts, b->pts, a->n_pts * sizeof *a->pts);
}

/* Every item, its text, data and geometry, the features and what was
 * left out, the same in a and b. */
static void assert_same_scene(const evm_scene_t *a, const evm_scene_t *b)
{
    assert_string_equal(a->projection, b->projection);
    assert_string_equal(a->description, b->description);
    for (int l = 0; l < EVM_LAYER_COUNT; l++) {
        const evm_layer_t *la = &a->layers[l], *lb = &b->layers[l];
        assert_int_equal(la->n_items, lb->n_items);
        for (size_t i = 0; i < la->n_items; i++) {
            const evm_item_t *x = &la->items[i], *y = &lb->items[i];
            assert_string_equal(x->id, y->id);
            assert_string_equal(x->cls, y->cls);
            assert_int_equal(x->kind, y->kind);
            if (x->kind == EVM_ITEM_TEXT) {
                assert_string_equal(x->text.utf8, y->text.utf8);
                assert_memory_equal(&x->text.box, &y->text.box,
                                    sizeof x->text.box);
            }
            assert_same_path(&x->path, &y->path);
            assert_int_equal(x->n_data, y->n_data);
            for (size_t k = 0; k < x->n_data; k++) {
                assert_string_equal(x->data[k].name, y->data[k].name);
                assert_string_equal(x->data[k].value, y->data[k].value);
            }
        }
    }
    assert_int_equal(a->n_features, b->n_features);
    for (size_t i = 0; i < a->n_features; i++) {
        const evm_scene_feature_t *x = &a->features[i], *y = &b->features[i];
        assert_string_equal(x->id, y->id);
        assert_int_equal(x->n_props, y->n_props);
        for (size_t k = 0; k < x->n_props; k++)
            if (!x->props[k].is_number)
                assert_string_equal(x->props[k].text, y->props[k].text);
    }
    assert_int_equal(a->n_omissions, b->n_omissions);
    for (size_t i = 0; i < a->n_omissions; i++)
        assert_string_equal(a->omissions[i].text, b->omissions[i].text);
}

/* Whether some text item of layer says exactly want. */
static bool has_text(const evm_scene_t *s, evm_layer_id layer, const char *want)
{
    const evm_layer_t *l = &s->layers[layer];
    for (size_t i = 0; i < l->n_items; i++)
        if (l->items[i].kind == EVM_ITEM_TEXT &&
            strstr(l->items[i].text.utf8, want))
            return true;
    return false;
}

/* A number with exactly `decimals` digits after a '.'. */
static void assert_decimal(const char *text, int decimals)
{
    assert_non_null(text);
    const char *dot = strchr(text, '.');
    assert_non_null(dot);
    assert_int_equal(strspn(text, "-0123456789"), (size_t)(dot - text));
    assert_int_equal(strlen(dot + 1), (size_t)decimals);
    assert_int_equal(strspn(dot + 1, "0123456789"), (size_t)decimals);
}

/* What each map must say under C, from figures the layout does not
 * compute: the lengths from GeographicLib (GeodSolve -i), the texts as
 * the options and events give them. */
static void check_texts(const evm_scene_t *s, size_t which)
{
    switch (which) {
    case 0: {
        /* The length the geodesic API gives (tested against GeographicLib
         * in test_geodesic), to the written micrometre. */
        double s12;
        evm_geodesic_inverse(37.5665, 126.978, 35.1796, 129.0756, &s12, NULL,
                             NULL);
        const evm_item_t *line =
            evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, "distance-0");
        assert_non_null(line);
        const char *km = evm_test_item_data(line, "distance-km");
        assert_decimal(km, 6);
        assert_true(fabs(strtod(km, NULL) - s12 / 1000) <= 0.5e-6);
        const evm_item_t *leg =
            evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-1");
        assert_non_null(leg);
        assert_decimal(evm_test_item_data(leg, "distance-km"), 6);
        assert_decimal(evm_test_item_data(leg, "geodesic-km"), 6);
        const evm_scene_feature_t *f = evm_test_find_feature(s, "distance-0");
        assert_non_null(f);
        assert_string_equal(evm_test_feature_prop(f, "from")->text,
                            "37.5665,126.978");
        /* The unnamed route's legend row names its ends. */
        assert_true(has_text(s, EVM_LAYER_LEGEND,
                             "37.5665, 126.9780 \xE2\x86\x92 33.5902, "
                             "130.4017"));
        break;
    }
    case 1: {
        /* Lines every tenth of a degree or so: "37.5°N". */
        assert_true(has_text(s, EVM_LAYER_GRATICULE, ".5\u00B0"));
        assert_non_null(evm_test_find_item(s, EVM_LAYER_LEGEND, "inset-land"));
        break;
    }
    case 2:
        assert_true(has_text(s, EVM_LAYER_EVENTS, "1.2k"));
        break;
    case 3: {
        bool fraction = false;
        const evm_layer_t *l = &s->layers[EVM_LAYER_EVENTS];
        for (size_t i = 0; i < l->n_items; i++) {
            const char *count = evm_test_item_data(&l->items[i], "count");
            if (count && strchr(count, '.')) {
                assert_null(strchr(count, ','));
                fraction = true;
            }
        }
        assert_true(fraction);
        break;
    }
    default:
        /* Reference circles below 1: "0.25 w". */
        assert_true(has_text(s, EVM_LAYER_LEGEND, "0.25 w") ||
                    has_text(s, EVM_LAYER_LEGEND, "0.5 w"));
    }
}

/* The native SVG of s, in memory. */
static void render_svg(const evm_scene_t *s, evm_test_buffer_t *out)
{
    evm_error_t err;
    if (evm_render(s, EVM_FORMAT_SVG, evm_test_buffer_write, out, &err))
        fail_msg("%s", err.message);
}

static void test_decimal_comma_locale(void **state)
{
    const evm_test_map_t *m = *state;
    char *dir = evm_test_temp_dir("evm-map-locale");
    char *crowd = crowd_csv();
    const map_case_t cases[] = {{"lines and routes", NULL, LINES, true},
                                {"inset", NULL, INSET, false},
                                {"clusters", crowd, CLUSTERS, false},
                                {"heat", crowd, HEAT, false},
                                {"size legend", crowd, SIZES, false}};
    enum { N = sizeof cases / sizeof cases[0] };
    evm_scene_t *c[N], *d[N] = {NULL};
    evm_test_buffer_t svg_c[N] = {{0}}, svg_d[N] = {{0}};
    for (size_t i = 0; i < N; i++) {
        c[i] = lay_out(m, &cases[i], dir);
        check_texts(c[i], i);
        render_svg(c[i], &svg_c[i]);
    }
    char *locale_dir;
    bool comma = evm_test_decimal_comma_locale(&locale_dir);
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    for (size_t i = 0; comma && i < N; i++) {
        d[i] = lay_out(m, &cases[i], dir);
        render_svg(d[i], &svg_d[i]);
    }
    evm_test_c_locale(locale_dir);
    if (comma)
        assert_string_equal(probe, "1,5"); /* the locale did switch */
    else
        print_message("note: no decimal-comma locale (none installed, no "
                      "localedef); the maps were checked under C only\n");
    for (size_t i = 0; i < N; i++) {
        if (comma) {
            print_message("%s: the same under a decimal comma\n",
                          cases[i].name);
            assert_same_scene(c[i], d[i]);
            /* The SVG too: its styles' widths, sizes and opacities. */
            assert_int_equal(svg_c[i].len, svg_d[i].len);
            assert_memory_equal(svg_c[i].data, svg_d[i].data, svg_c[i].len);
        }
        free(svg_c[i].data);
        free(svg_d[i].data);
        evm_scene_destroy(d[i]);
        evm_scene_destroy(c[i]);
    }
    free(crowd);
    evm_test_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_comma_locale),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
