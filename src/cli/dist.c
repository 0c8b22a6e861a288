/* evmap dist: geodesic distances between events, from events to a
 * country's boundary or to a line, as CSV, JSON or a table on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The status of a library call as an exit code. */
static int exit_code(evm_status st)
{
    return st == EVM_ERR_IO      ? EVM_EXIT_OUTPUT
           : st == EVM_ERR_NOMEM ? EVM_EXIT_OUTPUT
                                 : EVM_EXIT_DATA;
}

static int to_border(const char *country, bool land_only, const char *res_text,
                     const char *worldview_text, const char *geodata_dir,
                     const evm_place_t *pl, size_t n,
                     const evm_dist_options_t *opt)
{
    evm_basemap_res res = EVM_BASEMAP_10M;
    evm_worldview worldview = EVM_WORLDVIEW_INTERNATIONAL;
    if (worldview_text && evm_worldview_parse(worldview_text, &worldview)) {
        cli_usage_error("dist", "--worldview must be international or "
                                "de-facto");
        return EVM_EXIT_USAGE;
    }
    evm_dist_options_t o = *opt;
    o.worldview = evm_worldview_name(worldview);
    if (res_text &&
        (evm_basemap_res_parse(res_text, &res) || res == EVM_BASEMAP_AUTO)) {
        cli_usage_error("dist", "--basemap must be 110m, 50m or 10m");
        return EVM_EXIT_USAGE;
    }
    evm_error_t err;
    evm_geodata_t *gd = NULL;
    const evm_basemap_t *map = NULL;
    evm_lines_t *lines = NULL;
    size_t c;
    int rc = EVM_EXIT_DATA;
    evm_status st;
    if (evm_geodata_open(geodata_dir, &gd, &err) ||
        evm_geodata_get_worldview(gd, res, worldview, &map, &err) ||
        evm_basemap_find_country(map, country, &c, &err) ||
        evm_lines_from_country(map, c, land_only, &lines, &err)) {
        cli_print_error(&err);
        goto done;
    }
    if (land_only && evm_lines_count(lines) == 0)
        fprintf(stderr,
                "evmap: warning: %s has no land border in the %s data; "
                "distances are empty\n",
                evm_basemap_country_name(map, c), evm_basemap_res_name(res));
    if ((st = evm_dist_write_nearest(pl, n, lines, &o, cli_write_stdout, NULL,
                                     &err))) {
        cli_print_error(&err);
        rc = exit_code(st);
        goto done;
    }
    rc = EVM_EXIT_OK;
done:
    evm_lines_destroy(lines);
    evm_geodata_destroy(gd);
    return rc;
}

static int to_line(const char *path, size_t max_bytes, const evm_place_t *pl,
                   size_t n, const evm_dist_options_t *o)
{
    evm_error_t err;
    evm_lines_t *lines = NULL;
    if (evm_lines_load_geojson_capped(path, max_bytes, &lines, &err)) {
        cli_print_error(&err);
        return EVM_EXIT_DATA;
    }
    evm_status st =
        evm_dist_write_nearest(pl, n, lines, o, cli_write_stdout, NULL, &err);
    evm_lines_destroy(lines);
    if (st) {
        cli_print_error(&err);
        return exit_code(st);
    }
    return EVM_EXIT_OK;
}

