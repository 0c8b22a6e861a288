/* An interpolation cache for the forward projection of one view.
 *
 * proj_trans costs 150-200 ns a point for the projections evmap chooses,
 * so a map of 80 000 vertices would spend 15 ms in PROJ alone. The view
 * therefore projects geometry through a grid over its lon/lat box: the
 * nodes of a cell are projected exactly, once, when a point first falls
 * in the cell, and the points in it are interpolated bilinearly. A cell
 * is used only after its centre and the middle of its lower edge, also
 * projected exactly, were found within the tolerance of the
 * interpolation; otherwise (and where a node cannot be projected) its
 * points are projected exactly. Interpolation is continuous across
 * cells and deterministic, so a border shared by two rings lands on the
 * same page points in both.
 *
 * The grid lives in the projection object, which owns it, and is
 * configured by evm_view_init for that view; a view whose grid was since
 * configured for another view projects exactly. Once configured, it may
 * be used from several threads at once, each passing its own projection
 * of the same definition (a PJ is for one thread): nodes and cells are
 * published with atomic states, and a thread that finds one being filled
 * by another computes it for itself. Configuring is for one thread. */
#ifndef EVM_GEO_GRID_H
#define EVM_GEO_GRID_H

#include <stdbool.h>

#include "core/basemap.h"
#include "geo/projection.h"

typedef struct evm_grid evm_grid_t;

/* An unconfigured grid; NULL when out of memory. */
evm_grid_t *evm_grid_create(void);
void evm_grid_destroy(evm_grid_t *g);

/* Configures g over box (longitudes relative to lon0_deg, within [-180,
 * 180]) with cells of about h_deg, accepting cells whose interpolation
 * error is within tol (projection units). Earlier configurations are
 * invalidated. Returns the configuration's id for evm_grid_forward, or
 * 0 when no grid is used (out of memory, degenerate input): then
 * projection is exact. */
unsigned long evm_grid_setup(evm_grid_t *g, double lon0_deg, evm_llbox_t box,
                             double h_deg, double tol);

/* Relative longitude (within [-180, 180], already moved off the cut by
 * the caller) and latitude to projected x, y: interpolated where the
 * grid with this id allows, exact otherwise (with p). false when not
 * representable. */
bool evm_grid_forward(evm_grid_t *g, unsigned long id,
                      const evm_projection_t *p, double lon0_deg,
                      double rel_lon_deg, double lat_deg, double *x, double *y);

#endif
