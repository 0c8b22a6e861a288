/* Internals shared by the view's stages: point buffers, the cut at the
 * antimeridian (cut.c), rectangle clipping (clip.c) and adaptive
 * densification (densify.c). view.c strings them together.
 *
 * Longitudes inside these stages are relative to the view's central
 * meridian (lon0), so the cut is at +-180 and, once a ring or line is
 * unwrapped, copies of it lie 360 degrees apart. */
#ifndef EVM_GEO_VIEW_INTERNAL_H
#define EVM_GEO_VIEW_INTERNAL_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "core/error.h"
#include "geo/view.h"

/* A growable array of points, reused across the rings and lines of one
 * call so that no allocation happens per vertex. */
typedef struct evm_ptbuf {
    evm_point_t *pts;
    size_t n, cap;
} evm_ptbuf_t;

/* Makes room for `extra` more points. 0 or -1 when out of memory. */
static inline int evm_ptbuf_reserve(evm_ptbuf_t *b, size_t extra)
{
    if (b->n + extra <= b->cap)
        return 0;
    if (b->n + extra < b->n)
        return -1;
    return evm_grow((void **)&b->pts, &b->cap, b->n + extra, sizeof *b->pts);
}

static inline int evm_ptbuf_push(evm_ptbuf_t *b, double x, double y)
{
    if (b->n == b->cap && evm_ptbuf_reserve(b, 1))
        return -1;
    b->pts[b->n++] = (evm_point_t){x, y};
    return 0;
}

static inline void evm_ptbuf_free(evm_ptbuf_t *b)
{
    free(b->pts);
    b->pts = NULL;
    b->n = b->cap = 0;
}

/* An axis-aligned box: unwrapped lon/lat or page px. */
typedef struct evm_box {
    double x0, y0, x1, y1; /* x0 <= x1, y0 <= y1 */
} evm_box_t;

/* Grows b to hold (x, y). Comparisons rather than fmin/fmax, which are
 * calls in C11. */
static inline void evm_box_add(evm_box_t *b, double x, double y)
{
    if (x < b->x0)
        b->x0 = x;
    if (x > b->x1)
        b->x1 = x;
    if (y < b->y0)
        b->y0 = y;
    if (y > b->y1)
        b->y1 = y;
}

/* Page buffers mark a place where the curve left the projectable part of
 * the globe with a break: a point whose x is NaN. */
static inline int evm_ptbuf_push_break(evm_ptbuf_t *b)
{
    if (b->n && isnan(b->pts[b->n - 1].x))
        return 0; /* one break is enough */
    return evm_ptbuf_push(b, NAN, NAN);
}

/* (x, y) when the point could be projected (ok), else a break. */
static inline int evm_ptbuf_push_or_break(evm_ptbuf_t *b, bool ok, double x,
                                          double y)
{
    return ok ? evm_ptbuf_push(b, x, y) : evm_ptbuf_push_break(b);
}

static inline bool evm_is_break(evm_point_t p)
{
    return isnan(p.x);
}

/* ---- cut.c: unwrapping relative to lon0 -------------------------------
 *
 * Both functions replace out's contents, and set *box to its bounding box
 * (when out is not empty), with points x = longitude
 * relative to lon0, unwrapped so that consecutive points differ by at
 * most 180 degrees (x may leave [-180, 180]), y = latitude clamped to
 * [-90, 90]. Non-finite input points are skipped; a point within
 * merge_deg (|dlon| + |dlat|) of the previous kept one is dropped (0
 * keeps all). Return 0 or -1 when out of memory. */

/* A closed ring. One that winds round a pole (its unwrapped longitudes
 * end 360 degrees from where they started) is started just after it
 * crosses the cut, and closed through the pole of the hemisphere of its
 * mean latitude along the cut meridian, so that it becomes one planar
 * polygon covering the polar cap. */
int evm_cut_unwrap_ring(const double *lonlat, size_t n, double lon0,
                        double merge_deg, evm_ptbuf_t *out, evm_box_t *box);

/* An open line; its last point is always kept. */
int evm_cut_unwrap_line(const double *lonlat, size_t n, double lon0,
                        double merge_deg, evm_ptbuf_t *out, evm_box_t *box);

/* Longitude minus lon0, brought into [-180, 180). */
double evm_cut_rel_lon(double lon_deg, double lon0_deg);

