/* Tests of geo/view: fitting, the lon/lat box, and geometry that must be
 * cut at the antimeridian, closed round a pole, clipped and densified.
 * Expectations are hand-computable: which side of the map a piece lies
 * on, whether a page point is inside the filled result, how far a chord
 * may stray from the curve it stands for. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "geo/view.h"
#include "testutil.h"

/* A view and the projection it borrows. */
typedef struct fixture {
    evm_projection_t *proj;
    evm_view_t view;
} fixture_t;

static void fx_init(PJ_CONTEXT *ctx, fixture_t *f, const char *def, double w,
                    double s, double e, double n, evm_rect_t frame)
{
    evm_error_t err = {0};
    if (evm_projection_create(ctx, def, &f->proj, &err))
        fail_msg("%s: %s", def, err.message);
    const double extent[4] = {w, s, e, n};
    if (evm_view_init(&f->view, f->proj, extent, frame, &err))
        fail_msg("view of %s: %s", def, err.message);
}

static void fx_free(fixture_t *f)
{
    evm_projection_destroy(f->proj);
}

static const evm_rect_t world_frame = {0, 0, 1000, 500};

/* Geometry is projected through the view's interpolation grid, which
 * places points within tol_px / 8 of their exact images. */
#define GRID_PX (0.5 / 8 + 1e-9)

static size_t sub_end(const evm_path_t *p, size_t k)
{
    return k + 1 < p->n_subs ? p->sub_start[k + 1] : p->n_pts;
}

/* Non-zero winding number of (x, y) over all closed subpaths. */
static int winding(const evm_path_t *p, double x, double y)
{
    int w = 0;
    for (size_t k = 0; k < p->n_subs; k++) {
        size_t a = p->sub_start[k], b = sub_end(p, k);
        for (size_t i = a; i < b; i++) {
            evm_point_t u = p->pts[i];
            evm_point_t v = p->pts[i + 1 < b ? i + 1 : a];
            double cross = (v.x - u.x) * (y - u.y) - (x - u.x) * (v.y - u.y);
            if (u.y <= y && v.y > y && cross > 0)
                w++;
            else if (u.y > y && v.y <= y && cross < 0)
                w--;
        }
    }
    return w;
}

static bool inside(const evm_path_t *p, const evm_view_t *v, double lon,
                   double lat)
{
    double x, y;
    if (!evm_view_forward(v, lon, lat, &x, &y))
        fail_msg("(%g, %g) cannot be projected", lon, lat);
    return winding(p, x, y) != 0;
}

static double sub_area(const evm_path_t *p, size_t k)
{
    size_t a = p->sub_start[k], b = sub_end(p, k);
    double s = 0;
    for (size_t i = a; i < b; i++) {
        evm_point_t u = p->pts[i], v = p->pts[i + 1 < b ? i + 1 : a];
        s += u.x * v.y - v.x * u.y;
    }
    return fabs(s) / 2;
}

/* Every point finite and inside the clip rectangle; every segment no
 * longer than max_len; rings closed, lines open. */
static void check_path(const evm_path_t *p, const evm_view_t *v, bool closed,
                       double max_len)
{
    const evm_rect_t c = v->clip;
    for (size_t k = 0; k < p->n_subs; k++) {
        size_t a = p->sub_start[k], b = sub_end(p, k);
        assert_true(b - a >= 2);
        assert_true(p->sub_closed[k] == closed);
        for (size_t i = a; i < b; i++) {
            evm_point_t q = p->pts[i];
            assert_true(isfinite(q.x) && isfinite(q.y));
            if (q.x < c.x - 1e-9 || q.x > c.x + c.w + 1e-9 ||
                q.y < c.y - 1e-9 || q.y > c.y + c.h + 1e-9)
                fail_msg("point (%g, %g) outside the clip rectangle", q.x, q.y);
            if (i > a) {
                double len =
                    hypot(q.x - p->pts[i - 1].x, q.y - p->pts[i - 1].y);
                if (len > max_len)
                    fail_msg("segment of %g px (max %g) at (%g, %g)", len,
                             max_len, q.x, q.y);
            }
        }
    }
}

static double frame_diag(const evm_view_t *v)
{
    return hypot(v->frame.w, v->frame.h);
}

/* ---- fitting ------------------------------------------------------------ */

