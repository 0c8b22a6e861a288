/* The PNG backend: the scene painted on an ARGB32 image surface, then
 * encoded as PNG.
 *
 * cairo keeps pixels premultiplied in native-endian 32-bit words. A map
 * has an opaque background, so the usual output is 8-bit RGB; only an
 * image with transparency is written as RGBA, un-premultiplied.
 *
 * The page is cut into horizontal bands, each painted and then
 * compressed on its own thread, so that both steps use both cores. Each
 * band is a raw deflate stream of its rows made with ISA-L's igzip; all
 * but the last end with a sync flush (an empty stored block, byte
 * aligned, not final), so the bands joined one after the other behind a
 * zlib header are one zlib stream, as pigz joins its blocks. The
 * Adler-32s of the bands combine into the stream's (zlib). Why ISA-L
 * rather than libdeflate (smaller files, but neither parallel nor as
 * fast): docs/performance.md. */
/* zlib declares adler32_combine64 (a band's rows may pass 2 GiB where
 * z_off_t is 32 bits) only with the large-file interface. */
#define _LARGEFILE64_SOURCE 1

#include "paint/png.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include "core/error.h"
#include "paint/guard.h"
#include "paint/plan.h"

/* igzip's level 1 with its small level buffer: on the example map within
 * 0.2% of the size of its larger buffers and of levels 2 and 3, in the
 * time of level 0 (whose files are a quarter larger). */
enum {
    PNG_IGZIP_LEVEL = 1,
    PNG_IGZIP_LEVEL_BUF = ISAL_DEF_LVL1_SMALL,
    /* Rows are made and compressed this many bytes at a time, so that a
     * band needs no buffer of its own size (a page may be 20000 px
     * wide). */
    PNG_CHUNK_BYTES = 128 * 1024,
    /* zlib's header for deflate with a 32 KiB window, fastest level;
     * (0x78 << 8 | 0x01) is a multiple of 31 as RFC 1950 asks. */
    PNG_ZLIB_CMF = 0x78,
    PNG_ZLIB_FLG = 0x01,
};

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

/* A band's compressed rows: raw deflate, after the zlib header in the
 * first band and before the Adler-32 in the last (write_png adds it). */
typedef struct png_deflated {
    unsigned char *data;
    size_t len, cap;
    uint32_t adler; /* of the band's rows */
    size_t raw_len; /* bytes of rows, for combining the Adler-32s */
} png_deflated_t;

/* A band of rows [y0, y1) of the page: painted (when the backend paints
 * in bands) and then compressed into its own deflate stream. */
typedef struct png_band {
    /* Painting: the scene, or NULL when the image is already painted. */
    const evm_scene_t *scene;
    evm_paint_text_share_t *share;
    /* The whole image's pixels. */
    unsigned char *data;
    int w, stride, y0, y1;
    bool first, last; /* of the image's bands */
    bool rgba;        /* rows as RGBA; else RGB, if every pixel is opaque */
    bool not_opaque;  /* RGB was asked and some pixel is not opaque */
    png_deflated_t z;
    evm_status st;
    evm_error_t err;
} png_band_t;

/* Rows [y0, y1) as opaque RGB with a filter byte each (None: the
 * compressor finds the runs of equal pixels to the left and above as
 * matches) into raw. Returns false when some pixel is not opaque. */
