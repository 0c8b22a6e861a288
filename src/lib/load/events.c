/* Event records from CSV: the header picks the columns that carry a
 * meaning (by alias or by override), each data row becomes an event or a
 * diagnostic, and filters drop valid rows.
 *
 * Cells are copied into one growing text arena and referred to by offset
 * while loading (the arena moves as it grows); the pointers in
 * evm_event_t are set once loading has finished. Rejected rows are kept
 * compact (position and message) and turned into evm_error_t blocks only
 * when asked for: an evm_error_t is about a kilobyte, and a file whose
 * every row is rejected should not cost a kilobyte per row up front. The
 * blocks are published with an atomic compare-and-swap so that threads
 * may read one const evm_events_t at the same time.
 *
 * Blanks around a cell are never significant: coordinates, dates, header
 * names, the name and kind of an event and the values of filters all
 * ignore them (hand-written files often put a space after each comma),
 * while evm_events_value still returns the cell as written. */
#define _POSIX_C_SOURCE 200809L

#include <evmap/events.h>
#include <evmap/gazetteer.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/file_open.h"
#include "core/fold.h"
#include "core/names.h"
#include "core/text.h"
#include "core/text_escape.h"
#include "load/csv_reader.h"
#include "load/decode.h"
#include "load/events_geo.h"
#include "load/events_internal.h"
#include "load/filter.h"
#include "load/point_cell.h"

enum {
    REJECT_BLOCK = 256,    /* evm_error_t built together on demand */
    FILE_CHUNK = 64 << 10, /* bytes read from a file at a time */
    SNIPPET_BYTES = 40,    /* of a cell quoted in a message */
    LIST_LINES = 5         /* lines listed for an ambiguous name */
};

static const char *const role_names[EVM_ROLE_COUNT] = {
    "name", "latitude", "longitude", "kind", "date"};

/* Header aliases, in order of preference: "lat" wins over "y" when both
 * are present, since x/y columns are often projected coordinates. They
 * match ignoring case, blanks, '_', '-' and '.' ("Event Name",
 * "LATITUDE_DEG"). */
static const char *const role_aliases[EVM_ROLE_COUNT][10] = {
    {"name", "title", "label", "event_name", "place", "location", NULL},
    {"lat", "latitude", "lat_dd", "lat_deg", "latitude_deg", "y", NULL},
    {"lon", "lng", "long", "longitude", "lon_dd", "lon_deg", "lng_deg",
     "longitude_deg", "x", NULL},
    {"kind", "type", "category", "event_type", NULL},
    {"date", "event_date", "time", "timestamp", NULL},
};

/* Columns holding a whole point, used when there is no latitude and
 * longitude pair: "lat, lon", WKT POINT or a GeoJSON Point. */
static const char *const point_aliases[] = {
    "coordinates", "coordinate", "coords",   "latlon",  "latlong",
    "latlng",      "location",   "position", "point",   "wkt",
    "geometry",    "geom",       "the_geom", "geojson", NULL};

typedef struct reject {
    unsigned long line, column;
    size_t msg_off; /* in msgs */
} reject_t;

struct evm_events {
    char *source;
    char delimiter;
    char **columns; /* trimmed header names */
    size_t n_cols;
    long role[EVM_ROLE_COUNT];

    evm_event_t *ev;
    size_t n_ev, cap_ev;
    /* Per event, the offset into text of its row: the raw cells one
     * after the other, each ended by a NUL (a cell holding a NUL, which
     * only GeoJSON can give, is kept up to it, as a C string reads it),
     * then the name and then the kind without surrounding blanks when
     * they have any (see row_role). One offset per row, not per cell: a
     * cell is found by walking the row, which is short. */
    size_t *row;
    size_t cap_row;
    char *text;
    size_t text_len, text_cap;

    size_t rows_read, filtered;

    reject_t *rej;
    size_t n_rej, cap_rej;
    char *msgs;
    size_t msgs_len, msgs_cap;
    _Atomic(evm_error_t *) *rej_blocks;
    size_t n_rej_blocks;
    /* Per event, how it was placed: 0 by its coordinate cells, else 1 +
     * the evm_place_source of the name that placed it; NULL while every
     * event has coordinates (n_ev entries, cap_placed allocated). */
    unsigned char *placed;
    size_t cap_placed;
    /* A subset (evm_events_subset) borrows columns and text from its
     * source and owns only its event, row and placed arrays. */
    bool borrowed;
};

typedef struct loader {
    evm_events_t *ev;
    const evm_csv_options_t *opt;
    bool point; /* the LAT and LON roles are one point column */
    bool geo;   /* GeoJSON, KML or GPX: columns 0 and 1 hold the point */
    bool decimal_comma;      /* "48,85" reads as 48.85 */
    evm_row_filter_t filter; /* --where, --since, --until */
    bool header_seen;
    evm_csv_reader_t *reader;
    /* Geocoding (opt->gazetteer set): the columns naming the place and
     * its country, -1 when absent. */
    long place_col, country_col;
    evm_decoder_t *decoder; /* in front of the reader */
} loader_t;

/* ---- small helpers --------------------------------------------------- */

