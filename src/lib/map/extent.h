/* The automatic map extent (extent.c): what layout uses when no extent is
 * given, and what a batch job's {center, radius} is checked against. The
 * one part of map/ that batch/ uses beside the public API. */
#ifndef EVM_MAP_EXTENT_H
#define EVM_MAP_EXTENT_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/events.h>
#include <evmap/routes.h>

/* Automatic extent: the events' bounding box on the shorter way round the
 * globe, padded. */
void evm_auto_extent(const evm_events_t *events, double extent[4]);
/* The same over the events (may be NULL) and every point of the route
 * legs, so that waypoints that are not events are on the map; false, and
 * extent unchanged, when there is no point at all. */
bool evm_auto_extent_routes(const evm_events_t *events,
                            const evm_route_leg_t *legs, size_t n_legs,
                            double extent[4]);

#endif
