/* Building a batch: defaults, jobs files read with their line numbers,
 * one job per event or per period, output names from placeholders, and
 * the preparation that loads every events file once and refuses two jobs
 * writing the same file (the survivor would depend on thread timing).
 * Also the shard arithmetic, Slurm's included. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <evmap/render.h>

#include "batch/batch_internal.h"
#include "core/buf.h"
#include "core/context_internal.h"
#include "core/error.h"
#include "core/option_text.h"
#include "load/csv_reader.h"
#include "map/extent.h"

enum {
    SAFE_MAX_BYTES = 120,  /* of one placeholder value in a file name */
    MAX_FRAMES = 100000,   /* a date typo should not make a million maps */
    FILE_CHUNK = 64 << 10, /* bytes read from a jobs file at a time */
};

static const char *const key_names[KEY_FIRST_LIB] = {
    [KEY_OUTPUT] = "output",
    [KEY_FORMAT] = "format",
    [KEY_EVENTS] = "events",
    [KEY_WHERE] = "where",
    [KEY_SINCE] = "since",
    [KEY_UNTIL] = "until",
    [KEY_CENTER] = "center",
    [KEY_RADIUS_KM] = "radius-km",
    [KEY_DISTANCE] = "distance",
    [KEY_BORDER_DISTANCE] = "border-distance",
    [KEY_LAND_BORDER_ONLY] = "land-border-only",
    [KEY_LINKS] = "links",
    [KEY_ROUTES] = "routes",
    [KEY_ROUTE_STYLES] = "route-styles",
    [KEY_ROUTE_STYLE] = "route-style",
    [KEY_DISTANCE_STYLE] = "distance-style",
    [KEY_KIND_STYLES] = "kind-styles",
    [KEY_KIND_STYLE] = "kind-style",
    [KEY_LAYER] = "layer",
    [KEY_MAX_INPUT_MB] = "max-input-mb",
};

static size_t render_key_count(void)
{
    size_t n = 0;
    while (evm_render_options_key(n))
        n++;
    return n;
}

const char *evm_batch_key_name(batch_key k)
{
    if ((unsigned)k < KEY_FIRST_LIB)
        return key_names[k];
    if ((unsigned)k >= KEY_COUNT)
        return NULL;
    size_t i = (size_t)k - KEY_FIRST_LIB, n_render = render_key_count();
    return i < n_render ? evm_render_options_key(i)
                        : evm_map_options_key(i - n_render);
}

bool evm_batch_key_is_render(batch_key k)
{
    return k >= KEY_FIRST_LIB && (size_t)k - KEY_FIRST_LIB < render_key_count();
}

bool evm_batch_key_is_map(batch_key k)
{
    return k >= KEY_FIRST_LIB && !evm_batch_key_is_render(k) &&
           evm_batch_key_name(k);
}

int evm_batch_key_find(const char *name)
{
    for (int k = 0; name && k < KEY_COUNT; k++) {
        const char *key = evm_batch_key_name((batch_key)k);
        if (key && evm_option_key_is(name, key))
            return k;
        if (!key && k >= KEY_FIRST_LIB)
            break;
    }
    return -1;
}

bool evm_batch_has_key(const char *key)
{
    return evm_batch_key_find(key) >= 0;
}

/* Appends v as one safe file-name component. */
static void sb_put_safe(evm_buf_t *s, const char *v)
{
    size_t start = s->len, bytes = 0;
    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        /* Cut on a character boundary: never inside a UTF-8 sequence. */
        if (bytes >= SAFE_MAX_BYTES && (*c & 0xC0) != 0x80)
            break;
        char ch = (char)*c;
        if (*c < 0x20 || *c == 0x7F || strchr("/\\:*?\"<>| ", ch))
            ch = '_';
        evm_buf_put(s, &ch, 1);
        bytes++;
    }
    if (s->nomem)
        return;
    if (s->len == start)
        evm_buf_put(s, "_", 1);
    else if (s->data[start] == '.') /* no hidden files, no ".." */
        s->data[start] = '_';
}

/* ---- creating and destroying ------------------------------------------ */

evm_status evm_batch_create(evm_batch_t **out, evm_error_t *err)
{
    if (!out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0, "no output");
    size_t n_lib = render_key_count();
    while (evm_map_options_key(n_lib - render_key_count()))
        n_lib++;
    if (n_lib > KEY_COUNT - KEY_FIRST_LIB) /* raise KEY_COUNT */
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "%zu option keys; a batch has room for %d", n_lib,
                             KEY_COUNT - KEY_FIRST_LIB);
    evm_batch_t *b = calloc(1, sizeof *b);
    if (!b)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    evm_csv_options_init(&b->csv);
    atomic_init(&b->cancel, false);
    if (!(b->gaz = calloc(1, sizeof *b->gaz))) {
        free(b);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    pthread_mutex_init(&b->gaz->mu, NULL);
    b->gaz->geonames = true;
    *out = b;
    return EVM_OK;
}

void evm_batch_destroy(evm_batch_t *b)
{
    if (!b)
        return;
    for (int r = 0; r < EVM_ROLE_COUNT; r++)
        free(b->role_col[r]);
    free(b->out_dir);
    free(b->date_format);
    free(b->encoding);
    for (int k = 0; k < KEY_COUNT; k++)
        free(b->defaults[k]);
    for (size_t i = 0; i < b->n_files; i++) {
        free(b->files[i].path);
        free(b->files[i].name);
    }
    free(b->files);
    for (size_t i = 0; i < b->n_jobs; i++) {
        batch_job_t *j = &b->jobs[i];
        for (int k = 0; k < KEY_COUNT; k++)
            free(j->cell[k]);
        free(j->output);
        free(j->error);
    }
    free(b->jobs);
    for (size_t i = 0; i < b->n_events; i++) {
        free(b->events[i].path);
        evm_events_destroy(b->events[i].events);
        free(b->events[i].error);
        if (b->events[i].lazy) {
            pthread_mutex_destroy(&b->events[i].lazy->mu);
            free(b->events[i].lazy->rejected);
            free(b->events[i].lazy);
        }
    }
    free(b->events);
    for (size_t i = 0; i < b->n_patterns; i++)
        free(b->patterns[i]);
    free(b->patterns);
    pthread_mutex_destroy(&b->gaz->mu);
    evm_gazetteer_destroy(b->gaz->gaz);
    free(b->gaz->places_path);
    free(b->gaz->geodata_dir);
    free(b->gaz);
    free(b);
}

