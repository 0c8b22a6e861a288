/* Longitude/latitude to map coordinates through PROJ, and the rule that
 * chooses a projection for an extent.
 *
 * Two kinds of definition reach PROJ differently. A bare "+proj=..."
 * string is a conversion: PROJ builds the operation itself, which takes
 * radians. Anything else (EPSG:3857, ESRI:54030, WKT, "+type=crs") is a
 * CRS and is reached from EPSG:4326 with axes normalised to lon, lat in
 * degrees. Either way forward/inverse run proj_trans on one point, and
 * every result is checked for being finite: PROJ 9.1.1 answers some
 * impossible points with HUGE_VAL and no error, Mercator sends the pole
 * to a finite y of 2.4e8 m, and Equal Earth inverts points off the globe
 * to plausible but wrong longitudes. */
#include "geo/projection.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/num.h"
#include "geo/grid.h"

/* <math.h> of strict C11 has no M_PI. */
#define EVM_PI 3.14159265358979323846
#define DEG_TO_RAD (EVM_PI / 180.0)
#define RAD_TO_DEG (180.0 / EVM_PI)

struct evm_projection {
    PJ_CONTEXT *ctx;
    PJ *pj;          /* forward direction: lon/lat to easting/northing */
    double in_scale; /* degrees to the angular unit pj takes */
    bool pole_ok[2]; /* [0] north, [1] south: the pole has an image */
    double lon0_deg; /* central meridian */
    double rt_tol;   /* inverse round-trip tolerance, projected units */
    char *definition;
    evm_grid_t *grid; /* set up by the view that uses the projection */
};

/* PROJ's current error as text for a person. */
static const char *proj_text(PJ_CONTEXT *ctx)
{
    int e = proj_context_errno(ctx);
    const char *s = e ? proj_context_errno_string(ctx, e) : NULL;
    return s && *s ? s : "unknown PROJ error";
}

/* A definition is a conversion when it is a PROJ string ("+proj=" or
 * "proj=" first) with no "type=crs" token. */
static bool is_conversion_string(const char *def)
{
    while (isspace((unsigned char)*def))
        def++;
    if (strncmp(def, "+proj=", 6) != 0 && strncmp(def, "proj=", 5) != 0)
        return false;
    return strstr(def, "type=crs") == NULL;
}

bool evm_projection_needs_database(const char *definition)
{
    return !is_conversion_string(definition) || strstr(definition, "init=") ||
           strstr(definition, "grids=");
}

/* The text after "key=" of a PROJ string's token "+key=value" (the '+'
 * is optional), or NULL. */
static const char *proj_string_value(const char *def, const char *key)
{
    size_t klen = strlen(key);
    const char *s = def;
    while (*s) {
        while (isspace((unsigned char)*s))
            s++;
        const char *tok = *s == '+' ? s + 1 : s;
        if (strncmp(tok, key, klen) == 0 && tok[klen] == '=')
            return tok + klen + 1;
        while (*s && !isspace((unsigned char)*s))
            s++;
    }
    return NULL;
}

/* An angle token ("lon_0=10", "lon_0=10d30'W") in degrees, read with
 * PROJ's own DMS parser. */
static bool proj_string_angle_deg(const char *def, const char *key, double *deg)
{
    const char *v = proj_string_value(def, key);
    if (!v)
        return false;
    char *end = NULL;
    double rad = proj_dmstor(v, &end);
    if (end == v || !isfinite(rad) || fabs(rad) == HUGE_VAL)
        return false;
    *deg = rad * RAD_TO_DEG;
    return true;
}

/* A length token ("x_0=500000") or 0. */
static double proj_string_length(const char *def, const char *key)
{
    const char *v = proj_string_value(def, key);
    if (!v)
        return 0;
    double len = evm_num_strtod(v, NULL);
    return isfinite(len) ? len : 0;
}

static bool name_is_central_meridian(const char *name)
{
    if (!name)
        return false;
    char low[96];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof low; i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    low[i] = '\0';
    if (strstr(low, "central_meridian") || strstr(low, "central meridian"))
        return true;
    return strstr(low, "longitude") &&
           (strstr(low, "origin") || strstr(low, "centre") ||
            strstr(low, "center"));
}

