/* Tests of the paint stage: scenes built by hand, rendered to memory and
 * checked against hand-computed pixels (decoded with libpng's simplified
 * reader, not the encoder under test), PDF and SVG structure, failure
 * handling of the write callback and of atomic file output, and one
 * golden image. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <zlib.h>

#include <evmap/render.h>
#include <evmap/scene.h>

#include "paint/guard.h"
#include "paint/paint.h"
#include "paint/png.h"
#include "testutil.h"
#include "text/text.h"

static const evm_rgba_t white = {1, 1, 1, 1};
static const evm_rgba_t black = {0, 0, 0, 1};
static const evm_rgba_t red = {1, 0, 0, 1};
static const evm_rgba_t green = {0, 1, 0, 1};
static const evm_rgba_t blue = {0, 0, 1, 1};
static const evm_rgba_t none = {0, 0, 0, 0};

/* ---- output to memory ---- */

typedef struct membuf {
    unsigned char *data;
    size_t len, cap;
    size_t fail_after;       /* fail the write that goes past this; 0: never */
    evm_status fail_status;  /* what the failing write returns */
    int calls_after_failure; /* must stay 0: writing stops */
    int failed;
} membuf_t;

static evm_status mem_write(void *closure, const unsigned char *data,
                            size_t len)
{
    membuf_t *m = closure;
    if (m->failed) {
        m->calls_after_failure++;
        return m->fail_status;
    }
    if (m->fail_after && m->len + len > m->fail_after) {
        m->failed = 1;
        return m->fail_status;
    }
    if (m->len + len + 1 > m->cap) {
        size_t cap = (m->len + len + 1) * 2;
        unsigned char *d = realloc(m->data, cap);
        assert_non_null(d);
        m->data = d;
        m->cap = cap;
    }
    memcpy(m->data + m->len, data, len);
    m->len += len;
    m->data[m->len] = '\0';
    return EVM_OK;
}

static void membuf_free(membuf_t *m)
{
    free(m->data);
    memset(m, 0, sizeof *m);
}

/* ---- scene building ---- */

static evm_scene_t *new_scene(double w, double h, double dpi)
{
    evm_scene_t *s = NULL;
    assert_int_equal(evm_scene_create(w, h, dpi, &s, NULL), EVM_OK);
    return s;
}

static evm_style_t fill_style(evm_rgba_t fill)
{
    return (evm_style_t){.fill = fill};
}

static evm_style_t stroke_style(evm_rgba_t stroke, double px)
{
    return (evm_style_t){.stroke = stroke, .stroke_px = px};
}

static void add_path_item(evm_scene_t *s, evm_layer_id layer, evm_path_t *path,
                          evm_style_t style)
{
    evm_item_t it = {.kind = EVM_ITEM_PATH,
                     .id = "path",
                     .cls = "",
                     .event = -1,
                     .style = style,
                     .path = *path};
    assert_non_null(evm_scene_add(s, layer, &it));
    memset(path, 0, sizeof *path);
}

static void add_rect(evm_scene_t *s, evm_layer_id layer, double x, double y,
                     double w, double h, evm_style_t style)
{
    evm_path_t p = {0};
    assert_int_equal(evm_path_move_to(&p, x, y), EVM_OK);
    assert_int_equal(evm_path_line_to(&p, x + w, y), EVM_OK);
    assert_int_equal(evm_path_line_to(&p, x + w, y + h), EVM_OK);
    assert_int_equal(evm_path_line_to(&p, x, y + h), EVM_OK);
    evm_path_close(&p);
    add_path_item(s, layer, &p, style);
}

/* An open polyline through n points given as x0, y0, x1, y1, ... */
static void add_line(evm_scene_t *s, evm_layer_id layer, evm_style_t style,
                     int n, ...)
{
    evm_path_t p = {0};
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        double x = va_arg(ap, double), y = va_arg(ap, double);
        assert_int_equal(i ? evm_path_line_to(&p, x, y)
                           : evm_path_move_to(&p, x, y),
                         EVM_OK);
    }
    va_end(ap);
    add_path_item(s, layer, &p, style);
}

static void add_circle(evm_scene_t *s, evm_layer_id layer, double cx, double cy,
                       double r, evm_style_t style)
{
    evm_item_t it = {.kind = EVM_ITEM_CIRCLE,
                     .id = "circle",
                     .cls = "",
                     .event = -1,
                     .style = style,
                     .center = {cx, cy},
                     .r_px = r};
    assert_non_null(evm_scene_add(s, layer, &it));
}

static char *str_dup(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    assert_non_null(d);
    return strcpy(d, s);
}

/* A label measured the way layout measures it; returns its box. */
static evm_rect_t add_text(evm_scene_t *s, evm_layer_id layer, const char *utf8,
                           double x, double y, double size_px, evm_rgba_t color,
                           evm_rgba_t halo, double halo_px)
{
    PangoContext *pc = evm_text_context_new();
    PangoLayout *layout = evm_text_layout_new(pc, utf8, "DejaVu Sans", size_px,
                                              EVM_WEIGHT_NORMAL);
    double w, h;
    evm_text_extent(layout, &w, &h);
    g_object_unref(layout);
    g_object_unref(pc);
    evm_item_t it = {
        .kind = EVM_ITEM_TEXT, .id = "label", .cls = "", .event = -1};
    it.text = (evm_text_t){.utf8 = str_dup(utf8),
                           .font_family = str_dup("DejaVu Sans"),
                           .size_px = size_px,
                           .weight = EVM_WEIGHT_NORMAL,
                           .box = {x, y, w, h},
                           .color = color,
                           .halo = halo,
                           .halo_px = halo_px};
    assert_non_null(evm_scene_add(s, layer, &it));
    return (evm_rect_t){x, y, w, h};
}

/* Renders to PNG in memory and decodes it; the bytes stay in *buf. */
static void render_png(const evm_scene_t *s, evm_test_image_t *img,
                       membuf_t *buf)
{
    evm_error_t err = {0};
    evm_status st = evm_render(s, EVM_FORMAT_PNG, mem_write, buf, &err);
    if (st != EVM_OK)
        fail_msg("render failed: %s", err.message);
    assert_int_equal(evm_test_png_decode(buf->data, buf->len, img), 0);
}

static void assert_rgb_near(const evm_test_image_t *img, unsigned x, unsigned y,
                            int r, int g, int b, int tol)
{
    const unsigned char *p = evm_test_pixel(img, x, y);
    if (abs(p[0] - r) > tol || abs(p[1] - g) > tol || abs(p[2] - b) > tol)
        fail_msg("pixel (%u, %u) is (%d, %d, %d), expected (%d, %d, %d) "
                 "within %d",
                 x, y, p[0], p[1], p[2], r, g, b, tol);
}

/* The decoded pixels of s rendered to PNG in memory. */
static evm_test_image_t png_pixels(const evm_scene_t *s)
{
    membuf_t buf = {0};
    evm_test_image_t img;
    render_png(s, &img, &buf);
    membuf_free(&buf);
    return img;
}

#define ASSERT_RGB(img, x, y, r, g, b) assert_rgb_near(img, x, y, r, g, b, 1)

/* ---- formats ---- */

static void test_format_names(void **state)
{
    (void)state;
    evm_format f = EVM_FORMAT_SVG;
    assert_int_equal(evm_format_parse("png", &f), EVM_OK);
    assert_int_equal(f, EVM_FORMAT_PNG);
    assert_int_equal(evm_format_parse("PdF", &f), EVM_OK);
    assert_int_equal(f, EVM_FORMAT_PDF);
    assert_int_equal(evm_format_parse("SVG", &f), EVM_OK);
    assert_int_equal(f, EVM_FORMAT_SVG);
    assert_int_equal(evm_format_parse("jpeg", &f), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_format_parse("", &f), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_format_parse("pn", &f), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_format_parse("pngg", &f), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_format_parse(NULL, &f), EVM_ERR_INVALID_ARG);

    assert_int_equal(evm_format_from_path("out/map.PNG", &f), EVM_OK);
    assert_int_equal(f, EVM_FORMAT_PNG);
    assert_int_equal(evm_format_from_path("a.b/map.v2.pdf", &f), EVM_OK);
    assert_int_equal(f, EVM_FORMAT_PDF);
    assert_int_equal(evm_format_from_path("map.svg", &f), EVM_OK);
    assert_int_equal(f, EVM_FORMAT_SVG);
    assert_int_equal(evm_format_from_path("a.png/map", &f),
                     EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_format_from_path("dir/.png", &f), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_format_from_path("map.", &f), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_format_from_path(NULL, &f), EVM_ERR_INVALID_ARG);

    assert_string_equal(evm_format_name(EVM_FORMAT_PNG), "png");
    assert_string_equal(evm_format_name(EVM_FORMAT_PDF), "pdf");
    assert_string_equal(evm_format_name(EVM_FORMAT_SVG), "svg");
    assert_string_equal(evm_format_name((evm_format)42), "");
}

