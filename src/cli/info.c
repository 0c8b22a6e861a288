#define _POSIX_C_SOURCE 200809L
/* evmap info: what a CSV file holds, as evmap reads it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* s with its control characters made visible, in buf: names and kinds
 * come from the file and may hold terminal escapes. */
static const char *shown(const char *s, char *buf, size_t cap)
{
    evm_text_escape(buf, cap, s);
    return buf;
}

static void print_date(double s)
{
    time_t t = (time_t)floor(s);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[32];
    if (tm.tm_hour || tm.tm_min || tm.tm_sec)
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    fputs(buf, stdout);
}

static void print_kinds(const evm_events_t *ev)
{
    size_t n = evm_events_count(ev);
    const char **kinds = calloc(n ? n : 1, sizeof *kinds);
    size_t *counts = calloc(n ? n : 1, sizeof *counts);
    size_t nk = 0;
    for (size_t i = 0; kinds && counts && i < n; i++) {
        const char *k = evm_events_get(ev, i)->kind;
        size_t j = 0;
        while (j < nk && strcmp(kinds[j], k) != 0)
            j++;
        if (j == nk)
            kinds[nk++] = k;
        counts[j]++;
    }
    printf("kinds:         %zu\n", nk);
    char buf[1024];
    for (size_t j = 0; j < nk; j++)
        printf("  %-24s %zu\n",
               *kinds[j] ? shown(kinds[j], buf, sizeof buf) : "(none)",
               counts[j]);
    free(kinds);
    free(counts);
}

int cli_info(cli_args_t *args)
{
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    int rc = EVM_EXIT_USAGE;
    evm_events_t *ev = NULL;
    const char *path = cli_one_file(args, "the events file");
    if (!path || !cli_csv_options(args, &co))
        goto done;
    /* info reports rejected rows rather than failing on them. */
    rc = cli_load_events(path, &co, true, &ev);
    if (rc)
        goto done;

    size_t n = evm_events_count(ev);
    char buf[1024];
    printf("file:          %s\n",
           shown(evm_events_source(ev), buf, sizeof buf));
    printf("rows read:     %zu\n", evm_events_rows_read(ev));
    printf("rows rejected: %zu\n", evm_events_rejected_count(ev));
    if (evm_events_filtered_count(ev))
        printf("rows filtered: %zu\n", evm_events_filtered_count(ev));
    printf("events:        %zu\n", n);
    char d = evm_events_delimiter(ev);
    printf("delimiter:     %s\n", d == '\t' ? "tab"
                                  : d       ? (char[2]){d, 0}
                                            : "(not CSV)");
    static const char *const role_names[EVM_ROLE_COUNT] = {
        "name", "latitude", "longitude", "kind", "date"};
    printf("columns:\n");
    for (size_t c = 0; c < evm_events_column_count(ev); c++) {
        const char *role = NULL;
        for (int r = 0; r < EVM_ROLE_COUNT; r++)
            if (evm_events_role_column(ev, (evm_role)r) == (long)c)
                role = role_names[r];
        printf("  %-24s %s\n",
               shown(evm_events_column_name(ev, c), buf, sizeof buf),
               role ? role : "(attribute)");
    }
    if (n) {
        double s = 90, nn = -90, w = 180, e = -180;
        double d0 = INFINITY, d1 = -INFINITY;
        size_t dated = 0;
        for (size_t i = 0; i < n; i++) {
            const evm_event_t *x = evm_events_get(ev, i);
            s = fmin(s, x->lat_deg);
            nn = fmax(nn, x->lat_deg);
            w = fmin(w, x->lon_deg);
            e = fmax(e, x->lon_deg);
            if (!isnan(x->date_s)) {
                dated++;
                d0 = fmin(d0, x->date_s);
                d1 = fmax(d1, x->date_s);
            }
        }
        printf("bounding box:  W %.6f, S %.6f, E %.6f, N %.6f\n", w, s, e, nn);
        print_kinds(ev);
        if (dated) {
            printf("dates:         ");
            print_date(d0);
            printf(" .. ");
            print_date(d1);
            printf(" (%zu of %zu events dated)\n", dated, n);
        } else {
            printf("dates:         none\n");
        }
    }
    rc = EVM_EXIT_OK;
done:
    evm_events_destroy(ev);
    cli_csv_options_free(&co);
    return rc;
}
