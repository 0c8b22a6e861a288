/* Shared pieces of the evmap command line: option parsing, messages and
 * exit codes. The CLI uses only the public libevmap API. */
#ifndef EVM_CLI_H
#define EVM_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/evmap.h>

/* Exit codes, documented in README.md and `evmap --help`. */
enum {
    EVM_EXIT_OK = 0,
    EVM_EXIT_DATA = 1,  /* bad input data: rows, files, names */
    EVM_EXIT_USAGE = 2, /* bad command line */
    EVM_EXIT_OUTPUT = 3 /* output could not be produced or written */
};

/* One option of a subcommand. Flags take no value; values are kept as
 * given; repeatable options collect every value. */
typedef struct cli_opt {
    const char *name; /* long name without dashes */
    char short_name;  /* or 0 */
    bool takes_value;
    bool repeatable;
    /* filled by parsing */
    bool seen;
    const char *value;
    const char **values;
    size_t n_values;
} cli_opt_t;

/* Parses argv into opts and positional arguments. Prints a usage error
 * and returns false on an unknown option or a missing value. */
bool cli_parse(const char *cmd, int argc, char **argv, cli_opt_t *opts,
               size_t n_opts, const char ***positional, size_t *n_pos);
cli_opt_t *cli_find(cli_opt_t *opts, size_t n_opts, const char *name);
void cli_free(cli_opt_t *opts, size_t n_opts, const char **positional);

/* The default map title for an events file: its name without the
 * extension, with the folder in front when the name says little
 * ("korea-russia-2023: events"). */
void cli_default_title(const char *path, char *buf, size_t cap);

/* Prints "evmap: file:line:col: message" for an error. */
void cli_print_error(const evm_error_t *err);
void cli_usage_error(const char *cmd, const char *fmt, ...);

/* CSV loading options shared by subcommands: fills o from the parsed
 * options; returns false (after printing) on a bad value. */
bool cli_csv_options(cli_opt_t *opts, size_t n_opts, evm_csv_options_t *o);
/* The option rows every command reading events accepts. */
#define CLI_CSV_OPTS                                                           \
    {"name-col", 0, true, false, false, NULL, NULL, 0},                        \
        {"lat-col", 0, true, false, false, NULL, NULL, 0},                     \
        {"lon-col", 0, true, false, false, NULL, NULL, 0},                     \
        {"kind-col", 0, true, false, false, NULL, NULL, 0},                    \
        {"date-col", 0, true, false, false, NULL, NULL, 0},                    \
        {"delimiter", 0, true, false, false, NULL, NULL, 0},                   \
        {"strict", 0, false, false, false, NULL, NULL, 0},                     \
        {"decimal-comma", 0, false, false, false, NULL, NULL, 0},              \
        {"where", 0, true, true, false, NULL, NULL, 0},                        \
        {"since", 0, true, false, false, NULL, NULL, 0},                       \
        {"until", 0, true, false, false, NULL, NULL, 0},                       \
    {                                                                          \
        "skip-invalid", 0, false, false, false, NULL, NULL, 0                  \
    }

/* The map options `render` and `batch` share (batch also reads them as
 * jobs-file columns). */
#define CLI_MAP_OPTS                                                           \
    {"output", 'o', true, false, false, NULL, NULL, 0},                        \
        {"format", 0, true, false, false, NULL, NULL, 0},                      \
        {"size", 0, true, false, false, NULL, NULL, 0},                        \
        {"dpi", 0, true, false, false, NULL, NULL, 0},                         \
        {"title", 0, true, false, false, NULL, NULL, 0},                       \
        {"subtitle", 0, true, false, false, NULL, NULL, 0},                    \
        {"source", 0, true, false, false, NULL, NULL, 0},                      \
        {"proj", 0, true, false, false, NULL, NULL, 0},                        \
        {"extent", 0, true, false, false, NULL, NULL, 0},                      \
        {"basemap", 0, true, false, false, NULL, NULL, 0},                     \
        {"units", 0, true, false, false, NULL, NULL, 0},                       \
        {"font", 0, true, false, false, NULL, NULL, 0},                        \
        {"geodata", 0, true, false, false, NULL, NULL, 0},                     \
        {"no-graticule", 0, false, false, false, NULL, NULL, 0},               \
        {"no-legend", 0, false, false, false, NULL, NULL, 0},                  \
        {"no-scale-bar", 0, false, false, false, NULL, NULL, 0},               \
        {"no-labels", 0, false, false, false, NULL, NULL, 0},                  \
        {"label-col", 0, true, false, false, NULL, NULL, 0},                   \
        {"label-priority", 0, true, false, false, NULL, NULL, 0},              \
        {"svg-engine", 0, true, false, false, NULL, NULL, 0},                  \
        {"pdf-engine", 0, true, false, false, NULL, NULL, 0},                  \
        {"precision", 0, true, false, false, NULL, NULL, 0},                   \
        {"distance", 0, true, true, false, NULL, NULL, 0},                     \
        {"border-distance", 0, true, true, false, NULL, NULL, 0},              \
        {"land-border-only", 0, false, false, false, NULL, NULL, 0},           \
        {"links", 0, true, false, false, NULL, NULL, 0},                       \
        {"routes", 0, true, false, false, NULL, NULL, 0},                      \
        {"route-style", 0, true, true, false, NULL, NULL, 0},                  \
        {"route-styles", 0, true, false, false, NULL, NULL, 0},                \
    {                                                                          \
        "route-dates", 0, true, false, false, NULL, NULL, 0                    \
    }

