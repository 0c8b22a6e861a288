/* The bundled Natural Earth data: counts checked against an independent
 * count of the JSON (Python's json module, see the figures below), the
 * packed files against the JSON they were built from, and evm_geodata:
 * the directory search, first-use loading from two threads, failures
 * reported on every request, and the resolution names. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <evmap/geodata.h>

#include "load/basemap_internal.h"
#include "testutil.h"

#define SOURCE_GEODATA EVM_SOURCE_DIR "/geodata"
#define BUILD_GEODATA EVM_BUILD_DIR "/geodata"

/* Counted independently with Python, for each resolution:
 *   d = json.load(open('countries-110m.json'))
 *   len(d['objects']['countries']['geometries'])    countries
 *   len(d['arcs']); sum(len(a) for a in d['arcs'])   arcs, points
 *   rings: the ring lists of every Polygon / MultiPolygon
 *   ring points: sum over rings of sum(len(arc) - 1) over its arcs
 * (`node -e` on the same files gives the same country counts). */
static const struct {
    const char *res;
    size_t countries, arcs, points, rings, ring_points;
} expected[] = {
    {"110m", 177, 595, 8246, 286, 10301},
    {"50m", 241, 1959, 80617, 1629, 97910},
    {"10m", 255, 4635, 477295, 4270, 540618},
};

static void check_counts(const evm_basemap_t *m, size_t i)
{
    assert_int_equal(evm_basemap_country_count(m), expected[i].countries);
    assert_int_equal(evm_basemap_arc_count(m), expected[i].arcs);
    assert_int_equal(evm_basemap_point_count(m), expected[i].points);
    assert_int_equal(m->n_rings, expected[i].rings);
    assert_int_equal(m->ring_off[m->n_rings], expected[i].ring_points);
}

static size_t find_country(const evm_basemap_t *m, const char *name)
{
    for (size_t c = 0; c < evm_basemap_country_count(m); c++) {
        if (strcmp(evm_basemap_country_name(m, c), name) == 0)
            return c;
    }
    fail_msg("no country named %s", name);
    return SIZE_MAX;
}

static void test_110m_json(void **state)
{
    (void)state;
    evm_basemap_t *m =
        evm_test_load_basemap(SOURCE_GEODATA "/countries-110m.json");
    check_counts(m, 0);
    size_t south = find_country(m, "South Korea");
    size_t north = find_country(m, "North Korea");
    assert_string_equal(evm_basemap_country_id(m, south), "410");
    assert_string_equal(evm_basemap_country_id(m, north), "408");
    size_t between = 0;
    for (size_t a = 0; a < m->n_arcs; a++) {
        if (m->arc_class[a] != EVM_ARC_BORDER)
            continue;
        size_t l = (size_t)m->arc_left[a], r = (size_t)m->arc_right[a];
        between += (l == south && r == north) || (l == north && r == south);
    }
    assert_true(between >= 1);
    /* Kosovo, N. Cyprus and Somaliland have no ISO code. */
    assert_string_equal(evm_basemap_country_id(m, find_country(m, "Kosovo")),
                        "");
    /* Every ring box holds its ring, or spans all longitudes. */
    for (size_t r = 0; r < m->n_rings; r++) {
        const evm_llbox_t *b = &m->ring_box[r];
        for (size_t i = m->ring_off[r]; i < m->ring_off[r + 1]; i++) {
            assert_true(m->ring_pts[2 * i] >= b->w);
            assert_true(m->ring_pts[2 * i] <= b->e);
            assert_true(m->ring_pts[2 * i + 1] >= b->s);
            assert_true(m->ring_pts[2 * i + 1] <= b->n);
        }
    }
    evm_basemap_destroy(m);
}

/* The packed files of the build load to exactly the arrays the JSON
 * decodes to. */
static void check_packed_matches_json(size_t i)
{
    char json[512], packed[512];
    snprintf(json, sizeof json, "%s/countries-%s.json", SOURCE_GEODATA,
             expected[i].res);
    snprintf(packed, sizeof packed, "%s/countries-%s.evmgeo", BUILD_GEODATA,
             expected[i].res);
    evm_basemap_t *a = evm_test_load_basemap(json),
                  *b = evm_test_load_basemap(packed);
    assert_null(a->block);
    assert_non_null(b->block);        /* really the packed reader */
    assert_true(b->block_mapped > 0); /* a regular file is mapped */
    check_counts(b, i);
    evm_test_assert_basemaps_equal(a, b);
    evm_basemap_destroy(a);
    evm_basemap_destroy(b);
}

