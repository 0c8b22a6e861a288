/* Labels of lines on the maps a graphics desk would draw: the
 * trans-Pacific distances over the North Pacific crossing, the example's
 * distance map and its route map. Every label of a distance line, a line
 * to a border or a route leg must read as its own line's: nearer to it
 * than to any other line by 4 px, or naming both ends, or tied to it by
 * a leader; none within 6 px of a crossing of two lines. Arrowheads stop
 * outside markers. Turned labels look alike in PNG, PDF and SVG.
 *
 * The geometry here (distances between a turned box and a polyline,
 * crossings, points in markers) is written afresh from the scene, not
 * taken from the layout code it checks. */
#define _POSIX_C_SOURCE 200809L
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

#define EXAMPLE_DIR EVM_SOURCE_DIR "/examples"

/* ---- geometry --------------------------------------------------------- */

static double seg_point(evm_point_t p, evm_point_t a, evm_point_t b)
{
    double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(a.x + t * dx - p.x, a.y + t * dy - p.y);
}

static double orient(evm_point_t a, evm_point_t b, evm_point_t c)
{
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

/* Whether segments a-b and c-d cross properly, and where. */
static bool crossing(evm_point_t a, evm_point_t b, evm_point_t c, evm_point_t d,
                     evm_point_t *at)
{
    double d1 = orient(c, d, a), d2 = orient(c, d, b);
    double d3 = orient(a, b, c), d4 = orient(a, b, d);
    if (!(((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
          ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))))
        return false;
    double t = d1 / (d1 - d2);
    *at = (evm_point_t){a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
    return true;
}

static bool in_quad(const evm_point_t q[4], evm_point_t p)
{
    int pos = 0, neg = 0;
    for (int i = 0; i < 4; i++) {
        double o = orient(q[i], q[(i + 1) % 4], p);
        pos += o > 0;
        neg += o < 0;
    }
    return !(pos && neg);
}

static double quad_point(const evm_point_t q[4], evm_point_t p)
{
    if (in_quad(q, p))
        return 0;
    double d = INFINITY;
    for (int i = 0; i < 4; i++)
        d = fmin(d, seg_point(p, q[i], q[(i + 1) % 4]));
    return d;
}

static double quad_segment(const evm_point_t q[4], evm_point_t a, evm_point_t b)
{
    evm_point_t at;
    if (in_quad(q, a) || in_quad(q, b))
        return 0;
    double d = INFINITY;
    for (int i = 0; i < 4; i++) {
        evm_point_t u = q[i], v = q[(i + 1) % 4];
        if (crossing(u, v, a, b, &at))
            return 0;
        d = fmin(d, fmin(seg_point(u, a, b), seg_point(v, a, b)));
        d = fmin(d, fmin(seg_point(a, u, v), seg_point(b, u, v)));
    }
    return d;
}

static double quad_path(const evm_point_t q[4], const evm_path_t *p)
{
    double d = INFINITY;
    for (size_t k = 0; k < p->n_subs; k++) {
        size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
        for (size_t i = a + 1; i < a + n; i++)
            d = fmin(d, quad_segment(q, p->pts[i - 1], p->pts[i]));
    }
    return d;
}

/* ---- the lines of a scene ---------------------------------------------- */

/* The drawn lines: distance lines, lines to a border and route legs (not
 * end marks, highlighted outlines, ties or arrowheads). */
static bool is_line(const evm_item_t *it)
{
    if (it->kind != EVM_ITEM_PATH)
        return false;
    return strcmp(it->cls, "distance") == 0 ||
           strcmp(it->cls, "border-distance") == 0 ||
           strncmp(it->cls, "route-leg ", 10) == 0;
}

typedef struct lines {
    const evm_item_t *it[64];
    size_t n;
} lines_t;

static void collect_lines(const evm_scene_t *s, lines_t *out)
{
    out->n = 0;
    const evm_layer_id ls[] = {EVM_LAYER_DISTANCE_LINES, EVM_LAYER_ROUTES};
    for (int l = 0; l < 2; l++) {
        const evm_layer_t *layer = &s->layers[ls[l]];
        for (size_t i = 0; i < layer->n_items; i++)
            if (is_line(&layer->items[i]) && out->n < 64)
                out->it[out->n++] = &layer->items[i];
    }
}

/* Crossings of two different lines. */
static size_t crossings(const lines_t *ls, evm_point_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t a = 0; a < ls->n; a++)
        for (size_t b = a + 1; b < ls->n; b++) {
            const evm_path_t *p = &ls->it[a]->path, *q = &ls->it[b]->path;
            for (size_t i = 1; i < p->n_pts; i++)
                for (size_t j = 1; j < q->n_pts; j++) {
                    evm_point_t at;
                    /* Not across a break between subpaths. */
                    bool pi = true, qj = true;
                    for (size_t k = 0; k < p->n_subs; k++)
                        pi = pi && p->sub_start[k] != i;
                    for (size_t k = 0; k < q->n_subs; k++)
                        qj = qj && q->sub_start[k] != j;
                    if (pi && qj &&
                        crossing(p->pts[i - 1], p->pts[i], q->pts[j - 1],
                                 q->pts[j], &at) &&
                        n < cap)
                        out[n++] = at;
                }
        }
    return n;
}

/* The line a label belongs to: its id less "-label". */
static size_t own_line(const lines_t *ls, const evm_item_t *label)
{
    size_t n = strlen(label->id) - strlen("-label");
    for (size_t i = 0; i < ls->n; i++)
        if (strlen(ls->it[i]->id) == n &&
            strncmp(ls->it[i]->id, label->id, n) == 0)
            return i;
    fail_msg("label %s has no line", label->id);
    return 0;
}

static const evm_item_t *leader_of(const evm_scene_t *s, const char *label_id)
{
    char id[160];
    snprintf(id, sizeof id, "%s-leader", label_id);
    return evm_test_find_item(s, EVM_LAYER_LABELS, id);
}

typedef struct verdict {
    size_t labels, nearest, named, leader;
} verdict_t;

/* Checks every line label of s and counts how each reads as its line's. */
static verdict_t check_line_labels(const evm_scene_t *s)
{
    lines_t ls;
    collect_lines(s, &ls);
    evm_point_t xs[4096];
    size_t nx = crossings(&ls, xs, 4096);
    verdict_t v = {0};
    const evm_layer_t *labels = &s->layers[EVM_LAYER_LABELS];
    for (size_t i = 0; i < labels->n_items; i++) {
        const evm_item_t *t = &labels->items[i];
        size_t len = strlen(t->id);
        if (t->kind != EVM_ITEM_TEXT || t->event >= 0 || len < 7 ||
            strcmp(t->id + len - 6, "-label") != 0)
            continue;
        v.labels++;
        size_t own = own_line(&ls, t);
        evm_point_t q[4];
        evm_test_text_quad(&t->text, q);
        double own_d = quad_path(q, &ls.it[own]->path), other_d = INFINITY;
        for (size_t k = 0; k < ls.n; k++)
            if (k != own)
                other_d = fmin(other_d, quad_path(q, &ls.it[k]->path));
        for (size_t k = 0; k < nx; k++)
            if (quad_point(q, xs[k]) < 6)
                fail_msg("label %s (\"%s\") is %.1f px from a crossing at "
                         "%.1f, %.1f",
                         t->id, t->text.utf8, quad_point(q, xs[k]), xs[k].x,
                         xs[k].y);
        const evm_item_t *leader = leader_of(s, t->id);
        if (leader) {
            /* Joined: from a point of its own line to the text's box,
             * crossing no other line. */
            evm_point_t a = leader->path.pts[0], b = leader->path.pts[1];
            double on_line = INFINITY;
            const evm_path_t *p = &ls.it[own]->path;
            for (size_t k = 1; k < p->n_pts; k++)
                on_line = fmin(on_line, seg_point(a, p->pts[k - 1], p->pts[k]));
            assert_true(on_line < 0.5);
            assert_true(quad_point(q, b) < 0.5);
            for (size_t k = 0; k < ls.n; k++) {
                const evm_path_t *o = &ls.it[k]->path;
                for (size_t j = 1; k != own && j < o->n_pts; j++) {
                    evm_point_t at;
                    if (crossing(a, b, o->pts[j - 1], o->pts[j], &at))
                        fail_msg("the leader of %s crosses %s", t->id,
                                 ls.it[k]->id);
                }
            }
            v.leader++;
        }
        /* On a leader or not, nearer its own line by 4 px, or naming its
         * ends. */
        if (other_d >= own_d + 4) {
            v.nearest++;
        } else if (strstr(t->text.utf8, "\xE2\x80\x93")) {
            v.named++;
        } else {
            fail_msg("label %s (\"%s\") is %.1f px from its line and %.1f px "
                     "from another, names no ends and has no leader",
                     t->id, t->text.utf8, own_d, other_d);
        }
        print_message("%-28s %-24s own %5.1f px, other %6.1f px%s\n", t->id,
                      t->text.utf8, own_d, other_d,
                      leader ? ", on a leader" : "");
    }
    return v;
}

/* Every line's label is on the map or reported. */
static void assert_labels_accounted(const evm_scene_t *s)
{
    lines_t ls;
    collect_lines(s, &ls);
    size_t omitted = 0;
    for (size_t i = 0; i < s->n_omissions; i++)
        omitted +=
            s->omissions[i].kind == EVM_OMIT_LABEL && s->omissions[i].event < 0;
    size_t shown = 0;
    for (size_t i = 0; i < ls.n; i++) {
        char id[160];
        snprintf(id, sizeof id, "%s-label", ls.it[i]->id);
        shown += evm_test_find_item(s, EVM_LAYER_LABELS, id) != NULL;
    }
    assert_int_equal(shown + omitted, ls.n);
}

/* No arrowhead's tip inside a marker (its outline included). */
static void assert_arrow_tips_clear(const evm_scene_t *s)
{
    const evm_layer_t *r = &s->layers[EVM_LAYER_ROUTES];
    const evm_layer_t *ev = &s->layers[EVM_LAYER_EVENTS];
    size_t arrows = 0;
    for (size_t i = 0; i < r->n_items; i++) {
        if (strcmp(r->items[i].cls, "route-arrow") != 0)
            continue;
        arrows++;
        evm_point_t tip = r->items[i].path.pts[0];
        for (size_t m = 0; m < ev->n_items; m++) {
            const evm_item_t *k = &ev->items[m];
            double half = k->style.stroke_px / 2;
            bool inside;
            if (k->kind == EVM_ITEM_CIRCLE) {
                inside = hypot(tip.x - k->center.x, tip.y - k->center.y) <
                         k->r_px + half;
            } else {
                const evm_path_t *p = &k->path;
                /* Convex polygons: inside every edge, or on the outline. */
                int pos = 0, neg = 0;
                double edge = INFINITY;
                for (size_t j = 0; j < p->n_pts; j++) {
                    evm_point_t a = p->pts[j], b = p->pts[(j + 1) % p->n_pts];
                    double o = orient(a, b, tip);
                    pos += o > 0;
                    neg += o < 0;
                    edge = fmin(edge, seg_point(tip, a, b));
                }
                inside = !(pos && neg) || edge < half;
            }
            if (inside)
                fail_msg("arrowhead %s has its tip in marker %s",
                         r->items[i].id, k->id);
        }
    }
    assert_true(arrows > 0);
}

/* ---- the maps -------------------------------------------------------- */

typedef struct place {
    const char *name;
    double lat, lon;
} place_t;

static const place_t SEOUL = {"Seoul", 37.5665, 126.978},
                     SF = {"San Francisco", 37.7749, -122.4194},
                     HONOLULU = {"Honolulu", 21.3069, -157.8583},
                     TOKYO = {"Tokyo", 35.6895, 139.6917},
                     GUAM = {"Hagåtña", 13.4757, 144.7489},
                     ANCHORAGE = {"Anchorage", 61.2181, -149.9003};

static evm_map_distance_t line_between(place_t a, place_t b)
{
    return (evm_map_distance_t){a.lat, a.lon,  b.lat, b.lon,
                                NULL,  a.name, b.name};
}

static evm_routes_t *load_routes(const char *example, const evm_events_t *ev)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/routes.csv", EXAMPLE_DIR, example);
    evm_routes_t *r = NULL;
    evm_error_t err;
    assert_int_equal(evm_routes_load_file(path, ev, &r, &err), EVM_OK);
    return r;
}

