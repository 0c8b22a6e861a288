/* The automatic extent: the smallest longitude interval holding all
 * events (found as the complement of the widest gap between sorted
 * longitudes, so a Pacific data set does not become a world map), and
 * their latitude range, both padded so markers and labels have room. */
#include <math.h>
#include <stdlib.h>

#include "map/layout_internal.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void evm_auto_extent(const evm_events_t *events, double extent[4])
{
    size_t n = evm_events_count(events);
    double *lons = malloc(n * sizeof *lons);
    double s = 90, nn = -90;
    for (size_t i = 0; i < n; i++) {
        const evm_event_t *e = evm_events_get(events, i);
        if (lons)
            lons[i] = e->lon_deg;
        s = fmin(s, e->lat_deg);
        nn = fmax(nn, e->lat_deg);
    }
    double w = -180, e = 180;
    if (lons) {
        qsort(lons, n, sizeof *lons, cmp_double);
        /* The widest gap, the one across the antimeridian included. */
        double gap = lons[0] + 360 - lons[n - 1];
        w = lons[0];
        e = lons[n - 1];
        for (size_t i = 1; i < n; i++)
            if (lons[i] - lons[i - 1] > gap) {
                gap = lons[i] - lons[i - 1];
                w = lons[i];
                e = lons[i - 1] + 360;
            }
        free(lons);
    }
    double lon_span = e - w, lat_span = nn - s;
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
    extent[3] = fmin(nn + lat_pad, 90);
}