static evm_status nomem(evm_error_t *err)
{
    return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static evm_status not_after_prepare(const evm_batch_t *b, evm_error_t *err)
{
    if (b && b->prepared)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the batch is already prepared");
    return b ? EVM_OK
             : evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0, "no batch");
}

evm_status evm_batch_set_csv_options(evm_batch_t *b,
                                     const evm_csv_options_t *opt,
                                     bool skip_invalid, evm_error_t *err)
{
    evm_status st = not_after_prepare(b, err);
    if (st)
        return st;
    evm_csv_options_init(&b->csv);
    b->skip_invalid = skip_invalid;
    for (int r = 0; r < EVM_ROLE_COUNT; r++) {
        free(b->role_col[r]);
        b->role_col[r] = NULL;
        if (r == 0) {
            free(b->date_format);
            free(b->encoding);
            b->date_format = b->encoding = NULL;
            if (opt && opt->date_format &&
                !(b->date_format = evm_strdup(opt->date_format)))
                return nomem(err);
            if (opt && opt->encoding &&
                !(b->encoding = evm_strdup(opt->encoding)))
                return nomem(err);
            b->csv.date_format = b->date_format;
            b->csv.encoding = b->encoding;
        }
        if (opt && opt->role_col[r] &&
            !(b->role_col[r] = evm_strdup(opt->role_col[r])))
            return nomem(err);
        b->csv.role_col[r] = b->role_col[r];
    }
    if (opt) {
        b->csv.delimiter = opt->delimiter;
        b->csv.max_field_bytes = opt->max_field_bytes;
        b->csv.max_columns = opt->max_columns;
        b->csv.max_record_bytes = opt->max_record_bytes;
        b->csv.strict = opt->strict;
        b->csv.decimal_comma = opt->decimal_comma;
        /* Places by name: borrowed, as the header says. */
        b->csv.gazetteer = opt->gazetteer;
        b->csv.country = opt->country;
        b->csv.warn = opt->warn;
        b->csv.warn_closure = opt->warn_closure;
    }
    return EVM_OK;
}

evm_status evm_batch_set_gazetteer_options(evm_batch_t *b,
                                           const evm_gazetteer_options_t *opt,
                                           evm_error_t *err)
{
    evm_status st = not_after_prepare(b, err);
    if (st)
        return st;
    batch_gazetteer_t *g = b->gaz;
    free(g->places_path);
    free(g->geodata_dir);
    g->places_path = g->geodata_dir = NULL;
    g->geonames = opt ? opt->geonames : true;
    if (opt && opt->places_path &&
        !(g->places_path = evm_strdup(opt->places_path)))
        return nomem(err);
    if (opt && opt->geodata_dir &&
        !(g->geodata_dir = evm_strdup(opt->geodata_dir)))
        return nomem(err);
    return EVM_OK;
}

evm_status evm_batch_gazetteer(const evm_batch_t *b,
                               const evm_gazetteer_t **out, evm_error_t *err)
{
    *out = b->csv.gazetteer;
    if (*out)
        return EVM_OK;
    batch_gazetteer_t *g = b->gaz;
    pthread_mutex_lock(&g->mu);
    if (!g->tried) {
        /* Made here rather than when the batch is set up, so that a
         * batch in which no job geocodes never reads the place data. */
        g->tried = true;
        evm_gazetteer_options_t go;
        evm_gazetteer_options_init(&go);
        go.places_path = g->places_path;
        go.geodata_dir = g->geodata_dir;
        go.geonames = g->geonames;
        if (evm_gazetteer_create(&go, &g->gaz, &g->error) != EVM_OK)
            g->gaz = NULL;
    }
    *out = g->gaz;
    evm_status st = g->gaz ? EVM_OK : g->error.status;
    if (st && err)
        *err = g->error;
    pthread_mutex_unlock(&g->mu);
    return st;
}

evm_status evm_batch_gazetteer_lookup(const evm_batch_t *b, size_t *picks,
                                      evm_place_lookup_t *out, evm_error_t *err)
{
    *out = (evm_place_lookup_t){.country = b->csv.country,
                                .warn = b->csv.warn,
                                .warn_closure = b->csv.warn_closure,
                                .geonames_picks = picks};
    return evm_batch_gazetteer(b, &out->gazetteer, err);
}

/* A geocode value: yes or no as the map option reads it; NULL (unset)
 * geocodes only when the caller gave a gazetteer with the CSV options,
 * as before the key existed. */
static evm_status geocode_value(const evm_batch_t *b, const char *v, bool *on,
                                evm_error_t *err)
{
    *on = b->csv.gazetteer != NULL;
    if (!v)
        return EVM_OK;
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_status st = evm_map_options_set(&mo, "geocode", v, err);
    *on = mo.geocode;
    return st;
}

evm_status evm_batch_job_geocodes(const evm_batch_t *b, size_t j, bool *on,
                                  evm_error_t *err)
{
    int k = evm_batch_key_find("geocode");
    evm_error_t e;
    if (geocode_value(b, k >= 0 ? evm_batch_value(b, j, (batch_key)k) : NULL,
                      on, &e))
        return evm_batch_job_error(b, j, err, e.status, "%s", e.message);
    return EVM_OK;
}

/* A copy without surrounding blanks; "" becomes NULL (unset). */
static char *dup_value(const char *v, size_t n, bool *oom)
{
    while (n && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (!n)
        return NULL;
    char *d = malloc(n + 1);
    if (!d) {
        *oom = true;
        return NULL;
    }
    memcpy(d, v, n);
    d[n] = '\0';
    return d;
}

evm_status evm_batch_set_default(evm_batch_t *b, const char *key,
                                 const char *value, evm_error_t *err)
{
    evm_status st = not_after_prepare(b, err);
    if (st)
        return st;
    int k = evm_batch_key_find(key);
    if (k < 0)
        return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                             "unknown batch option \"%.80s\"",
                             key ? key : "(null)");
    bool oom = false;
    char *v = value ? dup_value(value, strlen(value), &oom) : NULL;
    if (oom)
        return nomem(err);
    free(b->defaults[k]);
    b->defaults[k] = v;
    return EVM_OK;
}