/* The central meridian of a CRS from its conversion's parameters (EPSG
 * 8802 longitude of natural origin, 8822 of false origin, 8812 of the
 * projection centre, 8833 of origin, or an ESRI-style name), plus the
 * prime meridian's longitude. */
static bool crs_lon0_deg(PJ_CONTEXT *ctx, const PJ *crs, double *deg)
{
    PJ *op = proj_crs_get_coordoperation(ctx, crs);
    if (!op)
        return false;
    bool found = false;
    int n = proj_coordoperation_get_param_count(ctx, op);
    for (int i = 0; i < n && !found; i++) {
        const char *name = NULL, *code = NULL;
        double value = 0, to_rad = 0;
        if (!proj_coordoperation_get_param(ctx, op, i, &name, NULL, &code,
                                           &value, NULL, &to_rad, NULL, NULL,
                                           NULL, NULL))
            continue;
        bool lon = code && (!strcmp(code, "8802") || !strcmp(code, "8822") ||
                            !strcmp(code, "8812") || !strcmp(code, "8833"));
        if ((lon || name_is_central_meridian(name)) && to_rad > 0) {
            *deg = value * to_rad * RAD_TO_DEG;
            found = isfinite(*deg);
        }
    }
    proj_destroy(op);
    if (!found)
        return false;
    PJ *pm = proj_get_prime_meridian(ctx, crs);
    if (pm) {
        double pm_lon = 0, pm_to_rad = 0;
        if (proj_prime_meridian_get_parameters(ctx, pm, &pm_lon, &pm_to_rad,
                                               NULL) &&
            pm_to_rad > 0 && isfinite(pm_lon))
            *deg += pm_lon * pm_to_rad * RAD_TO_DEG;
        proj_destroy(pm);
    }
    return true;
}

/* lon in (-180, 180] is kept; anything else is reduced into [-180, 180]. */
static double wrap_lon(double lon)
{
    if (lon < -180 || lon > 180)
        lon = remainder(lon, 360.0);
    return lon;
}

/* proj_trans of one point; false on an error or a non-finite result, and
 * then the PJ's errno is cleared so that the next point starts clean. */
static bool trans(const evm_projection_t *p, PJ_DIRECTION dir, double a,
                  double b, double *u, double *v)
{
    PJ_COORD c;
    c.v[0] = a;
    c.v[1] = b;
    c.v[2] = 0;
    c.v[3] = 0;
    c = proj_trans(p->pj, dir, c);
    if (!isfinite(c.v[0]) || !isfinite(c.v[1]) || proj_errno(p->pj)) {
        proj_errno_reset(p->pj);
        return false;
    }
    *u = c.v[0];
    *v = c.v[1];
    return true;
}

/* forward without the pole check, for probing. */
static bool forward_raw(const evm_projection_t *p, double lon_deg,
                        double lat_deg, double *x, double *y)
{
    if (!isfinite(lon_deg) || !isfinite(lat_deg) || fabs(lat_deg) > 90)
        return false;
    lon_deg = wrap_lon(lon_deg);
    return trans(p, PJ_FWD, lon_deg * p->in_scale, lat_deg * p->in_scale, x, y);
}

bool evm_projection_forward(const evm_projection_t *p, double lon_deg,
                            double lat_deg, double *x, double *y)
{
    /* Mercator maps the pole to a finite but meaningless y; the probe at
     * creation found which poles have a true image. */
    if (lat_deg == 90 && !p->pole_ok[0])
        return false;
    if (lat_deg == -90 && !p->pole_ok[1])
        return false;
    return forward_raw(p, lon_deg, lat_deg, x, y);
}

/* Newton steps on the forward projection from PROJ's inverse (lon, lat),
 * whose image is (fx, fy), towards the target (x, y). PROJ 9.1.1's
 * ellipsoidal Equal Earth inverse goes through a series for the authalic
 * latitude that is good to about 1e-8 degrees; two steps with a
 * finite-difference Jacobian bring any inverse to the forward's own
 * precision. A step that does not reduce the residual is not taken. */
