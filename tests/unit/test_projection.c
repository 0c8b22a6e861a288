/* Tests of geo/projection: values against PROJ's own command-line tools
 * (cct, cs2cs from proj-bin 9.1.1; each command is quoted above its
 * figures), round trips, refusals, the central meridian, and the rule
 * that chooses a projection. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "geo/projection.h"
#include "testutil.h"

static evm_projection_t *make(PJ_CONTEXT *ctx, const char *def)
{
    evm_projection_t *p = NULL;
    evm_error_t err = {0};
    evm_status st = evm_projection_create(ctx, def, &p, &err);
    if (st)
        fail_msg("%s: %s", def, err.message);
    return p;
}

#define LCC_ASIA                                                               \
    "+proj=lcc +lat_1=36 +lat_2=60 +lat_0=48 +lon_0=80 +ellps=WGS84 "          \
    "+units=m +no_defs"
#define ROBIN_CRS "+proj=robin +lon_0=10 +datum=WGS84 +units=m +type=crs"
#define MOLL_WKT                                                               \
    "PROJCS[\"Mollweide 20E\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\","           \
    "SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],"     \
    "UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Mollweide\"],"          \
    "PARAMETER[\"central_meridian\",20],PARAMETER[\"false_easting\",0],"       \
    "PARAMETER[\"false_northing\",0],UNIT[\"metre\",1]]"

typedef struct known {
    const char *def;
    double lon, lat, x, y;
} known_t;

/* Figures printed with 6 decimals; compared to 1e-5 m. */
static const known_t known_values[] = {
    /* echo 125.7625 39.0392 | cct -d 6 -z 0 -t 0 +proj=lcc +lat_1=36
     *   +lat_2=60 +lat_0=48 +lon_0=80 +ellps=WGS84 +units=m +no_defs */
    {LCC_ASIA, 125.7625, 39.0392, 3695478.940695, 161057.749805},
    /* echo 37.6173 55.7558 | cct (same) */
    {LCC_ASIA, 37.6173, 55.7558, -2492669.635754, 1554810.168239},
    /* echo 125.7625 39.0392 | cct -d 6 -z 0 -t 0 +proj=merc +lon_0=0
     *   +ellps=WGS84 +units=m +no_defs */
    {"+proj=merc +lon_0=0 +ellps=WGS84 +units=m +no_defs", 125.7625, 39.0392,
     13999817.460889, 4700371.135354},
    /* echo 179 -17 | cct ... +proj=merc +lon_0=-175 ... (across the
     * antimeridian: 179 is 6 degrees west of -175) */
    {"+proj=merc +lon_0=-175 +ellps=WGS84 +units=m +no_defs", 179, -17,
     -667916.944760, -1908339.066984},
    /* echo -178 -17 | cct ... +proj=merc +lon_0=-175 ... */
    {"+proj=merc +lon_0=-175 +ellps=WGS84 +units=m +no_defs", -178, -17,
     -333958.472380, -1908339.066984},
    /* echo -150 -60 | cct -d 6 -z 0 -t 0 +proj=eqearth +lon_0=0
     *   +ellps=WGS84 +units=m +no_defs */
    {"+proj=eqearth +lon_0=0 +ellps=WGS84 +units=m +no_defs", -150, -60,
     -10837692.540866, -6924035.137553},
    /* echo 20 70 | cct -d 6 -z 0 -t 0 +proj=laea +lat_0=90 +lon_0=0
     *   +ellps=WGS84 +units=m +no_defs */
    {"+proj=laea +lat_0=90 +lon_0=0 +ellps=WGS84 +units=m +no_defs", 20, 70,
     759856.195364, -2087687.738795},
    /* echo -70 -75 | cct ... +proj=laea +lat_0=-90 +lon_0=0 ... */
    {"+proj=laea +lat_0=-90 +lon_0=0 +ellps=WGS84 +units=m +no_defs", -70, -75,
     -1569521.612687, 571259.149055},
    /* echo 55.7558 37.6173 | cs2cs -d 6 EPSG:4326 EPSG:3857 */
    {"EPSG:3857", 37.6173, 55.7558, 4187538.681018, 7509955.142338},
    /* echo -33.8688 151.2093 | cs2cs -d 6 EPSG:4326 ESRI:54030 */
    {"ESRI:54030", 151.2093, -33.8688, 13527834.129606, -3622401.795761},
    /* echo 39.0392 125.7625 | cs2cs -d 6 EPSG:4326 +to +proj=robin
     *   +lon_0=10 +datum=WGS84 +units=m +type=crs */
    {ROBIN_CRS, 125.7625, 39.0392, 10127546.938600, 4174177.428906},
    /* echo -33.9249 18.4241 | cs2cs -d 6 EPSG:4326 "$MOLL_WKT" */
    {MOLL_WKT, 18.4241, -33.9249, -140684.772325, -4099689.176750},
};

