/* Arrowheads on route legs: filled triangles in the line's colour, sized
 * by its width. One marks the end of each leg, its tip on the leg's last
 * point and its axis along the last drawn segment; long legs get more at
 * regular intervals of drawn length, each pointing along the line there.
 * None comes near either end of a leg, where the end arrowhead of this
 * leg or of the one before already is, so a joint never has two. Each
 * arrowhead's box is an obstacle for labels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "map/layout_internal.h"

/* Length and half-width in line widths, with a floor for thin lines. */
static const double ARROW_LEN = 5.5, ARROW_HALF = 2.5, ARROW_MIN_LEN_PT = 6;
/* Interval arrowheads: about this far apart along the drawn line, and at
 * least CLEAR_PT from either end of the leg. */
static const double SPACING_PT = 135, CLEAR_PT = 45;

typedef struct arrow {
    evm_point_t tip, dir; /* dir: unit vector the arrowhead points along */
} arrow_t;

/* A point along a path by drawn length, and where it is. */
typedef struct along {
    evm_point_t pt, dir;
    double from_sub_start; /* drawn length from its subpath's start */
} along_t;

static double seg_len(evm_point_t a, evm_point_t b)
{
    return hypot(b.x - a.x, b.y - a.y);
}

/* The point at drawn length s within subpath k (s in [0, its length]). */
static bool along_sub(const evm_path_t *p, size_t k, double s, along_t *out)
{
    size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
    double run = 0;
    for (size_t i = a + 1; i < a + n; i++) {
        evm_point_t u = p->pts[i - 1], v = p->pts[i];
        double len = seg_len(u, v);
        if (len <= 0 || run + len < s) {
            run += len;
            continue;
        }
        double t = (s - run) / len;
        out->pt = (evm_point_t){u.x + t * (v.x - u.x), u.y + t * (v.y - u.y)};
        out->dir = (evm_point_t){(v.x - u.x) / len, (v.y - u.y) / len};
        out->from_sub_start = s;
        return true;
    }
    return false;
}

/* The point at drawn length s along the whole path (the gaps between
 * subpaths count nothing). */
static bool along_path(const evm_path_t *p, double s, along_t *out)
{
    double run = 0;
    for (size_t k = 0; k < p->n_subs; k++) {
        double len = evm_path_sub_length(p, k);
        if (run + len >= s)
            return along_sub(p, k, s - run, out);
        run += len;
    }
    return false;
}

static bool in_rect(evm_point_t p, evm_rect_t r)
{
    return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
}

/* The triangle: tip first, then the two corners of the base. */
static void triangle(arrow_t a, double len, double half, evm_point_t out[3])
{
    evm_point_t base = {a.tip.x - len * a.dir.x, a.tip.y - len * a.dir.y};
    evm_point_t nrm = {-a.dir.y, a.dir.x};
    out[0] = a.tip;
    out[1] = (evm_point_t){base.x + half * nrm.x, base.y + half * nrm.y};
    out[2] = (evm_point_t){base.x - half * nrm.x, base.y - half * nrm.y};
}

/* The end arrowhead, when the line ends on the leg's last point inside
 * the frame (not where the frame or the cut clips it). Its tip stops at
 * the edge of the marker there (and of any other under it), on the line,
 * so that it points at the marker rather than hiding in it; a leg too
 * short to leave room for the arrowhead outside the markers gets none. */
static bool end_arrow(evm_layout_t *L, const evm_path_t *p, evm_point_t end,
                      double len, arrow_t *out)
{
    if (p->n_subs == 0)
        return false;
    size_t k = p->n_subs - 1, a = p->sub_start[k];
    size_t last = a + evm_path_sub_len(p, k) - 1;
    evm_point_t tip = p->pts[last];
    if (!(tip.x == end.x && tip.y == end.y) || !in_rect(tip, L->scene->frame))
        return false;
    /* Back along the line by half pixels until out of every marker. */
    const double step = 0.5;
    double total = evm_path_sub_length(p, k);
    for (double s = total; s >= len; s -= step) {
        along_t at;
        if (!along_sub(p, k, s, &at))
            continue;
        if (s < total && evm_layout_in_marker(L, at.pt))
            continue;
        if (s == total && evm_layout_in_marker(L, tip))
            continue;
        out->tip = s == total ? tip : at.pt;
        out->dir = at.dir;
        return true;
    }
    return false;
}

static bool clear_of(evm_point_t p, evm_point_t end, double clear)
{
    /* A NaN end (not representable) is nowhere near. */
    return !(seg_len(p, end) < clear);
}

