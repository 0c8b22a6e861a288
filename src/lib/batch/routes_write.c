/* Route lengths for scripts and people: per leg and per route, as CSV,
 * JSON or an aligned table.
 *
 * A routes file has tens of legs, not millions, so the whole output is
 * formatted into one buffer and written at once. Numbers are formatted
 * here rather than with printf's %f, whose decimal point follows
 * LC_NUMERIC: CSV and JSON carry the same digits, distances to 1 um
 * (9 decimals of km, mi or nmi, 6 of m); the table rounds for reading. */
#include <stdio.h>
#include <string.h>

#include <evmap/routes.h>

#include "batch/ordered.h"
#include "batch/text_out.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/num.h"

/* ---- what a row says ---------------------------------------------------- */

typedef struct out {
    evm_buf_t b;
    const evm_route_leg_t *legs;
    const evm_route_t *routes;
    size_t n_routes;
    double unit_m;
    const char *unit;
    int dec; /* decimals of a distance in CSV and JSON */
} out_t;

static const char *leg_from(const evm_route_leg_t *leg)
{
    return leg->points[0].name;
}

static const char *leg_to(const evm_route_leg_t *leg)
{
    return leg->points[leg->n_points - 1].name;
}

/* The modes of a route's legs in order, a mode repeated by consecutive
 * legs once: "sea+rail", "rail+sea+rail". "" when out of memory (the
 * output's buffer then fails too). */
static const char *route_modes(const out_t *o, const evm_route_t *rt,
                               evm_buf_t *m)
{
    for (size_t k = 0; k < rt->n_legs; k++) {
        const evm_route_leg_t *leg = &o->legs[rt->first_leg + k];
        if (k && leg->mode == leg[-1].mode)
            continue;
        if (k)
            evm_buf_put(m, "+", 1);
        evm_buf_puts(m, evm_route_mode_name(leg->mode));
    }
    return m->data && !m->nomem ? m->data : "";
}

/* A route's length along its legs' points, and whether any of its legs
 * was routed at sea. */
static double route_geodesic_m(const out_t *o, const evm_route_t *rt,
                               bool *routed)
{
    double m = 0;
    *routed = false;
    for (size_t k = 0; k < rt->n_legs; k++) {
        m += o->legs[rt->first_leg + k].geodesic_m;
        *routed |= o->legs[rt->first_leg + k].routed;
    }
    return m;
}

static const char *routing_name(bool routed)
{
    return routed ? "sea" : "geodesic";
}

/* Table text of a distance: "9,301.4" (whole metres for m). */
static void table_distance(const out_t *o, double m, char *buf, size_t cap)
{
    evm_num_thousands(m / o->unit_m, o->dec == 6 ? 0 : 1, buf, cap);
}

/* ---- CSV ---------------------------------------------------------------- */

static void csv_row(out_t *o, const char *route, const char *leg,
                    const char *from, const char *to, const char *mode,
                    double m, double geodesic_m, bool routed)
{
    const char *cells[5] = {route, leg, from, to, mode};
    for (int c = 0; c < 5; c++) {
        evm_out_csv(&o->b, cells[c]);
        evm_buf_put(&o->b, ",", 1);
    }
    evm_out_fixed(&o->b, m / o->unit_m, o->dec, "");
    evm_buf_put(&o->b, ",", 1);
    evm_out_fixed(&o->b, geodesic_m / o->unit_m, o->dec, "");
    evm_buf_put(&o->b, ",", 1);
    evm_buf_puts(&o->b, routing_name(routed));
    evm_buf_put(&o->b, "\n", 1);
}

static void write_csv(out_t *o)
{
    evm_buf_puts(&o->b, "route,leg,from,to,mode,distance_");
    evm_buf_puts(&o->b, o->unit);
    evm_buf_puts(&o->b, ",geodesic_");
    evm_buf_puts(&o->b, o->unit);
    evm_buf_puts(&o->b, ",routing\n");
    for (size_t r = 0; r < o->n_routes; r++) {
        const evm_route_t *rt = &o->routes[r];
        for (size_t k = 0; k < rt->n_legs; k++) {
            const evm_route_leg_t *leg = &o->legs[rt->first_leg + k];
            char num[32];
            snprintf(num, sizeof num, "%zu", leg->leg);
            csv_row(o, rt->name, num, leg_from(leg), leg_to(leg),
                    evm_route_mode_name(leg->mode), leg->length_m,
                    leg->geodesic_m, leg->routed);
        }
        evm_buf_t modes = {0};
        bool routed;
        double geodesic_m = route_geodesic_m(o, rt, &routed);
        csv_row(o, rt->name, "total", leg_from(&o->legs[rt->first_leg]),
                leg_to(&o->legs[rt->first_leg + rt->n_legs - 1]),
                route_modes(o, rt, &modes), rt->length_m, geodesic_m, routed);
        o->b.nomem |= modes.nomem;
        evm_buf_free(&modes);
    }
}

