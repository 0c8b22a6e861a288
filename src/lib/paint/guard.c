/* Geometry guards: dropping garbage coordinates, and clipping segments and
 * rings to a box around the page before they reach cairo, the PDF or the
 * SVG, through the path operators of the backend (evm_guard_emit). */
#include "paint/guard.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"

evm_rect_t evm_guard_box(double width_px, double height_px, double margin_px)
{
    const double m = margin_px;
    return (evm_rect_t){-m, -m, width_px + 2 * m, height_px + 2 * m};
}

bool evm_guard_usable(evm_point_t p)
{
    /* fabs(NaN) <= x is false, so NaN fails as well as the infinities. */
    return fabs(p.x) <= EVM_GUARD_ABSURD_PX && fabs(p.y) <= EVM_GUARD_ABSURD_PX;
}

bool evm_guard_inside(const evm_rect_t *box, evm_point_t p)
{
    return p.x >= box->x && p.x <= box->x + box->w && p.y >= box->y &&
           p.y <= box->y + box->h;
}

/* One Liang-Barsky bound: the segment enters or leaves where p t = q. */
static bool lb_bound(double p, double q, double *t0, double *t1)
{
    if (p == 0)
        return q >= 0; /* parallel to this side: all in or all out */
    double t = q / p;
    if (p < 0) {
        if (t > *t1)
            return false;
        if (t > *t0)
            *t0 = t;
    } else {
        if (t < *t0)
            return false;
        if (t < *t1)
            *t1 = t;
    }
    return true;
}

bool evm_guard_clip_segment(const evm_rect_t *box, evm_point_t *a,
                            evm_point_t *b)
{
    double dx = b->x - a->x, dy = b->y - a->y;
    double t0 = 0, t1 = 1;
    if (!lb_bound(-dx, a->x - box->x, &t0, &t1) ||
        !lb_bound(dx, box->x + box->w - a->x, &t0, &t1) ||
        !lb_bound(-dy, a->y - box->y, &t0, &t1) ||
        !lb_bound(dy, box->y + box->h - a->y, &t0, &t1))
        return false;
    evm_point_t a0 = *a;
    /* Untouched ends keep their bits, so a polyline whose vertices are
     * inside stays connected after its segments are clipped one by one. */
    if (t0 > 0)
        *a = (evm_point_t){a0.x + t0 * dx, a0.y + t0 * dy};
    if (t1 < 1)
        *b = (evm_point_t){a0.x + t1 * dx, a0.y + t1 * dy};
    return true;
}

void evm_guard_scratch_free(evm_guard_scratch_t *s)
{
    free(s->a);
    free(s->b);
    *s = (evm_guard_scratch_t){0};
}

/* Which side of the box a Sutherland-Hodgman pass clips against. */
typedef enum side { SIDE_LEFT, SIDE_RIGHT, SIDE_TOP, SIDE_BOTTOM } side_t;

static bool side_inside(side_t side, double v, evm_point_t p)
{
    switch (side) {
    case SIDE_LEFT:
        return p.x >= v;
    case SIDE_RIGHT:
        return p.x <= v;
    case SIDE_TOP:
        return p.y >= v;
    case SIDE_BOTTOM:
        return p.y <= v;
    }
    return false;
}

/* Where p-q crosses the side's line (p and q on opposite sides of it). */
static evm_point_t side_cross(side_t side, double v, evm_point_t p,
                              evm_point_t q)
{
    if (side == SIDE_LEFT || side == SIDE_RIGHT) {
        double t = (v - p.x) / (q.x - p.x);
        return (evm_point_t){v, p.y + t * (q.y - p.y)};
    }
    double t = (v - p.y) / (q.y - p.y);
    return (evm_point_t){p.x + t * (q.x - p.x), v};
}

/* One pass: in[0 .. n) clipped against a side into out, which holds 2 n
 * points (each input edge adds at most two). Returns the count. */
static size_t clip_pass(side_t side, double v, const evm_point_t *in, size_t n,
                        evm_point_t *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        evm_point_t p = in[i ? i - 1 : n - 1], q = in[i];
        bool p_in = side_inside(side, v, p), q_in = side_inside(side, v, q);
        if (p_in != q_in)
            out[m++] = side_cross(side, v, p, q);
        if (q_in)
            out[m++] = q;
    }
    return m;
}

const evm_point_t *evm_guard_clip_ring(evm_guard_scratch_t *s,
                                       const evm_rect_t *box,
                                       const evm_point_t *in, size_t n,
                                       size_t *n_out)
{
    *n_out = 0;
    evm_point_t **buf[2] = {&s->a, &s->b};
    size_t *cap[2] = {&s->cap_a, &s->cap_b};
    if (evm_grow((void **)buf[0], cap[0], n + 1, sizeof **buf[0]))
        return NULL;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (evm_guard_usable(in[i]))
            (*buf[0])[m++] = in[i];
    const struct {
        side_t side;
        double v;
    } passes[4] = {{SIDE_LEFT, box->x},
                   {SIDE_RIGHT, box->x + box->w},
                   {SIDE_TOP, box->y},
                   {SIDE_BOTTOM, box->y + box->h}};
    int src = 0;
    for (int k = 0; k < 4 && m > 0; k++) {
        int dst = 1 - src;
        if (m > (size_t)-1 / 2 ||
            evm_grow((void **)buf[dst], cap[dst], 2 * m, sizeof **buf[dst]))
            return NULL;
        m = clip_pass(passes[k].side, passes[k].v, *buf[src], m, *buf[dst]);
        src = dst;
    }
    *n_out = m;
    return *buf[src];
}

bool evm_guard_all_inside(const evm_rect_t *box, const evm_point_t *pts,
                          size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!evm_guard_inside(box, pts[i]))
            return false;
    return true;
}

static void emit_points(const evm_guard_pen_t *pen, const evm_point_t *pts,
                        size_t n)
{
    pen->move_to(pen->closure, pts[0]);
    for (size_t i = 1; i < n; i++)
        pen->line_to(pen->closure, pts[i]);
}

static bool emit_open_clipped(const evm_guard_pen_t *pen, const evm_rect_t *box,
                              const evm_point_t *pts, size_t n)
{
    bool pen_down = false, any = false;
    evm_point_t last = {0, 0};
    for (size_t i = 0; i + 1 < n; i++) {
        evm_point_t a = pts[i], b = pts[i + 1];
        if (!evm_guard_usable(a) || !evm_guard_usable(b) ||
            !evm_guard_clip_segment(box, &a, &b)) {
            pen_down = false;
            continue;
        }
        if (!pen_down || a.x != last.x || a.y != last.y)
            pen->move_to(pen->closure, a);
        pen->line_to(pen->closure, b);
        last = b;
        pen_down = any = true;
    }
    return any;
}

int evm_guard_emit(const evm_guard_pen_t *pen, evm_guard_scratch_t *s,
                   const evm_rect_t *box, const evm_point_t *pts, size_t n,
                   bool closed, bool inside)
{
    if (n == 0)
        return 0;
    if (!inside && !closed)
        return emit_open_clipped(pen, box, pts, n) ? 1 : 0;
    if (!inside) {
        size_t m;
        const evm_point_t *ring = evm_guard_clip_ring(s, box, pts, n, &m);
        if (!ring)
            return -1;
        if (m == 0)
            return 0;
        pts = ring;
        n = m;
    }
    emit_points(pen, pts, n);
    if (closed)
        pen->close_path(pen->closure);
    return 1;
}
