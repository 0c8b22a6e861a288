/* Thin wrappers over PROJ's geodesic.h for the public API: the WGS84
 * geodesic object is the process-wide one (evm_wgs84, initialised once
 * under pthread_once, because the first geod_init also sets constants
 * shared by every geodesic object), and is only read afterwards, so these
 * functions may run in many threads at once. geod_inverse and geod_direct
 * already give NaN for NaN input and for latitudes outside [-90, 90], and
 * accept NULL outputs, which makes the wrappers total functions. */
#include <math.h>

#include <evmap/geodesy.h>

#include "core/context_internal.h"

void evm_geodesic_inverse(double lat1_deg, double lon1_deg, double lat2_deg,
                          double lon2_deg, double *dist_m, double *azi1_deg,
                          double *azi2_deg)
{
    geod_inverse(evm_wgs84(), lat1_deg, lon1_deg, lat2_deg, lon2_deg, dist_m,
                 azi1_deg, azi2_deg);
}

void evm_geodesic_direct(double lat1_deg, double lon1_deg, double azi1_deg,
                         double dist_m, double *lat2_deg, double *lon2_deg,
                         double *azi2_deg)
{
    geod_direct(evm_wgs84(), lat1_deg, lon1_deg, azi1_deg, dist_m, lat2_deg,
                lon2_deg, azi2_deg);
}

double evm_bearing_deg(double azi_deg)
{
    double b = fmod(azi_deg, 360.0);
    if (b < 0)
        b += 360.0;
    /* -1e-20 + 360 rounds to 360, and -0.0 should read as 0. */
    if (b >= 360.0 || b == 0)
        b = 0;
    return b;
}
