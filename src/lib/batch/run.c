/* Running a batch: a pool of worker threads, each with its own
 * evm_context_t, takes jobs in batch order from an atomic counter, draws
 * each map from the shared read-only events and geodata, and hands the
 * outcome to the calling thread, which alone calls the report callback.
 *
 * A map's bytes depend only on its job: a worker shares nothing mutable
 * with the others (its context, scene and output are its own, and the
 * PNG encoder is asked to stay on the worker's thread), so the outputs
 * are the same whatever the number of threads. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <evmap/gazetteer.h>
#include <evmap/render.h>

#include "batch/batch_internal.h"
#include "core/error.h"
#include "core/option_text.h"
#include "core/tempfile.h"
#include "map/extent.h"
#include "paint/paint.h"

void evm_batch_run_options_init(evm_batch_run_options_t *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->shard = (evm_shard_t){0, 1};
    opt->fsync = true;
    opt->version = EVM_BATCH_RUN_OPTIONS_VERSION;
}

void evm_batch_cancel(evm_batch_t *b)
{
    if (b)
        atomic_store(&b->cancel, true);
}

/* The evm_cancel_fn of a map being drawn. */
static bool batch_cancelled(void *user)
{
    const evm_batch_t *b = user;
    return atomic_load_explicit(&b->cancel, memory_order_relaxed);
}

/* ---- one map ---------------------------------------------------------- */

static bool newer_or_same(const struct stat *out, const char *input)
{
    struct stat in;
    if (!input || stat(input, &in) != 0)
        return input == NULL;
    if (out->st_mtim.tv_sec != in.st_mtim.tv_sec)
        return out->st_mtim.tv_sec > in.st_mtim.tv_sec;
    return out->st_mtim.tv_nsec >= in.st_mtim.tv_nsec;
}

/* --resume: the output exists and is at least as new as its inputs. */
static bool up_to_date(const evm_batch_t *b, size_t j)
{
    const batch_job_t *job = &b->jobs[j];
    struct stat out;
    if (stat(job->output, &out) != 0 || !S_ISREG(out.st_mode))
        return false;
    if (job->events_used >= 0 &&
        !newer_or_same(&out, b->events[job->events_used].path))
        return false;
    if (job->kind == JOB_ROW && b->files[job->file].path &&
        !newer_or_same(&out, b->files[job->file].path))
        return false;
    static const batch_key inputs[] = {KEY_LINKS, KEY_ROUTES, KEY_ROUTE_STYLES,
                                       KEY_KIND_STYLES};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *path = evm_batch_value(b, j, inputs[i]);
        if (path && !newer_or_same(&out, path))
            return false;
    }
    return true;
}

/* Creates the folders above path, as `mkdir -p` would. */
static evm_status make_parents(const evm_batch_t *b, size_t j, const char *path,
                               evm_error_t *err)
{
    char *dir = evm_strdup(path);
    if (!dir)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    evm_status st = EVM_OK;
    for (char *p = strchr(dir + 1, '/'); p && st == EVM_OK;
         p = strchr(p + 1, '/')) {
        *p = '\0';
        /* Another worker may create the same folder at the same time. */
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            st = evm_batch_job_error(b, j, err, EVM_ERR_IO,
                                     "%s: cannot create the folder: %s", dir,
                                     strerror(errno));
        *p = '/';
    }
    free(dir);
    return st;
}

static evm_status render_options(const evm_batch_t *b, size_t j,
                                 const evm_batch_run_options_t *opt,
                                 evm_render_options_t *ro, evm_error_t *err)
{
    evm_render_options_init(ro);
    ro->fsync = opt->fsync;
    ro->cancel = batch_cancelled;
    ro->cancel_user = (void *)b;
    /* The workers already use every core: the encoder's own thread would
     * only oversubscribe them. */
    ro->threads = 1;
    evm_error_t e;
    for (int k = KEY_FIRST_LIB; evm_batch_key_is_render((batch_key)k); k++) {
        const char *v = evm_batch_value(b, j, (batch_key)k);
        if (v &&
            evm_render_options_set(ro, evm_batch_key_name((batch_key)k), v, &e))
            return evm_batch_job_error(b, j, err, e.status, "%s", e.message);
    }
    return EVM_OK;
}

