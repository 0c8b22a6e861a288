/* The batch's contents, shared by its two halves: building the job list
 * (jobs.c: jobs files, generated jobs, placeholders, preparation) and
 * running it (run.c: the worker pool and the drawing of one job). */
#ifndef EVM_BATCH_BATCH_INTERNAL_H
#define EVM_BATCH_BATCH_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <evmap/batch.h>
#include <evmap/gazetteer.h>
#include <evmap/map.h>

/* Every job key, in the order a job applies them. */
typedef enum batch_key {
    KEY_OUTPUT = 0,
    KEY_FORMAT,
    KEY_EVENTS,
    KEY_WHERE,
    KEY_SINCE,
    KEY_UNTIL,
    KEY_CENTER,
    KEY_RADIUS_KM,
    KEY_DISTANCE, /* ';'-separated, as border-distance */
    KEY_BORDER_DISTANCE,
    KEY_LAND_BORDER_ONLY,
    KEY_LINKS,
    KEY_ROUTES,
    KEY_ROUTE_STYLES,
    KEY_ROUTE_STYLE,    /* ';'-separated */
    KEY_DISTANCE_STYLE, /* ';'-separated */
    KEY_KIND_STYLES,
    KEY_KIND_STYLE,   /* ';'-separated */
    KEY_LAYER,        /* ';'-separated */
    KEY_MAX_INPUT_MB, /* of the files a job reads whole */
    /* Then the keys of evm_render_options_set and those of
     * evm_map_options_set, in their order: the library's lists, so that
     * an option added there is a jobs-file column too. */
    KEY_FIRST_LIB,
    KEY_COUNT = KEY_FIRST_LIB + 160 /* room for them */
} batch_key;

/* The key's canonical name ("radius-km"), or NULL for a slot no key
 * uses. */
const char *evm_batch_key_name(batch_key k);
/* The key name spells, or -1 for an unknown name. */
int evm_batch_key_find(const char *name);
/* Whether k goes to evm_render_options_set, or to evm_map_options_set. */
bool evm_batch_key_is_render(batch_key k);
bool evm_batch_key_is_map(batch_key k);

typedef enum job_kind { JOB_ROW = 0, JOB_EVENT, JOB_FRAME } job_kind;

typedef struct batch_job {
    job_kind kind;
    /* JOB_ROW: the jobs file, its line, and one cell per key (NULL when
     * the file has no such column or the cell is blank). */
    size_t file;
    unsigned long line;
    char *cell[KEY_COUNT];
    /* JOB_EVENT and JOB_FRAME: the events file and the output pattern. */
    size_t events_file;
    size_t pattern;
    size_t event; /* JOB_EVENT: index in the events file */
    /* JOB_FRAME: the period, seconds since the epoch, inclusive. */
    double start_s, end_s;
    bool window, weekly;
    bool has_extent;
    double extent[4];
    /* Set by evm_batch_prepare. */
    long events_used; /* index in events files, -1: none */
    char *output;
    evm_error_t *error; /* the job cannot run: why */
} batch_job_t;

typedef struct jobs_file {
    char *path, *name;
} jobs_file_t;

/* The state of an events file loaded while its jobs run. */
typedef struct events_lazy {
    pthread_mutex_t mu;
    bool loaded;           /* tried: events or error is set */
    size_t users;          /* jobs left to run that use it */
    evm_error_t *rejected; /* its rejected rows, kept once it is freed */
    size_t n_rejected;
} events_lazy_t;

/* An events file is read once per geocode setting: a job that places
 * rows by name and one that does not never share a load. */
typedef struct events_file {
    char *path;
    bool geocode;         /* read with the batch's gazetteer */
    evm_events_t *events; /* NULL when it could not be read */
    evm_error_t *error;   /* why it cannot be used; NULL when it can */
    long id_col;          /* the `id` column, or -1 */
    /* NULL: loaded by evm_batch_prepare and kept. Otherwise loaded by the
     * first job that needs it (evm_batch_events_acquire) and freed when
     * no job left to run needs it (evm_batch_events_release), so that a
     * batch over many files holds only those in use. */
    events_lazy_t *lazy;
} events_file_t;

/* The gazetteer of the jobs that geocode: made from its options by the
 * first load that needs it (evm_batch_gazetteer), once, under mu. */
