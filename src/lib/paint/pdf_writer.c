/* The native PDF backend: paints a scene into a PDF 1.6 document of one
 * page, as the cairo painter (painter.c) paints it, without cairo.
 *
 * The page is width_px * 72 / dpi points wide, as vector.c makes cairo's.
 * The background, then each layer in paint order, clipped to the map
 * frame when it asks; each item filled (even-odd) then stroked, skipped
 * and clipped to the same guard box as the painter does; circles as four
 * Bézier arcs in a form XObject per radius, placed by a translation;
 * text shaped by Pango exactly as layout measured it and shown with
 * embedded font subsets, its halo a stroke of the glyphs painted under
 * them. Alpha goes through ExtGState resources.
 *
 * The content stream is built first, in memory: it tells which fonts,
 * transparency states and circles the page uses, and a bad item fails
 * the render before a byte reaches the sink. A label in a font that
 * cannot be embedded (no TrueType or CFF outlines, a variable font's
 * instance) hands the whole document to cairo's PDF engine. Then the
 * objects are written: catalog, pages, page, content (deflated), circles,
 * document information, fonts; then the cross-reference table. */
#define _POSIX_C_SOURCE 200809L

#include "paint/pdf.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <evmap/evmap.h>

#include "paint/guard.h"
#include "paint/plan.h"
#include "text/text.h"

typedef struct writer {
    const evm_scene_t *scene;
    evm_pdf_content_t c;
    evm_pdf_fonts_t *fonts;
    evm_rect_t guard;
    double margin_px;
    evm_guard_scratch_t scratch;
    PangoContext *pc; /* created at the first label */
    evm_error_t *err;
} writer_t;

/* Sets the state to paint an item of style st and returns the operator
 * that paints it ("f*", "S" or "B*"), or NULL when it paints nothing or
 * with err set when out of memory (*status tells). */
static const char *paint_op(writer_t *w, const evm_style_t *st,
                            evm_status *status)
{
    *status = EVM_OK;
    bool fill = evm_paint_color_shows(&st->fill);
    bool stroke = evm_paint_stroke_shows(st);
    if (!fill && !stroke)
        return NULL;
    if (!evm_pdf_set_paint(&w->c, fill ? &st->fill : NULL,
                           stroke ? &st->stroke : NULL)) {
        *status = evm_error_set(w->err, EVM_ERR_NOMEM, NULL, 0, 0,
                                "out of memory writing the PDF");
        return NULL;
    }
    if (stroke)
        evm_pdf_set_line(&w->c, evm_paint_stroke_width(st, w->margin_px),
                         st->cap, st->join, st->dash_px,
                         evm_paint_dash_count(st));
    return fill && stroke ? "B*" : fill ? "f*" : "S";
}

/* Paints the current path, or discards it ("n"). */
static evm_status fill_stroke(writer_t *w, const evm_style_t *st)
{
    evm_status status;
    const char *op = paint_op(w, st, &status);
    evm_buf_puts(&w->c.s, op ? op : "n");
    evm_buf_putc(&w->c.s, '\n');
    return status;
}

static void pen_move_to(void *c, evm_point_t p)
{
    evm_pdf_move_to(c, p.x, p.y);
}

static void pen_line_to(void *c, evm_point_t p)
{
    evm_pdf_line_to(c, p.x, p.y);
}

static void pen_close_path(void *c)
{
    evm_pdf_close(c);
}

static evm_status paint_path(writer_t *w, const evm_item_t *it)
{
    const evm_guard_pen_t pen = {pen_move_to, pen_line_to, pen_close_path,
                                 &w->c};
    bool drawn;
    evm_status st =
        evm_paint_emit_path(&pen, &w->scratch, &w->guard, it, &drawn, w->err);
    if (st != EVM_OK || !drawn)
        return st;
    return fill_stroke(w, &it->style);
}

