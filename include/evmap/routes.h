/* Shipment routes: legs of travel by a mode (sea, rail, ...), read from a
 * CSV file with one row per leg and the columns
 *
 *   route,from,to,mode,via,date,label,routing
 *
 * (header names matched ignoring ASCII case, in any order; only from and
 * to are required; other columns are ignored). Legs of one route are the
 * rows with the same route cell, in row order; rows with an empty or
 * absent route cell form one unnamed route. from, to and every via
 * waypoint (separated by ';') are event names (exact, then ignoring
 * case) or inline coordinates "lat lon" or "lat,lon" in any form
 * evm_parse_coordinate reads ("48.48 135.08", "39°01′N 125°45′E").
 * mode is sea, rail, road, air, river or other, ignoring case; empty or
 * absent means other. date, when not empty, is ISO 8601 as
 * evm_parse_date reads it ("2023-09", "2023-09-01T10:30"). routing, when
 * not empty, is "sea" (the default for a sea leg) or "geodesic": that sea
 * leg keeps its geodesics; "sea" on a leg of another mode is an error.
 *
 * A leg runs along the geodesics between its points: from, each via in
 * order, to. Its length is the sum of their lengths on the WGS84
 * ellipsoid; a route's length is the sum of its legs. A sea leg routed at
 * sea (evm_routes_route_at_sea, and maps with sea routing on) runs along
 * the shortest way over water through its points instead. */
#ifndef EVMAP_ROUTES_H
#define EVMAP_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "dist.h"
#include "events.h"
#include "export.h"
#include "render.h"
#include "status.h"
#include "units.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum evm_route_mode {
    EVM_ROUTE_SEA = 0,
    EVM_ROUTE_RAIL,
    EVM_ROUTE_ROAD,
    EVM_ROUTE_AIR,
    EVM_ROUTE_RIVER,
    EVM_ROUTE_OTHER,
    EVM_ROUTE_MODE_COUNT
} evm_route_mode;

/* "sea", "rail", ...; "" for a value out of range. */
EVM_API const char *evm_route_mode_name(evm_route_mode mode);
/* A mode name ignoring ASCII case; EVM_ERR_INVALID_ARG and *out
 * unchanged for anything else (an empty string included). */
EVM_API evm_status evm_route_mode_parse(const char *text, evm_route_mode *out);

/* A point a leg passes: an event or inline coordinates. */
typedef struct evm_route_point {
    /* The event's name as its file writes it, or for coordinates the
     * text as written, without blanks around it. */
    const char *name;
    double lat_deg, lon_deg;
    long event; /* index in the events, or -1 for coordinates */
} evm_route_point_t;

typedef struct evm_route_leg {
    const char *route;  /* the route cell as written; "" for none */
    size_t route_index; /* index of its route (evm_routes_routes) */
    size_t leg;         /* 1-based position in its route */
    evm_route_mode mode;
    const evm_route_point_t *points; /* from, the via points, to */
    size_t n_points;                 /* at least 2 */
    const char *date;                /* as written; "" when absent */
    const char *label;               /* as written; "" when absent */
    /* Its length, metres: along its points, or once routed at sea
     * (evm_routes_route_at_sea) along the routed path. */
    double length_m;
    unsigned long line; /* line of the file where it starts */
    /* Whether length_m is the routed path's (evm_routes_route_at_sea),
     * and the length along its points without routing, metres. */
    bool routed;
    double geodesic_m;
    /* The routing cell said "geodesic": a sea leg kept along its
     * geodesics whatever the sea routing. */
    bool keep_geodesic;
} evm_route_leg_t;

typedef struct evm_route {
    const char *name; /* "" for the unnamed route */
    size_t first_leg; /* legs first_leg .. first_leg + n_legs - 1 of */
    size_t n_legs;    /* evm_routes_legs, in order */
    double length_m;  /* sum of its legs */
    /* The earliest and latest non-empty date cells of its legs as
     * written (compared as ISO 8601 text); "" when none. */
    const char *first_date, *last_date;
} evm_route_t;

typedef struct evm_routes evm_routes_t;

/* Reads a routes file, resolving its places against events (may be
 * NULL: coordinates only). Errors name the file, line and column of the
 * cell at fault, with EVM_ERR_PARSE for malformed CSV, a missing from or
 * to column (or a column given twice), an empty from or to cell, an
 * empty via entry ("a;;b", a trailing ';'), coordinates out of range or
 * readable in more than one way, an unknown mode (listing the modes) or
 * a date that is not ISO 8601; EVM_ERR_NOT_FOUND for a name that is not
 * an event, with the closest names suggested; EVM_ERR_INVALID_ARG for a
 * name several events share. A file with no legs is EVM_ERR_PARSE. The
 * routes keep no reference to events. The caller owns *out. */
