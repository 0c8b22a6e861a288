/* Route legs on maps, checked on the scene.
 *
 * The Korea-Russia route of the example (Rajin by sea to Dunai, then by
 * rail through Khabarovsk, Chita, Irkutsk, Novosibirsk, Yekaterinburg,
 * Samara and Volgograd to Tikhoretsk): one item per leg with its data,
 * the legs meeting at one page point, one arrowhead at that joint, end
 * arrowheads on the legs' last points along their last segments,
 * arrowheads along the long rail leg pointing the way it goes, every
 * point of the legs on the drawn path, labels clear of everything,
 * legend rows, features for export, style overrides by mode and by route.
 * Lengths are GeographicLib's (GeodSolve -i -p 9, see REF_*).
 *
 * Across the antimeridian (Vladivostok, Petropavlovsk-Kamchatsky,
 * Anchorage by sea) in a Pacific-centred, a Greenwich-centred and the
 * automatic projection: no segment jumps across the map, every point
 * lies within the view's clip margin, the leg over the cut is split on
 * the Greenwich map, and the arrowheads point along the lines. And maps
 * of routes alone, legs off the map, and legs that are not legs. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "geo/projection.h"
#include "geo/view.h"
#include "map/layout_internal.h"
#include "testutil.h"

/* GeodSolve -i -p 9 (GeographicLib), metres:
 *   42.2460 130.2830 42.8830 132.3550   184262.316692034  (Rajin-Dunai)
 *   and the rail leg's eight geodesics, Dunai .. Tikhoretsk (lengths;
 *   Khabarovsk-Chita leaves at azimuth -67.43452590164270,
 *   Novosibirsk-Yekaterinburg at -72.59975153369250):
 *   657189.730285623 1582337.801045888 631186.528151822 1438574.417552800
 *   1402979.345091332 780426.114102542 637203.484281123 458978.813981583
 *   summing to 7588876.234492714. */
static const double REF_SEA_M = 184262.316692034;
static const double REF_RAIL_M = 7588876.234492714;
/* 43.1155 131.8855 53.0167 158.65      2259225.873397529
 * 53.0167 158.65 61.2181 -149.9003     3155132.287092988 */
static const double REF_PACIFIC_M[2] = {2259225.873397529, 3155132.287092988};

static const evm_route_point_t SEA_PTS[] = {
    {"Rajin port", 42.2460, 130.2830, -1},
    {"Dunai port", 42.8830, 132.3550, -1},
};
static const evm_route_point_t RAIL_PTS[] = {
    {"Dunai port", 42.8830, 132.3550, -1},
    {"Khabarovsk", 48.48, 135.08, -1},
    {"Chita", 52.03, 113.50, -1},
    {"Irkutsk", 52.29, 104.28, -1},
    {"Novosibirsk", 55.03, 82.92, -1},
    {"Yekaterinburg", 56.84, 60.60, -1},
    {"Samara", 53.20, 50.15, -1},
    {"Volgograd", 48.71, 44.51, -1},
    {"Tikhoretsk ammunition depot", 45.8547, 40.1256, -1},
};
static const evm_route_point_t PACIFIC_PTS[] = {
    {"Vladivostok", 43.1155, 131.8855, -1},
    {"Petropavlovsk-Kamchatsky", 53.0167, 158.65, -1},
    {"Anchorage", 61.2181, -149.9003, -1},
};

static const char KOREA[] = "Korea\xE2\x80\x93Russia 2023";

/* The route's two legs. length_m is the reference; layout measures its
 * own. */
static void korea_legs(evm_route_leg_t legs[2])
{
    memset(legs, 0, 2 * sizeof *legs);
    legs[0] = (evm_route_leg_t){
        KOREA, 0,         1, EVM_ROUTE_SEA, SEA_PTS,   2,    "2023-09-07",
        "",    REF_SEA_M, 2, false,         REF_SEA_M, false};
    legs[1] = (evm_route_leg_t){
        KOREA, 0,          2, EVM_ROUTE_RAIL, RAIL_PTS,   9,    "2023-10-01",
        "",    REF_RAIL_M, 3, false,          REF_RAIL_M, false};
}

static void pacific_legs(evm_route_leg_t legs[2])
{
    memset(legs, 0, 2 * sizeof *legs);
    legs[0] =
        (evm_route_leg_t){"Pacific", 0, 1, EVM_ROUTE_SEA, PACIFIC_PTS, 2,    "",
                          "",        0, 2, false,         0,           false};
    legs[1] = (evm_route_leg_t){
        "Pacific", 0,     2, EVM_ROUTE_SEA, PACIFIC_PTS + 1, 2, "", "", 0,
        3,         false, 0, false};
}

/* Default map options, with these legs. */
static evm_map_options_t route_map(const evm_route_leg_t *legs, size_t n)
{
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.route_legs = legs;
    mo.n_route_legs = n;
    /* The geometry of geodesic legs against GeographicLib; sea legs
     * routed at sea are test_sea_routing's. */
    mo.sea_routing = false;
    return mo;
}

/* Default map options with the route's two legs, written to legs. */
static evm_map_options_t korea_map(evm_route_leg_t legs[2])
{
    korea_legs(legs);
    return route_map(legs, 2);
}

/* ---- scene helpers ----------------------------------------------------- */

static bool rgba_equal(evm_rgba_t a, evm_rgba_t b)
{
    return fabs(a.r - b.r) < 1e-9 && fabs(a.g - b.g) < 1e-9 &&
           fabs(a.b - b.b) < 1e-9 && fabs(a.a - b.a) < 1e-9;
}

static evm_point_t last_point(const evm_path_t *p)
{
    return p->pts[p->n_pts - 1];
}

static bool is_arrow(const evm_item_t *it)
{
    return strcmp(it->cls, "route-arrow") == 0;
}

/* Leg k (1 or 2) of route 0, which must be drawn. */
static const evm_item_t *leg_item(const evm_scene_t *s, int k)
{
    const evm_item_t *it = evm_test_find_item(
        s, EVM_LAYER_ROUTES, k == 1 ? "route-0-leg-1" : "route-0-leg-2");
    assert_non_null(it);
    return it;
}

/* The arrowhead's axis: from the middle of its base to its tip. */
static evm_point_t arrow_axis(const evm_item_t *a)
{
    const evm_point_t *p = a->path.pts;
    return (evm_point_t){p[0].x - (p[1].x + p[2].x) / 2,
                         p[0].y - (p[1].y + p[2].y) / 2};
}

/* The angle between two vectors, degrees in [0, 180]. */
static double angle_deg(evm_point_t u, evm_point_t v)
{
    double c = (u.x * v.x + u.y * v.y) / (hypot(u.x, u.y) * hypot(v.x, v.y));
    return acos(fmax(-1, fmin(1, c))) * 180 / 3.14159265358979323846;
}

