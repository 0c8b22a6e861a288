/* Events from GeoJSON, KML and GPX: the points and attributes of hand-made
 * files checked against the numbers written in them, what is not a point
 * reported, detection by content whatever the name, and hostile XML
 * (entity expansion, external entities, an external DTD) refused or left
 * unresolved. */
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

#include <evmap/events.h>

#include "load/events_geo.h"
#include "load/json_load.h"
#include "testutil.h"

#define GEO_DIR EVM_TEST_DATA_DIR "/events_geo"

static evm_events_t *load(const char *file, evm_status want, char *msg,
                          size_t cap)
{
    char *path = evm_test_path(GEO_DIR, file);
    evm_events_t *ev = NULL;
    evm_error_t err;
    evm_error_clear(&err);
    evm_status st = evm_events_load_file(path, NULL, &ev, &err);
    char buf[1200];
    evm_error_format(&err, buf, sizeof buf);
    if (st != want)
        fail_msg("%s: status %d, expected %d: %s", file, st, want, buf);
    if (msg) {
        /* Without the folder, which depends on the checkout. */
        const char *base = strstr(buf, file);
        snprintf(msg, cap, "%s", base ? base : buf);
    }
    free(path);
    return ev;
}

static const char *rejected(const evm_events_t *ev, size_t i)
{
    static char buf[1200];
    evm_error_format(evm_events_rejected(ev, i), buf, sizeof buf);
    const char *slash = strrchr(buf, '/');
    return slash ? slash + 1 : buf;
}

static long col(const evm_events_t *ev, const char *name)
{
    for (size_t c = 0; c < evm_events_column_count(ev); c++)
        if (strcmp(evm_events_column_name(ev, c), name) == 0)
            return (long)c;
    fail_msg("no column %s", name);
    return -1;
}

static void test_geojson(void **state)
{
    (void)state;
    evm_events_t *ev = load("points.geojson", EVM_OK, NULL, 0);
    assert_int_equal(evm_events_count(ev), 3);
    const evm_event_t *e = evm_events_get(ev, 0);
    assert_string_equal(e->name, "Pyongyang");
    assert_string_equal(e->kind, "capital");
    assert_true(e->lat_deg == 39.03 && e->lon_deg == 125.75);
    assert_true(e->date_s == 1694563200.0);
    assert_string_equal(evm_events_value(ev, 0, (size_t)col(ev, "pop")),
                        "2870000");
    /* The MultiPoint: two events with the feature's properties. */
    e = evm_events_get(ev, 1);
    assert_string_equal(e->name, "Korea");
    assert_true(e->lat_deg == 37.57 && e->lon_deg == 126.98);
    e = evm_events_get(ev, 2);
    assert_string_equal(e->name, "Korea");
    assert_string_equal(e->kind, "city");
    assert_true(e->lat_deg == 35.18 && e->lon_deg == 129.08);
    assert_int_equal(evm_events_rejected_count(ev), 1);
    assert_string_equal(rejected(ev, 0),
                        "points.geojson:4:1: feature 3 is a LineString, not a "
                        "point (evmap reads Point and MultiPoint features "
                        "as events; --to-line reads lines)");
    assert_int_equal(evm_events_delimiter(ev), 0);
    evm_events_destroy(ev);

    /* A bare Point, a Feature, an out-of-range latitude, and JSON that
     * is not GeoJSON. */
    static const struct {
        const char *text;
        size_t n_events, n_rejected;
    } cases[] = {
        {"{\"type\":\"Point\",\"coordinates\":[-0.13,51.5]}", 1, 0},
        {" \n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
         "\"coordinates\":[2.35,48.85,35]},\"properties\":null}",
         1, 0},
        {"[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
         "\"coordinates\":[0,91]},\"properties\":{}}]",
         0, 1},
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
         "\"Feature\",\"geometry\":null}]}",
         0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        evm_error_t err;
        assert_int_equal(evm_events_load_memory("m.json", cases[i].text,
                                                strlen(cases[i].text), NULL,
                                                &ev, &err),
                         EVM_OK);
        assert_int_equal(evm_events_count(ev), cases[i].n_events);
        assert_int_equal(evm_events_rejected_count(ev), cases[i].n_rejected);
        evm_events_destroy(ev);
    }
    evm_error_t err;
    const char *bad = "{\"type\":\"FeatureCollection\",\"features\":[}";
    assert_int_equal(
        evm_events_load_memory("b.json", bad, strlen(bad), NULL, &ev, &err),
        EVM_ERR_PARSE);
    assert_int_equal(err.line, 1);
}