static batch_job_t *new_job(evm_batch_t *b, job_kind kind)
{
    void *p = b->jobs;
    if (evm_grow(&p, &b->cap_jobs, b->n_jobs + 1, sizeof *b->jobs))
        return NULL;
    b->jobs = p;
    batch_job_t *j = &b->jobs[b->n_jobs++];
    memset(j, 0, sizeof *j);
    j->kind = kind;
    j->events_used = -1;
    return j;
}

size_t evm_batch_count(const evm_batch_t *b)
{
    return b ? b->n_jobs : 0;
}

/* ---- jobs files ------------------------------------------------------- */

typedef struct jobs_reader {
    evm_batch_t *b;
    size_t file;
    const char *name;
    int col_key[256]; /* key per column, for at most 256 columns */
    size_t n_cols;
} jobs_reader_t;

static evm_status jobs_header(jobs_reader_t *jr, const evm_csv_record_t *rec,
                              evm_error_t *err)
{
    if (rec->n_fields > sizeof jr->col_key / sizeof jr->col_key[0])
        return evm_error_set(err, EVM_ERR_PARSE, jr->name, rec->line, 0,
                             "%zu columns; a jobs file has at most %zu",
                             rec->n_fields,
                             sizeof jr->col_key / sizeof jr->col_key[0]);
    bool seen[KEY_COUNT] = {false};
    for (size_t c = 0; c < rec->n_fields; c++) {
        const evm_csv_field_t *f = &rec->fields[c];
        bool oom = false;
        char *name = dup_value(f->text, f->len, &oom);
        if (oom)
            return nomem(err);
        int k = name ? evm_batch_key_find(name) : -1;
        if (k < 0) {
            char known[1200] = "";
            for (int i = 0; i < KEY_COUNT; i++)
                if (evm_batch_key_name((batch_key)i))
                    snprintf(known + strlen(known),
                             sizeof known - strlen(known), "%s%s",
                             i ? ", " : "", evm_batch_key_name((batch_key)i));
            evm_status st = evm_error_set(
                err, EVM_ERR_PARSE, jr->name, f->line, f->column,
                "unknown column \"%.60s\"; a column is a render option "
                "without its dashes: %s",
                name ? name : "", known);
            free(name);
            return st;
        }
        free(name);
        if (seen[k])
            return evm_error_set(err, EVM_ERR_PARSE, jr->name, f->line,
                                 f->column, "column \"%s\" appears twice",
                                 evm_batch_key_name((batch_key)k));
        seen[k] = true;
        jr->col_key[c] = k;
    }
    jr->n_cols = rec->n_fields;
    return EVM_OK;
}

static evm_status jobs_record(void *user, const evm_csv_record_t *rec,
                              evm_error_t *err)
{
    jobs_reader_t *jr = user;
    if (rec->index == 0)
        return jobs_header(jr, rec, err);
    batch_job_t *j = new_job(jr->b, JOB_ROW);
    if (!j)
        return nomem(err);
    j->file = jr->file;
    j->line = rec->line;
    bool oom = false;
    for (size_t c = 0; c < rec->n_fields && !oom; c++)
        j->cell[jr->col_key[c]] =
            dup_value(rec->fields[c].text, rec->fields[c].len, &oom);
    return oom ? nomem(err) : EVM_OK;
}

/* Reads a jobs file from f or from memory; on failure the jobs it had
 * added are taken back, so the batch is as before. */
static evm_status add_jobs(evm_batch_t *b, const char *path, const char *name,
                           FILE *f, const void *data, size_t len,
                           evm_error_t *err)
{
    evm_status st = not_after_prepare(b, err);
    if (st)
        return st;
    void *p = b->files;
    if (evm_grow(&p, &b->cap_files, b->n_files + 1, sizeof *b->files))
        return nomem(err);
    b->files = p;
    jobs_file_t *jf = &b->files[b->n_files];
    jf->path = path ? evm_strdup(path) : NULL;
    jf->name = evm_strdup(name);
    if ((path && !jf->path) || !jf->name) {
        free(jf->path);
        free(jf->name);
        return nomem(err);
    }
    b->n_files++;
    size_t first_job = b->n_jobs;
    jobs_reader_t jr = {.b = b, .file = b->n_files - 1, .name = jf->name};
    evm_csv_reader_options_t ro;
    evm_csv_reader_options_init(&ro);
    ro.display_name = jf->name;
    ro.max_field_bytes = b->csv.max_field_bytes;
    ro.max_fields = b->csv.max_columns;
    ro.max_record_bytes = b->csv.max_record_bytes;
    evm_csv_reader_t *r = NULL;
    st = evm_csv_reader_create(&ro, jobs_record, &jr, &r, err);
    if (st == EVM_OK && f) {
        char *buf = malloc(FILE_CHUNK);
        size_t n;
        if (!buf)
            st = nomem(err);
        while (st == EVM_OK && (n = fread(buf, 1, FILE_CHUNK, f)) > 0)
            st = evm_csv_reader_feed(r, buf, n, err);
        if (st == EVM_OK && ferror(f))
            st = evm_error_io(err, jf->name, "cannot read", errno);
        free(buf);
    } else if (st == EVM_OK) {
        st = evm_csv_reader_feed(r, data, len, err);
    }
    if (st == EVM_OK)
        st = evm_csv_reader_finish(r, err);
    if (st == EVM_OK && jr.n_cols == 0)
        st = evm_error_set(err, EVM_ERR_PARSE, jf->name, 0, 0,
                           "file is empty, expected a header row naming "
                           "job options (output, events, title, ...)");
    evm_csv_reader_destroy(r);
    if (st != EVM_OK) {
        for (size_t i = first_job; i < b->n_jobs; i++)
            for (int k = 0; k < KEY_COUNT; k++)
                free(b->jobs[i].cell[k]);
        b->n_jobs = first_job;
    }
    return st;
}

evm_status evm_batch_add_jobs_file(evm_batch_t *b, const char *path,
                                   const char *display_name, evm_error_t *err)
{
    if (!path)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0, "no path");
    const char *name = display_name ? display_name : path;
    FILE *f = fopen(path, "rb");
    if (!f)
        return evm_error_io(err, name, "cannot open", errno);
    evm_status st = add_jobs(b, path, name, f, NULL, 0, err);
    fclose(f);
    return st;
}