static double seg_dist(evm_point_t p, evm_point_t a, evm_point_t b, double *t)
{
    double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
    *t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
    *t = fmax(0, fmin(1, *t));
    return hypot(p.x - a.x - *t * dx, p.y - a.y - *t * dy);
}

/* The distance of p from the path, and the direction of the segment
 * nearest to it. */
static double path_dist(const evm_path_t *path, evm_point_t p, evm_point_t *dir)
{
    double best = INFINITY;
    for (size_t k = 0; k < path->n_subs; k++) {
        size_t a = path->sub_start[k], n = evm_path_sub_len(path, k);
        for (size_t i = a + 1; i < a + n; i++) {
            double t, d = seg_dist(p, path->pts[i - 1], path->pts[i], &t);
            if (d < best && (path->pts[i].x != path->pts[i - 1].x ||
                             path->pts[i].y != path->pts[i - 1].y)) {
                best = d;
                if (dir)
                    *dir = (evm_point_t){path->pts[i].x - path->pts[i - 1].x,
                                         path->pts[i].y - path->pts[i - 1].y};
            }
        }
    }
    return best;
}

/* The last segment of the path with a direction. */
static evm_point_t last_direction(const evm_path_t *p)
{
    size_t k = p->n_subs - 1, a = p->sub_start[k];
    for (size_t i = p->n_pts - 1; i > a; i--) {
        evm_point_t d = {p->pts[i].x - p->pts[i - 1].x,
                         p->pts[i].y - p->pts[i - 1].y};
        if (d.x != 0 || d.y != 0)
            return d;
    }
    fail_msg("a path without a segment");
    return (evm_point_t){0, 0};
}

/* No segment of any route item longer than a quarter of the frame's
 * width, and every point within the view's 16 px clip margin. */
static void assert_no_jumps(const evm_scene_t *s)
{
    const evm_layer_t *l = &s->layers[EVM_LAYER_ROUTES];
    evm_rect_t f = s->frame;
    for (size_t j = 0; j < l->n_items; j++) {
        const evm_path_t *p = &l->items[j].path;
        for (size_t i = 0; i < p->n_pts; i++)
            if (p->pts[i].x < f.x - 16.001 ||
                p->pts[i].x > f.x + f.w + 16.001 ||
                p->pts[i].y < f.y - 16.001 || p->pts[i].y > f.y + f.h + 16.001)
                fail_msg("%s: point (%g, %g) outside the clip margin",
                         l->items[j].id, p->pts[i].x, p->pts[i].y);
        for (size_t k = 0; k < p->n_subs; k++) {
            size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
            for (size_t i = a + 1; i < a + n; i++)
                if (hypot(p->pts[i].x - p->pts[i - 1].x,
                          p->pts[i].y - p->pts[i - 1].y) > f.w / 4)
                    fail_msg("%s: a segment across the map", l->items[j].id);
        }
    }
}

/* Every arrowhead of a leg: those at the leg's last drawn point point
 * along the last segment, the others lie on the line and point along
 * it; returns how many lie along the line (not at the end). */
static size_t check_arrows(const evm_scene_t *s, const char *leg_id,
                           double *sum_dx)
{
    const evm_item_t *leg = evm_test_find_item(s, EVM_LAYER_ROUTES, leg_id);
    assert_non_null(leg);
    const evm_layer_t *l = &s->layers[EVM_LAYER_ROUTES];
    size_t along = 0, len = strlen(leg_id);
    double worst = 0;
    *sum_dx = 0;
    for (size_t j = 0; j < l->n_items; j++) {
        const evm_item_t *a = &l->items[j];
        if (!is_arrow(a) || strncmp(a->id, leg_id, len) != 0 ||
            strncmp(a->id + len, "-arrow-", 7) != 0)
            continue;
        assert_int_equal(a->path.n_pts, 3);
        assert_true(a->path.sub_closed[0]);
        assert_true(rgba_equal(a->style.fill, leg->style.stroke));
        evm_point_t axis = arrow_axis(a), tip = a->path.pts[0], dir;
        evm_point_t end = last_point(&leg->path);
        /* The end arrowhead stops at the end's marker, a few px short of
         * the end, on the line like the others. */
        if (tip.x == end.x && tip.y == end.y) {
            dir = last_direction(&leg->path);
        } else {
            double d = path_dist(&leg->path, tip, &dir);
            if (d > 1e-6)
                fail_msg("%s: tip %.3f px off the line", a->id, d);
            along += hypot(tip.x - end.x, tip.y - end.y) > 16;
        }
        double ang = angle_deg(axis, dir);
        worst = fmax(worst, ang);
        if (ang > 3)
            fail_msg("%s: %.2f degrees off the line's direction", a->id, ang);
        *sum_dx += axis.x / hypot(axis.x, axis.y);
        /* Size proportional to the line: 5.5 widths (at least 6 pt). */
        assert_true(hypot(axis.x, axis.y) >= 5.5 * leg->style.stroke_px - 1e-6);
    }
    print_message("%s: arrowheads at most %.3f degrees off the line\n", leg_id,
                  worst);
    return along;
}

/* Every label inside the frame, meeting no other label, marker,
 * arrowhead or furniture. */
static void assert_labels_clear(const evm_scene_t *s)
{
    evm_test_assert_labels_clear(s, EVM_LAYER_ROUTES, is_arrow);
}

/* The view layout used, rebuilt from the scene's projection and frame
 * and the extent it was given: an independent path to page points. */
typedef struct rebuilt {
    evm_projection_t *proj;
    evm_view_t view;
} rebuilt_t;

static void rebuild_view(const evm_test_map_t *f, const evm_scene_t *s,
                         const double extent[4], rebuilt_t *r)
{
    evm_error_t err;
    if (evm_projection_create(f->ctx->pj, s->projection, &r->proj, &err))
        fail_msg("%s: %s", s->projection, err.message);
    /* The frame's georeference, which the scene records. */
    (void)extent;
    if (evm_view_init_box(&r->view, r->proj, s->map_box, s->frame, &err))
        fail_msg("view: %s", err.message);
}

/* The end arrowhead of a leg points the way the geodesic arrives: from
 * the page point of a point 20 km before the end (from GeodSolve) to the
 * end's. */