static void test_init_fits_extent(void **state)
{
    fixture_t f;
    fx_init(*state, &f, "+proj=merc +lon_0=0 +ellps=WGS84", -10, -10, 10, 10,
            world_frame);
    const evm_view_t *v = &f.view;
    /* Mercator's y at 10 deg exceeds its x at 10 deg slightly, but the
     * frame is twice as wide as high: the height decides the scale, and
     * the extent's top and bottom touch the frame. */
    double x, y;
    assert_true(evm_view_forward(v, 0, 0, &x, &y));
    assert_true(fabs(x - 500) < 1e-9 && fabs(y - 250) < 1e-9);
    assert_true(evm_view_forward(v, 0, 10, &x, &y));
    assert_true(fabs(y - 0) < 1e-6);
    assert_true(evm_view_forward(v, 0, -10, &x, &y));
    assert_true(fabs(y - 500) < 1e-6);
    /* echo 10 0 | cct -d 6 -z 0 -t 0 +proj=merc +lon_0=0 +ellps=WGS84
     * gives x = 1113194.907933; echo 0 10 | cct ... gives y =
     * 1111475.102852: x at 10 E is 250 px times their ratio right of the
     * centre. */
    assert_true(evm_view_forward(v, 10, 0, &x, &y));
    assert_true(fabs(x - (500 + 250 * 1113194.907933 / 1111475.102852)) < 1e-6);
    double lon, lat;
    assert_true(evm_view_inverse(v, 500, 250, &lon, &lat));
    assert_true(fabs(lon) < 1e-9 && fabs(lat) < 1e-9);
    /* The clip rectangle is the frame grown by 16 px. */
    assert_true(v->clip.x == -16 && v->clip.y == -16 && v->clip.w == 1032 &&
                v->clip.h == 532);
    /* view->ll covers the frame (which shows 20 deg of latitude and
     * about 40 of longitude) and not much more. */
    assert_true(v->ll.w < -20 && v->ll.w > -30);
    assert_true(v->ll.e > 20 && v->ll.e < 30);
    assert_true(v->ll.s < -10 && v->ll.s > -15);
    assert_true(v->ll.n > 10 && v->ll.n < 15);
    assert_true(v->tol_px == 0.5);
    fx_free(&f);
}

static void test_init_refuses(void **state)
{
    evm_projection_t *p = NULL;
    evm_error_t err = {0};
    assert_int_equal(evm_projection_create(*state, "+proj=merc", &p, &err),
                     EVM_OK);
    evm_view_t v;
    const double flat[4] = {10, 10, 10, 20};
    assert_int_equal(evm_view_init(&v, p, flat, world_frame, &err),
                     EVM_ERR_INVALID_ARG);
    const double nan_box[4] = {NAN, 10, 10, 20};
    assert_int_equal(evm_view_init(&v, p, nan_box, world_frame, &err),
                     EVM_ERR_INVALID_ARG);
    const double ok[4] = {0, 0, 10, 10};
    assert_int_equal(evm_view_init(&v, p, ok, (evm_rect_t){0, 0, 0, 100}, &err),
                     EVM_ERR_INVALID_ARG);
    evm_projection_destroy(p);
}

static void test_ll_whole_globe(void **state)
{
    /* An Equal Earth world map: the frame's corners are off the globe. */
    fixture_t f;
    fx_init(*state, &f, "+proj=eqearth +lon_0=0 +ellps=WGS84", -180, -90, 180,
            90, world_frame);
    assert_true(f.view.ll.w == -180 && f.view.ll.e == 180);
    assert_true(f.view.ll.s == -90 && f.view.ll.n == 90);
    fx_free(&f);
    /* A polar map with the pole inside the frame: all longitudes, up to
     * the pole. */
    fx_init(*state, &f, "+proj=laea +lat_0=90 +lon_0=20 +ellps=WGS84", -180, 60,
            180, 90, (evm_rect_t){0, 0, 600, 600});
    assert_true(f.view.ll.w == -180 && f.view.ll.e == 180);
    assert_true(f.view.ll.n == 90);
    assert_true(f.view.ll.s < 60 && f.view.ll.s > 40);
    fx_free(&f);
    /* A Mercator world map: latitude is bounded short of the poles. */
    fx_init(*state, &f, "+proj=merc +ellps=WGS84", -180, -80, 180, 84,
            world_frame);
    assert_true(f.view.ll.n < 90 && f.view.ll.s > -90);
    double x, y;
    assert_true(evm_view_forward(&f.view, 0, f.view.ll.n, &x, &y));
    fx_free(&f);
}

