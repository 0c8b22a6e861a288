/* Distance tables: CSV read back with libcsv's parser and JSON with
 * jansson, values against evm_geodesic_inverse (itself tested against
 * GeographicLib in test_geodesic.c) to the 1 um the output promises,
 * byte-identical output for any number of threads, a symmetric matrix,
 * and write errors that stop the job. */
#include <csv.h>
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

typedef struct membuf {
    char *data;
    size_t len, cap;
    size_t fail_after; /* 0: never fail */
} membuf_t;

static evm_status mem_write(void *closure, const unsigned char *data,
                            size_t len)
{
    membuf_t *m = closure;
    if (m->fail_after && m->len + len > m->fail_after)
        return EVM_ERR_IO;
    if (m->len + len + 1 > m->cap) {
        size_t cap = (m->len + len + 1) * 2;
        char *p = realloc(m->data, cap);
        if (!p)
            return EVM_ERR_NOMEM;
        m->data = p;
        m->cap = cap;
    }
    memcpy(m->data + m->len, data, len);
    m->len += len;
    m->data[m->len] = '\0';
    return EVM_OK;
}

static const evm_place_t small[] = {
    {"Pyongyang", 39.0392, 125.7625},
    {"Seoul", 37.5665, 126.9780},
    {"Moscow, \"Kremlin\"", 55.7558, 37.6173},
    {"서울 station", 37.5547, 126.9707},
};
enum { N_SMALL = 4 };

/* ---- CSV read back ------------------------------------------------------ */

typedef struct table {
    char ***rows; /* rows[r][c] */
    size_t n_rows, cap_rows;
    size_t *n_cols;
    char **cur;
    size_t n_cur;
} table_t;

static void on_field(void *s, size_t len, void *data)
{
    table_t *t = data;
    /* Rows have a handful of fields; a matrix row one per place. */
    if ((t->n_cur & (t->n_cur - 1)) == 0)
        t->cur =
            realloc(t->cur, (t->n_cur ? 2 * t->n_cur : 1) * sizeof *t->cur);
    t->cur[t->n_cur] = malloc(len + 1);
    memcpy(t->cur[t->n_cur], s, len);
    t->cur[t->n_cur][len] = '\0';
    t->n_cur++;
}

static void on_row(int c, void *data)
{
    (void)c;
    table_t *t = data;
    if (t->n_rows == t->cap_rows) {
        t->cap_rows = t->cap_rows ? 2 * t->cap_rows : 64;
        t->rows = realloc(t->rows, t->cap_rows * sizeof *t->rows);
        t->n_cols = realloc(t->n_cols, t->cap_rows * sizeof *t->n_cols);
    }
    t->rows[t->n_rows] = t->cur;
    t->n_cols[t->n_rows] = t->n_cur;
    t->n_rows++;
    t->cur = NULL;
    t->n_cur = 0;
}

static table_t parse_csv(const membuf_t *m)
{
    table_t t = {0};
    struct csv_parser p;
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    assert_int_equal(csv_parse(&p, m->data, m->len, on_field, on_row, &t),
                     m->len);
    csv_fini(&p, on_field, on_row, &t);
    csv_free(&p);
    return t;
}

static void table_free(table_t *t)
{
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols[r]; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    free(t->n_cols);
}

static size_t find_place(const evm_place_t *pl, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(pl[i].name, name) == 0)
            return i;
    fail_msg("no place \"%s\"", name);
    return 0;
}

static double bearing_diff(double a, double b)
{
    double d = fmod(fabs(a - b), 360.0);
    return d > 180 ? 360 - d : d;
}

