/* The painter the cairo backends share: the background, then each layer
 * in paint order (clipped to the map frame when the layer asks), each
 * item filled then stroked, text shaped exactly as layout measured it.
 *
 * Nothing non-finite reaches cairo: such points, circles and labels are
 * skipped, as are colours and line widths cairo would reject, and geometry
 * far off the page is clipped first (see guard.h). */
#include "paint/paint.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>

#include "core/error.h"
#include "paint/guard.h"
#include "text/text.h"

/* Label sizes beyond this are not labels. Pango measures in 1/1024 px
 * ints, which overflow at 2 million px: a label of that size would
 * overflow Pango within a few characters. */
#define EVM_PAINT_MAX_FONT_PX 1000.0

static const double evm_tau = 6.283185307179586;

typedef struct painter {
    cairo_t *cr;
    const evm_scene_t *scene;
    evm_rect_t guard;
    double margin_px; /* of the guard box around the page */
    /* What the surface shows, px: a band of the page when bands are
     * painted separately. Subpaths wholly outside it are skipped. */
    evm_rect_t visible;
    evm_guard_scratch_t scratch;
    PangoContext *pc;              /* created at the first label */
    evm_paint_text_share_t *share; /* NULL: this thread's font map */
    evm_error_t *err;
} painter_t;

evm_status evm_paint_cairo_error(evm_error_t *err, cairo_status_t cs,
                                 const char *what)
{
    evm_status st =
        cs == CAIRO_STATUS_NO_MEMORY ? EVM_ERR_NOMEM : EVM_ERR_RENDER;
    return evm_error_set(err, st, NULL, 0, 0, "cairo failed %s: %s", what,
                         cairo_status_to_string(cs));
}

evm_status evm_paint_check_scene(const evm_scene_t *scene, evm_error_t *err)
{
    if (!scene)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no scene to render");
    double w = scene->width_px, h = scene->height_px;
    /* Written so that NaN fails every comparison and is refused. */
    if (!(w >= 1 && w <= EVM_PAINT_MAX_PAGE_PX && h >= 1 &&
          h <= EVM_PAINT_MAX_PAGE_PX))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "page size %g x %g px is outside [1, %g]", w, h,
                             EVM_PAINT_MAX_PAGE_PX);
    /* At 1 dpi a PDF page of the largest size is 2.4 million points,
     * still well inside cairo's fixed-point range. */
    if (!(scene->dpi >= 1 && scene->dpi <= 100000))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "resolution %g dpi is outside [1, 100000]",
                             scene->dpi);
    const evm_rect_t *f = &scene->frame;
    if (!(isfinite(f->x) && isfinite(f->y) && isfinite(f->w) && isfinite(f->h)))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the map frame is not finite");
    /* PDF metadata and labels are UTF-8; cairo would fail late on it. */
    if (scene->title && !g_utf8_validate(scene->title, -1, NULL))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the map title is not valid UTF-8");
    return EVM_OK;
}

void evm_paint_setup(cairo_t *cr, double units_per_px)
{
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
    cairo_scale(cr, units_per_px, units_per_px);
    evm_text_prepare_cairo(cr);
}

PangoContext *evm_paint_text_context(cairo_t *cr)
{
    return evm_paint_text_context_on(cr, pango_cairo_font_map_get_default());
}

PangoContext *evm_paint_text_context_on(cairo_t *cr, PangoFontMap *font_map)
{
    /* pango_cairo_update_context takes the font options set on cr by
     * evm_text_prepare_cairo (hint metrics off) over the surface's; the
     * rest matches evm_text_context_new: 1 pt = 1 page px, glyphs placed
     * at their exact advances, and no matrix. Pango would otherwise take
     * cr's CTM, and under the PDF scale of 72 / dpi its advances come out
     * some 1/1024 px different from layout's (tested). cairo still
     * renders the glyphs for the CTM it draws with. */
    PangoContext *pc = pango_font_map_create_context(font_map);
    pango_cairo_update_context(cr, pc);
    pango_cairo_context_set_resolution(pc, 72.0);
    pango_context_set_round_glyph_positions(pc, FALSE);
    pango_context_set_matrix(pc, NULL);
    return pc;
}

/* Sets c as the source; false when it would paint nothing (alpha 0) or
 * has a non-finite component. cairo clamps the rest to [0, 1]. */
static bool set_color(cairo_t *cr, const evm_rgba_t *c)
{
    if (!(isfinite(c->r) && isfinite(c->g) && isfinite(c->b) && c->a > 0 &&
          isfinite(c->a)))
        return false;
    cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
    return true;
}

static cairo_line_cap_t cap_of(evm_cap cap)
{
    switch (cap) {
    case EVM_CAP_ROUND:
        return CAIRO_LINE_CAP_ROUND;
    case EVM_CAP_SQUARE:
        return CAIRO_LINE_CAP_SQUARE;
    case EVM_CAP_BUTT:
        break;
    }
    return CAIRO_LINE_CAP_BUTT;
}

