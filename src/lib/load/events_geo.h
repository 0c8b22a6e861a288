/* Events from GeoJSON, KML and GPX (events_geo.c): each point becomes a
 * record for the same loader as a CSV row, so that names, kinds, dates,
 * filters and messages work as for CSV. */
#ifndef EVM_LOAD_EVENTS_GEO_H
#define EVM_LOAD_EVENTS_GEO_H

#include <stddef.h>

#include "load/csv_reader.h"

typedef enum evm_input_kind {
    EVM_INPUT_CSV = 0,
    EVM_INPUT_GEOJSON,
    EVM_INPUT_KML,
    EVM_INPUT_GPX
} evm_input_kind;

/* What the first n bytes of an input are, judged by content: JSON
 * ('{' or '[' first), XML whose root is <kml> or <gpx>, else CSV. A BOM
 * and blanks in front are skipped. */
evm_input_kind evm_input_sniff(const void *head, size_t n);

/* Parses data[0..len) (NUL-terminated at len) as kind and passes fn a
 * header record and one record per point: columns "latitude" and
 * "longitude" (as written in the file, or in shortest decimal form for
 * GeoJSON numbers), then one column per property, ExtendedData field or
 * GPX child element, in order of first appearance. What is not a point
 * (a line, a polygon, a track) is passed to skip with its line and
 * column (0 when the format has none: XML has lines only; a GeoJSON
 * feature's are where it starts) and a reason, to be reported rather
 * than dropped. Records of a GeoJSON feature's points carry its line and
 * column too.
 * XML is parsed without network access, without loading or validating
 * a DTD and without substituting entities; a document that declares
 * entities is refused. EVM_ERR_PARSE with file:line for a malformed
 * file. */
typedef evm_status (*evm_geo_skip_fn)(void *user, unsigned long line,
                                      unsigned long col, const char *reason,
                                      evm_error_t *err);
evm_status evm_geo_records(evm_input_kind kind, const char *name,
                           const char *data, size_t len, evm_csv_record_fn fn,
                           evm_geo_skip_fn skip, void *user, evm_error_t *err);

/* Parses a GPX or KML document (kind; with the same guards as
 * evm_geo_records) and passes fn the records of a routes file: a header
 * (route, from, via, to, mode, date), then one leg per line: a GPX route
 * (<rte>), each segment of a GPX track (<trk>), each KML LineString (in a
 * Placemark, also inside a MultiGeometry). A leg runs from the line's
 * first point through the others to its last, each written "lat lon" as
 * in the file; its route is the route's, track's or Placemark's name
 * ("track 2", "line 3" when it has none); its mode the GPX <type> when
 * that names one (sea, rail, ...); its date the time of its first point
 * (GPX) or the Placemark's TimeStamp or TimeSpan begin (KML). Records
 * carry the line's line number. EVM_ERR_PARSE at file:line for a line of
 * fewer than two points or a malformed point, and when the document has
 * no line at all. */
evm_status evm_geo_route_records(evm_input_kind kind, const char *name,
                                 const char *data, size_t len,
                                 evm_csv_record_fn fn, void *user,
                                 evm_error_t *err);

#endif
