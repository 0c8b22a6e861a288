/* Text helpers (see text.h). */
#include "core/text.h"

#include <stdio.h>
#include <string.h>

size_t evm_utf8_seq(const unsigned char *s, size_t avail)
{
    if (avail == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (avail < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

uint32_t evm_utf8_decode(const unsigned char *s, size_t n)
{
    switch (n) {
    case 2:
        return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    case 3:
        return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    case 4:
        return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
               ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    default:
        return s[0];
    }
}

void evm_json_string(evm_buf_t *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    const unsigned char *run = p; /* bytes copied as they are */
    size_t left = strlen((const char *)p);
    evm_buf_putc(b, '"');
    while (left) {
        unsigned char c = *p;
        size_t n = c < 0x80 ? 1 : evm_utf8_seq(p, left);
        char esc[8];
        const char *rep = NULL;
        if (n == 0)
            rep = "\\ufffd";
        else if (c == '"')
            rep = "\\\"";
        else if (c == '\\')
            rep = "\\\\";
        else if (c == '\n')
            rep = "\\n";
        else if (c == '\r')
            rep = "\\r";
        else if (c == '\t')
            rep = "\\t";
        else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            rep = esc;
        }
        if (rep) {
            evm_buf_put(b, run, (size_t)(p - run));
            evm_buf_puts(b, rep);
            n = 1;
            run = p + 1;
        }
        p += n;
        left -= n;
    }
    evm_buf_put(b, run, (size_t)(p - run));
    evm_buf_putc(b, '"');
}

bool evm_xml_name_char(uint32_t c)
{
    return c == 0xB7 || (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) ||
           (c >= 0xF8 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
           c == 0x200C || c == 0x200D || c == 0x203F || c == 0x2040 ||
           (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
           (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
           (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
