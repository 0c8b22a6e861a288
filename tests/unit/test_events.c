/* The events loader: column detection by every alias and by override,
 * delimiters, kept extra columns, rejected rows with their exact
 * "file:line:column: message", filters, find, fatal errors, and the same
 * result at every chunk size. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/events.h>

#include "load/events_internal.h"
#include "testutil.h"

#define EVENTS_DIR EVM_TEST_DATA_DIR "/csv/events"

static evm_events_t *load_ok(const char *file, const evm_csv_options_t *o)
{
    char *path = evm_test_path(EVENTS_DIR, file);
    evm_events_t *ev = NULL;
    evm_error_t err;
    evm_status st = evm_events_load_file(path, o, &ev, &err);
    if (st != EVM_OK) {
        char buf[1200];
        evm_error_format(&err, buf, sizeof buf);
        fail_msg("%s: %s", file, buf);
    }
    free(path);
    return ev;
}

/* Loads text; returns the status and the formatted error in msg. */
static evm_status load_text(const char *text, const evm_csv_options_t *o,
                            evm_events_t **ev, char *msg, size_t cap)
{
    evm_error_t err;
    evm_error_clear(&err);
    *ev = NULL;
    evm_status st =
        evm_events_load_memory("f.csv", text, strlen(text), o, ev, &err);
    if (msg)
        evm_error_format(&err, msg, cap);
    if (st != EVM_OK)
        assert_null(*ev);
    return st;
}

static void expect_fail(const char *text, const evm_csv_options_t *o,
                        evm_status want, const char *want_msg)
{
    evm_events_t *ev;
    char msg[1200];
    evm_status st = load_text(text, o, &ev, msg, sizeof msg);
    if (st != want || strcmp(msg, want_msg) != 0)
        fail_msg("status %d \"%s\", expected %d \"%s\"", st, msg, want,
                 want_msg);
}

static const char *rejected_text(const evm_events_t *ev, size_t i)
{
    static char buf[1200];
    const evm_error_t *e = evm_events_rejected(ev, i);
    assert_non_null(e);
    assert_int_equal(e->status, EVM_ERR_PARSE);
    evm_error_format(e, buf, sizeof buf);
    return buf;
}

/* ---- a whole file ------------------------------------------------------ */

static void test_basic_file(void **state)
{
    (void)state;
    evm_events_t *ev = load_ok("basic.csv", NULL);
    assert_int_equal(evm_events_rows_read(ev), 8);
    assert_int_equal(evm_events_count(ev), 5);
    assert_int_equal(evm_events_filtered_count(ev), 0);
    assert_int_equal(evm_events_delimiter(ev), ',');
    assert_string_equal(evm_events_source(ev), EVENTS_DIR "/basic.csv");

    assert_int_equal(evm_events_column_count(ev), 6);
    assert_string_equal(evm_events_column_name(ev, 5), "notes");
    assert_null(evm_events_column_name(ev, 6));
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_NAME), 0);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LAT), 1);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LON), 2);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_KIND), 3);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_DATE), 4);

    const evm_event_t *e = evm_events_get(ev, 0);
    assert_string_equal(e->name, "Pyongyang");
    assert_true(e->lat_deg == 39.0392 && e->lon_deg == 125.7625);
    assert_string_equal(e->kind, "capital");
    assert_string_equal(e->date, "2023-09-13");
    assert_true(e->date_s == 1694563200.0);
    assert_int_equal(e->line, 2);
    assert_string_equal(evm_events_value(ev, 0, 5), "first, with comma");

    e = evm_events_get(ev, 2); /* Osaka: no date */
    assert_string_equal(e->name, "Osaka");
    assert_string_equal(e->date, "");
    assert_true(isnan(e->date_s));
    assert_string_equal(evm_events_value(ev, 2, 5), "no date");

    e = evm_events_get(ev, 3); /* Kyoto, quoted, with a two-line note */
    assert_string_equal(e->name, "Kyoto");
    assert_int_equal(e->line, 8);
    assert_string_equal(evm_events_value(ev, 3, 5), "multi\nline");
    e = evm_events_get(ev, 4);
    assert_string_equal(e->name, "Sapporo");
    assert_int_equal(e->line, 10);
    assert_true(e->date_s == 1696085999.0); /* 2023-09-30T14:59:59Z */
    assert_null(evm_events_get(ev, 5));
    assert_string_equal(evm_events_value(ev, 5, 0), "");
    assert_string_equal(evm_events_value(ev, 0, 6), "");

    assert_int_equal(evm_events_rejected_count(ev), 3);
    assert_string_equal(rejected_text(ev, 0),
                        EVENTS_DIR "/basic.csv:5:9: latitude \"91.2\" is "
                                   "outside [-90, 90]");
    assert_string_equal(rejected_text(ev, 1),
                        EVENTS_DIR "/basic.csv:6:14: longitude is empty");
    assert_string_equal(rejected_text(ev, 2),
                        EVENTS_DIR "/basic.csv:7:21: date \"2023-13-01\" is "
                                   "not an ISO 8601 date");
    assert_null(evm_events_rejected(ev, 3));
    evm_events_destroy(ev);
    evm_events_destroy(NULL);
}

/* A row's cells in one walk: the same pointers' text as one lookup per
 * cell, "" for a row past the end. */
static void test_row_cells(void **state)
{
    (void)state;
    evm_events_t *ev = load_ok("basic.csv", NULL);
    const char *cells[6];
    evm_events_row(ev, 3, cells);
    assert_string_equal(cells[0], "Kyoto");
    assert_string_equal(cells[5], "multi\nline");
    for (size_t i = 0; i <= evm_events_count(ev); i++) {
        evm_events_row(ev, i, cells);
        for (size_t c = 0; c < 6; c++)
            assert_string_equal(cells[c], evm_events_value(ev, i, c));
    }
    assert_string_equal(cells[0], "");
    evm_events_destroy(ev);
}

