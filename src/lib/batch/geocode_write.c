/* `evmap geocode` output: what each name resolved to, as CSV or JSON,
 * formatted into one buffer (a few thousand names at most) and written
 * at once. */
#include <evmap/gazetteer.h>

#include <stdio.h>
#include <string.h>

#include "batch/ordered.h"
#include "batch/text_out.h"
#include "core/error.h"
#include "core/text.h"

static void csv_place_alt(evm_buf_t *a, const evm_geocode_place_t *p)
{
    evm_buf_puts(a, p->name);
    evm_buf_puts(a, ", ");
    evm_buf_puts(a, p->country[0] ? p->country : "?");
    if (p->admin1[0]) {
        evm_buf_puts(a, " (");
        evm_buf_puts(a, p->admin1);
        evm_buf_puts(a, ")");
    }
    evm_buf_puts(a, " ");
    evm_out_fixed(a, p->lat_deg, 6, "");
    evm_buf_puts(a, " ");
    evm_out_fixed(a, p->lon_deg, 6, "");
}

/* The fields of a place, in output order, defined once for the CSV
 * columns and the JSON members: text, or a coordinate (text NULL). */
enum { N_FIELDS = 6 };
typedef struct field {
    const char *key, *text;
    double deg;
} field_t;

static void place_fields(const evm_geocode_place_t *p, field_t f[N_FIELDS])
{
    f[0] = (field_t){"name", p->name, 0};
    f[1] = (field_t){"lat", NULL, p->lat_deg};
    f[2] = (field_t){"lon", NULL, p->lon_deg};
    f[3] = (field_t){"country", p->country, 0};
    f[4] = (field_t){"admin1", p->admin1, 0};
    f[5] = (field_t){"source", evm_place_source_name(p->source), 0};
}

static void csv_row(evm_buf_t *b, const char *query, const evm_geocode_t *g)
{
    evm_buf_t alt = {0};
    for (size_t i = 0; i < g->n_others; i++) {
        if (i)
            evm_buf_puts(&alt, "; ");
        csv_place_alt(&alt, &g->others[i]);
    }
    field_t f[N_FIELDS];
    place_fields(&g->place, f);
    evm_out_csv(b, query);
    for (size_t i = 0; i < N_FIELDS; i++) {
        evm_buf_puts(b, ",");
        if (f[i].text)
            evm_out_csv(b, f[i].text);
        else
            evm_out_fixed(b, f[i].deg, 6, "");
    }
    evm_buf_puts(b, ",");
    evm_out_csv(b, alt.data ? alt.data : "");
    evm_buf_puts(b, "\n");
    if (alt.nomem)
        b->nomem = true;
    evm_buf_free(&alt);
}

static void json_place(evm_buf_t *b, const evm_geocode_place_t *p)
{
    field_t f[N_FIELDS];
    place_fields(p, f);
    for (size_t i = 0; i < N_FIELDS; i++) {
        evm_buf_puts(b, i ? ", \"" : "\"");
        evm_buf_puts(b, f[i].key);
        evm_buf_puts(b, "\": ");
        if (f[i].text)
            evm_json_string(b, f[i].text);
        else
            evm_out_fixed(b, f[i].deg, 6, "null");
    }
}

static void json_row(evm_buf_t *b, const char *query, const evm_geocode_t *g,
                     bool first)
{
    evm_buf_puts(b, first ? "\n  {\"query\": " : ",\n  {\"query\": ");
    evm_json_string(b, query);
    evm_buf_puts(b, ", ");
    json_place(b, &g->place);
    evm_buf_puts(b, ", \"alternatives\": [");
    for (size_t i = 0; i < g->n_others; i++) {
        evm_buf_puts(b, i ? ", {" : "{");
        json_place(b, &g->others[i]);
        evm_buf_puts(b, "}");
    }
    evm_buf_puts(b, "]}");
}

evm_status evm_gazetteer_write(const evm_gazetteer_t *gaz,
                               const char *const *names,
                               const char *const *countries, size_t n,
                               evm_dist_format format, evm_write_fn write,
                               void *closure, evm_geocode_error_fn on_error,
                               void *error_closure, size_t *n_failed,
                               evm_error_t *err)
{
    if (!gaz || (!names && n) || !write)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no gazetteer, names or writer");
    bool json = format == EVM_DIST_JSON;
    evm_buf_t b = {0};
    size_t failed = 0, written = 0;
    evm_buf_puts(&b, json ? "["
                          : "query,name,lat,lon,country,admin1,"
                            "source,alternatives\n");
    for (size_t i = 0; i < n; i++) {
        evm_geocode_t g;
        evm_error_t e;
        const char *hint = countries ? countries[i] : NULL;
        evm_status st = evm_gazetteer_lookup(gaz, names[i], hint, &g, &e);
        if (st == EVM_ERR_NOMEM) {
            evm_buf_free(&b);
            if (err)
                *err = e;
            return st;
        }
        if (st) {
            failed++;
            if (on_error)
                on_error(error_closure, &e);
            continue;
        }
        if (json)
            json_row(&b, names[i], &g, written == 0);
        else
            csv_row(&b, names[i], &g);
        written++;
        evm_geocode_clear(&g);
    }
    if (json)
        evm_buf_puts(&b, written ? "\n]\n" : "]\n");
    if (n_failed)
        *n_failed = failed;
    if (b.nomem) {
        evm_buf_free(&b);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    evm_status st = write(closure, (const unsigned char *)b.data, b.len);
    evm_buf_free(&b);
    if (st)
        return evm_error_set(err, EVM_ERR_IO, NULL, 0, 0,
                             "could not write the places");
    return EVM_OK;
}
