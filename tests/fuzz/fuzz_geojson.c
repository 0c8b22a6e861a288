/* Fuzz target for GeoJSON lines (`evmap dist --to-line`): the decoder
 * and the nearest-point index built on what it returns. An input that
 * loads is queried at a few points, and every answer must be a point of
 * the set at the distance reported or no answer at all.
 *
 * Built with -DEVM_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer
 * target; otherwise replay.c's main() runs it over the files named on
 * the command line, so the corpus (tests/data/geojson) also runs as an
 * ordinary test under gcc. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/geodesy.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evm_lines_t *l = NULL;
    evm_error_t err;
    if (evm_lines_load_geojson_memory("fuzz.geojson", data, size, &l, &err) !=
        EVM_OK) {
        if (l || err.status == EVM_OK || !err.message[0])
            abort();
        return 0;
    }
    static const double q[][2] = {{0, 0}, {47, 38}, {-89, 179}, {90, 0}};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        evm_nearest_t n;
        if (!evm_lines_nearest(l, q[i][0], q[i][1], &n))
            abort(); /* a loaded set has at least one line */
        if (!(n.dist_m >= 0 && n.dist_m <= 20003932) ||
            n.line >= evm_lines_count(l))
            abort();
        double back;
        evm_geodesic_inverse(q[i][0], q[i][1], n.lat_deg, n.lon_deg, &back,
                             NULL, NULL);
        if (!(fabs(back - n.dist_m) < 1e-3))
            abort();
    }
    evm_lines_destroy(l);
    return 0;
}
