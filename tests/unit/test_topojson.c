/* TopoJSON decoding and the packed format, on small hand-made topologies
 * whose decoded values are worked out by hand below, and on malformed
 * input: truncated JSON, wrong types, bad references, and packed images
 * truncated at every length or with every bit flipped. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <evmap/geodata.h>

#include "load/basemap_internal.h"
#include "load/basemap_io.h"
#include "load/packed.h"
#include "testutil.h"

static evm_basemap_t *load_fixture(const char *name)
{
    char *path = evm_test_path(EVM_TEST_DATA_DIR "/topojson", name);
    evm_basemap_t *m = evm_test_load_basemap(path);
    free(path);
    return m;
}

static void assert_pts(const double *got, const double *want, size_t n)
{
    for (size_t i = 0; i < 2 * n; i++) {
        /* The fixture's scale and translate are binary fractions, so the
         * decoded values are exact. */
        if (got[i] != want[i])
            fail_msg("coordinate %zu: got %.17g, want %.17g", i, got[i],
                     want[i]);
    }
}

static void assert_box(const evm_llbox_t *b, double w, double s, double e,
                       double n)
{
    if (b->w != w || b->s != s || b->e != e || b->n != n)
        fail_msg("box (%g %g %g %g), want (%g %g %g %g)", b->w, b->s, b->e,
                 b->n, w, s, e, n);
}

/* squares.json: transform lon = 10 + 0.5 qx, lat = 20 + 0.25 qy, arcs
 * delta-encoded in the quantized grid q.
 *
 *   arc 0  q (4,4) (4,4)+(0,-4)=(4,0)
 *          lon 10+0.5*4 = 12, lat 20+0.25*4 = 21 / 20+0.25*0 = 20
 *          -> (12,21) (12,20)                 the edge Alpha|Beta
 *   arc 1  q (4,0) (0,0) (0,4) (4,4)
 *          -> (12,20) (10,20) (10,21) (12,21)  rest of Alpha
 *   arc 2  q (4,4) (8,4) (8,0) (4,0)
 *          -> (12,21) (14,21) (14,20) (12,20)  rest of Beta
 *   arc 3  q (1,1) (1,3) (3,3) (3,1) (1,1)
 *          -> (10.5,20.25) (10.5,20.75) (11.5,20.75) (11.5,20.25)
 *             (10.5,20.25)                     Alpha's hole, clockwise
 *   arc 4  q (10,0) (10,2) (12,2) (12,0) (10,0)
 *          -> (15,20) (15,20.5) (16,20.5) (16,20) (15,20)  Beta's island
 *   arc 5  q (22,2) (22,0)           -> (21,20.5) (21,20)  Gamma|Gamma
 *   arc 6  q (22,0) (20,0) (20,2) (22,2)
 *          -> (21,20) (20,20) (20,20.5) (21,20.5)
 *   arc 7  q (22,2) (24,2) (24,0) (22,0)
 *          -> (21,20.5) (22,20.5) (22,20) (21,20)
 *
 * Rings (joint points once, closing repeat dropped):
 *   0 Alpha [0, 1]: (12,21) (12,20) | (10,20) (10,21) [(12,21) dropped]
 *   1 Alpha [~3]: arc 3 backwards, (10.5,20.25) (11.5,20.25)
 *                 (11.5,20.75) (10.5,20.75)  counter-clockwise hole
 *   2 Beta [~0, 2]: (12,20) (12,21) | (14,21) (14,20)
 *   3 Beta [4]: (15,20) (15,20.5) (16,20.5) (16,20)
 *   4 Gamma [5, 6]: (21,20.5) (21,20) | (20,20) (20,20.5)
 *   5 Gamma [~5, 7]: (21,20) (21,20.5) | (22,20.5) (22,20)
 *   Delta: null geometry, no rings.
 */