/* The four trans-Pacific lines over the North Pacific crossing, framed
 * to hold them all. */
/* A page of w x h px, or the default page when w is 0. */
static void page(evm_map_options_t *mo, double w, double h)
{
    if (w > 0) {
        mo->width_px = w;
        mo->height_px = h;
        mo->has_size = true;
    }
}

static evm_scene_t *pacific(const evm_test_map_t *m, evm_events_t **ev,
                            evm_routes_t **routes, double w, double h)
{
    *ev = evm_test_load_example("north-pacific");
    *routes = load_routes("north-pacific", *ev);
    static evm_map_distance_t d[4];
    d[0] = line_between(SEOUL, SF);
    d[1] = line_between(SEOUL, HONOLULU);
    d[2] = line_between(TOKYO, HONOLULU);
    d[3] = line_between(GUAM, ANCHORAGE);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.distances = d;
    mo.n_distances = 4;
    mo.route_legs = evm_routes_legs(*routes, &mo.n_route_legs);
    /* The legs as geodesics: labels along long, smooth lines (the legs
     * routed at sea are test_route_layout's and test_sea_route's). */
    mo.sea_routing = false;
    mo.has_extent = true;
    const double extent[4] = {120, 10, -120, 65};
    memcpy(mo.extent, extent, sizeof extent);
    page(&mo, w, h);
    return evm_test_layout(m, *ev, &mo, EVM_OK, NULL);
}

