/* Distance lines on maps.
 *
 * Geometry: evm_view_add_geodesic must stay within half a pixel of the
 * true projected geodesic. The truth is 20,000 points of the geodesic
 * (PROJ's geod_position) projected one by one; each must lie within
 * 0.5 px of the drawn path, in conic, Mercator, world, polar and
 * orthographic views, for lines across the antimeridian, over a pole and
 * over the edge of the visible hemisphere. A line across the view's cut
 * must end on both sides of the map without a stray segment between.
 *
 * Layout: items with their ids and classes, labels with thousands
 * separators and units, the border label and highlight, the legend
 * entry, and labels that overlap no other label, marker, end mark or
 * furniture, also on a page too small for all of them (then omissions
 * are recorded for no event). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "core/context_internal.h"
#include "geo/view.h"
#include "testutil.h"

/* ---- the half-pixel bound --------------------------------------------- */

static double seg_dist(evm_point_t p, evm_point_t a, evm_point_t b)
{
    double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
    t = fmax(0, fmin(1, t));
    return hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

static double path_dist(const evm_path_t *path, evm_point_t p)
{
    double best = INFINITY;
    for (size_t k = 0; k < path->n_subs; k++) {
        size_t a = path->sub_start[k], n = evm_path_sub_len(path, k);
        for (size_t i = 1; i < n; i++)
            best =
                fmin(best, seg_dist(p, path->pts[a + i - 1], path->pts[a + i]));
    }
    return best;
}

typedef struct geo_case {
    const char *proj;
    double extent[4];
    double lat1, lon1, lat2, lon2;
    size_t min_subs; /* subpaths the line must have at least */
} geo_case_t;

/* Returns the largest distance of a true point from the drawn path. */
static double check_case(PJ_CONTEXT *pj, const geo_case_t *c)
{
    evm_projection_t *proj = NULL;
    evm_error_t err;
    if (evm_projection_create(pj, c->proj, &proj, &err))
        fail_msg("%s: %s", c->proj, err.message);
    evm_view_t view;
    const evm_rect_t frame = {10, 40, 1580, 900};
    if (evm_view_init(&view, proj, c->extent, frame, &err))
        fail_msg("view: %s", err.message);
    /* As map layout sets it. */
    evm_view_set_tolerance(&view, 0.25, 0.25);
    evm_path_t path = {0};
    assert_int_equal(
        evm_view_add_geodesic(&view, c->lat1, c->lon1, c->lat2, c->lon2, &path),
        EVM_OK);
    if (path.n_subs < c->min_subs)
        fail_msg("%s: %zu subpaths, expected at least %zu", c->proj,
                 path.n_subs, c->min_subs);
    /* No segment jumps across the map. */
    for (size_t k = 0; k < path.n_subs; k++) {
        size_t a = path.sub_start[k], n = evm_path_sub_len(&path, k);
        for (size_t i = 1; i < n; i++) {
            evm_point_t u = path.pts[a + i - 1], v = path.pts[a + i];
            if (hypot(v.x - u.x, v.y - u.y) > hypot(frame.w, frame.h) / 8 + 1)
                fail_msg("%s: long segment (%g,%g)-(%g,%g)", c->proj, u.x, u.y,
                         v.x, v.y);
        }
    }
    struct geod_geodesicline gl;
    geod_inverseline(&gl, evm_wgs84(), c->lat1, c->lon1, c->lat2, c->lon2,
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
    double worst = 0, cut = view.lon0 + 180;
    size_t checked = 0;
    for (int i = 0; i <= 20000; i++) {
        double lat, lon, px, py;
        geod_position(&gl, gl.s13 * i / 20000, &lat, &lon, NULL);
        double off = remainder(lon - cut, 360.0);
        if (fabs(off) < 1e-6)
            continue; /* on the cut: either side is right */
        if (!evm_view_forward(&view, lon, lat, &px, &py) ||
            px < view.clip.x + 0.5 || px > view.clip.x + view.clip.w - 0.5 ||
            py < view.clip.y + 0.5 || py > view.clip.y + view.clip.h - 0.5)
            continue;
        double d = path_dist(&path, (evm_point_t){px, py});
        worst = fmax(worst, d);
        checked++;
    }
    if (checked < 100)
        fail_msg("%s: only %zu points of the line are on the map", c->proj,
                 checked);
    if (!(worst <= 0.5))
        fail_msg("%s: a point of the geodesic is %.3f px from the drawing",
                 c->proj, worst);
    print_message("%-44.44s %5zu pts, %zu sub, max %.3f px\n", c->proj,
                  path.n_pts, path.n_subs, worst);
    evm_path_free(&path);
    evm_projection_destroy(proj);
    return worst;
}

static void test_half_pixel(void **state)
{
    (void)state;
    PJ_CONTEXT *pj = proj_context_create();
    proj_log_level(pj, PJ_LOG_NONE);
    static const geo_case_t cases[] = {
        /* The example's conic: Moscow to Vladivostok and to Seoul. */
        {"+proj=lcc +lat_1=40 +lat_2=55 +lat_0=47 +lon_0=85 +datum=WGS84",
         {30, 30, 140, 60},
         55.7558,
         37.6173,
         43.1155,
         131.8855,
         1},
        {"+proj=lcc +lat_1=40 +lat_2=55 +lat_0=47 +lon_0=85 +datum=WGS84",
         {30, 30, 140, 60},
         55.7558,
         37.6173,
         37.5665,
         126.9780,
         1},
        /* A world map cut at 180: Tokyo to San Francisco crosses it. */
        {"+proj=eqearth +lon_0=0 +datum=WGS84",
         {-180, -80, 180, 85},
         35.68,
         139.77,
         37.77,
         -122.42,
         2},
        /* Sydney to London, most of the way round. */
        {"+proj=eqearth +lon_0=0 +datum=WGS84",
         {-180, -80, 180, 85},
         -33.87,
         151.21,
         51.47,
         -0.45,
         1},
        /* A Pacific map cut at -30: London to Rio crosses the cut. */
        {"+proj=eqearth +lon_0=150 +datum=WGS84",
         {-30, -80, 330, 85},
         51.47,
         -0.45,
         -22.9,
         -43.2,
         2},
        /* Mercator, a line bowing far north. */
        {"+proj=merc +datum=WGS84", {-10, -60, 180, 80}, 60, 0, 55, 170, 1},
        /* Over the north pole, in a polar view. */
        {"+proj=laea +lat_0=90 +lon_0=0 +datum=WGS84",
         {-180, 50, 180, 90},
         70,
         10,
         65,
         -170,
         1},
        /* From the visible face of a globe over its edge. */
        {"+proj=ortho +lat_0=45 +lon_0=100 +datum=WGS84",
         {40, 0, 160, 80},
         39.9,
         116.4,
         -33.9,
         -70.6,
         1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(pj, &cases[i]);
    proj_context_destroy(pj);
}

static void test_degenerate(void **state)
{
    (void)state;
    PJ_CONTEXT *pj = proj_context_create();
    evm_projection_t *proj = NULL;
    assert_int_equal(
        evm_projection_create(pj, "+proj=merc +datum=WGS84", &proj, NULL),
        EVM_OK);
    evm_view_t view;
    const double extent[4] = {0, 0, 20, 20};
    assert_int_equal(
        evm_view_init(&view, proj, extent, (evm_rect_t){0, 0, 800, 600}, NULL),
        EVM_OK);
    evm_path_t path = {0};
    assert_int_equal(evm_view_add_geodesic(&view, 10, 10, 10, 10, &path),
                     EVM_OK);
    assert_int_equal(evm_view_add_geodesic(&view, NAN, 10, 10, 10, &path),
                     EVM_OK);
    assert_int_equal(evm_view_add_geodesic(&view, 95, 10, 10, 10, &path),
                     EVM_OK);
    assert_int_equal(path.n_pts, 0);
    /* Entirely off the map: nothing. */
    assert_int_equal(evm_view_add_geodesic(&view, -50, -100, -55, -90, &path),
                     EVM_OK);
    assert_int_equal(path.n_pts, 0);
    evm_path_free(&path);
    evm_projection_destroy(proj);
    proj_context_destroy(pj);
}

/* ---- layout ------------------------------------------------------------ */

static bool is_end_mark(const evm_item_t *it)
{
    return it->kind == EVM_ITEM_CIRCLE;
}

/* Every label (event or distance) is inside the frame and meets no other
 * label, marker, end mark of a distance line, or furniture. */
static void assert_labels_clear(const evm_scene_t *s)
{
    evm_test_assert_labels_clear(s, EVM_LAYER_DISTANCE_LINES, is_end_mark);
}

static evm_map_distance_t between(const evm_events_t *ev, const char *a,
                                  const char *b)
{
    const evm_event_t *p = evm_test_event(ev, a), *q = evm_test_event(ev, b);
    return (evm_map_distance_t){p->lat_deg, p->lon_deg, q->lat_deg, q->lon_deg,
                                NULL,       p->name,    q->name};
}

static void test_example_distances(void **state)
{
    const evm_test_map_t *f = *state;
    const evm_events_t *ev = f->example;
    evm_map_distance_t d[3] = {
        between(ev, "Pyongyang", "Vostochny Cosmodrome"),
        between(ev, "Moscow", "Vostochny Cosmodrome"),
        between(ev, "Seoul", "Cheongju International Airport"),
    };
    d[2].label = "B-52 landing";
    const evm_event_t *t = evm_test_event(ev, "Tikhoretsk ammunition depot");
    evm_map_border_distance_t b = {t->lat_deg, t->lon_deg, "UKR",
                                   false,      NULL,       t->name};
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.distances = d;
    mo.n_distances = 3;
    mo.border_distances = &b;
    mo.n_border_distances = 1;
    evm_scene_t *s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);

    const evm_item_t *line =
        evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, "distance-0");
    assert_non_null(line);
    assert_string_equal(line->cls, "distance");
    assert_int_equal(line->kind, EVM_ITEM_PATH);
    assert_true(line->path.n_pts >= 2 && line->style.n_dash == 2);
    assert_non_null(
        evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, "distance-1"));
    assert_non_null(
        evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, "distance-0-end-0"));
    const evm_item_t *bd =
        evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, "border-distance-0");
    assert_non_null(bd);
    assert_string_equal(bd->cls, "border-distance");
    const evm_item_t *hl =
        evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, "border-highlight-0");
    assert_non_null(hl);
    assert_string_equal(hl->cls, "border-highlight");

    /* Labels: lengths in km with separators (Pyongyang-Vostochny is
     * 1441.4 km, Moscow-Vostochny 5550.9 km, see test_dist.sh), the given
     * text, and the border's length and country (201.37 km). */
    const evm_item_t *l0 =
        evm_test_find_item(s, EVM_LAYER_LABELS, "distance-0-label");
    const evm_item_t *l1 =
        evm_test_find_item(s, EVM_LAYER_LABELS, "distance-1-label");
    const evm_item_t *l2 =
        evm_test_find_item(s, EVM_LAYER_LABELS, "distance-2-label");
    const evm_item_t *lb =
        evm_test_find_item(s, EVM_LAYER_LABELS, "border-distance-0-label");
    assert_non_null(l0);
    assert_non_null(l1);
    assert_non_null(l2);
    assert_non_null(lb);
    assert_string_equal(l0->text.utf8, "1,441 km");
    assert_string_equal(l1->text.utf8, "5,551 km");
    assert_string_equal(l2->text.utf8, "B-52 landing");
    assert_string_equal(lb->text.utf8, "201 km to Ukraine");
    assert_string_equal(l0->cls, "distance");

    /* The label sits by the middle of its line: its centre is within
     * its own size of the point halfway along the drawing. */
    const evm_path_t *p = &line->path;
    double total = 0, run = 0;
    for (size_t i = 1; i < p->n_pts; i++)
        total +=
            hypot(p->pts[i].x - p->pts[i - 1].x, p->pts[i].y - p->pts[i - 1].y);
    evm_point_t mid = p->pts[0];
    for (size_t i = 1; i < p->n_pts; i++) {
        evm_point_t u = p->pts[i - 1], v = p->pts[i];
        double len = hypot(v.x - u.x, v.y - u.y);
        if (run + len >= total / 2 && len > 0) {
            double t2 = (total / 2 - run) / len;
            mid = (evm_point_t){u.x + t2 * (v.x - u.x), u.y + t2 * (v.y - u.y)};
            break;
        }
        run += len;
    }
    evm_rect_t lbox = l0->text.box;
    double cx = lbox.x + lbox.w / 2, cy = lbox.y + lbox.h / 2;
    assert_true(hypot(cx - mid.x, cy - mid.y) < lbox.w + lbox.h);

    /* Several lines: the legend has a row for each, named by its ends
     * (the place of a line to a border) and in the line's own look. */
    for (int i = 0; i < 4; i++) {
        char id[64];
        snprintf(id, sizeof id, "legend-swatch-distance-%d", i);
        assert_non_null(evm_test_find_item(s, EVM_LAYER_LEGEND, id));
    }
    assert_string_equal(
        evm_test_item_text(s, EVM_LAYER_LEGEND, "legend-label-distance-0"),
        "Pyongyang\xE2\x80\x93Vostochny Cosmodrome: 1,441 km");
    assert_string_equal(
        evm_test_item_text(s, EVM_LAYER_LEGEND, "legend-label-distance-3"),
        "Tikhoretsk ammunition depot: 201 km to Ukraine");
    assert_null(
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-distance"));
    assert_labels_clear(s);
    /* Every distance label placed; an event label may yield where it
     * would be nearer another marker than its own (labels.c). */
    for (size_t i = 0; i < s->n_omissions; i++) {
        print_message("omitted: %s\n", s->omissions[i].text);
        assert_true(s->omissions[i].event >= 0);
    }
    evm_scene_destroy(s);

    /* Without distances, no legend entry; in miles, miles. */
    evm_map_options_init(&mo);
    s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);
    assert_null(
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-distance"));
    assert_int_equal(s->layers[EVM_LAYER_DISTANCE_LINES].n_items, 0);
    evm_scene_destroy(s);
    mo.distances = d;
    mo.n_distances = 1;
    mo.units = EVM_UNITS_MI;
    s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);
    /* 1441.435 km is 895.67 mi. */
    assert_string_equal(
        evm_test_item_text(s, EVM_LAYER_LABELS, "distance-0-label"), "896 mi");
    evm_scene_destroy(s);
}