/* Every row of a pairs table against a direct computation. */
static void check_pairs_csv(const evm_place_t *pl, size_t n, const membuf_t *m,
                            size_t want_rows, double unit_m)
{
    table_t t = parse_csv(m);
    assert_int_equal(t.n_rows, want_rows + 1);
    assert_string_equal(t.rows[0][0], "from");
    for (size_t r = 1; r < t.n_rows; r++) {
        assert_int_equal(t.n_cols[r], 5);
        size_t i = find_place(pl, n, t.rows[r][0]);
        size_t j = find_place(pl, n, t.rows[r][1]);
        double s, a1, a2;
        evm_geodesic_inverse(pl[i].lat_deg, pl[i].lon_deg, pl[j].lat_deg,
                             pl[j].lon_deg, &s, &a1, &a2);
        double d = strtod(t.rows[r][2], NULL) * unit_m;
        double b1 = strtod(t.rows[r][3], NULL), b2 = strtod(t.rows[r][4], NULL);
        if (!(fabs(d - s) <= 1e-6))
            fail_msg("row %zu: %s m, expected %.9f", r, t.rows[r][2], s);
        assert_true(b1 >= 0 && b1 < 360 && b2 >= 0 && b2 < 360);
        assert_true(bearing_diff(b1, a1) <= 1e-9 &&
                    bearing_diff(b2, a2) <= 1e-9);
    }
    table_free(&t);
}

static membuf_t run_pairs(const evm_place_t *pl, size_t n, evm_dist_format fmt,
                          evm_units units, unsigned jobs)
{
    evm_dist_options_t o;
    evm_dist_options_init(&o);
    o.format = fmt;
    o.units = units;
    o.jobs = jobs;
    membuf_t m = {0};
    evm_error_t err;
    if (evm_dist_write_pairs(pl, n, &o, mem_write, &m, &err))
        fail_msg("evm_dist_write_pairs: %s", err.message);
    return m;
}

static void test_pairs_csv(void **state)
{
    (void)state;
    membuf_t m = run_pairs(small, N_SMALL, EVM_DIST_CSV, EVM_UNITS_KM, 1);
    assert_true(strncmp(m.data,
                        "from,to,distance_km,initial_bearing_deg,final_"
                        "bearing_deg\nPyongyang,Seoul,",
                        70) == 0);
    /* A name with a comma and quotes is quoted, quotes doubled. */
    assert_non_null(strstr(m.data, "\"Moscow, \"\"Kremlin\"\"\""));
    check_pairs_csv(small, N_SMALL, &m, 6, 1000);
    free(m.data);
    static const evm_units units[] = {EVM_UNITS_M, EVM_UNITS_MI, EVM_UNITS_NMI};
    static const char *const heads[] = {"distance_m", "distance_mi",
                                        "distance_nmi"};
    for (int u = 0; u < 3; u++) {
        m = run_pairs(small, N_SMALL, EVM_DIST_CSV, units[u], 2);
        assert_non_null(strstr(m.data, heads[u]));
        check_pairs_csv(small, N_SMALL, &m, 6, evm_units_metres(units[u]));
        free(m.data);
    }
}

/* Places spread over the globe, poles and antimeridian included. */
static evm_place_t *random_places(size_t n, char (*names)[24])
{
    evm_place_t *pl = calloc(n, sizeof *pl);
    uint64_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        double u = (double)(x >> 11) / 9007199254740992.0;
        x = x * 6364136223846793005u + 1442695040888963407u;
        double v = (double)(x >> 11) / 9007199254740992.0;
        snprintf(names[i], 24, "p%zu", i);
        pl[i] =
            (evm_place_t){names[i], asin(2 * u - 1) * 180 / 3.141592653589793,
                          -180 + 360 * v};
    }
    pl[0].lat_deg = 90;
    pl[1].lat_deg = -pl[2].lat_deg;
    pl[1].lon_deg = pl[2].lon_deg - 180; /* antipodal */
    return pl;
}