static void test_box_visible(void **state)
{
    fixture_t f;
    /* Europe in LCC: view->ll is well inside [-180, 180]. */
    fx_init(*state, &f,
            "+proj=lcc +lat_1=39 +lat_2=56 +lat_0=47.5 +lon_0=10 "
            "+ellps=WGS84",
            -10, 35, 30, 60, world_frame);
    evm_llbox_t france = {-5, 42, 8, 51}, australia = {113, -44, 154, -10};
    evm_llbox_t chukotka = {-180, 60, 180, 72}; /* crosses the cut */
    evm_llbox_t all = {-180, -90, 180, 90}, alaska = {-170, 52, -130, 71};
    assert_true(evm_view_box_visible(&f.view, &france));
    assert_false(evm_view_box_visible(&f.view, &australia));
    assert_false(evm_view_box_visible(&f.view, &alaska));
    assert_true(evm_view_box_visible(&f.view, &chukotka)); /* conservative */
    assert_true(evm_view_box_visible(&f.view, &all));
    fx_free(&f);

    /* The Pacific, centred on -160: view->ll straddles the data's
     * antimeridian but not the view's cut (at 20 E). */
    fx_init(*state, &f, "+proj=merc +lon_0=-160 +ellps=WGS84", 150, -30, 250,
            30, world_frame);
    evm_llbox_t fiji_w = {177, -19, 180, -16}, fiji_e = {-180, -19, -178, -16};
    evm_llbox_t fiji_e360 = {177, -19, 182, -16}; /* E > 180 */
    evm_llbox_t africa = {-18, -35, 52, 37}, hawaii = {-160, 18, -154, 23};
    evm_llbox_t india = {68, 6, 97, 36};
    assert_true(evm_view_box_visible(&f.view, &fiji_w));
    assert_true(evm_view_box_visible(&f.view, &fiji_e));
    assert_true(evm_view_box_visible(&f.view, &fiji_e360));
    assert_true(evm_view_box_visible(&f.view, &hawaii));
    assert_false(evm_view_box_visible(&f.view, &africa));
    assert_false(evm_view_box_visible(&f.view, &india));
    /* The frame is wider than the extent: it reaches Australia's east
     * coast (154 E is 46 deg west of the centre). */
    assert_true(evm_view_box_visible(&f.view, &australia));
    /* A box reaching past the view's cut (20 E) from the west wraps onto
     * the view's east side. */
    evm_llbox_t straddle = {-100, 0, 30, 10};
    assert_true(evm_view_box_visible(&f.view, &straddle));
    fx_free(&f);
}

/* ---- rings -------------------------------------------------------------- */