/* ---- JSON --------------------------------------------------------------- */

static void json_key(out_t *o, const char *indent, const char *key)
{
    evm_buf_puts(&o->b, indent);
    evm_json_string(&o->b, key);
    evm_buf_puts(&o->b, ": ");
}

static void json_distance(out_t *o, const char *indent, const char *what,
                          double m)
{
    char key[32];
    snprintf(key, sizeof key, "%s_%s", what, o->unit);
    json_key(o, indent, key);
    evm_out_fixed(&o->b, m / o->unit_m, o->dec, "");
}

static void json_leg(out_t *o, const evm_route_leg_t *leg)
{
    const char *in = "        ";
    char num[32];
    snprintf(num, sizeof num, "%zu", leg->leg);
    evm_buf_puts(&o->b, "      {\n");
    json_key(o, in, "leg");
    evm_buf_puts(&o->b, num);
    const char *keys[3] = {"from", "to", "mode"};
    const char *vals[3] = {leg_from(leg), leg_to(leg),
                           evm_route_mode_name(leg->mode)};
    for (int k = 0; k < 3; k++) {
        evm_buf_puts(&o->b, ",\n");
        json_key(o, in, keys[k]);
        evm_json_string(&o->b, vals[k]);
    }
    evm_buf_puts(&o->b, ",\n");
    json_key(o, in, "via");
    evm_buf_puts(&o->b, "[");
    for (size_t i = 1; i + 1 < leg->n_points; i++) {
        if (i > 1)
            evm_buf_puts(&o->b, ", ");
        evm_json_string(&o->b, leg->points[i].name);
    }
    evm_buf_puts(&o->b, "],\n");
    json_key(o, in, "date");
    evm_json_string(&o->b, leg->date);
    evm_buf_puts(&o->b, ",\n");
    json_key(o, in, "label");
    evm_json_string(&o->b, leg->label);
    evm_buf_puts(&o->b, ",\n");
    json_distance(o, in, "distance", leg->length_m);
    evm_buf_puts(&o->b, ",\n");
    json_distance(o, in, "geodesic", leg->geodesic_m);
    evm_buf_puts(&o->b, ",\n");
    json_key(o, in, "routing");
    evm_json_string(&o->b, routing_name(leg->routed));
    evm_buf_puts(&o->b, "\n      }");
}

static void write_json(out_t *o)
{
    const char *in = "    ";
    evm_buf_puts(&o->b, "[");
    for (size_t r = 0; r < o->n_routes; r++) {
        const evm_route_t *rt = &o->routes[r];
        evm_buf_t modes = {0};
        const char *keys[6] = {"name",  "from",       "to",
                               "modes", "first_date", "last_date"};
        const char *vals[6] = {rt->name,
                               leg_from(&o->legs[rt->first_leg]),
                               leg_to(&o->legs[rt->first_leg + rt->n_legs - 1]),
                               route_modes(o, rt, &modes),
                               rt->first_date,
                               rt->last_date};
        evm_buf_puts(&o->b, r ? ",\n  {\n" : "\n  {\n");
        for (int k = 0; k < 6; k++) {
            json_key(o, in, keys[k]);
            evm_json_string(&o->b, vals[k]);
            evm_buf_puts(&o->b, ",\n");
        }
        o->b.nomem |= modes.nomem;
        evm_buf_free(&modes);
        bool routed;
        double geodesic_m = route_geodesic_m(o, rt, &routed);
        json_distance(o, in, "distance", rt->length_m);
        evm_buf_puts(&o->b, ",\n");
        json_distance(o, in, "geodesic", geodesic_m);
        evm_buf_puts(&o->b, ",\n");
        json_key(o, in, "legs");
        evm_buf_puts(&o->b, "[\n");
        for (size_t k = 0; k < rt->n_legs; k++) {
            if (k)
                evm_buf_puts(&o->b, ",\n");
            json_leg(o, &o->legs[rt->first_leg + k]);
        }
        evm_buf_puts(&o->b, "\n    ]\n  }");
    }
    evm_buf_puts(&o->b, o->n_routes ? "\n]\n" : "]\n");
}

/* ---- table -------------------------------------------------------------- */

enum { T_ROUTE, T_LEG, T_FROM, T_TO, T_MODE, T_DIST, T_GEOD, T_DETOUR, T_COLS };
enum { MAX_NAME_W = 40 };

typedef struct table_row {
    const char *cell[T_COLS];
} table_row_t;

static void table_line(out_t *o, const table_row_t *row, const size_t *w)
{
    for (int c = 0; c < T_COLS; c++) {
        if (c)
            evm_buf_puts(&o->b, "  ");
        (c >= T_DIST ? evm_out_right : evm_out_left)(&o->b, row->cell[c], w[c]);
    }
    evm_buf_puts(&o->b, "\n");
}