/* Semicolons, a BOM, CRLF, header aliases in mixed case, DMS cells, and
 * decimal commas, read as such in a ';' file (and refused with a reason
 * when turned off). */
static void test_semicolon_file(void **state)
{
    (void)state;
    evm_events_t *ev = load_ok("semicolon.csv", NULL);
    assert_int_equal(evm_events_delimiter(ev), ';');
    assert_int_equal(evm_events_count(ev), 3);
    assert_string_equal(evm_events_column_name(ev, 0), "Title");
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_DATE), 4);
    const evm_event_t *e = evm_events_get(ev, 0);
    assert_string_equal(e->name, "Berlin; Mitte");
    assert_string_equal(e->kind, "city");
    assert_true(e->date_s == 1672531200.0);
    e = evm_events_get(ev, 1);
    assert_string_equal(e->name, "M\xC3\xBCnchen");
    assert_true(fabs(e->lat_deg - (48 + 8 / 60.0)) < 1e-12);
    assert_true(fabs(e->lon_deg - (11 + 34 / 60.0)) < 1e-12);
    assert_string_equal(evm_events_value(ev, 1, 5), "b");
    e = evm_events_get(ev, 2);
    assert_true(e->lat_deg == 50.94 && e->lon_deg == 6.96);
    assert_string_equal(evm_events_value(ev, 2, 1), "50,94");
    assert_int_equal(evm_events_rejected_count(ev), 0);
    evm_events_destroy(ev);

    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.decimal_comma = -1;
    ev = load_ok("semicolon.csv", &o);
    assert_int_equal(evm_events_count(ev), 2);
    assert_int_equal(evm_events_rejected_count(ev), 1);
    assert_string_equal(rejected_text(ev, 0),
                        EVENTS_DIR "/semicolon.csv:4:6: latitude \"50,94\" "
                                   "uses a decimal comma; write a point, or "
                                   "read the file with --decimal-comma");
    evm_events_destroy(ev);
}

/* In a comma-separated file a decimal comma needs quotes and the option;
 * only -?d+,d+ cells change. */
static void test_decimal_comma_option(void **state)
{
    (void)state;
    const char *text = "name,lat,lon\nA,\"-33,87\",\"151,21\"\nB,1.5,2\n"
                       "C,\"1,5,2\",3\n";
    evm_events_t *ev;
    char msg[1200];
    assert_int_equal(load_text(text, NULL, &ev, msg, sizeof msg), EVM_OK);
    assert_int_equal(evm_events_count(ev), 1);
    assert_int_equal(evm_events_rejected_count(ev), 2);
    assert_string_equal(rejected_text(ev, 0),
                        "f.csv:2:3: latitude \"-33,87\" uses a decimal comma; "
                        "write a point, or read the file with "
                        "--decimal-comma");
    evm_events_destroy(ev);
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.decimal_comma = 1;
    assert_int_equal(load_text(text, &o, &ev, msg, sizeof msg), EVM_OK);
    assert_int_equal(evm_events_count(ev), 2);
    assert_true(evm_events_get(ev, 0)->lat_deg == -33.87);
    assert_true(evm_events_get(ev, 0)->lon_deg == 151.21);
    assert_true(evm_events_get(ev, 1)->lat_deg == 1.5);
    assert_int_equal(evm_events_rejected_count(ev), 1); /* "1,5,2" */
    evm_events_destroy(ev);
}

/* Dates: ISO basic and week forms by default, epoch seconds and patterns
 * when named, day/month forms refused with the option that reads them,
 * and a date column that can be ignored. Seconds from `date -u -d`. */
static void test_date_forms(void **state)
{
    (void)state;
    evm_events_t *ev;
    char msg[1200];
    const char *iso = "name,lat,lon,date\nA,1,2,20240305\nB,1,2,2024-W10\n"
                      "C,1,2,05/03/2024\nD,1,2,25/03/2024\nE,1,2,3.5.24\n"
                      "F,1,2,March 5\nG,1,2,2024-13\n";
    assert_int_equal(load_text(iso, NULL, &ev, msg, sizeof msg), EVM_OK);
    assert_int_equal(evm_events_count(ev), 2);
    assert_true(evm_events_get(ev, 0)->date_s == 1709596800.0);
    assert_true(evm_events_get(ev, 1)->date_s == 1709510400.0);
    assert_int_equal(evm_events_rejected_count(ev), 5);
    assert_string_equal(rejected_text(ev, 0),
                        "f.csv:4:7: date \"05/03/2024\" is ambiguous: "
                        "day/month or month/day? Give --date-format "
                        "%d/%m/%Y or %m/%d/%Y");
    assert_string_equal(rejected_text(ev, 1),
                        "f.csv:5:7: date \"25/03/2024\" is not ISO 8601; "
                        "give --date-format %d/%m/%Y");
    assert_string_equal(rejected_text(ev, 2),
                        "f.csv:6:7: date \"3.5.24\" is ambiguous: day.month "
                        "or month.day? Give --date-format %d.%m.%y or "
                        "%m.%d.%y");
    assert_string_equal(rejected_text(ev, 3),
                        "f.csv:7:7: date \"March 5\" is not an ISO 8601 "
                        "date; --date-format describes another form, "
                        "--date-col none ignores the column");
    assert_string_equal(rejected_text(ev, 4),
                        "f.csv:8:7: date \"2024-13\" is not an ISO 8601 date");
    evm_events_destroy(ev);

    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.date_format = "%d/%m/%Y";
    assert_int_equal(load_text("lat,lon,date\n1,2,05/03/2024\n1,2,25/3/2024\n"
                               "1,2,2024-03-05\n",
                               &o, &ev, msg, sizeof msg),
                     EVM_OK);
    assert_int_equal(evm_events_count(ev), 2);
    assert_true(evm_events_get(ev, 0)->date_s == 1709596800.0);
    assert_true(evm_events_get(ev, 1)->date_s == 1711324800.0);
    assert_string_equal(rejected_text(ev, 0),
                        "f.csv:4:5: date \"2024-03-05\" does not match "
                        "--date-format \"%d/%m/%Y\"");
    evm_events_destroy(ev);

    o.date_format = "epoch";
    assert_int_equal(load_text("lat,lon,date\n1,2,1709634615\n1,2,-1.5\n"
                               "1,2,2024-03-05\n",
                               &o, &ev, msg, sizeof msg),
                     EVM_OK);
    assert_int_equal(evm_events_count(ev), 2);
    assert_true(evm_events_get(ev, 0)->date_s == 1709634615.0);
    assert_true(evm_events_get(ev, 1)->date_s == -1.5);
    assert_string_equal(rejected_text(ev, 0),
                        "f.csv:4:5: date \"2024-03-05\" is not a number of "
                        "seconds since 1970 (--date-format epoch)");
    evm_events_destroy(ev);

    o.date_format = "%d/%q";
    expect_fail("lat,lon\n", &o, EVM_ERR_INVALID_ARG,
                "date format \"%d/%q\" is not iso, epoch or a pattern with "
                "a year such as %d/%m/%Y");

    /* --date-col none: the column stays an attribute, no date is read. */
    evm_csv_options_init(&o);
    o.role_col[EVM_ROLE_DATE] = "none";
    assert_int_equal(
        load_text("lat,lon,Date\n1,2,05/03/2024\n", &o, &ev, msg, sizeof msg),
        EVM_OK);
    assert_int_equal(evm_events_count(ev), 1);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_DATE), -1);
    assert_true(isnan(evm_events_get(ev, 0)->date_s));
    assert_string_equal(evm_events_value(ev, 0, 2), "05/03/2024");
    evm_events_destroy(ev);
}