/* ---- clip.c: rectangles ------------------------------------------------ */

/* Bounding box of n points (n > 0), skipping breaks. */
evm_box_t evm_box_of(const evm_point_t *p, size_t n);

static inline bool evm_box_inside(evm_box_t in, evm_box_t out)
{
    return in.x0 >= out.x0 && in.x1 <= out.x1 && in.y0 >= out.y0 &&
           in.y1 <= out.y1;
}

/* Clips the closed polygon in[0..n) to box (Sutherland-Hodgman), writing
 * the result into out (replaced) and using tmp as scratch (the two may
 * trade storage; in must be neither). The result
 * may have zero-area edges along the box where the polygon left and
 * came back; it fills correctly. Returns 0 or -1 when out of memory. */
int evm_clip_polygon(const evm_point_t *in, size_t n, evm_box_t box,
                     evm_ptbuf_t *out, evm_ptbuf_t *tmp);

/* Signed area (shoelace) of a closed polygon, in squared units. */
double evm_polygon_area(const evm_point_t *p, size_t n);

/* Clips segment a-b to box (Liang-Barsky). false when no part is inside;
 * else *ca, *cb are the inside part, with a coordinate set exactly to the
 * box edge where it was cut (so that a line cut at the antimeridian ends
 * at exactly +-180), and *a_cut / *b_cut say whether an end was cut. */
bool evm_clip_segment(evm_point_t a, evm_point_t b, evm_box_t box,
                      evm_point_t *ca, evm_point_t *cb, bool *a_cut,
                      bool *b_cut);

/* Appends the polyline pts[0..n) clipped to box to out as open subpaths.
 * Returns EVM_OK or EVM_ERR_NOMEM. */
/* Douglas-Peucker in place: keeps the first and last points and every
 * point further than tol_px from the simplified line; returns the new
 * count. Also right for a ring given without its closing repeat. */
size_t evm_simplify(evm_point_t *pts, size_t n, double tol_px);

evm_status evm_clip_polyline_to_path(const evm_point_t *pts, size_t n,
                                     evm_box_t box, evm_path_t *out);

/* ---- densify.c --------------------------------------------------------- */

/* A vertex on its way to the page: relative longitude and latitude in
 * degrees, its page point, and whether it has one. */
typedef struct evm_dvtx {
    double lon, lat;
    double px, py;
    bool ok;
} evm_dvtx_t;

/* Longitude relative to lon0 (in [-180, 180]; the cut itself is moved
 * 1e-9 degrees inwards so that it lands on its own side of the map) and
 * latitude to page px. */
bool evm_view_forward_rel(const evm_view_t *view, double rel_lon_deg,
                          double lat_deg, double *px, double *py);

/* Projects a vertex into *v. */
void evm_densify_vertex(const evm_view_t *view, double rel_lon_deg,
                        double lat_deg, evm_dvtx_t *v);

/* What densification needs from the view, computed once per call. */
typedef struct evm_densify {
    const evm_view_t *view;
    double tol2_px2;  /* tol_px squared */
    double long2_px2; /* (frame diagonal / 8) squared */
    double chord_deg; /* view->chord_deg */
} evm_densify_t;

void evm_densify_init(evm_densify_t *d, const evm_view_t *view);

/* Appends to out the page points of the edge a-b (a straight line in
 * relative lon/lat): the points after a, up to and including b, chosen
 * by midpoint subdivision until the projected midpoint of each piece is
 * within tol_px of the piece's chord midpoint and no piece is longer than
 * an eighth of the frame diagonal. Where the edge leaves the projectable
 * part of the globe a break is appended. Returns 0 or -1 when out of
 * memory. */
int evm_densify_edge_slow(const evm_densify_t *d, const evm_dvtx_t *a,
                          const evm_dvtx_t *b, evm_ptbuf_t *out);

static inline int evm_densify_edge(const evm_densify_t *d, const evm_dvtx_t *a,
                                   const evm_dvtx_t *b, evm_ptbuf_t *out)
{
    /* Most edges of real data are short: drawn as their chord at once. */
    if (a->ok && b->ok &&
        fabs(b->lon - a->lon) + fabs(b->lat - a->lat) <= d->chord_deg)
        return evm_ptbuf_push(out, b->px, b->py);
    return evm_densify_edge_slow(d, a, b, out);
}

#endif
