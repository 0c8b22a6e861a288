/* Event records read from CSV.
 *
 * A CSV file with a header row becomes an evm_events_t: one evm_event_t
 * per valid data row, every column kept as a string attribute, and one
 * diagnostic per rejected row. Which rows are fatal is the caller's
 * policy: the loader fails only when the file as a whole is unusable (I/O,
 * no header, no latitude or longitude column, a malformed CSV record). */
#ifndef EVMAP_EVENTS_H
#define EVMAP_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "export.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The columns evmap gives a meaning to. When a file has no latitude and
 * longitude columns but one column holding whole points ("coordinates",
 * "location", "wkt", "geometry": "lat, lon", WKT POINT or a GeoJSON
 * Point), that column is both the EVM_ROLE_LAT and the EVM_ROLE_LON
 * column. */
typedef enum evm_role {
    EVM_ROLE_NAME = 0,
    EVM_ROLE_LAT,
    EVM_ROLE_LON,
    EVM_ROLE_KIND,
    EVM_ROLE_DATE,
    EVM_ROLE_COUNT
} evm_role;

typedef struct evm_event {
    const char *name;   /* UTF-8; "" when the file has no name column */
    double lat_deg;     /* [-90, 90] */
    double lon_deg;     /* [-180, 180], as given after parsing */
    const char *kind;   /* "" when absent */
    const char *date;   /* the date cell as written; "" when absent */
    double date_s;      /* seconds since 1970-01-01T00:00:00Z; NaN if none */
    unsigned long line; /* line of the file where the record starts */
} evm_event_t;

struct evm_gazetteer;

/* Receives a warning (file, line, column and message), borrowed for the
 * call. */
typedef void (*evm_warning_fn)(void *closure, const evm_error_t *warning);

/* The version of evm_evm_csv_options_t this header declares. */
#define EVM_CSV_OPTIONS_VERSION 1

typedef struct evm_csv_options {
    /* EVM_CSV_OPTIONS_VERSION, set by evm_csv_options_init: the
     * layout of this struct the caller was built with, so that fields can
     * be added without breaking callers built before. */
    unsigned version;
    /* Header names overriding detection (case-insensitive); NULL: detect.
     * A date column given as "none" (when no column has that name) means
     * the file's dates are not read. */
    const char *role_col[EVM_ROLE_COUNT];
    /* ',', ';', '|' or '\t'; 0: detect from the header line. */
    char delimiter;
    /* RFC 4180 to the letter: a quote inside an unquoted field is an
     * error. By default such a quote is data, and a tab-separated field
     * is quoted only when its opening quote closes properly. */
    bool strict;
    /* Coordinates written with a decimal comma ("48,85"): 1 reads every
     * coordinate cell of the form -?d+,d+ that way, -1 never, 0 (the
     * default) in ';'-separated files only, where a comma in a cell can
     * mean nothing else. */
    int decimal_comma;
    /* How the date column is written: NULL for ISO 8601, "epoch", or a
     * strptime-style pattern such as "%d/%m/%Y" (see
     * evm_parse_date_format). Without one, a date like 05/03/2024 is
     * refused with a message naming the patterns that would read it. */
    const char *date_format;
    /* The file's character encoding when it is not UTF-8 ("CP1252",
     * "ISO-8859-1", any name iconv knows); NULL: UTF-8, or UTF-16 when
     * the file starts with a UTF-16 byte order mark. */
    const char *encoding;
    /* Filters "COLUMN=VALUE": the cell, without surrounding blanks,
     * equals VALUE, without surrounding blanks, byte for byte; the column
     * is found ignoring ASCII case ('_' and '-' alike). A text may hold
     * several separated by ';'. All must hold. evm_events_filter applies
     * the same filter to events already loaded. */
    const char *const *where;
    size_t n_where;
    /* ISO 8601 bounds, inclusive; NULL: unbounded. A bound given as a
     * day ("2023-09-30") covers that whole day. */
    const char *since;
    const char *until;
    /* Largest accepted field in bytes; 0: 1 MiB. */
    size_t max_field_bytes;
    /* Most columns of the header (and of any record); 0: 16384. A wider
     * header is EVM_ERR_PARSE at its first column past the limit, before
     * memory grows with it. */
    size_t max_columns;
    /* Largest record (the content bytes of its fields); 0: 16 MiB. */
    size_t max_record_bytes;
    /* Places by name (evmap/gazetteer.h); NULL: every row needs
     * coordinates. With a gazetteer the latitude and longitude columns
     * may be absent, and a row whose coordinate cells are both empty is
     * placed by its `place` cell, else its name: first at an earlier
     * event of the file with that name and coordinates, then through the
     * gazetteer, with the row's `country` cell, else `country` below, as
     * the country hint. A name the gazetteer does not know rejects the
     * row (with the closest names); a name several places share takes
     * the most populous and calls warn. */
    const struct evm_gazetteer *gazetteer;
    const char *country;
    evm_warning_fn warn; /* may be NULL */
    void *warn_closure;
} evm_csv_options_t;

