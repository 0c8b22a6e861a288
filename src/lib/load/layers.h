/* The reference layers of the base map: lakes, rivers, populated places,
 * marine names and disputed areas and boundaries from Natural Earth.
 *
 * A layer is held in the same struct as the countries (and packed in the
 * same file format) with no arcs: each feature is a "country" whose name
 * is the feature's name and whose id holds its other properties, and its
 * rings are its polygon rings (exteriors clockwise and holes
 * counter-clockwise in longitude/latitude, so a non-zero fill is right),
 * its lines, or its one point. */
#ifndef EVM_LOAD_LAYERS_H
#define EVM_LOAD_LAYERS_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/geodata.h>

typedef enum evm_ref_layer {
    EVM_REF_LAKES = 0,
    EVM_REF_RIVERS,
    EVM_REF_PLACES,
    EVM_REF_MARINE, /* one point per feature: where its name goes */
    EVM_REF_DISPUTED_AREAS,
    EVM_REF_DISPUTED_LINES,
    EVM_REF_COUNT
} evm_ref_layer;

/* "lakes", "rivers", "places", "marine", "disputed-areas",
 * "disputed-lines": the file name stem, <stem>-<res>.evmgeo. */
const char *evm_ref_layer_name(evm_ref_layer layer);
/* The layer named so, or EVM_REF_COUNT. */
evm_ref_layer evm_ref_layer_parse(const char *name);

/* The point where a polygon's name goes, for n >= 3 lon/lat points of
 * its exterior ring: written to xy (lon, lat). */
typedef void (*evm_label_point_fn)(const double *ring, size_t n, double xy[2]);

/* Decodes a GeoJSON FeatureCollection (Point, LineString,
 * MultiLineString, Polygon, MultiPolygon features) into a layer. The
 * property "name" (a string, or absent: "") becomes the feature's name;
 * every other property "key=value" in its id, the pairs separated by
 * '\x1f' (numbers written with %.15g, null as empty). With label, each
 * feature becomes one point, label's point of its largest exterior ring.
 * Coordinates must be finite longitudes and latitudes. name is used in
 * messages; EVM_ERR_PARSE naming the feature at fault. */
evm_status evm_layer_decode_geojson(const char *data, size_t len,
                                    const char *name, evm_label_point_fn label,
                                    evm_basemap_t **out, evm_error_t *err);

/* A property of a feature's id ("scalerank"): copies its text into buf
 * (cap bytes) and returns true, or false when the feature has none. */
bool evm_layer_attr(const char *attrs, const char *key, char *buf, size_t cap);
/* A numeric property, or fallback when absent or not a number. */
double evm_layer_attr_num(const char *attrs, const char *key, double fallback);

/* A reference layer of geodata at a resolution (not AUTO), loaded on
 * first use as evm_geodata_get loads countries. A layer the data has
 * only at some resolutions (disputed areas at 10m) is taken from the
 * nearest finer one there is. *out is NULL (and EVM_OK) when the
 * directory has no file for the layer: geodata from the JSON alone,
 * without the packed build products, has countries only. */
evm_status evm_geodata_layer(evm_geodata_t *geodata, evm_ref_layer layer,
                             evm_basemap_res res, const evm_basemap_t **out,
                             evm_error_t *err);

#endif
