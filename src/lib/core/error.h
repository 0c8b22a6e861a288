/* Internal helpers to fill evm_error_t and to allocate without overflow. */
#ifndef EVM_CORE_ERROR_H
#define EVM_CORE_ERROR_H

#include <stddef.h>

#include <evmap/status.h>

#if defined(__GNUC__)
#define EVM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define EVM_PRINTF(a, b)
#endif

/* Fills err (which may be NULL) and returns status, so that a failing
 * path reads `return evm_error_set(err, EVM_ERR_PARSE, ...)`. file may be
 * NULL; line/column 0 mean unknown. */
evm_status evm_error_set(evm_error_t *err, evm_status status, const char *file,
                         unsigned long line, unsigned long column,
                         const char *fmt, ...) EVM_PRINTF(6, 7);

/* Writes a reason into why[0..cap) (nothing when why is NULL or cap 0)
 * and returns EVM_ERR_PARSE: for the parsers of one value, which say why
 * a text is not one and leave the file and position to their caller. */
evm_status evm_why(char *why, size_t cap, const char *fmt, ...)
    EVM_PRINTF(3, 4);

/* Fills err with EVM_ERR_IO naming file: "<what>: <the system's reason
 * for errnum>" ("cannot open: No such file or directory"). The reason
 * comes from strerror_r, as files are read on several threads at once. */
evm_status evm_error_io(evm_error_t *err, const char *file, const char *what,
                        int errnum);

/* malloc/realloc of n elements of size bytes; NULL on overflow too. */
void *evm_alloc_array(size_t n, size_t size);
void *evm_realloc_array(void *p, size_t n, size_t size);
/* Grows *p (holding *cap elements) to hold at least need elements,
 * doubling. Returns 0 or -1 when out of memory (then *p is unchanged). */
int evm_grow(void **p, size_t *cap, size_t need, size_t size);
char *evm_strdup(const char *s);

/* EVM_OK when an options struct's version field is one this library
 * knows (1 .. current), else EVM_ERR_INVALID_ARG naming the struct: a
 * caller that did not start from the struct's _init function, or one
 * built against a newer libevmap. */
evm_status evm_options_check(unsigned version, unsigned current,
                             const char *what, evm_error_t *err);

#endif
