/* The CSV reader: csv-spectrum against its JSON, hand-checked positions
 * and errors, each input fed at every chunk size from 1 byte to its whole
 * length and split in two at every offset, which must all give the same
 * records, positions and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/error.h"
#include "load/csv_reader.h"
#include "testutil.h"

#define CSV_DIR EVM_TEST_DATA_DIR "/csv"

/* ---- a text dump of everything the reader reports ---------------------- */

typedef struct sink {
    char *s;
    size_t len, cap;
} sink_t;

static void put(sink_t *k, const char *fmt, ...) EVM_PRINTF(2, 3);

static void put(sink_t *k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    if (k->len + (size_t)n + 1 > k->cap) {
        k->cap = (k->len + (size_t)n + 1) * 2;
        k->s = realloc(k->s, k->cap);
        assert_non_null(k->s);
    }
    va_start(ap, fmt);
    vsnprintf(k->s + k->len, k->cap - k->len, fmt, ap);
    va_end(ap);
    k->len += (size_t)n;
}

/* Field text with line breaks, tabs and braces made visible. */
static void put_text(sink_t *k, const char *s, size_t len)
{
    put(k, "{");
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\n')
            put(k, "\\n");
        else if (c == '\r')
            put(k, "\\r");
        else if (c == '\t')
            put(k, "\\t");
        else if (c == '\\')
            put(k, "\\\\");
        else
            put(k, "%c", c);
    }
    put(k, "}");
}

static evm_status dump_record(void *user, const evm_csv_record_t *rec,
                              evm_error_t *err)
{
    (void)err;
    sink_t *k = user;
    put(k, "#%zu@%lu:", rec->index, rec->line);
    for (size_t i = 0; i < rec->n_fields; i++) {
        const evm_csv_field_t *f = &rec->fields[i];
        assert_int_equal(strlen(f->text), f->len);
        put(k, " [%lu:%lu]", f->line, f->column);
        put_text(k, f->text, f->len);
    }
    put(k, "\n");
    return EVM_OK;
}

static void put_outcome(sink_t *k, evm_csv_reader_t *r, evm_status st,
                        const evm_error_t *err)
{
    if (st == EVM_OK) {
        char d = evm_csv_reader_delimiter(r);
        put(k, "=> OK %s", d == '\t' ? "\\t" : (char[2]){d, 0});
    } else {
        char buf[1200];
        evm_error_format(err, buf, sizeof buf);
        put(k, "=> ERR %s", buf);
    }
}

/* Feeds data in pieces cut at the offsets cuts[0..n_cuts) (ascending) and
 * returns the dump. */
static char *run_cuts(const char *data, size_t len, const size_t *cuts,
                      size_t n_cuts, const evm_csv_reader_options_t *opt)
{
    sink_t k = {0};
    evm_csv_reader_t *r = NULL;
    evm_error_t err;
    evm_error_clear(&err);
    assert_int_equal(evm_csv_reader_create(opt, dump_record, &k, &r, &err),
                     EVM_OK);
    evm_status st = EVM_OK;
    size_t from = 0;
    for (size_t i = 0; i <= n_cuts && st == EVM_OK; i++) {
        size_t to = i < n_cuts ? cuts[i] : len;
        st = evm_csv_reader_feed(r, data + from, to - from, &err);
        from = to;
    }
    if (st == EVM_OK)
        st = evm_csv_reader_finish(r, &err);
    put_outcome(&k, r, st, &err);
    evm_csv_reader_destroy(r);
    return k.s;
}

static char *run_chunked(const char *data, size_t len, size_t chunk,
                         const evm_csv_reader_options_t *opt)
{
    size_t n = chunk && len ? (len - 1) / chunk : 0;
    size_t *cuts = calloc(n + 1, sizeof *cuts);
    assert_non_null(cuts);
    for (size_t i = 0; i < n; i++)
        cuts[i] = (i + 1) * chunk;
    char *s = run_cuts(data, len, cuts, n, opt);
    free(cuts);
    return s;
}

/* The dump of data fed whole, after checking that every chunk size and
 * every two-piece split gives the same dump. Caller frees. */
static char *run_all_chunkings(const char *data, size_t len,
                               const evm_csv_reader_options_t *opt)
{
    char *whole = run_chunked(data, len, 0, opt);
    for (size_t chunk = 1; chunk <= len; chunk++) {
        char *s = run_chunked(data, len, chunk, opt);
        if (strcmp(s, whole) != 0)
            fail_msg("chunk size %zu gives\n%s\ninstead of\n%s", chunk, s,
                     whole);
        free(s);
    }
    for (size_t cut = 0; cut <= len; cut++) {
        char *s = run_cuts(data, len, &cut, 1, opt);
        if (strcmp(s, whole) != 0)
            fail_msg("split at %zu gives\n%s\ninstead of\n%s", cut, s, whole);
        free(s);
    }
    return whole;
}

static char *read_data(const char *dir, const char *name, size_t *len)
{
    char *path = evm_test_path(dir, name);
    char *data = evm_test_read_file(path, len);
    if (!data)
        fail_msg("cannot read %s", path);
    free(path);
    return data;
}

/* ---- csv-spectrum --------------------------------------------------- */

typedef struct table {
    size_t n_rows;
    size_t n_cols[16];
    char *cell[16][8];
} table_t;

