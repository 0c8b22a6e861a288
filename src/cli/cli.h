/* Shared pieces of the evmap command line: option parsing, messages and
 * exit codes. The CLI uses only the public libevmap API. */
#ifndef EVM_CLI_H
#define EVM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <evmap/evmap.h>

/* Exit codes, documented in README.md and `evmap --help`. */
enum {
    EVM_EXIT_OK = 0,
    EVM_EXIT_DATA = 1,  /* bad input data: rows, files, names */
    EVM_EXIT_USAGE = 2, /* bad command line */
    EVM_EXIT_OUTPUT = 3 /* output could not be produced or written */
};

/* Where an option's value goes (see options.c, "How to add an option"). */
typedef enum cli_setter {
    CLI_OWN = 0, /* read by the command's own code with cli_find */
    CLI_MAP,     /* evm_map_options_set(key, value) */
    CLI_RENDER,  /* evm_render_options_set(key, value) */
    CLI_LINES,   /* evm_map_distance_opts_set(key, value): names places */
    CLI_CSV      /* evm_csv_options_t, through cli_csv_options */
} cli_setter;

enum {
    CLI_REPEAT = 1 << 0, /* may be given several times, every value kept */
    CLI_CELL = 1 << 1    /* batch: also a jobs-file column (CLI_MAP,
                            CLI_RENDER and CLI_LINES rows always are) */
};

/* One row of an option table. A flag (arg NULL) takes no value; the
 * library setters get "" for it. */
typedef struct cli_option {
    const char *name;  /* long name without dashes */
    char short_name;   /* or 0 */
    const char *arg;   /* the value's name in help ("FILE"); NULL: a flag */
    const char *group; /* help heading */
    cli_setter setter;
    const char *key; /* the library key; NULL: name */
    unsigned flags;  /* CLI_REPEAT, CLI_CELL */
    const char *help;
    const char *values; /* the accepted values, space-separated, for
                           completion ("png svg pdf"), or NULL */
} cli_option_t;

/* Rows shared by several commands are kept in one array each; a command
 * lists its arrays, ended by {NULL, 0}. An option several commands take
 * is one row, which each lists under the help heading of its own choice
 * (group, NULL: the rows' own). */
typedef struct cli_section {
    const cli_option_t *rows;
    size_t n_rows;
    const char *group;
} cli_section_t;
#define CLI_SECTION(rows)                                                      \
    {                                                                          \
        rows, sizeof rows / sizeof rows[0], NULL                               \
    }
#define CLI_SECTION_IN(rows, heading)                                          \
    {                                                                          \
        rows, sizeof rows / sizeof rows[0], heading                            \
    }

struct cli_args;

/* Runs a command on its parsed options (main parses them from the
 * command's table and frees them after); returns the exit code. */
typedef int cli_run_fn(struct cli_args *args);

typedef struct cli_command {
    const char *name;
    cli_run_fn *run;
    const char *summary;     /* one line: `evmap --help`, man NAME */
    const char *synopsis;    /* usage lines, separated by '\n' */
    const char *description; /* a paragraph */
    const char *epilog;      /* after the options, or NULL */
    const cli_section_t *sections;
} cli_command_t;

extern const cli_command_t cli_cmd_render, cli_cmd_batch, cli_cmd_dist,
    cli_cmd_routes, cli_cmd_info, cli_cmd_geocode, cli_cmd_convert,
    cli_cmd_help;
/* Every command, NULL-terminated. */
extern const cli_command_t *const cli_commands[];

/* The key an option gives its library setter or a batch: key or name. */
const char *cli_option_key(const cli_option_t *o);
/* Whether o is a jobs-file column of batch. */
bool cli_option_is_cell(const cli_option_t *o);

/* One option as parsed: the values of a repeatable option are all kept,
 * others keep one (given twice is a usage error). */
