/* The one growable byte buffer of the library, after curl's dynbuf: a
 * pointer, the length used, the size allocated, a cap on the length and
 * a sticky failure flag. Appends after a failure (out of memory, or the
 * cap reached) are no-ops, so that a formatter can append freely and
 * check once at the end. The bytes are always NUL-terminated (a byte past
 * len is kept for it), so text can be used as a C string.
 *
 * (The arena of core/arena.h is another thing: many small objects freed
 * together, never grown in place.) */
#ifndef EVM_CORE_BUF_H
#define EVM_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

typedef struct evm_buf {
    char *data;   /* NULL until the first append */
    size_t len;   /* bytes used, not counting the NUL */
    size_t alloc; /* bytes allocated */
    size_t max;   /* largest len allowed; 0: no cap */
    bool nomem;   /* the first append that failed, and every one after */
} evm_buf_t;

/* A zero-initialised evm_buf_t is an empty buffer without a cap; this
 * sets a cap (0: none) on an empty one. */
void evm_buf_init(evm_buf_t *b, size_t max);
/* Frees the bytes and empties b (the cap stays); NULL-safe. */
void evm_buf_free(evm_buf_t *b);
/* Empties b, keeping its memory, its cap and its failure. */
void evm_buf_reset(evm_buf_t *b);
/* Drops the bytes from len on (a len at or past b->len changes nothing),
 * keeping the memory, the cap and the failure. */
void evm_buf_truncate(evm_buf_t *b, size_t len);
/* Room for n more bytes (and the NUL after them): where to write them,
 * or NULL (and b->nomem set) when there is none. The caller adds what it
 * wrote to len and keeps the NUL (evm_buf_commit does both). */
char *evm_buf_reserve(evm_buf_t *b, size_t n);
/* Counts n bytes written at evm_buf_reserve's pointer. */
void evm_buf_commit(evm_buf_t *b, size_t n);
void evm_buf_put(evm_buf_t *b, const void *data, size_t n);
void evm_buf_puts(evm_buf_t *b, const char *s);
void evm_buf_putc(evm_buf_t *b, char c);
void evm_buf_printf(evm_buf_t *b, const char *fmt, ...) EVM_PRINTF(2, 3);

#endif