/* ---- PNG pixels ---- */

static void test_png_background(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(40, 30, 96);
    s->background = (evm_rgba_t){0.2, 0.4, 0.6, 1};
    membuf_t buf = {0};
    evm_test_image_t img;
    render_png(s, &img, &buf);
    assert_int_equal(img.width, 40);
    assert_int_equal(img.height, 30);
    ASSERT_RGB(&img, 0, 0, 51, 102, 153);
    ASSERT_RGB(&img, 39, 29, 51, 102, 153);
    ASSERT_RGB(&img, 20, 15, 51, 102, 153);
    evm_test_png_info_t info;
    assert_int_equal(evm_test_png_info(buf.data, buf.len, &info), 0);
    /* An opaque page is written as 8-bit RGB. */
    assert_int_equal(info.color_type, 2);
    assert_int_equal(info.bit_depth, 8);
    evm_test_image_free(&img);
    membuf_free(&buf);
    evm_scene_destroy(s);
}

static void test_png_filled_rect(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(100, 100, 96);
    add_rect(s, EVM_LAYER_LAND, 20, 30, 40, 40, fill_style(red));
    evm_test_image_t img = png_pixels(s);
    /* Edges on whole px: pixels are wholly in or wholly out. */
    ASSERT_RGB(&img, 40, 50, 255, 0, 0);
    ASSERT_RGB(&img, 20, 30, 255, 0, 0);
    ASSERT_RGB(&img, 59, 69, 255, 0, 0);
    ASSERT_RGB(&img, 19, 50, 255, 255, 255);
    ASSERT_RGB(&img, 60, 50, 255, 255, 255);
    ASSERT_RGB(&img, 40, 29, 255, 255, 255);
    ASSERT_RGB(&img, 40, 70, 255, 255, 255);
    evm_test_image_free(&img);
    evm_scene_destroy(s);
}

static void test_png_stroked_line(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(100, 100, 96);
    /* 4 px wide, butt caps: covers x in [10, 90], y in [48, 52]. */
    add_line(s, EVM_LAYER_ROUTES, stroke_style(black, 4), 2, 10.0, 50.0, 90.0,
             50.0);
    evm_test_image_t img = png_pixels(s);
    for (unsigned y = 48; y <= 51; y++) {
        ASSERT_RGB(&img, 10, y, 0, 0, 0);
        ASSERT_RGB(&img, 50, y, 0, 0, 0);
        ASSERT_RGB(&img, 89, y, 0, 0, 0);
    }
    ASSERT_RGB(&img, 50, 47, 255, 255, 255);
    ASSERT_RGB(&img, 50, 52, 255, 255, 255);
    ASSERT_RGB(&img, 9, 50, 255, 255, 255);
    ASSERT_RGB(&img, 90, 50, 255, 255, 255);
    evm_test_image_free(&img);
    evm_scene_destroy(s);
}

static void test_png_dash_and_caps(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(100, 100, 96);
    evm_style_t dashed = stroke_style(black, 4);
    dashed.dash_px[0] = 10;
    dashed.dash_px[1] = 10;
    dashed.n_dash = 2;
    add_line(s, EVM_LAYER_ROUTES, dashed, 2, 0.0, 20.0, 100.0, 20.0);
    /* Square caps reach half the width beyond each end. */
    evm_style_t square = stroke_style(black, 4);
    square.cap = EVM_CAP_SQUARE;
    add_line(s, EVM_LAYER_ROUTES, square, 2, 20.0, 60.0, 80.0, 60.0);
    /* A negative dash would put cairo in an error state: drawn solid. */
    evm_style_t bad = stroke_style(black, 4);
    bad.dash_px[0] = -3;
    bad.dash_px[1] = 5;
    bad.n_dash = 2;
    add_line(s, EVM_LAYER_ROUTES, bad, 2, 0.0, 90.0, 100.0, 90.0);
    evm_test_image_t img = png_pixels(s);
    ASSERT_RGB(&img, 5, 20, 0, 0, 0);
    ASSERT_RGB(&img, 15, 20, 255, 255, 255);
    ASSERT_RGB(&img, 25, 20, 0, 0, 0);
    ASSERT_RGB(&img, 35, 20, 255, 255, 255);
    ASSERT_RGB(&img, 18, 60, 0, 0, 0);
    ASSERT_RGB(&img, 81, 60, 0, 0, 0);
    ASSERT_RGB(&img, 17, 60, 255, 255, 255);
    ASSERT_RGB(&img, 82, 60, 255, 255, 255);
    for (unsigned x = 0; x < 100; x += 7)
        ASSERT_RGB(&img, x, 90, 0, 0, 0);
    evm_test_image_free(&img);
    evm_scene_destroy(s);
}

static void test_png_circle(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(100, 100, 96);
    evm_style_t st = fill_style(blue);
    st.stroke = red;
    st.stroke_px = 2;
    add_circle(s, EVM_LAYER_EVENTS, 50, 50, 20, st);
    evm_test_image_t img = png_pixels(s);
    /* Inside: pixel (50, 50) and (50, 33), whose far corner is 17.03 px
     * from the centre, well within the fill (radius 19 to the stroke). */
    ASSERT_RGB(&img, 50, 50, 0, 0, 255);
    ASSERT_RGB(&img, 50, 33, 0, 0, 255);
    ASSERT_RGB(&img, 33, 50, 0, 0, 255);
    /* On the stroke, 19 to 21 px out: pixel (69, 49) spans 19.0 to 20.0
     * from the centre. cairo flattens arcs to 0.1 px, hence the slack. */
    assert_rgb_near(&img, 69, 49, 255, 0, 0, 40);
    assert_rgb_near(&img, 49, 30, 255, 0, 0, 40);
    /* Outside: the bounding box corner (66, 66) is 22.6 px out. */
    ASSERT_RGB(&img, 66, 66, 255, 255, 255);
    ASSERT_RGB(&img, 50, 72, 255, 255, 255);
    ASSERT_RGB(&img, 27, 50, 255, 255, 255);
    evm_test_image_free(&img);
    evm_scene_destroy(s);
}

static void test_png_clip_to_frame(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(100, 100, 96);
    s->frame = (evm_rect_t){25, 25, 50, 50};
    assert_true(s->layers[EVM_LAYER_EVENTS].clip_to_frame);
    assert_false(s->layers[EVM_LAYER_LEGEND].clip_to_frame);
    add_rect(s, EVM_LAYER_EVENTS, 0, 0, 100, 100, fill_style(red));
    add_rect(s, EVM_LAYER_LEGEND, 0, 0, 10, 10, fill_style(green));
    evm_test_image_t img = png_pixels(s);
    ASSERT_RGB(&img, 50, 50, 255, 0, 0);
    ASSERT_RGB(&img, 25, 25, 255, 0, 0);
    ASSERT_RGB(&img, 74, 74, 255, 0, 0);
    ASSERT_RGB(&img, 24, 50, 255, 255, 255);
    ASSERT_RGB(&img, 75, 50, 255, 255, 255);
    ASSERT_RGB(&img, 50, 24, 255, 255, 255);
    ASSERT_RGB(&img, 90, 90, 255, 255, 255);
    /* The legend is not clipped. */
    ASSERT_RGB(&img, 5, 5, 0, 255, 0);
    evm_test_image_free(&img);
    evm_scene_destroy(s);
}

static void test_png_paint_order(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(100, 100, 96);
    /* Added out of order: layers paint in their order, not in the order
     * items were added; within a layer, later items go on top. */
    add_rect(s, EVM_LAYER_EVENTS, 40, 0, 60, 50, fill_style(blue));
    add_rect(s, EVM_LAYER_LAND, 0, 0, 60, 50, fill_style(red));
    add_rect(s, EVM_LAYER_LAND, 0, 50, 60, 50, fill_style(red));
    add_rect(s, EVM_LAYER_LAND, 40, 50, 60, 50, fill_style(green));
    evm_test_image_t img = png_pixels(s);
    ASSERT_RGB(&img, 20, 20, 255, 0, 0);
    ASSERT_RGB(&img, 50, 20, 0, 0, 255);
    ASSERT_RGB(&img, 80, 20, 0, 0, 255);
    ASSERT_RGB(&img, 20, 70, 255, 0, 0);
    ASSERT_RGB(&img, 50, 70, 0, 255, 0);
    evm_test_image_free(&img);
    evm_scene_destroy(s);
}

