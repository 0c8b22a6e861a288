/* Routes files: headers in any case and order, quoted cells, BOM and
 * CRLF; grouping of rows into routes; places as events or inline
 * coordinates in every form the coordinate parser reads; every malformed
 * case with its line and column; leg and route lengths against
 * GeographicLib's GeodSolve (tests/data/routes/PROVENANCE.md) to 1 mm;
 * CSV output read back with the project's CSV reader, JSON with jansson,
 * the table's alignment, and atomic file output. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "load/csv_reader.h"
#include "testutil.h"

#define EXAMPLE_DIR EVM_SOURCE_DIR "/examples/korea-russia-2023"
#define REF_OUT EVM_TEST_DATA_DIR "/routes/GeodSolve-segments.out"

/* GeodSolve's lengths are exact to 0.1 nm; evmap's geodesics to about
 * 15 nm. 1 mm leaves room for neither to matter. */
#define TOL_M 1e-3

/* ---- helpers ------------------------------------------------------------ */

/* |a - b| <= tol in doubles (cmocka's float version would lose the
 * millimetres of a 7,000 km route). */
#define assert_double_equal(a, b, tol)                                         \
    near_or_fail((a), (b), (tol), #a, __FILE__, __LINE__)

static void near_or_fail(double a, double b, double tol, const char *what,
                         const char *file, int line)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%s:%d: %s = %.10f, expected %.10f within %g", file, line,
                 what, a, b, tol);
}

static evm_events_t *korea_events(void)
{
    evm_events_t *ev = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_events_load_file(EXAMPLE_DIR "/events.csv", NULL, &ev, &err),
        EVM_OK);
    return ev;
}

static evm_events_t *events_from(const char *csv)
{
    evm_events_t *ev = NULL;
    evm_error_t err;
    evm_status st =
        evm_events_load_memory("ev.csv", csv, strlen(csv), NULL, &ev, &err);
    if (st)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, EVM_OK);
    return ev;
}

static evm_routes_t *load(const char *csv, const evm_events_t *ev)
{
    evm_routes_t *r = NULL;
    evm_error_t err;
    evm_status st =
        evm_routes_load_memory("routes.csv", csv, strlen(csv), ev, &r, &err);
    if (st) {
        char msg[1024];
        evm_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "unexpected: %s\n", msg);
    }
    assert_int_equal(st, EVM_OK);
    assert_non_null(r);
    return r;
}

/* s12 in metres of the segments of tests/data/routes, in file order. */
enum { N_SEGMENTS = 11 };

static void reference_segments(double s12[N_SEGMENTS])
{
    FILE *f = fopen(REF_OUT, "r");
    assert_non_null(f);
    for (int i = 0; i < N_SEGMENTS; i++) {
        double azi1, azi2;
        assert_int_equal(fscanf(f, "%lf %lf %lf", &azi1, &azi2, &s12[i]), 3);
    }
    fclose(f);
}

static double ref_sum(const double *s12, int first, int last)
{
    double sum = 0;
    for (int i = first; i <= last; i++)
        sum += s12[i];
    return sum;
}

typedef struct membuf {
    char *data;
    size_t len, cap;
    bool fail;
} membuf_t;

static evm_status mem_write(void *closure, const unsigned char *data,
                            size_t len)
{
    membuf_t *m = closure;
    if (m->fail)
        return EVM_ERR_IO;
    if (m->len + len + 1 > m->cap) {
        m->cap = (m->len + len + 1) * 2;
        m->data = realloc(m->data, m->cap);
        assert_non_null(m->data);
    }
    memcpy(m->data + m->len, data, len);
    m->len += len;
    m->data[m->len] = '\0';
    return EVM_OK;
}

static char *write_to_string(const evm_routes_t *r, evm_dist_format fmt,
                             evm_units units)
{
    membuf_t m = {0};
    evm_error_t err;
    assert_int_equal(evm_routes_write(r, fmt, units, mem_write, &m, &err),
                     EVM_OK);
    assert_non_null(m.data);
    return m.data;
}

/* ---- reading ------------------------------------------------------------ */

/* Headers in any case and order, an extra column, a BOM, CRLF, quoted
 * cells holding commas, doubled quotes and a line break; event names
 * matched ignoring case and given back as the events file writes them. */