/* Everything one job allocates, freed together. */
typedef struct job_work {
    size_t *idx;
    evm_events_t *view;
    char *text[KEY_COUNT];         /* expanded title, subtitle, source */
    evm_map_distance_opts_t *dist; /* the lines the map options borrow */
    evm_scene_t *scene;
    size_t geonames_picks; /* names the gazetteer placed at GeoNames cities */
} job_work_t;

static void work_free(job_work_t *w)
{
    free(w->idx);
    evm_events_destroy(w->view);
    for (int k = 0; k < KEY_COUNT; k++)
        free(w->text[k]);
    evm_map_distance_opts_destroy(w->dist);
    evm_scene_destroy(w->scene);
}

/* The events a job shows: its file through its filters and, for a
 * frame, up to or within the period. NULL when it has no events file. */
static evm_status job_events(const evm_batch_t *b, size_t j, job_work_t *w,
                             const evm_events_t **shown, evm_error_t *err)
{
    const batch_job_t *job = &b->jobs[j];
    *shown = NULL;
    if (job->events_used < 0)
        return EVM_OK;
    evm_error_t le;
    if (evm_batch_events_acquire(b, (size_t)job->events_used, &le))
        return evm_batch_job_wrap(b, j, &le, err);
    const events_file_t *ef = &b->events[job->events_used];
    if (ef->error)
        return evm_batch_job_wrap(b, j, ef->error, err);
    const char *where = evm_batch_value(b, j, KEY_WHERE);
    const char *since = evm_batch_value(b, j, KEY_SINCE);
    const char *until = evm_batch_value(b, j, KEY_UNTIL);
    if (!where && !since && !until && job->kind != JOB_FRAME) {
        *shown = ef->events;
        return EVM_OK;
    }
    size_t n;
    evm_error_t e;
    if (evm_events_filter(ef->events, &where, where ? 1 : 0, since, until,
                          &w->idx, &n, &e))
        return evm_batch_job_error(b, j, err, e.status, "%s", e.message);
    if (job->kind == JOB_FRAME) {
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            double d = evm_events_get(ef->events, w->idx[i])->date_s;
            if (!isnan(d) && d <= job->end_s &&
                (!job->window || d >= job->start_s))
                w->idx[kept++] = w->idx[i];
        }
        n = kept;
    }
    if (evm_events_subset(ef->events, w->idx, n, &w->view, &e))
        return evm_batch_job_wrap(b, j, &e, err);
    *shown = w->view;
    return EVM_OK;
}

/* Sets key to each ';'-separated part of list, blanks around a part and
 * empty parts ignored, as a cell holds a repeatable option. */
static evm_status set_each(evm_map_distance_opts_t *d, const evm_events_t *ev,
                           const char *key, const char *list, evm_error_t *err)
{
    char *copy = evm_strdup(list);
    if (!copy)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    evm_status st = EVM_OK;
    for (char *p = copy, *end; p && st == EVM_OK; p = end ? end + 1 : NULL) {
        if ((end = strchr(p, ';')))
            *end = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            p[--n] = '\0';
        if (n)
            st = evm_map_distance_opts_set(d, ev, key, p, err);
    }
    free(copy);
    return st;
}

/* The distance lines and routes of a job, in render's order: distances,
 * links, border distances, routes, then route and distance styles; their
 * places are the job's events after its filters. */
static evm_status distance_options(const evm_batch_t *b, size_t j,
                                   const evm_events_t *shown, job_work_t *w,
                                   evm_map_options_t *mo, evm_error_t *err)
{
    /* The input limit first: it applies to the files read after it. */
    static const batch_key keys[] = {
        KEY_MAX_INPUT_MB, KEY_LAND_BORDER_ONLY, KEY_DISTANCE,
        KEY_LINKS,        KEY_BORDER_DISTANCE,  KEY_ROUTES,
        KEY_ROUTE_STYLES, KEY_ROUTE_STYLE,      KEY_DISTANCE_STYLE,
        KEY_KIND_STYLES,  KEY_KIND_STYLE,       KEY_LAYER};
    evm_error_t e;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *v = evm_batch_value(b, j, keys[i]);
        if (!v)
            continue;
        if (!w->dist) {
            /* A job that geocodes finds names its events lack in the
             * gazetteer, as render with --geocode does. */
            bool geocode;
            evm_place_lookup_t lk;
            evm_status st = evm_batch_job_geocodes(b, j, &geocode, err);
            if (st)
                return st;
            if (evm_map_distance_opts_create(&w->dist, &e) ||
                (geocode &&
                 evm_batch_gazetteer_lookup(b, &w->geonames_picks, &lk, &e)))
                return evm_batch_job_wrap(b, j, &e, err);
            if (geocode)
                evm_map_distance_opts_set_lookup(w->dist, &lk);
        }
        const char *key = evm_batch_key_name(keys[i]);
        evm_status st =
            keys[i] == KEY_DISTANCE || keys[i] == KEY_BORDER_DISTANCE ||
                    keys[i] == KEY_ROUTE_STYLE ||
                    keys[i] == KEY_DISTANCE_STYLE ||
                    keys[i] == KEY_KIND_STYLE || keys[i] == KEY_LAYER
                ? set_each(w->dist, shown, key, v, &e)
                : evm_map_distance_opts_set(w->dist, shown, key, v, &e);
        if (st)
            return evm_batch_job_wrap(b, j, &e, err);
    }
    evm_map_distance_opts_apply(w->dist, mo);
    return EVM_OK;
}

