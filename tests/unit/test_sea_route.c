/* Sea legs routed at sea, checked against the 1:10m land itself.
 *
 * The land check is independent of the router's grid: a crossing-number
 * point-in-polygon test over every ring of the 1:10m countries (holes
 * count by parity, as the data's rings nest), at points every 500 m
 * along the geodesics between the routed vertices. A stretch of land
 * longer than 3 km more than 10 km from either port fails, as the issue
 * asks for the North Pacific example's Vladivostok -> Petropavlovsk-
 * Kamchatsky leg and for Odesa -> Novorossiysk.
 *
 * Lengths against published sea distances:
 *   - Odesa -> Novorossiysk, about 680 km round Crimea (the issue's
 *     figure; 365-370 nautical miles in port distance tables), so
 *     between 620 and 760 km;
 *   - Rotterdam -> Singapore by Suez, 8,288 nautical miles (15,350 km)
 *     in port distance tables, against 11,750 nmi round the Cape of Good
 *     Hope: between 14,500 and 16,000 km, and by the Red Sea.
 * Ports are Natural Earth's (ne_10m_ports, as geodata/gazetteer.csv
 * holds them). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "core/basemap.h"
#include "geo/sea_legs.h"
#include "geo/sea_route.h"
#include "testutil.h"

#define BUILD_GEODATA EVM_BUILD_DIR "/geodata"

typedef struct port {
    const char *name;
    double lat, lon;
} port_t;

static const port_t VLADIVOSTOK = {"Vladivostok", 43.09444, 131.88775};
static const port_t PETROPAVLOVSK = {"Petropavlovsk", 53.05000, 158.65000};
static const port_t ODESA = {"Odessa", 46.50111, 30.73704};
static const port_t NOVOROSSIYSK = {"Novorossiysk", 44.71500, 37.80442};
static const port_t ROTTERDAM = {"Rotterdam", 51.92722, 4.29287};
static const port_t SINGAPORE = {"Singapore", 1.29278, 103.72214};
static const port_t RAJIN = {"Rajin", 42.2460, 130.2830};
static const port_t DUNAI = {"Dunai", 42.8830, 132.3550};

typedef struct fixture {
    evm_geodata_t *gd;
    const evm_basemap_t *land;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    evm_error_t err;
    if (!f || evm_geodata_open(BUILD_GEODATA, &f->gd, &err) ||
        evm_geodata_get(f->gd, EVM_BASEMAP_10M, &f->land, &err))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    evm_geodata_destroy(f->gd);
    free(f);
    return 0;
}

/* Crossing number over every ring: inside an odd number of rings. */
static bool on_land(const evm_basemap_t *m, double lat, double lon)
{
    bool in = false;
    for (size_t r = 0; r < m->n_rings; r++) {
        const evm_llbox_t *b = &m->ring_box[r];
        if (lat < b->s || lat > b->n || lon < b->w || lon > b->e)
            continue;
        const double *p = m->ring_pts + 2 * m->ring_off[r];
        size_t n = m->ring_off[r + 1] - m->ring_off[r];
        for (size_t i = 0, j = n - 1; i < n; j = i++) {
            double xi = p[2 * i], yi = p[2 * i + 1];
            double xj = p[2 * j], yj = p[2 * j + 1];
            if ((yi > lat) != (yj > lat) &&
                lon < xj + (lat - yj) * (xi - xj) / (yi - yj))
                in = !in;
        }
    }
    return in;
}

