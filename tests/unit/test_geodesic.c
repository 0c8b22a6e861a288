/* Geodesics against independent references: a subset of GeographicLib's
 * published test set (GeodTest-short.dat) and values printed by
 * GeographicLib's GeodSolve, both under tests/data/geodesic/ with their
 * provenance. Distances must agree to 1 um and azimuths to 1e-9 degrees;
 * where an azimuth is ill-conditioned (nearly antipodal points, where a
 * small change of the ends swings the geodesic) its error is compared as
 * the displacement it causes at the far end, |d azi| * |m12| (m12 the
 * reduced length), to 1 um, as GeographicLib's own tests do. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/geodesy.h>

static const double DIST_TOL_M = 1e-6;
static const double AZI_TOL_DEG = 1e-9;
static const double DEG = 3.14159265358979323846 / 180;

/* Difference of two azimuths, degrees, in [-180, 180]. */
static double azi_diff(double a, double b)
{
    double d = fmod(a - b, 360.0);
    if (d > 180)
        d -= 360;
    if (d < -180)
        d += 360;
    return d;
}

/* Whether an azimuth agrees with its reference: directly, or through the
 * displacement it causes at the other end of a geodesic with reduced
 * length m12. */
static bool azi_ok(double got, double want, double m12_m)
{
    double d = fabs(azi_diff(got, want));
    return d <= AZI_TOL_DEG || d * DEG * fabs(m12_m) <= DIST_TOL_M;
}

typedef struct stats {
    size_t n;
    double max_ds_m, max_dazi_deg, max_dazi_m;
} stats_t;

static void check_inverse(const char *what, size_t line, double lat1,
                          double lon1, double lat2, double lon2, double azi1,
                          double azi2, double s12, double m12, stats_t *st)
{
    double s, a1, a2;
    evm_geodesic_inverse(lat1, lon1, lat2, lon2, &s, &a1, &a2);
    st->n++;
    st->max_ds_m = fmax(st->max_ds_m, fabs(s - s12));
    double d1 = fabs(azi_diff(a1, azi1)), d2 = fabs(azi_diff(a2, azi2));
    st->max_dazi_deg = fmax(st->max_dazi_deg, fmax(d1, d2));
    st->max_dazi_m = fmax(st->max_dazi_m, fmax(d1, d2) * DEG * fabs(m12));
    if (!(fabs(s - s12) <= DIST_TOL_M))
        fail_msg("%s:%zu: s12 %.10f, expected %.10f", what, line, s, s12);
    if (!azi_ok(a1, azi1, m12) || !azi_ok(a2, azi2, m12))
        fail_msg("%s:%zu: azimuths %.15f %.15f, expected %.15f %.15f (m12 "
                 "%.3f m)",
                 what, line, a1, a2, azi1, azi2, m12);
}

static FILE *open_data(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/geodesic/%s", EVM_TEST_DATA_DIR, name);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    return f;
}

/* Every line of the GeodTest subset, inverse and direct. */
static void test_geodtest_subset(void **state)
{
    (void)state;
    FILE *f = open_data("GeodTest-subset.dat");
    double v[10];
    size_t line = 0;
    stats_t inv = {0};
    double max_direct_m = 0;
    while (fscanf(f, "%lf %lf %lf %lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1],
                  &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
                  &v[9]) == 10) {
        line++;
        double lat1 = v[0], lon1 = v[1], azi1 = v[2], lat2 = v[3], lon2 = v[4],
               azi2 = v[5], s12 = v[6], m12 = v[8];
        check_inverse("GeodTest-subset.dat", line, lat1, lon1, lat2, lon2, azi1,
                      azi2, s12, m12, &inv);

        /* Direct: the end point must land within 1 um of the reference,
         * measured as a geodesic; its azimuth within 1e-9 degrees. */
        double lat, lon, azi, miss;
        evm_geodesic_direct(lat1, lon1, azi1, s12, &lat, &lon, &azi);
        evm_geodesic_inverse(lat, lon, lat2, lon2, &miss, NULL, NULL);
        max_direct_m = fmax(max_direct_m, miss);
        if (!(miss <= DIST_TOL_M))
            fail_msg("GeodTest-subset.dat:%zu: direct ends %.3g m off", line,
                     miss);
        if (!(fabs(azi_diff(azi, azi2)) <= AZI_TOL_DEG))
            fail_msg("GeodTest-subset.dat:%zu: direct azi2 %.15f, expected "
                     "%.15f",
                     line, azi, azi2);

        /* Swapped ends: the same length, azimuths reversed. */
        double s, a1, a2;
        evm_geodesic_inverse(lat2, lon2, lat1, lon1, &s, &a1, &a2);
        if (!(fabs(s - s12) <= DIST_TOL_M))
            fail_msg("GeodTest-subset.dat:%zu: swapped s12 %.10f", line, s);
    }
    fclose(f);
    assert_int_equal(line, 515);
    print_message("GeodTest subset: %zu lines, max |ds| %.3g m, max |dazi| "
                  "%.3g deg (%.3g m at m12), direct max miss %.3g m\n",
                  inv.n, inv.max_ds_m, inv.max_dazi_deg, inv.max_dazi_m,
                  max_direct_m);
}

