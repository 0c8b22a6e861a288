/* A user's own GeoJSON base layer (`--layer FILE.geojson[:style]`):
 * polygons and lines read with the position of each feature, so that a
 * bad feature is named by file:line:column (user_layer.c). */
#ifndef EVM_LOAD_USER_LAYER_H
#define EVM_LOAD_USER_LAYER_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/map.h>
#include <evmap/status.h>

/* Ring r spans pts[2 * off[r] .. 2 * off[r + 1]) (lon, lat pairs);
 * closed[r] says whether it is a polygon ring (filled) or a line. */
struct evm_user_layer {
    char *path; /* as given, for messages */
    double *pts;
    size_t *off; /* n_rings + 1 */
    bool *closed;
    size_t n_rings, cap_rings, n_pts, cap_pts;
    size_t n_polygons, n_lines; /* features drawn */
    size_t n_points;            /* Point/MultiPoint features: not drawn */
    evm_map_layer_style_t style;
};

/* Reads the GeoJSON file at path: a FeatureCollection, a Feature or a
 * bare geometry of Polygon, MultiPolygon, LineString, MultiLineString
 * (Point and MultiPoint features are counted, not drawn; a null
 * geometry is skipped). Positions need finite longitude in [-180, 180]
 * and latitude in [-90, 90]. A missing file is EVM_ERR_IO; a syntax
 * error, a bad position or an unsupported geometry EVM_ERR_PARSE naming
 * the file and the line and column where the feature at fault starts.
 * *out is the caller's to free with evm_user_layer_destroy. */
evm_status evm_user_layer_load(const char *path, size_t max_bytes,
                               evm_user_layer_t **out, evm_error_t *err);

/* The same for len bytes at data, read as the file name says (for
 * messages); data need not end in NUL. */
evm_status evm_user_layer_load_memory(const char *name, const char *data,
                                      size_t len, evm_user_layer_t **out,
                                      evm_error_t *err);

void evm_user_layer_destroy(evm_user_layer_t *l);

#endif
