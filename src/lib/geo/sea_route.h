/* Paths at sea: the shortest way over water between two points, on the
 * land polygons of a base map (the country rings, non-zero filled) and a
 * list of passages (canals, narrow straits) that the land data or the
 * grid's scale closes.
 *
 * A leg is routed on a grid sized to it: a latitude/longitude window
 * around the geodesic between its ends, with cells as fine as a budget
 * of cells allows (0.01 degree at the finest). A cell is land when any
 * land edge passes through it or its centre lies inside land, so that a
 * path through water cells never touches land. Each end joins the
 * nearest water cell; A* over the water cells (8 neighbours, no corner
 * cutting, great-circle heuristic) finds the path, which is then
 * straightened by line of sight (a vertex is kept only where the
 * great circle to the next one would cross a land cell), so that the
 * leg is drawn as a few long geodesic pieces. When the window holds no
 * path (a way round a continent outside it) the whole world is tried at
 * a coarser cell. */
#ifndef EVM_GEO_SEA_ROUTE_H
#define EVM_GEO_SEA_ROUTE_H

#include <stddef.h>

#include "core/basemap.h"
#include "core/error.h"

/* A passage: a line of at least two points (latitude, longitude pairs,
 * degrees) whose cells are water whatever the land says. */
typedef struct evm_sea_passage {
    const char *name;
    const double *lat_lon;
    size_t n_points;
} evm_sea_passage_t;

typedef struct evm_sea_land {
    const evm_basemap_t *land;
    const evm_sea_passage_t *passages; /* may be NULL when n is 0 */
    size_t n_passages;
} evm_sea_land_t;

typedef enum evm_sea_result {
    EVM_SEA_ROUTED = 0,
    EVM_SEA_FROM_INLAND, /* no water within EVM_SEA_MAX_JOIN_M of from */
    EVM_SEA_TO_INLAND,   /* ... of to */
    EVM_SEA_NO_PATH      /* both ends at water, but no water joins them */
} evm_sea_result;

/* How far an end may lie from water and still be joined to it. */
#define EVM_SEA_MAX_JOIN_M 60000.0

typedef struct evm_sea_path {
    /* The vertices, from the first end to the second, as latitude,
     * longitude pairs (degrees, longitudes in [-180, 180]); consecutive
     * vertices are joined by the geodesic between them. Only when
     * result is EVM_SEA_ROUTED; else NULL. Owned: evm_sea_path_free. */
    double *lat_lon;
    size_t n_vertices;
    evm_sea_result result;
    /* The distance from each end to the water it was joined to (metres;
     * 0 when the end lies in a water cell), or, for an inland end, the
     * distance searched. */
    double from_join_m, to_join_m;
    double cell_deg; /* the grid's cell, degrees */
    size_t n_cells;  /* cells in the grid */
} evm_sea_path_t;

/* Routes from (lat1, lon1) to (lat2, lon2) (degrees) at sea. Fills out,
 * which the caller frees with evm_sea_path_free, and returns EVM_OK,
 * whether or not a path was found (out->result says), or EVM_ERR_NOMEM
 * or EVM_ERR_INVALID_ARG (a latitude outside [-90, 90], a longitude not
 * finite). Reads land only; may run in several threads at once. */
evm_status evm_sea_route(const evm_sea_land_t *land, double lat1_deg,
                         double lon1_deg, double lat2_deg, double lon2_deg,
                         evm_sea_path_t *out);
void evm_sea_path_free(evm_sea_path_t *path);

/* The longest stretch (metres) of the geodesic from (lat1, lon1) to
 * (lat2, lon2) whose points lie off land (outside every ring of
 * land->land, passages ignored), measured on a grid of cells of about
 * 2 km; NaN when out of memory. */
double evm_sea_longest_water_m(const evm_basemap_t *land, double lat1_deg,
                               double lon1_deg, double lat2_deg,
                               double lon2_deg);

#endif