evm_status evm_batch_add_jobs_stream(evm_batch_t *b, FILE *stream,
                                     const char *display_name, evm_error_t *err)
{
    if (!stream)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0, "no stream");
    return add_jobs(b, NULL, display_name ? display_name : "<stdin>", stream,
                    NULL, 0, err);
}

evm_status evm_batch_add_jobs_memory(evm_batch_t *b, const char *display_name,
                                     const void *data, size_t len,
                                     evm_error_t *err)
{
    if (!data && len)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0, "no data");
    return add_jobs(b, NULL, display_name ? display_name : "<jobs>", NULL,
                    data ? data : "", len, err);
}

/* ---- events files ----------------------------------------------------- */

/* Reads events file ef; a file that cannot be read keeps its error. */
static evm_status load_events(const evm_batch_t *b, events_file_t *ef,
                              evm_error_t *err)
{
    evm_error_t e;
    evm_error_clear(&e);
    /* The gazetteer only for a load that geocodes: the other setting's
     * rows without coordinates are rejected, each with its line. */
    evm_csv_options_t csv = b->csv;
    csv.gazetteer = NULL;
    evm_status st =
        ef->geocode ? evm_batch_gazetteer(b, &csv.gazetteer, &e) : EVM_OK;
    if (st == EVM_OK)
        st = b->events_stream && strcmp(ef->path, "-") == 0
                 ? evm_events_load_stream(b->events_stream, "<stdin>", &csv,
                                          &ef->events, &e)
                 : evm_events_load_file(ef->path, &csv, &ef->events, &e);
    if (st == EVM_ERR_NOMEM)
        return nomem(err);
    size_t n_rej = evm_events_rejected_count(ef->events);
    if (st == EVM_OK && n_rej && !b->skip_invalid) {
        evm_error_format(evm_events_rejected(ef->events, 0), e.message,
                         sizeof e.message);
        char first[EVM_ERROR_MESSAGE_MAX];
        snprintf(first, sizeof first, "%s", e.message);
        evm_error_set(&e, EVM_ERR_PARSE, NULL, 0, 0,
                      "%.300s%s (%zu invalid row%s; skip them with "
                      "--skip-invalid)",
                      first, n_rej > 1 ? " and more" : "", n_rej,
                      n_rej > 1 ? "s" : "");
        st = EVM_ERR_PARSE;
    }
    if (st != EVM_OK) {
        if (!(ef->error = malloc(sizeof *ef->error)))
            return nomem(err);
        *ef->error = e;
        return EVM_OK;
    }
    for (size_t c = 0; c < evm_events_column_count(ef->events); c++)
        if (evm_option_key_is(evm_events_column_name(ef->events, c), "id"))
            ef->id_col = (long)c;
    return EVM_OK;
}

/* The index of path, read with or without the gazetteer (geocode),
 * among the events files. load: read it now and keep it (on first use; a
 * file met lazily before is read now and kept); else it is read while its
 * jobs run. A file that cannot be read is remembered with its error.
 * Standard input is always read now, and once: the jobs reading it must
 * agree on geocode. */
static evm_status events_file(evm_batch_t *b, const char *path, bool geocode,
                              bool load, size_t *index, evm_error_t *err)
{
    bool stdin_again = false;
    if (strcmp(path, "-") == 0)
        load = true;
    for (size_t i = 0; i < b->n_events; i++) {
        stdin_again = stdin_again || (load && strcmp(path, "-") == 0 &&
                                      strcmp(b->events[i].path, path) == 0);
        if (strcmp(b->events[i].path, path) == 0 &&
            b->events[i].geocode == geocode) {
            *index = i;
            events_file_t *ef = &b->events[i];
            if (load && ef->lazy) {
                pthread_mutex_destroy(&ef->lazy->mu);
                free(ef->lazy);
                ef->lazy = NULL;
                return load_events(b, ef, err);
            }
            return EVM_OK;
        }
    }
    void *p = b->events;
    if (evm_grow(&p, &b->cap_events, b->n_events + 1, sizeof *b->events))
        return nomem(err);
    b->events = p;
    events_file_t *ef = &b->events[b->n_events];
    memset(ef, 0, sizeof *ef);
    ef->id_col = -1;
    ef->geocode = geocode;
    if (!(ef->path = evm_strdup(path)))
        return nomem(err);
    b->n_events++;
    *index = b->n_events - 1;
    if (stdin_again) {
        if (!(ef->error = malloc(sizeof *ef->error)))
            return nomem(err);
        evm_error_set(ef->error, EVM_ERR_INVALID_ARG, "<stdin>", 0, 0,
                      "standard input is read once: the maps that read "
                      "it must agree on geocode");
        return EVM_OK;
    }
    if (load)
        return load_events(b, ef, err);
    if (!(ef->lazy = calloc(1, sizeof *ef->lazy)))
        return nomem(err);
    pthread_mutex_init(&ef->lazy->mu, NULL);
    return EVM_OK;
}

evm_status evm_batch_events_acquire(const evm_batch_t *b, size_t i,
                                    evm_error_t *err)
{
    events_file_t *ef = &b->events[i];
    if (!ef->lazy)
        return EVM_OK;
    pthread_mutex_lock(&ef->lazy->mu);
    evm_status st = EVM_OK;
    if (!ef->lazy->loaded) {
        st = load_events(b, ef, err);
        ef->lazy->loaded = st == EVM_OK;
    }
    pthread_mutex_unlock(&ef->lazy->mu);
    return st;
}

void evm_batch_events_release(const evm_batch_t *b, size_t i)
{
    events_file_t *ef = &b->events[i];
    events_lazy_t *lz = ef->lazy;
    if (!lz)
        return;
    pthread_mutex_lock(&lz->mu);
    if (lz->users && --lz->users == 0 && ef->events) {
        /* Its rejected rows outlive it, for the report. */
        size_t n = evm_events_rejected_count(ef->events);
        free(lz->rejected);
        lz->rejected = evm_alloc_array(n ? n : 1, sizeof *lz->rejected);
        lz->n_rejected = lz->rejected ? n : 0;
        for (size_t k = 0; k < lz->n_rejected; k++)
            lz->rejected[k] = *evm_events_rejected(ef->events, k);
        evm_events_destroy(ef->events);
        ef->events = NULL;
    }
    pthread_mutex_unlock(&lz->mu);
}

