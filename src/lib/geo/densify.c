/* Adaptive densification: an edge that is straight in longitude/latitude
 * is a curve on the page, drawn as a polyline whose points are added by
 * midpoint subdivision until each piece's projected midpoint is within
 * tol_px of the middle of its chord. The subdivision runs on a small
 * explicit stack (depth at most DEPTH_MAX), projects every point once, and
 * allocates nothing. Where an edge leaves the projectable part of the
 * globe (the far side in an orthographic view), bisection finds the edge
 * of the domain and a break is recorded instead of a jump. */
#include "geo/view_internal.h"

/* 2^16 pieces per edge at most: for an edge of 180 degrees, 0.003
 * degrees each. */
#define DEPTH_MAX 16
/* When both ends of an edge cannot be projected, its middle may still be
 * visible (a long edge across the visible hemisphere). Edges of a degree
 * or more are sampled that deep to find it; shorter ones are dropped. */
#define SEEK_DEPTH_MAX 8
#define SEEK_MIN_DEG 1.0

void evm_densify_vertex(const evm_view_t *view, double rel_lon_deg,
                        double lat_deg, evm_dvtx_t *v)
{
    v->lon = rel_lon_deg;
    v->lat = lat_deg;
    v->ok = evm_view_forward_rel(view, rel_lon_deg, lat_deg, &v->px, &v->py);
}

void evm_densify_init(evm_densify_t *d, const evm_view_t *view)
{
    double tol_px = view->tol_px > 0 ? view->tol_px : 0.5;
    /* Points from the view's interpolation grid are within tol_px / 8 of
     * the truth; the midpoint test keeps room for that at both the curve
     * and the chord. */
    if (view->grid_id)
        tol_px *= 0.75;
    double long_px = hypot(view->frame.w, view->frame.h) / 8;
    d->view = view;
    d->tol2_px2 = tol_px * tol_px;
    d->long2_px2 = long_px > 0 ? long_px * long_px : INFINITY;
    d->chord_deg = view->chord_deg;
}

/* Whether the piece a-b must be split; when it must, *mid holds its
 * projected midpoint. */
static bool split_needed(const evm_densify_t *d, const evm_dvtx_t *a,
                         const evm_dvtx_t *b, int depth, evm_dvtx_t *mid)
{
    double l1_deg = fabs(b->lon - a->lon) + fabs(b->lat - a->lat);
    if (a->ok && b->ok) {
        /* Short enough that the projection's curvature (bounded when the
         * view was set up) cannot bend it by tol_px: no test needed. */
        if (l1_deg <= d->chord_deg)
            return false;
        evm_densify_vertex(d->view, (a->lon + b->lon) / 2,
                           (a->lat + b->lat) / 2, mid);
        if (!mid->ok)
            return true; /* a hole in the domain between two good ends */
        double dx = b->px - a->px, dy = b->py - a->py;
        /* Long pieces are split even when the midpoint test passes: a
         * curve symmetric about its midpoint would fool it. */
        if (dx * dx + dy * dy > d->long2_px2)
            return true;
        double ex = mid->px - (a->px + b->px) / 2;
        double ey = mid->py - (a->py + b->py) / 2;
        return ex * ex + ey * ey > d->tol2_px2;
    }
    if (!a->ok && !b->ok && (depth >= SEEK_DEPTH_MAX || l1_deg < SEEK_MIN_DEG))
        return false;
    /* One end off the domain: bisect towards its edge. */
    evm_densify_vertex(d->view, (a->lon + b->lon) / 2, (a->lat + b->lat) / 2,
                       mid);
    return true;
}

int evm_densify_edge_slow(const evm_densify_t *d, const evm_dvtx_t *a,
                          const evm_dvtx_t *b, evm_ptbuf_t *out)
{
    /* stack[sp - 1] is the end of the piece that starts at cur; depth[k]
     * is the subdivision depth of the piece ending at stack[k]. */
    evm_dvtx_t stack[DEPTH_MAX + 1];
    int depth[DEPTH_MAX + 1];
    evm_dvtx_t cur = *a;
    stack[0] = *b;
    depth[0] = 0;
    int sp = 1;
    while (sp > 0) {
        evm_dvtx_t *top = &stack[sp - 1];
        int dep = depth[sp - 1];
        evm_dvtx_t mid;
        if (dep < DEPTH_MAX && split_needed(d, &cur, top, dep, &mid)) {
            depth[sp - 1] = dep + 1;
            stack[sp] = mid;
            depth[sp] = dep + 1;
            sp++;
            continue;
        }
        /* The piece cur-top is final. A good top continues the curve (a
         * break already separates it from a bad cur); a bad top ends it. */
        if (evm_ptbuf_push_or_break(out, top->ok, top->px, top->py))
            return -1;
        cur = *top;
        sp--;
    }
    return 0;
}
