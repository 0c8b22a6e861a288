/* TopoJSON to struct evm_basemap.
 *
 * Reads the world-atlas layout: a Topology whose objects.countries is a
 * GeometryCollection of Polygon and MultiPolygon geometries, each with an
 * id and properties.name. Arcs are decoded once (delta-decoded and scaled
 * when the topology is quantized); every ring is then materialised into
 * its own point run, so that later stages fill polygons without walking
 * arcs; and every arc is classified by the countries that use it. jansson
 * parses; this file checks every value it reads, so a malformed file is a
 * parse error naming what is wrong, never a crash. */
#include "load/topojson.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "load/basemap_internal.h"
#include "load/basemap_io.h"
#include "load/json_load.h"

/* How the rings use one arc, gathered while materialising them. */
typedef struct tj_arc_use {
    uint32_t count;    /* ring references, saturating */
    int32_t first;     /* first country to use the arc, or -1 */
    int32_t other;     /* first country other than first, or -1 */
    uint8_t first_fwd; /* whether first ran the arc as stored */
} tj_arc_use_t;

typedef struct tj {
    const char *name; /* for messages */
    evm_error_t *err;
    evm_basemap_t *map;
    int quantized;
    double scale[2], translate[2];
    tj_arc_use_t *use;
} tj_t;

static evm_status tj_fail(tj_t *d, const char *fmt, ...) EVM_PRINTF(2, 3);

