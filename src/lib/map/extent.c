/* The automatic longitude/latitude extent, for callers that need one box
 * in degrees (a batch's shared extent for animation frames): the places'
 * box the short way round the globe (evm_places_box), padded so markers
 * and labels have room. Maps themselves are framed on the projected box
 * (frame_fit.c). The places are the events and every point of the route
 * legs, waypoints that are no event included. */
#include <math.h>
#include <stdlib.h>

#include "core/context_internal.h"
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