static void check_arrival(const evm_test_map_t *f, const evm_scene_t *s,
                          const double extent[4], const char *leg_id,
                          const double before[2], const double end[2])
{
    rebuilt_t r;
    rebuild_view(f, s, extent, &r);
    double x0, y0, x1, y1;
    assert_true(evm_view_forward(&r.view, before[1], before[0], &x0, &y0));
    assert_true(evm_view_forward(&r.view, end[1], end[0], &x1, &y1));
    evm_projection_destroy(r.proj);
    const evm_item_t *leg = evm_test_find_item(s, EVM_LAYER_ROUTES, leg_id);
    evm_point_t tip = last_point(&leg->path);
    assert_true(hypot(tip.x - x1, tip.y - y1) < 1e-6);
    const evm_layer_t *l = &s->layers[EVM_LAYER_ROUTES];
    size_t found = 0;
    /* The arrowhead's tip stops at the edge of the end's marker: on the
     * line's last stretch, short of the end by at most the marker's
     * reach (1.4 radii and the outline, as markers.c draws them). */
    double reach = 0;
    const evm_layer_t *ev = &s->layers[EVM_LAYER_EVENTS];
    for (size_t j = 0; j < ev->n_items; j++) {
        evm_rect_t b = evm_test_item_box(&ev->items[j]);
        if (hypot(b.x + b.w / 2 - tip.x, b.y + b.h / 2 - tip.y) < b.w)
            reach = fmax(reach,
                         hypot(b.x + b.w / 2 - tip.x, b.y + b.h / 2 - tip.y) +
                             hypot(b.w, b.h) / 2);
    }
    for (size_t j = 0; j < l->n_items; j++) {
        const evm_item_t *a = &l->items[j];
        evm_point_t at = a->path.n_pts ? a->path.pts[0] : tip;
        if (!is_arrow(a) || hypot(at.x - tip.x, at.y - tip.y) > reach + 1e-6)
            continue;
        print_message("%s: end arrowhead %.2f px short of the end (marker "
                      "reach %.2f px)\n",
                      leg_id, hypot(at.x - tip.x, at.y - tip.y), reach);
        double ang = angle_deg(arrow_axis(a), (evm_point_t){x1 - x0, y1 - y0});
        print_message("%s: end arrowhead %.3f degrees off the arrival\n",
                      leg_id, ang);
        assert_true(ang < 3);
        found++;
    }
    assert_int_equal(found, 1);
}

/* ---- the Korea-Russia route -------------------------------------------- */

