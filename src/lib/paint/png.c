/* The PNG backend: the scene painted on an ARGB32 image surface, then
 * encoded as PNG.
 *
 * cairo keeps pixels premultiplied in native-endian 32-bit words. A map
 * has an opaque background, so the usual output is 8-bit RGB; only an
 * image with transparency is written as RGBA, un-premultiplied.
 *
 * The page is cut into horizontal bands, each painted and turned into
 * PNG rows on its own thread, so that both steps use both cores; the
 * rows are then compressed in one call of libdeflate, which also gives
 * the Adler-32 of the zlib stream and the chunks' CRC-32. Compressing
 * the bands in parallel as well (as pigz joins zlib streams) did not pay
 * with libdeflate: figures in docs/performance.md. */
#include "paint/png.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "core/error.h"
#include "paint/guard.h"
#include "paint/plan.h"

/* libdeflate's fastest level: on the example map a file 23% smaller than
 * zlib's level 1 in a third of its time. */
enum { PNG_DEFLATE_LEVEL = 1 };

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

/* A band of rows [y0, y1) of the page: painted (when the backend paints
 * in bands) and then written as PNG rows into the image's raw buffer. */
typedef struct png_band {
    /* Painting: the scene, or NULL when the image is already painted. */
    const evm_scene_t *scene;
    evm_paint_text_share_t *share;
    /* The whole image's pixels. */
    unsigned char *data;
    int w, stride, y0, y1;
    /* The whole image's RGB rows (1 + 3 w bytes each, filter byte
     * first), or NULL when the image is written as RGBA anyway. */
    unsigned char *rgb;
    bool alpha; /* some pixel of the band is not opaque */
    evm_status st;
    evm_error_t err;
} png_band_t;

/* Rows [y0, y1) of a band as opaque RGB with a filter byte each (None:
 * libdeflate finds the runs of equal pixels to the left and above as
 * matches). Returns false when some pixel is not opaque. */
static bool rgb_rows(const png_band_t *b, unsigned char *raw)
{
    unsigned char *o = raw + (1 + 3 * (size_t)b->w) * (size_t)b->y0;
    for (int y = b->y0; y < b->y1; y++) {
        const uint32_t *px =
            (const uint32_t *)(const void *)(b->data + (size_t)y * b->stride);
        uint32_t all = 0xff000000u;
        *o++ = 0; /* filter type None */
        /* R, G, B and a fourth byte that the next pixel overwrites, so
         * the row's last pixel is stored byte by byte: its fourth byte
         * would be the next row's, perhaps another band's. */
        int x = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        for (; x + 1 < b->w; x++) {
            uint32_t p = px[x];
            all &= p;
            uint32_t rgb = __builtin_bswap32(p) >> 8;
            memcpy(o, &rgb, 4);
            o += 3;
        }
#endif
        for (; x < b->w; x++) {
            uint32_t p = px[x];
            all &= p;
            o[0] = (unsigned char)(p >> 16);
            o[1] = (unsigned char)(p >> 8);
            o[2] = (unsigned char)p;
            o += 3;
        }
        if (all != 0xff000000u)
            return false;
    }
    return true;
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
    if (b->st == EVM_OK && b->rgb)
        b->alpha = !rgb_rows(b, b->rgb);
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
    uint32_t c = libdeflate_crc32(0, head + 4, 4);
    if (len)
        c = libdeflate_crc32(c, data, len);
    put_be32(crc, c);
    evm_status st = evm_sink_write(sink, head, 8);
    if (!st && len)
        st = evm_sink_write(sink, data, len);
    if (!st)
        st = evm_sink_write(sink, crc, 4);
    return st;
}

/* A page is painted in bands in parallel when it is large
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

/* The zlib stream of the image's rows: the opaque RGB rows the bands
 * wrote when every band is opaque and alpha is not wanted, else RGBA
 * rows made here. *out is malloc'ed; EVM_ERR_NOMEM when out of memory. */
static evm_status compress_rows(const png_band_t *bands, int n, bool alpha,
                                unsigned char **out, size_t *out_len)
{
    int w = bands[0].w, h = bands[n - 1].y1;
    size_t row_len = 1 + (size_t)w * (alpha ? 4 : 3);
    size_t raw_len = row_len * (size_t)h;
    unsigned char *raw = alpha ? malloc(raw_len) : bands[0].rgb;
    for (int y = 0; alpha && raw && y < h; y++) {
        raw[row_len * (size_t)y] = 0; /* filter type None */
        rgba_row(bands[0].data + (size_t)y * bands[0].stride, w,
                 raw + row_len * (size_t)y + 1);
    }
    struct libdeflate_compressor *c =
        raw ? libdeflate_alloc_compressor(PNG_DEFLATE_LEVEL) : NULL;
    size_t bound = c ? libdeflate_zlib_compress_bound(c, raw_len) : 0;
    /* Untouched pages of the bound cost nothing: a map compresses to a
     * twentieth of its rows. */
    *out = c ? malloc(bound) : NULL;
    *out_len =
        *out ? libdeflate_zlib_compress(c, raw, raw_len, *out, bound) : 0;
    libdeflate_free_compressor(c);
    if (alpha)
        free(raw);
    if (*out_len == 0) {
        free(*out);
        *out = NULL;
        return EVM_ERR_NOMEM;
    }
    return EVM_OK;
}