static evm_status paint_circle(writer_t *w, const evm_item_t *it)
{
    if (!evm_paint_circle_shows(it, &w->guard, w->margin_px))
        return EVM_OK;
    evm_status status;
    const char *op = paint_op(w, &it->style, &status);
    if (op &&
        !evm_pdf_circle_mark(&w->c, it->center.x, it->center.y, it->r_px, op))
        status = evm_error_set(w->err, EVM_ERR_NOMEM, NULL, 0, 0,
                               "out of memory writing the PDF");
    return status;
}

/* Saves the state and turns what follows by angle (clockwise on the
 * page) about the centre of t's box: the PDF's y points up, so the
 * matrix turns the other way in its own terms. */
static void turn(evm_pdf_content_t *c, const evm_text_t *t, double angle)
{
    double px = (t->box.x + t->box.w / 2) * c->k,
           py = c->height_pt - (t->box.y + t->box.h / 2) * c->k;
    double ca = cos(angle), sa = sin(angle);
    evm_pdf_save(c);
    evm_pdf_num_sp(&c->s, ca, 6);
    evm_pdf_num_sp(&c->s, -sa, 6);
    evm_pdf_num_sp(&c->s, sa, 6);
    evm_pdf_num_sp(&c->s, ca, 6);
    evm_pdf_num_sp(&c->s, px - (ca * px + sa * py), 3);
    evm_pdf_num_sp(&c->s, py - (-sa * px + ca * py), 3);
    evm_buf_puts(&c->s, "cm\n");
}

/* Opens a marked-content span whose ActualText is utf8, as UTF-16BE. */
static void actual_text(evm_pdf_content_t *c, const char *utf8)
{
    static const char hex[] = "0123456789ABCDEF";
    glong n = 0;
    gunichar2 *u = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
    evm_buf_puts(&c->s, "/Span <</ActualText <FEFF");
    for (glong i = 0; u && i < n; i++) {
        char h[4] = {hex[(u[i] >> 12) & 15], hex[(u[i] >> 8) & 15],
                     hex[(u[i] >> 4) & 15], hex[u[i] & 15]};
        evm_buf_put(&c->s, h, 4);
    }
    evm_buf_puts(&c->s, ">>> BDC\n");
    g_free(u);
}

static evm_status paint_text(writer_t *w, const evm_item_t *it)
{
    const evm_text_t *t = &it->text;
    if (!evm_paint_text_shows(t, &w->guard))
        return EVM_OK;
    evm_status st = evm_paint_check_label(it, w->err);
    if (st != EVM_OK)
        return st;
    /* Layout's own context: labels shape as they were measured. */
    if (!w->pc)
        w->pc = evm_text_context_new();
    double x, y;
    PangoLayout *layout = evm_paint_label_layout(w->pc, t, &w->guard, &x, &y);
    if (!layout)
        return EVM_OK;
    double angle = evm_paint_text_angle(t);
    if (angle != 0)
        turn(&w->c, t, angle);
    if (evm_paint_halo_shows(t, w->margin_px)) {
        if (!evm_pdf_set_paint(&w->c, NULL, &t->halo)) {
            st = evm_error_set(w->err, EVM_ERR_NOMEM, NULL, 0, 0,
                               "out of memory writing the PDF");
            goto done;
        }
        /* And its halo, pieces of which extraction would otherwise mix
         * in, is no text at all. */
        if (angle != 0)
            actual_text(&w->c, "");
        st = evm_pdf_show_layout(&w->c, w->fonts, layout, x, y, NULL,
                                 t->halo_px, w->err);
        if (angle != 0)
            evm_buf_puts(&w->c.s, "EMC\n");
    }
    if (st == EVM_OK && evm_paint_color_shows(&t->color)) {
        /* A turned label's glyphs run diagonally, which text extraction
         * splits into pieces: its text comes whole from ActualText. */
        if (angle != 0)
            actual_text(&w->c, t->utf8);
        st = evm_pdf_show_layout(&w->c, w->fonts, layout, x, y, &t->color, 0,
                                 w->err);
        if (angle != 0)
            evm_buf_puts(&w->c.s, "EMC\n");
    }
done:
    if (angle != 0)
        evm_pdf_restore(&w->c);
    g_object_unref(layout);
    return st;
}

