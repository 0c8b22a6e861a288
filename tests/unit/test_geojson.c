/* GeoJSON export of a scene's lines (evm_scene_write_geojson).
 *
 * Every document is parsed back with jansson (which refuses invalid UTF-8,
 * NaN and trailing bytes; duplicate keys refused too) and checked as RFC
 * 7946 asks: a FeatureCollection of Features with an id, a LineString or
 * a MultiLineString of [lon, lat] in range, and properties.
 *
 * Geometry is checked against truths the writer does not compute:
 * - each written point lies on the geodesics between the feature's
 *   vertices (evm_lines_nearest on a line set of those vertices, exact to
 *   well under a millimetre), to the 7 decimals' rounding (2 cm);
 * - the straight lon/lat chord between consecutive points, at seven
 *   fractions, stays within the documented 1 m of it;
 * - consecutive points are at most the documented 20 km apart;
 * - the geodesic lengths of the written pieces add up to the feature's
 *   geodesic length within 1 m;
 * - a line across the antimeridian is split into parts that meet at
 *   exactly 180 / -180 and one latitude, that latitude within 1e-7 degree
 *   of GeographicLib's (tests/data/geojson/antimeridian-crossings.txt).
 * Then: vertices on the antimeridian, strings that try to break JSON,
 * numbers under a decimal-comma locale, write and file failures, and the
 * features map layout adds for distance lines. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include <evmap/evmap.h>

#include "testutil.h"

#define STEP_MAX_M 20000.0 /* documented spacing bound */
#define CHORD_TOL_M 1.0    /* documented chord bound */
#define ROUND_M 0.02       /* 7 decimals: at most 0.8 cm, with margin */

/* ---- output to memory, parsed back ----------------------------------- */

typedef struct buf {
    char *data;
    size_t len, cap;
    size_t calls;
    size_t fail_at; /* fail the call with this 1-based number; 0: never */
} buf_t;

