/* Nearest points on geodesic polylines and country boundaries.
 *
 * Known by construction: a point due north or south of a segment along
 * the equator (the equator and meridians are geodesics and meet at right
 * angles, so the foot is on the point's meridian), a point whose nearest
 * point is a vertex, a line across the antimeridian, and the squares of
 * tests/data/topojson/squares.json (a hole, a shared border, an interior
 * edge between two parts of one country); reference lengths printed by
 * GeographicLib's GeodSolve. Against brute force: the distance from
 * random points to random segments, densified to 1 m, and from places to
 * Ukraine's 1:10m boundary, densified to 1 m along every segment that
 * could hold a nearer point (a segment whose ends are both further than
 * d + its length cannot). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <evmap/evmap.h>
#include <evmap/geodesy.h>

#include "core/context_internal.h"
#include "geo/lines_internal.h"
#include "testutil.h"

static evm_lines_t *make_lines(const double *lonlat, const size_t *start,
                               size_t n_lines)
{
    evm_lines_t *l = NULL;
    evm_error_t err;
    if (evm_lines_create("test", lonlat, start, n_lines, &l, &err))
        fail_msg("evm_lines_create: %s", err.message);
    return l;
}

/* GeodSolve -i -p 10 <<< "1 15 0 15" etc.: the reference lengths. */
static void test_equator_foot(void **state)
{
    (void)state;
    const double pts[] = {10, 0, 20, 0};
    const size_t start[] = {0, 2};
    evm_lines_t *l = make_lines(pts, start, 1);
    evm_nearest_t n;
    assert_true(evm_lines_nearest(l, 1, 15, &n));
    assert_true(fabs(n.dist_m - 110574.3885577988) < 1e-6);
    assert_true(fabs(n.lat_deg) < 1e-9 && fabs(n.lon_deg - 15) < 1e-9);
    assert_int_equal(n.line, 0);
    assert_int_equal(n.vertex, 0);
    /* 5 degrees of equator from the first vertex. */
    assert_true(fabs(n.along_m - 5 * 6378137.0 * 3.14159265358979323846 / 180) <
                1e-6);

    assert_true(evm_lines_nearest(l, -2, 12, &n));
    assert_true(fabs(n.dist_m - 221149.4533721349) < 1e-6);
    assert_true(fabs(n.lat_deg) < 1e-9 && fabs(n.lon_deg - 12) < 1e-9);

    /* On the line: distance zero. */
    assert_true(evm_lines_nearest(l, 0, 17.25, &n));
    assert_true(n.dist_m < 1e-6);
    evm_lines_destroy(l);
}

static void test_vertex_nearest(void **state)
{
    (void)state;
    /* An L: along the equator, then north along the meridian 20 E. The
     * point south-east of the corner is nearest to the corner itself. */
    const double pts[] = {10, 0, 20, 0, 20, 10};
    const size_t start[] = {0, 3};
    evm_lines_t *l = make_lines(pts, start, 1);
    evm_nearest_t n;
    assert_true(evm_lines_nearest(l, -1, 21, &n));
    assert_true(fabs(n.dist_m - 156899.5682913403) < 1e-6);
    assert_true(n.lat_deg == 0 && n.lon_deg == 20);
    /* Due east of the meridian part: the foot is near latitude 5. */
    assert_true(evm_lines_nearest(l, 5, 21, &n));
    assert_int_equal(n.vertex, 1);
    assert_true(fabs(n.lon_deg - 20) < 1e-9 && fabs(n.lat_deg - 5) < 0.01);
    evm_lines_destroy(l);
}

static void test_antimeridian_and_points(void **state)
{
    (void)state;
    /* Along the equator across 180, then a lone point. */
    const double pts[] = {179.5, 0, -179.5, 0, 100, 50};
    const size_t start[] = {0, 2, 3};
    evm_lines_t *l = make_lines(pts, start, 2);
    assert_int_equal(evm_lines_count(l), 2);
    assert_int_equal(evm_lines_point_count(l, 1), 1);
    evm_nearest_t n;
    assert_true(evm_lines_nearest(l, 0.5, 180, &n));
    assert_true(fabs(n.dist_m - 55287.1520034505) < 1e-6);
    assert_true(fabs(fabs(n.lon_deg) - 180) < 1e-9 && fabs(n.lat_deg) < 1e-9);
    assert_true(evm_lines_nearest(l, 50.01, 100, &n));
    assert_int_equal(n.line, 1);
    assert_true(n.lat_deg == 50 && n.lon_deg == 100);
    assert_int_equal(evm_lines_contains(l, 0, 0), -1);
    evm_lines_destroy(l);
}

