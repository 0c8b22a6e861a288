/* A view: projection plus the affine map from projected coordinates to the
 * page, the map frame, and the longitude/latitude box that covers the
 * frame. Geometry enters the view as lon/lat and leaves as page points,
 * cut at the antimeridian, clipped and densified. docs/projections.md
 * describes the algorithms.
 *
 * A view borrows its projection and, like it, is for one thread at a
 * time: drawing fills an interpolation cache inside the projection. */
#ifndef EVM_GEO_VIEW_H
#define EVM_GEO_VIEW_H

#include <stdbool.h>

#include <evmap/scene.h>
#include <evmap/status.h>

#include "core/basemap.h"
#include "geo/projection.h"

typedef struct evm_view {
    const evm_projection_t *proj; /* borrowed */
    double lon0;      /* central meridian; the cut is at lon0 + 180 */
    double scale;     /* page px per projected unit */
    double x0, y0;    /* projected coordinates of the page origin */
    evm_rect_t frame; /* map frame on the page */
    evm_rect_t clip;  /* frame grown by a margin: geometry is clipped
                         to it before it reaches a backend */
    /* The lon/lat box (lon relative to lon0, in [-180, 180]) that covers
     * the frame; geometry outside it is dropped before projection. */
    evm_llbox_t ll;
    double tol_px; /* densification tolerance, 0.5 px; the fields
                      below are derived from it by evm_view_init */
    /* From the projection's first and second derivatives sampled over
     * the frame (0 disables each): an input vertex within merge_deg
     * (|dlon| + |dlat|) of the previous kept one moves the drawing by at
     * most tol_px / 2 and is dropped; an edge with |dlon| + |dlat| <=
     * chord_deg bends by at most tol_px / 4 and is drawn as its chord
     * without a midpoint test. */
    /* Page-space simplification tolerance (0: none): a drawn segment
     * stays within tol_px + simplify_px of the true curve. */
    double simplify_px;
    double merge_deg;
    double chord_deg;
    /* The sampled bounds these come from: page px per degree and per
     * square degree. */
    double d1_px_deg, d2_px_deg2;
    /* The configuration of the projection's interpolation grid made for
     * this view (geo/grid.h; points within tol_px / 8 of exact), or 0 to
     * project every point exactly. Initialising another view on the same
     * projection makes this one project exactly (slower, same result). */
    unsigned long grid_id;
    struct evm_grid *grid; /* that grid: the projection's own, or shared
                              by evm_view_copy */
} evm_view_t;

/* Fits the extent (W, S, E, N degrees, E > W; E may exceed 180) into the
 * frame, keeping the projection's aspect ratio (the extent is grown
 * along the shorter side), and derives the lon/lat box by inverse-
 * projecting the frame's border. EVM_ERR_INVALID_ARG for an extent that
 * is not a box or projects to a point, or an empty frame; EVM_ERR_PROJ
 * when no point of the extent can be projected. */
evm_status evm_view_init(evm_view_t *view, const evm_projection_t *proj,
                         const double extent[4], evm_rect_t frame,
                         evm_error_t *err);

/* The projected bounding box (x0, y0, x1, y1) of an extent's border
 * (W, S, E, N degrees as for evm_view_init), sampled 64 times a side;
 * false when no sample can be projected. */
bool evm_view_extent_box(const evm_projection_t *proj, const double extent[4],
                         double box[4]);

/* Fits a projected box (x0, y0, x1, y1 in the projection's units) into
 * the frame, centred, growing its shorter side to the frame's aspect,
 * and derives the lon/lat box as evm_view_init does. EVM_ERR_INVALID_ARG
 * for a box that is not finite or has no area, or an empty frame. */
evm_status evm_view_init_box(evm_view_t *view, const evm_projection_t *proj,
                             const double box[4], evm_rect_t frame,
                             evm_error_t *err);

/* Sets the densification tolerance and the page-space simplification
 * tolerance (0: none; evm_view_init sets 0.5 and 0). A drawn segment
 * stays within tol_px + simplify_px of the true curve. Call before adding
 * geometry. */
void evm_view_set_tolerance(evm_view_t *view, double tol_px,
                            double simplify_px);

/* A copy of view for another thread: the same page geometry and the same
 * interpolation grid (which may be shared, see geo/grid.h), projecting
 * exactly through proj, created from the same definition and used only
 * by that thread. The points are the same as view's. */
void evm_view_copy(const evm_view_t *view, const evm_projection_t *proj,
                   evm_view_t *copy);

/* lon/lat to page px (exact, not through the grid); false when not
 * representable. */
bool evm_view_forward(const evm_view_t *view, double lon_deg, double lat_deg,
                      double *px, double *py);
/* page px to lon/lat; false when the page point is off the globe. */
bool evm_view_inverse(const evm_view_t *view, double px, double py,
                      double *lon_deg, double *lat_deg);

/* Appends a closed ring (n lon/lat pairs, closed implicitly) to out as
 * zero or more closed page-space subpaths: longitudes unwrapped relative
 * to lon0 and split at lon0 + 180; a ring that winds round a pole closed
 * along the pole; clipped to view->ll; each edge (a straight line in
 * lon/lat) densified until the projected curve is within tol_px; clipped
 * to view->clip. A part that cannot be projected (the far side of an
 * orthographic globe) is bridged by a chord when that is short, else the
 * piece is dropped rather than drawn with a stray edge. Returns EVM_OK or
 * EVM_ERR_NOMEM. */
evm_status evm_view_add_ring(const evm_view_t *view, const double *lonlat,
                             size_t n, evm_path_t *out);

/* Appends an open line (n lon/lat pairs, straight in lon/lat between
 * vertices) as open page-space subpaths, split at the antimeridian and
 * wherever a point cannot be projected, clipped to view->ll and
 * view->clip. Pieces are appended copy by copy of view->ll, not
 * necessarily in their order along the line. Returns EVM_OK or
 * EVM_ERR_NOMEM. */
evm_status evm_view_add_line(const evm_view_t *view, const double *lonlat,
                             size_t n, evm_path_t *out);

/* Appends the geodesic (the shortest path on the WGS84 ellipsoid) from
 * point 1 to point 2 as open page-space subpaths: sampled along the
 * geodesic and subdivided until each piece's projected middle is within
 * view->tol_px of its chord, projected exactly, split where it crosses
 * the cut at lon0 + 180 (both parts end on the cut) and where it cannot
 * be projected, clipped to view->clip. Returns EVM_OK (also for invalid
 * or coincident points, which draw nothing) or EVM_ERR_NOMEM. */
evm_status evm_view_add_geodesic(const evm_view_t *view, double lat1_deg,
                                 double lon1_deg, double lat2_deg,
                                 double lon2_deg, evm_path_t *out);

/* Whether geometry inside the box (W, S, E, N in absolute degrees, E >= W;
 * a box with E - W >= 360 covers all longitudes) may reach the view: a
 * cheap, conservative test against view->ll that knows view->ll is
 * relative to lon0 and that a box may straddle the cut. false means the
 * geometry can be skipped. */
bool evm_view_box_visible(const evm_view_t *view, const evm_llbox_t *box);

/* Clips a closed polygon to a rectangle (Sutherland-Hodgman) and appends
 * the result to out as one closed subpath, or nothing when no part is
 * inside. Exposed for tests and layout. */
evm_status evm_clip_ring_to_rect(const evm_point_t *in, size_t n,
                                 evm_rect_t rect, evm_path_t *out);

#endif