/* The added aliases, matched ignoring case, blanks and '_'. */
static void test_more_aliases(void **state)
{
    (void)state;
    static const char *const heads[][2] = {
        {"lat_dd", "lon_dd"},
        {"latitude_deg", "longitude_deg"},
        {"Lat Deg", "LNG_DEG"},
        {"LatDD", "lon deg"},
    };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        char text[200];
        snprintf(text, sizeof text,
                 "Event Name,%s,%s,EVENT-TYPE\nA,-33.87,151.21,k\n",
                 heads[i][0], heads[i][1]);
        evm_events_t *ev;
        char msg[1200];
        if (load_text(text, NULL, &ev, msg, sizeof msg) != EVM_OK)
            fail_msg("%s: %s", text, msg);
        assert_int_equal(evm_events_role_column(ev, EVM_ROLE_NAME), 0);
        assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LAT), 1);
        assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LON), 2);
        assert_int_equal(evm_events_role_column(ev, EVM_ROLE_KIND), 3);
        assert_string_equal(evm_events_get(ev, 0)->name, "A");
        assert_string_equal(evm_events_get(ev, 0)->kind, "k");
        assert_true(evm_events_get(ev, 0)->lat_deg == -33.87);
        evm_events_destroy(ev);
    }
}

/* One column holding the point: "lat, lon", WKT (longitude first, EWKT
 * and Z too) and GeoJSON, each checked against the numbers written. */
static void test_point_column(void **state)
{
    (void)state;
    const char *text =
        "name,coordinates\n"
        "A,\"39.03, 125.75\"\n"
        "B,\"(-33.87,151.21)\"\n"
        "C,POINT(125.75 39.03)\n"
        "D,SRID=4326;POINT Z (2.35 48.85 35)\n"
        "E,\"{\"\"type\"\": \"\"Point\"\", \"\"coordinates\"\": [-0.13, "
        "51.5]}\"\n"
        "F,\"39\xC2\xB0"
        "01'N, 125\xC2\xB0"
        "45'E\"\n"
        "G,\"91, 0\"\n"
        "H,\"POINT(1 2, 3 4)\"\n"
        "I,\"{\"\"type\"\": \"\"LineString\"\"}\"\n"
        "J,\n";
    evm_events_t *ev;
    char msg[1200];
    assert_int_equal(load_text(text, NULL, &ev, msg, sizeof msg), EVM_OK);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LAT), 1);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LON), 1);
    static const double want[][2] = {{39.03, 125.75}, {-33.87, 151.21},
                                     {39.03, 125.75}, {48.85, 2.35},
                                     {51.5, -0.13},   {39 + 1 / 60.0, 125.75}};
    assert_int_equal(evm_events_count(ev), 6);
    for (size_t i = 0; i < 6; i++) {
        const evm_event_t *e = evm_events_get(ev, i);
        assert_true(fabs(e->lat_deg - want[i][0]) < 1e-12);
        assert_true(fabs(e->lon_deg - want[i][1]) < 1e-12);
    }
    assert_int_equal(evm_events_rejected_count(ev), 4);
    assert_string_equal(rejected_text(ev, 0),
                        "f.csv:8:3: point \"91, 0\" has a latitude \"91\" "
                        "that is outside [-90, 90]");
    assert_string_equal(rejected_text(ev, 1),
                        "f.csv:9:3: point \"POINT(1 2, 3 4)\" holds more "
                        "than one point; evmap reads one POINT per cell");
    assert_string_equal(rejected_text(ev, 2),
                        "f.csv:10:3: point \"{\"type\": \"LineString\"}\" is "
                        "not a GeoJSON Point (type LineString)");
    assert_string_equal(rejected_text(ev, 3), "f.csv:11:3: point is empty");
    evm_events_destroy(ev);

    /* "location" is the point when there are no lat/lon columns, and
     * otherwise still a name. */
    assert_int_equal(
        load_text("location,wkt\nA,POINT(1 2)\n", NULL, &ev, msg, sizeof msg),
        EVM_OK);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LAT), 0);
    evm_events_destroy(ev);
    assert_int_equal(
        load_text("title,location\nA,\"1, 2\"\n", NULL, &ev, msg, sizeof msg),
        EVM_OK);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LAT), 1);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_NAME), 0);
    assert_true(evm_events_get(ev, 0)->lat_deg == 1);
    evm_events_destroy(ev);
    assert_int_equal(
        load_text("location,lat,lon\nA,1,2\n", NULL, &ev, msg, sizeof msg),
        EVM_OK);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_NAME), 0);
    evm_events_destroy(ev);
}