static void test_kml(void **state)
{
    (void)state;
    evm_events_t *ev = load("places.kml", EVM_OK, NULL, 0);
    assert_int_equal(evm_events_count(ev), 3);
    const evm_event_t *e = evm_events_get(ev, 0);
    assert_string_equal(e->name, "Yongbyon");
    assert_string_equal(e->kind, "facility"); /* ExtendedData "kind" */
    assert_true(e->lat_deg == 39.796 && e->lon_deg == 125.755);
    assert_true(e->date_s == 1694563200.0); /* TimeStamp/when */
    assert_int_equal(e->line, 14);
    assert_string_equal(evm_events_value(ev, 0, (size_t)col(ev, "description")),
                        "Nuclear <b>site</b>");
    assert_string_equal(evm_events_value(ev, 0, (size_t)col(ev, "source")),
                        "KCNA");
    assert_string_equal(evm_events_get(ev, 1)->name, "Two sites");
    assert_true(evm_events_get(ev, 1)->lon_deg == 126.98);
    assert_string_equal(evm_events_get(ev, 2)->name, "Two sites");
    assert_true(evm_events_get(ev, 2)->lat_deg == 51.5);
    assert_int_equal(evm_events_get(ev, 2)->line, 20);
    assert_int_equal(evm_events_rejected_count(ev), 1);
    assert_string_equal(rejected(ev, 0),
                        "places.kml:25: Placemark with a LineString, not a "
                        "Point: not read as an event");
    evm_events_destroy(ev);

    char msg[1200];
    load("malformed.kml", EVM_ERR_PARSE, msg, sizeof msg);
    assert_string_equal(msg, "malformed.kml:6:1: XML: Premature end of data "
                             "in tag kml line 2");
}

static void test_gpx(void **state)
{
    (void)state;
    evm_events_t *ev = load("waypoints.gpx", EVM_OK, NULL, 0);
    assert_int_equal(evm_events_count(ev), 2);
    const evm_event_t *e = evm_events_get(ev, 0);
    assert_string_equal(e->name, "Opera House");
    assert_string_equal(e->kind, "landmark"); /* <type> */
    assert_true(e->lat_deg == -33.8568 && e->lon_deg == 151.2153);
    assert_true(e->date_s == 1709634600.0); /* <time> */
    assert_int_equal(e->line, 3);
    assert_string_equal(evm_events_value(ev, 0, (size_t)col(ev, "ele")), "4");
    assert_string_equal(evm_events_value(ev, 1, (size_t)col(ev, "desc")),
                        "Paris & co");
    assert_int_equal(evm_events_rejected_count(ev), 1);
    assert_string_equal(rejected(ev, 0),
                        "waypoints.gpx:13: track \"Morning run\" (2 points) "
                        "is a line: evmap reads GPX waypoints as events");
    evm_events_destroy(ev);
}

/* Hostile XML: refused at once, with the line, and nothing resolved. */
static void test_hostile_xml(void **state)
{
    (void)state;
    char msg[1200];
    clock_t t0 = clock();
    load("billion_laughs.kml", EVM_ERR_PARSE, msg, sizeof msg);
    /* libxml2 stops the expansion in the attribute; without it the
     * declarations are refused as below. Either way in well under a
     * second of CPU, not 10^9 "lol"s. */
    assert_true(strncmp(msg, "billion_laughs.kml:", 19) == 0);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5);
    load("external_entity.gpx", EVM_ERR_PARSE, msg, sizeof msg);
    assert_string_equal(msg, "external_entity.gpx:3: the document declares "
                             "XML entities, which evmap does not expand "
                             "(they can hide exponential text or read other "
                             "files)");
    load("param_entity.kml", EVM_ERR_PARSE, msg, sizeof msg);
    assert_string_equal(msg, "param_entity.kml:3: the document declares XML "
                             "entities, which evmap does not expand (they "
                             "can hide exponential text or read other "
                             "files)");
    /* An external DTD is not fetched and an undeclared entity stays
     * unresolved: the name is empty, the point is read. */
    evm_events_t *ev = load("external_dtd.gpx", EVM_OK, NULL, 0);
    assert_int_equal(evm_events_count(ev), 1);
    assert_string_equal(evm_events_get(ev, 0)->name, "");
    evm_events_destroy(ev);

    /* The billion laughs in text only (no attribute): refused by its
     * declarations, never expanded. */
    const char *text_only =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE gpx [\n<!ENTITY a \"aaaaaaaaaa\">\n"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
        "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
        "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
        "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n]>\n"
        "<gpx><wpt lat=\"1\" lon=\"2\"><name>&h;&h;&h;</name></wpt></gpx>\n";
    evm_error_t err;
    assert_int_equal(evm_events_load_memory("t.gpx", text_only,
                                            strlen(text_only), NULL, &ev, &err),
                     EVM_ERR_PARSE);
    /* libxml2 stops it where the entities are used (line 12), or the
     * declarations are refused (line 3). */
    assert_true(err.line == 12 || err.line == 3);
    assert_non_null(strstr(err.message, "entit"));
}

