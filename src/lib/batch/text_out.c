/* Text output for tables: see text_out.h. */
#include <csv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "batch/text_out.h"
#include "core/num.h"
#include "core/text_escape.h"

/* v with `dec` decimals (dec <= 12), by the one number formatter. */
void evm_out_fixed(evm_buf_t *b, double v, int dec, const char *nan_text)
{
    if (isnan(v)) {
        evm_buf_puts(b, nan_text);
        return;
    }
    char num[EVM_NUM_MAX];
    evm_buf_put(b, num, evm_num_fixed(num, v, dec, false));
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

/* Columns a UTF-8 string takes in a terminal: two for East Asian wide
 * characters, one for others (combining marks are rare in names). */
size_t evm_display_width(const char *s)
{
    size_t w = 0, left = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (left) {
        char esc[EVM_ESCAPE_MAX + 1];
        size_t took = evm_control_escape(p, left, esc);
        if (took) { /* shown escaped, see evm_out_left */
            w += strlen(esc);
            p += took;
            left -= took;
            continue;
        }
        size_t n = evm_utf8_seq(p, left);
        uint32_t cp = n ? evm_utf8_decode(p, n) : *p;
        bool wide =
            (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
            (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
            (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
            (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        w += wide ? 2 : 1;
        p += n ? n : 1;
        left -= n ? n : 1;
    }
    return w;
}

/* A table cell's text: control characters escaped, as in every table
 * and message (a name holding ESC must not drive the terminal). */
static void out_cell(evm_buf_t *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), run = 0;
    for (size_t i = 0; i < n;) {
        char esc[EVM_ESCAPE_MAX + 1];
        size_t took = evm_control_escape(p + i, n - i, esc);
        if (!took) {
            i++;
            continue;
        }
        evm_buf_put(b, s + run, i - run);
        evm_buf_puts(b, esc);
        i += took;
        run = i;
    }
    evm_buf_put(b, s + run, n - run);
}

/* s left-aligned in `width` columns (longer text is not cut). */
void evm_out_left(evm_buf_t *b, const char *s, size_t width)
{
    out_cell(b, s);
    for (size_t w = evm_display_width(s); w < width; w++)
        evm_buf_put(b, " ", 1);
}

void evm_out_right(evm_buf_t *b, const char *s, size_t width)
{
    for (size_t w = evm_display_width(s); w < width; w++)
        evm_buf_put(b, " ", 1);
    out_cell(b, s);
}