static evm_status paint_item(writer_t *w, const evm_item_t *it)
{
    switch (it->kind) {
    case EVM_ITEM_PATH:
        return paint_path(w, it);
    case EVM_ITEM_CIRCLE:
        return paint_circle(w, it);
    case EVM_ITEM_TEXT:
        return paint_text(w, it);
    }
    return evm_paint_unknown_kind(it, w->err);
}

/* Plan entries [from, to): markers of one style that share no pixel,
 * with the paint set once; the rings of polygons one path, painted once
 * (circles are marks, each its own). */
static evm_status paint_batch(writer_t *w, const evm_layer_t *layer,
                              const evm_paint_plan_t *plan, size_t from,
                              size_t to)
{
    const evm_style_t *style = &layer->items[plan->order[from]].style;
    evm_status st;
    const char *op = paint_op(w, style, &st);
    if (!op)
        return st;
    const evm_guard_pen_t pen = {pen_move_to, pen_line_to, pen_close_path,
                                 &w->c};
    bool rings = false;
    for (size_t k = from; k < to && st == EVM_OK; k++) {
        const evm_item_t *it = &layer->items[plan->order[k]];
        if (it->kind == EVM_ITEM_CIRCLE) {
            if (evm_paint_circle_shows(it, &w->guard, w->margin_px) &&
                !evm_pdf_circle_mark(&w->c, it->center.x, it->center.y,
                                     it->r_px, op))
                st = evm_error_set(w->err, EVM_ERR_NOMEM, NULL, 0, 0,
                                   "out of memory writing the PDF");
            continue;
        }
        bool drawn;
        st = evm_paint_emit_path(&pen, &w->scratch, &w->guard, it, &drawn,
                                 w->err);
        rings = rings || drawn;
    }
    if (rings) {
        evm_buf_puts(&w->c.s, st == EVM_OK ? op : "n");
        evm_buf_putc(&w->c.s, '\n');
    }
    return st;
}

/* The layer's items: the events layer by its plan (plan.h), the others
 * in order. */
static evm_status paint_items(writer_t *w, const evm_layer_t *layer)
{
    evm_status st = EVM_OK;
    evm_paint_plan_t plan;
    if (layer->id != EVM_LAYER_EVENTS ||
        !evm_paint_plan_layer(&plan, w->scene, layer, w->margin_px)) {
        for (size_t i = 0; i < layer->n_items && st == EVM_OK; i++)
            st = paint_item(w, &layer->items[i]);
        return st;
    }
    for (size_t b = 0, from = 0; b < plan.n_batches && st == EVM_OK; b++) {
        size_t to = plan.end[b];
        st = to - from > 1 ? paint_batch(w, layer, &plan, from, to)
                           : paint_item(w, &layer->items[plan.order[from]]);
        from = to;
    }
    evm_paint_plan_free(&plan);
    return st;
}

static evm_status paint_layer(writer_t *w, const evm_layer_t *layer)
{
    if (layer->n_items == 0)
        return EVM_OK;
    evm_rect_t clip;
    if (layer->clip_to_frame) {
        if (!evm_paint_frame_clip(w->scene, &w->guard, &clip))
            return EVM_OK;
        evm_pdf_save(&w->c);
        evm_pdf_rect(&w->c, clip.x, clip.y, clip.w, clip.h);
        evm_buf_puts(&w->c.s, "W n\n");
    }
    evm_status st = paint_items(w, layer);
    if (layer->clip_to_frame)
        evm_pdf_restore(&w->c);
    if (st == EVM_OK && w->c.s.nomem)
        st = evm_error_set(w->err, EVM_ERR_NOMEM, NULL, 0, 0,
                           "out of memory writing the PDF");
    return st;
}