static void test_squares_decode(void **state)
{
    (void)state;
    evm_basemap_t *m = load_fixture("squares.json");

    assert_int_equal(evm_basemap_country_count(m), 4);
    assert_string_equal(evm_basemap_country_name(m, 0), "Alpha");
    assert_string_equal(evm_basemap_country_id(m, 0), "001");
    assert_string_equal(evm_basemap_country_name(m, 1), "Beta");
    assert_string_equal(evm_basemap_country_id(m, 1), "");  /* no id */
    assert_string_equal(evm_basemap_country_id(m, 2), "3"); /* numeric */
    assert_string_equal(evm_basemap_country_name(m, 3), "Delta");
    assert_null(evm_basemap_country_name(m, 4));

    assert_int_equal(evm_basemap_arc_count(m), 8);
    /* 2 + 4 + 4 + 5 + 5 + 2 + 4 + 4 */
    assert_int_equal(evm_basemap_point_count(m), 30);
    static const size_t arc_off[] = {0, 2, 6, 10, 15, 20, 22, 26, 30};
    assert_memory_equal(m->arc_off, arc_off, sizeof arc_off);
    /* clang-format off */
    static const double arc_pts[] = {
        12, 21,   12, 20,                                         /* 0 */
        12, 20,   10, 20,   10, 21,   12, 21,                     /* 1 */
        12, 21,   14, 21,   14, 20,   12, 20,                     /* 2 */
        10.5, 20.25, 10.5, 20.75, 11.5, 20.75, 11.5, 20.25,
        10.5, 20.25,                                              /* 3 */
        15, 20,   15, 20.5, 16, 20.5, 16, 20,   15, 20,           /* 4 */
        21, 20.5, 21, 20,                                         /* 5 */
        21, 20,   20, 20,   20, 20.5, 21, 20.5,                   /* 6 */
        21, 20.5, 22, 20.5, 22, 20,   21, 20,                     /* 7 */
    };
    /* clang-format on */
    assert_pts(m->arc_pts, arc_pts, 30);

    assert_int_equal(m->n_rings, 6);
    static const size_t ring_off[] = {0, 4, 8, 12, 16, 20, 24};
    assert_memory_equal(m->ring_off, ring_off, sizeof ring_off);
    /* clang-format off */
    static const double ring_pts[] = {
        12, 21,      12, 20,      10, 20,      10, 21,       /* 0 */
        10.5, 20.25, 11.5, 20.25, 11.5, 20.75, 10.5, 20.75,  /* 1 */
        12, 20,      12, 21,      14, 21,      14, 20,       /* 2 */
        15, 20,      15, 20.5,    16, 20.5,    16, 20,       /* 3 */
        21, 20.5,    21, 20,      20, 20,      20, 20.5,     /* 4 */
        21, 20,      21, 20.5,    22, 20.5,    22, 20,       /* 5 */
    };
    /* clang-format on */
    assert_pts(m->ring_pts, ring_pts, 24);
    static const uint32_t ring_country[] = {0, 0, 1, 1, 2, 2};
    assert_memory_equal(m->ring_country, ring_country, sizeof ring_country);
    static const size_t country_ring_off[] = {0, 2, 4, 6, 6};
    assert_memory_equal(m->country_ring_off, country_ring_off,
                        sizeof country_ring_off);

    /* Arc 0 runs south (12,21) -> (12,20); Alpha uses it as stored and
     * lies west, on its right; Beta uses it reversed and lies east. Arc 5
     * is used twice by Gamma alone. */
    static const uint8_t cls[] = {
        EVM_ARC_BORDER, EVM_ARC_COAST,    EVM_ARC_COAST, EVM_ARC_COAST,
        EVM_ARC_COAST,  EVM_ARC_INTERIOR, EVM_ARC_COAST, EVM_ARC_COAST};
    assert_memory_equal(m->arc_class, cls, sizeof cls);
    assert_int_equal(m->arc_right[0], 0);
    assert_int_equal(m->arc_left[0], 1);
    for (size_t a = 1; a < 8; a++) {
        assert_int_equal(m->arc_left[a], -1);
        assert_int_equal(m->arc_right[a], -1);
    }

    /* Boxes: min/max of the points listed above. */
    assert_box(&m->arc_box[0], 12, 20, 12, 21);
    assert_box(&m->arc_box[1], 10, 20, 12, 21);
    assert_box(&m->arc_box[2], 12, 20, 14, 21);
    assert_box(&m->arc_box[3], 10.5, 20.25, 11.5, 20.75);
    assert_box(&m->arc_box[4], 15, 20, 16, 20.5);
    assert_box(&m->arc_box[5], 21, 20, 21, 20.5);
    assert_box(&m->arc_box[6], 20, 20, 21, 20.5);
    assert_box(&m->arc_box[7], 21, 20, 22, 20.5);
    assert_box(&m->ring_box[0], 10, 20, 12, 21);
    assert_box(&m->ring_box[1], 10.5, 20.25, 11.5, 20.75);
    assert_box(&m->ring_box[2], 12, 20, 14, 21);
    assert_box(&m->ring_box[3], 15, 20, 16, 20.5);
    assert_box(&m->ring_box[4], 20, 20, 21, 20.5);
    assert_box(&m->ring_box[5], 21, 20, 22, 20.5);
    evm_basemap_destroy(m);
}

