/* GeoJSON, KML and GPX points as event records: see events_geo.h.
 *
 * Each format is parsed whole (jansson, libxml2) into a small table:
 * column names in order of first appearance and, per point, its cells.
 * The table then goes to the loader as a header record and one record
 * per point, so that a property "name" or "date" is found by the same
 * aliases as a CSV column and a bad coordinate is reported the same way.
 *
 * XML is untrusted input: libxml2 reads it with XML_PARSE_NONET, without
 * XML_PARSE_NOENT (entities are not substituted), XML_PARSE_DTDLOAD or
 * XML_PARSE_XINCLUDE, and a document whose DTD declares any entity is
 * refused outright, so neither an exponential "billion laughs" expansion
 * nor an external entity (a local file, a URL) can be reached. Text is
 * taken from text and CDATA nodes only, never through an entity
 * reference. */
#define _POSIX_C_SOURCE 200809L

#include "load/events_geo.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <evmap/routes.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/num.h"
#include "load/json_load.h"

/* ---- the table --------------------------------------------------------- */

typedef struct cell {
    size_t col;
    char *text;
} cell_t;

typedef struct row {
    unsigned long line, col; /* where the point is; 0 when unknown */
    size_t first, n;         /* cells[first .. first + n) */
} row_t;

typedef struct table {
    char **cols;
    size_t n_cols, cap_cols;
    cell_t *cells;
    size_t n_cells, cap_cells;
    row_t *rows;
    size_t n_rows, cap_rows;
    bool nomem;
    bool lines; /* the lines as routes legs, not the points as events */
} table_t;

static void table_free(table_t *t)
{
    for (size_t i = 0; i < t->n_cols; i++)
        free(t->cols[i]);
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i].text);
    free(t->cols);
    free(t->cells);
    free(t->rows);
}

static size_t column(table_t *t, const char *name)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i], name) == 0)
            return i;
    void *c = t->cols;
    char *copy = evm_strdup(name);
    if (!copy || evm_grow(&c, &t->cap_cols, t->n_cols + 1, sizeof *t->cols)) {
        free(copy);
        t->nomem = true;
        return SIZE_MAX;
    }
    t->cols = c;
    t->cols[t->n_cols] = copy;
    return t->n_cols++;
}

static void begin_row(table_t *t, unsigned long line, unsigned long col)
{
    void *r = t->rows;
    if (evm_grow(&r, &t->cap_rows, t->n_rows + 1, sizeof *t->rows)) {
        t->nomem = true;
        return;
    }
    t->rows = r;
    t->rows[t->n_rows++] = (row_t){line, col, t->n_cells, 0};
}

/* Sets a cell of the last row; a repeated column keeps its first value. */
static void set_len(table_t *t, const char *col, const char *text, size_t n)
{
    if (t->nomem || !t->n_rows)
        return;
    size_t c = column(t, col);
    if (c == SIZE_MAX)
        return;
    row_t *r = &t->rows[t->n_rows - 1];
    for (size_t i = r->first; i < r->first + r->n; i++)
        if (t->cells[i].col == c)
            return;
    void *cs = t->cells;
    char *copy = malloc(n + 1);
    if (!copy ||
        evm_grow(&cs, &t->cap_cells, t->n_cells + 1, sizeof *t->cells)) {
        free(copy);
        t->nomem = true;
        return;
    }
    memcpy(copy, text, n);
    copy[n] = '\0';
    t->cells = cs;
    t->cells[t->n_cells++] = (cell_t){c, copy};
    r->n++;
}

static void set(table_t *t, const char *col, const char *text)
{
    set_len(t, col, text, strlen(text));
}

/* Copies the cells of row `from` (other than the point) to a new row. */
static void repeat_row(table_t *t, size_t from, unsigned long line,
                       unsigned long col)
{
    begin_row(t, line, col);
    if (t->nomem)
        return;
    row_t src = t->rows[from];
    for (size_t i = src.first; i < src.first + src.n && !t->nomem; i++) {
        size_t c = t->cells[i].col;
        if (c > 1)
            set(t, t->cols[c], t->cells[i].text);
    }
}