static void test_parsing(void **state)
{
    (void)state;
    evm_events_t *ev = korea_events();
    const char *csv =
        "\xEF\xBB\xBFLabel,VIA,Extra,To,FROM,Mode,DATE,Route\r\n"
        "\"Leg \"\"one\"\", by sea\",,x,Dunai port,rajin PORT,SEA,2023-09,"
        "\"Shipment, north\"\r\n"
        "\"two\r\nlines\",\"48.48 135.08 ; 52.03,113.50\",y,"
        "Tikhoretsk ammunition depot,Dunai port,Rail,,\"Shipment, north\"\r\n";
    evm_routes_t *r = load(csv, ev);
    size_t n_routes, n_legs;
    const evm_route_t *rt = evm_routes_routes(r, &n_routes);
    const evm_route_leg_t *legs = evm_routes_legs(r, &n_legs);
    assert_int_equal(n_routes, 1);
    assert_int_equal(n_legs, 2);
    assert_string_equal(rt[0].name, "Shipment, north");
    assert_string_equal(evm_routes_source(r), "routes.csv");

    assert_string_equal(legs[0].route, "Shipment, north");
    assert_string_equal(legs[0].label, "Leg \"one\", by sea");
    assert_string_equal(legs[0].date, "2023-09");
    assert_int_equal(legs[0].mode, EVM_ROUTE_SEA);
    assert_int_equal(legs[0].line, 2);
    assert_int_equal(legs[0].leg, 1);
    assert_int_equal(legs[0].n_points, 2);
    assert_string_equal(legs[0].points[0].name, "Rajin port");
    assert_int_equal(legs[0].points[0].event, 6); /* 7th row of events.csv */
    assert_double_equal(legs[0].points[0].lat_deg, 42.2460, 0);
    assert_double_equal(legs[0].points[0].lon_deg, 130.2830, 0);
    assert_string_equal(legs[0].points[1].name, "Dunai port");
    assert_int_equal(legs[0].points[1].event, 7);

    assert_string_equal(legs[1].label, "two\r\nlines");
    assert_string_equal(legs[1].date, "");
    assert_int_equal(legs[1].mode, EVM_ROUTE_RAIL);
    assert_int_equal(legs[1].line, 3); /* where its record starts */
    assert_int_equal(legs[1].leg, 2);
    assert_int_equal(legs[1].route_index, 0);
    assert_int_equal(legs[1].n_points, 4);
    const evm_route_point_t *p = legs[1].points;
    assert_string_equal(p[1].name, "48.48 135.08");
    assert_int_equal(p[1].event, -1);
    assert_double_equal(p[1].lat_deg, 48.48, 0);
    assert_double_equal(p[1].lon_deg, 135.08, 0);
    assert_string_equal(p[2].name, "52.03,113.50");
    assert_double_equal(p[2].lat_deg, 52.03, 0);
    assert_double_equal(p[2].lon_deg, 113.50, 0);
    assert_string_equal(p[3].name, "Tikhoretsk ammunition depot");
    evm_routes_destroy(r);

    /* A tab-separated file, no route column: one unnamed route. */
    r = load("from\tto\n48.48 135.08\t52.03 113.50\n", NULL);
    rt = evm_routes_routes(r, &n_routes);
    legs = evm_routes_legs(r, &n_legs);
    assert_int_equal(n_routes, 1);
    assert_string_equal(rt[0].name, "");
    assert_string_equal(legs[0].route, "");
    assert_string_equal(legs[0].label, "");
    assert_int_equal(legs[0].mode, EVM_ROUTE_OTHER);
    evm_routes_destroy(r);
    evm_events_destroy(ev);
}

/* Routes in order of their first row, legs in row order, the route cell
 * compared exactly ("A" and "a" differ), empty cells one unnamed
 * route. */
static void test_grouping(void **state)
{
    (void)state;
    const char *csv = "route,from,to,mode\n"
                      "B,0 0,0 1,sea\n"   /* 2 */
                      "A,0 1,0 2,rail\n"  /* 3 */
                      ",0 2,0 3,\n"       /* 4 */
                      "B,0 3,0 4,road\n"  /* 5 */
                      "a,0 4,0 5,air\n"   /* 6 */
                      "A,0 5,0 6,river\n" /* 7 */
                      "B,0 6,0 7,other\n" /* 8 */;
    evm_routes_t *r = load(csv, NULL);
    size_t n_routes, n_legs;
    const evm_route_t *rt = evm_routes_routes(r, &n_routes);
    const evm_route_leg_t *legs = evm_routes_legs(r, &n_legs);
    assert_int_equal(n_routes, 4);
    assert_int_equal(n_legs, 7);
    static const char *const names[] = {"B", "A", "", "a"};
    static const size_t first[] = {0, 3, 5, 6}, count[] = {3, 2, 1, 1};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(rt[i].name, names[i]);
        assert_int_equal(rt[i].first_leg, first[i]);
        assert_int_equal(rt[i].n_legs, count[i]);
    }
    static const unsigned long lines[] = {2, 5, 8, 3, 7, 4, 6};
    static const size_t leg_no[] = {1, 2, 3, 1, 2, 1, 1};
    static const size_t route_of[] = {0, 0, 0, 1, 1, 2, 3};
    static const evm_route_mode modes[] = {
        EVM_ROUTE_SEA,   EVM_ROUTE_ROAD,  EVM_ROUTE_OTHER, EVM_ROUTE_RAIL,
        EVM_ROUTE_RIVER, EVM_ROUTE_OTHER, EVM_ROUTE_AIR};
    for (size_t i = 0; i < 7; i++) {
        assert_int_equal(legs[i].line, lines[i]);
        assert_int_equal(legs[i].leg, leg_no[i]);
        assert_int_equal(legs[i].route_index, route_of[i]);
        assert_int_equal(legs[i].mode, modes[i]);
        assert_string_equal(legs[i].route, names[route_of[i]]);
        /* Row k runs from 0 (k-2) to 0 (k-1) degrees of longitude. */
        assert_double_equal(legs[i].points[0].lon_deg, (double)lines[i] - 2, 0);
    }
    /* A route's length is the sum of its legs. */
    for (size_t i = 0; i < 4; i++) {
        double sum = 0;
        for (size_t k = 0; k < rt[i].n_legs; k++)
            sum += legs[rt[i].first_leg + k].length_m;
        assert_double_equal(rt[i].length_m, sum, 1e-9);
    }
    evm_routes_destroy(r);
}

/* Every coordinate form: decimal, "lat,lon", blanks and tabs, degrees-
 * minutes-seconds with symbols, letters or spaces (whose own spaces make
 * several splits, of which one is valid), hemisphere letters before or
 * after. */
