/* The row filter (see filter.h), and evm_events_filter, which applies it
 * to events already loaded. */
#include "load/filter.h"

#include <evmap/events.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/option_text.h"

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* s[0..*n) without surrounding blanks. */
static const char *trim(const char *s, size_t *n)
{
    while (*n && is_blank(*s)) {
        s++;
        (*n)--;
    }
    while (*n && is_blank(s[*n - 1]))
        (*n)--;
    return s;
}

static char *dup_span(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

void evm_row_filter_free(evm_row_filter_t *f)
{
    for (size_t i = 0; i < f->n_clauses; i++) {
        free(f->clauses[i].column);
        free(f->clauses[i].value);
    }
    free(f->clauses);
    memset(f, 0, sizeof *f);
}

/* Adds the clause text[0..n) ("COLUMN=VALUE"). */
static evm_status add_clause(evm_row_filter_t *f, size_t *cap, const char *text,
                             size_t n, evm_error_t *err)
{
    const char *eq = memchr(text, '=', n);
    size_t cn = eq ? (size_t)(eq - text) : 0;
    const char *col = trim(text, &cn);
    if (!eq || !cn)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "filter \"%.*s\" is not COLUMN=VALUE",
                             (int)(n > 200 ? 200 : n), text);
    size_t vn = n - (size_t)(eq + 1 - text);
    const char *val = trim(eq + 1, &vn);
    if (evm_grow((void **)&f->clauses, cap, f->n_clauses + 1,
                 sizeof *f->clauses))
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    evm_filter_clause_t c = {dup_span(col, cn), dup_span(val, vn), vn, -1};
    if (!c.column || !c.value) {
        free(c.column);
        free(c.value);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    f->clauses[f->n_clauses++] = c;
    return EVM_OK;
}

evm_status evm_row_filter_init(evm_row_filter_t *f, const char *const *where,
                               size_t n_where, const char *since,
                               const char *until, evm_error_t *err)
{
    memset(f, 0, sizeof *f);
    f->since_s = -INFINITY;
    f->until_s = INFINITY;
    size_t cap = 0;
    evm_status st = EVM_OK;
    for (size_t i = 0; i < n_where && !st; i++) {
        const char *w = where[i] ? where[i] : "";
        /* An empty text is one bad clause, not none. */
        if (!*w)
            st = add_clause(f, &cap, w, 0, err);
        for (const char *p = w; *p && !st;) {
            size_t n = strcspn(p, ";"), tn = n;
            trim(p, &tn);
            if (tn)
                st = add_clause(f, &cap, p, n, err);
            p += n + (p[n] == ';');
        }
    }
    double unused;
    if (!st && since && evm_parse_date(since, &f->since_s, &unused))
        st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                           "since \"%.80s\" is not an ISO 8601 date", since);
    if (!st && until && evm_parse_date(until, &unused, &f->until_s))
        st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                           "until \"%.80s\" is not an ISO 8601 date", until);
    if (!st && f->since_s > f->until_s)
        st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                           "since \"%.80s\" is after until \"%.80s\"", since,
                           until);
    f->dated = since || until;
    if (st)
        evm_row_filter_free(f);
    return st;
}

void evm_join_names(char *out, size_t cap, const char *const *names, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *sep = i ? ", " : "";
        size_t need = strlen(sep) + strlen(names[i]);
        if (o + need + 6 >= cap) {
            snprintf(out + o, cap - o, "%s...", sep);
            return;
        }
        o += (size_t)snprintf(out + o, cap - o, "%s%s", sep, names[i]);
    }
}

evm_status evm_row_filter_bind(evm_row_filter_t *f, const char *const *columns,
                               size_t n_cols, const char *file,
                               unsigned long line, evm_error_t *err)
{
    for (size_t k = 0; k < f->n_clauses; k++) {
        evm_filter_clause_t *c = &f->clauses[k];
        c->col = -1;
        for (size_t i = 0; i < n_cols && c->col < 0; i++)
            if (evm_option_key_is(columns[i], c->column))
                c->col = (long)i;
        if (c->col < 0) {
            char list[512];
            evm_join_names(list, sizeof list, columns, n_cols);
            return evm_error_set(err, EVM_ERR_NOT_FOUND, file, line, 0,
                                 "filter column \"%.80s\" is not in the "
                                 "header; columns: %s",
                                 c->column, list);
        }
    }
    return EVM_OK;
}

bool evm_row_filter_keep(const evm_row_filter_t *f, evm_filter_cell_fn cell,
                         const void *row, double date_s)
{
    for (size_t k = 0; k < f->n_clauses; k++) {
        const evm_filter_clause_t *c = &f->clauses[k];
        size_t n;
        const char *text = cell(row, (size_t)c->col, &n);
        text = trim(text, &n);
        if (n != c->value_len || memcmp(text, c->value, n) != 0)
            return false;
    }
    return !f->dated ||
           (!isnan(date_s) && date_s >= f->since_s && date_s <= f->until_s);
}

/* ---- events already loaded -------------------------------------------- */

typedef struct event_row {
    const evm_events_t *ev;
    size_t i;
} event_row_t;

static const char *event_cell(const void *row, size_t col, size_t *len)
{
    const event_row_t *r = row;
    const char *v = evm_events_value(r->ev, r->i, col);
    *len = strlen(v);
    return v;
}

evm_status evm_events_filter(const evm_events_t *ev, const char *const *where,
                             size_t n_where, const char *since,
                             const char *until, size_t **idx_out, size_t *n_out,
                             evm_error_t *err)
{
    if (!ev || !idx_out || !n_out || (n_where && !where))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no events, filters or output");
    evm_row_filter_t f;
    evm_status st = evm_row_filter_init(&f, where, n_where, since, until, err);
    if (st)
        return st;
    size_t n_cols = evm_events_column_count(ev), n = evm_events_count(ev);
    const char **cols = evm_alloc_array(n_cols ? n_cols : 1, sizeof *cols);
    size_t *idx = evm_alloc_array(n ? n : 1, sizeof *idx);
    if (!cols || !idx)
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; !st && c < n_cols; c++)
        cols[c] = evm_events_column_name(ev, c);
    if (!st)
        st = evm_row_filter_bind(&f, cols, n_cols, evm_events_source(ev), 0,
                                 err);
    size_t kept = 0;
    for (size_t i = 0; !st && i < n; i++) {
        event_row_t row = {ev, i};
        if (evm_row_filter_keep(&f, event_cell, &row,
                                evm_events_get(ev, i)->date_s))
            idx[kept++] = i;
    }
    free(cols);
    evm_row_filter_free(&f);
    if (st) {
        free(idx);
        return st;
    }
    *idx_out = idx;
    *n_out = kept;
    return EVM_OK;
}