static evm_status keep_table(void *user, const evm_csv_record_t *rec,
                             evm_error_t *err)
{
    (void)err;
    table_t *t = user;
    assert_true(t->n_rows < 16 && rec->n_fields <= 8);
    assert_int_equal(rec->index, t->n_rows);
    t->n_cols[t->n_rows] = rec->n_fields;
    for (size_t i = 0; i < rec->n_fields; i++) {
        t->cell[t->n_rows][i] = malloc(rec->fields[i].len + 1);
        memcpy(t->cell[t->n_rows][i], rec->fields[i].text,
               rec->fields[i].len + 1);
    }
    t->n_rows++;
    return EVM_OK;
}

static void table_free(table_t *t)
{
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_cols[r]; c++)
            free(t->cell[r][c]);
}

static const char *const spectrum[] = {
    "comma_in_quotes", "empty",         "empty_crlf",
    "escaped_quotes",  "json",          "location_coordinates",
    "newlines",        "newlines_crlf", "quotes_and_newlines",
    "simple",          "simple_crlf",   "utf8",
};

/* Each file's records against its JSON (an array of objects keyed by
 * the header, or one object), then at every chunking. */
static void check_spectrum_file(const char *base)
{
    char name[64];
    size_t len;
    snprintf(name, sizeof name, "%s.csv", base);
    char *csv = read_data(CSV_DIR "/spectrum", name, &len);
    snprintf(name, sizeof name, "%s.json", base);
    char *jpath = evm_test_path(CSV_DIR "/spectrum", name);
    json_error_t jerr;
    json_t *expect = json_load_file(jpath, 0, &jerr);
    if (!expect)
        fail_msg("%s: %s", jpath, jerr.text);
    if (json_is_object(expect)) {
        json_t *a = json_array();
        json_array_append_new(a, expect);
        expect = a;
    }

    /* The defaults read every file as its JSON says, location_coordinates
     * (a '"' in an unquoted field) included. */
    evm_csv_reader_options_t opt;
    evm_csv_reader_options_init(&opt);
    opt.display_name = name;

    table_t t = {0};
    evm_csv_reader_t *r;
    evm_error_t err;
    assert_int_equal(evm_csv_reader_create(&opt, keep_table, &t, &r, &err),
                     EVM_OK);
    assert_int_equal(evm_csv_reader_feed(r, csv, len, &err), EVM_OK);
    assert_int_equal(evm_csv_reader_finish(r, &err), EVM_OK);
    evm_csv_reader_destroy(r);

    assert_int_equal(t.n_rows, json_array_size(expect) + 1);
    for (size_t row = 1; row < t.n_rows; row++) {
        json_t *obj = json_array_get(expect, row - 1);
        assert_int_equal(json_object_size(obj), t.n_cols[0]);
        assert_int_equal(t.n_cols[row], t.n_cols[0]);
        for (size_t c = 0; c < t.n_cols[0]; c++) {
            json_t *v = json_object_get(obj, t.cell[0][c]);
            if (!v)
                fail_msg("%s: no key \"%s\" in the JSON", base, t.cell[0][c]);
            const char *want = json_string_value(v);
            /* Upstream's JSON has another phone number than its CSV. */
            if (strcmp(want, "1234567890") == 0)
                want = "2095257564";
            assert_string_equal(t.cell[row][c], want);
        }
    }
    table_free(&t);
    json_decref(expect);
    free(jpath);

    free(run_all_chunkings(csv, len, &opt));
    opt.strict = true;
    free(run_all_chunkings(csv, len, &opt));
    free(csv);
}

static void test_spectrum(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof spectrum / sizeof spectrum[0]; i++)
        check_spectrum_file(spectrum[i]);
}

/* Strict mode stops at the stray quote: line 2 is
 * 2095257564,37\uFFFD36'37.8"N ..., the quote being the 22nd character
 * (the U+FFFD is one character, three bytes). */
static void test_spectrum_location_strict(void **state)
{
    (void)state;
    size_t len;
    char *csv =
        read_data(CSV_DIR "/spectrum", "location_coordinates.csv", &len);
    evm_csv_reader_options_t opt;
    evm_csv_reader_options_init(&opt);
    opt.display_name = "loc.csv";
    opt.strict = true;
    char *d = run_all_chunkings(csv, len, &opt);
    assert_string_equal(
        d, "#0@1: [1:1]{Contact Phone Number} [1:22]{Location Coordinates} "
           "[1:43]{Cities} [1:50]{Counties}\n"
           "=> ERR loc.csv:2:22: '\"' inside an unquoted field; quote the "
           "field and double the '\"'");
    free(d);
    free(csv);
}

/* ---- hand-checked files ------------------------------------------------ */

typedef struct expected {
    const char *file;
    const char *dump;
} expected_t;

/* Positions worked out by hand from the bytes (see the printf lines that
 * made the files in tests/data/csv/README.md). */
