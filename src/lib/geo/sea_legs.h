/* Route legs as drawn and measured: a sea leg routed at sea (sea_route.h)
 * piece by piece between its points, any other leg along the geodesics
 * between its points, checked for open sea when it goes by rail or
 * road. Shared by the map (map/routes.c) and evm_routes_route_at_sea. */
#ifndef EVM_GEO_SEA_LEGS_H
#define EVM_GEO_SEA_LEGS_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/geodata.h>
#include <evmap/routes.h>

#include "core/error.h"

/* How far a rail or road leg may run over open sea before it is
 * reported: the longest fixed links (the Hong Kong-Zhuhai-Macau bridge,
 * the Seikan and Channel tunnels) stay under it. */
#define EVM_LEG_MAX_OPEN_SEA_M 60000.0

typedef struct evm_leg_trace {
    /* The vertices (latitude, longitude pairs, degrees), joined by
     * geodesics: the leg's points, or for a routed sea leg the routed
     * path through each of them. Owned: evm_leg_trace_free. */
    double *lat_lon;
    size_t n_vertices;
    double length_m;   /* along the vertices */
    double geodesic_m; /* along the leg's points */
    bool routed;
    /* A warning about the leg ("" when none): a sea leg that could not
     * be routed, a rail or road leg over open sea. Names the route and
     * the leg. */
    char note[512];
} evm_leg_trace_t;

/* Traces leg. Sea legs are routed when sea_routing, on the 1:10m land
 * of geodata; rail and road legs are checked against check_land (may be
 * NULL: not checked). Errors: EVM_ERR_NOMEM, and loading the geodata. */
evm_status evm_leg_trace(evm_geodata_t *geodata, const evm_route_leg_t *leg,
                         bool sea_routing, const evm_basemap_t *check_land,
                         evm_leg_trace_t *out, evm_error_t *err);
void evm_leg_trace_free(evm_leg_trace_t *trace);

#endif
