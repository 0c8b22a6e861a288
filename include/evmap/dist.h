/* Distance tables for scripts and people: geodesic distances and
 * bearings between places, and distances from places to lines or to a
 * country's boundary, written as CSV, JSON or an aligned text table.
 *
 * Output streams through a write callback in a fixed order, whatever
 * the number of threads: rows are computed in blocks by `jobs` threads
 * and written in order as they complete, with a bounded number of blocks
 * in flight, so two million pairs take a few megabytes, not the size of
 * the result. CSV quotes a field only when it must (RFC 4180) and is
 * written with libcsv's writer; CSV and JSON carry full precision
 * (distances to 1 micrometre), the table is rounded for reading. */
#ifndef EVMAP_DIST_H
#define EVMAP_DIST_H

#include <stddef.h>

#include "events.h"
#include "export.h"
#include "geodesy.h"
#include "render.h"
#include "status.h"
#include "units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A named point: an event, or coordinates given inline. */
typedef struct evm_place {
    const char *name; /* UTF-8 */
    double lat_deg, lon_deg;
} evm_place_t;

/* Resolves text to a place: an event of ev by name (exact, then ignoring
 * case, as evm_events_find) or inline "lat,lon" in any form
 * evm_parse_coordinate reads. ev may be NULL (coordinates only). out's
 * name is borrowed from ev or text; *event (may be NULL) gets the event's
 * index or (size_t)-1 for coordinates. An unknown name is
 * EVM_ERR_NOT_FOUND with the closest names suggested; an ambiguous name,
 * or text that looks like coordinates but is not valid, is
 * EVM_ERR_INVALID_ARG saying why. */
EVM_API evm_status evm_place_resolve(const evm_events_t *ev, const char *text,
                                     evm_place_t *out, size_t *event,
                                     evm_error_t *err);

struct evm_gazetteer;

/* Where names are looked up: events first, then inline coordinates, then
 * the gazetteer (evmap/gazetteer.h) when there is one, with country as
 * the hint; warn (may be NULL) hears of a name several places share. */
typedef struct evm_place_lookup {
    const evm_events_t *events;            /* may be NULL */
    const struct evm_gazetteer *gazetteer; /* may be NULL */
    const char *country;                   /* may be NULL */
    evm_warning_fn warn;
    void *warn_closure;
    /* May be NULL; else counts the names the gazetteer resolved to a
     * GeoNames city, so that the map that draws them can credit GeoNames.
     * The caller's: one lookup per thread when it is set. */
    size_t *geonames_picks;
} evm_place_lookup_t;

/* evm_place_resolve with a gazetteer after the events and coordinates:
 * out's name is then borrowed from the gazetteer. lookup may be NULL. */
EVM_API evm_status evm_place_lookup(const evm_place_lookup_t *lookup,
                                    const char *text, evm_place_t *out,
                                    size_t *event, evm_error_t *err);

typedef enum evm_dist_format {
    EVM_DIST_CSV = 0,
    EVM_DIST_JSON,
    EVM_DIST_TABLE
} evm_dist_format;

/* The version of evm_evm_dist_options_t this header declares. */
#define EVM_DIST_OPTIONS_VERSION 2 /* 2: worldview */

typedef struct evm_dist_options {
    /* EVM_DIST_OPTIONS_VERSION, set by evm_dist_options_init: the
     * layout of this struct the caller was built with, so that fields can
     * be added without breaking callers built before. */
    unsigned version;
    evm_dist_format format;
    evm_units units; /* of the distance column, named distance_<unit> */
    unsigned jobs;   /* threads; 0: one per online processor */
    /* NULL, or the worldview a country's boundary was taken in
     * ("international", "de-facto"): then distances to a country get a
     * last column "worldview" holding it. */
    const char *worldview;
} evm_dist_options_t;

/* CSV, km, all processors. */
EVM_API void evm_dist_options_init(evm_dist_options_t *opt);
/* "csv", "json", "table" or EVM_ERR_INVALID_ARG. */
EVM_API evm_status evm_dist_format_parse(const char *text,
                                         evm_dist_format *out);
/* The number of online processors, at least 1. */
EVM_API unsigned evm_dist_default_jobs(void);

/* Every pair once, i < j, in the order (0,1), (0,2), ... (1,2), ...:
 * n (n - 1) / 2 rows of from, to, distance_<unit>, initial_bearing_deg,
 * final_bearing_deg. Bearings are compass bearings in [0, 360): the
 * direction of departure at `from` and of travel on arrival at `to`. */
EVM_API evm_status evm_dist_write_pairs(const evm_place_t *places, size_t n,
                                        const evm_dist_options_t *opt,
                                        evm_write_fn write, void *closure,
                                        evm_error_t *err);

/* Place `from` to every other place, in order: n - 1 rows as above. */
EVM_API evm_status evm_dist_write_from(const evm_place_t *places, size_t n,
                                       size_t from,
                                       const evm_dist_options_t *opt,
                                       evm_write_fn write, void *closure,
                                       evm_error_t *err);

/* The square matrix of distances, row i from place i: CSV has a header
 * row of names after a first cell "from"; JSON is an object with
 * "units", "names" and "distances" (an array of rows). Entry (i, j) and
 * (j, i) are the same number. */
EVM_API evm_status evm_dist_write_matrix(const evm_place_t *places, size_t n,
                                         const evm_dist_options_t *opt,
                                         evm_write_fn write, void *closure,
                                         evm_error_t *err);

/* For each place, the nearest point of lines: rows of event,
 * country|line, distance_<unit>, nearest_lat, nearest_lon, and for a set
 * made from a country, inside (true/false). The second column is named
 * "country" for such a set and "line" otherwise, and holds the set's
 * name. */
EVM_API evm_status evm_dist_write_nearest(const evm_place_t *places, size_t n,
                                          const evm_lines_t *lines,
                                          const evm_dist_options_t *opt,
                                          evm_write_fn write, void *closure,
                                          evm_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