static void check_leg_items(const evm_scene_t *s)
{
    const evm_item_t *sea = leg_item(s, 1);
    const evm_item_t *rail = leg_item(s, 2);
    assert_string_equal(sea->cls, "route-leg route-sea");
    assert_string_equal(rail->cls, "route-leg route-rail");
    assert_string_equal(evm_test_item_data(sea, "route"), KOREA);
    assert_string_equal(evm_test_item_data(sea, "mode"), "sea");
    assert_string_equal(evm_test_item_data(rail, "mode"), "rail");
    assert_string_equal(evm_test_item_data(sea, "leg"), "1");
    assert_string_equal(evm_test_item_data(rail, "leg"), "2");
    assert_string_equal(evm_test_item_data(sea, "from"), "Rajin port");
    assert_string_equal(evm_test_item_data(sea, "to"), "Dunai port");
    assert_string_equal(evm_test_item_data(rail, "from"), "Dunai port");
    assert_string_equal(evm_test_item_data(rail, "to"),
                        "Tikhoretsk ammunition depot");
    /* Lengths to a millimetre of GeographicLib's. */
    assert_true(fabs(atof(evm_test_item_data(sea, "distance-km")) -
                     REF_SEA_M / 1000) < 1e-6);
    assert_true(fabs(atof(evm_test_item_data(rail, "distance-km")) -
                     REF_RAIL_M / 1000) < 1e-6);
    /* Sea dashed, rail solid with ties: a wider stroke of short dashes
     * with butt caps on the same points; round joins. */
    assert_int_equal(sea->style.n_dash, 2);
    assert_int_equal(rail->style.n_dash, 0);
    assert_int_equal(rail->style.join, EVM_JOIN_ROUND);
    assert_false(rgba_equal(sea->style.stroke, rail->style.stroke));
    const evm_item_t *ties =
        evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-2-ties");
    assert_non_null(ties);
    assert_int_equal(ties->style.n_dash, 2);
    assert_int_equal(ties->style.cap, EVM_CAP_BUTT);
    assert_true(ties->style.stroke_px > 2 * rail->style.stroke_px);
    assert_true(ties->style.dash_px[0] < ties->style.dash_px[1]);
    assert_int_equal(ties->path.n_pts, rail->path.n_pts);
    assert_memory_equal(ties->path.pts, rail->path.pts,
                        rail->path.n_pts * sizeof *rail->path.pts);
    assert_null(evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-1-ties"));
}

/* Exactly one arrowhead near the joint, and the legs meet there. */
static void check_joint(const evm_scene_t *s)
{
    const evm_item_t *sea = leg_item(s, 1);
    const evm_item_t *rail = leg_item(s, 2);
    evm_point_t joint = last_point(&sea->path), start = rail->path.pts[0];
    assert_true(joint.x == start.x && joint.y == start.y);
    assert_int_equal(sea->path.n_subs, 1);
    assert_int_equal(rail->path.n_subs, 1);
    const evm_layer_t *l = &s->layers[EVM_LAYER_ROUTES];
    size_t near = 0;
    for (size_t j = 0; j < l->n_items; j++) {
        if (!is_arrow(&l->items[j]))
            continue;
        double d = INFINITY;
        for (size_t i = 0; i < 3; i++)
            d = fmin(d, hypot(l->items[j].path.pts[i].x - joint.x,
                              l->items[j].path.pts[i].y - joint.y));
        if (d < 20) {
            near++;
            assert_string_equal(l->items[j].id, "route-0-leg-1-arrow-1");
        }
    }
    assert_int_equal(near, 1);
}

/* Every point of the legs lies on the drawn path. */
static void check_points_on_path(const evm_test_map_t *f, const evm_scene_t *s,
                                 const double extent[4])
{
    rebuilt_t r;
    rebuild_view(f, s, extent, &r);
    const evm_item_t *rail = leg_item(s, 2);
    double worst = 0;
    for (size_t i = 0; i < sizeof RAIL_PTS / sizeof RAIL_PTS[0]; i++) {
        double x, y;
        assert_true(evm_view_forward(&r.view, RAIL_PTS[i].lon_deg,
                                     RAIL_PTS[i].lat_deg, &x, &y));
        worst = fmax(worst, path_dist(&rail->path, (evm_point_t){x, y}, NULL));
    }
    print_message("rail leg: points at most %.2e px from the path\n", worst);
    assert_true(worst <= 0.5);
    /* Points 30 % along its two longest geodesics (not a sampling
     * point: sampling halves from quarters), GeodSolve -p 9 <<<
     * "48.48 135.08 -67.43452590164270 474701.340313766" and
     * "55.03 82.92 -72.59975153369250 420893.803527400" (azimuths and
     * lengths from the inverse problems in REF_*). */
    static const double mid[2][2] = {{49.95910209420403, 128.96504192371526},
                                     {55.99344506786201, 76.47497898789373}};
    for (size_t i = 0; i < 2; i++) {
        double x, y;
        assert_true(evm_view_forward(&r.view, mid[i][1], mid[i][0], &x, &y));
        double d = path_dist(&rail->path, (evm_point_t){x, y}, NULL);
        print_message("rail leg: geodesic point %zu at %.3f px\n", i, d);
        assert_true(d <= 0.5);
    }
    /* The ends are the points themselves. */
    double x, y;
    evm_view_forward(&r.view, 40.1256, 45.8547, &x, &y);
    evm_point_t end = last_point(&rail->path);
    assert_true(hypot(end.x - x, end.y - y) < 1e-6);
    evm_projection_destroy(r.proj);
}

static void check_features(const evm_scene_t *s)
{
    const evm_scene_feature_t *f = evm_test_find_feature(s, "route-0-leg-2");
    assert_non_null(f);
    assert_string_equal(f->kind, "route-leg");
    assert_int_equal(f->n_vertices, 9);
    for (size_t i = 0; i < 9; i++) {
        assert_true(f->lat_lon[2 * i] == RAIL_PTS[i].lat_deg);
        assert_true(f->lat_lon[2 * i + 1] == RAIL_PTS[i].lon_deg);
    }
    assert_string_equal(evm_test_feature_prop(f, "route")->text, KOREA);
    assert_string_equal(evm_test_feature_prop(f, "mode")->text, "rail");
    assert_string_equal(evm_test_feature_prop(f, "from")->text, "Dunai port");
    assert_string_equal(evm_test_feature_prop(f, "to")->text,
                        "Tikhoretsk ammunition depot");
    assert_string_equal(evm_test_feature_prop(f, "date")->text, "2023-10-01");
    assert_string_equal(evm_test_feature_prop(f, "label")->text,
                        "rail \xC2\xB7 7,589 km");
    assert_true(evm_test_feature_prop(f, "leg")->is_number);
    assert_true(evm_test_feature_prop(f, "leg")->number == 2);
    assert_true(fabs(evm_test_feature_prop(f, "distance_km")->number -
                     REF_RAIL_M / 1000) < 1e-6);
    const evm_scene_feature_t *g = evm_test_find_feature(s, "route-0-leg-1");
    assert_non_null(g);
    assert_int_equal(g->n_vertices, 2);
    assert_true(fabs(evm_test_feature_prop(g, "distance_km")->number -
                     REF_SEA_M / 1000) < 1e-6);
}

static void check_labels_and_legend(const evm_scene_t *s)
{
    const evm_item_t *rail =
        evm_test_find_item(s, EVM_LAYER_LABELS, "route-0-leg-2-label");
    assert_non_null(rail);
    assert_string_equal(rail->text.utf8, "rail \xC2\xB7 7,589 km");
    assert_string_equal(rail->cls, "route-label");
    assert_true(rgba_equal(rail->text.color, leg_item(s, 2)->style.stroke));
    /* The short sea leg's label is placed, or recorded as left out. */
    const evm_item_t *sea =
        evm_test_find_item(s, EVM_LAYER_LABELS, "route-0-leg-1-label");
    bool omitted = false;
    for (size_t i = 0; i < s->n_omissions; i++)
        omitted |= strcmp(s->omissions[i].text, "sea \xC2\xB7 184 km") == 0;
    assert_true(sea ? strcmp(sea->text.utf8, "sea \xC2\xB7 184 km") == 0
                    : omitted);
    assert_labels_clear(s);

    const evm_item_t *l;
    assert_non_null(
        l = evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-route-sea"));
    assert_string_equal(l->text.utf8, "Sea");
    assert_non_null(
        l = evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-route-rail"));
    assert_string_equal(l->text.utf8, "Rail");
    assert_null(
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-route-air"));
    assert_non_null(
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-swatch-route-sea"));
    assert_non_null(evm_test_find_item(s, EVM_LAYER_LEGEND,
                                       "legend-swatch-route-rail-ties"));
    assert_non_null(
        l = evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-route-0"));
    /* 184262.317 + 7588876.234 m = 7,773 km. */
    assert_string_equal(l->text.utf8,
                        "Korea\xE2\x80\x93Russia 2023: 7,773 km \xC2\xB7 "
                        "2023-09-07 \xE2\x80\x93 2023-10-01");
}

static void test_korea_route(void **state)
{
    const evm_test_map_t *f = *state;
    evm_route_leg_t legs[2];
    evm_map_options_t mo = korea_map(legs);
    evm_scene_t *s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    check_leg_items(s);
    check_joint(s);
    double extent[4];
    assert_true(evm_auto_extent_routes(f->example, legs, 2, extent));
    check_points_on_path(f, s, extent);
    /* GeodSolve -p 9 <<< "48.71 44.51 -132.11345640632726
     * 438978.813981583": 20 km before Tikhoretsk on the last geodesic. */
    static const double before[2] = {45.98253608647956, 40.30703343516581},
                        tikhoretsk[2] = {45.8547, 40.1256};
    check_arrival(f, s, extent, "route-0-leg-2", before, tikhoretsk);
    check_features(s);
    check_labels_and_legend(s);

    /* End arrowheads on both legs; arrowheads along the rail leg, on it,
     * pointing its way: westward overall. */
    double dx;
    assert_int_equal(check_arrows(s, "route-0-leg-1", &dx), 0);
    size_t along = check_arrows(s, "route-0-leg-2", &dx);
    print_message("rail leg: %zu arrowheads along it, mean x of their "
                  "axes %.2f\n",
                  along, dx / (double)(along + 1));
    assert_true(along >= 3);
    assert_true(dx < -0.5 * (double)along);
    assert_non_null(
        evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-1-arrow-1"));
    evm_scene_destroy(s);
}

/* ---- styles ------------------------------------------------------------ */

static void test_style_overrides(void **state)
{
    const evm_test_map_t *f = *state;
    evm_route_leg_t legs[2];
    evm_map_options_t mo = korea_map(legs);
    const evm_rgba_t red = {1, 0, 0, 1}, green = {0, 0.5, 0, 1};
    evm_map_route_style_t st[3];
    memset(st, 0, sizeof st);
    /* By route, given first: still wins over the modes'. */
    st[0].route = KOREA;
    st[0].mode = EVM_ROUTE_SEA; /* not read for a route's entry */
    st[0].has_color = true;
    st[0].color = green;
    /* Every mode: 3 pt wide. */
    st[1].mode = -1;
    st[1].width_pt = 3;
    /* Rail: red, dashed 4 2. */
    st[2].mode = EVM_ROUTE_RAIL;
    st[2].has_color = true;
    st[2].color = red;
    st[2].has_dash = true;
    st[2].dash_pt[0] = 4;
    st[2].dash_pt[1] = 2;
    st[2].n_dash = 2;
    mo.route_styles = st + 1; /* modes only */
    mo.n_route_styles = 2;
    evm_scene_t *s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    const double pt = 96.0 / 72.0;
    const evm_item_t *sea = leg_item(s, 1), *rail = leg_item(s, 2);
    assert_true(rgba_equal(rail->style.stroke, red));
    assert_false(rgba_equal(sea->style.stroke, red));
    assert_true(fabs(sea->style.stroke_px - 3 * pt) < 1e-9);
    assert_true(fabs(rail->style.stroke_px - 3 * pt) < 1e-9);
    assert_int_equal(rail->style.n_dash, 2);
    assert_true(fabs(rail->style.dash_px[0] - 4 * pt) < 1e-9);
    const evm_item_t *ties =
        evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-2-ties");
    assert_true(rgba_equal(ties->style.stroke, red));
    assert_true(ties->style.stroke_px > 2 * 3 * pt);
    assert_true(rgba_equal(
        evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-2-arrow-1")
            ->style.fill,
        red));
    const evm_item_t *sw =
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-swatch-route-rail");
    assert_true(rgba_equal(sw->style.stroke, red));
    evm_rgba_t sea_default = sea->style.stroke;
    evm_scene_destroy(s);

    /* With the route's entry: both legs green, the widths of the modes'
     * entry kept; the legend's mode swatches keep the modes' colours. */
    mo.route_styles = st;
    mo.n_route_styles = 3;
    s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    sea = leg_item(s, 1);
    rail = leg_item(s, 2);
    assert_true(rgba_equal(sea->style.stroke, green));
    assert_true(rgba_equal(rail->style.stroke, green));
    assert_true(fabs(rail->style.stroke_px - 3 * pt) < 1e-9);
    assert_true(rgba_equal(
        evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-1-arrow-1")
            ->style.fill,
        green));
    const evm_item_t *label =
        evm_test_find_item(s, EVM_LAYER_LABELS, "route-0-leg-2-label");
    assert_non_null(label);
    assert_true(rgba_equal(label->text.color, green));
    sw = evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-swatch-route-rail");
    assert_true(rgba_equal(sw->style.stroke, red));
    sw = evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-swatch-route-sea");
    assert_true(rgba_equal(sw->style.stroke, sea_default));
    evm_scene_destroy(s);

    /* Entries that are not styles. */
    evm_error_t err;
    st[2].mode = 9;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, &err));
    assert_non_null(strstr(err.message, "route style 3"));
    st[2].mode = EVM_ROUTE_RAIL;
    st[1].width_pt = -1;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, &err));
    assert_non_null(strstr(err.message, "route style 2"));
    st[1].width_pt = 3;
    st[2].dash_pt[0] = st[2].dash_pt[1] = 0;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, &err));
    st[2].dash_pt[0] = 4;
    st[2].n_dash = 5;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, &err));
}