typedef struct evm_events evm_events_t;

/* Sets every option to its default (detect everything, no filter). */
EVM_API void evm_csv_options_init(evm_csv_options_t *opt);

/* Reads a CSV file; messages name it by path. On success the caller owns
 * *out. */
EVM_API evm_status evm_events_load_file(const char *path,
                                        const evm_csv_options_t *opt,
                                        evm_events_t **out, evm_error_t *err);

/* Reads events from an open stream (standard input, a pipe) to its end;
 * display_name (NULL: "<stdin>") names it in messages. The stream stays
 * open. As for a file, the content says what it is: CSV, or GeoJSON,
 * KML or GPX points. */
EVM_API evm_status evm_events_load_stream(FILE *f, const char *display_name,
                                          const evm_csv_options_t *opt,
                                          evm_events_t **out, evm_error_t *err);

/* Reads CSV from memory; display_name names it in messages. */
EVM_API evm_status evm_events_load_memory(const char *display_name,
                                          const void *data, size_t len,
                                          const evm_csv_options_t *opt,
                                          evm_events_t **out, evm_error_t *err);

/* Frees; NULL is a no-op. */
EVM_API void evm_events_destroy(evm_events_t *events);

typedef enum evm_events_format {
    EVM_EVENTS_CSV = 0, /* the columns as read, RFC 4180 quoting */
    EVM_EVENTS_GEOJSON  /* Point features, every column a string property */
} evm_events_format;

/* Writes the kept events (`evmap convert`) through write(closure, ...),
 * in pieces: a CSV with the file's columns, or a GeoJSON
 * FeatureCollection of Points at the parsed coordinates (up to nine
 * decimals) whose properties are the columns as read. The callback's
 * status when it fails; EVM_ERR_NOMEM. */
EVM_API evm_status evm_events_write(
    const evm_events_t *events, evm_events_format format,
    evm_status (*write)(void *closure, const unsigned char *data, size_t len),
    void *closure, evm_error_t *err);

/* evm_events_write into path, atomically: a temporary file beside it,
 * renamed over it when complete; on failure path is untouched. */
EVM_API evm_status evm_events_write_file(const evm_events_t *events,
                                         evm_events_format format,
                                         const char *path, evm_error_t *err);

EVM_API size_t evm_events_count(const evm_events_t *events);
/* Borrowed, valid for the lifetime of events. i < count. */
EVM_API const evm_event_t *evm_events_get(const evm_events_t *events, size_t i);

/* Header columns, in file order. */
EVM_API size_t evm_events_column_count(const evm_events_t *events);
EVM_API const char *evm_events_column_name(const evm_events_t *events,
                                           size_t column);
/* Column index used for a role, or -1 when the file has none. */
EVM_API long evm_events_role_column(const evm_events_t *events, evm_role role);
/* The raw cell of kept event i in a column ("" for none). */
EVM_API const char *evm_events_value(const evm_events_t *events, size_t i,
                                     size_t column);
/* Every raw cell of kept event i, in column order, into cells (room for
 * evm_events_column_count): one walk of the row, where asking
 * evm_events_value for each column walks it again from its start. */
EVM_API void evm_events_row(const evm_events_t *events, size_t i,
                            const char **cells);

/* Data rows read, before filters and validation. */
EVM_API size_t evm_events_rows_read(const evm_events_t *events);
/* Valid rows dropped by --where/--since/--until. */
EVM_API size_t evm_events_filtered_count(const evm_events_t *events);
/* Rejected rows, each with file, line, column and reason. */
EVM_API size_t evm_events_rejected_count(const evm_events_t *events);
EVM_API const evm_error_t *evm_events_rejected(const evm_events_t *events,
                                               size_t i);
