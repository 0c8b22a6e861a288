/* Reference layers from GeoJSON (see layers.h): what evmap-geopack packs
 * from the trimmed Natural Earth files in geodata/ne/, and the reading of
 * a feature's properties back from its id. */
#include "load/layers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/error.h"
#include "core/num.h"
#include "load/basemap_internal.h"
#include "load/basemap_io.h"
#include "load/json_load.h"

static const char *const layer_names[EVM_REF_COUNT] = {
    "lakes", "rivers", "places", "marine", "disputed-areas", "disputed-lines"};

const char *evm_ref_layer_name(evm_ref_layer layer)
{
    return (unsigned)layer < EVM_REF_COUNT ? layer_names[layer] : "";
}

evm_ref_layer evm_ref_layer_parse(const char *name)
{
    for (int i = 0; name && i < EVM_REF_COUNT; i++)
        if (strcmp(name, layer_names[i]) == 0)
            return (evm_ref_layer)i;
    return EVM_REF_COUNT;
}

/* The layer being built: growing arrays, then handed to a basemap. */
typedef struct lb {
    evm_basemap_t *m;
    size_t cap_rings, cap_pts, cap_feats;
    size_t n_pts;
    double *tmp; /* one ring's points */
    size_t cap_tmp;
    const char *name;
    size_t feature; /* for messages */
    evm_error_t *err;
} lb_t;

static evm_status lb_fail(lb_t *b, const char *what)
{
    return evm_error_set(b->err, EVM_ERR_PARSE, b->name, 0, 0,
                         "feature %zu: %s", b->feature, what);
}

static evm_status lb_nomem(lb_t *b)
{
    return evm_error_set(b->err, EVM_ERR_NOMEM, b->name, 0, 0,
                         "out of memory reading a layer");
}

/* Reads a GeoJSON position array into b->tmp; *n points. Drops the
 * closing repeat of a ring. */
static evm_status lb_read(lb_t *b, const json_t *coords, bool ring, size_t *n)
{
    size_t k = json_array_size(coords);
    if (!json_is_array(coords) || k == 0)
        return lb_fail(b, "a line or ring without positions");
    if (evm_grow((void **)&b->tmp, &b->cap_tmp, 2 * k, sizeof *b->tmp))
        return lb_nomem(b);
    for (size_t i = 0; i < k; i++) {
        const json_t *p = json_array_get(coords, i);
        double lon = json_number_value(json_array_get(p, 0));
        double lat = json_number_value(json_array_get(p, 1));
        if (!json_is_array(p) || json_array_size(p) < 2 ||
            !json_is_number(json_array_get(p, 0)) ||
            !json_is_number(json_array_get(p, 1)) ||
            !(fabs(lon) <= 180.0 + EVM_BASEMAP_DEG_SLACK &&
              fabs(lat) <= 90.0 + EVM_BASEMAP_DEG_SLACK))
            return lb_fail(b, "a position is not a longitude, latitude pair "
                              "in range");
        b->tmp[2 * i] = lon;
        b->tmp[2 * i + 1] = lat;
    }
    if (ring && k > 1 && b->tmp[0] == b->tmp[2 * k - 2] &&
        b->tmp[1] == b->tmp[2 * k - 1])
        k--;
    *n = k;
    return EVM_OK;
}

/* Twice the signed area of a ring, x = lon, y = lat (positive:
 * counter-clockwise). */
static double ring_area2(const double *p, size_t n)
{
    double a = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        a += (p[2 * j] - p[2 * i]) * (p[2 * j + 1] + p[2 * i + 1]);
    return -a;
}

/* Appends the n points of b->tmp as a ring of the current feature;
 * orient > 0 makes it counter-clockwise, < 0 clockwise, 0 keeps it. */
