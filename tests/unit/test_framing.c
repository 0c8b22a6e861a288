/* Framing on the data sets of tests/data/framing (README there): the
 * projection chosen, how much of the frame the events fill, that every
 * event is drawn, the page's shape, and no blank band past the
 * projection's edge. Checked on the scene: the markers' page positions,
 * the frame, the scene's georeference (map_box) and PROJ. */
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
#include "geo/projection.h"
#include "geo/view.h"
#include "testutil.h"

static evm_events_t *load_set(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/framing/%s.csv", EVM_TEST_DATA_DIR, name);
    return evm_test_load_events(path);
}

/* The markers' page box; fails unless every event has exactly one
 * marker inside the frame. */
static evm_rect_t markers_box(const evm_scene_t *s, size_t n_events)
{
    const evm_layer_t *l = &s->layers[EVM_LAYER_EVENTS];
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    size_t *seen = calloc(n_events, sizeof *seen);
    for (size_t i = 0; i < l->n_items; i++) {
        const evm_item_t *it = &l->items[i];
        /* A marker is a circle or a polygon; both have their centre. */
        if (it->event < 0)
            continue;
        assert_true((size_t)it->event < n_events);
        seen[it->event]++;
        evm_point_t c = it->center;
        assert_true(c.x >= s->frame.x && c.x <= s->frame.x + s->frame.w);
        assert_true(c.y >= s->frame.y && c.y <= s->frame.y + s->frame.h);
        x0 = fmin(x0, c.x);
        x1 = fmax(x1, c.x);
        y0 = fmin(y0, c.y);
        y1 = fmax(y1, c.y);
    }
    for (size_t i = 0; i < n_events; i++)
        if (seen[i] != 1)
            fail_msg("event %zu has %zu markers", i, seen[i]);
    free(seen);
    return (evm_rect_t){x0, y0, x1 - x0, y1 - y0};
}

typedef struct framing_case {
    const char *set;
    const char *proj;  /* a part of the PROJ string */
    const char *named; /* the projection's name in <desc> */
    int shape;         /* 1 landscape, -1 portrait, 0 either */
} framing_case_t;

static evm_scene_t *frame_set(const evm_test_map_t *m, const evm_events_t *ev)
{
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.title = "framing";
    return evm_test_layout(m, ev, &mo, EVM_OK, NULL);
}

static void check_case(const evm_test_map_t *m, const framing_case_t *c,
                       evm_events_t *ev)
{
    evm_scene_t *s = frame_set(m, ev);
    if (!strstr(s->projection, c->proj))
        fail_msg("%s: projection \"%s\", want %s", c->set, s->projection,
                 c->proj);
    if (!strstr(s->description, c->named))
        fail_msg("%s: description \"%s\" does not name %s", c->set,
                 s->description, c->named);
    evm_rect_t b = markers_box(s, evm_events_count(ev));
    double fw = b.w / s->frame.w, fh = b.h / s->frame.h;
    print_message("%-10s %5.0fx%-5.0f page, events fill %3.0f %% x %3.0f %% "
                  "of the frame; %s\n",
                  c->set, s->width_px, s->height_px, 100 * fw, 100 * fh,
                  s->projection);
    if (!(fw >= 0.75 || fh >= 0.75))
        fail_msg("%s: events fill %.0f %% x %.0f %% of the frame", c->set,
                 100 * fw, 100 * fh);
    /* Same area as the default 1600 x 1000, aspect 1:2 to 2:1. */
    double area = s->width_px * s->height_px;
    assert_true(fabs(area - 1.6e6) < 0.01 * 1.6e6);
    double aspect = s->width_px / s->height_px;
    assert_true(aspect >= 0.499 && aspect <= 2.001);
    if (c->shape > 0)
        assert_true(aspect > 1.2);
    if (c->shape < 0)
        assert_true(aspect < 0.8);
    evm_scene_destroy(s);
}