static evm_status buf_write(void *closure, const unsigned char *data,
                            size_t len)
{
    buf_t *b = closure;
    if (++b->calls == b->fail_at)
        return EVM_ERR_IO;
    if (b->len + len + 1 > b->cap) {
        size_t cap = 2 * (b->len + len + 1);
        char *p = realloc(b->data, cap);
        if (!p)
            return EVM_ERR_NOMEM;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return EVM_OK;
}

static json_t *parse(const char *data, size_t len)
{
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        fail_msg("not JSON at %d:%d: %s", je.line, je.column, je.text);
    assert_true(json_is_object(root));
    assert_string_equal(json_string_value(json_object_get(root, "type")),
                        "FeatureCollection");
    assert_true(json_is_array(json_object_get(root, "features")));
    return root;
}

/* Writes and parses a scene; *raw (optional) gets the text. */
static json_t *to_json(const evm_scene_t *s, char **raw)
{
    buf_t b = {0};
    evm_error_t err;
    if (evm_scene_write_geojson(s, buf_write, &b, &err) != EVM_OK)
        fail_msg("write: %s", err.message);
    json_t *root = parse(b.data, b.len);
    assert_int_equal(json_array_size(json_object_get(root, "features")),
                     s->n_features + s->n_events);
    if (raw)
        *raw = b.data;
    else
        free(b.data);
    return root;
}

static json_t *feature_at(json_t *root, size_t i)
{
    json_t *f = json_array_get(json_object_get(root, "features"), i);
    assert_true(json_is_object(f));
    assert_string_equal(json_string_value(json_object_get(f, "type")),
                        "Feature");
    assert_true(json_is_object(json_object_get(f, "properties")));
    return f;
}

static evm_scene_t *new_scene(void)
{
    evm_scene_t *s = NULL;
    evm_error_t err;
    assert_int_equal(evm_scene_create(800, 600, 96, &s, &err), EVM_OK);
    return s;
}

static evm_scene_feature_t *add_line(evm_scene_t *s, const char *id,
                                     const double *lat_lon, size_t n)
{
    evm_scene_feature_t *f =
        evm_scene_add_feature(s, id, "distance", lat_lon, n);
    assert_non_null(f);
    return f;
}

/* ---- geometry checks ------------------------------------------------- */

typedef struct line_facts {
    size_t n_parts, n_points;
    json_t *parts; /* borrowed: an array of arrays of positions */
} line_facts_t;

static double dist_m(double lat1, double lon1, double lat2, double lon2)
{
    double s;
    evm_geodesic_inverse(lat1, lon1, lat2, lon2, &s, NULL, NULL);
    return s;
}

static void position(json_t *p, double *lon, double *lat)
{
    assert_true(json_is_array(p));
    assert_int_equal(json_array_size(p), 2);
    assert_true(json_is_number(json_array_get(p, 0)));
    assert_true(json_is_number(json_array_get(p, 1)));
    *lon = json_number_value(json_array_get(p, 0));
    *lat = json_number_value(json_array_get(p, 1));
    if (!(*lon >= -180 && *lon <= 180 && *lat >= -90 && *lat <= 90))
        fail_msg("position %.9g,%.9g is out of range", *lon, *lat);
}

/* Checks a feature's geometry against the geodesics through the n
 * vertices (lat, lon pairs) and returns its parts. */
static line_facts_t check_line(json_t *feature, const double *v, size_t n,
                               size_t want_parts)
{
    const char *id = json_string_value(json_object_get(feature, "id"));
    json_t *g = json_object_get(feature, "geometry");
    assert_true(json_is_object(g));
    const char *type = json_string_value(json_object_get(g, "type"));
    json_t *coords = json_object_get(g, "coordinates");
    assert_non_null(type);
    assert_true(json_is_array(coords));
    line_facts_t lf = {0};
    json_t *parts;
    if (strcmp(type, "LineString") == 0) {
        parts = json_pack("[O]", coords);
    } else {
        assert_string_equal(type, "MultiLineString");
        parts = json_incref(coords);
    }
    lf.n_parts = json_array_size(parts);
    if (lf.n_parts != want_parts)
        fail_msg("%s: %s of %zu parts, expected %zu", id, type, lf.n_parts,
                 want_parts);
    /* RFC 7946: a MultiLineString only when there is more than one part. */
    assert_true((lf.n_parts > 1) == (strcmp(type, "MultiLineString") == 0));

    double *lonlat = malloc(2 * n * sizeof *lonlat);
    assert_non_null(lonlat);
    double truth_m = 0;
    for (size_t i = 0; i < n; i++) {
        lonlat[2 * i] = v[2 * i + 1];
        lonlat[2 * i + 1] = v[2 * i];
        if (i)
            truth_m +=
                dist_m(v[2 * i - 2], v[2 * i - 1], v[2 * i], v[2 * i + 1]);
    }
    size_t start[2] = {0, n};
    evm_lines_t *truth = NULL;
    evm_error_t err;
    assert_int_equal(evm_lines_create("truth", lonlat, start, 1, &truth, &err),
                     EVM_OK);
    free(lonlat);

    double written_m = 0, worst_point = 0, worst_chord = 0, longest = 0;
    double prev_lon = NAN, prev_lat = NAN;
    bool *vertex_seen = calloc(n, sizeof *vertex_seen);
    assert_non_null(vertex_seen);
    for (size_t k = 0; k < lf.n_parts; k++) {
        json_t *part = json_array_get(parts, k);
        assert_true(json_is_array(part));
        size_t np = json_array_size(part);
        if (np < 2)
            fail_msg("%s: part %zu has %zu positions", id, k, np);
        for (size_t i = 0; i < np; i++) {
            double lon, lat;
            position(json_array_get(part, i), &lon, &lat);
            lf.n_points++;
            if (i == 0 && k > 0) {
                /* Parts meet on the antimeridian, from opposite sides. */
                if (!(fabs(prev_lon) == 180 && lon == -prev_lon &&
                      lat == prev_lat))
                    fail_msg("%s: part %zu ends at %.9g,%.9g and part %zu "
                             "starts at %.9g,%.9g",
                             id, k - 1, prev_lon, prev_lat, k, lon, lat);
            }
            evm_nearest_t nr;
            assert_true(evm_lines_nearest(truth, lat, lon, &nr));
            worst_point = fmax(worst_point, nr.dist_m);
            for (size_t j = 0; j < n; j++)
                if (dist_m(lat, lon, v[2 * j], v[2 * j + 1]) <= ROUND_M)
                    vertex_seen[j] = true;
            if (i > 0) {
                double d = dist_m(prev_lat, prev_lon, lat, lon);
                written_m += d;
                longest = fmax(longest, d);
                for (int t = 1; t < 8; t++) {
                    double f = t / 8.0;
                    double clon = prev_lon + f * (lon - prev_lon);
                    double clat = prev_lat + f * (lat - prev_lat);
                    assert_true(evm_lines_nearest(truth, clat, clon, &nr));
                    worst_chord = fmax(worst_chord, nr.dist_m);
                }
            }
            prev_lon = lon;
            prev_lat = lat;
        }
    }
    if (!(worst_point <= ROUND_M))
        fail_msg("%s: a written point is %.4f m off the geodesic", id,
                 worst_point);
    if (!(worst_chord <= CHORD_TOL_M + ROUND_M))
        fail_msg("%s: a lon/lat chord is %.4f m off the geodesic", id,
                 worst_chord);
    if (!(longest <= STEP_MAX_M + 1))
        fail_msg("%s: written points %.1f m apart", id, longest);
    if (!(fabs(written_m - truth_m) <= 1))
        fail_msg("%s: written pieces add up to %.3f m, the geodesics are "
                 "%.3f m",
                 id, written_m, truth_m);
    for (size_t j = 0; j < n; j++)
        if (!vertex_seen[j])
            fail_msg("%s: vertex %zu (%g,%g) is not written", id, j, v[2 * j],
                     v[2 * j + 1]);
    /* The line starts at its first vertex and ends at its last. */
    double lon0, lat0, lon1, lat1;
    json_t *last = json_array_get(parts, lf.n_parts - 1);
    position(json_array_get(json_array_get(parts, 0), 0), &lon0, &lat0);
    position(json_array_get(last, json_array_size(last) - 1), &lon1, &lat1);
    assert_true(dist_m(lat0, lon0, v[0], v[1]) <= ROUND_M);
    assert_true(dist_m(lat1, lon1, v[2 * n - 2], v[2 * n - 1]) <= ROUND_M);
    free(vertex_seen);
    evm_lines_destroy(truth);
    /* Kept alive by the document, for part_end. */
    json_object_set_new(feature, "parts-checked", parts);
    lf.parts = parts;
    print_message("%-24s %zu part(s), %5zu points, %8.1f km, chord %.3f m\n",
                  id, lf.n_parts, lf.n_points, truth_m / 1000, worst_chord);
    return lf;
}

/* The position where part k ends (end true) or starts. */
static void part_end(const line_facts_t *lf, size_t k, bool end, double *lon,
                     double *lat)
{
    json_t *part = json_array_get(lf->parts, k);
    position(json_array_get(part, end ? json_array_size(part) - 1 : 0), lon,
             lat);
}

/* ---- tests ----------------------------------------------------------- */

static void test_empty(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene();
    json_t *root = to_json(s, NULL);
    assert_int_equal(json_array_size(json_object_get(root, "features")), 0);
    json_decref(root);
    evm_scene_destroy(s);
}

/* Events as Point features after the lines: the cells as text in column
 * order, hostile text escaped, no position as a null geometry. */
static void test_events(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene();
    const char *cols[] = {"name", "kind", "note"};
    assert_int_equal(evm_scene_set_columns(s, cols, 3), EVM_OK);
    const char *a[] = {"Seoul", "capital", "say \"hi\"\n\xff"};
    evm_scene_event_t *e = evm_scene_add_event(s, "Seoul", "capital", "", a);
    assert_non_null(e);
    e->lat_deg = 37.5665;
    e->lon_deg = -0.000000000123;
    const char *b[] = {"", "", ""};
    e = evm_scene_add_event(s, "", "", "", b);
    assert_non_null(e);
    assert_true(isnan(e->lat_deg) && isnan(e->lon_deg));
    add_line(s, "distance-0", (const double[]){0, 0, 1, 1}, 2);
    char *raw;
    json_t *root = to_json(s, &raw);
    assert_string_equal(
        json_string_value(json_object_get(feature_at(root, 0), "id")),
        "distance-0");
    json_t *f = feature_at(root, 1);
    assert_string_equal(json_string_value(json_object_get(f, "id")),
                        "event-seoul");
    assert_non_null(strstr(raw, "\"coordinates\":[0,37.5665]"));
    json_t *p = json_object_get(f, "properties");
    const char *key;
    json_t *v;
    size_t k = 0;
    json_object_foreach(p, key, v)
    {
        assert_string_equal(key, cols[k]);
        k++;
    }
    assert_int_equal(k, 3);
    assert_string_equal(json_string_value(json_object_get(p, "note")),
                        "say \"hi\"\n\xef\xbf\xbd");
    f = feature_at(root, 2);
    assert_string_equal(json_string_value(json_object_get(f, "id")), "event-2");
    assert_true(json_is_null(json_object_get(f, "geometry")));
    free(raw);
    json_decref(root);
    evm_scene_destroy(s);
}

/* Lines that cross no antimeridian, from a metre to nearly antipodal,
 * along the equator and a meridian, and over a pole. */
static void test_plain_lines(void **state)
{
    (void)state;
    static const double lines[][4] = {
        {37.5665, 126.978, 36.7166, 127.4991}, /* 105 km */
        {55.7558, 37.6173, 51.8843, 128.3335}, /* 5,551 km */
        {0, 0, 0.5, 179.5},                    /* nearly antipodal */
        {0, -120, 0, 50},                      /* along the equator */
        {-60, 20, 70, 20},                     /* along a meridian */
        {80, 0, 75, 180},                      /* through the pole */
        {60, 0, 60.00001, 0.00001},            /* about 1 m */
        {-85, -100, -87, 60},                  /* by the south pole */
        {10, 20, 10, 20},                      /* zero length */
    };
    enum { N = sizeof lines / sizeof lines[0] };
    evm_scene_t *s = new_scene();
    for (size_t i = 0; i < N; i++) {
        char id[16];
        snprintf(id, sizeof id, "plain-%zu", i);
        add_line(s, id, lines[i], 2);
    }
    json_t *root = to_json(s, NULL);
    for (size_t i = 0; i < N; i++) {
        line_facts_t lf = check_line(feature_at(root, i), lines[i], 2, 1);
        if (i == 3)
            /* On the equator the lon/lat line is the geodesic: only the
             * spacing bound adds points. */
            assert_true(lf.n_points <= 20000e3 / STEP_MAX_M);
    }
    json_decref(root);
    evm_scene_destroy(s);
}

typedef struct crossing {
    double lat1, lon1, lat2, lon2, lat, lon;
} crossing_t;

static size_t read_crossings(crossing_t *out, size_t cap)
{
    size_t len;
    char *text = evm_test_read_file(
        EVM_TEST_DATA_DIR "/geojson/antimeridian-crossings.txt", &len);
    assert_non_null(text);
    size_t n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        crossing_t c;
        if (sscanf(line, "%lf %lf %lf %lf %lf %lf", &c.lat1, &c.lon1, &c.lat2,
                   &c.lon2, &c.lat, &c.lon) != 6)
            fail_msg("bad reference line: %s", line);
        assert_true(n < cap);
        out[n++] = c;
    }
    free(text);
    assert_true(n >= 5);
    return n;
}