static void refine(const evm_projection_t *p, double x, double y, double *lon,
                   double *lat, double fx, double fy)
{
    double res = hypot(fx - x, fy - y);
    for (int iter = 0; iter < 2; iter++) {
        /* 1e-12 degrees is about 0.1 micrometre. */
        if (res <= 1e-12 * p->rt_tol / 1e-5)
            return;
        /* Differences taken towards the centre of the map, away from the
         * cut and the poles. */
        double h = 1e-6;
        double rel = remainder(*lon - p->lon0_deg, 360.0);
        double hl = rel > 0 ? -h : h, hp = *lat > 0 ? -h : h;
        double ax, ay, bx, by;
        if (!forward_raw(p, *lon + hl, *lat, &ax, &ay) ||
            !forward_raw(p, *lon, *lat + hp, &bx, &by))
            return;
        double j11 = (ax - fx) / hl, j21 = (ay - fy) / hl;
        double j12 = (bx - fx) / hp, j22 = (by - fy) / hp;
        double det = j11 * j22 - j12 * j21;
        if (!(fabs(det) > 0) || !isfinite(det))
            return;
        double ex = x - fx, ey = y - fy;
        double dlon = (j22 * ex - j12 * ey) / det;
        double dlat = (j11 * ey - j21 * ex) / det;
        double lon2 = *lon + dlon, lat2 = *lat + dlat;
        double gx, gy;
        if (fabs(lat2) > 90 || !forward_raw(p, lon2, lat2, &gx, &gy))
            return;
        double res2 = hypot(gx - x, gy - y);
        if (!(res2 < res))
            return;
        *lon = lon2;
        *lat = lat2;
        fx = gx;
        fy = gy;
        res = res2;
    }
}

bool evm_projection_inverse(const evm_projection_t *p, double x, double y,
                            double *lon_deg, double *lat_deg)
{
    if (!isfinite(x) || !isfinite(y))
        return false;
    double lon, lat;
    if (!trans(p, PJ_INV, x, y, &lon, &lat))
        return false;
    lon /= p->in_scale;
    lat /= p->in_scale;
    if (fabs(lat) > 90 + 1e-9)
        return false;
    lat = fmax(-90.0, fmin(90.0, lat));
    /* Some inverses (Equal Earth, Mercator past +-180) answer points off
     * the globe without an error; only a point that projects back to
     * where it came from is on the globe. */
    double x2, y2;
    if (!evm_projection_forward(p, lon, lat, &x2, &y2))
        return false;
    double tol = p->rt_tol + 1e-9 * (fabs(x) + fabs(y));
    if (fabs(x2 - x) > tol || fabs(y2 - y) > tol)
        return false;
    refine(p, x, y, &lon, &lat, x2, y2);
    *lon_deg = wrap_lon(lon);
    *lat_deg = lat;
    return true;
}

double evm_projection_lon0(const evm_projection_t *p)
{
    return p->lon0_deg;
}

const char *evm_projection_definition(const evm_projection_t *p)
{
    return p->definition;
}

/* Refuses a CRS that is not a map projection. A bound CRS is judged by
 * its source, a compound CRS by its horizontal part. */
static evm_status check_crs(PJ_CONTEXT *ctx, PJ *crs, const char *def,
                            evm_error_t *err)
{
    PJ *owned = NULL;
    PJ_TYPE t = proj_get_type(crs);
    if (t == PJ_TYPE_BOUND_CRS)
        owned = proj_get_source_crs(ctx, crs);
    else if (t == PJ_TYPE_COMPOUND_CRS)
        owned = proj_crs_get_sub_crs(ctx, crs, 0);
    if (owned)
        t = proj_get_type(owned);
    proj_destroy(owned);
    switch (t) {
    case PJ_TYPE_GEOGRAPHIC_CRS:
    case PJ_TYPE_GEOGRAPHIC_2D_CRS:
    case PJ_TYPE_GEOGRAPHIC_3D_CRS:
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "\"%.80s\" is a geographic CRS (longitude and "
                             "latitude), not a map projection",
                             def);
    case PJ_TYPE_GEOCENTRIC_CRS:
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "\"%.80s\" is a geocentric CRS, not a map "
                             "projection",
                             def);
    default:
        return EVM_OK;
    }
}

