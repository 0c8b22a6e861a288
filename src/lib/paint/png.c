/* The PNG backend: the scene painted on an ARGB32 image surface, then
 * encoded as PNG with zlib.
 *
 * cairo keeps pixels premultiplied in native-endian 32-bit words. A map
 * has an opaque background, so the usual output is 8-bit RGB; only an
 * image with transparency is written as RGBA, un-premultiplied.
 *
 * The chunks are written here rather than by libpng so that the image can
 * be compressed in bands on two threads (libpng drives a single deflate
 * stream): compression is most of the encoding time, and the bands join
 * into one valid zlib stream the way pigz joins its blocks. PNG's framing
 * is a few fixed chunks with a CRC each; zlib provides the CRC, Adler-32
 * and deflate. */
#include "paint/png.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "core/error.h"

/* Measured on a map-like 1600 x 1000 image (flat fills, antialiased
 * coasts, labels): zlib level 1 on unfiltered rows encodes in about 18 ms
 * on one thread to 424 kB, where cairo_surface_write_to_png takes about
 * 80 ms for 456 kB. Flat colours repeat every 3 bytes, which deflate's
 * matcher finds on raw rows; PNG's filters help continuous-tone images,
 * and here cost time and size (SUB: 23 ms, 502 kB; SUB with Z_RLE: 22 ms,
 * 542 kB; all five per row: 52 ms). Levels 2 and 3 save 1-3 % for a few %
 * more time; level 6 saves 11 % for 2.5 times the time. */
const evm_png_options_t evm_png_default_options = {
    .zlib_level = 1,
    .zlib_strategy = Z_DEFAULT_STRATEGY,
    .keep_alpha = false,
};

static bool all_opaque(const unsigned char *data, int w, int h, int stride)
{
    for (int y = 0; y < h; y++) {
        const uint32_t *px =
            (const uint32_t *)(const void *)(data + (size_t)y * stride);
        uint32_t all = 0xff000000u;
        for (int x = 0; x < w; x++)
            all &= px[x];
        if (all != 0xff000000u)
            return false;
    }
    return true;
}

/* One row of premultiplied ARGB32 words to RGB or un-premultiplied
 * RGBA bytes. */
static void convert_row(const unsigned char *src, int w, bool alpha,
                        unsigned char *out)
{
    const uint32_t *px = (const uint32_t *)(const void *)src;
    for (int x = 0; x < w; x++) {
        uint32_t p = px[x];
        unsigned a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff,
                 b = p & 0xff;
        if (!alpha) {
            *out++ = (unsigned char)r;
            *out++ = (unsigned char)g;
            *out++ = (unsigned char)b;
            continue;
        }
        if (a != 0 && a != 255) {
            /* Rounded, as cairo's own PNG writer does. */
            r = (r * 255 + a / 2) / a;
            g = (g * 255 + a / 2) / a;
            b = (b * 255 + a / 2) / a;
        }
        *out++ = (unsigned char)r;
        *out++ = (unsigned char)g;
        *out++ = (unsigned char)b;
        *out++ = (unsigned char)a;
    }
}

/* A band of rows compressed on its own, as pigz does: a raw deflate
 * stream ended by a sync flush (byte-aligned, not final) so that bands
 * concatenate into one stream, plus the Adler-32 of its bytes, which
 * combine into the zlib trailer. */
typedef struct png_band {
    const unsigned char *data;
    int w, stride, y0, y1;
    bool alpha, last;
    const evm_png_options_t *opt;
    unsigned char *out;
    size_t out_len;
    uLong adler;
    size_t raw_len;
    int zerr; /* Z_OK or the failure */
} png_band_t;