static evm_status lb_ring(lb_t *b, size_t n, int orient)
{
    evm_basemap_t *m = b->m;
    if (orient && n >= 3 && (ring_area2(b->tmp, n) > 0) != (orient > 0)) {
        for (size_t i = 0, j = n - 1; i < j; i++, j--) {
            double x = b->tmp[2 * i], y = b->tmp[2 * i + 1];
            b->tmp[2 * i] = b->tmp[2 * j];
            b->tmp[2 * i + 1] = b->tmp[2 * j + 1];
            b->tmp[2 * j] = x;
            b->tmp[2 * j + 1] = y;
        }
    }
    size_t cap = b->cap_rings;
    if (evm_grow((void **)&m->ring_off, &cap, m->n_rings + 2,
                 sizeof *m->ring_off))
        return lb_nomem(b);
    cap = b->cap_rings;
    if (evm_grow((void **)&m->ring_box, &cap, m->n_rings + 2,
                 sizeof *m->ring_box))
        return lb_nomem(b);
    cap = b->cap_rings;
    if (evm_grow((void **)&m->ring_country, &cap, m->n_rings + 2,
                 sizeof *m->ring_country))
        return lb_nomem(b);
    b->cap_rings = cap;
    if (evm_grow((void **)&m->ring_pts, &b->cap_pts, 2 * (b->n_pts + n),
                 sizeof *m->ring_pts))
        return lb_nomem(b);
    memcpy(m->ring_pts + 2 * b->n_pts, b->tmp, 2 * n * sizeof *b->tmp);
    evm_llbox_of(b->tmp, n, orient != 0, &m->ring_box[m->n_rings]);
    m->ring_country[m->n_rings] = (uint32_t)m->n_countries;
    m->ring_off[m->n_rings] = b->n_pts;
    b->n_pts += n;
    m->n_rings++;
    m->ring_off[m->n_rings] = b->n_pts;
    return EVM_OK;
}

static evm_status lb_polygon(lb_t *b, const json_t *rings)
{
    if (!json_is_array(rings) || json_array_size(rings) == 0)
        return lb_fail(b, "a polygon without rings");
    for (size_t r = 0; r < json_array_size(rings); r++) {
        size_t n;
        evm_status st = lb_read(b, json_array_get(rings, r), true, &n);
        if (!st && n < 3)
            st = lb_fail(b, "a ring of fewer than three points");
        if (!st)
            st = lb_ring(b, n, r == 0 ? -1 : 1);
        if (st)
            return st;
    }
    return EVM_OK;
}

/* The label point of the feature's largest exterior ring, as the
 * feature's only ring. */
static evm_status lb_label(lb_t *b, size_t r0, evm_label_point_fn label)
{
    evm_basemap_t *m = b->m;
    size_t best = r0;
    double best_a = -1;
    for (size_t r = r0; r < m->n_rings; r++) {
        size_t off = m->ring_off[r], n = m->ring_off[r + 1] - off;
        double a = -ring_area2(m->ring_pts + 2 * off, n); /* exteriors */
        if (a > best_a) {
            best_a = a;
            best = r;
        }
    }
    size_t off = m->ring_off[best], n = m->ring_off[best + 1] - off;
    double xy[2];
    if (n >= 3)
        label(m->ring_pts + 2 * off, n, xy);
    else
        memcpy(xy, m->ring_pts + 2 * off, sizeof xy);
    b->n_pts = m->ring_off[r0];
    m->n_rings = r0;
    if (evm_grow((void **)&b->tmp, &b->cap_tmp, 2, sizeof *b->tmp))
        return lb_nomem(b);
    memcpy(b->tmp, xy, sizeof xy);
    return lb_ring(b, 1, 0);
}

static evm_status lb_geometry(lb_t *b, const json_t *g,
                              evm_label_point_fn label)
{
    const char *type = json_string_value(json_object_get(g, "type"));
    const json_t *c = json_object_get(g, "coordinates");
    size_t r0 = b->m->n_rings, n;
    evm_status st = EVM_OK;
    if (!type || !c)
        return lb_fail(b, "a geometry without type or coordinates");
    if (strcmp(type, "Point") == 0) {
        json_t *wrap = json_pack("[O]", c);
        if (!wrap)
            return lb_nomem(b);
        st = lb_read(b, wrap, false, &n);
        json_decref(wrap);
        if (!st)
            st = lb_ring(b, 1, 0);
    } else if (strcmp(type, "LineString") == 0) {
        if (!(st = lb_read(b, c, false, &n)))
            st = lb_ring(b, n, 0);
    } else if (strcmp(type, "MultiLineString") == 0) {
        for (size_t i = 0; !st && i < json_array_size(c); i++)
            if (!(st = lb_read(b, json_array_get(c, i), false, &n)))
                st = lb_ring(b, n, 0);
    } else if (strcmp(type, "Polygon") == 0) {
        st = lb_polygon(b, c);
    } else if (strcmp(type, "MultiPolygon") == 0) {
        for (size_t i = 0; !st && i < json_array_size(c); i++)
            st = lb_polygon(b, json_array_get(c, i));
    } else {
        return lb_fail(b, "a geometry type other than Point, LineString, "
                          "MultiLineString, Polygon or MultiPolygon");
    }
    if (!st && b->m->n_rings == r0)
        st = lb_fail(b, "an empty geometry");
    if (!st && label)
        st = lb_label(b, r0, label);
    return st;
}