static const expected_t tricky[] = {
    {"bom_crlf.csv",
     "#0@1: [1:1]{name} [1:6]{lat} [1:10]{lon}\n"
     "#1@2: [2:1]{Pyongyang, DPRK} [2:19]{39.0392} [2:27]{125.7625}\n"
     "#2@3: [3:1]{He said \"hi\"} [3:18]{1} [3:20]{2}\n"
     "=> OK ,"},
    {"multiline.csv",
     "#0@1: [1:1]{a} [1:3]{b} [1:5]{c}\n"
     "#1@2: [2:1]{line1\\nline2\\r\\nline3} [4:8]{x} [4:10]{\xC3\xA9\"}\n"
     "#2@5: [5:1]{\xC3\xBC} [5:3]{} [5:6]{z}\n"
     "=> OK ,"},
    {"mixed_eol.csv", "#0@1: [1:1]{a} [1:3]{b}\n"
                      "#1@2: [2:1]{1} [2:3]{2}\n"
                      "#2@3: [3:1]{3} [3:3]{4}\n"
                      "#3@6: [6:1]{5} [6:3]{6}\n"
                      "=> OK ,"},
    {"trailing_delim.csv", "#0@1: [1:1]{a} [1:3]{b} [1:5]{}\n"
                           "#1@2: [2:1]{1} [2:3]{2} [2:5]{}\n"
                           "#2@3: [3:1]{3} [3:3]{4} [3:5]{}\n"
                           "=> OK ,"},
    {"bom_only.csv", "=> OK ,"},
    {"not_bom.csv", "#0@1: [1:1]{\xEF\xBB"
                    "x} [1:4]{y}\n"
                    "#1@2: [2:1]{1} [2:3]{2}\n"
                    "=> OK ,"},
    {"semicolon_spaces.csv", "#0@3: [3:1]{  a } [3:6]{ b} [3:9]{c;d}\n"
                             "#1@4: [4:1]{ 1 } [4:5]{2} [4:9]{ 3 }\n"
                             "=> OK ;"},
    {"tabs.tsv", "#0@1: [1:1]{k} [1:3]{v}\n"
                 "#1@2: [2:1]{tab\\there} [2:12]{quote \" and \\t}\n"
                 "#2@3: [3:1]{} [3:2]{}\n"
                 "=> OK \\t"},
    {"quoted_eols.csv", "#0@1: [1:1]{x} [1:3]{y}\n"
                        "#1@2: [2:1]{a\\r\\nb} [3:4]{c\\rd}\n"
                        "#2@5: [5:1]{e\\n\\nf} [7:4]{g}\n"
                        "=> OK ,"},
    {"utf8_wide.csv",
     "#0@1: [1:1]{\xE2\x82\xAC,\xE2\x82\xAC} [1:7]{\xF0\x9F\x97\xBA}\n"
     "#1@2: [2:1]{\xE6\x97\xA5\xE6\x9C\xAC} [2:4]{\xE5\x9C\xB0\\n"
     "\xE5\x9B\xB3}\n"
     "=> OK ,"},
};

static const expected_t bad[] = {
    {"too_few.csv", "#0@1: [1:1]{a} [1:3]{b} [1:5]{c}\n"
                    "#1@2: [2:1]{1} [2:3]{2} [2:5]{3}\n"
                    "=> ERR too_few.csv:3:1: record has 2 fields but the "
                    "header has 3"},
    {"too_many.csv", "#0@1: [1:1]{a} [1:3]{b}\n"
                     "#1@2: [2:1]{1} [2:3]{2}\n"
                     "=> ERR too_many.csv:4:6: record has 3 fields but the "
                     "header has 2"},
    {"stray_quote.csv", "#0@1: [1:1]{a} [1:3]{b}\n"
                        "=> ERR stray_quote.csv:2:4: '\"' inside an "
                        "unquoted field; quote the field and double the "
                        "'\"'"},
    {"after_quote.csv", "#0@1: [1:1]{a} [1:3]{b}\n"
                        "=> ERR after_quote.csv:2:6: unexpected text after "
                        "the closing quote of a field; quote the whole field "
                        "and double each '\"' inside it"},
    {"unclosed.csv", "#0@1: [1:1]{a} [1:3]{b}\n"
                     "#1@2: [2:1]{1} [2:3]{x}\n"
                     "=> ERR unclosed.csv:3:3: quoted field is not closed "
                     "at the end of the input"},
    {"nul.csv", "#0@1: [1:1]{a} [1:3]{b}\n"
                "=> ERR nul.csv:2:3: NUL byte: the input is not UTF-8 text "
                "(UTF-16?)"},
    {"utf16.csv", "=> ERR utf16.csv:1:4: NUL byte: the input is not UTF-8 "
                  "text (UTF-16?)"},
    {"blank_then_short.csv", "#0@1: [1:1]{a} [1:3]{b}\n"
                             "#1@2: [2:1]{1} [2:3]{2}\n"
                             "=> ERR blank_then_short.csv:4:1: record has "
                             "1 field but the header has 2"},
};

static void check_dumps(const char *dir, const expected_t *e, size_t n,
                        bool strict)
{
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *data = read_data(dir, e[i].file, &len);
        evm_csv_reader_options_t opt;
        evm_csv_reader_options_init(&opt);
        opt.display_name = e[i].file;
        opt.strict = strict;
        char *d = run_all_chunkings(data, len, &opt);
        if (strcmp(d, e[i].dump) != 0)
            fail_msg("%s: got\n%s\nexpected\n%s", e[i].file, d, e[i].dump);
        free(d);
        free(data);
    }
}