static char fold(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool eq_fold(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (fold(*a) != fold(*b))
            return false;
    return *a == *b;
}

/* Header names compared ignoring case and the separators people put
 * between words: "Event Name" = "event_name" = "EventName". */
static bool is_name_sep(char c)
{
    return c == ' ' || c == '\t' || c == '_' || c == '-' || c == '.';
}

static bool eq_header(const char *a, const char *b)
{
    for (;;) {
        while (is_name_sep(*a))
            a++;
        while (is_name_sep(*b))
            b++;
        if (!*a || !*b)
            return *a == *b;
        if (fold(*a++) != fold(*b++))
            return false;
    }
}

/* The column whose header matches one of aliases (in their order of
 * preference), other than skip; -1 for none. */
static long find_alias(const evm_events_t *ev, const char *const *aliases,
                       long skip)
{
    for (size_t a = 0; aliases[a]; a++)
        for (size_t c = 0; c < ev->n_cols; c++)
            if ((long)c != skip && eq_header(ev->columns[c], aliases[a]))
                return (long)c;
    return -1;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* A copy of s[0..n) without leading and trailing blanks. */
static char *dup_trimmed(const char *s, size_t n)
{
    while (n && is_blank(*s)) {
        s++;
        n--;
    }
    while (n && is_blank(s[n - 1]))
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static bool is_empty_cell(const char *s)
{
    while (is_blank(*s))
        s++;
    return *s == '\0';
}

/* The cell s[0..len) without surrounding blanks, as *start and *n. */
static void trim_span(const char *s, size_t len, size_t *start, size_t *n)
{
    size_t a = 0, b = len;
    while (a < b && is_blank(s[a]))
        a++;
    while (b > a && is_blank(s[b - 1]))
        b--;
    *start = a;
    *n = b - a;
}

/* ---- rows in the arena ---- */

/* Cell col of event i's row, as kept. */
static const char *row_cell(const evm_events_t *ev, size_t i, size_t col)
{
    const char *p = ev->text + ev->row[i];
    for (size_t k = 0; k < col; k++)
        p += strlen(p) + 1;
    return p;
}

static bool blank_around(const char *s)
{
    size_t n = strlen(s);
    return n && (is_blank(s[0]) || is_blank(s[n - 1]));
}

/* The cell of event i's role column without surrounding blanks: the raw
 * cell when it has none, else its trimmed copy after the row's cells (the
 * name's first, then the kind's, as keep() appends them); the date's as
 * written; "" without such a column. */
static const char *row_role(const evm_events_t *ev, size_t i, evm_role role)
{
    long col = ev->role[role];
    if (col < 0)
        return "";
    const char *cell = row_cell(ev, i, (size_t)col);
    if (role == EVM_ROLE_DATE || !blank_around(cell))
        return cell;
    const char *p = row_cell(ev, i, ev->n_cols);
    long name = ev->role[EVM_ROLE_NAME];
    if (role == EVM_ROLE_KIND && name >= 0 &&
        blank_around(row_cell(ev, i, (size_t)name)))
        p += strlen(p) + 1;
    return p;
}

/* Offset of the first byte that is not valid UTF-8, or n. */
static size_t utf8_invalid_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* Most cells are ASCII: test eight bytes at a time. */
        uint64_t w;
        if (n - i >= 8 &&
            (memcpy(&w, s + i, 8), (w & 0x8080808080808080u) == 0)) {
            i += 8;
            continue;
        }
        size_t k = evm_utf8_seq(s + i, n - i);
        if (k == 0)
            return i;
        i += k;
    }
    return n;
}

/* Writes a cell for a message: at most SNIPPET_BYTES, cut on a character,
 * with line breaks and control characters made visible. */
static void snippet(char *out, size_t cap, const char *s)
{
    evm_text_snippet(out, cap, s, strlen(s), SNIPPET_BYTES);
}

static long find_column(const evm_events_t *ev, const char *name)
{
    char *t = dup_trimmed(name, strlen(name));
    if (!t)
        return -2;
    long found = -1;
    for (size_t i = 0; i < ev->n_cols && found < 0; i++)
        if (eq_fold(ev->columns[i], t))
            found = (long)i;
    free(t);
    return found;
}

/* ---- rejected rows --------------------------------------------------- */

static evm_status reject(loader_t *ld, const evm_csv_field_t *at,
                         evm_error_t *err, const char *fmt, ...)
    EVM_PRINTF(4, 5);

static evm_status reject(loader_t *ld, const evm_csv_field_t *at,
                         evm_error_t *err, const char *fmt, ...)
{
    evm_events_t *ev = ld->ev;
    char msg[EVM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t len = n < 0                    ? 0
                 : (size_t)n < sizeof msg ? (size_t)n
                                          : sizeof msg - 1;
    msg[len] = '\0';
    void *r = ev->rej, *m = ev->msgs;
    if (evm_grow(&r, &ev->cap_rej, ev->n_rej + 1, sizeof *ev->rej))
        goto nomem;
    ev->rej = r;
    if (evm_grow(&m, &ev->msgs_cap, ev->msgs_len + len + 1, 1))
        goto nomem;
    ev->msgs = m;
    memcpy(ev->msgs + ev->msgs_len, msg, len + 1);
    ev->rej[ev->n_rej++] = (reject_t){at->line, at->column, ev->msgs_len};
    ev->msgs_len += len + 1;
    return EVM_OK;
nomem:
    return evm_error_set(err, EVM_ERR_NOMEM, ev->source, 0, 0, "out of memory");
}

/* ---- the header ------------------------------------------------------- */

static evm_status on_header(loader_t *ld, const evm_csv_record_t *rec,
                            evm_error_t *err)
{
    evm_events_t *ev = ld->ev;
    char list[320];
    ev->columns = calloc(rec->n_fields, sizeof *ev->columns);
    if (!ev->columns)
        return evm_error_set(err, EVM_ERR_NOMEM, ev->source, 0, 0,
                             "out of memory");
    for (size_t i = 0; i < rec->n_fields; i++) {
        ev->columns[i] = dup_trimmed(rec->fields[i].text, rec->fields[i].len);
        if (!ev->columns[i])
            return evm_error_set(err, EVM_ERR_NOMEM, ev->source, 0, 0,
                                 "out of memory");
        ev->n_cols++;
    }
    evm_join_names(list, sizeof list, (const char *const *)ev->columns,
                   ev->n_cols);

    for (int r = 0; r < EVM_ROLE_COUNT; r++) {
        const char *given = ld->opt->role_col[r];
        ev->role[r] = -1;
        if (given) {
            long c = find_column(ev, given);
            if (c == -2)
                return evm_error_set(err, EVM_ERR_NOMEM, ev->source, 0, 0,
                                     "out of memory");
            if (c < 0 && r == EVM_ROLE_DATE && eq_fold(given, "none"))
                continue; /* --date-col none: dates are not read */
            if (c < 0)
                return evm_error_set(
                    err, EVM_ERR_NOT_FOUND, ev->source, rec->line, 0,
                    "column \"%s\" (given for the %s) is not in the "
                    "header; columns: %s",
                    given, role_names[r], list);
            ev->role[r] = c;
            continue;
        }
        ev->role[r] = find_alias(ev, role_aliases[r], -1);
    }
    if (ld->geo) {
        /* Columns 0 and 1 hold the geometry's point, whatever the
         * properties are called. */
        if (!ld->opt->role_col[EVM_ROLE_LAT])
            ev->role[EVM_ROLE_LAT] = 0;
        if (!ld->opt->role_col[EVM_ROLE_LON])
            ev->role[EVM_ROLE_LON] = 1;
    }
    if (ev->role[EVM_ROLE_LAT] < 0 && ev->role[EVM_ROLE_LON] < 0 &&
        !ld->opt->role_col[EVM_ROLE_LAT] && !ld->opt->role_col[EVM_ROLE_LON]) {
        long c = find_alias(ev, point_aliases, -1);
        if (c >= 0) {
            ld->point = true;
            ev->role[EVM_ROLE_LAT] = ev->role[EVM_ROLE_LON] = c;
            /* "location" names a place only when it is not the point. */
            if (ev->role[EVM_ROLE_NAME] == c && !ld->opt->role_col[0])
                ev->role[EVM_ROLE_NAME] =
                    find_alias(ev, role_aliases[EVM_ROLE_NAME], c);
        }
    }
    ld->place_col = find_column(ev, "place");
    if (ld->place_col < 0)
        ld->place_col = ev->role[EVM_ROLE_NAME];
    ld->country_col = find_column(ev, "country");
    if (ld->opt->gazetteer && ld->place_col < 0)
        return evm_error_set(err, EVM_ERR_PARSE, ev->source, rec->line, 0,
                             "places are found by name, but there is no "
                             "name or place column; header: %s",
                             list);
    for (int r = EVM_ROLE_LAT; r <= EVM_ROLE_LON; r++) {
        if (ev->role[r] >= 0 || ld->opt->gazetteer)
            continue;
        char aliases[200] = "";
        for (size_t a = 0; role_aliases[r][a]; a++)
            snprintf(aliases + strlen(aliases),
                     sizeof aliases - strlen(aliases), "%s%s", a ? ", " : "",
                     role_aliases[r][a]);
        return evm_error_set(err, EVM_ERR_PARSE, ev->source, rec->line, 0,
                             "no %s column (looked for %s, or one point "
                             "column such as coordinates, location or wkt); "
                             "header: %s",
                             role_names[r], aliases, list);
    }
    evm_status fst =
        evm_row_filter_bind(&ld->filter, (const char *const *)ev->columns,
                            ev->n_cols, ev->source, rec->line, err);
    if (fst)
        return fst;
    ld->decimal_comma = ld->opt->decimal_comma > 0 ||
                        (ld->opt->decimal_comma == 0 &&
                         evm_csv_reader_delimiter(ld->reader) == ';');
    ld->header_seen = true;
    return EVM_OK;
}

/* ---- data rows -------------------------------------------------------- */

/* Whether s is a number with a decimal comma, -?d+,d+ between blanks;
 * if so, a copy with a point goes to buf. */
static bool decimal_comma_number(const char *s, char *buf, size_t cap)
{
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n && is_blank(s[n - 1]))
        n--;
    if (n + 1 > cap)
        return false;
    size_t i = s[0] == '-' || s[0] == '+', digits_before = 0, after = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        digits_before++;
    if (!digits_before || i == n || s[i] != ',')
        return false;
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        after++;
    if (!after || i != n)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *strchr(buf, ',') = '.';
    return true;
}

/* Parses a coordinate cell; false when the row was rejected. */
static bool coordinate(loader_t *ld, const evm_csv_field_t *f, bool is_lat,
                       double *deg, evm_status *st, evm_error_t *err)
{
    char why[160], snip[SNIPPET_BYTES * 2 + 8], fixed[48];
    const char *role = is_lat ? "latitude" : "longitude";
    const char *text = f->text;
    bool comma = decimal_comma_number(text, fixed, sizeof fixed);
    if (comma && ld->decimal_comma)
        text = fixed;
    if (evm_parse_coordinate(text, is_lat, deg, why, sizeof why) == EVM_OK)
        return true;
    if (is_empty_cell(f->text)) {
        *st = reject(ld, f, err, "%s is empty", role);
    } else {
        snippet(snip, sizeof snip, f->text);
        if (comma && !ld->decimal_comma)
            snprintf(why, sizeof why,
                     "uses a decimal comma; write a point, or read the "
                     "file with --decimal-comma");
        *st = reject(ld, f, err, "%s \"%s\" %s", role, snip, why);
    }
    return false;
}

/* How event i was placed (see evm_events.placed): the array covers the
 * events up to the last one placed by name. */
static unsigned char placed_at(const evm_events_t *ev, size_t i)
{
    return ev->placed && i < ev->cap_placed ? ev->placed[i] : 0;
}

/* A kept event of this file named like text, with coordinates; -1 when
 * none. Linear: rows placed by name are few. */
static long earlier_event(const loader_t *ld, const char *text)
{
    const evm_events_t *ev = ld->ev;
    long name = ev->role[EVM_ROLE_NAME];
    if (name < 0)
        return -1;
    for (size_t i = 0; i < ev->n_ev; i++)
        if (evm_fold_equal(row_role(ev, i, EVM_ROLE_NAME), text))
            return (long)i;
    return -1;
}

/* Places a row without coordinates by its name; false when the row was
 * rejected (or *st holds a fatal error). */
static bool geocode(loader_t *ld, const evm_csv_record_t *rec, double *lat,
                    double *lon, unsigned char *placed, evm_status *st,
                    evm_error_t *err)
{
    /* The place cell, else the name cell when the place is empty. */
    const evm_csv_field_t *f = &rec->fields[ld->place_col];
    long name_col = ld->ev->role[EVM_ROLE_NAME];
    if (is_empty_cell(f->text) && name_col >= 0)
        f = &rec->fields[name_col];
    char *name = dup_trimmed(f->text, f->len);
    char *hint = ld->country_col >= 0
                     ? dup_trimmed(rec->fields[ld->country_col].text,
                                   rec->fields[ld->country_col].len)
                     : NULL;
    bool ok = false;
    if (!name || (ld->country_col >= 0 && !hint)) {
        *st = evm_error_set(err, EVM_ERR_NOMEM, ld->ev->source, 0, 0,
                            "out of memory");
        goto done;
    }
    if (!name[0]) {
        *st = reject(ld, f, err,
                     "no coordinates and no name to find the place by");
        goto done;
    }
    long at = earlier_event(ld, name);
    if (at >= 0) {
        /* The earlier event's place, and its source when a name placed
         * it too: a row placed where a GeoNames city put an earlier one
         * is placed by GeoNames. */
        *lat = ld->ev->ev[at].lat_deg;
        *lon = ld->ev->ev[at].lon_deg;
        *placed = placed_at(ld->ev, (size_t)at);
        if (!*placed)
            *placed = 1 + EVM_PLACE_EVENTS;
        ok = true;
        goto done;
    }
    evm_geocode_t g;
    evm_error_t e;
    evm_status s =
        evm_gazetteer_lookup(ld->opt->gazetteer, name,
                             hint && hint[0] ? hint : ld->opt->country, &g, &e);
    if (s == EVM_ERR_NOMEM) {
        *st = evm_error_set(err, s, ld->ev->source, 0, 0, "out of memory");
        goto done;
    }
    if (s) {
        *st = reject(ld, f, err, "%s", e.message);
        goto done;
    }
    if (ld->opt->warn && g.n_others) {
        evm_error_t w;
        char msg[EVM_ERROR_MESSAGE_MAX];
        evm_geocode_warning(&g, name, msg, sizeof msg);
        evm_error_set(&w, EVM_OK, ld->ev->source, f->line, f->column, "%s",
                      msg);
        ld->opt->warn(ld->opt->warn_closure, &w);
    }
    *lat = g.place.lat_deg;
    *lon = g.place.lon_deg;
    *placed = (unsigned char)(1 + g.place.source);
    evm_geocode_clear(&g);
    ok = true;
done:
    free(name);
    free(hint);
    return ok;
}

/* Rejects a date cell, saying what would read it. Day and month written
 * with '/', '.' or '-' are told apart only by a number above 12: when
 * neither is, the date is ambiguous (05/03/2024 is 5 March in Europe and
 * May 3 in the United States) and only the user can say which. */
static evm_status bad_date(loader_t *ld, const evm_csv_field_t *d,
                           evm_error_t *err)
{
    char snip[SNIPPET_BYTES * 2 + 8];
    snippet(snip, sizeof snip, d->text);
    const char *fmt = ld->opt->date_format;
    if (fmt && strcmp(fmt, "epoch") == 0)
        return reject(ld, d, err,
                      "date \"%s\" is not a number of seconds "
                      "since 1970 (--date-format epoch)",
                      snip);
    if (fmt && strcmp(fmt, "iso") != 0)
        return reject(ld, d, err,
                      "date \"%s\" does not match --date-format "
                      "\"%s\"",
                      snip, fmt);
    unsigned a = 0, b = 0, na = 0, nb = 0, ny = 0;
    char sep = 0;
    const char *p = d->text;
    while (is_blank(*p))
        p++;
    for (; *p >= '0' && *p <= '9' && na < 3; p++, na++)
        a = a * 10 + (unsigned)(*p - '0');
    if (*p == '/' || *p == '.' || *p == '-')
        sep = *p++;
    for (; sep && *p >= '0' && *p <= '9' && nb < 3; p++, nb++)
        b = b * 10 + (unsigned)(*p - '0');
    if (sep && *p == sep)
        for (p++; *p >= '0' && *p <= '9' && ny < 5; p++)
            ny++;
    while (is_blank(*p))
        p++;
    bool dmy = sep && na >= 1 && na <= 2 && nb >= 1 && nb <= 2 &&
               (ny == 2 || ny == 4) && !*p && a >= 1 && b >= 1 &&
               (a <= 12 || b <= 12) && a <= 31 && b <= 31;
    /* A cell that starts like ISO 8601 is a mistake in it; another form
     * needs the option. */
    if (!dmy && na > 2)
        return reject(ld, d, err, "date \"%s\" is not an ISO 8601 date", snip);
    if (!dmy)
        return reject(ld, d, err,
                      "date \"%s\" is not an ISO 8601 date; "
                      "--date-format describes another form, "
                      "--date-col none ignores the column",
                      snip);
    char y = ny == 4 ? 'Y' : 'y';
    if (a <= 12 && b <= 12)
        return reject(ld, d, err,
                      "date \"%s\" is ambiguous: day%cmonth or "
                      "month%cday? Give --date-format %%d%c%%m%c%%%c "
                      "or %%m%c%%d%c%%%c",
                      snip, sep, sep, sep, sep, y, sep, sep, y);
    return reject(ld, d, err,
                  "date \"%s\" is not ISO 8601; give "
                  "--date-format %%%c%c%%%c%c%%%c",
                  snip, a > 12 ? 'd' : 'm', sep, a > 12 ? 'm' : 'd', sep, y);
}

/* Parses a one-column point; false when the row was rejected. */
static bool point(loader_t *ld, const evm_csv_field_t *f, double *lat,
                  double *lon, evm_status *st, evm_error_t *err)
{
    char why[240], snip[SNIPPET_BYTES * 2 + 8];
    if (evm_parse_point_cell(f->text, lat, lon, why, sizeof why) == EVM_OK)
        return true;
    if (is_empty_cell(f->text)) {
        *st = reject(ld, f, err, "point is empty");
    } else {
        snippet(snip, sizeof snip, f->text);
        *st = reject(ld, f, err, "point \"%s\" %s", snip, why);
    }
    return false;
}

/* The length a cell is kept with: up to its first NUL, if any. */
static size_t kept_len(const evm_csv_field_t *f)
{
    const char *nul = memchr(f->text, '\0', f->len);
    return nul ? (size_t)(nul - f->text) : f->len;
}

/* Whether the cell of role column col (-1: none) has blanks around it,
 * and then its trimmed span. */
static bool needs_trim(const evm_csv_record_t *rec, long col, size_t *start,
                       size_t *n)
{
    if (col < 0)
        return false;
    size_t len = kept_len(&rec->fields[col]);
    trim_span(rec->fields[col].text, len, start, n);
    return *n != len;
}

static evm_status keep(loader_t *ld, const evm_csv_record_t *rec, double lat,
                       double lon, double date_s, evm_error_t *err)
{
    evm_events_t *ev = ld->ev;
    size_t n = ev->n_cols, bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += kept_len(&rec->fields[i]) + 1;
    /* Room for trimmed copies of the name and the kind. */
    long roles[2] = {ev->role[EVM_ROLE_NAME], ev->role[EVM_ROLE_KIND]};
    size_t start[2], len[2];
    bool trim[2];
    for (int k = 0; k < 2; k++) {
        trim[k] = needs_trim(rec, roles[k], &start[k], &len[k]);
        if (trim[k])
            bytes += len[k] + 1;
    }
    void *e = ev->ev, *r = ev->row, *t = ev->text;
    if (bytes > SIZE_MAX - ev->text_len)
        goto nomem;
    if (evm_grow(&e, &ev->cap_ev, ev->n_ev + 1, sizeof *ev->ev))
        goto nomem;
    ev->ev = e;
    if (evm_grow(&r, &ev->cap_row, ev->n_ev + 1, sizeof *ev->row))
        goto nomem;
    ev->row = r;
    if (evm_grow(&t, &ev->text_cap, ev->text_len + bytes, 1))
        goto nomem;
    ev->text = t;
    ev->row[ev->n_ev] = ev->text_len;
    for (size_t i = 0; i < n; i++) {
        size_t m = kept_len(&rec->fields[i]);
        memcpy(ev->text + ev->text_len, rec->fields[i].text, m);
        ev->text[ev->text_len + m] = '\0';
        ev->text_len += m + 1;
    }
    for (int k = 0; k < 2; k++)
        if (trim[k]) {
            const char *src = rec->fields[roles[k]].text + start[k];
            memcpy(ev->text + ev->text_len, src, len[k]);
            ev->text[ev->text_len + len[k]] = '\0';
            ev->text_len += len[k] + 1;
        }
    /* Text pointers are set by finalize(), once the arena stops moving. */
    ev->ev[ev->n_ev++] =
        (evm_event_t){NULL, lat, lon, NULL, NULL, date_s, rec->line};
    return EVM_OK;
nomem:
    return evm_error_set(err, EVM_ERR_NOMEM, ev->source, 0, 0, "out of memory");
}

/* Records that event i was placed by name (placed: 1 + its
 * evm_place_source); the array is made on the first such event. */
static evm_status mark_placed(evm_events_t *ev, size_t i, unsigned char placed,
                              evm_error_t *err)
{
    size_t had = ev->placed ? ev->cap_placed : 0;
    void *p = ev->placed;
    if (evm_grow(&p, &ev->cap_placed, ev->cap_ev, 1))
        return evm_error_set(err, EVM_ERR_NOMEM, ev->source, 0, 0,
                             "out of memory");
    ev->placed = p;
    memset(ev->placed + had, 0, ev->cap_placed - had);
    ev->placed[i] = placed;
    return EVM_OK;
}

/* A CSV field as the row filter reads it. */
static const char *field_cell(const void *row, size_t col, size_t *len)
{
    const evm_csv_field_t *f = row;
    *len = f[col].len;
    return f[col].text;
}

static evm_status on_row(loader_t *ld, const evm_csv_record_t *rec,
                         evm_error_t *err)
{
    evm_events_t *ev = ld->ev;
    const evm_csv_field_t *f = rec->fields;
    evm_status st = EVM_OK;
    ev->rows_read++;

    for (size_t i = 0; i < rec->n_fields; i++) {
        const unsigned char *s = (const unsigned char *)f[i].text;
        size_t bad = utf8_invalid_at(s, f[i].len);
        if (bad < f[i].len)
            return reject(ld, &f[i], err,
                          "column \"%s\" is not valid UTF-8 (byte 0x%02X); "
                          "save the file as UTF-8 or name its encoding "
                          "(--encoding CP1252)",
                          ev->columns[i], s[bad]);
    }
    double lat, lon, date_s = NAN;
    unsigned char placed = 0;
    long la = ev->role[EVM_ROLE_LAT], lo = ev->role[EVM_ROLE_LON];
    if (ld->opt->gazetteer && (la < 0 || is_empty_cell(f[la].text)) &&
        (lo < 0 || is_empty_cell(f[lo].text))) {
        if (!geocode(ld, rec, &lat, &lon, &placed, &st, err))
            return st;
    } else if (la < 0 || lo < 0) {
        return reject(ld, &f[la < 0 ? lo : la], err,
                      "the %s is given but not the %s",
                      la < 0 ? "longitude" : "latitude",
                      la < 0 ? "latitude" : "longitude");
    } else if (ld->point) {
        if (!point(ld, &f[la], &lat, &lon, &st, err))
            return st;
    } else if (!coordinate(ld, &f[la], true, &lat, &st, err) ||
               !coordinate(ld, &f[lo], false, &lon, &st, err)) {
        return st;
    }
    if (ev->role[EVM_ROLE_DATE] >= 0) {
        const evm_csv_field_t *d = &f[ev->role[EVM_ROLE_DATE]];
        if (!is_empty_cell(d->text) &&
            evm_parse_date_format(d->text, ld->opt->date_format, &date_s,
                                  NULL) != EVM_OK)
            return bad_date(ld, d, err);
    }

    if (!evm_row_filter_keep(&ld->filter, field_cell, f, date_s)) {
        ev->filtered++;
        return EVM_OK;
    }
    if ((st = keep(ld, rec, lat, lon, date_s, err)))
        return st;
    return placed ? mark_placed(ev, ev->n_ev - 1, placed, err) : EVM_OK;
}

static evm_status on_record(void *user, const evm_csv_record_t *rec,
                            evm_error_t *err)
{
    loader_t *ld = user;
    return rec->index == 0 ? on_header(ld, rec, err) : on_row(ld, rec, err);
}

/* ---- loading ---------------------------------------------------------- */

static void loader_free(loader_t *ld)
{
    evm_row_filter_free(&ld->filter);
    evm_csv_reader_destroy(ld->reader);
    evm_decoder_destroy(ld->decoder);
}

static evm_status to_reader(void *user, const char *text, size_t n,
                            evm_error_t *err)
{
    return evm_csv_reader_feed(user, text, n, err);
}

static evm_status loader_begin(loader_t *ld, const char *name,
                               const evm_csv_options_t *opt, evm_error_t *err)
{
    memset(ld, 0, sizeof *ld);
    ld->opt = opt;
    evm_events_t *ev = ld->ev = calloc(1, sizeof *ev);
    if (!ev || !(ev->source = evm_strdup(name)))
        goto nomem;
    for (int r = 0; r < EVM_ROLE_COUNT; r++)
        ev->role[r] = -1;

    double unused;
    if (opt->date_format &&
        evm_parse_date_format("", opt->date_format, &unused, &unused) ==
            EVM_ERR_INVALID_ARG)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "date format \"%s\" is not iso, epoch or a "
                             "pattern with a year such as %%d/%%m/%%Y",
                             opt->date_format);
    evm_status st = evm_row_filter_init(&ld->filter, opt->where, opt->n_where,
                                        opt->since, opt->until, err);
    if (st)
        return st;

    evm_csv_reader_options_t ro;
    evm_csv_reader_options_init(&ro);
    ro.display_name = name;
    ro.delimiter = opt->delimiter;
    ro.strict = opt->strict;
    ro.max_field_bytes = opt->max_field_bytes;
    ro.max_fields = opt->max_columns;
    ro.max_record_bytes = opt->max_record_bytes;
    st = evm_csv_reader_create(&ro, on_record, ld, &ld->reader, err);
    if (st == EVM_OK)
        st = evm_decoder_create(name, opt->encoding, to_reader, ld->reader,
                                &ld->decoder, err);
    return st;

nomem:
    return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0, "out of memory");
}

