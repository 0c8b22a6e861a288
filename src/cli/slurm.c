/* The shard of a Slurm job array task, from the environment Slurm gives
 * each task: the CLI reads it (the library takes a shard and knows no
 * scheduler). See cli.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* EVM_ERR_INVALID_ARG with the message in err. */
static evm_status slurm_error(evm_error_t *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static evm_status slurm_error(evm_error_t *err, const char *fmt, ...)
{
    if (err) {
        evm_error_clear(err);
        err->status = EVM_ERR_INVALID_ARG;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return EVM_ERR_INVALID_ARG;
}

/* A variable's value as a decimal integer: digits only, in range. */
static bool ulong_value(const char *s, unsigned long *out)
{
    if (!s || !*s || s[strspn(s, "0123456789")] != '\0')
        return false;
    errno = 0;
    *out = strtoul(s, NULL, 10);
    return errno == 0;
}

evm_status cli_shard_from_slurm(cli_getenv_fn get, void *user, evm_shard_t *out,
                                bool *found, evm_error_t *err)
{
    *found = false;
    const char *id_s = get(user, "SLURM_ARRAY_TASK_ID");
    if (!id_s)
        return EVM_OK;
    const char *count_s = get(user, "SLURM_ARRAY_TASK_COUNT");
    const char *min_s = get(user, "SLURM_ARRAY_TASK_MIN");
    const char *max_s = get(user, "SLURM_ARRAY_TASK_MAX");
    const char *step_s = get(user, "SLURM_ARRAY_TASK_STEP");
    unsigned long id, count, min = 0, max = 0, step = 1;
    if (!ulong_value(id_s, &id))
        return slurm_error(err, "SLURM_ARRAY_TASK_ID \"%.40s\" is not a number",
                           id_s);
    if (!count_s || !ulong_value(count_s, &count) || count == 0)
        return slurm_error(err,
                           "SLURM_ARRAY_TASK_ID is set but "
                           "SLURM_ARRAY_TASK_COUNT is %s; pass --shard K/N",
                           count_s ? "not a positive number" : "not set");
    bool ranged = min_s || max_s;
    if (ranged &&
        (!ulong_value(min_s, &min) || !ulong_value(max_s, &max) ||
         (step_s && (!ulong_value(step_s, &step) || step == 0)) || max < min))
        return slurm_error(err,
                           "SLURM_ARRAY_TASK_MIN/_MAX/_STEP (%.20s/%.20s/"
                           "%.20s) do not describe a range",
                           min_s ? min_s : "unset", max_s ? max_s : "unset",
                           step_s ? step_s : "unset");
    if (!ranged) {
        if (id >= count)
            return slurm_error(err,
                               "Slurm array task id %lu is not in 0..%lu "
                               "(SLURM_ARRAY_TASK_COUNT=%lu); submit with "
                               "--array=0-%lu or pass --shard K/N",
                               id, count - 1, count, count - 1);
        out->index = id;
        out->count = count;
        *found = true;
        return EVM_OK;
    }
    /* The ids must be MIN, MIN+STEP, ..., MAX and COUNT of them; a list
     * such as --array=1,5,7 is not, and no task could know its place. */
    if ((max - min) % step != 0 || (max - min) / step + 1 != count ||
        id < min || id > max || (id - min) % step != 0)
        return slurm_error(
            err,
            "Slurm array ids %lu..%lu step %lu (task %lu, count %lu) are not "
            "a regular range of %lu tasks; submit with --array=0-%lu (or "
            "any A-B:S range) or pass --shard K/N",
            min, max, step, id, count, count, count - 1);
    out->index = (id - min) / step;
    out->count = count;
    *found = true;
    return EVM_OK;
}