static void test_tricky_files(void **state)
{
    (void)state;
    /* Valid RFC 4180 reads the same in both modes. */
    check_dumps(CSV_DIR "/tricky", tricky, sizeof tricky / sizeof tricky[0],
                false);
    check_dumps(CSV_DIR "/tricky", tricky, sizeof tricky / sizeof tricky[0],
                true);
}

static void test_bad_files(void **state)
{
    (void)state;
    check_dumps(CSV_DIR "/bad", bad, sizeof bad / sizeof bad[0], true);
    /* By default only the stray quote reads differently: as data. */
    static const expected_t stray = {"stray_quote.csv",
                                     "#0@1: [1:1]{a} [1:3]{b}\n"
                                     "#1@2: [2:1]{1} [2:3]{x\"y}\n"
                                     "=> OK ,"};
    check_dumps(CSV_DIR "/bad", &stray, 1, false);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strcmp(bad[i].file, "stray_quote.csv") != 0)
            check_dumps(CSV_DIR "/bad", &bad[i], 1, false);
}

/* ---- focused cases on literal input ---------------------------------- */

static char *run_text(const char *text, const evm_csv_reader_options_t *o)
{
    return run_all_chunkings(text, strlen(text), o);
}

static void expect_dump(const char *text, const evm_csv_reader_options_t *o,
                        const char *want)
{
    char *d = run_text(text, o);
    if (strcmp(d, want) != 0)
        fail_msg("input \"%s\": got\n%s\nexpected\n%s", text, d, want);
    free(d);
}

/* A BOM split over three feeds is still dropped; two bytes of one are
 * data. */
static void test_bom_pieces(void **state)
{
    (void)state;
    const char *in = "\xEF\xBB\xBF"
                     "a,b\n1,2";
    size_t cuts[] = {1, 2, 3};
    char *d = run_cuts(in, strlen(in), cuts, 3, NULL);
    assert_string_equal(d, "#0@1: [1:1]{a} [1:3]{b}\n"
                           "#1@2: [2:1]{1} [2:3]{2}\n"
                           "=> OK ,");
    free(d);
    /* Only at the very start: a later BOM is data (ZWNBSP). */
    expect_dump("a,b\n\xEF\xBB\xBF"
                "1,2\n",
                NULL,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "#1@2: [2:1]{\xEF\xBB\xBF"
                "1} [2:4]{2}\n"
                "=> OK ,");
    expect_dump("\xEF\xBB", NULL, "#0@1: [1:1]{\xEF\xBB}\n=> OK ,");
}

static void test_quotes(void **state)
{
    (void)state;
    expect_dump("a,b\n\"\",\"\"\"\"\n\"x,\"\"y\"\"\",\"\n\"\n", NULL,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "#1@2: [2:1]{} [2:4]{\"}\n"
                "#2@3: [3:1]{x,\"y\"} [3:11]{\\n}\n"
                "=> OK ,");
    /* A space before an opening quote makes the field unquoted: its
     * quotes are data, or an error when strict. */
    evm_csv_reader_options_t strict;
    evm_csv_reader_options_init(&strict);
    strict.strict = true;
    expect_dump("a,b\n1, \"x\"\n", &strict,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "=> ERR <input>:2:4: '\"' inside an unquoted field; quote "
                "the field and double the '\"'");
    expect_dump("a,b\n1, \"x\"\n", NULL,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "#1@2: [2:1]{1} [2:3]{ \"x\"}\n"
                "=> OK ,");
    /* A space after a closing quote is text after it, in both modes. */
    expect_dump("a,b\n1,\"x\" \n", NULL,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "=> ERR <input>:2:6: unexpected text after the closing "
                "quote of a field; quote the whole field and double each "
                "'\"' inside it");
}

/* The default keeps a quote that does not open a field as data (libcsv
 * without CSV_STRICT); a quoted field still follows RFC 4180. */
static void test_lenient(void **state)
{
    (void)state;
    expect_dump("a,b\n1,x\"y\n37\xC2\xB0"
                "36'37.8\"N,2\n",
                NULL,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "#1@2: [2:1]{1} [2:3]{x\"y}\n"
                "#2@3: [3:1]{37\xC2\xB0"
                "36'37.8\"N} [3:14]{2}\n"
                "=> OK ,");
    /* Text after a closing quote is an error, not a quoted field that
     * runs on through the delimiters and lines after it. */
    expect_dump("a,b\n\"p\"q,r\n", NULL,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "=> ERR <input>:2:4: unexpected text after the closing "
                "quote of a field; quote the whole field and double each "
                "'\"' inside it");
    /* '|' is detected and may be given. */
    expect_dump("a|b\n1|\"x|y\"\n", NULL,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "#1@2: [2:1]{1} [2:3]{x|y}\n"
                "=> OK |");
}

/* Tab-separated input: no quoting (IANA TSV) unless a field starts with
 * a quote that closes properly; --strict reads it as RFC 4180. */
