/* Just enough of the Compact Font Format (Adobe technical note 5176) to
 * tell whether a CFF font is CID-keyed and, if so, which CID each glyph
 * has: the header, the Name and Top DICT INDEXes, the Top DICT's ROS,
 * charset and CharStrings operators, the CharStrings count and the
 * charset in its three formats. Every read is bounds-checked: the table
 * comes from a font file. */
#include "paint/pdf.h"

#include <stdlib.h>

typedef struct span {
    const unsigned char *p;
    size_t len;
} span_t;

static bool card(span_t s, size_t at, int size, unsigned long *v)
{
    if (size < 1 || size > 4 || at > s.len || s.len - at < (size_t)size)
        return false;
    *v = 0;
    for (int i = 0; i < size; i++)
        *v = (*v << 8) | s.p[at + (size_t)i];
    return true;
}

/* The INDEX at *at: its count, and its first element when first is set;
 * *at moves past it. */
static bool read_index(span_t s, size_t *at, unsigned long *count,
                       span_t *first)
{
    unsigned long n, off_size, o0, o1, last;
    if (!card(s, *at, 2, &n))
        return false;
    *count = n;
    if (n == 0) {
        *at += 2;
        if (first)
            *first = (span_t){NULL, 0};
        return true;
    }
    if (!card(s, *at + 2, 1, &off_size) || off_size < 1 || off_size > 4)
        return false;
    size_t offs = *at + 3;
    size_t data = offs + (n + 1) * off_size - 1; /* offsets count from 1 */
    if (!card(s, offs, (int)off_size, &o0) ||
        !card(s, offs + off_size, (int)off_size, &o1) ||
        !card(s, offs + n * off_size, (int)off_size, &last) || o0 != 1 ||
        o1 < o0 || last < o1 || data > s.len || s.len - data < last)
        return false;
    if (first)
        *first = (span_t){s.p + data + o0, o1 - o0};
    *at = data + last;
    return true;
}

typedef struct top_dict {
    bool ros;
    long charset, charstrings;
} top_dict_t;

/* The Top DICT operators wanted; operands other than integers are
 * skipped. */
static bool parse_top(span_t d, top_dict_t *t)
{
    long stack[48];
    int n = 0;
    t->ros = false;
    t->charset = t->charstrings = -1;
    for (size_t i = 0; i < d.len;) {
        unsigned b0 = d.p[i];
        long v;
        if (b0 >= 32 && b0 <= 246) {
            v = (long)b0 - 139;
            i += 1;
        } else if (b0 >= 247 && b0 <= 254) {
            if (i + 1 >= d.len)
                return false;
            long w =
                (long)(b0 < 251 ? b0 - 247 : b0 - 251) * 256 + d.p[i + 1] + 108;
            v = b0 < 251 ? w : -w;
            i += 2;
        } else if (b0 == 28) {
            if (i + 2 >= d.len)
                return false;
            v = (short)((d.p[i + 1] << 8) | d.p[i + 2]);
            i += 3;
        } else if (b0 == 29) {
            if (i + 4 >= d.len)
                return false;
            v = (long)(int)(((unsigned long)d.p[i + 1] << 24) |
                            ((unsigned long)d.p[i + 2] << 16) |
                            ((unsigned long)d.p[i + 3] << 8) | d.p[i + 4]);
            i += 5;
        } else if (b0 == 30) { /* a real: nibbles up to an 0xf */
            i++;
            while (i < d.len && (d.p[i] & 0x0f) != 0x0f &&
                   (d.p[i] & 0xf0) != 0xf0)
                i++;
            i++;
            v = 0;
        } else { /* an operator */
            unsigned op = b0;
            if (b0 == 12) {
                if (i + 1 >= d.len)
                    return false;
                op = 1200 + d.p[i + 1];
                i += 2;
            } else {
                i += 1;
            }
            if (op == 1230)
                t->ros = true;
            else if (op == 15 && n >= 1)
                t->charset = stack[n - 1];
            else if (op == 17 && n >= 1)
                t->charstrings = stack[n - 1];
            n = 0;
            continue;
        }
        if (n < 48)
            stack[n++] = v;
    }
    return true;
}

bool evm_pdf_cff_cids(const unsigned char *cff, size_t len, bool *cid_keyed,
                      unsigned **cid_of, size_t *n_glyphs)
{
    span_t s = {cff, len};
    unsigned long hdr, count;
    *cid_of = NULL;
    *n_glyphs = 0;
    if (!card(s, 2, 1, &hdr))
        return false;
    size_t at = hdr;
    span_t top;
    top_dict_t t;
    if (!read_index(s, &at, &count, NULL) ||
        !read_index(s, &at, &count, &top) || count < 1 || !parse_top(top, &t))
        return false;
    *cid_keyed = t.ros;
    if (!t.ros)
        return true;
    if (t.charset <= 2 || t.charstrings <= 0)
        return false; /* a CID font has its own charset */
    at = (size_t)t.charstrings;
    unsigned long n;
    if (!read_index(s, &at, &n, NULL) || n == 0)
        return false;
    unsigned *cid = evm_alloc_array(n, sizeof *cid);
    if (!cid)
        return false;
    cid[0] = 0; /* .notdef */
    size_t c = (size_t)t.charset;
    unsigned long format, v = 0, left = 0;
    bool ok = card(s, c++, 1, &format) && format <= 2;
    for (unsigned long g = 1; ok && g < n;) {
        if (format == 0) {
            ok = card(s, c, 2, &v);
            c += 2;
            if (ok)
                cid[g++] = (unsigned)v;
            continue;
        }
        int lsize = format == 1 ? 1 : 2;
        ok = card(s, c, 2, &v) && card(s, c + 2, lsize, &left);
        c += 2 + (size_t)lsize;
        for (unsigned long k = 0; ok && k <= left && g < n; k++)
            cid[g++] = (unsigned)(v + k);
    }
    if (!ok) {
        free(cid);
        return false;
    }
    *cid_of = cid;
    *n_glyphs = n;
    return true;
}
