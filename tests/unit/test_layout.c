/* Map layout, checked on the scene: label placement without overlaps,
 * geometry finite and inside the page, no stray lines across the map,
 * markers where hand-checked geography puts them. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "map/layout_internal.h"
#include "testutil.h"

static evm_events_t *load_csv_text(const char *text)
{
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    evm_events_t *ev = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_events_load_memory("test.csv", text, strlen(text), &o, &ev, &err),
        EVM_OK);
    return ev;
}

static const evm_item_t *marker_of(const evm_scene_t *s, long event)
{
    const evm_layer_t *l = &s->layers[EVM_LAYER_EVENTS];
    for (size_t i = 0; i < l->n_items; i++)
        if (l->items[i].event == event)
            return &l->items[i];
    return NULL;
}

/* Labels never overlap each other, any marker, or the furniture, and stay
 * inside the frame. */
static void assert_labels_clear(const evm_scene_t *s)
{
    evm_test_assert_labels_clear(s, EVM_LAYER_LABELS, NULL);
}

/* Every path point is finite and near the page; any long segment of a
 * base map layer runs along the clip rectangle (a cut or frame edge),
 * never across the map. */
static void assert_geometry_sane(const evm_scene_t *s)
{
    double margin = 64;
    for (int l = 0; l < EVM_LAYER_COUNT; l++) {
        const evm_layer_t *layer = &s->layers[l];
        for (size_t i = 0; i < layer->n_items; i++) {
            const evm_path_t *p = &layer->items[i].path;
            for (size_t k = 0; k < p->n_pts; k++) {
                assert_true(isfinite(p->pts[k].x) && isfinite(p->pts[k].y));
                assert_true(p->pts[k].x > -margin &&
                            p->pts[k].x < s->width_px + margin);
                assert_true(p->pts[k].y > -margin &&
                            p->pts[k].y < s->height_px + margin);
            }
            /* Graticule lines may be long and straight (meridians of a
             * conic projection); base map segments crossing half the map
             * can only be strays. */
            if (l > EVM_LAYER_COASTLINES)
                continue;
            for (size_t sub = 0; sub < p->n_subs; sub++) {
                size_t a = p->sub_start[sub], n = evm_path_sub_len(p, sub);
                for (size_t k = 1; k < n; k++) {
                    evm_point_t u = p->pts[a + k - 1], v = p->pts[a + k];
                    double len = hypot(v.x - u.x, v.y - u.y);
                    if (len < s->frame.w / 2)
                        continue;
                    bool along =
                        fabs(u.x - v.x) < 1e-6 || fabs(u.y - v.y) < 1e-6;
                    if (!along || l == EVM_LAYER_BORDERS ||
                        l == EVM_LAYER_COASTLINES) {
                        print_error("stray segment in %s: (%g,%g)-(%g,%g)\n",
                                    layer->name, u.x, u.y, v.x, v.y);
                        fail();
                    }
                }
            }
        }
    }
}

/* The lines of a wrapped text (items of class cls), in order, joined by
 * sep into out; returns how many. */
static size_t joined_lines(const evm_scene_t *s, evm_layer_id layer,
                           const char *cls, const char *sep, char *out,
                           size_t cap)
{
    const evm_layer_t *l = &s->layers[layer];
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->n_items; i++) {
        const evm_item_t *it = &l->items[i];
        if (it->kind != EVM_ITEM_TEXT || strcmp(it->cls, cls) != 0)
            continue;
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%s%s", n ? sep : "", it->text.utf8);
        n++;
    }
    return n;
}

/* Every text item of the scene lies on the page; title and subtitle
 * above the frame, the source line below it; no two lines overlap. */