/* antimeridian.json, plain coordinates (no transform): ring 0 steps from
 * lon 170 to -170, a jump of 340 > 180 degrees, so it crosses the
 * antimeridian and its box spans all longitudes; ring 1 around (0, 0)
 * keeps its tight box. */
static void test_antimeridian_box(void **state)
{
    (void)state;
    evm_basemap_t *m = load_fixture("antimeridian.json");
    assert_int_equal(m->n_rings, 2);
    assert_box(&m->arc_box[0], -180, -10, 180, 10);
    assert_box(&m->ring_box[0], -180, -10, 180, 10);
    assert_box(&m->arc_box[1], -1, -1, 1, 1);
    assert_box(&m->ring_box[1], -1, -1, 1, 1);
    static const double ring0[] = {170, -10, -170, -10, -170, 10, 170, 10};
    assert_pts(m->ring_pts, ring0, 4);
    evm_basemap_destroy(m);
}

static evm_status load_text(const char *text, evm_error_t *err)
{
    evm_basemap_t *m = NULL;
    evm_error_clear(err);
    evm_status st =
        evm_basemap_load_memory(text, strlen(text), "mem.json", &m, err);
    if (st == EVM_OK)
        assert_non_null(m);
    else
        assert_null(m);
    evm_basemap_destroy(m);
    return st;
}

#define GC(geoms, arcs)                                                        \
    "{\"type\":\"Topology\",\"objects\":{\"countries\":{\"type\":"             \
    "\"GeometryCollection\",\"geometries\":" geoms "}},\"arcs\":" arcs "}"
#define TRI "[[0,0],[1,0],[1,1],[0,0]]"
#define POLY0 "[{\"type\":\"Polygon\",\"arcs\":[[0]]}]"