/* Sets the pointers into the arena, which no longer moves. */
static evm_status finalize(evm_events_t *ev)
{
    for (size_t i = 0; i < ev->n_ev; i++) {
        evm_event_t *e = &ev->ev[i];
        e->name = row_role(ev, i, EVM_ROLE_NAME);
        e->kind = row_role(ev, i, EVM_ROLE_KIND);
        e->date = row_role(ev, i, EVM_ROLE_DATE);
    }
    ev->n_rej_blocks = (ev->n_rej + REJECT_BLOCK - 1) / REJECT_BLOCK;
    if (ev->n_rej_blocks) {
        ev->rej_blocks =
            evm_alloc_array(ev->n_rej_blocks, sizeof *ev->rej_blocks);
        if (!ev->rej_blocks)
            return EVM_ERR_NOMEM;
        for (size_t b = 0; b < ev->n_rej_blocks; b++)
            atomic_init(&ev->rej_blocks[b], NULL);
    }
    return EVM_OK;
}

/* Finishes the reader and hands over the events, or frees everything. */
static evm_status loader_end(loader_t *ld, evm_status st, evm_events_t **out,
                             evm_error_t *err)
{
    evm_events_t *ev = ld->ev;
    if (st == EVM_OK)
        st = evm_decoder_finish(ld->decoder, err);
    if (st == EVM_OK)
        st = evm_csv_reader_finish(ld->reader, err);
    if (st == EVM_OK && !ld->header_seen)
        st = evm_error_set(err, EVM_ERR_PARSE, ev->source, 0, 0,
                           "file is empty, expected a header row");
    if (st == EVM_OK) {
        ev->delimiter = ld->geo ? 0 : evm_csv_reader_delimiter(ld->reader);
        if (finalize(ev) != EVM_OK)
            st = evm_error_set(err, EVM_ERR_NOMEM, ev->source, 0, 0,
                               "out of memory");
    }
    loader_free(ld);
    if (st != EVM_OK) {
        evm_events_destroy(ev);
        return st;
    }
    *out = ev;
    return EVM_OK;
}

