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

#include "core/error.h"
#include "core/tempfile.h"
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

static int report_errno(const char *what, const char *path, int errnum)
{
    fprintf(stderr, "evmap-geopack: %s: cannot %s: %s\n", path, what,
            strerror(errnum));
    return 1;
}

/* Writes data to path through a temporary file and rename(), which
 * replaces the target atomically on POSIX file systems. */
static int write_atomically(const char *path, const unsigned char *data,
                            size_t len)
{
    char *tmp = evm_temp_template(path);
    if (!tmp)
        return report_errno("allocate", path, ENOMEM);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return report_errno("create a temporary file in the directory of", path,
                            e);
    }
    /* mkstemp creates the file 0600; give it the mode a plain fopen
     * would, so that an installed copy is readable by everyone. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);

    FILE *f = fdopen(fd, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    int e = errno;
    if (f) {
        if (fclose(f) != 0 && ok) {
            ok = 0;
            e = errno;
        }
    } else {
        close(fd);
    }
    if (ok && rename(tmp, path) != 0) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        remove(tmp);
        free(tmp);
        return report_errno("write", path, e);
    }
    free(tmp);
    return 0;
}

/* Reads a file, gzipped or plain (zlib reads both), into a new buffer. */
static int read_gz(const char *path, char **data, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return report_errno("open", path, errno ? errno : ENOMEM);
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