static void test_malformed_json(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {GC(POLY0, "[" TRI "]"), NULL}, /* the valid base case */
        {"[]", "top level is not a JSON object"},
        {"{\"type\":\"FeatureCollection\"}", "not a TopoJSON topology"},
        {GC(POLY0, "{}"), "\"arcs\" is missing or not an array"},
        {"{\"type\":\"Topology\",\"arcs\":[],\"objects\":{}}",
         "objects.countries is missing"},
        {"{\"type\":\"Topology\",\"arcs\":[],\"objects\":{\"countries\":"
         "{\"type\":\"Polygon\"}}}",
         "not a GeometryCollection"},
        {"{\"type\":\"Topology\",\"arcs\":[],\"objects\":{\"countries\":"
         "{\"type\":\"GeometryCollection\",\"geometries\":{}}}}",
         "geometries is missing or not an array"},
        {GC("[5]", "[" TRI "]"), "geometries[0] is not an object"},
        {GC("[{\"type\":\"Point\",\"coordinates\":[0,0]}]", "[" TRI "]"),
         "is a Point"},
        {GC("[{\"type\":7}]", "[" TRI "]"), "has no \"type\" string"},
        {GC("[{\"type\":\"Polygon\",\"arcs\":7}]", "[" TRI "]"),
         "arcs is missing or not an array"},
        {GC("[{\"type\":\"MultiPolygon\",\"arcs\":[7]}]", "[" TRI "]"),
         "arcs[0] is not an array of rings"},
        {GC("[{\"type\":\"Polygon\",\"arcs\":[[]]}]", "[" TRI "]"),
         "not a non-empty array of arc indices"},
        {GC("[{\"type\":\"Polygon\",\"arcs\":[[0.5]]}]", "[" TRI "]"),
         "not an integer arc index"},
        {GC("[{\"type\":\"Polygon\",\"arcs\":[[\"0\"]]}]", "[" TRI "]"),
         "not an integer arc index"},
        {GC("[{\"type\":\"Polygon\",\"arcs\":[[1]]}]", "[" TRI "]"),
         "arc index 1 is out of range (the topology has 1 arcs)"},
        {GC("[{\"type\":\"Polygon\",\"arcs\":[[-2]]}]", "[" TRI "]"),
         "arc index -2 is out of range"},
        {GC("[{\"type\":\"Polygon\",\"arcs\":[[-9223372036854775808]]}]",
            "[" TRI "]"),
         "is out of range"},
        {GC(POLY0, "[5]"), "arcs[0] is not an array of positions"},
        {GC(POLY0, "[[]]"), "arcs[0] has 0 positions"},
        {GC(POLY0, "[[[0,0]]]"), "arcs[0] has 1 position;"},
        {GC(POLY0, "[[[0,0],[\"a\",0],[0,0]]]"),
         "arcs[0][1] is not a position"},
        {GC(POLY0, "[[[0,0],[1],[0,0]]]"), "arcs[0][1] is not a position"},
        {GC(POLY0, "[[[0,0],[0,91],[0,0]]]"),
         "arcs[0][1] decodes to (0, 91), not a longitude/latitude"},
        {GC(POLY0, "[[[0,0],[-180.5,0],[0,0]]]"), "not a longitude/latitude"},
        {"{\"type\":\"Topology\",\"transform\":{\"scale\":[1e308,1e308],"
         "\"translate\":[0,0]},\"objects\":{\"countries\":{\"type\":"
         "\"GeometryCollection\",\"geometries\":[]}},\"arcs\":[[[1e308,0],"
         "[0,0]]]}",
         "not a longitude/latitude"},
        {"{\"type\":\"Topology\",\"transform\":5,\"arcs\":[],\"objects\":"
         "{\"countries\":{\"type\":\"GeometryCollection\",\"geometries\":"
         "[]}}}",
         "\"transform\" is not an object"},
        {"{\"type\":\"Topology\",\"transform\":{\"scale\":[1],\"translate\":"
         "[0,0]},\"arcs\":[],\"objects\":{\"countries\":{\"type\":"
         "\"GeometryCollection\",\"geometries\":[]}}}",
         "transform.scale is not an array of two numbers"},
        {"{\"type\":\"Topology\",\"transform\":{\"scale\":[1,1],"
         "\"translate\":\"x\"},\"arcs\":[],\"objects\":{\"countries\":{"
         "\"type\":\"GeometryCollection\",\"geometries\":[]}}}",
         "transform.translate is not an array of two numbers"},
        {GC("[{\"type\":\"Polygon\",\"arcs\":[[0]],\"properties\":5}]",
            "[" TRI "]"),
         "properties is not an object"},
        {GC("[{\"type\":\"Polygon\",\"arcs\":[[0]],\"properties\":"
            "{\"name\":5}}]",
            "[" TRI "]"),
         "properties.name is not a string"},
        {GC("[{\"type\":\"Polygon\",\"arcs\":[[0]],\"id\":[1]}]", "[" TRI "]"),
         "id is not a string or integer"},
        /* The ring's only arc ends at (1,1), not back at (0,0). */
        {GC(POLY0, "[[[0,0],[1,0],[1,1]]]"), "does not end where it starts"},
        /* Arc 1 starts at (1,1), arc 0 ends at (1,0). */
        {GC("[{\"type\":\"Polygon\",\"arcs\":[[0,1]]}]",
            "[[[0,0],[1,0]],[[1,1],[0,0]]]"),
         "arc 1 does not start where the previous arc of its ring ends"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        evm_error_t err;
        evm_status st = load_text(cases[i].text, &err);
        if (!cases[i].want) {
            assert_int_equal(st, EVM_OK);
            continue;
        }
        if (st != EVM_ERR_PARSE || !strstr(err.message, cases[i].want))
            fail_msg("case %zu: status %d, message \"%s\", want \"%s\"", i,
                     (int)st, err.message, cases[i].want);
        assert_string_equal(err.file, "mem.json");
    }
}