/* Rows are made twice: once to measure the columns, once to print. */
static void table_pass(out_t *o, size_t *w, bool print)
{
    char title[48], geod_title[48];
    snprintf(title, sizeof title, "distance (%s)", o->unit);
    snprintf(geod_title, sizeof geod_title, "geodesic (%s)", o->unit);
    table_row_t head = {
        {"route", "leg", "from", "to", "mode", title, geod_title, "detour"}};
    if (print)
        table_line(o, &head, w);
    for (int c = 0; c < T_COLS && !print; c++)
        w[c] = evm_display_width(head.cell[c]);
    for (size_t r = 0; r < o->n_routes; r++) {
        const evm_route_t *rt = &o->routes[r];
        for (size_t k = 0; k <= rt->n_legs; k++) {
            bool total = k == rt->n_legs;
            const evm_route_leg_t *first = &o->legs[rt->first_leg],
                                  *leg = total ? first : first + k;
            char num[32], dist[64], geod[64], detour[EVM_NUM_MAX + 2] = "";
            evm_buf_t modes = {0};
            snprintf(num, sizeof num, "%zu", leg->leg);
            bool routed = leg->routed;
            double m = total ? rt->length_m : leg->length_m;
            double gm =
                total ? route_geodesic_m(o, rt, &routed) : leg->geodesic_m;
            table_distance(o, m, dist, sizeof dist);
            table_distance(o, gm, geod, sizeof geod);
            /* How much longer the way at sea is than the geodesics. */
            if (routed && gm > 0) {
                detour[0] = '+';
                size_t n =
                    evm_num_fixed(detour + 1, 100.0 * (m - gm) / gm, 1, false);
                memcpy(detour + 1 + n, "%", 2);
            }
            table_row_t row = {{rt->name, total ? "total" : num, leg_from(leg),
                                leg_to(total ? first + rt->n_legs - 1 : leg),
                                total ? route_modes(o, rt, &modes)
                                      : evm_route_mode_name(leg->mode),
                                dist, geod, detour}};
            if (print)
                table_line(o, &row, w);
            for (int c = 0; c < T_COLS && !print; c++) {
                size_t cw = evm_display_width(row.cell[c]);
                /* A very long name does not widen its whole column. */
                if (cw > w[c] && cw <= MAX_NAME_W)
                    w[c] = cw;
            }
            o->b.nomem |= modes.nomem;
            evm_buf_free(&modes);
        }
    }
}

static void write_table(out_t *o)
{
    size_t w[T_COLS];
    table_pass(o, w, false);
    table_pass(o, w, true);
}

/* ---- entry points ------------------------------------------------------- */

typedef struct job {
    const evm_routes_t *routes;
    evm_dist_format format;
    evm_units units;
} job_t;

static evm_status produce(void *closure, evm_write_fn write,
                          void *write_closure, evm_error_t *err)
{
    const job_t *J = closure;
    out_t o = {.unit_m = evm_units_metres(J->units),
               .unit = evm_units_name(J->units),
               .dec = J->units == EVM_UNITS_M ? 6 : 9};
    size_t n_legs;
    o.legs = evm_routes_legs(J->routes, &n_legs);
    o.routes = evm_routes_routes(J->routes, &o.n_routes);
    if (J->format == EVM_DIST_CSV)
        write_csv(&o);
    else if (J->format == EVM_DIST_JSON)
        write_json(&o);
    else
        write_table(&o);
    evm_status st = EVM_OK;
    if (o.b.nomem)
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                           "out of memory formatting the routes");
    else if (o.b.len &&
             write(write_closure, (const unsigned char *)o.b.data, o.b.len))
        st = evm_error_set(err, EVM_ERR_IO, NULL, 0, 0,
                           "could not write the output");
    evm_buf_free(&o.b);
    return st;
}

static evm_status check_args(const evm_routes_t *routes, evm_dist_format format,
                             evm_units units, evm_error_t *err)
{
    if (!routes)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0, "no routes");
    if ((unsigned)format > EVM_DIST_TABLE || (unsigned)units > EVM_UNITS_M)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "unknown output format or units");
    return EVM_OK;
}

evm_status evm_routes_write(const evm_routes_t *routes, evm_dist_format format,
                            evm_units units, evm_write_fn write, void *closure,
                            evm_error_t *err)
{
    evm_status st = check_args(routes, format, units, err);
    if (st)
        return st;
    if (!write)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no write callback");
    job_t J = {routes, format, units};
    return produce(&J, write, closure, err);
}

evm_status evm_routes_write_file(const evm_routes_t *routes,
                                 evm_dist_format format, evm_units units,
                                 const char *path, evm_error_t *err)
{
    evm_status st = check_args(routes, format, units, err);
    if (st)
        return st;
    job_t J = {routes, format, units};
    return evm_atomic_file_write(path, produce, &J, err);
}
