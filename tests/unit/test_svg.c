/* The native SVG backend: structure read back with xmllint (well-formed,
 * layers in order, one element per event with its data, labels as text),
 * escaping of hostile data, ids and precision, and the picture compared
 * with the cairo PNG of the same scene after rendering by rsvg-convert
 * and by headless Chromium. Each comparison is proved able to fail: the
 * same scene without its land layer, and with its labels moved by a few
 * pixels, must not pass.
 *
 * Tools that are missing skip their checks with a message; with
 * EVM_REQUIRE_BROWSER=1 (set by CI) a missing Chromium fails instead. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "testutil.h"

/* ---- helpers ---- */

/* The value of an XPath expression over an SVG file, trailing newlines
 * removed. */
static char *xpath(const char *file, const char *expr)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "xmllint --xpath \"%s\" '%s' 2>/dev/null", expr,
             file);
    char *out = evm_test_run(cmd);
    if (!out)
        return strdup("");
    size_t n = strlen(out);
    while (n && out[n - 1] == '\n')
        out[--n] = '\0';
    return out;
}

static long xpath_count(const char *file, const char *expr)
{
    char e[1024];
    snprintf(e, sizeof e, "count(%s)", expr);
    char *s = xpath(file, e);
    long n = strtol(s, NULL, 10);
    free(s);
    return n;
}

/* Asserts that the value of expr over the SVG file is want. */
static void assert_xpath_equal(const char *file, const char *expr,
                               const char *want)
{
    char *v = xpath(file, expr);
    if (strcmp(v, want) != 0)
        fail_msg("%s is \"%s\", expected \"%s\"", expr, v, want);
    free(v);
}

/* Asserts that the value of expr over the SVG file contains part. */
static void assert_xpath_contains(const char *file, const char *expr,
                                  const char *part)
{
    char *v = xpath(file, expr);
    if (!strstr(v, part))
        fail_msg("%s is \"%s\", which lacks \"%s\"", expr, v, part);
    free(v);
}

static evm_scene_t *layout(const evm_test_map_t *m, const evm_events_t *ev,
                           double w, double h)
{
    return evm_test_layout_page(m, ev, w, h, 96, "North Korea & Russia <2023>");
}

/* Renders scene as native SVG into dir/name; returns the path. */
static char *render_svg(const evm_scene_t *s, const evm_render_options_t *o,
                        const char *dir, const char *name)
{
    return evm_test_render_file(s, EVM_FORMAT_SVG, o, dir, name);
}

static void assert_well_formed(const char *path)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
    assert_int_equal(system(cmd), 0);
}

/* ---- structure ---- */

