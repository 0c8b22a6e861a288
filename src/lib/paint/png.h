/* PNG encoding of a painted image surface with zlib, through a sink.
 *
 * cairo_surface_write_to_png compresses at zlib's default level with
 * every filter tried on every row, which costs more than painting a map.
 * The options exist so that a benchmark can compare settings; the
 * backend uses evm_png_default_options (measurements in png.c). */
#ifndef EVM_PAINT_PNG_H
#define EVM_PAINT_PNG_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "paint/paint.h"

typedef struct evm_png_options {
    int zlib_level;    /* 0 (store) .. 9 (smallest) */
    int zlib_strategy; /* Z_DEFAULT_STRATEGY, Z_FILTERED, Z_RLE, ... */
    bool keep_alpha;   /* write RGBA even when every pixel is opaque */
    /* Compress on the calling thread only (one band); the bytes differ
     * from the two-band stream's but decode to the same image. */
    bool single_thread;
} evm_png_options_t;

/* The options the PNG backend uses. */
extern const evm_png_options_t evm_png_default_options;

/* Encodes an ARGB32 image surface as PNG into sink: 8-bit RGB when every
 * pixel is opaque, else RGBA with the colours un-premultiplied, and a
 * pHYs chunk of dpi (dots per inch, > 0). */
evm_status evm_png_encode(cairo_surface_t *image, double dpi,
                          const evm_png_options_t *opt, evm_sink_t *sink,
                          evm_error_t *err);

#endif
