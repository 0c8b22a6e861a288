/* A geodesic onto the page. The view's own pipeline draws edges that are
 * straight in longitude and latitude; a geodesic is not, so it is
 * sampled along itself instead: a piece between two parameters is split
 * at its middle (by distance along the geodesic) until the projected
 * middle is within view->tol_px of the middle of the piece's chord and
 * the chord is no longer than an eighth of the frame's diagonal (so that
 * a curve symmetric about its middle cannot fool the test). Points are
 * projected exactly, not through the view's interpolation grid.
 *
 * The cut: the geodesic's unrolled longitude, taken relative to the
 * view's central meridian, is continuous and monotonic (Clairaut), so it
 * crosses lon0 + 180 at most once; the crossing is found by bisection on
 * the distance along the geodesic, the part on either side is drawn on
 * its own side of the map, and both end exactly at the cut. Where the
 * geodesic cannot be projected (the far side of an orthographic globe),
 * bisection finds the edge of the projectable part and the line breaks
 * there. Each unbroken run is clipped to view->clip. */
#include <stddef.h> /* geodesic.h uses NULL without including it */

#include <geodesic.h>

#include "core/context_internal.h"
#include "geo/view_internal.h"

/* 2^18 pieces at most per side of the cut. */
#define DEPTH_MAX 18
#define CUT_NUDGE_DEG 1e-9

typedef struct gview {
    const evm_view_t *view;
    struct geod_geodesicline line;
    double lon1; /* longitude of the start as the line reports it */
    double rel1; /* the same relative to lon0, in [-180, 180) */
    double tol2, long2;
} gview_t;

typedef struct gpt {
    double s;   /* metres along the geodesic */
    double rel; /* unrolled longitude relative to lon0 */
    double lat;
    double px, py; /* page point, when ok */
    bool ok;
} gpt_t;

static void at(const gview_t *g, double s, double copy, gpt_t *p)
{
    double lat, lon;
    geod_genposition(&g->line, GEOD_LONG_UNROLL, s, &lat, &lon, NULL, NULL,
                     NULL, NULL, NULL, NULL);
    p->s = s;
    p->lat = lat;
    p->rel = g->rel1 + (lon - g->lon1);
    /* On this copy's side of the cut, nudged inwards so that a point on
     * the cut lands on its own side. */
    double r = p->rel - 360.0 * copy;
    r = fmax(-180.0 + CUT_NUDGE_DEG, fmin(180.0 - CUT_NUDGE_DEG, r));
    p->ok = evm_view_forward(g->view, g->view->lon0 + r, lat, &p->px, &p->py);
}

/* Which copy of the map (360-degree band centred on lon0) rel is in. */
static double copy_of(double rel)
{
    return floor((rel + 180.0) / 360.0);
}

static bool split_needed(const gview_t *g, const gpt_t *a, const gpt_t *b,
                         double copy, int depth, gpt_t *mid)
{
    if (depth >= DEPTH_MAX || b->s - a->s <= 1e-6)
        return false;
    at(g, (a->s + b->s) / 2, copy, mid);
    if (!a->ok && !b->ok)
        /* Both ends hidden: look a little way in for a visible middle
         * (a geodesic across the visible face of a globe). */
        return depth < 8 || mid->ok;
    if (!a->ok || !b->ok || !mid->ok)
        return true;
    double dx = b->px - a->px, dy = b->py - a->py;
    if (dx * dx + dy * dy > g->long2)
        return true;
    double ex = mid->px - (a->px + b->px) / 2,
           ey = mid->py - (a->py + b->py) / 2;
    return ex * ex + ey * ey > g->tol2;
}

/* Page points of the geodesic over [s0, s1], all on one copy, appended
 * to out with breaks where it cannot be projected. */
