/* The native PDF writer's bytes: a growable buffer, numbers rounded to a
 * fixed number of decimals and printed with integer arithmetic (no
 * locale, no printf float formatting, which dominated cairo's PDF
 * output), text strings, names, and deflate at a fast level. */
#include "paint/pdf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <zlib.h>

/* Fast enough that compressing costs a fraction of building the page,
 * while still taking three quarters off a map's content stream. */
#define EVM_PDF_DEFLATE_LEVEL 1

void evm_pdf_buf_free(evm_pdf_buf_t *b)
{
    free(b->data);
    *b = (evm_pdf_buf_t){0};
}

/* Room for n more bytes; false (and nomem set) when there is none. */
static bool reserve(evm_pdf_buf_t *b, size_t n)
{
    if (b->nomem)
        return false;
    if (b->cap - b->len >= n)
        return true;
    if (n > SIZE_MAX / 2 - b->len) {
        b->nomem = true;
        return false;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < n)
        cap *= 2;
    unsigned char *d = realloc(b->data, cap);
    if (!d) {
        b->nomem = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void evm_pdf_put(evm_pdf_buf_t *b, const void *data, size_t n)
{
    if (n && reserve(b, n)) {
        memcpy(b->data + b->len, data, n);
        b->len += n;
    }
}

void evm_pdf_puts(evm_pdf_buf_t *b, const char *s)
{
    evm_pdf_put(b, s, strlen(s));
}

void evm_pdf_putc(evm_pdf_buf_t *b, char c)
{
    if (reserve(b, 1))
        b->data[b->len++] = (unsigned char)c;
}

void evm_pdf_printf(evm_pdf_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n + 1))
        return;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void evm_pdf_uint(evm_pdf_buf_t *b, unsigned long long v)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (!reserve(b, (size_t)n))
        return;
    while (n)
        b->data[b->len++] = (unsigned char)digits[--n];
}

void evm_pdf_num(evm_pdf_buf_t *b, double v, int decimals)
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!(v > -1e9)) /* NaN too */
        v = isnan(v) ? 0 : -1e9;
    if (v > 1e9)
        v = 1e9;
    long long t = llround(v * scale[decimals]);
    unsigned long long a =
        t < 0 ? 0ULL - (unsigned long long)t : (unsigned long long)t;
    char digits[32];
    int n = 0;
    do {
        digits[n++] = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    while (n <= decimals)
        digits[n++] = '0'; /* a digit before the point */
    /* digits[] is reversed: the first `decimals` are the fraction. */
    int skip = 0;
    while (skip < decimals && digits[skip] == '0')
        skip++;
    if (!reserve(b, (size_t)n + 2))
        return;
    unsigned char *p = b->data + b->len;
    if (t < 0)
        *p++ = '-';
    for (int i = n - 1; i >= decimals; i--)
        *p++ = (unsigned char)digits[i];
    if (skip < decimals) {
        *p++ = '.';
        for (int i = decimals - 1; i >= skip; i--)
            *p++ = (unsigned char)digits[i];
    }
    b->len = (size_t)(p - b->data);
}

void evm_pdf_num_sp(evm_pdf_buf_t *b, double v, int decimals)
{
    evm_pdf_num(b, v, decimals);
    evm_pdf_putc(b, ' ');
}

static const char evm_hex[] = "0123456789ABCDEF";

static void put_u16_hex(evm_pdf_buf_t *b, unsigned u)
{
    char h[4] = {evm_hex[(u >> 12) & 15], evm_hex[(u >> 8) & 15],
                 evm_hex[(u >> 4) & 15], evm_hex[u & 15]};
    evm_pdf_put(b, h, 4);
}

void evm_pdf_text_string(evm_pdf_buf_t *b, const char *utf8)
{
    evm_pdf_puts(b, "<FEFF");
    for (const char *p = utf8; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x10000) {
            put_u16_hex(b, c);
        } else {
            c -= 0x10000;
            put_u16_hex(b, 0xD800 + (c >> 10));
            put_u16_hex(b, 0xDC00 + (c & 0x3FF));
        }
    }
    evm_pdf_putc(b, '>');
}

void evm_pdf_name(evm_pdf_buf_t *b, const char *ascii)
{
    evm_pdf_putc(b, '/');
    for (const unsigned char *p = (const unsigned char *)ascii; *p; p++) {
        if (*p < '!' || *p > '~' || strchr("#()<>[]{}/%", *p)) {
            char e[3] = {'#', evm_hex[*p >> 4], evm_hex[*p & 15]};
            evm_pdf_put(b, e, 3);
        } else {
            evm_pdf_putc(b, (char)*p);
        }
    }
}

bool evm_pdf_deflate(evm_pdf_buf_t *out, const unsigned char *data, size_t len)
{
    uLong bound = compressBound((uLong)len);
    if ((size_t)(uLong)len != len || !reserve(out, bound))
        return false;
    uLongf n = bound;
    if (compress2(out->data + out->len, &n, data, (uLong)len,
                  EVM_PDF_DEFLATE_LEVEL) != Z_OK)
        return false;
    out->len += n;
    return true;
}