static void *compress_band(void *arg)
{
    png_band_t *b = arg;
    size_t row_len = 1 + (size_t)b->w * (b->alpha ? 4 : 3);
    size_t rows = (size_t)(b->y1 - b->y0);
    unsigned char *row = malloc(row_len);
    z_stream z = {0};
    b->zerr = Z_MEM_ERROR;
    if (!row || deflateInit2(&z, b->opt->zlib_level, Z_DEFLATED, -15, 8,
                             b->opt->zlib_strategy) != Z_OK) {
        free(row);
        return NULL;
    }
    size_t cap = deflateBound(&z, (uLong)(row_len * rows)) + 64;
    b->out = malloc(cap);
    b->adler = adler32(0L, Z_NULL, 0);
    b->raw_len = row_len * rows;
    int zerr = b->out ? Z_OK : Z_MEM_ERROR;
    z.next_out = b->out;
    z.avail_out = (uInt)cap;
    row[0] = 0; /* filter type None: see evm_png_default_options */
    for (int y = b->y0; y < b->y1 && zerr == Z_OK; y++) {
        convert_row(b->data + (size_t)y * b->stride, b->w, b->alpha, row + 1);
        b->adler = adler32(b->adler, row, (uInt)row_len);
        z.next_in = row;
        z.avail_in = (uInt)row_len;
        int flush = y + 1 < b->y1 ? Z_NO_FLUSH
                    : b->last     ? Z_FINISH
                                  : Z_SYNC_FLUSH;
        int r = deflate(&z, flush);
        if (r == Z_STREAM_ERROR || z.avail_in != 0 ||
            (flush == Z_FINISH && r != Z_STREAM_END))
            zerr = Z_BUF_ERROR;
    }
    b->out_len = cap - z.avail_out;
    deflateEnd(&z);
    free(row);
    b->zerr = zerr;
    return NULL;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Writes one PNG chunk: length, type, data, CRC of type and data. */
static evm_status put_chunk(evm_sink_t *sink, const char type[4],
                            const unsigned char *data, size_t len)
{
    unsigned char head[8], crc[4];
    put_be32(head, (uint32_t)len);
    memcpy(head + 4, type, 4);
    uLong c = crc32(0L, head + 4, 4);
    if (len)
        c = crc32(c, data, (uInt)len);
    put_be32(crc, (uint32_t)c);
    evm_status st = evm_sink_write(sink, head, 8);
    if (!st && len)
        st = evm_sink_write(sink, data, len);
    if (!st)
        st = evm_sink_write(sink, crc, 4);
    return st;
}

/* Bands are compressed in parallel when the image is large enough for a
 * thread to pay off; two match the machines evmap is measured on, and
 * keep a batch of maps (which already runs one map per core) from
 * oversubscribing much. */
enum { PNG_MAX_BANDS = 2, PNG_MIN_BAND_ROWS = 128 };

evm_status evm_png_encode(cairo_surface_t *image, double dpi,
                          const evm_png_options_t *opt, evm_sink_t *sink,
                          evm_error_t *err)
{
    cairo_surface_flush(image);
    cairo_status_t cs = cairo_surface_status(image);
    if (cs != CAIRO_STATUS_SUCCESS)
        return evm_paint_cairo_error(err, cs, "finishing the image");
    const unsigned char *data = cairo_image_surface_get_data(image);
    int w = cairo_image_surface_get_width(image);
    int h = cairo_image_surface_get_height(image);
    int stride = cairo_image_surface_get_stride(image);
    if (!data || cairo_image_surface_get_format(image) != CAIRO_FORMAT_ARGB32)
        return evm_error_set(err, EVM_ERR_RENDER, NULL, 0, 0,
                             "the PNG backend needs an ARGB32 image");
    bool alpha = opt->keep_alpha || !all_opaque(data, w, h, stride);

    int n_bands =
        !opt->single_thread && h >= 2 * PNG_MIN_BAND_ROWS ? PNG_MAX_BANDS : 1;
    png_band_t bands[PNG_MAX_BANDS];
    pthread_t threads[PNG_MAX_BANDS];
    bool started[PNG_MAX_BANDS] = {false};
    for (int i = 0; i < n_bands; i++)
        bands[i] = (png_band_t){.data = data,
                                .w = w,
                                .stride = stride,
                                .y0 = h * i / n_bands,
                                .y1 = h * (i + 1) / n_bands,
                                .alpha = alpha,
                                .last = i == n_bands - 1,
                                .opt = opt};
    for (int i = 1; i < n_bands; i++)
        started[i] =
            pthread_create(&threads[i], NULL, compress_band, &bands[i]) == 0;
    compress_band(&bands[0]);
    for (int i = 1; i < n_bands; i++) {
        if (started[i])
            pthread_join(threads[i], NULL);
        else
            compress_band(&bands[i]); /* no thread: do it here */
    }

    evm_status st = EVM_OK;
    size_t total = 2 + 4;
    for (int i = 0; i < n_bands; i++) {
        if (bands[i].zerr != Z_OK)
            st = bands[i].zerr == Z_MEM_ERROR ? EVM_ERR_NOMEM : EVM_ERR_RENDER;
        total += bands[i].out_len;
    }
    unsigned char *idat = st ? NULL : malloc(total);
    if (!st && !idat)
        st = EVM_ERR_NOMEM;
    if (st) {
        for (int i = 0; i < n_bands; i++)
            free(bands[i].out);
        return evm_error_set(err, st, NULL, 0, 0,
                             st == EVM_ERR_NOMEM ? "out of memory encoding "
                                                   "a PNG"
                                                 : "zlib failed encoding a "
                                                   "PNG");
    }
    /* zlib header: deflate, 32 KiB window, check bits for level 1. */
    size_t o = 0;
    idat[o++] = 0x78;
    idat[o++] = 0x01;
    uLong adler = bands[0].adler;
    for (int i = 0; i < n_bands; i++) {
        memcpy(idat + o, bands[i].out, bands[i].out_len);
        o += bands[i].out_len;
        if (i > 0)
            adler = adler32_combine(adler, bands[i].adler,
                                    (z_off_t)bands[i].raw_len);
        free(bands[i].out);
    }
    put_be32(idat + o, (uint32_t)adler);
    o += 4;

    static const unsigned char signature[8] = {0x89, 'P',  'N',  'G',
                                               '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13], phys[9];
    put_be32(ihdr, (uint32_t)w);
    put_be32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;                        /* bit depth */
    ihdr[9] = alpha ? 6 : 2;            /* RGBA or RGB */
    ihdr[10] = ihdr[11] = ihdr[12] = 0; /* deflate, adaptive, no interlace */
    uint32_t ppm = (uint32_t)lround(dpi / 0.0254);
    put_be32(phys, ppm);
    put_be32(phys + 4, ppm);
    phys[8] = 1; /* metre */
    st = evm_sink_write(sink, signature, sizeof signature);
    if (!st)
        st = put_chunk(sink, "IHDR", ihdr, sizeof ihdr);
    if (!st)
        st = put_chunk(sink, "pHYs", phys, sizeof phys);
    /* IDAT in chunks of 1 MiB: any size is valid; readers stream them. */
    for (size_t at = 0; !st && at < o; at += 1u << 20) {
        size_t len = o - at < (1u << 20) ? o - at : (1u << 20);
        st = put_chunk(sink, "IDAT", idat + at, len);
    }
    if (!st)
        st = put_chunk(sink, "IEND", NULL, 0);
    free(idat);
    if (st)
        return evm_error_set(err, st, NULL, 0, 0,
                             "the output callback failed (%s) writing the "
                             "PNG",
                             evm_status_name(st));
    return EVM_OK;
}

static cairo_surface_t *png_create_surface(const evm_scene_t *scene,
                                           evm_sink_t *sink)
{
    (void)sink;
    /* A fractional page size gets its last, partly covered pixel. */
    return cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
                                      (int)ceil(scene->width_px),
                                      (int)ceil(scene->height_px));
}

static double png_units_per_px(const evm_scene_t *scene)
{
    (void)scene;
    return 1.0;
}

static evm_status png_finish(cairo_surface_t *surface, const evm_scene_t *scene,
                             const evm_render_options_t *ropt, evm_sink_t *sink,
                             evm_error_t *err)
{
    evm_png_options_t opt = evm_png_default_options;
    if (ropt && ropt->threads == 1)
        opt.single_thread = true;
    return evm_png_encode(surface, scene->dpi, &opt, sink, err);
}

const evm_paint_backend_t evm_paint_png_backend = {
    .format = EVM_FORMAT_PNG,
    .name = "png",
    .render = evm_paint_cairo_render,
    .create_surface = png_create_surface,
    .units_per_px = png_units_per_px,
    .finish = png_finish,
};
