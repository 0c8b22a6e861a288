/* The row filter of every command: --where COLUMN=VALUE clauses (all
 * must hold) and a --since/--until date range. The events loader applies
 * it while reading a file (render, info, dist, routes) and
 * evm_events_filter applies it to events already read (each map of a
 * batch), through the same functions, so a filter keeps the same rows
 * wherever it is given. */
#ifndef EVM_LOAD_FILTER_H
#define EVM_LOAD_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/status.h>

typedef struct evm_filter_clause {
    char *column; /* as given, without surrounding blanks */
    char *value;  /* likewise */
    size_t value_len;
    long col; /* the column's index once bound */
} evm_filter_clause_t;

typedef struct evm_row_filter {
    evm_filter_clause_t *clauses;
    size_t n_clauses;
    bool dated; /* since or until given: undated rows are dropped */
    double since_s, until_s;
} evm_row_filter_t;

/* Reads the filters: each text of where holds one or more "COLUMN=VALUE"
 * separated by ';' (blanks around a column and a value are ignored, an
 * empty part is skipped); since and until are ISO 8601 (NULL:
 * unbounded), a day covering the whole day. EVM_ERR_INVALID_ARG with a
 * message (no place) for a bad clause or date; f is then empty. Free
 * with evm_row_filter_free either way. */
evm_status evm_row_filter_init(evm_row_filter_t *f, const char *const *where,
                               size_t n_where, const char *since,
                               const char *until, evm_error_t *err);
void evm_row_filter_free(evm_row_filter_t *f);

/* Finds each clause's column among the header names (ASCII case ignored,
 * '_' and '-' alike). EVM_ERR_NOT_FOUND at file:line for a column that is
 * not there, naming the columns. */
evm_status evm_row_filter_bind(evm_row_filter_t *f, const char *const *columns,
                               size_t n_cols, const char *file,
                               unsigned long line, evm_error_t *err);

/* The cell of a row in column col, as text[0..*len). */
typedef const char *(*evm_filter_cell_fn)(const void *row, size_t col,
                                          size_t *len);

/* Whether a row passes a bound filter: every clause's cell, without
 * surrounding blanks, equals its value byte for byte, and with a date
 * range the row's date (NaN: none) is within it. */
bool evm_row_filter_keep(const evm_row_filter_t *f, evm_filter_cell_fn cell,
                         const void *row, double date_s);

/* "a, b, c" into out, ending in ", ..." when the list does not fit. */
void evm_join_names(char *out, size_t cap, const char *const *names, size_t n);

#endif
