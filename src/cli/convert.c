/* evmap convert: the events as evmap read them, written as CSV or
 * GeoJSON, so that a user can check what a file turned into. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The format an output name asks for, or -1. */
static int format_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return -1;
    if (strcmp(dot, ".csv") == 0 || strcmp(dot, ".tsv") == 0 ||
        strcmp(dot, ".txt") == 0)
        return EVM_EVENTS_CSV;
    if (strcmp(dot, ".geojson") == 0 || strcmp(dot, ".json") == 0)
        return EVM_EVENTS_GEOJSON;
    return -1;
}

int cli_convert(cli_args_t *args)
{
    int rc = EVM_EXIT_USAGE;
    evm_events_t *ev = NULL;
    if (args->n_pos != 2) {
        cli_usage_error("convert", "expected an events file and an output");
        goto done;
    }
    const char *out = args->pos[1];
    cli_opt_t *fo = cli_find(args, "format");
    int format = -1;
    if (fo->seen)
        format = strcmp(fo->value, "csv") == 0       ? EVM_EVENTS_CSV
                 : strcmp(fo->value, "geojson") == 0 ? EVM_EVENTS_GEOJSON
                                                     : -2;
    else
        format = format_of(out);
    if (format < 0) {
        cli_usage_error("convert",
                        format == -2 ? "--format must be csv or geojson"
                                     : "cannot tell the format from '%s'; "
                                       "give --format csv or geojson",
                        out);
        goto done;
    }
    evm_csv_options_t co;
    if (!cli_csv_options(args, &co))
        goto done;
    rc = cli_load_events(args->pos[0], &co,
                         cli_find(args, "skip-invalid")->seen, &ev);
    if (rc)
        goto done;
    evm_error_t err;
    evm_status st =
        strcmp(out, "-") == 0
            ? evm_events_write(ev, (evm_events_format)format, cli_write_stdout,
                               NULL, &err)
            : evm_events_write_file(ev, (evm_events_format)format, out, &err);
    if (st == EVM_OK && strcmp(out, "-") == 0 &&
        (rc = cli_flush_stdout(EVM_EXIT_OK)) != EVM_EXIT_OK)
        goto done;
    if (st) {
        cli_print_error(&err);
        rc = EVM_EXIT_OUTPUT;
        goto done;
    }
    rc = EVM_EXIT_OK;
done:
    evm_events_destroy(ev);
    return rc;
}
