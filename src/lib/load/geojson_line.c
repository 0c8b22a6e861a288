/* GeoJSON (RFC 7946) lines: walks the object with jansson, accepting the
 * containers a line can come in (FeatureCollection, Feature,
 * GeometryCollection) and LineString / MultiLineString geometries, and
 * checking every value it reads, so that a malformed file is a parse
 * error naming the line and column where its feature starts and the JSON
 * path of the offending value, never a crash. */
#include "load/geojson_line.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "load/json_load.h"

typedef struct gj {
    const char *name;
    evm_error_t *err;
    evm_polylines_t *out;
    int depth; /* GeometryCollections nest; RFC 7946 advises against it */
    evm_json_pos_t at; /* where the feature being read starts */
} gj_t;

static evm_status gj_fail(gj_t *d, const char *path, const char *fmt, ...)
    EVM_PRINTF(3, 4);

static evm_status gj_fail(gj_t *d, const char *path, const char *fmt, ...)
{
    char msg[EVM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return evm_error_set(d->err, EVM_ERR_PARSE, d->name, d->at.line,
                         d->at.column, "%s%s%s", path, *path ? ": " : "", msg);
}

static evm_status gj_nomem(gj_t *d)
{
    return evm_error_set(d->err, EVM_ERR_NOMEM, d->name, 0, 0,
                         "out of memory reading lines");
}

/* path + suffix into buf. */
static const char *sub(char *buf, size_t cap, const char *path, const char *fmt,
                       ...) EVM_PRINTF(4, 5);

static const char *sub(char *buf, size_t cap, const char *path, const char *fmt,
                       ...)
{
    int n = snprintf(buf, cap, "%s", path);
    if (n < 0 || (size_t)n >= cap)
        return buf;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - (size_t)n, fmt, ap);
    va_end(ap);
    return buf;
}

static const char *type_of(const json_t *obj)
{
    const json_t *t = json_object_get(obj, "type");
    return json_is_string(t) ? json_string_value(t) : NULL;
}

/* One LineString's coordinates: an array of at least two positions. */
static evm_status gj_line(gj_t *d, const json_t *coords, const char *path)
{
    if (!json_is_array(coords))
        return gj_fail(d, path, "not an array of positions");
    size_t n = json_array_size(coords);
    if (n < 2)
        return gj_fail(d, path, "a line needs at least 2 positions, not %zu",
                       n);
    evm_polylines_t *o = d->out;
    if (o->n_pts + n < o->n_pts ||
        evm_grow((void **)&o->pts, &o->cap_pts, 2 * (o->n_pts + n),
                 sizeof *o->pts) ||
        evm_grow((void **)&o->start, &o->cap_lines, o->n_lines + 2,
                 sizeof *o->start))
        return gj_nomem(d);
    char p[256];
    for (size_t i = 0; i < n; i++) {
        const json_t *pos = json_array_get(coords, i);
        const json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);
        if (!json_is_array(pos) || !json_is_number(x) || !json_is_number(y))
            return gj_fail(d, sub(p, sizeof p, path, "[%zu]", i),
                           "a position must be an array of two numbers");
        double lon = json_number_value(x), lat = json_number_value(y);
        if (!isfinite(lon) || !(lat >= -90 && lat <= 90))
            return gj_fail(d, sub(p, sizeof p, path, "[%zu]", i),
                           "latitude %g is outside [-90, 90]", lat);
        o->pts[2 * (o->n_pts + i)] = lon;
        o->pts[2 * (o->n_pts + i) + 1] = lat;
    }
    o->start[o->n_lines++] = o->n_pts;
    o->n_pts += n;
    o->start[o->n_lines] = o->n_pts;
    return EVM_OK;
}

typedef evm_status (*gj_fn)(gj_t *d, const json_t *v, const char *path);

/* fn on each element of list, at path + member + "[i]"; the first error
 * stops the walk. */
static evm_status gj_each(gj_t *d, const json_t *list, const char *path,
                          const char *member, gj_fn fn)
{
    char p[256];
    for (size_t i = 0; i < json_array_size(list); i++) {
        evm_status st = fn(d, json_array_get(list, i),
                           sub(p, sizeof p, path, "%s[%zu]", member, i));
        if (st)
            return st;
    }
    return EVM_OK;
}

