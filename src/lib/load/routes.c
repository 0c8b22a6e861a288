/* Routes files: one leg per CSV row, read through the project's record
 * reader (exact positions for messages, BOM, CRLF, quoted cells), places
 * resolved as each row arrives so that an error names its cell.
 *
 * Strings live in one growing arena; legs and points hold arena offsets
 * while reading and get their pointers once the arena stops moving. Rows
 * are then grouped into routes by a stable sort on the route cell, which
 * keeps a file of many routes at n log n. */
#include <stdlib.h>
#include <string.h>

#include <evmap/geodesy.h>
#include <evmap/routes.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/file_open.h"
#include "core/text_escape.h"
#include "load/csv_reader.h"
#include "load/events_geo.h"
#include "load/route_place.h"
#include "load/routes_internal.h"

enum col {
    COL_ROUTE,
    COL_FROM,
    COL_TO,
    COL_MODE,
    COL_VIA,
    COL_DATE,
    COL_LABEL,
    COL_ROUTING,
    N_COLS
};

static const char *const col_names[N_COLS] = {
    "route", "from", "to", "mode", "via", "date", "label", "routing"};

static const char *const mode_names[EVM_ROUTE_MODE_COUNT] = {
    "sea", "rail", "road", "air", "river", "other"};

/* Arena offsets of a leg's strings while reading. */
typedef struct leg_offs {
    size_t route, date, label, first_point;
} leg_offs_t;

struct evm_routes {
    char *source;
    evm_place_lookup_t lookup; /* while reading only */
    const evm_csv_field_t *at; /* the cell being resolved */
    evm_route_leg_t *legs;     /* file order while reading */
    leg_offs_t *offs;
    size_t n_legs, cap_legs, cap_offs;
    evm_route_point_t *points;
    size_t *point_names; /* arena offsets while reading */
    size_t n_points, cap_points, cap_point_names;
    evm_route_t *routes;
    size_t n_routes;
    evm_arena_t arena;
    long col[N_COLS];
    bool header_seen;
};

const char *evm_route_mode_name(evm_route_mode mode)
{
    return (unsigned)mode < EVM_ROUTE_MODE_COUNT ? mode_names[mode] : "";
}

static bool ascii_eq_fold_n(const char *a, size_t n, const char *b)
{
    for (size_t i = 0; i < n; i++, b++) {
        int x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i];
        if (!*b || x != *b)
            return false;
    }
    return *b == '\0';
}

