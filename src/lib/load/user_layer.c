/* Reading a user's GeoJSON base layer (see user_layer.h). */
#include "load/user_layer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/error.h"
#include "core/file_open.h"
#include "load/json_load.h"

typedef struct reader {
    evm_user_layer_t *l;
    evm_json_pos_t pos; /* where the current feature starts */
    size_t feature;
    evm_error_t *err;
} reader_t;

static evm_status fail(reader_t *r, const char *what, const char *detail)
{
    return evm_error_set(r->err, EVM_ERR_PARSE, r->l->path, r->pos.line,
                         r->pos.column, "feature %zu: %s%s", r->feature + 1,
                         what, detail ? detail : "");
}

static evm_status nomem(reader_t *r)
{
    return evm_error_set(r->err, EVM_ERR_NOMEM, r->l->path, 0, 0,
                         "out of memory reading a layer");
}

/* Appends a position array as one ring (closed: a polygon ring, whose
 * closing repeat is dropped) or line. */
static evm_status add_ring(reader_t *r, const json_t *coords, bool closed)
{
    evm_user_layer_t *l = r->l;
    size_t k = json_array_size(coords);
    if (!json_is_array(coords) || k < (closed ? 3u : 2u))
        return fail(r,
                    closed ? "a polygon ring needs at least three positions"
                           : "a line needs at least two positions",
                    NULL);
    if (evm_grow((void **)&l->pts, &l->cap_pts, 2 * (l->n_pts + k),
                 sizeof *l->pts))
        return nomem(r);
    size_t cap = l->cap_rings;
    if (evm_grow((void **)&l->off, &cap, l->n_rings + 2, sizeof *l->off))
        return nomem(r);
    cap = l->cap_rings;
    if (evm_grow((void **)&l->closed, &cap, l->n_rings + 2, sizeof *l->closed))
        return nomem(r);
    l->cap_rings = cap;
    double *p = l->pts + 2 * l->n_pts;
    for (size_t i = 0; i < k; i++) {
        const json_t *q = json_array_get(coords, i);
        const json_t *x = json_array_get(q, 0), *y = json_array_get(q, 1);
        double lon = json_number_value(x), lat = json_number_value(y);
        if (!json_is_array(q) || json_array_size(q) < 2 || !json_is_number(x) ||
            !json_is_number(y) || !(fabs(lon) <= 180.0) ||
            !(fabs(lat) <= 90.0)) {
            char d[64];
            snprintf(d, sizeof d, " (position %zu)", i + 1);
            return fail(r,
                        "a position is not a longitude, latitude pair in "
                        "range",
                        d);
        }
        p[2 * i] = lon;
        p[2 * i + 1] = lat;
    }
    if (closed && p[0] == p[2 * k - 2] && p[1] == p[2 * k - 1])
        k--;
    if (closed && k < 3)
        return fail(r, "a polygon ring needs at least three positions", NULL);
    l->off[l->n_rings] = l->n_pts;
    l->closed[l->n_rings] = closed;
    l->n_pts += k;
    l->n_rings++;
    l->off[l->n_rings] = l->n_pts;
    return EVM_OK;
}

static evm_status add_polygon(reader_t *r, const json_t *rings)
{
    if (!json_is_array(rings) || json_array_size(rings) == 0)
        return fail(r, "a polygon without rings", NULL);
    for (size_t i = 0; i < json_array_size(rings); i++) {
        evm_status st = add_ring(r, json_array_get(rings, i), true);
        if (st)
            return st;
    }
    return EVM_OK;
}

