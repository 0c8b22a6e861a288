/* Timing of sea routing: each leg of the table below (or one given on
 * the command line) routed at sea on the bundled 1:10m land, REPEAT
 * times, after the land is loaded once (loading is timed apart: it
 * happens once per process, on the first sea leg).
 *
 *   evmap-bench-sea GEODATA_DIR [REPEAT]
 *   evmap-bench-sea GEODATA_DIR LAT1 LON1 LAT2 LON2
 *
 * prints per leg the grid's cells, the routed and geodesic lengths, the
 * vertices and the best and median milliseconds; with a leg given, also
 * its path as a GeoJSON LineString on standard output. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <evmap/evmap.h>

#include "geo/sea_legs.h"
#include "geo/sea_route.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct bench_leg {
    const char *name;
    double lat1, lon1, lat2, lon2;
} bench_leg_t;

/* Natural Earth ports (geodata/gazetteer.csv). */
static const bench_leg_t LEGS[] = {
    {"Rajin - Vladivostok (regional)", 42.2460, 130.2830, 43.09444, 131.88775},
    {"Odesa - Novorossiysk (regional)", 46.50111, 30.73704, 44.715, 37.80442},
    {"Vladivostok - Petropavlovsk (2,300 km)", 43.09444, 131.88775, 53.05,
     158.65},
    {"Suva - Savusavu (regional, antimeridian)", -18.1325, 178.42108, -16.81778,
     179.30936},
    {"Rotterdam - Singapore (ocean)", 51.92722, 4.29287, 1.29278, 103.72214},
    {"Busan - Los Angeles (ocean)", 35.08, 129.05, 33.73, -118.26},
};

static int route(evm_geodata_t *gd, const bench_leg_t *b, int repeat,
                 int geojson)
{
    evm_route_point_t pts[2] = {{"from", b->lat1, b->lon1, -1},
                                {"to", b->lat2, b->lon2, -1}};
    evm_route_leg_t leg = {.route = "bench",
                           .leg = 1,
                           .mode = EVM_ROUTE_SEA,
                           .points = pts,
                           .n_points = 2};
    double *ms = malloc((size_t)repeat * sizeof *ms);
    evm_leg_trace_t t = {0};
    evm_error_t err;
    for (int r = 0; r < repeat; r++) {
        evm_leg_trace_free(&t);
        double t0 = now_ms();
        if (evm_leg_trace(gd, &leg, true, NULL, &t, &err)) {
            fprintf(stderr, "%s\n", err.message);
            free(ms);
            return 1;
        }
        ms[r] = now_ms() - t0;
    }
    qsort(ms, (size_t)repeat, sizeof *ms, by_value);
    fprintf(stderr,
            "%-44s %s %9.1f km (geodesic %9.1f km) %3zu vertices  best %7.1f "
            "ms  median %7.1f ms%s%s\n",
            b->name, t.routed ? "routed" : "NOT ROUTED", t.length_m / 1e3,
            t.geodesic_m / 1e3, t.n_vertices, ms[0], ms[repeat / 2],
            t.note[0] ? "  " : "", t.note);
    if (geojson) {
        printf("{\"type\":\"LineString\",\"coordinates\":[");
        for (size_t i = 0; i < t.n_vertices; i++)
            printf("%s[%.5f,%.5f]", i ? "," : "", t.lat_lon[2 * i + 1],
                   t.lat_lon[2 * i]);
        printf("]}\n");
    }
    evm_leg_trace_free(&t);
    free(ms);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: evmap-bench-sea GEODATA_DIR [REPEAT]\n"
                        "       evmap-bench-sea GEODATA_DIR LAT1 LON1 LAT2 "
                        "LON2\n");
        return 2;
    }
    evm_geodata_t *gd;
    evm_error_t err;
    const evm_basemap_t *land;
    double t0 = now_ms();
    if (evm_geodata_open(argv[1], &gd, &err) ||
        evm_geodata_get(gd, EVM_BASEMAP_10M, &land, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    fprintf(stderr, "loading the 1:10m land: %.1f ms\n", now_ms() - t0);
    int rc = 0;
    if (argc == 6) {
        bench_leg_t b = {"given leg", atof(argv[2]), atof(argv[3]),
                         atof(argv[4]), atof(argv[5])};
        rc = route(gd, &b, 1, 1);
    } else {
        int repeat = argc > 2 ? atoi(argv[2]) : 5;
        if (repeat < 1)
            repeat = 1;
        for (size_t i = 0; !rc && i < sizeof LEGS / sizeof LEGS[0]; i++)
            rc = route(gd, &LEGS[i], repeat, 0);
    }
    evm_geodata_destroy(gd);
    return rc;
}