static evm_scene_t *distances(const evm_test_map_t *m, double w, double h)
{
    const evm_events_t *ev = m->example;
    const evm_event_t *vo = evm_test_event(ev, "Vostochny Cosmodrome"),
                      *mo_ev = evm_test_event(ev, "Moscow"),
                      *se = evm_test_event(ev, "Seoul"),
                      *cj =
                          evm_test_event(ev, "Cheongju International Airport"),
                      *ti = evm_test_event(ev, "Tikhoretsk ammunition depot");
    static evm_map_distance_t d[2];
    d[0] = (evm_map_distance_t){vo->lat_deg,    vo->lon_deg, mo_ev->lat_deg,
                                mo_ev->lon_deg, NULL,        vo->name,
                                mo_ev->name};
    d[1] =
        (evm_map_distance_t){se->lat_deg, se->lon_deg, cj->lat_deg, cj->lon_deg,
                             NULL,        se->name,    cj->name};
    static evm_map_border_distance_t b;
    b = (evm_map_border_distance_t){ti->lat_deg, ti->lon_deg, "Ukraine",
                                    false,       NULL,        ti->name};
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.distances = d;
    mo.n_distances = 2;
    mo.border_distances = &b;
    mo.n_border_distances = 1;
    page(&mo, w, h);
    return evm_test_layout(m, ev, &mo, EVM_OK, NULL);
}