static void test_known_values(void **state)
{
    PJ_CONTEXT *ctx = *state;
    for (size_t i = 0; i < sizeof known_values / sizeof *known_values; i++) {
        const known_t *k = &known_values[i];
        evm_projection_t *p = make(ctx, k->def);
        double x = 0, y = 0;
        assert_true(evm_projection_forward(p, k->lon, k->lat, &x, &y));
        if (fabs(x - k->x) > 1e-5 || fabs(y - k->y) > 1e-5)
            fail_msg("%s (%g, %g): got (%.6f, %.6f), want (%.6f, %.6f)", k->def,
                     k->lon, k->lat, x, y, k->x, k->y);
        double lon = 0, lat = 0;
        assert_true(evm_projection_inverse(p, k->x, k->y, &lon, &lat));
        assert_true(fabs(lon - k->lon) < 1e-9 && fabs(lat - k->lat) < 1e-9);
        evm_projection_destroy(p);
    }
}

/* inverse(forward(p)) == p to 1e-9 degrees over a grid that stays inside
 * each projection's domain. */
static void round_trips(PJ_CONTEXT *ctx, const char *def, double w, double s,
                        double e, double n)
{
    evm_projection_t *p = make(ctx, def);
    for (int i = 0; i <= 20; i++) {
        for (int j = 0; j <= 20; j++) {
            double lon = w + (e - w) * i / 20, lat = s + (n - s) * j / 20;
            double x, y, lon2, lat2;
            if (!evm_projection_forward(p, lon, lat, &x, &y))
                fail_msg("%s: forward (%g, %g) failed", def, lon, lat);
            if (!evm_projection_inverse(p, x, y, &lon2, &lat2))
                fail_msg("%s: inverse of (%g, %g) failed", def, lon, lat);
            double dlon = remainder(lon2 - lon, 360.0);
            if (fabs(dlon) > 1e-9 || fabs(lat2 - lat) > 1e-9)
                fail_msg("%s: (%.12g, %.12g) came back as (%.12g, %.12g)", def,
                         lon, lat, lon2, lat2);
        }
    }
    evm_projection_destroy(p);
}

static void test_round_trips(void **state)
{
    PJ_CONTEXT *ctx = *state;
    round_trips(ctx, LCC_ASIA, 20, 20, 140, 75);
    round_trips(ctx, "+proj=merc +lon_0=-175 +ellps=WGS84 +units=m +no_defs",
                100, -80, 250, 80);
    round_trips(ctx, "+proj=eqearth +lon_0=0 +ellps=WGS84 +units=m +no_defs",
                -179.5, -89.5, 179.5, 89.5);
    round_trips(ctx,
                "+proj=laea +lat_0=90 +lon_0=30 +ellps=WGS84 +units=m "
                "+no_defs",
                -180, 40, 179, 89.5);
    round_trips(ctx,
                "+proj=laea +lat_0=-90 +lon_0=0 +ellps=WGS84 +units=m "
                "+no_defs",
                -180, -89.5, 179, -50);
    round_trips(ctx, "EPSG:3857", -179.5, -85, 179.5, 85);
    round_trips(ctx, "ESRI:54030", -179.5, -89, 179.5, 89);
    round_trips(ctx, ROBIN_CRS, -169.5, -89, 189.5, 89);
    round_trips(ctx, MOLL_WKT, -159.5, -85, 199.5, 85);
}