static void test_errors(void **state)
{
    const evm_test_map_t *f = *state;
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_map_border_distance_t b = {45, 40, "Atlantis", false, NULL, NULL};
    mo.border_distances = &b;
    mo.n_border_distances = 1;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_NOT_FOUND, NULL));
    b.country = "Iceland";
    b.land_only = true; /* an island: no land border */
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, NULL));
    evm_map_distance_t d = {95, 0, 10, 10, NULL, NULL, NULL};
    evm_map_options_init(&mo);
    mo.distances = &d;
    mo.n_distances = 1;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, NULL));
}

static void test_crowded(void **state)
{
    const evm_test_map_t *f = *state;
    const evm_events_t *ev = f->example;
    size_t n = evm_events_count(ev), k = 0;
    evm_map_distance_t d[64];
    for (size_t i = 0; i < n && k < 64; i++)
        for (size_t j = i + 1; j < n && k < 64; j++) {
            const evm_event_t *p = evm_events_get(ev, i),
                              *q = evm_events_get(ev, j);
            d[k++] = (evm_map_distance_t){p->lat_deg, p->lon_deg, q->lat_deg,
                                          q->lon_deg, NULL,       NULL,
                                          NULL};
        }
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.width_px = 500;
    mo.height_px = 320;
    mo.distances = d;
    mo.n_distances = k;
    evm_scene_t *s = evm_test_layout(f, ev, &mo, EVM_OK, NULL);
    assert_labels_clear(s);
    size_t distance_omitted = 0;
    for (size_t i = 0; i < s->n_omissions; i++)
        if (s->omissions[i].event == -1)
            distance_omitted++;
    print_message("%zu distance lines, %zu labels omitted\n", k,
                  distance_omitted);
    assert_true(distance_omitted > 0);
    evm_scene_destroy(s);
}