static cairo_line_join_t join_of(evm_join join)
{
    switch (join) {
    case EVM_JOIN_ROUND:
        return CAIRO_LINE_JOIN_ROUND;
    case EVM_JOIN_BEVEL:
        return CAIRO_LINE_JOIN_BEVEL;
    case EVM_JOIN_MITER:
        break;
    }
    return CAIRO_LINE_JOIN_MITER;
}

static void set_dash(cairo_t *cr, const evm_style_t *st)
{
    size_t n = st->n_dash < EVM_DASH_MAX ? st->n_dash : EVM_DASH_MAX;
    double period = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(st->dash_px[i] >= 0 && isfinite(st->dash_px[i])))
            period = NAN;
        period += st->dash_px[i];
    }
    /* cairo puts the whole context in an error state for a negative
     * length or an all-zero pattern; such a line is drawn solid. */
    if (n == 0 || !(period > 0 && isfinite(period)))
        cairo_set_dash(cr, NULL, 0, 0);
    else
        cairo_set_dash(cr, st->dash_px, (int)n, 0);
}

/* Sets up the item's stroke; false when it has none. Widths are capped
 * so that a stroke (with miters up to 10 widths) of an edge on the guard
 * box cannot reach the page. */
static bool set_stroke(const painter_t *p, const evm_style_t *st)
{
    cairo_t *cr = p->cr;
    if (!(st->stroke_px > 0 && isfinite(st->stroke_px)) ||
        !set_color(cr, &st->stroke))
        return false;
    cairo_set_line_width(cr, fmin(st->stroke_px, p->margin_px / 16));
    cairo_set_line_cap(cr, cap_of(st->cap));
    cairo_set_line_join(cr, join_of(st->join));
    set_dash(cr, st);
    return true;
}

/* Fill, then stroke, the current path; clears it. */
static void fill_stroke(const painter_t *p, const evm_style_t *st)
{
    cairo_t *cr = p->cr;
    if (set_color(cr, &st->fill))
        cairo_fill_preserve(cr);
    if (set_stroke(p, st))
        cairo_stroke_preserve(cr);
    cairo_new_path(cr);
}

/* Whether the box [x0, x1] x [y0, y1], grown by reach, meets the part
 * of the page the surface shows. */
static bool meets_visible(const painter_t *p, double x0, double y0, double x1,
                          double y1, double reach)
{
    const evm_rect_t *v = &p->visible;
    return x1 + reach >= v->x && x0 - reach <= v->x + v->w &&
           y1 + reach >= v->y && y0 - reach <= v->y + v->h;
}

static void emit_points(cairo_t *cr, const evm_point_t *pts, size_t n)
{
    cairo_move_to(cr, pts[0].x, pts[0].y);
    for (size_t i = 1; i < n; i++)
        cairo_line_to(cr, pts[i].x, pts[i].y);
}

/* An open subpath with points to drop or clip: a dropped point breaks
 * the line, since joining its neighbours would draw a segment that is not
 * in the data; clipped segments continue the line where they meet. */
static void emit_open_guarded(painter_t *p, const evm_point_t *pts, size_t n)
{
    bool pen = false;
    evm_point_t last = {0, 0};
    for (size_t i = 0; i + 1 < n; i++) {
        evm_point_t a = pts[i], b = pts[i + 1];
        if (!evm_guard_usable(a) || !evm_guard_usable(b) ||
            !evm_guard_clip_segment(&p->guard, &a, &b)) {
            pen = false;
            continue;
        }
        if (!pen || a.x != last.x || a.y != last.y)
            cairo_move_to(p->cr, a.x, a.y);
        cairo_line_to(p->cr, b.x, b.y);
        last = b;
        pen = true;
    }
}