evm_status evm_route_mode_parse(const char *text, evm_route_mode *out)
{
    for (int m = 0; text && m < EVM_ROUTE_MODE_COUNT; m++)
        if (ascii_eq_fold_n(text, strlen(text), mode_names[m])) {
            if (out)
                *out = (evm_route_mode)m;
            return EVM_OK;
        }
    return EVM_ERR_INVALID_ARG;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* [*s, *s + *n) without blanks at either end. */
static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

static evm_status no_memory(const evm_routes_t *r, evm_error_t *err)
{
    return evm_error_set(err, EVM_ERR_NOMEM, r->source, 0, 0, "out of memory");
}

/* Cell text in a message: a few dozen bytes, cut on a character, with
 * control characters (a quoted cell may hold line breaks) made visible. */
static void snippet(char *buf, size_t cap, const char *s, size_t n)
{
    evm_text_snippet(buf, cap, s, n, cap);
}

static evm_status read_header(evm_routes_t *r, const evm_csv_record_t *rec,
                              evm_error_t *err)
{
    for (int k = 0; k < N_COLS; k++)
        r->col[k] = -1;
    for (size_t c = 0; c < rec->n_fields; c++) {
        const char *name = rec->fields[c].text;
        size_t n = rec->fields[c].len;
        trim(&name, &n);
        for (int k = 0; k < N_COLS; k++) {
            if (!ascii_eq_fold_n(name, n, col_names[k]))
                continue;
            if (r->col[k] >= 0)
                return evm_error_set(
                    err, EVM_ERR_PARSE, r->source, rec->fields[c].line,
                    rec->fields[c].column,
                    "a second \"%s\" column (the first is column %ld)",
                    col_names[k], r->col[k] + 1);
            r->col[k] = (long)c;
        }
    }
    r->header_seen = true;
    for (int k = COL_FROM; k <= COL_TO; k++)
        if (r->col[k] < 0)
            return evm_error_set(err, EVM_ERR_PARSE, r->source, rec->line, 0,
                                 "no \"%s\" column (a routes file has the "
                                 "columns route, from, to, mode, via, date, "
                                 "label and routing; from and to are "
                                 "required)",
                                 col_names[k]);
    return EVM_OK;
}

/* Appends the point text[0, n) names; f locates it for messages. */
static evm_status add_point(evm_routes_t *r, const char *text, size_t n,
                            const evm_csv_field_t *f, evm_error_t *err)
{
    if (evm_grow((void **)&r->points, &r->cap_points, r->n_points + 1,
                 sizeof *r->points) ||
        evm_grow((void **)&r->point_names, &r->cap_point_names, r->n_points + 1,
                 sizeof *r->point_names))
        return no_memory(r, err);
    size_t off;
    if (evm_arena_add(&r->arena, text, n, &off))
        return no_memory(r, err);
    evm_route_point_t *p = &r->points[r->n_points];
    evm_error_t why;
    r->at = f;
    evm_status st =
        evm_route_place_resolve(&r->lookup, r->arena.data + off, &p->lat_deg,
                                &p->lon_deg, &p->event, &why);
    if (st)
        return evm_error_set(err, st, r->source, f->line, f->column, "%s",
                             why.message);
    /* An event is called by its own name, whatever case the file used. */
    if (p->event >= 0) {
        const char *name =
            evm_events_get(r->lookup.events, (size_t)p->event)->name;
        if (strcmp(name, r->arena.data + off) != 0 &&
            evm_arena_add(&r->arena, name, strlen(name), &off))
            return no_memory(r, err);
    }
    p->name = NULL;
    r->point_names[r->n_points++] = off;
    return EVM_OK;
}

static evm_status add_place_cell(evm_routes_t *r, const evm_csv_field_t *f,
                                 const char *what, evm_error_t *err)
{
    const char *s = f->text;
    size_t n = f->len;
    trim(&s, &n);
    if (n == 0)
        return evm_error_set(err, EVM_ERR_PARSE, r->source, f->line, f->column,
                             "empty \"%s\" cell: every leg needs a place "
                             "to %s",
                             what, strcmp(what, "from") ? "end" : "start");
    return add_point(r, s, n, f, err);
}

/* Waypoints separated by ';'. An empty entry is a typing error worth
 * reporting: "a;;b" may have lost a place. An empty cell has none. */
static evm_status add_via(evm_routes_t *r, const evm_csv_field_t *f,
                          evm_error_t *err)
{
    const char *s = f->text;
    size_t n = f->len;
    trim(&s, &n);
    if (n == 0)
        return EVM_OK;
    size_t k = 0;
    for (const char *p = s, *end = s + n; p <= end; k++) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *stop = semi ? semi : end;
        const char *e = p;
        size_t len = (size_t)(stop - p);
        trim(&e, &len);
        if (len == 0) {
            char snip[64];
            snippet(snip, sizeof snip, s, n);
            return evm_error_set(err, EVM_ERR_PARSE, r->source, f->line,
                                 f->column,
                                 "via entry %zu of \"%s\" is empty; separate "
                                 "waypoints with one ';' and none at the "
                                 "ends",
                                 k + 1, snip);
        }
        evm_status st = add_point(r, e, len, f, err);
        if (st)
            return st;
        p = stop + 1;
    }
    return EVM_OK;
}

/* An optional cell's text without surrounding blanks; false when the
 * column is absent or the cell blank. */
static bool cell_text(const evm_csv_field_t *f, const char **s, size_t *n)
{
    if (!f)
        return false;
    *s = f->text;
    *n = f->len;
    trim(s, n);
    return *n > 0;
}

static evm_status read_mode(const evm_routes_t *r, const evm_csv_field_t *f,
                            evm_route_mode *mode, evm_error_t *err)
{
    *mode = EVM_ROUTE_OTHER;
    const char *s;
    size_t n;
    if (!cell_text(f, &s, &n))
        return EVM_OK;
    for (int m = 0; m < EVM_ROUTE_MODE_COUNT; m++)
        if (ascii_eq_fold_n(s, n, mode_names[m])) {
            *mode = (evm_route_mode)m;
            return EVM_OK;
        }
    char snip[64];
    snippet(snip, sizeof snip, s, n);
    return evm_error_set(err, EVM_ERR_PARSE, r->source, f->line, f->column,
                         "unknown mode \"%s\": expected sea, rail, road, air, "
                         "river or other",
                         snip);
}