static evm_scene_t *route_map(const evm_test_map_t *m, evm_routes_t **routes,
                              double w, double h)
{
    *routes = load_routes("korea-russia-2023", m->example);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.route_legs = evm_routes_legs(*routes, &mo.n_route_legs);
    mo.sea_routing = false; /* as in pacific(): the labels of given lines */
    page(&mo, w, h);
    return evm_test_layout(m, m->example, &mo, EVM_OK, NULL);
}

/* ---- tests ------------------------------------------------------------ */

static void test_pacific(void **state)
{
    evm_events_t *ev;
    evm_routes_t *routes;
    evm_scene_t *s = pacific(*state, &ev, &routes, 0, 0);
    verdict_t v = check_line_labels(s);
    /* Four distance lines and two legs, every label on the map. */
    assert_int_equal(v.labels, 6);
    assert_labels_accounted(s);
    evm_test_assert_labels_clear(s, EVM_LAYER_EVENTS, NULL);
    /* The lines are long: their labels follow them, none on a leader. */
    assert_int_equal(v.leader, 0);
    size_t turned = 0;
    const evm_layer_t *l = &s->layers[EVM_LAYER_LABELS];
    for (size_t i = 0; i < l->n_items; i++)
        turned += l->items[i].kind == EVM_ITEM_TEXT &&
                  fabs(l->items[i].text.angle_rad) > 0.2;
    assert_true(turned >= 4);
    assert_arrow_tips_clear(s);
    evm_scene_destroy(s);
    evm_routes_destroy(routes);
    evm_events_destroy(ev);
}

static void test_distance_map(void **state)
{
    evm_scene_t *s = distances(*state, 0, 0);
    verdict_t v = check_line_labels(s);
    assert_int_equal(v.labels, 3);
    assert_labels_accounted(s);
    /* Seoul-Cheongju is shorter than its label: joined by a leader. */
    const evm_item_t *leader = leader_of(s, "distance-1-label");
    assert_non_null(leader);
    assert_string_equal(
        evm_test_item_text(s, EVM_LAYER_LABELS, "distance-1-label"), "105 km");
    evm_scene_destroy(s);
}

