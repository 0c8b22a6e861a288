/* evm_parse_date against epoch seconds from GNU date
 * (`date -u -d 2023-09-13 +%s`), period ends, zones, leap years and
 * malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/events.h>

typedef struct good {
    const char *text;
    double start_s, end_s;
} good_t;

/* start_s from `date -u -d TEXT +%s`; end_s is the next period's start
 * minus one second (by the same command), or start_s for a date-time. */
static const good_t good[] = {
    {"1970-01-01", 0, 86399},
    {"2023-09-13", 1694563200, 1694563200 + 86399},
    {"2023", 1672531200, 1704067200 - 1},
    {"2023-09", 1693526400, 1696118400 - 1},
    {"2023-12", 1701388800, 1704067200 - 1},
    {"2024-02", 1706745600, 1709251200 - 1},
    {"2024-02-29", 1709164800, 1709164800 + 86399},
    {"2000-02-29", 951782400, 951782400 + 86399},
    {"1900-03-01", -2203891200, -2203891200 + 86399},
    {"1969-12-31T23:59:59", -1, -1},
    {"0001-01-01", -62135596800, -62135596800 + 86399},
    {"0000-03-01", -62162035200, -62162035200 + 86399},
    {"1600-01-01", -11676096000, -11676096000 + 86399},
    {"9999-12-31T23:59:59", 253402300799, 253402300799},
    {"9999", 253370764800, 253402300799},
    {"2023-09-13T10:30", 1694601000, 1694601000},
    {"2023-09-13T10:30:00", 1694601000, 1694601000},
    {"2023-09-13 10:30:00", 1694601000, 1694601000},
    {"2023-09-13t10:30:00z", 1694601000, 1694601000},
    {"2023-09-13T10:30:00Z", 1694601000, 1694601000},
    {"2023-09-13T10:30:00+09:00", 1694568600, 1694568600},
    {"2023-09-13T10:30:00+0900", 1694568600, 1694568600},
    {"2023-09-13T10:30:00+09", 1694568600, 1694568600},
    {"2023-09-13T10:30:00-05:30", 1694620800, 1694620800},
    {"2023-09-13T10:30-05:30", 1694620800, 1694620800},
    {"2023-09-13T10:30:00.5Z", 1694601000.5, 1694601000.5},
    {"2023-09-13T10:30:00,25", 1694601000.25, 1694601000.25},
    {"2023-09-13T10:30:00.123456789123Z", 1694601000.123456789,
     1694601000.123456789},
    {"  2023-09-13  ", 1694563200, 1694563200 + 86399},
};

static void test_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double s = -1e300, e = -1e300;
        if (evm_parse_date(good[i].text, &s, &e) != EVM_OK)
            fail_msg("\"%s\" was refused", good[i].text);
        /* Exact: whole seconds and short binary fractions are exact in a
         * double; the nanosecond case is within a microsecond. */
        if (s != good[i].start_s &&
            !(s - good[i].start_s < 1e-6 && good[i].start_s - s < 1e-6))
            fail_msg("\"%s\": start %.9f, expected %.9f", good[i].text, s,
                     good[i].start_s);
        if (e != good[i].end_s &&
            !(e - good[i].end_s < 1e-6 && good[i].end_s - e < 1e-6))
            fail_msg("\"%s\": end %.9f, expected %.9f", good[i].text, e,
                     good[i].end_s);
    }
    /* Output pointers may be NULL. */
    assert_int_equal(evm_parse_date("2023", NULL, NULL), EVM_OK);
}

static const char *const bad[] = {
    "",
    " ",
    "23",
    "202",
    "20230",
    "2023-",
    "2023-9",
    "2023-13",
    "2023-00",
    "2023-13-01",
    "2023-02-29",
    "1900-02-29",
    "2023-04-31",
    "2023-09-00",
    "2023-09-32",
    "2023/09/13",
    "2023-09-13T",
    "2023-09-13T10",
    "2023-09-13T10:3",
    "2023-09-13T24:00",
    "2023-09-13T10:60",
    "2023-09-13T23:59:60",
    "2023-09-13T10:30:0",
    "2023-09-13T10:30:00.",
    "2023-09-13T10:30:00+",
    "2023-09-13T10:30:00+9",
    "2023-09-13T10:30:00+09:0",
    "2023-09-13T10:30:00+24:00",
    "2023-09-13T10:30:00+09:60",
    "2023-09-13T10:30:00 Z",
    "2023-09-13T10:30:00ZZ",
    "2023-09-13Z",
    "2023-09-13+01:00",
    "2023-09-13  10:30",
    "20230913",
    "-2023",
    "+2023-01-01",
    "2023-09-13x",
    "2023-09-13T10:30:00Zjunk",
    "１９７０",
    "nan",
    "2023-09-13T10:30:00+09:00:00",
};

static void test_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double s = 42, e = 43;
        if (evm_parse_date(bad[i], &s, &e) != EVM_ERR_PARSE)
            fail_msg("\"%s\" was accepted", bad[i]);
        /* Outputs are left alone on failure. */
        assert_true(s == 42 && e == 43);
    }
    assert_int_equal(evm_parse_date(NULL, NULL, NULL), EVM_ERR_PARSE);
}

/* Every day of 1900-2100 follows the one before by 86400 s, and month
 * lengths follow the leap-year rule (1900 and 2100 are not leap years,
 * 2000 is). */
static void test_calendar_walk(void **state)
{
    (void)state;
    double prev = 0;
    int days = 0;
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= 31; d++) {
                char text[48];
                snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
                double s;
                bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                int dim = m == 2 ? (leap ? 29 : 28)
                          : (m == 4 || m == 6 || m == 9 || m == 11) ? 30
                                                                    : 31;
                evm_status st = evm_parse_date(text, &s, NULL);
                if (d > dim) {
                    assert_int_equal(st, EVM_ERR_PARSE);
                    continue;
                }
                assert_int_equal(st, EVM_OK);
                if (days++ > 0)
                    assert_true(s - prev == 86400);
                prev = s;
            }
        }
    }
    /* 1900-01-01 to 2100-12-31: 201 years with 49 leap days. */
    assert_int_equal(days, 201 * 365 + 49);
    double s;
    assert_int_equal(evm_parse_date("2100-12-31", &s, NULL), EVM_OK);
    assert_true(s == 4133894400.0); /* date -u -d 2100-12-31 +%s */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_calendar_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