/* Each reference geodesic, both ways: two parts meeting at the
 * reference latitude, on the side the reference names. */
static void test_crossings_reference(void **state)
{
    (void)state;
    crossing_t c[32];
    size_t n = read_crossings(c, 32);
    evm_scene_t *s = new_scene();
    for (size_t i = 0; i < n; i++) {
        double fwd[4] = {c[i].lat1, c[i].lon1, c[i].lat2, c[i].lon2};
        double back[4] = {c[i].lat2, c[i].lon2, c[i].lat1, c[i].lon1};
        add_line(s, "forward", fwd, 2);
        add_line(s, "backward", back, 2);
    }
    json_t *root = to_json(s, NULL);
    for (size_t i = 0; i < n; i++) {
        for (int dir = 0; dir < 2; dir++) {
            json_t *f = feature_at(root, 2 * i + dir);
            line_facts_t lf =
                check_line(f, s->features[2 * i + dir].lat_lon, 2, 2);
            double lon, lat;
            part_end(&lf, 0, true, &lon, &lat);
            if (!(fabs(lat - c[i].lat) <= 1e-7))
                fail_msg("row %zu: crosses at latitude %.9f, GeodSolve says "
                         "%.9f",
                         i + 1, lat, c[i].lat);
            /* Forwards the first part reaches the reference's side. */
            assert_true(lon == (dir == 0 ? c[i].lon : -c[i].lon));
        }
    }
    json_decref(root);
    evm_scene_destroy(s);
}