static void test_structure(void **state)
{
    if (!evm_test_have_tool("xmllint")) {
        print_message("xmllint not found: SVG structure not checked\n");
        skip();
    }
    const evm_test_map_t *m = *state;
    const evm_events_t *ev = m->example;
    evm_scene_t *s = layout(m, ev, 1600, 1000);
    char *dir = evm_test_temp_dir("evm-svg-test");
    char *svg = render_svg(s, NULL, dir, "map.svg");
    assert_well_formed(svg);

    /* The root: size, viewBox, accessible name and description. */
    assert_xpath_equal(svg, "string(/*/@viewBox)", "0 0 1600 1000");
    assert_xpath_equal(svg, "string(/*/@role)", "img");
    assert_xpath_equal(svg, "string(/*/@aria-labelledby)",
                       "map-title map-desc");
    assert_xpath_equal(svg, "string(//*[@id='map-title'])",
                       "North Korea & Russia <2023>");
    assert_xpath_contains(svg, "string(//*[@id='map-desc'])",
                          "Map of 10 events");

    /* Every layer, in paint order, as an Inkscape layer with a class. */
    for (int i = 0; i < EVM_LAYER_COUNT; i++) {
        char e[512];
        snprintf(e, sizeof e, "string(/*/*[local-name()='g'][%d]/@id)", i + 1);
        assert_xpath_equal(svg, e, evm_layer_name((evm_layer_id)i));
        snprintf(e, sizeof e,
                 "/*/*[local-name()='g'][%d][@class and "
                 "@*[local-name()='groupmode']='layer' and "
                 "@*[local-name()='label']='%s']",
                 i + 1, evm_layer_name((evm_layer_id)i));
        assert_int_equal(xpath_count(svg, e), 1);
    }
    assert_int_equal(xpath_count(svg, "/*/*[local-name()='g']"),
                     EVM_LAYER_COUNT);

    /* One element per event, with its columns as data-* and a title. */
    const evm_layer_t *events = &s->layers[EVM_LAYER_EVENTS];
    assert_int_equal(xpath_count(svg, "//*[@id='events']/*"),
                     (long)events->n_items);
    assert_int_equal(events->n_items, evm_events_count(ev));
    for (size_t i = 0; i < evm_events_count(ev); i++) {
        const evm_event_t *e = evm_events_get(ev, i);
        const char *slug = s->events[i].slug;
        char q[512];
        snprintf(q, sizeof q, "//*[@id='events']/*[@id='event-%s']", slug);
        assert_int_equal(xpath_count(svg, q), 1);
        for (size_t c = 0; c < evm_events_column_count(ev); c++) {
            snprintf(q, sizeof q, "string(//*[@id='event-%s']/@data-%s)", slug,
                     evm_events_column_name(ev, c));
            assert_xpath_equal(svg, q, evm_events_value(ev, i, c));
        }
        snprintf(q, sizeof q, "string(//*[@id='event-%s']/@class)", slug);
        char *v = xpath(svg, q);
        assert_non_null(strstr(v, "event "));
        assert_non_null(strstr(v, e->kind));
        free(v);
        snprintf(q, sizeof q,
                 "string(//*[@id='event-%s']/*[local-name()='title'])", slug);
        v = xpath(svg, q);
        assert_non_null(strstr(v, e->name));
        if (e->date[0])
            assert_non_null(strstr(v, e->date));
        free(v);
    }
    assert_string_equal(s->events[0].slug, "pyongyang");

    /* Every label is a <text> with its event's name. */
    size_t labels = 0;
    const evm_layer_t *ll = &s->layers[EVM_LAYER_LABELS];
    for (size_t i = 0; i < ll->n_items; i++) {
        const evm_item_t *it = &ll->items[i];
        if (it->kind != EVM_ITEM_TEXT)
            continue;
        labels++;
        char q[512];
        snprintf(q, sizeof q,
                 "string(//*[@id='labels']/*[local-name()='text']"
                 "[@id='%s'])",
                 it->id);
        assert_xpath_equal(svg, q, evm_events_get(ev, (size_t)it->event)->name);
    }
    assert_true(labels >= 8);
    assert_int_equal(
        xpath_count(svg, "//*[@id='labels']/*[local-name()='text']"),
        (long)labels);
    /* No text anywhere is drawn as glyph outlines. */
    assert_int_equal(xpath_count(svg, "//*[local-name()='symbol' or "
                                      "local-name()='use']"),
                     0);
    assert_xpath_equal(svg, "string(//*[@id='title']/*[local-name()='text'])",
                       "North Korea & Russia <2023>");
    assert_true(xpath_count(svg, "//*[@id='legend']/*[local-name()='text']") >=
                6);
    assert_true(
        xpath_count(svg, "//*[@id='scale-bar']/*[local-name()='text']") >= 2);
    assert_int_equal(
        xpath_count(svg, "//*[@id='source']/*[local-name()='text']"), 1);

    /* Ids are unique. */
    char *ids = xpath(svg, "//@id");
    size_t n_ids = 0, n_dups = 0;
    for (char *p = strstr(ids, "id=\""); p; p = strstr(p + 1, "id=\"")) {
        n_ids++;
        char key[300];
        char *end = strchr(p + 4, '"');
        snprintf(key, sizeof key, " id=\"%.*s\"", (int)(end - p - 4), p + 4);
        char *first = strstr(ids, key);
        if (first && first + 1 != p)
            n_dups++;
    }
    assert_true(n_ids > 40);
    assert_int_equal(n_dups, 0);
    free(ids);

    /* One style sheet; styling by classes, not inline attributes. */
    assert_int_equal(xpath_count(svg, "//*[local-name()='style']"), 1);
    assert_int_equal(xpath_count(svg, "//*[@fill or @stroke or @style]"), 0);

    free(svg);
    evm_test_remove_dir(dir);
    evm_scene_destroy(s);
}