typedef struct cli_opt {
    const cli_option_t *def;
    bool seen;
    const char *value;
    const char **values;
    size_t n_values;
} cli_opt_t;

typedef struct cli_args {
    const cli_command_t *cmd;
    cli_opt_t *opts; /* one per row of cmd's table, in table order */
    size_t n_opts;
    const char **pos; /* positional arguments */
    size_t n_pos;
} cli_args_t;

/* Parses argv against cmd's table: "--name value", "--name=value", "-o
 * value", "--" ends options, "-" alone is positional. Returns true when
 * the command should go on; false after printing the help (*rc 0) or a
 * usage error (*rc EVM_EXIT_USAGE), with args freed. Free args with
 * cli_args_free after a true return. */
bool cli_parse(const cli_command_t *cmd, int argc, char **argv,
               cli_args_t *args, int *rc);
/* The parsed option named name, which must be in the command's table. */
cli_opt_t *cli_find(cli_args_t *args, const char *name);
/* The one positional argument of a command that reads one file, or NULL
 * after a usage error naming what (e.g. "the events file") as missing,
 * or saying that it comes alone. */
const char *cli_one_file(const cli_args_t *args, const char *what);
/* The same in a command, whose parsed options are its parameter args. */
#define OPT(name) cli_find(args, name)
void cli_args_free(cli_args_t *args);

/* Sets every CLI_MAP option given into mo and every CLI_RENDER option
 * into ro (either may be NULL to check only), through the library's
 * setters. Returns EVM_EXIT_OK, or EVM_EXIT_USAGE after printing the
 * setter's message. */
int cli_set_options(cli_args_t *args, evm_map_options_t *mo,
                    evm_render_options_t *ro);

/* `evmap COMMAND --help`. */
void cli_print_help(const cli_command_t *cmd, FILE *f);
/* `evmap help ...`: the man pages, completions and docs option lists. */
cli_run_fn cli_help;

/* The default map title for an events file: its name without the
 * extension, with the folder in front when the name says little
 * ("korea-russia-2023: events"). */
void cli_default_title(const char *path, char *buf, size_t cap);

/* Prints "evmap: file:line:col: message" for an error. */
void cli_print_error(const evm_error_t *err);
void cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints "evmap: " and the formatted line on stderr, with control
 * characters made visible as in every message (evm_text_escape). */
void cli_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --max-input-mb in bytes, or 0 when not given; -1 (after printing) on
 * a bad value. */
long long cli_max_input_bytes(cli_args_t *args);

/* CSV loading options shared by subcommands: fills o from the parsed
 * options, with the gazetteer of --geocode/--places (but for batch,
 * which makes its own: cli_gazetteer_options); returns false (after
 * printing) on a bad value. */
bool cli_csv_options(cli_args_t *args, evm_csv_options_t *o);
/* The gazetteer --places and --geodata describe, into go; whether the
 * command line asks for places by name (--geocode or --places). */
bool cli_gazetteer_options(cli_args_t *args, evm_gazetteer_options_t *go);
/* Frees what cli_csv_options made (the gazetteer of --geocode). */
void cli_csv_options_free(evm_csv_options_t *o);
/* The place lookup the options give: ev, then coordinates, then the
 * gazetteer of --geocode/--places with --country, warnings printed. */
evm_place_lookup_t cli_place_lookup(const evm_csv_options_t *o,
                                    const evm_events_t *ev);
/* Prints "evmap: warning: file:line:col: message"; an evm_warning_fn. */
void cli_print_warning(void *closure, const evm_error_t *w);

/* --jobs (which args must hold) into *threads, left as it is when not
 * given. Returns false after printing a usage error for cmd on a value
 * outside 1..1024. */
bool cli_jobs(cli_args_t *args, const char *cmd, unsigned *threads);

/* Reads --format and --units (which args must hold) into *format and
 * *units, left as they are for an option not given. Returns false after
 * printing a usage error on a bad value. */
