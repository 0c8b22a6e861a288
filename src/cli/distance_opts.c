/* The distance-line and route options of `evmap render`: --distance
 * FROM:TO, --border-distance PLACE:COUNTRY (both repeatable),
 * --land-border-only, --links FILE, --routes FILE, --route-styles FILE
 * and --route-style SPEC (repeatable), handed to evm_map_distance_opts_set
 * (which batch jobs use too) and turned into render's messages and exit codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Prints why key could not be set and returns the exit code: a value of
 * the wrong form is a usage error, a place that does not resolve or a
 * links file that cannot be used is bad data. */
static int report(evm_status st, const evm_error_t *err)
{
    if (st == EVM_ERR_NOMEM) {
        fprintf(stderr, "evmap: out of memory\n");
        return EVM_EXIT_OUTPUT;
    }
    if (err->file[0]) {
        cli_print_error(err);
        return EVM_EXIT_DATA;
    }
    if (st == EVM_ERR_INVALID_ARG) {
        cli_usage_error("render", "--%s", err->message);
        return EVM_EXIT_USAGE;
    }
    fprintf(stderr, "evmap: --%s\n", err->message);
    return EVM_EXIT_DATA;
}

int cli_distance_options(cli_opt_t *opts, size_t n_opts,
                         const evm_place_lookup_t *lk, evm_map_options_t *mo,
                         cli_distances_t *keep)
{
    memset(keep, 0, sizeof *keep);
    evm_error_t err;
    const evm_events_t *ev = lk->events;
    evm_status st = evm_map_distance_opts_create(&keep->d, &err);
    if (st)
        return report(st, &err);
    evm_map_distance_opts_set_lookup(keep->d, lk);
    /* In render's order: the --distance lines, then the links, then the
     * border distances; then the routes, the style file and the styles
     * given one by one, which win over the file's. */
    static const char *const keys[] = {
        "land-border-only", "distance",     "links",      "border-distance",
        "routes",           "route-styles", "route-style"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const cli_opt_t *o = cli_find(opts, n_opts, keys[k]);
        if (!o->seen)
            continue;
        if (!o->takes_value) {
            st = evm_map_distance_opts_set(keep->d, ev, keys[k], "", &err);
        } else if (!o->repeatable) {
            st =
                evm_map_distance_opts_set(keep->d, ev, keys[k], o->value, &err);
        } else {
            for (size_t i = 0; i < o->n_values && !st; i++)
                st = evm_map_distance_opts_set(keep->d, ev, keys[k],
                                               o->values[i], &err);
        }
        if (st)
            return report(st, &err);
    }
    evm_map_distance_opts_apply(keep->d, mo);
    return EVM_EXIT_OK;
}

void cli_distances_free(cli_distances_t *keep)
{
    evm_map_distance_opts_destroy(keep->d);
    keep->d = NULL;
}
