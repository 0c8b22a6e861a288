/* Tests of the growable buffer (core/buf.h): appends, the NUL after the
 * bytes, the cap, and the failure that sticks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"

static void test_appends(void **state)
{
    (void)state;
    evm_buf_t b = {0};
    evm_buf_put(&b, "", 0);
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    evm_buf_puts(&b, "abc");
    evm_buf_putc(&b, '-');
    evm_buf_printf(&b, "%d/%s", 42, "x");
    assert_int_equal(b.len, 8);
    assert_string_equal(b.data, "abc-42/x");
    /* Growing past the first allocation keeps every byte. */
    for (int i = 0; i < 1000; i++)
        evm_buf_put(&b, "0123456789", 10);
    assert_int_equal(b.len, 10008);
    assert_memory_equal(b.data + 9998, "01234567890", 10);
    assert_int_equal(b.data[b.len], '\0');
    assert_false(b.nomem);
    evm_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    char *p = evm_buf_reserve(&b, 3);
    memcpy(p, "xyz", 3);
    evm_buf_commit(&b, 3);
    assert_string_equal(b.data, "xyz");
    evm_buf_free(&b);
    assert_null(b.data);
    evm_buf_free(NULL);
}

static void test_cap_sticks(void **state)
{
    (void)state;
    evm_buf_t b;
    evm_buf_init(&b, 5);
    evm_buf_puts(&b, "12345");
    assert_false(b.nomem);
    evm_buf_putc(&b, '6'); /* one past the cap */
    assert_true(b.nomem);
    assert_string_equal(b.data, "12345");
    /* Later appends, even small ones that would fit, are no-ops. */
    evm_buf_free(&b);
    evm_buf_init(&b, 5);
    evm_buf_puts(&b, "123456");
    evm_buf_puts(&b, "1");
    assert_true(b.nomem);
    assert_int_equal(b.len, 0);
    assert_null(evm_buf_reserve(&b, 0));
    evm_buf_free(&b);
    /* A request that would overflow size_t fails without allocating. */
    evm_buf_t c = {0};
    evm_buf_puts(&c, "a");
    assert_null(evm_buf_reserve(&c, SIZE_MAX));
    assert_true(c.nomem);
    evm_buf_free(&c);
}

static void test_truncate(void **state)
{
    (void)state;
    evm_buf_t b = {0};
    evm_buf_truncate(&b, 0); /* empty, never allocated: a no-op */
    assert_null(b.data);
    evm_buf_puts(&b, "data-name");
    evm_buf_truncate(&b, 20); /* past the end: unchanged */
    assert_int_equal(b.len, 9);
    assert_string_equal(b.data, "data-name");
    evm_buf_truncate(&b, 4);
    assert_int_equal(b.len, 4);
    assert_string_equal(b.data, "data");
    evm_buf_printf(&b, "-%lu", 2UL);
    assert_string_equal(b.data, "data-2");
    evm_buf_truncate(&b, 0);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    evm_buf_free(&b);
    /* The failure stays: truncating does not make room again. */
    evm_buf_init(&b, 3);
    evm_buf_puts(&b, "abcd");
    assert_true(b.nomem);
    evm_buf_truncate(&b, 0);
    evm_buf_putc(&b, 'a');
    assert_true(b.nomem);
    assert_int_equal(b.len, 0);
    evm_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_cap_sticks),
        cmocka_unit_test(test_truncate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
