/* The places of a routes file: an event by name, or coordinates written
 * inline as "lat lon" or "lat,lon" (route_place.c). */
#ifndef EVM_LOAD_ROUTE_PLACE_H
#define EVM_LOAD_ROUTE_PLACE_H

#include <evmap/dist.h>
#include <evmap/events.h>

/* Resolves text, trimmed and not empty, against lk's events (may be
 * NULL: coordinates only), then its gazetteer when it has one. An event's name
 * (exact, then ignoring case) wins over coordinates. On success *event is the
 * event's index, or -1 for coordinates, and *lat_deg, *lon_deg are set. On
 * failure err holds a message with no file or position: EVM_ERR_NOT_FOUND for a
 * name that is no event (with the closest names suggested), EVM_ERR_PARSE for
 * text that reads as coordinates but not valid ones, or in more than
 * one way, and EVM_ERR_INVALID_ARG for a name several events share. */
evm_status evm_route_place_resolve(const evm_place_lookup_t *lk,
                                   const char *text, double *lat_deg,
                                   double *lon_deg, long *event,
                                   evm_error_t *err);

/* The gazetteer step of evm_place_lookup: lk->gazetteer must be set.
 * Warns through lk->warn of a name several places share; *name (may be
 * NULL) is borrowed from the gazetteer. */
evm_status evm_place_lookup_name(const evm_place_lookup_t *lk, const char *text,
                                 double *lat_deg, double *lon_deg,
                                 const char **name, evm_error_t *err);

#endif