/* Vladivostok, Petropavlovsk-Kamchatsky, Anchorage: the second leg
 * crosses; the reference is the file's row for that leg. */
static void test_three_vertices(void **state)
{
    (void)state;
    crossing_t c[32];
    size_t n = read_crossings(c, 32);
    const crossing_t *leg = NULL;
    for (size_t i = 0; i < n; i++)
        if (c[i].lat1 == 53.0167 && c[i].lon1 == 158.65 &&
            c[i].lat2 == 61.2181 && c[i].lon2 == -149.9003)
            leg = &c[i];
    assert_non_null(leg);
    const double v[6] = {43.1155, 131.8855, 53.0167,
                         158.65,  61.2181,  -149.9003};
    evm_scene_t *s = new_scene();
    add_line(s, "route", v, 3);
    json_t *root = to_json(s, NULL);
    line_facts_t lf = check_line(feature_at(root, 0), v, 3, 2);
    double lon, lat, lon2, lat2;
    part_end(&lf, 0, true, &lon, &lat);
    part_end(&lf, 1, false, &lon2, &lat2);
    assert_true(lon == 180 && lon2 == -180 && lat == lat2);
    assert_true(fabs(lat - leg->lat) <= 1e-7);
    json_decref(root);
    evm_scene_destroy(s);
}

/* Vertices exactly on the antimeridian: a crossing there, a touch that
 * goes back, starts on it, a line along it, and a line that crosses
 * three times. */
static void test_vertex_on_antimeridian(void **state)
{
    (void)state;
    static const struct {
        double v[8];
        size_t n, parts;
        double first_lon; /* of the first position */
    } cases[] = {
        {{10, 170, 0, 180, -10, -170}, 3, 2, 170},
        {{10, 170, 0, -180, -10, -170}, 3, 2, 170},
        {{-10, -170, 0, 540, 10, 170}, 3, 2, -170},
        {{10, 170, 0, 180, -10, 170}, 3, 1, 170},
        {{10, -170, 0, -180, -10, -170}, 3, 1, -170},
        {{0, 180, 10, -170}, 2, 1, -180},
        {{0, -180, 10, 170}, 2, 1, 180},
        {{0, 180, 10, 180}, 2, 1, 180},
        {{0, 170, 0, -170, 0, 170, 0, -170}, 4, 4, 170},
    };
    enum { N = sizeof cases / sizeof cases[0] };
    evm_scene_t *s = new_scene();
    for (size_t i = 0; i < N; i++) {
        char id[16];
        snprintf(id, sizeof id, "on-180-%zu", i);
        add_line(s, id, cases[i].v, cases[i].n);
    }
    json_t *root = to_json(s, NULL);
    for (size_t i = 0; i < N; i++) {
        line_facts_t lf = check_line(feature_at(root, i), cases[i].v,
                                     cases[i].n, cases[i].parts);
        double lon, lat;
        part_end(&lf, 0, false, &lon, &lat);
        assert_true(lon == cases[i].first_lon);
        /* Crossings at a vertex or on the equator: latitude 0 exactly. */
        for (size_t k = 1; k < lf.n_parts; k++) {
            part_end(&lf, k, false, &lon, &lat);
            assert_true(fabs(lon) == 180 && lat == 0);
        }
        if (i == 3) {
            /* Touches 180 and goes back: the vertex is written as 180. */
            bool found = false;
            json_t *part = json_array_get(lf.parts, 0);
            for (size_t j = 0; j < json_array_size(part); j++) {
                position(json_array_get(part, j), &lon, &lat);
                found |= lon == 180 && lat == 0;
            }
            assert_true(found);
        }
        if (i == 7) {
            json_t *part = json_array_get(lf.parts, 0);
            for (size_t j = 0; j < json_array_size(part); j++) {
                position(json_array_get(part, j), &lon, &lat);
                assert_true(lon == 180);
            }
        }
    }
    json_decref(root);
    evm_scene_destroy(s);
}

