/* Folding of place names for matching (core/fold.h). The table covers
 * Latin-1 Supplement and Latin Extended-A, where the names of the
 * bundled sources and of most European and romanised Asian places
 * live; characters beyond it are compared as they are. */
#include "core/fold.h"

#include <stdint.h>
#include <string.h>

/* Base letters of U+00C0..U+017F; '_' drops the character, and the
 * upper-case letters stand for two: A "ae", O "oe", S "ss", T "th",
 * I "ij". */
static const char latin[] =
    /* U+00C0 */ "aaaaaaAceeeeiiiidnooooo_ouuuuyTS"
                 /* U+00E0 */ "aaaaaaAceeeeiiiidnooooo_ouuuuyTy"
                 /* U+0100 */ "aaaaaaccccccccddddeeeeeeeeeegggg"
                 /* U+0120 */ "gggghhhhiiiiiiiiiiIIjjkkklllllll"
                 /* U+0140 */ "lllnnnnnnnnnooooooOOrrrrrrssssss"
                 /* U+0160 */ "ssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static const char *two[] = {"ae", "oe", "ss", "th", "ij"};

static const char *expand(char c)
{
    switch (c) {
    case 'A':
        return two[0];
    case 'O':
        return two[1];
    case 'S':
        return two[2];
    case 'T':
        return two[3];
    case 'I':
        return two[4];
    }
    return NULL;
}

/* The next code point of s at *i (invalid bytes as U+FFFD). */
static uint32_t next(const unsigned char *s, size_t *i, size_t *len)
{
    uint32_t c = s[*i];
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    size_t start = *i;
    (*i)++;
    if (c >= 0x80 && c < 0xC0)
        more = 0, c = 0xFFFD;
    if (more)
        c &= 0x3Fu >> more;
    for (; more > 0; more--) {
        if ((s[*i] & 0xC0) != 0x80) {
            c = 0xFFFD;
            break;
        }
        c = (c << 6) | (s[(*i)++] & 0x3Fu);
    }
    *len = *i - start;
    return c;
}

static bool is_mark(uint32_t c)
{
    return c == '\'' || c == '`' || c == 0xB4 || c == 0x2018 || c == 0x2019 ||
           c == 0x02BB || c == 0x02BC || c == '"';
}

static bool is_gap(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '_' ||
           c == 0x2010 || c == 0x2013 || c == 0xA0;
}

bool evm_fold_name(const char *s, char *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0, len;
    bool gap = false;
    if (!cap)
        return false;
    while (u[i]) {
        size_t at = i;
        uint32_t c = next(u, &i, &len);
        if (is_mark(c))
            continue;
        if (is_gap(c)) {
            gap = o > 0;
            continue;
        }
        char one[2] = {0, 0};
        const char *add = one;
        size_t n = 1;
        if (c < 0x80) {
            one[0] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        } else if (c >= 0xC0 && c <= 0x17F) {
            char b = latin[c - 0xC0];
            if (b == '_')
                continue;
            add = expand(b);
            if (add) {
                n = 2;
            } else {
                one[0] = b;
                add = one;
            }
        } else {
            add = s + at;
            n = len;
        }
        if (o + (gap ? 1 : 0) + n + 1 > cap)
            return false;
        if (gap)
            out[o++] = ' ';
        gap = false;
        memcpy(out + o, add, n);
        o += n;
    }
    out[o] = '\0';
    return true;
}

bool evm_fold_equal(const char *a, const char *b)
{
    char fa[EVM_FOLD_MAX], fb[EVM_FOLD_MAX];
    return evm_fold_name(a, fa, sizeof fa) && evm_fold_name(b, fb, sizeof fb) &&
           strcmp(fa, fb) == 0;
}