/* Hands the table to fn: the header, then the rows. */
static evm_status emit(table_t *t, const char *name, evm_csv_record_fn fn,
                       void *user, evm_error_t *err)
{
    if (t->nomem)
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0, "out of memory");
    evm_csv_field_t *f = calloc(t->n_cols ? t->n_cols : 1, sizeof *f);
    if (!f)
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0, "out of memory");
    for (size_t c = 0; c < t->n_cols; c++)
        f[c] = (evm_csv_field_t){t->cols[c], strlen(t->cols[c]), 1, 0};
    evm_csv_record_t rec = {0, 1, f, t->n_cols};
    evm_status st = fn(user, &rec, err);
    for (size_t r = 0; st == EVM_OK && r < t->n_rows; r++) {
        const row_t *row = &t->rows[r];
        for (size_t c = 0; c < t->n_cols; c++)
            f[c] = (evm_csv_field_t){"", 0, row->line, row->col};
        for (size_t i = row->first; i < row->first + row->n; i++) {
            const cell_t *cl = &t->cells[i];
            f[cl->col].text = cl->text;
            f[cl->col].len = strlen(cl->text);
        }
        rec = (evm_csv_record_t){r + 1, row->line, f, t->n_cols};
        st = fn(user, &rec, err);
    }
    free(f);
    return st;
}

static evm_status skipped(evm_geo_skip_fn skip, void *user, unsigned long line,
                          unsigned long col, evm_error_t *err, const char *fmt,
                          ...) EVM_PRINTF(6, 7);

static evm_status skipped(evm_geo_skip_fn skip, void *user, unsigned long line,
                          unsigned long col, evm_error_t *err, const char *fmt,
                          ...)
{
    char msg[EVM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return skip ? skip(user, line, col, msg, err) : EVM_OK;
}

/* ---- sniffing ---------------------------------------------------------- */

evm_input_kind evm_input_sniff(const void *head, size_t n)
{
    const unsigned char *s = head, *end = s + n;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        s += 3;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++;
    if (s == end)
        return EVM_INPUT_CSV;
    if (*s == '{' || *s == '[')
        return EVM_INPUT_GEOJSON;
    if (*s != '<')
        return EVM_INPUT_CSV;
    /* The root element: the first '<' followed by a name letter. */
    for (const unsigned char *p = s; p + 4 < end; p++) {
        if (p[0] != '<' || p[1] == '?' || p[1] == '!' || p[1] == '/')
            continue;
        const unsigned char *q = p + 1;
        const unsigned char *colon = q;
        while (colon < end && *colon != ':' && *colon != '>' && *colon != ' ' &&
               *colon != '\n' && *colon != '\t' && *colon != '\r' &&
               *colon != '/')
            colon++;
        if (colon < end && *colon == ':')
            q = colon + 1; /* a prefixed root, kml:kml */
        if (end - q >= 3 && memcmp(q, "kml", 3) == 0)
            return EVM_INPUT_KML;
        if (end - q >= 3 && memcmp(q, "gpx", 3) == 0)
            return EVM_INPUT_GPX;
        return EVM_INPUT_CSV;
    }
    return EVM_INPUT_CSV;
}

/* ---- GeoJSON ----------------------------------------------------------- */

static void set_number(table_t *t, const char *col, double v)
{
    char buf[EVM_NUM_MAX];
    evm_num_fixed(buf, v, 9, true);
    set(t, col, buf);
}

/* A property value as a cell: strings as they are, null as empty, other
 * values as compact JSON. */
static void set_json(table_t *t, const char *col, json_t *v)
{
    if (json_is_string(v)) {
        set_len(t, col, json_string_value(v), json_string_length(v));
        return;
    }
    if (json_is_null(v)) {
        set(t, col, "");
        return;
    }
    char *s =
        json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(15));
    if (!s) {
        t->nomem = true;
        return;
    }
    set(t, col, s);
    free(s);
}

static bool position(json_t *c, double *lon, double *lat)
{
    if (!json_is_array(c) || json_array_size(c) < 2 ||
        !json_is_number(json_array_get(c, 0)) ||
        !json_is_number(json_array_get(c, 1)))
        return false;
    *lon = json_number_value(json_array_get(c, 0));
    *lat = json_number_value(json_array_get(c, 1));
    return true;
}