static void test_tsv(void **state)
{
    (void)state;
    /* A GeoNames-style row: a stray quote inside, a field that opens
     * with a quote and never closes, one that closes then goes on. */
    const char *geonames = "geonameid\tname\tlat\n"
                           "725993\tVeliko T\"rnovo\t43.08\n"
                           "1\t\"Big Jim\t2\n"
                           "2\t\"Big\" Jim\t3\n"
                           "3\t\"a\tb\"\t4\n"
                           "4\t\"x\"\"y\"\t\"";
    expect_dump(geonames, NULL,
                "#0@1: [1:1]{geonameid} [1:11]{name} [1:16]{lat}\n"
                "#1@2: [2:1]{725993} [2:8]{Veliko T\"rnovo} [2:23]{43.08}\n"
                "#2@3: [3:1]{1} [3:3]{\"Big Jim} [3:12]{2}\n"
                "#3@4: [4:1]{2} [4:3]{\"Big\" Jim} [4:13]{3}\n"
                "#4@5: [5:1]{3} [5:3]{a\\tb} [5:9]{4}\n"
                "#5@6: [6:1]{4} [6:3]{x\"y} [6:10]{\"}\n"
                "=> OK \\t");
    evm_csv_reader_options_t o;
    evm_csv_reader_options_init(&o);
    o.strict = true;
    expect_dump(geonames, &o,
                "#0@1: [1:1]{geonameid} [1:11]{name} [1:16]{lat}\n"
                "=> ERR <input>:2:16: '\"' inside an unquoted field; quote "
                "the field and double the '\"'");
}

static void test_blank_lines(void **state)
{
    (void)state;
    /* Blank lines are skipped anywhere, with any line ending; a line of
     * spaces is not blank. */
    expect_dump("\r\n\na,b\n\n1,2\r\n\r\n\r3,4\n\n", NULL,
                "#0@3: [3:1]{a} [3:3]{b}\n"
                "#1@5: [5:1]{1} [5:3]{2}\n"
                "#2@8: [8:1]{3} [8:3]{4}\n"
                "=> OK ,");
    expect_dump("a,b\n \n", NULL,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "=> ERR <input>:2:1: record has 1 field but the header "
                "has 2");
    expect_dump("", NULL, "=> OK ,");
    expect_dump("\n\r\n", NULL, "=> OK ,");
}

static void test_field_cap(void **state)
{
    (void)state;
    evm_csv_reader_options_t o;
    evm_csv_reader_options_init(&o);
    o.max_field_bytes = 4;
    /* Four bytes pass, quoted or not, a doubled quote counting one. */
    expect_dump("abcd,b\n1234,\"12\"\"4\"\n", &o,
                "#0@1: [1:1]{abcd} [1:6]{b}\n"
                "#1@2: [2:1]{1234} [2:6]{12\"4}\n"
                "=> OK ,");
    expect_dump("a,b\n1,12345\n", &o,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "=> ERR <input>:2:3: field is longer than 4 bytes, the limit "
                "(raise it with --max-field-kb)");
    expect_dump("a,b\n1,\"12\"\"45\"\n", &o,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "=> ERR <input>:2:3: field is longer than 4 bytes, the limit "
                "(raise it with --max-field-kb)");
    expect_dump("a,b\n1,\"1\n\n\n\n\"\n", &o,
                "#0@1: [1:1]{a} [1:3]{b}\n"
                "=> ERR <input>:2:3: field is longer than 4 bytes, the limit "
                "(raise it with --max-field-kb)");
    /* The default is 1 MiB. */
    size_t big = EVM_CSV_DEFAULT_MAX_FIELD_BYTES;
    char *in = malloc(big + 16);
    memcpy(in, "a\n", 2);
    memset(in + 2, 'x', big);
    memcpy(in + 2 + big, "\n", 2);
    char *d = run_chunked(in, strlen(in), 4096, NULL);
    assert_string_equal(d + strlen(d) - 7, "=> OK ,");
    free(d);
    memcpy(in + 2 + big, "x\n", 3);
    d = run_chunked(in, strlen(in), 4096, NULL);
    assert_string_equal(d, "#0@1: [1:1]{a}\n=> ERR <input>:2:1: field is "
                           "longer than 1048576 bytes, the limit (raise it "
                           "with --max-field-kb)");
    free(d);
    free(in);
}

/* Columns and records have limits too, checked before the fields of a
 * record pile up: at the first column past the limit, at the byte past
 * the record's limit. */
