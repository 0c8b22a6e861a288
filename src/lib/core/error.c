/* Error objects and overflow-checked allocation. */
#define _POSIX_C_SOURCE 200809L /* the XSI strerror_r */

#include "core/error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

evm_status evm_error_set(evm_error_t *err, evm_status status, const char *file,
                         unsigned long line, unsigned long column,
                         const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

evm_status evm_why(char *why, size_t cap, const char *fmt, ...)
{
    if (why && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, cap, fmt, ap);
        va_end(ap);
    }
    return EVM_ERR_PARSE;
}

evm_status evm_error_io(evm_error_t *err, const char *file, const char *what,
                        int errnum)
{
    char reason[128];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", errnum);
    return evm_error_set(err, EVM_ERR_IO, file, 0, 0, "%s: %s", what, reason);
}

void evm_error_clear(evm_error_t *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

const char *evm_status_name(evm_status status)
{
    switch (status) {
    case EVM_OK:
        return "ok";
    case EVM_ERR_PARSE:
        return "parse error";
    case EVM_ERR_IO:
        return "I/O error";
    case EVM_ERR_PROJ:
        return "projection error";
    case EVM_ERR_RENDER:
        return "render error";
    case EVM_ERR_NOMEM:
        return "out of memory";
    case EVM_ERR_INVALID_ARG:
        return "invalid argument";
    case EVM_ERR_NOT_FOUND:
        return "not found";
    case EVM_ERR_CANCELLED:
        return "cancelled";
    }
    return "unknown status";
}

/* The text before escaping. */
static void format_raw(const evm_error_t *err, char *buf, size_t cap)
{
    const char *msg =
        err->message[0] ? err->message : evm_status_name(err->status);
    if (!err->file[0])
        snprintf(buf, cap, "%s", msg);
    else if (err->line && err->column)
        snprintf(buf, cap, "%s:%lu:%lu: %s", err->file, err->line, err->column,
                 msg);
    else if (err->line)
        snprintf(buf, cap, "%s:%lu: %s", err->file, err->line, msg);
    else
        snprintf(buf, cap, "%s: %s", err->file, msg);
}

int evm_error_format(const evm_error_t *err, char *buf, size_t cap)
{
    if (!err)
        return snprintf(buf, cap, "%s", "");
    /* File, position and message fit: each field is bounded. */
    char raw[EVM_ERROR_FILE_MAX + EVM_ERROR_MESSAGE_MAX + 64];
    format_raw(err, raw, sizeof raw);
    return (int)evm_text_escape(buf, cap, raw);
}

void *evm_alloc_array(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return malloc(n * size > 0 ? n * size : 1);
}

void *evm_realloc_array(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return realloc(p, n * size > 0 ? n * size : 1);
}

int evm_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -1;
        n *= 2;
    }
    void *q = evm_realloc_array(*p, n, size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

char *evm_strdup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s ? s : "", n);
    return d;
}

evm_status evm_options_check(unsigned version, unsigned current,
                             const char *what, evm_error_t *err)
{
    if (version >= 1 && version <= current)
        return EVM_OK;
    return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                         "%s has version %u; this libevmap knows 1 to %u "
                         "(start from %s_init)",
                         what, version, current, what);
}