/* Builds p->pj for a bare PROJ string: the operation must take an angle
 * pair and give a planar pair. */
static evm_status create_conversion(evm_projection_t *p, const char *def,
                                    evm_error_t *err)
{
    p->pj = proj_create(p->ctx, def);
    if (!p->pj)
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "PROJ cannot use \"%.80s\": %s", def,
                             proj_text(p->ctx));
    if (proj_angular_output(p->pj, PJ_FWD) || proj_degree_output(p->pj, PJ_FWD))
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "\"%.80s\" gives longitude and latitude, not a "
                             "map projection",
                             def);
    if (proj_degree_input(p->pj, PJ_FWD))
        p->in_scale = 1.0;
    else if (proj_angular_input(p->pj, PJ_FWD))
        p->in_scale = DEG_TO_RAD;
    else
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "\"%.80s\" does not take longitude and "
                             "latitude",
                             def);
    return EVM_OK;
}

static evm_status create_from_crs(evm_projection_t *p, const char *def,
                                  evm_error_t *err)
{
    PJ *crs = proj_create(p->ctx, def);
    if (!crs)
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "PROJ cannot use \"%.80s\": %s", def,
                             proj_text(p->ctx));
    if (!proj_is_crs(crs)) {
        proj_destroy(crs);
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "\"%.80s\" is neither a CRS nor a \"+proj=\" "
                             "string",
                             def);
    }
    evm_status st = check_crs(p->ctx, crs, def, err);
    if (st) {
        proj_destroy(crs);
        return st;
    }
    double lon0;
    if (crs_lon0_deg(p->ctx, crs, &lon0))
        p->lon0_deg = lon0;
    proj_destroy(crs);
    PJ *op = proj_create_crs_to_crs(p->ctx, "EPSG:4326", def, NULL);
    if (!op)
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "PROJ finds no way from WGS84 to \"%.80s\": %s",
                             def, proj_text(p->ctx));
    p->pj = proj_normalize_for_visualization(p->ctx, op);
    proj_destroy(op);
    if (!p->pj)
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "PROJ cannot order the axes of \"%.80s\": %s", def,
                             proj_text(p->ctx));
    p->in_scale = 1.0;
    return EVM_OK;
}

/* The central meridian when the CRS parameters did not give it: +lon_0 of
 * a PROJ string, else the meridian of the inverse of the false origin
 * (x_0, y_0), else 0. */
static void find_lon0(evm_projection_t *p, bool have)
{
    if (have)
        return;
    double deg, lon, lat;
    if (proj_string_angle_deg(p->definition, "lon_0", &deg)) {
        p->lon0_deg = deg;
        return;
    }
    double x0 = proj_string_length(p->definition, "x_0");
    double y0 = proj_string_length(p->definition, "y_0");
    if (trans(p, PJ_INV, x0, y0, &lon, &lat) && isfinite(lon / p->in_scale))
        p->lon0_deg = lon / p->in_scale;
    else
        p->lon0_deg = 0;
}

/* Probes the projection once: projected units per degree near the
 * origin (for the inverse's round-trip tolerance) and whether each pole
 * has a true image. A pole whose image is far from that of a point
 * 1e-6 degrees away is a singularity (Mercator), not a point of the map. */