/* jansson's own errors keep their line and column. */
static void test_json_syntax_error(void **state)
{
    (void)state;
    evm_error_t err;
    assert_int_equal(load_text("{\n  \"type\": \"Topology\",,\n}", &err),
                     EVM_ERR_PARSE);
    assert_int_equal(err.line, 2);
    assert_true(err.column > 0);
    assert_int_equal(load_text("{\"a\": NaN}", &err), EVM_ERR_PARSE);

    char *path = evm_test_path(EVM_TEST_DATA_DIR "/topojson", "truncated.json");
    evm_basemap_t *m = NULL;
    assert_int_equal(evm_basemap_load(path, &m, &err), EVM_ERR_PARSE);
    assert_null(m);
    assert_string_equal(err.file, path);
    assert_true(err.line >= 4);
    free(path);

    assert_int_equal(
        evm_basemap_load(EVM_TEST_DATA_DIR "/topojson/absent", &m, &err),
        EVM_ERR_IO);
}

/* Every proper prefix of the fixture that stops before its final brace
 * is invalid JSON and must fail cleanly. */
static void test_truncated_json_every_length(void **state)
{
    (void)state;
    char *path = evm_test_path(EVM_TEST_DATA_DIR "/topojson", "squares.json");
    size_t len = 0;
    char *text = evm_test_read_file(path, &len);
    assert_non_null(text);
    size_t last = (size_t)(strrchr(text, '}') - text);
    for (size_t n = 0; n <= last; n++) {
        evm_basemap_t *m = NULL;
        evm_error_t err;
        evm_error_clear(&err);
        assert_int_equal(evm_basemap_load_memory(text, n, path, &m, &err),
                         EVM_ERR_PARSE);
        assert_null(m);
        assert_true(err.message[0] != '\0');
    }
    free(text);
    free(path);
}

static unsigned char *pack_fixture(const char *name, evm_basemap_t **map,
                                   size_t *len)
{
    *map = load_fixture(name);
    unsigned char *buf = NULL;
    evm_error_t err;
    assert_int_equal(evm_packed_encode(*map, &buf, len, &err), EVM_OK);
    return buf;
}