static void test_packed_110m(void **state)
{
    (void)state;
    check_packed_matches_json(0);
}

static void test_packed_50m(void **state)
{
    (void)state;
    check_packed_matches_json(1);
}

static void test_packed_10m_counts(void **state)
{
    (void)state;
    evm_basemap_t *m =
        evm_test_load_basemap(BUILD_GEODATA "/countries-10m.evmgeo");
    check_counts(m, 2);
    evm_basemap_destroy(m);
}

typedef struct get_job {
    evm_geodata_t *geodata;
    pthread_barrier_t *start;
    const evm_basemap_t *got;
    evm_status status;
} get_job_t;

static void *get_thread(void *arg)
{
    get_job_t *job = arg;
    evm_error_t err;
    pthread_barrier_wait(job->start);
    job->status =
        evm_geodata_get(job->geodata, EVM_BASEMAP_50M, &job->got, &err);
    return NULL;
}

static void test_geodata_two_threads(void **state)
{
    (void)state;
    evm_geodata_t *g = NULL;
    evm_error_t err;
    assert_int_equal(evm_geodata_open(BUILD_GEODATA, &g, &err), EVM_OK);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    get_job_t jobs[2] = {{g, &start, NULL, EVM_ERR_IO},
                         {g, &start, NULL, EVM_ERR_IO}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, get_thread, &jobs[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start);
    assert_int_equal(jobs[0].status, EVM_OK);
    assert_int_equal(jobs[1].status, EVM_OK);
    assert_non_null(jobs[0].got);
    assert_ptr_equal(jobs[0].got, jobs[1].got);
    assert_int_equal(evm_basemap_country_count(jobs[0].got), 241);

    const evm_basemap_t *again = NULL;
    assert_int_equal(evm_geodata_get(g, EVM_BASEMAP_50M, &again, &err), EVM_OK);
    assert_ptr_equal(again, jobs[0].got);
    assert_int_equal(evm_geodata_get(g, EVM_BASEMAP_AUTO, &again, &err),
                     EVM_ERR_INVALID_ARG);
    evm_geodata_destroy(g);
    evm_geodata_destroy(NULL);
}

/* A scratch directory under the build tree, removed by rm_dir. */
static char *make_dir(void)
{
    char *dir = evm_test_path(EVM_BUILD_DIR, "test_geodata_XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static char *put_file(const char *dir, const char *name, const char *text)
{
    char *path = evm_test_path(dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_geodata_failure_every_time(void **state)
{
    (void)state;
    char *dir = make_dir();
    char *bad = put_file(dir, "countries-110m.json", "{\"type\": ");
    evm_geodata_t *g = NULL;
    evm_error_t err;
    assert_int_equal(evm_geodata_open(dir, &g, &err), EVM_OK);
    static const evm_basemap_t sentinel;
    for (int i = 0; i < 2; i++) {
        const evm_basemap_t *m = &sentinel; /* must be reset to NULL */
        evm_error_clear(&err);
        assert_int_equal(evm_geodata_get(g, EVM_BASEMAP_110M, &m, &err),
                         EVM_ERR_PARSE);
        assert_null(m);
        assert_string_equal(err.file, bad);
        assert_int_equal(err.status, EVM_ERR_PARSE);
        /* No file at all for 50m in this directory. */
        evm_error_clear(&err);
        assert_int_equal(evm_geodata_get(g, EVM_BASEMAP_50M, &m, &err),
                         EVM_ERR_NOT_FOUND);
        assert_non_null(strstr(err.message, "countries-50m.evmgeo"));
    }
    evm_geodata_destroy(g);
    remove(bad);
    rmdir(dir);
    free(bad);
    free(dir);
}

static void test_geodata_not_found(void **state)
{
    (void)state;
    char *dir = make_dir(); /* exists, but holds no geodata */
    evm_geodata_t *g = NULL;
    evm_error_t err;
    assert_int_equal(evm_geodata_open(dir, &g, &err), EVM_ERR_NOT_FOUND);
    assert_null(g);
    assert_non_null(strstr(err.message, dir));
    assert_int_equal(evm_geodata_open(EVM_BUILD_DIR "/no/such/dir", &g, &err),
                     EVM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "/no/such/dir"));
    rmdir(dir);
    free(dir);
}

/* $EVMAP_GEODATA is searched before the build tree; a JSON file is used
 * when there is no packed one. */
static void test_geodata_env_and_json_fallback(void **state)
{
    (void)state;
    char *dir = make_dir();
    size_t len;
    char *text =
        evm_test_read_file(EVM_TEST_DATA_DIR "/topojson/squares.json", &len);
    assert_non_null(text);
    char *path = put_file(dir, "countries-50m.json", text);
    free(text);

    assert_int_equal(setenv("EVMAP_GEODATA", dir, 1), 0);
    evm_geodata_t *g = NULL;
    evm_error_t err;
    const evm_basemap_t *m = NULL;
    assert_int_equal(evm_geodata_open(NULL, &g, &err), EVM_OK);
    assert_int_equal(evm_geodata_get(g, EVM_BASEMAP_50M, &m, &err), EVM_OK);
    assert_int_equal(evm_basemap_country_count(m), 4);
    assert_null(m->block); /* decoded from JSON */
    evm_geodata_destroy(g);

    /* Without it, the build tree's packed files. */
    assert_int_equal(unsetenv("EVMAP_GEODATA"), 0);
    assert_int_equal(evm_geodata_open(NULL, &g, &err), EVM_OK);
    assert_int_equal(evm_geodata_get(g, EVM_BASEMAP_110M, &m, &err), EVM_OK);
    assert_int_equal(evm_basemap_country_count(m), 177);
    assert_non_null(m->block);
    evm_geodata_destroy(g);

    /* The source tree holds only JSON. */
    assert_int_equal(evm_geodata_open(SOURCE_GEODATA, &g, &err), EVM_OK);
    assert_int_equal(evm_geodata_get(g, EVM_BASEMAP_110M, &m, &err), EVM_OK);
    assert_null(m->block);
    evm_geodata_destroy(g);

    remove(path);
    rmdir(dir);
    free(path);
    free(dir);
}

static void test_res_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        evm_basemap_res res;
    } names[] = {{"auto", EVM_BASEMAP_AUTO},
                 {"110m", EVM_BASEMAP_110M},
                 {"50m", EVM_BASEMAP_50M},
                 {"10m", EVM_BASEMAP_10M}};
    for (size_t i = 0; i < 4; i++) {
        evm_basemap_res r = EVM_BASEMAP_AUTO;
        assert_string_equal(evm_basemap_res_name(names[i].res), names[i].name);
        assert_int_equal(evm_basemap_res_parse(names[i].name, &r), EVM_OK);
        assert_int_equal(r, names[i].res);
    }
    evm_basemap_res r;
    assert_int_equal(evm_basemap_res_parse("1m", &r), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_basemap_res_parse("110M ", &r), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_basemap_res_parse(NULL, &r), EVM_ERR_INVALID_ARG);

    /* Thresholds from the header: 110m from 12 km/px, 50m from 2.5. */
    assert_int_equal(evm_basemap_res_for_scale(40.0), EVM_BASEMAP_110M);
    assert_int_equal(evm_basemap_res_for_scale(12.0), EVM_BASEMAP_110M);
    assert_int_equal(evm_basemap_res_for_scale(11.99), EVM_BASEMAP_50M);
    assert_int_equal(evm_basemap_res_for_scale(2.5), EVM_BASEMAP_50M);
    assert_int_equal(evm_basemap_res_for_scale(2.49), EVM_BASEMAP_10M);
    assert_int_equal(evm_basemap_res_for_scale(0.01), EVM_BASEMAP_10M);
    assert_int_equal(evm_basemap_res_for_scale(NAN), EVM_BASEMAP_10M);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_110m_json),
        cmocka_unit_test(test_packed_110m),
        cmocka_unit_test(test_packed_50m),
        cmocka_unit_test(test_packed_10m_counts),
        cmocka_unit_test(test_geodata_two_threads),
        cmocka_unit_test(test_geodata_failure_every_time),
        cmocka_unit_test(test_geodata_not_found),
        cmocka_unit_test(test_geodata_env_and_json_fallback),
        cmocka_unit_test(test_res_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