/* Six modes, six looks: no two share colour and dash pattern. */
static void test_mode_defaults(void **state)
{
    const evm_test_map_t *f = *state;
    evm_route_leg_t legs[EVM_ROUTE_MODE_COUNT];
    static const evm_route_point_t pts[EVM_ROUTE_MODE_COUNT][2] = {
        {{"a", 40, 100, -1}, {"b", 40, 120, -1}},
        {{"a", 42, 100, -1}, {"b", 42, 120, -1}},
        {{"a", 44, 100, -1}, {"b", 44, 120, -1}},
        {{"a", 46, 100, -1}, {"b", 46, 120, -1}},
        {{"a", 48, 100, -1}, {"b", 48, 120, -1}},
        {{"a", 50, 100, -1}, {"b", 50, 120, -1}},
    };
    memset(legs, 0, sizeof legs);
    for (int m = 0; m < EVM_ROUTE_MODE_COUNT; m++)
        legs[m] = (evm_route_leg_t){
            "",    (size_t)m, 1,    (evm_route_mode)m, pts[m], 2, "", "", 0, 2,
            false, 0,         false};
    evm_map_options_t mo = route_map(legs, EVM_ROUTE_MODE_COUNT);
    evm_scene_t *s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    const evm_item_t *it[EVM_ROUTE_MODE_COUNT];
    static const char *const cls[] = {"route-sea",   "route-rail",
                                      "route-road",  "route-air",
                                      "route-river", "route-other"};
    for (int m = 0; m < EVM_ROUTE_MODE_COUNT; m++) {
        char id[32], want[48];
        snprintf(id, sizeof id, "route-%d-leg-1", m);
        it[m] = evm_test_find_item(s, EVM_LAYER_ROUTES, id);
        assert_non_null(it[m]);
        snprintf(want, sizeof want, "route-leg %s", cls[m]);
        assert_string_equal(it[m]->cls, want);
        assert_true(it[m]->style.stroke_px >= 1.3 * 96.0 / 72.0);
        for (int k = 0; k < m; k++)
            assert_false(rgba_equal(it[m]->style.stroke, it[k]->style.stroke));
    }
    /* Air dotted: round caps, dashes shorter than the width. */
    assert_int_equal(it[EVM_ROUTE_AIR]->style.cap, EVM_CAP_ROUND);
    assert_true(it[EVM_ROUTE_AIR]->style.dash_px[0] <
                it[EVM_ROUTE_AIR]->style.stroke_px);
    assert_int_equal(it[EVM_ROUTE_SEA]->style.n_dash, 2);
    assert_int_equal(it[EVM_ROUTE_OTHER]->style.n_dash, 4);
    assert_int_equal(it[EVM_ROUTE_ROAD]->style.n_dash, 0);
    assert_int_equal(it[EVM_ROUTE_RIVER]->style.n_dash, 0);
    /* Unnamed routes in the legend: first from and last to. */
    const evm_item_t *l =
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-route-3");
    assert_non_null(l);
    /* GeodSolve -i <<< "46 100 46 120": 1545175.107 m. */
    assert_string_equal(l->text.utf8, "a \xE2\x86\x92 b: 1,545 km");
    evm_scene_destroy(s);
}

/* ---- dates and labels -------------------------------------------------- */

