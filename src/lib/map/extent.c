/* The automatic extent: the smallest longitude interval holding all
 * places (found as the complement of the widest gap between sorted
 * longitudes, so a Pacific data set does not become a world map), and
 * their latitude range, both padded so markers and labels have room. The
 * places are the events and every point of the route legs, waypoints
 * that are no event included. */
#include <math.h>
#include <stdlib.h>

#include "map/extent.h"
#include "map/layout_internal.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The places' latitudes and longitudes, gathered for sorting. */
typedef struct places {
    double *lons; /* NULL when out of memory: then all longitudes */
    size_t n;
    double south, north;
} places_t;

static void add_place(places_t *p, double lat_deg, double lon_deg)
{
    if (p->lons)
        p->lons[p->n] = remainder(lon_deg, 360.0);
    p->n++;
    p->south = fmin(p->south, lat_deg);
    p->north = fmax(p->north, lat_deg);
}

/* The widest gap, the one across the antimeridian included, leaves the
 * interval [*w, *e] (e may exceed 180). */
static void lon_interval(places_t *p, double *w, double *e)
{
    *w = -180;
    *e = 180;
    if (!p->lons)
        return;
    double *lons = p->lons;
    size_t n = p->n;
    qsort(lons, n, sizeof *lons, cmp_double);
    double gap = lons[0] + 360 - lons[n - 1];
    *w = lons[0];
    *e = lons[n - 1];
    for (size_t i = 1; i < n; i++)
        if (lons[i] - lons[i - 1] > gap) {
            gap = lons[i] - lons[i - 1];
            *w = lons[i];
            *e = lons[i - 1] + 360;
        }
}

static void padded(places_t *p, double extent[4])
{
    double w, e;
    lon_interval(p, &w, &e);
    double lon_span = e - w, lat_span = p->north - p->south;
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
    extent[1] = fmax(p->south - lat_pad, -90);
    extent[3] = fmin(p->north + lat_pad, 90);
}

bool evm_auto_extent_routes(const evm_events_t *events,
                            const evm_route_leg_t *legs, size_t n_legs,
                            double extent[4])
{
    size_t n_events = events ? evm_events_count(events) : 0, n = n_events;
    for (size_t i = 0; legs && i < n_legs; i++)
        n += legs[i].points ? legs[i].n_points : 0;
    if (n == 0)
        return false;
    places_t p = {malloc(n * sizeof *p.lons), 0, 90, -90};
    for (size_t i = 0; i < n_events; i++) {
        const evm_event_t *e = evm_events_get(events, i);
        add_place(&p, e->lat_deg, e->lon_deg);
    }
    for (size_t i = 0; legs && i < n_legs; i++)
        for (size_t k = 0; legs[i].points && k < legs[i].n_points; k++) {
            const evm_route_point_t *q = &legs[i].points[k];
            /* Bad points are the routes' step's to report. */
            if (q->lat_deg >= -90 && q->lat_deg <= 90 && isfinite(q->lon_deg))
                add_place(&p, q->lat_deg, q->lon_deg);
        }
    if (p.n == 0) {
        free(p.lons);
        return false;
    }
    padded(&p, extent);
    free(p.lons);
    return true;
}

void evm_auto_extent(const evm_events_t *events, double extent[4])
{
    evm_auto_extent_routes(events, NULL, 0, extent);
}