static void test_inline_coordinates(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double lat, lon;
    } cases[] = {
        {"48.48 135.08", 48.48, 135.08},
        {"48.48,135.08", 48.48, 135.08},
        {" 48.48 ,\t135.08 ", 48.48, 135.08},
        {"48.48\t\t135.08", 48.48, 135.08},
        {"48.48    135.08", 48.48, 135.08},
        {"-33.8688 151.2093", -33.8688, 151.2093},
        {"39 1 30 N 125 45 E", 39.025, 125.75},
        {"39 1 30 N, 125 45 E", 39.025, 125.75},
        {"39\xC2\xB0"
         "01\xE2\x80\xB2"
         "30\xE2\x80\xB3N 125\xC2\xB0"
         "45\xE2\x80\xB2"
         "E",
         39.025, 125.75},
        {"39d1m30s 125d45m", 39.025, 125.75},
        {"33 52 S 151 12 30 E", -(33 + 52 / 60.0),
         151 + 12 / 60.0 + 30 / 3600.0},
        {"N39.0392 E125.7625", 39.0392, 125.7625},
        {"39.0392N 125.7625W", 39.0392, -125.7625},
        {"0 0", 0, 0},
        {"-90 -180", -90, -180},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char csv[256];
        snprintf(csv, sizeof csv, "from,to\n\"%s\",0 0\n", cases[i].text);
        evm_routes_t *r = load(csv, NULL);
        const evm_route_leg_t *leg = evm_routes_legs(r, NULL);
        const evm_route_point_t *p = &leg->points[0];
        if (fabs(p->lat_deg - cases[i].lat) > 1e-12 ||
            fabs(p->lon_deg - cases[i].lon) > 1e-12)
            fail_msg("\"%s\" read as %.12f %.12f", cases[i].text, p->lat_deg,
                     p->lon_deg);
        assert_int_equal(p->event, -1);
        evm_routes_destroy(r);
    }
}

/* An event's name wins over coordinates; names are found ignoring case;
 * waypoints may be events too. */
static void test_event_names(void **state)
{
    (void)state;
    evm_events_t *ev = events_from("name,lat,lon\n"
                                   "10 20,1,2\n"
                                   "Port Arthur,38.81,121.26\n");
    evm_routes_t *r =
        load("from,to,via\n10 20,PORT ARTHUR,port arthur;10 21\n", ev);
    const evm_route_leg_t *leg = evm_routes_legs(r, NULL);
    assert_int_equal(leg->n_points, 4);
    assert_int_equal(leg->points[0].event, 0);
    assert_double_equal(leg->points[0].lat_deg, 1, 0);
    assert_double_equal(leg->points[0].lon_deg, 2, 0);
    assert_string_equal(leg->points[1].name, "Port Arthur");
    assert_int_equal(leg->points[1].event, 1);
    assert_int_equal(leg->points[2].event, -1);
    assert_double_equal(leg->points[2].lat_deg, 10, 0);
    assert_double_equal(leg->points[2].lon_deg, 21, 0);
    assert_string_equal(leg->points[3].name, "Port Arthur");
    evm_routes_destroy(r);
    evm_events_destroy(ev);
}

/* ---- errors ------------------------------------------------------------- */

typedef struct bad_case {
    const char *csv;
    int events; /* 0 none, 1 the Korea example, 2 two events named Port */
    evm_status status;
    unsigned long line, column;
    const char *needle;
} bad_case_t;

static const bad_case_t bad_cases[] = {
    {"route,to\nA,1 2\n", 0, EVM_ERR_PARSE, 1, 0, "no \"from\" column"},
    {"from,route\n1 2,A\n", 0, EVM_ERR_PARSE, 1, 0, "no \"to\" column"},
    {"from,to,FROM\n1 2,3 4,5 6\n", 0, EVM_ERR_PARSE, 1, 9,
     "a second \"from\" column (the first is column 1)"},
    {"from,to\n  ,1 2\n", 0, EVM_ERR_PARSE, 2, 1, "empty \"from\" cell"},
    {"from,to\n1 2,\n", 0, EVM_ERR_PARSE, 2, 5, "empty \"to\" cell"},
    {"from,to,mode\n1 2,3 4,ship\n", 0, EVM_ERR_PARSE, 2, 9,
     "unknown mode \"ship\": expected sea, rail, road, air, river or other"},
    {"from,to,mode,routing\n1 2,3 4,sea,straight\n", 0, EVM_ERR_PARSE, 2, 13,
     "unknown routing \"straight\": expected sea, geodesic or nothing"},
    {"from,to,mode,routing\n1 2,3 4,rail,sea\n", 0, EVM_ERR_PARSE, 2, 14,
     "routing \"sea\" on a rail leg: only sea legs are routed at sea"},
    {"from,to,via\n1 2,3 4,5 6;;7 8\n", 0, EVM_ERR_PARSE, 2, 9,
     "via entry 2 of \"5 6;;7 8\" is empty"},
    {"from,to,via\n1 2,3 4,;5 6\n", 0, EVM_ERR_PARSE, 2, 9,
     "via entry 1 of \";5 6\" is empty"},
    {"from,to,via\n1 2,3 4,5 6;\n", 0, EVM_ERR_PARSE, 2, 9,
     "via entry 2 of \"5 6;\" is empty"},
    {"from,to,via\n1 2,3 4,5 6; ;7 8\n", 0, EVM_ERR_PARSE, 2, 9,
     "via entry 2 of \"5 6; ;7 8\" is empty"},
    {"from,to\n91 10,3 4\n", 0, EVM_ERR_PARSE, 2, 1,
     "the latitude \"91\" is outside [-90, 90]"},
    {"from,to\n1 2,10 200\n", 0, EVM_ERR_PARSE, 2, 5,
     "the longitude \"200\" is outside [-180, 180]"},
    {"from,to\n\"95,10\",3 4\n", 0, EVM_ERR_PARSE, 2, 1,
     "the latitude \"95\" is outside [-90, 90]"},
    {"from,to\n1 2,39 1 30 N 190 E\n", 0, EVM_ERR_PARSE, 2, 5,
     "the longitude \"190 E\" is outside [-180, 180]"},
    {"from,to,via\n1 2,3 4,5 6;-91 0\n", 0, EVM_ERR_PARSE, 2, 9,
     "the latitude \"-91\" is outside [-90, 90]"},
    {"from,to\n10 20 30 40,1 2\n", 0, EVM_ERR_PARSE, 2, 1,
     "can be read in 3 ways"},
    {"from,to\nRajin port,Dunay port\n", 1, EVM_ERR_NOT_FOUND, 2, 12,
     "no event is named \"Dunay port\"; did you mean \"Dunai port\"?"},
    {"from,to,via\nRajin port,Dunai port,Khabarovsk\n", 1, EVM_ERR_NOT_FOUND, 2,
     23, "no event is named \"Khabarovsk\""},
    {"from,to\nRajin port,1 2\n", 0, EVM_ERR_NOT_FOUND, 2, 1,
     "no event is named \"Rajin port\""},
    {"from,to\nPORT,1 2\n", 2, EVM_ERR_INVALID_ARG, 2, 1,
     "matches 2 events (lines 2 and 3)"},
    {"from,to,date\n1 2,3 4,Sept 2023\n", 0, EVM_ERR_PARSE, 2, 9,
     "date \"Sept 2023\" is not an ISO 8601 date"},
    {"from,to\n", 0, EVM_ERR_PARSE, 0, 0, "no legs"},
    {"", 0, EVM_ERR_PARSE, 0, 0, "empty"},
    {"from,to\n1 2,3 4,5 6\n", 0, EVM_ERR_PARSE, 2, (unsigned long)-1, ""},
    {"from,to\n\"1 2,3 4\n", 0, EVM_ERR_PARSE, 2, (unsigned long)-1, ""},
    /* Positions after a quoted line break, and after a BOM with CRLF. */
    {"from,to,label\n1 2,3 4,\"a\nb\"\n1 2,,x\n", 0, EVM_ERR_PARSE, 4, 5,
     "empty \"to\" cell"},
    {"\xEF\xBB\xBF"
     "from,to\r\n1 2,3 4\r\n5 6,ship port\r\n",
     0, EVM_ERR_NOT_FOUND, 3, 5, "no event is named \"ship port\""},
};

