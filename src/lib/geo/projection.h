/* Projection of longitude/latitude to map coordinates through PROJ, and
 * the rule that chooses a projection from the data's extent. */
#ifndef EVM_GEO_PROJECTION_H
#define EVM_GEO_PROJECTION_H

#include <stdbool.h>
#include <stddef.h>

#include <proj.h>

#include <evmap/status.h>

typedef struct evm_projection evm_projection_t;

/* Creates a projection from anything PROJ accepts: "EPSG:3857",
 * "ESRI:54030", a "+proj=..." string (with or without +type=crs), WKT.
 * A CRS is reached from WGS84 longitude/latitude; a geographic CRS is
 * refused (it is not a map projection). The PJ objects live in ctx, which
 * must outlive the projection. */
evm_status evm_projection_create(PJ_CONTEXT *ctx, const char *definition,
                                 evm_projection_t **out, evm_error_t *err);
void evm_projection_destroy(evm_projection_t *p);

/* lon/lat in degrees to projected x (east), y (north), in the
 * projection's units. false when the point cannot be represented (PROJ
 * error or a non-finite result: never (0, 0)). */
bool evm_projection_forward(const evm_projection_t *p, double lon_deg,
                            double lat_deg, double *x, double *y);
bool evm_projection_inverse(const evm_projection_t *p, double x, double y,
                            double *lon_deg, double *lat_deg);

/* Central meridian in degrees: the map is cut at lon0 + 180. Read from the
 * definition's +lon_0 when present, else found by inverse-projecting the
 * false origin; 0 if neither works. */
double evm_projection_lon0(const evm_projection_t *p);
const char *evm_projection_definition(const evm_projection_t *p);

/* Chooses a projection for an extent (W, S, E, N degrees; E may exceed
 * 180 when the box crosses the antimeridian) and writes a PROJ string into
 * def. The rule, documented in docs/projections.md:
 *  - span over 150 deg of longitude or 100 deg of latitude: Equal Earth;
 *  - reaching within 15 deg of a pole: polar Lambert azimuthal
 *    equal-area;
 *  - centre within 20 deg of the equator: Mercator;
 *  - otherwise Lambert conformal conic, standard parallels at 1/6 and 5/6
 *    of the latitude range.
 * Each is centred on the extent's middle meridian, on WGS84. */
evm_status evm_projection_choose(double w, double s, double e, double n,
                                 char *def, size_t cap, evm_error_t *err);

#endif
