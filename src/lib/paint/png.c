/* The PNG backend: the scene painted on an ARGB32 image surface, then
 * encoded as PNG.
 *
 * cairo keeps pixels premultiplied in native-endian 32-bit words. A map
 * has an opaque background, so the usual output is 8-bit RGB; only an
 * image with transparency is written as RGBA, un-premultiplied.
 *
 * The page is cut into horizontal bands, each painted and then compressed
 * on its own thread, so that both steps use both cores. The chunks are
 * written here rather than by libpng (which drives a single deflate
 * stream) so that the bands' compressed data join into one valid zlib
 * stream, the way pigz joins its blocks. Compression is deflate.c's
 * encoder for image rows; zlib provides the CRC and Adler-32. */
#include "paint/png.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "core/error.h"
#include "paint/deflate.h"

const evm_png_options_t evm_png_default_options = {
    .keep_alpha = false,
    .single_thread = false,
};

/* One row of premultiplied ARGB32 words to un-premultiplied RGBA bytes. */
static void rgba_row(const unsigned char *src, int w, unsigned char *out)
{
    const uint32_t *px = (const uint32_t *)(const void *)src;
    for (int x = 0; x < w; x++) {
        uint32_t p = px[x];
        unsigned a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff,
                 b = p & 0xff;
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

/* A band of rows: painted (when the backend paints in bands) and then
 * compressed on its own, as pigz does, into raw deflate that joins the
 * next band's (see deflate.h), with the Adler-32 of its bytes, which
 * combine into the zlib trailer. */
typedef struct png_band {
    /* Painting: the scene, or NULL when the image is already painted. */
    const evm_scene_t *scene;
    evm_paint_text_share_t *share;
    /* The whole image's pixels; this band is rows [y0, y1). */
    unsigned char *data;
    int w, stride, y0, y1;
    bool last;
    bool alpha; /* encoded as RGBA */
    evm_deflate_out_t out;
    uLong adler;
    size_t raw_len;
    evm_status st;
    evm_error_t err;
} png_band_t;

/* Rows [y0, y1) of a band as opaque RGB with a filter byte each, and the
 * Adler-32 sums (s1, s2) carried on over those bytes, in one pass over the
 * pixels. Returns false when some pixel is not opaque.
 *
 * Adler-32 is s1 = 1 + the sum of the bytes and s2 = the sum of the
 * successive s1, mod 65521. For a row of n = 1 + 3 w bytes c_k (k from
 * 1), s1 grows by the sum of the c_k and s2 by n s1 + sum (n + 1 - k) c_k.
 * With the filter byte at k = 1 and pixel j's bytes at 3 j + 2, 3 j + 3,
 * 3 j + 4, sum k c_k = 3 sum j t_j + 2 sum t_j + sum (g_j + 2 b_j), where
 * t_j = r_j + g_j + b_j: three running sums per row instead of two
 * additions per byte. 64 bits hold them for any row cairo can make. */
static bool rgb_rows(const png_band_t *b, int y0, int y1, unsigned char *raw,
                     uint64_t adler[2])
{
    uint64_t s1 = adler[0], s2 = adler[1];
    uint64_t n = 1 + 3 * (uint64_t)b->w;
    unsigned char *o = raw;
    for (int y = y0; y < y1; y++) {
        const uint32_t *px =
            (const uint32_t *)(const void *)(b->data + (size_t)y * b->stride);
        uint32_t all = 0xff000000u;
        uint64_t t = 0, jt = 0, gb = 0;
        *o++ = 0; /* filter type None: see deflate.h */
        for (int x = 0; x < b->w; x++) {
            uint32_t p = px[x];
            all &= p;
            uint32_t r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, bl = p & 0xff;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* R, G, B and a byte that the next pixel overwrites (raw
             * has a byte of room after the last row). */
            uint32_t rgb = __builtin_bswap32(p) >> 8;
            memcpy(o, &rgb, 4);
#else
            o[0] = (unsigned char)r;
            o[1] = (unsigned char)g;
            o[2] = (unsigned char)bl;
#endif
            o += 3;
            uint32_t sum = r + g + bl;
            t += sum;
            jt += (uint64_t)x * sum;
            gb += g + 2 * bl;
        }
        if (all != 0xff000000u)
            return false;
        uint64_t weighted = 3 * jt + 2 * t + gb;
        s2 = (s2 + n * s1 + (n + 1) * t - weighted) % 65521;
        s1 = (s1 + t) % 65521;
    }
    adler[0] = s1;
    adler[1] = s2;
    return true;
}

/* Rows converted and compressed at a time: about 256 kB of raw bytes,
 * so that a band needs no buffer of its own size (a page may be 20000 px
 * square). Each piece is compressed with the row before it as history,
 * so row matches run on across pieces. */
enum { PNG_PIECE_BYTES = 1 << 18 };

/* Encodes the band as RGB when want_alpha is false and every pixel is
 * opaque, else as RGBA; the output replaces any earlier one. */
static evm_status compress_band(png_band_t *b, bool want_alpha)
{
    b->alpha = want_alpha;
    for (;;) {
        b->out.len = 0;
        size_t px_len = b->alpha ? 4 : 3;
        size_t row_len = 1 + (size_t)b->w * px_len;
        int rows = PNG_PIECE_BYTES / row_len > 0
                       ? (int)(PNG_PIECE_BYTES / row_len)
                       : 1;
        /* The row before the piece, the piece and a byte of room for the
         * RGB writer's four-byte stores. */
        unsigned char *buf = malloc(row_len * ((size_t)rows + 1) + 1);
        if (!buf)
            return EVM_ERR_NOMEM;
        unsigned char *piece = buf + row_len;
        uint64_t sums[2] = {1, 0};
        uLong adler = adler32(0L, Z_NULL, 0);
        evm_status st = EVM_OK;
        bool opaque = true;
        int y = b->y0;
        do {
            int y_end = b->y1 - y < rows ? b->y1 : y + rows;
            size_t n = row_len * (size_t)(y_end - y);
            if (!b->alpha) {
                opaque = rgb_rows(b, y, y_end, piece, sums);
                if (!opaque)
                    break;
            } else {
                for (int r = y; r < y_end; r++) {
                    unsigned char *row = piece + (size_t)(r - y) * row_len;
                    row[0] = 0;
                    rgba_row(b->data + (size_t)r * b->stride, b->w, row + 1);
                }
                adler = adler32_z(adler, piece, n);
            }
            st = evm_deflate_rows(piece, n, y > b->y0 ? row_len : 0, px_len,
                                  row_len, b->last && y_end == b->y1, &b->out);
            if (n)
                memcpy(buf, piece + n - row_len, row_len);
            y = y_end;
        } while (!st && y < b->y1);
        free(buf);
        if (!opaque) {
            b->alpha = true; /* start again with alpha */
            continue;
        }
        b->raw_len = row_len * (size_t)(b->y1 - b->y0);
        b->adler = b->alpha ? adler : (uLong)(sums[1] << 16 | sums[0]);
        return st;
    }
}

/* Paints the scene on the band's rows: a surface on them whose device
 * offset puts page row y0 at its top, so that every band draws the page
 * in the same coordinates and cairo clips to the band. */
static evm_status paint_band(png_band_t *b)
{
    cairo_surface_t *s = cairo_image_surface_create_for_data(
        b->data + (size_t)b->y0 * b->stride, CAIRO_FORMAT_ARGB32, b->w,
        b->y1 - b->y0, b->stride);
    cairo_status_t cs = cairo_surface_status(s);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return evm_paint_cairo_error(&b->err, cs, "creating the png surface");
    }
    cairo_surface_set_device_offset(s, 0, -(double)b->y0);
    cairo_t *cr = cairo_create(s);
    evm_status st;
    cs = cairo_status(cr);
    if (cs == CAIRO_STATUS_SUCCESS) {
        evm_paint_setup(cr, 1.0);
        st = evm_paint_scene_shared(cr, b->scene, b->share, &b->err);
    } else {
        st = evm_paint_cairo_error(&b->err, cs, "creating a context");
    }
    cairo_destroy(cr);
    cairo_surface_flush(s);
    cairo_surface_destroy(s);
    return st;
}

/* A band's whole job, on whichever thread runs it. */
static void *run_band(void *arg)
{
    png_band_t *b = arg;
    b->st = b->scene ? paint_band(b) : EVM_OK;
    if (b->st == EVM_OK) {
        b->st = compress_band(b, false);
        if (b->st)
            evm_error_set(&b->err, b->st, NULL, 0, 0,
                          "out of memory encoding a PNG");
    }
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

/* A page is painted and compressed in bands in parallel when it is large
 * enough for a thread to pay off; two match the machines evmap is
 * measured on, and keep a batch of maps (which already runs one map per
 * core, with threads = 1) from oversubscribing much. */
enum { PNG_MAX_BANDS = 2, PNG_MIN_BAND_ROWS = 128 };

static int band_count(int h, bool single_thread)
{
    return !single_thread && h >= 2 * PNG_MIN_BAND_ROWS ? PNG_MAX_BANDS : 1;
}

/* Runs the bands, the first on this thread and each other on its own; a
 * band whose thread cannot start runs here afterwards. */
static void run_bands(png_band_t *bands, int n)
{
    pthread_t threads[PNG_MAX_BANDS];
    bool started[PNG_MAX_BANDS] = {false};
    for (int i = 1; i < n; i++)
        started[i] =
            pthread_create(&threads[i], NULL, run_band, &bands[i]) == 0;
    run_band(&bands[0]);
    for (int i = 1; i < n; i++) {
        if (started[i])
            pthread_join(threads[i], NULL);
        else
            run_band(&bands[i]);
    }
}

static void free_bands(png_band_t *bands, int n)
{
    for (int i = 0; i < n; i++) {
        free(bands[i].out.data);
        bands[i].out = (evm_deflate_out_t){0};
    }
}

/* The PNG of the encoded bands: 8-bit RGB when every band is opaque, else
 * RGBA throughout (the opaque bands encoded again). Frees the bands'
 * output. */
static evm_status write_png(png_band_t *bands, int n, bool keep_alpha,
                            double dpi, evm_sink_t *sink, evm_error_t *err)
{
    for (int i = 0; i < n; i++)
        if (bands[i].st) {
            if (err)
                *err = bands[i].err;
            free_bands(bands, n);
            return bands[i].st;
        }
    bool alpha = keep_alpha;
    for (int i = 0; i < n; i++)
        alpha = alpha || bands[i].alpha;
    evm_status st = EVM_OK;
    for (int i = 0; i < n && !st; i++)
        if (bands[i].alpha != alpha)
            st = compress_band(&bands[i], alpha);
    size_t total = 2 + 4;
    for (int i = 0; i < n; i++)
        total += bands[i].out.len;
    unsigned char *idat = st ? NULL : malloc(total);
    if (!idat) {
        free_bands(bands, n);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory encoding a PNG");
    }
    /* zlib header: deflate, 32 KiB window, check bits, level "fastest". */
    size_t o = 0;
    idat[o++] = 0x78;
    idat[o++] = 0x01;
    uLong adler = bands[0].adler;
    for (int i = 0; i < n; i++) {
        memcpy(idat + o, bands[i].out.data, bands[i].out.len);
        o += bands[i].out.len;
        if (i > 0)
            adler = adler32_combine(adler, bands[i].adler,
                                    (z_off_t)bands[i].raw_len);
    }
    free_bands(bands, n);
    put_be32(idat + o, (uint32_t)adler);
    o += 4;

    int w = bands[0].w, h = bands[n - 1].y1;
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

/* Bands of rows [0, h) of an ARGB32 image, to paint scene (or NULL). */
static void init_bands(png_band_t *bands, int n, unsigned char *data, int w,
                       int h, int stride, const evm_scene_t *scene,
                       evm_paint_text_share_t *share)
{
    for (int i = 0; i < n; i++)
        bands[i] = (png_band_t){.scene = scene,
                                .share = share,
                                .data = data,
                                .w = w,
                                .stride = stride,
                                .y0 = h * i / n,
                                .y1 = h * (i + 1) / n,
                                .last = i == n - 1};
}

evm_status evm_png_encode(cairo_surface_t *image, double dpi,
                          const evm_png_options_t *opt, evm_sink_t *sink,
                          evm_error_t *err)
{
    cairo_surface_flush(image);
    cairo_status_t cs = cairo_surface_status(image);
    if (cs != CAIRO_STATUS_SUCCESS)
        return evm_paint_cairo_error(err, cs, "finishing the image");
    unsigned char *data = cairo_image_surface_get_data(image);
    int w = cairo_image_surface_get_width(image);
    int h = cairo_image_surface_get_height(image);
    int stride = cairo_image_surface_get_stride(image);
    if (!data || cairo_image_surface_get_format(image) != CAIRO_FORMAT_ARGB32)
        return evm_error_set(err, EVM_ERR_RENDER, NULL, 0, 0,
                             "the PNG backend needs an ARGB32 image");
    int n = band_count(h, opt->single_thread);
    png_band_t bands[PNG_MAX_BANDS];
    init_bands(bands, n, data, w, h, stride, NULL, NULL);
    run_bands(bands, n);
    return write_png(bands, n, opt->keep_alpha, dpi, sink, err);
}

/* The PNG backend's render: bands of the page painted and compressed
 * each on its own thread, so that the second core works through the
 * whole of painting and encoding, not only the compression. */
static evm_status png_render(const evm_paint_backend_t *backend,
                             const evm_scene_t *scene,
                             const evm_render_options_t *ropt, evm_sink_t *sink,
                             evm_error_t *err)
{
    (void)backend;
    /* A fractional page size gets its last, partly covered pixel. */
    int w = (int)ceil(scene->width_px), h = (int)ceil(scene->height_px);
    cairo_surface_t *image =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_status_t cs = cairo_surface_status(image);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(image);
        return evm_paint_cairo_error(err, cs, "creating the png surface");
    }
    int n = band_count(h, ropt && ropt->threads == 1);
    evm_paint_text_share_t share;
    bool shared = n > 1 && pthread_mutex_init(&share.lock, NULL) == 0;
    if (!shared)
        n = 1;
    /* The font map layout measured with, already loaded with its fonts. */
    share.font_map = pango_cairo_font_map_get_default();
    png_band_t bands[PNG_MAX_BANDS];
    init_bands(bands, n, cairo_image_surface_get_data(image), w, h,
               cairo_image_surface_get_stride(image), scene,
               shared ? &share : NULL);
    run_bands(bands, n);
    if (shared)
        pthread_mutex_destroy(&share.lock);
    cairo_surface_mark_dirty(image);
    evm_status st = write_png(bands, n, false, scene->dpi, sink, err);
    cairo_surface_destroy(image);
    return st;
}

/* The cairo hooks, for painting a whole page on one surface (the render
 * function above does not use them). */
static cairo_surface_t *png_create_surface(const evm_scene_t *scene,
                                           evm_sink_t *sink)
{
    (void)sink;
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
    .render = png_render,
    .create_surface = png_create_surface,
    .units_per_px = png_units_per_px,
    .finish = png_finish,
};