static void test_errors(void **state)
{
    (void)state;
    evm_events_t *korea = korea_events();
    evm_events_t *ports = events_from("name,lat,lon\nPort,1,2\nport,3,4\n");
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case_t *c = &bad_cases[i];
        const evm_events_t *ev = c->events == 1   ? korea
                                 : c->events == 2 ? ports
                                                  : NULL;
        evm_routes_t *r = (evm_routes_t *)1;
        evm_error_t err;
        evm_status st = evm_routes_load_memory("routes.csv", c->csv,
                                               strlen(c->csv), ev, &r, &err);
        char msg[1024];
        evm_error_format(&err, msg, sizeof msg);
        if (st != c->status || err.line != c->line ||
            (c->column != (unsigned long)-1 && err.column != c->column) ||
            !strstr(err.message, c->needle) ||
            strcmp(err.file, "routes.csv") != 0)
            fail_msg("case %zu: status %d, got \"%s\"", i, (int)st, msg);
        assert_null(r);
        /* The message a user sees leads with the file and position. */
        char want[64];
        if (c->line && c->column && c->column != (unsigned long)-1) {
            snprintf(want, sizeof want, "routes.csv:%lu:%lu: ", c->line,
                     c->column);
            assert_memory_equal(msg, want, strlen(want));
        }
    }
    evm_events_destroy(ports);
    evm_events_destroy(korea);
}

static void test_file_errors(void **state)
{
    (void)state;
    evm_routes_t *r = NULL;
    evm_error_t err;
    assert_int_equal(evm_routes_load_file(EVM_TEST_DATA_DIR "/routes/none.csv",
                                          NULL, &r, &err),
                     EVM_ERR_IO);
    assert_null(r);
    assert_non_null(strstr(err.file, "none.csv"));
    assert_int_equal(evm_routes_load_file(NULL, NULL, &r, &err),
                     EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_routes_load_memory("x", NULL, 3, NULL, &r, &err),
                     EVM_ERR_INVALID_ARG);
    evm_routes_destroy(NULL);
    assert_null(evm_routes_legs(NULL, NULL));
}

/* ---- modes and dates ---------------------------------------------------- */

static void test_modes(void **state)
{
    (void)state;
    static const char *const names[] = {"sea", "rail",  "road",
                                        "air", "river", "other"};
    for (int m = 0; m < EVM_ROUTE_MODE_COUNT; m++) {
        evm_route_mode got = EVM_ROUTE_MODE_COUNT;
        assert_string_equal(evm_route_mode_name((evm_route_mode)m), names[m]);
        char upper[16];
        for (size_t k = 0; k <= strlen(names[m]); k++)
            upper[k] =
                (char)(names[m][k] >= 'a' && k % 2 == 0 ? names[m][k] - 32
                                                        : names[m][k]);
        assert_int_equal(evm_route_mode_parse(upper, &got), EVM_OK);
        assert_int_equal(got, m);
    }
    assert_string_equal(evm_route_mode_name(EVM_ROUTE_MODE_COUNT), "");
    evm_route_mode keep = EVM_ROUTE_AIR;
    assert_int_equal(evm_route_mode_parse("", &keep), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_route_mode_parse("ship", &keep), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_route_mode_parse("seas", &keep), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_route_mode_parse(NULL, &keep), EVM_ERR_INVALID_ARG);
    assert_int_equal(keep, EVM_ROUTE_AIR);

    /* In a file: blanks around the mode are dropped; empty is other. */
    evm_routes_t *r = load("from,to,mode\n0 0,0 1, Sea \n0 1,0 2,\n", NULL);
    const evm_route_leg_t *legs = evm_routes_legs(r, NULL);
    assert_int_equal(legs[0].mode, EVM_ROUTE_SEA);
    assert_int_equal(legs[1].mode, EVM_ROUTE_OTHER);
    evm_routes_destroy(r);
}