static void test_any_jobs_same_bytes(void **state)
{
    (void)state;
    enum { N = 300 };
    static char names[N][24];
    evm_place_t *pl = random_places(N, names);
    membuf_t one = run_pairs(pl, N, EVM_DIST_CSV, EVM_UNITS_KM, 1);
    check_pairs_csv(pl, N, &one, (size_t)N * (N - 1) / 2, 1000);
    static const unsigned jobs[] = {2, 3, 8};
    for (int k = 0; k < 3; k++) {
        membuf_t m = run_pairs(pl, N, EVM_DIST_CSV, EVM_UNITS_KM, jobs[k]);
        assert_int_equal(m.len, one.len);
        assert_memory_equal(m.data, one.data, one.len);
        free(m.data);
    }
    /* The order: (0,1), (0,2), ... (0,N-1), (1,2), ... */
    table_t t = parse_csv(&one);
    assert_string_equal(t.rows[1][0], "p0");
    assert_string_equal(t.rows[1][1], "p1");
    assert_string_equal(t.rows[N - 1][1], "p299");
    assert_string_equal(t.rows[N][0], "p1");
    assert_string_equal(t.rows[N][1], "p2");
    assert_string_equal(t.rows[t.n_rows - 1][0], "p298");
    table_free(&t);
    free(one.data);

    evm_dist_options_t o;
    evm_dist_options_init(&o);
    o.jobs = 1;
    membuf_t a = {0}, b = {0};
    assert_int_equal(evm_dist_write_matrix(pl, 60, &o, mem_write, &a, NULL),
                     EVM_OK);
    o.jobs = 4;
    assert_int_equal(evm_dist_write_matrix(pl, 60, &o, mem_write, &b, NULL),
                     EVM_OK);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    free(a.data);
    free(b.data);
    free(pl);
}

/* A matrix of many chunks of rows (each pair measured once, filed under
 * its column, and read back by the later rows): every cell against its
 * own geodesic, symmetric, and the same bytes on 1, 3 and 8 threads. */
static void test_matrix_many_chunks(void **state)
{
    (void)state;
    enum { N = 400 }; /* 40 rows a chunk: 10 chunks */
    char(*names)[24] = calloc(N, sizeof *names);
    evm_place_t *pl = random_places(N, names);
    evm_dist_options_t o;
    evm_dist_options_init(&o);
    o.units = EVM_UNITS_M;
    membuf_t m[3] = {{0}};
    const unsigned jobs[3] = {1, 3, 8};
    for (int k = 0; k < 3; k++) {
        o.jobs = jobs[k];
        assert_int_equal(
            evm_dist_write_matrix(pl, N, &o, mem_write, &m[k], NULL), EVM_OK);
    }
    assert_int_equal(m[0].len, m[1].len);
    assert_memory_equal(m[0].data, m[1].data, m[0].len);
    assert_int_equal(m[0].len, m[2].len);
    assert_memory_equal(m[0].data, m[2].data, m[0].len);
    table_t t = parse_csv(&m[0]);
    assert_int_equal(t.n_rows, N + 1);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            double s = 0;
            if (i != j)
                evm_geodesic_inverse(pl[i < j ? i : j].lat_deg,
                                     pl[i < j ? i : j].lon_deg,
                                     pl[i < j ? j : i].lat_deg,
                                     pl[i < j ? j : i].lon_deg, &s, NULL, NULL);
            double got = strtod(t.rows[i + 1][j + 1], NULL);
            if (!(fabs(got - s) <= 1e-6))
                fail_msg("cell (%zu, %zu): %.6f m, geodesic %.6f m", i, j, got,
                         s);
        }
    table_free(&t);
    for (int k = 0; k < 3; k++)
        free(m[k].data);
    free(pl);
    free(names);
}

static void test_matrix_and_from(void **state)
{
    (void)state;
    evm_dist_options_t o;
    evm_dist_options_init(&o);
    o.jobs = 2;
    membuf_t m = {0};
    assert_int_equal(
        evm_dist_write_matrix(small, N_SMALL, &o, mem_write, &m, NULL), EVM_OK);
    table_t t = parse_csv(&m);
    assert_int_equal(t.n_rows, N_SMALL + 1);
    assert_string_equal(t.rows[0][0], "from");
    assert_string_equal(t.rows[0][3], small[2].name);
    for (size_t i = 0; i < N_SMALL; i++) {
        assert_int_equal(t.n_cols[i + 1], N_SMALL + 1);
        assert_string_equal(t.rows[i + 1][0], small[i].name);
        for (size_t j = 0; j < N_SMALL; j++) {
            assert_string_equal(t.rows[i + 1][j + 1], t.rows[j + 1][i + 1]);
            double s;
            evm_geodesic_inverse(small[i].lat_deg, small[i].lon_deg,
                                 small[j].lat_deg, small[j].lon_deg, &s, NULL,
                                 NULL);
            assert_true(fabs(strtod(t.rows[i + 1][j + 1], NULL) * 1000 - s) <=
                        1e-6);
        }
        assert_true(strtod(t.rows[i + 1][i + 1], NULL) == 0);
    }
    table_free(&t);
    free(m.data);

    m = (membuf_t){0};
    assert_int_equal(
        evm_dist_write_from(small, N_SMALL, 2, &o, mem_write, &m, NULL),
        EVM_OK);
    t = parse_csv(&m);
    assert_int_equal(t.n_rows, N_SMALL);
    for (size_t r = 1; r < t.n_rows; r++)
        assert_string_equal(t.rows[r][0], small[2].name);
    assert_string_equal(t.rows[1][1], "Pyongyang");
    assert_string_equal(t.rows[3][1], small[3].name);
    table_free(&t);
    free(m.data);
    assert_int_equal(
        evm_dist_write_from(small, N_SMALL, 4, &o, mem_write, &m, NULL),
        EVM_ERR_INVALID_ARG);
}

