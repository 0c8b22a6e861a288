/* evmap batch: many maps from a jobs file, one per event, or one per day
 * or week, rendered in parallel by libevmap's batch runner. This file
 * only turns options into batch defaults, shows progress and prints the
 * outcome; the work is in src/lib/batch. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Exit status when the batch ran but some maps failed, and when it was
 * interrupted (128 + SIGINT, as a shell reports it). */
enum { EVM_EXIT_SOME_FAILED = 4 };

/* Called from the signal handler: async-signal-safe. */
static void cancel_batch(void *batch)
{
    evm_batch_cancel(batch);
}

static const char *env_lookup(void *user, const char *name)
{
    (void)user;
    return getenv(name);
}

typedef struct progress {
    bool quiet, tty;
    bool bar_shown;
    double last_line_s;
} progress_t;

static void format_eta(double s, char *buf, size_t cap)
{
    if (!isfinite(s) || s < 0) {
        snprintf(buf, cap, "--:--");
        return;
    }
    long t = lround(s);
    if (t >= 3600)
        snprintf(buf, cap, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, cap, "%ld:%02ld", t / 60, t % 60);
}

static void clear_bar(progress_t *pg)
{
    if (pg->bar_shown) {
        fputs("\r\033[K", stderr);
        pg->bar_shown = false;
    }
}