/* The earliest and latest non-empty date cells, compared as text. */
static void test_dates(void **state)
{
    (void)state;
    evm_routes_t *r = load("route,from,to,date\n"
                           "R,0 0,0 1,2023-09-15\n"
                           "R,0 1,0 2,\n"
                           "R,0 2,0 3,2023-09-01\n"
                           "S,0 0,0 1,\n"
                           "R,0 3,0 4,2023-10-01T10:00\n",
                           NULL);
    size_t n;
    const evm_route_t *rt = evm_routes_routes(r, &n);
    assert_int_equal(n, 2);
    assert_string_equal(rt[0].first_date, "2023-09-01");
    assert_string_equal(rt[0].last_date, "2023-10-01T10:00");
    assert_string_equal(rt[1].first_date, "");
    assert_string_equal(rt[1].last_date, "");
    evm_routes_destroy(r);
}

/* ---- lengths against GeodSolve ------------------------------------------ */

static void check_korea(const evm_routes_t *r, const double *s12)
{
    size_t n_routes, n_legs;
    const evm_route_t *rt = evm_routes_routes(r, &n_routes);
    const evm_route_leg_t *legs = evm_routes_legs(r, &n_legs);
    assert_int_equal(n_routes, 1);
    assert_int_equal(n_legs, 2);
    assert_int_equal(legs[0].n_points, 2);
    assert_int_equal(legs[1].n_points, 9);
    assert_double_equal(legs[0].length_m, s12[0], TOL_M);
    assert_double_equal(legs[1].length_m, ref_sum(s12, 1, 8), TOL_M);
    assert_double_equal(rt[0].length_m, ref_sum(s12, 0, 8), TOL_M);
}

/* The example file with its events, and the same legs as coordinates
 * alone; the file read from disk and from memory agree to the bit. */
static void test_lengths_korea(void **state)
{
    (void)state;
    double s12[N_SEGMENTS];
    reference_segments(s12);
    evm_events_t *ev = korea_events();
    evm_routes_t *r = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_routes_load_file(EXAMPLE_DIR "/routes.csv", ev, &r, &err), EVM_OK);
    check_korea(r, s12);
    const evm_route_t *rt = evm_routes_routes(r, NULL);
    const evm_route_leg_t *legs = evm_routes_legs(r, NULL);
    assert_int_equal(legs[0].mode, EVM_ROUTE_SEA);
    assert_int_equal(legs[1].mode, EVM_ROUTE_RAIL);
    assert_string_equal(legs[0].points[0].name, "Rajin port");
    assert_string_equal(legs[0].points[1].name, "Dunai port");
    assert_string_equal(legs[1].points[0].name, "Dunai port");
    assert_string_equal(legs[1].points[8].name, "Tikhoretsk ammunition depot");
    assert_string_equal(rt[0].name, "Rajin\xE2\x80\x93Tikhoretsk shipment");

    size_t len;
    char *text = evm_test_read_file(EXAMPLE_DIR "/routes.csv", &len);
    assert_non_null(text);
    evm_routes_t *m = NULL;
    assert_int_equal(
        evm_routes_load_memory("routes.csv", text, len, ev, &m, &err), EVM_OK);
    assert_memory_equal(&evm_routes_legs(m, NULL)[1].length_m,
                        &legs[1].length_m, sizeof(double));
    free(text);
    evm_routes_destroy(m);
    evm_routes_destroy(r);

    r = load("route,from,to,mode,via\n"
             "K,42.2460 130.2830,42.8830 132.3550,sea,\n"
             "K,42.8830 132.3550,45.8547 40.1256,rail,"
             "48.48 135.08;52.03 113.50;52.29 104.28;55.03 82.92;"
             "56.84 60.60;53.20 50.15;48.71 44.51\n",
             NULL);
    check_korea(r, s12);
    evm_routes_destroy(r);
    evm_events_destroy(ev);
}

/* Vladivostok - Petropavlovsk-Kamchatsky - Anchorage crosses 180°: as
 * one leg through a waypoint and as two legs. */
static void test_lengths_antimeridian(void **state)
{
    (void)state;
    double s12[N_SEGMENTS];
    reference_segments(s12);
    evm_routes_t *r = load("from,to,via,mode\n"
                           "43.1155 131.8855,61.2181 -149.9003,"
                           "53.0167 158.65,sea\n",
                           NULL);
    const evm_route_t *rt = evm_routes_routes(r, NULL);
    assert_double_equal(rt[0].length_m, ref_sum(s12, 9, 10), TOL_M);
    evm_routes_destroy(r);

    r = load("from,to,mode\n"
             "43.1155 131.8855,53.0167 158.65,sea\n"
             "53.0167 158.65,61.2181 -149.9003,sea\n",
             NULL);
    const evm_route_leg_t *legs = evm_routes_legs(r, NULL);
    rt = evm_routes_routes(r, NULL);
    assert_double_equal(legs[0].length_m, s12[9], TOL_M);
    assert_double_equal(legs[1].length_m, s12[10], TOL_M);
    assert_double_equal(rt[0].length_m, ref_sum(s12, 9, 10), TOL_M);
    evm_routes_destroy(r);
}

/* ---- output ------------------------------------------------------------- */

typedef struct rows {
    char cells[16][8][128];
    size_t n_fields[16];
    size_t n;
} rows_t;

static evm_status collect(void *user, const evm_csv_record_t *rec,
                          evm_error_t *err)
{
    (void)err;
    rows_t *t = user;
    assert_true(t->n < 16 && rec->n_fields <= 8);
    for (size_t c = 0; c < rec->n_fields; c++) {
        assert_true(rec->fields[c].len < 128);
        memcpy(t->cells[t->n][c], rec->fields[c].text, rec->fields[c].len + 1);
    }
    t->n_fields[t->n++] = rec->n_fields;
    return EVM_OK;
}

