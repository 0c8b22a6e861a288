/* The pole of inaccessibility of a polygon: the inside point farthest
 * from its edges, where a name fits best (polylabel.c). */
#ifndef EVM_GEO_POLYLABEL_H
#define EVM_GEO_POLYLABEL_H

#include <stddef.h>

/* For a polygon of n_rings rings (ring k is pts[2*start[k] ..
 * 2*start[k+1]), closed implicitly; even-odd inside, so holes count as
 * outside) in plane coordinates, finds a point within precision of the
 * farthest inside point from every edge and writes it to xy. Returns its
 * distance to the nearest edge (0 for a polygon of no area, when xy is
 * its first point). start has n_rings + 1 entries. At most max_cells
 * cells are examined. */
double evm_polylabel(const double *pts, const size_t *start, size_t n_rings,
                     double precision, size_t max_cells, double xy[2]);

/* The same for one ring of n lon/lat points in degrees, with longitudes
 * scaled by the cosine of the ring's middle latitude so that "farthest"
 * is about right on the ground; precision in degrees of latitude. */
void evm_polylabel_lonlat(const double *lonlat, size_t n, double xy[2]);

#endif
