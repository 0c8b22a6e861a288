/* The horizon of a projection that shows only part of the globe (the
 * orthographic and other azimuthal perspectives): its outline on the
 * page, which the ocean fills, and the clipping of land to it, so that a
 * ring bridged across the far side never spills past the globe's edge.
 *
 * The outline is found on the page by bisection along 720 rays from the
 * centre of the projection's domain: a page point is on the globe when
 * it inverse-projects and projects back (evm_view_inverse). The visible
 * part of the globe in such a projection is convex (a disc, an ellipse),
 * so Sutherland-Hodgman against the outline clips any polygon. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "map/layout_internal.h"

#define HORIZON_RAYS 720

evm_status evm_horizon_outline(const evm_layout_t *L, evm_path_t *out)
{
    const evm_view_t *v = &L->view;
    const double *d = L->fit->domain;
    double cx = ((d[0] + d[2]) / 2 - v->x0) * v->scale;
    double cy = (v->y0 - (d[1] + d[3]) / 2) * v->scale;
    double lon, lat;
    if (!evm_view_inverse(v, cx, cy, &lon, &lat))
        return EVM_ERR_NOT_FOUND;
    double rmax = 0.51 * hypot(d[2] - d[0], d[3] - d[1]) * v->scale;
    for (int i = 0; i < HORIZON_RAYS; i++) {
        double a = 2 * 3.14159265358979323846 * i / HORIZON_RAYS;
        double dx = cos(a), dy = sin(a), lo = 0, hi = rmax;
        /* 40 halvings: far below a pixel. */
        for (int k = 0; k < 40; k++) {
            double r = (lo + hi) / 2;
            if (evm_view_inverse(v, cx + r * dx, cy + r * dy, &lon, &lat))
                lo = r;
            else
                hi = r;
        }
        int rc = i == 0 ? evm_path_move_to(out, cx + lo * dx, cy + lo * dy)
                        : evm_path_line_to(out, cx + lo * dx, cy + lo * dy);
        if (rc)
            return EVM_ERR_NOMEM;
    }
    evm_path_close(out);
    return EVM_OK;
}

evm_status evm_horizon_copy(const evm_path_t *outline, evm_path_t *out)
{
    for (size_t i = 0; i < outline->n_pts; i++)
        if ((i == 0 ? evm_path_move_to : evm_path_line_to)(
                out, outline->pts[i].x, outline->pts[i].y))
            return EVM_ERR_NOMEM;
    if (outline->n_pts)
        evm_path_close(out);
    return EVM_OK;
}

/* Which side of the directed edge a-b point p lies on (> 0: left). */
static double side(evm_point_t a, evm_point_t b, evm_point_t p)
{
    return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
}

static evm_point_t cross_at(evm_point_t a, evm_point_t b, evm_point_t p,
                            evm_point_t q)
{
    double sp = side(a, b, p), sq = side(a, b, q);
    double t = sp / (sp - sq);
    return (evm_point_t){p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
}

/* Clips one closed polygon against the convex polygon c (n_c points,
 * orientation sign `orient`), appending the result to out. */
static evm_status clip_one(const evm_point_t *in, size_t n,
                           const evm_point_t *c, size_t n_c, double orient,
                           evm_point_t **buf, size_t *cap, evm_path_t *out)
{
    /* Two buffers of at most n + n_c points each. */
    size_t need = 2 * (n + n_c + 1);
    if (need > *cap) {
        evm_point_t *nb = realloc(*buf, need * sizeof *nb);
        if (!nb)
            return EVM_ERR_NOMEM;
        *buf = nb;
        *cap = need;
    }
    evm_point_t *cur = *buf, *next = *buf + need / 2;
    size_t m = n;
    for (size_t i = 0; i < n; i++)
        cur[i] = in[i];
    for (size_t e = 0; e < n_c && m > 0; e++) {
        evm_point_t a = c[e], b = c[(e + 1) % n_c];
        size_t k = 0;
        for (size_t i = 0; i < m; i++) {
            evm_point_t p = cur[i], q = cur[(i + 1) % m];
            bool pin = orient * side(a, b, p) >= 0;
            bool qin = orient * side(a, b, q) >= 0;
            if (pin)
                next[k++] = p;
            if (pin != qin && k < need / 2)
                next[k++] = cross_at(a, b, p, q);
        }
        evm_point_t *t = cur;
        cur = next;
        next = t;
        m = k;
    }
    if (m < 3)
        return EVM_OK;
    if (evm_path_move_to(out, cur[0].x, cur[0].y))
        return EVM_ERR_NOMEM;
    for (size_t i = 1; i < m; i++)
        if (evm_path_line_to(out, cur[i].x, cur[i].y))
            return EVM_ERR_NOMEM;
    evm_path_close(out);
    return EVM_OK;
}

evm_status evm_horizon_clip(const evm_path_t *outline, evm_path_t *path)
{
    if (outline->n_subs == 0 || path->n_subs == 0)
        return EVM_OK;
    const evm_point_t *c = outline->pts;
    size_t n_c = outline->n_subs > 1 ? outline->sub_start[1] : outline->n_pts;
    double area = 0;
    for (size_t i = 0; i < n_c; i++) {
        evm_point_t a = c[i], b = c[(i + 1) % n_c];
        area += a.x * b.y - b.x * a.y;
    }
    double orient = area >= 0 ? 1 : -1;
    evm_path_t out = {0};
    evm_point_t *buf = NULL;
    size_t cap = 0;
    evm_status st = EVM_OK;
    for (size_t s = 0; s < path->n_subs && !st; s++) {
        size_t a = path->sub_start[s];
        size_t b = s + 1 < path->n_subs ? path->sub_start[s + 1] : path->n_pts;
        if (b - a >= 3)
            st = clip_one(path->pts + a, b - a, c, n_c, orient, &buf, &cap,
                          &out);
    }
    free(buf);
    if (st) {
        evm_path_free(&out);
        return st;
    }
    evm_path_free(path);
    *path = out;
    return EVM_OK;
}