static void read_csv(const char *text, rows_t *t)
{
    memset(t, 0, sizeof *t);
    evm_csv_reader_t *rd = NULL;
    evm_error_t err;
    evm_csv_reader_options_t o;
    evm_csv_reader_options_init(&o);
    o.delimiter = ',';
    assert_int_equal(evm_csv_reader_create(&o, collect, t, &rd, &err), EVM_OK);
    assert_int_equal(evm_csv_reader_feed(rd, text, strlen(text), &err), EVM_OK);
    assert_int_equal(evm_csv_reader_finish(rd, &err), EVM_OK);
    evm_csv_reader_destroy(rd);
}

/* Decimals after the point of a number as written. */
static size_t decimals(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot ? strlen(dot + 1) : 0;
}

static const char *const tricky_events =
    "name,lat,lon\n"
    "\"Moscow, \"\"Kremlin\"\"\",55.75,37.62\n"
    "\xEC\x84\x9C\xEC\x9A\xB8,37.5665,126.978\n";
static const char *const tricky_routes =
    "route,from,to,mode,via,label\n"
    "\"Route \"\"X\"\", north\",0 0,55.75 37.62,rail,,\n"
    "\"Route \"\"X\"\", north\",\"Moscow, \"\"Kremlin\"\"\",\xEC\x84\x9C"
    "\xEC\x9A\xB8,rail,\"10,20;30 40\",bad \xFF byte\n"
    "\"Route \"\"X\"\", north\",\xEC\x84\x9C\xEC\x9A\xB8,0 0,sea,,\n"
    "\"Route \"\"X\"\", north\",0 0,1 1,rail,,\n"
    "Korea,42.2460 130.2830,42.8830 132.3550,sea,,\n";

/* The CSV read back: header, one row per leg, a total row per route with
 * the modes joined (consecutive duplicates once), names quoted where
 * they must be, numbers to 1 um in every unit. */
static void test_csv_output(void **state)
{
    (void)state;
    double s12[N_SEGMENTS];
    reference_segments(s12);
    evm_events_t *ev = events_from(tricky_events);
    evm_routes_t *r = load(tricky_routes, ev);
    static const evm_units units[] = {EVM_UNITS_KM, EVM_UNITS_M, EVM_UNITS_MI,
                                      EVM_UNITS_NMI};
    static const char *const unit_names[] = {"km", "m", "mi", "nmi"};
    static const double unit_m[] = {1000, 1, 1609.344, 1852};
    const evm_route_leg_t *legs = evm_routes_legs(r, NULL);
    const evm_route_t *rt = evm_routes_routes(r, NULL);
    for (int u = 0; u < 4; u++) {
        char *out = write_to_string(r, EVM_DIST_CSV, units[u]);
        rows_t t;
        read_csv(out, &t);
        free(out);
        assert_int_equal(t.n, 1 + 4 + 1 + 1 + 1);
        char head[64];
        snprintf(head, sizeof head, "distance_%s", unit_names[u]);
        static const char *const cols[] = {"route", "leg",  "from",
                                           "to",    "mode", NULL};
        for (int c = 0; c < 5; c++)
            assert_string_equal(t.cells[0][c], cols[c]);
        assert_string_equal(t.cells[0][5], head);
        snprintf(head, sizeof head, "geodesic_%s", unit_names[u]);
        assert_string_equal(t.cells[0][6], head);
        assert_string_equal(t.cells[0][7], "routing");
        /* Rows 1-4 legs of the first route, 5 its total, 6-7 Korea. */
        static const size_t leg_of_row[] = {0, 0, 1, 2, 3, 99, 4, 99};
        for (size_t row = 1; row < t.n; row++) {
            assert_int_equal(t.n_fields[row], 8);
            /* Not routed at sea: the geodesic length twice. */
            assert_string_equal(t.cells[row][6], t.cells[row][5]);
            assert_string_equal(t.cells[row][7], "geodesic");
            bool total = leg_of_row[row] == 99;
            const evm_route_t *route = &rt[row < 6 ? 0 : 1];
            assert_string_equal(t.cells[row][0], route->name);
            double want_m;
            if (total) {
                assert_string_equal(t.cells[row][1], "total");
                const evm_route_leg_t *a = &legs[route->first_leg],
                                      *b = a + route->n_legs - 1;
                assert_string_equal(t.cells[row][2], a->points[0].name);
                assert_string_equal(t.cells[row][3],
                                    b->points[b->n_points - 1].name);
                want_m = route->length_m;
            } else {
                const evm_route_leg_t *leg = &legs[leg_of_row[row]];
                char num[16];
                snprintf(num, sizeof num, "%zu", leg->leg);
                assert_string_equal(t.cells[row][1], num);
                assert_string_equal(t.cells[row][2], leg->points[0].name);
                assert_string_equal(t.cells[row][3],
                                    leg->points[leg->n_points - 1].name);
                assert_string_equal(t.cells[row][4],
                                    evm_route_mode_name(leg->mode));
                want_m = leg->length_m;
            }
            assert_int_equal(decimals(t.cells[row][5]), u == 1 ? 6 : 9);
            double got = strtod(t.cells[row][5], NULL) * unit_m[u];
            assert_double_equal(got, want_m,
                                (u == 1 ? 0.5e-6 : 0.5e-9) * unit_m[u] + 1e-9);
        }
        assert_string_equal(t.cells[5][4], "rail+sea+rail");
        assert_string_equal(t.cells[7][4], "sea");
        assert_string_equal(t.cells[2][2], "Moscow, \"Kremlin\"");
        assert_string_equal(t.cells[2][3], "\xEC\x84\x9C\xEC\x9A\xB8");
        /* The Korea sea leg against GeodSolve, as written. */
        assert_double_equal(strtod(t.cells[6][5], NULL) * unit_m[u], s12[0],
                            TOL_M);
    }
    evm_routes_destroy(r);
    evm_events_destroy(ev);
}