static void test_route_map(void **state)
{
    evm_routes_t *routes;
    evm_scene_t *s = route_map(*state, &routes, 0, 0);
    verdict_t v = check_line_labels(s);
    assert_int_equal(v.labels, 2);
    assert_labels_accounted(s);
    assert_arrow_tips_clear(s);
    /* The rail leg's label follows the line. */
    const evm_item_t *rail =
        evm_test_find_item(s, EVM_LAYER_LABELS, "route-0-leg-2-label");
    assert_non_null(rail);
    evm_scene_destroy(s);
    evm_routes_destroy(routes);
}

/* Lines crowded on purpose (three geodesics from one place fanning out a
 * few pixels apart): whatever cannot be labelled unambiguously names its
 * ends, goes on a leader or is reported, never silently dropped. */
static void test_crowded_fan(void **state)
{
    evm_map_distance_t d[3];
    for (int i = 0; i < 3; i++) {
        place_t to = {i == 0   ? "A"
                      : i == 1 ? "B"
                               : "C",
                      40.0 + 0.08 * i, 140.0};
        d[i] = line_between(SEOUL, to);
    }
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.distances = d;
    mo.n_distances = 3;
    const evm_test_map_t *m = *state;
    evm_scene_t *s = evm_test_layout(m, m->example, &mo, EVM_OK, NULL);
    verdict_t v = check_line_labels(s);
    assert_labels_accounted(s);
    assert_true(v.named + v.leader > 0 || v.labels < 3);
    evm_scene_destroy(s);
}

/* The lines' looks: distinct from one another and from every kind's
 * colour for a deuteranope (CIE76 Delta E, as kind_style.c measures). */
static void test_palette(void **state)
{
    (void)state;
    const unsigned *dist, *kinds;
    size_t nd = evm_distance_palette(&dist), nk = evm_kind_palette(&kinds);
    assert_true(nd >= 4);
    double worst_pair = INFINITY, worst_kind = INFINITY;
    for (size_t i = 0; i < nd; i++) {
        for (size_t j = i + 1; j < nd; j++)
            worst_pair =
                fmin(worst_pair, evm_deutan_delta_e(evm_rgb_hex(dist[i]),
                                                    evm_rgb_hex(dist[j])));
        for (size_t k = 0; k < nk; k++)
            worst_kind =
                fmin(worst_kind, evm_deutan_delta_e(evm_rgb_hex(dist[i]),
                                                    evm_rgb_hex(kinds[k])));
    }
    print_message("distance palette: worst Delta E %.1f between lines, %.1f "
                  "to a kind\n",
                  worst_pair, worst_kind);
    assert_true(worst_pair >= 15);
    assert_true(worst_kind >= 12);
}

static bool same_look(const evm_style_t *a, const evm_style_t *b)
{
    bool dash = a->n_dash == b->n_dash;
    for (size_t i = 0; dash && i < a->n_dash; i++)
        dash = fabs(a->dash_px[i] - b->dash_px[i]) < 1e-9;
    return dash && evm_deutan_delta_e(a->stroke, b->stroke) < 12;
}

/* The four trans-Pacific lines share ends (Seoul, Honolulu) and run side
 * by side: each in its own look, with its own legend row and swatch; the
 * route has a row with a swatch of its own. */
static void test_pacific_looks(void **state)
{
    evm_events_t *ev;
    evm_routes_t *routes;
    evm_scene_t *s = pacific(*state, &ev, &routes, 0, 0);
    const evm_item_t *line[4], *swatch[4];
    for (int i = 0; i < 4; i++) {
        char id[64];
        snprintf(id, sizeof id, "distance-%d", i);
        line[i] = evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, id);
        snprintf(id, sizeof id, "legend-swatch-distance-%d", i);
        swatch[i] = evm_test_find_item(s, EVM_LAYER_LEGEND, id);
        assert_non_null(line[i]);
        assert_non_null(swatch[i]);
        assert_true(evm_deutan_delta_e(line[i]->style.stroke,
                                       swatch[i]->style.stroke) < 1);
        /* The label in its line's colour. */
        snprintf(id, sizeof id, "distance-%d-label", i);
        const evm_item_t *label = evm_test_find_item(s, EVM_LAYER_LABELS, id);
        assert_non_null(label);
        assert_true(
            evm_deutan_delta_e(line[i]->style.stroke, label->text.color) < 1);
    }
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            assert_false(same_look(&line[i]->style, &line[j]->style));
    assert_string_equal(
        evm_test_item_text(s, EVM_LAYER_LEGEND, "legend-label-distance-1"),
        "Seoul\xE2\x80\x93Honolulu: 7,323 km");
    assert_non_null(
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-swatch-route-0-0"));
    evm_scene_destroy(s);
    evm_routes_destroy(routes);
    evm_events_destroy(ev);
}

