/* A whole point in one cell (point_cell.c): "lat, lon", WKT POINT or a
 * GeoJSON Point object, as CSV exports from GIS tools and spreadsheets
 * write it. */
#ifndef EVM_LOAD_POINT_CELL_H
#define EVM_LOAD_POINT_CELL_H

#include <stddef.h>

#include <evmap/status.h>

/* Reads text as one of
 *   "39.03, 125.75" or "(39.03, 125.75)"   latitude first, as people say it
 *   "POINT(125.75 39.03)", "POINT Z (x y z)", "SRID=4326;POINT(x y)"
 *                                           WKT and EWKT: longitude first
 *   {"type": "Point", "coordinates": [125.75, 39.03]}   GeoJSON
 * into degrees. The latitude and longitude texts go through
 * evm_parse_coordinate, so the same forms and range checks apply. On
 * failure EVM_ERR_PARSE with a predicate in why ("is not a point: ..."). */
evm_status evm_parse_point_cell(const char *text, double *lat_deg,
                                double *lon_deg, char *why, size_t why_cap);

#endif