static double json_num(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

static const char *json_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

/* The JSON read back by jansson: valid even with a byte that is not
 * UTF-8 in a label, and every field of every leg. */
static void test_json_output(void **state)
{
    (void)state;
    double s12[N_SEGMENTS];
    reference_segments(s12);
    evm_events_t *ev = events_from(tricky_events);
    evm_routes_t *r = load(tricky_routes, ev);
    char *out = write_to_string(r, EVM_DIST_JSON, EVM_UNITS_NMI);
    json_error_t jerr;
    json_t *root = json_loads(out, 0, &jerr);
    if (!root)
        fail_msg("invalid JSON: %s at %d:%d\n%s", jerr.text, jerr.line,
                 jerr.column, out);
    free(out);
    assert_true(json_is_array(root));
    assert_int_equal(json_array_size(root), 2);
    const evm_route_t *rt = evm_routes_routes(r, NULL);
    const evm_route_leg_t *legs = evm_routes_legs(r, NULL);
    for (size_t i = 0; i < 2; i++) {
        const json_t *jr = json_array_get(root, i);
        assert_string_equal(json_str(jr, "name"), rt[i].name);
        assert_double_equal(json_num(jr, "distance_nmi") * 1852, rt[i].length_m,
                            1e-5);
        const json_t *jl = json_object_get(jr, "legs");
        assert_int_equal(json_array_size(jl), rt[i].n_legs);
        for (size_t k = 0; k < rt[i].n_legs; k++) {
            const json_t *o = json_array_get(jl, k);
            const evm_route_leg_t *leg = &legs[rt[i].first_leg + k];
            assert_int_equal(json_integer_value(json_object_get(o, "leg")),
                             k + 1);
            assert_string_equal(json_str(o, "from"), leg->points[0].name);
            assert_string_equal(json_str(o, "to"),
                                leg->points[leg->n_points - 1].name);
            assert_string_equal(json_str(o, "mode"),
                                evm_route_mode_name(leg->mode));
            assert_string_equal(json_str(o, "date"), leg->date);
            const json_t *via = json_object_get(o, "via");
            assert_int_equal(json_array_size(via), leg->n_points - 2);
            for (size_t v = 0; v + 2 < leg->n_points; v++)
                assert_string_equal(json_string_value(json_array_get(via, v)),
                                    leg->points[v + 1].name);
            assert_double_equal(json_num(o, "distance_nmi") * 1852,
                                leg->length_m, 1e-5);
        }
    }
    const json_t *leg2 =
        json_array_get(json_object_get(json_array_get(root, 0), "legs"), 1);
    assert_string_equal(json_str(leg2, "label"), "bad \xEF\xBF\xBD byte");
    assert_string_equal(json_str(json_array_get(root, 0), "modes"),
                        "rail+sea+rail");
    const json_t *korea = json_array_get(root, 1);
    assert_double_equal(json_num(korea, "distance_nmi") * 1852, s12[0], TOL_M);
    assert_string_equal(json_str(korea, "from"), "42.2460 130.2830");
    json_decref(root);
    evm_routes_destroy(r);
    evm_events_destroy(ev);
}

/* Code points of a line: one column each for the text used here. */
static size_t columns(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* The table: thousands separators, one decimal, every line as wide as
 * the header since the distance column is right-aligned. */
static void test_table_output(void **state)
{
    (void)state;
    evm_events_t *ev = korea_events();
    evm_routes_t *r = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_routes_load_file(EXAMPLE_DIR "/routes.csv", ev, &r, &err), EVM_OK);
    char *out = write_to_string(r, EVM_DIST_TABLE, EVM_UNITS_KM);
    /* GeodSolve: 184262.317 m, 7588876.234 m, 7773138.551 m. */
    assert_non_null(strstr(out, "distance (km)"));
    assert_non_null(strstr(out, " 184.3          184.3"));
    assert_non_null(strstr(out, " 7,588.9        7,588.9"));
    assert_non_null(strstr(out, " 7,773.1        7,773.1"));
    assert_non_null(strstr(out, "  total  "));
    assert_non_null(strstr(out, "  sea+rail  "));
    size_t lines = 0, width = 0;
    for (const char *line = out; *line; lines++) {
        const char *nl = strchr(line, '\n');
        assert_non_null(nl);
        size_t w = columns(line, (size_t)(nl - line));
        if (lines == 0)
            width = w;
        assert_int_equal(w, width);
        line = nl + 1;
    }
    assert_int_equal(lines, 4);
    free(out);
    out = write_to_string(r, EVM_DIST_TABLE, EVM_UNITS_M);
    assert_non_null(strstr(out, " 7,588,876     7,588,876"));
    free(out);
    evm_routes_destroy(r);
    evm_events_destroy(ev);
}

/* evm_routes_route_at_sea on the example: the sea leg Rajin - Dunai is
 * routed (longer than its geodesic, which GeodSolve gives as
 * 184262.317 m, and said so in every format), the rail leg is not. */
static void test_routed_at_sea(void **state)
{
    (void)state;
    evm_events_t *ev = korea_events();
    evm_routes_t *r = NULL;
    evm_geodata_t *gd = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_routes_load_file(EXAMPLE_DIR "/routes.csv", ev, &r, &err), EVM_OK);
    assert_int_equal(evm_geodata_open(EVM_BUILD_DIR "/geodata", &gd, &err),
                     EVM_OK);
    assert_int_equal(evm_routes_route_at_sea(r, gd, NULL, NULL, &err), EVM_OK);
    size_t n;
    const evm_route_leg_t *legs = evm_routes_legs(r, &n);
    assert_true(legs[0].routed);
    assert_double_equal(legs[0].geodesic_m, 184262.317, 1e-3);
    assert_true(legs[0].length_m > legs[0].geodesic_m);
    assert_true(legs[0].length_m < 1.3 * legs[0].geodesic_m);
    assert_false(legs[1].routed);
    assert_double_equal(legs[1].length_m, legs[1].geodesic_m, 1e-9);
    const evm_route_t *rt = evm_routes_routes(r, &n);
    assert_double_equal(rt[0].length_m, legs[0].length_m + legs[1].length_m,
                        1e-6);
    char *out = write_to_string(r, EVM_DIST_CSV, EVM_UNITS_KM);
    rows_t t;
    read_csv(out, &t);
    free(out);
    assert_string_equal(t.cells[1][7], "sea");
    assert_string_equal(t.cells[2][7], "geodesic");
    assert_string_equal(t.cells[3][7], "sea"); /* the total */
    assert_double_equal(strtod(t.cells[1][5], NULL) * 1000, legs[0].length_m,
                        1e-5);
    assert_double_equal(strtod(t.cells[1][6], NULL) * 1000, 184262.317, 1e-3);
    char want[32];
    snprintf(want, sizeof want, "+%.1f%%",
             100 * (legs[0].length_m - legs[0].geodesic_m) /
                 legs[0].geodesic_m);
    out = write_to_string(r, EVM_DIST_TABLE, EVM_UNITS_KM);
    assert_non_null(strstr(out, want));
    free(out);
    out = write_to_string(r, EVM_DIST_JSON, EVM_UNITS_KM);
    assert_non_null(strstr(out, "\"routing\": \"sea\""));
    assert_non_null(strstr(out, "\"geodesic_km\": 184.262316"));
    free(out);
    evm_routes_destroy(r);
    /* A routing cell "geodesic" keeps that sea leg's geodesics. */
    r = load("from,to,mode,routing\n42.2460 130.2830,42.8830 132.3550,sea,"
             "geodesic\n42.2460 130.2830,42.8830 132.3550,sea,\n",
             NULL);
    assert_int_equal(evm_routes_route_at_sea(r, gd, NULL, NULL, &err), EVM_OK);
    legs = evm_routes_legs(r, &n);
    assert_true(legs[0].keep_geodesic);
    assert_false(legs[0].routed);
    assert_double_equal(legs[0].length_m, 184262.317, 1e-3);
    assert_true(legs[1].routed);
    evm_geodata_destroy(gd);
    evm_routes_destroy(r);
    evm_events_destroy(ev);
}