static void check_phys(double dpi, unsigned long ppm)
{
    evm_scene_t *s = new_scene(20, 10, dpi);
    membuf_t buf = {0};
    assert_int_equal(evm_render(s, EVM_FORMAT_PNG, mem_write, &buf, NULL),
                     EVM_OK);
    evm_test_png_info_t info;
    assert_int_equal(evm_test_png_info(buf.data, buf.len, &info), 0);
    assert_int_equal(info.width, 20);
    assert_int_equal(info.height, 10);
    assert_true(info.has_phys);
    assert_int_equal(info.phys_unit, 1);
    assert_int_equal(info.phys_x, ppm);
    assert_int_equal(info.phys_y, ppm);
    membuf_free(&buf);
    evm_scene_destroy(s);
}

static void test_png_phys(void **state)
{
    (void)state;
    /* Pixels per metre: 96 / 0.0254 = 3779.53, 300 / 0.0254 = 11811.02. */
    check_phys(96, 3780);
    check_phys(300, 11811);
}

static void test_png_transparent(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(40, 40, 96);
    s->background = none;
    add_rect(s, EVM_LAYER_LAND, 0, 0, 20, 40,
             fill_style((evm_rgba_t){1, 0, 0, 0.5}));
    add_rect(s, EVM_LAYER_LAND, 20, 0, 20, 40,
             fill_style((evm_rgba_t){0.2, 0.6, 1, 0.2}));
    membuf_t buf = {0};
    evm_test_image_t img;
    render_png(s, &img, &buf);
    evm_test_png_info_t info;
    assert_int_equal(evm_test_png_info(buf.data, buf.len, &info), 0);
    assert_int_equal(info.color_type, 6);
    /* Straight colour: premultiplied data written as is would give
     * (128, 0, 0) here. */
    const unsigned char *p = evm_test_pixel(&img, 10, 10);
    assert_true(abs(p[0] - 255) <= 1 && p[1] == 0 && p[2] == 0);
    assert_true(abs(p[3] - 128) <= 1);
    p = evm_test_pixel(&img, 30, 10);
    assert_true(abs(p[0] - 51) <= 3 && abs(p[1] - 153) <= 3 &&
                abs(p[2] - 255) <= 3 && abs(p[3] - 51) <= 1);
    evm_test_image_free(&img);
    membuf_free(&buf);
    evm_scene_destroy(s);
}

/* ---- bands painted on two threads ---- */

static void render_png_threads(const evm_scene_t *s, unsigned threads,
                               evm_test_image_t *img, membuf_t *buf)
{
    evm_render_options_t ro;
    evm_render_options_init(&ro);
    ro.threads = threads;
    evm_error_t err = {0};
    evm_status st =
        evm_render_with(s, EVM_FORMAT_PNG, &ro, mem_write, buf, &err);
    if (st != EVM_OK)
        fail_msg("render failed: %s", err.message);
    assert_int_equal(evm_test_png_decode(buf->data, buf->len, img), 0);
}

/* The page painted whole on one surface, the PNG backend's cairo hooks
 * (no bands), decoded. */
static void render_png_whole(const evm_scene_t *s, evm_test_image_t *img)
{
    evm_render_options_t ro;
    evm_render_options_init(&ro);
    ro.threads = 1;
    membuf_t buf = {0};
    evm_sink_t sink = {.write = mem_write, .closure = &buf};
    evm_error_t err = {0};
    if (evm_paint_cairo_render(&evm_paint_png_backend, s, &ro, &sink, &err))
        fail_msg("render failed: %s", err.message);
    assert_int_equal(evm_test_png_decode(buf.data, buf.len, img), 0);
    membuf_free(&buf);
}

/* Pixels of a and b (of one size) that differ in rows [y0, y1): how many,
 * and the largest difference of a channel in *max_diff. */
static int rows_diff(const evm_test_image_t *a, const evm_test_image_t *b,
                     unsigned y0, unsigned y1, int *max_diff)
{
    int n = 0;
    *max_diff = 0;
    for (unsigned y = y0; y < y1 && y < a->height; y++)
        for (unsigned x = 0; x < a->width; x++) {
            const unsigned char *p = evm_test_pixel(a, x, y);
            const unsigned char *q = evm_test_pixel(b, x, y);
            int d = 0;
            for (int c = 0; c < 4; c++)
                d = abs(p[c] - q[c]) > d ? abs(p[c] - q[c]) : d;
            n += d > 0;
            *max_diff = d > *max_diff ? d : *max_diff;
        }
    return n;
}

/* A page tall enough to be painted in two bands, with shapes across the
 * seam and a country's name in its small grey type with a translucent
 * halo, as the base map draws it, beside the seam's work row: the same
 * pixels as the same bands painted one after the other on one thread,
 * to the last bit; and, as the seam keeps off the name, the name's rows
 * the same as the page painted whole on one surface. Elsewhere cairo,
 * which rasterizes each band's shapes within the band, may shade an
 * edge cut by the seam apart from the whole page's in the two rows that
 * meet there: here the circle's edge by 16 levels of 255, a border on
 * the example map by 6. The name is tried at steps of 0.37 px over
 * 15 px: with the seam through it, about a third of these places change
 * a pixel of its halo. */
static void test_png_bands_match_one_thread(void **state)
{
    (void)state;
    const evm_rgba_t land = {0.95, 0.94, 0.91, 1}, grey = {0.54, 0.52, 0.5, 1};
    for (int k = 0; k < 40; k++) {
        evm_scene_t *s = new_scene(300, 300, 96);
        s->background = land;
        add_rect(s, EVM_LAYER_LAND, 40.3, 100.6, 220, 99.1, fill_style(green));
        add_line(s, EVM_LAYER_ROUTES, stroke_style(black, 3), 3, 10.0, 20.0,
                 290.0, 280.0, 20.0, 290.0);
        add_circle(s, EVM_LAYER_EVENTS, 150.5, 149.7, 30, fill_style(red));
        evm_rect_t box =
            add_text(s, EVM_LAYER_LABELS, "AZERBAIJAN", 200, 135 + 0.37 * k,
                     10.67, grey, (evm_rgba_t){1, 1, 1, 0.9}, 2);
        int y0[2];
        evm_png_band_rows(s, 300, 2, y0);
        assert_true(y0[1] > 125 && y0[1] < 175); /* through the circle */
        /* Off the name's box, its halo and 2 px. */
        assert_true(y0[1] <= box.y - 4 || y0[1] >= box.y + box.h + 4);
        membuf_t one = {0}, two = {0};
        evm_test_image_t a, b, whole;
        render_png_threads(s, 1, &a, &one);
        render_png_threads(s, 0, &b, &two);
        assert_int_equal(a.width, b.width);
        assert_int_equal(a.height, b.height);
        assert_true(evm_test_image_diff(&a, &b, 0) == 0);
        /* The circle did reach the seam's both sides. */
        ASSERT_RGB(&b, 150, 125, 255, 0, 0);
        ASSERT_RGB(&b, 150, 175, 255, 0, 0);
        render_png_whole(s, &whole);
        unsigned seam = (unsigned)y0[1];
        int max_diff;
        assert_int_equal(rows_diff(&b, &whole, (unsigned)floor(box.y - 4),
                                   (unsigned)ceil(box.y + box.h + 4),
                                   &max_diff),
                         0);
        assert_int_equal(rows_diff(&b, &whole, 0, seam - 1, &max_diff), 0);
        assert_int_equal(rows_diff(&b, &whole, seam + 1, 300, &max_diff), 0);
        /* At most a few edge pixels, by a fraction of their cover. */
        assert_true(rows_diff(&b, &whole, seam - 1, seam + 1, &max_diff) <= 4);
        assert_true(max_diff <= 24);
        evm_test_image_free(&whole);
        evm_test_image_free(&a);
        evm_test_image_free(&b);
        membuf_free(&one);
        membuf_free(&two);
        evm_scene_destroy(s);
    }
}

/* A seam moves off the labels' boxes (with halo and 2 px) to the nearest
 * free row; where no label is near, or none is free within a tenth of
 * the page, it keeps the work's row. Labels in mirrored rows keep the
 * work's row halfway down. */