static void test_data_sets(void **state)
{
    static const framing_case_t cases[] = {
        {"arctic", "+proj=laea +lat_0=90 ", "azimuthal", 0},
        {"south-pole", "+proj=laea +lat_0=-90 ", "azimuthal", 0},
        {"north-pole", "+proj=laea +lat_0=90 ", "azimuthal", 0},
        {"luxembourg", "+proj=lcc", "conformal conic", -1},
        {"hong-kong", "+proj=lcc", "conformal conic", 0},
        {"chile", "+proj=lcc", "conformal conic", -1},
        {"capitals", "+proj=eqearth", "Equal Earth", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        evm_events_t *ev = load_set(cases[i].set);
        check_case(*state, &cases[i], ev);
        evm_events_destroy(ev);
    }
}

/* The example fills three quarters of the width and half the height. */
static void test_example(void **state)
{
    const evm_test_map_t *m = *state;
    framing_case_t c = {"example", "+proj=lcc", "conformal conic", 1};
    check_case(m, &c, m->example);
    evm_scene_t *s = frame_set(m, m->example);
    evm_rect_t b = markers_box(s, evm_events_count(m->example));
    assert_true(b.w / s->frame.w >= 0.75);
    assert_true(b.h / s->frame.h >= 0.5);
    evm_scene_destroy(s);
}

/* The world map: the frame stays inside the globe's image, so each
 * edge's middle (a pixel in) is on the globe: no blank band. */
static void test_world_no_band(void **state)
{
    const evm_test_map_t *m = *state;
    evm_events_t *ev = load_set("capitals");
    for (int sized = 0; sized < 2; sized++) {
        evm_map_options_t mo;
        evm_map_options_init(&mo);
        if (sized) {
            /* A page squarer than the world: the frame is narrowed. */
            mo.has_size = true;
            mo.width_px = 1000;
            mo.height_px = 1000;
        }
        evm_scene_t *s = evm_test_layout(m, ev, &mo, EVM_OK, NULL);
        evm_projection_t *p = NULL;
        evm_error_t err;
        assert_int_equal(
            evm_projection_create(m->ctx->pj, s->projection, &p, &err), EVM_OK);
        evm_view_t v;
        assert_int_equal(evm_view_init_box(&v, p, s->map_box, s->frame, &err),
                         EVM_OK);
        evm_rect_t f = s->frame;
        double mids[4][2] = {{f.x + 1, f.y + f.h / 2},
                             {f.x + f.w - 1, f.y + f.h / 2},
                             {f.x + f.w / 2, f.y + 1},
                             {f.x + f.w / 2, f.y + f.h - 1}};
        for (int k = 0; k < 4; k++) {
            double lon, lat;
            if (!evm_view_inverse(&v, mids[k][0], mids[k][1], &lon, &lat))
                fail_msg("edge %d of the %s world map is off the globe", k,
                         sized ? "square" : "automatic");
        }
        markers_box(s, evm_events_count(ev));
        evm_projection_destroy(p);
        evm_scene_destroy(s);
    }
    evm_events_destroy(ev);
}

/* The text of a scale-bar item, or NULL. */
static const char *bar_text(const evm_scene_t *s, const char *id)
{
    const evm_item_t *it = evm_test_find_item(s, EVM_LAYER_SCALE_BAR, id);
    return it && it->kind == EVM_ITEM_TEXT ? it->text.utf8 : NULL;
}

/* The scale bar states a latitude inside the events' range, and its
 * length is right there to 1 %: the bar's pixels over the stated
 * distance against PROJ's scale factor along the parallel (proj_factors)
 * times the page's pixels per projected metre. */
static void check_scale_bar(const evm_test_map_t *m, const char *what,
                            const evm_events_t *ev)
{
    evm_scene_t *s = frame_set(m, ev);
    double bar_px = 0;
    for (int k = 0; k < 4; k++) {
        char id[32];
        snprintf(id, sizeof id, "scale-bar-%d", k);
        const evm_item_t *seg = evm_test_find_item(s, EVM_LAYER_SCALE_BAR, id);
        assert_non_null(seg);
        evm_rect_t b = evm_test_item_box(seg);
        bar_px += b.w;
    }
    const char *len = bar_text(s, "scale-bar-length");
    const char *note = bar_text(s, "scale-bar-note");
    assert_non_null(len);
    if (!note)
        fail_msg("%s: the scale bar does not say where it is true", what);
    char digits[32];
    size_t o = 0;
    for (const char *c = len; *c && *c != ' ' && o + 1 < sizeof digits; c++)
        if (*c != ',')
            digits[o++] = *c;
    digits[o] = '\0';
    double len_m = strtod(digits, NULL) * (strstr(len, " km") ? 1000 : 1);
    const char *at = strstr(note, "at ");
    assert_non_null(at);
    double lat = strtod(at + 3, NULL);
    if (strstr(note, "S"))
        lat = -lat;
    double lo = 90, hi = -90;
    for (size_t i = 0; i < evm_events_count(ev); i++) {
        lo = fmin(lo, evm_events_get(ev, i)->lat_deg);
        hi = fmax(hi, evm_events_get(ev, i)->lat_deg);
    }
    if (!(lat >= lo && lat <= hi))
        fail_msg("%s: \"%s\" is outside the events' %.1f..%.1f", what, note, lo,
                 hi);
    /* PROJ's own scale factor at the stated latitude on the central
     * meridian (where the bar is measured). */
    PJ *pj = proj_create(m->ctx->pj, s->projection);
    assert_non_null(pj);
    double lon0 = 0;
    const char *l0 = strstr(s->projection, "+lon_0=");
    if (l0)
        lon0 = strtod(l0 + 7, NULL);
    PJ_COORD c = proj_coord(proj_torad(lon0), proj_torad(lat), 0, 0);
    PJ_FACTORS f = proj_factors(pj, c);
    proj_destroy(pj);
    double px_per_m = s->frame.w / (s->map_box[2] - s->map_box[0]);
    double want_px = len_m * f.parallel_scale * px_per_m;
    print_message("%-13s bar %.2f px for %s, %s; PROJ: k = %.6f, %.2f px "
                  "(%+.3f %%)\n",
                  what, bar_px, len, note, f.parallel_scale, want_px,
                  100 * (bar_px / want_px - 1));
    if (fabs(bar_px / want_px - 1) > 0.01)
        fail_msg("%s: the bar is %.2f px, PROJ says %.2f", what, bar_px,
                 want_px);
    evm_scene_destroy(s);
}

static void test_scale_bar(void **state)
{
    const evm_test_map_t *m = *state;
    check_scale_bar(m, "example", m->example);
    evm_events_t *ev = evm_test_load_example("north-pacific");
    check_scale_bar(m, "north-pacific", ev);
    evm_events_destroy(ev);
    ev = load_set("arctic");
    check_scale_bar(m, "arctic", ev);
    evm_events_destroy(ev);
    /* A world map has none. */
    ev = load_set("capitals");
    evm_scene_t *s = frame_set(m, ev);
    assert_int_equal(s->layers[EVM_LAYER_SCALE_BAR].n_items, 0);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

/* Orthographic of the world set: the ocean is the visible disc, land
 * stays inside it, and the events PROJ cannot project (the far side) are
 * counted, noted on the map and in <desc>, never drawn. */
static void test_orthographic(void **state)
{
    const evm_test_map_t *m = *state;
    evm_events_t *ev = load_set("capitals");
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.proj = "+proj=ortho +lat_0=48 +lon_0=32 +ellps=WGS84";
    evm_scene_t *s = evm_test_layout(m, ev, &mo, EVM_OK, NULL);
    /* PROJ alone says which are on the far side. */
    PJ *pj = proj_create(m->ctx->pj, mo.proj);
    assert_non_null(pj);
    size_t hidden = 0, n = evm_events_count(ev);
    for (size_t i = 0; i < n; i++) {
        const evm_event_t *e = evm_events_get(ev, i);
        PJ_COORD c =
            proj_coord(proj_torad(e->lon_deg), proj_torad(e->lat_deg), 0, 0);
        c = proj_trans(pj, PJ_FWD, c);
        if (!isfinite(c.v[0]) || !isfinite(c.v[1]) || proj_errno(pj)) {
            hidden++;
            proj_errno_reset(pj);
        }
    }
    proj_destroy(pj);
    print_message("orthographic: %zu of %zu events on the far side\n", hidden,
                  n);
    assert_true(hidden > 0 && hidden < n);
    assert_int_equal(s->n_events_far_side, hidden);
    char want[96];
    snprintf(want, sizeof want, "%zu on the far side of the globe", hidden);
    assert_non_null(strstr(s->description, want));
    assert_non_null(evm_test_find_item(s, EVM_LAYER_SCALE_BAR, "not-drawn"));
    size_t drawn = 0;
    const evm_layer_t *events = &s->layers[EVM_LAYER_EVENTS];
    for (size_t i = 0; i < events->n_items; i++)
        drawn += events->items[i].event >= 0; /* a circle or a polygon */
    assert_int_equal(drawn + hidden, n);

    /* The ocean: one closed ring round a disc. */
    const evm_item_t *ocean = evm_test_find_item(s, EVM_LAYER_OCEAN, "ocean");
    assert_non_null(ocean);
    assert_int_equal(ocean->path.n_subs, 1);
    double cx = 0, cy = 0;
    for (size_t i = 0; i < ocean->path.n_pts; i++) {
        cx += ocean->path.pts[i].x / (double)ocean->path.n_pts;
        cy += ocean->path.pts[i].y / (double)ocean->path.n_pts;
    }
    double rmin = INFINITY, rmax = 0;
    for (size_t i = 0; i < ocean->path.n_pts; i++) {
        double r = hypot(ocean->path.pts[i].x - cx, ocean->path.pts[i].y - cy);
        rmin = fmin(rmin, r);
        rmax = fmax(rmax, r);
    }
    /* WGS84's orthographic limb is an ellipse with axes a and b. */
    assert_true(rmax / rmin < 1.01);
    assert_true(rmin > 0.3 * fmin(s->frame.w, s->frame.h));
    /* Land clipped at the horizon. */
    const evm_item_t *land = evm_test_find_item(s, EVM_LAYER_LAND, "land");
    assert_non_null(land);
    assert_true(land->path.n_pts > 1000);
    for (size_t i = 0; i < land->path.n_pts; i++) {
        double r = hypot(land->path.pts[i].x - cx, land->path.pts[i].y - cy);
        if (r > rmax + 0.5)
            fail_msg("land point %zu is %.1f px past the horizon", i, r - rmax);
    }
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

/* The locator inset on the Hong Kong map: a box in a frame corner that
 * covers no marker, with the main frame outlined small near its middle
 * (the inset is centred on the frame and 1,500 km across); none on the
 * example, which is larger than a country. */
static void test_inset(void **state)
{
    const evm_test_map_t *m = *state;
    evm_events_t *ev = load_set("hong-kong");
    evm_scene_t *s = frame_set(m, ev);
    const evm_item_t *box =
        evm_test_find_item(s, EVM_LAYER_LEGEND, "inset-box");
    const evm_item_t *out =
        evm_test_find_item(s, EVM_LAYER_LEGEND, "inset-frame");
    const evm_item_t *land =
        evm_test_find_item(s, EVM_LAYER_LEGEND, "inset-land");
    assert_non_null(box);
    assert_non_null(out);
    assert_non_null(land);
    evm_rect_t b = evm_test_item_box(box);
    evm_rect_t f = s->frame;
    assert_true(b.x >= f.x && b.y >= f.y && b.x + b.w <= f.x + f.w &&
                b.y + b.h <= f.y + f.h);
    const evm_layer_t *events = &s->layers[EVM_LAYER_EVENTS];
    for (size_t i = 0; i < events->n_items; i++)
        assert_false(
            evm_test_rects_overlap(evm_test_item_box(&events->items[i]), b));
    /* The outline: closed, inside the box, centred, in the frame's shape
     * and a few percent of the box across (35 km in 1,500). */
    assert_int_equal(out->path.n_subs, 1);
    assert_true(out->path.sub_closed[0]);
    evm_rect_t o = evm_test_item_box(out);
    assert_true(o.x > b.x && o.y > b.y && o.x + o.w < b.x + b.w &&
                o.y + o.h < b.y + b.h);
    assert_true(fabs(o.x + o.w / 2 - (b.x + b.w / 2)) < 2);
    assert_true(fabs(o.y + o.h / 2 - (b.y + b.h / 2)) < 2);
    assert_true(o.w > 2 && o.w < 0.1 * b.w);
    assert_true(fabs(o.w / o.h - f.w / f.h) < 0.1 * (f.w / f.h));
    /* The land of the inset stays in its box. */
    for (size_t i = 0; i < land->path.n_pts; i++) {
        evm_point_t p = land->path.pts[i];
        assert_true(p.x >= b.x - 1e-6 && p.x <= b.x + b.w + 1e-6 &&
                    p.y >= b.y - 1e-6 && p.y <= b.y + b.h + 1e-6);
    }
    evm_scene_destroy(s);
    evm_events_destroy(ev);
    s = frame_set(m, m->example);
    assert_null(evm_test_find_item(s, EVM_LAYER_LEGEND, "inset-box"));
    evm_scene_destroy(s);
}

/* center and radius-km: the frame holds the geodesic circle of that
 * radius around the centre (eight points of it, found with the geodesic
 * direct problem, projected with PROJ) and hugs it: its shorter side is
 * under 1.4 diameters, and the centre sits in the middle of the frame.
 * The centre named by an event and by coordinates frame alike. */
static void check_center(const evm_test_map_t *m, const evm_events_t *ev,
                         const char *center, double lat, double lon,
                         double radius_km)
{
    evm_map_distance_opts_t *d = NULL;
    evm_error_t err;
    char r[32];
    snprintf(r, sizeof r, "%g", radius_km);
    assert_int_equal(evm_map_distance_opts_create(&d, &err), EVM_OK);
    assert_int_equal(evm_map_distance_opts_set(d, ev, "radius-km", r, &err),
                     EVM_OK);
    if (evm_map_distance_opts_set(d, ev, "center", center, &err))
        fail_msg("%s", err.message);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.title = "center";
    evm_map_distance_opts_apply(d, &mo);
    assert_true(mo.has_extent);
    evm_scene_t *s = evm_test_layout(m, ev, &mo, EVM_OK, NULL);
    PJ *pj = proj_create(m->ctx->pj, s->projection);
    assert_non_null(pj);
    const double *b = s->map_box;
    double r_m = radius_km * 1000;
    for (int k = -1; k < 8; k++) {
        double plat = lat, plon = lon;
        if (k >= 0)
            geod_direct(evm_wgs84(), lat, lon, 45.0 * k, r_m, &plat, &plon,
                        NULL);
        PJ_COORD c = proj_trans(
            pj, PJ_FWD, proj_coord(proj_torad(plon), proj_torad(plat), 0, 0));
        /* The circle touches the frame: 1 m of rounding. */
        if (!(c.v[0] >= b[0] - 1 && c.v[0] <= b[2] + 1 && c.v[1] >= b[1] - 1 &&
              c.v[1] <= b[3] + 1))
            fail_msg("%s: the point at %d deg, %g km is outside the frame "
                     "(%.3f %.3f in %.3f %.3f %.3f %.3f)",
                     center, 45 * k, radius_km, c.v[0], c.v[1], b[0], b[1],
                     b[2], b[3]);
        if (k < 0) {
            double fx = (c.v[0] - b[0]) / (b[2] - b[0]);
            double fy = (c.v[1] - b[1]) / (b[3] - b[1]);
            print_message("center %-12s %g km: %.0fx%.0f km frame, centre at "
                          "%.3f, %.3f of it\n",
                          center, radius_km, (b[2] - b[0]) / 1000,
                          (b[3] - b[1]) / 1000, fx, fy);
            assert_true(fabs(fx - 0.5) < 0.05 && fabs(fy - 0.5) < 0.05);
        }
    }
    proj_destroy(pj);
    double shorter = fmin(b[2] - b[0], b[3] - b[1]);
    assert_true(shorter >= 2 * r_m * 0.98 && shorter < 1.4 * 2 * r_m);
    evm_scene_destroy(s);
    evm_map_distance_opts_destroy(d);
}

static void test_center(void **state)
{
    const evm_test_map_t *m = *state;
    evm_events_t *ev = load_set("hong-kong");
    check_center(m, ev, "22.3,114.17", 22.3, 114.17, 20);
    check_center(m, ev, "Central", 22.2819, 114.1589, 60);
    evm_events_destroy(ev);
    check_center(m, m->example, "Vladivostok", 43.1155, 131.8855, 300);
    check_center(m, m->example, "43.1155,131.8855", 43.1155, 131.8855, 300);
    /* Across the antimeridian. */
    check_center(m, NULL, "-17.8,178.0", -17.8, 178.0, 400);
    /* A bad radius or an unknown place is refused, naming the key. */
    evm_map_distance_opts_t *d = NULL;
    evm_error_t err;
    assert_int_equal(evm_map_distance_opts_create(&d, &err), EVM_OK);
    assert_int_equal(evm_map_distance_opts_set(d, NULL, "radius-km", "0", &err),
                     EVM_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "radius-km"));
    assert_int_equal(
        evm_map_distance_opts_set(d, m->example, "center", "Atlantis", &err),
        EVM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "center Atlantis"));
    evm_map_distance_opts_destroy(d);
}

/* Whether PROJ puts (lat, lon) inside the frame of s. */
static bool in_frame(const evm_test_map_t *m, const evm_scene_t *s, double lat,
                     double lon)
{
    PJ *pj = proj_create(m->ctx->pj, s->projection);
    assert_non_null(pj);
    PJ_COORD c = proj_trans(pj, PJ_FWD,
                            proj_coord(proj_torad(lon), proj_torad(lat), 0, 0));
    proj_destroy(pj);
    const double *b = s->map_box;
    return isfinite(c.v[0]) && c.v[0] >= b[0] && c.v[0] <= b[2] &&
           c.v[1] >= b[1] && c.v[1] <= b[3];
}

typedef struct town {
    const char *name;
    double lat, lon;
    bool shown; /* in the country's frame */
} town_t;

/* --extent COUNTRY frames the country's mainland: its far parts in, the
 * overseas ones out (towns' coordinates rounded from Natural Earth
 * populated places), and the frame not much larger than the mainland. */
static void check_country(const evm_test_map_t *m, const char *names,
                          const char *proj, double max_km, const town_t *towns,
                          size_t n)
{
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.title = names;
    evm_error_t err;
    assert_int_equal(evm_map_options_set(&mo, "extent", names, &err), EVM_OK);
    assert_false(mo.has_extent);
    evm_scene_t *s = evm_test_layout(m, m->example, &mo, EVM_OK, NULL);
    const double *b = s->map_box;
    print_message("extent %-24s %5.0f x %5.0f km, %s\n", names,
                  (b[2] - b[0]) / 1000, (b[3] - b[1]) / 1000, s->projection);
    if (!strstr(s->projection, proj))
        fail_msg("%s: projection %s, want %s", names, s->projection, proj);
    assert_true(fmax(b[2] - b[0], b[3] - b[1]) < max_km * 1000);
    for (size_t i = 0; i < n; i++)
        if (in_frame(m, s, towns[i].lat, towns[i].lon) != towns[i].shown)
            fail_msg("%s: %s is %s the frame", names, towns[i].name,
                     towns[i].shown ? "outside" : "inside");
    /* The example's events outside are counted, not lost. */
    size_t drawn = 0;
    const evm_layer_t *ev = &s->layers[EVM_LAYER_EVENTS];
    for (size_t i = 0; i < ev->n_items; i++)
        drawn += ev->items[i].event >= 0;
    assert_int_equal(drawn + s->n_events_outside, evm_events_count(m->example));
    evm_scene_destroy(s);
}

static void test_countries(void **state)
{
    const evm_test_map_t *m = *state;
    static const town_t france[] = {
        {"Paris", 48.87, 2.33, true},
        {"Brest", 48.39, -4.49, true},
        {"Strasbourg", 48.58, 7.75, true},
        {"Ajaccio", 41.93, 8.73, true},
        {"Perpignan", 42.70, 2.90, true},
        {"Cayenne", 4.93, -52.33, false},
        {"Saint-Denis, Reunion", -20.88, 55.45, false},
    };
    check_country(m, "France", "+proj=lcc", 1600, france,
                  sizeof france / sizeof france[0]);
    check_country(m, "FR", "+proj=lcc", 1600, france,
                  sizeof france / sizeof france[0]);
    static const town_t us[] = {
        {"Seattle", 47.61, -122.33, true},
        {"Miami", 25.79, -80.22, true},
        {"San Diego", 32.72, -117.16, true},
        {"Caribou", 46.86, -68.01, true},
        {"Anchorage", 61.22, -149.90, false},
        {"Honolulu", 21.31, -157.86, false},
    };
    check_country(m, "United States of America", "+proj=lcc", 5500, us,
                  sizeof us / sizeof us[0]);
    check_country(m, "US", "+proj=lcc", 5500, us, sizeof us / sizeof us[0]);
    static const town_t russia[] = {
        {"Kaliningrad", 54.71, 20.51, true},
        {"Sochi", 43.59, 39.73, true},
        {"Uelen", 66.16, -169.81, true},
        {"Vladivostok", 43.13, 131.91, true},
        {"Murmansk", 68.97, 33.09, true},
        {"Petropavlovsk", 53.06, 158.62, true},
    };
    check_country(m, "Russia", "+proj=lcc", 9000, russia,
                  sizeof russia / sizeof russia[0]);
    static const town_t korea[] = {
        {"Seoul", 37.57, 127.0, true},     {"Pyongyang", 39.02, 125.75, true},
        {"Jeju", 33.50, 126.53, true},     {"Rajin", 42.26, 130.28, true},
        {"Beijing", 39.93, 116.39, false}, {"Tokyo", 35.69, 139.75, false},
    };
    check_country(m, "South Korea,North Korea", "+proj=lcc", 1500, korea,
                  sizeof korea / sizeof korea[0]);
    check_country(m, "KOR, PRK", "+proj=lcc", 1500, korea,
                  sizeof korea / sizeof korea[0]);
    static const town_t norway[] = {
        {"Oslo", 59.92, 10.75, true},
        {"Kirkenes", 69.73, 30.05, true},
        {"Longyearbyen", 78.22, 15.65, false},
    };
    check_country(m, "Norway", "", 2000, norway,
                  sizeof norway / sizeof norway[0]);

    static const town_t spain[] = {
        {"Madrid", 40.40, -3.68, true},
        {"Palma", 39.57, 2.65, true},
        {"Las Palmas", 28.10, -15.43, false},
    };
    check_country(m, "Spain", "+proj=lcc", 1600, spain,
                  sizeof spain / sizeof spain[0]);
    static const town_t portugal[] = {
        {"Lisbon", 38.72, -9.14, true},
        {"Ponta Delgada", 37.74, -25.68, false},
        {"Funchal", 32.65, -16.91, false},
    };
    check_country(m, "PRT", "+proj=lcc", 1000, portugal,
                  sizeof portugal / sizeof portugal[0]);
    /* A name that is no country fails, naming the closest. */
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_error_t err;
    assert_int_equal(evm_map_options_set(&mo, "extent", "Frnace", &err),
                     EVM_OK);
    evm_test_layout(m, m->example, &mo, EVM_ERR_NOT_FOUND, &err);
    assert_non_null(strstr(err.message, "France"));
    /* Four numbers are a box, checked as one. */
    assert_int_equal(evm_map_options_set(&mo, "extent", "10,50,5,40", &err),
                     EVM_ERR_INVALID_ARG);
}

/* The degree labels on the frame's edges: inside the frame, none on
 * another, on a marker or on an event label; a meridian's label stands
 * where PROJ says that meridian meets the edge (the page point inverted
 * through the scene's georeference), and a parallel's label inside the
 * frame (a ring round the pole) on its parallel; *rings counts those. */
static size_t check_grat_labels(const evm_test_map_t *m, const evm_scene_t *s,
                                const char *what, bool *has180, size_t *rings)
{
    PJ *pj = proj_create(m->ctx->pj, s->projection);
    assert_non_null(pj);
    const evm_layer_t *g = &s->layers[EVM_LAYER_GRATICULE];
    const evm_rect_t f = s->frame;
    size_t n = 0;
    for (size_t i = 0; i < g->n_items; i++) {
        const evm_item_t *it = &g->items[i];
        if (it->kind != EVM_ITEM_TEXT)
            continue;
        n++;
        evm_rect_t b = evm_test_item_box(it);
        assert_true(b.x >= f.x && b.y >= f.y && b.x + b.w <= f.x + f.w &&
                    b.y + b.h <= f.y + f.h);
        for (size_t k = 0; k < g->n_items; k++)
            if (k != i && g->items[k].kind == EVM_ITEM_TEXT)
                assert_false(
                    evm_test_rects_overlap(b, evm_test_item_box(&g->items[k])));
        static const evm_layer_id others[] = {EVM_LAYER_EVENTS,
                                              EVM_LAYER_LABELS};
        for (size_t l = 0; l < 2; l++)
            for (size_t k = 0; k < s->layers[others[l]].n_items; k++)
                if (evm_test_rects_overlap(
                        b, evm_test_item_box(&s->layers[others[l]].items[k])))
                    fail_msg("%s: \"%s\" covers %s", what, it->text.utf8,
                             s->layers[others[l]].items[k].id);
        const char *t = it->text.utf8;
        double v = strtod(t, NULL);
        size_t len = strlen(t);
        char hemi = t[len - 1];
        if (strcmp(t, "180\u00B0") == 0 && has180)
            *has180 = true;
        const double *mb = s->map_box;
        double cx = b.x + b.w / 2, cy = b.y + b.h / 2;
        /* An edge label stands 2 pt in, its halo 1.2 pt more. */
        bool at_edge = b.x - f.x < 10 || f.x + f.w - (b.x + b.w) < 10 ||
                       b.y - f.y < 10 || f.y + f.h - (b.y + b.h) < 10;
        if ((hemi == 'N' || hemi == 'S') && !at_edge) {
            /* A ring round the pole, labelled on a meridian: its centre
             * is on the parallel, to a pixel. */
            PJ_COORD c = proj_trans(
                pj, PJ_INV,
                proj_coord(mb[0] + (cx - f.x) / f.w * (mb[2] - mb[0]),
                           mb[3] - (cy - f.y) / f.h * (mb[3] - mb[1]), 0, 0));
            double lat = proj_todeg(c.v[1]), want = hemi == 'S' ? -v : v;
            double px_deg = (mb[2] - mb[0]) / f.w / 111e3;
            if (fabs(lat - want) > 2 * px_deg)
                fail_msg("%s: \"%s\" stands at %.3f deg", what, t, lat);
            if (rings)
                (*rings)++;
            continue;
        }
        if (hemi != 'E' && hemi != 'W' && strcmp(t, "180\u00B0") != 0)
            continue; /* a parallel, or 0 */
        if (hemi == 'W')
            v = -v;
        /* A meridian at the bottom or top edge: invert its centre. */
        double ey;
        if (fabs(b.y + b.h - (f.y + f.h)) < 4)
            ey = f.y + f.h;
        else if (fabs(b.y - f.y) < 4)
            ey = f.y;
        else
            continue;
        double px = mb[0] + (cx - f.x) / f.w * (mb[2] - mb[0]);
        double py = mb[3] - (ey - f.y) / f.h * (mb[3] - mb[1]);
        PJ_COORD c = proj_trans(pj, PJ_INV, proj_coord(px, py, 0, 0));
        double lon = proj_todeg(c.v[0]);
        double d = fabs(remainder(lon - v, 360));
        if (d > 0.02 * fmax(1, fabs(mb[2] - mb[0]) / 1e5))
            fail_msg("%s: \"%s\" stands at %.3f deg", what, t, lon);
    }
    proj_destroy(pj);
    print_message("%-12s %zu degree labels\n", what, n);
    return n;
}

static void test_graticule_labels(void **state)
{
    const evm_test_map_t *m = *state;
    evm_scene_t *s = frame_set(m, m->example);
    assert_true(check_grat_labels(m, s, "example", NULL, NULL) >= 6);
    evm_scene_destroy(s);
    /* Polar: meridians fan out to every edge. */
    evm_events_t *ev = load_set("arctic");
    s = frame_set(m, ev);
    size_t rings = 0;
    assert_true(check_grat_labels(m, s, "arctic", NULL, &rings) >= 6);
    assert_true(rings >= 1); /* 80°N meets the top edge where the title's
                                room is taken: it goes on a meridian */
    evm_scene_destroy(s);
    evm_events_destroy(ev);
    /* Round the pole the parallels take a step of their own (here 2°, not
     * the meridians' 30°), and are labelled. */
    ev = load_set("north-pole");
    s = frame_set(m, ev);
    rings = 0;
    check_grat_labels(m, s, "north-pole", NULL, &rings);
    size_t parallels = 0;
    const evm_layer_t *gl = &s->layers[EVM_LAYER_GRATICULE];
    for (size_t i = 0; i < gl->n_items; i++)
        if (gl->items[i].kind == EVM_ITEM_TEXT &&
            strstr(gl->items[i].text.utf8, "\u00B0N"))
            parallels++;
    assert_true(parallels >= 4); /* each meets an edge at this size */
    evm_scene_destroy(s);
    evm_events_destroy(ev);
    /* Across the antimeridian: 180 is "180°". */
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.title = "fiji";
    double e[4] = {175, -21, -176, -14};
    memcpy(mo.extent, e, sizeof e);
    mo.has_extent = true;
    s = evm_test_layout(m, NULL, &mo, EVM_OK, NULL);
    bool has180 = false;
    assert_true(check_grat_labels(m, s, "antimeridian", &has180, NULL) >= 4);
    assert_true(has180);
    evm_scene_destroy(s);
    /* None on a world map, none when switched off. */
    ev = load_set("capitals");
    s = frame_set(m, ev);
    assert_int_equal(check_grat_labels(m, s, "world", NULL, NULL), 0);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
    evm_map_options_init(&mo);
    mo.graticule_labels = false;
    s = evm_test_layout(m, m->example, &mo, EVM_OK, NULL);
    assert_int_equal(check_grat_labels(m, s, "off", NULL, NULL), 0);
    evm_scene_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_sets),
        cmocka_unit_test(test_example),
        cmocka_unit_test(test_world_no_band),
        cmocka_unit_test(test_scale_bar),
        cmocka_unit_test(test_orthographic),
        cmocka_unit_test(test_inset),
        cmocka_unit_test(test_center),
        cmocka_unit_test(test_countries),
        cmocka_unit_test(test_graticule_labels),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