static void test_record_caps(void **state)
{
    (void)state;
    evm_csv_reader_options_t o;
    evm_csv_reader_options_init(&o);
    o.max_fields = 3;
    expect_dump("a,b,c\n1,2,3\n", &o,
                "#0@1: [1:1]{a} [1:3]{b} [1:5]{c}\n"
                "#1@2: [2:1]{1} [2:3]{2} [2:5]{3}\n"
                "=> OK ,");
    expect_dump("a,b,c,d\n", &o,
                "=> ERR <input>:1:7: header has more than 3 columns, the "
                "limit (raise it with --max-columns)");
    expect_dump("a,b,\n", &o, "#0@1: [1:1]{a} [1:3]{b} [1:5]{}\n=> OK ,");
    expect_dump("a,b,c,\n", &o,
                "=> ERR <input>:1:7: header has more than 3 columns, the "
                "limit (raise it with --max-columns)");
    evm_csv_reader_options_init(&o);
    o.max_record_bytes = 6;
    expect_dump("ab,cd,ef\n", &o,
                "#0@1: [1:1]{ab} [1:4]{cd} [1:7]{ef}\n=> OK ,");
    expect_dump("ab,cd\nabc,defg\n", &o,
                "#0@1: [1:1]{ab} [1:4]{cd}\n"
                "=> ERR <input>:2:1: record is longer than 6 bytes, the "
                "limit (raise it with --max-record-mb)");
    /* The default: 16384 columns. */
    size_t n = EVM_CSV_DEFAULT_MAX_FIELDS + 1;
    char *in = malloc(2 * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(in + 2 * i, "a,", 2);
    in[2 * n - 1] = '\n';
    in[2 * n] = '\0';
    char *d = run_chunked(in, strlen(in), 4096, NULL);
    assert_non_null(strstr(d, "header has more than 16384 columns"));
    free(d);
    free(in);
}

static void test_delimiter_detection(void **state)
{
    (void)state;
    expect_dump("a;b;c\n1;2;3\n", NULL,
                "#0@1: [1:1]{a} [1:3]{b} [1:5]{c}\n"
                "#1@2: [2:1]{1} [2:3]{2} [2:5]{3}\n"
                "=> OK ;");
    expect_dump("a\tb,c\n", NULL, "#0@1: [1:1]{a\\tb} [1:5]{c}\n=> OK ,");
    expect_dump("a,b;c;d\n", NULL,
                "#0@1: [1:1]{a,b} [1:5]{c} [1:7]{d}\n=> OK ;");
    /* Ties and no candidate at all: comma. */
    expect_dump("a;b\tc\n", NULL, "#0@1: [1:1]{a;b\\tc}\n=> OK ,");
    expect_dump("abc\n", NULL, "#0@1: [1:1]{abc}\n=> OK ,");
    /* Quoted delimiters do not count; only the header line counts. */
    expect_dump("\"a;b;c\",d\n1,2\n", NULL,
                "#0@1: [1:1]{a;b;c} [1:9]{d}\n"
                "#1@2: [2:1]{1} [2:3]{2}\n"
                "=> OK ,");
    expect_dump("a\n1;2;3\n", NULL,
                "#0@1: [1:1]{a}\n#1@2: [2:1]{1;2;3}\n"
                "=> OK ,");
    /* A header without a line break. */
    expect_dump("a;b", NULL, "#0@1: [1:1]{a} [1:3]{b}\n=> OK ;");
    /* Given, not detected. */
    evm_csv_reader_options_t o;
    evm_csv_reader_options_init(&o);
    o.delimiter = '\t';
    expect_dump("a,b\tc\n", &o, "#0@1: [1:1]{a,b} [1:5]{c}\n=> OK \\t");
    o.delimiter = ':';
    evm_csv_reader_t *r = NULL;
    evm_error_t err;
    assert_int_equal(evm_csv_reader_create(&o, NULL, NULL, &r, &err),
                     EVM_ERR_INVALID_ARG);
    assert_null(r);
}

/* A header line longer than the detection window is judged on its
 * start, identically at every chunking. */
static void test_detect_long_header(void **state)
{
    (void)state;
    size_t n = 70000;
    char *in = malloc(n + 32);
    memset(in, 'h', n);
    memcpy(in, "a;b;", 4);
    /* Within the window: two ';', one ','; beyond it three more ','. */
    in[100] = ',';
    in[66000] = in[66001] = in[66002] = ',';
    memcpy(in + n, "\n1;2;3\n", 8);
    char *whole = run_chunked(in, strlen(in), 0, NULL);
    for (size_t chunk = 1; chunk < 70010; chunk += 997) {
        char *d = run_chunked(in, strlen(in), chunk, NULL);
        assert_string_equal(d, whole);
        free(d);
    }
    assert_string_equal(whole + strlen(whole) - 7, "=> OK ;");
    free(whole);
    free(in);
}

static evm_status stop_at_two(void *user, const evm_csv_record_t *rec,
                              evm_error_t *err)
{
    int *calls = user;
    ++*calls;
    if (rec->index < 2)
        return EVM_OK;
    evm_error_set(err, EVM_ERR_INVALID_ARG, "cb", rec->line, 1, "stop");
    return EVM_ERR_INVALID_ARG;
}

/* A callback's error stops the reader and sticks; an earlier record's
 * callback error wins over a later syntax error in the same chunk. */
static void test_callback_error_sticks(void **state)
{
    (void)state;
    int calls = 0;
    evm_csv_reader_t *r;
    evm_error_t err;
    const char *in = "a\n1\n2\n3\nx\"y\n";
    assert_int_equal(evm_csv_reader_create(NULL, stop_at_two, &calls, &r, &err),
                     EVM_OK);
    assert_int_equal(evm_csv_reader_feed(r, in, strlen(in), &err),
                     EVM_ERR_INVALID_ARG);
    assert_string_equal(err.message, "stop");
    assert_int_equal(err.line, 3);
    assert_int_equal(calls, 3);
    evm_error_clear(&err);
    assert_int_equal(evm_csv_reader_feed(r, "4\n", 2, &err),
                     EVM_ERR_INVALID_ARG);
    assert_string_equal(err.message, "stop");
    assert_int_equal(evm_csv_reader_finish(r, &err), EVM_ERR_INVALID_ARG);
    assert_int_equal(calls, 3);
    evm_csv_reader_destroy(r);
}

/* Long generated input with every feature, fed at a range of chunk
 * sizes, against the whole-feed result. */
static void test_generated_chunkings(void **state)
{
    (void)state;
    sink_t k = {0};
    put(&k, "\xEF\xBB\xBFname;lat;note\r\n");
    for (int i = 0; i < 300; i++) {
        switch (i % 5) {
        case 0:
            put(&k, "\"n%d; \"\"q\"\"\";%d.5;\"multi\r\nline %d\"\r\n", i,
                i % 90, i);
            break;
        case 1:
            put(&k, "\xC3\xA9t\xC3\xA9 %d;;\n\n", i);
            break;
        case 2:
            put(&k, "x%d;\"\";\"\xE2\x80\xB3\"\r", i);
            break;
        case 3:
            put(&k, "\"\";\"\n\n\";\t\n");
            break;
        default:
            put(&k, "last;%d;\"a\"\"\"\n", i);
        }
    }
    char *whole = run_chunked(k.s, k.len, 0, NULL);
    assert_non_null(strstr(whole, "=> OK ;"));
    assert_non_null(strstr(whole, "#300@"));
    for (size_t chunk = 1; chunk < 200; chunk++) {
        char *d = run_chunked(k.s, k.len, chunk, NULL);
        assert_string_equal(d, whole);
        free(d);
    }
    free(whole);
    free(k.s);
}

/* ---- differential test against a reference parser ---------------------- */

typedef struct lc {
    unsigned long line, col;
} lc_t;

/* Position of every byte offset, and of the end, computed on the whole
 * buffer: CR, LF and CRLF end lines; UTF-8 continuation bytes share the
 * column of their lead byte. */
static lc_t *positions(const unsigned char *s, size_t n)
{
    lc_t *pos = calloc(n + 1, sizeof *pos);
    unsigned long line = 1, col = 1;
    for (size_t k = 0; k < n; k++) {
        bool cont = (s[k] & 0xC0) == 0x80;
        pos[k] = (lc_t){line, cont && col > 1 ? col - 1 : col};
        if (s[k] == '\r' || (s[k] == '\n' && (k == 0 || s[k - 1] != '\r'))) {
            line++;
            col = 1;
        } else if (s[k] != '\n' && !cont) {
            col++;
        }
    }
    pos[n] = (lc_t){line, col};
    return pos;
}

/* Whether the quote at s[q] closes properly: its closing quote (pairs
 * skipped) is followed by a tab, a line break or the end. */
static bool closes_properly(const unsigned char *s, size_t n, size_t q)
{
    for (size_t i = q + 1; i < n; i++) {
        if (s[i] != '"')
            continue;
        if (i + 1 < n && s[i + 1] == '"') {
            i++;
            continue;
        }
        return i + 1 == n || s[i + 1] == '\t' || s[i + 1] == '\r' ||
               s[i + 1] == '\n';
    }
    return false;
}

/* A plain RFC 4180 reader over the whole buffer (delimiter d, blank
 * lines skipped), written without the reader's state machine, with the
 * same dump format; an error is reported by position only. Lenient: a
 * quote inside an unquoted field is data, and with a tab delimiter a
 * field is quoted only when its quote closes properly. */
static char *reference_dump(const char *input, size_t n, char d, bool lenient)
{
    const unsigned char *s = (const unsigned char *)input;
    lc_t *pos = positions(s, n);
    sink_t k = {0};
    size_t i = 0, rec = 0, header_n = 0;
    lc_t err = {0, 0};
    sink_t cur = {0};
    while (i < n && !err.line) {
        if (s[i] == '\r' || s[i] == '\n') {
            i++;
            continue;
        }
        size_t rec_start = i, nf = 0;
        lc_t extra = {0, 0};
        cur.len = 0;
        put(&cur, "#%zu@%lu:", rec, pos[i].line);
        for (;;) {
            size_t start = i;
            sink_t text = {0};
            put(&text, "%s", "");
            if (header_n && nf == header_n)
                extra = pos[start];
            bool tsv = lenient && d == '\t';
            if (i < n && s[i] == '"' && (!tsv || closes_properly(s, n, i))) {
                for (i++;; i++) {
                    if (i == n) {
                        err = pos[start];
                        break;
                    }
                    if (s[i] == 0) {
                        err = pos[i];
                        break;
                    }
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"') {
                            put(&text, "\"");
                            i++;
                            continue;
                        }
                        i++;
                        break;
                    }
                    put(&text, "%c", s[i]);
                }
                if (!err.line && i < n && s[i] != d && s[i] != '\r' &&
                    s[i] != '\n')
                    err = pos[i];
            } else {
                for (; i < n && s[i] != d && s[i] != '\r' && s[i] != '\n';
                     i++) {
                    if ((s[i] == '"' && !lenient) || s[i] == 0) {
                        err = pos[i];
                        break;
                    }
                    put(&text, "%c", s[i]);
                }
            }
            if (err.line) {
                free(text.s);
                break;
            }
            put(&cur, " [%lu:%lu]", pos[start].line, pos[start].col);
            put_text(&cur, text.s, text.len);
            free(text.s);
            nf++;
            if (i < n && s[i] == d) {
                i++;
                continue;
            }
            break;
        }
        if (err.line)
            break;
        if (rec == 0)
            header_n = nf;
        else if (nf != header_n) {
            err = nf > header_n ? extra : pos[rec_start];
            break;
        }
        put(&k, "%s\n", cur.s);
        rec++;
    }
    if (err.line)
        put(&k, "=> ERR %lu:%lu", err.line, err.col);
    else
        put(&k, "=> OK");
    free(cur.s);
    free(pos);
    return k.s;
}