static void set_properties(table_t *t, json_t *feature)
{
    json_t *id = json_object_get(feature, "id");
    if (id)
        set_json(t, "id", id);
    json_t *props = json_object_get(feature, "properties");
    const char *key;
    json_t *v;
    json_object_foreach(props, key, v) set_json(t, key, v);
}

/* The points of one feature's geometry; other geometries are reported. */
static evm_status geojson_geometry(table_t *t, json_t *feature, json_t *g,
                                   size_t index, evm_json_pos_t at,
                                   evm_geo_skip_fn skip, void *user,
                                   evm_error_t *err)
{
    const char *type = json_string_value(json_object_get(g, "type"));
    if (!g || json_is_null(g))
        return skipped(skip, user, at.line, at.column, err,
                       "feature %zu has no geometry", index);
    if (!type)
        return skipped(skip, user, at.line, at.column, err,
                       "feature %zu: geometry without a \"type\"", index);
    json_t *c = json_object_get(g, "coordinates");
    double lon, lat;
    if (strcmp(type, "Point") == 0) {
        if (!position(c, &lon, &lat))
            return skipped(skip, user, at.line, at.column, err,
                           "feature %zu: Point without two numbers", index);
        begin_row(t, at.line, at.column);
        set_number(t, "latitude", lat);
        set_number(t, "longitude", lon);
        set_properties(t, feature);
        return EVM_OK;
    }
    if (strcmp(type, "MultiPoint") == 0) {
        size_t i, first = t->n_rows;
        json_t *p;
        if (!json_is_array(c))
            return skipped(skip, user, at.line, at.column, err,
                           "feature %zu: MultiPoint without coordinates",
                           index);
        json_array_foreach(c, i, p)
        {
            if (!position(p, &lon, &lat)) {
                evm_status st = skipped(skip, user, at.line, at.column, err,
                                        "feature %zu: point %zu of the "
                                        "MultiPoint is not two numbers",
                                        index, i + 1);
                if (st)
                    return st;
                continue;
            }
            if (t->n_rows == first) {
                begin_row(t, at.line, at.column);
                set_number(t, "latitude", lat);
                set_number(t, "longitude", lon);
                set_properties(t, feature);
            } else {
                repeat_row(t, first, at.line, at.column);
                set_number(t, "latitude", lat);
                set_number(t, "longitude", lon);
            }
        }
        return EVM_OK;
    }
    if (strcmp(type, "GeometryCollection") == 0) {
        size_t i;
        json_t *sub;
        json_array_foreach(json_object_get(g, "geometries"), i, sub)
        {
            evm_status st =
                geojson_geometry(t, feature, sub, index, at, skip, user, err);
            if (st)
                return st;
        }
        return EVM_OK;
    }
    return skipped(skip, user, at.line, at.column, err,
                   "feature %zu is a %s, not a point (evmap reads Point and "
                   "MultiPoint features as events; --to-line reads lines)",
                   index, type);
}

static evm_status geojson(table_t *t, const char *name, const char *data,
                          size_t len, evm_geo_skip_fn skip, void *user,
                          evm_error_t *err)
{
    evm_json_doc_t doc;
    evm_status st = evm_json_load_features(name, data, len, &doc, err);
    if (st)
        return st;
    json_t *root = doc.root;
    const char *type = json_string_value(json_object_get(root, "type"));
    json_t *features = NULL;
    if (json_is_array(root))
        features = root;
    else if (type && strcmp(type, "FeatureCollection") == 0)
        features = json_object_get(root, "features");
    if (!features && type && strcmp(type, "Feature") == 0) {
        st = geojson_geometry(t, root, json_object_get(root, "geometry"), 1,
                              evm_json_doc_at(&doc, 0), skip, user, err);
    } else if (!features && type) {
        /* A bare geometry. */
        st = geojson_geometry(t, NULL, root, 1, evm_json_doc_at(&doc, 0), skip,
                              user, err);
    } else if (!json_is_array(features)) {
        st = evm_error_set(err, EVM_ERR_PARSE, name, 0, 0,
                           "not GeoJSON: expected a FeatureCollection, a "
                           "Feature or a geometry");
    } else {
        size_t i;
        json_t *f;
        json_array_foreach(features, i, f)
        {
            st = geojson_geometry(t, f, json_object_get(f, "geometry"), i + 1,
                                  evm_json_doc_at(&doc, i), skip, user, err);
            if (st)
                break;
        }
    }
    evm_json_doc_free(&doc);
    return st;
}

