/* The row deflate encoder (see deflate.h): greedy matches at the pixel and
 * row distances, dynamic Huffman blocks of a bounded number of symbols.
 *
 * Huffman code lengths come from Moffat and Katajainen's in-place
 * minimum-redundancy algorithm, limited to deflate's 15 (7 for the code
 * length code) bits by moving codes down the tree until Kraft's sum is
 * one again, as miniz does. */
#include "paint/deflate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    MIN_MATCH = 3,
    MAX_MATCH = 258,
    MAX_DIST = 32768,
    N_LITLEN = 286,
    N_DIST = 30,
    N_CODELEN = 19,
    END_OF_BLOCK = 256,
    /* Symbols per block: small enough that each block's codes follow the
     * part of the image it covers, large enough for the header (some 80
     * bytes) not to matter. */
    BLOCK_SYMBOLS = 16384,
    MAX_BITS = 15,
    MAX_CODELEN_BITS = 7,
};

static const uint16_t len_base[29] = {
    3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
    31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1,
                                      1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                      4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[N_DIST] = {
    1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
    33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[N_DIST] = {
    0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/* The order in which code length code lengths are sent (RFC 1951 3.2.7). */
static const uint8_t codelen_order[N_CODELEN] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/* A literal (dist 0) or a match of len bytes dist back. */
typedef struct sym {
    uint16_t lit_or_len;
    uint16_t dist;
} sym_t;

typedef struct huff {
    uint8_t len[N_LITLEN];
    uint16_t code[N_LITLEN]; /* bit-reversed: deflate sends codes MSB first
                                into an LSB-first stream */
} huff_t;

typedef struct enc {
    unsigned char *out;
    size_t len, cap;
    uint64_t bits;
    unsigned n_bits;
    sym_t *syms;
    size_t n_syms;
    uint8_t len_code[MAX_MATCH + 1]; /* match length -> index in len_base */
    size_t near, up;                 /* the two match distances, or 0 */
    int near_code, up_code;          /* and their distance codes */
    uint32_t freq_ll[N_LITLEN], freq_d[N_DIST];
} enc_t;

static int dist_code(size_t dist)
{
    int c = 0;
    while (c + 1 < N_DIST && dist_base[c + 1] <= dist)
        c++;
    return c;
}

/* Room for extra bytes after out[len]; false when out of memory. */
static bool reserve(enc_t *e, size_t extra)
{
    if (e->cap - e->len >= extra)
        return true;
    size_t cap = e->cap * 2 > e->len + extra ? e->cap * 2 : e->len + extra;
    unsigned char *p = realloc(e->out, cap);
    if (!p)
        return false;
    e->out = p;
    e->cap = cap;
    return true;
}

/* n <= 32 bits of v, LSB first; the room was reserved. */
static void put_bits(enc_t *e, uint32_t v, unsigned n)
{
    e->bits |= (uint64_t)v << e->n_bits;
    e->n_bits += n;
    if (e->n_bits >= 32) {
        unsigned char *p = e->out + e->len;
        p[0] = (unsigned char)e->bits;
        p[1] = (unsigned char)(e->bits >> 8);
        p[2] = (unsigned char)(e->bits >> 16);
        p[3] = (unsigned char)(e->bits >> 24);
        e->len += 4;
        e->bits >>= 32;
        e->n_bits -= 32;
    }
}

/* Pads to a byte boundary with zero bits and writes out what is pending. */
static void align_bytes(enc_t *e)
{
    while (e->n_bits > 0) {
        e->out[e->len++] = (unsigned char)e->bits;
        e->bits >>= 8;
        e->n_bits = e->n_bits > 8 ? e->n_bits - 8 : 0;
    }
    e->bits = 0;
}

/* Code lengths for sorted ascending weights a[0 .. n), n >= 2, in place
 * (Moffat and Katajainen, "In-place calculation of minimum-redundancy
 * codes", 1995): on return a[i] is the length of the i-th lightest. */
static void minimum_redundancy(uint32_t *a, int n)
{
    int root = 0, leaf = 2, next;
    a[0] += a[1];
    for (next = 1; next < n - 1; next++) {
        if (leaf >= n || a[root] < a[leaf]) {
            a[next] = a[root];
            a[root++] = (uint32_t)next;
        } else {
            a[next] = a[leaf++];
        }
        if (leaf >= n || (root < next && a[root] < a[leaf])) {
            a[next] += a[root];
            a[root++] = (uint32_t)next;
        } else {
            a[next] += a[leaf++];
        }
    }
    a[n - 2] = 0;
    for (next = n - 3; next >= 0; next--)
        a[next] = a[a[next]] + 1;
    int avail = 1, used = 0;
    uint32_t depth = 0;
    root = n - 2;
    next = n - 1;
    while (avail > 0) {
        while (root >= 0 && a[root] == depth) {
            used++;
            root--;
        }
        while (avail > used) {
            a[next--] = depth;
            avail--;
        }
        avail = 2 * used;
        depth++;
        used = 0;
    }
}

static uint16_t reverse_bits(unsigned code, unsigned len)
{
    unsigned r = 0;
    for (unsigned i = 0; i < len; i++, code >>= 1)
        r = (r << 1) | (code & 1);
    return (uint16_t)r;
}

/* A canonical Huffman code of at most max_bits for freq[0 .. n). Every
 * code has at least two symbols (unused ones get length 0): a single code
 * of one symbol is an incomplete code, which some decoders refuse. */
static void build_code(const uint32_t *freq, int n, unsigned max_bits,
                       huff_t *h)
{
    /* Weights in the high bits, symbols in the low 9: one sort orders by
     * weight, then symbol, and keeps the symbol. */
    uint64_t keyed[N_LITLEN];
    int m = 0;
    for (int s = 0; s < n; s++)
        if (freq[s])
            keyed[m++] = (uint64_t)freq[s] << 9 | (uint64_t)s;
    for (int s = 0; m < 2; s++)
        if (!freq[s])
            keyed[m++] = (uint64_t)1 << 9 | (uint64_t)s;
    /* Insertion sort: at most 286 symbols, mostly few used. */
    for (int i = 1; i < m; i++) {
        uint64_t k = keyed[i];
        int j = i;
        for (; j > 0 && keyed[j - 1] > k; j--)
            keyed[j] = keyed[j - 1];
        keyed[j] = k;
    }
    uint32_t w[N_LITLEN];
    for (int i = 0; i < m; i++)
        w[i] = (uint32_t)(keyed[i] >> 9);
    minimum_redundancy(w, m);

    /* Count codes per length, folding the too long ones into max_bits,
     * then move codes down until the lengths form a complete code. */
    unsigned count[33] = {0};
    for (int i = 0; i < m; i++)
        count[w[i] < 32 ? w[i] : 32]++;
    for (unsigned l = max_bits + 1; l <= 32; l++) {
        count[max_bits] += count[l];
        count[l] = 0;
    }
    uint32_t kraft = 0;
    for (unsigned l = 1; l <= max_bits; l++)
        kraft += count[l] << (max_bits - l);
    while (kraft > (1u << max_bits)) {
        count[max_bits]--;
        for (unsigned l = max_bits - 1; l > 0; l--)
            if (count[l]) {
                count[l]--;
                count[l + 1] += 2;
                break;
            }
        kraft--;
    }
    /* The heaviest symbols (at the end of keyed) get the shortest codes. */
    memset(h->len, 0, sizeof h->len);
    int j = m;
    for (unsigned l = 1; l <= max_bits; l++)
        for (unsigned c = count[l]; c > 0; c--)
            h->len[keyed[--j] & 511] = (uint8_t)l;

    unsigned next[MAX_BITS + 2] = {0}, bl_count[MAX_BITS + 1] = {0};
    for (int s = 0; s < n; s++)
        bl_count[h->len[s]]++;
    bl_count[0] = 0;
    unsigned code = 0;
    for (unsigned l = 1; l <= max_bits; l++) {
        code = (code + bl_count[l - 1]) << 1;
        next[l] = code;
    }
    for (int s = 0; s < n; s++)
        if (h->len[s])
            h->code[s] = reverse_bits(next[h->len[s]]++, h->len[s]);
}

/* The block header: code lengths of both codes, run-length coded with
 * the code length code. */
static void put_header(enc_t *e, const huff_t *ll, const huff_t *d, bool last)
{
    int hlit = N_LITLEN, hdist = N_DIST;
    while (hlit > 257 && ll->len[hlit - 1] == 0)
        hlit--;
    while (hdist > 1 && d->len[hdist - 1] == 0)
        hdist--;
    uint8_t all[N_LITLEN + N_DIST];
    memcpy(all, ll->len, (size_t)hlit);
    memcpy(all + hlit, d->len, (size_t)hdist);
    int total = hlit + hdist;

    /* Code length symbols with their extra bits' value in the high byte. */
    uint16_t rle[N_LITLEN + N_DIST];
    int n_rle = 0;
    uint32_t freq[N_CODELEN] = {0};
    for (int i = 0; i < total;) {
        uint8_t v = all[i];
        int run = 1;
        while (i + run < total && all[i + run] == v)
            run++;
        i += run;
        if (v == 0) {
            while (run >= 11) {
                int r = run < 138 ? run : 138;
                rle[n_rle++] = (uint16_t)(18 | (r - 11) << 8);
                freq[18]++;
                run -= r;
            }
            if (run >= 3) {
                rle[n_rle++] = (uint16_t)(17 | (run - 3) << 8);
                freq[17]++;
                run = 0;
            }
        } else {
            rle[n_rle++] = v;
            freq[v]++;
            run--;
            while (run >= 3) {
                int r = run < 6 ? run : 6;
                rle[n_rle++] = (uint16_t)(16 | (r - 3) << 8);
                freq[16]++;
                run -= r;
            }
        }
        for (; run > 0; run--) {
            rle[n_rle++] = v;
            freq[v]++;
        }
    }
    huff_t cl;
    build_code(freq, N_CODELEN, MAX_CODELEN_BITS, &cl);
    int hclen = N_CODELEN;
    while (hclen > 4 && cl.len[codelen_order[hclen - 1]] == 0)
        hclen--;

    put_bits(e, last ? 1u : 0u, 1);
    put_bits(e, 2, 2); /* dynamic Huffman codes */
    put_bits(e, (uint32_t)(hlit - 257), 5);
    put_bits(e, (uint32_t)(hdist - 1), 5);
    put_bits(e, (uint32_t)(hclen - 4), 4);
    for (int i = 0; i < hclen; i++)
        put_bits(e, cl.len[codelen_order[i]], 3);
    static const uint8_t extra_bits[3] = {2, 3, 7};
    for (int i = 0; i < n_rle; i++) {
        unsigned s = rle[i] & 0xff;
        put_bits(e, cl.code[s], cl.len[s]);
        if (s >= 16)
            put_bits(e, (uint32_t)(rle[i] >> 8), extra_bits[s - 16]);
    }
}

/* Writes the pending symbols as one block. */
static bool put_block(enc_t *e, bool last)
{
    /* Header at most ~330 bytes; a symbol at most 15 + 5 + 15 + 13 bits;
     * 8 more for the bit buffer's 4-byte stores and the final flush. */
    if (!reserve(e, 512 + e->n_syms * 6 + 16))
        return false;
    e->freq_ll[END_OF_BLOCK]++;
    huff_t ll, d;
    build_code(e->freq_ll, N_LITLEN, MAX_BITS, &ll);
    build_code(e->freq_d, N_DIST, MAX_BITS, &d);
    put_header(e, &ll, &d, last);
    for (size_t i = 0; i < e->n_syms; i++) {
        sym_t s = e->syms[i];
        if (s.dist == 0) {
            put_bits(e, ll.code[s.lit_or_len], ll.len[s.lit_or_len]);
            continue;
        }
        int lc = e->len_code[s.lit_or_len];
        put_bits(e, ll.code[257 + lc], ll.len[257 + lc]);
        put_bits(e, (uint32_t)(s.lit_or_len - len_base[lc]), len_extra[lc]);
        int dc = s.dist == e->near ? e->near_code : e->up_code;
        put_bits(e, d.code[dc], d.len[dc]);
        put_bits(e, (uint32_t)(s.dist - dist_base[dc]), dist_extra[dc]);
    }
    put_bits(e, ll.code[END_OF_BLOCK], ll.len[END_OF_BLOCK]);
    e->n_syms = 0;
    memset(e->freq_ll, 0, sizeof e->freq_ll);
    memset(e->freq_d, 0, sizeof e->freq_d);
    return true;
}

/* How many of the first max bytes of a and b are equal. */
static size_t match_len(const unsigned char *a, const unsigned char *b,
                        size_t max)
{
    size_t l = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Eight bytes at a time: the first differing byte is the lowest set
     * byte of the XOR on a little-endian machine. */
    while (l + 8 <= max) {
        uint64_t x, y;
        memcpy(&x, a + l, 8);
        memcpy(&y, b + l, 8);
        if (x != y)
            return l + (size_t)__builtin_ctzll(x ^ y) / 8;
        l += 8;
    }
#endif
    while (l < max && a[l] == b[l])
        l++;
    return l;
}

evm_status evm_deflate_rows(const unsigned char *in, size_t n, size_t history,
                            size_t pixel_len, size_t row_len, bool last,
                            evm_deflate_out_t *out)
{
    enc_t e = {.out = out->data, .len = out->len, .cap = out->cap};
    e.syms = malloc(BLOCK_SYMBOLS * sizeof *e.syms);
    bool ok = e.syms && reserve(&e, n / 8 + 1024);
    for (int c = 0, l = MIN_MATCH; l <= MAX_MATCH; l++) {
        while (c + 1 < 29 && len_base[c + 1] <= l)
            c++;
        e.len_code[l] = (uint8_t)c;
    }
    /* Distances past the window, or none, disable that candidate. */
    size_t near = pixel_len >= 1 && pixel_len <= MAX_DIST ? pixel_len : 0;
    size_t up = row_len >= 1 && row_len <= MAX_DIST ? row_len : 0;
    int near_code = near ? dist_code(near) : 0;
    int up_code = up ? dist_code(up) : 0;
    e.near = near;
    e.up = up;
    e.near_code = near_code;
    e.up_code = up_code;

    size_t i = 0;
    while (ok && (i < n || last)) {
        while (i < n && e.n_syms < BLOCK_SYMBOLS) {
            size_t max = n - i < MAX_MATCH ? n - i : MAX_MATCH;
            size_t best = 0, dist = 0;
            int code = 0;
            if (near && near <= i + history && max >= MIN_MATCH &&
                in[i] == in[i - near]) {
                best = match_len(in + i, in + i - near, max);
                dist = near;
                code = near_code;
            }
            /* A row match costs a long distance code: it must be the
             * longer one. */
            if (up && up <= i + history && best < max && max >= MIN_MATCH &&
                in[i] == in[i - up]) {
                size_t l = match_len(in + i, in + i - up, max);
                if (l > best + 1) {
                    best = l;
                    dist = up;
                    code = up_code;
                }
            }
            if (best >= MIN_MATCH) {
                e.syms[e.n_syms++] = (sym_t){(uint16_t)best, (uint16_t)dist};
                e.freq_ll[257 + e.len_code[best]]++;
                e.freq_d[code]++;
                i += best;
            } else {
                e.syms[e.n_syms++] = (sym_t){in[i], 0};
                e.freq_ll[in[i]]++;
                i++;
            }
        }
        bool final = last && i >= n;
        ok = put_block(&e, final);
        if (final)
            break;
    }
    if (ok && !last) {
        /* An empty stored block ends the stream on a byte boundary. */
        ok = reserve(&e, 16);
        if (ok) {
            put_bits(&e, 0, 3);
            align_bytes(&e);
            static const unsigned char empty[4] = {0x00, 0x00, 0xff, 0xff};
            memcpy(e.out + e.len, empty, 4);
            e.len += 4;
        }
    } else if (ok) {
        align_bytes(&e);
    }
    free(e.syms);
    out->data = e.out;
    out->len = e.len;
    out->cap = e.cap;
    return ok ? EVM_OK : EVM_ERR_NOMEM;
}
