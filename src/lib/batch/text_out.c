/* Text output for tables: see text_out.h. */
#include <csv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "batch/text_out.h"

/* v with `dec` decimals (dec <= 12). NaN and values too large for the
 * integer path go through snprintf; NaN prints as `nan_text`. */
void evm_out_fixed(evm_buf_t *b, double v, int dec, const char *nan_text)
{
    static const double p10[] = {1,   1e1, 1e2, 1e3,  1e4,  1e5, 1e6,
                                 1e7, 1e8, 1e9, 1e10, 1e11, 1e12};
    if (isnan(v)) {
        evm_buf_puts(b, nan_text);
        return;
    }
    double scaled = fabs(v) * p10[dec];
    char *p = evm_buf_reserve(b, 48);
    if (!p)
        return;
    if (!(scaled < 9e15)) {
        int n = snprintf(p, 48, "%.*f", dec, v);
        b->len += n > 0 && n < 48 ? (size_t)n : 0;
        return;
    }
    uint64_t u = (uint64_t)(scaled + 0.5);
    /* Digits from the right, the point after `dec` of them, at least one
     * digit before it; a value that rounds to zero has no minus sign. */
    char tmp[48], *q = tmp + sizeof tmp;
    bool neg = v < 0 && u != 0;
    int k = 0;
    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
        if (++k == dec)
            *--q = '.';
    } while (u || k <= dec);
    if (neg)
        *--q = '-';
    size_t n = (size_t)(tmp + sizeof tmp - q);
    memcpy(p, q, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* A CSV field: as is when it needs no quotes, else through libcsv's
 * writer, which quotes it and doubles its quotes. */
void evm_out_csv(evm_buf_t *b, const char *s)
{
    size_t n = strlen(s);
    if (strcspn(s, ",\"\r\n") == n) {
        evm_buf_put(b, s, n);
        return;
    }
    char *p = evm_buf_reserve(b, 2 * n + 2);
    if (p)
        b->len += csv_write(p, 2 * n + 2, s, n);
}

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0. */
size_t evm_utf8_seq(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xF0 && s[0] <= 0xF4   ? 4
               : s[0] >= 0xE0                 ? 3
               : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
                                              : 0;
    if (n == 0 || (n == 3 && s[0] > 0xEF))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    /* Overlong forms, surrogates and code points past U+10FFFF. */
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD. */
void evm_out_json_str(evm_buf_t *b, const char *s)
{
    evm_buf_put(b, "\"", 1);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = evm_utf8_seq(p);
        if (n == 0) {
            evm_buf_puts(b, "\\ufffd");
            p++;
        } else if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            evm_buf_put(b, esc, 2);
            p++;
        } else if (*p < 0x20) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            evm_buf_put(b, esc, 6);
            p++;
        } else {
            evm_buf_put(b, (const char *)p, n);
            p += n;
        }
    }
    evm_buf_put(b, "\"", 1);
}

/* Columns a UTF-8 string takes in a terminal: two for East Asian wide
 * characters, one for others (combining marks are rare in names). */
size_t evm_display_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = evm_utf8_seq(p);
        uint32_t cp = *p;
        if (n == 2)
            cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
        else if (n == 3)
            cp =
                ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        else if (n == 4)
            cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
                 ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
        bool wide =
            (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
            (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
            (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
            (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        w += wide ? 2 : 1;
        p += n ? n : 1;
    }
    return w;
}

/* s left-aligned in `width` columns (longer text is not cut). */
void evm_out_left(evm_buf_t *b, const char *s, size_t width)
{
    evm_buf_puts(b, s);
    for (size_t w = evm_display_width(s); w < width; w++)
        evm_buf_put(b, " ", 1);
}

void evm_out_right(evm_buf_t *b, const char *s, size_t width)
{
    for (size_t w = evm_display_width(s); w < width; w++)
        evm_buf_put(b, " ", 1);
    evm_buf_puts(b, s);
}
