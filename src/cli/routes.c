/* evmap routes: the lengths of the legs and routes of a routes file, as
 * CSV, JSON or a table, on standard output or into a file. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_routes(cli_args_t *args)
{
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    int rc = EVM_EXIT_USAGE;
    evm_events_t *events = NULL;
    evm_routes_t *routes = NULL;
    evm_geodata_t *geodata = NULL;
    bool sea_routing = true;
    evm_error_t err;
    evm_dist_format format = EVM_DIST_CSV;
    evm_units units = EVM_UNITS_KM;
    const char *path = cli_one_file(args, "the routes file");
    if (!path || !cli_table_output(args, &format, &units))
        goto done;
    if (OPT("output")->seen && !OPT("output")->value[0]) {
        cli_usage_error("routes", "-o needs a file name");
        goto done;
    }
    if (!cli_csv_options(args, &co))
        goto done;
    if (OPT("sea-routing")->seen) {
        const char *v = OPT("sea-routing")->value;
        sea_routing = strcmp(v, "on") == 0;
        if (!sea_routing && strcmp(v, "off") != 0) {
            cli_usage_error("routes", "--sea-routing takes on or off");
            goto done;
        }
    }
    if (OPT("events")->seen &&
        (rc = cli_load_events(OPT("events")->value, &co,
                              OPT("skip-invalid")->seen, &events)))
        goto done;
    rc = EVM_EXIT_DATA;
    evm_place_lookup_t lookup = cli_place_lookup(&co, events);
    if (evm_routes_load_file_lookup(path, &lookup, &routes, &err)) {
        cli_print_error(&err);
        goto done;
    }
    if (sea_routing &&
        (evm_geodata_open(OPT("geodata")->value, &geodata, &err) ||
         evm_routes_route_at_sea(routes, geodata, cli_print_warning, NULL,
                                 &err))) {
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
    rc = cli_flush_stdout(EVM_EXIT_OK);
done:
    evm_routes_destroy(routes);
    evm_geodata_destroy(geodata);
    evm_events_destroy(events);
    cli_csv_options_free(&co);
    return rc;
}