static evm_status paint_scene(writer_t *w)
{
    const evm_scene_t *scene = w->scene;
    /* As the painter: the margin is fixed in points, and a page px is
     * 72 / dpi of them. */
    w->margin_px = EVM_GUARD_MARGIN / fmax(1, w->c.k);
    w->guard = evm_guard_box(scene->width_px, scene->height_px, w->margin_px);
    if (evm_paint_color_shows(&scene->background)) {
        if (!evm_pdf_set_paint(&w->c, &scene->background, NULL))
            return evm_error_set(w->err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory writing the PDF");
        evm_pdf_rect(&w->c, 0, 0, scene->width_px, scene->height_px);
        evm_buf_puts(&w->c.s, "f\n");
    }
    evm_status st = EVM_OK;
    for (int i = 0; i < EVM_LAYER_COUNT && st == EVM_OK; i++)
        st = paint_layer(w, &scene->layers[i]);
    return st;
}

/* "D:YYYYMMDDHHmmSSZ" for SOURCE_DATE_EPOCH when set (as the cairo PDF
 * engine does, for output that is the same on every run), else now. */
static bool creation_date(char out[32])
{
    time_t t = time(NULL);
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (*end || errno || v < 0 || v > 253402300799LL)
            return false;
        t = (time_t)v;
    }
    struct tm tm;
    if (t == (time_t)-1 || !gmtime_r(&t, &tm))
        return false;
    return strftime(out, 32, "D:%Y%m%d%H%M%SZ", &tm) > 0;
}

/* A document identifier from what the document is: its content stream,
 * size and title (ISO 32000-1, 14.4, suggests such a digest). */
static void document_id(const writer_t *w, unsigned char id[16])
{
    GChecksum *md5 = g_checksum_new(G_CHECKSUM_MD5);
    g_checksum_update(md5, (const guchar *)w->c.s.data, (gssize)w->c.s.len);
    double size[3] = {w->scene->width_px, w->scene->height_px, w->scene->dpi};
    g_checksum_update(md5, (const guchar *)size, sizeof size);
    if (w->scene->title)
        g_checksum_update(md5, (const guchar *)w->scene->title,
                          (gssize)strlen(w->scene->title));
    gsize len = 16;
    g_checksum_get_digest(md5, id, &len);
    g_checksum_free(md5);
}