/* The routing cell: empty, "sea" (the default for a sea leg), or
 * "geodesic" to keep a sea leg's geodesics. */
static evm_status read_routing(const evm_routes_t *r, const evm_csv_field_t *f,
                               evm_route_leg_t *leg, evm_error_t *err)
{
    const char *s;
    size_t n;
    if (!cell_text(f, &s, &n))
        return EVM_OK;
    bool sea = ascii_eq_fold_n(s, n, "sea"),
         geodesic = ascii_eq_fold_n(s, n, "geodesic");
    char snip[64];
    snippet(snip, sizeof snip, s, n);
    if (!sea && !geodesic)
        return evm_error_set(err, EVM_ERR_PARSE, r->source, f->line, f->column,
                             "unknown routing \"%s\": expected sea, "
                             "geodesic or nothing",
                             snip);
    if (sea && leg->mode != EVM_ROUTE_SEA)
        return evm_error_set(err, EVM_ERR_PARSE, r->source, f->line, f->column,
                             "routing \"sea\" on a %s leg: only sea legs "
                             "are routed at sea",
                             mode_names[leg->mode]);
    leg->keep_geodesic = geodesic;
    return EVM_OK;
}

static evm_status check_date(const evm_routes_t *r, const evm_csv_field_t *f,
                             evm_error_t *err)
{
    double start, end;
    if (!f || f->len == 0 || evm_parse_date(f->text, &start, &end) == EVM_OK)
        return EVM_OK;
    char snip[64];
    snippet(snip, sizeof snip, f->text, f->len);
    return evm_error_set(err, EVM_ERR_PARSE, r->source, f->line, f->column,
                         "date \"%s\" is not an ISO 8601 date such as "
                         "2023-09-01",
                         snip);
}

static double leg_length_m(const evm_route_point_t *p, size_t n)
{
    double sum = 0;
    for (size_t i = 1; i < n; i++) {
        double s12;
        evm_geodesic_inverse(p[i - 1].lat_deg, p[i - 1].lon_deg, p[i].lat_deg,
                             p[i].lon_deg, &s12, NULL, NULL);
        sum += s12;
    }
    return sum;
}

static evm_status read_leg(evm_routes_t *r, const evm_csv_record_t *rec,
                           evm_error_t *err)
{
    if (evm_grow((void **)&r->legs, &r->cap_legs, r->n_legs + 1,
                 sizeof *r->legs) ||
        evm_grow((void **)&r->offs, &r->cap_offs, r->n_legs + 1,
                 sizeof *r->offs))
        return no_memory(r, err);
    const evm_csv_field_t *f[N_COLS];
    for (int k = 0; k < N_COLS; k++)
        f[k] = r->col[k] >= 0 ? &rec->fields[r->col[k]] : NULL;
    evm_route_leg_t *leg = &r->legs[r->n_legs];
    leg_offs_t *o = &r->offs[r->n_legs];
    memset(leg, 0, sizeof *leg);
    leg->line = rec->line;
    o->first_point = r->n_points;
    evm_status st;
    if ((st = add_place_cell(r, f[COL_FROM], "from", err)) ||
        (f[COL_VIA] && (st = add_via(r, f[COL_VIA], err))) ||
        (st = add_place_cell(r, f[COL_TO], "to", err)) ||
        (st = read_mode(r, f[COL_MODE], &leg->mode, err)) ||
        (st = read_routing(r, f[COL_ROUTING], leg, err)) ||
        (st = check_date(r, f[COL_DATE], err)))
        return st;
    static const int text_cols[3] = {COL_ROUTE, COL_DATE, COL_LABEL};
    size_t *dst[3] = {&o->route, &o->date, &o->label};
    for (int k = 0; k < 3; k++) {
        const evm_csv_field_t *c = f[text_cols[k]];
        if (evm_arena_add(&r->arena, c ? c->text : "", c ? c->len : 0, dst[k]))
            return no_memory(r, err);
    }
    leg->n_points = r->n_points - o->first_point;
    leg->length_m = leg_length_m(&r->points[o->first_point], leg->n_points);
    leg->geodesic_m = leg->length_m;
    leg->routed = false;
    r->n_legs++;
    return EVM_OK;
}

static evm_status on_record(void *user, const evm_csv_record_t *rec,
                            evm_error_t *err)
{
    evm_routes_t *r = user;
    return rec->index == 0 ? read_header(r, rec, err) : read_leg(r, rec, err);
}

/* ---- grouping ----------------------------------------------------------- */