/* The option rows of the commands that print tables. */
#define CLI_TABLE_OPTS                                                         \
    {"format", 0, true, false, false, NULL, NULL, 0},                          \
    {                                                                          \
        "units", 0, true, false, false, NULL, NULL, 0                          \
    }

/* Reads --format and --units (which opts must hold, see CLI_TABLE_OPTS)
 * into *format and *units, left as they are for an option not given.
 * Returns false after printing a usage error for cmd on a bad value. */
bool cli_table_output(cli_opt_t *opts, size_t n_opts, const char *cmd,
                      evm_dist_format *format, evm_units *units);

/* An evm_write_fn writing to standard output; closure is unused. */
evm_status cli_write_stdout(void *closure, const unsigned char *data,
                            size_t len);

/* Loads events and prints every rejected row. Returns EVM_EXIT_OK, or an
 * exit code after printing; with skip_invalid false, rejected rows fail
 * the command. */
int cli_load_events(const char *path, const evm_csv_options_t *o,
                    bool skip_invalid, evm_events_t **out);

/* Resolves an event name (exact, then case-insensitive) or inline
 * "lat,lon" into *out (whose name is borrowed from ev or text); *event
 * gets the event's index or (size_t)-1 for coordinates (may be NULL).
 * Returns EVM_EXIT_OK, or EVM_EXIT_DATA with the reason in err. */
int cli_resolve_place(const evm_events_t *ev, const char *text,
                      evm_place_t *out, size_t *event, evm_error_t *err);

/* What the distance-line options of render allocate. */
typedef struct cli_distances {
    evm_map_distance_opts_t *d;
} cli_distances_t;

/* Reads --distance, --border-distance, --land-border-only, --links,
 * --routes, --route-styles and --route-style (which opts must hold) through
 * evm_map_distance_opts_set, resolving their places against ev, and points mo
 * at the result, kept in *keep until cli_distances_free. Returns an exit code
 * after printing the reason, or EVM_EXIT_OK. */
int cli_distance_options(cli_opt_t *opts, size_t n_opts, const evm_events_t *ev,
                         evm_map_options_t *mo, cli_distances_t *keep);
void cli_distances_free(cli_distances_t *keep);

/* Signals (signals.c): SIGINT, SIGTERM and SIGHUP end a command at once
 * unless it defers them; a deferring command sees the signal through
 * cli_signal() and cli_cancelled (an evm_cancel_fn for the library),
 * stops, cleans up and returns cli_signal_exit(). fn, when not NULL, is
 * called from the handler (it must be async-signal-safe). A second signal
 * ends the process at once. */
void cli_signals_install(void);
void cli_signals_defer(void (*fn)(void *user), void *user);
int cli_signal(void); /* the first signal received, or 0 */
bool cli_cancelled(void *user);
/* Prints "evmap CMD: interrupted by SIGTERM; WHAT" (what may be NULL)
 * and returns the exit code, 128 + the signal's number. */
int cli_signal_exit(const char *cmd, const char *what);

int cli_render(int argc, char **argv);
int cli_info(int argc, char **argv);
int cli_dist(int argc, char **argv);
int cli_batch(int argc, char **argv);
int cli_routes(int argc, char **argv);

#endif
