/* Batch map generation: many maps from one job list, in parallel, and
 * shardable across machines.
 *
 * A batch is a list of jobs, each one map. Jobs come from a jobs file
 * (a CSV file whose columns are named after `evmap render` options
 * without their dashes, one row per map), or are generated: one map per
 * event, or one frame per day or week of dated events. A setting a job
 * leaves empty falls back to the batch's defaults (the command line),
 * then to the built-in default.
 *
 * evm_batch_run renders the jobs on N worker threads. Base map data is
 * loaded once and shared read-only; an events file is loaded once per
 * geocode setting, by evm_batch_prepare or by the first job that needs
 * it (see evm_batch_prepare), and shared read-only by its jobs; each
 * worker owns one evm_context_t (one PROJ context). A
 * map's bytes do not depend on the number of threads or on which thread
 * drew it. Every map is written atomically (see render.h), so an
 * interrupted batch leaves no partial file.
 *
 * Ownership: the batch owns everything added to it and copies every
 * string it is given. Reports passed to the callback are borrowed for the
 * call. */
#ifndef EVMAP_BATCH_H
#define EVMAP_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "events.h"
#include "export.h"
#include "gazetteer.h"
#include "geodata.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evm_batch evm_batch_t;

/* ---- shards ----------------------------------------------------------- */

/* Shard `index` of `count` renders the jobs whose 0-based position in the
 * whole batch is index modulo count: every count-th job starting at
 * index. {0, 1} is the whole batch. */
typedef struct evm_shard {
    unsigned long index; /* < count */
    unsigned long count; /* >= 1 */
} evm_shard_t;

/* Parses "K/N" (0 <= K < N, decimal). EVM_ERR_INVALID_ARG otherwise. */
EVM_API evm_status evm_shard_parse(const char *text, evm_shard_t *out,
                                   evm_error_t *err);

/* ---- building a batch ------------------------------------------------- */

EVM_API evm_status evm_batch_create(evm_batch_t **out, evm_error_t *err);
/* Frees; NULL is a no-op. */
EVM_API void evm_batch_destroy(evm_batch_t *batch);

/* How events files are read (columns, delimiter; the filters in it are
 * ignored: set where/since/until as defaults or per job), and whether
 * invalid rows are skipped (true) or make every map using the file fail
 * (false, the default). Set before adding jobs. opt is copied, except
 * its gazetteer, country and warn closure (places by name), which are
 * borrowed and must outlive the batch; warn may be called from several
 * threads at once. A gazetteer given here is the one the jobs that
 * geocode use, and makes geocode default to yes; without one, the
 * batch makes its own (evm_batch_set_gazetteer_options). */
EVM_API evm_status evm_batch_set_csv_options(evm_batch_t *batch,
                                             const evm_csv_options_t *opt,
                                             bool skip_invalid,
                                             evm_error_t *err);

/* The gazetteer of the jobs whose `geocode` key is yes (a jobs-file
 * column, or the default): made from opt (copied; NULL: the defaults of
 * evm_gazetteer_options_init) by the first map that loads events with
 * it, once, and shared by the workers; a batch in which no job geocodes
 * never reads the place data. An events file is read once per geocode
 * setting, so two jobs over one file, one geocoding and one not, each
 * get their own load: the second's rows without coordinates are
 * rejected rows (see evm_batch_events_rejected). Not needed when
 * evm_batch_set_csv_options was given a gazetteer. If the gazetteer
 * cannot be made (an unreadable places file), every map that geocodes
 * fails with that error. Call before evm_batch_prepare. */
EVM_API evm_status evm_batch_set_gazetteer_options(
    evm_batch_t *batch, const evm_gazetteer_options_t *opt, evm_error_t *err);

/* Sets a default: what a job uses when it leaves key empty. Keys are the
 * job keys listed at evm_batch_has_key; a later call for the same key
 * replaces the value ("where" takes several filters separated by ';'). */
EVM_API evm_status evm_batch_set_default(evm_batch_t *batch, const char *key,
                                         const char *value, evm_error_t *err);

/* Whether key is a job key: every key of evm_map_options_set
 * (evm_map_options_key), of evm_render_options_set
 * (evm_render_options_key) and of evm_map_distance_opts_set (distance,
 * border-distance, land-border-only, links, routes, route-styles,
 * route-style), and output, format, events, where, since, until, center,
 * radius_km ('_' and '-' are the same, case is ignored). A key added to
 * one of the library's setters is a job key too. distance,
 * border-distance and route-style take several
 * values separated by ';' (blanks around each are ignored); their places
 * are resolved against the job's events after its filters, and a place
 * that does not resolve fails that map alone. */
EVM_API bool evm_batch_has_key(const char *key);

/* Appends one job per data row of a jobs file: a header row naming job
 * keys (an unknown or repeated name is an error at its line and column),
 * then rows whose non-empty cells override the defaults. Errors of the
 * file as a whole (I/O, malformed CSV, bad header) are returned; a bad
 * value in a row only fails that row's map when it runs, reported as
 * "JOBS.csv:LINE: message". display_name names the file in messages
 * (NULL: path). */