/* opt, or the defaults (in *defaults) when it is NULL; NULL, with err
 * set, when its version is not one this library knows. */
static const evm_csv_options_t *csv_options(const evm_csv_options_t *opt,
                                            evm_csv_options_t *defaults,
                                            evm_error_t *err)
{
    if (!opt) {
        evm_csv_options_init(defaults);
        return defaults;
    }
    return evm_options_check(opt->version, EVM_CSV_OPTIONS_VERSION,
                             "evm_csv_options", err)
               ? NULL
               : opt;
}

/* What a GeoJSON, KML or GPX file holds besides points: reported with
 * the rejected rows, so that nothing is dropped unsaid. */
static evm_status on_skip(void *user, unsigned long line, unsigned long col,
                          const char *reason, evm_error_t *err)
{
    loader_t *ld = user;
    evm_csv_field_t at = {"", 0, line, col};
    return reject(ld, &at, err, "%s", reason);
}

static evm_status load_geo(evm_input_kind kind, const char *name,
                           const void *data, size_t len,
                           const evm_csv_options_t *opt, evm_events_t **out,
                           evm_error_t *err)
{
    loader_t ld;
    evm_status st = loader_begin(&ld, name, opt, err);
    ld.geo = true;
    if (st == EVM_OK)
        st = evm_geo_records(kind, name, data, len, on_record, on_skip, &ld,
                             err);
    return loader_end(&ld, st, out, err);
}