static void test_invalid(void **state)
{
    (void)state;
    evm_lines_t *l = NULL;
    evm_error_t err;
    const double bad[] = {10, 95, 11, 0};
    const size_t start[] = {0, 2};
    assert_int_equal(evm_lines_create("x", bad, start, 1, &l, &err),
                     EVM_ERR_INVALID_ARG);
    assert_null(l);
    const size_t empty_line[] = {0, 0};
    assert_int_equal(evm_lines_create("x", bad, empty_line, 1, &l, &err),
                     EVM_ERR_INVALID_ARG);
    /* No lines: a valid, empty set. */
    assert_int_equal(evm_lines_create("none", NULL, NULL, 0, &l, &err), EVM_OK);
    evm_nearest_t n;
    assert_false(evm_lines_nearest(l, 0, 0, &n));
    assert_true(isnan(n.dist_m));
    evm_lines_destroy(l);
    evm_lines_destroy(NULL);

    const double ok[] = {10, 0, 11, 0};
    l = make_lines(ok, start, 1);
    assert_false(evm_lines_nearest(l, NAN, 0, &n));
    assert_false(evm_lines_nearest(l, 91, 0, &n));
    assert_false(evm_lines_nearest(l, 0, INFINITY, NULL));
    evm_lines_destroy(l);
}