static void probe(evm_projection_t *p)
{
    double unit_per_deg = 0;
    static const double probe_lat[] = {0, 45, -45, 60, -60};
    for (size_t i = 0; i < sizeof probe_lat / sizeof *probe_lat; i++) {
        double xa, ya, xb, yb;
        if (forward_raw(p, p->lon0_deg, probe_lat[i], &xa, &ya) &&
            forward_raw(p, p->lon0_deg, probe_lat[i] + 1e-3, &xb, &yb)) {
            unit_per_deg = hypot(xb - xa, yb - ya) / 1e-3;
            if (unit_per_deg > 0)
                break;
        }
    }
    /* 1e-5 degrees (about 1 m) absorbs PROJ's iterative inverses. */
    p->rt_tol = unit_per_deg > 0 ? 1e-5 * unit_per_deg : 1e-3;
    for (int k = 0; k < 2; k++) {
        double lat = k == 0 ? 90.0 : -90.0;
        double near = k == 0 ? 90.0 - 1e-6 : -90.0 + 1e-6;
        double xa, ya, xb, yb;
        p->pole_ok[k] = forward_raw(p, p->lon0_deg, lat, &xa, &ya) &&
                        forward_raw(p, p->lon0_deg, near, &xb, &yb) &&
                        hypot(xb - xa, yb - ya) <= 1e3 * 1e-6 * unit_per_deg;
    }
}

evm_status evm_projection_create(PJ_CONTEXT *ctx, const char *definition,
                                 evm_projection_t **out, evm_error_t *err)
{
    *out = NULL;
    if (!definition || !*definition)
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "the projection definition is empty");
    evm_projection_t *p = calloc(1, sizeof *p);
    if (!p || !(p->definition = evm_strdup(definition)) ||
        !(p->grid = evm_grid_create())) {
        evm_projection_destroy(p);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory creating a projection");
    }
    p->ctx = ctx;
    bool have_lon0 = false;
    evm_status st;
    if (is_conversion_string(definition)) {
        st = create_conversion(p, definition, err);
        /* The same string as a CRS exposes parameters PROJ fills in
         * itself, such as the central meridian of +proj=utm +zone=33. */
        if (!st) {
            size_t n = strlen(definition) + sizeof " +type=crs";
            char *as_crs = malloc(n);
            if (as_crs) {
                snprintf(as_crs, n, "%s +type=crs", definition);
                PJ *crs = proj_create(ctx, as_crs);
                double lon0;
                if (crs && proj_is_crs(crs) && crs_lon0_deg(ctx, crs, &lon0)) {
                    p->lon0_deg = lon0;
                    have_lon0 = true;
                }
                proj_destroy(crs);
                free(as_crs);
            }
        }
    } else {
        p->lon0_deg = NAN;
        st = create_from_crs(p, definition, err);
        have_lon0 = !isnan(p->lon0_deg);
    }
    if (st) {
        evm_projection_destroy(p);
        return st;
    }
    proj_errno_reset(p->pj);
    find_lon0(p, have_lon0);
    p->lon0_deg = wrap_lon(p->lon0_deg);
    probe(p);
    *out = p;
    return EVM_OK;
}

void evm_projection_destroy(evm_projection_t *p)
{
    if (!p)
        return;
    proj_destroy(p->pj);
    free(p->definition);
    evm_grid_destroy(p->grid);
    free(p);
}

evm_grid_t *evm_projection_grid(const evm_projection_t *p)
{
    return p->grid;
}

/* A number in degrees with at most 6 decimals and no trailing zeros
 * ("38.333333", "-175", "0"), whatever the locale: PROJ reads its
 * definitions with a '.'. */
static void fmt_deg(char *buf, size_t cap, double deg)
{
    char num[EVM_NUM_MAX];
    size_t n = evm_num_fixed(num, deg, 6, true);
    if (n >= cap) /* not for degrees, which need at most 11 bytes */
        n = cap - 1;
    memcpy(buf, num, n);
    buf[n] = '\0';
}