/* ---- XML --------------------------------------------------------------- */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

static bool named(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE &&
           strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

/* The text of n from its text and CDATA nodes (entity references are
 * never followed), without surrounding blanks. Caller frees. */
static char *text_of(const xmlNode *n, table_t *t)
{
    size_t len = 0;
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            len += strlen((const char *)c->content);
    char *s = malloc(len + 1);
    if (!s) {
        t->nomem = true;
        return NULL;
    }
    size_t o = 0;
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            size_t k = strlen((const char *)c->content);
            memcpy(s + o, c->content, k);
            o += k;
        }
    s[o] = '\0';
    size_t a = 0;
    while (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r')
        a++;
    while (o > a && (s[o - 1] == ' ' || s[o - 1] == '\t' || s[o - 1] == '\n' ||
                     s[o - 1] == '\r'))
        o--;
    memmove(s, s + a, o - a);
    s[o - a] = '\0';
    return s;
}

static void set_text(table_t *t, const char *col, const xmlNode *n)
{
    char *s = text_of(n, t);
    if (s)
        set(t, col, s);
    free(s);
}

static void set_attr(table_t *t, const char *col, const xmlNode *n,
                     const char *attr)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)attr);
    if (v)
        set(t, col, (const char *)v);
    xmlFree(v);
}

/* KML "lon,lat[,alt]": the first tuple of a coordinates element. */
static bool kml_point(table_t *t, const xmlNode *coords)
{
    char *s = text_of(coords, t);
    if (!s)
        return false;
    char *c1 = strchr(s, ',');
    bool ok = c1 != NULL;
    if (ok) {
        *c1 = '\0';
        char *lat = c1 + 1, *c2 = strchr(lat, ',');
        if (c2)
            *c2 = '\0';
        for (char *e = lat; *e; e++)
            if (*e == ' ' || *e == '\t' || *e == '\n' || *e == '\r')
                ok = false; /* a second tuple: not a Point */
        set(t, "latitude", lat);
        set(t, "longitude", s);
    }
    free(s);
    return ok;
}

static void kml_attributes(table_t *t, const xmlNode *pm)
{
    const xmlNode *n;
    if ((n = child(pm, "name")))
        set_text(t, "name", n);
    if ((n = child(pm, "description")))
        set_text(t, "description", n);
    const xmlNode *ts = child(pm, "TimeStamp");
    if ((n = child(ts, "when")))
        set_text(t, "timestamp", n);
    const xmlNode *ed = child(pm, "ExtendedData");
    for (xmlNode *d = ed ? ed->children : NULL; d; d = d->next) {
        if (named(d, "Data")) {
            xmlChar *k = xmlGetNoNsProp(d, (const xmlChar *)"name");
            if (k)
                set_text(t, (const char *)k, child(d, "value"));
            xmlFree(k);
        } else if (named(d, "SchemaData")) {
            for (xmlNode *sd = d->children; sd; sd = sd->next) {
                if (!named(sd, "SimpleData"))
                    continue;
                xmlChar *k = xmlGetNoNsProp(sd, (const xmlChar *)"name");
                if (k)
                    set_text(t, (const char *)k, sd);
                xmlFree(k);
            }
        }
    }
}

