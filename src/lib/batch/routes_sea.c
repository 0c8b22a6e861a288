/* evm_routes_route_at_sea: the routed lengths of sea legs written into
 * loaded routes, for the routes report (routes_write.c), with warnings
 * for the legs that could not be routed and for rail or road legs over
 * open sea. */
#include <evmap/geodata.h>
#include <evmap/routes.h>

#include "core/error.h"
#include "geo/sea_legs.h"
#include "load/routes_internal.h"

evm_status evm_routes_route_at_sea(evm_routes_t *routes, evm_geodata_t *gd,
                                   evm_warning_fn warn, void *closure,
                                   evm_error_t *err)
{
    if (!routes || !gd)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "evm_routes_route_at_sea needs routes and "
                             "geodata");
    size_t n;
    evm_route_leg_t *legs = evm_routes_legs_mutable(routes, &n);
    const evm_basemap_t *check = NULL;
    for (size_t i = 0; i < n; i++) {
        evm_route_leg_t *leg = &legs[i];
        evm_status st;
        if (!check &&
            (leg->mode == EVM_ROUTE_RAIL || leg->mode == EVM_ROUTE_ROAD) &&
            (st = evm_geodata_get(gd, EVM_BASEMAP_50M, &check, err)))
            return st;
        evm_leg_trace_t t;
        if ((st = evm_leg_trace(gd, leg, true, check, &t, err)))
            return st;
        leg->routed = t.routed;
        leg->length_m = t.length_m;
        if (t.note[0] && warn) {
            evm_error_t w = {0};
            evm_error_set(&w, EVM_OK, evm_routes_source(routes), leg->line, 0,
                          "%s", t.note);
            warn(closure, &w);
        }
        evm_leg_trace_free(&t);
    }
    evm_routes_sum_again(routes);
    return EVM_OK;
}