EVM_API evm_status evm_batch_add_jobs_file(evm_batch_t *batch, const char *path,
                                           const char *display_name,
                                           evm_error_t *err);
/* Jobs from a stream (standard input for the CLI's "-"), read to its
 * end; relative paths in it are taken from the current folder. The
 * stream stays the caller's. */
EVM_API evm_status evm_batch_add_jobs_stream(evm_batch_t *batch, FILE *stream,
                                             const char *display_name,
                                             evm_error_t *err);
EVM_API evm_status evm_batch_add_jobs_memory(evm_batch_t *batch,
                                             const char *display_name,
                                             const void *data, size_t len,
                                             evm_error_t *err);

/* Appends one job per event of events_path (after the default
 * where/since/until filters): a map centred on the event showing
 * radius_km around it (default 500 km) with every event in view, titled
 * with the event's name unless a title is set. output_pattern may hold
 * placeholders (see evm_batch_expand). */
EVM_API evm_status evm_batch_add_each_event(evm_batch_t *batch,
                                            const char *events_path,
                                            const char *output_pattern,
                                            evm_error_t *err);

typedef enum evm_frames {
    EVM_FRAMES_DAILY = 0, /* UTC days */
    EVM_FRAMES_WEEKLY     /* ISO weeks, Monday to Sunday, UTC */
} evm_frames;

/* "daily" or "weekly"; EVM_ERR_INVALID_ARG otherwise. */
EVM_API evm_status evm_frames_parse(const char *text, evm_frames *out);

/* Appends one job per period from the first to the last dated event of
 * events_path (after the default filters): each frame shows the events
 * dated up to the period's end (cumulative), or, with window, only those
 * within the period. Every frame has the same extent (that of all the
 * dated events, unless extent or center is set) so that the frames make
 * an animation; undated events are left out; the subtitle defaults to
 * the period ("2023-09-13", "week of 2023-09-11"). At most 100000
 * frames. */
EVM_API evm_status evm_batch_add_frames(evm_batch_t *batch,
                                        const char *events_path,
                                        evm_frames period, bool window,
                                        const char *output_pattern,
                                        evm_error_t *err);

/* Roots every job's output in folder dir: a relative output (as written
 * in a jobs file or pattern, after expansion) becomes "dir/output"; an
 * absolute output, or one whose ".." components climb out of dir, fails
 * that job with EVM_ERR_INVALID_ARG naming it. dir NULL: outputs are
 * paths as written, relative to the current folder (the default). The
 * check is on the text; symbolic links inside dir are followed. Call
 * before evm_batch_prepare. */
EVM_API evm_status evm_batch_set_out_dir(evm_batch_t *batch, const char *dir,
                                         evm_error_t *err);

/* The stream an events path of "-" reads (the CLI gives standard
 * input): read whole on first use, as "<stdin>" in messages, and shared
 * by every job that names "-". NULL (the default): "-" is a file of that
 * name. The stream stays the caller's. Call before evm_batch_prepare. */
EVM_API evm_status evm_batch_set_events_stream(evm_batch_t *batch, FILE *stream,
                                               evm_error_t *err);

/* Jobs in the batch. */
EVM_API size_t evm_batch_count(const evm_batch_t *batch);

/* Finds every events file the jobs name (each once), expands every
 * job's output name and checks that no two jobs write the same file.
 * The default events file, and a file whose jobs' output names use its
 * events ({name}, {id}, {kind}, {date}), are loaded here and kept; any
 * other is loaded by evm_batch_run when the first job that uses it runs,
 * shared by the jobs that use it, and freed when none left to run does,
 * so that a batch over many files holds only those in use.
 * Call once, after adding jobs and before evm_batch_run or
 * evm_batch_output. Fails only when the batch as a whole cannot run (the
 * default events file is unreadable, out of memory); problems of single
 * jobs are kept and reported when those jobs run. */
EVM_API evm_status evm_batch_prepare(evm_batch_t *batch, evm_error_t *err);

/* The events files of the batch, one per path and geocode setting;
 * evm_batch_events_file gives file i's events when evm_batch_prepare
 * loaded them, NULL for a file that could not be read or that is loaded
 * only while its jobs run. Borrowed for the batch's lifetime. */
EVM_API size_t evm_batch_events_file_count(const evm_batch_t *batch);
EVM_API const evm_events_t *evm_batch_events_file(const evm_batch_t *batch,
                                                  size_t i);
/* File i's path as the jobs name it, and whether it is read with the
 * gazetteer (its jobs geocode). NULL and false for no such file. */
EVM_API const char *evm_batch_events_file_path(const evm_batch_t *batch,
                                               size_t i);
EVM_API bool evm_batch_events_file_geocoded(const evm_batch_t *batch, size_t i);

/* The rejected rows of events file i (see evm_events_rejected): after
 * evm_batch_prepare for a file it loaded, after evm_batch_run for one
 * loaded while its jobs ran (kept when the file is freed). 0 and NULL
 * otherwise. Borrowed for the batch's lifetime; not during a run. */
EVM_API size_t evm_batch_events_rejected_count(const evm_batch_t *batch,
                                               size_t i);