static evm_status kml_geometry(table_t *t, const xmlNode *pm, const xmlNode *g,
                               size_t *first, evm_geo_skip_fn skip, void *user,
                               evm_error_t *err)
{
    unsigned long line = (unsigned long)xmlGetLineNo(g);
    if (named(g, "Point")) {
        if (*first == SIZE_MAX) {
            *first = t->n_rows;
            begin_row(t, line, 0);
            kml_attributes(t, pm);
        } else {
            repeat_row(t, *first, line, 0);
        }
        if (!kml_point(t, child(g, "coordinates"))) {
            t->n_rows--; /* cells stay unreferenced until freed */
            return skipped(skip, user, line, 0, err,
                           "Point without one \"longitude,latitude\" in "
                           "<coordinates>");
        }
        return EVM_OK;
    }
    if (named(g, "MultiGeometry")) {
        for (xmlNode *c = g->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            evm_status st = kml_geometry(t, pm, c, first, skip, user, err);
            if (st)
                return st;
        }
        return EVM_OK;
    }
    return skipped(skip, user, line, 0, err,
                   "Placemark with a %s, not a Point: not read as an event",
                   (const char *)g->name);
}

static bool is_kml_geometry(const xmlNode *n)
{
    static const char *const g[] = {"Point",      "LineString",    "LinearRing",
                                    "Polygon",    "MultiGeometry", "Track",
                                    "MultiTrack", "Model",         NULL};
    for (size_t i = 0; g[i]; i++)
        if (named(n, g[i]))
            return true;
    return false;
}

static evm_status kml_walk(table_t *t, const xmlNode *n, evm_geo_skip_fn skip,
                           void *user, evm_error_t *err)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!named(n, "Placemark")) {
            evm_status st = kml_walk(t, n->children, skip, user, err);
            if (st)
                return st;
            continue;
        }
        size_t first = SIZE_MAX;
        bool any = false;
        for (xmlNode *g = n->children; g; g = g->next) {
            if (!is_kml_geometry(g))
                continue;
            any = true;
            evm_status st = kml_geometry(t, n, g, &first, skip, user, err);
            if (st)
                return st;
        }
        if (!any) {
            evm_status st = skipped(skip, user, (unsigned long)xmlGetLineNo(n),
                                    0, err, "Placemark without a geometry");
            if (st)
                return st;
        }
    }
    return EVM_OK;
}

/* GPX: waypoints are events; routes and tracks are reported. */
static evm_status gpx(table_t *t, const xmlNode *root, evm_geo_skip_fn skip,
                      void *user, evm_error_t *err)
{
    for (xmlNode *n = root->children; n; n = n->next) {
        unsigned long line = (unsigned long)xmlGetLineNo(n);
        if (named(n, "wpt")) {
            begin_row(t, line, 0);
            set_attr(t, "latitude", n, "lat");
            set_attr(t, "longitude", n, "lon");
            /* Every child with text: name, desc, time, type, ele, sym. */
            for (xmlNode *c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE &&
                    strcmp((const char *)c->name, "extensions") != 0)
                    set_text(t, (const char *)c->name, c);
            continue;
        }
        if (!named(n, "rte") && !named(n, "trk"))
            continue;
        size_t points = 0;
        for (xmlNode *c = n->children; c; c = c->next) {
            points += named(c, "rtept");
            if (named(c, "trkseg"))
                for (xmlNode *p = c->children; p; p = p->next)
                    points += named(p, "trkpt");
        }
        char *label = text_of(child(n, "name"), t);
        evm_status st = skipped(skip, user, line, 0, err,
                                "%s \"%s\" (%zu points) is a line: evmap "
                                "reads GPX waypoints as events",
                                named(n, "rte") ? "route" : "track",
                                label ? label : "", points);
        free(label);
        if (st)
            return st;
    }
    return EVM_OK;
}

/* ---- lines as routes ---------------------------------------------------- */

/* The points of one line as routes-file text: "lat lon;lat lon;...", each
 * number as written in the file. */
typedef struct line {
    evm_buf_t b;
    size_t n, first_end, last_start;
} line_t;

static void line_add(line_t *l, const char *lat, size_t lat_len,
                     const char *lon, size_t lon_len)
{
    if (l->n)
        evm_buf_putc(&l->b, ';');
    l->last_start = l->b.len;
    evm_buf_put(&l->b, lat, lat_len);
    evm_buf_putc(&l->b, ' ');
    evm_buf_put(&l->b, lon, lon_len);
    if (l->n++ == 0)
        l->first_end = l->b.len;
}

/* The line as one leg: from its first point through the others (via) to
 * its last. what names it in a message. */