void evm_batch_events_count_users(const evm_batch_t *b, const size_t *sel,
                                  size_t n)
{
    for (size_t i = 0; i < b->n_events; i++)
        if (b->events[i].lazy)
            b->events[i].lazy->users = 0;
    for (size_t k = 0; k < n; k++) {
        long f = b->jobs[sel[k]].events_used;
        if (f >= 0 && b->events[f].lazy)
            b->events[f].lazy->users++;
    }
}

size_t evm_batch_events_rejected_count(const evm_batch_t *b, size_t i)
{
    if (!b || i >= b->n_events)
        return 0;
    const events_file_t *ef = &b->events[i];
    if (ef->events)
        return evm_events_rejected_count(ef->events);
    return ef->lazy ? ef->lazy->n_rejected : 0;
}

const evm_error_t *evm_batch_events_rejected(const evm_batch_t *b, size_t i,
                                             size_t k)
{
    if (k >= evm_batch_events_rejected_count(b, i))
        return NULL;
    const events_file_t *ef = &b->events[i];
    return ef->events ? evm_events_rejected(ef->events, k)
                      : &ef->lazy->rejected[k];
}

size_t evm_batch_events_file_count(const evm_batch_t *b)
{
    return b ? b->n_events : 0;
}

const char *evm_batch_events_file_path(const evm_batch_t *b, size_t i)
{
    return b && i < b->n_events ? b->events[i].path : NULL;
}

bool evm_batch_events_file_geocoded(const evm_batch_t *b, size_t i)
{
    return b && i < b->n_events && b->events[i].geocode;
}

const evm_events_t *evm_batch_events_file(const evm_batch_t *b, size_t i)
{
    return b && i < b->n_events ? b->events[i].events : NULL;
}

/* ---- generated jobs --------------------------------------------------- */

static evm_status add_pattern(evm_batch_t *b, const char *pattern,
                              size_t *index, evm_error_t *err)
{
    void *p = b->patterns;
    if (evm_grow(&p, &b->cap_patterns, b->n_patterns + 1, sizeof *b->patterns))
        return nomem(err);
    b->patterns = p;
    if (!(b->patterns[b->n_patterns] = evm_strdup(pattern)))
        return nomem(err);
    *index = b->n_patterns++;
    return EVM_OK;
}

/* The events file for generated jobs, which must be readable now: the
 * jobs depend on its contents. */
static evm_status generated_events(evm_batch_t *b, const char *path,
                                   const char *pattern, size_t *file,
                                   size_t **idx, size_t *n, evm_error_t *err)
{
    evm_status st = not_after_prepare(b, err);
    if (st)
        return st;
    if (!path || !pattern || !pattern[0])
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "an events file and an output pattern are "
                             "needed");
    bool geocode;
    if ((st = geocode_value(b, b->defaults[evm_batch_key_find("geocode")],
                            &geocode, err)) ||
        (st = events_file(b, path, geocode, true, file, err)))
        return st;
    const events_file_t *ef = &b->events[*file];
    if (ef->error) {
        if (err)
            *err = *ef->error;
        return ef->error->status;
    }
    const char *where = b->defaults[KEY_WHERE];
    st = evm_events_filter(ef->events, &where, where ? 1 : 0,
                           b->defaults[KEY_SINCE], b->defaults[KEY_UNTIL], idx,
                           n, err);
    if (st && err && !err->file[0])
        snprintf(err->file, sizeof err->file, "%s", path);
    return st;
}

evm_status evm_batch_add_each_event(evm_batch_t *b, const char *events_path,
                                    const char *output_pattern,
                                    evm_error_t *err)
{
    size_t file, *idx = NULL, n = 0, pattern;
    evm_status st =
        generated_events(b, events_path, output_pattern, &file, &idx, &n, err);
    if (st == EVM_OK)
        st = add_pattern(b, output_pattern, &pattern, err);
    for (size_t i = 0; st == EVM_OK && i < n; i++) {
        batch_job_t *j = new_job(b, JOB_EVENT);
        if (!j) {
            st = nomem(err);
            break;
        }
        j->events_file = file;
        j->pattern = pattern;
        j->event = idx[i];
    }
    free(idx);
    return st;
}

evm_status evm_frames_parse(const char *text, evm_frames *out)
{
    if (text && evm_option_key_is(text, "daily"))
        *out = EVM_FRAMES_DAILY;
    else if (text && evm_option_key_is(text, "weekly"))
        *out = EVM_FRAMES_WEEKLY;
    else
        return EVM_ERR_INVALID_ARG;
    return EVM_OK;
}

evm_status evm_batch_add_frames(evm_batch_t *b, const char *events_path,
                                evm_frames period, bool window,
                                const char *output_pattern, evm_error_t *err)
{
    size_t file, *idx = NULL, n = 0, pattern;
    evm_status st =
        generated_events(b, events_path, output_pattern, &file, &idx, &n, err);
    if (st)
        return st;
    const evm_events_t *ev = b->events[file].events;
    double first = INFINITY, last = -INFINITY;
    size_t dated = 0;
    for (size_t i = 0; i < n; i++) {
        double d = evm_events_get(ev, idx[i])->date_s;
        if (isnan(d))
            continue;
        first = fmin(first, d);
        last = fmax(last, d);
        idx[dated++] = idx[i];
    }
    if (!dated) {
        free(idx);
        return evm_error_set(err, EVM_ERR_INVALID_ARG, events_path, 0, 0,
                             "no dated event to make frames of (dates come "
                             "from the date column, see --date-col)");
    }
    /* The shared extent: that of every dated event, so frames align. */
    double extent[4];
    evm_events_t *all = NULL;
    st = evm_events_subset(ev, idx, dated, &all, err);
    free(idx);
    if (st)
        return st;
    evm_auto_extent(all, extent);
    evm_events_destroy(all);
    if (extent[0] < -180 || extent[2] > 180) {
        /* evm_auto_extent unwraps across the antimeridian; an extent
         * option wants both sides in [-180, 180] with W > E instead. */
        extent[0] = remainder(extent[0], 360);
        extent[2] = remainder(extent[2], 360);
        if (extent[2] - extent[0] >= 360 || extent[0] == extent[2]) {
            extent[0] = -180;
            extent[2] = 180;
        }
    }
    double day = 86400, step = period == EVM_FRAMES_WEEKLY ? 7 * day : day;
    double start = floor(first / day) * day;
    if (period == EVM_FRAMES_WEEKLY) {
        /* 1970-01-01 was a Thursday: Monday is 3 days before day 0. */
        double days = floor(first / day);
        start = (days - fmod(fmod(days + 3, 7) + 7, 7)) * day;
    }
    double count = floor((last - start) / step) + 1;
    if (count > MAX_FRAMES)
        return evm_error_set(
            err, EVM_ERR_INVALID_ARG, events_path, 0, 0,
            "the dates span %.0f %s, more than %d frames", count,
            period == EVM_FRAMES_WEEKLY ? "weeks" : "days", MAX_FRAMES);
    if ((st = add_pattern(b, output_pattern, &pattern, err)))
        return st;
    for (double k = 0; k < count; k++) {
        batch_job_t *j = new_job(b, JOB_FRAME);
        if (!j)
            return nomem(err);
        j->events_file = file;
        j->pattern = pattern;
        j->start_s = start + k * step;
        j->end_s = j->start_s + step - 1; /* inclusive, as --until */
        j->window = window;
        j->weekly = period == EVM_FRAMES_WEEKLY;
        j->has_extent = true;
        memcpy(j->extent, extent, sizeof extent);
    }
    return EVM_OK;
}

