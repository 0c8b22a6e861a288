/* The growable byte buffer (see buf.h). */
#include "core/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void evm_buf_init(evm_buf_t *b, size_t max)
{
    *b = (evm_buf_t){.max = max};
}

void evm_buf_free(evm_buf_t *b)
{
    if (!b)
        return;
    free(b->data);
    *b = (evm_buf_t){.max = b->max};
}

void evm_buf_reset(evm_buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void evm_buf_truncate(evm_buf_t *b, size_t len)
{
    if (len >= b->len)
        return;
    b->len = len;
    b->data[len] = '\0';
}

char *evm_buf_reserve(evm_buf_t *b, size_t n)
{
    if (b->nomem)
        return NULL;
    size_t limit = b->max ? b->max : SIZE_MAX / 2;
    if (n > limit || b->len > limit - n) {
        b->nomem = true;
        return NULL;
    }
    if (b->alloc - b->len > n) /* room for the NUL too */
        return b->data + b->len;
    size_t alloc = b->alloc ? b->alloc : 256;
    while (alloc - b->len <= n)
        alloc *= 2;
    char *d = realloc(b->data, alloc);
    if (!d) {
        b->nomem = true;
        return NULL;
    }
    b->data = d;
    b->alloc = alloc;
    return d + b->len;
}

void evm_buf_commit(evm_buf_t *b, size_t n)
{
    b->len += n;
    b->data[b->len] = '\0';
}

void evm_buf_put(evm_buf_t *b, const void *data, size_t n)
{
    char *p = evm_buf_reserve(b, n);
    if (!p)
        return;
    if (n)
        memcpy(p, data, n);
    evm_buf_commit(b, n);
}

void evm_buf_puts(evm_buf_t *b, const char *s)
{
    evm_buf_put(b, s, strlen(s));
}

void evm_buf_putc(evm_buf_t *b, char c)
{
    char *p = evm_buf_reserve(b, 1);
    if (!p)
        return;
    *p = c;
    evm_buf_commit(b, 1);
}

void evm_buf_printf(evm_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = n < 0 ? NULL : evm_buf_reserve(b, (size_t)n);
    if (!p) {
        b->nomem = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    evm_buf_commit(b, (size_t)n);
}