static evm_status line_row(table_t *t, line_t *l, const char *route,
                           const char *mode, const char *date,
                           unsigned long line, const char *name,
                           const char *what, evm_error_t *err)
{
    if (l->b.nomem) {
        t->nomem = true;
        return EVM_OK;
    }
    if (l->n < 2)
        return evm_error_set(err, EVM_ERR_PARSE, name, line, 0,
                             "%s has %zu point%s: a leg needs two or more",
                             what, l->n, l->n == 1 ? "" : "s");
    begin_row(t, line, 0);
    set(t, "route", route);
    set_len(t, "from", l->b.data, l->first_end);
    if (l->n > 2)
        set_len(t, "via", l->b.data + l->first_end + 1,
                l->last_start - l->first_end - 2);
    set(t, "to", l->b.data + l->last_start);
    if (mode)
        set(t, "mode", mode);
    if (date)
        set(t, "date", date);
    return EVM_OK;
}

/* A mode of the routes file named by text (GPX <type>), or NULL: a
 * "cycling" track is of mode other. */
static const char *mode_of(const char *text)
{
    evm_route_mode m;
    return text && evm_route_mode_parse(text, &m) == EVM_OK
               ? evm_route_mode_name(m)
               : NULL;
}

/* A date for a leg from a GPX or KML time: the whole text when it is ISO
 * 8601 as evmap reads it, else its date part ("2023-09-01T10:30:00.25Z"
 * has fractions of a second), else none. Cuts text in place. */
static const char *date_of(char *text)
{
    double a, b;
    if (!text || !text[0])
        return NULL;
    if (evm_parse_date(text, &a, &b) == EVM_OK)
        return text;
    if (strlen(text) > 10) {
        text[10] = '\0';
        if (evm_parse_date(text, &a, &b) == EVM_OK)
            return text;
    }
    return NULL;
}

/* A GPX rtept or trkpt added to l. */
static evm_status gpx_point(line_t *l, const xmlNode *p, const char *name,
                            evm_error_t *err)
{
    xmlChar *lat = xmlGetNoNsProp(p, (const xmlChar *)"lat");
    xmlChar *lon = xmlGetNoNsProp(p, (const xmlChar *)"lon");
    evm_status st = EVM_OK;
    if (lat && lon)
        line_add(l, (const char *)lat, strlen((const char *)lat),
                 (const char *)lon, strlen((const char *)lon));
    else
        st = evm_error_set(
            err, EVM_ERR_PARSE, name, (unsigned long)xmlGetLineNo(p), 0,
            "<%s> without lat and lon attributes", (const char *)p->name);
    xmlFree(lat);
    xmlFree(lon);
    return st;
}

/* The points named pt among the children of n into l; the time of the
 * first one with a time into *time (caller frees). */
static evm_status gpx_points(table_t *t, line_t *l, const xmlNode *n,
                             const char *pt, char **time, const char *name,
                             evm_error_t *err)
{
    for (xmlNode *c = n->children; c; c = c->next) {
        if (!named(c, pt))
            continue;
        evm_status st = gpx_point(l, c, name, err);
        if (st)
            return st;
        if (!*time && child(c, "time"))
            *time = text_of(child(c, "time"), t);
    }
    return EVM_OK;
}

/* GPX routes and tracks as legs: a route is one leg, a track one leg per
 * segment (an empty segment holds nothing and gives none), all of one
 * route named as the GPX route or track ("track 2" when unnamed). */
