/* evm_parse_coordinate: a table of accepted forms with hand-computed
 * values (39°01′30″N = 39 + 1/60 + 30/3600 = 39.025), a table of refused
 * inputs with their reasons, and independence from LC_NUMERIC. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/events.h>

typedef struct good {
    const char *text;
    bool is_lat;
    double deg;
} good_t;

static const good_t good[] = {
    /* decimal degrees */
    {"39.0392", true, 39.0392},
    {"-125.76", false, -125.76},
    {"+45.5", true, 45.5},
    {"0", true, 0},
    {"-0", false, 0},
    {"90", true, 90},
    {"-90", true, -90},
    {"180", false, 180},
    {"-180.000", false, -180},
    {".5", true, 0.5},
    {"45.", true, 45},
    {"007.25", false, 7.25},
    {"  45.5\t", true, 45.5},
    {"12.3456789012345", false, 12.3456789012345},
    {"\xE2\x88\x92"
     "12.5",
     true, -12.5}, /* U+2212 minus sign */
    /* hemisphere letters, suffix or prefix, either case */
    {"125.76E", false, 125.76},
    {"125.76W", false, -125.76},
    {"125.76 w", false, -125.76},
    {"W125.76", false, -125.76},
    {"w 125.76", false, -125.76},
    {"39.5N", true, 39.5},
    {"39.5s", true, -39.5},
    {"S 39.5", true, -39.5},
    {"45e", false, 45},
    /* degrees, minutes, seconds */
    {"39\xC2\xB0"
     "01\xE2\x80\xB2"
     "30\xE2\x80\xB3"
     "N",
     true, 39.025},
    {"39\xC2\xB0"
     "01\xE2\x80\xB2"
     "N",
     true, 39.0 + 1.0 / 60},
    {"39\xC2\xB0"
     "01\xE2\x80\xB2"
     "30\xE2\x80\xB3"
     "S",
     true, -39.025},
    {"39 1 30 N", true, 39.025},
    {"39:01:30N", true, 39.025},
    {"39:01:30", true, 39.025},
    {"-39:01:30", true, -39.025},
    {"39 30", true, 39.5},
    {"39 1 30S", true, -39.025},
    {"39\xC2\xB0 1' 30.5\" N", true, 39.0 + 1.0 / 60 + 30.5 / 3600},
    {"39\xC2\xB0"
     "1'30\"",
     true, 39.025},
    {"39\xC2\xB0"
     "1'30''",
     true, 39.025},
    {"39\xC2\xBA"
     "1\xE2\x80\x99"
     "30\xE2\x80\x9D"
     "N",
     true, 39.025}, /* º ’ ” from word processors */
    {"125\xC2\xB0"
     "45.5'E",
     false, 125.0 + 45.5 / 60},
    {"12.5\xC2\xB0", true, 12.5},
    {"12\xC2\xB0 30.5\xE2\x80\xB2", true, 12.0 + 30.5 / 60},
    {"39d1m30s", true, 39.025},
    {"39d 1m 30s S", true, -39.025},
    {"39d1m30sS", true, -39.025},
    {"39D 1M 30S N", true, 39.025},
    {"125d45m30s W", false, -(125.0 + 45.0 / 60 + 30.0 / 3600)},
    {"125 45 30s", false, 125.0 + 45.0 / 60 + 30.0 / 3600},
    {"N 39 1 30", true, 39.025},
    {"89 59 59.999", true, 89.0 + 59.0 / 60 + 59.999 / 3600},
    {"90 0 0 S", true, -90},
};

static void test_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double v = -999;
        char why[128] = "";
        evm_status st = evm_parse_coordinate(good[i].text, good[i].is_lat, &v,
                                             why, sizeof why);
        if (st != EVM_OK)
            fail_msg("\"%s\" refused: %s", good[i].text, why);
        double d = v - good[i].deg;
        if (d > 1e-12 || d < -1e-12)
            fail_msg("\"%s\": %.15g, expected %.15g", good[i].text, v,
                     good[i].deg);
    }
}

/* Plain decimals convert exactly like the C literal (correct rounding). */
static void test_decimal_exact(void **state)
{
    (void)state;
    double v;
    assert_int_equal(evm_parse_coordinate("39.0392", true, &v, NULL, 0),
                     EVM_OK);
    assert_true(v == 39.0392);
    assert_int_equal(evm_parse_coordinate("-125.7625", false, &v, NULL, 0),
                     EVM_OK);
    assert_true(v == -125.7625);
    assert_int_equal(evm_parse_coordinate("0.1", false, &v, NULL, 0), EVM_OK);
    assert_true(v == 0.1);
    assert_int_equal(
        evm_parse_coordinate("179.99999999999", false, &v, NULL, 0), EVM_OK);
    assert_true(v == 179.99999999999);
}

typedef struct bad {
    const char *text;
    bool is_lat;
    const char *why;
} bad_t;