/* ---- brute force ------------------------------------------------------ */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static double urand(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* The smallest distance from P to samples of the geodesic A-B spaced by
 * at most step_m, between s0 and s1 along it; *at gets the best s. */
static double sampled_min(double plat, double plon, double alat, double alon,
                          double azi, double s0, double s1, double step_m,
                          double *at)
{
    struct geod_geodesicline gl;
    geod_lineinit(&gl, evm_wgs84(), alat, alon, azi,
                  GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
    size_t n = (size_t)ceil((s1 - s0) / step_m);
    double best = INFINITY;
    for (size_t i = 0; i <= n; i++) {
        double s = s0 + (s1 - s0) * (double)i / (double)(n ? n : 1), lat, lon,
               d;
        geod_position(&gl, s, &lat, &lon, NULL);
        geod_inverse(evm_wgs84(), plat, plon, lat, lon, &d, NULL, NULL);
        if (d < best) {
            best = d;
            *at = s;
        }
    }
    return best;
}

/* Brute force to 1 m along the whole geodesic A-B. */
static double brute_segment(double plat, double plon, double alat, double alon,
                            double blat, double blon)
{
    double len, azi, at;
    geod_inverse(evm_wgs84(), alat, alon, blat, blon, &len, &azi, NULL);
    if (len <= 20e3)
        return sampled_min(plat, plon, alat, alon, azi, 0, len, 1.0, &at);
    /* Long: 1 km samples, then 1 m over the 2 km round the best (the
     * distance is unimodal at that scale). */
    sampled_min(plat, plon, alat, alon, azi, 0, len, 1000.0, &at);
    return sampled_min(plat, plon, alat, alon, azi, fmax(0, at - 1000),
                       fmin(len, at + 1000), 1.0, &at);
}

static void test_random_segments_brute_force(void **state)
{
    (void)state;
    double worst = 0;
    for (int k = 0; k < 16; k++) {
        double alat = -70 + 140 * urand(), alon = -180 + 360 * urand();
        double azi = -180 + 360 * urand();
        /* Mostly short segments like a border's; two long ones that are
         * split into pieces inside the set. */
        double len = k < 14 ? 500 + 15e3 * urand() : 900e3 + 600e3 * urand();
        double blat, blon, bazi;
        geod_direct(evm_wgs84(), alat, alon, azi, len, &blat, &blon, &bazi);
        /* P: off a point between -30 % and 130 % along, sideways. */
        double t = -0.3 + 1.6 * urand(), flat, flon, fazi, plat, plon;
        geod_direct(evm_wgs84(), alat, alon, azi, t * len, &flat, &flon, &fazi);
        double side = (urand() < 0.5 ? -90 : 90) + 20 * (urand() - 0.5);
        geod_direct(evm_wgs84(), flat, flon, fazi + side, 60e3 * urand(), &plat,
                    &plon, NULL);
        const double pts[] = {alon, alat, blon, blat};
        const size_t start[] = {0, 2};
        evm_lines_t *l = make_lines(pts, start, 1);
        evm_nearest_t n;
        assert_true(evm_lines_nearest(l, plat, plon, &n));
        double brute = brute_segment(plat, plon, alat, alon, blat, blon);
        /* The nearest point is a point of the segment at that distance. */
        double check;
        geod_inverse(evm_wgs84(), plat, plon, n.lat_deg, n.lon_deg, &check,
                     NULL, NULL);
        if (!(fabs(check - n.dist_m) < 1e-6))
            fail_msg("case %d: reported point is %.9f m away, not %.9f", k,
                     check, n.dist_m);
        /* 1 m samples overshoot the minimum by at most (0.5 m)^2 / 2d. */
        if (!(n.dist_m <= brute + 1e-6 && brute - n.dist_m <= 1e-3))
            fail_msg("case %d (len %.0f m, t %.2f): nearest %.6f m, brute "
                     "force %.6f m",
                     k, len, t, n.dist_m, brute);
        worst = fmax(worst, brute - n.dist_m);
        evm_lines_destroy(l);
    }
    print_message("random segments: brute force exceeds the search by at "
                  "most %.3g m\n",
                  worst);
}

/* The search's lower bound for a segment never exceeds the exact
 * distance to it: segments from 1 m to 1,500 km (pieces of up to 500
 * km), points beside them, hundreds and thousands of km away and round
 * the antipode. */
static void test_segment_bound(void **state)
{
    (void)state;
    double tightest = INFINITY;
    size_t n_checked = 0;
    for (int k = 0; k < 60; k++) {
        double alat = -80 + 160 * urand(), alon = -180 + 360 * urand();
        double len = pow(10, 6.2 * urand()), blat, blon;
        geod_direct(evm_wgs84(), alat, alon, -180 + 360 * urand(), len, &blat,
                    &blon, NULL);
        const double pts[] = {alon, alat, blon, blat};
        const size_t start[] = {0, 2};
        evm_lines_t *l = make_lines(pts, start, 1);
        for (int j = 0; j < 20; j++) {
            /* Off a point of the segment, sideways, 0 to 20,000 km. */
            static const double reach[] = {10, 1e3, 150e3, 3e6, 2e7};
            double flat, flon, fazi, plat, plon;
            geod_direct(evm_wgs84(), alat, alon, -180 + 360 * urand(),
                        len * urand(), &flat, &flon, &fazi);
            geod_direct(evm_wgs84(), flat, flon, -180 + 360 * urand(),
                        reach[j % 5] * urand(), &plat, &plon, NULL);
            for (size_t s = 0; s < l->n_segs; s++) {
                const evm_lseg_t *sg = &l->segs[s];
                const double piece[] = {sg->lon1, sg->lat1, sg->lon2, sg->lat2};
                evm_lines_t *one = make_lines(piece, start, 1);
                evm_nearest_t exact;
                assert_true(evm_lines_nearest_brute(one, plat, plon, &exact));
                double lb = evm_lines_segment_bound(l, s, plat, plon);
                if (!(lb <= exact.dist_m))
                    fail_msg("segment %.3f m, piece %zu, point (%.9f, "
                             "%.9f): bound %.9f m above the distance "
                             "%.9f m",
                             len, s, plat, plon, lb, exact.dist_m);
                if (exact.dist_m > 0)
                    tightest = fmin(tightest, exact.dist_m - lb);
                n_checked++;
                evm_lines_destroy(one);
            }
        }
        evm_lines_destroy(l);
    }
    print_message("segment bound: %zu cases, never above the distance "
                  "(closest %.3g m below)\n",
                  n_checked, tightest);
}

/* ---- countries -------------------------------------------------------- */

static evm_basemap_t *load_squares(void)
{
    evm_basemap_t *m = NULL;
    evm_error_t err;
    if (evm_basemap_load(EVM_TEST_DATA_DIR "/topojson/squares.json", &m, &err))
        fail_msg("squares.json: %s", err.message);
    return m;
}

static size_t country(const evm_basemap_t *m, const char *name)
{
    size_t c;
    evm_error_t err;
    if (evm_basemap_find_country(m, name, &c, &err))
        fail_msg("%s: %s", name, err.message);
    return c;
}

static void test_squares(void **state)
{
    (void)state;
    /* Alpha: lon 10..12, lat 20..21 with a hole 10.5..11.5 x
     * 20.25..20.75; Beta: lon 12..14 beside it, and an island 15..16 x
     * 20..20.5; Gamma: two squares 20..21 and 21..22 x 20..20.5 sharing
     * the edge at lon 21. */
    evm_basemap_t *m = load_squares();
    size_t alpha = country(m, "Alpha"), beta = country(m, "beta"),
           gamma = country(m, "Gamma");
    assert_int_equal(country(m, "1"), alpha); /* id "001" */
    evm_lines_t *all = NULL, *land = NULL, *g = NULL, *b = NULL;
    evm_error_t err;
    assert_int_equal(evm_lines_from_country(m, alpha, false, &all, &err),
                     EVM_OK);
    assert_int_equal(evm_lines_from_country(m, alpha, true, &land, &err),
                     EVM_OK);
    assert_int_equal(evm_lines_from_country(m, gamma, false, &g, &err), EVM_OK);
    assert_int_equal(evm_lines_from_country(m, beta, false, &b, &err), EVM_OK);
    assert_string_equal(evm_lines_name(all), "Alpha");
    /* Outer ring and hole; the land border is the shared edge alone. */
    assert_int_equal(evm_lines_count(all), 2);
    assert_int_equal(evm_lines_count(land), 1);
    assert_int_equal(evm_lines_point_count(land, 0), 2);
    const double *e = evm_lines_points(land, 0);
    assert_true(e[0] == 12 && e[2] == 12);

    assert_int_equal(evm_lines_contains(all, 20.1, 10.1), 1);
    assert_int_equal(evm_lines_contains(all, 20.5, 11), 0); /* the hole */
    assert_int_equal(evm_lines_contains(all, 20.5, 13), 0); /* Beta */
    assert_int_equal(evm_lines_contains(b, 20.5, 13), 1);
    assert_int_equal(evm_lines_contains(b, 20.25, 15.5), 1); /* island */
    assert_int_equal(evm_lines_contains(b, 20.25, 14.5), 0);
    assert_int_equal(evm_lines_contains(land, 20.1, 10.1), 1);

    /* From inside the hole the nearest boundary is the hole's edge, a
     * quarter degree of latitude at most; measured to the land border
     * alone it is the edge at lon 12. */
    evm_nearest_t n;
    assert_true(evm_lines_nearest(all, 20.5, 11, &n));
    assert_true(n.dist_m < 0.26 * 111e3 && n.dist_m > 0.2 * 104e3);
    assert_true(evm_lines_nearest(land, 20.5, 11, &n));
    assert_true(fabs(n.lon_deg - 12) < 1e-9 && n.dist_m > 100e3);

    /* Gamma's shared inner edge is not boundary: from a point on it the
     * nearest boundary is the south edge, 0.25 degrees away, not the
     * inner edge at distance 0. */
    assert_int_equal(evm_lines_contains(g, 20.25, 20.5), 1);
    assert_true(evm_lines_nearest(g, 20.25, 21, &n));
    assert_true(n.dist_m > 27.0e3 && n.dist_m < 27.8e3);
    for (size_t k = 0; k < evm_lines_count(g); k++) {
        const double *p = evm_lines_points(g, k);
        for (size_t i = 0; i + 1 < evm_lines_point_count(g, k); i++)
            assert_false(p[2 * i] == 21 && p[2 * i + 2] == 21);
    }
    evm_lines_destroy(all);
    evm_lines_destroy(land);
    evm_lines_destroy(g);
    evm_lines_destroy(b);
    evm_basemap_destroy(m);
}

typedef struct geo_fixture {
    evm_geodata_t *geodata;
    const evm_basemap_t *m10;
} geo_fixture_t;

static int geo_setup(void **state)
{
    geo_fixture_t *f = calloc(1, sizeof *f);
    evm_error_t err;
    if (!f || evm_geodata_open(EVM_BUILD_DIR "/geodata", &f->geodata, &err) ||
        evm_geodata_get(f->geodata, EVM_BASEMAP_10M, &f->m10, &err))
        return -1;
    *state = f;
    return 0;
}

static int geo_teardown(void **state)
{
    geo_fixture_t *f = *state;
    evm_geodata_destroy(f->geodata);
    free(f);
    return 0;
}

static void test_country_lookup(void **state)
{
    const evm_basemap_t *m = ((geo_fixture_t *)*state)->m10;
    size_t ukr = country(m, "Ukraine");
    assert_string_equal(evm_basemap_country_name(m, ukr), "Ukraine");
    assert_int_equal(country(m, "ukraine"), ukr);
    assert_int_equal(country(m, "UKR"), ukr);
    assert_int_equal(country(m, "ukr"), ukr);
    assert_int_equal(country(m, "804"), ukr);
    assert_string_equal(evm_basemap_country_alpha3(m, ukr), "UKR");
    size_t rus = country(m, "Russia");
    assert_int_equal(country(m, "RUS"), rus);
    assert_int_equal(country(m, "643"), rus);
    assert_int_equal(country(m, "Russian Federation"), rus);
    assert_string_equal(evm_basemap_country_name(m, country(m, "KOR")),
                        "South Korea");
    assert_string_equal(evm_basemap_country_name(m, country(m, "PRK")),
                        "North Korea");
    assert_string_equal(evm_basemap_country_name(m, country(m, "840")),
                        "United States of America");
    /* 036 is both Australia and Ashmore and Cartier Is. in the data. */
    assert_string_equal(evm_basemap_country_name(m, country(m, "36")),
                        "Australia");
    assert_string_equal(evm_basemap_country_name(m, country(m, "AUS")),
                        "Australia");
    size_t c;
    evm_error_t err;
    assert_int_equal(evm_basemap_find_country(m, "Ukrane", &c, &err),
                     EVM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "\"Ukraine\""));
    assert_int_equal(evm_basemap_find_country(m, "ZZZ", &c, &err),
                     EVM_ERR_NOT_FOUND);
    assert_string_equal(evm_basemap_country_alpha3(m, country(m, "Kosovo")),
                        "");
}

/* Every segment that could hold a point nearer than d, densified to 1 m:
 * nothing may be nearer than the search found, and its distance must be
 * met within a millimetre. */
static void check_against_brute_force(const evm_lines_t *l, double plat,
                                      double plon, const evm_nearest_t *n)
{
    double brute = INFINITY;
    size_t candidates = 0;
    for (size_t k = 0; k < evm_lines_count(l); k++) {
        const double *p = evm_lines_points(l, k);
        size_t np = evm_lines_point_count(l, k);
        for (size_t i = 0; i + 1 < np; i++) {
            const double *a = p + 2 * i, *b = a + 2;
            double da, db, len;
            geod_inverse(evm_wgs84(), plat, plon, a[1], a[0], &da, NULL, NULL);
            geod_inverse(evm_wgs84(), plat, plon, b[1], b[0], &db, NULL, NULL);
            geod_inverse(evm_wgs84(), a[1], a[0], b[1], b[0], &len, NULL, NULL);
            brute = fmin(brute, fmin(da, db));
            if (fmin(da, db) > n->dist_m + len + 1)
                continue;
            candidates++;
            brute =
                fmin(brute, brute_segment(plat, plon, a[1], a[0], b[1], b[0]));
        }
    }
    if (!(n->dist_m <= brute + 1e-6 && brute - n->dist_m <= 1e-3))
        fail_msg("(%g, %g): nearest %.6f m, brute force %.6f m over %zu "
                 "segments",
                 plat, plon, n->dist_m, brute, candidates);
}

static void test_ukraine_10m(void **state)
{
    const evm_basemap_t *m = ((geo_fixture_t *)*state)->m10;
    size_t ukr = country(m, "UKR");
    evm_lines_t *all = NULL, *land = NULL;
    evm_error_t err;
    assert_int_equal(evm_lines_from_country(m, ukr, false, &all, &err), EVM_OK);
    assert_int_equal(evm_lines_from_country(m, ukr, true, &land, &err), EVM_OK);
    static const struct {
        const char *name;
        double lat, lon;
        int inside;
    } places[] = {
        {"Kyiv", 50.4501, 30.5234, 1},       {"Lviv", 49.8397, 24.0297, 1},
        {"Odesa", 46.4825, 30.7233, 1},      {"Chisinau", 47.0105, 28.8638, 0},
        {"Tikhoretsk", 45.8547, 40.1256, 0}, {"Black Sea", 43.5, 32.5, 0},
        {"Moscow", 55.7558, 37.6173, 0},
    };
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        evm_nearest_t n, nl;
        assert_true(evm_lines_nearest(all, places[i].lat, places[i].lon, &n));
        assert_true(evm_lines_nearest(land, places[i].lat, places[i].lon, &nl));
        assert_true(nl.dist_m >= n.dist_m);
        if (evm_lines_contains(all, places[i].lat, places[i].lon) !=
            places[i].inside)
            fail_msg("%s: inside is wrong", places[i].name);
        check_against_brute_force(all, places[i].lat, places[i].lon, &n);
        check_against_brute_force(land, places[i].lat, places[i].lon, &nl);
        print_message("%-10s %10.3f km to the boundary, %10.3f km to the "
                      "land border\n",
                      places[i].name, n.dist_m / 1e3, nl.dist_m / 1e3);
    }
    evm_lines_destroy(all);
    evm_lines_destroy(land);
}

