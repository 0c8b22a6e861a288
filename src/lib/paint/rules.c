/* What every backend paints: the rules by which the cairo painter, the
 * PDF writer and the SVG writer skip items, treat colours and dashes, and
 * place labels, so that one scene gives one picture in every format. */
#include "paint/paint.h"

#include <math.h>

#include "core/error.h"
#include "paint/guard.h"
#include "text/text.h"

bool evm_paint_color_shows(const evm_rgba_t *c)
{
    return isfinite(c->r) && isfinite(c->g) && isfinite(c->b) && c->a > 0 &&
           isfinite(c->a);
}

bool evm_paint_stroke_shows(const evm_style_t *st)
{
    return st->stroke_px > 0 && isfinite(st->stroke_px) &&
           evm_paint_color_shows(&st->stroke);
}

double evm_paint_stroke_width(const evm_style_t *st, double margin_px)
{
    return fmin(st->stroke_px, margin_px / 16);
}

size_t evm_paint_dash_count(const evm_style_t *st)
{
    size_t n = st->n_dash < EVM_DASH_MAX ? st->n_dash : EVM_DASH_MAX;
    double period = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(st->dash_px[i] >= 0 && isfinite(st->dash_px[i])))
            return 0;
        period += st->dash_px[i];
    }
    return period > 0 && isfinite(period) ? n : 0;
}

bool evm_paint_circle_shows(const evm_item_t *it, const evm_rect_t *guard,
                            double margin_px)
{
    return evm_guard_inside(guard, it->center) && it->r_px > 0 &&
           it->r_px <= margin_px;
}

bool evm_paint_text_shows(const evm_text_t *t, const evm_rect_t *guard)
{
    evm_point_t at = {t->box.x, t->box.y};
    return t->utf8 && t->utf8[0] && evm_guard_inside(guard, at) &&
           t->size_px > 0 && t->size_px <= EVM_PAINT_MAX_FONT_PX;
}

double evm_paint_text_angle(const evm_text_t *t)
{
    return isfinite(t->angle_rad) ? fmod(t->angle_rad, 6.283185307179586) : 0;
}

double evm_paint_text_reach(const evm_text_t *t)
{
    /* The glyphs stay within an em of the measured box (accents,
     * overhangs), the halo within its width of them; turned about its
     * centre, a label stays within half its diagonal more. */
    double reach = fabs(t->size_px) + fabs(t->halo_px) + 2;
    if (evm_paint_text_angle(t) != 0)
        reach += hypot(t->box.w, t->box.h) / 2;
    return reach;
}

bool evm_paint_halo_shows(const evm_text_t *t, double margin_px)
{
    return t->halo_px > 0 && t->halo_px <= margin_px / 32 &&
           evm_paint_color_shows(&t->halo);
}

const char *evm_paint_font_family(const evm_text_t *t)
{
    return t->font_family && t->font_family[0] ? t->font_family : "sans-serif";
}

PangoLayout *evm_paint_label_layout(PangoContext *pc, const evm_text_t *t,
                                    const evm_rect_t *guard, double *x,
                                    double *y)
{
    PangoLayout *layout =
        evm_text_layout_new_styled(pc, t->utf8, evm_paint_font_family(t),
                                   t->size_px, t->weight, t->italic);
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    *x = t->box.x - (double)logical.x / PANGO_SCALE;
    *y = t->box.y - (double)logical.y / PANGO_SCALE;
    evm_point_t far = {t->box.x + (double)logical.width / PANGO_SCALE,
                       t->box.y + (double)logical.height / PANGO_SCALE};
    if (!evm_guard_inside(guard, far)) {
        g_object_unref(layout);
        return NULL;
    }
    return layout;
}

bool evm_paint_label_run(PangoContext *pc, const evm_text_t *t,
                         const evm_rect_t *guard, evm_text_run_t *run,
                         double *x, double *y, bool *skip)
{
    *skip = false;
    if (!evm_text_run_shape(pc, t->utf8, evm_paint_font_family(t), t->size_px,
                            t->weight, t->italic, run))
        return false;
    /* A layout's logical rectangle of one line starts at (0, 0). */
    *x = t->box.x;
    *y = t->box.y;
    evm_point_t far = {t->box.x + (double)run->logical.width / PANGO_SCALE,
                       t->box.y + (double)run->logical.height / PANGO_SCALE};
    if (!evm_guard_inside(guard, far)) {
        evm_text_run_free(run);
        *skip = true;
        return false;
    }
    return true;
}

bool evm_paint_frame_clip(const evm_scene_t *scene, const evm_rect_t *guard,
                          evm_rect_t *out)
{
    const evm_rect_t *f = &scene->frame, *g = guard;
    double x0 = fmax(f->x, g->x), y0 = fmax(f->y, g->y);
    double x1 = fmin(f->x + f->w, g->x + g->w);
    double y1 = fmin(f->y + f->h, g->y + g->h);
    if (!(x1 > x0 && y1 > y0))
        return false;
    *out = (evm_rect_t){x0, y0, x1 - x0, y1 - y0};
    return true;
}

evm_status evm_paint_subpath(const evm_item_t *it, size_t k,
                             const evm_point_t **pts, size_t *n,
                             evm_error_t *err)
{
    const evm_path_t *path = &it->path;
    size_t start = path->sub_start[k];
    size_t end = k + 1 < path->n_subs ? path->sub_start[k + 1] : path->n_pts;
    if (start > end || end > path->n_pts)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "item %s: malformed path", it->id);
    *pts = path->pts + start;
    *n = end - start;
    return EVM_OK;
}

evm_status evm_paint_emit_path(const evm_guard_pen_t *pen,
                               evm_guard_scratch_t *s, const evm_rect_t *guard,
                               const evm_item_t *it, bool *drawn,
                               evm_error_t *err)
{
    *drawn = false;
    for (size_t k = 0; k < it->path.n_subs; k++) {
        const evm_point_t *pts = NULL; /* set when st is EVM_OK */
        size_t n = 0;
        evm_status st = evm_paint_subpath(it, k, &pts, &n, err);
        if (st != EVM_OK)
            return st;
        int r = evm_guard_emit(pen, s, guard, pts, n, it->path.sub_closed[k],
                               evm_guard_all_inside(guard, pts, n));
        if (r < 0)
            return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory clipping item %s", it->id);
        *drawn |= r > 0;
    }
    return EVM_OK;
}

evm_status evm_paint_check_label(const evm_item_t *it, evm_error_t *err)
{
    if (it->text.utf8 && !g_utf8_validate(it->text.utf8, -1, NULL))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "item %s: the label is not valid UTF-8", it->id);
    return EVM_OK;
}

evm_status evm_paint_unknown_kind(const evm_item_t *it, evm_error_t *err)
{
    return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                         "item %s has an unknown kind %d", it->id,
                         (int)it->kind);
}