/* "key=value\x1f..." of every property but name. */
static char *lb_attrs(const json_t *props)
{
    size_t len = 0, cap = 0;
    char *s = NULL;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)props, key, v)
    {
        if (strcmp(key, "name") == 0)
            continue;
        char num[64] = "";
        const char *text = num;
        if (json_is_string(v))
            text = json_string_value(v);
        else if (json_is_number(v))
            evm_num_general(num, json_number_value(v));
        else if (json_is_true(v) || json_is_false(v))
            snprintf(num, sizeof num, "%d", json_is_true(v));
        size_t need = len + strlen(key) + strlen(text) + 3;
        if (evm_grow((void **)&s, &cap, need, 1)) {
            free(s);
            return NULL;
        }
        len +=
            (size_t)sprintf(s + len, "%s%s=%s", len ? "\x1f" : "", key, text);
    }
    return s ? s : evm_strdup("");
}

evm_status evm_layer_decode_geojson(const char *data, size_t len,
                                    const char *name, evm_label_point_fn label,
                                    evm_basemap_t **out, evm_error_t *err)
{
    *out = NULL;
    json_t *root = NULL;
    evm_status st = evm_json_load(name, data, len, &root, err);
    if (st)
        return st;
    lb_t b = {.name = name, .err = err};
    const json_t *feats = json_object_get(root, "features");
    if (!json_is_array(feats)) {
        json_decref(root);
        return evm_error_set(err, EVM_ERR_PARSE, name, 0, 0,
                             "not a GeoJSON FeatureCollection");
    }
    size_t n = json_array_size(feats);
    evm_basemap_t *m = calloc(1, sizeof *m);
    if (m) {
        b.m = m;
        m->arc_off = calloc(1, sizeof *m->arc_off);
        m->country_ring_off = evm_alloc_array(n + 1, sizeof(size_t));
        m->country_name = calloc(n + 1, sizeof(char *));
        m->country_id = calloc(n + 1, sizeof(char *));
        m->ring_off = calloc(1, sizeof *m->ring_off);
    }
    if (!m || !m->arc_off || !m->country_ring_off || !m->country_name ||
        !m->country_id || !m->ring_off)
        st = lb_nomem(&b);
    else
        m->country_ring_off[0] = 0;
    for (size_t i = 0; !st && i < n; i++) {
        const json_t *f = json_array_get(feats, i);
        const json_t *props = json_object_get(f, "properties");
        const char *nm = json_string_value(json_object_get(props, "name"));
        b.feature = i;
        m->country_ring_off[i] = m->n_rings;
        st = lb_geometry(&b, json_object_get(f, "geometry"), label);
        if (st)
            break;
        m->country_name[i] = evm_strdup(nm ? nm : "");
        m->country_id[i] = lb_attrs(props);
        m->n_countries = i + 1;
        m->country_ring_off[i + 1] = m->n_rings;
        if (!m->country_name[i] || !m->country_id[i])
            st = lb_nomem(&b);
    }
    json_decref(root);
    free(b.tmp);
    if (st) {
        if (m && m->country_name && m->n_countries < n) {
            free(m->country_name[m->n_countries]);
            free(m->country_id[m->n_countries]);
        }
        evm_basemap_destroy(m);
        return st;
    }
    *out = m;
    return EVM_OK;
}

bool evm_layer_attr(const char *attrs, const char *key, char *buf, size_t cap)
{
    size_t kl = strlen(key);
    for (const char *p = attrs; p && *p;) {
        const char *end = strchr(p, '\x1f');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
            size_t v = len - kl - 1;
            if (cap) {
                v = v < cap - 1 ? v : cap - 1;
                memcpy(buf, p + kl + 1, v);
                buf[v] = '\0';
            }
            return true;
        }
        p = end ? end + 1 : p + len;
    }
    return false;
}

double evm_layer_attr_num(const char *attrs, const char *key, double fallback)
{
    char buf[64], *end;
    if (!evm_layer_attr(attrs, key, buf, sizeof buf) || !buf[0])
        return fallback;
    double v = evm_num_strtod(buf, &end);
    return *end == '\0' ? v : fallback;
}
