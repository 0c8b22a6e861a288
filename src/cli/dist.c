/* evmap dist: geodesic distances between events, from events to a
 * country's boundary or to a line, as CSV, JSON or a table on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: evmap dist EVENTS.csv [FROM TO] [options]\n"
    "\n"
    "Geodesic distances on the WGS84 ellipsoid (Karney's algorithm, exact\n"
    "to nanometres). Places are event names (exact, then ignoring case) or\n"
    "coordinates given inline as \"lat,lon\".\n"
    "\n"
    "What to measure (one of):\n"
    "  (nothing)             every pair of events once\n"
    "  FROM TO               one pair\n"
    "  --from PLACE          one place to every event\n"
    "  --matrix              the square matrix of distances\n"
    "  --to-border COUNTRY   each event to a country's boundary: a Natural\n"
    "                        Earth name, ISO alpha-3 or numeric code\n"
    "                        (Ukraine, UKR, 804); adds the nearest point\n"
    "                        and whether the event is inside\n"
    "  --to-line FILE        each event to a GeoJSON LineString or\n"
    "                        MultiLineString (a front line, a railway)\n"
    "  --land-border-only    with --to-border: land borders only, no coast\n"
    "  --basemap RES         with --to-border: 110m, 50m or 10m (default)\n"
    "  --geodata DIR         folder with countries-*.json or .evmgeo\n"
    "Output (standard output):\n"
    "  --format FMT          csv (default), json or table\n"
    "  --units U             km (default), m, mi or nmi\n"
    "  --jobs N              threads (default: one per processor); the\n"
    "                        output is the same for any N\n"
    "Events:\n"
    "  --name-col, --lat-col, --lon-col, --kind-col, --date-col NAME\n"
    "  --delimiter ,|;|pipe|tab, --where COL=VALUE, --since DATE,\n"
    "  --until DATE, --strict (RFC 4180: a stray quote is an error)\n"
    "  --decimal-comma       coordinates written 48,85 (default in ';' files)\n"
    "  --skip-invalid        use the valid rows, report the others\n";

/* The status of a library call as an exit code. */
static int exit_code(evm_status st)
{
    return st == EVM_ERR_IO      ? EVM_EXIT_OUTPUT
           : st == EVM_ERR_NOMEM ? EVM_EXIT_OUTPUT
                                 : EVM_EXIT_DATA;
}

static int to_border(const char *country, bool land_only, const char *res_text,
                     const char *geodata_dir, const evm_place_t *pl, size_t n,
                     const evm_dist_options_t *o)
{
    evm_basemap_res res = EVM_BASEMAP_10M;
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
        evm_geodata_get(gd, res, &map, &err) ||
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
    if ((st = evm_dist_write_nearest(pl, n, lines, o, cli_write_stdout, NULL,
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

static int to_line(const char *path, const evm_place_t *pl, size_t n,
                   const evm_dist_options_t *o)
{
    evm_error_t err;
    evm_lines_t *lines = NULL;
    if (evm_lines_load_geojson(path, &lines, &err)) {
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

int cli_dist(int argc, char **argv)
{
    cli_opt_t opts[] = {
        {"from", 0, true, false, false, NULL, NULL, 0},
        {"matrix", 0, false, false, false, NULL, NULL, 0},
        {"to-border", 0, true, false, false, NULL, NULL, 0},
        {"to-line", 0, true, false, false, NULL, NULL, 0},
        {"land-border-only", 0, false, false, false, NULL, NULL, 0},
        {"basemap", 0, true, false, false, NULL, NULL, 0},
        {"geodata", 0, true, false, false, NULL, NULL, 0},
        CLI_TABLE_OPTS,
        {"jobs", 'j', true, false, false, NULL, NULL, 0},
        {"help", 'h', false, false, false, NULL, NULL, 0},
        CLI_CSV_OPTS,
    };
    const size_t n_opts = sizeof opts / sizeof opts[0];
    const char **pos = NULL;
    size_t n_pos = 0;
    if (!cli_parse("dist", argc, argv, opts, n_opts, &pos, &n_pos))
        return EVM_EXIT_USAGE;
#define OPT(name) cli_find(opts, n_opts, name)
    int rc = EVM_EXIT_USAGE;
    evm_events_t *events = NULL;
    evm_place_t *places = NULL;
    char(*unnamed)[32] = NULL;
    evm_error_t err;
    if (OPT("help")->seen) {
        fputs(usage, stdout);
        rc = EVM_EXIT_OK;
        goto done;
    }
    if (n_pos != 1 && n_pos != 3) {
        cli_usage_error("dist", n_pos == 0   ? "missing the events file"
                                : n_pos == 2 ? "FROM needs a TO"
                                             : "too many arguments");
        goto done;
    }
    int modes = (n_pos == 3) + OPT("from")->seen + OPT("matrix")->seen +
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
    if (OPT("basemap")->seen && !OPT("to-border")->seen) {
        cli_usage_error("dist", "--basemap goes with --to-border");
        goto done;
    }
    evm_dist_options_t o;
    evm_dist_options_init(&o);
    if (!cli_table_output(opts, n_opts, "dist", &o.format, &o.units))
        goto done;
    if (OPT("jobs")->seen) {
        char *end;
        long j = strtol(OPT("jobs")->value, &end, 10);
        if (*end || end == OPT("jobs")->value || j < 1 || j > 1024) {
            cli_usage_error("dist", "--jobs must be a number in 1..1024");
            goto done;
        }
        o.jobs = (unsigned)j;
    }
    evm_csv_options_t co;
    if (!cli_csv_options(opts, n_opts, &co))
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

    evm_status st = EVM_OK;
    if (n_pos == 3) {
        evm_place_t pair[2];
        for (int k = 0; k < 2; k++)
            if ((rc = cli_resolve_place(events, pos[1 + k], &pair[k], NULL,
                                        &err))) {
                cli_print_error(&err);
                goto done;
            }
        st = evm_dist_write_pairs(pair, 2, &o, cli_write_stdout, NULL, &err);
    } else if (OPT("from")->seen) {
        size_t from;
        evm_place_t p;
        if ((rc = cli_resolve_place(events, OPT("from")->value, &p, &from,
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
                       OPT("basemap")->value, OPT("geodata")->value, places, n,
                       &o);
        goto flush;
    } else if (OPT("to-line")->seen) {
        rc = to_line(OPT("to-line")->value, places, n, &o);
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
    if (fflush(stdout) && rc == EVM_EXIT_OK) {
        fprintf(stderr, "evmap: could not write to standard output\n");
        rc = EVM_EXIT_OUTPUT;
    }
done:
    free(places);
    free(unnamed);
    evm_events_destroy(events);
    cli_free(opts, n_opts, pos);
    return rc;
#undef OPT
}
