/* Name distances for suggestions, shared by event and country lookup. */
#include "core/names.h"

#include <stdint.h>

/* Decodes up to cap code points of UTF-8 (ASCII folded to lower case);
 * returns how many, or cap + 1 when s is longer. */
static size_t code_points(const char *s, uint32_t *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (n == cap)
            return cap + 1;
        uint32_t c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        if (more)
            c &= 0x3Fu >> more;
        for (; more > 0 && (*p & 0xC0) == 0x80; more--)
            c = (c << 6) | (*p++ & 0x3Fu);
        out[n++] = c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
    }
    return n;
}

size_t evm_name_length(const char *s)
{
    uint32_t buf[EVM_NAME_MAX_CHARS];
    return code_points(s, buf, EVM_NAME_MAX_CHARS);
}

size_t evm_name_limit(const char *query)
{
    size_t n = evm_name_length(query);
    return n / 3 > 2 ? n / 3 : 2;
}

size_t evm_name_distance(const char *sa, const char *sb, size_t limit)
{
    uint32_t a[EVM_NAME_MAX_CHARS], b[EVM_NAME_MAX_CHARS];
    size_t na = code_points(sa, a, EVM_NAME_MAX_CHARS);
    size_t nb = code_points(sb, b, EVM_NAME_MAX_CHARS);
    if (na > EVM_NAME_MAX_CHARS || nb > EVM_NAME_MAX_CHARS ||
        (na > nb ? na - nb : nb - na) > limit)
        return limit + 1;
    size_t row[EVM_NAME_MAX_CHARS + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return limit + 1;
    }
    return row[nb];
}

void evm_name_best_offer(evm_name_best_t *best, size_t index, size_t dist)
{
    size_t at = best->n;
    while (at > 0 && best->dist[at - 1] > dist)
        at--;
    if (at >= EVM_NAME_SUGGEST)
        return;
    size_t last = best->n < EVM_NAME_SUGGEST ? best->n : EVM_NAME_SUGGEST - 1;
    for (size_t k = last; k > at; k--) {
        best->index[k] = best->index[k - 1];
        best->dist[k] = best->dist[k - 1];
    }
    best->index[at] = index;
    best->dist[at] = dist;
    if (best->n < EVM_NAME_SUGGEST)
        best->n++;
}