static void assert_text_on_page(const evm_scene_t *s)
{
    evm_rect_t f = s->frame;
    for (int l = 0; l < EVM_LAYER_COUNT; l++) {
        const evm_layer_t *ly = &s->layers[l];
        for (size_t i = 0; i < ly->n_items; i++) {
            const evm_item_t *it = &ly->items[i];
            if (it->kind != EVM_ITEM_TEXT)
                continue;
            evm_rect_t b = it->text.box;
            if (b.x < -0.5 || b.y < -0.5 || b.x + b.w > s->width_px + 0.5 ||
                b.y + b.h > s->height_px + 0.5)
                fail_msg("\"%.40s\" (%g,%g %gx%g) leaves the %gx%g page",
                         it->text.utf8, b.x, b.y, b.w, b.h, s->width_px,
                         s->height_px);
            if (l == EVM_LAYER_TITLE)
                assert_true(b.y + b.h <= f.y + 0.5);
            if (l == EVM_LAYER_SOURCE)
                assert_true(b.y >= f.y + f.h - 0.5);
            if (l != EVM_LAYER_TITLE && l != EVM_LAYER_SOURCE)
                continue;
            for (size_t j = i + 1; j < ly->n_items; j++)
                if (ly->items[j].kind == EVM_ITEM_TEXT)
                    assert_false(
                        evm_test_rects_overlap(b, ly->items[j].text.box));
        }
    }
}

/* A title of 300 characters, a long subtitle and a source line with a
 * long address wrap on a 600 px page, on the default page and on a page
 * framing chooses: all of their words are drawn, in order, and nothing
 * leaves the page. */
static void test_title_wraps(void **state)
{
    const evm_test_map_t *f = *state;
    char title[512] = "", sub[512] = "", src[512] = "";
    while (strlen(title) < 300)
        strcat(title, strlen(title) ? " Events of the war in Ukraine and its"
                                    : "Events of the war in Ukraine and its");
    while (strlen(sub) < 160)
        strcat(sub, strlen(sub) ? " what the reader sees on the map"
                                : "what the reader sees on the map");
    strcpy(src, "Data: https://example.org/a/very/long/address/"
                "that/has/no/space/in/it/at/all/and/goes/on/and/on/"
                "until/it/is/wider/than/a/narrow/page/"
                "events-of-2023-and-2024.csv");
    const double sizes[][3] = {{600, 500, 1}, {1600, 1000, 1}, {700, 700, 0}};
    for (size_t k = 0; k < 3; k++) {
        evm_map_options_t mo;
        evm_map_options_init(&mo);
        mo.width_px = sizes[k][0];
        mo.height_px = sizes[k][1];
        mo.has_size = sizes[k][2] > 0;
        mo.title = title;
        mo.subtitle = sub;
        mo.source = src;
        evm_scene_t *s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
        char got[2048];
        size_t n =
            joined_lines(s, EVM_LAYER_TITLE, "title", " ", got, sizeof got);
        print_message("%gx%g: title in %zu lines\n", s->width_px, s->height_px,
                      n);
        assert_true(n >= 2);
        assert_string_equal(got, title);
        assert_true(joined_lines(s, EVM_LAYER_TITLE, "subtitle", " ", got,
                                 sizeof got) >= 1);
        assert_string_equal(got, sub);
        n = joined_lines(s, EVM_LAYER_SOURCE, "source", "", got, sizeof got);
        assert_non_null(strstr(got, "events-of-2023-and-2024.csv"));
        if (s->width_px < 700)
            assert_true(n >= 2);
        assert_text_on_page(s);
        /* The document keeps the whole title. */
        assert_string_equal(s->title, title);
        evm_scene_destroy(s);
    }
}