/* The PNG of the painted bands: 8-bit RGB when every band is opaque and
 * keep_alpha is false, else RGBA throughout. */
static evm_status write_png(const png_band_t *bands, int n, bool keep_alpha,
                            double dpi, evm_sink_t *sink, evm_error_t *err)
{
    for (int i = 0; i < n; i++)
        if (bands[i].st) {
            if (err)
                *err = bands[i].err;
            return bands[i].st;
        }
    bool alpha = keep_alpha || !bands[0].rgb;
    for (int i = 0; i < n; i++)
        alpha = alpha || bands[i].alpha;
    unsigned char *idat;
    size_t o;
    if (compress_rows(bands, n, alpha, &idat, &o))
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory encoding a PNG");

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
    evm_status st = evm_sink_write(sink, signature, sizeof signature);
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

/* Bands of rows [0, h) of an ARGB32 image, to paint scene (or NULL),
 * writing RGB rows into rgb (or not, when NULL). */
static void init_bands(png_band_t *bands, int n, unsigned char *data, int w,
                       int h, int stride, const evm_scene_t *scene,
                       evm_paint_text_share_t *share, unsigned char *rgb)
{
    for (int i = 0; i < n; i++)
        bands[i] = (png_band_t){.scene = scene,
                                .share = share,
                                .data = data,
                                .w = w,
                                .stride = stride,
                                .y0 = h * i / n,
                                .y1 = h * (i + 1) / n,
                                .rgb = rgb};
}

/* Room for the image's RGB rows (and a spare byte); NULL when out of
 * memory. */
static unsigned char *alloc_rgb(int w, int h)
{
    size_t row_len = 1 + 3 * (size_t)w;
    if (h > 0 && row_len > (SIZE_MAX - 1) / (size_t)h)
        return NULL;
    return malloc(row_len * (size_t)h + 1);
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
    unsigned char *rgb = opt->keep_alpha ? NULL : alloc_rgb(w, h);
    if (!opt->keep_alpha && !rgb)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory encoding a PNG");
    int n = band_count(h, opt->single_thread);
    png_band_t bands[PNG_MAX_BANDS];
    init_bands(bands, n, data, w, h, stride, NULL, NULL, rgb);
    run_bands(bands, n);
    evm_status st = write_png(bands, n, opt->keep_alpha, dpi, sink, err);
    free(rgb);
    return st;
}

/* The PNG backend's render: bands of the page painted and turned into
 * rows each on its own thread, so that the second core works through
 * painting, not only afterwards. */
static evm_status png_render(const evm_paint_backend_t *backend,
                             const evm_scene_t *scene,
                             const evm_render_options_t *ropt, evm_sink_t *sink,
                             evm_error_t *err)
{
    (void)backend;
    /* A fractional page size gets its last, partly covered pixel. */
    int w = (int)ceil(scene->width_px), h = (int)ceil(scene->height_px);
    /* The pixels and the RGB rows in one block: two large blocks freed
     * after every map made glibc's malloc give the memory back and fault
     * it in again for the next map of a batch (ten times the page faults
     * and a third more system time than one block). */
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, w);
    size_t rgb_len = (1 + 3 * (size_t)w) * (size_t)h + 1;
    size_t px_len = (size_t)(stride > 0 ? stride : 0) * (size_t)h;
    unsigned char *block = stride > 0 && w > 0 && h > 0 &&
                                   px_len / (size_t)h == (size_t)stride &&
                                   rgb_len <= SIZE_MAX - px_len
                               ? malloc(px_len + rgb_len)
                               : NULL;
    if (!block)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory for a %d x %d px PNG", w, h);
    memset(block, 0, px_len); /* transparent, as cairo starts a surface */
    unsigned char *rgb = block + px_len;
    cairo_surface_t *image = cairo_image_surface_create_for_data(
        block, CAIRO_FORMAT_ARGB32, w, h, stride);
    cairo_status_t cs = cairo_surface_status(image);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(image);
        free(block);
        return evm_paint_cairo_error(err, cs, "creating the png surface");
    }
    int n = band_count(h, ropt && ropt->threads == 1);
    evm_paint_text_share_t share;
    bool shared = n > 1 && pthread_mutex_init(&share.lock, NULL) == 0;
    if (!shared)
        n = 1;
    /* The font map layout measured with, already loaded with its fonts. */
    share.font_map = pango_cairo_font_map_get_default();
    /* The events layer's plan, made once for both bands; the painter
     * guards at EVM_GUARD_MARGIN, as it paints one page px per pixel. */
    evm_paint_plan_t plan;
    share.events_plan =
        shared && evm_paint_plan_layer(&plan, scene,
                                       &scene->layers[EVM_LAYER_EVENTS],
                                       EVM_GUARD_MARGIN)
            ? &plan
            : NULL;
    png_band_t bands[PNG_MAX_BANDS];
    init_bands(bands, n, cairo_image_surface_get_data(image), w, h,
               cairo_image_surface_get_stride(image), scene,
               shared ? &share : NULL, rgb);
    run_bands(bands, n);
    if (shared)
        pthread_mutex_destroy(&share.lock);
    if (share.events_plan)
        evm_paint_plan_free(&plan);
    cairo_surface_mark_dirty(image);
    evm_status st = write_png(bands, n, false, scene->dpi, sink, err);
    cairo_surface_destroy(image);
    free(block);
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
    .finish = png_finish,
};