static void test_write_errors(void **state)
{
    (void)state;
    evm_routes_t *r = load("from,to\n0 0,0 1\n", NULL);
    membuf_t m = {.fail = true};
    evm_error_t err;
    assert_int_equal(
        evm_routes_write(r, EVM_DIST_CSV, EVM_UNITS_KM, mem_write, &m, &err),
        EVM_ERR_IO);
    assert_int_equal(evm_routes_write(r, (evm_dist_format)7, EVM_UNITS_KM,
                                      mem_write, &m, &err),
                     EVM_ERR_INVALID_ARG);
    assert_int_equal(
        evm_routes_write(NULL, EVM_DIST_CSV, EVM_UNITS_KM, mem_write, &m, &err),
        EVM_ERR_INVALID_ARG);
    assert_int_equal(
        evm_routes_write(r, EVM_DIST_CSV, EVM_UNITS_KM, NULL, NULL, &err),
        EVM_ERR_INVALID_ARG);
    evm_routes_destroy(r);
}

static size_t dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* A file gets exactly what the callback gets; a failure leaves nothing
 * behind, not even the temporary file. */
static void test_write_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/evm_routes_XXXXXX";
    assert_non_null(mkdtemp(dir));
    evm_routes_t *r = load("from,to,mode\n0 0,0 1,sea\n", NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/out.json", dir);
    evm_error_t err;
    assert_int_equal(
        evm_routes_write_file(r, EVM_DIST_JSON, EVM_UNITS_KM, path, &err),
        EVM_OK);
    size_t len;
    char *got = evm_test_read_file(path, &len);
    char *want = write_to_string(r, EVM_DIST_JSON, EVM_UNITS_KM);
    assert_non_null(got);
    assert_string_equal(got, want);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    /* The mode of any new file, not mkstemp's private 0600. */
    mode_t mask = umask(022);
    umask(mask);
    assert_int_equal(sb.st_mode & 0777, 0666 & ~mask);
    free(got);
    free(want);
    assert_int_equal(dir_entries(dir), 1);

    /* A folder in the way: rename fails, the temporary file goes. */
    char sub[160];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(
        evm_routes_write_file(r, EVM_DIST_CSV, EVM_UNITS_KM, sub, &err),
        EVM_ERR_IO);
    assert_non_null(strstr(err.file, "sub"));
    assert_int_equal(dir_entries(dir), 2);
    /* A folder that does not exist. */
    snprintf(sub, sizeof sub, "%s/none/out.csv", dir);
    assert_int_equal(
        evm_routes_write_file(r, EVM_DIST_CSV, EVM_UNITS_KM, sub, &err),
        EVM_ERR_IO);
    assert_int_equal(dir_entries(dir), 2);

    snprintf(sub, sizeof sub, "%s/sub", dir);
    rmdir(sub);
    unlink(path);
    rmdir(dir);
    evm_routes_destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parsing),
        cmocka_unit_test(test_grouping),
        cmocka_unit_test(test_inline_coordinates),
        cmocka_unit_test(test_event_names),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_lengths_korea),
        cmocka_unit_test(test_lengths_antimeridian),
        cmocka_unit_test(test_csv_output),
        cmocka_unit_test(test_json_output),
        cmocka_unit_test(test_table_output),
        cmocka_unit_test(test_routed_at_sea),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_write_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