/* The GeodSolve cases: antipodal, polar, meridional, equatorial and very
 * short lines, and the example's places. */
static void test_geodsolve_cases(void **state)
{
    (void)state;
    FILE *f = open_data("GeodSolve-inverse.out");
    double v[12];
    size_t line = 0;
    stats_t st = {0};
    while (fscanf(f, "%lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf", &v[0],
                  &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9],
                  &v[10], &v[11]) == 12) {
        line++;
        check_inverse("GeodSolve-inverse.out", line, v[0], v[1], v[3], v[4],
                      v[2], v[5], v[6], v[8], &st);
    }
    fclose(f);
    assert_int_equal(line, 22);
    print_message("GeodSolve cases: max |ds| %.3g m, max |dazi| %.3g deg\n",
                  st.max_ds_m, st.max_dazi_deg);
}

/* Values that need no reference: exact by symmetry or by definition. */
static void test_known_values(void **state)
{
    (void)state;
    double s, a1, a2;
    /* The meridian quadrant of WGS84, a classic constant. */
    evm_geodesic_inverse(0, 0, 90, 0, &s, &a1, &a2);
    assert_true(fabs(s - 10001965.729312724) < 1e-6);
    assert_true(fabs(a1) < 1e-12);
    /* Half the equator is a + f-dependent term; the equator itself is a
     * geodesic for short arcs: 1 degree of longitude is a * pi / 180. */
    evm_geodesic_inverse(0, 10, 0, 11, &s, &a1, &a2);
    assert_true(fabs(s - 6378137.0 * DEG) < 1e-6);
    assert_true(fabs(a1 - 90) < 1e-12 && fabs(a2 - 90) < 1e-12);
    /* Longitudes that differ by 360 are the same place. */
    double s2;
    evm_geodesic_inverse(10, -170, 20, 175, &s, NULL, NULL);
    evm_geodesic_inverse(10, 190, 20, -185, &s2, NULL, NULL);
    assert_true(fabs(s - s2) < 1e-6);
}

/* Total functions: NaN and out-of-range latitudes give NaN, NULL
 * outputs are allowed. */
static void test_total(void **state)
{
    (void)state;
    double s = 0, a1 = 0, a2 = 0;
    evm_geodesic_inverse(NAN, 0, 10, 10, &s, &a1, &a2);
    assert_true(isnan(s) && isnan(a1) && isnan(a2));
    evm_geodesic_inverse(91, 0, 10, 10, &s, &a1, &a2);
    assert_true(isnan(s));
    evm_geodesic_inverse(10, 0, -90.5, 10, &s, NULL, NULL);
    assert_true(isnan(s));
    evm_geodesic_inverse(10, 0, 20, 10, NULL, NULL, NULL);
    double lat = 0, lon = 0, azi = 0;
    evm_geodesic_direct(10, 0, NAN, 1000, &lat, &lon, &azi);
    assert_true(isnan(lat) && isnan(lon) && isnan(azi));
    evm_geodesic_direct(10, 0, 45, 1000, NULL, NULL, NULL);

    assert_true(evm_bearing_deg(-90) == 270);
    assert_true(evm_bearing_deg(-180) == 180);
    assert_true(evm_bearing_deg(180) == 180);
    assert_true(evm_bearing_deg(-0.0) == 0 && !signbit(evm_bearing_deg(-0.0)));
    assert_true(evm_bearing_deg(360) == 0);
    assert_true(evm_bearing_deg(-1e-20) == 0);
    assert_true(evm_bearing_deg(725) == 5);
    assert_true(isnan(evm_bearing_deg(NAN)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geodtest_subset),
        cmocka_unit_test(test_geodsolve_cases),
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_total),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
