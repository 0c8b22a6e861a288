/* The automatic map extent (extent.c): what layout uses when no extent is
 * given, and what a batch job's {center, radius} is checked against. The
 * one part of map/ that batch/ uses beside the public API. */
#ifndef EVM_MAP_EXTENT_H
#define EVM_MAP_EXTENT_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/events.h>
#include <evmap/geodata.h>
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

/* The ground distance a centre shows around it when no radius is given,
 * in km: render's --center and a batch job's center. */
#define EVM_DEFAULT_RADIUS_KM 500
/* The extent W,S,E,N (degrees) holding every point within radius_m of
 * (lat_deg, lon_deg): the geodesic circle's bounds, the whole width of
 * the globe when it holds a pole. */
void evm_circle_extent(double lat_deg, double lon_deg, double radius_m,
                       double extent[4]);
struct evm_places;
/* Adds to places the outline points of the mainlands of the countries
 * named in names, comma-separated Natural Earth names or ISO 3166-1
 * codes, for the frame to fit as it fits events. A mainland is the
 * country's largest ring with every ring within MAINLAND_GAP_KM (or 5 %
 * of that ring's box) of one already taken, on the 1:50m data as view
 * draws it. EVM_ERR_NOT_FOUND naming the closest countries. */
evm_status evm_countries_places(evm_geodata_t *geodata, evm_worldview view,
                                const char *names, struct evm_places *places,
                                evm_error_t *err);

#endif