static void test_example_map(void **state)
{
    const evm_test_map_t *f = *state;
    const evm_events_t *ev = f->example;
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.title = "North Korea and Russia";
    evm_scene_t *s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);

    assert_int_equal(s->layers[EVM_LAYER_OCEAN].n_items, 1);
    assert_true(evm_test_find_item(s, EVM_LAYER_LAND, "land")->path.n_pts >
                1000);
    assert_true(
        evm_test_find_item(s, EVM_LAYER_BORDERS, "borders")->path.n_subs > 10);
    assert_true(
        evm_test_find_item(s, EVM_LAYER_COASTLINES, "coastlines")->path.n_subs >
        10);
    assert_true(
        evm_test_find_item(s, EVM_LAYER_GRATICULE, "graticule")->path.n_subs >=
        4);
    assert_non_null(evm_test_find_item(s, EVM_LAYER_TITLE, "title"));
    assert_non_null(evm_test_find_item(s, EVM_LAYER_SOURCE, "source"));
    assert_non_null(evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-box"));
    assert_non_null(
        evm_test_find_item(s, EVM_LAYER_SCALE_BAR, "scale-bar-length"));
    assert_non_null(strstr(evm_test_item_text(s, EVM_LAYER_SOURCE, "source"),
                           "Natural Earth"));
    assert_non_null(strstr(s->projection, "+proj=lcc"));

    /* Every event has a marker and a label; none omitted. */
    assert_int_equal(s->layers[EVM_LAYER_EVENTS].n_items, 10);
    assert_int_equal(s->n_omissions, 0);
    size_t n_labels = 0;
    for (size_t i = 0; i < s->layers[EVM_LAYER_LABELS].n_items; i++)
        n_labels += s->layers[EVM_LAYER_LABELS].items[i].kind == EVM_ITEM_TEXT;
    assert_int_equal(n_labels, 10);
    assert_labels_clear(s);
    assert_geometry_sane(s);

    /* Geography by hand: Cheongju (row 2) lies south-east of Seoul (row 3);
     * Moscow (row 4) and Tikhoretsk (row 8) lie west of every Far East
     * site, and in a conic projection Tikhoretsk, further south, lies west
     * of Moscow (cct +proj=lcc of the chosen definition: x -3281 km
     * against -2824 km); Vostochny (row 1) is north of Pyongyang. */
    const evm_item_t *cheongju = marker_of(s, 2), *seoul = marker_of(s, 3);
    assert_true(cheongju->center.y > seoul->center.y);
    assert_true(cheongju->center.x > seoul->center.x);
    const evm_item_t *moscow = marker_of(s, 4), *depot = marker_of(s, 8);
    for (long i = 0; i < 10; i++)
        if (i != 4 && i != 8) {
            assert_true(moscow->center.x < marker_of(s, i)->center.x);
            assert_true(depot->center.x < marker_of(s, i)->center.x);
        }
    assert_true(depot->center.x < moscow->center.x);
    assert_true(marker_of(s, 1)->center.y < marker_of(s, 0)->center.y);
    evm_scene_destroy(s);
}

/* With a user extent, the legend counts the events the map shows. */
static void test_legend_counts_shown_events(void **state)
{
    const evm_test_map_t *f = *state;
    const evm_events_t *ev = f->example;
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.has_extent = true;
    mo.extent[0] = 124; /* Korea and Vladivostok: no Moscow, Beijing, */
    mo.extent[1] = 33;  /* Vostochny or Tikhoretsk */
    mo.extent[2] = 133;
    mo.extent[3] = 44;
    evm_scene_t *s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);
    const evm_layer_t *legend = &s->layers[EVM_LAYER_LEGEND];
    char texts[512] = "";
    size_t n_labels = 0;
    for (size_t i = 0; i < legend->n_items; i++)
        if (legend->items[i].kind == EVM_ITEM_TEXT) {
            n_labels++;
            strncat(texts, legend->items[i].text.utf8,
                    sizeof texts - strlen(texts) - 2);
            strcat(texts, "|");
        }
    assert_int_equal(n_labels, 4);
    assert_non_null(strstr(texts, "capital (2)"));
    assert_non_null(strstr(texts, "military (1)"));
    assert_non_null(strstr(texts, "port (2)"));
    assert_non_null(strstr(texts, "city (1)"));
    assert_null(strstr(texts, "Summit"));
    evm_scene_destroy(s);
}