evm_status evm_projection_choose(double w, double s, double e, double n,
                                 char *def, size_t cap, evm_error_t *err)
{
    if (cap)
        def[0] = '\0';
    if (!isfinite(w) || !isfinite(s) || !isfinite(e) || !isfinite(n) ||
        s < -90 || n > 90 || s > n || e < w || e - w > 360)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the extent W %g, S %g, E %g, N %g is not a "
                             "longitude/latitude box",
                             w, s, e, n);
    double lon_span = e - w, lat_span = n - s;
    double lat_mid = (s + n) / 2;
    /* E may exceed 180 for a box across the antimeridian: the middle
     * meridian is then past 180 and is brought back into [-180, 180). */
    double lon_mid = fmod((w + e) / 2 + 180.0, 360.0);
    if (lon_mid < 0)
        lon_mid += 360.0;
    lon_mid -= 180.0;
    char lon0[32], lat0[32], lat1[32], lat2[32];
    fmt_deg(lon0, sizeof lon0, lon_mid);
    int len;
    /* Polar data first: a set wholly beyond 60 degrees of latitude, one
     * that reaches a pole, or one beyond 45 degrees that spreads over
     * more than 150 degrees of longitude, which Equal Earth would show
     * as a thin strip along its top or bottom. */
    bool north = s > 0 && (s >= 60 || n >= 89.5 || (s >= 45 && lon_span > 150));
    bool south =
        n < 0 && (n <= -60 || s <= -89.5 || (n <= -45 && lon_span > 150));
    /* A band of middle latitudes round much of one hemisphere (Russia,
     * Canada, Moscow to Anchorage): a cone fits it, where Equal Earth
     * would show it as a strip above a page of empty tropics. */
    bool mid_wide = lon_span > 150 && lon_span < 180 && lat_span <= 50 &&
                    (s >= 30 || n <= -30);
    if (north || south) {
        len = snprintf(def, cap,
                       "+proj=laea +lat_0=%s +lon_0=%s +ellps=WGS84 "
                       "+units=m +no_defs",
                       north ? "90" : "-90", lon0);
    } else if ((lon_span > 150 && !mid_wide) || lat_span > 100) {
        len = snprintf(def, cap,
                       "+proj=eqearth +lon_0=%s +ellps=WGS84 +units=m "
                       "+no_defs",
                       lon0);
    } else if ((n > 75 || s < -75) && !mid_wide) {
        /* Both poles within reach means a latitude span over 150, taken
         * above; so exactly one pole is near. */
        len = snprintf(def, cap,
                       "+proj=laea +lat_0=%s +lon_0=%s +ellps=WGS84 "
                       "+units=m +no_defs",
                       n > 75 ? "90" : "-90", lon0);
    } else if (fabs(lat_mid) <= 20) {
        len = snprintf(def, cap,
                       "+proj=merc +lon_0=%s +ellps=WGS84 +units=m +no_defs",
                       lon0);
    } else {
        fmt_deg(lat1, sizeof lat1, s + lat_span / 6);
        fmt_deg(lat2, sizeof lat2, s + lat_span * 5 / 6);
        fmt_deg(lat0, sizeof lat0, lat_mid);
        len = snprintf(def, cap,
                       "+proj=lcc +lat_1=%s +lat_2=%s +lat_0=%s +lon_0=%s "
                       "+ellps=WGS84 +units=m +no_defs",
                       lat1, lat2, lat0, lon0);
    }
    if (len < 0 || (size_t)len >= cap) {
        if (cap)
            def[0] = '\0';
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no room for the projection definition (%zu "
                             "bytes)",
                             cap);
    }
    return EVM_OK;
}

bool evm_projection_domain(const evm_projection_t *p, double box[4],
                           bool *horizon)
{
    /* Every 2 degrees over the globe, relative to the central meridian,
     * the cut itself nudged inwards so that each side keeps its own
     * edge. A point that cannot be projected away from the poles marks
     * a horizon (orthographic, a near-side perspective). */
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    bool hidden = false;
    for (int i = 0; i <= 180; i++) {
        double rel = -180.0 + 2.0 * i;
        rel = fmax(-180.0 + 1e-9, fmin(180.0 - 1e-9, rel));
        for (int j = 0; j <= 90; j++) {
            double lat = -90.0 + 2.0 * j, x, y;
            if (!evm_projection_forward(p, p->lon0_deg + rel, lat, &x, &y)) {
                if (fabs(lat) < 89)
                    hidden = true;
                continue;
            }
            x0 = fmin(x0, x);
            x1 = fmax(x1, x);
            y0 = fmin(y0, y);
            y1 = fmax(y1, y);
        }
    }
    if (horizon)
        *horizon = hidden;
    if (!(x1 >= x0) || !(y1 >= y0))
        return false;
    box[0] = x0;
    box[1] = y0;
    box[2] = x1;
    box[3] = y1;
    return true;
}