static evm_status add_geometry(reader_t *r, const json_t *g)
{
    if (json_is_null(g))
        return EVM_OK;
    const char *type = json_string_value(json_object_get(g, "type"));
    const json_t *c = json_object_get(g, "coordinates");
    if (!type)
        return fail(r, "a geometry without a type", NULL);
    evm_status st = EVM_OK;
    if (strcmp(type, "Point") == 0 || strcmp(type, "MultiPoint") == 0) {
        r->l->n_points++;
        return EVM_OK;
    }
    bool known = strcmp(type, "LineString") == 0 ||
                 strcmp(type, "MultiLineString") == 0 ||
                 strcmp(type, "Polygon") == 0 ||
                 strcmp(type, "MultiPolygon") == 0;
    if (known && !json_is_array(c))
        return fail(r, "a geometry without coordinates", NULL);
    if (strcmp(type, "LineString") == 0) {
        st = add_ring(r, c, false);
        r->l->n_lines++;
    } else if (strcmp(type, "MultiLineString") == 0) {
        for (size_t i = 0; !st && i < json_array_size(c); i++)
            st = add_ring(r, json_array_get(c, i), false);
        r->l->n_lines++;
    } else if (strcmp(type, "Polygon") == 0) {
        st = add_polygon(r, c);
        r->l->n_polygons++;
    } else if (strcmp(type, "MultiPolygon") == 0) {
        for (size_t i = 0; !st && i < json_array_size(c); i++)
            st = add_polygon(r, json_array_get(c, i));
        r->l->n_polygons++;
    } else {
        char d[96];
        snprintf(d, sizeof d, " \"%.40s\"", type);
        return fail(r,
                    "unsupported geometry (Polygon, MultiPolygon, "
                    "LineString, MultiLineString or Point):",
                    d);
    }
    return st;
}

static evm_status add_feature(reader_t *r, const json_t *f)
{
    const char *type = json_string_value(json_object_get(f, "type"));
    if (type && strcmp(type, "Feature") == 0) {
        if (!json_object_get(f, "geometry"))
            return fail(r, "a Feature without a geometry member", NULL);
        return add_geometry(r, json_object_get(f, "geometry"));
    }
    return add_geometry(r, f);
}

evm_status evm_user_layer_load(const char *path, size_t max_bytes,
                               evm_user_layer_t **out, evm_error_t *err)
{
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    evm_status st = evm_read_file_capped(path, max_bytes, EVM_READ_TEXT, NULL,
                                         &data, &len, err);
    if (st)
        return st;
    st = evm_user_layer_load_memory(path, data, len, out, err);
    free(data);
    return st;
}

evm_status evm_user_layer_load_memory(const char *name, const char *data,
                                      size_t len, evm_user_layer_t **out,
                                      evm_error_t *err)
{
    *out = NULL;
    const char *path = name;
    evm_json_doc_t doc;
    evm_status st = evm_json_load_features(path, data, len, &doc, err);
    if (st)
        return st;
    const json_t *root = doc.root;
    evm_user_layer_t *l = calloc(1, sizeof *l);
    reader_t r = {.l = l, .err = err};
    if (!l || !(l->path = evm_strdup(path)) ||
        !(l->off = calloc(1, sizeof *l->off))) {
        st = evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0, "out of memory");
        goto done;
    }
    const char *type = json_string_value(json_object_get(root, "type"));
    const json_t *feats = json_object_get(root, "features");
    if (!json_is_object(root) || !type) {
        r.pos = evm_json_doc_at(&doc, 0);
        st = fail(&r,
                  "not a GeoJSON object (a FeatureCollection, Feature "
                  "or geometry)",
                  NULL);
    } else if (strcmp(type, "FeatureCollection") == 0) {
        if (!json_is_array(feats))
            st = evm_error_set(err, EVM_ERR_PARSE, path, 1, 1,
                               "a FeatureCollection without a features list");
        for (size_t i = 0; !st && i < json_array_size(feats); i++) {
            r.feature = i;
            r.pos = evm_json_doc_at(&doc, i);
            st = add_feature(&r, json_array_get(feats, i));
        }
    } else {
        r.pos = evm_json_doc_at(&doc, 0);
        st = add_feature(&r, root);
    }
    if (!st && l->n_rings == 0 && l->n_points == 0)
        st = evm_error_set(err, EVM_ERR_PARSE, path, 1, 1,
                           "the layer holds no polygon, line or point");
done:
    evm_json_doc_free(&doc);
    if (st) {
        evm_user_layer_destroy(l);
        return st;
    }
    *out = l;
    return EVM_OK;
}

void evm_user_layer_destroy(evm_user_layer_t *l)
{
    if (!l)
        return;
    free(l->path);
    free(l->pts);
    free(l->off);
    free(l->closed);
    free(l);
}