static void test_tab_file(void **state)
{
    (void)state;
    evm_events_t *ev = load_ok("tab.tsv", NULL);
    assert_int_equal(evm_events_delimiter(ev), '\t');
    assert_int_equal(evm_events_count(ev), 2);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LAT), 1);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LON), 2);
    const evm_event_t *e = evm_events_get(ev, 0);
    assert_string_equal(e->name, "A");
    assert_true(e->lat_deg == 1.5 && e->lon_deg == -2.5);
    assert_string_equal(e->kind, "t1");
    assert_true(e->date_s == 1672531200.0);
    assert_true(isnan(evm_events_get(ev, 1)->date_s));
    evm_events_destroy(ev);
}

/* A GeoNames-style extract with a stray quote loads as written; strict
 * RFC 4180 refuses it where the quote is. */
static void test_geonames_tsv(void **state)
{
    (void)state;
    evm_events_t *ev = load_ok("geonames.tsv", NULL);
    assert_int_equal(evm_events_delimiter(ev), '\t');
    assert_int_equal(evm_events_count(ev), 2);
    assert_int_equal(evm_events_rejected_count(ev), 0);
    assert_string_equal(evm_events_get(ev, 0)->name, "Veliko T\"rnovo");
    assert_true(evm_events_get(ev, 0)->lat_deg == 43.08124);
    assert_true(evm_events_get(ev, 1)->lon_deg == 23.32415);
    evm_events_destroy(ev);

    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.strict = true;
    char *path = evm_test_path(EVENTS_DIR, "geonames.tsv");
    evm_error_t err;
    assert_int_equal(evm_events_load_file(path, &o, &ev, &err), EVM_ERR_PARSE);
    char msg[1200];
    evm_error_format(&err, msg, sizeof msg);
    char want[1200];
    snprintf(want, sizeof want,
             "%s:2:16: '\"' inside an unquoted field; quote the field and "
             "double the '\"'",
             path);
    assert_string_equal(msg, want);
    free(path);
}

/* A row with a Latin-1 byte is rejected, naming the column. */
static void test_invalid_utf8(void **state)
{
    (void)state;
    evm_events_t *ev = load_ok("latin1.csv", NULL);
    assert_int_equal(evm_events_count(ev), 1);
    assert_int_equal(evm_events_rejected_count(ev), 1);
    assert_string_equal(rejected_text(ev, 0),
                        EVENTS_DIR "/latin1.csv:2:1: column \"name\" is not "
                                   "valid UTF-8 (byte 0xE9); save the file "
                                   "as UTF-8 or name its encoding "
                                   "(--encoding CP1252)");
    evm_events_destroy(ev);
}

/* Encodings: CP1252 named (0x80 is the euro sign there, not in Latin-1),
 * UTF-16 in both byte orders found by its byte order mark, at every
 * chunking; an unknown name and a bad sequence are refused. */
static void test_encodings(void **state)
{
    (void)state;
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.encoding = "CP1252";
    evm_events_t *ev = load_ok("cp1252.csv", &o);
    assert_int_equal(evm_events_count(ev), 1);
    assert_string_equal(evm_events_get(ev, 0)->name,
                        "Caf\xC3\xA9 \xE2\x82\xAC \xE2\x80\x9Cquoted"
                        "\xE2\x80\x9D");
    evm_events_destroy(ev);
    o.encoding = "utf-8";
    ev = load_ok("cp1252.csv", &o);
    assert_int_equal(evm_events_rejected_count(ev), 1);
    evm_events_destroy(ev);

    static const char *const utf16[] = {"utf16le.csv", "utf16be.csv"};
    for (size_t f = 0; f < 2; f++) {
        size_t len;
        char *path = evm_test_path(EVENTS_DIR, utf16[f]);
        char *data = evm_test_read_file(path, &len);
        free(path);
        assert_non_null(data);
        for (size_t chunk = 1; chunk <= len; chunk += chunk < 8 ? 1 : 13) {
            evm_error_t err;
            ev = NULL;
            assert_int_equal(evm_events_load_chunked(utf16[f], data, len, chunk,
                                                     NULL, &ev, &err),
                             EVM_OK);
            assert_int_equal(evm_events_count(ev), 2);
            assert_string_equal(evm_events_get(ev, 0)->name,
                                "K\xC3\xB6ln \xE2\x82\xAC "
                                "\xF0\x9F\x97\xBA");
            assert_true(evm_events_get(ev, 0)->lat_deg == 50.94);
            assert_string_equal(evm_events_get(ev, 1)->name,
                                "\xE6\x9D\xB1\xE4\xBA\xAC");
            assert_int_equal(evm_events_get(ev, 1)->line, 3);
            evm_events_destroy(ev);
        }
        free(data);
    }

    o.encoding = "NO-SUCH-CHARSET";
    expect_fail("lat,lon\n", &o, EVM_ERR_INVALID_ARG,
                "f.csv: unknown encoding \"NO-SUCH-CHARSET\" (`iconv -l` "
                "lists the names)");
    /* An unpaired high surrogate, then a newline: U+D800 U+000A. */
    static const char bad16[] = "\xFF\xFEl\0a\0t\0,\0l\0o\0n\0\n\0"
                                "1\0,\0\x00\xD8\n\0";
    evm_error_t err;
    assert_int_equal(evm_events_load_memory("b.csv", bad16, sizeof bad16 - 1,
                                            NULL, &ev, &err),
                     EVM_ERR_PARSE);
    char msg[1200];
    evm_error_format(&err, msg, sizeof msg);
    assert_string_equal(msg, "b.csv:2: byte 0x00 is not UTF-16 text; name "
                             "the file's encoding with --encoding");
}

