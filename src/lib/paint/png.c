/* The PNG backend: the scene painted on an ARGB32 image surface, then
 * encoded with libpng directly.
 *
 * cairo keeps pixels premultiplied in native-endian 32-bit words. A map
 * has an opaque background, so the usual output is 8-bit RGB; only an
 * image with transparency is written as RGBA, un-premultiplied. Rows are
 * converted one at a time into a buffer that libpng takes as is: handing
 * libpng the surface rows with its bgr and filler transforms instead was
 * measured about 1 ms (5 %) slower per 1600 x 1000 image, as libpng
 * copies each row before transforming it anyway. */
#include "paint/png.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <png.h>
#include <zlib.h>

#include "core/error.h"

/* Measured on a map-like 1600 x 1000 image (flat fills, antialiased
 * coasts, labels): zlib level 1 without filtering encodes in about 18 ms
 * to 424 kB, where cairo_surface_write_to_png takes about 80 ms for
 * 456 kB. Flat colours repeat every 3 bytes, which deflate's matcher
 * finds on raw rows; PNG's filters help continuous-tone images, and here
 * cost time and size (SUB: 23 ms, 502 kB; SUB with Z_RLE: 22 ms, 542 kB;
 * all five per row: 52 ms). Levels 2 and 3 save 1-3 % for a few % more
 * time; level 6 saves 11 % for 2.5 times the time. */
const evm_png_options_t evm_png_default_options = {
    .zlib_level = 1,
    .zlib_strategy = Z_DEFAULT_STRATEGY,
    .filters = PNG_FILTER_NONE,
    .keep_alpha = false,
};

/* What libpng's callbacks share; libpng reports errors by longjmp. */
typedef struct png_state {
    evm_sink_t *sink;
    char message[160];
} png_state_t;

static void on_png_error(png_structp png, png_const_charp msg)
{
    png_state_t *state = png_get_error_ptr(png);
    snprintf(state->message, sizeof state->message, "%s", msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    /* libpng's default prints; the library never does. */
    (void)png;
    (void)msg;
}

static void on_png_write(png_structp png, png_bytep data, size_t len)
{
    png_state_t *state = png_get_io_ptr(png);
    if (evm_sink_write(state->sink, data, len) != EVM_OK)
        png_error(png, "the output callback failed");
}

static void on_png_flush(png_structp png)
{
    (void)png;
}

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

typedef struct png_job {
    const unsigned char *data;
    int w, h, stride;
    bool alpha;         /* RGBA output */
    unsigned char *row; /* one converted row */
    png_uint_32 ppm;    /* pixels per metre */
    const evm_png_options_t *opt;
} png_job_t;

/* The libpng calls, alone in a function so that nothing it changes is
 * read after the longjmp. Returns false when libpng failed. */
static bool write_png(png_structp png, png_infop info, const png_job_t *job)
{
    if (setjmp(png_jmpbuf(png)))
        return false;
    png_set_IHDR(png, info, (png_uint_32)job->w, (png_uint_32)job->h, 8,
                 job->alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_pHYs(png, info, job->ppm, job->ppm, PNG_RESOLUTION_METER);
    png_set_compression_level(png, job->opt->zlib_level);
    png_set_compression_strategy(png, job->opt->zlib_strategy);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, job->opt->filters);
    /* IDAT chunks of 128 KiB rather than 8 KiB: fewer callback calls. */
    png_set_compression_buffer_size(png, 1 << 17);
    png_write_info(png, info);
    for (int y = 0; y < job->h; y++) {
        convert_row(job->data + (size_t)y * job->stride, job->w, job->alpha,
                    job->row);
        png_write_row(png, job->row);
    }
    png_write_end(png, NULL);
    return true;
}

evm_status evm_png_encode(cairo_surface_t *image, double dpi,
                          const evm_png_options_t *opt, evm_sink_t *sink,
                          evm_error_t *err)
{
    cairo_surface_flush(image);
    cairo_status_t cs = cairo_surface_status(image);
    if (cs != CAIRO_STATUS_SUCCESS)
        return evm_paint_cairo_error(err, cs, "finishing the image");
    png_job_t job = {
        .data = cairo_image_surface_get_data(image),
        .w = cairo_image_surface_get_width(image),
        .h = cairo_image_surface_get_height(image),
        .stride = cairo_image_surface_get_stride(image),
        .ppm = (png_uint_32)lround(dpi / 0.0254),
        .opt = opt,
    };
    if (!job.data ||
        cairo_image_surface_get_format(image) != CAIRO_FORMAT_ARGB32)
        return evm_error_set(err, EVM_ERR_RENDER, NULL, 0, 0,
                             "the PNG backend needs an ARGB32 image");
    job.alpha =
        opt->keep_alpha || !all_opaque(job.data, job.w, job.h, job.stride);
    job.row = evm_alloc_array((size_t)job.w, 4);
    if (!job.row)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory encoding a PNG");
    png_state_t state = {.sink = sink};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state,
                                              on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    evm_status st = EVM_OK;
    if (!info) {
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                           "out of memory encoding a PNG");
    } else {
        png_set_write_fn(png, &state, on_png_write, on_png_flush);
        if (!write_png(png, info, &job)) {
            if (sink->status != EVM_OK)
                st = evm_error_set(err, sink->status, NULL, 0, 0,
                                   "the output callback failed (%s) "
                                   "writing the PNG",
                                   evm_status_name(sink->status));
            else
                st = evm_error_set(err, EVM_ERR_RENDER, NULL, 0, 0,
                                   "libpng failed: %s", state.message);
        }
    }
    png_destroy_write_struct(&png, &info);
    free(job.row);
    return st;
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
                             evm_sink_t *sink, evm_error_t *err)
{
    return evm_png_encode(surface, scene->dpi, &evm_png_default_options, sink,
                          err);
}

const evm_paint_backend_t evm_paint_png_backend = {
    .format = EVM_FORMAT_PNG,
    .name = "png",
    .render = evm_paint_cairo_render,
    .create_surface = png_create_surface,
    .units_per_px = png_units_per_px,
    .finish = png_finish,
};
