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
    cli_message("--%s", err->message);
    return EVM_EXIT_DATA;
}

int cli_distance_options(cli_args_t *args, const evm_place_lookup_t *lk,
                         evm_map_options_t *mo, cli_distances_t *keep)
{
    memset(keep, 0, sizeof *keep);
    evm_error_t err;
    const evm_events_t *ev = lk->events;
    evm_status st = evm_map_distance_opts_create(&keep->d, &err);
    if (st)
        return report(st, &err);
    evm_map_distance_opts_set_lookup(keep->d, lk);
    /* The size limit first: it applies to the files read after it. */
    if (cli_find(args, "max-input-mb")->seen) {
        st = evm_map_distance_opts_set(keep->d, ev, "max-input-mb",
                                       cli_find(args, "max-input-mb")->value,
                                       &err);
        if (st)
            return report(st, &err);
    }
    /* In table order (options.c): the --distance lines before the
     * links' lines, the style file before the styles given one by one,
     * which win over the file's. */
    for (size_t k = 0; k < args->n_opts; k++) {
        const cli_opt_t *o = &args->opts[k];
        if (!o->seen || o->def->setter != CLI_LINES)
            continue;
        const char *key = cli_option_key(o->def);
        if (!o->def->arg) {
            st = evm_map_distance_opts_set(keep->d, ev, key, "", &err);
        } else if (!(o->def->flags & CLI_REPEAT)) {
            st = evm_map_distance_opts_set(keep->d, ev, key, o->value, &err);
        } else {
            for (size_t i = 0; i < o->n_values && !st; i++)
                st = evm_map_distance_opts_set(keep->d, ev, key, o->values[i],
                                               &err);
        }
        if (st == EVM_ERR_NOT_FOUND && !lk->gazetteer && !err.file[0]) {
            /* A name no event has may be a place the gazetteer knows. */
            size_t n = strlen(err.message);
            snprintf(err.message + n, sizeof err.message - n,
                     " (place names need --geocode)");
        }
        if (st)
            return report(st, &err);
    }
    if (cli_find(args, "radius-km")->seen && !cli_find(args, "center")->seen) {
        cli_usage_error("render", "--radius-km needs --center");
        return EVM_EXIT_USAGE;
    }
    evm_map_distance_opts_apply(keep->d, mo);
    return EVM_EXIT_OK;
}

void cli_distances_free(cli_distances_t *keep)
{
    evm_map_distance_opts_destroy(keep->d);
    keep->d = NULL;
}
