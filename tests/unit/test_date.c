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
    /* Basic forms. */
    {"20230913", 1694563200, 1694563200 + 86399},
    {"20240305T103015Z", 1709634615, 1709634615},
    {"20240305T103015", 1709634615, 1709634615},
    {"20240305T1030+0100", 1709634600 - 3600, 1709634600 - 3600},
    /* Week dates: Mondays from `date -u -d 2024-03-04 +%s` and so on
     * (2024-W10 starts on 4 March; 2009-W01 on 29 December 2008; 2020
     * has a week 53, from 28 December). */
    {"2024-W10", 1709510400, 1709510400 + 7 * 86400 - 1},
    {"2024W10", 1709510400, 1709510400 + 7 * 86400 - 1},
    {"2024-w10", 1709510400, 1709510400 + 7 * 86400 - 1},
    {"2024-W10-2", 1709596800, 1709596800 + 86399},
    {"2024W102", 1709596800, 1709596800 + 86399},
    {"2009-W01-1", 1230508800, 1230508800 + 86399},
    {"2009-W01-7", 1231027200, 1231027200 + 86399},
    {"2020-W53", 1609113600, 1609113600 + 7 * 86400 - 1},
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
    "2021-W53",
    "2024-W00",
    "2024-W10-8",
    "2024-W10-0",
    "2024-W1",
    "2024-W10-",
    "2024-W102",
    "2024W10-2",
    "20240230",
    "20240305T",
    "20240305T10:30",
    "2024-0305",
    "202403",
    "2024030",
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

/* Named formats against `date -u -d`: each text's start and end. */
static void test_formats(void **state)
{
    (void)state;
    static const struct {
        const char *text, *fmt;
        double start_s, end_s;
    } ok[] = {
        {"05/03/2024", "%d/%m/%Y", 1709596800, 1709596800 + 86399},
        {"5/3/2024", "%d/%m/%Y", 1709596800, 1709596800 + 86399},
        {"03/05/24", "%m/%d/%y", 1709596800, 1709596800 + 86399},
        {"31.12.99", "%d.%m.%y", 946598400, 946598400 + 86399},
        {"5 Mar 2024", "%d %b %Y", 1709596800, 1709596800 + 86399},
        {"05  MARCH   2024", "%d %B %Y", 1709596800, 1709596800 + 86399},
        {"2024-03-05 14:30", "%Y-%m-%d %H:%M", 1709649000, 1709649000 + 59},
        {"2024-03-05 14:30:00 +0100", "%F %T %z", 1709649000 - 3600,
         1709649000 - 3600},
        {"2:30 PM 05/03/2024", "%I:%M %p %d/%m/%Y", 1709649000,
         1709649000 + 59},
        {"2024-065", "%Y-%j", 1709596800, 1709596800 + 86399},
        {"03/2024", "%m/%Y", 1709251200, 1711929600 - 1},
        {"1709634615", "epoch", 1709634615, 1709634615},
        {" -86400.25 ", "epoch", -86400.25, -86400.25},
        {"2024-W10", NULL, 1709510400, 1709510400 + 7 * 86400 - 1},
        {"2024-W10", "iso", 1709510400, 1709510400 + 7 * 86400 - 1},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double s = 0, e = 0;
        if (evm_parse_date_format(ok[i].text, ok[i].fmt, &s, &e) != EVM_OK)
            fail_msg("\"%s\" with \"%s\" was refused", ok[i].text,
                     ok[i].fmt ? ok[i].fmt : "(null)");
        if (s != ok[i].start_s || e != ok[i].end_s)
            fail_msg("\"%s\" with \"%s\": %.3f..%.3f, expected %.3f..%.3f",
                     ok[i].text, ok[i].fmt, s, e, ok[i].start_s, ok[i].end_s);
    }
    static const char *const no[][2] = {
        {"31/02/2024", "%d/%m/%Y"},
        {"05/13/2024", "%d/%m/%Y"},
        {"05/03/2024x", "%d/%m/%Y"},
        {"05-03-2024", "%d/%m/%Y"},
        {"5 Mrz 2024", "%d %b %Y"},
        {"13:00 PM", "%I:%M %p %Y"},
        {"2023-366", "%Y-%j"},
        {"1e9", "epoch"},
        {"", "epoch"},
        {"1234567890123", "epoch"},
        {"24:00", "%H:%M %Y"},
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (evm_parse_date_format(no[i][0], no[i][1], NULL, NULL) !=
            EVM_ERR_PARSE)
            fail_msg("\"%s\" with \"%s\" was not refused", no[i][0], no[i][1]);
    /* Bad patterns, whatever the text. */
    static const char *const bad_fmt[] = {"%d/%m", "%Q-%Y", "%Y%",
                                          "dd/mm/yyyy"};
    for (size_t i = 0; i < sizeof bad_fmt / sizeof bad_fmt[0]; i++)
        assert_int_equal(evm_parse_date_format("", bad_fmt[i], NULL, NULL),
                         EVM_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_calendar_walk),
        cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