static void show_progress(progress_t *pg, const evm_batch_summary_t *s,
                          bool force)
{
    size_t done = s->written + s->skipped + s->failed;
    double rate = s->elapsed_s > 0 ? (double)done / s->elapsed_s : 0;
    char eta[32];
    format_eta(rate > 0 ? (double)(s->total - done) / rate : NAN, eta,
               sizeof eta);
    if (pg->tty) {
        enum { WIDTH = 28 };
        int fill = s->total ? (int)(WIDTH * done / s->total) : WIDTH;
        char bar[WIDTH + 1];
        for (int i = 0; i < WIDTH; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[WIDTH] = '\0';
        fprintf(stderr, "\r\033[K[%s] %zu/%zu maps  %.1f/s  ETA %s", bar, done,
                s->total, rate, eta);
        if (s->failed)
            fprintf(stderr, "  %zu failed", s->failed);
        pg->bar_shown = true;
    } else if (force || s->elapsed_s - pg->last_line_s >= 5) {
        /* A log file gets a line every few seconds, not a redraw. */
        fprintf(stderr,
                "evmap batch: %zu/%zu maps, %.1f/s, ETA %s, %zu failed\n", done,
                s->total, rate, eta, s->failed);
        pg->last_line_s = s->elapsed_s;
    }
    fflush(stderr);
}

static void on_report(void *user, const evm_batch_report_t *r)
{
    progress_t *pg = user;
    if (r->outcome == EVM_BATCH_FAILED) {
        clear_bar(pg);
        cli_print_error(r->error);
    }
    if (!pg->quiet)
        show_progress(pg, &r->so_far, false);
}

/* Prints the rejected rows of the events files the batch read, each
 * file once, and how many: after preparing, those loaded then; after the
 * run, those loaded while it ran. A file read both with and without
 * geocode is two loads, each counted. printed has a flag per file. */
static void print_rejected(const evm_batch_t *b, bool *printed)
{
    for (size_t i = 0; i < evm_batch_events_file_count(b); i++) {
        size_t n = evm_batch_events_rejected_count(b, i);
        if (printed[i] || (!n && !evm_batch_events_file(b, i)))
            continue;
        printed[i] = true;
        for (size_t k = 0; k < n; k++)
            cli_print_error(evm_batch_events_rejected(b, i, k));
        if (n)
            cli_message("%s (read %s geocode): %zu invalid row%s left out "
                        "of its maps%s",
                        evm_batch_events_file_path(b, i),
                        evm_batch_events_file_geocoded(b, i) ? "with"
                                                             : "without",
                        n, n == 1 ? "" : "s",
                        evm_batch_events_file_geocoded(b, i)
                            ? ""
                            : "; geocode places rows without coordinates "
                              "by name");
    }
}

/* The values of a repeatable option joined with ';'; NULL when out of
 * memory. */
static char *join_values(const cli_opt_t *o)
{
    size_t len = 1;
    for (size_t i = 0; i < o->n_values; i++)
        len += strlen(o->values[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < o->n_values; i++) {
        strcat(s, i ? ";" : "");
        strcat(s, o->values[i]);
    }
    return s;
}

/* Checks the distance-line and route defaults once, without events: a
 * value of the wrong form is a usage error and an unreadable links or
 * routes file bad data, rather than the same failure on every map.
 * Names are left to each map, whose events they must be found in. */
static int check_distance_options(cli_args_t *args)
{
    evm_map_distance_opts_t *d = NULL;
    evm_error_t err;
    evm_status st = evm_map_distance_opts_create(&d, &err);
    for (size_t k = 0; k < args->n_opts && !st; k++) {
        const cli_opt_t *o = &args->opts[k];
        if (o->def->setter != CLI_LINES || !o->def->arg)
            continue;
        bool repeat = o->def->flags & CLI_REPEAT;
        size_t n = repeat ? o->n_values : o->seen;
        for (size_t i = 0; i < n && !st; i++) {
            st = evm_map_distance_opts_set(d, NULL, cli_option_key(o->def),
                                           repeat ? o->values[i] : o->value,
                                           &err);
            if (st == EVM_ERR_NOT_FOUND)
                st = EVM_OK; /* a name: looked up per map */
        }
    }
    evm_map_distance_opts_destroy(d);
    if (!st)
        return EVM_EXIT_OK;
    if (st == EVM_ERR_INVALID_ARG && !err.file[0]) {
        cli_usage_error("batch", "--%s", err.message);
        return EVM_EXIT_USAGE;
    }
    cli_print_error(&err);
    return st == EVM_ERR_NOMEM ? EVM_EXIT_OUTPUT : EVM_EXIT_DATA;
}

/* Every option that is also a jobs-file column becomes the batch's
 * default for that column: a flag as "yes", a repeatable option as one
 * ';'-separated cell. Map and output values are checked once here with
 * the library's setters, so that a bad value is a usage error rather
 * than the same failure on every map. */
static int set_defaults(cli_args_t *args, evm_batch_t *batch, bool each)
{
    int rc = cli_set_options(args, NULL, NULL);
    for (size_t k = 0; k < args->n_opts && !rc; k++) {
        const cli_opt_t *o = &args->opts[k];
        const char *key = cli_option_key(o->def);
        if (!o->seen || !cli_option_is_cell(o->def) ||
            (each && strcmp(key, "events") == 0))
            continue;
        char *joined = NULL;
        const char *v = !o->def->arg ? "yes" : o->value;
        if ((o->def->flags & CLI_REPEAT) && !(v = joined = join_values(o))) {
            fprintf(stderr, "evmap: out of memory\n");
            return EVM_EXIT_OUTPUT;
        }
        evm_error_t err;
        if (evm_batch_set_default(batch, key, v, &err)) {
            cli_usage_error("batch", "--%s: %s", key, err.message);
            rc = EVM_EXIT_USAGE;
        }
        free(joined);
    }
    return rc ? rc : check_distance_options(args);
}

int cli_batch(cli_args_t *args)
{
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    const char **pos = args->pos;
    size_t n_pos = args->n_pos;
    int rc = EVM_EXIT_USAGE;
    evm_batch_t *batch = NULL;
    evm_geodata_t *geodata = NULL;
    bool *printed = NULL; /* per events file: its rejected rows printed */
    evm_error_t err;
    evm_batch_run_options_t ro;
    evm_batch_run_options_init(&ro);
    const char *each = OPT("each-event")->value;
    const char *frames = OPT("frames")->value;
    if (n_pos > 1 || (!n_pos && !each && !frames) || (each && frames)) {
        cli_usage_error("batch", "give one jobs file, or --each-event, or "
                                 "--frames");
        goto done;
    }
    evm_frames period = EVM_FRAMES_DAILY;
    if (frames && evm_frames_parse(frames, &period)) {
        cli_usage_error("batch", "--frames must be daily or weekly");
        goto done;
    }
    const char *events = each ? each : OPT("events")->value;
    /* Standard input holds one thing: the jobs, or the events. */
    bool jobs_stdin = n_pos && strcmp(pos[0], "-") == 0;
    if (jobs_stdin && events && strcmp(events, "-") == 0) {
        cli_usage_error("batch", "the jobs come from standard input ('-'), "
                                 "so the events cannot: give --events a "
                                 "file");
        goto done;
    }
    if (frames && !events) {
        cli_usage_error("batch", "--frames needs --events EVENTS.csv");
        goto done;
    }
    if (OPT("window")->seen && !frames) {
        cli_usage_error("batch", "--window goes with --frames");
        goto done;
    }
    if ((each || frames) && !OPT("output")->seen) {
        cli_usage_error("batch", "missing -o PATTERN, e.g. 'maps/{name}.png'");
        goto done;
    }
    if (!cli_jobs(args, "batch", &ro.threads))
        goto done;
    if (OPT("shard")->seen) {
        if (evm_shard_parse(OPT("shard")->value, &ro.shard, &err)) {
            cli_usage_error("batch", "%s", err.message);
            goto done;
        }
    } else {
        bool found;
        if (cli_shard_from_slurm(env_lookup, NULL, &ro.shard, &found, &err)) {
            cli_usage_error("batch", "%s", err.message);
            goto done;
        }
    }
    ro.resume = OPT("resume")->seen;
    ro.fsync = !OPT("no-fsync")->seen;
    ro.fail_fast = OPT("fail-fast")->seen;

    if (!cli_csv_options(args, &co))
        goto done;
    if (evm_batch_create(&batch, &err) ||
        evm_batch_set_csv_options(batch, &co, OPT("skip-invalid")->seen,
                                  &err) ||
        (!jobs_stdin && evm_batch_set_events_stream(batch, stdin, &err)) ||
        (OPT("out-dir")->seen &&
         evm_batch_set_out_dir(batch, OPT("out-dir")->value, &err))) {
        cli_print_error(&err);
        rc = EVM_EXIT_DATA;
        goto done;
    }
    if ((rc = set_defaults(args, batch, each)))
        goto done;
    /* The jobs that geocode (the geocode column, or --geocode for all)
     * share one gazetteer, made on the first need. --places implies
     * --geocode, as for render. */
    evm_gazetteer_options_t go;
    if (cli_gazetteer_options(args, &go) && !OPT("geocode")->seen &&
        evm_batch_set_default(batch, "geocode", "yes", &err)) {
        cli_print_error(&err);
        goto done;
    }
    if (evm_batch_set_gazetteer_options(batch, &go, &err)) {
        cli_print_error(&err);
        rc = EVM_EXIT_OUTPUT;
        goto done;
    }
    rc = EVM_EXIT_USAGE;
    char title[512];
    if (!OPT("title")->seen && events && !each) {
        cli_default_title(events, title, sizeof title);
        evm_batch_set_default(batch, "title", title, &err);
    }

    rc = EVM_EXIT_DATA;
    evm_status st = EVM_OK;
    if (n_pos && strcmp(pos[0], "-") == 0)
        st = evm_batch_add_jobs_stream(batch, stdin, "<stdin>", &err);
    else if (n_pos)
        st = evm_batch_add_jobs_file(batch, pos[0], NULL, &err);
    else if (each)
        st = evm_batch_add_each_event(batch, each, OPT("output")->value, &err);
    else
        st = evm_batch_add_frames(batch, events, period, OPT("window")->seen,
                                  OPT("output")->value, &err);
    if (st == EVM_OK)
        st = evm_batch_prepare(batch, &err);
    printed = calloc(evm_batch_events_file_count(batch) + 1, sizeof *printed);
    if (!printed) {
        fprintf(stderr, "evmap: out of memory\n");
        rc = EVM_EXIT_OUTPUT;
        goto done;
    }
    print_rejected(batch, printed);
    if (st != EVM_OK) {
        cli_print_error(&err);
        rc = st == EVM_ERR_INVALID_ARG ? EVM_EXIT_USAGE : EVM_EXIT_DATA;
        goto done;
    }
    if (evm_geodata_open(OPT("geodata")->value, &geodata, &err)) {
        cli_print_error(&err);
        goto done;
    }

    progress_t pg = {.quiet = OPT("quiet")->seen,
                     .tty = isatty(STDERR_FILENO) == 1};
    ro.geodata = geodata;
    ro.report = on_report;
    ro.report_user = &pg;
    ro.tick_s = pg.quiet ? 0 : pg.tty ? 0.2 : 5;
    cli_signals_defer(cancel_batch, batch);
    evm_batch_summary_t sum;
    st = evm_batch_run(batch, &ro, &sum, &err);
    /* Files loaded while the batch ran. */
    clear_bar(&pg);
    print_rejected(batch, printed);
    if (st != EVM_OK) {
        clear_bar(&pg);
        cli_print_error(&err);
        rc = EVM_EXIT_OUTPUT;
        goto done;
    }
    if (!pg.quiet) {
        if (pg.tty)
            show_progress(&pg, &sum, true);
        clear_bar(&pg);
        fprintf(stderr,
                "evmap batch: %zu map%s written, %zu up to date, %zu failed",
                sum.written, sum.written == 1 ? "" : "s", sum.skipped,
                sum.failed);
        if (sum.not_run)
            fprintf(stderr, ", %zu not run", sum.not_run);
        if (sum.not_drawn)
            fprintf(stderr, ", %zu event%s or label%s not drawn", sum.not_drawn,
                    sum.not_drawn == 1 ? "" : "s",
                    sum.not_drawn == 1 ? "" : "s");
        if (sum.layer_points)
            fprintf(stderr, ", %zu point feature%s of --layer files not drawn",
                    sum.layer_points, sum.layer_points == 1 ? "" : "s");
        fprintf(stderr, " in %.1f s (%.1f maps/s)%s%s\n", sum.elapsed_s,
                sum.elapsed_s > 0 ? (double)sum.written / sum.elapsed_s : 0,
                sum.cancelled ? "; interrupted" : "",
                cli_signal() == SIGTERM  ? " by SIGTERM"
                : cli_signal() == SIGINT ? " by SIGINT"
                : cli_signal() == SIGHUP ? " by SIGHUP"
                                         : "");
    }
    if (cli_signal())
        rc = 128 + cli_signal();
    else if (sum.failed)
        rc = EVM_EXIT_SOME_FAILED;
    else if (sum.not_drawn && OPT("strict")->seen)
        rc = EVM_EXIT_DATA; /* the maps are written; the summary says why */
    else
        rc = EVM_EXIT_OK;
done:
    free(printed);
    evm_geodata_destroy(geodata);
    evm_batch_destroy(batch);
    cli_csv_options_free(&co);
    return rc;
}
