/* Tests of the number formatter and the text helpers of core/: values
 * written out by hand, ties, signs of values that round to zero, the
 * printf fallback, numbers read and written under a decimal-comma
 * locale, UTF-8 edge cases and JSON escapes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/num.h"
#include "core/option_text.h"
#include "core/text.h"
#include "testutil.h"

static void test_scaled(void **state)
{
    (void)state;
    char b[EVM_NUM_MAX];
    const struct {
        long long k;
        int dec;
        bool trim;
        const char *want;
    } cases[] = {
        {0, 0, true, "0"},
        {0, 3, true, "0"},
        {0, 3, false, "0.000"},
        {1250, 2, true, "12.5"},
        {1250, 2, false, "12.50"},
        {-5, 1, true, "-0.5"},
        {-1, 6, true, "-0.000001"},
        {300, 2, true, "3"},
        {7, 0, false, "7"},
        {INT64_MIN + 1, 0, true, "-9223372036854775807"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = evm_num_scaled(b, cases[i].k, cases[i].dec, cases[i].trim);
        assert_string_equal(b, cases[i].want);
        assert_int_equal(n, strlen(cases[i].want));
    }
}

static void test_fixed(void **state)
{
    (void)state;
    char b[EVM_NUM_MAX];
    evm_num_fixed(b, 126.97796919999, 7, true);
    assert_string_equal(b, "126.9779692");
    evm_num_fixed(b, 2.5, 0, false); /* half away from zero */
    assert_string_equal(b, "3");
    evm_num_fixed(b, -2.5, 0, false);
    assert_string_equal(b, "-3");
    evm_num_fixed(b, -0.004, 2, false); /* rounds to zero: no sign */
    assert_string_equal(b, "0.00");
    evm_num_fixed(b, 180, 7, true);
    assert_string_equal(b, "180");
    assert_int_equal(evm_num_fixed(b, NAN, 2, false), 0);
    assert_string_equal(b, "");
    /* Past the integer path: printf, with a '.' and trimmed alike. */
    evm_num_fixed(b, 1e17, 2, false);
    assert_string_equal(b, "100000000000000000.00");
    evm_num_fixed(b, 1e17, 2, true);
    assert_string_equal(b, "100000000000000000");
}

static void test_general(void **state)
{
    (void)state;
    char b[EVM_NUM_MAX];
    const struct {
        double v;
        const char *want;
    } t[] = {{0.1, "0.1"},
             {-2.5, "-2.5"},
             {12, "12"},
             {-0.0, "0"},
             {1.0 / 3, "0.333333333333333"},
             {1e300, "1e+300"},
             {-1.5e-10, "-1.5e-10"},
             {2e16, "2e+16"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t n = evm_num_general(b, t[i].v);
        assert_string_equal(b, t[i].want);
        assert_int_equal(n, strlen(t[i].want));
    }
    assert_int_equal(evm_num_general(b, NAN), 0);
    assert_string_equal(b, "");
    assert_int_equal(evm_num_general(b, -INFINITY), 0);
    /* Fewer digits, as %.10g; integers still whole; digits clamped. */
    evm_num_significant(b, 0.00707603645583, 10);
    assert_string_equal(b, "0.007076036456");
    evm_num_significant(b, 12345678901.0, 10);
    assert_string_equal(b, "12345678901");
    evm_num_significant(b, 2.0 / 3, 0);
    assert_string_equal(b, "0.7");
    evm_num_significant(b, 0.1, 40);
    assert_string_equal(b, "0.10000000000000001");
}

static void test_thousands(void **state)
{
    (void)state;
    char buf[64];
    evm_num_thousands(1441.2, 0, buf, sizeof buf);
    assert_string_equal(buf, "1,441");
    evm_num_thousands(8012345.678, 1, buf, sizeof buf);
    assert_string_equal(buf, "8,012,345.7");
    evm_num_thousands(999, 0, buf, sizeof buf);
    assert_string_equal(buf, "999");
    evm_num_thousands(-1000, 0, buf, sizeof buf);
    assert_string_equal(buf, "-1,000");
    evm_num_thousands(0.25, 2, buf, sizeof buf);
    assert_string_equal(buf, "0.25");
    evm_num_thousands(123456, 0, buf, 4); /* cut to the room there is */
    assert_string_equal(buf, "123");
}

static void test_utf8(void **state)
{
    (void)state;
    const struct {
        const char *s;
        size_t want;
    } cases[] = {
        {"a", 1},
        {"\xC3\xA9", 2},
        {"\xE6\x97\xA5", 3},
        {"\xF0\x9F\x98\x80", 4},
        {"\x80", 0},             /* stray continuation byte */
        {"\xC0\xAF", 0},         /* overlong '/' */
        {"\xE0\x80\xAF", 0},     /* overlong, three bytes */
        {"\xED\xA0\x80", 0},     /* UTF-16 surrogate */
        {"\xF4\x90\x80\x80", 0}, /* past U+10FFFF */
        {"\xE2\x82", 0},         /* truncated */
        {"\xF5\x80\x80\x80", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(
            evm_utf8_seq((const unsigned char *)cases[i].s, strlen(cases[i].s)),
            cases[i].want);
    /* A sequence longer than what is available is not one. */
    assert_int_equal(evm_utf8_seq((const unsigned char *)"\xE6\x97\xA5", 2), 0);
    assert_int_equal(evm_utf8_decode((const unsigned char *)"\xE6\x97\xA5", 3),
                     0x65E5);
    assert_true(evm_xml_name_char(0x65E5));
    assert_false(evm_xml_name_char(0xD7));
}

static void test_json_string(void **state)
{
    (void)state;
    evm_buf_t b = {0};
    evm_json_string(&b, "a\"b\\c\nd\te\x01 \xC3\xA9 \xFF!");
    assert_string_equal(b.data,
                        "\"a\\\"b\\\\c\\nd\\te\\u0001 \xC3\xA9 \\ufffd!\"");
    evm_buf_reset(&b);
    evm_json_string(&b, NULL);
    assert_string_equal(b.data, "\"\"");
    evm_buf_free(&b);
}

/* Under a locale whose decimal point is a comma, numbers are read and
 * written with a '.' all the same: the option reader, strtod's stand-in
 * and the printf fallbacks of the formatter. */
static void test_decimal_comma(void **state)
{
    (void)state;
    char *dir;
    bool comma = evm_test_decimal_comma_locale(&dir);
    char probe[16], general[EVM_NUM_MAX], big[EVM_NUM_MAX];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    char *end;
    double v = evm_num_strtod("1.5x", &end);
    double w = 0;
    bool ok = evm_option_number(" 2.25 ", &w);
    evm_num_general(general, 1.0 / 3);
    evm_num_fixed(big, 1e17, 2, false);
    evm_test_c_locale(dir);
    assert_true(v == 1.5);
    assert_int_equal(*end, 'x');
    assert_true(ok && w == 2.25);
    assert_string_equal(general, "0.333333333333333");
    assert_string_equal(big, "100000000000000000.00");
    if (comma)
        assert_string_equal(probe, "1,5"); /* the locale did switch */
    else
        print_message("note: no decimal-comma locale; checked under C\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scaled),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_thousands),
        cmocka_unit_test(test_general),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_decimal_comma),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