static evm_status map_options(const evm_batch_t *b, size_t j,
                              const evm_events_t *shown, job_work_t *w,
                              evm_map_options_t *mo, evm_error_t *err)
{
    const batch_job_t *job = &b->jobs[j];
    evm_map_options_init(mo);
    mo->threads = 1; /* as in render_options */
    evm_error_t e;
    for (int k = KEY_FIRST_LIB; k < KEY_COUNT; k++) {
        if (!evm_batch_key_is_map((batch_key)k))
            continue;
        const char *key = evm_batch_key_name((batch_key)k);
        bool title = strcmp(key, "title") == 0;
        bool subtitle = strcmp(key, "subtitle") == 0;
        const char *v = evm_batch_value(b, j, (batch_key)k);
        if (!v && title && job->kind == JOB_EVENT)
            v = "{name}";
        char label[64];
        if (!v && subtitle && job->kind == JOB_FRAME) {
            evm_batch_frame_label(job, label, sizeof label);
            v = label;
        }
        if (!v)
            continue;
        if (title || subtitle || strcmp(key, "source") == 0) {
            if (evm_batch_expand(b, j, v, false, &w->text[k], &e))
                return evm_batch_job_error(b, j, err, e.status, "%s",
                                           e.message);
            v = w->text[k];
        }
        if (evm_map_options_set(mo, key, v, &e))
            return evm_batch_job_error(b, j, err, e.status, "%s", e.message);
    }
    evm_status st = distance_options(b, j, shown, w, mo, err);
    if (st)
        return st;
    bool has;
    double lat = 0, lon = 0;
    long ev;
    st = evm_batch_center(b, j, &has, &lat, &lon, &ev, &w->geonames_picks, err);
    if (st)
        return st;
    /* GeoNames data is CC BY: the source line credits a place named in a
     * line, a route or the centre from it too. */
    mo->geonames_places = w->geonames_picks;
    const char *r = evm_batch_value(b, j, KEY_RADIUS_KM);
    double radius_km = EVM_DEFAULT_RADIUS_KM;
    if (r) {
        if (!evm_option_number(r, &radius_km) ||
            !(radius_km > 0 && radius_km <= 20000))
            return evm_batch_job_error(b, j, err, EVM_ERR_INVALID_ARG,
                                       "radius_km \"%.40s\" is not a number "
                                       "of km in (0, 20000]",
                                       r);
        if (!has)
            return evm_batch_job_error(b, j, err, EVM_ERR_INVALID_ARG,
                                       "radius_km is given but no center");
    }
    /* A centre says where the map is, more precisely than an extent
     * given for the whole batch. */
    if (has) {
        evm_circle_extent(lat, lon, radius_km * 1000, mo->extent);
        mo->has_extent = true;
    } else if (job->kind == JOB_FRAME && !mo->has_extent) {
        memcpy(mo->extent, job->extent, sizeof mo->extent);
        mo->has_extent = true;
    }
    return EVM_OK;
}