bool cli_table_output(cli_args_t *args, evm_dist_format *format,
                      evm_units *units);

/* An evm_write_fn writing to standard output; closure is unused. */
evm_status cli_write_stdout(void *closure, const unsigned char *data,
                            size_t len);
/* Flushes standard output. Returns rc; when the flush fails, says so and
 * returns EVM_EXIT_OUTPUT unless rc already holds an error (the first
 * one wins). */
int cli_flush_stdout(int rc);

/* Loads events and prints every rejected row. Returns EVM_EXIT_OK, or an
 * exit code after printing; with skip_invalid false, rejected rows fail
 * the command. */
/* When events holds no event: prints one line naming the file and why
 * (only a header; the filter kept 0 of N rows; no valid row) and returns
 * true. */
bool cli_explain_no_events(const evm_events_t *events);

int cli_load_events(const char *path, const evm_csv_options_t *o,
                    bool skip_invalid, evm_events_t **out);

/* Prints what the scene does not show: a warning per event not drawn
 * ("events.csv:12: warning: event \"X\" not drawn: ...") and their
 * count; labels not drawn in one summary line ("21 of 60 labels omitted
 * for lack of room; --verbose lists them"), or one line each when
 * verbose, or not at all when quiet; events outside a chosen extent only
 * as a count. Returns how many events and labels are not drawn (those
 * outside a chosen extent not counted), for --strict. */
size_t cli_report_omissions(const evm_scene_t *scene, const evm_events_t *ev,
                            bool verbose, bool quiet);

/* Resolves an event name (exact, then case-insensitive) or inline
 * "lat,lon" into *out (whose name is borrowed from ev or text); *event
 * gets the event's index or (size_t)-1 for coordinates (may be NULL).
 * Returns EVM_EXIT_OK, or EVM_EXIT_DATA with the reason in err. */
int cli_resolve_place(const evm_place_lookup_t *lk, const char *text,
                      evm_place_t *out, size_t *event, evm_error_t *err);

/* What the distance-line options of render allocate. */
typedef struct cli_distances {
    evm_map_distance_opts_t *d;
} cli_distances_t;

/* Reads the CLI_LINES options (--distance, --border-distance, ...) in
 * table order through evm_map_distance_opts_set, resolving their places against
 * ev, and points mo at the result, kept in *keep until cli_distances_free.
 * Returns an exit code after printing the reason, or EVM_EXIT_OK. */
int cli_distance_options(cli_args_t *args, const evm_place_lookup_t *lk,
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

/* The commands, one file each (render.c, info.c, ...). */
cli_run_fn cli_render, cli_info, cli_convert, cli_dist, cli_batch, cli_routes,
    cli_geocode;

/* ---- Slurm job arrays (slurm.c) ---- */

/* Looks up an environment variable; NULL when it is not set. */
typedef const char *(*cli_getenv_fn)(void *user, const char *name);

/* The shard of a Slurm job array task. *found is false (and EVM_OK
 * returned) when SLURM_ARRAY_TASK_ID is not set. Otherwise
 * SLURM_ARRAY_TASK_COUNT must be set and the array ids must form a
 * regular range: with SLURM_ARRAY_TASK_MIN, _MAX and _STEP (step 1 when
 * absent) the ids are MIN, MIN+STEP, ... MAX, their number must be COUNT,
 * and the task's shard is (ID - MIN) / STEP; without MIN and MAX the id
 * itself must be in 0 <= ID < COUNT. Anything else (`--array=1,5,7`, a
 * missing count, an id outside the range) is EVM_ERR_INVALID_ARG with a
 * message saying what to pass instead, so that no task of an array
 * silently renders the wrong part. getenv_fn lets tests give a table;
 * pass a wrapper of getenv(3) in a program. */
evm_status cli_shard_from_slurm(cli_getenv_fn getenv_fn, void *user,
                                evm_shard_t *out, bool *found,
                                evm_error_t *err);

#endif