/* No vertex: null geometry; one vertex: a LineString of that point
 * twice, as a LineString needs two positions. */
static void test_degenerate(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene();
    const double one[2] = {45.5, -73.25};
    add_line(s, "none", NULL, 0);
    add_line(s, "one", one, 1);
    json_t *root = to_json(s, NULL);
    assert_true(json_is_null(json_object_get(feature_at(root, 0), "geometry")));
    json_t *g = json_object_get(feature_at(root, 1), "geometry");
    assert_string_equal(json_string_value(json_object_get(g, "type")),
                        "LineString");
    json_t *c = json_object_get(g, "coordinates");
    assert_int_equal(json_array_size(c), 2);
    for (size_t i = 0; i < 2; i++) {
        double lon, lat;
        position(json_array_get(c, i), &lon, &lat);
        assert_true(lon == -73.25 && lat == 45.5);
    }
    json_decref(root);
    evm_scene_destroy(s);
}

/* Properties in order after "kind", text and numbers, a property that
 * would repeat "kind" left out, numbers JSON cannot hold as null. */
static void test_properties(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene();
    const double v[4] = {37.5665, 126.978, 36.7166, 127.4991};
    evm_scene_feature_t *f = add_line(s, "distance-0", v, 2);
    assert_int_equal(evm_feature_add_text(f, "from", "Seoul"), EVM_OK);
    assert_int_equal(evm_feature_add_text(f, "kind", "not the kind"), EVM_OK);
    assert_int_equal(evm_feature_add_text(f, "to", "Cheongju"), EVM_OK);
    assert_int_equal(evm_feature_add_number(f, "leg", 3), EVM_OK);
    assert_int_equal(evm_feature_add_number(f, "distance_km", 105.071637),
                     EVM_OK);
    assert_int_equal(evm_feature_add_number(f, "tiny", -0.000123), EVM_OK);
    assert_int_equal(evm_feature_add_number(f, "huge", 1e20), EVM_OK);
    assert_int_equal(evm_feature_add_number(f, "nan", NAN), EVM_OK);
    assert_int_equal(evm_feature_add_number(f, "inf", -INFINITY), EVM_OK);
    char *raw = NULL;
    json_t *root = to_json(s, &raw);
    json_t *feat = feature_at(root, 0);
    assert_string_equal(json_string_value(json_object_get(feat, "id")),
                        "distance-0");
    json_t *p = json_object_get(feat, "properties");
    assert_int_equal(json_object_size(p), 9);
    assert_string_equal(json_string_value(json_object_get(p, "kind")),
                        "distance");
    assert_string_equal(json_string_value(json_object_get(p, "from")), "Seoul");
    assert_string_equal(json_string_value(json_object_get(p, "to")),
                        "Cheongju");
    assert_true(json_is_integer(json_object_get(p, "leg")));
    assert_int_equal(json_integer_value(json_object_get(p, "leg")), 3);
    assert_true(json_real_value(json_object_get(p, "distance_km")) ==
                105.071637);
    assert_true(json_real_value(json_object_get(p, "tiny")) == -0.000123);
    assert_true(json_number_value(json_object_get(p, "huge")) == 1e20);
    assert_true(json_is_null(json_object_get(p, "nan")));
    assert_true(json_is_null(json_object_get(p, "inf")));
    /* In the order added, after the kind. */
    const char *keys[] = {"\"kind\"",        "\"from\"", "\"to\"",  "\"leg\"",
                          "\"distance_km\"", "\"tiny\"", "\"huge\""};
    const char *at = raw;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *k = strstr(at, keys[i]);
        if (!k)
            fail_msg("%s missing or out of order", keys[i]);
        at = k;
    }
    assert_null(strstr(raw, "not the kind"));
    free(raw);
    json_decref(root);
    evm_scene_destroy(s);
}

/* Strings that would break a careless writer come back as they were,
 * with each byte that is not UTF-8 as U+FFFD. */