static void test_russia_antimeridian_and_speed(void **state)
{
    const evm_basemap_t *m = ((geo_fixture_t *)*state)->m10;
    size_t rus = country(m, "Russia");
    evm_lines_t *l = NULL;
    evm_error_t err;
    struct timespec t0, t1, t2;
    timespec_get(&t0, TIME_UTC);
    assert_int_equal(evm_lines_from_country(m, rus, false, &l, &err), EVM_OK);
    timespec_get(&t1, TIME_UTC);
    double build_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                      (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    /* The cut along 180 in Chukotka is not a boundary. */
    size_t n_pts = 0;
    for (size_t k = 0; k < evm_lines_count(l); k++) {
        const double *p = evm_lines_points(l, k);
        size_t np = evm_lines_point_count(l, k);
        n_pts += np;
        for (size_t i = 0; i + 1 < np; i++)
            assert_false(fabs(p[2 * i]) == 180 && fabs(p[2 * i + 2]) == 180);
    }
    /* Chukotka east of 180 is Russia, Alaska is not. */
    assert_int_equal(evm_lines_contains(l, 66.0, -172.0), 1);
    assert_int_equal(evm_lines_contains(l, 65.0, -160.0), 0);
    assert_int_equal(evm_lines_contains(l, 55.7558, 37.6173), 1);
    /* A point on the cut, inland: far from any real boundary. */
    evm_nearest_t n;
    assert_true(evm_lines_nearest(l, 67.5, 180.0, &n));
    assert_true(n.dist_m > 20e3);
    check_against_brute_force(l, 67.5, 180.0, &n);

    size_t q = 200;
    timespec_get(&t1, TIME_UTC);
    for (size_t i = 0; i < q; i++)
        evm_lines_nearest(l, 40 + 30 * urand(), 30 + 100 * urand(), &n);
    timespec_get(&t2, TIME_UTC);
    double query_ms = ((double)(t2.tv_sec - t1.tv_sec) * 1e3 +
                       (double)(t2.tv_nsec - t1.tv_nsec) / 1e6) /
                      (double)q;
    print_message("Russia 10m: %zu points, index %.1f ms, %.3f ms per "
                  "query\n",
                  n_pts, build_ms, query_ms);
    evm_lines_destroy(l);

    /* An island has no land border: an empty set. */
    assert_int_equal(
        evm_lines_from_country(m, country(m, "Iceland"), true, &l, &err),
        EVM_OK);
    assert_int_equal(evm_lines_count(l), 0);
    assert_false(evm_lines_nearest(l, 64, -20, &n));
    assert_int_equal(evm_lines_contains(l, 64.5, -19), 1);
    evm_lines_destroy(l);
}

/* The whole boundary of a country. */
static evm_lines_t *boundary_of(const evm_basemap_t *m, const char *name)
{
    evm_lines_t *l = NULL;
    evm_error_t err;
    if (evm_lines_from_country(m, country(m, name), false, &l, &err))
        fail_msg("%s: %s", name, err.message);
    return l;
}

static void test_antarctica_contains(void **state)
{
    const evm_basemap_t *m = ((geo_fixture_t *)*state)->m10;
    evm_lines_t *l = boundary_of(m, "Antarctica");
    assert_int_equal(evm_lines_contains(l, -89, 0), 1);
    assert_int_equal(evm_lines_contains(l, -80, 120), 1);
    assert_int_equal(evm_lines_contains(l, -55, 0), 0);
    evm_lines_destroy(l);
}

/* ---- GeoJSON ---------------------------------------------------------- */

static evm_status load_json(const char *text, evm_lines_t **l, evm_error_t *err)
{
    return evm_lines_load_geojson_memory("dir/front.geojson", text,
                                         strlen(text), l, err);
}

static void test_geojson(void **state)
{
    (void)state;
    evm_lines_t *l = NULL;
    evm_error_t err;
    assert_int_equal(
        load_json(
            "{\"type\":\"FeatureCollection\",\"features\":["
            "{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
            "{\"type\":\"LineString\",\"coordinates\":[[10,0],[20,0]]}},"
            "{\"type\":\"Feature\",\"properties\":null,\"geometry\":null},"
            "{\"type\":\"Feature\",\"geometry\":{\"type\":"
            "\"MultiLineString\",\"coordinates\":[[[30,5,100],[31,5]],"
            "[[40,0],[41,1],[42,2]]]}}]}",
            &l, &err),
        EVM_OK);
    assert_string_equal(evm_lines_name(l), "front.geojson");
    assert_int_equal(evm_lines_count(l), 3);
    assert_int_equal(evm_lines_point_count(l, 2), 3);
    evm_nearest_t n;
    assert_true(evm_lines_nearest(l, 1, 15, &n));
    assert_true(fabs(n.dist_m - 110574.3885577988) < 1e-6);
    evm_lines_destroy(l);

    assert_int_equal(load_json("{\"type\":\"LineString\",\"coordinates\":"
                               "[[179.5,0],[-179.5,0]]}",
                               &l, &err),
                     EVM_OK);
    assert_true(evm_lines_nearest(l, 0.5, 180, &n));
    assert_true(fabs(n.dist_m - 55287.1520034505) < 1e-6);
    evm_lines_destroy(l);

    static const struct {
        const char *json, *want;
    } bad[] = {
        {"{\"type\":\"Point\",\"coordinates\":[1,2]}", "a Point is not a line"},
        {"{\"type\":\"LineString\",\"coordinates\":[[1,2]]}",
         "coordinates: a line needs at least 2 positions"},
        {"{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,95]]}",
         "coordinates[1]: latitude 95 is outside"},
        {"{\"type\":\"LineString\",\"coordinates\":[[1,2],[3]]}",
         "coordinates[1]: a position must be"},
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
         "\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
         "[]}}]}",
         "features[0].geometry: a Polygon is not a line"},
        {"{\"type\":\"FeatureCollection\",\"features\":[]}", "no line"},
        {"[1,2]", "not a JSON object"},
        {"{\"type\":\"LineString\",\n \"coordinates\": [[1,2],[3,4]],}", ""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(load_json(bad[i].json, &l, &err), EVM_ERR_PARSE);
        assert_null(l);
        assert_string_equal(err.file, "dir/front.geojson");
        if (!strstr(err.message, bad[i].want))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.message,
                     bad[i].want);
    }
    /* A syntax error has jansson's line and column. */
    assert_int_equal(err.line, 2);
    assert_true(err.column > 0);

    assert_int_equal(evm_lines_load_geojson("/nonexistent/x.geojson", &l, &err),
                     EVM_ERR_IO);
}