evm_status evm_events_load_chunked(const char *display_name, const void *data,
                                   size_t len, size_t chunk_bytes,
                                   const evm_csv_options_t *opt,
                                   evm_events_t **out, evm_error_t *err)
{
    evm_csv_options_t defaults;
    if (!out || (!data && len))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no output or no data");
    *out = NULL;
    opt = csv_options(opt, &defaults, err);
    if (!opt)
        return EVM_ERR_INVALID_ARG;
    loader_t ld;
    const char *name = display_name ? display_name : "<memory>";
    evm_input_kind kind = evm_input_sniff(data, len < 4096 ? len : 4096);
    if (kind != EVM_INPUT_CSV)
        return load_geo(kind, name, data, len, opt, out, err);
    evm_status st = loader_begin(&ld, name, opt, err);
    const char *p = data;
    if (!chunk_bytes)
        chunk_bytes = len ? len : 1;
    for (size_t off = 0; st == EVM_OK && off < len; off += chunk_bytes) {
        size_t n = len - off < chunk_bytes ? len - off : chunk_bytes;
        st = evm_decoder_feed(ld.decoder, p + off, n, err);
    }
    return loader_end(&ld, st, out, err);
}

evm_status evm_events_load_memory(const char *display_name, const void *data,
                                  size_t len, const evm_csv_options_t *opt,
                                  evm_events_t **out, evm_error_t *err)
{
    return evm_events_load_chunked(display_name, data, len, 0, opt, out, err);
}

