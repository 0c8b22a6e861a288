/* Tests of the row deflate encoder: every output is decoded by zlib's
 * inflate (an independent decoder) and compared with the input, over
 * empty, random, flat and image-like data, single streams and streams
 * joined as the PNG backend joins its bands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "paint/deflate.h"

/* Inflates raw deflate data and checks that it is exactly want[0 .. n),
 * that the stream ends (final block) and that no byte is left over. */
static void assert_inflates_to(const unsigned char *z, size_t z_len,
                               const unsigned char *want, size_t n)
{
    unsigned char *got = malloc(n + 16);
    assert_non_null(got);
    z_stream s = {0};
    assert_int_equal(inflateInit2(&s, -15), Z_OK);
    s.next_in = (unsigned char *)z;
    s.avail_in = (uInt)z_len;
    s.next_out = got;
    s.avail_out = (uInt)(n + 16);
    int r = inflate(&s, Z_FINISH);
    assert_int_equal(r, Z_STREAM_END);
    assert_int_equal(s.avail_in, 0);
    assert_int_equal(s.total_out, n);
    assert_memory_equal(got, want, n);
    inflateEnd(&s);
    free(got);
}

/* Encodes in[0 .. n) in parts (cut at the given offsets, the last part
 * final) into one output, each part with all the bytes before it as
 * history or with none, and checks the result; returns its size. */
static size_t roundtrip_parts(const unsigned char *in, size_t n,
                              size_t pixel_len, size_t row_len,
                              const size_t *cuts, int n_cuts, bool history)
{
    evm_deflate_out_t out = {0};
    size_t at = 0;
    for (int k = 0; k <= n_cuts; k++) {
        size_t end = k < n_cuts ? cuts[k] : n;
        bool last = k == n_cuts;
        size_t before = out.len;
        assert_int_equal(evm_deflate_rows(in + at, end - at, history ? at : 0,
                                          pixel_len, row_len, last, &out),
                         EVM_OK);
        if (!last) {
            /* Byte-aligned end: an empty stored block, as Z_SYNC_FLUSH. */
            assert_true(out.len >= before + 4);
            static const unsigned char sync[4] = {0, 0, 0xff, 0xff};
            assert_memory_equal(out.data + out.len - 4, sync, 4);
        }
        at = end;
    }
    assert_inflates_to(out.data, out.len, in, n);
    free(out.data);
    return out.len;
}

static size_t roundtrip(const unsigned char *in, size_t n, size_t pixel_len,
                        size_t row_len)
{
    return roundtrip_parts(in, n, pixel_len, row_len, NULL, 0, false);
}

/* A deterministic generator, so that a failure repeats. */
static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* Rows of RGB pixels with a filter byte, like the PNG backend's: flat
 * areas, a diagonal edge with antialiased pixels, and noise in a corner. */
static unsigned char *map_like_rows(size_t w, size_t h, size_t *n_out)
{
    size_t row_len = 1 + 3 * w, n = row_len * h;
    unsigned char *p = malloc(n);
    assert_non_null(p);
    uint32_t seed = 7;
    for (size_t y = 0; y < h; y++) {
        unsigned char *row = p + y * row_len;
        row[0] = 0;
        for (size_t x = 0; x < w; x++) {
            unsigned char *px = row + 1 + 3 * x;
            bool land = x > y + w / 4;
            px[0] = land ? 243 : 220;
            px[1] = land ? 240 : 233;
            px[2] = land ? 232 : 242;
            if (x == y + w / 4)
                px[0] = px[1] = px[2] = 111;
            if (x < 20 && y < 20)
                px[0] = (unsigned char)next_random(&seed);
        }
    }
    *n_out = n;
    return p;
}

static void test_empty(void **state)
{
    (void)state;
    roundtrip((const unsigned char *)"", 0, 3, 10);
    size_t cut = 0;
    roundtrip_parts((const unsigned char *)"", 0, 3, 10, &cut, 1, false);
}

static void test_short_inputs(void **state)
{
    (void)state;
    const unsigned char s[] = "aaaaaaaaaabcabcabcabcX";
    for (size_t n = 1; n < sizeof s; n++)
        roundtrip(s, n, 3, 4);
}

static void test_random_bytes(void **state)
{
    (void)state;
    size_t n = 100000;
    unsigned char *p = malloc(n);
    assert_non_null(p);
    uint32_t seed = 1;
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)next_random(&seed);
    /* Incompressible: literals cost about 8 bits, plus block headers. */
    size_t z = roundtrip(p, n, 3, 301);
    assert_true(z < n + n / 50);
    /* Few distinct bytes: matches at the two distances are rare, but
     * the Huffman codes are short. */
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(next_random(&seed) % 3);
    z = roundtrip(p, n, 4, 1000);
    assert_true(z < n / 3);
    free(p);
}

static void test_flat_image(void **state)
{
    (void)state;
    size_t w = 1600, h = 100, row_len = 1 + 3 * w, n = row_len * h;
    unsigned char *p = malloc(n);
    assert_non_null(p);
    for (size_t y = 0; y < h; y++) {
        p[y * row_len] = 0;
        for (size_t x = 0; x < w; x++)
            memcpy(p + y * row_len + 1 + 3 * x, "\xdc\xe9\xf2", 3);
    }
    /* One colour: runs of 258 bytes at distance 3 (some 190 symbols per
     * row), well under 1 % of the input. */
    size_t z = roundtrip(p, n, 3, row_len);
    assert_true(z < n / 100);
    free(p);
}

static void test_map_like_rows(void **state)
{
    (void)state;
    size_t n;
    unsigned char *p = map_like_rows(700, 400, &n);
    size_t row_len = 1 + 3 * 700;
    size_t z = roundtrip(p, n, 3, row_len);
    assert_true(z < n / 20);
    /* Without the row distance the same data still decode. */
    roundtrip(p, n, 3, 0);
    roundtrip(p, n, 3, 40000); /* beyond deflate's window: ignored */
    free(p);
}

static void test_many_blocks(void **state)
{
    (void)state;
    /* Mostly literals, so that the symbols fill several blocks. */
    size_t n = 300000;
    unsigned char *p = malloc(n);
    assert_non_null(p);
    uint32_t seed = 3;
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(next_random(&seed) % 16 < 12
                                   ? next_random(&seed) % 40
                                   : (i >= 3 ? p[i - 3] : 0));
    roundtrip(p, n, 3, 1201);
    free(p);
}

static void test_joined_parts(void **state)
{
    (void)state;
    size_t n;
    unsigned char *p = map_like_rows(500, 300, &n);
    size_t row_len = 1 + 3 * 500;
    /* Cuts on row boundaries, as the PNG bands and their pieces are, and
     * anywhere; parts on their own and with the bytes before them. */
    size_t rows[2] = {100 * row_len, 200 * row_len};
    size_t odd[4] = {1, 2, 12345, n - 1};
    size_t whole = roundtrip(p, n, 3, row_len);
    for (int h = 0; h < 2; h++) {
        size_t z = roundtrip_parts(p, n, 3, row_len, rows, 2, h);
        roundtrip_parts(p, n, 3, row_len, odd, 4, h);
        /* History keeps the matches across the cuts: the parts cost
         * little more than the whole, two block ends and sync markers. */
        if (h)
            assert_true(z < whole + 600);
    }
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_short_inputs),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_flat_image),
        cmocka_unit_test(test_map_like_rows),
        cmocka_unit_test(test_many_blocks),
        cmocka_unit_test(test_joined_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
