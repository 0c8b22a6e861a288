/* The distance-line options of `evmap render`: --distance FROM:TO,
 * --border-distance PLACE:COUNTRY (both repeatable), --land-border-only
 * and --links FILE, resolved against the events into evm_map_options_t
 * arrays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Splits "A:B" at the first colon where both sides are places (names
 * may hold colons); reports the error of the first split otherwise. */
static int split_pair(const evm_events_t *ev, const char *spec, evm_place_t *a,
                      evm_place_t *b, evm_error_t *err)
{
    char buf[1024];
    if (strlen(spec) >= sizeof buf)
        return EVM_EXIT_USAGE;
    int first_rc = EVM_EXIT_USAGE;
    evm_error_t first_err = {0};
    for (const char *c = strchr(spec, ':'); c; c = strchr(c + 1, ':')) {
        size_t n = (size_t)(c - spec);
        memcpy(buf, spec, n);
        buf[n] = '\0';
        evm_error_t e;
        int rc = cli_resolve_place(ev, buf, a, NULL, &e);
        if (!rc)
            rc = cli_resolve_place(ev, c + 1, b, NULL, &e);
        if (!rc)
            return EVM_EXIT_OK; /* a->name may point into buf: unused */
        if (first_rc == EVM_EXIT_USAGE) {
            first_rc = rc;
            first_err = e;
        }
    }
    *err = first_err;
    return first_rc;
}

int cli_distance_options(cli_opt_t *opts, size_t n_opts, const evm_events_t *ev,
                         evm_map_options_t *mo, cli_distances_t *keep)
{
    memset(keep, 0, sizeof *keep);
    const cli_opt_t *dist = cli_find(opts, n_opts, "distance");
    const cli_opt_t *border = cli_find(opts, n_opts, "border-distance");
    const cli_opt_t *links_opt = cli_find(opts, n_opts, "links");
    const cli_opt_t *land_only = cli_find(opts, n_opts, "land-border-only");
    evm_error_t err;
    if (links_opt->seen &&
        evm_links_load_file(links_opt->value, &keep->links, &err)) {
        cli_print_error(&err);
        return EVM_EXIT_DATA;
    }
    size_t n_links = evm_links_count(keep->links);
    size_t n_d = dist->n_values + n_links;
    keep->distances = calloc(n_d ? n_d : 1, sizeof *keep->distances);
    keep->borders =
        calloc(border->n_values ? border->n_values : 1, sizeof *keep->borders);
    if (!keep->distances || !keep->borders) {
        fprintf(stderr, "evmap: out of memory\n");
        return EVM_EXIT_OUTPUT;
    }
    for (size_t i = 0; i < dist->n_values; i++) {
        evm_place_t a, b;
        int rc = split_pair(ev, dist->values[i], &a, &b, &err);
        if (rc == EVM_EXIT_USAGE) {
            cli_usage_error("render", "--distance needs FROM:TO, not \"%s\"",
                            dist->values[i]);
            return rc;
        }
        if (rc) {
            char why[1100];
            evm_error_format(&err, why, sizeof why);
            fprintf(stderr, "evmap: --distance %s: %s\n", dist->values[i], why);
            return rc;
        }
        keep->distances[i] = (evm_map_distance_t){a.lat_deg, a.lon_deg,
                                                  b.lat_deg, b.lon_deg, NULL};
    }
    for (size_t i = 0; i < n_links; i++) {
        const evm_link_t *l = evm_links_get(keep->links, i);
        evm_place_t a, b;
        int rc = cli_resolve_place(ev, l->from, &a, NULL, &err);
        unsigned long col = l->from_column;
        if (!rc) {
            rc = cli_resolve_place(ev, l->to, &b, NULL, &err);
            col = l->to_column;
        }
        if (rc) {
            /* The name's own position, then the reason. */
            char why[1100];
            evm_error_format(&err, why, sizeof why);
            fprintf(stderr, "evmap: %s:%lu:%lu: %s\n",
                    evm_links_source(keep->links), l->line, col, why);
            return rc;
        }
        keep->distances[dist->n_values + i] = (evm_map_distance_t){
            a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, l->label};
    }
    for (size_t i = 0; i < border->n_values; i++) {
        const char *spec = border->values[i];
        const char *colon = strrchr(spec, ':');
        if (!colon || colon == spec || !colon[1]) {
            cli_usage_error("render",
                            "--border-distance needs PLACE:COUNTRY, not "
                            "\"%s\"",
                            spec);
            return EVM_EXIT_USAGE;
        }
        /* Country names have no colon: split at the last one. */
        char place[1024];
        size_t n = (size_t)(colon - spec);
        if (n >= sizeof place) {
            cli_usage_error("render", "--border-distance: name too long");
            return EVM_EXIT_USAGE;
        }
        memcpy(place, spec, n);
        place[n] = '\0';
        evm_place_t a;
        int rc = cli_resolve_place(ev, place, &a, NULL, &err);
        if (rc) {
            char why[1100];
            evm_error_format(&err, why, sizeof why);
            fprintf(stderr, "evmap: --border-distance %s: %s\n", spec, why);
            return rc;
        }
        keep->borders[i] = (evm_map_border_distance_t){
            a.lat_deg, a.lon_deg, colon + 1, land_only->seen, NULL};
    }
    mo->distances = keep->distances;
    mo->n_distances = n_d;
    mo->border_distances = keep->borders;
    mo->n_border_distances = border->n_values;
    return EVM_EXIT_OK;
}

void cli_distances_free(cli_distances_t *keep)
{
    free(keep->distances);
    free(keep->borders);
    evm_links_destroy(keep->links);
    memset(keep, 0, sizeof *keep);
}
