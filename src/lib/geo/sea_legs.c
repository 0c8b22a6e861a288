/* Route legs as drawn and measured (see sea_legs.h).
 *
 * The passages are read from sea-passages.csv in the geodata folder
 * (name,kind,points; points "lat lon" pairs joined by ';'; see
 * geodata/README.md) each time a sea leg is routed: a dozen lines, read
 * in microseconds, so that nothing is cached outside the geodata. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/events.h>
#include <evmap/geodesy.h>

#include "core/file_open.h"
#include "geo/sea_legs.h"
#include "geo/sea_route.h"

/* ---- The bundled passages ------------------------------------------- */

typedef struct passages {
    char *text;               /* the file, cut in place */
    evm_sea_passage_t *items; /* names point into text */
    double *lat_lon;          /* every passage's points */
    size_t n, n_points;
} passages_t;

static void passages_free(passages_t *p)
{
    free(p->text);
    free(p->items);
    free(p->lat_lon);
}

static evm_status bad_line(evm_error_t *err, const char *path,
                           unsigned long line, const char *why)
{
    return evm_error_set(err, EVM_ERR_PARSE, path, line, 0, "%s", why);
}

/* Parses "lat lon;lat lon;..." onto p->lat_lon. */
static evm_status parse_points(passages_t *p, size_t *cap, char *s,
                               const char *path, unsigned long line,
                               evm_error_t *err)
{
    size_t first = p->n_points;
    for (char *tok = s, *next; tok; tok = next) {
        next = strchr(tok, ';');
        if (next)
            *next++ = '\0';
        char *sp = strchr(tok, ' ');
        if (!sp)
            return bad_line(err, path, line, "a point is not \"lat lon\"");
        *sp = '\0';
        double lat, lon;
        if (evm_parse_coordinate(tok, true, &lat, NULL, 0) ||
            evm_parse_coordinate(sp + 1, false, &lon, NULL, 0))
            return bad_line(err, path, line,
                            "a point is not a latitude and a longitude");
        if (evm_grow((void **)&p->lat_lon, cap, 2 * (p->n_points + 1),
                     sizeof *p->lat_lon))
            return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory");
        p->lat_lon[2 * p->n_points] = lat;
        p->lat_lon[2 * p->n_points + 1] = lon;
        p->n_points++;
    }
    if (p->n_points - first < 2)
        return bad_line(err, path, line, "a passage needs two points or more");
    return EVM_OK;
}