static const bad_t bad[] = {
    {"", true, "is empty"},
    {" \t ", true, "is empty"},
    {"nan", true, "is not a finite number"},
    {"NaN", false, "is not a finite number"},
    {"inf", true, "is not a finite number"},
    {"-inf", true, "is not a finite number"},
    {"infinity", false, "is not a finite number"},
    {"Infinity", true, "is not a finite number"},
    {"0x1p3", true, "has unexpected text \"x1p3\""},
    {"1e400", true, "has an exponent; write plain decimal degrees"},
    {"1e400", false, "has an exponent; write plain decimal degrees"},
    {"4.5e1", true, "has an exponent; write plain decimal degrees"},
    {"4.5E+1", false, "has an exponent; write plain decimal degrees"},
    {"45,5", true, "uses a decimal comma; write a point"},
    {"--5", true, "is not a number"},
    {"+-5", true, "is not a number"},
    {"- 5", true, "is not a number"},
    {"abc", true, "is not a number"},
    {"N", true, "is not a number"},
    {".", true, "is not a number"},
    {"45.5.5", true, "has unexpected text \".5\""},
    {"45.5x", true, "has unexpected text \"x\""},
    {"45 N x", true, "has unexpected text \"x\""},
    {"1 2 3 4", true, "has unexpected text \"4\""},
    {"-45N", true, "has both a sign and a hemisphere letter"},
    {"N-45", true, "has both a sign and a hemisphere letter"},
    {"+45E", false, "has both a sign and a hemisphere letter"},
    {"N45S", true, "has two hemisphere letters"},
    {"45E", true, "has hemisphere letter E, which is for longitudes"},
    {"45N", false, "has hemisphere letter N, which is for latitudes"},
    {"S45", false, "has hemisphere letter S, which is for latitudes"},
    {"39\xC2\xB0"
     "60\xE2\x80\xB2",
     true, "has minutes of 60 or more"},
    {"39 1 60", true, "has seconds of 60 or more"},
    {"39 1 59.9999999999 N", true, NULL},
    {"39.5 30", true, "has a fraction before its last component"},
    {"39 30.5 10", true, "has a fraction before its last component"},
    {"39\xC2\xB0"
     "01\xE2\x80\xB3",
     true, "has its degree, minute and second marks out of order"},
    {"39'", true, "has its degree, minute and second marks out of order"},
    {"39:", true, "has no number after ':'"},
    {"39::01", true, "has no number after ':'"},
    {":39", true, "is not a number"},
    {"91", true, "is outside [-90, 90]"},
    {"90.0000001", true, "is outside [-90, 90]"},
    {"-90.5", true, "is outside [-90, 90]"},
    {"90 30 N", true, "is outside [-90, 90]"},
    {"181", false, "is outside [-180, 180]"},
    {"-180.5", false, "is outside [-180, 180]"},
    {"99999999999999999999999999999999999999", false, "is outside [-180, 180]"},
    {"1234567890123456789012345678901234567890123", false,
     "has too many digits"},
    {"North", true, "is not a number"},
    {"45 deg", true, "has unexpected text \"deg\""},
    {"12\xC2\xB0 34\xC2\xB0", true,
     "has its degree, minute and second marks out of order"},
};

static void test_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 1234;
        char why[128] = "";
        evm_status st = evm_parse_coordinate(bad[i].text, bad[i].is_lat, &v,
                                             why, sizeof why);
        if (!bad[i].why) {
            /* Not bad after all: a value just under 60 seconds. */
            assert_int_equal(st, EVM_OK);
            continue;
        }
        if (st != EVM_ERR_PARSE)
            fail_msg("\"%s\" accepted as %.15g", bad[i].text, v);
        assert_true(v == 1234); /* untouched on failure */
        if (strcmp(why, bad[i].why) != 0)
            fail_msg("\"%s\": reason \"%s\", expected \"%s\"", bad[i].text, why,
                     bad[i].why);
    }
    /* why may be NULL or tiny. */
    assert_int_equal(evm_parse_coordinate("x", true, NULL, NULL, 0),
                     EVM_ERR_PARSE);
    char tiny[4];
    assert_int_equal(evm_parse_coordinate("x", true, NULL, tiny, sizeof tiny),
                     EVM_ERR_PARSE);
    assert_string_equal(tiny, "is ");
    assert_int_equal(evm_parse_coordinate(NULL, true, NULL, NULL, 0),
                     EVM_ERR_PARSE);
}

/* A locale with a decimal comma changes nothing. de_DE may not be
 * installed; then the C locale test above already showed "45,5" refused. */
static void test_locale_independent(void **state)
{
    (void)state;
    const char *locales[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE",
                             "fr_FR.UTF-8"};
    bool switched = false;
    for (size_t i = 0; i < 4 && !switched; i++)
        switched = setlocale(LC_NUMERIC, locales[i]) != NULL;
    double v = 0;
    assert_int_equal(evm_parse_coordinate("45.5", true, &v, NULL, 0), EVM_OK);
    assert_true(v == 45.5);
    assert_int_equal(evm_parse_coordinate("45,5", true, &v, NULL, 0),
                     EVM_ERR_PARSE);
    setlocale(LC_NUMERIC, "C");
    if (!switched)
        print_message("note: no de_DE/fr_FR locale installed; checked "
                      "under the C locale only\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_decimal_exact),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_locale_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