static evm_status draw_job(const evm_batch_t *b, size_t j, evm_context_t *ctx,
                           const evm_batch_run_options_t *opt,
                           evm_batch_outcome *outcome, size_t *not_drawn,
                           size_t *layer_points, evm_file_pending_t **pending,
                           evm_error_t *err)
{
    const batch_job_t *job = &b->jobs[j];
    *outcome = EVM_BATCH_FAILED;
    if (job->error) {
        *err = *job->error;
        return job->error->status;
    }
    if (opt->resume && up_to_date(b, j)) {
        *outcome = EVM_BATCH_SKIPPED;
        return EVM_OK;
    }
    evm_format fmt;
    const char *f = evm_batch_value(b, j, KEY_FORMAT);
    if (f ? evm_format_parse(f, &fmt) != EVM_OK
          : evm_format_from_path(job->output, &fmt) != EVM_OK)
        return evm_batch_job_error(
            b, j, err, EVM_ERR_INVALID_ARG,
            f ? "format \"%.40s\" is not png, svg or pdf"
              : "cannot tell the format of \"%.200s\": use a .png, .svg or "
                ".pdf name, or a format column",
            f ? f : job->output);
    job_work_t w = {0};
    evm_render_options_t ro;
    evm_map_options_t mo;
    const evm_events_t *shown;
    evm_error_t e;
    evm_status st = render_options(b, j, opt, &ro, err);
    if (st == EVM_OK)
        st = job_events(b, j, &w, &shown, err);
    if (st == EVM_OK)
        st = map_options(b, j, shown, &w, &mo, err);
    if (st == EVM_OK &&
        (st = evm_map_layout(ctx, shown, opt->geodata, &mo, &w.scene, &e)))
        evm_batch_job_wrap(b, j, &e, err);
    if (st == EVM_OK)
        st = make_parents(b, j, job->output, err);
    /* A synced map is finished by the calling thread (run_pool), so
     * that this worker draws the next one meanwhile. */
    if (st == EVM_OK &&
        (st = evm_paint_to_file_deferred(w.scene, fmt, &ro, false, job->output,
                                         opt->fsync ? pending : NULL, &e)))
        evm_batch_job_wrap(b, j, &e, err);
    /* Events and labels the written map leaves out (not those outside an
     * extent the job chose), for the summary. */
    for (size_t k = 0; st == EVM_OK && k < w.scene->n_omissions; k++)
        *not_drawn += w.scene->omissions[k].kind != EVM_OMIT_OUTSIDE;
    if (st == EVM_OK)
        *layer_points = w.scene->n_layer_points;
    work_free(&w);
    if (st == EVM_OK)
        *outcome = EVM_BATCH_WRITTEN;
    return st;
}

/* ---- stale temporary files ------------------------------------------ */

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sweeps each folder the selected jobs write to once, rather than once
 * per map as a lone write does: a batch of 10^5 frames in one folder
 * would read that folder 10^5 times. */