static void test_not_representable(void **state)
{
    PJ_CONTEXT *ctx = *state;
    evm_projection_t *merc =
        make(ctx, "+proj=merc +lon_0=0 +ellps=WGS84 +units=m +no_defs");
    const double bad[][2] = {{NAN, 0},        {0, NAN}, {INFINITY, 10},
                             {10, -INFINITY}, {0, 91},  {0, -91},
                             {0, 90},         {0, -90}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double x = 12345, y = 678;
        assert_false(
            evm_projection_forward(merc, bad[i][0], bad[i][1], &x, &y));
        /* Untouched: never (0, 0). */
        assert_true(x == 12345 && y == 678);
    }
    /* After the errors, a good point projects correctly (the PJ's errno
     * was reset). Figures as in known_values. */
    double x, y;
    assert_true(evm_projection_forward(merc, 125.7625, 39.0392, &x, &y));
    assert_true(fabs(x - 13999817.460889) < 1e-5);
    assert_true(fabs(y - 4700371.135354) < 1e-5);
    /* Mercator's y is unbounded but any latitude short of the pole is a
     * point of the map. */
    assert_true(evm_projection_forward(merc, 0, 89.999, &x, &y));
    double lon, lat;
    assert_false(evm_projection_inverse(merc, NAN, 0, &lon, &lat));
    /* Past +-180 degrees of easting Mercator wraps round: not a point of
     * this map. */
    assert_false(evm_projection_inverse(merc, 3e7, 0, &lon, &lat));
    evm_projection_destroy(merc);

    /* Equal Earth inverts points off the globe without an error in PROJ
     * 9.1.1; the round-trip check refuses them. */
    evm_projection_t *ee =
        make(ctx, "+proj=eqearth +lon_0=0 +ellps=WGS84 +units=m +no_defs");
    assert_false(evm_projection_inverse(ee, 2e7, 0, &lon, &lat));
    assert_false(evm_projection_inverse(ee, 1.8e7, 8.5e6, &lon, &lat));
    assert_true(evm_projection_forward(ee, 0, 90, &x, &y)); /* a pole line */
    assert_true(evm_projection_inverse(ee, 0, 0, &lon, &lat));
    evm_projection_destroy(ee);

    /* The far side of an orthographic view. */
    evm_projection_t *ortho = make(ctx, "+proj=ortho +lat_0=0 +lon_0=0");
    assert_false(evm_projection_forward(ortho, 170, 0, &x, &y));
    assert_true(evm_projection_forward(ortho, 10, 0, &x, &y));
    assert_false(evm_projection_inverse(ortho, 7e6, 0, &lon, &lat));
    evm_projection_destroy(ortho);

    /* Polar LAEA has both poles? Only its own: the other is a circle. */
    evm_projection_t *laea =
        make(ctx, "+proj=laea +lat_0=90 +lon_0=0 +ellps=WGS84");
    assert_true(evm_projection_forward(laea, 0, 90, &x, &y));
    assert_true(fabs(x) < 1e-6 && fabs(y) < 1e-6);
    assert_false(evm_projection_forward(laea, 0, -90, &x, &y));
    evm_projection_destroy(laea);
}

static void expect_refusal(PJ_CONTEXT *ctx, const char *def, const char *words)
{
    evm_projection_t *p = (evm_projection_t *)1;
    evm_error_t err = {0};
    evm_status st = evm_projection_create(ctx, def, &p, &err);
    assert_int_equal(st, EVM_ERR_PROJ);
    assert_null(p);
    assert_int_equal(err.status, EVM_ERR_PROJ);
    if (!strstr(err.message, words))
        fail_msg("%s: message \"%s\" lacks \"%s\"", def, err.message, words);
}

