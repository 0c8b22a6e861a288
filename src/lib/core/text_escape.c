/* Escaping control characters in printed text. A name read from a CSV
 * file may hold ESC sequences that would recolour, move or retitle a
 * terminal; every message and table goes through here instead. */
#include "core/text_escape.h"

#include <stdio.h>
#include <string.h>

#include <evmap/status.h>

size_t evm_control_escape(const unsigned char *s, size_t n,
                          char esc[EVM_ESCAPE_MAX + 1])
{
    unsigned c = s[0];
    if (c == '\t' || c == '\n' || c == '\r') {
        esc[0] = '\\';
        esc[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
        esc[2] = '\0';
        return 1;
    }
    if (c < 0x20 || c == 0x7F) {
        snprintf(esc, EVM_ESCAPE_MAX + 1, "\\x%02x", c);
        return 1;
    }
    /* U+0080..U+009F in UTF-8: C2 80..C2 9F. */
    if (c == 0xC2 && n > 1 && s[1] >= 0x80 && s[1] <= 0x9F) {
        snprintf(esc, EVM_ESCAPE_MAX + 1, "\\u00%02x", (unsigned)s[1]);
        return 2;
    }
    return 0;
}

size_t evm_text_escape(char *buf, size_t cap, const char *text)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t n = strlen((const char *)s), need = 0, o = 0;
    bool full = cap == 0;
    for (size_t i = 0; i < n;) {
        char esc[EVM_ESCAPE_MAX + 1];
        size_t took = evm_control_escape(s + i, n - i, esc);
        const char *piece = took ? esc : (const char *)s + i;
        size_t len = took ? strlen(esc) : 1;
        if (!took) /* a whole UTF-8 sequence, so that a cut never splits one */
            while (i + len < n && (s[i + len] & 0xC0) == 0x80)
                len++;
        if (!full && o + len < cap) {
            memcpy(buf + o, piece, len);
            o += len;
        } else {
            full = true;
        }
        need += len;
        i += took ? took : len;
    }
    if (cap)
        buf[o] = '\0';
    return need;
}

void evm_text_snippet(char *out, size_t cap, const char *s, size_t n,
                      size_t max_in)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, i = 0;
    bool cut = false;
    while (i < n) {
        char esc[EVM_ESCAPE_MAX + 1];
        size_t took = evm_control_escape(u + i, n - i, esc);
        size_t len = took ? strlen(esc) : 1;
        size_t in = took ? took : 1;
        if (!took)
            while (i + in < n && (u[i + in] & 0xC0) == 0x80)
                in++;
        /* Room for this piece and a "..." after it. */
        if (i + in > max_in || o + (took ? len : in) + 4 > cap) {
            cut = true;
            break;
        }
        memcpy(out + o, took ? esc : s + i, took ? len : in);
        o += took ? len : in;
        i += in;
    }
    if (cut && o + 4 <= cap) {
        memcpy(out + o, "\xE2\x80\xA6", 3); /* "…" */
        o += 3;
    }
    out[o] = '\0';
}