static evm_status sweep_folders(const evm_batch_t *b, const size_t *sel,
                                size_t n, evm_error_t *err)
{
    char **dirs = evm_alloc_array(n ? n : 1, sizeof *dirs);
    if (!dirs)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t n_dirs = 0;
    evm_status st = EVM_OK;
    for (size_t k = 0; k < n; k++) {
        const char *out = b->jobs[sel[k]].output;
        if (!out)
            continue;
        const char *slash = strrchr(out, '/');
        size_t len = slash ? (size_t)(slash - out) + 1 : 0;
        /* Consecutive jobs mostly share a folder. */
        if (n_dirs && strlen(dirs[n_dirs - 1]) == len &&
            strncmp(dirs[n_dirs - 1], out, len) == 0)
            continue;
        if (!(dirs[n_dirs] = strndup(out, len))) {
            st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        n_dirs++;
    }
    if (st == EVM_OK) {
        qsort(dirs, n_dirs, sizeof *dirs, compare_strings);
        for (size_t i = 0; i < n_dirs; i++)
            if (i == 0 || strcmp(dirs[i], dirs[i - 1]) != 0)
                evm_temp_sweep(dirs[i]);
    }
    for (size_t i = 0; i < n_dirs; i++)
        free(dirs[i]);
    free(dirs);
    return st;
}

/* ---- the pool --------------------------------------------------------- */

typedef struct result {
    evm_batch_outcome outcome;
    evm_error_t *error;
    size_t not_drawn;
    size_t layer_points;
    evm_file_pending_t *pending; /* a written map to sync and rename */
} result_t;

typedef struct pool {
    evm_batch_t *b;
    const evm_batch_run_options_t *opt;
    size_t *sel; /* batch indices of the shard's jobs */
    size_t n_sel;
    atomic_size_t next;
    atomic_bool stop; /* fail_fast met a failure */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    result_t *res;  /* per selected job */
    size_t *done;   /* selected positions, in completion order */
    size_t n_done;  /* guarded by mu */
    unsigned alive; /* workers still running; guarded by mu */
} pool_t;

typedef struct worker {
    pool_t *pool;
    evm_context_t *ctx;
    pthread_t thread;
} worker_t;

static void *worker_main(void *arg)
{
    worker_t *wk = arg;
    pool_t *p = wk->pool;
    for (;;) {
        if (atomic_load(&p->b->cancel) || atomic_load(&p->stop))
            break;
        size_t k = atomic_fetch_add(&p->next, 1);
        if (k >= p->n_sel)
            break;
        evm_error_t e;
        evm_error_clear(&e);
        evm_batch_outcome outcome;
        size_t not_drawn = 0, layer_points = 0;
        evm_file_pending_t *pending = NULL;
        evm_status st = draw_job(p->b, p->sel[k], wk->ctx, p->opt, &outcome,
                                 &not_drawn, &layer_points, &pending, &e);
        long file = p->b->jobs[p->sel[k]].events_used;
        if (file >= 0)
            evm_batch_events_release(p->b, (size_t)file);
        /* Stopped by a cancel: not run rather than failed. */
        if (st == EVM_ERR_CANCELLED && atomic_load(&p->b->cancel))
            continue;
        evm_error_t *copy = NULL;
        if (st != EVM_OK) {
            outcome = EVM_BATCH_FAILED;
            /* Out of memory here is reported without the message. */
            if ((copy = malloc(sizeof *copy)))
                *copy = e;
            if (p->opt->fail_fast)
                atomic_store(&p->stop, true);
        }
        pthread_mutex_lock(&p->mu);
        p->res[k] = (result_t){outcome, copy, not_drawn, layer_points, pending};
        p->done[p->n_done++] = k;
        pthread_cond_signal(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    pthread_mutex_lock(&p->mu);
    p->alive--;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void report(const evm_batch_run_options_t *opt, evm_batch_outcome o,
                   size_t job, const char *output, const evm_error_t *error,
                   const evm_batch_summary_t *so_far)
{
    if (!opt->report)
        return;
    evm_batch_report_t r = {o, job, output, error, *so_far};
    opt->report(opt->report_user, &r);
}

static unsigned online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

evm_status evm_batch_run(evm_batch_t *b, const evm_batch_run_options_t *opt,
                         evm_batch_summary_t *summary, evm_error_t *err)
{
    evm_batch_summary_t sum = {0};
    if (summary)
        *summary = sum;
    if (!b || !opt || !opt->geodata)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no batch, options or geodata");
    if (evm_options_check(opt->version, EVM_BATCH_RUN_OPTIONS_VERSION,
                          "evm_batch_run_options", err))
        return EVM_ERR_INVALID_ARG;
    if (!b->prepared)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the batch is not prepared");
    if (opt->shard.count == 0 || opt->shard.index >= opt->shard.count)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "shard %lu/%lu is not K/N with K < N",
                             opt->shard.index, opt->shard.count);
    double t0 = now_s();
    pool_t p = {.b = b, .opt = opt};
    atomic_init(&p.next, 0);
    atomic_init(&p.stop, false);
    size_t cap = b->n_jobs / opt->shard.count + 1;
    p.sel = evm_alloc_array(cap, sizeof *p.sel);
    p.res = calloc(cap, sizeof *p.res);
    p.done = evm_alloc_array(cap, sizeof *p.done);
    unsigned n_threads = opt->threads ? opt->threads : online_cpus();
    worker_t *wk = calloc(n_threads, sizeof *wk);
    evm_status st = EVM_OK;
    if (!p.sel || !p.res || !p.done || !wk) {
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = opt->shard.index; i < b->n_jobs; i += opt->shard.count)
        p.sel[p.n_sel++] = i;
    if ((st = sweep_folders(b, p.sel, p.n_sel, err)))
        goto cleanup;
    evm_batch_events_count_users(b, p.sel, p.n_sel);
    sum.total = p.n_sel;
    if (n_threads > p.n_sel)
        n_threads = p.n_sel ? (unsigned)p.n_sel : 1;
    /* Contexts are made here, so that a failure is the batch's, not a
     * worker's; a context may move to another thread before its use. */
    for (unsigned i = 0; i < n_threads; i++) {
        wk[i].pool = &p;
        if ((st = evm_context_create(&wk[i].ctx, err)))
            goto cleanup;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    /* Workers block every signal: a Ctrl-C reaches the calling thread,
     * whose handler may cancel the batch, and never interrupts a map. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    /* Counted before any worker starts: a quick one may finish (and
     * count itself out) before the next is created. */
    p.alive = n_threads;
    unsigned started = 0;
    for (unsigned i = 0; i < n_threads; i++) {
        if (pthread_create(&wk[i].thread, NULL, worker_main, &wk[i]) != 0)
            break;
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_mutex_lock(&p.mu);
    p.alive -= n_threads - started;
    pthread_mutex_unlock(&p.mu);
    if (!started) {
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                           "no worker thread could start");
        goto destroy_sync;
    }

    size_t consumed = 0;
    double next_tick = t0 + opt->tick_s;
    pthread_mutex_lock(&p.mu);
    for (;;) {
        while (consumed < p.n_done) {
            size_t k = p.done[consumed++];
            result_t r = p.res[k];
            p.res[k].pending = NULL;
            pthread_mutex_unlock(&p.mu);
            /* Sync and rename here, off the workers' path: they draw on
             * while the disk catches up. A cancelled batch still
             * finishes the maps already drawn. */
            if (r.pending) {
                evm_error_t ce;
                if (evm_file_commit(r.pending, &ce) != EVM_OK) {
                    r.outcome = EVM_BATCH_FAILED;
                    evm_error_t wrapped;
                    evm_batch_job_wrap(b, p.sel[k], &ce, &wrapped);
                    if ((r.error = malloc(sizeof *r.error)))
                        *r.error = wrapped;
                    p.res[k].error = r.error;
                    if (opt->fail_fast)
                        atomic_store(&p.stop, true);
                }
            }
            sum.not_drawn += r.not_drawn;
            sum.layer_points += r.layer_points;
            if (r.outcome == EVM_BATCH_WRITTEN)
                sum.written++;
            else if (r.outcome == EVM_BATCH_SKIPPED)
                sum.skipped++;
            else
                sum.failed++;
            sum.elapsed_s = now_s() - t0;
            evm_error_t oom;
            if (r.outcome == EVM_BATCH_FAILED && !r.error)
                evm_error_set(&oom, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
            report(opt, r.outcome, p.sel[k], b->jobs[p.sel[k]].output,
                   r.outcome == EVM_BATCH_FAILED ? (r.error ? r.error : &oom)
                                                 : NULL,
                   &sum);
            pthread_mutex_lock(&p.mu);
        }
        if (p.alive == 0)
            break;
        if (opt->tick_s > 0 && opt->report) {
            double wait = next_tick - now_s();
            if (wait <= 0) {
                pthread_mutex_unlock(&p.mu);
                sum.elapsed_s = now_s() - t0;
                report(opt, EVM_BATCH_TICK, 0, NULL, NULL, &sum);
                next_tick = now_s() + opt->tick_s;
                pthread_mutex_lock(&p.mu);
                continue;
            }
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            double t =
                (double)until.tv_sec + (double)until.tv_nsec * 1e-9 + wait;
            until.tv_sec = (time_t)t;
            until.tv_nsec = (long)((t - floor(t)) * 1e9);
            pthread_cond_timedwait(&p.cv, &p.mu, &until);
        } else {
            pthread_cond_wait(&p.cv, &p.mu);
        }
    }
    pthread_mutex_unlock(&p.mu);
    for (unsigned i = 0; i < started; i++)
        pthread_join(wk[i].thread, NULL);
    sum.not_run = sum.total - sum.written - sum.skipped - sum.failed;
    sum.cancelled = atomic_load(&b->cancel);
    sum.elapsed_s = now_s() - t0;
destroy_sync:
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
cleanup:
    for (unsigned i = 0; wk && i < n_threads; i++)
        evm_context_destroy(wk[i].ctx);
    free(wk);
    for (size_t k = 0; p.res && k < p.n_sel; k++) {
        free(p.res[k].error);
        evm_file_abort(p.res[k].pending);
    }
    free(p.res);
    free(p.done);
    free(p.sel);
    if (summary)
        *summary = sum;
    return st;
}