static evm_status gpx_lines(table_t *t, const char *name, const xmlNode *root,
                            evm_error_t *err)
{
    size_t k = 0;
    evm_status st = EVM_OK;
    for (xmlNode *n = root->children; n && !st; n = n->next) {
        bool rte = named(n, "rte");
        if (!rte && !named(n, "trk"))
            continue;
        k++;
        char fallback[48], what[96];
        snprintf(fallback, sizeof fallback, "%s %zu", rte ? "route" : "track",
                 k);
        char *label = text_of(child(n, "name"), t);
        char *type = text_of(child(n, "type"), t);
        const char *route = label && label[0] ? label : fallback;
        const char *mode = mode_of(type);
        if (rte) {
            line_t l = {0};
            char *time = NULL;
            st = gpx_points(t, &l, n, "rtept", &time, name, err);
            snprintf(what, sizeof what, "route \"%.60s\"", route);
            if (!st)
                st = line_row(t, &l, route, mode, date_of(time),
                              (unsigned long)xmlGetLineNo(n), name, what, err);
            free(time);
            evm_buf_free(&l.b);
        }
        size_t seg = 0;
        for (xmlNode *c = rte ? NULL : n->children; c && !st; c = c->next) {
            if (!named(c, "trkseg"))
                continue;
            seg++;
            line_t l = {0};
            char *time = NULL;
            st = gpx_points(t, &l, c, "trkpt", &time, name, err);
            snprintf(what, sizeof what, "segment %zu of track \"%.60s\"", seg,
                     route);
            if (!st && l.n)
                st = line_row(t, &l, route, mode, date_of(time),
                              (unsigned long)xmlGetLineNo(c), name, what, err);
            free(time);
            evm_buf_free(&l.b);
        }
        free(label);
        free(type);
    }
    return st;
}

/* A KML LineString as a leg: its coordinates are "lon,lat[,alt]" tuples
 * separated by blanks. */
static evm_status kml_line(table_t *t, const xmlNode *ls, const char *route,
                           const char *date, const char *name, evm_error_t *err)
{
    unsigned long line = (unsigned long)xmlGetLineNo(ls);
    char *s = text_of(child(ls, "coordinates"), t);
    if (!s)
        return EVM_OK;
    line_t l = {0};
    evm_status st = EVM_OK;
    size_t k = 0;
    for (char *p = s; *p && !st;) {
        size_t n = strcspn(p, " \t\r\n");
        if (n) {
            k++;
            char *c1 = memchr(p, ',', n);
            if (!c1 || c1 == p || c1 + 1 == p + n)
                st = evm_error_set(err, EVM_ERR_PARSE, name, line, 0,
                                   "LineString coordinate %zu is not "
                                   "\"longitude,latitude\"",
                                   k);
            else {
                char *lat = c1 + 1;
                char *c2 = memchr(lat, ',', (size_t)(p + n - lat));
                size_t lat_len = (size_t)((c2 ? c2 : p + n) - lat);
                line_add(&l, lat, lat_len, p, (size_t)(c1 - p));
            }
        }
        p += n;
        p += strspn(p, " \t\r\n");
    }
    char what[96];
    snprintf(what, sizeof what, "LineString of \"%.60s\"", route);
    if (!st)
        st = line_row(t, &l, route, NULL, date, line, name, what, err);
    evm_buf_free(&l.b);
    free(s);
    return st;
}

/* The LineStrings of a Placemark, also inside MultiGeometry. */
static evm_status kml_placemark_lines(table_t *t, const xmlNode *g,
                                      const char *route, const char *date,
                                      const char *name, evm_error_t *err)
{
    evm_status st = EVM_OK;
    for (const xmlNode *c = g->children; c && !st; c = c->next) {
        if (named(c, "LineString"))
            st = kml_line(t, c, route, date, name, err);
        else if (named(c, "MultiGeometry"))
            st = kml_placemark_lines(t, c, route, date, name, err);
    }
    return st;
}

/* KML Placemarks with a LineString as legs, one route per Placemark
 * ("line 3" when it has no name), dated by its TimeStamp or the start
 * of its TimeSpan. Points are events, not legs: left alone. */
static evm_status kml_lines(table_t *t, const xmlNode *n, size_t *k,
                            const char *name, evm_error_t *err)
{
    evm_status st = EVM_OK;
    for (; n && !st; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!named(n, "Placemark")) {
            st = kml_lines(t, n->children, k, name, err);
            continue;
        }
        (*k)++;
        char fallback[48];
        snprintf(fallback, sizeof fallback, "line %zu", *k);
        char *label = text_of(child(n, "name"), t);
        const xmlNode *when = child(child(n, "TimeStamp"), "when");
        if (!when)
            when = child(child(n, "TimeSpan"), "begin");
        char *time = when ? text_of(when, t) : NULL;
        st = kml_placemark_lines(t, n, label && label[0] ? label : fallback,
                                 date_of(time), name, err);
        free(time);
        free(label);
    }
    return st;
}

