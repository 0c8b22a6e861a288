/* Fuzz target for a user's own base layer (`--layer FILE.geojson`): the
 * position-keeping GeoJSON walk and the polygon and line reader on top
 * of it. A layer that loads must hold what its counts say, every
 * position within the ranges the reader promises, rings of at least
 * three points and lines of two, in order; a refused one must say why.
 *
 * Built with -DEVM_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer
 * target; otherwise replay.c's main() runs it over the files named on
 * the command line, so the corpus (tests/data/layers) also runs as an
 * ordinary test under gcc. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "load/user_layer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evm_user_layer_t *l = NULL;
    evm_error_t err;
    if (evm_user_layer_load_memory("fuzz.geojson", (const char *)data, size, &l,
                                   &err) != EVM_OK) {
        if (l || err.status == EVM_OK || !err.message[0])
            abort();
        return 0;
    }
    if (l->n_rings == 0 && l->n_points == 0)
        abort(); /* an empty layer is refused */
    if (l->off[0] != 0 || l->off[l->n_rings] != l->n_pts)
        abort();
    for (size_t r = 0; r < l->n_rings; r++)
        if (l->off[r + 1] < l->off[r] + (l->closed[r] ? 3u : 2u))
            abort();
    for (size_t i = 0; i < l->n_pts; i++) {
        double lon = l->pts[2 * i], lat = l->pts[2 * i + 1];
        if (!(fabs(lon) <= 180 && fabs(lat) <= 90))
            abort();
    }
    evm_user_layer_destroy(l);
    return 0;
}