static void test_json(void **state)
{
    (void)state;
    membuf_t m = run_pairs(small, N_SMALL, EVM_DIST_JSON, EVM_UNITS_NMI, 3);
    json_error_t je;
    json_t *root = json_loads(m.data, 0, &je);
    if (!root)
        fail_msg("pairs JSON: %s at %d:%d", je.text, je.line, je.column);
    assert_true(json_is_array(root));
    assert_int_equal(json_array_size(root), 6);
    json_t *row = json_array_get(root, 1);
    assert_string_equal(json_string_value(json_object_get(row, "from")),
                        "Pyongyang");
    assert_string_equal(json_string_value(json_object_get(row, "to")),
                        small[2].name);
    double s;
    evm_geodesic_inverse(small[0].lat_deg, small[0].lon_deg, small[2].lat_deg,
                         small[2].lon_deg, &s, NULL, NULL);
    assert_true(
        fabs(json_number_value(json_object_get(row, "distance_nmi")) * 1852 -
             s) < 1e-5);
    json_decref(root);
    free(m.data);

    evm_dist_options_t o;
    evm_dist_options_init(&o);
    o.format = EVM_DIST_JSON;
    m = (membuf_t){0};
    assert_int_equal(
        evm_dist_write_matrix(small, N_SMALL, &o, mem_write, &m, NULL), EVM_OK);
    root = json_loads(m.data, 0, &je);
    if (!root)
        fail_msg("matrix JSON: %s at %d:%d", je.text, je.line, je.column);
    assert_string_equal(json_string_value(json_object_get(root, "units")),
                        "km");
    assert_int_equal(json_array_size(json_object_get(root, "names")), N_SMALL);
    json_t *d = json_object_get(root, "distances");
    assert_int_equal(json_array_size(d), N_SMALL);
    assert_int_equal(json_array_size(json_array_get(d, 3)), N_SMALL);
    json_decref(root);
    free(m.data);

    /* No places: valid, empty JSON. */
    m = (membuf_t){0};
    assert_int_equal(evm_dist_write_pairs(small, 1, &o, mem_write, &m, NULL),
                     EVM_OK);
    root = json_loads(m.data, 0, &je);
    assert_non_null(root);
    assert_int_equal(json_array_size(root), 0);
    json_decref(root);
    free(m.data);
}