static void test_png_band_rows_avoid_labels(void **state)
{
    (void)state;
    int y0[2];
    /* Two names far from the middle, their centres in mirrored rows r
     * and 599 - r, whose work balances: the middle row, unmoved. */
    evm_scene_t *s = new_scene(400, 600, 96);
    evm_rect_t far = add_text(s, EVM_LAYER_PLACES, "Vladivostok", 20, 100, 14,
                              black, white, 2);
    int r = (int)floor(far.y + far.h / 2);
    add_text(s, EVM_LAYER_PLACES, "Vladivostok", 20, 599 - r + 0.5 - far.h / 2,
             14, black, white, 2);
    evm_png_band_rows(s, 600, 2, y0);
    assert_int_equal(y0[1], 300);
    evm_scene_destroy(s);

    /* A name across the middle: the seam goes to the nearest line clear
     * of it, above it on a tie, and not much farther. */
    s = new_scene(400, 600, 96);
    evm_rect_t mid = add_text(s, EVM_LAYER_PLACES, "Vladivostok", 20, 292.6, 14,
                              black, white, 2);
    evm_png_band_rows(s, 600, 2, y0);
    int above = (int)floor(mid.y - 4), below = (int)ceil(mid.y + mid.h + 4);
    assert_true(y0[1] == above || y0[1] == below);
    evm_scene_destroy(s);
    /* Turned a quarter, the name's width is its height on the page. */
    s = new_scene(400, 600, 96);
    mid = add_text(s, EVM_LAYER_PLACES, "Vladivostok", 100, 292.6, 14, black,
                   white, 2);
    s->layers[EVM_LAYER_PLACES].items[0].text.angle_rad = G_PI_2;
    evm_png_band_rows(s, 600, 2, y0);
    double cy = mid.y + mid.h / 2;
    assert_true(y0[1] <= cy - mid.w / 2 - 4 || y0[1] >= cy + mid.w / 2 + 4);
    assert_true(abs(y0[1] - 300) < mid.w / 2 + 6);
    evm_scene_destroy(s);

    /* Names every 12 rows from 180 to 420, mirrored: no line within 60
     * rows of the middle is clear, and the seam keeps the middle. */
    s = new_scene(400, 600, 96);
    for (int k = 0; k < 10; k++) {
        evm_rect_t b =
            add_text(s, EVM_LAYER_PLACES, "Vladivostok", 20,
                     306.5 + 12 * k - far.h / 2, 14, black, white, 2);
        add_text(s, EVM_LAYER_PLACES, "Vladivostok", 20,
                 293.5 - 12 * k - b.h / 2, 14, black, white, 2);
    }
    evm_png_band_rows(s, 600, 2, y0);
    assert_int_equal(y0[1], 300);
    evm_scene_destroy(s);
}

/* The seam follows the work: halfway down an empty page; below the
 * middle when haloed names crowd the lower half, above it when a long
 * coast does the upper half; and every band keeps a row. */
static void test_png_band_rows_follow_the_work(void **state)
{
    (void)state;
    int y0[2];
    evm_scene_t *s = new_scene(400, 600, 96);
    evm_png_band_rows(s, 600, 2, y0);
    assert_int_equal(y0[0], 0);
    assert_int_equal(y0[1], 300);
    for (int i = 0; i < 12; i++)
        add_text(s, EVM_LAYER_PLACES, "Vladivostok", 20 + (i % 3) * 120,
                 420 + (i / 3) * 40, 14, black, white, 2);
    evm_png_band_rows(s, 600, 2, y0);
    assert_true(y0[1] > 330 && y0[1] < 600);
    int crowded = y0[1];
    /* The same names without halos weigh less. */
    evm_scene_t *plain = new_scene(400, 600, 96);
    for (int i = 0; i < 12; i++)
        add_text(plain, EVM_LAYER_PLACES, "Vladivostok", 20 + (i % 3) * 120,
                 420 + (i / 3) * 40, 14, black, white, 0);
    evm_png_band_rows(plain, 600, 2, y0);
    assert_true(y0[1] > 300 && y0[1] < crowded);
    evm_scene_destroy(plain);
    evm_scene_destroy(s);

    s = new_scene(400, 600, 96);
    evm_path_t coast = {0};
    for (int i = 0; i < 4000; i++)
        assert_int_equal((i ? evm_path_line_to : evm_path_move_to)(
                             &coast, 10 + 0.09 * i, 50 + 20 * sin(i * 0.1)),
                         EVM_OK);
    add_path_item(s, EVM_LAYER_COASTLINES, &coast, stroke_style(black, 1));
    evm_png_band_rows(s, 600, 2, y0);
    assert_true(y0[1] > 0 && y0[1] < 270);
    /* Points off the page weigh nothing. */
    evm_scene_t *off = new_scene(400, 600, 96);
    for (int i = 0; i < 4000; i++)
        assert_int_equal((i ? evm_path_line_to
                            : evm_path_move_to)(&coast, -500 - 0.09 * i, 50),
                         EVM_OK);
    add_path_item(off, EVM_LAYER_COASTLINES, &coast, stroke_style(black, 1));
    evm_png_band_rows(off, 600, 2, y0);
    assert_int_equal(y0[1], 300);
    evm_scene_destroy(off);
    /* Two rows, two bands of one row each. */
    evm_png_band_rows(s, 2, 2, y0);
    assert_int_equal(y0[0], 0);
    assert_int_equal(y0[1], 1);
    evm_scene_destroy(s);
}

/* The IDAT chunks of a PNG joined: one zlib stream. */
static unsigned char *png_idat(const membuf_t *buf, size_t *len)
{
    unsigned char *out = NULL;
    *len = 0;
    for (size_t at = 8; at + 12 <= buf->len;) {
        const unsigned char *c = buf->data + at;
        size_t n =
            (size_t)c[0] << 24 | (size_t)c[1] << 16 | (size_t)c[2] << 8 | c[3];
        assert_true(at + 12 + n <= buf->len);
        if (memcmp(c + 4, "IDAT", 4) == 0) {
            out = realloc(out, *len + n + 1);
            assert_non_null(out);
            memcpy(out + *len, c + 8, n);
            *len += n;
        }
        at += 12 + n;
    }
    return out;
}

/* zlib's own inflate, which checks the Adler-32 trailer, takes the
 * joined bands' stream whole: the trailer combines the bands' checksums
 * correctly and nothing follows it. Sizes with one band and two, RGB and
 * RGBA, widths with and without row matches. */
static void test_png_zlib_stream(void **state)
{
    (void)state;
    static const struct {
        double w, h;
        bool transparent;
    } cases[] = {{40, 30, false},
                 {300, 300, false},
                 {300, 300, true},
                 {2500, 260, false},
                 {12000, 260, false}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        evm_scene_t *s = new_scene(cases[k].w, cases[k].h, 96);
        if (cases[k].transparent)
            s->background = none;
        add_rect(s, EVM_LAYER_LAND, 10.5, 5.25, cases[k].w / 2, cases[k].h / 2,
                 fill_style((evm_rgba_t){0.9, 0.5, 0.2, 1}));
        add_line(s, EVM_LAYER_ROUTES, stroke_style(black, 2.5), 2, 0.0, 0.0,
                 cases[k].w, cases[k].h);
        add_circle(s, EVM_LAYER_EVENTS, cases[k].w / 3, cases[k].h * 0.6, 9,
                   fill_style(blue));
        membuf_t buf = {0};
        evm_test_image_t img;
        render_png_threads(s, 0, &img, &buf);
        size_t z_len;
        unsigned char *z = png_idat(&buf, &z_len);
        size_t px = cases[k].transparent ? 4 : 3;
        size_t raw_len = (size_t)cases[k].h * (1 + px * (size_t)cases[k].w);
        unsigned char *raw = malloc(raw_len + 1);
        assert_non_null(raw);
        z_stream zs = {0};
        assert_int_equal(inflateInit(&zs), Z_OK);
        zs.next_in = z;
        zs.avail_in = (uInt)z_len;
        zs.next_out = raw;
        zs.avail_out = (uInt)(raw_len + 1);
        assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
        assert_int_equal(zs.avail_in, 0);
        assert_int_equal(zs.total_out, raw_len);
        inflateEnd(&zs);
        free(raw);
        free(z);
        evm_test_image_free(&img);
        membuf_free(&buf);
        evm_scene_destroy(s);
    }
}

/* An opaque top band over a transparent bottom one: the file is RGBA
 * throughout, the top band encoded again with alpha. */
static void test_png_bands_mixed_alpha(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(300, 300, 96);
    s->background = none;
    add_rect(s, EVM_LAYER_LAND, 0, 0, 300, 150, fill_style(blue));
    membuf_t buf = {0};
    evm_test_image_t img;
    render_png_threads(s, 0, &img, &buf);
    evm_test_png_info_t info;
    assert_int_equal(evm_test_png_info(buf.data, buf.len, &info), 0);
    assert_int_equal(info.color_type, 6);
    const unsigned char *p = evm_test_pixel(&img, 10, 10);
    assert_true(p[0] == 0 && p[1] == 0 && p[2] == 255 && p[3] == 255);
    p = evm_test_pixel(&img, 10, 290);
    assert_int_equal(p[3], 0);
    evm_test_image_free(&img);
    membuf_free(&buf);
    evm_scene_destroy(s);
}