static void test_crowded_labels(void **state)
{
    const evm_test_map_t *f = *state;
    /* 200 events in a 1 x 1 degree box: a deterministic scatter. */
    size_t cap = 200 * 64 + 64;
    char *csv = malloc(cap);
    size_t len = (size_t)snprintf(csv, cap, "name,lat,lon,kind\n");
    unsigned seed = 12345;
    for (int i = 0; i < 200; i++) {
        seed = seed * 1103515245u + 12345u;
        double lat = 37.0 + (seed >> 8) % 10000 / 10000.0;
        seed = seed * 1103515245u + 12345u;
        double lon = 127.0 + (seed >> 8) % 10000 / 10000.0;
        len +=
            (size_t)snprintf(csv + len, cap - len, "Site %03d,%.4f,%.4f,k%d\n",
                             i, lat, lon, i % 5);
    }
    evm_events_t *ev = load_csv_text(csv);
    free(csv);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_scene_t *s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);
    size_t placed = 0;
    for (size_t i = 0; i < s->layers[EVM_LAYER_LABELS].n_items; i++)
        placed += s->layers[EVM_LAYER_LABELS].items[i].kind == EVM_ITEM_TEXT;
    assert_int_equal(placed + s->n_omissions, 200);
    print_message("%zu of 200 crowded labels placed\n", placed);
    assert_true(placed > 10); /* the placer does place labels */
    for (size_t i = 0; i < s->n_omissions; i++)
        assert_string_equal(s->omissions[i].reason, "no room");
    assert_labels_clear(s);
    assert_geometry_sane(s);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

static void test_missing_glyphs_reported(void **state)
{
    const evm_test_map_t *f = *state;
    /* U+0378, unassigned in Unicode: no font has a glyph for it. */
    evm_events_t *ev = load_csv_text("name,lat,lon\n"
                                     "\xCD\xB8,37.5,127.0\n"
                                     "Seoul (서울),37.5665,126.978\n");
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_scene_t *s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);
    assert_int_equal(s->n_omissions, 1);
    assert_int_equal(s->omissions[0].event, 0);
    assert_non_null(strstr(s->omissions[0].reason, "font"));
    assert_non_null(
        evm_test_find_item(s, EVM_LAYER_LABELS, "label-seoul-서울"));
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

static void test_antimeridian_map(void **state)
{
    const evm_test_map_t *f = *state;
    evm_events_t *ev = load_csv_text("name,lat,lon\n"
                                     "Petropavlovsk-Kamchatsky,53.0167,158.65\n"
                                     "Anchorage,61.2181,-149.9003\n"
                                     "Vladivostok,43.1155,131.8855\n");
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_scene_t *s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);
    assert_geometry_sane(s);
    /* The Pacific map keeps Anchorage east of Kamchatka. */
    assert_true(marker_of(s, 1)->center.x > marker_of(s, 0)->center.x);
    assert_true(marker_of(s, 0)->center.x > marker_of(s, 2)->center.x);
    evm_scene_destroy(s);
    /* And in a Greenwich-centred world projection. */
    mo.proj = "+proj=eqearth +lon_0=0 +ellps=WGS84";
    mo.has_extent = true;
    mo.extent[0] = -180;
    mo.extent[1] = -85;
    mo.extent[2] = 180;
    mo.extent[3] = 85;
    s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);
    assert_geometry_sane(s);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

static void test_bad_projection(void **state)
{
    const evm_test_map_t *f = *state;
    const evm_events_t *ev = f->example;
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.proj = "+proj=no_such_projection";
    evm_error_t err;
    assert_null(evm_test_layout(f, ev, &mo, EVM_ERR_PROJ, &err));
    assert_true(strlen(err.message) > 0);
    mo.proj = "EPSG:3857";
    evm_scene_t *s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);
    assert_labels_clear(s);
    evm_scene_destroy(s);
}

static void test_auto_extent_wraps(void **state)
{
    (void)state;
    evm_events_t *ev = load_csv_text("name,lat,lon\n"
                                     "a,50,170\nb,60,-170\nc,55,179\n");
    double e[4];
    evm_auto_extent(ev, e);
    /* The short way round: 170 .. 190 (= -170), padded by 3 degrees. */
    assert_true(fabs(e[0] - 167) < 1e-9);
    assert_true(fabs(e[2] - 193) < 1e-9);
    assert_true(fabs(e[1] - 48.5) < 1e-9);
    assert_true(fabs(e[3] - 61.5) < 1e-9);
    evm_events_destroy(ev);
}

