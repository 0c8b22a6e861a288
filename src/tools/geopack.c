/* evmap-geopack: decodes a world-atlas TopoJSON once and writes the packed
 * base map (format in src/lib/load/packed.h), which the library then loads
 * with one read instead of a JSON parse. The build's `geodata` target runs
 * it for each resolution.
 *
 *   evmap-geopack INPUT.json OUTPUT.evmgeo
 *   evmap-geopack --layer LAYER INPUT.geojson.gz OUTPUT.evmgeo
 *
 * The second form packs a reference layer (src/lib/load/layers.h: lakes,
 * rivers, places, marine, disputed-areas, disputed-lines) from a trimmed
 * Natural Earth GeoJSON file, gzipped or not; the marine polygons are
 * reduced to the point where each name goes (the pole of inaccessibility
 * of its largest part).
 *
 * The output goes to a temporary file in the same directory, renamed into
 * place once complete: an interrupted build never leaves a truncated file
 * that a later run would take as up to date. Exit status: 0 on success,
 * 1 on failure (one line on stderr), 2 on wrong usage. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <evmap/geodata.h>
#include <evmap/status.h>

#include <zlib.h>

#include "core/atomic_file.h"
#include "geo/polylabel.h"
#include "load/layers.h"
#include "load/packed.h"

static int report(const evm_error_t *err)
{
    char msg[EVM_ERROR_FILE_MAX + EVM_ERROR_MESSAGE_MAX + 64];
    evm_error_format(err, msg, sizeof msg);
    fprintf(stderr, "evmap-geopack: %s\n", msg);
    return 1;
}

typedef struct bytes {
    const unsigned char *data;
    size_t len;
} bytes_t;

static evm_status produce(void *closure, evm_write_fn write,
                          void *write_closure, evm_error_t *err)
{
    (void)err;
    const bytes_t *b = closure;
    return write(write_closure, b->data, b->len);
}

/* Writes data to path through the library's output layer: a temporary
 * file renamed into place, synced, as a map is. */
static int write_atomically(const char *path, const unsigned char *data,
                            size_t len)
{
    bytes_t b = {data, len};
    evm_file_write_opts_t o = {.fsync = true, .sweep = true};
    evm_error_t err;
    return evm_file_write(path, &o, produce, &b, &err) ? report(&err) : 0;
}

/* Reads a file, gzipped or plain (zlib reads both), into a new buffer. */
static int read_gz(const char *path, char **data, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f) {
        fprintf(stderr, "evmap-geopack: %s: cannot open: %s\n", path,
                strerror(errno ? errno : ENOMEM));
        return 1;
    }
    size_t cap = 1 << 20, n = 0;
    char *b = malloc(cap);
    int got = 0;
    while (b && (got = gzread(f, b + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)got;
        if (n == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
            }
            b = nb;
        }
    }
    gzclose(f);
    if (!b || got < 0) {
        free(b);
        fprintf(stderr, "evmap-geopack: %s: cannot read\n", path);
        return 1;
    }
    *data = b;
    *len = n;
    return 0;
}

static int load_layer(const char *kind, const char *in, evm_basemap_t **map,
                      evm_error_t *err)
{
    evm_ref_layer layer = evm_ref_layer_parse(kind);
    if (layer == EVM_REF_COUNT) {
        fprintf(stderr, "evmap-geopack: no layer named %s\n", kind);
        return 2;
    }
    char *data = NULL;
    size_t len = 0;
    if (read_gz(in, &data, &len))
        return 1;
    evm_status st = evm_layer_decode_geojson(
        data, len, in, layer == EVM_REF_MARINE ? evm_polylabel_lonlat : NULL,
        map, err);
    free(data);
    return st != EVM_OK ? report(err) : 0;
}

int main(int argc, char **argv)
{
    bool layer = argc == 5 && strcmp(argv[1], "--layer") == 0;
    if (argc != 3 && !layer) {
        fprintf(stderr, "usage: evmap-geopack INPUT.json OUTPUT.evmgeo\n"
                        "       evmap-geopack --layer LAYER INPUT.geojson.gz "
                        "OUTPUT.evmgeo\n");
        return 2;
    }
    const char *in = argv[argc - 2], *out = argv[argc - 1];
    evm_error_t err;
    evm_error_clear(&err);

    evm_basemap_t *map = NULL;
    if (layer) {
        int rc = load_layer(argv[2], in, &map, &err);
        if (rc)
            return rc;
    } else if (evm_basemap_load(in, &map, &err) != EVM_OK) {
        return report(&err);
    }
    unsigned char *buf = NULL;
    size_t len = 0;
    evm_status st = evm_packed_encode(map, &buf, &len, &err);
    evm_basemap_destroy(map);
    if (st != EVM_OK)
        return report(&err);

    /* Read the image back before writing it: a packer bug should fail
     * the build, not every later render. */
    evm_basemap_t *back = NULL;
    st = evm_packed_decode(buf, len, out, &back, &err);
    evm_basemap_destroy(back);
    int rc = st != EVM_OK ? report(&err) : write_atomically(out, buf, len);
    free(buf);
    return rc;
}
