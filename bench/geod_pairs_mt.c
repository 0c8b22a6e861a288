/* The floor under `evmap dist --matrix`: a bare loop over PROJ's
 * geod_inverse for every unordered pair of the events of a CSV file (the
 * n (n - 1) / 2 distances a matrix holds), on THREADS threads, with
 * nothing formatted or written. Thread t takes rows t, t + THREADS, ...
 * so that the long first rows and the short last ones are shared out.
 * bench/matrix.sh times it against the matrix on the same cores.
 *
 *   evmap-bench-geod-mt EVENTS.csv [THREADS]
 *
 * prints the number of geodesics, the seconds the loop took and the
 * geodesics per second. */
#include <stddef.h> /* geodesic.h uses NULL without including it */

#include <geodesic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <evmap/evmap.h>

typedef struct part {
    const double *lat, *lon;
    size_t n, first, step;
    const struct geod_geodesic *g;
    double sum; /* kept, so that the loop is not optimised away */
} part_t;

static void *run(void *arg)
{
    part_t *p = arg;
    for (size_t i = p->first; i < p->n; i += p->step)
        for (size_t j = i + 1; j < p->n; j++) {
            /* What the matrix asks for: the distance alone. */
            double s12;
            geod_inverse(p->g, p->lat[i], p->lon[i], p->lat[j], p->lon[j], &s12,
                         NULL, NULL);
            p->sum += s12;
        }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: evmap-bench-geod-mt EVENTS.csv [THREADS]\n");
        return 2;
    }
    size_t threads = argc > 2 ? (size_t)atoi(argv[2]) : 1;
    if (threads < 1 || threads > 256)
        threads = 1;
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    evm_events_t *ev = NULL;
    evm_error_t err;
    if (evm_events_load_file(argv[1], &o, &ev, &err)) {
        fprintf(stderr, "evmap-bench-geod-mt: %s\n", err.message);
        return 1;
    }
    size_t n = evm_events_count(ev);
    double *lat = malloc((n ? n : 1) * sizeof *lat);
    double *lon = malloc((n ? n : 1) * sizeof *lon);
    part_t *parts = calloc(threads, sizeof *parts);
    pthread_t *tid = calloc(threads, sizeof *tid);
    if (!lat || !lon || !parts || !tid)
        return 1;
    for (size_t i = 0; i < n; i++) {
        lat[i] = evm_events_get(ev, i)->lat_deg;
        lon[i] = evm_events_get(ev, i)->lon_deg;
    }
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    struct timespec t0, t1;
    timespec_get(&t0, TIME_UTC);
    for (size_t t = 0; t < threads; t++) {
        parts[t] = (part_t){lat, lon, n, t, threads, &g, 0};
        if (pthread_create(&tid[t], NULL, run, &parts[t]) != 0)
            return 1;
    }
    double sum = 0;
    for (size_t t = 0; t < threads; t++) {
        pthread_join(tid[t], NULL);
        sum += parts[t].sum;
    }
    timespec_get(&t1, TIME_UTC);
    double s = (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    size_t count = n ? n * (n - 1) / 2 : 0;
    printf("%zu geodesics on %zu threads in %.3f s: %.0f geodesics/s "
           "(checksum %.6e)\n",
           count, threads, s, (double)count / s, sum);
    free(lat);
    free(lon);
    free(parts);
    free(tid);
    evm_events_destroy(ev);
    return 0;
}