/* The rest of f after its first n bytes in first, into one buffer: for
 * the formats parsed whole. */
static evm_status read_rest(FILE *f, const char *name, const char *first,
                            size_t n, char **out, size_t *len, evm_error_t *err)
{
    size_t cap = n + FILE_CHUNK, got = n;
    char *buf = malloc(cap + 1);
    if (!buf)
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0, "out of memory");
    memcpy(buf, first, n);
    for (;;) {
        if (got == cap) {
            if (cap >= EVM_READ_FILE_DEFAULT_MAX) {
                free(buf);
                return evm_error_set(err, EVM_ERR_PARSE, name, 0, 0,
                                     "larger than 256 MiB, the limit for a "
                                     "GeoJSON, KML or GPX input");
            }
            char *b = realloc(buf, cap * 2 + 1);
            if (!b) {
                free(buf);
                return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0,
                                     "out of memory");
            }
            buf = b;
            cap *= 2;
        }
        size_t k = fread(buf + got, 1, cap - got, f);
        got += k;
        if (k == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        return evm_error_io(err, name, "cannot read", errno);
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return EVM_OK;
}

evm_status evm_events_load_stream(FILE *f, const char *display_name,
                                  const evm_csv_options_t *opt,
                                  evm_events_t **out, evm_error_t *err)
{
    evm_csv_options_t defaults;
    const char *name = display_name ? display_name : "<stdin>";
    if (!out || !f)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no stream or no output");
    *out = NULL;
    opt = csv_options(opt, &defaults, err);
    if (!opt)
        return EVM_ERR_INVALID_ARG;
    char *buf = malloc(FILE_CHUNK);
    if (!buf)
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0, "out of memory");
    /* The first block says what the input is. */
    size_t n = fread(buf, 1, FILE_CHUNK, f);
    evm_input_kind kind = evm_input_sniff(buf, n);
    if (kind != EVM_INPUT_CSV) {
        char *all = NULL;
        size_t len = 0;
        evm_status st = read_rest(f, name, buf, n, &all, &len, err);
        free(buf);
        if (st)
            return st;
        st = load_geo(kind, name, all, len, opt, out, err);
        free(all);
        return st;
    }
    loader_t ld;
    evm_status st = loader_begin(&ld, name, opt, err);
    if (st == EVM_OK && n)
        st = evm_decoder_feed(ld.decoder, buf, n, err);
    while (st == EVM_OK && n == FILE_CHUNK &&
           (n = fread(buf, 1, FILE_CHUNK, f)) > 0)
        st = evm_decoder_feed(ld.decoder, buf, n, err);
    if (st == EVM_OK && ferror(f))
        st = evm_error_io(err, name, "cannot read", errno);
    free(buf);
    return loader_end(&ld, st, out, err);
}