static void test_dates(void **state)
{
    const evm_test_map_t *f = *state;
    evm_route_leg_t legs[2];
    evm_map_options_t mo = korea_map(legs);
    legs[1].label = "Trans-Siberian";
    mo.route_dates = EVM_ROUTE_DATES_LABELS;
    evm_scene_t *s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    assert_string_equal(
        evm_test_item_text(s, EVM_LAYER_LABELS, "route-0-leg-2-label"),
        "Trans-Siberian \xC2\xB7 2023-10-01");
    assert_string_equal(
        evm_test_item_text(s, EVM_LAYER_LEGEND, "legend-label-route-0"),
        "Korea\xE2\x80\x93Russia 2023: 7,773 km");
    evm_scene_destroy(s);

    mo.route_dates = EVM_ROUTE_DATES_NONE;
    legs[0].date = "";
    s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    assert_string_equal(
        evm_test_item_text(s, EVM_LAYER_LABELS, "route-0-leg-2-label"),
        "Trans-Siberian");
    evm_scene_destroy(s);

    /* One date: shown once; in miles. */
    mo.route_dates = EVM_ROUTE_DATES_BOTH;
    mo.units = EVM_UNITS_MI;
    s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    /* 7773138.551 m / 1609.344 = 4830.0 mi. */
    assert_string_equal(
        evm_test_item_text(s, EVM_LAYER_LEGEND, "legend-label-route-0"),
        "Korea\xE2\x80\x93Russia 2023: 4,830 mi \xC2\xB7 2023-10-01");
    evm_scene_destroy(s);
}

/* ---- the antimeridian -------------------------------------------------- */

