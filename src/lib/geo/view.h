/* A view: projection plus the affine map from projected coordinates to the
 * page, the map frame, and the longitude/latitude box that covers the
 * frame. Geometry enters the view as lon/lat and leaves as page points,
 * cut at the antimeridian, clipped and densified. */
#ifndef EVM_GEO_VIEW_H
#define EVM_GEO_VIEW_H

#include <stdbool.h>

#include <evmap/scene.h>
#include <evmap/status.h>

#include "geo/projection.h"
#include "load/basemap_internal.h"

typedef struct evm_view {
    const evm_projection_t *proj; /* borrowed */
    double lon0;          /* central meridian; the cut is at lon0 + 180 */
    double scale;         /* page px per projected unit */
    double x0, y0;        /* projected coordinates of the page origin */
    evm_rect_t frame;     /* map frame on the page */
    evm_rect_t clip;      /* frame grown by a margin: geometry is clipped
                             to it before it reaches a backend */
    /* The lon/lat box (lon relative to lon0, in [-180, 180]) that covers
     * the frame; geometry outside it is dropped before projection. */
    evm_llbox_t ll;
    double tol_px;        /* densification tolerance, 0.5 px */
} evm_view_t;

/* Fits the extent (W, S, E, N degrees, E > W; E may exceed 180) into the
 * frame, keeping the projection's aspect ratio (the extent is grown
 * along the shorter side), and derives the lon/lat box by inverse-
 * projecting the frame's border. */
evm_status evm_view_init(evm_view_t *view, const evm_projection_t *proj,
                         const double extent[4], evm_rect_t frame,
                         evm_error_t *err);

/* lon/lat to page px; false when not representable. */
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
 * to view->clip. */
evm_status evm_view_add_ring(const evm_view_t *view, const double *lonlat,
                             size_t n, evm_path_t *out);

/* Appends an open line (n lon/lat pairs, straight in lon/lat between
 * vertices) as open page-space subpaths, split at the antimeridian and
 * wherever a point cannot be projected, clipped to view->ll and
 * view->clip. */
evm_status evm_view_add_line(const evm_view_t *view, const double *lonlat,
                             size_t n, evm_path_t *out);

/* Clips a closed polygon to a rectangle (Sutherland-Hodgman) and appends
 * the result to out as one closed subpath, or nothing when no part is
 * inside. Exposed for tests and layout. */
evm_status evm_clip_ring_to_rect(const evm_point_t *in, size_t n,
                                 evm_rect_t rect, evm_path_t *out);

#endif