EVM_API const evm_error_t *evm_batch_events_rejected(const evm_batch_t *batch,
                                                     size_t i, size_t k);

/* After evm_batch_prepare: job i's output file, or NULL when it could not
 * be expanded (the job will fail). Borrowed for the batch's lifetime. */
EVM_API const char *evm_batch_output(const evm_batch_t *batch, size_t i);

/* Expands placeholders in pattern: {name}, {kind}, {date} and {id} of
 * the job's event ({id} is the event's `id` cell when the file has an id
 * column, else its 1-based position in the file), {date} of a frame (the
 * period's first day, YYYY-MM-DD), and {n}, the job's 1-based number
 * zero-padded to the width of the job count. With filename_safe, each
 * value is made safe as one file-name component: '/', '\\', control
 * characters, blanks and :*?"<>| become '_', a leading '.' becomes '_',
 * an empty value becomes "_", and values are cut to 120 bytes on a
 * character boundary. "{{" and "}}" stand for "{" and "}". An unknown
 * placeholder, or one the job has no value for, is EVM_ERR_INVALID_ARG.
 * The caller frees *out. */
EVM_API evm_status evm_batch_expand(const evm_batch_t *batch, size_t job,
                                    const char *pattern, bool filename_safe,
                                    char **out, evm_error_t *err);

/* ---- running ---------------------------------------------------------- */

typedef enum evm_batch_outcome {
    EVM_BATCH_WRITTEN = 0, /* the map was rendered and written */
    EVM_BATCH_SKIPPED,     /* --resume: the map was up to date */
    EVM_BATCH_FAILED,      /* see the error */
    EVM_BATCH_TICK         /* no map: a periodic report for progress */
} evm_batch_outcome;

typedef struct evm_batch_summary {
    size_t total; /* jobs selected by the shard */
    size_t written, skipped, failed;
    size_t not_run; /* left out after a cancel or with fail_fast */
    /* Events and labels the written maps leave out (evm_omission_t, not
     * counting events outside an extent a job chose). */
    size_t not_drawn;
    /* Point features of --layer files the written maps leave out (a base
     * layer draws polygons and lines), summed over the maps. */
    size_t layer_points;
    double elapsed_s;
    bool cancelled;
} evm_batch_summary_t;

typedef struct evm_batch_report {
    evm_batch_outcome outcome;
    size_t job;                 /* index in the batch; not for TICK */
    const char *output;         /* NULL for TICK or when unknown */
    const evm_error_t *error;   /* for FAILED: "JOBS.csv:LINE: ..." */
    evm_batch_summary_t so_far; /* counts up to this report */
} evm_batch_report_t;

/* Called from the thread that called evm_batch_run, never from a worker,
 * so it needs no locking. */
typedef void (*evm_batch_report_fn)(void *user, const evm_batch_report_t *r);

/* The version of evm_evm_batch_run_options_t this header declares. */
#define EVM_BATCH_RUN_OPTIONS_VERSION 1

typedef struct evm_batch_run_options {
    /* EVM_BATCH_RUN_OPTIONS_VERSION, set by evm_batch_run_options_init: the
     * layout of this struct the caller was built with, so that fields can
     * be added without breaking callers built before. */
    unsigned version;
    unsigned threads;       /* workers; 0: one per online processor */
    evm_geodata_t *geodata; /* shared by the workers; required */
    evm_shard_t shard;      /* default {0, 1}: every job */
    bool fail_fast;         /* stop taking maps after the first failure */
    /* Skip a map whose output exists and is at least as new as every
     * input: its events file and, for a job from a jobs file, that file
     * (a changed row must be redrawn). */
    bool resume;
    /* fsync each map and its folder once written, so that a map reported
     * written survives a crash of the node. Default true. */
    bool fsync;
    evm_batch_report_fn report; /* may be NULL */
    void *report_user;
    double tick_s; /* seconds between TICK reports; 0: none */
} evm_batch_run_options_t;

EVM_API void evm_batch_run_options_init(evm_batch_run_options_t *opt);

/* Renders the jobs of the shard. First removes the stale temporary files
 * (of killed runs, see render.h) in every folder the shard writes to.
 * Returns EVM_OK when the batch ran, even
 * if some maps failed (see summary->failed); an error only when it could
 * not run at all (bad options, not prepared, no thread could start).
 * Worker threads block all signals, so a SIGINT is delivered to the
 * calling thread, whose handler may call evm_batch_cancel. summary may be
 * NULL. */
EVM_API evm_status evm_batch_run(evm_batch_t *batch,
                                 const evm_batch_run_options_t *opt,
                                 evm_batch_summary_t *summary,
                                 evm_error_t *err);

/* Asks a running batch to stop: no new map is started, maps being drawn
 * stop at their next write and leave no file (a finished map is whole:
 * each is written atomically), and evm_batch_run returns with
 * summary->cancelled set and the stopped maps counted in not_run.
 * Async-signal-safe (one lock-free atomic store) and callable from any thread.
 */
EVM_API void evm_batch_cancel(evm_batch_t *batch);

#ifdef __cplusplus
}
#endif

#endif
