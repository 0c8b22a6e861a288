/* The shard of a Slurm array task (src/cli/slurm.c), from fake
 * environments: regular ranges map to shards, anything else is refused
 * with a message saying what to pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

/* A fake environment: NULL-terminated name, value pairs. */
static const char *table_env(void *user, const char *name)
{
    const char *const *t = user;
    for (; t[0]; t += 2)
        if (strcmp(t[0], name) == 0)
            return t[1];
    return NULL;
}

static void test_shard_slurm(void **state)
{
    (void)state;
    evm_shard_t s;
    bool found;
    evm_error_t e;
    const char *none[] = {NULL};
    assert_int_equal(cli_shard_from_slurm(table_env, none, &s, &found, &e),
                     EVM_OK);
    assert_false(found);

    /* --array=0-2: ids 0, 1, 2. */
    const char *a[] = {"SLURM_ARRAY_TASK_ID",
                       "1",
                       "SLURM_ARRAY_TASK_COUNT",
                       "3",
                       "SLURM_ARRAY_TASK_MIN",
                       "0",
                       "SLURM_ARRAY_TASK_MAX",
                       "2",
                       NULL};
    assert_int_equal(cli_shard_from_slurm(table_env, a, &s, &found, &e),
                     EVM_OK);
    assert_true(found && s.index == 1 && s.count == 3);

    /* --array=1-3: ids 1, 2, 3 map to shards 0, 1, 2. */
    const char *b[] = {"SLURM_ARRAY_TASK_ID",
                       "3",
                       "SLURM_ARRAY_TASK_COUNT",
                       "3",
                       "SLURM_ARRAY_TASK_MIN",
                       "1",
                       "SLURM_ARRAY_TASK_MAX",
                       "3",
                       "SLURM_ARRAY_TASK_STEP",
                       "1",
                       NULL};
    assert_int_equal(cli_shard_from_slurm(table_env, b, &s, &found, &e),
                     EVM_OK);
    assert_true(found && s.index == 2 && s.count == 3);

    /* --array=10-30:10: ids 10, 20, 30. */
    const char *c[] = {"SLURM_ARRAY_TASK_ID",
                       "20",
                       "SLURM_ARRAY_TASK_COUNT",
                       "3",
                       "SLURM_ARRAY_TASK_MIN",
                       "10",
                       "SLURM_ARRAY_TASK_MAX",
                       "30",
                       "SLURM_ARRAY_TASK_STEP",
                       "10",
                       NULL};
    assert_int_equal(cli_shard_from_slurm(table_env, c, &s, &found, &e),
                     EVM_OK);
    assert_true(found && s.index == 1 && s.count == 3);

    /* --array=1,5,7: count 3, but ids 1..7 are no regular range. */
    const char *d[] = {"SLURM_ARRAY_TASK_ID",
                       "5",
                       "SLURM_ARRAY_TASK_COUNT",
                       "3",
                       "SLURM_ARRAY_TASK_MIN",
                       "1",
                       "SLURM_ARRAY_TASK_MAX",
                       "7",
                       "SLURM_ARRAY_TASK_STEP",
                       "1",
                       NULL};
    assert_int_equal(cli_shard_from_slurm(table_env, d, &s, &found, &e),
                     EVM_ERR_INVALID_ARG);
    assert_non_null(strstr(e.message, "not a regular range"));
    assert_non_null(strstr(e.message, "--array=0-2"));

    /* Without MIN/MAX: the id itself must be in 0 <= id < count. */
    const char *f[] = {"SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_COUNT",
                       "3", NULL};
    assert_int_equal(cli_shard_from_slurm(table_env, f, &s, &found, &e),
                     EVM_ERR_INVALID_ARG);
    assert_non_null(strstr(e.message, "not in 0..2"));
    const char *g[] = {"SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_COUNT",
                       "3", NULL};
    assert_int_equal(cli_shard_from_slurm(table_env, g, &s, &found, &e),
                     EVM_OK);
    assert_true(found && s.index == 2 && s.count == 3);

    /* An id without a count. */
    const char *h[] = {"SLURM_ARRAY_TASK_ID", "0", NULL};
    assert_int_equal(cli_shard_from_slurm(table_env, h, &s, &found, &e),
                     EVM_ERR_INVALID_ARG);
    assert_non_null(strstr(e.message, "SLURM_ARRAY_TASK_COUNT is not set"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shard_slurm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
