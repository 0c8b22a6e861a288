/* Base map objects: loading a file or a buffer (packed or TopoJSON, told
 * apart by the packed magic), the accessors, destruction, and the
 * resolution names and the choice of resolution by map scale. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "load/basemap_internal.h"
#include "load/basemap_io.h"
#include "load/packed.h"
#include "load/topojson.h"

const char *evm_basemap_res_name(evm_basemap_res res)
{
    switch (res) {
    case EVM_BASEMAP_AUTO:
        return "auto";
    case EVM_BASEMAP_110M:
        return "110m";
    case EVM_BASEMAP_50M:
        return "50m";
    case EVM_BASEMAP_10M:
        return "10m";
    }
    return "unknown";
}

evm_status evm_basemap_res_parse(const char *text, evm_basemap_res *res)
{
    static const evm_basemap_res all[] = {EVM_BASEMAP_AUTO, EVM_BASEMAP_110M,
                                          EVM_BASEMAP_50M, EVM_BASEMAP_10M};
    if (!text || !res)
        return EVM_ERR_INVALID_ARG;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(text, evm_basemap_res_name(all[i])) == 0) {
            *res = all[i];
            return EVM_OK;
        }
    }
    return EVM_ERR_INVALID_ARG;
}

const char *evm_worldview_name(evm_worldview worldview)
{
    return worldview == EVM_WORLDVIEW_DE_FACTO ? "de-facto" : "international";
}

evm_status evm_worldview_parse(const char *text, evm_worldview *out)
{
    if (text && strcmp(text, "international") == 0)
        *out = EVM_WORLDVIEW_INTERNATIONAL;
    else if (text && strcmp(text, "de-facto") == 0)
        *out = EVM_WORLDVIEW_DE_FACTO;
    else
        return EVM_ERR_INVALID_ARG;
    return EVM_OK;
}

evm_basemap_res evm_basemap_res_for_scale(double km_per_px)
{
    /* Natural Earth's scales: 1:110m is about 30 km per 0.3 mm pixel, so
     * its detail is invisible below 12 km/px; 1:50m holds down to 2.5.
     * NaN compares false and falls through to the finest. */
    if (km_per_px >= 12.0)
        return EVM_BASEMAP_110M;
    if (km_per_px >= 2.5)
        return EVM_BASEMAP_50M;
    return EVM_BASEMAP_10M;
}

void evm_basemap_destroy(evm_basemap_t *map)
{
    if (!map)
        return;
    if (map->block) {
        evm_packed_release(map);
        free(map);
        return;
    }
    /* What a worldview derived from another map has of its own too. */
    free(map->arc_class);
    free(map->arc_left);
    free(map->arc_right);
    free(map->ring_off);
    free(map->ring_pts);
    free(map->ring_box);
    free(map->ring_country);
    free(map->country_ring_off);
    if (map->borrowed) {
        free(map);
        return;
    }
    free(map->arc_off);
    free(map->arc_pts);
    free(map->arc_box);
    for (size_t i = 0; map->country_name && i < map->n_countries; i++)
        free(map->country_name[i]);
    for (size_t i = 0; map->country_id && i < map->n_countries; i++)
        free(map->country_id[i]);
    free(map->country_name);
    free(map->country_id);
    free(map);
}

size_t evm_basemap_country_count(const evm_basemap_t *map)
{
    return map ? map->n_countries : 0;
}

const char *evm_basemap_country_name(const evm_basemap_t *map, size_t i)
{
    return map && i < map->n_countries ? map->country_name[i] : NULL;
}

const char *evm_basemap_country_id(const evm_basemap_t *map, size_t i)
{
    return map && i < map->n_countries ? map->country_id[i] : NULL;
}

size_t evm_basemap_arc_count(const evm_basemap_t *map)
{
    return map ? map->n_arcs : 0;
}

size_t evm_basemap_point_count(const evm_basemap_t *map)
{
    return map ? map->arc_off[map->n_arcs] : 0;
}

evm_status evm_basemap_load_memory(const void *data, size_t len,
                                   const char *name, evm_basemap_t **out,
                                   evm_error_t *err)
{
    if (!out || (!data && len))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, name, 0, 0,
                             "no base map data or no output");
    *out = NULL;
    if (evm_packed_has_magic(data, len))
        return evm_packed_decode(data, len, name, out, err);
    return evm_topojson_decode(data, len, name, out, err);
}

/* Reads the rest of f into a new buffer. */
static evm_status read_all(FILE *f, const char *path, unsigned char **buf,
                           size_t *len, evm_error_t *err)
{
    size_t cap = 0, n = 0, hint = 1 << 16;
    void *b = NULL;
    /* The size is only a hint (one spare byte to see the end at once):
     * the loop reads to the end whatever it is. */
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size >= 0)
            hint = (size_t)size + 1;
        rewind(f);
    }
    for (;;) {
        if (n == cap && evm_grow(&b, &cap, n < hint ? hint : n + 1, 1) != 0) {
            free(b);
            return evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0,
                                 "out of memory reading the file");
        }
        size_t got = fread((unsigned char *)b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(b);
        return evm_error_io(err, path, "cannot read", e);
    }
    *buf = b;
    *len = n;
    return EVM_OK;
}

evm_status evm_basemap_load(const char *path, evm_basemap_t **out,
                            evm_error_t *err)
{
    if (!path || !out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, path, 0, 0,
                             "no path or no output");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return evm_error_io(err, path, "cannot open", errno);
    unsigned char head[EVM_PACKED_MAGIC_LEN];
    size_t got = fread(head, 1, sizeof head, f);
    evm_status st;
    if (ferror(f)) {
        st = evm_error_io(err, path, "cannot read", errno);
    } else if (evm_packed_has_magic(head, got)) {
        rewind(f);
        st = evm_packed_read_file(f, path, out, err);
    } else {
        unsigned char *buf = NULL;
        size_t len = 0;
        st = read_all(f, path, &buf, &len, err);
        if (st == EVM_OK)
            st = evm_topojson_decode(buf, len, path, out, err);
        free(buf);
    }
    fclose(f);
    return st;
}
