/* A deflate encoder for raw image rows, much faster than zlib's level 1.
 *
 * A map is mostly flat colour: a pixel repeats the one to its left or the
 * one above it far more often than any other earlier bytes. The encoder
 * looks for matches at exactly those two distances (one pixel back, one
 * row back), greedily, and codes them with dynamic Huffman blocks. On the
 * example map that is about a third of zlib level 1's instructions, for
 * a file a fifth larger (figures in docs/performance.md).
 *
 * The output is raw deflate (RFC 1951) without zlib framing, so that bands
 * of an image encoded separately concatenate into one stream, as pigz
 * joins its blocks: every stream but the last ends byte-aligned with an
 * empty stored block, as zlib's Z_SYNC_FLUSH does. */
#ifndef EVM_PAINT_DEFLATE_H
#define EVM_PAINT_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/status.h>

/* Where the compressed bytes go: zero-initialise; the encoder grows
 * data (the caller frees it, also after a failure). */
typedef struct evm_deflate_out {
    unsigned char *data;
    size_t len, cap;
} evm_deflate_out_t;

/* Compresses in[0 .. n) as raw deflate, appended to out. history is how
 * many bytes before in (compressed by an earlier call into the same
 * stream, and still there in memory) matches may refer back to. pixel_len
 * is the byte distance to the previous pixel (3 for RGB, 4 for RGBA) and
 * row_len the distance to the same byte one row up (0, or more than 32768
 * bytes: no row matches). last ends the stream (the final block);
 * otherwise the output ends with an empty stored block, byte-aligned, and
 * more blocks may follow. Returns EVM_OK or EVM_ERR_NOMEM. */
evm_status evm_deflate_rows(const unsigned char *in, size_t n, size_t history,
                            size_t pixel_len, size_t row_len, bool last,
                            evm_deflate_out_t *out);

#endif