/* ---- column detection ---------------------------------------------------- */

static void test_every_alias(void **state)
{
    (void)state;
    static const char *const aliases[EVM_ROLE_COUNT][6] = {
        {"name", "title", "label", "place", "location", NULL},
        {"lat", "latitude", "y", NULL},
        {"lon", "lng", "long", "longitude", "x", NULL},
        {"kind", "type", "category", "event_type", NULL},
        {"date", "event_date", "time", "timestamp", NULL},
    };
    for (int r = 0; r < EVM_ROLE_COUNT; r++) {
        for (size_t a = 0; aliases[r][a]; a++) {
            /* The alias under test, upper-cased and padded, placed last
             * behind a column no alias matches; the other roles by their
             * first alias. */
            char upper[32], text[256];
            size_t k = 0;
            for (const char *p = aliases[r][a]; *p; p++)
                upper[k++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
            upper[k] = '\0';
            snprintf(text, sizeof text, "other");
            for (int q = 0; q < EVM_ROLE_COUNT; q++)
                if (q != r)
                    snprintf(text + strlen(text), sizeof text - strlen(text),
                             ",%s", aliases[q][0]);
            snprintf(text + strlen(text), sizeof text - strlen(text),
                     ", %s \nzz,1,2,3,4,2023-01-01\n", upper);
            evm_events_t *ev;
            char msg[1200];
            if (load_text(text, NULL, &ev, msg, sizeof msg) != EVM_OK)
                fail_msg("%s: %s", text, msg);
            assert_int_equal(evm_events_role_column(ev, (evm_role)r), 5);
            assert_string_equal(evm_events_column_name(ev, 5), upper);
            evm_events_destroy(ev);
        }
    }
}

/* lat wins over y and lon over x, whatever the column order. */
static void test_alias_preference(void **state)
{
    (void)state;
    evm_events_t *ev;
    assert_int_equal(
        load_text("x,y,place,lat,lon,name\n1,2,p,3,4,n\n", NULL, &ev, NULL, 0),
        EVM_OK);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LAT), 3);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LON), 4);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_NAME), 5);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_KIND), -1);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_DATE), -1);
    const evm_event_t *e = evm_events_get(ev, 0);
    assert_true(e->lat_deg == 3 && e->lon_deg == 4);
    assert_string_equal(e->name, "n");
    assert_string_equal(e->kind, "");
    assert_string_equal(e->date, "");
    assert_true(isnan(e->date_s));
    evm_events_destroy(ev);
}

static void test_overrides(void **state)
{
    (void)state;
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.role_col[EVM_ROLE_LAT] = "North";
    o.role_col[EVM_ROLE_LON] = " EAST ";
    o.role_col[EVM_ROLE_NAME] = "city";
    evm_events_t *ev;
    assert_int_equal(
        load_text("city,north,east,lat,lon\nA,1,2,3,4\n", &o, &ev, NULL, 0),
        EVM_OK);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LAT), 1);
    assert_int_equal(evm_events_role_column(ev, EVM_ROLE_LON), 2);
    const evm_event_t *e = evm_events_get(ev, 0);
    assert_true(e->lat_deg == 1 && e->lon_deg == 2);
    assert_string_equal(e->name, "A");
    evm_events_destroy(ev);

    o.role_col[EVM_ROLE_DATE] = "when";
    expect_fail("city,north,east\nA,1,2\n", &o, EVM_ERR_NOT_FOUND,
                "f.csv:1: column \"when\" (given for the date) is not in the "
                "header; columns: city, north, east");
}

static void test_missing_columns(void **state)
{
    (void)state;
    expect_fail("name,lon,notes\nA,1,x\n", NULL, EVM_ERR_PARSE,
                "f.csv:1: no latitude column (looked for lat, latitude, "
                "lat_dd, lat_deg, latitude_deg, y, or one point column such "
                "as coordinates, location or wkt); header: name, lon, notes");
    expect_fail("\n\nname,lat\nA,1\n", NULL, EVM_ERR_PARSE,
                "f.csv:3: no longitude column (looked for lon, lng, long, "
                "longitude, lon_dd, lon_deg, lng_deg, longitude_deg, x, or "
                "one point column such as coordinates, location or wkt); "
                "header: name, lat");
    expect_fail("", NULL, EVM_ERR_PARSE,
                "f.csv: file is empty, expected a header row");
    expect_fail("\xEF\xBB\xBF\r\n\n", NULL, EVM_ERR_PARSE,
                "f.csv: file is empty, expected a header row");
    /* Header only: no events, no error. */
    evm_events_t *ev;
    assert_int_equal(load_text("lat,lon", NULL, &ev, NULL, 0), EVM_OK);
    assert_int_equal(evm_events_count(ev), 0);
    assert_int_equal(evm_events_rows_read(ev), 0);
    assert_int_equal(evm_events_column_count(ev), 2);
    evm_events_destroy(ev);
}

/* Malformed CSV is fatal, with the position. */
static void test_fatal_csv_errors(void **state)
{
    (void)state;
    expect_fail("lat,lon,name\n1,2,a\n3,4\n", NULL, EVM_ERR_PARSE,
                "f.csv:3:1: record has 2 fields but the header has 3");
    expect_fail("lat,lon\n1,2,3\n", NULL, EVM_ERR_PARSE,
                "f.csv:2:5: record has 3 fields but the header has 2");
    expect_fail("lat,lon\n1,\"2\n", NULL, EVM_ERR_PARSE,
                "f.csv:2:3: quoted field is not closed at the end of the "
                "input");
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.max_field_bytes = 8;
    expect_fail("lat,lon,note\n1,2,123456789\n", &o, EVM_ERR_PARSE,
                "f.csv:2:5: field is longer than 8 bytes, the limit (raise it "
                "with --max-field-kb)");
    o.max_field_bytes = 0;
    o.delimiter = ':';
    expect_fail("lat,lon\n", &o, EVM_ERR_INVALID_ARG,
                "f.csv: the delimiter must be ',', ';', '|' or a tab");
}

