/* GeoJSON LineString and MultiLineString geometries to plain polylines,
 * for nearest-point queries against a user's line (`--to-line`). */
#ifndef EVM_LOAD_GEOJSON_LINE_H
#define EVM_LOAD_GEOJSON_LINE_H

#include <stddef.h>

#include <evmap/status.h>

/* Polylines as (longitude, latitude) pairs: line k has the points
 * pts[2 * start[k] .. 2 * start[k + 1]). */
typedef struct evm_polylines {
    double *pts;
    size_t n_pts, cap_pts;
    size_t *start; /* n_lines + 1 entries once decoded */
    size_t n_lines, cap_lines;
} evm_polylines_t;

/* Decodes the GeoJSON text data[0..len) (not NUL-terminated): a
 * LineString, a MultiLineString, a GeometryCollection of them, a Feature
 * with one of them (or a null geometry, skipped), or a FeatureCollection
 * of such Features. Positions need two numbers (more are ignored), a
 * latitude in [-90, 90] and a finite longitude; a line needs two
 * positions. Anything else is EVM_ERR_PARSE with a JSON path to it
 * ("features[3].geometry.coordinates[7]"), a syntax error with jansson's
 * line and column. name is used in messages. On success out holds the
 * lines (at least one) and the caller frees it with
 * evm_polylines_free. */
evm_status evm_geojson_lines_decode(const void *data, size_t len,
                                    const char *name, evm_polylines_t *out,
                                    evm_error_t *err);

void evm_polylines_free(evm_polylines_t *p);

#endif