static void test_hostile_strings(void **state)
{
    (void)state;
    char controls[40];
    for (int c = 1; c < 0x20; c++)
        controls[c - 1] = (char)c;
    controls[31] = 0x7f;
    controls[32] = '\0';
    static const char *const fffd = "\xEF\xBF\xBD";
    char two[8], three[12], four[16];
    snprintf(two, sizeof two, "%s%s", fffd, fffd);
    snprintf(three, sizeof three, "%s%s%s", fffd, fffd, fffd);
    snprintf(four, sizeof four, "%s%s%s%s", fffd, fffd, fffd, fffd);
    char trunc_want[24];
    snprintf(trunc_want, sizeof trunc_want, "a%sb", two);
    char lone_want[16];
    snprintf(lone_want, sizeof lone_want, "x%sy", fffd);
    const struct {
        const char *in, *want;
    } cases[] = {
        {"quote \" and back\\slash \\\" \\u0041", NULL},
        {"</script><!-- & \xE2\x80\xA8 line separator", NULL},
        {controls, NULL},
        {"x\xFFy", lone_want},
        {"a\xE2\x82"
         "b",
         trunc_want},               /* truncated sequence */
        {"\xC0\xAF", two},          /* overlong '/' */
        {"\xED\xA0\x80", three},    /* UTF-16 surrogate */
        {"\xF4\x90\x80\x80", four}, /* past U+10FFFF */
        {"\xC3\x8Ele-de-France \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80",
         NULL},
    };
    enum { N = sizeof cases / sizeof cases[0] };
    evm_scene_t *s = new_scene();
    const double v[4] = {0, 0, 1, 1};
    for (size_t i = 0; i < N; i++) {
        /* In the id, the kind, a property's name and its value. */
        evm_scene_feature_t *f =
            evm_scene_add_feature(s, cases[i].in, cases[i].in, v, 2);
        assert_non_null(f);
        assert_int_equal(evm_feature_add_text(f, "label", cases[i].in), EVM_OK);
        char name[80];
        snprintf(name, sizeof name, "n%s", cases[i].in);
        assert_int_equal(evm_feature_add_text(f, name, "v"), EVM_OK);
    }
    json_t *root = to_json(s, NULL);
    for (size_t i = 0; i < N; i++) {
        const char *want = cases[i].want ? cases[i].want : cases[i].in;
        json_t *f = feature_at(root, i);
        json_t *p = json_object_get(f, "properties");
        assert_string_equal(json_string_value(json_object_get(f, "id")), want);
        assert_string_equal(json_string_value(json_object_get(p, "kind")),
                            want);
        assert_string_equal(json_string_value(json_object_get(p, "label")),
                            want);
        char name[80];
        snprintf(name, sizeof name, "n%s", want);
        assert_string_equal(json_string_value(json_object_get(p, name)), "v");
    }
    json_decref(root);
    evm_scene_destroy(s);
}

static void test_locale(void **state)
{
    (void)state;
    char *dir;
    bool comma = evm_test_decimal_comma_locale(&dir);
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    evm_scene_t *s = new_scene();
    const double v[4] = {37.5665, 126.978, -33.8688, 151.2093};
    evm_scene_feature_t *f = add_line(s, "f", v, 2);
    assert_int_equal(evm_feature_add_number(f, "distance_km", 8321.125),
                     EVM_OK);
    assert_int_equal(evm_feature_add_number(f, "small", 0.5), EVM_OK);
    buf_t b = {0};
    evm_error_t err;
    evm_status st = evm_scene_write_geojson(s, buf_write, &b, &err);
    evm_test_c_locale(dir);
    assert_int_equal(st, EVM_OK);
    json_t *root = parse(b.data, b.len);
    free(b.data);
    json_t *p = json_object_get(feature_at(root, 0), "properties");
    assert_true(json_real_value(json_object_get(p, "distance_km")) == 8321.125);
    assert_true(json_real_value(json_object_get(p, "small")) == 0.5);
    check_line(feature_at(root, 0), v, 2, 1);
    if (comma)
        assert_string_equal(probe, "1,5"); /* the locale did switch */
    else
        print_message("note: no decimal-comma locale; checked under C only\n");
    json_decref(root);
    evm_scene_destroy(s);
}

/* A vertex that is no place: an error naming the feature, and nothing
 * written, through the callback or to a file. */
static void test_bad_vertex(void **state)
{
    (void)state;
    static const double bad[][4] = {{91, 0, 0, 0},
                                    {0, 0, -90.5, 0},
                                    {0, NAN, 0, 0},
                                    {0, 0, 0, INFINITY},
                                    {NAN, 0, 0, 0}};
    char dir[] = "/tmp/evm-geojson-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[96];
    snprintf(path, sizeof path, "%s/lines.geojson", dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        evm_scene_t *s = new_scene();
        const double good[4] = {0, 0, 1, 1};
        add_line(s, "good", good, 2);
        add_line(s, "bad-line", bad[i], 2);
        buf_t b = {0};
        evm_error_t err;
        assert_int_equal(evm_scene_write_geojson(s, buf_write, &b, &err),
                         EVM_ERR_INVALID_ARG);
        assert_int_equal(b.calls, 0);
        assert_non_null(strstr(err.message, "bad-line"));
        assert_int_equal(evm_scene_geojson_to_file(s, path, &err),
                         EVM_ERR_INVALID_ARG);
        assert_int_equal(access(path, F_OK), -1);
        evm_scene_destroy(s);
    }
    evm_error_t err;
    assert_int_equal(evm_scene_write_geojson(NULL, buf_write, NULL, &err),
                     EVM_ERR_INVALID_ARG);
    evm_scene_t *s = new_scene();
    assert_int_equal(evm_scene_write_geojson(s, NULL, NULL, &err),
                     EVM_ERR_INVALID_ARG);
    evm_scene_destroy(s);
    assert_int_equal(rmdir(dir), 0); /* nothing was left in it */
}