/* ---- escaping ---- */

static void test_hostile_data(void **state)
{
    if (!evm_test_have_tool("xmllint")) {
        print_message("xmllint not found: escaping not checked\n");
        skip();
    }
    /* Markup, entities, quotes, control characters, a raw CR, invalid
     * UTF-8 and a nasty column name, all from the data. */
    static const char csv[] =
        "name,lat,lon,kind,date,\"Notes & <x>\"\n"
        "\"<script>alert(1)</script>\",39.0,125.7,\"cap ital\",2023-10-19,"
        "\"a \"\"quoted\"\" & <b>bold</b> ]]> \x01\x1b end\"\n"
        "\"Seoul\",37.5,127.0,\"x\"\"onload=\"\"y\",,\"bad X byte\rcr\"\n"
        "\"Seoul\",37.6,126.9,capital,,\"tab\there\"\n";
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    evm_events_t *ev = NULL;
    evm_error_t err;
    if (evm_events_load_memory("hostile.csv", csv, sizeof csv - 1, &co, &ev,
                               &err))
        fail_msg("%s", err.message);
    assert_int_equal(evm_events_count(ev), 3);
    evm_scene_t *s = layout(*state, ev, 800, 500);
    assert_string_equal(s->events[0].slug, "script-alert-1-script");
    assert_string_equal(s->events[1].slug, "seoul");
    assert_string_equal(s->events[2].slug, "seoul-2");
    /* The loader refuses invalid UTF-8; a scene made otherwise may have
     * it, and the writer must still produce XML. */
    char *cell = s->events[1].values[5];
    assert_string_equal(cell, "bad X byte\rcr");
    cell[4] = (char)0xff;
    char *dir = evm_test_temp_dir("evm-svg-test");
    evm_render_options_t o;
    evm_render_options_init(&o);
    o.extra_css = "</style><script>alert(2)</script><style>";
    char *svg = render_svg(s, &o, dir, "hostile.svg");
    assert_well_formed(svg);
    assert_int_equal(xpath_count(svg, "//*[local-name()='script' or "
                                      "local-name()='b']"),
                     0);
    assert_int_equal(xpath_count(svg, "//@*[local-name()='onload']"), 0);
    assert_xpath_equal(
        svg, "string(//*[@id='event-script-alert-1-script']/@data-notes-x)",
        "a \"quoted\" & <b>bold</b> ]]> \xEF\xBF\xBD\xEF\xBF\xBD end");
    assert_xpath_equal(svg, "string(//*[@id='event-seoul']/@data-notes-x)",
                       "bad \xEF\xBF\xBD byte\rcr");
    assert_xpath_equal(svg, "string(//*[@id='event-seoul-2']/@data-notes-x)",
                       "tab\there");
    assert_xpath_equal(svg, "string(//*[@id='event-seoul']/@data-kind)",
                       "x\"onload=\"y");
    assert_xpath_equal(svg, "string(//*[@id='label-script-alert-1-script'])",
                       "<script>alert(1)</script>");
    /* The kind is one class token. */
    assert_xpath_contains(
        svg, "string(//*[@id='event-script-alert-1-script']/@class)",
        "cap-ital");
    /* The user's CSS is in the sheet as text, not as markup. */
    assert_xpath_contains(svg, "string(//*[local-name()='style'])",
                          "</style><script>alert(2)</script><style>");
    free(svg);
    evm_test_remove_dir(dir);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

/* ---- scene events, precision, engines ---- */

static void test_slugs(void **state)
{
    (void)state;
    evm_scene_t *s = NULL;
    evm_error_t err;
    assert_int_equal(evm_scene_create(100, 100, 96, &s, &err), EVM_OK);
    const char *cols[] = {"name", "x"};
    assert_int_equal(evm_scene_set_columns(s, cols, 2), EVM_OK);
    const char *names[] = {"Seoul",        "Seoul",  "Seoul 2",       "",
                           "서울 (Seoul)", "  !!  ", "Ünïcode Straße"};
    const char *want[] = {"seoul",      "seoul-2", "seoul-2-2",     "4",
                          "서울-seoul", "6",       "ünïcode-straße"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *vals[] = {names[i], "v"};
        const evm_scene_event_t *e =
            evm_scene_add_event(s, names[i], "k", NULL, vals);
        assert_non_null(e);
        assert_string_equal(e->slug, want[i]);
        assert_string_equal(e->date, "");
        assert_string_equal(e->values[1], "v");
    }
    /* Columns cannot change once events are in. */
    assert_int_equal(evm_scene_set_columns(s, cols, 1), EVM_ERR_INVALID_ARG);
    evm_scene_destroy(s);
}

/* Items carry data for the SVG: a distance line its length, a route its
 * name and mode. */
static void test_item_data(void **state)
{
    (void)state;
    evm_scene_t *s = NULL;
    evm_error_t err;
    assert_int_equal(evm_scene_create(200, 100, 96, &s, &err), EVM_OK);
    evm_item_t it = {0};
    it.kind = EVM_ITEM_PATH;
    it.id = (char *)"distance-1";
    it.cls = (char *)"distance";
    it.event = -1;
    it.style.stroke = (evm_rgba_t){0, 0, 0, 1};
    it.style.stroke_px = 1;
    assert_int_equal(evm_path_move_to(&it.path, 10, 10), EVM_OK);
    assert_int_equal(evm_path_line_to(&it.path, 190.04, 90), EVM_OK);
    evm_item_t *dst = evm_scene_add(s, EVM_LAYER_DISTANCE_LINES, &it);
    assert_non_null(dst);
    assert_int_equal(evm_item_add_data(dst, "distance-km", "1441.2"), EVM_OK);
    assert_int_equal(evm_item_add_data(dst, "Mode", "rail \"x\""), EVM_OK);
    evm_test_buffer_t b = {0};
    assert_int_equal(
        evm_render(s, EVM_FORMAT_SVG, evm_test_buffer_write, &b, &err), EVM_OK);
    const char *svg = (const char *)b.data;
    assert_non_null(strstr(svg, "<path id=\"distance-1\" class=\"distance "
                                "evm-s0\" data-distance-km=\"1441.2\" "
                                "data-mode=\"rail &quot;x&quot;\" "
                                "d=\"M10 10l180 80\"/>"));
    free(b.data);
    evm_scene_destroy(s);
}

static void test_precision_and_engines(void **state)
{
    const evm_test_map_t *m = *state;
    evm_scene_t *s = layout(m, m->example, 800, 500);
    evm_render_options_t o;
    evm_render_options_init(&o);
    evm_error_t err;
    evm_test_buffer_t fine = {0}, coarse = {0}, outlines = {0};
    assert_int_equal(evm_render_with(s, EVM_FORMAT_SVG, &o,
                                     evm_test_buffer_write, &fine, &err),
                     EVM_OK);
    o.precision_px = 1;
    assert_int_equal(evm_render_with(s, EVM_FORMAT_SVG, &o,
                                     evm_test_buffer_write, &coarse, &err),
                     EVM_OK);
    /* At 1 px no coordinate has a fraction; the file is smaller. */
    const char *land = strstr((char *)coarse.data, "<g id=\"land\"");
    assert_non_null(land);
    const char *d = strstr(land, " d=\"");
    assert_non_null(d);
    for (const char *p = d + 4; *p != '"'; p++)
        assert_true(*p != '.');
    assert_true(coarse.len < fine.len);
    /* Base map paths are relative after their first point. */
    assert_non_null(strstr(d, "l"));
    o.precision_px = 0;
    assert_int_equal(evm_render_with(s, EVM_FORMAT_SVG, &o,
                                     evm_test_buffer_write, &coarse, &err),
                     EVM_ERR_INVALID_ARG);
    o.precision_px = 0.1;
    o.extra_css = "\xff";
    assert_int_equal(evm_render_with(s, EVM_FORMAT_SVG, &o,
                                     evm_test_buffer_write, &coarse, &err),
                     EVM_ERR_INVALID_ARG);
    /* cairo's engine is still there: glyph outlines, no text. */
    o.extra_css = NULL;
    o.svg_engine = EVM_SVG_CAIRO;
    assert_int_equal(evm_render_with(s, EVM_FORMAT_SVG, &o,
                                     evm_test_buffer_write, &outlines, &err),
                     EVM_OK);
    assert_null(strstr((char *)outlines.data, "<text"));
    assert_non_null(strstr((char *)fine.data, "<text"));
    assert_null(strstr((char *)fine.data, "<symbol"));
    o.svg_engine = (evm_svg_engine)9;
    assert_int_equal(evm_render_with(s, EVM_FORMAT_SVG, &o,
                                     evm_test_buffer_write, &outlines, &err),
                     EVM_ERR_INVALID_ARG);
    free(fine.data);
    free(coarse.data);
    free(outlines.data);
    evm_scene_destroy(s);
}

/* ---- the picture ---- */

/* The native SVG rasterised by a browser engine or librsvg against the
 * cairo PNG, by the blurred-difference measure of testutil.h. */

typedef int (*rasterize_fn)(const char *svg, const char *png, unsigned w,
                            unsigned h, const char *dir);

static int rasterize_rsvg(const char *svg, const char *png, unsigned w,
                          unsigned h, const char *dir)
{
    (void)w, (void)h, (void)dir;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "rsvg-convert -o '%s' '%s'", png, svg);
    return system(cmd);
}