/* ---- guards against bad coordinates ---- */

static void test_png_non_finite_skipped(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(100, 100, 96);
    /* A polyline broken by a NaN point: the segments on either side are
     * drawn, the two touching it are not (no segment x = 50). */
    add_line(s, EVM_LAYER_ROUTES, stroke_style(black, 4), 5, 10.0, 20.0, 50.0,
             20.0, NAN, NAN, 50.0, 80.0, 90.0, 80.0);
    add_line(s, EVM_LAYER_ROUTES, stroke_style(black, 4), 2, INFINITY, 10.0,
             90.0, 10.0);
    add_circle(s, EVM_LAYER_EVENTS, NAN, 50, 10, fill_style(red));
    add_circle(s, EVM_LAYER_EVENTS, 50, 50, INFINITY, fill_style(red));
    add_circle(s, EVM_LAYER_EVENTS, 50, 50, NAN, fill_style(red));
    evm_style_t nan_colour = fill_style((evm_rgba_t){NAN, 0, 0, 1});
    add_rect(s, EVM_LAYER_LAND, 0, 0, 100, 100, nan_colour);
    evm_style_t nan_width = stroke_style(red, NAN);
    add_rect(s, EVM_LAYER_LAND, 10, 10, 80, 80, nan_width);
    add_text(s, EVM_LAYER_LABELS, "Nowhere", INFINITY, 10, 12, black, white, 2);
    add_text(s, EVM_LAYER_LABELS, "Nowhere", 10, NAN, 12, black, white, 2);
    evm_test_image_t img = png_pixels(s);
    ASSERT_RGB(&img, 30, 20, 0, 0, 0);
    ASSERT_RGB(&img, 70, 80, 0, 0, 0);
    ASSERT_RGB(&img, 50, 50, 255, 255, 255);
    ASSERT_RGB(&img, 50, 10, 255, 255, 255);
    ASSERT_RGB(&img, 10, 50, 255, 255, 255);
    /* Nothing else was drawn. */
    unsigned dark = 0;
    for (unsigned y = 0; y < 100; y++)
        for (unsigned x = 0; x < 100; x++)
            dark += evm_test_pixel(&img, x, y)[0] < 128;
    assert_int_equal(dark, 2 * 40 * 4);
    evm_test_image_free(&img);
    evm_scene_destroy(s);
}

static void test_png_absurd_coordinates(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(100, 100, 96);
    /* A line from a billion px left to a billion px right still covers
     * rows 48 to 51 of the page exactly. */
    add_line(s, EVM_LAYER_ROUTES, stroke_style(black, 4), 2, -1e9, 50.0, 1e9,
             50.0);
    /* A quadrant with its far corners a billion px away fills x, y >= 60. */
    add_rect(s, EVM_LAYER_LAND, 60, 60, 1e9, 1e9, fill_style(red));
    /* A diagonal whose ends are far off both sides crosses the page
     * through (10, 10) and (30, 30). */
    add_line(s, EVM_LAYER_ROUTES, stroke_style(blue, 2), 2, -3e9, -3e9, 4e9,
             4e9);
    /* Beyond 1e12 a coordinate is garbage: the point is dropped. */
    add_line(s, EVM_LAYER_ROUTES, stroke_style(green, 4), 2, 0.0, 5.0, 1e300,
             5.0);
    evm_test_image_t img = png_pixels(s);
    for (unsigned x = 0; x < 100; x += 9) {
        if (x >= 41 && x <= 58)
            continue; /* where the diagonal crosses */
        ASSERT_RGB(&img, x, 48, 0, 0, 0);
        ASSERT_RGB(&img, x, 51, 0, 0, 0);
        ASSERT_RGB(&img, x, 47, 255, 255, 255);
        ASSERT_RGB(&img, x, 52, 255, 255, 255);
    }
    ASSERT_RGB(&img, 80, 65, 255, 0, 0);
    ASSERT_RGB(&img, 99, 85, 255, 0, 0);
    ASSERT_RGB(&img, 61, 99, 255, 0, 0);
    ASSERT_RGB(&img, 59, 70, 255, 255, 255);
    ASSERT_RGB(&img, 70, 59, 255, 255, 255);
    assert_rgb_near(&img, 10, 10, 0, 0, 255, 60);
    assert_rgb_near(&img, 30, 30, 0, 0, 255, 60);
    ASSERT_RGB(&img, 14, 10, 255, 255, 255);
    ASSERT_RGB(&img, 50, 5, 255, 255, 255);
    evm_test_image_free(&img);
    evm_scene_destroy(s);
}

/* An opaque line of several subpaths is stroked a subpath at a time; the
 * last one, open and reaching far off the page, is clipped into pieces
 * that must still be stroked, in every backend. */
static void test_png_last_clipped_subpath(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(100, 100, 96);
    evm_path_t p = {0};
    assert_int_equal(evm_path_move_to(&p, 10, 20), EVM_OK);
    assert_int_equal(evm_path_line_to(&p, 90, 20), EVM_OK);
    assert_int_equal(evm_path_move_to(&p, -1e6, 70), EVM_OK);
    assert_int_equal(evm_path_line_to(&p, 1e6, 70), EVM_OK);
    add_path_item(s, EVM_LAYER_ROUTES, &p, stroke_style(black, 4));
    evm_test_image_t img = png_pixels(s);
    for (unsigned x = 0; x < 100; x += 11) {
        ASSERT_RGB(&img, x, 69, 0, 0, 0);
        ASSERT_RGB(&img, x, 73, 255, 255, 255);
    }
    ASSERT_RGB(&img, 50, 19, 0, 0, 0);
    evm_test_image_free(&img);
    evm_scene_destroy(s);
}

static double ring_area(const evm_point_t *p, size_t n)
{
    double a = 0;
    for (size_t i = 0; i < n; i++) {
        const evm_point_t *q = &p[(i + 1) % n];
        a += p[i].x * q->y - q->x * p[i].y;
    }
    return fabs(a) / 2;
}

static void test_guard_geometry(void **state)
{
    (void)state;
    assert_true(evm_guard_usable((evm_point_t){1e11, -1e11}));
    assert_false(evm_guard_usable((evm_point_t){NAN, 0}));
    assert_false(evm_guard_usable((evm_point_t){0, -INFINITY}));
    assert_false(evm_guard_usable((evm_point_t){2e12, 0}));

    evm_rect_t g = evm_guard_box(100, 50, 1000);
    assert_true(g.x == -1000 && g.y == -1000);
    assert_true(g.w == 2100 && g.h == 2050);

    const evm_rect_t box = {0, 0, 10, 10};
    evm_point_t a = {-5, 5}, b = {15, 5};
    assert_true(evm_guard_clip_segment(&box, &a, &b));
    assert_true(a.x == 0 && a.y == 5 && b.x == 10 && b.y == 5);
    a = (evm_point_t){-10, -10}, b = (evm_point_t){20, 20};
    assert_true(evm_guard_clip_segment(&box, &a, &b));
    assert_true(a.x == 0 && a.y == 0 && b.x == 10 && b.y == 10);
    /* Ends inside keep their exact bits. */
    a = (evm_point_t){0.1, 0.3}, b = (evm_point_t){20, 0.3};
    assert_true(evm_guard_clip_segment(&box, &a, &b));
    assert_true(a.x == 0.1 && a.y == 0.3 && b.x == 10);
    a = (evm_point_t){-5, -5}, b = (evm_point_t){-1, 20};
    assert_false(evm_guard_clip_segment(&box, &a, &b));
    a = (evm_point_t){-5, 5}, b = (evm_point_t){5, 25};
    assert_false(evm_guard_clip_segment(&box, &a, &b)); /* misses a corner */

    evm_guard_scratch_t scratch = {0};
    size_t n;
    const evm_point_t square[] = {{-5, -5}, {15, -5}, {15, 15}, {-5, 15}};
    const evm_point_t *r = evm_guard_clip_ring(&scratch, &box, square, 4, &n);
    assert_non_null(r);
    assert_int_equal(n, 4);
    assert_true(ring_area(r, n) == 100);
    /* A triangle across a corner: its hypotenuse x + y = 20 only touches
     * the box corner (10, 10), so what remains is the square [5, 10]^2. */
    const evm_point_t tri[] = {{5, 5}, {15, 5}, {5, 15}};
    r = evm_guard_clip_ring(&scratch, &box, tri, 3, &n);
    assert_non_null(r);
    assert_true(fabs(ring_area(r, n) - 25) < 1e-12);
    const evm_point_t with_nan[] = {{1, 1}, {NAN, 3}, {9, 1}, {9, 9}, {1, 9}};
    r = evm_guard_clip_ring(&scratch, &box, with_nan, 5, &n);
    assert_int_equal(n, 4);
    assert_true(ring_area(r, n) == 64);
    const evm_point_t outside[] = {{20, 20}, {30, 20}, {30, 30}};
    r = evm_guard_clip_ring(&scratch, &box, outside, 3, &n);
    assert_int_equal(n, 0);
    evm_guard_scratch_free(&scratch);
}