typedef struct row_key {
    const char *route;
    size_t row;
} row_key_t;

/* A route while grouping: where its rows start among the sorted keys. */
typedef struct group {
    size_t first_row, start;
} group_t;

static int by_route_then_row(const void *a, const void *b)
{
    const row_key_t *x = a, *y = b;
    int c = strcmp(x->route, y->route);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static int by_first_row(const void *a, const void *b)
{
    const group_t *x = a, *y = b;
    return (x->first_row > y->first_row) - (x->first_row < y->first_row);
}

static void route_totals(evm_route_t *rt, const evm_route_leg_t *legs)
{
    rt->length_m = 0;
    rt->first_date = rt->last_date = "";
    for (size_t k = 0; k < rt->n_legs; k++) {
        const evm_route_leg_t *leg = &legs[rt->first_leg + k];
        rt->length_m += leg->length_m;
        if (!leg->date[0])
            continue;
        if (!rt->first_date[0] || strcmp(leg->date, rt->first_date) < 0)
            rt->first_date = leg->date;
        if (!rt->last_date[0] || strcmp(leg->date, rt->last_date) > 0)
            rt->last_date = leg->date;
    }
}

/* Points the strings into the arena and orders the legs route by route:
 * routes in order of their first row, legs in row order. */
static evm_status finish(evm_routes_t *r, evm_error_t *err)
{
    for (size_t i = 0; i < r->n_points; i++)
        r->points[i].name = r->arena.data + r->point_names[i];
    size_t n = r->n_legs;
    row_key_t *keys = evm_alloc_array(n, sizeof *keys);
    group_t *groups = evm_alloc_array(n, sizeof *groups);
    evm_route_leg_t *legs = evm_alloc_array(n, sizeof *legs);
    r->routes = evm_alloc_array(n, sizeof *r->routes);
    if (!keys || !groups || !legs || !r->routes) {
        free(keys);
        free(groups);
        free(legs);
        return no_memory(r, err);
    }
    for (size_t i = 0; i < n; i++) {
        evm_route_leg_t *leg = &r->legs[i];
        leg->route = r->arena.data + r->offs[i].route;
        leg->date = r->arena.data + r->offs[i].date;
        leg->label = r->arena.data + r->offs[i].label;
        leg->points = r->points + r->offs[i].first_point;
        keys[i] = (row_key_t){leg->route, i};
    }
    qsort(keys, n, sizeof *keys, by_route_then_row);
    size_t n_groups = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(keys[i].route, keys[i - 1].route) != 0)
            groups[n_groups++] = (group_t){keys[i].row, i};
    qsort(groups, n_groups, sizeof *groups, by_first_row);
    size_t out = 0;
    for (size_t g = 0; g < n_groups; g++) {
        evm_route_t *rt = &r->routes[g];
        rt->name = keys[groups[g].start].route;
        rt->first_leg = out;
        for (size_t k = groups[g].start;
             k < n && strcmp(keys[k].route, rt->name) == 0; k++) {
            legs[out] = r->legs[keys[k].row];
            legs[out].route_index = g;
            legs[out].leg = out - rt->first_leg + 1;
            out++;
        }
        rt->n_legs = out - rt->first_leg;
        route_totals(rt, legs);
    }
    r->n_routes = n_groups;
    free(r->legs);
    r->legs = legs;
    free(keys);
    free(groups);
    return EVM_OK;
}

/* ---- loading ------------------------------------------------------------ */

void evm_routes_destroy(evm_routes_t *r)
{
    if (!r)
        return;
    free(r->source);
    free(r->legs);
    free(r->offs);
    free(r->points);
    free(r->point_names);
    free(r->routes);
    evm_arena_free(&r->arena);
    free(r);
}

/* The records of the input: a CSV routes file, or the lines of a GPX or
 * KML file (by content, as events files). A file is read whole (routes
 * files are small; up to EVM_READ_FILE_DEFAULT_MAX) as text: a NUL byte
 * (/dev/zero, UTF-16) stops it at once. */
