/* Clipping to axis-aligned rectangles: polygons with Sutherland-Hodgman,
 * segments with Liang-Barsky. The same code clips unwrapped lon/lat
 * against the view's box (which is also how geometry is cut at the
 * antimeridian) and page points against the clip rectangle (so that no
 * coordinate millions of pixels away reaches a backend). */
#include "geo/view_internal.h"

evm_box_t evm_box_of(const evm_point_t *p, size_t n)
{
    evm_box_t b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++)
        if (!evm_is_break(p[i])) /* NaN: no part of any box */
            evm_box_add(&b, p[i].x, p[i].y);
    return b;
}

double evm_polygon_area(const evm_point_t *p, size_t n)
{
    if (n < 3)
        return 0;
    /* Relative to the first point, which keeps the products small. */
    double a = 0;
    for (size_t i = 1; i + 1 < n; i++)
        a += (p[i].x - p[0].x) * (p[i + 1].y - p[0].y) -
             (p[i + 1].x - p[0].x) * (p[i].y - p[0].y);
    return a / 2;
}

/* One Sutherland-Hodgman pass against the half-plane coordinate `axis`
 * (0: x, 1: y) >= v (keep_above) or <= v. */
static int clip_pass(const evm_point_t *in, size_t n, int axis, double v,
                     bool keep_above, evm_ptbuf_t *out)
{
    out->n = 0;
    if (n == 0)
        return 0;
    /* Each input vertex yields at most two output vertices. */
    if (evm_ptbuf_reserve(out, 2 * n))
        return -1;
    evm_point_t *o = out->pts;
    size_t k = 0;
    evm_point_t prev = in[n - 1];
    double pv = axis ? prev.y : prev.x;
    bool prev_in = keep_above ? pv >= v : pv <= v;
    for (size_t i = 0; i < n; i++) {
        evm_point_t cur = in[i];
        double cv = axis ? cur.y : cur.x;
        bool cur_in = keep_above ? cv >= v : cv <= v;
        if (cur_in != prev_in) {
            /* Always interpolate from prev to cur, so that the same edge
             * clipped by two boxes sharing this line (the cut) gives the
             * same point to the last bit. */
            double t = (v - pv) / (cv - pv);
            if (axis)
                o[k++] = (evm_point_t){prev.x + t * (cur.x - prev.x), v};
            else
                o[k++] = (evm_point_t){v, prev.y + t * (cur.y - prev.y)};
        }
        if (cur_in)
            o[k++] = cur;
        prev = cur;
        pv = cv;
        prev_in = cur_in;
    }
    out->n = k;
    return 0;
}

int evm_clip_polygon(const evm_point_t *in, size_t n, evm_box_t box,
                     evm_ptbuf_t *out, evm_ptbuf_t *tmp)
{
    out->n = 0;
    if (n == 0)
        return 0;
    evm_box_t bb = evm_box_of(in, n);
    if (bb.x1 < box.x0 || bb.x0 > box.x1 || bb.y1 < box.y0 || bb.y0 > box.y1)
        return 0;
    /* Passes whose edge the polygon does not cross are skipped; the
     * passes alternate between out and tmp and the last lands in out. */
    struct {
        int axis;
        double v;
        bool above;
        bool needed;
    } pass[4] = {{0, box.x0, true, bb.x0 < box.x0},
                 {0, box.x1, false, bb.x1 > box.x1},
                 {1, box.y0, true, bb.y0 < box.y0},
                 {1, box.y1, false, bb.y1 > box.y1}};
    const evm_point_t *src = in;
    size_t src_n = n;
    evm_ptbuf_t *bufs[2] = {out, tmp};
    int w = 0, last = -1;
    for (int i = 0; i < 4 && src_n > 0; i++) {
        if (!pass[i].needed)
            continue;
        if (clip_pass(src, src_n, pass[i].axis, pass[i].v, pass[i].above,
                      bufs[w]))
            return -1;
        src = bufs[w]->pts;
        src_n = bufs[w]->n;
        last = w;
        w ^= 1;
    }
    if (last < 0) {
        /* Inside the box: a copy. */
        if (evm_ptbuf_reserve(out, n))
            return -1;
        for (size_t i = 0; i < n; i++)
            out->pts[i] = in[i];
        out->n = n;
    } else if (last == 1) {
        /* The result is in tmp: trade the buffers. */
        evm_ptbuf_t t = *out;
        *out = *tmp;
        *tmp = t;
    }
    return 0;
}

