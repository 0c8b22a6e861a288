/* evmap-geopack: decodes a world-atlas TopoJSON once and writes the packed
 * base map (format in src/lib/load/packed.h), which the library then loads
 * with one read instead of a JSON parse. The build's `geodata` target runs
 * it for each resolution.
 *
 *   evmap-geopack INPUT.json OUTPUT.evmgeo
 *
 * The output goes to a temporary file in the same directory, renamed into
 * place once complete: an interrupted build never leaves a truncated file
 * that a later run would take as up to date. Exit status: 0 on success,
 * 1 on failure (one line on stderr), 2 on wrong usage. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <evmap/geodata.h>
#include <evmap/status.h>

#include "core/atomic_file.h"
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

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: evmap-geopack INPUT.json OUTPUT.evmgeo\n");
        return 2;
    }
    const char *in = argv[1], *out = argv[2];
    evm_error_t err;
    evm_error_clear(&err);

    evm_basemap_t *map = NULL;
    if (evm_basemap_load(in, &map, &err) != EVM_OK)
        return report(&err);
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
