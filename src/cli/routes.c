/* evmap routes: the lengths of the legs and routes of a routes file, as
 * CSV, JSON or a table, on standard output or into a file. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: evmap routes ROUTES.csv [--events EVENTS.csv] [options]\n"
    "\n"
    "Lengths of shipment routes on the WGS84 ellipsoid: one row per leg\n"
    "and a total per route. A routes file has the columns from and to, and\n"
    "optionally route, mode, via, date and label (see docs/routes.md).\n"
    "Places are event names (exact, then ignoring case) or coordinates\n"
    "\"lat lon\" or \"lat,lon\"; without --events, coordinates only.\n"
    "\n"
    "  --events FILE         events CSV whose names the routes use\n"
    "Output:\n"
    "  --format FMT          csv (default), json or table\n"
    "  --units U             km (default), m, mi or nmi\n"
    "  -o, --output FILE     write FILE (replaced only once complete)\n"
    "                        instead of standard output\n"
    "Events:\n"
    "  --name-col, --lat-col, --lon-col, --kind-col, --date-col NAME\n"
    "  --delimiter ,|;|pipe|tab, --where COL=VALUE, --since DATE,\n"
    "  --until DATE, --strict (RFC 4180: a stray quote is an error)\n"
    "  --decimal-comma       coordinates written 48,85 (default in ';' files)\n"
    "  --skip-invalid        use the valid rows, report the others\n";

int cli_routes(int argc, char **argv)
{
    cli_opt_t opts[] = {
        {"events", 0, true, false, false, NULL, NULL, 0},
        CLI_TABLE_OPTS,
        {"output", 'o', true, false, false, NULL, NULL, 0},
        {"help", 'h', false, false, false, NULL, NULL, 0},
        CLI_CSV_OPTS,
    };
    const size_t n_opts = sizeof opts / sizeof opts[0];
    const char **pos = NULL;
    size_t n_pos = 0;
    if (!cli_parse("routes", argc, argv, opts, n_opts, &pos, &n_pos))
        return EVM_EXIT_USAGE;
#define OPT(name) cli_find(opts, n_opts, name)
    int rc = EVM_EXIT_USAGE;
    evm_events_t *events = NULL;
    evm_routes_t *routes = NULL;
    evm_error_t err;
    evm_dist_format format = EVM_DIST_CSV;
    evm_units units = EVM_UNITS_KM;
    evm_csv_options_t co;
    if (OPT("help")->seen) {
        fputs(usage, stdout);
        rc = EVM_EXIT_OK;
        goto done;
    }
    if (n_pos != 1) {
        cli_usage_error("routes", n_pos ? "too many arguments"
                                        : "missing the routes file");
        goto done;
    }
    if (!cli_table_output(opts, n_opts, "routes", &format, &units))
        goto done;
    if (OPT("output")->seen && !OPT("output")->value[0]) {
        cli_usage_error("routes", "-o needs a file name");
        goto done;
    }
    if (!cli_csv_options(opts, n_opts, &co))
        goto done;
    if (OPT("events")->seen &&
        (rc = cli_load_events(OPT("events")->value, &co,
                              OPT("skip-invalid")->seen, &events)))
        goto done;
    rc = EVM_EXIT_DATA;
    if (evm_routes_load_file(pos[0], events, &routes, &err)) {
        cli_print_error(&err);
        goto done;
    }
    evm_status st = OPT("output")->seen
                        ? evm_routes_write_file(routes, format, units,
                                                OPT("output")->value, &err)
                        : evm_routes_write(routes, format, units,
                                           cli_write_stdout, NULL, &err);
    if (st) {
        cli_print_error(&err);
        rc = EVM_EXIT_OUTPUT;
        goto done;
    }
    rc = EVM_EXIT_OK;
    if (fflush(stdout)) {
        fprintf(stderr, "evmap: could not write to standard output\n");
        rc = EVM_EXIT_OUTPUT;
    }
done:
    evm_routes_destroy(routes);
    evm_events_destroy(events);
    cli_free(opts, n_opts, pos);
    return rc;
#undef OPT
}