/* ---- text ---- */

static void test_text_metrics_match_layout(void **state)
{
    (void)state;
    static const struct {
        const char *utf8;
        double size_px;
        evm_font_weight weight;
    } cases[] = {
        {"Hamburg", 13.5, EVM_WEIGHT_NORMAL},
        {"Zürich – 東京 1234", 20, EVM_WEIGHT_BOLD},
        {"Lorem ipsum dolor sit amet", 9.3, EVM_WEIGHT_NORMAL},
    };
    static const struct {
        evm_format fmt;
        double dpi;
    } targets[] = {{EVM_FORMAT_PNG, 96},
                   {EVM_FORMAT_PDF, 96},
                   {EVM_FORMAT_PDF, 300},
                   {EVM_FORMAT_PDF, 72.5},
                   {EVM_FORMAT_SVG, 96}};
    PangoContext *measure = evm_text_context_new();
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        evm_scene_t *s = new_scene(400, 300, targets[t].dpi);
        /* The cairo backends; the native SVG and PDF writers measure
         * with evm_text_context_new() itself. */
        const evm_paint_backend_t *b = targets[t].fmt == EVM_FORMAT_SVG
                                           ? &evm_paint_cairo_svg_backend
                                       : targets[t].fmt == EVM_FORMAT_PDF
                                           ? &evm_paint_cairo_pdf_backend
                                           : evm_paint_backend(targets[t].fmt);
        assert_non_null(b);
        membuf_t buf = {0};
        evm_sink_t sink = {.write = mem_write, .closure = &buf};
        cairo_surface_t *surface = b->create_surface(s, &sink);
        assert_int_equal(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
        cairo_t *cr = cairo_create(surface);
        evm_paint_setup(cr, evm_paint_units_per_px(b, s));
        PangoContext *paint =
            evm_paint_text_context(pango_cairo_font_map_get_default());
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            PangoLayout *lm =
                evm_text_layout_new(measure, cases[c].utf8, "DejaVu Sans",
                                    cases[c].size_px, cases[c].weight);
            PangoLayout *lp =
                evm_text_layout_new(paint, cases[c].utf8, "DejaVu Sans",
                                    cases[c].size_px, cases[c].weight);
            PangoRectangle im, mm, ip, mp;
            pango_layout_get_extents(lm, &im, &mm);
            pango_layout_get_extents(lp, &ip, &mp);
            if (mm.x != mp.x || mm.y != mp.y || mm.width != mp.width ||
                mm.height != mp.height)
                fail_msg("%s at %g dpi, \"%s\": measured %dx%d%+d%+d, "
                         "painted %dx%d%+d%+d (1/1024 px)",
                         b->name, targets[t].dpi, cases[c].utf8, mm.width,
                         mm.height, mm.x, mm.y, mp.width, mp.height, mp.x,
                         mp.y);
            assert_int_equal(pango_layout_get_baseline(lm),
                             pango_layout_get_baseline(lp));
            g_object_unref(lm);
            g_object_unref(lp);
        }
        g_object_unref(paint);
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        membuf_free(&buf);
        evm_scene_destroy(s);
    }
    g_object_unref(measure);
}

static void test_png_text_halo(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(200, 80, 96);
    s->background = (evm_rgba_t){0.5, 0.5, 0.5, 1};
    const double halo = 2;
    evm_rect_t box = add_text(s, EVM_LAYER_LABELS, "Hamburg", 30, 20, 24, black,
                              white, halo);
    assert_true(box.w > 50 && box.h > 20);
    evm_test_image_t img = png_pixels(s);
    /* Glyph ink stays within the logical box in DejaVu Sans for this
     * text; the halo adds halo px, and antialiasing one more. */
    double m = halo + 1;
    unsigned dark_in = 0, light_in = 0, changed_out = 0;
    for (unsigned y = 0; y < img.height; y++) {
        for (unsigned x = 0; x < img.width; x++) {
            const unsigned char *p = evm_test_pixel(&img, x, y);
            bool in_box = x >= box.x && x + 1 <= box.x + box.w && y >= box.y &&
                          y + 1 <= box.y + box.h;
            bool near = x + 1 > box.x - m && x < box.x + box.w + m &&
                        y + 1 > box.y - m && y < box.y + box.h + m;
            if (in_box && p[0] < 40)
                dark_in++;
            if (near && p[0] > 230)
                light_in++;
            if (!near && abs(p[0] - 128) > 1)
                changed_out++;
        }
    }
    assert_true(dark_in > 50);
    assert_true(light_in > 50);
    assert_int_equal(changed_out, 0);
    evm_test_image_free(&img);
    evm_scene_destroy(s);
}

/* ---- PDF and SVG ---- */

static void check_media_box(double w_px, double h_px, double dpi)
{
    evm_scene_t *s = new_scene(w_px, h_px, dpi);
    membuf_t buf = {0};
    assert_int_equal(evm_render(s, EVM_FORMAT_PDF, mem_write, &buf, NULL),
                     EVM_OK);
    assert_true(buf.len > 5 && memcmp(buf.data, "%PDF-", 5) == 0);
    const char *mb = evm_test_find_bytes(buf.data, buf.len, "/MediaBox");
    assert_non_null(mb);
    double x0, y0, x1, y1;
    assert_int_equal(
        sscanf(mb, "/MediaBox [ %lf %lf %lf %lf ]", &x0, &y0, &x1, &y1), 4);
    assert_true(x0 == 0 && y0 == 0);
    assert_true(fabs(x1 - w_px * 72 / dpi) < 1e-3);
    assert_true(fabs(y1 - h_px * 72 / dpi) < 1e-3);
    membuf_free(&buf);
    evm_scene_destroy(s);
}

static void test_pdf(void **state)
{
    (void)state;
    check_media_box(400, 300, 96);  /* 300 x 225 pt */
    check_media_box(400, 300, 300); /* 96 x 72 pt */
    check_media_box(1000, 500, 72); /* 1000 x 500 pt */
    check_media_box(100, 50, 1);    /* 7200 x 3600 pt */

    /* At 1 dpi a px is 72 pt: absurd geometry must still be clipped
     * within cairo's fixed-point range of points. */
    evm_scene_t *low = new_scene(1000, 1000, 1);
    add_line(low, EVM_LAYER_ROUTES, stroke_style(black, 2), 2, -1e11, 10.0,
             1e11, 20.0);
    add_rect(low, EVM_LAYER_LAND, -1e10, -1e10, 2e10, 2e10, fill_style(red));
    membuf_t lowbuf = {0};
    assert_int_equal(evm_render(low, EVM_FORMAT_PDF, mem_write, &lowbuf, NULL),
                     EVM_OK);
    membuf_free(&lowbuf);
    evm_scene_destroy(low);

    evm_scene_t *s = new_scene(400, 300, 150);
    free(s->title);
    s->title = str_dup("Events of 2024");
    add_rect(s, EVM_LAYER_LAND, 10, 10, 100, 100, fill_style(red));
    add_text(s, EVM_LAYER_LABELS, "Hamburg", 50, 150, 20, black, white, 2);
    membuf_t buf = {0};
    evm_error_t err = {0};
    evm_status st = evm_render(s, EVM_FORMAT_PDF, mem_write, &buf, &err);
    if (st != EVM_OK)
        fail_msg("%s", err.message);
    assert_true(memcmp(buf.data, "%PDF-", 5) == 0);
    /* Text stays text: fonts are embedded, not glyph outlines only. */
    assert_non_null(evm_test_find_bytes(buf.data, buf.len, "/FontFile"));
    assert_non_null(evm_test_find_bytes(buf.data, buf.len, "/ToUnicode"));
    assert_non_null(evm_test_find_bytes(buf.data, buf.len, "/Title"));
    if (evm_test_have_tool("pdftotext")) {
        char *dir = evm_test_temp_dir("evm_test_paint");
        char *pdf = evm_test_path(dir, "map.pdf");
        char *txt = evm_test_path(dir, "map.txt");
        assert_int_equal(evm_test_write_file(pdf, buf.data, buf.len), 0);
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "pdftotext '%s' '%s'", pdf, txt);
        assert_int_equal(system(cmd), 0);
        char *text = evm_test_read_file(txt, NULL);
        assert_non_null(text);
        assert_non_null(strstr(text, "Hamburg"));
        free(text);
        if (evm_test_have_tool("pdfinfo")) {
            snprintf(cmd, sizeof cmd,
                     "pdfinfo '%s' | grep -q '^Title: *Events of 2024$'", pdf);
            assert_int_equal(system(cmd), 0);
        }
        free(pdf);
        free(txt);
        evm_test_remove_dir(dir);
    } else {
        print_message("pdftotext not found: label text extraction "
                      "not checked\n");
    }
    membuf_free(&buf);
    evm_scene_destroy(s);
}

