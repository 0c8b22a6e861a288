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
 * must outlive the projection. EVM_ERR_PROJ with PROJ's own words when
 * PROJ refuses the definition; *out is then NULL. The caller owns *out
 * and frees it with evm_projection_destroy (NULL is a no-op). */
evm_status evm_projection_create(PJ_CONTEXT *ctx, const char *definition,
                                 evm_projection_t **out, evm_error_t *err);
void evm_projection_destroy(evm_projection_t *p);

/* true when creating the definition may need PROJ's database: anything
 * but a plain "+proj=" conversion without init files or grids. */
bool evm_projection_needs_database(const char *definition);

/* lon/lat in degrees to projected x (east), y (north), in the
 * projection's units. false when the point cannot be represented (PROJ
 * error or a non-finite result: never (0, 0)); then *x, *y are left
 * alone. NaN, infinities and |lat| > 90 are refused, and so is a pole
 * that the projection sends to infinity (Mercator), found by probing at
 * creation. Longitudes outside [-180, 180] are reduced first.
 *
 * A projection holds a PJ: like its PJ_CONTEXT it is for one thread at a
 * time. */
bool evm_projection_forward(const evm_projection_t *p, double lon_deg,
                            double lat_deg, double *x, double *y);
/* Projected x, y to lon/lat in degrees (lon in [-180, 180]); false when
 * the point is off the globe: PROJ fails, or its answer does not project
 * back to within about 1e-5 degrees of the point (Equal Earth's inverse
 * answers points off the globe without an error). The answer is refined
 * by Newton steps on the forward projection, so round trips hold to
 * 1e-9 degrees. */
bool evm_projection_inverse(const evm_projection_t *p, double x, double y,
                            double *lon_deg, double *lat_deg);

/* Central meridian in degrees, in [-180, 180]: the map is cut at lon0 +
 * 180. Read from the CRS's conversion parameters (for a PROJ string, of
 * the string with +type=crs, which knows e.g. the meridian of a UTM
 * zone), else from the definition's +lon_0, else found by
 * inverse-projecting the false origin; 0 if none works. */
double evm_projection_lon0(const evm_projection_t *p);
/* The definition as given; borrowed, lives as long as p. */
const char *evm_projection_definition(const evm_projection_t *p);

/* The projection's interpolation cache for views (geo/grid.h); owned by
 * the projection. */
struct evm_grid *evm_projection_grid(const evm_projection_t *p);

/* Chooses a projection for an extent (W, S, E, N degrees; E may exceed
 * 180 when the box crosses the antimeridian) and writes a PROJ string into
 * def. The rule, documented in docs/projections.md:
 *  - span over 150 deg of longitude or 100 deg of latitude: Equal Earth;
 *  - reaching within 15 deg of a pole: polar Lambert azimuthal
 *    equal-area;
 *  - centre within 20 deg of the equator: Mercator;
 *  - otherwise Lambert conformal conic, standard parallels at 1/6 and 5/6
 *    of the latitude range.
 * Each is centred on the extent's middle meridian (reduced to [-180,
 * 180)), on WGS84. EVM_ERR_INVALID_ARG for a box that is not one (S > N,
 * E < W, E - W > 360, latitudes outside [-90, 90], NaN) or when cap is
 * too small; def is then "". */
evm_status evm_projection_choose(double w, double s, double e, double n,
                                 char *def, size_t cap, evm_error_t *err);

/* The projected bounding box (x0, y0, x1, y1) of the whole globe as the
 * projection shows it, sampled every 2 degrees: the region beyond which a
 * map frame would show nothing. *horizon (may be NULL) is set when part
 * of the globe has no image (the far side of an orthographic globe).
 * false when nothing could be projected. */
bool evm_projection_domain(const evm_projection_t *p, double box[4],
                           bool *horizon);

#endif