/* Each kind of rejected cell, with its exact message. */
static void test_rejections(void **state)
{
    (void)state;
    const char *text = "name,lat,lon,date\n"
                       "a,,1,\n"            /* 2: empty latitude */
                       "b, 1 ,  ,\n"        /* 3: blank longitude */
                       "c,abc,1,\n"         /* 4 */
                       "d,1,200,\n"         /* 5 */
                       "e,1E,1,\n"          /* 6: a letter for the wrong axis */
                       "f,1,1,2023-02-29\n" /* 7 */
                       "g,\"1\n2\",1,\n"    /* 8: a line break in the cell */
                       "h,1,1,\n"           /* 10: fine */
                       "i,1,1, 2023-01-01 \n"; /* 11: fine, blanks ignored */
    evm_events_t *ev;
    assert_int_equal(load_text(text, NULL, &ev, NULL, 0), EVM_OK);
    assert_int_equal(evm_events_rows_read(ev), 9);
    assert_int_equal(evm_events_count(ev), 2);
    static const char *const want[] = {
        "f.csv:2:3: latitude is empty",
        "f.csv:3:7: longitude is empty",
        "f.csv:4:3: latitude \"abc\" is not a number",
        "f.csv:5:5: longitude \"200\" is outside [-180, 180]",
        ("f.csv:6:3: latitude \"1E\" has hemisphere letter E, which is "
         "for longitudes"),
        "f.csv:7:7: date \"2023-02-29\" is not an ISO 8601 date",
        "f.csv:8:3: latitude \"1\\n2\" has unexpected text \"\\n2\"",
    };
    assert_int_equal(evm_events_rejected_count(ev), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(rejected_text(ev, i), want[i]);
    evm_events_destroy(ev);
}

/* Blanks around cells, as in "a, b, c" files, do not stick to names,
 * kinds or filters; the raw cell keeps them. */
static void test_blanks_around_cells(void **state)
{
    (void)state;
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    const char *w[] = {"kind=capital"};
    o.where = w;
    o.n_where = 1;
    evm_events_t *ev;
    assert_int_equal(load_text("name, lat, lon, kind\n"
                               "Tokyo, 35.6, 139.6, capital \n"
                               " Kyoto , 35.0, 135.7, city\n"
                               "\"  \", 1, 1,\tcapital\n",
                               &o, &ev, NULL, 0),
                     EVM_OK);
    assert_int_equal(evm_events_count(ev), 2);
    assert_int_equal(evm_events_filtered_count(ev), 1);
    assert_string_equal(evm_events_get(ev, 0)->name, "Tokyo");
    assert_string_equal(evm_events_get(ev, 0)->kind, "capital");
    assert_string_equal(evm_events_value(ev, 0, 3), " capital ");
    assert_string_equal(evm_events_get(ev, 1)->name, "");
    assert_string_equal(evm_events_value(ev, 1, 0), "  ");
    size_t index;
    assert_int_equal(evm_events_find(ev, "tokyo", &index, NULL), EVM_OK);
    assert_int_equal(index, 0);
    evm_events_destroy(ev);
}

/* A long cell is cut in the message, on a character boundary. */
static void test_long_cell_in_message(void **state)
{
    (void)state;
    char text[512] = "lat,lon\n";
    for (int i = 0; i < 30; i++)
        strcat(text, "\xC3\xA9"); /* 60 bytes of é */
    strcat(text, ",1\n");
    evm_events_t *ev;
    assert_int_equal(load_text(text, NULL, &ev, NULL, 0), EVM_OK);
    char want[256] = "f.csv:2:1: latitude \"";
    for (int i = 0; i < 20; i++)
        strcat(want, "\xC3\xA9");
    strcat(want, "\xE2\x80\xA6\" is not a number");
    assert_string_equal(rejected_text(ev, 0), want);
    evm_events_destroy(ev);
}

/* ---- filters ------------------------------------------------------------ */

static void test_where(void **state)
{
    (void)state;
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    const char *w1[] = {" KIND =capital"};
    o.where = w1;
    o.n_where = 1;
    evm_events_t *ev = load_ok("basic.csv", &o);
    assert_int_equal(evm_events_count(ev), 2);
    assert_int_equal(evm_events_filtered_count(ev), 3);
    assert_int_equal(evm_events_rejected_count(ev), 3);
    assert_string_equal(evm_events_get(ev, 1)->name, "Tokyo");
    evm_events_destroy(ev);

    /* All filters must hold; the value is matched exactly. */
    const char *w2[] = {"kind=city", "notes=x"};
    o.where = w2;
    o.n_where = 2;
    ev = load_ok("basic.csv", &o);
    assert_int_equal(evm_events_count(ev), 1);
    assert_string_equal(evm_events_get(ev, 0)->name, "Sapporo");
    evm_events_destroy(ev);
    const char *w3[] = {"kind=City"};
    o.where = w3;
    o.n_where = 1;
    ev = load_ok("basic.csv", &o);
    assert_int_equal(evm_events_count(ev), 0);
    assert_int_equal(evm_events_filtered_count(ev), 5);
    evm_events_destroy(ev);
    /* An empty value matches empty cells. */
    const char *w4[] = {"notes="};
    o.where = w4;
    ev = load_ok("basic.csv", &o);
    assert_int_equal(evm_events_count(ev), 1);
    assert_string_equal(evm_events_get(ev, 0)->name, "Tokyo");
    evm_events_destroy(ev);

    const char *bad1[] = {"kind"};
    o.where = bad1;
    expect_fail("lat,lon\n", &o, EVM_ERR_INVALID_ARG,
                "filter \"kind\" is not COLUMN=VALUE");
    const char *bad2[] = {" =x"};
    o.where = bad2;
    expect_fail("lat,lon\n", &o, EVM_ERR_INVALID_ARG,
                "filter \" =x\" is not COLUMN=VALUE");
    const char *bad3[] = {"colour=red"};
    o.where = bad3;
    expect_fail("lat,lon,kind\n1,2,a\n", &o, EVM_ERR_NOT_FOUND,
                "f.csv:1: filter column \"colour\" is not in the header; "
                "columns: lat, lon, kind");
}

static size_t load_dates(const char *since, const char *until,
                         evm_events_t **ev)
{
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.since = since;
    o.until = until;
    *ev = load_ok("basic.csv", &o);
    return evm_events_count(*ev);
}

static void test_since_until(void **state)
{
    (void)state;
    evm_events_t *ev;
    /* A day bound covers the whole day; the zone counts (Sapporo is
     * 2023-09-30T14:59:59Z); Osaka has no date and is filtered. */
    assert_int_equal(load_dates("2023-09-30", "2023-10-01", &ev), 2);
    assert_string_equal(evm_events_get(ev, 0)->name, "Tokyo");
    assert_string_equal(evm_events_get(ev, 1)->name, "Sapporo");
    assert_int_equal(evm_events_filtered_count(ev), 3);
    evm_events_destroy(ev);
    assert_int_equal(load_dates("2024", NULL, &ev), 1);
    assert_string_equal(evm_events_get(ev, 0)->name, "Kyoto");
    evm_events_destroy(ev);
    assert_int_equal(load_dates(NULL, "2023-09-13", &ev), 1);
    assert_string_equal(evm_events_get(ev, 0)->name, "Pyongyang");
    evm_events_destroy(ev);
    assert_int_equal(load_dates("2023-09-13T00:00:01", "2023-09", &ev), 1);
    assert_string_equal(evm_events_get(ev, 0)->name, "Sapporo");
    evm_events_destroy(ev);
    assert_int_equal(
        load_dates("2023-10-01T00:00:00Z", "2023-10-01T00:00:00Z", &ev), 1);
    evm_events_destroy(ev);

    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.since = "2023-13";
    expect_fail("lat,lon\n", &o, EVM_ERR_INVALID_ARG,
                "since \"2023-13\" is not an ISO 8601 date");
    o.since = NULL;
    o.until = "soon";
    expect_fail("lat,lon\n", &o, EVM_ERR_INVALID_ARG,
                "until \"soon\" is not an ISO 8601 date");
    o.since = "2024";
    o.until = "2023";
    expect_fail("lat,lon\n", &o, EVM_ERR_INVALID_ARG,
                "since \"2024\" is after until \"2023\"");
}

/* ---- find ------------------------------------------------------------- */

static void expect_find(const evm_events_t *ev, const char *name,
                        evm_status want, size_t want_index,
                        const char *want_msg)
{
    size_t index = 999;
    evm_error_t err;
    evm_error_clear(&err);
    evm_status st = evm_events_find(ev, name, &index, &err);
    char msg[1200];
    evm_error_format(&err, msg, sizeof msg);
    if (st != want)
        fail_msg("find \"%s\": status %d (%s)", name, st, msg);
    if (st == EVM_OK) {
        assert_int_equal(index, want_index);
    } else {
        assert_int_equal(index, 999);
        assert_string_equal(err.message, want_msg);
    }
}

static void test_find(void **state)
{
    (void)state;
    evm_events_t *ev = load_ok("names.csv", NULL);
    expect_find(ev, "Paris Texas", EVM_OK, 1, NULL);
    /* An exact match wins over case-insensitive ones. */
    expect_find(ev, "paris", EVM_OK, 3, NULL);
    expect_find(ev, "tokyo", EVM_OK, 7, NULL);
    expect_find(ev, "paris texas", EVM_OK, 1, NULL);
    expect_find(ev, "Paris", EVM_ERR_INVALID_ARG, 0,
                "name \"Paris\" matches 2 events (lines 2 and 4)");
    expect_find(ev, "PARIS", EVM_ERR_INVALID_ARG, 0,
                "name \"PARIS\" matches 3 events (lines 2, 4 and 5)");
    expect_find(ev, "Osak", EVM_ERR_NOT_FOUND, 0,
                "no event is named \"Osak\"; did you mean \"Osaka\", "
                "\"Osaki\" or \"Osako\"?");
    expect_find(ev, "Tokio", EVM_ERR_NOT_FOUND, 0,
                "no event is named \"Tokio\"; did you mean \"TOKYO\"?");
    expect_find(ev, "Paris Texsa", EVM_ERR_NOT_FOUND, 0,
                "no event is named \"Paris Texsa\"; did you mean \"Paris "
                "Texas\"?");
    expect_find(ev, "Zanzibar", EVM_ERR_NOT_FOUND, 0,
                "no event is named \"Zanzibar\"");
    expect_find(ev, "", EVM_ERR_NOT_FOUND, 0, "no event is named \"\"");
    size_t index;
    assert_int_equal(evm_events_find(ev, "paris", &index, NULL), EVM_OK);
    assert_int_equal(evm_events_find(ev, NULL, &index, NULL),
                     EVM_ERR_INVALID_ARG);
    evm_events_destroy(ev);

    /* More than five matches: the first five lines and an ellipsis. */
    char text[512] = "name,lat,lon\n";
    for (int i = 0; i < 7; i++)
        strcat(text, "x,1,1\n");
    assert_int_equal(load_text(text, NULL, &ev, NULL, 0), EVM_OK);
    expect_find(ev, "x", EVM_ERR_INVALID_ARG, 0,
                "name \"x\" matches 7 events (lines 2, 3, 4, 5, 6, ...)");
    evm_events_destroy(ev);

    assert_int_equal(load_text("lat,lon\n1,1\n", NULL, &ev, NULL, 0), EVM_OK);
    expect_find(ev, "x", EVM_ERR_NOT_FOUND, 0,
                "no event is named \"x\" (the file has no name column)");
    expect_find(ev, "", EVM_OK, 0, NULL);
    evm_events_destroy(ev);
}

/* ---- chunking, files, scale --------------------------------------------- */

/* Everything observable, as text. */
static char *summary(const evm_events_t *ev, evm_status st,
                     const evm_error_t *err)
{
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    char buf[1200];
    if (st != EVM_OK) {
        evm_error_format(err, buf, sizeof buf);
        snprintf(s, cap, "ERR %s", buf);
        return s;
    }
    n += (size_t)snprintf(s + n, cap - n, "rows %zu filtered %zu delim %d\n",
                          evm_events_rows_read(ev),
                          evm_events_filtered_count(ev),
                          evm_events_delimiter(ev));
    for (size_t i = 0; i < evm_events_count(ev); i++) {
        const evm_event_t *e = evm_events_get(ev, i);
        n += (size_t)snprintf(s + n, cap - n, "%lu %s %.17g %.17g %s %s %.17g",
                              e->line, e->name, e->lat_deg, e->lon_deg, e->kind,
                              e->date, e->date_s);
        for (size_t c = 0; c < evm_events_column_count(ev); c++)
            n += (size_t)snprintf(s + n, cap - n, "|%s",
                                  evm_events_value(ev, i, c));
        n += (size_t)snprintf(s + n, cap - n, "\n");
    }
    for (size_t i = 0; i < evm_events_rejected_count(ev); i++) {
        evm_error_format(evm_events_rejected(ev, i), buf, sizeof buf);
        n += (size_t)snprintf(s + n, cap - n, "R %s\n", buf);
    }
    assert_true(n < cap - 1);
    return s;
}

static void check_every_chunk(const char *file)
{
    size_t len;
    char *path = evm_test_path(EVENTS_DIR, file);
    char *data = evm_test_read_file(path, &len);
    assert_non_null(data);
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.since = "2023";
    char *whole = NULL;
    for (size_t chunk = 0; chunk <= len; chunk++) {
        evm_events_t *ev = NULL;
        evm_error_t err;
        evm_status st =
            evm_events_load_chunked(file, data, len, chunk, &o, &ev, &err);
        char *s = summary(ev, st, &err);
        evm_events_destroy(ev);
        if (!whole)
            whole = s;
        else {
            if (strcmp(s, whole) != 0)
                fail_msg("%s at chunk %zu:\n%s\nwhole:\n%s", file, chunk, s,
                         whole);
            free(s);
        }
    }
    free(whole);
    free(data);
    free(path);
}

static void test_every_chunk(void **state)
{
    (void)state;
    check_every_chunk("basic.csv");
    check_every_chunk("semicolon.csv");
    check_every_chunk("tab.tsv");
    check_every_chunk("names.csv");
    check_every_chunk("latin1.csv");
}

static void test_file_errors(void **state)
{
    (void)state;
    evm_events_t *ev = (evm_events_t *)1;
    evm_error_t err;
    assert_int_equal(
        evm_events_load_file(EVENTS_DIR "/no-such.csv", NULL, &ev, &err),
        EVM_ERR_IO);
    assert_null(ev);
    char msg[1200];
    evm_error_format(&err, msg, sizeof msg);
    assert_string_equal(msg, EVENTS_DIR "/no-such.csv: cannot open: No such "
                                        "file or directory");
    assert_int_equal(evm_events_load_file(EVENTS_DIR, NULL, &ev, &err),
                     EVM_ERR_IO);
    assert_null(ev);
    evm_error_format(&err, msg, sizeof msg);
    assert_string_equal(msg, EVENTS_DIR ": cannot read: Is a directory");
}

/* 100k rows, more than one 64 KiB chunk of reading and several hundred
 * blocks of rejected rows, read back in any order. */
static void test_large(void **state)
{
    (void)state;
    size_t cap = 8u << 20, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text, cap, "name,lat,lon,kind,date\n");
    for (int i = 0; i < 100000; i++)
        n += (size_t)snprintf(
            text + n, cap - n,
            "\"Event %d\",%d.%04d,%d.%04d,k%d,2023-%02d-%02d\n", i,
            i % 181 - 90 + (i % 2), i % 10000, i % 361 - 180, (i * 7) % 10000,
            i % 5, i % 12 + 1, i % 28 + 1);
    evm_events_t *ev;
    evm_error_t err;
    assert_int_equal(
        evm_events_load_memory("big.csv", text, n, NULL, &ev, &err), EVM_OK);
    assert_int_equal(evm_events_rows_read(ev), 100000);
    size_t rej = evm_events_rejected_count(ev);
    assert_int_equal(evm_events_count(ev) + rej, 100000);
    assert_true(rej > 500);
    for (size_t i = rej; i-- > 0;)
        assert_non_null(evm_events_rejected(ev, i));
    assert_string_equal(evm_events_get(ev, 0)->name, "Event 0");
    evm_events_destroy(ev);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_file),
        cmocka_unit_test(test_row_cells),
        cmocka_unit_test(test_semicolon_file),
        cmocka_unit_test(test_tab_file),
        cmocka_unit_test(test_decimal_comma_option),
        cmocka_unit_test(test_more_aliases),
        cmocka_unit_test(test_date_forms),
        cmocka_unit_test(test_point_column),
        cmocka_unit_test(test_geonames_tsv),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_every_alias),
        cmocka_unit_test(test_alias_preference),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_missing_columns),
        cmocka_unit_test(test_fatal_csv_errors),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_blanks_around_cells),
        cmocka_unit_test(test_long_cell_in_message),
        cmocka_unit_test(test_where),
        cmocka_unit_test(test_since_until),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_every_chunk),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
