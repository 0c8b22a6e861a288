/* The inside of evm_lines_t, shared by the nearest-point search
 * (nearest.c) and the builders of line sets (boundary.c for countries,
 * lines_load.c for GeoJSON).
 *
 * A set keeps its polylines as given and, for the search, a list of
 * geodesic segments in line order, each with a bounding sphere in earth-
 * centred coordinates, under a binary tree of bounding spheres over runs
 * of consecutive segments. Long segments are stored as pieces of at most
 * EVM_LINES_PIECE_M (exact sub-arcs of the same geodesic): along a piece
 * that short the distance from any point has at most one interior
 * minimum, which is what the search relies on. */
#ifndef EVM_GEO_LINES_INTERNAL_H
#define EVM_GEO_LINES_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <evmap/geodesy.h>

#define EVM_LINES_PIECE_M 500e3

typedef struct evm_lseg {
    double lat1, lon1, lat2, lon2; /* ends, degrees */
    double c[3], r;                /* bounding sphere of the arc, ECEF metres */
    double e[3];                   /* half the chord, from c to end 2 */
    double h;        /* every point of the arc is within h of the chord */
    double len_up;   /* its length, or an upper bound of it */
    double off_m;    /* distance of end 1 from the line vertex */
    uint32_t line;   /* the line it belongs to */
    uint32_t vertex; /* the line vertex its segment starts at */
    /* The segment's own geodesic, measured by the first query that needs
     * it (nearest.c): len_m, azi1_deg and azi2_deg are valid once geo is
     * SEG_GEO_READY, which is stored with release order after them. */
    _Atomic uint32_t geo;
    double len_m, azi1_deg, azi2_deg;
} evm_lseg_t;

typedef struct evm_lnode {
    double c[3], r;       /* a sphere holding every segment below */
    double ang;           /* its angular radius seen from the centre */
    uint32_t lo, hi;      /* segments [lo, hi) */
    uint32_t left, right; /* children; 0 for a leaf (0 is the root) */
} evm_lnode_t;

/* An edge of a country's ring: from ring point i to the next one. */
typedef struct evm_ring_edge {
    uint32_t ring, i;
} evm_ring_edge_t;

/* Longitude strips of the inside test's index: 0.0055 degrees each. */
#define EVM_LINES_STRIPS 65536

struct evm_lines {
    char *name;
    size_t n_lines;
    size_t *start; /* n_lines + 1: line k is points [start[k], start[k+1]) */
    double *pts;   /* (lon, lat) pairs */
    evm_lseg_t *segs;
    size_t n_segs;
    evm_lnode_t *nodes;
    size_t n_nodes;
    /* An area (a country of a base map) for evm_lines_contains. */
    bool is_area;
    const evm_basemap_t *map;
    size_t country;
    /* The country's ring edges by strip of longitude (boundary.c): strip
     * k holds edges [strip_off[k], strip_off[k + 1]) of strip_edge. */
    uint32_t *strip_off; /* EVM_LINES_STRIPS + 1 */
    evm_ring_edge_t *strip_edge;
};

/* Builds segments and tree from name, n_lines, start and pts, which the
 * set already owns. Checks the coordinates. EVM_OK, EVM_ERR_INVALID_ARG
 * or EVM_ERR_NOMEM (the set is then still safe to destroy). */
evm_status evm_lines_index(evm_lines_t *lines, evm_error_t *err);

/* evm_lines_nearest by measuring every segment exactly, without the
 * tree or any bound: the reference the tests compare the search with. */
bool evm_lines_nearest_brute(const evm_lines_t *lines, double lat_deg,
                             double lon_deg, evm_nearest_t *out);

/* The lower bounds the search takes for the distance from (lat_deg,
 * lon_deg) to segment k (a piece of at most EVM_LINES_PIECE_M), the
 * larger of the two, in metres: for the tests, which hold it against the
 * exact distance. */
double evm_lines_segment_bound(const evm_lines_t *lines, size_t k,
                               double lat_deg, double lon_deg);

/* evm_lines_contains by testing every edge of the country, without the
 * strips: the reference the tests compare the index with. */
int evm_lines_contains_brute(const evm_lines_t *lines, double lat_deg,
                             double lon_deg);

/* Point coordinates in earth-centred metres on the WGS84 ellipsoid. */
void evm_ecef(double lat_deg, double lon_deg, double xyz[3]);

#endif