static void test_nearest_output(void **state)
{
    (void)state;
    const double pts[] = {10, 0, 20, 0};
    const size_t start[] = {0, 2};
    evm_lines_t *l = NULL;
    assert_int_equal(
        evm_lines_create("equator.geojson", pts, start, 1, &l, NULL), EVM_OK);
    const evm_place_t pl[] = {{"north", 1, 15}, {"south", -2, 12}};
    evm_dist_options_t o;
    evm_dist_options_init(&o);
    o.units = EVM_UNITS_M;
    membuf_t m = {0};
    assert_int_equal(evm_dist_write_nearest(pl, 2, l, &o, mem_write, &m, NULL),
                     EVM_OK);
    /* GeodSolve -i -p 10 <<< "1 15 0 15": 110574.3885577988 m. */
    assert_string_equal(m.data,
                        "event,line,distance_m,nearest_lat,nearest_lon\n"
                        "north,equator.geojson,110574.388558,"
                        "0.000000000,15.000000000\n"
                        "south,equator.geojson,221149.453372,"
                        "0.000000000,12.000000000\n");
    free(m.data);
    o.format = EVM_DIST_JSON;
    m = (membuf_t){0};
    assert_int_equal(evm_dist_write_nearest(pl, 2, l, &o, mem_write, &m, NULL),
                     EVM_OK);
    json_t *root = json_loads(m.data, 0, NULL);
    assert_non_null(root);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(root, 0), "line")),
        "equator.geojson");
    assert_null(json_object_get(json_array_get(root, 0), "inside"));
    json_decref(root);
    free(m.data);
    evm_lines_destroy(l);

    /* Negative coordinates print with their sign, to 1e-9 degrees. */
    const double south[] = {-10, -5, -20, -5};
    assert_int_equal(evm_lines_create("south", south, start, 1, &l, NULL),
                     EVM_OK);
    const evm_place_t sw[] = {{"sw", -4, -15.25}};
    o.format = EVM_DIST_CSV;
    m = (membuf_t){0};
    assert_int_equal(evm_dist_write_nearest(sw, 1, l, &o, mem_write, &m, NULL),
                     EVM_OK);
    table_t ts = parse_csv(&m);
    evm_nearest_t nr;
    assert_true(evm_lines_nearest(l, -4, -15.25, &nr));
    assert_true(fabs(strtod(ts.rows[1][2], NULL) - nr.dist_m) <= 1e-6);
    assert_true(fabs(strtod(ts.rows[1][3], NULL) - nr.lat_deg) <= 1e-9);
    assert_true(fabs(strtod(ts.rows[1][4], NULL) - nr.lon_deg) <= 1e-9);
    assert_true(ts.rows[1][3][0] == '-' && ts.rows[1][4][0] == '-');
    table_free(&ts);
    free(m.data);
    evm_lines_destroy(l);

    /* A country: "country" and "inside" columns. */
    evm_basemap_t *map = NULL;
    assert_int_equal(evm_basemap_load(EVM_TEST_DATA_DIR
                                      "/topojson/squares.json",
                                      &map, NULL),
                     EVM_OK);
    assert_int_equal(evm_lines_from_country(map, 0, false, &l, NULL), EVM_OK);
    const evm_place_t in_out[] = {{"in", 20.1, 10.1}, {"out", 25, 11}};
    o.format = EVM_DIST_CSV;
    o.units = EVM_UNITS_KM;
    m = (membuf_t){0};
    assert_int_equal(
        evm_dist_write_nearest(in_out, 2, l, &o, mem_write, &m, NULL), EVM_OK);
    table_t t = parse_csv(&m);
    assert_string_equal(t.rows[0][1], "country");
    assert_string_equal(t.rows[0][5], "inside");
    assert_string_equal(t.rows[1][1], "Alpha");
    assert_string_equal(t.rows[1][5], "true");
    assert_string_equal(t.rows[2][5], "false");
    table_free(&t);
    free(m.data);
    evm_lines_destroy(l);
    evm_basemap_destroy(map);
}

static void test_table(void **state)
{
    (void)state;
    membuf_t m = run_pairs(small, N_SMALL, EVM_DIST_TABLE, EVM_UNITS_KM, 2);
    /* Rounded, with thousands separators, aligned. */
    assert_non_null(strstr(m.data, "distance (km)"));
    double s;
    evm_geodesic_inverse(small[0].lat_deg, small[0].lon_deg, small[2].lat_deg,
                         small[2].lon_deg, &s, NULL, NULL);
    char want[32];
    snprintf(want, sizeof want, "%d,%03d.%d", (int)(s / 1e6),
             (int)fmod(s / 1e3, 1000), (int)fmod(round(s / 100), 10));
    assert_non_null(strstr(m.data, want));
    /* Every line has the same display width: columns are aligned even
     * with a Hangul name, whose characters take two columns each. */
    size_t width = 0, lines = 0;
    for (char *line = m.data; *line;) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        size_t w = 0;
        for (const unsigned char *p = (const unsigned char *)line;
             p < (const unsigned char *)nl; p++) {
            if ((*p & 0xC0) == 0x80)
                continue;                          /* continuation byte */
            w += *p >= 0xEA && *p <= 0xED ? 2 : 1; /* U+A000..U+DFFF */
        }
        if (lines++ == 0)
            width = w;
        else
            assert_int_equal(w, width);
        line = nl + 1;
    }
    assert_int_equal(lines, 7);
    free(m.data);
}