/* The callback's failure stops the writing and is the result. */
static void test_write_failure(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene();
    const double v[4] = {0, 0, 0.5, 179.5};
    for (int i = 0; i < 20; i++)
        add_line(s, "long", v, 2); /* well over one buffer */
    for (size_t at = 1; at <= 3; at++) {
        buf_t b = {.fail_at = at};
        evm_error_t err;
        assert_int_equal(evm_scene_write_geojson(s, buf_write, &b, &err),
                         EVM_ERR_IO);
        assert_int_equal(b.calls, at); /* no call after the failure */
        assert_true(err.message[0] != '\0');
        free(b.data);
    }
    evm_scene_destroy(s);
}

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* A file is replaced whole or not at all, and a failure leaves nothing
 * behind. */
static void test_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/evm-geojson-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[96], sub[96];
    snprintf(path, sizeof path, "%s/lines.geojson", dir);
    snprintf(sub, sizeof sub, "%s/a-directory", dir);
    evm_scene_t *s = new_scene();
    const double v[4] = {53.0167, 158.65, 61.2181, -149.9003};
    add_line(s, "f", v, 2);
    evm_error_t err;

    FILE *old = fopen(path, "w");
    assert_non_null(old);
    fputs("old", old);
    fclose(old);
    assert_int_equal(evm_scene_geojson_to_file(s, path, &err), EVM_OK);
    size_t len;
    char *text = evm_test_read_file(path, &len);
    assert_non_null(text);
    json_t *root = parse(text, len);
    check_line(feature_at(root, 0), v, 2, 2);
    json_decref(root);
    free(text);
    assert_int_equal(entries(dir), 1);

    /* No such directory. */
    assert_int_equal(evm_scene_geojson_to_file(
                         s, "/nonexistent-evmap-dir/lines.geojson", &err),
                     EVM_ERR_IO);
    assert_non_null(strstr(err.message, "temporary"));
    assert_string_equal(err.file, "/nonexistent-evmap-dir/lines.geojson");
    /* A directory in the way: refused before any temporary file. */
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(evm_scene_geojson_to_file(s, sub, &err), EVM_ERR_IO);
    assert_non_null(strstr(err.message, "replace"));
    assert_int_equal(entries(dir), 2); /* the file and the directory */
    /* Not a file name. */
    assert_int_equal(evm_scene_geojson_to_file(s, "", &err),
                     EVM_ERR_INVALID_ARG);
    char slash[100];
    snprintf(slash, sizeof slash, "%s/", dir);
    assert_int_equal(evm_scene_geojson_to_file(s, slash, &err),
                     EVM_ERR_INVALID_ARG);
    assert_int_equal(entries(dir), 2);

    assert_int_equal(rmdir(sub), 0);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    evm_scene_destroy(s);
}

/* ---- the features of a laid-out map ---------------------------------- */

/* "lat,lon" as the feature's text gives a place: within 1e-6 degree. */
static void assert_place(const char *text, double lat, double lon)
{
    char *end;
    double a = strtod(text, &end);
    assert_true(*end == ',');
    double b = strtod(end + 1, &end);
    assert_true(*end == '\0');
    if (!(fabs(a - lat) <= 5e-7 && fabs(b - lon) <= 5e-7))
        fail_msg("place \"%s\" is not %.9g,%.9g", text, lat, lon);
}