static int rasterize_chromium(const char *svg, const char *png, unsigned w,
                              unsigned h, const char *dir)
{
    char cmd[4096];
    /* A fresh profile per run, and nothing that reaches the network. */
    snprintf(cmd, sizeof cmd,
             "timeout 120 chromium --headless --no-sandbox --disable-gpu "
             "--disable-quic --no-first-run --disable-background-networking "
             "--disable-component-update --disable-sync --hide-scrollbars "
             "--user-data-dir='%s/profile' --screenshot='%s' "
             "--window-size=%u,%u 'file://%s' >/dev/null 2>&1",
             dir, png, w, h, svg);
    return system(cmd);
}

/* The reference picture and how the SVG is made one. */
typedef struct svg_picture {
    const evm_test_image_t *ref;
    rasterize_fn rasterize;
    const char *dir;
} svg_picture_t;

/* An evm_test_picture_fn: the scene as SVG, rasterised, against the
 * reference. A picture that differs is kept in the build folder. */
static evm_test_picture_diff_t svg_picture(const evm_scene_t *s,
                                           const char *name, void *closure)
{
    const svg_picture_t *pic = closure;
    char svgname[128], pngname[128];
    snprintf(svgname, sizeof svgname, "%s.svg", name);
    snprintf(pngname, sizeof pngname, "%s.png", name);
    char *svg = render_svg(s, NULL, pic->dir, svgname);
    char *png = evm_test_path(pic->dir, pngname);
    assert_int_equal(
        pic->rasterize(svg, png, pic->ref->width, pic->ref->height, pic->dir),
        0);
    evm_test_image_t img;
    evm_test_png_decode_file(png, &img);
    evm_test_picture_diff_t diff = evm_test_picture_diff(pic->ref, &img);
    print_message("%s: %.4f%% of pixels differ by more than %d, mean "
                  "difference %.3f\n",
                  name, 100 * diff.fraction, EVM_TEST_PICTURE_TOL, diff.mean);
    if (!evm_test_picture_similar(diff)) {
        char keep[512];
        snprintf(keep, sizeof keep, "%s/svg-%s.actual.png", EVM_BUILD_DIR,
                 name);
        size_t len;
        char *bytes = evm_test_read_file(png, &len);
        assert_non_null(bytes);
        assert_int_equal(evm_test_write_file(keep, bytes, len), 0);
        free(bytes);
    }
    evm_test_image_free(&img);
    free(png);
    free(svg);
    return diff;
}