/* A world map cut at 180: the line from Tokyo to San Francisco ends at
 * both edges of the map, with no segment across it. */
static void test_world_cut(void **state)
{
    const evm_test_map_t *f = *state;
    evm_map_distance_t d = {35.68, 139.77, 37.77, -122.42, NULL, NULL, NULL};
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.has_extent = true;
    mo.extent[0] = -180;
    mo.extent[1] = -60;
    mo.extent[2] = 180;
    mo.extent[3] = 80;
    mo.proj = "+proj=eqearth +lon_0=0 +datum=WGS84";
    mo.distances = &d;
    mo.n_distances = 1;
    evm_scene_t *s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    const evm_item_t *line =
        evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, "distance-0");
    assert_non_null(line);
    assert_int_equal(line->path.n_subs, 2);
    double min_x = INFINITY, max_x = -INFINITY;
    for (size_t i = 0; i < line->path.n_pts; i++) {
        min_x = fmin(min_x, line->path.pts[i].x);
        max_x = fmax(max_x, line->path.pts[i].x);
    }
    /* Both parts reach the cut, which lies symmetric about the central
     * meridian in the middle of the frame (the edge of Equal Earth at
     * the crossing's latitude, 84 % of the frame's width apart). */
    double cx = s->frame.x + s->frame.w / 2;
    assert_true(fabs((max_x - cx) - (cx - min_x)) < 1);
    assert_true(max_x - min_x > 0.8 * s->frame.w);
    for (size_t k = 0; k < line->path.n_subs; k++) {
        size_t a = line->path.sub_start[k],
               n = evm_path_sub_len(&line->path, k);
        for (size_t i = 1; i < n; i++)
            assert_true(fabs(line->path.pts[a + i].x -
                             line->path.pts[a + i - 1].x) < s->frame.w / 4);
    }
    /* GeodSolve -i <<< "35.68 139.77 37.77 -122.42": 8284643.673 m. */
    const evm_item_t *l =
        evm_test_find_item(s, EVM_LAYER_LABELS, "distance-0-label");
    assert_non_null(l);
    assert_string_equal(l->text.utf8, "8,285 km");
    evm_scene_destroy(s);
}

int main(void)
{
    const struct CMUnitTest geo[] = {
        cmocka_unit_test(test_half_pixel),
        cmocka_unit_test(test_degenerate),
    };
    const struct CMUnitTest maps[] = {
        cmocka_unit_test(test_example_distances),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_crowded),
        cmocka_unit_test(test_world_cut),
    };
    int failed = cmocka_run_group_tests(geo, NULL, NULL);
    return failed + cmocka_run_group_tests(maps, evm_test_map_setup,
                                           evm_test_map_teardown);
}