static void test_write_errors(void **state)
{
    (void)state;
    enum { N = 120 };
    static char names[N][24];
    evm_place_t *pl = random_places(N, names);
    static const unsigned jobs[] = {1, 2, 4};
    for (int k = 0; k < 3; k++) {
        evm_dist_options_t o;
        evm_dist_options_init(&o);
        o.jobs = jobs[k];
        membuf_t m = {.fail_after = 100000};
        evm_error_t err;
        assert_int_equal(evm_dist_write_pairs(pl, N, &o, mem_write, &m, &err),
                         EVM_ERR_IO);
        assert_int_equal(err.status, EVM_ERR_IO);
        assert_true(m.len <= 100000);
        free(m.data);
    }
    assert_int_equal(evm_dist_write_pairs(pl, N, NULL, NULL, NULL, NULL),
                     EVM_ERR_INVALID_ARG);
    evm_dist_format f;
    assert_int_equal(evm_dist_format_parse("json", &f), EVM_OK);
    assert_int_equal(f, EVM_DIST_JSON);
    assert_int_equal(evm_dist_format_parse("xml", &f), EVM_ERR_INVALID_ARG);
    assert_true(evm_dist_default_jobs() >= 1);
    free(pl);
}

/* Links files: columns found by name in any order, label optional,
 * positions of bad cells, the CSV dialects of the events reader. */
static void test_links(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBFLabel;TO;From;x\r\n"
                               "\"a;b\";Seoul;Pyongyang;1\r\n"
                               ";Moscow;Seoul;2\r\n";
    evm_links_t *l = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_links_load_memory("links.csv", text, strlen(text), &l, &err),
        EVM_OK);
    assert_int_equal(evm_links_count(l), 2);
    const evm_link_t *k = evm_links_get(l, 0);
    assert_string_equal(k->from, "Pyongyang");
    assert_string_equal(k->to, "Seoul");
    assert_string_equal(k->label, "a;b");
    assert_int_equal(k->line, 2);
    assert_int_equal(k->from_column, 13);
    assert_string_equal(evm_links_get(l, 1)->label, "");
    assert_null(evm_links_get(l, 2));
    assert_string_equal(evm_links_source(l), "links.csv");
    evm_links_destroy(l);

    static const char no_label[] = "from,to\nA,B\n";
    assert_int_equal(
        evm_links_load_memory("x.csv", no_label, strlen(no_label), &l, &err),
        EVM_OK);
    assert_string_equal(evm_links_get(l, 0)->label, "");
    evm_links_destroy(l);

    static const char empty_to[] = "from,to,label\nA,B,\nC,,x\n";
    assert_int_equal(
        evm_links_load_memory("x.csv", empty_to, strlen(empty_to), &l, &err),
        EVM_ERR_PARSE);
    assert_null(l);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 3);
    assert_non_null(strstr(err.message, "empty \"to\" cell"));
    static const char no_to[] = "from,label\nA,B\n";
    assert_int_equal(
        evm_links_load_memory("x.csv", no_to, strlen(no_to), &l, &err),
        EVM_ERR_PARSE);
    assert_non_null(strstr(err.message, "no \"to\" column"));
    assert_int_equal(evm_links_load_memory("x.csv", "", 0, &l, &err),
                     EVM_ERR_PARSE);
    assert_int_equal(evm_links_load_file("/nonexistent.csv", &l, &err),
                     EVM_ERR_IO);
    evm_links_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairs_csv),
        cmocka_unit_test(test_any_jobs_same_bytes),
        cmocka_unit_test(test_matrix_and_from),
        cmocka_unit_test(test_matrix_many_chunks),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_nearest_output),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