/* By content, not by name; a stream reads the same as a file. */
static void test_sniff_and_stream(void **state)
{
    (void)state;
    assert_int_equal(evm_input_sniff("\xEF\xBB\xBF  {\"type\"", 12),
                     EVM_INPUT_GEOJSON);
    assert_int_equal(evm_input_sniff("[1]", 3), EVM_INPUT_GEOJSON);
    const char *kml = "<?xml version=\"1.0\"?><!-- c --><kml:kml>";
    assert_int_equal(evm_input_sniff(kml, strlen(kml)), EVM_INPUT_KML);
    assert_int_equal(evm_input_sniff("<gpx version", 12), EVM_INPUT_GPX);
    assert_int_equal(evm_input_sniff("<html>", 6), EVM_INPUT_CSV);
    assert_int_equal(evm_input_sniff("name,lat", 8), EVM_INPUT_CSV);

    char *path = evm_test_path(GEO_DIR, "waypoints.gpx");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    evm_events_t *ev;
    evm_error_t err;
    assert_int_equal(evm_events_load_stream(f, NULL, NULL, &ev, &err), EVM_OK);
    fclose(f);
    free(path);
    assert_int_equal(evm_events_count(ev), 2);
    assert_string_equal(evm_events_source(ev), "<stdin>");
    evm_events_destroy(ev);
}

/* The walk that keeps features' positions parses as jansson does: on
 * every prefix of a document and on every one-byte change of it, both
 * accept or both refuse, with equal values; and each feature's position
 * is where its '{' is. */
static void test_json_positions(void **state)
{
    (void)state;
    const char *doc = "{\"type\" : \"FeatureCollection\", \"n\": -12.5e3,\n"
                      "\"features\": [ {\"a\":[1,{\"b\":null}]},\n"
                      "   {\"\xc5\xbd\":true} ,{\"c\":\"]}\"},\t{}\n"
                      "], \"x\": [1, 2]}";
    size_t len = strlen(doc);
    const char repl[] = "{}[],:\" \\0e-\n";
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    for (size_t cut = 0; cut <= len; cut++) {
        for (size_t k = 0; k <= sizeof repl - 1; k++) {
            memcpy(buf, doc, len + 1);
            size_t n = cut;
            if (k < sizeof repl - 1) { /* the whole text, one byte changed */
                n = len;
                buf[cut < len ? cut : 0] = repl[k];
            } else if (cut == len) {
                continue;
            }
            json_error_t je;
            json_t *a = json_loadb(buf, n, 0, &je);
            evm_json_doc_t d;
            evm_error_t err;
            evm_status st = evm_json_load_features("t", buf, n, &d, &err);
            if ((a != NULL) != (st == EVM_OK))
                fail_msg("at %zu/%zu: jansson %s, walk %s", cut, k,
                         a ? "accepts" : je.text, st ? err.message : "accepts");
            if (a) {
                assert_true(json_equal(a, d.root));
                json_decref(a);
                evm_json_doc_free(&d);
            }
        }
    }
    free(buf);
    evm_json_doc_t d;
    evm_error_t err;
    assert_int_equal(evm_json_load_features("t", doc, len, &d, &err), EVM_OK);
    assert_int_equal(d.n_pos, 4);
    /* Lines and columns (characters: the \xc5\xbd is one) of each '{'. */
    const unsigned long want[4][2] = {{2, 15}, {3, 4}, {3, 16}, {3, 28}};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(d.pos[i].line, want[i][0]);
        assert_int_equal(d.pos[i].column, want[i][1]);
    }
    evm_json_doc_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geojson),
        cmocka_unit_test(test_json_positions),
        cmocka_unit_test(test_kml),
        cmocka_unit_test(test_gpx),
        cmocka_unit_test(test_hostile_xml),
        cmocka_unit_test(test_sniff_and_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