/* The line of the first occurrence of what in data, or 0. */
static unsigned long line_of(const char *data, size_t len, const char *what)
{
    size_t k = strlen(what);
    unsigned long line = 1;
    for (size_t i = 0; i + k <= len; i++) {
        if (memcmp(data + i, what, k) == 0)
            return line;
        line += data[i] == '\n';
    }
    return 0;
}

static evm_status xml(table_t *t, evm_input_kind kind, const char *name,
                      const char *data, size_t len, evm_geo_skip_fn skip,
                      void *user, evm_error_t *err)
{
    pthread_once(&xml_once, xml_init);
    if (len > INT32_MAX)
        return evm_error_set(err, EVM_ERR_PARSE, name, 0, 0,
                             "XML file larger than 2 GiB");
    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    if (!ctx)
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0, "out of memory");
    xmlDocPtr doc = xmlCtxtReadMemory(ctx, data, (int)len, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING);
    evm_status st = EVM_OK;
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctx);
        char msg[256] = "not well-formed XML";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t n = strlen(msg);
            while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
                msg[--n] = '\0';
        }
        st = evm_error_set(err, EVM_ERR_PARSE, name,
                           e && e->line > 0 ? (unsigned long)e->line : 0,
                           e && e->int2 > 0 ? (unsigned long)e->int2 : 0,
                           "XML: %s", msg);
    } else if (doc->intSubset &&
               (doc->intSubset->entities || doc->intSubset->pentities)) {
        st = evm_error_set(err, EVM_ERR_PARSE, name,
                           line_of(data, len, "<!ENTITY"), 0,
                           "the document declares XML entities, which "
                           "evmap does not expand (they can hide "
                           "exponential text or read other files)");
    } else {
        xmlNode *root = xmlDocGetRootElement(doc);
        size_t k = 0;
        if (t->lines && kind == EVM_INPUT_KML)
            st = kml_lines(t, root, &k, name, err);
        else if (t->lines && root && named(root, "gpx"))
            st = gpx_lines(t, name, root, err);
        else if (kind == EVM_INPUT_KML)
            st = kml_walk(t, root, skip, user, err);
        else if (root && named(root, "gpx"))
            st = gpx(t, root, skip, user, err);
        else
            st = evm_error_set(err, EVM_ERR_PARSE, name, 0, 0,
                               "XML root is not <gpx>");
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctx);
    return st;
}

evm_status evm_geo_records(evm_input_kind kind, const char *name,
                           const char *data, size_t len, evm_csv_record_fn fn,
                           evm_geo_skip_fn skip, void *user, evm_error_t *err)
{
    table_t t = {0};
    /* The point columns come first, whatever the properties are. */
    column(&t, "latitude");
    column(&t, "longitude");
    evm_status st = kind == EVM_INPUT_GEOJSON
                        ? geojson(&t, name, data, len, skip, user, err)
                        : xml(&t, kind, name, data, len, skip, user, err);
    if (st == EVM_OK)
        st = emit(&t, name, fn, user, err);
    table_free(&t);
    return st;
}

evm_status evm_geo_route_records(evm_input_kind kind, const char *name,
                                 const char *data, size_t len,
                                 evm_csv_record_fn fn, void *user,
                                 evm_error_t *err)
{
    if (kind != EVM_INPUT_KML && kind != EVM_INPUT_GPX)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, name, 0, 0,
                             "routes are read from GPX and KML lines only");
    table_t t = {.lines = true};
    static const char *const cols[] = {"route", "from", "via",
                                       "to",    "mode", "date"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        column(&t, cols[i]);
    evm_status st = xml(&t, kind, name, data, len, NULL, NULL, err);
    if (st == EVM_OK && !t.nomem && t.n_rows == 0)
        st = evm_error_set(err, EVM_ERR_PARSE, name, 0, 0,
                           kind == EVM_INPUT_GPX
                               ? "no route or track with points: a GPX "
                                 "file gives its <rte> and <trk> as routes"
                               : "no Placemark with a LineString: a KML "
                                 "file gives its lines as routes");
    if (st == EVM_OK)
        st = emit(&t, name, fn, user, err);
    table_free(&t);
    return st;
}