/* The indexed search (tree, bounds, strips) against the brute force that
 * measures every segment of China's 1:10m boundary exactly and tests
 * every edge for inside, on a sample: random points over the globe
 * (near and antipodal), over East Asia, and within 30 km of a boundary
 * vertex, where neighbouring segments compete. */
static void test_china_index_vs_brute_force(void **state)
{
    const evm_basemap_t *m = ((geo_fixture_t *)*state)->m10;
    evm_lines_t *l = boundary_of(m, "China");
    size_t n_pts = 0;
    for (size_t k = 0; k < evm_lines_count(l); k++)
        n_pts += evm_lines_point_count(l, k);
    double worst = 0;
    for (int i = 0; i < 45; i++) {
        double lat, lon;
        if (i % 3 == 0) {
            lat = asin(2 * urand() - 1) * 180 / 3.14159265358979323846;
            lon = -180 + 360 * urand();
        } else if (i % 3 == 1) {
            lat = 15 + 40 * urand();
            lon = 70 + 75 * urand();
        } else {
            size_t v = (size_t)(urand() * (double)n_pts), k = 0;
            while (v >= evm_lines_point_count(l, k))
                v -= evm_lines_point_count(l, k++);
            const double *p = evm_lines_points(l, k) + 2 * v;
            geod_direct(evm_wgs84(), p[1], p[0], 360 * urand(), 30e3 * urand(),
                        &lat, &lon, NULL);
        }
        evm_nearest_t n, ref;
        assert_true(evm_lines_nearest(l, lat, lon, &n));
        assert_true(evm_lines_nearest_brute(l, lat, lon, &ref));
        double gap;
        geod_inverse(evm_wgs84(), n.lat_deg, n.lon_deg, ref.lat_deg,
                     ref.lon_deg, &gap, NULL, NULL);
        if (!(fabs(n.dist_m - ref.dist_m) <= 1e-3 && gap <= 1e-3))
            fail_msg("(%.6f, %.6f): search %.6f m at (%.9f, %.9f), brute "
                     "force %.6f m at (%.9f, %.9f)",
                     lat, lon, n.dist_m, n.lat_deg, n.lon_deg, ref.dist_m,
                     ref.lat_deg, ref.lon_deg);
        worst = fmax(worst, fabs(n.dist_m - ref.dist_m));
    }
    /* Inside: strips against every edge, also right at vertices. */
    for (int i = 0; i < 20000; i++) {
        double lat = 15 + 40 * urand(), lon = 70 + 75 * urand();
        if (i % 2) {
            size_t v = (size_t)(urand() * (double)n_pts), k = 0;
            while (v >= evm_lines_point_count(l, k))
                v -= evm_lines_point_count(l, k++);
            const double *p = evm_lines_points(l, k) + 2 * v;
            lat = p[1] + (i % 4 == 1 ? 0 : 1e-3 * (urand() - 0.5));
            lon = p[0] + (i % 4 == 1 ? 0 : 1e-3 * (urand() - 0.5));
        }
        if (evm_lines_contains(l, lat, lon) !=
            evm_lines_contains_brute(l, lat, lon))
            fail_msg("(%.9f, %.9f): inside differs from the brute force", lat,
                     lon);
    }
    print_message("China, 45 points: the search is within %.3g m of the "
                  "brute force\n",
                  worst);
    evm_lines_destroy(l);
}

