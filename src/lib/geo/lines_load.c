/* Line sets from GeoJSON files: the decoder (load/geojson_line.c) gives
 * plain polylines, indexed here for nearest-point queries. The set is
 * named after the file, without its folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/file_open.h"
#include "geo/lines_internal.h"
#include "load/geojson_line.h"

evm_status evm_lines_load_geojson_memory(const char *display_name,
                                         const void *data, size_t len,
                                         evm_lines_t **out, evm_error_t *err)
{
    if (!out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, display_name, 0, 0,
                             "no output for the lines");
    *out = NULL;
    const char *name = display_name ? display_name : "<lines>";
    evm_polylines_t p;
    evm_status st = evm_geojson_lines_decode(data, len, name, &p, err);
    if (st)
        return st;
    const char *base = strrchr(name, '/');
    st = evm_lines_create(base ? base + 1 : name, p.pts, p.start, p.n_lines,
                          out, err);
    evm_polylines_free(&p);
    return st;
}

evm_status evm_lines_load_geojson(const char *path, evm_lines_t **out,
                                  evm_error_t *err)
{
    if (!path || !out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, path, 0, 0,
                             "no path or no output for the lines");
    *out = NULL;
    FILE *f;
    evm_status st = evm_file_open_read(path, &f, err);
    if (st)
        return st;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap &&
            evm_grow((void **)&buf, &cap, cap ? 2 * cap : 65536, 1)) {
            st = evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0,
                               "out of memory reading the file");
            break;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (!st && ferror(f))
        st = evm_error_set(err, EVM_ERR_IO, path, 0, 0, "cannot read the file");
    fclose(f);
    if (!st)
        st = evm_lines_load_geojson_memory(path, buf, len, out, err);
    free(buf);
    return st;
}