static void compare_with_png(const evm_test_map_t *m, rasterize_fn rasterize,
                             const char *who)
{
    evm_scene_t *s = layout(m, m->example, 800, 500);
    evm_test_image_t ref;
    evm_test_render_png(s, &ref);
    char *dir = evm_test_temp_dir("evm-svg-test");
    svg_picture_t pic = {&ref, rasterize, dir};
    char name[64];
    snprintf(name, sizeof name, "%s-map", who);
    evm_test_assert_picture_matches(s, name, svg_picture, &pic);
    evm_test_remove_dir(dir);
    evm_test_image_free(&ref);
    evm_scene_destroy(s);
}

/* ---- locale ---- */

/* A program that called setlocale with a decimal-comma LC_NUMERIC gets
 * the SVG it would get under "C", byte for byte: CSS and SVG numbers
 * (stroke widths, opacities, font sizes, the page size) take '.' only. */
static void test_locale(void **state)
{
    const evm_test_map_t *m = *state;
    evm_scene_t *s = layout(m, m->example, 800, 500);
    evm_test_buffer_t c = {0}, comma = {0};
    evm_error_t err;
    assert_int_equal(
        evm_render(s, EVM_FORMAT_SVG, evm_test_buffer_write, &c, &err), EVM_OK);
    char *dir;
    bool switched = evm_test_decimal_comma_locale(&dir);
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    evm_status st =
        evm_render(s, EVM_FORMAT_SVG, evm_test_buffer_write, &comma, &err);
    evm_test_c_locale(dir);
    evm_scene_destroy(s);
    assert_int_equal(st, EVM_OK);
    /* Fractional numbers of each kind are there to be written wrong. */
    const char *c_text = (const char *)c.data;
    assert_non_null(strstr(c_text, "stroke-width:0."));
    assert_non_null(strstr(c_text, "-opacity:0."));
    assert_non_null(strstr(c_text, ".67px;"));
    if (switched) {
        assert_string_equal(probe, "1,5"); /* the locale did switch */
        assert_int_equal(comma.len, c.len);
        assert_memory_equal(comma.data, c.data, c.len);
    } else {
        print_message("no decimal-comma locale (localedef missing): SVG "
                      "not written under one\n");
    }
    free(c.data);
    free(comma.data);
}

static void test_rsvg_matches_png(void **state)
{
    if (!evm_test_have_tool("rsvg-convert")) {
        print_message("rsvg-convert not found (librsvg2-bin): SVG picture "
                      "not compared\n");
        skip();
    }
    compare_with_png(*state, rasterize_rsvg, "rsvg");
}

static void test_chromium_matches_png(void **state)
{
    if (!evm_test_have_tool("chromium")) {
        const char *req = getenv("EVM_REQUIRE_BROWSER");
        if (req && strcmp(req, "1") == 0)
            fail_msg("chromium not found but EVM_REQUIRE_BROWSER=1 "
                     "(run scripts/install-browser-deps.sh)");
        print_message("chromium not found (scripts/install-browser-deps.sh): "
                      "SVG not compared in a browser\n");
        skip();
    }
    compare_with_png(*state, rasterize_chromium, "chromium");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_hostile_data),
        cmocka_unit_test(test_slugs),
        cmocka_unit_test(test_item_data),
        cmocka_unit_test(test_precision_and_engines),
        cmocka_unit_test(test_locale),
        cmocka_unit_test(test_rsvg_matches_png),
        cmocka_unit_test(test_chromium_matches_png),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