static evm_status tj_fail(tj_t *d, const char *fmt, ...)
{
    char msg[EVM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return evm_error_set(d->err, EVM_ERR_PARSE, d->name, 0, 0, "%s", msg);
}

static evm_status tj_nomem(tj_t *d)
{
    return evm_error_set(d->err, EVM_ERR_NOMEM, d->name, 0, 0,
                         "out of memory decoding the topology");
}

/* Reads a JSON array of at least two numbers into v[0], v[1]. */
static int tj_pair(const json_t *a, double v[2])
{
    if (!json_is_array(a) || json_array_size(a) < 2)
        return -1;
    const json_t *x = json_array_get(a, 0), *y = json_array_get(a, 1);
    if (!json_is_number(x) || !json_is_number(y))
        return -1;
    v[0] = json_number_value(x);
    v[1] = json_number_value(y);
    return 0;
}

static evm_status tj_read_transform(tj_t *d, const json_t *root)
{
    const json_t *tr = json_object_get(root, "transform");
    if (!tr || json_is_null(tr)) {
        d->quantized = 0;
        return EVM_OK;
    }
    if (!json_is_object(tr))
        return tj_fail(d, "\"transform\" is not an object");
    if (tj_pair(json_object_get(tr, "scale"), d->scale) != 0)
        return tj_fail(d, "transform.scale is not an array of two numbers");
    if (tj_pair(json_object_get(tr, "translate"), d->translate) != 0)
        return tj_fail(d, "transform.translate is not an array of two numbers");
    d->quantized = 1;
    return EVM_OK;
}

/* The w, s, e, n box of n >= 1 points. A longitude step of more than 180
 * degrees between neighbours (for a ring, the closing edge included) is a
 * crossing of the antimeridian: the box then spans all longitudes, since
 * min/max of the longitudes would describe the other side of the world. */
void evm_llbox_of(const double *pts, size_t n, int closed, evm_llbox_t *box)
{
    double w = pts[0], e = pts[0], s = pts[1], nn = pts[1];
    int crosses = 0;
    for (size_t i = 1; i < n; i++) {
        double lon = pts[2 * i], lat = pts[2 * i + 1];
        w = lon < w ? lon : w;
        e = lon > e ? lon : e;
        s = lat < s ? lat : s;
        nn = lat > nn ? lat : nn;
        if (fabs(lon - pts[2 * i - 2]) > 180.0)
            crosses = 1;
    }
    if (closed && n > 1 && fabs(pts[0] - pts[2 * n - 2]) > 180.0)
        crosses = 1;
    if (crosses) {
        w = -180.0;
        e = 180.0;
    }
    box->w = w;
    box->s = s;
    box->e = e;
    box->n = nn;
}

static evm_status tj_read_arcs(tj_t *d, const json_t *arcs)
{
    evm_basemap_t *m = d->map;
    size_t n_arcs = json_array_size(arcs);

    /* Size everything first so that decoding writes into final arrays. */
    m->arc_off = evm_alloc_array(n_arcs + 1, sizeof *m->arc_off);
    if (!m->arc_off)
        return tj_nomem(d);
    m->arc_off[0] = 0;
    for (size_t i = 0; i < n_arcs; i++) {
        const json_t *arc = json_array_get(arcs, i);
        if (!json_is_array(arc))
            return tj_fail(d, "arcs[%zu] is not an array of positions", i);
        size_t len = json_array_size(arc);
        if (len < 2)
            return tj_fail(d,
                           "arcs[%zu] has %zu position%s; an arc needs at "
                           "least 2",
                           i, len, len == 1 ? "" : "s");
        m->arc_off[i + 1] = m->arc_off[i] + len;
    }
    size_t n_pts = m->arc_off[n_arcs];
    m->arc_pts = evm_alloc_array(n_pts, 2 * sizeof *m->arc_pts);
    m->arc_box = evm_alloc_array(n_arcs, sizeof *m->arc_box);
    m->arc_class = evm_alloc_array(n_arcs, sizeof *m->arc_class);
    m->arc_left = evm_alloc_array(n_arcs, sizeof *m->arc_left);
    m->arc_right = evm_alloc_array(n_arcs, sizeof *m->arc_right);
    if (!m->arc_pts || !m->arc_box || !m->arc_class || !m->arc_left ||
        !m->arc_right)
        return tj_nomem(d);
    m->n_arcs = n_arcs;

    const double sx = d->scale[0], sy = d->scale[1];
    const double tx = d->translate[0], ty = d->translate[1];
    double *out = m->arc_pts;
    for (size_t i = 0; i < n_arcs; i++) {
        const json_t *arc = json_array_get(arcs, i);
        size_t len = m->arc_off[i + 1] - m->arc_off[i];
        /* Quantized positions are deltas from the previous position of the
         * same arc; integers stay exact in a double up to 2^53. */
        double qx = 0.0, qy = 0.0;
        for (size_t j = 0; j < len; j++) {
            double v[2];
            if (tj_pair(json_array_get(arc, j), v) != 0)
                return tj_fail(d,
                               "arcs[%zu][%zu] is not a position [x, y] of "
                               "numbers",
                               i, j);
            double lon = v[0], lat = v[1];
            if (d->quantized) {
                qx += v[0];
                qy += v[1];
                lon = qx * sx + tx;
                lat = qy * sy + ty;
            }
            /* Written so that NaN fails too. */
            if (!(fabs(lon) <= 180.0 + EVM_BASEMAP_DEG_SLACK &&
                  fabs(lat) <= 90.0 + EVM_BASEMAP_DEG_SLACK))
                return tj_fail(d,
                               "arcs[%zu][%zu] decodes to (%g, %g), not a "
                               "longitude/latitude in degrees",
                               i, j, lon, lat);
            *out++ = lon;
            *out++ = lat;
        }
        evm_llbox_of(m->arc_pts + 2 * m->arc_off[i], len, 0, &m->arc_box[i]);
    }
    return EVM_OK;
}

/* The rings array of polygon p of a geometry: for a Polygon, "arcs" is
 * itself the one polygon; for a MultiPolygon it lists polygons. */
static const json_t *tj_polygon(const json_t *arcs, int multi, size_t p)
{
    return multi ? json_array_get(arcs, p) : arcs;
}

/* Arc index of a ring reference: ~i (that is -i - 1) means arc i
 * reversed. */
static size_t tj_ref_arc(json_int_t v, int *reversed)
{
    *reversed = v < 0;
    return (size_t)(v < 0 ? ~v : v);
}

/* First pass over one geometry: checks its shape and arc references and
 * counts its rings and their points. multi is -1 for a null geometry. */
static evm_status tj_scan_geometry(tj_t *d, size_t gi, const json_t *g,
                                   int *multi, size_t *n_rings, size_t *n_pts)
{
    const evm_basemap_t *m = d->map;
    if (!json_is_object(g))
        return tj_fail(d, "objects.countries.geometries[%zu] is not an object",
                       gi);
    const json_t *type = json_object_get(g, "type");
    /* TopoJSON's null geometry: a feature without a shape. */
    if (json_is_null(type)) {
        *multi = -1;
        return EVM_OK;
    }
    if (!json_is_string(type))
        return tj_fail(d,
                       "objects.countries.geometries[%zu] has no \"type\" "
                       "string",
                       gi);
    const char *t = json_string_value(type);
    if (strcmp(t, "MultiPolygon") == 0)
        *multi = 1;
    else if (strcmp(t, "Polygon") == 0)
        *multi = 0;
    else
        return tj_fail(d,
                       "objects.countries.geometries[%zu] is a %.40s; a "
                       "country must be a Polygon or a MultiPolygon",
                       gi, t);
    const json_t *arcs = json_object_get(g, "arcs");
    if (!json_is_array(arcs))
        return tj_fail(d,
                       "objects.countries.geometries[%zu].arcs is missing or "
                       "not an array",
                       gi);
    size_t n_polys = *multi ? json_array_size(arcs) : 1;
    for (size_t p = 0; p < n_polys; p++) {
        const json_t *poly = tj_polygon(arcs, *multi, p);
        if (!json_is_array(poly))
            return tj_fail(d,
                           "objects.countries.geometries[%zu].arcs[%zu] is "
                           "not an array of rings",
                           gi, p);
        for (size_t r = 0; r < json_array_size(poly); r++) {
            const json_t *ring = json_array_get(poly, r);
            size_t n_refs = json_array_size(ring);
            if (!json_is_array(ring) || n_refs == 0)
                return tj_fail(d,
                               "objects.countries.geometries[%zu]: ring %zu "
                               "of polygon %zu is not a non-empty array of "
                               "arc indices",
                               gi, r, p);
            for (size_t k = 0; k < n_refs; k++) {
                const json_t *ref = json_array_get(ring, k);
                if (!json_is_integer(ref))
                    return tj_fail(d,
                                   "objects.countries.geometries[%zu]: ring "
                                   "%zu of polygon %zu: reference %zu is "
                                   "not an integer arc index",
                                   gi, r, p, k);
                json_int_t v = json_integer_value(ref);
                int rev;
                size_t a = tj_ref_arc(v, &rev);
                if (a >= m->n_arcs)
                    return tj_fail(d,
                                   "objects.countries.geometries[%zu]: ring "
                                   "%zu of polygon %zu: arc index %lld is "
                                   "out of range (the topology has %zu "
                                   "arcs)",
                                   gi, r, p, (long long)v, m->n_arcs);
                /* A ring repeats each joint point once; after the last arc
                 * comes back to the start, the closing repeat is dropped
                 * too, so a ring has sum(len - 1) points. */
                size_t add = m->arc_off[a + 1] - m->arc_off[a] - 1;
                if (add > SIZE_MAX / 4 - *n_pts)
                    return tj_fail(d, "the rings have too many points");
                *n_pts += add;
            }
            ++*n_rings;
        }
    }
    return EVM_OK;
}

static void tj_note_use(tj_t *d, size_t a, int32_t c, int reversed)
{
    tj_arc_use_t *u = &d->use[a];
    if (u->count < UINT32_MAX)
        u->count++;
    if (u->first < 0) {
        u->first = c;
        u->first_fwd = !reversed;
    } else if (u->other < 0 && u->first != c) {
        u->other = c;
    }
}

/* Materialises ring ri (validated by tj_scan_geometry) of country c at
 * ring_pts[ring_off[ri]..]. The buffer has one spare point, for the
 * closing repeat that is written and then dropped. */
static evm_status tj_build_ring(tj_t *d, size_t gi, const json_t *ring,
                                size_t ri, int32_t c)
{
    evm_basemap_t *m = d->map;
    double *out = m->ring_pts + 2 * m->ring_off[ri];
    size_t n = 0;
    size_t n_refs = json_array_size(ring);
    for (size_t k = 0; k < n_refs; k++) {
        int rev;
        size_t a =
            tj_ref_arc(json_integer_value(json_array_get(ring, k)), &rev);
        const double *p = m->arc_pts + 2 * m->arc_off[a];
        size_t len = m->arc_off[a + 1] - m->arc_off[a];
        /* The start of this arc in ring order, compared with the end of
         * the ring so far: a topology's arcs meet at shared points. */
        const double *head = rev ? p + 2 * (len - 1) : p;
        if (k > 0) {
            if (head[0] != out[2 * n - 2] || head[1] != out[2 * n - 1])
                return tj_fail(d,
                               "objects.countries.geometries[%zu]: arc %zu "
                               "does not start where the previous arc of "
                               "its ring ends",
                               gi, a);
        }
        size_t skip = k > 0; /* the joint point, already written */
        if (!rev) {
            memcpy(out + 2 * n, p + 2 * skip, (len - skip) * 2 * sizeof *out);
        } else {
            double *o = out + 2 * n;
            for (size_t j = len - skip; j-- > 0;) {
                *o++ = p[2 * j];
                *o++ = p[2 * j + 1];
            }
        }
        n += len - skip;
        tj_note_use(d, a, c, rev);
    }
    if (out[0] != out[2 * n - 2] || out[1] != out[2 * n - 1])
        return tj_fail(d,
                       "objects.countries.geometries[%zu]: a ring does not "
                       "end where it starts",
                       gi);
    n--;
    m->ring_off[ri + 1] = m->ring_off[ri] + n;
    m->ring_country[ri] = (uint32_t)c;
    evm_llbox_of(out, n, 1, &m->ring_box[ri]);
    return EVM_OK;
}

/* A string member that may be absent or null (then ""); an id may also
 * be written as a number. */
static evm_status tj_text(tj_t *d, size_t gi, const json_t *v, const char *what,
                          int allow_int, char **out)
{
    char num[32];
    const char *s = "";
    if (json_is_string(v)) {
        s = json_string_value(v);
    } else if (allow_int && json_is_integer(v)) {
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        s = num;
    } else if (v && !json_is_null(v)) {
        return tj_fail(d, "objects.countries.geometries[%zu].%s is not a %s",
                       gi, what, allow_int ? "string or integer" : "string");
    }
    *out = evm_strdup(s);
    return *out ? EVM_OK : tj_nomem(d);
}

static evm_status tj_read_countries(tj_t *d, const json_t *geoms)
{
    evm_basemap_t *m = d->map;
    size_t n_geoms = json_array_size(geoms);
    /* arc_left/arc_right hold country indices as int32. */
    if (n_geoms > INT32_MAX)
        return tj_fail(d, "too many countries (%zu)", n_geoms);

    size_t n_rings = 0, n_pts = 0;
    for (size_t gi = 0; gi < n_geoms; gi++) {
        int multi;
        evm_status st = tj_scan_geometry(d, gi, json_array_get(geoms, gi),
                                         &multi, &n_rings, &n_pts);
        if (st != EVM_OK)
            return st;
    }

    m->country_ring_off = evm_alloc_array(n_geoms + 1, sizeof(size_t));
    m->country_name = calloc(n_geoms + 1, sizeof *m->country_name);
    m->country_id = calloc(n_geoms + 1, sizeof *m->country_id);
    m->ring_off = evm_alloc_array(n_rings + 1, sizeof *m->ring_off);
    m->ring_pts = evm_alloc_array(n_pts + 1, 2 * sizeof *m->ring_pts);
    m->ring_box = evm_alloc_array(n_rings, sizeof *m->ring_box);
    m->ring_country = evm_alloc_array(n_rings, sizeof *m->ring_country);
    d->use = evm_alloc_array(m->n_arcs, sizeof *d->use);
    if (!m->country_ring_off || !m->country_name || !m->country_id ||
        !m->ring_off || !m->ring_pts || !m->ring_box || !m->ring_country ||
        !d->use)
        return tj_nomem(d);
    m->n_countries = n_geoms;
    m->n_rings = n_rings;
    for (size_t a = 0; a < m->n_arcs; a++)
        d->use[a] = (tj_arc_use_t){0, -1, -1, 0};

    size_t ri = 0;
    m->ring_off[0] = 0;
    m->country_ring_off[0] = 0;
    for (size_t gi = 0; gi < n_geoms; gi++) {
        const json_t *g = json_array_get(geoms, gi);
        const json_t *props = json_object_get(g, "properties");
        if (props && !json_is_null(props) && !json_is_object(props))
            return tj_fail(d,
                           "objects.countries.geometries[%zu].properties is "
                           "not an object",
                           gi);
        evm_status st = tj_text(d, gi, json_object_get(props, "name"),
                                "properties.name", 0, &m->country_name[gi]);
        if (st == EVM_OK)
            st = tj_text(d, gi, json_object_get(g, "id"), "id", 1,
                         &m->country_id[gi]);
        if (st != EVM_OK)
            return st;

        /* Checked by the scan: null, Polygon or MultiPolygon. */
        const json_t *type = json_object_get(g, "type");
        if (!json_is_null(type)) {
            int multi = strcmp(json_string_value(type), "MultiPolygon") == 0;
            const json_t *arcs = json_object_get(g, "arcs");
            size_t n_polys = multi ? json_array_size(arcs) : 1;
            for (size_t p = 0; p < n_polys; p++) {
                const json_t *poly = tj_polygon(arcs, multi, p);
                for (size_t r = 0; r < json_array_size(poly); r++, ri++) {
                    st = tj_build_ring(d, gi, json_array_get(poly, r), ri,
                                       (int32_t)gi);
                    if (st != EVM_OK)
                        return st;
                }
            }
        }
        m->country_ring_off[gi + 1] = ri;
    }
    return EVM_OK;
}

/* An arc run by one ring of one country is coast; by two countries, a
 * border; twice by the same country (two of its polygons touching, or a
 * degenerate spike), neither. Topologies that give an arc to three
 * countries (10m has one such point-sized arc) keep the first two. */
static void tj_classify(tj_t *d)
{
    evm_basemap_t *m = d->map;
    for (size_t a = 0; a < m->n_arcs; a++) {
        const tj_arc_use_t *u = &d->use[a];
        m->arc_left[a] = -1;
        m->arc_right[a] = -1;
        if (u->other >= 0) {
            m->arc_class[a] = EVM_ARC_BORDER;
            m->arc_right[a] = u->first_fwd ? u->first : u->other;
            m->arc_left[a] = u->first_fwd ? u->other : u->first;
        } else if (u->count == 1) {
            m->arc_class[a] = EVM_ARC_COAST;
        } else {
            m->arc_class[a] = EVM_ARC_INTERIOR;
        }
    }
}

static evm_status tj_decode_root(tj_t *d, const json_t *root)
{
    if (!json_is_object(root))
        return tj_fail(d, "the top level is not a JSON object");
    const json_t *type = json_object_get(root, "type");
    if (!json_is_string(type) ||
        strcmp(json_string_value(type), "Topology") != 0)
        return tj_fail(d, "not a TopoJSON topology (\"type\" is not "
                          "\"Topology\")");
    evm_status st = tj_read_transform(d, root);
    if (st != EVM_OK)
        return st;
    const json_t *arcs = json_object_get(root, "arcs");
    if (!json_is_array(arcs))
        return tj_fail(d, "\"arcs\" is missing or not an array");
    const json_t *countries =
        json_object_get(json_object_get(root, "objects"), "countries");
    if (!json_is_object(countries))
        return tj_fail(d, "objects.countries is missing or not an object");
    const json_t *ctype = json_object_get(countries, "type");
    if (!json_is_string(ctype) ||
        strcmp(json_string_value(ctype), "GeometryCollection") != 0)
        return tj_fail(d, "objects.countries is not a GeometryCollection");
    const json_t *geoms = json_object_get(countries, "geometries");
    if (!json_is_array(geoms))
        return tj_fail(d, "objects.countries.geometries is missing or not "
                          "an array");

    st = tj_read_arcs(d, arcs);
    if (st == EVM_OK)
        st = tj_read_countries(d, geoms);
    if (st == EVM_OK)
        tj_classify(d);
    return st;
}

evm_status evm_topojson_decode(const void *data, size_t len, const char *name,
                               evm_basemap_t **out, evm_error_t *err)
{
    if (!out || (!data && len))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, name, 0, 0,
                             "no TopoJSON data or no output");
    *out = NULL;
    json_t *root;
    evm_status load_st = evm_json_load(name, data, len, &root, err);
    if (load_st)
        return load_st;
    tj_t d = {.name = name, .err = err, .map = calloc(1, sizeof *d.map)};
    evm_status st = d.map ? tj_decode_root(&d, root) : tj_nomem(&d);
    json_decref(root);
    free(d.use);
    if (st != EVM_OK) {
        evm_basemap_destroy(d.map);
        return st;
    }
    *out = d.map;
    return EVM_OK;
}