/* evm_dist_write_nearest measures the places in an order of its own (a
 * Hilbert curve over longitude and latitude) and writes them back in
 * theirs: each row read back against the brute force (a sample) or the
 * search of that place alone (all), on 1, 2 and 7 threads, the same
 * bytes each time. Places: tight clusters inside China, on its border
 * and off its coast (neighbours one after the other), both sides of the
 * antimeridian, round China's antipode (beyond the 9,951 km within
 * which a segment's distance is convex), the poles, repeats and invalid
 * coordinates, in shuffled order. */
static void test_write_nearest_order_vs_brute_force(void **state)
{
    const evm_basemap_t *m = ((geo_fixture_t *)*state)->m10;
    evm_lines_t *l = boundary_of(m, "China");
    enum { N = 400 };
    static const double centre[][2] = {
        {30.66, 104.06}, /* Chengdu, inside */
        {39.90, 116.40}, /* Beijing, inside */
        {42.00, 80.20},  /* Tian Shan, on the Kyrgyz border */
        {22.30, 114.17}, /* Hong Kong coast */
        {38.50, 124.50}, /* Yellow Sea, off the coast */
        {48.40, 134.90}, /* Amur, on the Russian border */
        {62.00, 179.98}, /* antimeridian, east side */
        {62.00, -179.98} /* antimeridian, west side */
    };
    evm_place_t *pl = calloc(N, sizeof *pl);
    char(*names)[16] = calloc(N, sizeof *names);
    assert_non_null(pl);
    assert_non_null(names);
    for (size_t i = 0; i < N; i++) {
        double lat, lon;
        if (i < 256) {
            /* 32 places within 0.1 degree of each centre. */
            lat = centre[i / 32][0] + 0.1 * (urand() - 0.5);
            lon = centre[i / 32][1] + 0.1 * (urand() - 0.5);
        } else if (i < 320) {
            /* Round the antipode, (-35, -75). */
            lat = -35 + 20 * (urand() - 0.5);
            lon = -75 + 20 * (urand() - 0.5);
        } else if (i < 380) {
            lat = asin(2 * urand() - 1) * 180 / 3.14159265358979323846;
            lon = -180 + 360 * urand();
        } else {
            static const double odd[][2] = {
                {90, 0}, {-90, 0}, {0, 180}, {0, -180}, {30.66, 104.06}};
            lat = i < 385 ? odd[i - 380][0] : pl[i - 385].lat_deg;
            lon = i < 385 ? odd[i - 380][1] : pl[i - 385].lon_deg;
            if (i >= 395) {
                lat = i % 2 ? NAN : 91;
                lon = i % 3 ? 10 : INFINITY;
            }
        }
        pl[i] = (evm_place_t){NULL, lat, lon};
    }
    /* Shuffled, so that the input order is not the measuring order. */
    for (size_t i = N - 1; i > 0; i--) {
        size_t j = (size_t)(urand() * (double)(i + 1));
        evm_place_t t = pl[i];
        pl[i] = pl[j];
        pl[j] = t;
    }
    for (size_t i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "p%zu", i);
        pl[i].name = names[i];
    }
    evm_dist_options_t o;
    evm_dist_options_init(&o);
    o.units = EVM_UNITS_M;
    evm_test_buffer_t first = {0};
    const unsigned jobs[] = {1, 2, 7};
    for (size_t r = 0; r < 3; r++) {
        o.jobs = jobs[r];
        evm_test_buffer_t out = {0};
        assert_int_equal(evm_dist_write_nearest(
                             pl, N, l, &o, evm_test_buffer_write, &out, NULL),
                         EVM_OK);
        if (r == 0) {
            first = out;
            continue;
        }
        assert_int_equal(out.len, first.len);
        assert_memory_equal(out.data, first.data, first.len);
        free(out.data);
    }
    char *line = strchr((char *)first.data, '\n');
    assert_non_null(line);
    double worst = 0;
    size_t n_brute = 0;
    for (size_t i = 0; i < N; i++) {
        char *row = line + 1;
        line = strchr(row, '\n');
        assert_non_null(line);
        *line = '\0';
        /* event,country,distance_m,nearest_lat,nearest_lon,inside */
        char *f[6];
        for (int c = 0; c < 6; c++) {
            f[c] = row;
            row = strchr(row, ',');
            if (c < 5)
                assert_non_null(row);
            if (row)
                *row++ = '\0';
        }
        assert_string_equal(f[0], pl[i].name);
        assert_string_equal(f[1], "China");
        double lat = pl[i].lat_deg, lon = pl[i].lon_deg;
        int in = evm_lines_contains_brute(l, lat, lon);
        assert_string_equal(f[5], in ? "true" : "false");
        evm_nearest_t ref;
        /* Every eighth place against the brute force, the others against
         * the search of the place alone. */
        bool brute = i % 8 == 0;
        bool ok = brute ? evm_lines_nearest_brute(l, lat, lon, &ref)
                        : evm_lines_nearest(l, lat, lon, &ref);
        n_brute += brute;
        if (!ok) {
            assert_true(f[2][0] == '\0' && f[3][0] == '\0' && f[4][0] == '\0');
            continue;
        }
        double d = strtod(f[2], NULL), nlat = strtod(f[3], NULL),
               nlon = strtod(f[4], NULL), gap;
        geod_inverse(evm_wgs84(), nlat, nlon, ref.lat_deg, ref.lon_deg, &gap,
                     NULL, NULL);
        /* Printed to 1 um and 1e-9 degrees (0.1 mm). */
        if (!(fabs(d - ref.dist_m) <= 1e-3 && gap <= 1e-3))
            fail_msg("%s (%.6f, %.6f): written %.6f m at (%.9f, %.9f), %s "
                     "%.6f m at (%.9f, %.9f)",
                     pl[i].name, lat, lon, d, nlat, nlon,
                     brute ? "brute force" : "search alone", ref.dist_m,
                     ref.lat_deg, ref.lon_deg);
        worst = fmax(worst, fabs(d - ref.dist_m));
    }
    print_message("China, %d places written (%zu against the brute force): "
                  "within %.3g m\n",
                  N, n_brute, worst);
    free(first.data);
    free(pl);
    free(names);
    evm_lines_destroy(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equator_foot),
        cmocka_unit_test(test_vertex_nearest),
        cmocka_unit_test(test_antimeridian_and_points),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_random_segments_brute_force),
        cmocka_unit_test(test_segment_bound),
        cmocka_unit_test(test_squares),
        cmocka_unit_test(test_geojson),
    };
    const struct CMUnitTest geo_tests[] = {
        cmocka_unit_test(test_country_lookup),
        cmocka_unit_test(test_ukraine_10m),
        cmocka_unit_test(test_russia_antimeridian_and_speed),
        cmocka_unit_test(test_antarctica_contains),
        cmocka_unit_test(test_china_index_vs_brute_force),
        cmocka_unit_test(test_write_nearest_order_vs_brute_force),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed + cmocka_run_group_tests(geo_tests, geo_setup, geo_teardown);
}