/* The box the places' longitudes span the short way round, by sorting
 * them (the rule before the linear pass): the complement of the widest
 * gap, the first of equal gaps in longitude order, the one across the
 * antimeridian first; the whole circle when no gap reaches 60 degrees. */
static void sorted_box(double *lon, size_t n, double *w, double *e)
{
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && lon[k - 1] > lon[k]; k--) {
            double t = lon[k];
            lon[k] = lon[k - 1];
            lon[k - 1] = t;
        }
    double gap = lon[0] + 360 - lon[n - 1];
    *w = lon[0];
    *e = lon[n - 1];
    for (size_t i = 1; i < n; i++)
        if (lon[i] - lon[i - 1] > gap) {
            gap = lon[i] - lon[i - 1];
            *w = lon[i];
            *e = lon[i - 1] + 360;
        }
    if (gap < 60) {
        *w = -180;
        *e = 180;
    }
}

static void test_places_box_matches_sort(void **state)
{
    (void)state;
    unsigned long r = 12345;
    for (int trial = 0; trial < 400; trial++) {
        evm_places_t p = {0};
        double lon[300];
        size_t n = 1 + (size_t)trial % 300;
        int clumps = 1 + trial % 4;
        for (size_t i = 0; i < n; i++) {
            r = r * 6364136223846793005u + 1442695040888963407u;
            double u = (double)(r >> 11) / 9007199254740992.0;
            if (trial % 5 == 0)
                /* Evenly spaced: every gap equal, ties everywhere. */
                lon[i] = -180 + 360.0 * (double)(i % 8) / 8;
            else if (trial % 5 == 1)
                lon[i] = -180 + 360 * u; /* round the globe */
            else
                /* A few clumps, some across the antimeridian. */
                lon[i] = remainder(
                    170.0 + 97.0 * (double)(i % (size_t)clumps) + 25 * u, 360);
            assert_int_equal(evm_places_add(&p, 10, lon[i], (long)i), EVM_OK);
        }
        double box[4], w, e;
        assert_true(evm_places_box(&p, box));
        sorted_box(lon, n, &w, &e);
        assert_true(box[0] == w);
        assert_true(box[2] == e);
        evm_places_free(&p);
    }
}

/* Places all round the globe: a world map on Greenwich, the map right
 * under the title, with no blank band that label room past the globe's
 * edge would leave. */
static void test_world_map(void **state)
{
    const evm_test_map_t *f = *state;
    char csv[8192] = "name,lat,lon\n";
    size_t len = strlen(csv);
    for (int i = 0; i < 72; i++)
        len += (size_t)snprintf(csv + len, sizeof csv - len,
                                "Station number %d,%d,%d\n", i,
                                -75 + (i * 37) % 150, -178 + i * 5);
    evm_events_t *ev = load_csv_text(csv);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.title = "Stations";
    evm_scene_t *s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);
    assert_non_null(strstr(s->projection, "+proj=eqearth +lon_0=0 "));
    const evm_layer_t *t = &s->layers[EVM_LAYER_TITLE];
    double title_bottom = 0;
    for (size_t i = 0; i < t->n_items; i++)
        if (t->items[i].kind == EVM_ITEM_TEXT)
            title_bottom = fmax(title_bottom, t->items[i].text.box.y +
                                                  t->items[i].text.box.h);
    assert_true(title_bottom > 0);
    assert_true(s->frame.y - title_bottom < 0.025 * s->height_px);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_map),
        cmocka_unit_test(test_title_wraps),
        cmocka_unit_test(test_crowded_labels),
        cmocka_unit_test(test_legend_counts_shown_events),
        cmocka_unit_test(test_missing_glyphs_reported),
        cmocka_unit_test(test_antimeridian_map),
        cmocka_unit_test(test_bad_projection),
        cmocka_unit_test(test_auto_extent_wraps),
        cmocka_unit_test(test_places_box_matches_sort),
        cmocka_unit_test(test_world_map),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
