/* The row filter (--where, --since, --until): the loader and
 * evm_events_filter (each map of a batch) keep the same rows for the same
 * filter, whatever the blanks, the case of the column or the way several
 * clauses are given. */
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

#include "load/filter.h"
#include "testutil.h"

static const char csv[] = "name,lat,lon,Kind,date\n"
                          "A,1,1,capital,2023-09-01\n"
                          "B,2,2, capital ,2023-09-10\n"
                          "C,3,3,city,2023-09-10T12:00:00Z\n"
                          "D,4,4,capital,\n"
                          "E,5,5,Capital,2023-10-01\n";

/* The names kept by the loader with these filters, as "A,B". */
static void loaded(const char *const *where, size_t n_where, const char *since,
                   const char *until, char *out, size_t cap)
{
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.where = where;
    o.n_where = n_where;
    o.since = since;
    o.until = until;
    evm_events_t *ev = NULL;
    evm_error_t e;
    assert_int_equal(
        evm_events_load_memory("f.csv", csv, strlen(csv), &o, &ev, &e), EVM_OK);
    out[0] = '\0';
    for (size_t i = 0; i < evm_events_count(ev); i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? "," : "",
                 evm_events_get(ev, i)->name);
    evm_events_destroy(ev);
}

/* The same through evm_events_filter on the whole file. */
static void filtered(const char *const *where, size_t n_where,
                     const char *since, const char *until, char *out,
                     size_t cap)
{
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    evm_events_t *ev = NULL;
    evm_error_t e;
    assert_int_equal(
        evm_events_load_memory("f.csv", csv, strlen(csv), &o, &ev, &e), EVM_OK);
    size_t *idx = NULL, n = 0;
    assert_int_equal(
        evm_events_filter(ev, where, n_where, since, until, &idx, &n, &e),
        EVM_OK);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? "," : "",
                 evm_events_get(ev, idx[i])->name);
    free(idx);
    evm_events_destroy(ev);
}

static void expect_rows(const char *const *where, size_t n_where,
                        const char *since, const char *until, const char *want)
{
    char a[64], b[64];
    loaded(where, n_where, since, until, a, sizeof a);
    filtered(where, n_where, since, until, b, sizeof b);
    assert_string_equal(a, want);
    assert_string_equal(b, want);
}

/* Issue 16: `info --where "kind= capital"` kept no row while a batch
 * job with the same cell kept them; blanks around the value and the
 * column are ignored by both, and cells are trimmed. */
static void test_blank_value(void **state)
{
    (void)state;
    const char *w1[] = {"kind= capital"};
    expect_rows(w1, 1, NULL, NULL, "A,B,D");
    const char *w2[] = {" KIND =capital "};
    expect_rows(w2, 1, NULL, NULL, "A,B,D");
    /* Values are compared byte for byte: case matters. */
    const char *w3[] = {"kind=Capital"};
    expect_rows(w3, 1, NULL, NULL, "E");
}

static void test_clauses(void **state)
{
    (void)state;
    /* Repeated options and ';' in one text are the same. */
    const char *rep[] = {"kind=capital", "name=B"};
    expect_rows(rep, 2, NULL, NULL, "B");
    const char *semi[] = {"kind=capital; name=B;"};
    expect_rows(semi, 1, NULL, NULL, "B");
    const char *none[] = {"kind=capital", "name=C"};
    expect_rows(none, 2, NULL, NULL, "");
    /* An empty value keeps the rows whose cell is empty. */
    const char *empty_value[] = {"date="};
    expect_rows(empty_value, 1, NULL, NULL, "D");
}

static void test_dates(void **state)
{
    (void)state;
    /* Inclusive; a day covers the whole day; undated rows are dropped. */
    expect_rows(NULL, 0, "2023-09-10", "2023-09-10", "B,C");
    expect_rows(NULL, 0, "2023-09-02", NULL, "B,C,E");
    expect_rows(NULL, 0, NULL, "2023-09", "A,B,C");
    const char *w[] = {"kind=city"};
    expect_rows(w, 1, "2023-09-10", NULL, "C");
}

static void test_errors(void **state)
{
    (void)state;
    evm_row_filter_t f;
    evm_error_t e;
    const char *bad[] = {"kind"};
    assert_int_equal(evm_row_filter_init(&f, bad, 1, NULL, NULL, &e),
                     EVM_ERR_INVALID_ARG);
    assert_string_equal(e.message, "filter \"kind\" is not COLUMN=VALUE");
    const char *bad2[] = {"a=1; =x"};
    assert_int_equal(evm_row_filter_init(&f, bad2, 1, NULL, NULL, &e),
                     EVM_ERR_INVALID_ARG);
    assert_string_equal(e.message, "filter \" =x\" is not COLUMN=VALUE");
    const char *empty[] = {""};
    assert_int_equal(evm_row_filter_init(&f, empty, 1, NULL, NULL, &e),
                     EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_row_filter_init(&f, NULL, 0, "2024", "2023", &e),
                     EVM_ERR_INVALID_ARG);
    assert_string_equal(e.message, "since \"2024\" is after until \"2023\"");
    assert_int_equal(evm_row_filter_init(&f, NULL, 0, "soon", NULL, &e),
                     EVM_ERR_INVALID_ARG);

    /* A missing column: the same words from the loader and the filter. */
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    evm_events_t *ev = NULL;
    assert_int_equal(
        evm_events_load_memory("f.csv", csv, strlen(csv), &o, &ev, &e), EVM_OK);
    const char *colour[] = {"colour=red"};
    size_t *idx = NULL, n = 0;
    assert_int_equal(evm_events_filter(ev, colour, 1, NULL, NULL, &idx, &n, &e),
                     EVM_ERR_NOT_FOUND);
    assert_non_null(strstr(e.message, "filter column \"colour\" is not in "
                                      "the header; columns: name, lat, lon, "
                                      "Kind, date"));
    assert_null(idx);
    evm_events_destroy(ev);
    o.where = colour;
    o.n_where = 1;
    assert_int_equal(
        evm_events_load_memory("f.csv", csv, strlen(csv), &o, &ev, &e),
        EVM_ERR_NOT_FOUND);
    assert_non_null(strstr(e.message, "filter column \"colour\" is not in "
                                      "the header; columns: name, lat, lon, "
                                      "Kind, date"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blank_value),
        cmocka_unit_test(test_clauses),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