EVM_API evm_status evm_routes_load_file(const char *path,
                                        const evm_events_t *events,
                                        evm_routes_t **out, evm_error_t *err);
/* evm_routes_load_file resolving names through lookup (events, then
 * coordinates, then its gazetteer; see evm_place_lookup), so that a via
 * point may be any place the gazetteer knows. lookup may be NULL. */
EVM_API evm_status evm_routes_load_file_lookup(const char *path,
                                               const evm_place_lookup_t *lookup,
                                               evm_routes_t **out,
                                               evm_error_t *err);
/* The same from memory; display_name names it in messages. */
EVM_API evm_status evm_routes_load_memory(const char *display_name,
                                          const void *data, size_t len,
                                          const evm_events_t *events,
                                          evm_routes_t **out, evm_error_t *err);
/* Frees; NULL is a no-op. */
EVM_API void evm_routes_destroy(evm_routes_t *routes);

/* All legs, route by route in order of each route's first row, legs in
 * row order within a route; borrowed for the lifetime of routes. */
EVM_API const evm_route_leg_t *evm_routes_legs(const evm_routes_t *routes,
                                               size_t *n_legs);
/* The routes, in order of their first row. */
EVM_API const evm_route_t *evm_routes_routes(const evm_routes_t *routes,
                                             size_t *n_routes);
/* The file name used in messages. */
EVM_API const char *evm_routes_source(const evm_routes_t *routes);

struct evm_geodata;

/* Sea legs along the sea (see docs/routes.md): each sea leg's
 * consecutive points (from, the via points, to) are joined by the
 * shortest path over water on the bundled 1:10m land of geodata, through
 * the bundled canals and straits, straightened into a few geodesic
 * pieces; the leg's length_m becomes that path's length and routed
 * true. A sea leg with an end more than 60 km from the sea, or between
 * waters that no passage joins, keeps its geodesics and is reported to
 * warn (may be NULL), as is a rail or road leg whose geodesics cross more
 * than 60 km of open sea (on the 1:50m land). Warnings name the file and
 * line of the leg. Route lengths are summed again. Errors: EVM_ERR_NOMEM,
 * and the geodata's own (EVM_ERR_IO, EVM_ERR_PARSE naming the file). */
EVM_API evm_status evm_routes_route_at_sea(evm_routes_t *routes,
                                           struct evm_geodata *geodata,
                                           evm_warning_fn warn, void *closure,
                                           evm_error_t *err);

/* Per-leg and total lengths for scripts: CSV with the header
 * route,leg,from,to,mode,distance_<unit>,geodesic_<unit>,routing, one
 * row per leg (leg 1, 2, ...); geodesic is the length along the leg's
 * points without routing, routing is "sea" for a leg routed at sea
 * (evm_routes_route_at_sea) and "geodesic" otherwise;
 * and after each route's legs one row with leg "total", the route's
 * first from and last to, and its modes in order joined with '+', a mode
 * repeated by consecutive legs once ("sea+rail"), and routing "sea"
 * when any of its legs was routed; or JSON, an array of
 * routes, each an object with name, from, to, modes, first_date,
 * last_date, distance_<unit>, geodesic_<unit> and legs, an array of
 * objects with leg, from, to, mode, via (an array of names), date, label,
 * distance_<unit>, geodesic_<unit> and routing; or an aligned table,
 * rounded for reading, with the detour of each routed leg in per cent
 * of its geodesic length. Places are
 * named as evm_route_point_t names them. CSV and JSON give distances to
 * 1 um, with a '.' whatever the locale. EVM_ERR_IO when write fails. */
EVM_API evm_status evm_routes_write(const evm_routes_t *routes,
                                    evm_dist_format format, evm_units units,
                                    evm_write_fn write, void *closure,
                                    evm_error_t *err);
/* evm_routes_write into a file, atomically: the output goes to a
 * temporary file beside path, renamed over it once complete, so that on
 * failure nothing new is left at path and a file already there is
 * unchanged. EVM_ERR_IO naming path when it cannot be written. */
EVM_API evm_status evm_routes_write_file(const evm_routes_t *routes,
                                         evm_dist_format format,
                                         evm_units units, const char *path,
                                         evm_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
