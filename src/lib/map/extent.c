/* The automatic longitude/latitude extent, for callers that need one box
 * in degrees (a batch's shared extent for animation frames): the places'
 * box the short way round the globe (evm_places_box), padded so markers
 * and labels have room. Maps themselves are framed on the projected box
 * (frame_fit.c). The places are the events and every point of the route
 * legs, waypoints that are no event included. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/context_internal.h"
#include "core/error.h"
#include "load/basemap_internal.h"
#include "map/extent.h"
#include "map/layout_internal.h"

static void padded(const double box[4], double extent[4])
{
    double w = box[0], e = box[2], s = box[1], n = box[3];
    double lon_span = e - w, lat_span = n - s;
    /* Pad by 15 % of the span, at least 1.5 degrees; a single place gets
     * a box about 10 degrees across. */
    double lat_pad = fmax(0.15 * lat_span, 1.5);
    double lon_pad = fmax(0.15 * lon_span, 1.5);
    if (lat_span < 4)
        lat_pad = fmax(lat_pad, (4 - lat_span) / 2 + 1.5);
    if (lon_span < 4)
        lon_pad = fmax(lon_pad, (4 - lon_span) / 2 + 1.5);
    extent[0] = w - lon_pad;
    extent[2] = e + lon_pad;
    if (extent[2] - extent[0] > 360) {
        extent[0] = -180;
        extent[2] = 180;
    }
    extent[1] = fmax(s - lat_pad, -90);
    extent[3] = fmin(n + lat_pad, 90);
}

bool evm_auto_extent_routes(const evm_events_t *events,
                            const evm_route_leg_t *legs, size_t n_legs,
                            double extent[4])
{
    evm_places_t p = {0};
    bool ok = !evm_places_collect(&p, events, legs, n_legs);
    double box[4];
    ok = ok && evm_places_box(&p, box);
    evm_places_free(&p);
    if (ok)
        padded(box, extent);
    return ok;
}

void evm_auto_extent(const evm_events_t *events, double extent[4])
{
    evm_auto_extent_routes(events, NULL, 0, extent);
}

void evm_circle_extent(double lat, double lon, double r_m, double extent[4])
{
    const struct geod_geodesic *g = evm_wgs84();
    double s = lat, n = lat, w = 0, e = 0, to_pole;
    /* A circle around a pole spans every longitude. */
    geod_inverse(g, lat, lon, lat >= 0 ? 90 : -90, lon, &to_pole, NULL, NULL);
    bool pole = to_pole <= r_m;
    for (int k = 0; k < 360; k += 5) {
        double lat2, lon2;
        geod_direct(g, lat, lon, k, r_m, &lat2, &lon2, NULL);
        double dl = remainder(lon2 - lon, 360);
        s = fmin(s, lat2);
        n = fmax(n, lat2);
        w = fmin(w, dl);
        e = fmax(e, dl);
    }
    if (pole) {
        if (lat >= 0)
            n = 90;
        else
            s = -90;
    }
    if (pole || e - w >= 359) {
        extent[0] = -180;
        extent[2] = 180;
    } else {
        extent[0] = remainder(lon + w, 360);
        extent[2] = remainder(lon + e, 360);
        if (extent[0] == 180)
            extent[0] = -180;
    }
    extent[1] = fmax(s, -90);
    extent[3] = fmin(n, 90);
}

/* ---- countries ---------------------------------------------------------- */

/* One ring of a country: its box with longitudes unwrapped along the ring
 * (w may be below -180 or e above 180) and its area (degrees squared,
 * shrunk by the cosine of its middle latitude). */
typedef struct part {
    double w, s, e, n, area;
    bool taken;
} part_t;

enum {
    MAINLAND_GAP_KM = 300, /* Corsica, Tasmania, Kaliningrad, not Alaska */
    KM_PER_DEG = 111,
};
#define MAINLAND_GAP_FRACTION 0.05 /* of the largest landmass's box */
static const double DEG = 3.14159265358979323846 / 180;

static part_t ring_part(const double *pts, size_t n)
{
    part_t p = {INFINITY, INFINITY, -INFINITY, -INFINITY, 0, false};
    double prev = pts[0], a = 0;
    for (size_t i = 0; i < n; i++) {
        double lon = pts[2 * i], lat = pts[2 * i + 1];
        lon += 360 * round((prev - lon) / 360); /* the antimeridian */
        prev = lon;
        p.w = fmin(p.w, lon);
        p.e = fmax(p.e, lon);
        p.s = fmin(p.s, lat);
        p.n = fmax(p.n, lat);
        size_t j = (i + 1) % n;
        double lon2 = pts[2 * j] + 360 * round((lon - pts[2 * j]) / 360);
        a += lon * pts[2 * j + 1] - lon2 * lat;
    }
    p.area = fabs(a) / 2 * cos((p.s + p.n) / 2 * DEG);
    return p;
}

