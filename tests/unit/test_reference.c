/* The reference layers of the base map, checked on the scene and on the
 * painted picture: lakes filled like the ocean at every resolution,
 * rivers thinned by scale, disputed areas and the worldview (Crimea),
 * the layer switches and the SVG layer ids. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "load/basemap_internal.h"
#include "load/layers.h"
#include "testutil.h"

static evm_events_t *csv(const char *text)
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

static void plain_options(evm_map_options_t *mo, double w, double s, double e,
                          double n, evm_basemap_res res)
{
    evm_map_options_init(mo);
    mo->width_px = 800;
    mo->height_px = 500;
    mo->graticule = false;
    mo->legend = false;
    mo->scale_bar = false;
    mo->has_extent = true;
    mo->extent[0] = w;
    mo->extent[1] = s;
    mo->extent[2] = e;
    mo->extent[3] = n;
    mo->basemap = res;
}

static const evm_item_t *marker_of(const evm_scene_t *s, long event)
{
    const evm_layer_t *l = &s->layers[EVM_LAYER_EVENTS];
    for (size_t i = 0; i < l->n_items; i++)
        if (l->items[i].event == event)
            return &l->items[i];
    return NULL;
}

static bool same_rgb(const unsigned char *px, evm_rgba_t c)
{
    return abs(px[0] - (int)lround(c.r * 255)) <= 1 &&
           abs(px[1] - (int)lround(c.g * 255)) <= 1 &&
           abs(px[2] - (int)lround(c.b * 255)) <= 1;
}

/* The Great Lakes map: at the centre of Lake Superior, Lake
 * Michigan and Lake Huron the picture has the ocean's colour, at every
 * resolution; inland (Iowa, Ontario) it has the land's. The places are
 * unnamed events, so that only their markers (whose centres tell where
 * the points fall on the page) are drawn; the pixel read is 12 px below
 * each marker, clear of it. */