int cli_dist(cli_args_t *args)
{
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    const char **pos = args->pos;
    int rc = EVM_EXIT_USAGE;
    evm_events_t *events = NULL;
    evm_place_t *places = NULL;
    char(*unnamed)[32] = NULL;
    evm_error_t err;
    if (args->n_pos != 1 && args->n_pos != 3) {
        cli_usage_error("dist", args->n_pos == 0   ? "missing the events file"
                                : args->n_pos == 2 ? "FROM needs a TO"
                                                   : "too many arguments");
        goto done;
    }
    int modes = (args->n_pos == 3) + OPT("from")->seen + OPT("matrix")->seen +
                OPT("to-border")->seen + OPT("to-line")->seen;
    if (modes > 1) {
        cli_usage_error("dist", "FROM TO, --from, --matrix, --to-border and "
                                "--to-line exclude each other");
        goto done;
    }
    if (OPT("land-border-only")->seen && !OPT("to-border")->seen) {
        cli_usage_error("dist", "--land-border-only goes with --to-border");
        goto done;
    }
    if (OPT("worldview")->seen && !OPT("to-border")->seen) {
        cli_usage_error("dist", "--worldview goes with --to-border");
        goto done;
    }
    if (OPT("basemap")->seen && !OPT("to-border")->seen) {
        cli_usage_error("dist", "--basemap goes with --to-border");
        goto done;
    }
    evm_dist_options_t o;
    evm_dist_options_init(&o);
    if (!cli_table_output(args, &o.format, &o.units))
        goto done;
    if (!cli_jobs(args, "dist", &o.jobs))
        goto done;
    if (!cli_csv_options(args, &co))
        goto done;
    rc = cli_load_events(pos[0], &co, OPT("skip-invalid")->seen, &events);
    if (rc)
        goto done;
    size_t n = evm_events_count(events);
    /* One spare slot for an inline --from place. */
    places = calloc(n + 1, sizeof *places);
    if (!places) {
        fprintf(stderr, "evmap: out of memory\n");
        rc = EVM_EXIT_OUTPUT;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const evm_event_t *e = evm_events_get(events, i);
        places[i] = (evm_place_t){e->name, e->lat_deg, e->lon_deg};
        /* A file without names: rows are called by their line. */
        if (!*e->name) {
            if (!unnamed && !(unnamed = calloc(n, sizeof *unnamed))) {
                fprintf(stderr, "evmap: out of memory\n");
                rc = EVM_EXIT_OUTPUT;
                goto done;
            }
            snprintf(unnamed[i], sizeof unnamed[i], "line %lu", e->line);
            places[i].name = unnamed[i];
        }
    }
    /* stdout is a pipe or a file more often than a terminal here. */
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    evm_place_lookup_t lookup = cli_place_lookup(&co, events);
    evm_status st = EVM_OK;
    if (args->n_pos == 3) {
        evm_place_t pair[2];
        for (int k = 0; k < 2; k++)
            if ((rc = cli_resolve_place(&lookup, pos[1 + k], &pair[k], NULL,
                                        &err))) {
                cli_print_error(&err);
                goto done;
            }
        st = evm_dist_write_pairs(pair, 2, &o, cli_write_stdout, NULL, &err);
    } else if (OPT("from")->seen) {
        size_t from;
        evm_place_t p;
        if ((rc = cli_resolve_place(&lookup, OPT("from")->value, &p, &from,
                                    &err))) {
            cli_print_error(&err);
            goto done;
        }
        if (from == (size_t)-1) {
            /* Coordinates: put them first, then every event. */
            memmove(places + 1, places, n * sizeof *places);
            places[0] = p;
            from = 0;
            n++;
        }
        st = evm_dist_write_from(places, n, from, &o, cli_write_stdout, NULL,
                                 &err);
    } else if (OPT("matrix")->seen) {
        st = evm_dist_write_matrix(places, n, &o, cli_write_stdout, NULL, &err);
    } else if (OPT("to-border")->seen) {
        rc = to_border(OPT("to-border")->value, OPT("land-border-only")->seen,
                       OPT("basemap")->value, OPT("worldview")->value,
                       OPT("geodata")->value, places, n, &o);
        goto flush;
    } else if (OPT("to-line")->seen) {
        rc = to_line(OPT("to-line")->value, (size_t)cli_max_input_bytes(args),
                     places, n, &o);
        goto flush;
    } else {
        st = evm_dist_write_pairs(places, n, &o, cli_write_stdout, NULL, &err);
    }
    if (st) {
        cli_print_error(&err);
        rc = exit_code(st);
        goto done;
    }
    rc = EVM_EXIT_OK;
flush:
    rc = cli_flush_stdout(rc);
done:
    free(places);
    free(unnamed);
    evm_events_destroy(events);
    cli_csv_options_free(&co);
    return rc;
}
