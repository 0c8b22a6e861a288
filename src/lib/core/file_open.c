/* Opening input files, and the one reader of whole files with a size
 * cap that every loader reading a file whole goes through. strerror_r rather
 * than strerror: loaders run on several threads at once, and strerror may share
 * one buffer. */
#define _POSIX_C_SOURCE 200809L

#include "core/file_open.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

evm_status evm_file_open_read(const char *path, FILE **out, evm_error_t *err)
{
    *out = fopen(path, "rb");
    if (*out)
        return EVM_OK;
    return evm_error_io(err, path, "cannot open", errno);
}

void evm_format_bytes(size_t n, char *buf, size_t cap)
{
    if (n >= ((size_t)1 << 30) && n % ((size_t)1 << 30) == 0)
        snprintf(buf, cap, "%zu GiB", n >> 30);
    else if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
        snprintf(buf, cap, "%zu MiB", n >> 20);
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(buf, cap, "%zu KiB", n >> 10);
    else
        snprintf(buf, cap, "%zu bytes", n);
}

/* The line and column (1-based, in bytes) of offset at in buf. */
static void text_position(const char *buf, size_t at, unsigned long *line,
                          unsigned long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at; i++, (*col)++)
        if (buf[i] == '\n') {
            (*line)++;
            *col = 0;
        }
}

evm_status evm_read_file_capped(const char *path, size_t max_bytes,
                                unsigned flags, const char *option, char **out,
                                size_t *len, evm_error_t *err)
{
    *out = NULL;
    *len = 0;
    if (!max_bytes)
        max_bytes = EVM_READ_FILE_DEFAULT_MAX;
    FILE *f;
    evm_status st = evm_file_open_read(path, &f, err);
    if (st)
        return st;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        /* One byte past the limit tells "exactly max" from "more". */
        size_t want = n < 65536 ? 65536 : n;
        if (want > max_bytes + 1 - n)
            want = max_bytes + 1 - n;
        if (n + want + 1 > cap) {
            size_t new_cap = n + want + 1;
            char *p = realloc(buf, new_cap);
            if (!p) {
                st = evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0,
                                   "out of memory reading the file");
                break;
            }
            buf = p;
            cap = new_cap;
        }
        size_t got = fread(buf + n, 1, want, f);
        const char *nul =
            flags & EVM_READ_TEXT ? memchr(buf + n, '\0', got) : NULL;
        if (nul) {
            unsigned long line, col;
            text_position(buf, (size_t)(nul - buf), &line, &col);
            st = evm_error_set(err, EVM_ERR_PARSE, path, line, col,
                               "NUL byte: the file is not UTF-8 text "
                               "(UTF-16?)");
            break;
        }
        n += got;
        if (n > max_bytes) {
            char limit[32];
            evm_format_bytes(max_bytes, limit, sizeof limit);
            st = evm_error_set(err, EVM_ERR_PARSE, path, 0, 0,
                               "larger than %s, the limit for this input "
                               "(raise it with %s)",
                               limit, option ? option : "--max-input-mb");
            break;
        }
        if (got < want)
            break;
    }
    if (!st && ferror(f))
        st = evm_error_io(err, path, "cannot read", errno);
    fclose(f);
    if (st) {
        free(buf);
        return st;
    }
    if (!buf && !(buf = malloc(1))) /* an empty file */
        return evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0, "out of memory");
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return EVM_OK;
}
