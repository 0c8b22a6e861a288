/* PNG encoding of a painted image surface, through a sink.
 *
 * cairo_surface_write_to_png compresses at zlib's default level with
 * every filter tried on every row, which costs more than painting a map;
 * this encoder writes unfiltered rows and compresses them with ISA-L's
 * igzip, a band of rows on each of two threads. The PNG backend paints and
 * encodes its pages in bands (png.c); this entry point encodes an image
 * painted otherwise. */
#ifndef EVM_PAINT_PNG_H
#define EVM_PAINT_PNG_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "paint/paint.h"

typedef struct evm_png_options {
    bool keep_alpha; /* write RGBA even when every pixel is opaque */
    /* Work on the calling thread only (one band); the pixels are the
     * same as with two, the deflate stream not. */
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

/* Where the PNG backend cuts a page of h rows painted from scene into n
 * bands, so that each has about the same work to paint (bands.c), moved
 * off the labels' boxes where a free row is near: band i starts at row
 * y0[i], with y0[0] = 0 and each band at least one row high (n <= h).
 * Rows h i / n when out of memory. Depends on the scene alone, so that
 * one thread or several paint the same bands. */
void evm_png_band_rows(const evm_scene_t *scene, int h, int n, int *y0);

#endif