static evm_status gj_geometry(gj_t *d, const json_t *g, const char *path)
{
    char p[256];
    if (!json_is_object(g))
        return gj_fail(d, path, "a geometry must be an object");
    const char *type = type_of(g);
    if (!type)
        return gj_fail(d, path, "the geometry has no \"type\"");
    const json_t *coords = json_object_get(g, "coordinates");
    if (strcmp(type, "LineString") == 0)
        return gj_line(d, coords, sub(p, sizeof p, path, ".coordinates"));
    if (strcmp(type, "MultiLineString") == 0) {
        if (!json_is_array(coords))
            return gj_fail(d, sub(p, sizeof p, path, ".coordinates"),
                           "not an array of lines");
        return gj_each(d, coords, path, ".coordinates", gj_line);
    }
    if (strcmp(type, "GeometryCollection") == 0) {
        const json_t *gs = json_object_get(g, "geometries");
        if (!json_is_array(gs))
            return gj_fail(d, path, "\"geometries\" is not an array");
        if (d->depth >= 16)
            return gj_fail(d, path, "geometry collections nested too deep");
        d->depth++;
        evm_status st = gj_each(d, gs, path, ".geometries", gj_geometry);
        d->depth--;
        return st;
    }
    return gj_fail(d, path,
                   "a %.40s is not a line: lines are LineString or "
                   "MultiLineString geometries",
                   type);
}

static evm_status gj_feature(gj_t *d, const json_t *f, const char *path)
{
    char p[256];
    if (!json_is_object(f) || !type_of(f) || strcmp(type_of(f), "Feature") != 0)
        return gj_fail(d, path, "not a Feature");
    const json_t *g = json_object_get(f, "geometry");
    if (json_is_null(g))
        return EVM_OK; /* an unlocated feature (RFC 7946, 3.2) */
    return gj_geometry(d, g, sub(p, sizeof p, path, ".geometry"));
}

static evm_status gj_root(gj_t *d, const evm_json_doc_t *doc)
{
    const json_t *root = doc->root;
    char p[256];
    if (!json_is_object(root))
        return gj_fail(d, "", "the top level is not a JSON object");
    const char *type = type_of(root);
    if (!type)
        return gj_fail(d, "", "the top-level object has no \"type\"");
    if (strcmp(type, "FeatureCollection") == 0) {
        const json_t *fs = json_object_get(root, "features");
        if (!json_is_array(fs))
            return gj_fail(d, "features", "not an array");
        for (size_t i = 0; i < json_array_size(fs); i++) {
            d->at = evm_json_doc_at(doc, i);
            evm_status st =
                gj_feature(d, json_array_get(fs, i),
                           sub(p, sizeof p, "", "features[%zu]", i));
            if (st)
                return st;
        }
        return EVM_OK;
    }
    if (strcmp(type, "Feature") == 0)
        return gj_feature(d, root, "");
    return gj_geometry(d, root, "");
}

void evm_polylines_free(evm_polylines_t *p)
{
    free(p->pts);
    free(p->start);
    memset(p, 0, sizeof *p);
}

evm_status evm_geojson_lines_decode(const void *data, size_t len,
                                    const char *name, evm_polylines_t *out,
                                    evm_error_t *err)
{
    memset(out, 0, sizeof *out);
    evm_json_doc_t doc;
    evm_status load_st = evm_json_load_features(name, data, len, &doc, err);
    if (load_st)
        return load_st;
    const json_t *root = doc.root;
    /* Errors outside any feature name the document's value when it is
     * not a list, and no position before the list. */
    bool listed =
        json_is_array(root) || json_is_array(json_object_get(root, "features"));
    gj_t d = {name, err, out, 0,
              listed ? (evm_json_pos_t){0, 0} : evm_json_doc_at(&doc, 0)};
    evm_status st = gj_root(&d, &doc);
    evm_json_doc_free(&doc);
    if (!st && out->n_lines == 0)
        st = evm_error_set(err, EVM_ERR_PARSE, name, 0, 0,
                           "no line in the file (expected LineString or "
                           "MultiLineString geometries)");
    if (st)
        evm_polylines_free(out);
    return st;
}