/* The delimiter used. */
EVM_API char evm_events_delimiter(const evm_events_t *events);
/* The file name used in messages. */
EVM_API const char *evm_events_source(const evm_events_t *events);

/* Finds an event by name: exact match first, then case-insensitive.
 * A name that matches several events is an error naming their lines; an
 * unknown name is EVM_ERR_NOT_FOUND with the closest names suggested. */
EVM_API evm_status evm_events_find(const evm_events_t *events, const char *name,
                                   size_t *index, evm_error_t *err);

/* A view of some events of src, in the order idx lists them (an index
 * may repeat; each must be below evm_events_count(src)): for per-map
 * filters in a batch, without reading the file again. The subset has
 * src's columns, roles, delimiter and source name, and no rejected rows;
 * its filtered count adds the events left out. It borrows src's strings:
 * src must outlive it and stay unchanged. Several threads may make
 * subsets of one src at once. The caller owns *out (free it with
 * evm_events_destroy; that leaves src untouched). */
EVM_API evm_status evm_events_subset(const evm_events_t *src, const size_t *idx,
                                     size_t n, evm_events_t **out,
                                     evm_error_t *err);

/* The events of ev that pass the row filter of evm_csv_options_t (where,
 * n_where, since, until; the one the loader applies while reading): their
 * indices, in order, into *idx (the caller frees it) and their count into
 * *n. A bad filter is EVM_ERR_INVALID_ARG; a filter column that is not in
 * ev's header EVM_ERR_NOT_FOUND naming the columns. Thread-safe for one
 * ev. */
EVM_API evm_status evm_events_filter(const evm_events_t *ev,
                                     const char *const *where, size_t n_where,
                                     const char *since, const char *until,
                                     size_t **idx, size_t *n, evm_error_t *err);

/* Parses a latitude or longitude: decimal degrees ("39.0392", "-125.76"),
 * a number with a hemisphere letter ("125.76E"), or degrees, minutes and
 * seconds ("39°01′30″N", "39 1 30 N", "39:01:30N"). Independent of the C
 * locale; rejects nan, inf, hex floats, overflow and "45,5". is_lat selects
 * the range check and the allowed hemisphere letters. On failure returns
 * EVM_ERR_PARSE and writes a reason into why (may be NULL). */
EVM_API evm_status evm_parse_coordinate(const char *text, bool is_lat,
                                        double *deg, char *why, size_t why_cap);

/* Parses an ISO 8601 date or date-time ("2023", "2023-09", "2023-09-13",
 * "2023-09-13T10:30", "2023-09-13T10:30:00Z", "...+09:00", also with a
 * space instead of T; the basic forms "20230913", "20230913T1030Z"; the
 * week dates "2023-W37", "2023-W37-3", "2023W373") into seconds since the
 * epoch (UTC; no zone means
 * UTC). *end_s receives the end of the period the text names (a day's
 * last second for a date), or *start_s for a full date-time. */
EVM_API evm_status evm_parse_date(const char *text, double *start_s,
                                  double *end_s);

/* Parses a date written in a named format. format NULL or "iso": as
 * evm_parse_date (which also takes the basic 20240305 and week 2024-W10
 * forms). "epoch": seconds since 1970-01-01T00:00:00Z, optionally signed
 * and with a fraction. Otherwise a strptime-style pattern, matched
 * byte for byte outside its directives, independent of the locale:
 * %Y (4 digits) %y (2: 69-99 are 19xx, 00-68 20xx) %m %d %e %j %H %I %p
 * %M %S, %b %B %h (English month names or their first three letters,
 * any case), %z (Z, +hh, +hh:mm, +hhmm), %T (%H:%M:%S), %F (%Y-%m-%d),
 * %%; a blank matches any run of blanks. Without %z the time is UTC.
 * *end_s is the end of the period the text names (the day's last second
 * for a date). EVM_ERR_INVALID_ARG when the pattern has an unknown
 * directive or no year (whatever text is, so a pattern can be checked
 * with text ""); EVM_ERR_PARSE when text does not match. */
EVM_API evm_status evm_parse_date_format(const char *text, const char *format,
                                         double *start_s, double *end_s);

#ifdef __cplusplus
}
#endif

#endif