static void test_packed_round_trip(void **state)
{
    (void)state;
    evm_basemap_t *m, *back = NULL;
    size_t len, len2;
    unsigned char *buf = pack_fixture("squares.json", &m, &len);
    evm_error_t err;
    assert_true(evm_packed_has_magic(buf, len));
    assert_int_equal(evm_basemap_load_memory(buf, len, "mem", &back, &err),
                     EVM_OK);
    assert_non_null(back->block);
    evm_test_assert_basemaps_equal(m, back);
    /* One map, one packed form. */
    unsigned char *buf2 = NULL;
    assert_int_equal(evm_packed_encode(back, &buf2, &len2, &err), EVM_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(buf, buf2, len);
    free(buf2);
    free(buf);
    evm_basemap_destroy(back);
    evm_basemap_destroy(m);
}

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* squares.evmgeo, checked in, is the packed form of squares.json: the
 * format may not change without a version bump. Its header and size,
 * worked out by hand from the layout in packed.h:
 *   counts: 8 arcs, 30 arc points, 6 rings, 24 ring points, 4 countries,
 *   strings "Alpha" "001" "Beta" "" "Gamma" "3" "Delta" "004" with NULs:
 *   6 + 4 + 5 + 1 + 6 + 2 + 6 + 4 = 34 bytes;
 *   size: header 64 + arc_off 9*8 = 72 + arc_pts 30*16 = 480
 *   + arc_box 8*32 = 256 + class 8 + left 32 + right 32 + ring_off 7*8 = 56
 *   + ring_pts 24*16 = 384 + ring_box 6*32 = 192 + ring_country 24
 *   + country_ring_off 5*8 = 40 + name 16 + id 16 + strings 34 -> 40
 *   = 1712 bytes. */
static void test_packed_golden(void **state)
{
    (void)state;
    evm_basemap_t *m;
    size_t len, glen = 0;
    unsigned char *buf = pack_fixture("squares.json", &m, &len);
    unsigned char *golden = (unsigned char *)evm_test_read_file(
        EVM_TEST_DATA_DIR "/topojson/squares.evmgeo", &glen);
    assert_non_null(golden);
    assert_int_equal(glen, 1712);
    assert_memory_equal(golden, "\211EVMGEO\n", 8);      /* 0x89 in octal */
    assert_int_equal(le64(golden + 8) & 0xffffffffu, 1); /* version */
    assert_int_equal(le64(golden + 8) >> 32, 64);        /* header size */
    assert_int_equal(le64(golden + 16), 8);
    assert_int_equal(le64(golden + 24), 30);
    assert_int_equal(le64(golden + 32), 6);
    assert_int_equal(le64(golden + 40), 24);
    assert_int_equal(le64(golden + 48), 4);
    assert_int_equal(le64(golden + 56), 34);
    assert_int_equal(len, glen);
    assert_memory_equal(buf, golden, len);
    free(golden);
    free(buf);
    evm_basemap_destroy(m);
}

static char *tmp_path(const char *tag)
{
    char name[128];
    snprintf(name, sizeof name, "test_topojson_%s_%ld.evmgeo", tag,
             (long)getpid());
    return evm_test_path(EVM_BUILD_DIR, name);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Every prefix of a packed image, from memory and from a file: only the
 * whole image loads. */
static void test_packed_truncated_every_length(void **state)
{
    (void)state;
    evm_basemap_t *m;
    size_t len;
    unsigned char *buf = pack_fixture("squares.json", &m, &len);
    char *path = tmp_path("trunc");
    for (size_t n = 0; n <= len; n++) {
        evm_basemap_t *back = NULL;
        evm_error_t err;
        evm_error_clear(&err);
        evm_status want = n == len ? EVM_OK : EVM_ERR_PARSE;
        assert_int_equal(evm_basemap_load_memory(buf, n, "mem", &back, &err),
                         want);
        evm_basemap_destroy(back);
        back = NULL;
        write_file(path, buf, n);
        evm_status st = evm_basemap_load(path, &back, &err);
        if (st != want)
            fail_msg("length %zu of %zu: status %d (%s)", n, len, (int)st,
                     err.message);
        if (want == EVM_OK)
            evm_test_assert_basemaps_equal(m, back);
        evm_basemap_destroy(back);
    }
    remove(path);
    free(path);
    free(buf);
    evm_basemap_destroy(m);
}

/* Reads everything a consumer of the map would, so that under ASan an
 * accepted but inconsistent map shows up as a bad access. */
static volatile double touch_sink;

static double touch_map(const evm_basemap_t *m)
{
    double sum = 0;
    for (size_t a = 0; a < m->n_arcs; a++) {
        for (size_t i = m->arc_off[a]; i < m->arc_off[a + 1]; i++)
            sum += m->arc_pts[2 * i] + m->arc_pts[2 * i + 1];
        sum += m->arc_box[a].w + m->arc_class[a];
        if (m->arc_class[a] == EVM_ARC_BORDER)
            sum += (double)strlen(m->country_name[m->arc_left[a]]) +
                   (double)strlen(m->country_name[m->arc_right[a]]);
    }
    for (size_t c = 0; c < m->n_countries; c++) {
        sum += (double)strlen(m->country_name[c]) +
               (double)strlen(m->country_id[c]);
        for (size_t r = m->country_ring_off[c]; r < m->country_ring_off[c + 1];
             r++) {
            for (size_t i = m->ring_off[r]; i < m->ring_off[r + 1]; i++)
                sum += m->ring_pts[2 * i] + m->ring_pts[2 * i + 1];
            sum += m->ring_box[r].n + m->ring_country[r];
        }
    }
    return sum;
}

/* Flip every bit of a packed image in turn: the reader must accept or
 * reject each, never read out of bounds. Flips of the magic make it a
 * (bad) JSON text; flips of the counts, offsets, classes, indices and
 * strings must be caught; some flips in coordinates stay valid. One flip
 * of each byte also goes through a file, which the loader maps: it must
 * be accepted or rejected as in memory, and read to the same map. */
static void test_packed_bit_flips(void **state)
{
    (void)state;
    evm_basemap_t *m;
    size_t len;
    unsigned char *buf = pack_fixture("squares.json", &m, &len);
    char *path = tmp_path("flip");
    size_t rejected = 0;
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (unsigned char)(1u << bit);
            evm_basemap_t *back = NULL, *mapped = NULL;
            evm_error_t err;
            evm_status st =
                evm_basemap_load_memory(buf, len, "mem", &back, &err);
            assert_true(st == EVM_OK || st == EVM_ERR_PARSE);
            /* Header bytes up to the string table size: a longer table
             * that takes a padding NUL is still a valid table. */
            if (i < 56 && st == EVM_OK)
                fail_msg("flip of header byte %zu bit %d accepted", i, bit);
            rejected += st != EVM_OK;
            if (back)
                touch_sink = touch_map(back);
            if (bit == (int)(i % 8)) {
                write_file(path, buf, len);
                evm_status fst = evm_basemap_load(path, &mapped, &err);
                if (fst != st)
                    fail_msg("flip of byte %zu bit %d: %d from memory, %d "
                             "from a file (%s)",
                             i, bit, (int)st, (int)fst, err.message);
                if (mapped) {
                    touch_sink = touch_map(mapped);
                    evm_test_assert_basemaps_equal(back, mapped);
                }
            }
            evm_basemap_destroy(back);
            evm_basemap_destroy(mapped);
            buf[i] ^= (unsigned char)(1u << bit);
        }
    }
    print_message("%zu of %zu flips rejected\n", rejected, len * 8);
    remove(path);
    free(path);
    free(buf);
    evm_basemap_destroy(m);
}