static evm_status write_document(writer_t *w, evm_sink_t *sink)
{
    const evm_scene_t *scene = w->scene;
    evm_pdf_doc_t d;
    evm_pdf_doc_init(&d, sink);
    unsigned catalog = evm_pdf_doc_reserve(&d);
    unsigned pages = evm_pdf_doc_reserve(&d);
    unsigned page = evm_pdf_doc_reserve(&d);
    unsigned content = evm_pdf_doc_reserve(&d);
    unsigned info = evm_pdf_doc_reserve(&d);
    evm_pdf_fonts_reserve(w->fonts, &d);
    evm_pdf_marks_reserve(&w->c, &d);

    evm_pdf_doc_header(&d);
    evm_buf_t *b = evm_pdf_doc_begin(&d, catalog);
    evm_buf_printf(b, "<< /Type /Catalog /Pages %u 0 R >>", pages);
    evm_pdf_doc_end(&d);
    b = evm_pdf_doc_begin(&d, pages);
    evm_buf_printf(b, "<< /Type /Pages /Kids [%u 0 R] /Count 1 >>", page);
    evm_pdf_doc_end(&d);

    b = evm_pdf_doc_begin(&d, page);
    evm_buf_printf(b, "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 ", pages);
    evm_pdf_num_sp(b, scene->width_px * w->c.k, 3);
    evm_pdf_num(b, w->c.height_pt, 3);
    evm_buf_puts(b, "]\n/Resources << /ExtGState ");
    evm_pdf_content_gstates(&w->c, b);
    evm_buf_puts(b, "\n/XObject ");
    evm_pdf_marks_resources(&w->c, b);
    evm_buf_puts(b, "\n/Font <<");
    for (size_t i = 0; i < evm_pdf_fonts_count(w->fonts); i++)
        evm_buf_printf(b, " /F%zu %u 0 R", i,
                       evm_pdf_fonts_object(w->fonts, (int)i));
    /* Transparency is composited in RGB, as cairo (and the PNG) does. */
    evm_buf_printf(b,
                   " >> >>\n/Group << /Type /Group /S /Transparency /CS "
                   "/DeviceRGB >>\n/Contents %u 0 R >>",
                   content);
    evm_pdf_doc_end(&d);
    evm_pdf_doc_stream(&d, content, "", w->c.s.data, w->c.s.len, true);
    evm_pdf_marks_write(&w->c, &d);

    b = evm_pdf_doc_begin(&d, info);
    evm_buf_puts(b, "<< /Creator ");
    evm_pdf_text_string(b, "evmap " EVM_VERSION_STRING);
    evm_buf_puts(b, " /Producer ");
    evm_pdf_text_string(b, "evmap " EVM_VERSION_STRING);
    if (scene->title && scene->title[0]) {
        evm_buf_puts(b, " /Title ");
        evm_pdf_text_string(b, scene->title);
    }
    char date[32];
    if (creation_date(date))
        evm_buf_printf(b, " /CreationDate (%s)", date);
    evm_buf_puts(b, " >>");
    evm_pdf_doc_end(&d);

    evm_status st = evm_pdf_fonts_write(w->fonts, &d, w->err);
    if (st == EVM_OK) {
        unsigned char id[16];
        document_id(w, id);
        evm_pdf_doc_finish(&d, catalog, info, id);
        st = evm_pdf_doc_status(&d);
        if (st == EVM_ERR_NOMEM)
            evm_error_set(w->err, st, NULL, 0, 0,
                          "out of memory writing the PDF");
        else if (st != EVM_OK)
            evm_error_set(w->err, st, NULL, 0, 0,
                          "the output callback failed (%s) writing the PDF",
                          evm_status_name(st));
    }
    evm_pdf_doc_free(&d);
    return st;
}

static evm_status pdf_render(const evm_paint_backend_t *backend,
                             const evm_scene_t *scene,
                             const evm_render_options_t *opt, evm_sink_t *sink,
                             evm_error_t *err)
{
    (void)backend;
    (void)opt;
    writer_t w = {.scene = scene, .err = err};
    double k = 72.0 / scene->dpi;
    evm_pdf_content_init(&w.c, k, scene->height_px * k);
    w.fonts = evm_pdf_fonts_new();
    evm_status st = w.fonts ? paint_scene(&w)
                            : evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                            "out of memory writing the PDF");
    if (st == EVM_OK)
        st = write_document(&w, sink);
    bool to_cairo =
        st != EVM_OK && w.fonts && evm_pdf_fonts_unembeddable(w.fonts);
    if (w.pc)
        g_object_unref(w.pc);
    evm_guard_scratch_free(&w.scratch);
    evm_pdf_fonts_free(w.fonts);
    evm_pdf_content_free(&w.c);
    /* Text in a font that cannot be embedded is found while the page is
     * built, before anything is written: cairo, which draws such text as
     * outlines, writes the document instead. */
    if (to_cairo) {
        evm_error_clear(err);
        st = evm_paint_cairo_pdf_backend.render(&evm_paint_cairo_pdf_backend,
                                                scene, opt, sink, err);
    }
    return st;
}

const evm_paint_backend_t evm_paint_pdf_backend = {
    .format = EVM_FORMAT_PDF,
    .name = "pdf",
    .render = pdf_render,
};