evm_status evm_clip_ring_to_rect(const evm_point_t *in, size_t n,
                                 evm_rect_t rect, evm_path_t *out)
{
    if (n < 3)
        return EVM_OK;
    evm_box_t box = {rect.x, rect.y, rect.x + rect.w, rect.y + rect.h};
    evm_ptbuf_t res = {0}, tmp = {0};
    evm_status st = EVM_OK;
    if (evm_clip_polygon(in, n, box, &res, &tmp)) {
        st = EVM_ERR_NOMEM;
        goto cleanup;
    }
    /* A polygon that only wraps round the rectangle leaves edges along
     * its border with no area: nothing to draw. */
    if (res.n < 3 || fabs(evm_polygon_area(res.pts, res.n)) <=
                         1e-12 * fmax(1.0, rect.w * rect.h))
        goto cleanup;
    if ((st = evm_path_move_to(out, res.pts[0].x, res.pts[0].y)))
        goto cleanup;
    for (size_t i = 1; i < res.n; i++)
        if ((st = evm_path_line_to(out, res.pts[i].x, res.pts[i].y)))
            goto cleanup;
    evm_path_close(out);
cleanup:
    evm_ptbuf_free(&res);
    evm_ptbuf_free(&tmp);
    return st;
}

bool evm_clip_segment(evm_point_t a, evm_point_t b, evm_box_t box,
                      evm_point_t *ca, evm_point_t *cb, bool *a_cut,
                      bool *b_cut)
{
    double dx = b.x - a.x, dy = b.y - a.y;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {a.x - box.x0, box.x1 - a.x, a.y - box.y0, box.y1 - a.y};
    double edge[4] = {box.x0, box.x1, box.y0, box.y1};
    double t0 = 0, t1 = 1;
    int e0 = -1, e1 = -1; /* which edge cut each end */
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false; /* parallel to and outside this edge */
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0) {
            if (r > t1)
                return false;
            if (r > t0) {
                t0 = r;
                e0 = i;
            }
        } else {
            if (r < t0)
                return false;
            if (r < t1) {
                t1 = r;
                e1 = i;
            }
        }
    }
    *ca = a;
    *cb = b;
    if (e0 >= 0) {
        *ca = (evm_point_t){a.x + t0 * dx, a.y + t0 * dy};
        if (e0 < 2)
            ca->x = edge[e0];
        else
            ca->y = edge[e0];
    }
    if (e1 >= 0) {
        *cb = (evm_point_t){a.x + t1 * dx, a.y + t1 * dy};
        if (e1 < 2)
            cb->x = edge[e1];
        else
            cb->y = edge[e1];
    }
    *a_cut = e0 >= 0;
    *b_cut = e1 >= 0;
    return true;
}

evm_status evm_clip_polyline_to_path(const evm_point_t *pts, size_t n,
                                     evm_box_t box, evm_path_t *out)
{
    if (n < 2)
        return EVM_OK;
    evm_status st;
    if (evm_box_inside(evm_box_of(pts, n), box)) {
        if ((st = evm_path_move_to(out, pts[0].x, pts[0].y)))
            return st;
        for (size_t i = 1; i < n; i++)
            if ((st = evm_path_line_to(out, pts[i].x, pts[i].y)))
                return st;
        return EVM_OK;
    }
    /* pen_down: the path's open subpath ends at pts[i - 1]. */
    bool pen_down = false;
    for (size_t i = 1; i < n; i++) {
        evm_point_t ca, cb;
        bool a_cut, b_cut;
        if (!evm_clip_segment(pts[i - 1], pts[i], box, &ca, &cb, &a_cut,
                              &b_cut)) {
            pen_down = false;
            continue;
        }
        if (!pen_down || a_cut)
            if ((st = evm_path_move_to(out, ca.x, ca.y)))
                return st;
        if ((st = evm_path_line_to(out, cb.x, cb.y)))
            return st;
        pen_down = !b_cut;
    }
    return EVM_OK;
}