static bool rgb_rows(const png_band_t *b, int y0, int y1, unsigned char *raw)
{
    unsigned char *o = raw;
    for (int y = y0; y < y1; y++) {
        const uint32_t *px =
            (const uint32_t *)(const void *)(b->data + (size_t)y * b->stride);
        uint32_t all = 0xff000000u;
        *o++ = 0; /* filter type None */
        /* R, G, B and a fourth byte that the next pixel overwrites; the
         * row's last pixel is stored byte by byte, as raw has no spare
         * byte after the last row. */
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

/* Rows [y0, y1) as RGBA with a filter byte each into raw. */
static void rgba_rows(const png_band_t *b, int y0, int y1, unsigned char *raw)
{
    size_t row_len = 1 + 4 * (size_t)b->w;
    for (int y = y0; y < y1; y++) {
        unsigned char *o = raw + row_len * (size_t)(y - y0);
        o[0] = 0; /* filter type None */
        rgba_row(b->data + (size_t)y * b->stride, b->w, o + 1);
    }
}

/* Gives the stream room for more output: doubles the band's buffer when
 * it is full. False when out of memory. */
static bool deflated_room(png_deflated_t *z, struct isal_zstream *s)
{
    z->len = (size_t)(s->next_out - z->data);
    if (s->avail_out > 0)
        return true;
    size_t cap = z->cap * 2;
    unsigned char *p = cap > z->cap ? realloc(z->data, cap) : NULL;
    if (!p)
        return false;
    z->data = p;
    z->cap = cap;
    s->next_out = p + z->len;
    s->avail_out =
        (uint32_t)(cap - z->len > UINT32_MAX ? UINT32_MAX : cap - z->len);
    return true;
}

/* Feeds n bytes of rows to the band's stream; `end` on its last rows,
 * which then end the image's stream (last band) or a sync flush. */
static evm_status deflate_rows(png_deflated_t *z, struct isal_zstream *s,
                               unsigned char *raw, size_t n, bool end,
                               bool last_band)
{
    z->adler = isal_adler32(z->adler, raw, n);
    z->raw_len += n;
    s->next_in = raw;
    s->avail_in = (uint32_t)n;
    s->end_of_stream = end && last_band;
    s->flush = end && !last_band ? SYNC_FLUSH : NO_FLUSH;
    for (;;) {
        if (!deflated_room(z, s))
            return EVM_ERR_NOMEM;
        if (isal_deflate(s) != COMP_OK)
            return EVM_ERR_RENDER;
        z->len = (size_t)(s->next_out - z->data);
        /* Done when the input is taken and, at the end, everything is
         * written: a full buffer may hold back more. */
        bool done =
            s->avail_in == 0 && s->avail_out > 0 &&
            (!s->end_of_stream || s->internal_state.state == ZSTATE_END);
        if (done)
            return EVM_OK;
    }
}

/* Compresses the band's rows, a chunk of rows at a time, as RGBA when
 * b->rgba, else as RGB (stopping with b->not_opaque at the first
 * row that is not opaque). */
static evm_status compress_band(png_band_t *b)
{
    size_t row_len = 1 + (size_t)b->w * (b->rgba ? 4 : 3);
    int chunk =
        PNG_CHUNK_BYTES / row_len > 0 ? (int)(PNG_CHUNK_BYTES / row_len) : 1;
    size_t raw_band = row_len * (size_t)(b->y1 - b->y0);
    /* A map compresses to a tenth of its rows or less. */
    b->z = (png_deflated_t){.cap = raw_band / 8 + 4096, .adler = 1};
    b->z.data = malloc(b->z.cap);
    unsigned char *raw = malloc(row_len * (size_t)chunk);
    struct isal_zstream *s = malloc(sizeof *s);
    unsigned char *level_buf = malloc(PNG_IGZIP_LEVEL_BUF);
    evm_status st = b->z.data && raw && s && level_buf ? EVM_OK : EVM_ERR_NOMEM;
    if (st == EVM_OK) {
        isal_deflate_init(s);
        s->level = PNG_IGZIP_LEVEL;
        s->level_buf = level_buf;
        s->level_buf_size = PNG_IGZIP_LEVEL_BUF;
        s->gzip_flag = IGZIP_DEFLATE; /* raw: the zlib wrapper is ours */
        size_t head = 0;
        if (b->first) {
            b->z.data[head++] = PNG_ZLIB_CMF;
            b->z.data[head++] = PNG_ZLIB_FLG;
        }
        s->next_out = b->z.data + head;
        s->avail_out = (uint32_t)(b->z.cap - head);
    }
    for (int y = b->y0; st == EVM_OK && y < b->y1; y += chunk) {
        int y1 = y + chunk < b->y1 ? y + chunk : b->y1;
        if (b->rgba) {
            rgba_rows(b, y, y1, raw);
        } else if (!rgb_rows(b, y, y1, raw)) {
            b->not_opaque = true;
            break;
        }
        st = deflate_rows(&b->z, s, raw, row_len * (size_t)(y1 - y),
                          y1 == b->y1, b->last);
    }
    free(level_buf);
    free(s);
    free(raw);
    return st;
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
        b->st = compress_band(b);
        if (b->st)
            evm_error_set(&b->err, b->st, NULL, 0, 0,
                          b->st == EVM_ERR_NOMEM
                              ? "out of memory encoding a PNG"
                              : "the PNG compressor failed");
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
        c = crc32_z(c, data, len);
    put_be32(crc, (uint32_t)c);
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

static int band_count(int h)
{
    return h >= 2 * PNG_MIN_BAND_ROWS ? PNG_MAX_BANDS : 1;
}

/* Runs the bands: in parallel, the first on this thread and each other on
 * its own (a band whose thread cannot start runs here afterwards); else
 * one after the other on this thread. */
static void run_bands(png_band_t *bands, int n, bool parallel)
{
    pthread_t threads[PNG_MAX_BANDS];
    bool started[PNG_MAX_BANDS] = {false};
    for (int i = 1; parallel && i < n; i++)
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

/* Frees the bands' compressed rows. */
static void free_deflated(png_band_t *bands, int n)
{
    for (int i = 0; i < n; i++) {
        free(bands[i].z.data);
        bands[i].z = (png_deflated_t){0};
    }
}

/* Compresses the bands again as RGBA, on the threads, when some band
 * found a pixel that is not opaque (the image's rows are all RGB or all
 * RGBA), without painting them again. */
static void recompress_rgba(png_band_t *bands, int n, bool parallel)
{
    bool not_opaque = false;
    for (int i = 0; i < n; i++)
        not_opaque = not_opaque || bands[i].not_opaque;
    if (!not_opaque)
        return;
    free_deflated(bands, n);
    for (int i = 0; i < n; i++) {
        bands[i].scene = NULL;
        bands[i].rgba = true;
        bands[i].not_opaque = false;
    }
    run_bands(bands, n, parallel);
}

/* The PNG of the compressed bands: their data one after the other (the
 * first begins with the zlib header) and the Adler-32 of all rows. */
static evm_status write_png(png_band_t *bands, int n, double dpi,
                            evm_sink_t *sink, evm_error_t *err)
{
    for (int i = 0; i < n; i++)
        if (bands[i].st) {
            if (err)
                *err = bands[i].err;
            return bands[i].st;
        }
    uLong adler = bands[0].z.adler;
    for (int i = 1; i < n; i++)
        adler = adler32_combine64(adler, bands[i].z.adler,
                                  (z_off64_t)bands[i].z.raw_len);
    /* The Adler-32 after the last band's data. */
    png_deflated_t *z = &bands[n - 1].z;
    if (z->cap - z->len < 4) {
        unsigned char *p = realloc(z->data, z->len + 4);
        if (!p)
            return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory encoding a PNG");
        z->data = p;
        z->cap = z->len + 4;
    }
    put_be32(z->data + z->len, (uint32_t)adler);
    z->len += 4;

    int w = bands[0].w, h = bands[n - 1].y1;
    static const unsigned char signature[8] = {0x89, 'P',  'N',  'G',
                                               '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13], phys[9];
    put_be32(ihdr, (uint32_t)w);
    put_be32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;                        /* bit depth */
    ihdr[9] = bands[0].rgba ? 6 : 2;    /* RGBA or RGB */
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
    /* IDAT chunks of at most 1 MiB, a band's data in its own: any split
     * is valid; readers join them. */
    for (int i = 0; i < n; i++)
        for (size_t at = 0; !st && at < bands[i].z.len; at += 1u << 20) {
            size_t len = bands[i].z.len - at;
            st = put_chunk(sink, "IDAT", bands[i].z.data + at,
                           len < (1u << 20) ? len : (1u << 20));
        }
    if (!st)
        st = put_chunk(sink, "IEND", NULL, 0);
    if (st)
        return evm_error_set(err, st, NULL, 0, 0,
                             "the output callback failed (%s) writing the "
                             "PNG",
                             evm_status_name(st));
    return EVM_OK;
}

/* Bands of rows [0, h) of an ARGB32 image, to paint scene (or NULL);
 * band i starts at row y0[i] (y0[0] = 0), or at h i / n when y0 is
 * NULL. */
static void init_bands(png_band_t *bands, int n, const int *y0,
                       unsigned char *data, int w, int h, int stride,
                       const evm_scene_t *scene, evm_paint_text_share_t *share,
                       bool rgba)
{
    for (int i = 0; i < n; i++)
        bands[i] = (png_band_t){.scene = scene,
                                .share = share,
                                .data = data,
                                .w = w,
                                .stride = stride,
                                .y0 = y0 ? y0[i] : h * i / n,
                                .y1 = i + 1 == n ? h
                                      : y0       ? y0[i + 1]
                                                 : h * (i + 1) / n,
                                .first = i == 0,
                                .last = i == n - 1,
                                .rgba = rgba};
}

/* Runs the bands (on threads when parallel), compresses them again as
 * RGBA if one was not opaque, and writes the PNG. */
static evm_status encode_bands(png_band_t *bands, int n, bool parallel,
                               double dpi, evm_sink_t *sink, evm_error_t *err)
{
    run_bands(bands, n, parallel);
    bool ok = true;
    for (int i = 0; i < n; i++)
        ok = ok && bands[i].st == EVM_OK;
    if (ok)
        recompress_rgba(bands, n, parallel);
    evm_status st = write_png(bands, n, dpi, sink, err);
    free_deflated(bands, n);
    return st;
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
    int n = opt->single_thread ? 1 : band_count(h);
    png_band_t bands[PNG_MAX_BANDS];
    init_bands(bands, n, NULL, data, w, h, stride, NULL, NULL, opt->keep_alpha);
    return encode_bands(bands, n, true, dpi, sink, err);
}

/* The PNG backend's render: bands of the page painted and compressed
 * each on its own thread, so that the second core works through
 * painting, not only afterwards. */
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
        return cs == CAIRO_STATUS_NO_MEMORY
                   ? evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                   "out of memory for a %d x %d px PNG", w, h)
                   : evm_paint_cairo_error(err, cs, "creating the png surface");
    }
    /* The same bands with one thread or two: where a seam cuts a path,
     * cairo's antialiasing beside it can differ by a shade from a page
     * painted whole, so the bands, not the threads, decide the pixels. */
    int n = band_count(h);
    bool parallel = !(ropt && ropt->threads == 1);
    int y0[PNG_MAX_BANDS];
    evm_png_band_rows(scene, h, n, y0);
    evm_paint_text_share_t share;
    bool shared = n > 1 && pthread_mutex_init(&share.lock, NULL) == 0;
    parallel = parallel && shared;
    /* The font map layout measured with, already loaded with its fonts. */
    share.font_map = pango_cairo_font_map_get_default();
    /* The events layer's plan, made once for all bands; the painter
     * guards at EVM_GUARD_MARGIN, as it paints one page px per pixel. */
    evm_paint_plan_t plan;
    share.events_plan =
        shared && evm_paint_plan_layer(&plan, scene,
                                       &scene->layers[EVM_LAYER_EVENTS],
                                       EVM_GUARD_MARGIN)
            ? &plan
            : NULL;
    png_band_t bands[PNG_MAX_BANDS];
    init_bands(bands, n, y0, cairo_image_surface_get_data(image), w, h,
               cairo_image_surface_get_stride(image), scene,
               shared ? &share : NULL, false);
    evm_status st = encode_bands(bands, n, parallel, scene->dpi, sink, err);
    if (shared)
        pthread_mutex_destroy(&share.lock);
    if (share.events_plan)
        evm_paint_plan_free(&plan);
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
