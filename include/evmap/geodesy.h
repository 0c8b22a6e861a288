/* Geodesics on the WGS84 ellipsoid, and nearest points on lines.
 *
 * Distances and azimuths are Karney's solutions of the geodesic problems
 * (PROJ's geodesic.h): accurate to about 15 nanometres anywhere on the
 * ellipsoid, nearly antipodal points included. The numeric functions are
 * total: a NaN or a latitude outside [-90, 90] gives NaN results, every
 * output pointer may be NULL, nothing allocates, and all may be called
 * from many threads at once.
 *
 * evm_lines_t is a set of polylines whose segments are geodesics between
 * their vertices (a border, a coastline, a front line), indexed so that
 * the nearest point to a query is found among tens of thousands of
 * segments in microseconds. A set made from a country also knows which
 * points lie inside the country. */
#ifndef EVMAP_GEODESY_H
#define EVMAP_GEODESY_H

#include <stdbool.h>
#include <stddef.h>

#include "export.h"
#include "geodata.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The inverse problem: the shortest geodesic from point 1 to point 2.
 * Latitudes in degrees, [-90, 90]; longitudes in degrees, any finite
 * value. *dist_m: its length in metres, [0, 20003931.46]; *azi1_deg: its
 * azimuth at point 1; *azi2_deg: its forward azimuth at point 2 (the
 * direction of travel on arrival); azimuths in degrees clockwise from
 * north, [-180, 180]. */
EVM_API void evm_geodesic_inverse(double lat1_deg, double lon1_deg,
                                  double lat2_deg, double lon2_deg,
                                  double *dist_m, double *azi1_deg,
                                  double *azi2_deg);

/* The direct problem: where a geodesic leaving point 1 with azimuth
 * azi1_deg ends after dist_m metres (negative: backwards). *lon2_deg is
 * in [-180, 180]; *azi2_deg is the forward azimuth there. */
EVM_API void evm_geodesic_direct(double lat1_deg, double lon1_deg,
                                 double azi1_deg, double dist_m,
                                 double *lat2_deg, double *lon2_deg,
                                 double *azi2_deg);

/* An azimuth in degrees as a compass bearing in [0, 360): -90 -> 270,
 * -0 -> 0. NaN stays NaN. */
EVM_API double evm_bearing_deg(double azi_deg);

/* ---- Nearest points on lines ------------------------------------------ */

typedef struct evm_lines evm_lines_t;

/* The point of a line set nearest to a query point. */
typedef struct evm_nearest {
    double dist_m;  /* geodesic distance, metres; NaN when none */
    double lat_deg; /* the nearest point */
    double lon_deg; /* in [-180, 180] */
    size_t line;    /* the line it lies on */
    size_t vertex;  /* on the segment from this vertex to the next (or at
                       this vertex, along_m = 0) */
    double along_m; /* metres from that vertex along the segment */
} evm_nearest_t;

/* Builds a line set from n_lines polylines: line k has the points
 * lonlat[2 * start[k] .. 2 * start[k + 1]) as (longitude, latitude)
 * pairs in degrees (start has n_lines + 1 entries). Each segment is the
 * geodesic between consecutive points; a line of one point is that point.
 * name labels the set in output (copied; NULL: ""). EVM_ERR_INVALID_ARG
 * for a latitude outside [-90, 90], a non-finite coordinate or a line
 * with no point. The caller owns *out. */
EVM_API evm_status evm_lines_create(const char *name, const double *lonlat,
                                    const size_t *start, size_t n_lines,
                                    evm_lines_t **out, evm_error_t *err);

/* Reads a GeoJSON file (a geometry, a Feature or a FeatureCollection) of
 * LineString and MultiLineString geometries. Any other geometry type is
 * an error naming where it is. The set is named after the file. A file
 * larger than 256 MiB is EVM_ERR_PARSE (memory stays bounded whatever
 * the input, /dev/zero included). */
EVM_API evm_status evm_lines_load_geojson(const char *path, evm_lines_t **out,
                                          evm_error_t *err);
/* The same with another size limit in bytes (0: 256 MiB). */
EVM_API evm_status evm_lines_load_geojson_capped(const char *path,
                                                 size_t max_bytes,
                                                 evm_lines_t **out,
                                                 evm_error_t *err);
/* The same from memory; display_name names it in messages and output. */
EVM_API evm_status evm_lines_load_geojson_memory(const char *display_name,
                                                 const void *data, size_t len,
                                                 evm_lines_t **out,
                                                 evm_error_t *err);

/* The boundary of a country of a base map: its coastline and its land
 * borders, or with land_only its land borders alone (the arcs it shares
 * with another country). Edges along the antimeridian where the data cut
 * a country in two are not boundary and are left out, as are edges
 * between two parts of the same country. The set is named after the
 * country and can tell inside from outside (evm_lines_contains); it
 * borrows map, which must outlive it. A country with no such boundary
 * (land_only for an island) gives an empty set. */
EVM_API evm_status evm_lines_from_country(const evm_basemap_t *map,
                                          size_t country, bool land_only,
                                          evm_lines_t **out, evm_error_t *err);

/* Frees; NULL is a no-op. */
EVM_API void evm_lines_destroy(evm_lines_t *lines);

EVM_API const char *evm_lines_name(const evm_lines_t *lines);
EVM_API size_t evm_lines_count(const evm_lines_t *lines);
/* Points of line k, as (longitude, latitude) pairs; borrowed. */
EVM_API size_t evm_lines_point_count(const evm_lines_t *lines, size_t k);
EVM_API const double *evm_lines_points(const evm_lines_t *lines, size_t k);

/* The nearest point of the set to (lat_deg, lon_deg), searched along
 * every segment (not only at vertices): exact to well under a millimetre.
 * Segments that cannot hold a nearer point than one already found are
 * skipped by a bound, so a query costs a few dozen geodesics. Returns
 * false (and dist_m NaN) when the set is empty or the point invalid.
 * Safe to call from many threads on one set. */
EVM_API bool evm_lines_nearest(const evm_lines_t *lines, double lat_deg,
                               double lon_deg, evm_nearest_t *out);

/* For a set made from a country: 1 when the point is inside the country,
 * 0 when outside; -1 for sets that are not an area. Decided on the data's
 * polygons with edges straight in longitude and latitude, as they are
 * drawn, so a point within a few metres of the boundary (a few hundred at
 * 1:110m) may be judged differently from the geodesic boundary that
 * evm_lines_nearest measures to. */
EVM_API int evm_lines_contains(const evm_lines_t *lines, double lat_deg,
                               double lon_deg);

#ifdef __cplusplus
}
#endif

#endif