static void test_svg(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(400, 300, 96);
    add_rect(s, EVM_LAYER_LAND, 10, 10, 100, 100, fill_style(red));
    add_circle(s, EVM_LAYER_EVENTS, 200, 150, 10, fill_style(blue));
    add_text(s, EVM_LAYER_LABELS, "Hamburg & <Co>", 50, 150, 20, black, white,
             2);
    membuf_t buf = {0};
    evm_error_t err = {0};
    evm_status st = evm_render(s, EVM_FORMAT_SVG, mem_write, &buf, &err);
    if (st != EVM_OK)
        fail_msg("%s", err.message);
    const char *svg = (const char *)buf.data;
    assert_true(strncmp(svg, "<?xml", 5) == 0);
    const char *root = strstr(svg, "<svg");
    assert_non_null(root);
    /* One user unit per px, and the document sized in px. */
    assert_non_null(strstr(root, "width=\"400px\""));
    assert_non_null(strstr(root, "height=\"300px\""));
    assert_non_null(strstr(root, "viewBox=\"0 0 400 300\""));
    if (evm_test_have_tool("xmllint")) {
        char *dir = evm_test_temp_dir("evm_test_paint");
        char *path = evm_test_path(dir, "map.svg");
        assert_int_equal(evm_test_write_file(path, buf.data, buf.len), 0);
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
        assert_int_equal(system(cmd), 0);
        free(path);
        evm_test_remove_dir(dir);
    } else {
        print_message("xmllint not found: SVG well-formedness not "
                      "checked\n");
    }
    membuf_free(&buf);
    evm_scene_destroy(s);
}

/* ---- failures ---- */

static void test_invalid_scenes(void **state)
{
    (void)state;
    membuf_t buf = {0};
    evm_error_t err = {0};
    evm_scene_t *s = new_scene(0, 100, 96);
    assert_int_equal(evm_render(s, EVM_FORMAT_PNG, mem_write, &buf, &err),
                     EVM_ERR_INVALID_ARG);
    assert_true(err.message[0] != '\0');
    s->width_px = NAN;
    assert_int_equal(evm_render(s, EVM_FORMAT_PDF, mem_write, &buf, &err),
                     EVM_ERR_INVALID_ARG);
    s->width_px = 40000;
    assert_int_equal(evm_render(s, EVM_FORMAT_SVG, mem_write, &buf, &err),
                     EVM_ERR_INVALID_ARG);
    s->width_px = 100;
    s->dpi = 0;
    assert_int_equal(evm_render(s, EVM_FORMAT_PNG, mem_write, &buf, &err),
                     EVM_ERR_INVALID_ARG);
    s->dpi = 0.5; /* a PDF page px would be 144 pt */
    assert_int_equal(evm_render(s, EVM_FORMAT_PDF, mem_write, &buf, &err),
                     EVM_ERR_INVALID_ARG);
    s->dpi = 96;
    s->frame.w = INFINITY;
    assert_int_equal(evm_render(s, EVM_FORMAT_PNG, mem_write, &buf, &err),
                     EVM_ERR_INVALID_ARG);
    s->frame.w = 100;
    assert_int_equal(evm_render(s, (evm_format)7, mem_write, &buf, &err),
                     EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_render(s, EVM_FORMAT_PNG, NULL, &buf, &err),
                     EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_render(NULL, EVM_FORMAT_PNG, mem_write, &buf, &err),
                     EVM_ERR_INVALID_ARG);
    /* Nothing was written by any of these. */
    assert_int_equal(buf.len, 0);
    /* Text that is not UTF-8 cannot be shaped. */
    add_text(s, EVM_LAYER_LABELS, "ok", 10, 10, 12, black, none, 0);
    evm_layer_t *labels = &s->layers[EVM_LAYER_LABELS];
    labels->items[0].text.utf8[0] = (char)0xff;
    for (int f = EVM_FORMAT_PNG; f <= EVM_FORMAT_SVG; f++) {
        membuf_free(&buf);
        assert_int_equal(evm_render(s, (evm_format)f, mem_write, &buf, &err),
                         EVM_ERR_INVALID_ARG);
        assert_non_null(strstr(err.message, "UTF-8"));
    }
    membuf_free(&buf);
    evm_scene_destroy(s);
}

/* A scene whose output is some kilobytes in every format. */
static evm_scene_t *busy_scene(void)
{
    evm_scene_t *s = new_scene(300, 200, 96);
    s->background = (evm_rgba_t){0.7, 0.85, 1, 1};
    for (int i = 0; i < 40; i++) {
        double x = (i * 37) % 280, y = (i * 53) % 180;
        add_rect(s, EVM_LAYER_LAND, x, y, 15 + i % 7, 10 + i % 5,
                 fill_style((evm_rgba_t){i / 40.0, 0.5, 1 - i / 40.0, 1}));
        add_circle(s, EVM_LAYER_EVENTS, y * 1.5, x / 1.5, 3 + i % 4,
                   fill_style(red));
    }
    add_text(s, EVM_LAYER_LABELS, "Hamburg Zürich Kraków", 10, 80, 18, black,
             white, 2);
    return s;
}

static void check_callback_failure(evm_format fmt, size_t fail_after)
{
    evm_scene_t *s = busy_scene();
    membuf_t buf = {.fail_after = fail_after, .fail_status = EVM_ERR_NOT_FOUND};
    evm_error_t err = {0};
    /* The callback's own status comes back, not a render error. */
    assert_int_equal(evm_render(s, fmt, mem_write, &buf, &err),
                     EVM_ERR_NOT_FOUND);
    assert_int_equal(err.status, EVM_ERR_NOT_FOUND);
    assert_true(buf.failed);
    assert_int_equal(buf.calls_after_failure, 0);
    assert_true(buf.len <= fail_after);
    membuf_free(&buf);
    evm_scene_destroy(s);
}

static void test_write_callback_failure(void **state)
{
    (void)state;
    check_callback_failure(EVM_FORMAT_PNG, 1);
    check_callback_failure(EVM_FORMAT_PNG, 500);
    check_callback_failure(EVM_FORMAT_PDF, 1);
    check_callback_failure(EVM_FORMAT_PDF, 2000);
    check_callback_failure(EVM_FORMAT_SVG, 1);
    check_callback_failure(EVM_FORMAT_SVG, 1000);
}