/* --distance-style: by line number or for every line, later ones
 * winning; a line that does not exist or a bad selector is an error. */
static void test_distance_style(void **state)
{
    const evm_test_map_t *m = *state;
    const evm_events_t *ev = m->example;
    evm_map_distance_opts_t *d = NULL;
    evm_error_t err;
    assert_int_equal(evm_map_distance_opts_create(&d, &err), EVM_OK);
    const char *kv[][2] = {{"distance", "Moscow:Pyongyang"},
                           {"distance", "Seoul:Beijing"},
                           {"distance-style", "all: width=3"},
                           {"distance-style", "2: color=#00aa00, dash=none"},
                           {"distance-style", " 1 : width=2"}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        assert_int_equal(
            evm_map_distance_opts_set(d, ev, kv[i][0], kv[i][1], &err), EVM_OK);
    const char *bad[] = {"x: width=2", "0: width=2",  "-1: width=2",
                         "2 width=2",  "2: width=-1", "2: colour=#fff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(
            evm_map_distance_opts_set(d, ev, "distance-style", bad[i], &err),
            EVM_ERR_INVALID_ARG);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_map_distance_opts_apply(d, &mo);
    assert_int_equal(mo.n_distance_styles, 3);
    evm_scene_t *s = evm_test_layout(m, ev, &mo, EVM_OK, NULL);
    const evm_item_t *a =
        evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, "distance-0");
    const evm_item_t *b =
        evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, "distance-1");
    assert_non_null(a);
    assert_non_null(b);
    /* Line 2: 3 pt wide, solid, green; line 1 widened to 3 then set to 2,
     * dashed in the palette's first look. */
    assert_true(fabs(b->style.stroke_px / a->style.stroke_px - 1.5) < 1e-9);
    assert_int_equal(b->style.n_dash, 0);
    assert_true(a->style.n_dash > 0);
    assert_true(fabs(b->style.stroke.g - 0xaa / 255.0) < 1e-9 &&
                b->style.stroke.r == 0 && b->style.stroke.b == 0);
    const evm_item_t *sw =
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-swatch-distance-1");
    assert_non_null(sw);
    assert_true(sw->style.stroke.g == b->style.stroke.g &&
                sw->style.n_dash == 0);
    evm_scene_destroy(s);
    /* A third line's style with two lines: said at layout. */
    assert_int_equal(
        evm_map_distance_opts_set(d, ev, "distance-style", "3: width=1", &err),
        EVM_OK);
    evm_map_distance_opts_apply(d, &mo);
    assert_null(evm_test_layout(m, ev, &mo, EVM_ERR_INVALID_ARG, &err));
    assert_non_null(strstr(err.message, "no such distance line"));
    evm_map_distance_opts_destroy(d);
}

/* ---- turned labels in every format ------------------------------------ */

/* The part of img inside r (clamped to the image). */
static void crop(const evm_test_image_t *img, evm_rect_t r,
                 evm_test_image_t *out)
{
    unsigned x0 = (unsigned)fmax(0, floor(r.x)),
             y0 = (unsigned)fmax(0, floor(r.y));
    unsigned x1 = (unsigned)fmin(img->width, ceil(r.x + r.w)),
             y1 = (unsigned)fmin(img->height, ceil(r.y + r.h));
    out->width = x1 > x0 ? x1 - x0 : 0;
    out->height = y1 > y0 ? y1 - y0 : 0;
    out->rgba = malloc(4 * (size_t)out->width * out->height + 4);
    assert_non_null(out->rgba);
    for (unsigned y = 0; y < out->height; y++)
        memcpy(out->rgba + 4 * (size_t)y * out->width,
               evm_test_pixel(img, x0, y0 + y), 4 * (size_t)out->width);
}

/* The pictures of text items of s in img against ref, each around its
 * item by the measure of the whole-map comparisons (testutil.h): the
 * turned ones (turned) or the level ones of the labels' and places'
 * layers. Returns the worst figures, *best the best; *n gets how many
 * were compared. */