static void check_pacific(const evm_scene_t *s, size_t min_subs_leg2,
                          double east_sign)
{
    assert_no_jumps(s);
    const evm_item_t *l1 = leg_item(s, 1);
    const evm_item_t *l2 = leg_item(s, 2);
    if (l2->path.n_subs < min_subs_leg2)
        fail_msg("%s: %zu subpaths", s->projection, l2->path.n_subs);
    evm_point_t joint = last_point(&l1->path);
    assert_true(joint.x == l2->path.pts[0].x && joint.y == l2->path.pts[0].y);
    double dx;
    check_arrows(s, "route-0-leg-1", &dx);
    /* Vladivostok to Kamchatka heads east, on this map by east_sign. */
    assert_true(dx * east_sign > 0);
    check_arrows(s, "route-0-leg-2", &dx);
    assert_true(dx * east_sign > 0);
    assert_non_null(
        evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-1-arrow-1"));
    /* The arrowhead at Anchorage: the end of leg 2's last subpath. */
    const evm_layer_t *r = &s->layers[EVM_LAYER_ROUTES];
    evm_point_t end = last_point(&l2->path);
    size_t at_end = 0;
    for (size_t j = 0; j < r->n_items; j++)
        at_end += is_arrow(&r->items[j]) &&
                  r->items[j].path.pts[0].x == end.x &&
                  r->items[j].path.pts[0].y == end.y;
    assert_int_equal(at_end, 1);
    const evm_scene_feature_t *f = evm_test_find_feature(s, "route-0-leg-2");
    assert_true(fabs(evm_test_feature_prop(f, "distance_km")->number -
                     REF_PACIFIC_M[1] / 1000) < 1e-6);
}

static void test_antimeridian(void **state)
{
    const evm_test_map_t *f = *state;
    evm_route_leg_t legs[2];
    pacific_legs(legs);
    evm_map_options_t mo = route_map(legs, 2);

    /* Pacific-centred, extent chosen from the route's points. */
    mo.proj = "+proj=eqearth +lon_0=180 +datum=WGS84";
    evm_scene_t *s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    check_pacific(s, 1, 1);
    assert_int_equal(leg_item(s, 2)->path.n_subs, 1);
    evm_scene_destroy(s);

    /* The projection layout chooses. */
    mo.proj = NULL;
    s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    print_message("automatic: %s\n", s->projection);
    check_pacific(s, 1, 1);
    evm_scene_destroy(s);

    /* Greenwich-centred world map: leg 2 crosses the cut at 180. */
    mo.proj = "+proj=eqearth +lon_0=0 +datum=WGS84";
    mo.has_extent = true;
    const double world[4] = {-180, -80, 180, 85};
    memcpy(mo.extent, world, sizeof world);
    s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    check_pacific(s, 2, 1);
    const evm_item_t *l2 = leg_item(s, 2);
    /* Its pieces end at opposite edges: Anchorage's on the left. */
    assert_true(last_point(&l2->path).x < s->frame.x + s->frame.w / 2);
    assert_true(l2->path.pts[0].x > s->frame.x + s->frame.w / 2);
    print_message("world map: leg 2 in %zu subpaths\n", l2->path.n_subs);
    /* GeodSolve -p 9 <<< "53.0167 158.65 52.65860519076519
     * 3135132.287092988": 20 km before Anchorage. */
    static const double before[2] = {61.23890907964238, -150.27010184044121},
                        anchorage[2] = {61.2181, -149.9003};
    check_arrival(f, s, world, "route-0-leg-2", before, anchorage);
    evm_scene_destroy(s);
}

/* ---- sea legs routed at sea -------------------------------------------- */

/* The Pacific legs with sea routing on (the default): each leg's feature
 * runs from its port to the next through vertices at sea, its length is
 * the sum of the geodesics between them (GeographicLib through
 * evm_geodesic_inverse), longer than the port-to-port geodesic, and the
 * item and the legend say so; sea routing off keeps the geodesic. */
static void test_sea_routing(void **state)
{
    const evm_test_map_t *f = *state;
    evm_route_leg_t legs[2];
    pacific_legs(legs);
    evm_map_options_t mo = route_map(legs, 2);
    mo.sea_routing = true;
    evm_scene_t *s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    for (int k = 1; k <= 2; k++) {
        char id[32];
        snprintf(id, sizeof id, "route-0-leg-%d", k);
        const evm_scene_feature_t *ft = NULL;
        for (size_t i = 0; i < s->n_features; i++)
            if (strcmp(s->features[i].id, id) == 0)
                ft = &s->features[i];
        assert_non_null(ft);
        assert_true(ft->n_vertices > 2);
        const evm_route_point_t *a = &legs[k - 1].points[0],
                                *b = &legs[k - 1].points[1];
        assert_true(ft->lat_lon[0] == a->lat_deg &&
                    ft->lat_lon[1] == a->lon_deg);
        assert_true(ft->lat_lon[2 * ft->n_vertices - 2] == b->lat_deg &&
                    ft->lat_lon[2 * ft->n_vertices - 1] == b->lon_deg);
        double along = 0, direct;
        for (size_t i = 1; i < ft->n_vertices; i++) {
            double s12;
            evm_geodesic_inverse(ft->lat_lon[2 * i - 2], ft->lat_lon[2 * i - 1],
                                 ft->lat_lon[2 * i], ft->lat_lon[2 * i + 1],
                                 &s12, NULL, NULL);
            along += s12;
        }
        evm_geodesic_inverse(a->lat_deg, a->lon_deg, b->lat_deg, b->lon_deg,
                             &direct, NULL, NULL);
        assert_true(fabs(evm_test_feature_prop(ft, "distance_km")->number -
                         along / 1000) < 1e-6);
        assert_true(fabs(evm_test_feature_prop(ft, "geodesic_km")->number -
                         direct / 1000) < 1e-6);
        assert_true(along > direct);
        assert_string_equal(evm_test_feature_prop(ft, "routing")->text, "sea");
        const evm_item_t *it = leg_item(s, k);
        assert_string_equal(evm_test_item_data(it, "routing"), "sea");
        assert_true(fabs(atof(evm_test_item_data(it, "distance-km")) -
                         along / 1000) < 1e-6);
    }
    assert_int_equal(s->n_warnings, 0);
    evm_scene_destroy(s);

    /* An inland end: drawn as a geodesic, and a warning says why. */
    evm_route_point_t inland[2] = {{"Moscow", 55.7558, 37.6173, -1},
                                   {"Vladivostok", 43.1155, 131.8855, -1}};
    legs[0].points = inland;
    s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    assert_int_equal(s->n_warnings, 1);
    assert_non_null(strstr(s->warnings[0], "Moscow is more than 60 km from "
                                           "the sea; drawn as a geodesic"));
    assert_string_equal(evm_test_item_data(leg_item(s, 1), "routing"),
                        "geodesic");
    evm_scene_destroy(s);
}

/* --via-labels: the rail leg's seven named via points (no event stands
 * on them) each get a dot on the drawn line and an italic label beside
 * it, quieter (smaller) than event labels, or an omission saying why;
 * none without the option, and none for via points given as coordinates. */
static void test_via_labels(void **state)
{
    const evm_test_map_t *f = *state;
    evm_route_leg_t legs[2];
    evm_map_options_t mo = korea_map(legs);
    mo.via_labels = true;
    evm_scene_t *s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    const evm_item_t *rail = leg_item(s, 2);
    size_t drawn = 0, omitted = 0;
    for (size_t k = 1; k + 1 < legs[1].n_points; k++) {
        char id[64];
        snprintf(id, sizeof id, "via-label-1-%zu", k);
        const evm_item_t *t = evm_test_find_item(s, EVM_LAYER_LABELS, id);
        if (!t) {
            bool listed = false;
            for (size_t i = 0; i < s->n_omissions; i++)
                listed |=
                    strcmp(s->omissions[i].text, legs[1].points[k].name) == 0 &&
                    strstr(s->omissions[i].reason, "via point") != NULL;
            assert_true(listed);
            omitted++;
            continue;
        }
        drawn++;
        assert_string_equal(t->text.utf8, legs[1].points[k].name);
        assert_true(t->text.italic);
        snprintf(id, sizeof id, "via-1-%zu", k);
        const evm_item_t *dot = evm_test_find_item(s, EVM_LAYER_LABELS, id);
        assert_non_null(dot);
        assert_true(path_dist(&rail->path, dot->center, NULL) <= 0.5);
        /* The label beside its dot. */
        evm_rect_t b = t->text.box;
        double dx =
            fmax(0, fmax(b.x - dot->center.x, dot->center.x - (b.x + b.w)));
        double dy =
            fmax(0, fmax(b.y - dot->center.y, dot->center.y - (b.y + b.h)));
        assert_true(hypot(dx, dy) < 12 * s->dpi / 72);
    }
    print_message("via labels: %zu drawn, %zu omitted\n", drawn, omitted);
    assert_true(drawn >= 5);
    evm_test_assert_labels_clear(s, EVM_LAYER_EVENTS, NULL);
    evm_scene_destroy(s);

    /* Off by default; coordinates are no names. */
    mo.via_labels = false;
    s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    assert_null(evm_test_find_item(s, EVM_LAYER_LABELS, "via-label-1-1"));
    evm_scene_destroy(s);
    evm_route_point_t coords[3] = {
        RAIL_PTS[0], {"48.48 135.08", 48.48, 135.08, -1}, RAIL_PTS[8]};
    legs[1].points = coords;
    legs[1].n_points = 3;
    mo.via_labels = true;
    s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    assert_null(evm_test_find_item(s, EVM_LAYER_LABELS, "via-label-1-1"));
    evm_scene_destroy(s);
}

/* ---- routes alone, off the map, and not legs --------------------------- */

static void test_routes_only(void **state)
{
    const evm_test_map_t *f = *state;
    evm_route_leg_t legs[2];
    evm_map_options_t mo = korea_map(legs);
    evm_scene_t *s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    /* Every waypoint is on the map: each leg ends in the frame with an
     * arrowhead, and every point is inside the frame. */
    const evm_item_t *rail = leg_item(s, 2);
    assert_int_equal(rail->path.n_subs, 1);
    for (size_t i = 0; i < rail->path.n_pts; i++) {
        evm_point_t p = rail->path.pts[i];
        assert_true(p.x > s->frame.x && p.x < s->frame.x + s->frame.w);
        assert_true(p.y > s->frame.y && p.y < s->frame.y + s->frame.h);
    }
    double dx;
    check_arrows(s, "route-0-leg-2", &dx);
    assert_non_null(
        evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-1-arrow-1"));
    assert_int_equal(s->layers[EVM_LAYER_EVENTS].n_items, 0);
    assert_non_null(
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-route-0"));
    evm_scene_destroy(s);

    /* Nothing at all to map. */
    mo.n_route_legs = 0;
    assert_null(evm_test_layout(f, NULL, &mo, EVM_ERR_INVALID_ARG, NULL));

    /* A map of Korea: the rail leg leaves it, the sea leg is on it. */
    mo.n_route_legs = 2;
    mo.has_extent = true;
    const double korea[4] = {124, 33, 134, 44};
    memcpy(mo.extent, korea, sizeof korea);
    s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    rail = leg_item(s, 2);
    /* It leaves the frame: no arrowhead at its (far) end. */
    evm_point_t end = last_point(&rail->path);
    assert_false(end.x > s->frame.x && end.x < s->frame.x + s->frame.w &&
                 end.y > s->frame.y && end.y < s->frame.y + s->frame.h);
    const evm_layer_t *r = &s->layers[EVM_LAYER_ROUTES];
    for (size_t j = 0; j < r->n_items; j++)
        if (is_arrow(&r->items[j]))
            for (size_t i = 0; i < 3; i++) {
                evm_point_t p = r->items[j].path.pts[i];
                assert_true(p.x >= s->frame.x &&
                            p.x <= s->frame.x + s->frame.w);
                assert_true(p.y >= s->frame.y &&
                            p.y <= s->frame.y + s->frame.h);
            }
    /* Its label on the part that shows. */
    const evm_item_t *lab =
        evm_test_find_item(s, EVM_LAYER_LABELS, "route-0-leg-2-label");
    assert_non_null(lab);
    evm_rect_t lb = lab->text.box;
    evm_point_t c = {lb.x + lb.w / 2, lb.y + lb.h / 2};
    assert_true(path_dist(&rail->path, c, NULL) < lb.w / 2 + lb.h);
    assert_labels_clear(s);
    evm_scene_destroy(s);

    /* A map of Europe: neither leg's end nor the sea leg shows; the
     * features are there all the same, the legend has only what shows. */
    const double europe[4] = {-10, 35, 20, 60};
    memcpy(mo.extent, europe, sizeof europe);
    s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    assert_null(evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-1"));
    assert_null(evm_test_find_item(s, EVM_LAYER_ROUTES, "route-0-leg-2"));
    assert_non_null(evm_test_find_feature(s, "route-0-leg-1"));
    assert_non_null(evm_test_find_feature(s, "route-0-leg-2"));
    assert_null(
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-route-sea"));
    assert_null(
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-route-0"));
    evm_scene_destroy(s);
}

static bool path_meets_rect(const evm_path_t *p, evm_rect_t r)
{
    /* Sampled every 0.25 px: enough for boxes tens of px across. */
    for (size_t k = 0; k < p->n_subs; k++) {
        size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
        for (size_t i = a + 1; i < a + n; i++) {
            evm_point_t u = p->pts[i - 1], v = p->pts[i];
            double len = hypot(v.x - u.x, v.y - u.y);
            for (double t = 0; t <= len; t += 0.25) {
                double x = u.x + (v.x - u.x) * t / len,
                       y = u.y + (v.y - u.y) * t / len;
                if (x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h)
                    return true;
            }
        }
    }
    return false;
}

/* A map with no markers, crossed along its top by a route: the legend
 * leaves its first choice, the top right corner, for one the route does
 * not cross. */
static void test_legend_avoids_routes(void **state)
{
    const evm_test_map_t *f = *state;
    /* Along 59 N on a Mercator map of 100..140 E, 30..60 N: under
     * the top edge of the frame, from far outside it on both sides. */
    static const evm_route_point_t top[] = {
        {"west", 59, 70, -1}, {"a", 59, 80, -1},    {"b", 59, 90, -1},
        {"c", 59, 100, -1},   {"d", 59, 110, -1},   {"e", 59, 120, -1},
        {"f", 59, 130, -1},   {"g", 59, 140, -1},   {"h", 59, 150, -1},
        {"i", 59, 160, -1},   {"east", 59, 170, -1}};
    evm_route_leg_t leg = {"Top", 0, 1, EVM_ROUTE_ROAD, top, 11,   "",
                           "",    0, 2, false,          0,   false};
    evm_map_options_t mo = route_map(&leg, 1);
    mo.proj = "+proj=merc +datum=WGS84";
    mo.has_extent = true;
    const double extent[4] = {100, 30, 140, 60};
    memcpy(mo.extent, extent, sizeof extent);
    evm_scene_t *s = evm_test_layout(f, NULL, &mo, EVM_OK, NULL);
    const evm_item_t *line = leg_item(s, 1);
    const evm_item_t *box =
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-box");
    assert_non_null(box);
    evm_rect_t b = evm_test_item_box(box);
    double inset = 10 * 96.0 / 72.0;
    evm_rect_t top_right = {s->frame.x + s->frame.w - inset - b.w,
                            s->frame.y + inset, b.w, b.h};
    assert_true(path_meets_rect(&line->path, top_right));
    assert_false(path_meets_rect(&line->path, b));
    print_message("legend at (%.0f, %.0f), the route at y %.0f..%.0f\n", b.x,
                  b.y, evm_test_item_box(line).y,
                  evm_test_item_box(line).y + evm_test_item_box(line).h);
    evm_scene_destroy(s);
}

/* Event labels keep off route lines where a position round the marker
 * allows: the example's rail leg ends at Tikhoretsk and passes
 * Vostochny, whose first-choice label positions (right) lie on it. */
static void test_event_labels_off_routes(void **state)
{
    const evm_test_map_t *f = *state;
    evm_route_leg_t legs[2];
    evm_map_options_t mo = korea_map(legs);
    evm_scene_t *s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    const evm_layer_t *labels = &s->layers[EVM_LAYER_LABELS];
    const evm_layer_t *routes = &s->layers[EVM_LAYER_ROUTES];
    size_t n_event_labels = 0;
    for (size_t i = 0; i < labels->n_items; i++) {
        const evm_item_t *l = &labels->items[i];
        if (l->event < 0 || l->kind != EVM_ITEM_TEXT)
            continue; /* a line's label or a leader */
        n_event_labels++;
        for (size_t k = 0; k < routes->n_items; k++) {
            const evm_item_t *r = &routes->items[k];
            if (strcmp(r->cls, "route-arrow") != 0 &&
                path_meets_rect(&r->path, evm_test_item_box(l)))
                fail_msg("label %s lies on %s", l->id, r->id);
        }
    }
    assert_int_equal(n_event_labels, 10);
    evm_scene_destroy(s);
}

static void test_bad_legs(void **state)
{
    const evm_test_map_t *f = *state;
    evm_route_leg_t legs[2];
    evm_map_options_t mo = korea_map(legs);
    evm_error_t err;
    legs[1].n_points = 1;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, &err));
    assert_non_null(strstr(err.message, "route leg 2"));
    korea_legs(legs);
    evm_route_point_t bad[2] = {{"x", 95, 0, -1}, {"y", 10, 10, -1}};
    legs[0].points = bad;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, &err));
    assert_non_null(strstr(err.message, "latitude"));
    bad[0].lat_deg = 10;
    bad[0].lon_deg = NAN;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, &err));
    korea_legs(legs);
    legs[0].mode = (evm_route_mode)7;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, &err));
    assert_non_null(strstr(err.message, "mode"));
    korea_legs(legs);
    mo.route_legs = NULL;
    assert_null(evm_test_layout(f, f->example, &mo, EVM_ERR_INVALID_ARG, &err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_korea_route),
        cmocka_unit_test(test_style_overrides),
        cmocka_unit_test(test_mode_defaults),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_antimeridian),
        cmocka_unit_test(test_sea_routing),
        cmocka_unit_test(test_via_labels),
        cmocka_unit_test(test_routes_only),
        cmocka_unit_test(test_legend_avoids_routes),
        cmocka_unit_test(test_event_labels_off_routes),
        cmocka_unit_test(test_bad_legs),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