/* Arrowheads at regular intervals of drawn length, into out (room for
 * floor(total / spacing) of them); returns how many. */
static size_t interval_arrows(evm_layout_t *L, const evm_path_t *p,
                              double total, evm_point_t start, evm_point_t end,
                              double len, double half, arrow_t *out)
{
    double spacing = SPACING_PT * L->pt_px, clear = CLEAR_PT * L->pt_px;
    size_t n = (size_t)floor(total / spacing), count = 0;
    for (size_t j = 1; j <= n; j++) {
        along_t at;
        if (!along_path(p, total * (double)j / (double)(n + 1), &at))
            continue;
        /* Not near an end of the leg (also where the line comes back
         * near its start), and with its body on the drawn line, not
         * across a break at the cut or the frame. */
        if (at.from_sub_start < len || !clear_of(at.pt, start, clear) ||
            !clear_of(at.pt, end, clear) || evm_layout_in_marker(L, at.pt))
            continue;
        arrow_t a = {at.pt, at.dir};
        evm_point_t tri[3];
        triangle(a, len, half, tri);
        bool inside = true;
        for (int i = 0; i < 3; i++)
            inside = inside && in_rect(tri[i], L->scene->frame);
        if (inside)
            out[count++] = a;
    }
    return count;
}

static evm_status add_arrow(evm_layout_t *L, const char *id, size_t n,
                            const evm_route_leg_t *leg, evm_rgba_t color,
                            arrow_t a, double len, double half)
{
    char arrow_id[96], num[32];
    snprintf(arrow_id, sizeof arrow_id, "%s-arrow-%zu", id, n);
    snprintf(num, sizeof num, "%zu", leg->leg);
    evm_point_t tri[3];
    triangle(a, len, half, tri);
    evm_item_t it = evm_layout_item(EVM_ITEM_PATH, arrow_id, "route-arrow");
    it.style.fill = color;
    it.style.join = EVM_JOIN_MITER;
    evm_item_t *dst = NULL;
    if (!evm_path_move_to(&it.path, tri[0].x, tri[0].y) &&
        !evm_path_line_to(&it.path, tri[1].x, tri[1].y) &&
        !evm_path_line_to(&it.path, tri[2].x, tri[2].y)) {
        evm_path_close(&it.path);
        dst = evm_scene_add(L->scene, EVM_LAYER_ROUTES, &it);
    }
    if (!dst)
        evm_path_free(&it.path);
    if (!dst || evm_item_add_data(dst, "route", leg->route ? leg->route : "") ||
        evm_item_add_data(dst, "leg", num) ||
        evm_item_add_data(dst, "mode",
                          evm_route_mode_name((evm_route_mode)leg->mode)))
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory drawing route arrowheads");
    double x0 = fmin(tri[0].x, fmin(tri[1].x, tri[2].x)),
           y0 = fmin(tri[0].y, fmin(tri[1].y, tri[2].y)),
           x1 = fmax(tri[0].x, fmax(tri[1].x, tri[2].x)),
           y1 = fmax(tri[0].y, fmax(tri[1].y, tri[2].y));
    return evm_layout_obstacle(L, (evm_rect_t){x0, y0, x1 - x0, y1 - y0});
}

evm_status evm_route_arrows(evm_layout_t *L, const char *id,
                            const evm_route_leg_t *leg, size_t item_index,
                            evm_point_t start, evm_point_t end)
{
    /* Found before any arrowhead is added: adding moves the items. */
    const evm_item_t *line =
        &L->scene->layers[EVM_LAYER_ROUTES].items[item_index];
    const evm_path_t *p = &line->path;
    evm_rgba_t color = line->style.stroke;
    double w = line->style.stroke_px;
    double len = fmax(ARROW_LEN * w, ARROW_MIN_LEN_PT * L->pt_px);
    double half = len * (ARROW_HALF / ARROW_LEN);
    double total = evm_path_length(p);
    size_t cap = (size_t)floor(total / (SPACING_PT * L->pt_px)) + 1;
    arrow_t *arrows = evm_alloc_array(cap, sizeof *arrows);
    if (!arrows)
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory drawing route arrowheads");
    size_t n = interval_arrows(L, p, total, start, end, len, half, arrows);
    if (end_arrow(L, p, end, len, &arrows[n]))
        n++;
    evm_status st = EVM_OK;
    for (size_t i = 0; i < n && !st; i++)
        st = add_arrow(L, id, i + 1, leg, color, arrows[i], len, half);
    free(arrows);
    return st;
}