static double dist_m(double lat1, double lon1, double lat2, double lon2)
{
    double s12;
    evm_geodesic_inverse(lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12;
}

/* The longest stretch on land more than 10 km from both ends, walking
 * the geodesics between the vertices every 500 m. */
static double longest_land_m(const evm_basemap_t *m, const double *ll, size_t n)
{
    double a_lat = ll[0], a_lon = ll[1];
    double b_lat = ll[2 * n - 2], b_lon = ll[2 * n - 1];
    double run = 0, worst = 0;
    for (size_t i = 1; i < n; i++) {
        double s12, azi1;
        evm_geodesic_inverse(ll[2 * i - 2], ll[2 * i - 1], ll[2 * i],
                             ll[2 * i + 1], &s12, &azi1, NULL);
        int steps = (int)ceil(s12 / 500.0);
        for (int k = 0; k <= steps; k++) {
            double lat, lon;
            evm_geodesic_direct(ll[2 * i - 2], ll[2 * i - 1], azi1,
                                s12 * k / (steps ? steps : 1), &lat, &lon,
                                NULL);
            bool near_port = dist_m(lat, lon, a_lat, a_lon) < 10000 ||
                             dist_m(lat, lon, b_lat, b_lon) < 10000;
            if (!near_port && on_land(m, lat, lon))
                run += steps ? s12 / steps : 0;
            else
                run = 0;
            worst = fmax(worst, run);
        }
    }
    return worst;
}

static evm_route_point_t point(const port_t *p)
{
    return (evm_route_point_t){p->name, p->lat, p->lon, -1};
}

/* A sea leg from a to b, traced with sea routing on. */
static evm_leg_trace_t trace(fixture_t *f, const port_t *a, const port_t *b)
{
    static evm_route_point_t pts[2];
    pts[0] = point(a);
    pts[1] = point(b);
    evm_route_leg_t leg = {.route = "test",
                           .leg = 1,
                           .mode = EVM_ROUTE_SEA,
                           .points = pts,
                           .n_points = 2};
    evm_leg_trace_t t;
    evm_error_t err;
    evm_status st = evm_leg_trace(f->gd, &leg, true, NULL, &t, &err);
    if (st)
        fail_msg("%s", err.message);
    return t;
}

static void assert_at_sea(fixture_t *f, const evm_leg_trace_t *t)
{
    assert_true(t->routed);
    assert_true(t->n_vertices >= 3);
    /* No vertex but the ports on land. */
    for (size_t i = 1; i + 1 < t->n_vertices; i++)
        if (on_land(f->land, t->lat_lon[2 * i], t->lat_lon[2 * i + 1]))
            fail_msg("vertex %zu (%.4f, %.4f) is on land", i, t->lat_lon[2 * i],
                     t->lat_lon[2 * i + 1]);
    double land = longest_land_m(f->land, t->lat_lon, t->n_vertices);
    if (land > 3000)
        fail_msg("%.1f km on land", land / 1000);
}

static void test_vladivostok_petropavlovsk(void **state)
{
    fixture_t *f = *state;
    evm_leg_trace_t t = trace(f, &VLADIVOSTOK, &PETROPAVLOVSK);
    assert_at_sea(f, &t);
    assert_true(t.lat_lon[0] == VLADIVOSTOK.lat &&
                t.lat_lon[1] == VLADIVOSTOK.lon);
    assert_true(t.lat_lon[2 * t.n_vertices - 2] == PETROPAVLOVSK.lat);
    /* The geodesic crosses Sakhalin and the Kurils; the path is longer,
     * but not by a detour round Sakhalin's north (over 4,000 km). */
    assert_true(t.length_m > t.geodesic_m);
    assert_true(t.length_m < 1.35 * t.geodesic_m);
    /* Not through Sakhalin: every vertex south of Cape Aniva (46.0 N)
     * or east of the island (144.8 E) while west of the Kurils. */
    for (size_t i = 0; i < t.n_vertices; i++) {
        double lat = t.lat_lon[2 * i], lon = t.lat_lon[2 * i + 1];
        assert_false(lat > 46.5 && lon > 141.5 && lon < 143.5);
    }
    evm_leg_trace_free(&t);
}

static void test_odesa_novorossiysk(void **state)
{
    fixture_t *f = *state;
    evm_leg_trace_t t = trace(f, &ODESA, &NOVOROSSIYSK);
    assert_at_sea(f, &t);
    assert_true(t.length_m > 620e3);
    assert_true(t.length_m < 760e3);
    /* Round Crimea: south of its southern cape (44.39 N) near 34 E. */
    bool south = false;
    for (size_t i = 1; i < t.n_vertices; i++) {
        double la = t.lat_lon[2 * i - 2], lo = t.lat_lon[2 * i - 1];
        double lb = t.lat_lon[2 * i], lob = t.lat_lon[2 * i + 1];
        if (lo <= 34.0 && lob >= 34.0) {
            double lat = la + (lb - la) * (34.0 - lo) / (lob - lo);
            south |= lat < 44.39;
        }
    }
    assert_true(south);
    evm_leg_trace_free(&t);
}

static void test_rotterdam_singapore_by_suez(void **state)
{
    fixture_t *f = *state;
    evm_leg_trace_t t = trace(f, &ROTTERDAM, &SINGAPORE);
    assert_true(t.routed);
    if (!(t.length_m > 14500e3 && t.length_m < 16000e3))
        fail_msg("%.0f km", t.length_m / 1000);
    bool red_sea = false;
    for (size_t i = 0; i < t.n_vertices; i++) {
        double lat = t.lat_lon[2 * i], lon = t.lat_lon[2 * i + 1];
        assert_true(lat > -12); /* not round the Cape */
        red_sea |= lat > 12 && lat < 30 && lon > 32 && lon < 44;
    }
    /* Every vertex at sea but the ports and the canal's. */
    for (size_t i = 1; i + 1 < t.n_vertices; i++) {
        double lat = t.lat_lon[2 * i], lon = t.lat_lon[2 * i + 1];
        bool suez = lat > 29.8 && lat < 31.5 && lon > 32.1 && lon < 32.7;
        if (!suez && on_land(f->land, lat, lon))
            fail_msg("vertex (%.3f, %.3f) on land", lat, lon);
    }
    assert_true(red_sea);
    evm_leg_trace_free(&t);
}

static void test_short_coastal_leg(void **state)
{
    /* The example's first leg, Rajin to Dunai, along the coast. */
    fixture_t *f = *state;
    evm_leg_trace_t t = trace(f, &RAJIN, &DUNAI);
    assert_true(t.routed);
    assert_true(t.length_m >= t.geodesic_m);
    assert_true(t.length_m < 1.5 * t.geodesic_m);
    assert_true(longest_land_m(f->land, t.lat_lon, t.n_vertices) <= 3000);
    evm_leg_trace_free(&t);
}

static void test_inland_leg_reported(void **state)
{
    fixture_t *f = *state;
    const port_t moscow = {"Moscow", 55.7558, 37.6173},
                 tikhoretsk = {"Tikhoretsk", 45.8546, 40.1253};
    evm_leg_trace_t t = trace(f, &moscow, &tikhoretsk);
    assert_false(t.routed);
    assert_int_equal(t.n_vertices, 2);
    assert_true(fabs(t.length_m - t.geodesic_m) < 1e-6);
    assert_non_null(strstr(t.note, "Moscow is more than 60 km from the sea"));
    assert_non_null(strstr(t.note, "route \"test\" leg 1"));
    evm_leg_trace_free(&t);
}

static void test_bad_points(void **state)
{
    fixture_t *f = *state;
    evm_sea_land_t sl = {f->land, NULL, 0};
    evm_sea_path_t p;
    assert_int_equal(evm_sea_route(&sl, 95, 0, 10, 10, &p),
                     EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_sea_route(&sl, 10, NAN, 10, 10, &p),
                     EVM_ERR_INVALID_ARG);
    /* A leg from a port to itself. */
    assert_int_equal(
        evm_sea_route(&sl, ODESA.lat, ODESA.lon, ODESA.lat, ODESA.lon, &p),
        EVM_OK);
    assert_int_equal(p.result, EVM_SEA_ROUTED);
    evm_sea_path_free(&p);
}

/* A sea leg from a port to itself: a line of two vertices, length 0. */
static void test_same_port(void **state)
{
    fixture_t *f = *state;
    evm_leg_trace_t t = trace(f, &ODESA, &ODESA);
    assert_true(t.routed);
    assert_int_equal(t.n_vertices, 2);
    assert_true(t.length_m == 0);
    evm_leg_trace_free(&t);
}

static void test_rail_over_sea_warns(void **state)
{
    fixture_t *f = *state;
    const evm_basemap_t *land50;
    evm_error_t err;
    assert_int_equal(evm_geodata_get(f->gd, EVM_BASEMAP_50M, &land50, &err),
                     EVM_OK);
    /* Odesa to Novorossiysk by rail, straight over the Black Sea. */
    evm_route_point_t pts[2] = {point(&ODESA), point(&NOVOROSSIYSK)};
    evm_route_leg_t leg = {.route = "r",
                           .leg = 2,
                           .mode = EVM_ROUTE_RAIL,
                           .points = pts,
                           .n_points = 2};
    evm_leg_trace_t t;
    assert_int_equal(evm_leg_trace(f->gd, &leg, true, land50, &t, &err),
                     EVM_OK);
    assert_non_null(strstr(t.note, "route \"r\" leg 2 (rail"));
    assert_non_null(strstr(t.note, "of open sea"));
    evm_leg_trace_free(&t);
    /* Rajin to Tikhoretsk's rail leg piece Khabarovsk - Chita: land. */
    evm_route_point_t land_pts[2] = {{"Khabarovsk", 48.48, 135.08, -1},
                                     {"Chita", 52.03, 113.50, -1}};
    leg.points = land_pts;
    assert_int_equal(evm_leg_trace(f->gd, &leg, true, land50, &t, &err),
                     EVM_OK);
    assert_string_equal(t.note, "");
    evm_leg_trace_free(&t);
}

/* The bundled passages join water to water: both ends of each at sea. */
static void test_passages_end_at_sea(void **state)
{
    fixture_t *f = *state;
    size_t len;
    char *text = evm_test_read_file(BUILD_GEODATA "/sea-passages.csv", &len);
    assert_non_null(text);
    int n = 0;
    for (char *ln = strchr(text, '\n'); ln && ln[1]; ln = strchr(ln, '\n')) {
        ln++;
        char name[64];
        double lat1, lon1;
        assert_int_equal(
            sscanf(ln, "%63[^,],%*[^,],%lf %lf", name, &lat1, &lon1), 3);
        char *end = strchr(ln, '\n'), *last = ln;
        for (char *s = strchr(ln, ';'); s && (!end || s < end);
             s = strchr(s + 1, ';'))
            last = s + 1;
        double lat2, lon2;
        assert_int_equal(sscanf(last, "%lf %lf", &lat2, &lon2), 2);
        if (on_land(f->land, lat1, lon1) || on_land(f->land, lat2, lon2))
            fail_msg("%s does not end at sea: (%g %g) %d, (%g %g) %d", name,
                     lat1, lon1, on_land(f->land, lat1, lon1), lat2, lon2,
                     on_land(f->land, lat2, lon2));
        n++;
    }
    assert_true(n >= 10);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vladivostok_petropavlovsk),
        cmocka_unit_test(test_odesa_novorossiysk),
        cmocka_unit_test(test_rotterdam_singapore_by_suez),
        cmocka_unit_test(test_short_coastal_leg),
        cmocka_unit_test(test_inland_leg_reported),
        cmocka_unit_test(test_bad_points),
        cmocka_unit_test(test_same_port),
        cmocka_unit_test(test_rail_over_sea_warns),
        cmocka_unit_test(test_passages_end_at_sea),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