static evm_status paint_path(painter_t *p, const evm_item_t *it)
{
    const evm_path_t *path = &it->path;
    /* An opaque stroke with no fill is drawn a subpath at a time: cairo
     * 1.16 scan-converts a stroke over the bounding box of the whole
     * path, so one stroke of all the coastlines of a map costs several
     * times the same lines stroked one by one (each over its own box).
     * The pixels are the same, as opaque strokes do not blend. */
    bool stroke_each =
        it->style.fill.a <= 0 && it->style.stroke.a >= 1 && path->n_subs > 1;
    /* How far a stroke reaches past its path: miters of cairo's default
     * limit (10) at most, a pixel of antialiasing beyond. */
    double reach = it->style.stroke_px > 0 && isfinite(it->style.stroke_px)
                       ? 5 * fmin(it->style.stroke_px, p->margin_px / 16) + 2
                       : 2;
    cairo_new_path(p->cr);
    for (size_t k = 0; k < path->n_subs; k++) {
        size_t start = path->sub_start[k];
        size_t end =
            k + 1 < path->n_subs ? path->sub_start[k + 1] : path->n_pts;
        if (start > end || end > path->n_pts) {
            cairo_new_path(p->cr);
            return evm_error_set(p->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "item %s: malformed path", it->id);
        }
        const evm_point_t *pts = path->pts + start;
        size_t n = end - start;
        bool inside = true;
        double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
        for (size_t i = 0; i < n && inside; i++) {
            inside = evm_guard_inside(&p->guard, pts[i]);
            x0 = fmin(x0, pts[i].x);
            y0 = fmin(y0, pts[i].y);
            x1 = fmax(x1, pts[i].x);
            y1 = fmax(y1, pts[i].y);
        }
        bool closed = path->sub_closed[k];
        if (n == 0) {
            continue;
        } else if (inside && !meets_visible(p, x0, y0, x1, y1, reach)) {
            /* Off the band: a ring adds nothing to the winding number
             * outside its bounding box, and its stroke stays within reach
             * of it. */
            continue;
        } else if (inside) {
            emit_points(p->cr, pts, n);
        } else if (closed) {
            size_t m;
            const evm_point_t *ring =
                evm_guard_clip_ring(&p->scratch, &p->guard, pts, n, &m);
            if (!ring) {
                cairo_new_path(p->cr);
                return evm_error_set(p->err, EVM_ERR_NOMEM, NULL, 0, 0,
                                     "out of memory clipping item %s", it->id);
            }
            if (m == 0)
                continue;
            emit_points(p->cr, ring, m);
        } else {
            emit_open_guarded(p, pts, n);
            continue;
        }
        if (closed)
            cairo_close_path(p->cr);
        if (stroke_each)
            fill_stroke(p, &it->style);
    }
    if (!stroke_each)
        fill_stroke(p, &it->style);
    return EVM_OK;
}

static void paint_circle(painter_t *p, const evm_item_t *it)
{
    /* A circle centred off the guard box or wider than its margin is no
     * map symbol, and cairo would flatten it into a great many segments:
     * it is skipped like a non-finite one. */
    if (!evm_guard_inside(&p->guard, it->center) ||
        !(it->r_px > 0 && it->r_px <= p->margin_px))
        return;
    cairo_new_path(p->cr);
    cairo_arc(p->cr, it->center.x, it->center.y, it->r_px, 0, evm_tau);
    cairo_close_path(p->cr);
    fill_stroke(p, &it->style);
}

static evm_status paint_text_unlocked(painter_t *p, const evm_item_t *it)
{
    const evm_text_t *t = &it->text;
    evm_point_t at = {t->box.x, t->box.y};
    if (!t->utf8 || !t->utf8[0] || !evm_guard_inside(&p->guard, at) ||
        !(t->size_px > 0 && t->size_px <= EVM_PAINT_MAX_FONT_PX))
        return EVM_OK;
    /* Pango would print a warning and substitute the text. */
    if (!g_utf8_validate(t->utf8, -1, NULL))
        return evm_error_set(p->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "item %s: the label is not valid UTF-8", it->id);
    cairo_t *cr = p->cr;
    if (!p->pc)
        p->pc = p->share ? evm_paint_text_context_on(cr, p->share->font_map)
                         : evm_paint_text_context(cr);
    const char *family =
        t->font_family && t->font_family[0] ? t->font_family : "sans-serif";
    PangoLayout *layout =
        evm_text_layout_new(p->pc, t->utf8, family, t->size_px, t->weight);
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    /* The logical rectangle's corner, not the layout origin, goes to the
     * box corner; the two differ for some scripts and fonts. */
    double x = at.x - (double)logical.x / PANGO_SCALE;
    double y = at.y - (double)logical.y / PANGO_SCALE;
    evm_point_t far = {at.x + (double)logical.width / PANGO_SCALE,
                       at.y + (double)logical.height / PANGO_SCALE};
    if (!evm_guard_inside(&p->guard, far)) {
        g_object_unref(layout);
        return EVM_OK; /* a label reaching past the guard box is absurd */
    }
    cairo_new_path(cr);
    if (t->halo_px > 0 && t->halo_px <= p->margin_px / 32 &&
        set_color(cr, &t->halo)) {
        cairo_move_to(cr, x, y);
        pango_cairo_layout_path(cr, layout);
        cairo_set_line_width(cr, 2 * t->halo_px);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_stroke(cr);
    }
    if (set_color(cr, &t->color)) {
        cairo_move_to(cr, x, y);
        pango_cairo_show_layout(cr, layout);
    }
    cairo_new_path(cr);
    g_object_unref(layout);
    return EVM_OK;
}