static void test_refusals(void **state)
{
    PJ_CONTEXT *ctx = *state;
    /* PROJ's own words for these. */
    expect_refusal(ctx, "garbage", "Invalid PROJ string syntax");
    expect_refusal(ctx, "+proj=foo", "PROJ cannot use");
    expect_refusal(ctx, "EPSG:999999", "PROJ cannot use");
    expect_refusal(ctx, "EPSG:4326", "geographic");
    expect_refusal(ctx, "+proj=longlat +datum=WGS84 +type=crs", "geographic");
    expect_refusal(ctx, "+proj=longlat +datum=WGS84", "longitude and latitude");
    expect_refusal(ctx, "EPSG:4978", "geocentric");
    expect_refusal(ctx, "", "empty");
}

static void test_lon0(void **state)
{
    PJ_CONTEXT *ctx = *state;
    static const struct {
        const char *def;
        double lon0;
    } cases[] = {
        {LCC_ASIA, 80},
        {"+proj=merc +ellps=WGS84", 0},
        {"+proj=merc +lon_0=190 +ellps=WGS84", -170},
        {"+proj=utm +zone=33 +ellps=WGS84", 15}, /* implied by the zone */
        {"EPSG:3857", 0},
        {"EPSG:32633", 15},
        {ROBIN_CRS, 10},
        {MOLL_WKT, 20},
        {"ESRI:54030", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        evm_projection_t *p = make(ctx, cases[i].def);
        double got = evm_projection_lon0(p);
        if (fabs(got - cases[i].lon0) > 1e-9)
            fail_msg("%s: lon0 %g, want %g", cases[i].def, got, cases[i].lon0);
        assert_string_equal(evm_projection_definition(p), cases[i].def);
        evm_projection_destroy(p);
    }
    evm_projection_destroy(NULL);
}

/* Chooses for a box, checks the exact string, and that PROJ takes it. */
static void expect_choice(PJ_CONTEXT *ctx, double w, double s, double e,
                          double n, const char *want)
{
    char def[256];
    evm_error_t err = {0};
    assert_int_equal(evm_projection_choose(w, s, e, n, def, sizeof def, &err),
                     EVM_OK);
    if (strcmp(def, want) != 0)
        fail_msg("box (%g, %g, %g, %g): got \"%s\", want \"%s\"", w, s, e, n,
                 def, want);
    evm_projection_destroy(make(ctx, def));
}

static void test_choose(void **state)
{
    PJ_CONTEXT *ctx = *state;
    /* The world, and anything spanning over 150 deg of longitude or 100
     * of latitude. */
    expect_choice(ctx, -180, -90, 180, 90,
                  "+proj=eqearth +lon_0=0 +ellps=WGS84 +units=m +no_defs");
    expect_choice(ctx, -20, -50, 40, 55,
                  "+proj=eqearth +lon_0=10 +ellps=WGS84 +units=m +no_defs");
    /* Polar data before the world rule: 64..71 N over 200 deg of
     * longitude (the Arctic set), wholly beyond 60 N, reaching a pole. */
    expect_choice(ctx, -30, 64, 170, 71,
                  "+proj=laea +lat_0=90 +lon_0=70 +ellps=WGS84 +units=m "
                  "+no_defs");
    expect_choice(ctx, -62.35, 78.2, 15.6, 90,
                  "+proj=laea +lat_0=90 +lon_0=-23.375 +ellps=WGS84 "
                  "+units=m +no_defs");
    expect_choice(ctx, 0, -90, 166.67, -77.85,
                  "+proj=laea +lat_0=-90 +lon_0=83.335 +ellps=WGS84 "
                  "+units=m +no_defs");
    expect_choice(ctx, -100, 46, 100, 58,
                  "+proj=laea +lat_0=90 +lon_0=0 +ellps=WGS84 +units=m "
                  "+no_defs");
    /* 44 N is not beyond 45: the world rule. */
    expect_choice(ctx, -100, 44, 100, 58,
                  "+proj=eqearth +lon_0=0 +ellps=WGS84 +units=m +no_defs");
    /* Exactly 150 is not over 150: mid-latitude LCC. */
    expect_choice(ctx, 0, 30, 150, 60,
                  "+proj=lcc +lat_1=35 +lat_2=55 +lat_0=45 +lon_0=75 "
                  "+ellps=WGS84 +units=m +no_defs");
    /* Within 15 deg of a pole: polar LAEA. */
    expect_choice(ctx, -40, 60, 60, 85,
                  "+proj=laea +lat_0=90 +lon_0=10 +ellps=WGS84 +units=m "
                  "+no_defs");
    expect_choice(ctx, 0, -89, 100, -60,
                  "+proj=laea +lat_0=-90 +lon_0=50 +ellps=WGS84 +units=m "
                  "+no_defs");
    /* Centre within 20 deg of the equator: Mercator. */
    expect_choice(ctx, 95, -10, 140, 10,
                  "+proj=merc +lon_0=117.5 +ellps=WGS84 +units=m +no_defs");
    expect_choice(ctx, -80, 0, -30, 40,
                  "+proj=merc +lon_0=-55 +ellps=WGS84 +units=m +no_defs");
    /* Mid-latitudes: LCC with standard parallels at 1/6 and 5/6 of
     * 30..66, i.e. 36 and 60 (Korea to Moscow). */
    expect_choice(ctx, 30, 30, 130, 66, LCC_ASIA);
    expect_choice(ctx, -10, 35, 30, 60,
                  "+proj=lcc +lat_1=39.166667 +lat_2=55.833333 "
                  "+lat_0=47.5 +lon_0=10 +ellps=WGS84 +units=m +no_defs");
    /* Southern mid-latitudes. */
    expect_choice(ctx, 110, -45, 155, -10,
                  "+proj=lcc +lat_1=-39.166667 +lat_2=-15.833333 "
                  "+lat_0=-27.5 +lon_0=132.5 +ellps=WGS84 +units=m "
                  "+no_defs");
    /* Across the antimeridian (E > 180): the middle meridian 185 comes
     * back as -175. */
    expect_choice(ctx, 170, -20, 200, -10,
                  "+proj=merc +lon_0=-175 +ellps=WGS84 +units=m +no_defs");
    expect_choice(ctx, 170, 50, 200, 70,
                  "+proj=lcc +lat_1=53.333333 +lat_2=66.666667 +lat_0=60 "
                  "+lon_0=-175 +ellps=WGS84 +units=m +no_defs");
    /* The centre meridian 180 itself. */
    expect_choice(ctx, 170, -20, 190, -10,
                  "+proj=merc +lon_0=-180 +ellps=WGS84 +units=m +no_defs");
}

static void test_choose_refuses(void **state)
{
    (void)state;
    char def[256];
    evm_error_t err = {0};
    assert_int_equal(
        evm_projection_choose(10, 20, 0, 30, def, sizeof def, &err),
        EVM_ERR_INVALID_ARG);
    assert_int_equal(
        evm_projection_choose(0, 30, 10, 20, def, sizeof def, &err),
        EVM_ERR_INVALID_ARG);
    assert_int_equal(
        evm_projection_choose(0, -95, 10, 20, def, sizeof def, &err),
        EVM_ERR_INVALID_ARG);
    assert_int_equal(
        evm_projection_choose(NAN, 0, 10, 20, def, sizeof def, &err),
        EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_projection_choose(0, 0, 10, 20, def, 16, &err),
                     EVM_ERR_INVALID_ARG);
    assert_string_equal(def, "");
    assert_true(strstr(err.message, "no room") != NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_not_representable),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_lon0),
        cmocka_unit_test(test_choose),
        cmocka_unit_test(test_choose_refuses),
    };
    return cmocka_run_group_tests(tests, evm_test_proj_setup,
                                  evm_test_proj_teardown);
}