static int sample_run(const gview_t *g, double s0, double s1, double copy,
                      evm_ptbuf_t *out)
{
    gpt_t stack[DEPTH_MAX + 1], cur;
    int depth[DEPTH_MAX + 1];
    at(g, s0, copy, &cur);
    if (evm_ptbuf_push_or_break(out, cur.ok, cur.px, cur.py))
        return -1;
    /* Start from quarters: the midpoint test needs a curve that is not
     * already folded back on itself within one piece. */
    for (int q = 1; q <= 4; q++) {
        at(g, s0 + (s1 - s0) * q / 4, copy, &stack[0]);
        depth[0] = 2;
        int sp = 1;
        while (sp > 0) {
            gpt_t mid;
            if (split_needed(g, &cur, &stack[sp - 1], copy, depth[sp - 1],
                             &mid)) {
                int d = ++depth[sp - 1];
                stack[sp] = mid;
                depth[sp] = d;
                sp++;
                continue;
            }
            gpt_t *top = &stack[sp - 1];
            if (evm_ptbuf_push_or_break(out, top->ok, top->px, top->py))
                return -1;
            cur = *top;
            sp--;
        }
    }
    return 0;
}

/* Clips each unbroken run of pts to the clip rectangle into out. */
static evm_status emit_runs(const evm_view_t *view, const evm_ptbuf_t *pts,
                            evm_path_t *out)
{
    evm_box_t box = {view->clip.x, view->clip.y, view->clip.x + view->clip.w,
                     view->clip.y + view->clip.h};
    size_t start = 0;
    for (size_t i = 0; i <= pts->n; i++) {
        if (i < pts->n && !evm_is_break(pts->pts[i]))
            continue;
        if (i - start >= 2) {
            evm_status st = evm_clip_polyline_to_path(pts->pts + start,
                                                      i - start, box, out);
            if (st)
                return st;
        }
        start = i + 1;
    }
    return EVM_OK;
}

evm_status evm_view_add_geodesic(const evm_view_t *view, double lat1_deg,
                                 double lon1_deg, double lat2_deg,
                                 double lon2_deg, evm_path_t *out)
{
    if (!isfinite(lon1_deg) || !isfinite(lon2_deg) ||
        !(lat1_deg >= -90 && lat1_deg <= 90) ||
        !(lat2_deg >= -90 && lat2_deg <= 90))
        return EVM_OK;
    gview_t g;
    g.view = view;
    geod_inverseline(&g.line, evm_wgs84(), lat1_deg, lon1_deg, lat2_deg,
                     lon2_deg,
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
    double len = g.line.s13;
    if (!(len > 0))
        return EVM_OK;
    double lat0;
    geod_genposition(&g.line, GEOD_LONG_UNROLL, 0, &lat0, &g.lon1, NULL, NULL,
                     NULL, NULL, NULL, NULL);
    g.rel1 = evm_cut_rel_lon(g.lon1, view->lon0);
    double tol = view->tol_px > 0 ? view->tol_px : 0.5;
    double long_px = hypot(view->frame.w, view->frame.h) / 8;
    g.tol2 = tol * tol;
    g.long2 = long_px > 0 ? long_px * long_px : INFINITY;

    evm_ptbuf_t pts = {0};
    evm_status st = EVM_OK;
    gpt_t end;
    at(&g, len, 0, &end);
    double c0 = copy_of(g.rel1), c1 = copy_of(end.rel);
    if (c0 == c1) {
        if (sample_run(&g, 0, len, c0, &pts))
            st = EVM_ERR_NOMEM;
    } else {
        /* Bisection for the crossing of the cut between the copies. */
        double lo = 0, hi = len;
        for (int i = 0; i < 200 && hi - lo > 1e-9; i++) {
            double mid = (lo + hi) / 2;
            gpt_t p;
            at(&g, mid, 0, &p);
            if (copy_of(p.rel) == c0)
                lo = mid;
            else
                hi = mid;
        }
        if (sample_run(&g, 0, lo, c0, &pts))
            st = EVM_ERR_NOMEM;
        if (!st) {
            if (evm_ptbuf_push(&pts, NAN, NAN)) /* a break at the cut */
                st = EVM_ERR_NOMEM;
        }
        if (!st && sample_run(&g, hi, len, c1, &pts))
            st = EVM_ERR_NOMEM;
    }
    if (!st)
        st = emit_runs(view, &pts, out);
    evm_ptbuf_free(&pts);
    return st;
}
