/* Bytes buffered in front of a sink, as the SVG and GeoJSON writers
 * produce them: a few bytes at a time, which would cost a callback each. */
#include "paint/paint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

void evm_out_init(evm_out_t *o, evm_sink_t *sink, unsigned char *buf,
                  size_t cap)
{
    *o = (evm_out_t){.sink = sink, .buf = buf, .cap = cap};
}

evm_status evm_out_flush(evm_out_t *o)
{
    if (o->len) {
        evm_sink_write(o->sink, o->buf, o->len);
        o->len = 0;
    }
    return o->sink->status;
}

void evm_out_write(evm_out_t *o, const char *s, size_t n)
{
    if (o->sink->status != EVM_OK)
        return;
    while (n > 0) {
        if (o->len == o->cap && evm_out_flush(o) != EVM_OK)
            return;
        size_t k = o->cap - o->len;
        if (k > n)
            k = n;
        memcpy(o->buf + o->len, s, k);
        o->len += k;
        s += k;
        n -= k;
    }
}

void evm_out_puts(evm_out_t *o, const char *s)
{
    evm_out_write(o, s, strlen(s));
}

void evm_out_printf(evm_out_t *o, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        evm_out_write(o, small, (size_t)n);
        return;
    }
    va_start(ap, fmt);
    char *big = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    evm_out_puts(o, big);
    g_free(big);
}