static evm_status passages_load(evm_geodata_t *gd, passages_t *p,
                                evm_error_t *err)
{
    *p = (passages_t){0};
    char path[4096];
    snprintf(path, sizeof path, "%s/sea-passages.csv", evm_geodata_dir(gd));
    size_t len, cap_pts = 0, cap_items = 0;
    (void)len;
    evm_status st = evm_read_file_capped(path, 1 << 20, EVM_READ_TEXT, NULL,
                                         &p->text, &len, err);
    if (st)
        return st;
    size_t *first = NULL; /* each passage's first point, while reading */
    unsigned long line = 0;
    for (char *ln = p->text, *next; ln && *ln; ln = next) {
        next = strchr(ln, '\n');
        if (next)
            *next++ = '\0';
        line++;
        ln[strcspn(ln, "\r")] = '\0';
        if (line == 1 || !ln[0])
            continue; /* the header */
        char *c1 = strchr(ln, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        if (!c2) {
            st = bad_line(err, path, line, "expected name,kind,points");
            break;
        }
        *c1 = *c2 = '\0';
        size_t *grown = realloc(first, (p->n + 1) * sizeof *first);
        if (grown)
            first = grown;
        if (!grown || evm_grow((void **)&p->items, &cap_items, p->n + 1,
                               sizeof *p->items)) {
            st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        first[p->n] = p->n_points;
        if ((st = parse_points(p, &cap_pts, c2 + 1, path, line, err)))
            break;
        p->items[p->n].name = ln;
        p->items[p->n].n_points = p->n_points - first[p->n];
        p->n++;
    }
    /* Points are placed once the array stops moving. */
    for (size_t i = 0; !st && i < p->n; i++)
        p->items[i].lat_lon = p->lat_lon + 2 * first[i];
    free(first);
    if (st)
        passages_free(p);
    return st;
}

/* ---- Legs ------------------------------------------------------------- */

static double length_along(const double *lat_lon, size_t n)
{
    double total = 0;
    for (size_t i = 1; i < n; i++) {
        double s12;
        evm_geodesic_inverse(lat_lon[2 * i - 2], lat_lon[2 * i - 1],
                             lat_lon[2 * i], lat_lon[2 * i + 1], &s12, NULL,
                             NULL);
        total += s12;
    }
    return total;
}

static evm_status nomem(evm_error_t *err)
{
    return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory routing a sea leg");
}

/* Appends a vertex; with dedup, not when it repeats the last one. */
static evm_status push(evm_leg_trace_t *t, size_t *cap, double lat, double lon,
                       bool dedup, evm_error_t *err)
{
    if (dedup && t->n_vertices && t->lat_lon[2 * t->n_vertices - 2] == lat &&
        t->lat_lon[2 * t->n_vertices - 1] == lon)
        return EVM_OK;
    if (evm_grow((void **)&t->lat_lon, cap, 2 * (t->n_vertices + 1),
                 sizeof *t->lat_lon))
        return nomem(err);
    t->lat_lon[2 * t->n_vertices] = lat;
    t->lat_lon[2 * t->n_vertices + 1] = lon;
    t->n_vertices++;
    return EVM_OK;
}

static void leg_name(const evm_route_leg_t *leg, char *buf, size_t cap)
{
    snprintf(buf, cap, "route \"%s\" leg %zu (%s, %s to %s)",
             leg->route ? leg->route : "", leg->leg,
             evm_route_mode_name(leg->mode),
             leg->points[0].name ? leg->points[0].name : "",
             leg->points[leg->n_points - 1].name
                 ? leg->points[leg->n_points - 1].name
                 : "");
}

/* Routes every piece of a sea leg; on a piece that cannot be routed,
 * says why in t->note and leaves t->routed false. */
static evm_status route_sea(evm_geodata_t *gd, const evm_route_leg_t *leg,
                            evm_leg_trace_t *t, evm_error_t *err)
{
    const evm_basemap_t *land;
    evm_status st = evm_geodata_get(gd, EVM_BASEMAP_10M, &land, err);
    if (st)
        return st;
    passages_t ps;
    if ((st = passages_load(gd, &ps, err)))
        return st;
    evm_sea_land_t sl = {land, ps.items, ps.n};
    size_t cap = 0;
    double *keep = t->lat_lon; /* the points, in case routing fails */
    size_t n_keep = t->n_vertices;
    t->lat_lon = NULL;
    t->n_vertices = 0;
    char name[400];
    leg_name(leg, name, sizeof name);
    bool ok = true;
    for (size_t i = 1; ok && !st && i < leg->n_points; i++) {
        const evm_route_point_t *a = &leg->points[i - 1], *b = &leg->points[i];
        evm_sea_path_t sp;
        if ((st = evm_sea_route(&sl, a->lat_deg, a->lon_deg, b->lat_deg,
                                b->lon_deg, &sp))) {
            st = st == EVM_ERR_NOMEM
                     ? nomem(err)
                     : evm_error_set(err, st, NULL, 0, 0,
                                     "%s: cannot be routed", name);
            break;
        }
        if (sp.result == EVM_SEA_ROUTED) {
            for (size_t k = 0; !st && k < sp.n_vertices; k++)
                st = push(t, &cap, sp.lat_lon[2 * k], sp.lat_lon[2 * k + 1],
                          true, err);
        } else {
            ok = false;
            if (sp.result == EVM_SEA_NO_PATH)
                snprintf(t->note, sizeof t->note,
                         "%s: no way by sea from %s to %s (through the "
                         "bundled canals and straits); drawn as a geodesic",
                         name, a->name ? a->name : "", b->name ? b->name : "");
            else
                snprintf(t->note, sizeof t->note,
                         "%s: %s is more than %.0f km from the sea; drawn "
                         "as a geodesic",
                         name,
                         sp.result == EVM_SEA_FROM_INLAND ? a->name : b->name,
                         EVM_SEA_MAX_JOIN_M / 1000);
        }
        evm_sea_path_free(&sp);
    }
    passages_free(&ps);
    /* A leg from a port to itself is still a line of two vertices. */
    if (!st && ok && t->n_vertices == 1)
        st = push(t, &cap, t->lat_lon[0], t->lat_lon[1], false, err);
    if (st || !ok) {
        free(t->lat_lon);
        t->lat_lon = keep;
        t->n_vertices = n_keep;
        return st;
    }
    free(keep);
    t->routed = true;
    t->length_m = length_along(t->lat_lon, t->n_vertices);
    return EVM_OK;
}

/* Warns when a rail or road leg runs over open sea. */
static void check_open_sea(const evm_route_leg_t *leg,
                           const evm_basemap_t *land, evm_leg_trace_t *t)
{
    double worst = 0;
    size_t at = 0;
    for (size_t i = 1; i < leg->n_points; i++) {
        const evm_route_point_t *a = &leg->points[i - 1], *b = &leg->points[i];
        double m = evm_sea_longest_water_m(land, a->lat_deg, a->lon_deg,
                                           b->lat_deg, b->lon_deg);
        if (m > worst) {
            worst = m;
            at = i;
        }
    }
    if (!(worst > EVM_LEG_MAX_OPEN_SEA_M))
        return;
    char name[400];
    leg_name(leg, name, sizeof name);
    snprintf(t->note, sizeof t->note,
             "%s crosses %.0f km of open sea between %s and %s", name,
             worst / 1000,
             leg->points[at - 1].name ? leg->points[at - 1].name : "",
             leg->points[at].name ? leg->points[at].name : "");
}

evm_status evm_leg_trace(evm_geodata_t *gd, const evm_route_leg_t *leg,
                         bool sea_routing, const evm_basemap_t *check_land,
                         evm_leg_trace_t *out, evm_error_t *err)
{
    *out = (evm_leg_trace_t){0};
    size_t cap = 0;
    for (size_t i = 0; i < leg->n_points; i++) {
        evm_status st = push(out, &cap, leg->points[i].lat_deg,
                             leg->points[i].lon_deg, false, err);
        if (st) {
            evm_leg_trace_free(out);
            return st;
        }
    }
    /* Repeated points are kept: a leg from a place to itself. */
    out->geodesic_m = 0;
    for (size_t i = 1; i < leg->n_points; i++) {
        double s12;
        evm_geodesic_inverse(leg->points[i - 1].lat_deg,
                             leg->points[i - 1].lon_deg, leg->points[i].lat_deg,
                             leg->points[i].lon_deg, &s12, NULL, NULL);
        out->geodesic_m += s12;
    }
    out->length_m = out->geodesic_m;
    evm_status st = EVM_OK;
    if (leg->mode == EVM_ROUTE_SEA && sea_routing && !leg->keep_geodesic && gd)
        st = route_sea(gd, leg, out, err);
    else if ((leg->mode == EVM_ROUTE_RAIL || leg->mode == EVM_ROUTE_ROAD) &&
             check_land)
        check_open_sea(leg, check_land, out);
    if (st)
        evm_leg_trace_free(out);
    return st;
}

void evm_leg_trace_free(evm_leg_trace_t *t)
{
    if (!t)
        return;
    free(t->lat_lon);
    t->lat_lon = NULL;
    t->n_vertices = 0;
}
