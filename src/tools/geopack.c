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

#include "core/tempfile.h"
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