/* ---- values, placeholders, errors ------------------------------------- */

const char *evm_batch_value(const evm_batch_t *b, size_t j, batch_key k)
{
    const batch_job_t *job = &b->jobs[j];
    if (job->kind == JOB_ROW && job->cell[k])
        return job->cell[k];
    if (k == KEY_OUTPUT && job->kind != JOB_ROW)
        return b->patterns[job->pattern];
    return b->defaults[k];
}

void evm_batch_frame_label(const batch_job_t *job, char *buf, size_t cap)
{
    time_t t = (time_t)job->start_s;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, cap, "?");
        return;
    }
    snprintf(buf, cap, "%s%04d-%02d-%02d", job->weekly ? "week of " : "",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void job_place(const evm_batch_t *b, size_t j, const char **file,
                      unsigned long *line, char *prefix, size_t cap)
{
    const batch_job_t *job = &b->jobs[j];
    prefix[0] = '\0';
    *file = ""; /* every kind sets it; an optimiser cannot always tell */
    *line = 0;
    switch (job->kind) {
    case JOB_ROW:
        *file = b->files[job->file].name;
        *line = job->line;
        break;
    case JOB_EVENT:
        *file = b->events[job->events_file].path;
        *line = evm_events_get(b->events[job->events_file].events, job->event)
                    ->line;
        break;
    case JOB_FRAME: {
        char label[64];
        evm_batch_frame_label(job, label, sizeof label);
        *file = b->events[job->events_file].path;
        snprintf(prefix, cap, "frame %s: ", label);
        break;
    }
    }
}

evm_status evm_batch_job_error(const evm_batch_t *b, size_t j, evm_error_t *err,
                               evm_status status, const char *fmt, ...)
{
    if (!err)
        return status;
    char msg[EVM_ERROR_MESSAGE_MAX], prefix[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *file;
    unsigned long line;
    job_place(b, j, &file, &line, prefix, sizeof prefix);
    return evm_error_set(err, status, file, line, 0, "%s%s", prefix, msg);
}

evm_status evm_batch_job_wrap(const evm_batch_t *b, size_t j,
                              const evm_error_t *inner, evm_error_t *err)
{
    char text[EVM_ERROR_FILE_MAX + EVM_ERROR_MESSAGE_MAX + 64];
    evm_error_format(inner, text, sizeof text);
    return evm_batch_job_error(b, j, err, inner->status, "%s", text);
}

/* "lat,lon" in any form evm_parse_coordinate reads. */
static bool parse_point(const char *s, double *lat, double *lon)
{
    const char *comma = strchr(s, ',');
    if (!comma || strchr(comma + 1, ','))
        return false;
    char buf[128];
    size_t n = (size_t)(comma - s);
    if (n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return evm_parse_coordinate(buf, true, lat, NULL, 0) == EVM_OK &&
           evm_parse_coordinate(comma + 1, false, lon, NULL, 0) == EVM_OK;
}

evm_status evm_batch_center(const evm_batch_t *b, size_t j, bool *has,
                            double *lat, double *lon, long *event,
                            size_t *geonames_picks, evm_error_t *err)
{
    const batch_job_t *job = &b->jobs[j];
    *has = false;
    *event = -1;
    if (job->kind == JOB_EVENT) {
        const evm_event_t *e =
            evm_events_get(b->events[job->events_file].events, job->event);
        *has = true;
        *lat = e->lat_deg;
        *lon = e->lon_deg;
        *event = (long)job->event;
        return EVM_OK;
    }
    const char *c = evm_batch_value(b, j, KEY_CENTER);
    if (!c)
        return EVM_OK;
    if (parse_point(c, lat, lon)) {
        *has = true;
        return EVM_OK;
    }
    const events_file_t *ef =
        job->events_used >= 0 ? &b->events[job->events_used] : NULL;
    bool geocode;
    evm_status st = evm_batch_job_geocodes(b, j, &geocode, err);
    if (st)
        return st;
    if (!ef && !geocode)
        return evm_batch_job_error(b, j, err, EVM_ERR_INVALID_ARG,
                                   "center \"%.80s\" is neither \"lat,lon\" "
                                   "nor an event: no events file",
                                   c);
    if (ef && !ef->events)
        return evm_batch_job_wrap(b, j, ef->error, err);
    size_t i;
    evm_error_t e;
    st = ef ? evm_events_find(ef->events, c, &i, &e) : EVM_ERR_NOT_FOUND;
    if (st == EVM_ERR_NOT_FOUND && geocode) {
        /* A place the events do not name: the gazetteer, as render's
         * --center looks it up. */
        evm_place_lookup_t lk;
        evm_place_t p;
        evm_error_t ge;
        if (evm_batch_gazetteer_lookup(b, geonames_picks, &lk, &ge) != EVM_OK)
            return evm_batch_job_wrap(b, j, &ge, err);
        if (evm_place_lookup(&lk, c, &p, NULL, &ge) == EVM_OK) {
            *has = true;
            *lat = p.lat_deg;
            *lon = p.lon_deg;
            return EVM_OK;
        }
        if (!ef)
            e = ge;
    }
    if (st)
        return evm_batch_job_wrap(b, j, &e, err);
    const evm_event_t *ev = evm_events_get(ef->events, i);
    *has = true;
    *lat = ev->lat_deg;
    *lon = ev->lon_deg;
    *event = (long)i;
    return EVM_OK;
}

evm_status evm_batch_expand(const evm_batch_t *b, size_t j, const char *pattern,
                            bool safe, char **out, evm_error_t *err)
{
    if (!b || j >= b->n_jobs || !pattern || !out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no batch, job, pattern or output");
    const batch_job_t *job = &b->jobs[j];
    evm_buf_t s = {0};
    evm_status st = EVM_OK;
    evm_buf_put(&s, "", 0);
    for (const char *p = pattern; *p && st == EVM_OK;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            evm_buf_put(&s, p, 1);
            p += 2;
            continue;
        }
        if (*p != '{') {
            evm_buf_put(&s, p++, 1);
            continue;
        }
        const char *close = strchr(p, '}');
        size_t n = close ? (size_t)(close - p - 1) : 0;
        char name[16];
        if (!close || n >= sizeof name) {
            st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                               "\"%.80s\": unknown placeholder at \"%.20s\" "
                               "(known: {name}, {id}, {kind}, {date}, {n}; "
                               "{{ for a brace)",
                               pattern, p);
            break;
        }
        memcpy(name, p + 1, n);
        name[n] = '\0';
        p = close + 1;
        char num[64];
        const char *value = NULL;
        if (strcmp(name, "n") == 0) {
            int width = snprintf(NULL, 0, "%zu", b->n_jobs);
            snprintf(num, sizeof num, "%0*zu", width, j + 1);
            value = num;
        } else if (strcmp(name, "date") == 0 && job->kind == JOB_FRAME) {
            evm_batch_frame_label(job, num, sizeof num);
            value = job->weekly ? num + strlen("week of ") : num;
        } else if (strcmp(name, "name") == 0 || strcmp(name, "id") == 0 ||
                   strcmp(name, "kind") == 0 || strcmp(name, "date") == 0) {
            bool has;
            double lat, lon;
            long ei = -1;
            if ((st = evm_batch_center(b, j, &has, &lat, &lon, &ei, NULL, err)))
                break;
            if (ei < 0) {
                st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                   "\"%.80s\": {%s} needs an event: this "
                                   "map is not centred on one",
                                   pattern, name);
                break;
            }
            size_t fi = job->kind == JOB_ROW ? (size_t)job->events_used
                                             : job->events_file;
            const events_file_t *ef = &b->events[fi];
            const evm_event_t *e = evm_events_get(ef->events, (size_t)ei);
            if (name[0] == 'n')
                value = e->name;
            else if (name[0] == 'k')
                value = e->kind;
            else if (name[0] == 'd')
                value = e->date;
            else if (ef->id_col >= 0)
                value = evm_events_value(ef->events, (size_t)ei,
                                         (size_t)ef->id_col);
            else {
                snprintf(num, sizeof num, "%ld", ei + 1);
                value = num;
            }
        } else {
            st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                               "\"%.80s\": unknown placeholder {%s} (known: "
                               "{name}, {id}, {kind}, {date}, {n})",
                               pattern, name);
            break;
        }
        if (safe)
            sb_put_safe(&s, value);
        else
            evm_buf_put(&s, value, strlen(value));
    }
    if (st == EVM_OK && s.nomem)
        st = nomem(err);
    if (st != EVM_OK) {
        evm_buf_free(&s);
        return st;
    }
    *out = s.data;
    return EVM_OK;
}

