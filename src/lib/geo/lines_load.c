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
    return evm_lines_load_geojson_capped(path, 0, out, err);
}

evm_status evm_lines_load_geojson_capped(const char *path, size_t max_bytes,
                                         evm_lines_t **out, evm_error_t *err)
{
    if (!path || !out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, path, 0, 0,
                             "no path or no output for the lines");
    *out = NULL;
    char *buf;
    size_t len;
    evm_status st = evm_read_file_capped(path, max_bytes, EVM_READ_TEXT, NULL,
                                         &buf, &len, err);
    if (!st)
        st = evm_lines_load_geojson_memory(path, buf, len, out, err);
    free(buf);
    return st;
}