static evm_test_picture_diff_t text_diff(const evm_scene_t *s,
                                         const evm_test_image_t *ref,
                                         const evm_test_image_t *img,
                                         bool turned, size_t *n,
                                         evm_test_picture_diff_t *best)
{
    evm_test_picture_diff_t worst = {0, 0};
    *best = (evm_test_picture_diff_t){INFINITY, INFINITY};
    *n = 0;
    const evm_layer_id layers[] = {EVM_LAYER_LABELS, EVM_LAYER_PLACES};
    for (int li = 0; li < 2; li++) {
        const evm_layer_t *l = &s->layers[layers[li]];
        for (size_t i = 0; i < l->n_items; i++) {
            const evm_item_t *t = &l->items[i];
            if (t->kind != EVM_ITEM_TEXT ||
                (fabs(t->text.angle_rad) >= 0.05) != turned)
                continue;
            (*n)++;
            evm_point_t q[4];
            evm_test_text_quad(&t->text, q);
            double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
            for (int k = 0; k < 4; k++) {
                x0 = fmin(x0, q[k].x), x1 = fmax(x1, q[k].x);
                y0 = fmin(y0, q[k].y), y1 = fmax(y1, q[k].y);
            }
            evm_rect_t r = {x0 - 4, y0 - 4, x1 - x0 + 8, y1 - y0 + 8};
            evm_test_image_t a, b;
            crop(ref, r, &a);
            crop(img, r, &b);
            evm_test_picture_diff_t d = evm_test_picture_diff(&a, &b);
            if (turned)
                print_message("  %-22s %.2f%% of %ux%u px differ, mean "
                              "%.2f\n",
                              t->text.utf8, 100 * d.fraction, a.width, a.height,
                              d.mean);
            worst.fraction = fmax(worst.fraction, d.fraction);
            worst.mean = fmax(worst.mean, d.mean);
            best->fraction = fmin(best->fraction, d.fraction);
            best->mean = fmin(best->mean, d.mean);
            evm_test_image_free(&a);
            evm_test_image_free(&b);
        }
    }
    return worst;
}

typedef void (*raster_fn)(const evm_scene_t *s, const char *dir,
                          const char *name, evm_test_image_t *out);

static void raster_pdf(const evm_scene_t *s, const char *dir, const char *name,
                       evm_test_image_t *out)
{
    evm_test_pdf_picture(s, dir, name, out);
}

static void raster_svg(const evm_scene_t *s, const char *dir, const char *name,
                       evm_test_image_t *out)
{
    char file[160];
    snprintf(file, sizeof file, "%s.svg", name);
    char *svg = evm_test_render_file(s, EVM_FORMAT_SVG, NULL, dir, file);
    snprintf(file, sizeof file, "%s.png", name);
    char *png = evm_test_path(dir, file);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "rsvg-convert -o '%s' '%s'", png, svg);
    assert_int_equal(system(cmd), 0);
    evm_test_png_decode_file(png, out);
    free(png);
    free(svg);
}

/* The format agrees with the PNG: over the whole map within the pixel
 * tolerance of the backend comparisons (testutil.h), and around each
 * turned label no worse than around the level labels of the same map
 * (a renderer's own text rasterising differs a little from cairo's).
 * And the comparison can fail: the same labels drawn level are far off,
 * every one of them. */