/* ---- preparing -------------------------------------------------------- */

typedef struct out_ref {
    const char *path;
    size_t job;
} out_ref_t;

static int cmp_ref(const void *a, const void *b)
{
    const out_ref_t *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : (x->job > y->job) - (x->job < y->job);
}

static evm_status set_job_error(evm_batch_t *b, size_t j, const evm_error_t *e)
{
    batch_job_t *job = &b->jobs[j];
    if (job->error)
        return EVM_OK; /* the first problem is the one to report */
    if (!(job->error = malloc(sizeof *job->error)))
        return EVM_ERR_NOMEM;
    *job->error = *e;
    return EVM_OK;
}

evm_status evm_batch_set_out_dir(evm_batch_t *b, const char *dir,
                                 evm_error_t *err)
{
    evm_status st = not_after_prepare(b, err);
    if (st)
        return st;
    if (dir && !dir[0])
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "out-dir is empty");
    char *copy = NULL;
    if (dir && !(copy = evm_strdup(dir)))
        return nomem(err);
    /* "maps/" and "maps" are the same folder. */
    for (size_t n = copy ? strlen(copy) : 0; n > 1 && copy[n - 1] == '/';)
        copy[--n] = '\0';
    free(b->out_dir);
    b->out_dir = copy;
    return EVM_OK;
}

evm_status evm_batch_set_events_stream(evm_batch_t *b, FILE *stream,
                                       evm_error_t *err)
{
    evm_status st = not_after_prepare(b, err);
    if (st)
        return st;
    b->events_stream = stream;
    return EVM_OK;
}

/* Whether a relative path stays in its root: each ".." must climb out of
 * a folder the path went into first ("a/../b" stays, "a/../../b" and
 * "../b" leave). The check is on the text: a symbolic link inside the
 * root is the root owner's choice. */
static bool stays_inside(const char *path)
{
    long depth = 0;
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0)
                return false;
        } else if (n && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
        while (*p == '/')
            p++;
    }
    return true;
}

/* Job j's expanded output under --out-dir: refused when absolute or when
 * it climbs out, else prefixed with the folder. */
static evm_status root_output(const evm_batch_t *b, size_t j, char **output,
                              evm_error_t *err)
{
    const char *o = *output;
    if (o[0] == '/' || !stays_inside(o))
        return evm_batch_job_error(
            b, j, err, EVM_ERR_INVALID_ARG,
            "output \"%.200s\" %s; with --out-dir "
            "\"%.200s\" outputs must stay inside it",
            o, o[0] == '/' ? "is an absolute path" : "leaves its folder",
            b->out_dir);
    size_t nd = strlen(b->out_dir), no = strlen(o);
    char *joined = malloc(nd + 1 + no + 1);
    if (!joined)
        return nomem(err);
    memcpy(joined, b->out_dir, nd);
    joined[nd] = '/';
    memcpy(joined + nd + 1, o, no + 1);
    free(*output);
    *output = joined;
    return EVM_OK;
}