/* Moves p by whole turns so that its middle is nearest to lon. */
static void shift_near(part_t *p, double lon)
{
    double k = 360 * round((lon - (p->w + p->e) / 2) / 360);
    p->w += k;
    p->e += k;
}

/* The gap between two boxes in km (0 when they overlap). */
static double gap_km(const part_t *a, const part_t *b)
{
    double dlat = fmax(0, fmax(b->s - a->n, a->s - b->n));
    double dlon = fmax(0, fmax(b->w - a->e, a->w - b->e));
    /* Longitude degrees at the latitude nearest the equator of the two. */
    double lat =
        fmin(fmin(fabs(a->s), fabs(a->n)), fmin(fabs(b->s), fabs(b->n)));
    if (a->s < 0 && a->n > 0)
        lat = 0;
    return KM_PER_DEG * hypot(dlat, dlon * cos(lat * DEG));
}

/* Marks taken[r] for the rings r of country c of map (indices from the
 * country's first ring) that make its mainland. false when out of
 * memory. */
static bool mainland(const evm_basemap_t *map, size_t c, bool *taken)
{
    size_t r0 = map->country_ring_off[c], r1 = map->country_ring_off[c + 1];
    size_t n = r1 - r0, big = 0;
    part_t *parts = calloc(n ? n : 1, sizeof *parts);
    if (!parts)
        return false;
    for (size_t i = 0; i < n; i++) {
        size_t off = map->ring_off[r0 + i];
        parts[i] =
            ring_part(map->ring_pts + 2 * off, map->ring_off[r0 + i + 1] - off);
        if (parts[i].area > parts[big].area)
            big = i;
    }
    part_t box = parts[big];
    double mid = (box.w + box.e) / 2;
    /* The landmass's size: its box's south-west to north-east corner. */
    part_t sw = {.w = box.w, .e = box.w, .s = box.s, .n = box.s};
    part_t ne = {.w = box.e, .e = box.e, .s = box.n, .n = box.n};
    double limit =
        fmax(MAINLAND_GAP_KM, MAINLAND_GAP_FRACTION * gap_km(&sw, &ne));
    parts[big].taken = n > 0;
    /* Every part near one already taken, until none is added. */
    for (bool added = true; added;) {
        added = false;
        for (size_t i = 0; i < n; i++) {
            if (parts[i].taken)
                continue;
            shift_near(&parts[i], mid);
            for (size_t k = 0; k < n && !parts[i].taken; k++)
                if (parts[k].taken && gap_km(&parts[i], &parts[k]) <= limit)
                    parts[i].taken = added = true;
        }
    }
    for (size_t i = 0; i < n; i++)
        taken[i] = parts[i].taken;
    free(parts);
    return true;
}

/* Adds the vertices of the mainland of country c to places. */
static evm_status add_mainland(const evm_basemap_t *map, size_t c,
                               evm_places_t *places)
{
    size_t r0 = map->country_ring_off[c], r1 = map->country_ring_off[c + 1];
    bool *taken = calloc(r1 > r0 ? r1 - r0 : 1, sizeof *taken);
    if (!taken || !mainland(map, c, taken)) {
        free(taken);
        return EVM_ERR_NOMEM;
    }
    evm_status st = EVM_OK;
    for (size_t r = r0; r < r1 && !st; r++) {
        if (!taken[r - r0])
            continue;
        for (size_t k = map->ring_off[r]; k < map->ring_off[r + 1] && !st; k++)
            st = evm_places_add(places, map->ring_pts[2 * k + 1],
                                map->ring_pts[2 * k], -1);
    }
    free(taken);
    return st;
}

evm_status evm_countries_places(evm_geodata_t *geodata, evm_worldview view,
                                const char *names, evm_places_t *places,
                                evm_error_t *err)
{
    const evm_basemap_t *map;
    evm_status st =
        evm_geodata_get_worldview(geodata, EVM_BASEMAP_50M, view, &map, err);
    if (st)
        return st;
    for (const char *p = names; p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        char name[128];
        if (n == 0 || n >= sizeof name)
            return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "extent \"%.100s\": expected countries "
                                 "separated by commas",
                                 names);
        memcpy(name, p, n);
        name[n] = '\0';
        size_t c;
        evm_error_t why;
        if (evm_basemap_find_country(map, name, &c, &why))
            return evm_error_set(err, why.status, NULL, 0, 0,
                                 "extent \"%.100s\": %s (a place has no "
                                 "extent of its own: center PLACE with "
                                 "radius-km R frames one)",
                                 names, why.message);
        if (add_mainland(map, c, places))
            return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory");
        p = comma ? comma + 1 : NULL;
    }
    return EVM_OK;
}
