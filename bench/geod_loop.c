/* The physical limit of `evmap dist`: a plain C loop over PROJ's
 * geod_inverse for every pair of the events of a CSV file, on one core,
 * with nothing formatted or written. bench/dist.sh compares the two.
 *
 *   evmap-bench-geod EVENTS.csv [REPEAT]
 *
 * prints the number of geodesics, the seconds the loop took and the
 * geodesics per second. */
#include <stddef.h> /* geodesic.h uses NULL without including it */

#include <geodesic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <evmap/evmap.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: evmap-bench-geod EVENTS.csv [REPEAT]\n");
        return 2;
    }
    int repeat = argc > 2 ? atoi(argv[2]) : 1;
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    evm_events_t *ev = NULL;
    evm_error_t err;
    if (evm_events_load_file(argv[1], &o, &ev, &err)) {
        fprintf(stderr, "evmap-bench-geod: %s\n", err.message);
        return 1;
    }
    size_t n = evm_events_count(ev);
    double *lat = malloc((n ? n : 1) * sizeof *lat);
    double *lon = malloc((n ? n : 1) * sizeof *lon);
    if (!lat || !lon)
        return 1;
    for (size_t i = 0; i < n; i++) {
        lat[i] = evm_events_get(ev, i)->lat_deg;
        lon[i] = evm_events_get(ev, i)->lon_deg;
    }
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    double sum = 0;
    size_t count = 0;
    struct timespec t0, t1;
    timespec_get(&t0, TIME_UTC);
    for (int r = 0; r < repeat; r++)
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                /* The same outputs evmap dist asks for. */
                double s12, azi1, azi2;
                geod_inverse(&g, lat[i], lon[i], lat[j], lon[j], &s12, &azi1,
                             &azi2);
                sum += s12 + azi1 + azi2;
                count++;
            }
    timespec_get(&t1, TIME_UTC);
    double s = (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%zu geodesics in %.3f s: %.0f geodesics/s (checksum %.6e)\n", count,
           s, (double)count / s, sum);
    free(lat);
    free(lon);
    evm_events_destroy(ev);
    return 0;
}