typedef struct batch_gazetteer {
    pthread_mutex_t mu;
    char *places_path, *geodata_dir; /* owned copies of the options' */
    bool geonames;
    bool tried;           /* under mu */
    evm_gazetteer_t *gaz; /* under mu until tried; NULL when it failed */
    evm_error_t error;    /* why it could not be made */
} batch_gazetteer_t;

struct evm_batch {
    /* csv.gazetteer is the caller's (evm_batch_set_csv_options), or
     * NULL; loads use their own copy with the gazetteer their setting
     * asks for. */
    evm_csv_options_t csv;
    batch_gazetteer_t *gaz;
    char *role_col[EVM_ROLE_COUNT];
    char *date_format, *encoding; /* owned copies for csv */
    bool skip_invalid;
    char *defaults[KEY_COUNT];
    jobs_file_t *files;
    size_t n_files, cap_files;
    batch_job_t *jobs;
    size_t n_jobs, cap_jobs;
    events_file_t *events;
    size_t n_events, cap_events;
    char **patterns;
    size_t n_patterns, cap_patterns;
    char *out_dir;       /* evm_batch_set_out_dir, or NULL */
    FILE *events_stream; /* what "-" reads, or NULL */
    bool prepared;
    atomic_bool cancel;
};

/* Whether job j places its events by name: its geocode value (cell or
 * default), else whether the CSV options came with a gazetteer. A value
 * that is not yes or no is job j's error. */
evm_status evm_batch_job_geocodes(const evm_batch_t *b, size_t j, bool *on,
                                  evm_error_t *err);

/* The gazetteer of the jobs that geocode: the caller's, else the
 * batch's own, made on the first call. Thread-safe. */
evm_status evm_batch_gazetteer(const evm_batch_t *b,
                               const evm_gazetteer_t **out, evm_error_t *err);

/* The gazetteer lookup of a job that geocodes (no events: the caller's
 * call sets them), with the batch's country hint and warnings; picks
 * (may be NULL) counts the names it resolves to GeoNames cities. */
evm_status evm_batch_gazetteer_lookup(const evm_batch_t *b, size_t *picks,
                                      evm_place_lookup_t *out,
                                      evm_error_t *err);

/* Loads events file i if it is loaded lazily and not yet: then its
 * events (or error) may be read until the matching release. Returns
 * EVM_OK or EVM_ERR_NOMEM. Thread-safe. */
evm_status evm_batch_events_acquire(const evm_batch_t *b, size_t i,
                                    evm_error_t *err);

/* A job that uses events file i is done (run, skipped or failed): the
 * file is freed when it was the last. Thread-safe. */
void evm_batch_events_release(const evm_batch_t *b, size_t i);

/* Counts, for each lazily loaded events file, the jobs of sel[0..n) that
 * use it. Before the workers start. */
void evm_batch_events_count_users(const evm_batch_t *b, const size_t *sel,
                                  size_t n);

/* The value of key for job j: its cell, the default, or NULL. */
const char *evm_batch_value(const evm_batch_t *b, size_t j, batch_key k);

/* Fills err for job j: "JOBS.csv:LINE: <message>" for a row,
 * "EVENTS.csv:LINE: ..." for an event's map, "EVENTS.csv: frame DATE:
 * ..." for a frame. Returns status. */
evm_status evm_batch_job_error(const evm_batch_t *b, size_t j, evm_error_t *err,
                               evm_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Wraps an error from a lower layer (its own file and line kept in the
 * message) as job j's error. */
evm_status evm_batch_job_wrap(const evm_batch_t *b, size_t j,
                              const evm_error_t *inner, evm_error_t *err);

/* The point a job is centred on: its event, or its center value (an
 * event name in the job's events file, "lat,lon", or for a job that
 * geocodes a gazetteer name, counted in geonames_picks (may be NULL)
 * when a GeoNames city). *has is false when the job has none; *event is
 * the event index or -1 for a point. */
evm_status evm_batch_center(const evm_batch_t *b, size_t j, bool *has,
                            double *lat, double *lon, long *event,
                            size_t *geonames_picks, evm_error_t *err);

/* The period label of a frame: "2023-09-13" or "week of 2023-09-11". */
void evm_batch_frame_label(const batch_job_t *job, char *buf, size_t cap);

#endif