static void check_format(evm_scene_t *s, const evm_test_image_t *ref,
                         raster_fn raster, const char *dir, const char *what)
{
    evm_test_image_t img;
    raster(s, dir, what, &img);
    evm_test_picture_diff_t all = evm_test_picture_diff(ref, &img);
    print_message("%s: whole map %.3f%% of pixels differ, mean %.3f\n", what,
                  100 * all.fraction, all.mean);
    assert_true(evm_test_picture_similar(all));
    size_t n_level, n;
    evm_test_picture_diff_t best;
    evm_test_picture_diff_t level =
        text_diff(s, ref, &img, false, &n_level, &best);
    print_message("%s: %zu level labels, worst %.2f%% differ, mean %.2f; "
                  "turned:\n",
                  what, n_level, 100 * level.fraction, level.mean);
    evm_test_picture_diff_t turned = text_diff(s, ref, &img, true, &n, &best);
    evm_test_image_free(&img);
    assert_true(n >= 4 && n_level >= 4);
    /* The level labels' worst, with a quarter more as slack. */
    double max_fraction = fmax(1.25 * level.fraction, 0.004),
           max_mean = fmax(1.25 * level.mean, 3.0);
    if (turned.fraction > max_fraction || turned.mean > max_mean)
        fail_msg("%s: a turned label differs from the PNG more than the "
                 "level labels do",
                 what);
    evm_layer_t *l = &s->layers[EVM_LAYER_LABELS];
    double *angle = calloc(l->n_items, sizeof *angle);
    assert_non_null(angle);
    for (size_t i = 0; i < l->n_items; i++) {
        angle[i] = l->items[i].text.angle_rad;
        l->items[i].text.angle_rad = 0;
    }
    char name[96];
    snprintf(name, sizeof name, "%s-level", what);
    raster(s, dir, name, &img);
    for (size_t i = 0; i < l->n_items; i++)
        l->items[i].text.angle_rad = angle[i];
    free(angle);
    print_message("%s, the turned labels drawn level:\n", what);
    /* Each turned label, now level, against the PNG's turned one. */
    text_diff(s, ref, &img, true, &n, &best);
    evm_test_image_free(&img);
    assert_true(best.fraction > max_fraction && best.mean > max_mean);
}

static void test_turned_labels_agree(void **state)
{
    evm_events_t *ev;
    evm_routes_t *routes;
    evm_scene_t *s = pacific(*state, &ev, &routes, 0, 0);
    evm_test_image_t ref;
    evm_test_render_png(s, &ref);
    char *dir = evm_test_temp_dir("evm-line-labels");
    if (evm_test_have_tool("pdftotext") && evm_test_have_tool("pdftocairo")) {
        char *pdf = evm_test_render_file(s, EVM_FORMAT_PDF, NULL, dir, "t.pdf");
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", pdf);
        char *text = evm_test_run(cmd);
        assert_non_null(text);
        /* Every turned label's text is in the PDF as text. */
        const evm_layer_t *l = &s->layers[EVM_LAYER_LABELS];
        for (size_t i = 0; i < l->n_items; i++)
            if (l->items[i].kind == EVM_ITEM_TEXT &&
                fabs(l->items[i].text.angle_rad) > 0.05 &&
                !strstr(text, l->items[i].text.utf8))
                fail_msg("pdftotext does not find \"%s\"",
                         l->items[i].text.utf8);
        free(text);
        free(pdf);
        check_format(s, &ref, raster_pdf, dir, "pdf");
    } else {
        print_message("pdftotext or pdftocairo not found: PDF not checked\n");
    }
    if (evm_test_have_tool("rsvg-convert"))
        check_format(s, &ref, raster_svg, dir, "rsvg");
    else
        print_message("rsvg-convert not found: SVG not checked\n");
    evm_test_remove_dir(dir);
    evm_test_image_free(&ref);
    evm_scene_destroy(s);
    evm_routes_destroy(routes);
    evm_events_destroy(ev);
}

/* ---- golden maps ---------------------------------------------------- */

/* The three maps on a 1000 x 600 page: the same rules hold, and the
 * pictures match the committed references (tests/golden/README.md;
 * regenerate with EVM_UPDATE_GOLDEN=1). */
static void golden(evm_scene_t *s, const char *name)
{
    check_line_labels(s);
    assert_labels_accounted(s);
    evm_test_assert_golden(s, name);
}

static void test_golden_maps(void **state)
{
    evm_events_t *ev;
    evm_routes_t *routes;
    evm_scene_t *s = pacific(*state, &ev, &routes, 1000, 600);
    golden(s, "lines-pacific-1000x600");
    evm_scene_destroy(s);
    evm_routes_destroy(routes);
    evm_events_destroy(ev);
    s = distances(*state, 1000, 600);
    golden(s, "lines-distances-1000x600");
    evm_scene_destroy(s);
    s = route_map(*state, &routes, 1000, 600);
    golden(s, "lines-route-1000x600");
    evm_scene_destroy(s);
    evm_routes_destroy(routes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pacific),
        cmocka_unit_test(test_distance_map),
        cmocka_unit_test(test_route_map),
        cmocka_unit_test(test_crowded_fan),
        cmocka_unit_test(test_palette),
        cmocka_unit_test(test_pacific_looks),
        cmocka_unit_test(test_distance_style),
        cmocka_unit_test(test_turned_labels_agree),
        cmocka_unit_test(test_golden_maps),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