/* The reader's dump with errors cut down to their position. */
static void strip_message(char *d)
{
    char *e = strstr(d, "=> ");
    while (e && strstr(e + 1, "=> "))
        e = strstr(e + 1, "=> ");
    if (!e)
        return;
    if (strncmp(e, "=> OK", 5) == 0) {
        e[5] = '\0';
        return;
    }
    /* "=> ERR <input>:L:C: message" */
    char *p = strstr(e, "<input>:");
    unsigned long line, col;
    assert_non_null(p);
    assert_int_equal(sscanf(p, "<input>:%lu:%lu:", &line, &col), 2);
    sprintf(e, "=> ERR %lu:%lu", line, col);
}

static uint32_t next_rand(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

static void test_random_against_reference(void **state)
{
    (void)state;
    static const char *const tokens[] = {
        "a",    "bc",      ",",          ",",          "\"q\"",
        "\"\"", "\"a,b\"", "\"l1\nl2\"", "\"x\"\"y\"", "\r\n",
        "\n",   "\n",      "\r",         "\xC3\xA9",   "\xE2\x82\xAC",
        "\"",   " ",       "\t",         "\"\r\n\"",   "\xF0\x9F\x97\xBA"};
    static const char *const fields[] = {
        "",           "a",          "\xC3\xA9t\xC3\xA9",
        " x ",        "\"\"",       "\"q\"",
        "\"a,b\"",    "\"l1\nl2\"", "\"l1\r\nl2\r\"",
        "\"x\"\"y\"", "\"\"\"\"",   "\xE2\x82\xAC\xF0\x9F\x97\xBA"};
    static const char *const eols[] = {"\n", "\r\n", "\r", "\n\n", "\r\n\r\n"};
    const size_t n_tokens = sizeof tokens / sizeof tokens[0];
    const size_t n_fields = sizeof fields / sizeof fields[0];
    const size_t n_eols = sizeof eols / sizeof eols[0];
    evm_csv_reader_options_t opt;
    evm_csv_reader_options_init(&opt);
    uint32_t seed = 12345;
    char buf[256];
    for (int round = 0; round < 6000; round++) {
        /* Strict comma, lenient comma, lenient tab in turn. */
        opt.strict = round % 3 == 0;
        opt.delimiter = round % 3 == 2 ? '\t' : ',';
        size_t len = 0;
        if (round % 2 == 0) {
            /* Any sequence of tokens: mostly malformed. */
            size_t n = next_rand(&seed) % 14;
            for (size_t t = 0; t < n; t++) {
                const char *tok = tokens[next_rand(&seed) % n_tokens];
                memcpy(buf + len, tok, strlen(tok));
                len += strlen(tok);
            }
        } else {
            /* Records of two fields, now and then one field more or
             * less or a stray token. */
            size_t n_rec = 1 + next_rand(&seed) % 5;
            for (size_t r = 0; r < n_rec; r++) {
                size_t nf = 2;
                if (next_rand(&seed) % 16 == 0)
                    nf += next_rand(&seed) % 2 ? 1 : (size_t)-1;
                for (size_t f = 0; f < nf; f++) {
                    const char *tok = fields[next_rand(&seed) % n_fields];
                    if (next_rand(&seed) % 25 == 0)
                        tok = tokens[next_rand(&seed) % n_tokens];
                    if (f)
                        buf[len++] = ',';
                    memcpy(buf + len, tok, strlen(tok));
                    len += strlen(tok);
                }
                const char *eol = eols[next_rand(&seed) % n_eols];
                if (r + 1 < n_rec || next_rand(&seed) % 2) {
                    memcpy(buf + len, eol, strlen(eol));
                    len += strlen(eol);
                }
            }
        }
        if (round % 97 == 0 && len > 2)
            buf[len / 2] = '\0'; /* now and then a NUL */
        if (opt.delimiter == '\t')
            for (size_t i = 0; i < len; i++)
                buf[i] = buf[i] == ',' ? '\t' : buf[i] == '\t' ? ',' : buf[i];
        char *want = reference_dump(buf, len, opt.delimiter, !opt.strict);
        char *got = run_all_chunkings(buf, len, &opt);
        assert_null(strstr(got, "internal error"));
        strip_message(got);
        if (strcmp(got, want) != 0)
            fail_msg("round %d: got\n%s\nreference\n%s", round, got, want);
        free(got);
        free(want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spectrum),
        cmocka_unit_test(test_spectrum_location_strict),
        cmocka_unit_test(test_tricky_files),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_bom_pieces),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_lenient),
        cmocka_unit_test(test_tsv),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_field_cap),
        cmocka_unit_test(test_record_caps),
        cmocka_unit_test(test_delimiter_detection),
        cmocka_unit_test(test_detect_long_header),
        cmocka_unit_test(test_callback_error_sticks),
        cmocka_unit_test(test_generated_chunkings),
        cmocka_unit_test(test_random_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