evm_status evm_events_load_file(const char *path, const evm_csv_options_t *opt,
                                evm_events_t **out, evm_error_t *err)
{
    if (!out || !path)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no path or no output");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return evm_error_io(err, path, "cannot open", errno);
    evm_status st = evm_events_load_stream(f, path, opt, out, err);
    fclose(f);
    return st;
}

/* ---- accessors -------------------------------------------------------- */

void evm_csv_options_init(evm_csv_options_t *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->version = EVM_CSV_OPTIONS_VERSION;
}

void evm_events_destroy(evm_events_t *ev)
{
    if (!ev)
        return;
    if (!ev->borrowed) {
        for (size_t i = 0; i < ev->n_cols; i++)
            free(ev->columns[i]);
        free(ev->columns);
        free(ev->text);
    }
    for (size_t b = 0; b < ev->n_rej_blocks; b++)
        free(atomic_load(&ev->rej_blocks[b]));
    free(ev->rej_blocks);
    free(ev->rej);
    free(ev->msgs);
    free(ev->ev);
    free(ev->row);
    free(ev->placed);
    free(ev->source);
    free(ev);
}

evm_status evm_events_subset(const evm_events_t *src, const size_t *idx,
                             size_t n, evm_events_t **out, evm_error_t *err)
{
    if (!out || !src || (n && !idx))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no source, no indices or no output");
    *out = NULL;
    for (size_t i = 0; i < n; i++)
        if (idx[i] >= src->n_ev)
            return evm_error_set(err, EVM_ERR_INVALID_ARG, src->source, 0, 0,
                                 "subset index %zu is not below the %zu "
                                 "events",
                                 idx[i], src->n_ev);
    evm_events_t *ev = calloc(1, sizeof *ev);
    if (!ev)
        goto nomem;
    ev->borrowed = true;
    if (!(ev->source = evm_strdup(src->source)))
        goto nomem;
    ev->delimiter = src->delimiter;
    ev->columns = src->columns;
    ev->n_cols = src->n_cols;
    memcpy(ev->role, src->role, sizeof ev->role);
    /* The arena does not move any more: the subset's row offsets and
     * event pointers stay valid as long as src lives. */
    ev->text = src->text;
    ev->text_len = ev->text_cap = src->text_len;
    if (n) {
        ev->ev = evm_alloc_array(n, sizeof *ev->ev);
        ev->row = evm_alloc_array(n, sizeof *ev->row);
        if (!ev->ev || !ev->row)
            goto nomem;
        if (src->placed) {
            if (!(ev->placed = malloc(n)))
                goto nomem;
            ev->cap_placed = n;
            for (size_t i = 0; i < n; i++)
                ev->placed[i] = placed_at(src, idx[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        ev->ev[i] = src->ev[idx[i]];
        ev->row[i] = src->row[idx[i]];
    }
    ev->n_ev = ev->cap_ev = ev->cap_row = n;
    ev->rows_read = src->rows_read;
    ev->filtered = src->filtered + (src->n_ev - n);
    *out = ev;
    return EVM_OK;
nomem:
    evm_events_destroy(ev);
    return evm_error_set(err, EVM_ERR_NOMEM, src->source, 0, 0,
                         "out of memory");
}

size_t evm_events_placed_count(const evm_events_t *ev, evm_place_source source)
{
    size_t n = 0;
    for (size_t i = 0; ev && i < ev->n_ev; i++)
        n += placed_at(ev, i) == 1 + (unsigned)source;
    return n;
}

size_t evm_events_count(const evm_events_t *ev)
{
    return ev ? ev->n_ev : 0;
}

const evm_event_t *evm_events_get(const evm_events_t *ev, size_t i)
{
    return ev && i < ev->n_ev ? &ev->ev[i] : NULL;
}

size_t evm_events_column_count(const evm_events_t *ev)
{
    return ev ? ev->n_cols : 0;
}

const char *evm_events_column_name(const evm_events_t *ev, size_t column)
{
    return ev && column < ev->n_cols ? ev->columns[column] : NULL;
}

long evm_events_role_column(const evm_events_t *ev, evm_role role)
{
    if (!ev || (int)role < 0 || role >= EVM_ROLE_COUNT)
        return -1;
    return ev->role[role];
}

const char *evm_events_value(const evm_events_t *ev, size_t i, size_t column)
{
    if (!ev || i >= ev->n_ev || column >= ev->n_cols)
        return "";
    return row_cell(ev, i, column);
}

void evm_events_row(const evm_events_t *ev, size_t i, const char **cells)
{
    if (!ev)
        return;
    const char *p = i < ev->n_ev ? ev->text + ev->row[i] : NULL;
    for (size_t c = 0; c < ev->n_cols; c++) {
        cells[c] = p ? p : "";
        if (p)
            p += strlen(p) + 1;
    }
}

size_t evm_events_rows_read(const evm_events_t *ev)
{
    return ev ? ev->rows_read : 0;
}

size_t evm_events_filtered_count(const evm_events_t *ev)
{
    return ev ? ev->filtered : 0;
}

size_t evm_events_rejected_count(const evm_events_t *ev)
{
    return ev ? ev->n_rej : 0;
}

const evm_error_t *evm_events_rejected(const evm_events_t *ev, size_t i)
{
    if (!ev || i >= ev->n_rej)
        return NULL;
    size_t b = i / REJECT_BLOCK;
    evm_error_t *blk =
        atomic_load_explicit(&ev->rej_blocks[b], memory_order_acquire);
    if (!blk) {
        size_t first = b * REJECT_BLOCK;
        size_t n =
            ev->n_rej - first < REJECT_BLOCK ? ev->n_rej - first : REJECT_BLOCK;
        evm_error_t *mine = calloc(n, sizeof *mine);
        if (!mine)
            return NULL;
        for (size_t k = 0; k < n; k++) {
            const reject_t *r = &ev->rej[first + k];
            evm_error_set(&mine[k], EVM_ERR_PARSE, ev->source, r->line,
                          r->column, "%s", ev->msgs + r->msg_off);
        }
        evm_error_t *expected = NULL;
        if (atomic_compare_exchange_strong_explicit(
                &ev->rej_blocks[b], &expected, mine, memory_order_acq_rel,
                memory_order_acquire)) {
            blk = mine;
        } else { /* another thread was first */
            free(mine);
            blk = expected;
        }
    }
    return &blk[i % REJECT_BLOCK];
}

char evm_events_delimiter(const evm_events_t *ev)
{
    return ev ? ev->delimiter : 0;
}

const char *evm_events_source(const evm_events_t *ev)
{
    return ev ? ev->source : NULL;
}

/* ---- finding an event by name ---------------------------------------- */

static evm_status not_found(const evm_events_t *ev, const char *name,
                            evm_error_t *err)
{
    char snip[SNIPPET_BYTES * 2 + 8];
    snippet(snip, sizeof snip, name);
    if (ev->role[EVM_ROLE_NAME] < 0)
        return evm_error_set(err, EVM_ERR_NOT_FOUND, ev->source, 0, 0,
                             "no event is named \"%s\" (the file has no "
                             "name column)",
                             snip);
    evm_name_best_t best = {0};
    size_t limit = evm_name_limit(name);
    for (size_t i = 0; i < ev->n_ev; i++) {
        if (!ev->ev[i].name[0])
            continue;
        size_t d = evm_name_distance(name, ev->ev[i].name, limit);
        if (d > limit)
            continue;
        bool dup = false;
        for (size_t k = 0; k < best.n && !dup; k++)
            dup = strcmp(ev->ev[best.index[k]].name, ev->ev[i].name) == 0;
        /* Ties keep file order. */
        if (!dup)
            evm_name_best_offer(&best, i, d);
    }
    if (best.n == 0)
        return evm_error_set(err, EVM_ERR_NOT_FOUND, ev->source, 0, 0,
                             "no event is named \"%s\"", snip);
    char list[EVM_NAME_SUGGEST * (SNIPPET_BYTES * 2 + 8) + 32] = "";
    for (size_t k = 0; k < best.n; k++) {
        char s[SNIPPET_BYTES * 2 + 8];
        snippet(s, sizeof s, ev->ev[best.index[k]].name);
        const char *sep = k == 0 ? "" : k + 1 == best.n ? " or " : ", ";
        size_t o = strlen(list);
        snprintf(list + o, sizeof list - o, "%s\"%s\"", sep, s);
    }
    return evm_error_set(err, EVM_ERR_NOT_FOUND, ev->source, 0, 0,
                         "no event is named \"%s\"; did you mean %s?", snip,
                         list);
}

evm_status evm_events_find(const evm_events_t *ev, const char *name,
                           size_t *index, evm_error_t *err)
{
    if (!ev || !name)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no events or no name");
    for (int pass = 0; pass < 2; pass++) {
        size_t count = 0, first = 0;
        unsigned long lines[LIST_LINES];
        for (size_t i = 0; i < ev->n_ev; i++) {
            const char *n = ev->ev[i].name;
            if (pass == 0 ? strcmp(n, name) != 0 : !eq_fold(n, name))
                continue;
            if (count < LIST_LINES)
                lines[count] = ev->ev[i].line;
            if (count++ == 0)
                first = i;
        }
        if (count == 1) {
            if (index)
                *index = first;
            return EVM_OK;
        }
        if (count == 0)
            continue;
        char list[LIST_LINES * 24 + 8] = "";
        size_t shown = count < LIST_LINES ? count : LIST_LINES;
        for (size_t k = 0; k < shown; k++) {
            size_t o = strlen(list);
            const char *sep = k == 0                             ? ""
                              : k + 1 == shown && count == shown ? " and "
                                                                 : ", ";
            snprintf(list + o, sizeof list - o, "%s%lu", sep, lines[k]);
        }
        if (count > shown)
            strcat(list, ", ...");
        char snip[SNIPPET_BYTES * 2 + 8];
        snippet(snip, sizeof snip, name);
        return evm_error_set(err, EVM_ERR_INVALID_ARG, ev->source, 0, 0,
                             "name \"%s\" matches %zu events (lines %s)", snip,
                             count, list);
    }
    return not_found(ev, name, err);
}