static void test_ring_across_antimeridian(void **state)
{
    /* A square from 170 E to 170 W, 10 S to 10 N. */
    const double sq[] = {170, -10, -170, -10, -170, 10, 170, 10};
    fixture_t f;
    evm_path_t path = {0};

    /* Cut at 180: two pieces, one at each edge of the world. */
    fx_init(*state, &f, "+proj=eqearth +lon_0=0 +ellps=WGS84", -180, -90, 180,
            90, world_frame);
    assert_int_equal(evm_view_add_ring(&f.view, sq, 4, &path), EVM_OK);
    assert_int_equal(path.n_subs, 2);
    check_path(&path, &f.view, true, frame_diag(&f.view) / 8);
    /* Equal Earth's meridians bend inwards away from the equator: the
     * pieces reach furthest in at 10 N/S, and out to the map's edge at
     * the equator. */
    double x_edge_e, x_edge_w, y, x170, xm170;
    assert_true(evm_view_forward(&f.view, 180, 0, &x_edge_e, &y));
    assert_true(evm_view_forward(&f.view, -180, 0, &x_edge_w, &y));
    assert_true(evm_view_forward(&f.view, 170, 10, &x170, &y));
    assert_true(evm_view_forward(&f.view, -170, 10, &xm170, &y));
    int east = 0, west = 0;
    for (size_t k = 0; k < path.n_subs; k++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = path.sub_start[k]; i < sub_end(&path, k); i++) {
            lo = fmin(lo, path.pts[i].x);
            hi = fmax(hi, path.pts[i].x);
        }
        if (lo > 500) {
            east++;
            assert_true(fabs(lo - x170) < GRID_PX &&
                        fabs(hi - x_edge_e) < GRID_PX);
        } else {
            west++;
            assert_true(fabs(hi - xm170) < GRID_PX &&
                        fabs(lo - x_edge_w) < GRID_PX);
        }
    }
    assert_true(east == 1 && west == 1);
    /* Symmetric about the centre meridian: equal areas. */
    assert_true(fabs(sub_area(&path, 0) - sub_area(&path, 1)) <
                1e-6 * sub_area(&path, 0));
    assert_true(inside(&path, &f.view, 175, 0));
    assert_true(inside(&path, &f.view, -175, 5));
    assert_false(inside(&path, &f.view, 0, 0)); /* no flood */
    evm_path_free(&path);
    fx_free(&f);

    /* Centred on 180: one piece in the middle of the map. */
    fx_init(*state, &f, "+proj=eqearth +lon_0=180 +ellps=WGS84", 0, -90, 360,
            90, world_frame);
    assert_int_equal(evm_view_add_ring(&f.view, sq, 4, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    check_path(&path, &f.view, true, frame_diag(&f.view) / 8);
    assert_true(inside(&path, &f.view, 180, 0));
    for (size_t i = 0; i < path.n_pts; i++)
        assert_true(fabs(path.pts[i].x - 500) < 40);
    evm_path_free(&path);
    fx_free(&f);
}

/* An Antarctica: a ring at about 70 S going once round the south pole,
 * with no point near the pole. */
static size_t antarctica(double *pts, bool eastwards)
{
    size_t n = 0;
    for (int lon = -175; lon <= 175; lon += 10) {
        pts[2 * n] = eastwards ? lon : -lon;
        pts[2 * n + 1] = -70 + 3 * sin(lon * 0.1);
        n++;
    }
    return n;
}

static void test_ring_round_south_pole(void **state)
{
    double ring[2 * 40];
    fixture_t f;
    fx_init(*state, &f, "+proj=eqearth +lon_0=0 +ellps=WGS84", -180, -90, 180,
            90, world_frame);
    for (int dir = 0; dir < 2; dir++) {
        size_t n = antarctica(ring, dir == 0);
        evm_path_t path = {0};
        assert_int_equal(evm_view_add_ring(&f.view, ring, n, &path), EVM_OK);
        /* Closed at the cut, through the pole: one piece, whatever the
         * direction of travel. */
        assert_int_equal(path.n_subs, 1);
        check_path(&path, &f.view, true, frame_diag(&f.view) / 8);
        /* It covers the bottom of the map, edge to edge... */
        assert_true(inside(&path, &f.view, 0, -85));
        assert_true(inside(&path, &f.view, 179, -80));
        assert_true(inside(&path, &f.view, -179, -80));
        assert_true(inside(&path, &f.view, 90, -89));
        /* ...and nothing north of the coast: no band from a stray
         * horizontal edge. */
        assert_false(inside(&path, &f.view, 0, -60));
        assert_false(inside(&path, &f.view, 179, -60));
        assert_false(inside(&path, &f.view, 0, 0));
        /* The bottom edge is the pole line of Equal Earth. */
        double px, py_pole, ymax = -INFINITY;
        assert_true(evm_view_forward(&f.view, 0, -90, &px, &py_pole));
        for (size_t i = 0; i < path.n_pts; i++)
            ymax = fmax(ymax, path.pts[i].y);
        assert_true(fabs(ymax - py_pole) < 1e-6);
        evm_path_free(&path);
    }
    fx_free(&f);

    /* Seen from above the pole, the same ring is a disc round the
     * centre. */
    fx_init(*state, &f, "+proj=laea +lat_0=-90 +lon_0=0 +ellps=WGS84", -180,
            -90, 180, -55, (evm_rect_t){0, 0, 600, 600});
    size_t n = antarctica(ring, true);
    evm_path_t path = {0};
    assert_int_equal(evm_view_add_ring(&f.view, ring, n, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    check_path(&path, &f.view, true, frame_diag(&f.view) / 8);
    assert_true(winding(&path, 300, 300) != 0);
    assert_true(inside(&path, &f.view, 45, -80));
    assert_false(inside(&path, &f.view, 45, -60));
    evm_path_free(&path);
    fx_free(&f);
}

static void test_ring_outside_view(void **state)
{
    fixture_t f;
    fx_init(*state, &f,
            "+proj=lcc +lat_1=39 +lat_2=56 +lat_0=47.5 +lon_0=10 "
            "+ellps=WGS84",
            -10, 35, 30, 60, world_frame);
    const double australia[] = {115, -35, 150, -38, 153, -25,
                                142, -11, 130, -12, 114, -22};
    evm_path_t path = {0};
    assert_int_equal(evm_view_add_ring(&f.view, australia, 6, &path), EVM_OK);
    assert_int_equal(path.n_subs, 0);
    assert_int_equal(path.n_pts, 0);
    /* A ring round the view (an ocean with the view as a hole in it)
     * clips to the clip rectangle, which it covers. */
    const double big[] = {-60, 10, 60, 10, 60, 80, -60, 80};
    assert_int_equal(evm_view_add_ring(&f.view, big, 4, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    check_path(&path, &f.view, true, INFINITY);
    assert_true(fabs(sub_area(&path, 0) - f.view.clip.w * f.view.clip.h) <
                1e-6);
    /* Degenerate input draws nothing. */
    evm_path_free(&path);
    const double two[] = {0, 50, 10, 50};
    assert_int_equal(evm_view_add_ring(&f.view, two, 2, &path), EVM_OK);
    const double nan_ring[] = {NAN, 50, 10, NAN, 5, 45};
    assert_int_equal(evm_view_add_ring(&f.view, nan_ring, 3, &path), EVM_OK);
    assert_int_equal(path.n_subs, 0);
    fx_free(&f);
}

static void test_eurasia_does_not_flood_pacific(void **state)
{
    /* A Eurasia whose eastern tip (Chukotka) crosses the antimeridian:
     * as planar lon/lat it spans -175..179.5 and covers the Pacific. */
    const double eurasia[] = {-10,  36, 30,   30, 60,  25, 100,   10,
                              120,  25, 140,  40, 160, 60, 179.5, 65,
                              -175, 66, -170, 68, 179, 70, 140,   74,
                              100,  77, 60,   72, 20,  70, -10,   60};
    size_t n = sizeof eurasia / sizeof *eurasia / 2;
    fixture_t f;
    fx_init(*state, &f, "+proj=merc +lon_0=-160 +ellps=WGS84", 150, -30, 250,
            30, world_frame);
    evm_path_t path = {0};
    assert_int_equal(evm_view_add_ring(&f.view, eurasia, n, &path), EVM_OK);
    check_path(&path, &f.view, true, frame_diag(&f.view) / 8);
    assert_false(inside(&path, &f.view, -150, 0));
    assert_false(inside(&path, &f.view, 180, 10));
    assert_false(inside(&path, &f.view, -120, 20));
    double area = 0;
    for (size_t k = 0; k < path.n_subs; k++)
        area += sub_area(&path, k);
    assert_true(area < 0.1 * f.view.frame.w * f.view.frame.h);
    evm_path_free(&path);
    fx_free(&f);

    /* And in a world view it is one continent plus the Chukotka tip on
     * the far west edge, not a band across the map. */
    fx_init(*state, &f, "+proj=eqearth +lon_0=0 +ellps=WGS84", -180, -90, 180,
            90, world_frame);
    assert_int_equal(evm_view_add_ring(&f.view, eurasia, n, &path), EVM_OK);
    assert_int_equal(path.n_subs, 2);
    assert_true(inside(&path, &f.view, 90, 50));
    assert_true(inside(&path, &f.view, -178, 67));
    assert_false(inside(&path, &f.view, -150, 0));
    assert_false(inside(&path, &f.view, -100, 40));
    evm_path_free(&path);
    fx_free(&f);
}

/* For each consecutive pair of output points: the page point of the
 * lon/lat midpoint is within tol of the chord's midpoint. */
static void check_densified(const evm_path_t *p, const evm_view_t *v,
                            double tol)
{
    size_t pairs = 0;
    for (size_t k = 0; k < p->n_subs; k++) {
        size_t a = p->sub_start[k], b = sub_end(p, k);
        for (size_t i = a + 1; i < b; i++) {
            evm_point_t u = p->pts[i - 1], w = p->pts[i];
            double lon1, lat1, lon2, lat2, mx, my;
            assert_true(evm_view_inverse(v, u.x, u.y, &lon1, &lat1));
            assert_true(evm_view_inverse(v, w.x, w.y, &lon2, &lat2));
            assert_true(evm_view_forward(v, (lon1 + lon2) / 2,
                                         (lat1 + lat2) / 2, &mx, &my));
            double d = hypot(mx - (u.x + w.x) / 2, my - (u.y + w.y) / 2);
            if (d > tol)
                fail_msg("chord (%g, %g)-(%g, %g) strays %g px", u.x, u.y, w.x,
                         w.y, d);
            pairs++;
        }
    }
    assert_true(pairs > 0);
}

static void test_densification_bound(void **state)
{
    fixture_t f;
    fx_init(*state, &f,
            "+proj=lcc +lat_1=36 +lat_2=60 +lat_0=48 +lon_0=80 "
            "+ellps=WGS84",
            30, 30, 130, 66, world_frame);
    /* Long edges: along a parallel (an arc of a circle on the page), along
     * a meridian (straight, but not uniformly scaled) and a diagonal. */
    const double lines[][4] = {
        {35, 35, 125, 35}, {80, 32, 80, 64}, {40, 62, 125, 33}};
    for (size_t i = 0; i < 3; i++) {
        evm_path_t path = {0};
        assert_int_equal(evm_view_add_line(&f.view, lines[i], 2, &path),
                         EVM_OK);
        assert_int_equal(path.n_subs, 1);
        /* At least the long-piece rule's 1/8 of the diagonal. */
        assert_true(path.n_pts >= 4);
        check_path(&path, &f.view, false, frame_diag(&f.view) / 8);
        check_densified(&path, &f.view, 0.5 + 1e-9);
        /* The ends are where they should be. */
        double x, y;
        assert_true(
            evm_view_forward(&f.view, lines[i][2], lines[i][3], &x, &y));
        assert_true(fabs(path.pts[path.n_pts - 1].x - x) < GRID_PX);
        assert_true(fabs(path.pts[path.n_pts - 1].y - y) < GRID_PX);
        evm_path_free(&path);
    }
    /* Many short edges (vertex spacing of a few km, like 50m data): the
     * edges drawn as chords without a midpoint test keep the bound too. */
    enum { N = 4000 };
    static double circle[2 * N];
    for (int i = 0; i < N; i++) {
        double t = 2 * 3.141592653589793 * i / N;
        circle[2 * i] = 80 + 30 * cos(t) + 0.3 * sin(37 * t);
        circle[2 * i + 1] = 48 + 14 * sin(t) + 0.2 * cos(53 * t);
    }
    evm_path_t path = {0};
    assert_int_equal(evm_view_add_ring(&f.view, circle, N, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    check_path(&path, &f.view, true, frame_diag(&f.view) / 8);
    check_densified(&path, &f.view, 0.5 + 1e-9);
    evm_path_free(&path);
    fx_free(&f);
}

static void test_lines_cut_without_stray_segments(void **state)
{
    /* Crosses 180 at 15 N (between (170, 10) and (-170, 20)), zigzags
     * across it near the Bering Strait, and goes on east. */
    const double line[] = {160,  5,  170,   10, -170,   20, -160,  30,
                           -170, 60, 179.9, 65, -179.9, 66, 179.8, 67};
    size_t n = sizeof line / sizeof *line / 2;
    fixture_t f;
    fx_init(*state, &f, "+proj=eqearth +lon_0=0 +ellps=WGS84", -180, -90, 180,
            90, world_frame);
    evm_path_t path = {0};
    assert_int_equal(evm_view_add_line(&f.view, line, n, &path), EVM_OK);
    check_path(&path, &f.view, false, frame_diag(&f.view) / 8);
    /* Pieces: 160..180, -180..-170..(60 N)..-180 at 64.x, 180..179.9..180,
     * -180..-179.9..-180, 180..179.8. */
    assert_int_equal(path.n_subs, 5);
    /* The first piece ends on the east edge at 15 N, and a piece (the
     * pieces come copy by copy of the lon/lat box, not in line order)
     * starts on the west edge at 15 N. */
    double xe, ye, xw, yw;
    assert_true(evm_view_forward(&f.view, 180, 15, &xe, &ye));
    assert_true(evm_view_forward(&f.view, -180, 15, &xw, &yw));
    evm_point_t end0 = path.pts[sub_end(&path, 0) - 1];
    assert_true(fabs(end0.x - xe) < GRID_PX && fabs(end0.y - ye) < GRID_PX);
    int west_starts = 0;
    for (size_t k = 1; k < path.n_subs; k++) {
        evm_point_t q = path.pts[path.sub_start[k]];
        if (fabs(q.x - xw) < GRID_PX && fabs(q.y - yw) < GRID_PX)
            west_starts++;
    }
    assert_int_equal(west_starts, 1);
    evm_path_free(&path);
    fx_free(&f);

    /* Centred on 180 the same line is one piece. */
    fx_init(*state, &f, "+proj=eqearth +lon_0=180 +ellps=WGS84", 0, -90, 360,
            90, world_frame);
    assert_int_equal(evm_view_add_line(&f.view, line, n, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    check_path(&path, &f.view, false, frame_diag(&f.view) / 8);
    evm_path_free(&path);
    fx_free(&f);
}

static void test_line_clipped_to_clip_rect(void **state)
{
    fixture_t f;
    fx_init(*state, &f, "+proj=merc +lon_0=0 +ellps=WGS84", -10, -10, 10, 10,
            world_frame);
    /* From the centre along the equator to 60 E, far outside. */
    const double line[] = {0, 0, 60, 0};
    evm_path_t path = {0};
    assert_int_equal(evm_view_add_line(&f.view, line, 2, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    check_path(&path, &f.view, false, INFINITY);
    evm_point_t last = path.pts[path.n_pts - 1];
    assert_true(last.x == f.view.clip.x + f.view.clip.w);
    assert_true(fabs(last.y - 250) < GRID_PX);
    assert_true(fabs(path.pts[0].x - 500) < GRID_PX &&
                fabs(path.pts[0].y - 250) < GRID_PX);
    evm_path_free(&path);

    /* In and out and in again: two pieces. */
    const double zig[] = {-5, 0, -5, 40, 5, 40, 5, 0};
    assert_int_equal(evm_view_add_line(&f.view, zig, 4, &path), EVM_OK);
    assert_int_equal(path.n_subs, 2);
    check_path(&path, &f.view, false, INFINITY);
    assert_true(path.pts[sub_end(&path, 0) - 1].y == f.view.clip.y);
    assert_true(path.pts[path.sub_start[1]].y == f.view.clip.y);
    evm_path_free(&path);
    fx_free(&f);
}

static void test_clip_ring_to_rect(void **state)
{
    (void)state;
    const evm_rect_t r = {0, 0, 10, 10};
    evm_path_t path = {0};
    /* Overlapping the right half: the overlap is 5 x 10. */
    const evm_point_t half[] = {{5, -5}, {20, -5}, {20, 15}, {5, 15}};
    assert_int_equal(evm_clip_ring_to_rect(half, 4, r, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    assert_true(path.sub_closed[0]);
    assert_true(fabs(sub_area(&path, 0) - 50) < 1e-12);
    evm_path_free(&path);
    /* Outside: nothing. */
    const evm_point_t away[] = {{20, 20}, {30, 20}, {30, 30}};
    assert_int_equal(evm_clip_ring_to_rect(away, 3, r, &path), EVM_OK);
    assert_int_equal(path.n_subs, 0);
    /* Wrapping round a corner without covering it: no area, nothing. */
    const evm_point_t ell[] = {{-5, -5}, {20, -5}, {20, -1},
                               {-1, -1}, {-1, 20}, {-5, 20}};
    assert_int_equal(evm_clip_ring_to_rect(ell, 6, r, &path), EVM_OK);
    assert_int_equal(path.n_subs, 0);
    /* Surrounding it: the rectangle. */
    const evm_point_t all[] = {{-5, -5}, {20, -5}, {20, 20}, {-5, 20}};
    assert_int_equal(evm_clip_ring_to_rect(all, 4, r, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    assert_true(fabs(sub_area(&path, 0) - 100) < 1e-12);
    /* A triangle with a vertex inside: exact intersection points. */
    evm_path_free(&path);
    const evm_point_t tri[] = {{5, 5}, {15, 5}, {5, 15}};
    assert_int_equal(evm_clip_ring_to_rect(tri, 3, r, &path), EVM_OK);
    /* Inside the rectangle the triangle x, y >= 5, x + y <= 20 is the
     * square [5, 10]^2 (x + y <= 20 holds on all of it): area 25. */
    assert_true(fabs(sub_area(&path, 0) - 25) < 1e-12);
    evm_path_free(&path);
}

/* An orthographic view on a sphere of radius R, built by hand so that
 * the globe is exactly the disc of radius 400 px centred on (400, 400):
 * x_px = 400 + 400 x / R, y_px = 400 - 400 y / R. */
static void ortho_view(PJ_CONTEXT *ctx, fixture_t *f, double lat0)
{
    char def[96];
    snprintf(def, sizeof def, "+proj=ortho +lat_0=%g +lon_0=0 +R=6378137",
             lat0);
    evm_error_t err = {0};
    if (evm_projection_create(ctx, def, &f->proj, &err))
        fail_msg("%s: %s", def, err.message);
    const double r = 6378137;
    f->view = (evm_view_t){.proj = f->proj,
                           .lon0 = 0,
                           .scale = 400 / r,
                           .x0 = -r,
                           .y0 = r,
                           .frame = {0, 0, 800, 800},
                           .clip = {-16, -16, 832, 832},
                           .ll = {-180, -90, 180, 90},
                           .tol_px = 0.5};
}

/* cos of the angle from the view's centre (lat0, 0): positive on the
 * visible hemisphere, 0 on the limb. */
static double visibility(double lat0, double lon, double lat)
{
    const double d = 3.141592653589793 / 180;
    return sin(lat0 * d) * sin(lat * d) +
           cos(lat0 * d) * cos(lat * d) * cos(lon * d);
}

static void test_orthographic_breaks(void **state)
{
    fixture_t f;
    ortho_view(*state, &f, 0);
    /* From the centre towards the far side: the line stops at the limb
     * (90 E, x = 800 px) instead of jumping. */
    const double out[] = {0, 0, 170, 0};
    evm_path_t path = {0};
    assert_int_equal(evm_view_add_line(&f.view, out, 2, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    check_path(&path, &f.view, false, frame_diag(&f.view) / 8);
    assert_true(fabs(path.pts[0].x - 400) < 1e-9 &&
                fabs(path.pts[0].y - 400) < 1e-9);
    evm_point_t end = path.pts[path.n_pts - 1];
    assert_true(end.x > 799.99 && end.x <= 800 && fabs(end.y - 400) < 1e-9);
    evm_path_free(&path);

    /* Out of view, back in, out again: two pieces, no segment across the
     * back. */
    const double wave[] = {0, 10, 120, 10, 120, 20, 30, 20};
    assert_int_equal(evm_view_add_line(&f.view, wave, 4, &path), EVM_OK);
    assert_int_equal(path.n_subs, 2);
    check_path(&path, &f.view, false, frame_diag(&f.view) / 8);
    evm_path_free(&path);

    /* Entirely on the far side: nothing. */
    const double back[] = {150, 0, 170, 10, -170, 20};
    assert_int_equal(evm_view_add_line(&f.view, back, 3, &path), EVM_OK);
    assert_int_equal(path.n_subs, 0);

    /* A ring over the limb is closed along it: its visible part. */
    const double sq[] = {60, -10, 120, -10, 120, 10, 60, 10};
    assert_int_equal(evm_view_add_ring(&f.view, sq, 4, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    check_path(&path, &f.view, true, frame_diag(&f.view) / 8);
    assert_true(inside(&path, &f.view, 75, 0));
    /* The gap is bridged by the chord between the limb points at 10 S
     * and 10 N (x = 400 + 400 cos 10 deg = 793.9 px): (80, 5) is inside
     * (792.4 px), (89, 5) between the chord and the limb is not. */
    assert_true(inside(&path, &f.view, 80, 5));
    assert_false(inside(&path, &f.view, 89, 5));
    assert_false(inside(&path, &f.view, 55, 0));
    evm_path_free(&path);
    fx_free(&f);

    /* Seen from 45 N, an edge from (-130, 10) to (40, -70) has both ends
     * on the far side and its middle, (-45, -30), in view: the middle is
     * found and drawn from limb to limb. */
    ortho_view(*state, &f, 45);
    assert_true(visibility(45, -130, 10) < 0);
    assert_true(visibility(45, 40, -70) < 0);
    assert_true(visibility(45, -45, -30) > 0);
    const double across[] = {-130, 10, 40, -70};
    assert_int_equal(evm_view_add_line(&f.view, across, 2, &path), EVM_OK);
    assert_int_equal(path.n_subs, 1);
    check_path(&path, &f.view, false, frame_diag(&f.view) / 8);
    for (size_t i = 0; i < path.n_pts; i++) {
        double lon, lat;
        assert_true(evm_view_inverse(&f.view, path.pts[i].x, path.pts[i].y,
                                     &lon, &lat));
        double c = visibility(45, lon, lat);
        assert_true(c >= 0);
        /* The ends lie on the limb (1e-4 rad is 0.04 px here). */
        if (i == 0 || i + 1 == path.n_pts)
            assert_true(c < 1e-4);
    }
    evm_path_free(&path);
    fx_free(&f);
}

/* A second view on the same projection reconfigures the projection's
 * interpolation grid; the first view then projects exactly, and draws
 * the same geometry within the grid's tolerance. */
static void test_two_views_share_projection(void **state)
{
    fixture_t f;
    fx_init(*state, &f,
            "+proj=lcc +lat_1=36 +lat_2=60 +lat_0=48 +lon_0=80 "
            "+ellps=WGS84",
            30, 30, 130, 66, world_frame);
    const double ring[] = {60, 40, 100, 40, 100, 55, 60, 55};
    evm_path_t a = {0}, b = {0}, c = {0};
    assert_int_equal(evm_view_add_ring(&f.view, ring, 4, &a), EVM_OK);
    evm_view_t other;
    evm_error_t err = {0};
    const double extent[4] = {70, 40, 90, 50};
    assert_int_equal(evm_view_init(&other, f.proj, extent, world_frame, &err),
                     EVM_OK);
    assert_int_equal(evm_view_add_ring(&f.view, ring, 4, &b), EVM_OK);
    assert_int_equal(evm_view_add_ring(&other, ring, 4, &c), EVM_OK);
    assert_int_equal(a.n_subs, 1);
    assert_int_equal(b.n_subs, 1);
    assert_int_equal(c.n_subs, 1);
    /* Same edges, densified from points that differ by at most GRID_PX:
     * every point of one lies near the other's outline. */
    for (size_t i = 0; i < a.n_pts; i++) {
        double best = INFINITY;
        for (size_t j = 0; j < b.n_pts; j++) {
            evm_point_t p = b.pts[j], q = b.pts[(j + 1) % b.n_pts];
            double dx = q.x - p.x, dy = q.y - p.y;
            double t = ((a.pts[i].x - p.x) * dx + (a.pts[i].y - p.y) * dy) /
                       (dx * dx + dy * dy);
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            best = fmin(best, hypot(a.pts[i].x - (p.x + t * dx),
                                    a.pts[i].y - (p.y + t * dy)));
        }
        assert_true(best < 0.5 + GRID_PX);
    }
    /* The second view, zoomed in, sees the ring cover its whole frame. */
    assert_true(winding(&c, 500, 250) != 0);
    evm_path_free(&a);
    evm_path_free(&b);
    evm_path_free(&c);
    fx_free(&f);
}

/* Synthetic coastlines: rings of wiggly circles of ~5 km vertex spacing
 * scattered over the Korea-to-Moscow box, 80 000 points in all, drawn
 * in the view chosen for that box. */
static void test_timing_80k_points(void **state)
{
    fixture_t f;
    fx_init(*state, &f,
            "+proj=lcc +lat_1=36 +lat_2=60 +lat_0=48 +lon_0=80 "
            "+ellps=WGS84 +units=m +no_defs",
            30, 30, 130, 66, (evm_rect_t){0, 0, 1600, 1000});
    enum { RINGS = 400, PER = 200 };
    static double pts[RINGS][2 * PER];
    for (int r = 0; r < RINGS; r++) {
        double clon = 32 + (r % 20) * 5, clat = 31 + (r / 20) * 1.8;
        for (int i = 0; i < PER; i++) {
            double t = 2 * 3.141592653589793 * i / PER;
            double rad = 0.8 + 0.1 * sin(7 * t + r) + 0.05 * sin(31 * t);
            pts[r][2 * i] = clon + rad * cos(t) / cos(clat * 0.01745);
            pts[r][2 * i + 1] = clat + rad * sin(t);
        }
    }
    evm_path_t path = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int r = 0; r < RINGS; r++)
        assert_int_equal(evm_view_add_ring(&f.view, pts[r], PER, &path),
                         EVM_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    print_message("80000 points in %d rings: %.2f ms, %zu page points\n", RINGS,
                  ms, path.n_pts);
    assert_int_equal(path.n_subs, RINGS);
    check_path(&path, &f.view, true, frame_diag(&f.view) / 8);
    /* Generous enough for a sanitizer build on a busy machine. */
    assert_true(ms < 2000);
    evm_path_free(&path);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_fits_extent),
        cmocka_unit_test(test_init_refuses),
        cmocka_unit_test(test_ll_whole_globe),
        cmocka_unit_test(test_box_visible),
        cmocka_unit_test(test_ring_across_antimeridian),
        cmocka_unit_test(test_ring_round_south_pole),
        cmocka_unit_test(test_ring_outside_view),
        cmocka_unit_test(test_eurasia_does_not_flood_pacific),
        cmocka_unit_test(test_densification_bound),
        cmocka_unit_test(test_lines_cut_without_stray_segments),
        cmocka_unit_test(test_line_clipped_to_clip_rect),
        cmocka_unit_test(test_clip_ring_to_rect),
        cmocka_unit_test(test_orthographic_breaks),
        cmocka_unit_test(test_two_views_share_projection),
        cmocka_unit_test(test_timing_80k_points),
    };
    return cmocka_run_group_tests(tests, evm_test_proj_setup,
                                  evm_test_proj_teardown);
}