static void test_layout_features(void **state)
{
    const evm_test_map_t *fx = *state;
    const evm_events_t *ev = fx->example;
    const evm_event_t *mo_ev = evm_test_event(ev, "Moscow");
    const evm_event_t *vo = evm_test_event(ev, "Vostochny Cosmodrome");
    const evm_event_t *se = evm_test_event(ev, "Seoul");
    const evm_event_t *cj =
        evm_test_event(ev, "Cheongju International Airport");
    const evm_event_t *ti = evm_test_event(ev, "Tikhoretsk ammunition depot");
    evm_map_distance_t d[2] = {
        {mo_ev->lat_deg, mo_ev->lon_deg, vo->lat_deg, vo->lon_deg, NULL, NULL,
         NULL},
        {se->lat_deg, se->lon_deg, cj->lat_deg, cj->lon_deg, "B-52 \"landing\"",
         NULL, NULL},
    };
    evm_map_border_distance_t b = {ti->lat_deg, ti->lon_deg, "UKR",
                                   false,       NULL,        NULL};
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.distances = d;
    mo.n_distances = 2;
    mo.border_distances = &b;
    mo.n_border_distances = 1;
    evm_scene_t *s = evm_test_layout(fx, ev, &mo, EVM_OK, NULL);
    assert_int_equal(s->n_features, 3);

    json_t *root = to_json(s, NULL);
    const char *ids[] = {"distance-0", "distance-1", "border-distance-0"};
    const char *kinds[] = {"distance", "distance", "border-distance"};
    for (size_t i = 0; i < 3; i++) {
        json_t *f = feature_at(root, i);
        json_t *p = json_object_get(f, "properties");
        assert_string_equal(json_string_value(json_object_get(f, "id")),
                            ids[i]);
        assert_string_equal(json_string_value(json_object_get(p, "kind")),
                            kinds[i]);
        /* The feature is the line the map draws, labelled as drawn. */
        assert_non_null(
            evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, ids[i]));
        char label_id[64];
        snprintf(label_id, sizeof label_id, "%s-label", ids[i]);
        const evm_item_t *label =
            evm_test_find_item(s, EVM_LAYER_LABELS, label_id);
        assert_non_null(label);
        assert_string_equal(json_string_value(json_object_get(p, "label")),
                            label->text.utf8);
        check_line(f, s->features[i].lat_lon, 2, 1);
        /* Its length is the geodesic's between its ends. */
        const double *v = s->features[i].lat_lon;
        double km = json_number_value(json_object_get(p, "distance_km"));
        assert_true(fabs(km - dist_m(v[0], v[1], v[2], v[3]) / 1000) <= 1e-6);
    }
    json_t *p0 = json_object_get(feature_at(root, 0), "properties");
    assert_place(json_string_value(json_object_get(p0, "from")), mo_ev->lat_deg,
                 mo_ev->lon_deg);
    assert_place(json_string_value(json_object_get(p0, "to")), vo->lat_deg,
                 vo->lon_deg);
    /* GeodSolve -i: Moscow to Vostochny is 5550890.5174384676 m (see
     * tests/cli/test_dist.sh); distance_km is to the millimetre. */
    assert_true(fabs(json_real_value(json_object_get(p0, "distance_km")) -
                     5550.8905174384676) <= 6e-7);
    json_t *p1 = json_object_get(feature_at(root, 1), "properties");
    assert_string_equal(json_string_value(json_object_get(p1, "label")),
                        "B-52 \"landing\"");
    json_t *p2 = json_object_get(feature_at(root, 2), "properties");
    assert_string_equal(json_string_value(json_object_get(p2, "country")),
                        "Ukraine");
    /* Then every event, where layout placed its marker, with its cells. */
    assert_int_equal(s->n_events, evm_events_count(ev));
    for (size_t i = 0; i < s->n_events; i++) {
        json_t *f = feature_at(root, 3 + i);
        const evm_event_t *e = evm_events_get(ev, i);
        char id[128];
        snprintf(id, sizeof id, "event-%s", s->events[i].slug);
        assert_string_equal(json_string_value(json_object_get(f, "id")), id);
        assert_non_null(evm_test_find_item(s, EVM_LAYER_EVENTS, id));
        json_t *g = json_object_get(f, "geometry");
        assert_string_equal(json_string_value(json_object_get(g, "type")),
                            "Point");
        json_t *c = json_object_get(g, "coordinates");
        assert_true(fabs(json_number_value(json_array_get(c, 0)) -
                         e->lon_deg) <= 5e-10);
        assert_true(fabs(json_number_value(json_array_get(c, 1)) -
                         e->lat_deg) <= 5e-10);
        json_t *p = json_object_get(f, "properties");
        assert_int_equal(json_object_size(p), evm_events_column_count(ev));
        for (size_t k = 0; k < evm_events_column_count(ev); k++)
            assert_string_equal(json_string_value(json_object_get(
                                    p, evm_events_column_name(ev, k))),
                                evm_events_value(ev, i, k));
    }
    assert_null(json_object_get(p2, "from"));
    /* The border line starts at the place and ends on Ukraine's boundary,
     * the nearest point of it. */
    const double *bv = s->features[2].lat_lon;
    assert_true(bv[0] == ti->lat_deg && bv[1] == ti->lon_deg);
    json_decref(root);
    evm_scene_destroy(s);

    /* Off the map: a map of Korea with a line in the Gulf of Guinea has
     * no item for it, but the feature is there. */
    evm_map_distance_t far = {0, 0, 1, 1, NULL, NULL, NULL};
    mo.distances = &far;
    mo.n_distances = 1;
    mo.n_border_distances = 0;
    mo.has_extent = true;
    const double korea[4] = {124, 33, 131, 39};
    memcpy(mo.extent, korea, sizeof korea);
    s = evm_test_layout(fx, ev, &mo, EVM_OK, NULL);
    assert_null(evm_test_find_item(s, EVM_LAYER_DISTANCE_LINES, "distance-0"));
    assert_int_equal(s->n_features, 1);
    root = to_json(s, NULL);
    check_line(feature_at(root, 0), (const double[]){0, 0, 1, 1}, 2, 1);
    json_decref(root);
    evm_scene_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_plain_lines),
        cmocka_unit_test(test_crossings_reference),
        cmocka_unit_test(test_three_vertices),
        cmocka_unit_test(test_vertex_on_antimeridian),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_properties),
        cmocka_unit_test(test_hostile_strings),
        cmocka_unit_test(test_locale),
        cmocka_unit_test(test_bad_vertex),
        cmocka_unit_test(test_write_failure),
        cmocka_unit_test(test_file),
        cmocka_unit_test_setup_teardown(
            test_layout_features, evm_test_map_setup, evm_test_map_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