/* Whether job j's output name needs its events now: a placeholder of
 * its event. */
static bool output_needs_events(const evm_batch_t *b, size_t j)
{
    const char *o = evm_batch_value(b, j, KEY_OUTPUT);
    return o && (strstr(o, "{name}") || strstr(o, "{id}") ||
                 strstr(o, "{kind}") || strstr(o, "{date}"));
}

evm_status evm_batch_prepare(evm_batch_t *b, evm_error_t *err)
{
    evm_status st = not_after_prepare(b, err);
    if (st)
        return st;
    size_t def = 0;
    bool geocode, def_geocode;
    const char *def_path = b->defaults[KEY_EVENTS];
    if ((st = geocode_value(b, b->defaults[evm_batch_key_find("geocode")],
                            &def_geocode, err)))
        return st;
    /* The default events file as the default geocode setting reads it,
     * when a job reads it so (or there are no jobs to say otherwise). */
    bool def_used = b->n_jobs == 0;
    for (size_t j = 0; def_path && j < b->n_jobs && !def_used; j++) {
        const char *path = evm_batch_value(b, j, KEY_EVENTS);
        evm_error_t e;
        def_used = b->jobs[j].kind == JOB_ROW && path &&
                   strcmp(path, def_path) == 0 &&
                   evm_batch_job_geocodes(b, j, &geocode, &e) == EVM_OK &&
                   geocode == def_geocode;
    }
    if (def_path && def_used) {
        if ((st = events_file(b, def_path, def_geocode, true, &def, err)))
            return st;
        if (b->events[def].error) {
            if (err)
                *err = *b->events[def].error;
            return b->events[def].error->status;
        }
    }
    for (size_t j = 0; j < b->n_jobs; j++) {
        batch_job_t *job = &b->jobs[j];
        const char *path = evm_batch_value(b, j, KEY_EVENTS);
        if (job->kind != JOB_ROW) {
            job->events_used = (long)job->events_file;
        } else if (path) {
            size_t fi;
            evm_error_t e;
            if (evm_batch_job_geocodes(b, j, &geocode, &e)) {
                /* A bad geocode cell fails this map alone. */
                if (set_job_error(b, j, &e))
                    return nomem(err);
                continue;
            }
            if ((st = events_file(b, path, geocode, output_needs_events(b, j),
                                  &fi, err)))
                return st;
            job->events_used = (long)fi;
        }
    }
    out_ref_t *refs = evm_alloc_array(b->n_jobs ? b->n_jobs : 1, sizeof *refs);
    if (!refs)
        return nomem(err);
    size_t n_refs = 0;
    for (size_t j = 0; j < b->n_jobs; j++) {
        batch_job_t *job = &b->jobs[j];
        const char *pattern = evm_batch_value(b, j, KEY_OUTPUT);
        evm_error_t e;
        st = EVM_OK;
        if (!pattern) {
            st = evm_batch_job_error(b, j, &e, EVM_ERR_INVALID_ARG,
                                     "no output: the output cell is empty "
                                     "and no --output is given");
        } else if ((st = evm_batch_expand(b, j, pattern, true, &job->output,
                                          &e)) != EVM_OK) {
            if (st == EVM_ERR_NOMEM)
                break;
            if (!e.line && !(e.file[0] && job->kind == JOB_ROW))
                evm_batch_job_error(b, j, &e, st, "%s", e.message);
        } else if (b->out_dir &&
                   (st = root_output(b, j, &job->output, &e)) != EVM_OK) {
            if (st == EVM_ERR_NOMEM)
                break;
            free(job->output);
            job->output = NULL;
        } else {
            refs[n_refs++] = (out_ref_t){job->output, j};
        }
        if (st != EVM_OK && set_job_error(b, j, &e) != EVM_OK) {
            st = EVM_ERR_NOMEM;
            break;
        }
        st = EVM_OK;
    }
    if (st == EVM_ERR_NOMEM) {
        free(refs);
        return nomem(err);
    }
    /* Two jobs writing one file: the first in batch order keeps it. */
    qsort(refs, n_refs, sizeof *refs, cmp_ref);
    for (size_t i = 1; i < n_refs; i++) {
        size_t first = i - 1;
        while (i < n_refs && strcmp(refs[i].path, refs[first].path) == 0) {
            const char *file;
            unsigned long line;
            char prefix[96], where[EVM_ERROR_FILE_MAX + 128];
            job_place(b, refs[first].job, &file, &line, prefix, sizeof prefix);
            if (line)
                snprintf(where, sizeof where, "%s:%lu", file, line);
            else
                snprintf(where, sizeof where, "%s%s", file, prefix);
            evm_error_t e;
            evm_batch_job_error(b, refs[i].job, &e, EVM_ERR_INVALID_ARG,
                                "output \"%.200s\" is also written by %s; "
                                "make the names differ (e.g. with {id} or "
                                "{n})",
                                refs[i].path, where);
            if (set_job_error(b, refs[i].job, &e)) {
                free(refs);
                return nomem(err);
            }
            i++;
        }
    }
    free(refs);
    b->prepared = true;
    return EVM_OK;
}

const char *evm_batch_output(const evm_batch_t *b, size_t i)
{
    return b && b->prepared && i < b->n_jobs ? b->jobs[i].output : NULL;
}

/* ---- shards ----------------------------------------------------------- */

/* A decimal integer in [0, ULONG_MAX) with nothing around it. */
static bool ulong_value(const char *s, unsigned long *out)
{
    if (!s || !*s)
        return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    errno = 0;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

evm_status evm_shard_parse(const char *text, evm_shard_t *out, evm_error_t *err)
{
    const char *slash = text ? strchr(text, '/') : NULL;
    char k[32];
    unsigned long index, count;
    size_t n = slash ? (size_t)(slash - text) : 0;
    if (!slash || n >= sizeof k)
        goto bad;
    memcpy(k, text, n);
    k[n] = '\0';
    if (!ulong_value(k, &index) || !ulong_value(slash + 1, &count) ||
        count == 0 || index >= count)
        goto bad;
    out->index = index;
    out->count = count;
    return EVM_OK;
bad:
    return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                         "shard \"%.40s\" is not K/N with 0 <= K < N, e.g. "
                         "0/4",
                         text ? text : "");
}