static evm_status read_records(evm_routes_t *r, const evm_csv_input_t *in,
                               evm_error_t *err)
{
    char *whole = NULL;
    size_t len = in->len;
    const char *data = in->data;
    if (in->path) {
        evm_status st = evm_read_file_capped(in->path, 0, EVM_READ_TEXT, NULL,
                                             &whole, &len, err);
        if (st)
            return st;
        data = whole;
    }
    evm_input_kind kind = evm_input_sniff(data, len < 4096 ? len : 4096);
    evm_status st;
    if (kind == EVM_INPUT_GPX || kind == EVM_INPUT_KML) {
        st = evm_geo_route_records(kind, r->source, data, len, on_record, r,
                                   err);
    } else {
        evm_csv_reader_options_t ro;
        evm_csv_reader_options_init(&ro);
        ro.display_name = r->source;
        evm_csv_input_t mem = {NULL, data, len};
        st = evm_csv_read(&ro, on_record, r, &mem, err);
    }
    free(whole);
    return st;
}

static evm_status read_all(evm_routes_t *r, const evm_csv_input_t *in,
                           evm_error_t *err)
{
    evm_status st = read_records(r, in, err);
    if (!st && !r->header_seen)
        st = evm_error_set(err, EVM_ERR_PARSE, r->source, 0, 0,
                           "the file is empty; expected a header row with "
                           "the columns from and to");
    if (!st && r->n_legs == 0)
        st = evm_error_set(err, EVM_ERR_PARSE, r->source, 0, 0,
                           "no legs: the file has a header but no rows");
    return st;
}

/* A gazetteer warning, placed at the cell that named the place. */
static void warn_at(void *closure, const evm_error_t *w)
{
    const evm_routes_t *r = closure;
    const evm_place_lookup_t *user = r->lookup.warn_closure;
    evm_error_t at;
    evm_error_set(&at, EVM_OK, r->source, r->at ? r->at->line : 0,
                  r->at ? r->at->column : 0, "%s", w->message);
    user->warn(user->warn_closure, &at);
}

static evm_status load(const char *name, const evm_csv_input_t *in,
                       const evm_place_lookup_t *lookup, evm_routes_t **out,
                       evm_error_t *err)
{
    *out = NULL;
    evm_routes_t *r = calloc(1, sizeof *r);
    if (!r || !(r->source = evm_strdup(name))) {
        free(r);
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    if (lookup) {
        r->lookup = *lookup;
        if (lookup->warn) {
            r->lookup.warn = warn_at;
            r->lookup.warn_closure = (void *)lookup;
        }
    }
    evm_status st = read_all(r, in, err);
    if (!st)
        st = finish(r, err);
    if (st) {
        evm_routes_destroy(r);
        return st;
    }
    memset(&r->lookup, 0, sizeof r->lookup);
    *out = r;
    return EVM_OK;
}

evm_status evm_routes_load_memory(const char *display_name, const void *data,
                                  size_t len, const evm_events_t *events,
                                  evm_routes_t **out, evm_error_t *err)
{
    if (!out || (!data && len))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, display_name, 0, 0,
                             "no routes data or no output");
    evm_csv_input_t in = {NULL, data ? data : "", len};
    evm_place_lookup_t lk = {.events = events};
    return load(display_name ? display_name : "<routes>", &in, &lk, out, err);
}

evm_status evm_routes_load_file(const char *path, const evm_events_t *events,
                                evm_routes_t **out, evm_error_t *err)
{
    if (!path || !out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, path, 0, 0,
                             "no path or no output");
    evm_place_lookup_t lk = {.events = events};
    return evm_routes_load_file_lookup(path, &lk, out, err);
}

evm_status evm_routes_load_file_lookup(const char *path,
                                       const evm_place_lookup_t *lookup,
                                       evm_routes_t **out, evm_error_t *err)
{
    if (!path || !out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, path, 0, 0,
                             "no path or no output");
    evm_csv_input_t in = {path, NULL, 0};
    return load(path, &in, lookup, out, err);
}

const evm_route_leg_t *evm_routes_legs(const evm_routes_t *r, size_t *n_legs)
{
    if (n_legs)
        *n_legs = r ? r->n_legs : 0;
    return r ? r->legs : NULL;
}

evm_route_leg_t *evm_routes_legs_mutable(evm_routes_t *r, size_t *n_legs)
{
    *n_legs = r->n_legs;
    return r->legs;
}

void evm_routes_sum_again(evm_routes_t *r)
{
    for (size_t i = 0; i < r->n_routes; i++)
        route_totals(&r->routes[i], r->legs);
}

const evm_route_t *evm_routes_routes(const evm_routes_t *r, size_t *n_routes)
{
    if (n_routes)
        *n_routes = r ? r->n_routes : 0;
    return r ? r->routes : NULL;
}

const char *evm_routes_source(const evm_routes_t *r)
{
    return r ? r->source : "";
}