/* Number of entries of dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static void assert_file_is(const char *path, const char *content)
{
    size_t len = 0;
    char *got = evm_test_read_file(path, &len);
    assert_non_null(got);
    assert_int_equal(len, strlen(content));
    assert_string_equal(got, content);
    free(got);
}

static void test_render_to_file(void **state)
{
    (void)state;
    char *dir = evm_test_temp_dir("evm_test_paint");
    evm_scene_t *s = busy_scene();
    evm_error_t err = {0};

    /* A directory that does not exist: an I/O error, nothing created. */
    char *missing = evm_test_path(dir, "nope");
    char *in_missing = evm_test_path(missing, "map.png");
    assert_int_equal(evm_render_to_file(s, EVM_FORMAT_PNG, in_missing, &err),
                     EVM_ERR_IO);
    assert_string_equal(err.file, in_missing);
    struct stat sb;
    assert_int_not_equal(stat(missing, &sb), 0);
    assert_int_equal(count_prefixed(dir, ""), 2); /* "." and ".." */
    free(in_missing);
    free(missing);

    /* Success creates the file with the usual mode and leaves no
     * temporary file. */
    char *target = evm_test_path(dir, "map.png");
    assert_int_equal(evm_render_to_file(s, EVM_FORMAT_PNG, target, &err),
                     EVM_OK);
    size_t len = 0;
    char *png = evm_test_read_file(target, &len);
    assert_non_null(png);
    evm_test_png_info_t info;
    assert_int_equal(evm_test_png_info((const unsigned char *)png, len, &info),
                     0);
    assert_int_equal(info.width, 300);
    free(png);
    mode_t mask = umask(022);
    umask(mask);
    assert_int_equal(stat(target, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0666 & ~mask);
    assert_int_equal(count_prefixed(dir, ".map.png."), 0);

    /* Success replaces an existing file. */
    assert_int_equal(evm_test_write_file(target, "old map", 7), 0);
    assert_int_equal(evm_render_to_file(s, EVM_FORMAT_PNG, target, &err),
                     EVM_OK);
    png = evm_test_read_file(target, &len);
    assert_non_null(png);
    assert_true(len > 8 && memcmp(png, "\x89PNG", 4) == 0);
    free(png);

    /* A render that fails keeps the old file and removes the temporary
     * one, in every format. */
    assert_int_equal(evm_test_write_file(target, "old map", 7), 0);
    evm_scene_t *bad = busy_scene();
    evm_layer_t *labels = &bad->layers[EVM_LAYER_LABELS];
    labels->items[0].text.utf8[1] = (char)0xc3; /* a truncated sequence */
    labels->items[0].text.utf8[2] = '\0';
    for (int f = EVM_FORMAT_PNG; f <= EVM_FORMAT_SVG; f++) {
        assert_int_equal(evm_render_to_file(bad, (evm_format)f, target, &err),
                         EVM_ERR_INVALID_ARG);
        assert_file_is(target, "old map");
        assert_int_equal(count_prefixed(dir, ".map.png."), 0);
    }
    evm_scene_destroy(bad);

    /* A write that fails midway (the file size limit standing in for a
     * full disk) keeps the old file and removes the partial one. */
    struct rlimit old_limit, limit;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    limit = old_limit;
    limit.rlim_cur = 3000;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &limit), 0);
    evm_status st = evm_render_to_file(s, EVM_FORMAT_PDF, target, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old_limit), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(st, EVM_ERR_IO);
    assert_string_equal(err.file, target);
    assert_non_null(strstr(err.message, "cannot write"));
    assert_file_is(target, "old map");
    assert_int_equal(count_prefixed(dir, ".map.png."), 0);

    /* Bad arguments touch nothing. */
    assert_int_equal(evm_render_to_file(s, EVM_FORMAT_PNG, "", &err),
                     EVM_ERR_INVALID_ARG);
    char *slash = evm_test_path(dir, "");
    assert_int_equal(evm_render_to_file(s, EVM_FORMAT_PNG, slash, &err),
                     EVM_ERR_INVALID_ARG);
    free(slash);
    s->dpi = NAN;
    assert_int_equal(evm_render_to_file(s, EVM_FORMAT_PNG, target, &err),
                     EVM_ERR_INVALID_ARG);
    assert_file_is(target, "old map");
    assert_int_equal(count_prefixed(dir, ""), 3); /* ., .., map.png */

    free(target);
    evm_scene_destroy(s);
    evm_test_remove_dir(dir);
}

/* ---- golden image ---- */

static void test_golden_small_map(void **state)
{
    (void)state;
    evm_scene_t *s = new_scene(240, 140, 96);
    s->background = (evm_rgba_t){0.96, 0.96, 0.94, 1};
    s->frame = (evm_rect_t){10, 10, 220, 100};
    add_rect(s, EVM_LAYER_OCEAN, 10, 10, 220, 100,
             fill_style((evm_rgba_t){0.75, 0.86, 0.95, 1}));
    evm_path_t land = {0};
    const double pts[][2] = {
        {30, 20}, {120, 30}, {150, 80}, {90, 120}, {20, 90}};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(i ? evm_path_line_to(&land, pts[i][0], pts[i][1])
                           : evm_path_move_to(&land, pts[i][0], pts[i][1]),
                         EVM_OK);
    evm_path_close(&land);
    /* A lake: a hole under the even-odd rule. */
    assert_int_equal(evm_path_move_to(&land, 60, 50), EVM_OK);
    assert_int_equal(evm_path_line_to(&land, 80, 50), EVM_OK);
    assert_int_equal(evm_path_line_to(&land, 70, 65), EVM_OK);
    evm_path_close(&land);
    evm_style_t land_style = fill_style((evm_rgba_t){0.93, 0.91, 0.82, 1});
    land_style.stroke = (evm_rgba_t){0.5, 0.5, 0.5, 1};
    land_style.stroke_px = 1;
    land_style.join = EVM_JOIN_ROUND;
    add_path_item(s, EVM_LAYER_LAND, &land, land_style);
    evm_style_t route = stroke_style((evm_rgba_t){0.8, 0.1, 0.1, 0.9}, 2);
    route.dash_px[0] = 6;
    route.dash_px[1] = 3;
    route.n_dash = 2;
    route.cap = EVM_CAP_ROUND;
    add_line(s, EVM_LAYER_ROUTES, route, 3, 40.0, 40.0, 130.0, 60.0, 200.0,
             30.0);
    evm_style_t event = fill_style((evm_rgba_t){0.9, 0.3, 0.1, 0.8});
    event.stroke = white;
    event.stroke_px = 1.5;
    add_circle(s, EVM_LAYER_EVENTS, 130, 60, 6, event);
    add_circle(s, EVM_LAYER_EVENTS, 225, 60, 8, event); /* clipped */
    add_text(s, EVM_LAYER_LABELS, "Kraków", 138, 64, 13, black, white, 1.5);
    add_text(s, EVM_LAYER_TITLE, "Events, 2024", 10, 114, 16,
             (evm_rgba_t){0.1, 0.1, 0.2, 1}, none, 0);
    membuf_t buf = {0};
    evm_test_image_t img;
    render_png(s, &img, &buf);
    /* Fonts differ between machines; text pixels get some room. */
    assert_int_equal(
        evm_test_golden_png("paint_small_map", buf.data, buf.len, 24, 0.01), 0);
    evm_test_image_free(&img);
    membuf_free(&buf);
    evm_scene_destroy(s);
}

static void test_image_helpers(void **state)
{
    (void)state;
    unsigned char a_px[16] = {0,  0,  0,  255, 10, 10, 10, 255,
                              20, 20, 20, 255, 30, 30, 30, 255};
    unsigned char b_px[16];
    memcpy(b_px, a_px, sizeof b_px);
    b_px[4] = 14;  /* within 4 */
    b_px[14] = 90; /* far off */
    evm_test_image_t a = {2, 2, a_px}, b = {2, 2, b_px};
    assert_true(evm_test_image_diff(&a, &b, 4) == 0.25);
    assert_true(evm_test_image_diff(&a, &b, 60) == 0);
    assert_true(evm_test_image_similar(&a, &b, 4, 0.25));
    assert_false(evm_test_image_similar(&a, &b, 4, 0.2));
    evm_test_image_t c = {1, 4, a_px};
    assert_true(evm_test_image_diff(&a, &c, 255) == 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_image_helpers),
        cmocka_unit_test(test_png_background),
        cmocka_unit_test(test_png_filled_rect),
        cmocka_unit_test(test_png_stroked_line),
        cmocka_unit_test(test_png_dash_and_caps),
        cmocka_unit_test(test_png_circle),
        cmocka_unit_test(test_png_clip_to_frame),
        cmocka_unit_test(test_png_paint_order),
        cmocka_unit_test(test_png_phys),
        cmocka_unit_test(test_png_transparent),
        cmocka_unit_test(test_png_bands_match_one_thread),
        cmocka_unit_test(test_png_band_rows_follow_the_work),
        cmocka_unit_test(test_png_band_rows_avoid_labels),
        cmocka_unit_test(test_png_bands_mixed_alpha),
        cmocka_unit_test(test_png_zlib_stream),
        cmocka_unit_test(test_png_non_finite_skipped),
        cmocka_unit_test(test_png_last_clipped_subpath),
        cmocka_unit_test(test_png_absurd_coordinates),
        cmocka_unit_test(test_guard_geometry),
        cmocka_unit_test(test_text_metrics_match_layout),
        cmocka_unit_test(test_png_text_halo),
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_svg),
        cmocka_unit_test(test_invalid_scenes),
        cmocka_unit_test(test_write_callback_failure),
        cmocka_unit_test(test_render_to_file),
        cmocka_unit_test(test_golden_small_map),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* Release the per-thread font map and the font caches under it, so
     * that LeakSanitizer reports only leaks of our own. (Not
     * cairo_debug_reset_static_data: it asserts when any scaled font is
     * still referenced, which Pango's caches may do at exit.) */
    pango_cairo_font_map_set_default(NULL);
    return failed;
}
