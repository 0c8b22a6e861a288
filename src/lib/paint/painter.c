/* The painter the cairo backends share: the background, then each layer
 * in paint order (clipped to the map frame when the layer asks), each
 * item filled then stroked, text shaped exactly as layout measured it.
 * The events layer follows its paint plan (plan.h): markers later ones
 * hide are left out, and markers of one style that share no pixel are
 * filled and stroked together.
 *
 * Nothing non-finite reaches cairo: such points, circles and labels are
 * skipped, as are colours and line widths cairo would reject, and geometry
 * far off the page is clipped first (see guard.h). */
#include "paint/paint.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "paint/guard.h"
#include "paint/plan.h"
#include "text/text.h"

static const double evm_tau = 6.283185307179586;

typedef struct painter {
    cairo_t *cr;
    const evm_scene_t *scene;
    evm_rect_t guard;
    double margin_px; /* of the guard box around the page */
    /* What the surface shows, px: a band of the page when bands are
     * painted separately. Subpaths wholly outside it are skipped. */
    evm_rect_t visible;
    /* Where the layer being painted is neither cut by the surface's edge
     * nor by its clip (see paint_batch). */
    evm_rect_t open;
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

PangoContext *evm_paint_text_context(PangoFontMap *font_map)
{
    /* The context layout measured with (evm_text_context_new), on
     * font_map: no matrix from the CTM (under the PDF scale of 72 / dpi
     * Pango's advances would come out some 1/1024 px different from
     * layout's, tested), and its font options rather than the context's
     * merged with the surface's, so that fonts and fontsets layout loaded
     * are found again rather than looked up anew. cairo still renders the
     * glyphs with the context's and the surface's options
     * (evm_text_prepare_cairo) and for the CTM it draws with. */
    return evm_text_context_on(font_map);
}

/* Sets c as the source; false when it would paint nothing. */
static bool set_color(cairo_t *cr, const evm_rgba_t *c)
{
    if (!evm_paint_color_shows(c))
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

/* Sets up the item's stroke; false when it has none. */
static bool set_stroke(const painter_t *p, const evm_style_t *st)
{
    cairo_t *cr = p->cr;
    if (!evm_paint_stroke_shows(st))
        return false;
    set_color(cr, &st->stroke);
    cairo_set_line_width(cr, evm_paint_stroke_width(st, p->margin_px));
    cairo_set_line_cap(cr, cap_of(st->cap));
    cairo_set_line_join(cr, join_of(st->join));
    size_t n_dash = evm_paint_dash_count(st);
    cairo_set_dash(cr, n_dash ? st->dash_px : NULL, (int)n_dash, 0);
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

static void pen_move_to(void *cr, evm_point_t p)
{
    cairo_move_to(cr, p.x, p.y);
}

static void pen_line_to(void *cr, evm_point_t p)
{
    cairo_line_to(cr, p.x, p.y);
}

static void pen_close_path(void *cr)
{
    cairo_close_path(cr);
}

/* How far a stroke of st reaches past its path: miters of cairo's
 * default limit (10) at most, a pixel of antialiasing beyond. */
static double path_reach(const painter_t *p, const evm_style_t *st)
{
    return st->stroke_px > 0 && isfinite(st->stroke_px)
               ? 5 * evm_paint_stroke_width(st, p->margin_px) + 2
               : 2;
}

/* Adds subpath k of path item it to the current path, clipped to the
 * guard box, unless it lies off the band; *drawn tells whether it added
 * anything, *whole whether the subpath was all inside the guard box. */
static evm_status append_subpath(painter_t *p, const evm_item_t *it, size_t k,
                                 double reach, bool *drawn, bool *whole)
{
    *drawn = false;
    const evm_point_t *pts;
    size_t n;
    evm_status st = evm_paint_subpath(it, k, &pts, &n, p->err);
    if (st != EVM_OK)
        return st;
    bool inside = true;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < n && inside; i++) {
        inside = evm_guard_inside(&p->guard, pts[i]);
        x0 = fmin(x0, pts[i].x);
        y0 = fmin(y0, pts[i].y);
        x1 = fmax(x1, pts[i].x);
        y1 = fmax(y1, pts[i].y);
    }
    *whole = inside;
    /* Off the band: a ring adds nothing to the winding number outside
     * its bounding box, and its stroke stays within reach of it. */
    if (n > 0 && inside && !meets_visible(p, x0, y0, x1, y1, reach))
        return EVM_OK;
    const evm_guard_pen_t pen = {pen_move_to, pen_line_to, pen_close_path,
                                 p->cr};
    int emitted = evm_guard_emit(&pen, &p->scratch, &p->guard, pts, n,
                                 it->path.sub_closed[k], inside);
    if (emitted < 0)
        return evm_error_set(p->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory clipping item %s", it->id);
    *drawn = emitted > 0;
    return EVM_OK;
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
    double reach = path_reach(p, &it->style);
    cairo_new_path(p->cr);
    for (size_t k = 0; k < path->n_subs; k++) {
        bool drawn, inside;
        evm_status st = append_subpath(p, it, k, reach, &drawn, &inside);
        if (st != EVM_OK) {
            cairo_new_path(p->cr);
            return st;
        }
        /* The pieces of a clipped open line are stroked with the next
         * subpath drawn. */
        if (drawn && stroke_each && (inside || path->sub_closed[k]))
            fill_stroke(p, &it->style);
    }
    /* The whole path; or, stroking subpath by subpath, what is still
     * pending: the pieces of a clipped open line that came last. */
    fill_stroke(p, &it->style);
    return EVM_OK;
}

/* Adds circle item it to the current path as a subpath of its own,
 * unless it is not drawn or lies off the band. */
static void append_circle(painter_t *p, const evm_item_t *it)
{
    if (!evm_paint_circle_shows(it, &p->guard, p->margin_px))
        return;
    /* Off the band (a stroke reaches half its width, antialiasing a
     * pixel more). */
    double reach = it->style.stroke_px > 0 && isfinite(it->style.stroke_px)
                       ? evm_paint_stroke_width(&it->style, p->margin_px) + 2
                       : 2;
    double x = it->center.x, y = it->center.y, r = it->r_px;
    if (!meets_visible(p, x - r, y - r, x + r, y + r, reach))
        return;
    /* Without it cairo_arc would join the circle to the subpath before. */
    cairo_new_sub_path(p->cr);
    cairo_arc(p->cr, x, y, r, 0, evm_tau);
    cairo_close_path(p->cr);
}

static void paint_circle(painter_t *p, const evm_item_t *it)
{
    cairo_new_path(p->cr);
    append_circle(p, it);
    fill_stroke(p, &it->style);
}

/* Whether box b meets the surface, and whether it lies wholly on it. */
static bool box_meets(const painter_t *p, const evm_paint_box_t *b)
{
    return meets_visible(p, b->x0, b->y0, b->x1, b->y1, 0);
}

static bool box_within(const painter_t *p, const evm_paint_box_t *b)
{
    const evm_rect_t *v = &p->open;
    return b->x0 >= v->x && b->x1 <= v->x + v->w && b->y0 >= v->y &&
           b->y1 <= v->y + v->h;
}

/* Adds batched item it (a circle or a path of one ring) to the path. */
static evm_status append_marker(painter_t *p, const evm_item_t *it,
                                double reach)
{
    if (it->kind == EVM_ITEM_CIRCLE) {
        append_circle(p, it);
        return EVM_OK;
    }
    bool drawn, inside;
    return append_subpath(p, it, 0, reach, &drawn, &inside);
}

/* Entries [from, to) of the plan, markers of one style that share no
 * pixel, as one path filled once and stroked once: the same pixels as
 * one by one. Those cut by the edge of the surface (a band's) or by the
 * layer's clip are painted one by one after: cairo clips a path that
 * reaches past the surface before it rasterises it, and composites a
 * path the clip cuts through a mask, either of which moves the odd
 * pixel of every marker on the path by a shade. Those off the surface
 * are not painted. */
static evm_status paint_batch(painter_t *p, const evm_layer_t *layer,
                              const evm_paint_plan_t *plan, size_t from,
                              size_t to)
{
    const evm_style_t *style = &layer->items[plan->order[from]].style;
    double reach = path_reach(p, style);
    size_t n_edge = 0;
    cairo_new_path(p->cr);
    for (size_t k = from; k < to; k++) {
        const evm_paint_box_t *b = &plan->box[k];
        if (!box_meets(p, b))
            continue;
        if (!box_within(p, b)) {
            n_edge++;
            continue;
        }
        evm_status st = append_marker(p, &layer->items[plan->order[k]], reach);
        if (st != EVM_OK) {
            cairo_new_path(p->cr);
            return st;
        }
    }
    fill_stroke(p, style);
    for (size_t k = from; k < to && n_edge; k++) {
        const evm_paint_box_t *b = &plan->box[k];
        if (!box_meets(p, b) || box_within(p, b))
            continue;
        n_edge--;
        evm_status st = append_marker(p, &layer->items[plan->order[k]], reach);
        if (st != EVM_OK) {
            cairo_new_path(p->cr);
            return st;
        }
        fill_stroke(p, style);
    }
    return EVM_OK;
}

/* Painters of bands on several threads share one font map, which Pango
 * does not lock: each use of a Pango object takes turns. A label of one
 * run takes its turn only to be shaped: its glyphs and cairo font are
 * then drawn and its halo stroked with cairo alone (cairo's scaled fonts
 * lock themselves; the path and the surface are this band's own), while
 * the other band shapes. Other labels keep the lock while Pango draws
 * them, but for stroking the halo, most of a label's cost. */
static void text_lock(painter_t *p)
{
    if (p->share)
        pthread_mutex_lock(&p->share->lock);
}

static void text_unlock(painter_t *p)
{
    if (p->share)
        pthread_mutex_unlock(&p->share->lock);
}

static void stroke_halo(cairo_t *cr, const evm_text_t *t)
{
    set_color(cr, &t->halo);
    cairo_set_line_width(cr, 2 * t->halo_px);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_dash(cr, NULL, 0, 0);
    /* A halo is a soft blur round the glyphs: flattening its curves to a
     * third of a pixel instead of cairo's tenth cannot be seen, and
     * halves the segments its round joins are stroked along. */
    double tolerance = cairo_get_tolerance(cr);
    cairo_set_tolerance(cr, fmax(tolerance, 0.3));
    cairo_stroke(cr);
    cairo_set_tolerance(cr, tolerance);
}

/* A label ready to draw at (x, y): as its glyphs, drawn without the
 * font lock; or, when one of its characters has no glyph (Pango draws a
 * box for it) or the surface keeps text, as its run or its layout, drawn
 * holding the lock (locked). */
typedef struct label_ink {
    evm_text_glyphs_t glyphs;
    evm_text_run_t run;
    PangoLayout *layout;
    bool as_glyphs, as_run, locked;
    double x, y;
} label_ink_t;

/* Shapes t for drawing; false when there is nothing to draw. Takes the
 * font lock and keeps it only for a run or a layout. */
static bool label_shape(painter_t *p, const evm_text_t *t, label_ink_t *ink)
{
    *ink = (label_ink_t){.locked = true};
    cairo_t *cr = p->cr;
    text_lock(p);
    if (!p->pc)
        p->pc = evm_paint_text_context(
            p->share ? p->share->font_map : pango_cairo_font_map_get_default());
    /* A label of one run is drawn as its glyphs, with the numbers a
     * layout would give; surfaces that keep the text get a layout. */
    bool skip = false;
    ink->as_run = !cairo_surface_has_show_text_glyphs(cairo_get_target(cr)) &&
                  evm_paint_label_run(p->pc, t, &p->guard, &ink->run, &ink->x,
                                      &ink->y, &skip);
    ink->layout =
        ink->as_run || skip
            ? NULL
            : evm_paint_label_layout(p->pc, t, &p->guard, &ink->x, &ink->y);
    ink->as_glyphs =
        ink->as_run && evm_text_run_glyphs(&ink->run, &ink->glyphs);
    if (ink->as_glyphs) {
        evm_text_run_free(&ink->run);
        ink->as_run = false;
    }
    if (ink->as_glyphs || (!ink->as_run && !ink->layout)) {
        ink->locked = false;
        text_unlock(p);
    }
    return ink->as_glyphs || ink->as_run || ink->layout;
}

/* Adds the label's outlines to the path, or shows it, from (x, y). */
static void label_draw(painter_t *p, label_ink_t *ink, bool outline)
{
    cairo_t *cr = p->cr;
    cairo_move_to(cr, ink->x, ink->y);
    if (ink->as_glyphs)
        (outline ? evm_text_glyphs_path : evm_text_glyphs_show)(cr,
                                                                &ink->glyphs);
    else if (ink->as_run)
        (outline ? evm_text_run_path : evm_text_run_show)(cr, &ink->run);
    else
        (outline ? pango_cairo_layout_path
                 : pango_cairo_show_layout)(cr, ink->layout);
}

/* Frees what label_shape made and gives the lock back if it kept it. */
static void label_free(painter_t *p, label_ink_t *ink)
{
    if (ink->as_glyphs)
        evm_text_glyphs_free(&ink->glyphs);
    if (ink->as_run)
        evm_text_run_free(&ink->run);
    if (ink->layout)
        g_object_unref(ink->layout);
    if (ink->locked)
        text_unlock(p);
}

static evm_status paint_text(painter_t *p, const evm_item_t *it)
{
    /* Off the band: nothing of it is painted here. */
    const evm_text_t *t = &it->text;
    double reach = evm_paint_text_reach(t);
    if (isfinite(reach) &&
        !meets_visible(p, t->box.x, t->box.y, t->box.x + t->box.w,
                       t->box.y + t->box.h, reach))
        return EVM_OK;
    if (!evm_paint_text_shows(t, &p->guard))
        return EVM_OK;
    evm_status st = evm_paint_check_label(it, p->err);
    if (st != EVM_OK)
        return st;
    cairo_t *cr = p->cr;
    label_ink_t ink;
    if (!label_shape(p, t, &ink))
        return EVM_OK;
    cairo_new_path(cr);
    double angle = evm_paint_text_angle(t);
    if (angle != 0) {
        double cx = t->box.x + t->box.w / 2, cy = t->box.y + t->box.h / 2;
        cairo_save(cr);
        cairo_translate(cr, cx, cy);
        cairo_rotate(cr, angle);
        cairo_translate(cr, -cx, -cy);
    }
    if (evm_paint_halo_shows(t, p->margin_px)) {
        label_draw(p, &ink, true);
        if (ink.locked)
            text_unlock(p);
        stroke_halo(cr, t);
        if (ink.locked)
            text_lock(p);
    }
    if (set_color(cr, &t->color))
        label_draw(p, &ink, false);
    label_free(p, &ink);
    cairo_new_path(cr);
    if (angle != 0)
        cairo_restore(cr);
    return EVM_OK;
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
    return evm_paint_unknown_kind(it, p->err);
}

/* A cairo failure after painting items idx[0 .. n) of layer. */
static evm_status check_cairo(painter_t *p, const evm_layer_t *layer,
                              const size_t *idx, size_t n)
{
    cairo_status_t cs = cairo_status(p->cr);
    if (cs == CAIRO_STATUS_SUCCESS)
        return EVM_OK;
    char what[112];
    snprintf(what, sizeof what, "painting item %.64s%s",
             layer->items[idx[0]].id, n > 1 ? " and the markers with it" : "");
    return evm_paint_cairo_error(p->err, cs, what);
}

static evm_status paint_items(painter_t *p, const evm_layer_t *layer)
{
    evm_status st = EVM_OK;
    evm_paint_plan_t own = {0};
    const evm_paint_plan_t *plan = NULL;
    if (layer->id == EVM_LAYER_EVENTS) {
        if (p->share && p->share->events_plan)
            plan = p->share->events_plan;
        else if (evm_paint_plan_layer(&own, p->scene, layer, p->margin_px))
            plan = &own;
    }
    if (!plan) {
        for (size_t i = 0; i < layer->n_items && st == EVM_OK; i++) {
            st = paint_item(p, &layer->items[i]);
            if (st == EVM_OK)
                st = check_cairo(p, layer, &i, 1);
        }
        return st;
    }
    for (size_t b = 0, from = 0; b < plan->n_batches && st == EVM_OK; b++) {
        size_t to = plan->end[b];
        if (to - from > 1)
            st = paint_batch(p, layer, plan, from, to);
        else if (box_meets(p, &plan->box[from]))
            st = paint_item(p, &layer->items[plan->order[from]]);
        if (st == EVM_OK)
            st = check_cairo(p, layer, plan->order + from, to - from);
        from = to;
    }
    evm_paint_plan_free(&own);
    return st;
}

static evm_status paint_layer(painter_t *p, const evm_layer_t *layer)
{
    if (layer->n_items == 0)
        return EVM_OK;
    cairo_t *cr = p->cr;
    evm_rect_t clip;
    if (layer->clip_to_frame) {
        if (!evm_paint_frame_clip(p->scene, &p->guard, &clip))
            return EVM_OK;
        cairo_save(cr);
        cairo_rectangle(cr, clip.x, clip.y, clip.w, clip.h);
        cairo_clip(cr);
    }
    p->open = p->visible;
    if (layer->clip_to_frame) {
        double x0 = fmax(p->open.x, clip.x), y0 = fmax(p->open.y, clip.y);
        double x1 = fmin(p->open.x + p->open.w, clip.x + clip.w);
        double y1 = fmin(p->open.y + p->open.h, clip.y + clip.h);
        p->open = (evm_rect_t){x0, y0, fmax(0, x1 - x0), fmax(0, y1 - y0)};
    }
    evm_status st = paint_items(p, layer);
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