/* Targeted corruptions with the message each must give. */
static void test_packed_corrupt(void **state)
{
    (void)state;
    evm_basemap_t *m;
    size_t len;
    unsigned char *buf = pack_fixture("squares.json", &m, &len);
    unsigned char *bad = malloc(len);
    assert_non_null(bad);
    evm_error_t err;
    evm_basemap_t *back = NULL;

    for (size_t i = 0; i < EVM_PACKED_MAGIC_LEN; i++) {
        memcpy(bad, buf, len);
        bad[i] ^= 0x20;
        assert_false(evm_packed_has_magic(bad, len));
        assert_int_equal(evm_packed_decode(bad, len, "x", &back, &err),
                         EVM_ERR_PARSE);
        assert_non_null(strstr(err.message, "bad magic"));
        /* Through the loader it is not packed, so it is JSON, and bad. */
        assert_int_equal(evm_basemap_load_memory(bad, len, "x", &back, &err),
                         EVM_ERR_PARSE);
    }

    memcpy(bad, buf, len);
    bad[8] = 2; /* version */
    assert_int_equal(evm_packed_decode(bad, len, "x", &back, &err),
                     EVM_ERR_PARSE);
    assert_non_null(strstr(err.message, "version 2"));

    memcpy(bad, buf, len);
    bad[16] = 9; /* n_arcs 8 -> 9: the sizes no longer add up */
    assert_int_equal(evm_packed_decode(bad, len, "x", &back, &err),
                     EVM_ERR_PARSE);
    assert_non_null(strstr(err.message, "not the size its header"));

    /* Arc offsets start at byte 64: make arc_off[1] (2) exceed arc_off[2]
     * (6). */
    memcpy(bad, buf, len);
    bad[64 + 8] = 7;
    assert_int_equal(evm_packed_decode(bad, len, "x", &back, &err),
                     EVM_ERR_PARSE);
    assert_non_null(strstr(err.message, "arc offsets"));

    /* The last byte of the image is the string table's final NUL. */
    memcpy(bad, buf, len);
    size_t last = len - 1;
    while (bad[last] == 0 && last > 0 && bad[last - 1] == 0)
        last--; /* skip padding back to the terminating NUL */
    bad[last] = 'x';
    assert_int_equal(evm_packed_decode(bad, len, "x", &back, &err),
                     EVM_ERR_PARSE);
    assert_null(back);
    assert_non_null(strstr(err.message, "does not end in NUL"));
    free(bad);
    free(buf);
    evm_basemap_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_squares_decode),
        cmocka_unit_test(test_antimeridian_box),
        cmocka_unit_test(test_malformed_json),
        cmocka_unit_test(test_json_syntax_error),
        cmocka_unit_test(test_truncated_json_every_length),
        cmocka_unit_test(test_packed_round_trip),
        cmocka_unit_test(test_packed_golden),
        cmocka_unit_test(test_packed_truncated_every_length),
        cmocka_unit_test(test_packed_bit_flips),
        cmocka_unit_test(test_packed_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