static void great_lakes(void **state, evm_basemap_res res)
{
    evm_events_t *ev = csv("name,lat,lon\n"
                           ",47.7,-87.5\n" /* Lake Superior */
                           ",43.8,-87.0\n" /* Lake Michigan */
                           ",44.6,-82.0\n" /* Lake Huron, east of the border */
                           ",42.0,-93.0\n" /* Iowa: land */
                           ",49.0,-84.0\n"); /* Ontario: land */
    evm_map_options_t mo;
    plain_options(&mo, -95, 40, -76, 50, res);
    mo.places = mo.country_labels = mo.water_labels = false;
    evm_scene_t *s = evm_test_layout(*state, ev, &mo, EVM_OK, NULL);
    const evm_item_t *lakes = evm_test_find_item(s, EVM_LAYER_LAKES, "lakes");
    assert_non_null(lakes);
    assert_true(lakes->path.n_subs > 3);
    evm_rgba_t ocean =
        evm_test_find_item(s, EVM_LAYER_OCEAN, "ocean")->style.fill;
    evm_rgba_t land = evm_test_find_item(s, EVM_LAYER_LAND, "land")->style.fill;
    assert_true(lakes->style.fill.r == ocean.r &&
                lakes->style.fill.b == ocean.b);
    evm_test_image_t img;
    evm_test_render_png(s, &img);
    for (long i = 0; i < 5; i++) {
        const evm_item_t *m = marker_of(s, i);
        assert_non_null(m);
        const unsigned char *px =
            evm_test_pixel(&img, (unsigned)lround(m->center.x),
                           (unsigned)lround(m->center.y + 12));
        if (!same_rgb(px, i < 3 ? ocean : land))
            fail_msg("%s: place %ld has colour %d,%d,%d, not the %s's",
                     evm_basemap_res_name(res), i, px[0], px[1], px[2],
                     i < 3 ? "ocean" : "land");
    }
    evm_test_image_free(&img);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

static void test_great_lakes_110m(void **state)
{
    great_lakes(state, EVM_BASEMAP_110M);
}
static void test_great_lakes_50m(void **state)
{
    great_lakes(state, EVM_BASEMAP_50M);
}
static void test_great_lakes_10m(void **state)
{
    great_lakes(state, EVM_BASEMAP_10M);
}

/* Every layer of every resolution loads and holds what it should: names
 * where Natural Earth has them, properties in the id, points in range. */
static void test_layers_load(void **state)
{
    const evm_test_map_t *m = *state;
    static const evm_basemap_res all[] = {EVM_BASEMAP_110M, EVM_BASEMAP_50M,
                                          EVM_BASEMAP_10M};
    for (int k = 0; k < EVM_REF_COUNT; k++)
        for (int r = 0; r < 3; r++) {
            const evm_basemap_t *l = NULL;
            evm_error_t err;
            assert_int_equal(evm_geodata_layer(m->geodata, (evm_ref_layer)k,
                                               all[r], &l, &err),
                             EVM_OK);
            assert_non_null(l);
            assert_true(l->n_countries > 10);
            assert_int_equal(l->n_arcs, 0);
            if (k == EVM_REF_PLACES || k == EVM_REF_MARINE)
                assert_int_equal(l->n_rings, l->n_countries);
        }
    /* By name: Lake Baikal at 110m (its name's carriage return gone),
     * the Sea of Japan, Pyongyang a capital of rank 0-2. */
    const evm_basemap_t *lakes = NULL, *marine = NULL, *places = NULL;
    assert_int_equal(evm_geodata_layer(m->geodata, EVM_REF_LAKES,
                                       EVM_BASEMAP_110M, &lakes, NULL),
                     EVM_OK);
    bool baikal = false;
    for (size_t f = 0; f < lakes->n_countries; f++) {
        assert_null(strchr(lakes->country_name[f], '\r'));
        baikal |= strcmp(lakes->country_name[f], "Lake Baikal") == 0;
    }
    assert_true(baikal);
    assert_int_equal(evm_geodata_layer(m->geodata, EVM_REF_MARINE,
                                       EVM_BASEMAP_50M, &marine, NULL),
                     EVM_OK);
    bool japan = false;
    for (size_t f = 0; f < marine->n_countries; f++) {
        if (strcmp(marine->country_name[f], "Sea of Japan") != 0)
            continue;
        japan = true;
        /* Its label point lies in the sea, between Korea and Honshu. */
        const double *p = marine->ring_pts + 2 * marine->ring_off[f];
        assert_true(p[0] > 130 && p[0] < 140 && p[1] > 36 && p[1] < 46);
    }
    assert_true(japan);
    assert_int_equal(evm_geodata_layer(m->geodata, EVM_REF_PLACES,
                                       EVM_BASEMAP_10M, &places, NULL),
                     EVM_OK);
    bool pyongyang = false;
    for (size_t f = 0; f < places->n_countries; f++) {
        if (strcmp(places->country_name[f], "Pyongyang") != 0)
            continue;
        char cls[64];
        assert_true(
            evm_layer_attr(places->country_id[f], "featurecla", cls, 64));
        assert_string_equal(cls, "Admin-0 capital");
        assert_true(
            evm_layer_attr_num(places->country_id[f], "scalerank", 99) <= 2);
        pyongyang = true;
    }
    assert_true(pyongyang);
}

/* Rivers thin out with the scale: a map of Europe at 110m-scale shows
 * fewer river vertices per page than the same place closer in, and
 * --no-rivers leaves the layer empty. */
static void test_rivers(void **state)
{
    evm_map_options_t mo;
    plain_options(&mo, 20, 44, 45, 58, EVM_BASEMAP_AUTO);
    evm_scene_t *s = evm_test_layout(*state, NULL, &mo, EVM_OK, NULL);
    const evm_layer_t *l = &s->layers[EVM_LAYER_RIVERS];
    size_t pts = 0;
    for (size_t i = 0; i < l->n_items; i++)
        pts += l->items[i].path.n_pts;
    assert_true(pts > 50); /* the Volga, the Dnieper, the Don */
    for (size_t i = 0; i < l->n_items; i++) {
        assert_true(l->items[i].style.stroke_px < 1.5);
        assert_true(l->items[i].style.fill.a == 0);
    }
    evm_scene_destroy(s);
    mo.rivers = false;
    s = evm_test_layout(*state, NULL, &mo, EVM_OK, NULL);
    assert_int_equal(s->layers[EVM_LAYER_RIVERS].n_items, 0);
    evm_scene_destroy(s);
}

/* Even-odd: whether p is inside the closed subpaths of path. */
static bool inside_path(const evm_path_t *path, evm_point_t p)
{
    bool in = false;
    for (size_t k = 0; k < path->n_subs; k++) {
        size_t a = path->sub_start[k];
        size_t n =
            (k + 1 < path->n_subs ? path->sub_start[k + 1] : path->n_pts) - a;
        for (size_t i = 0, j = n - 1; i < n; j = i++) {
            evm_point_t pi = path->pts[a + i], pj = path->pts[a + j];
            if ((pi.y > p.y) != (pj.y > p.y) &&
                p.x < (pj.x - pi.x) * (p.y - pi.y) / (pj.y - pi.y) + pi.x)
                in = !in;
        }
    }
    return in;
}

/* The disputed areas are hatched, not only tinted: many short lines at
 * 45 degrees, each inside the areas (its middle and both ends just
 * within it), spaced a few points apart. */
static void assert_hatched(const evm_scene_t *s, const evm_item_t *area)
{
    const evm_item_t *h =
        evm_test_find_item(s, EVM_LAYER_DISPUTED, "disputed-hatch");
    assert_non_null(h);
    assert_true(h->style.stroke.a > 0 && h->style.stroke_px > 0);
    assert_true(h->path.n_subs >= 10);
    for (size_t k = 0; k < h->path.n_subs; k++) {
        evm_point_t a = h->path.pts[h->path.sub_start[k]];
        evm_point_t b = h->path.pts[h->path.sub_start[k] + 1];
        double len = hypot(b.x - a.x, b.y - a.y);
        if (len < 1e-6)
            continue;
        /* 45 degrees: rising to the right on the page (y down). */
        assert_true(fabs(fabs(b.x - a.x) - fabs(b.y - a.y)) <
                    1e-6 * len + 1e-9);
        double t = fmin(0.5, 0.25 / len);
        evm_point_t mid = {(a.x + b.x) / 2, (a.y + b.y) / 2};
        evm_point_t a2 = {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
        evm_point_t b2 = {b.x - t * (b.x - a.x), b.y - t * (b.y - a.y)};
        if (!inside_path(&area->path, mid) || !inside_path(&area->path, a2) ||
            !inside_path(&area->path, b2))
            fail_msg("hatch line %zu (%g,%g)-(%g,%g) leaves the areas", k, a.x,
                     a.y, b.x, b.y);
    }
}

/* Crimea: tinted as disputed in both worldviews; in the international
 * view the line at Perekop is dashed (not a border), in the de facto
 * view it is a solid border. Checked at every resolution. */
static void test_crimea(void **state)
{
    static const evm_basemap_res all[] = {EVM_BASEMAP_110M, EVM_BASEMAP_50M,
                                          EVM_BASEMAP_10M};
    for (int r = 0; r < 3; r++) {
        evm_map_options_t mo;
        plain_options(&mo, 31, 43.5, 37.5, 47.5, all[r]);
        for (int wv = 0; wv < 2; wv++) {
            mo.worldview =
                wv ? EVM_WORLDVIEW_DE_FACTO : EVM_WORLDVIEW_INTERNATIONAL;
            evm_scene_t *s = evm_test_layout(*state, NULL, &mo, EVM_OK, NULL);
            const evm_item_t *area =
                evm_test_find_item(s, EVM_LAYER_DISPUTED, "disputed-areas");
            const evm_item_t *dash =
                evm_test_find_item(s, EVM_LAYER_DISPUTED, "disputed-lines");
            assert_non_null(area);
            assert_non_null(dash);
            assert_true(area->path.n_subs >= 1);
            assert_true(area->style.fill.a > 0 && area->style.fill.a < 0.5);
            assert_true(dash->style.n_dash == 2);
            assert_hatched(s, area);
            /* The Perekop isthmus, about 46.1 N 33.7 E: a border point
             * near it in the de facto view only, a dashed one in the
             * international view (110m may carry no dashed line of its
             * own there, the de facto arc is it). */
            evm_rect_t f = s->frame;
            const evm_item_t *borders =
                evm_test_find_item(s, EVM_LAYER_BORDERS, "borders");
            size_t in_box = 0;
            (void)f;
            for (size_t k = 0; k < borders->path.n_pts; k++) {
                evm_point_t p = borders->path.pts[k];
                /* Perekop sits in the middle-left of this extent. */
                if (p.x > 0.28 * s->width_px && p.x < 0.45 * s->width_px &&
                    p.y > 0.30 * s->height_px && p.y < 0.52 * s->height_px)
                    in_box++;
            }
            if (wv == 0)
                assert_int_equal(in_box, 0);
            else
                assert_true(in_box > 0);
            evm_scene_destroy(s);
        }
    }
}

/* Each reference layer is a layer of its own in the SVG. */
static void test_svg_layer_ids(void **state)
{
    const evm_test_map_t *m = *state;
    evm_scene_t *s =
        evm_test_layout_page(m, m->example, 1600, 1000, 96, "layers");
    evm_test_buffer_t svg = {0};
    evm_error_t err;
    assert_int_equal(
        evm_render(s, EVM_FORMAT_SVG, evm_test_buffer_write, &svg, &err),
        EVM_OK);
    static const char *const ids[] = {
        "<g id=\"lakes\"",        "<g id=\"rivers\"",
        "<g id=\"places\"",       "<g id=\"country-labels\"",
        "<g id=\"water-labels\"", "<g id=\"disputed\"",
        "id=\"disputed-hatch\""};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (!evm_test_find_bytes(svg.data, svg.len, ids[i]))
            fail_msg("the SVG has no %s", ids[i]);
    free(svg.data);
    evm_scene_destroy(s);
}

/* Whether a text item of the layer reads text (ASCII case ignored). */
static bool has_text(const evm_scene_t *s, evm_layer_id layer, const char *text)
{
    const evm_layer_t *l = &s->layers[layer];
    for (size_t i = 0; i < l->n_items; i++)
        if (l->items[i].kind == EVM_ITEM_TEXT &&
            strcasecmp(l->items[i].text.utf8, text) == 0)
            return true;
    return false;
}

/* The size in points of the layer's text reading text, or 0. */
static double text_pt(const evm_scene_t *s, evm_layer_id layer,
                      const char *text, double dpi)
{
    const evm_layer_t *l = &s->layers[layer];
    for (size_t i = 0; i < l->n_items; i++)
        if (l->items[i].kind == EVM_ITEM_TEXT &&
            strcasecmp(l->items[i].text.utf8, text) == 0)
            return l->items[i].text.size_px * 72 / dpi;
    return 0;
}

/* The example map: the names of Russia, China, Mongolia, Kazakhstan, the
 * Koreas and Japan, the Sea of Japan as Natural Earth names it, capital
 * cities for reference but none where an event stands, and no reference
 * item over an event's marker or label. */
static void test_example_names(void **state)
{
    const evm_test_map_t *m = *state;
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_scene_t *s = evm_test_layout(m, m->example, &mo, EVM_OK, NULL);
    static const char *const countries[] = {
        "Russia",      "China",       "Mongolia", "Kazakhstan",
        "North Korea", "South Korea", "Japan"};
    for (size_t i = 0; i < sizeof countries / sizeof countries[0]; i++)
        if (!has_text(s, EVM_LAYER_COUNTRY_LABELS, countries[i]))
            fail_msg("no country name %s", countries[i]);
    /* Country names in whole points from 8 to 12, a larger country's no
     * smaller than a smaller one's. */
    const evm_layer_t *cl = &s->layers[EVM_LAYER_COUNTRY_LABELS];
    for (size_t i = 0; i < cl->n_items; i++) {
        double pt = cl->items[i].text.size_px * 72 / mo.dpi;
        if (!(pt >= 8 && pt <= 12 && fabs(pt - round(pt)) < 1e-9))
            fail_msg("%s in %g pt", cl->items[i].text.utf8, pt);
    }
    double russia = text_pt(s, EVM_LAYER_COUNTRY_LABELS, "Russia", mo.dpi),
           mongolia = text_pt(s, EVM_LAYER_COUNTRY_LABELS, "Mongolia", mo.dpi),
           korea = text_pt(s, EVM_LAYER_COUNTRY_LABELS, "North Korea", mo.dpi);
    assert_true(russia == 12 && mongolia <= russia && korea <= mongolia);
    assert_true(has_text(s, EVM_LAYER_WATER_LABELS, "Sea of Japan"));
    const evm_layer_t *pl = &s->layers[EVM_LAYER_PLACES];
    size_t capitals = 0;
    for (size_t i = 0; i < pl->n_items; i++) {
        const evm_item_t *it = &pl->items[i];
        if (it->kind == EVM_ITEM_CIRCLE && strcmp(it->cls, "capital") == 0)
            capitals++;
        if (it->kind != EVM_ITEM_TEXT)
            continue;
        /* An event at the same place replaces the reference city. */
        for (size_t e = 0; e < evm_events_count(m->example); e++)
            if (strcasecmp(evm_events_get(m->example, e)->name,
                           it->text.utf8) == 0)
                fail_msg("reference city %s where an event stands",
                         it->text.utf8);
    }
    assert_true(capitals >= 3); /* Ulaanbaatar, Astana, Tokyo, ... */
    /* No reference item meets an event's marker or label. */
    static const evm_layer_id ref[] = {
        EVM_LAYER_PLACES, EVM_LAYER_COUNTRY_LABELS, EVM_LAYER_WATER_LABELS};
    static const evm_layer_id ev[] = {EVM_LAYER_EVENTS, EVM_LAYER_LABELS};
    for (size_t a = 0; a < 3; a++)
        for (size_t i = 0; i < s->layers[ref[a]].n_items; i++) {
            evm_rect_t r = evm_test_item_box(&s->layers[ref[a]].items[i]);
            for (size_t b = 0; b < 2; b++)
                for (size_t j = 0; j < s->layers[ev[b]].n_items; j++)
                    if (evm_test_rects_overlap(
                            r, evm_test_item_box(&s->layers[ev[b]].items[j])))
                        fail_msg("%s overlaps %s",
                                 s->layers[ref[a]].items[i].id,
                                 s->layers[ev[b]].items[j].id);
        }
    /* Every event keeps its label: reference labels never push one out. */
    size_t labels = 0;
    for (size_t j = 0; j < s->layers[EVM_LAYER_LABELS].n_items; j++)
        labels += s->layers[EVM_LAYER_LABELS].items[j].kind == EVM_ITEM_TEXT;
    evm_scene_t *bare = NULL;
    mo.places = mo.country_labels = mo.water_labels = mo.rivers = false;
    bare = evm_test_layout(m, m->example, &mo, EVM_OK, NULL);
    size_t bare_labels = 0;
    for (size_t j = 0; j < bare->layers[EVM_LAYER_LABELS].n_items; j++)
        bare_labels +=
            bare->layers[EVM_LAYER_LABELS].items[j].kind == EVM_ITEM_TEXT;
    assert_int_equal(labels, bare_labels);
    /* The switches empty their layers. */
    assert_int_equal(bare->layers[EVM_LAYER_PLACES].n_items, 0);
    assert_int_equal(bare->layers[EVM_LAYER_COUNTRY_LABELS].n_items, 0);
    assert_int_equal(bare->layers[EVM_LAYER_WATER_LABELS].n_items, 0);
    assert_int_equal(bare->layers[EVM_LAYER_RIVERS].n_items, 0);
    evm_scene_destroy(bare);
    evm_scene_destroy(s);
}

/* Water names beyond the polar map, at each resolution: the oceans on a
 * world map (as Natural Earth names them: North Pacific Ocean, ...), the
 * Mediterranean and the Black Sea on a map of them, the
 * Sea of Japan on a map of Japan; in the water layer, in the water
 * colour, sea names in italic. */
static void test_water_names(void **state)
{
    static const evm_basemap_res all[] = {EVM_BASEMAP_110M, EVM_BASEMAP_50M,
                                          EVM_BASEMAP_10M};
    static const struct {
        double e[4];
        const char *names[3];
    } maps[] = {
        {{-180, -60, 180, 80},
         {"North Pacific Ocean", "South Atlantic Ocean", "Indian Ocean"}},
        {{-6, 29, 42, 47}, {"Mediterranean Sea", "Black Sea", NULL}},
        {{126, 30, 146, 46}, {"Sea of Japan", NULL, NULL}},
    };
    for (size_t k = 0; k < 3; k++)
        for (int r = 0; r < 3; r++) {
            evm_map_options_t mo;
            plain_options(&mo, maps[k].e[0], maps[k].e[1], maps[k].e[2],
                          maps[k].e[3], all[r]);
            mo.width_px = 1600;
            mo.height_px = 1000;
            evm_scene_t *s = evm_test_layout(*state, NULL, &mo, EVM_OK, NULL);
            for (size_t i = 0; i < 3 && maps[k].names[i]; i++)
                if (!has_text(s, EVM_LAYER_WATER_LABELS, maps[k].names[i]))
                    fail_msg("map %zu at %s: no %s", k,
                             evm_basemap_res_name(all[r]), maps[k].names[i]);
            const evm_layer_t *w = &s->layers[EVM_LAYER_WATER_LABELS];
            for (size_t i = 0; i < w->n_items; i++) {
                const evm_item_t *t = &w->items[i];
                assert_true(t->text.color.b > t->text.color.r);
                assert_true(t->text.italic ==
                            (strcmp(t->cls, "sea-label") == 0));
            }
            evm_scene_destroy(s);
        }
}

/* Across the antimeridian (Fiji, Chukotka) and round the pole, at each
 * resolution: the layers are drawn, every point is finite and near the
 * page, and the names are there. */
static void test_antimeridian_and_pole(void **state)
{
    static const evm_basemap_res all[] = {EVM_BASEMAP_110M, EVM_BASEMAP_50M,
                                          EVM_BASEMAP_10M};
    static const struct {
        double e[4];
        const char *proj;
        const char *country;
    } maps[] = {
        {{174, -22, -176, -12}, NULL, "Fiji"},
        {{160, 58, -165, 72}, NULL, "Russia"},
        {{-180, 60, 180, 90}, "+proj=stere +lat_0=90 +lon_0=0", "Russia"},
    };
    for (size_t k = 0; k < 3; k++)
        for (int r = 0; r < 3; r++) {
            evm_map_options_t mo;
            plain_options(&mo, maps[k].e[0], maps[k].e[1], maps[k].e[2],
                          maps[k].e[3], all[r]);
            mo.proj = maps[k].proj;
            evm_scene_t *s = evm_test_layout(*state, NULL, &mo, EVM_OK, NULL);
            if (!has_text(s, EVM_LAYER_COUNTRY_LABELS, maps[k].country))
                fail_msg("map %zu at %s: no %s", k,
                         evm_basemap_res_name(all[r]), maps[k].country);
            /* The Arctic Ocean round the pole. */
            if (k == 2 && s->layers[EVM_LAYER_WATER_LABELS].n_items == 0)
                fail_msg("map %zu at %s: no water name", k,
                         evm_basemap_res_name(all[r]));
            for (int l = EVM_LAYER_RIVERS; l <= EVM_LAYER_PLACES; l++) {
                const evm_layer_t *layer = &s->layers[l];
                for (size_t i = 0; i < layer->n_items; i++) {
                    const evm_path_t *p = &layer->items[i].path;
                    for (size_t q = 0; q < p->n_pts; q++)
                        assert_true(isfinite(p->pts[q].x) &&
                                    isfinite(p->pts[q].y) &&
                                    fabs(p->pts[q].x) < 5 * s->width_px);
                }
            }
            evm_scene_destroy(s);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_great_lakes_110m),
        cmocka_unit_test(test_great_lakes_50m),
        cmocka_unit_test(test_great_lakes_10m),
        cmocka_unit_test(test_layers_load),
        cmocka_unit_test(test_rivers),
        cmocka_unit_test(test_crimea),
        cmocka_unit_test(test_svg_layer_ids),
        cmocka_unit_test(test_example_names),
        cmocka_unit_test(test_antimeridian_and_pole),
        cmocka_unit_test(test_water_names),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