/* Painters of bands on several threads share one font map, which Pango
 * does not lock: its uses take turns. */
static evm_status paint_text(painter_t *p, const evm_item_t *it)
{
    /* Off the band: the glyphs stay within an em of the measured box
     * (accents, overhangs), the halo within its width of them. */
    const evm_text_t *t = &it->text;
    double reach = fabs(t->size_px) + fabs(t->halo_px) + 2;
    if (isfinite(reach) &&
        !meets_visible(p, t->box.x, t->box.y, t->box.x + t->box.w,
                       t->box.y + t->box.h, reach))
        return EVM_OK;
    if (!p->share)
        return paint_text_unlocked(p, it);
    pthread_mutex_lock(&p->share->lock);
    evm_status st = paint_text_unlocked(p, it);
    pthread_mutex_unlock(&p->share->lock);
    return st;
}

static evm_status paint_item(painter_t *p, const evm_item_t *it)
{
    switch (it->kind) {
    case EVM_ITEM_PATH:
        return paint_path(p, it);
    case EVM_ITEM_CIRCLE:
        paint_circle(p, it);
        return EVM_OK;
    case EVM_ITEM_TEXT:
        return paint_text(p, it);
    }
    return evm_error_set(p->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                         "item %s has an unknown kind %d", it->id,
                         (int)it->kind);
}

static evm_status paint_layer(painter_t *p, const evm_layer_t *layer)
{
    if (layer->n_items == 0)
        return EVM_OK;
    cairo_t *cr = p->cr;
    if (layer->clip_to_frame) {
        /* Clip to the frame's part inside the guard box, so an absurd
         * frame cannot carry absurd coordinates into cairo either. */
        const evm_rect_t *f = &p->scene->frame, *g = &p->guard;
        double x0 = fmax(f->x, g->x), y0 = fmax(f->y, g->y);
        double x1 = fmin(f->x + f->w, g->x + g->w);
        double y1 = fmin(f->y + f->h, g->y + g->h);
        if (!(x1 > x0 && y1 > y0))
            return EVM_OK; /* an empty frame shows nothing */
        cairo_save(cr);
        cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
        cairo_clip(cr);
    }
    evm_status st = EVM_OK;
    for (size_t i = 0; i < layer->n_items && st == EVM_OK; i++) {
        const evm_item_t *it = &layer->items[i];
        st = paint_item(p, it);
        cairo_status_t cs = cairo_status(cr);
        if (st == EVM_OK && cs != CAIRO_STATUS_SUCCESS) {
            char what[96];
            snprintf(what, sizeof what, "painting item %.64s", it->id);
            st = evm_paint_cairo_error(p->err, cs, what);
        }
    }
    if (layer->clip_to_frame)
        cairo_restore(cr);
    return st;
}

evm_status evm_paint_scene(cairo_t *cr, const evm_scene_t *scene,
                           evm_error_t *err)
{
    return evm_paint_scene_shared(cr, scene, NULL, err);
}

evm_status evm_paint_scene_shared(cairo_t *cr, const evm_scene_t *scene,
                                  evm_paint_text_share_t *share,
                                  evm_error_t *err)
{
    painter_t p = {.cr = cr, .scene = scene, .share = share, .err = err};
    /* The margin is fixed in device units: on a PDF at a low dpi a page
     * px is many points, and cairo's fixed-point range is in points. */
    double kx = 1, ky = 0;
    cairo_user_to_device_distance(cr, &kx, &ky);
    p.margin_px = EVM_GUARD_MARGIN / fmax(1, hypot(kx, ky));
    p.guard = evm_guard_box(scene->width_px, scene->height_px, p.margin_px);
    double cx0, cy0, cx1, cy1;
    cairo_clip_extents(cr, &cx0, &cy0, &cx1, &cy1);
    p.visible = (evm_rect_t){cx0, cy0, cx1 - cx0, cy1 - cy0};
    cairo_save(cr);
    /* Rings with holes come in either orientation from the base map
     * data; even-odd makes every hole a hole regardless. */
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    if (set_color(cr, &scene->background))
        cairo_paint(cr);
    evm_status st = EVM_OK;
    for (int i = 0; i < EVM_LAYER_COUNT && st == EVM_OK; i++)
        st = paint_layer(&p, &scene->layers[i]);
    cairo_restore(cr);
    if (p.pc && share) {
        pthread_mutex_lock(&share->lock);
        g_object_unref(p.pc);
        pthread_mutex_unlock(&share->lock);
    } else if (p.pc) {
        g_object_unref(p.pc);
    }
    evm_guard_scratch_free(&p.scratch);
    cairo_status_t cs = cairo_status(cr);
    if (st == EVM_OK && cs != CAIRO_STATUS_SUCCESS)
        st = evm_paint_cairo_error(err, cs, "painting the scene");
    return st;
}
