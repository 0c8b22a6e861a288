/* Fuzz target for the base map loaders: TopoJSON and packed, chosen by
 * content as evm_basemap_load does. An input that loads is packed,
 * re-read, and must give the same packed bytes again; every array is
 * walked so that an inconsistent map shows up under ASan.
 *
 * Built with -DEVM_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer
 * target; otherwise replay.c's main() runs it over the files named on
 * the command line, so a corpus also runs as an ordinary test under gcc:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DEVM_LIBFUZZER \
 *     -Iinclude -Isrc/lib tests/fuzz/fuzz_topojson.c src/lib/core/error.c \
 *     src/lib/load/basemap.c src/lib/load/topojson.c src/lib/load/packed.c \
 *     -ljansson -lm -o fuzz_topojson
 *   mkdir corpus && ./fuzz_topojson corpus tests/data/topojson */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/basemap_internal.h"
#include "load/basemap_io.h"
#include "load/packed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile double sink;

static void walk(const evm_basemap_t *m)
{
    double sum = 0;
    for (size_t a = 0; a < m->n_arcs; a++) {
        for (size_t i = m->arc_off[a]; i < m->arc_off[a + 1]; i++)
            sum += m->arc_pts[2 * i] + m->arc_pts[2 * i + 1];
        sum += m->arc_box[a].w + m->arc_class[a];
        if (m->arc_class[a] == EVM_ARC_BORDER)
            sum += (double)strlen(m->country_name[m->arc_left[a]]) +
                   (double)strlen(m->country_name[m->arc_right[a]]);
    }
    for (size_t c = 0; c < m->n_countries; c++) {
        sum += (double)strlen(m->country_name[c]) +
               (double)strlen(m->country_id[c]);
        for (size_t r = m->country_ring_off[c]; r < m->country_ring_off[c + 1];
             r++) {
            for (size_t i = m->ring_off[r]; i < m->ring_off[r + 1]; i++)
                sum += m->ring_pts[2 * i] + m->ring_pts[2 * i + 1];
            sum += m->ring_box[r].n + m->ring_country[r];
        }
    }
    sink = sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evm_basemap_t *m = NULL, *back = NULL;
    evm_error_t err;
    if (evm_basemap_load_memory(data, size, "fuzz", &m, &err) != EVM_OK)
        return 0;
    walk(m);
    unsigned char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    if (evm_packed_encode(m, &a, &alen, &err) != EVM_OK)
        abort();
    if (evm_packed_decode(a, alen, "fuzz", &back, &err) != EVM_OK)
        abort();
    walk(back);
    if (evm_packed_encode(back, &b, &blen, &err) != EVM_OK || alen != blen ||
        memcmp(a, b, alen) != 0)
        abort();
    free(a);
    free(b);
    evm_basemap_destroy(back);
    evm_basemap_destroy(m);
    return 0;
}
