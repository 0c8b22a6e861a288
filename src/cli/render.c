/* evmap render: events CSV to a map file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static double now_ms(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Reads a whole --css file (at most max_css bytes); NULL with a
 * message. */
static char *read_css(const char *path, size_t max_css)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_usage_error("render", "cannot read --css %s: %s", path,
                        strerror(errno));
        return NULL;
    }
    char *buf = malloc(max_css + 1);
    size_t n = buf ? fread(buf, 1, max_css + 1, f) : 0;
    bool bad = !buf || ferror(f) || n > max_css;
    fclose(f);
    if (bad) {
        char why[96];
        snprintf(why, sizeof why,
                 "larger than %zu MiB, the limit (raise it with "
                 "--max-input-mb)",
                 max_css >> 20);
        cli_usage_error("render", "cannot read --css %s: %s", path,
                        buf && n > max_css ? why : "read error");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

int cli_render(cli_args_t *args)
{
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    double t_start = now_ms(), t_events = 0, t_layout = 0, t_render = 0;
    int rc = EVM_EXIT_USAGE;
    evm_events_t *events = NULL;
    evm_geodata_t *geodata = NULL;
    evm_context_t *ctx = NULL;
    evm_scene_t *scene = NULL;
    cli_distances_t distances = {0};
    char *css = NULL;
    evm_error_t err;
    const char *path = cli_one_file(args, "the events file");
    if (!path)
        goto done;
    const char *output = OPT("output")->value;
    if (!output) {
        cli_usage_error("render", "missing -o OUTPUT");
        goto done;
    }
    evm_format fmt;
    if (OPT("format")->seen) {
        if (evm_format_parse(OPT("format")->value, &fmt)) {
            cli_usage_error("render", "--format must be png, svg or pdf");
            goto done;
        }
    } else if (strcmp(output, "-") == 0) {
        cli_usage_error("render", "-o - needs --format png|svg|pdf");
        goto done;
    } else if (evm_format_from_path(output, &fmt)) {
        cli_usage_error("render",
                        "cannot tell the format of '%s': use a .png, .svg "
                        "or .pdf name, or --format",
                        output);
        goto done;
    }

    if (OPT("geojson")->seen && strcmp(OPT("geojson")->value, "-") == 0 &&
        strcmp(output, "-") == 0) {
        cli_usage_error("render",
                        "-o - and --geojson - cannot both use stdout");
        goto done;
    }

    /* Every map and output option through the library's setters, as
     * batch sets a jobs file's cells; the title defaults to the file's
     * name. */
    evm_render_options_t ro;
    evm_render_options_init(&ro);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    char title[512];
    cli_default_title(path, title, sizeof title);
    mo.title = title;
    if (cli_set_options(args, &mo, &ro))
        goto done;
    ro.fsync = OPT("fsync")->seen;
    ro.cancel = cli_cancelled;
    cli_signals_defer(NULL, NULL);
    if (OPT("css")->seen) {
        long long max = cli_max_input_bytes(args);
        if (max < 0 || !(css = read_css(OPT("css")->value,
                                        max ? (size_t)max : (size_t)1 << 20)))
            goto done;
        ro.extra_css = css;
    }

    if (!cli_csv_options(args, &co))
        goto done;
    double t0 = now_ms();
    rc = cli_load_events(path, &co, OPT("skip-invalid")->seen, &events);
    if (rc)
        goto done;
    t_events = now_ms() - t0;
    /* An empty map needs an extent; say why there is nothing to map. */
    if (!mo.has_extent && !OPT("center")->seen &&
        cli_explain_no_events(events)) {
        rc = EVM_EXIT_DATA;
        goto done;
    }
    size_t geonames_picks = 0;
    evm_place_lookup_t lookup = cli_place_lookup(&co, events);
    lookup.geonames_picks = &geonames_picks;
    rc = cli_distance_options(args, &lookup, &mo, &distances);
    if (rc)
        goto done;
    /* GeoNames data is CC BY: the source line credits a place named
     * elsewhere (a distance line, a route, the centre) from it too. */
    mo.geonames_places = geonames_picks;
    rc = EVM_EXIT_DATA;
    if (evm_geodata_open(OPT("geodata")->value, &geodata, &err) ||
        evm_context_create(&ctx, &err)) {
        cli_print_error(&err);
        goto done;
    }
    t0 = now_ms();
    evm_status st = evm_map_layout(ctx, events, geodata, &mo, &scene, &err);
    t_layout = now_ms() - t0;
    if (st) {
        cli_print_error(&err);
        rc = st == EVM_ERR_INVALID_ARG || st == EVM_ERR_PROJ ? EVM_EXIT_USAGE
                                                             : EVM_EXIT_DATA;
        goto done;
    }
    if (cli_signal()) {
        rc = cli_signal_exit("render", "no map written");
        goto done;
    }
    size_t missing = cli_report_omissions(scene, events, OPT("verbose")->seen,
                                          OPT("quiet")->seen);
    if (missing && OPT("strict")->seen) {
        cli_message("%zu event%s or label%s not drawn; nothing written "
                    "(--strict)",
                    missing, missing == 1 ? "" : "s", missing == 1 ? "" : "s");
        rc = EVM_EXIT_DATA;
        goto done;
    }
    if (scene->scale_denominator > 0 && scene->scale_denominator < 2e6)
        cli_message("warning: the map's scale is about 1:%.0f, finer than "
                    "Natural Earth's 1:10m detail (about 1:2,000,000): "
                    "coastlines and borders are coarse",
                    scene->scale_denominator);
    if (scene->n_events_far_side)
        cli_message("warning: %zu event%s on the far side of the globe not "
                    "drawn",
                    scene->n_events_far_side,
                    scene->n_events_far_side == 1 ? "" : "s");
    for (size_t k = 0; k < scene->n_warnings; k++)
        cli_message("warning: %s", scene->warnings[k]);
    if (scene->n_layer_points)
        cli_message("note: %zu point feature%s of --layer files not drawn "
                    "(a base layer draws polygons and lines)",
                    scene->n_layer_points,
                    scene->n_layer_points == 1 ? "" : "s");
    t0 = now_ms();
    if (strcmp(output, "-") == 0) {
        st = evm_render_with(scene, fmt, &ro, cli_write_stdout, NULL, &err);
        if (!st && fflush(stdout)) {
            snprintf(err.message, sizeof err.message,
                     "could not write to standard output");
            err.file[0] = '\0';
            st = EVM_ERR_IO;
        }
    } else {
        st = evm_render_to_file_with(scene, fmt, &ro, output, &err);
    }
    /* After the map, which stays when this fails (docs/geojson.md). */
    const char *geojson = OPT("geojson")->value;
    if (!st && geojson && strcmp(geojson, "-") == 0) {
        st = evm_scene_write_geojson(scene, cli_write_stdout, NULL, &err);
        if (!st && fflush(stdout)) {
            snprintf(err.message, sizeof err.message,
                     "could not write to standard output");
            err.file[0] = '\0';
            st = EVM_ERR_IO;
        }
    } else if (!st && geojson) {
        st = evm_scene_geojson_to_file_with(scene, &ro, geojson, &err);
    }
    if (st == EVM_ERR_CANCELLED) {
        rc = cli_signal_exit("render", NULL);
        goto done;
    }
    if (st) {
        cli_print_error(&err);
        rc = EVM_EXIT_OUTPUT;
        goto done;
    }
    t_render = now_ms() - t0;
    if (OPT("timings")->seen) {
        fprintf(stderr, "evmap: timings (ms)\n  %-24s %8.2f\n", "events",
                t_events);
        for (int i = 0; i < EVM_STEP_COUNT; i++)
            fprintf(stderr, "  %-24s %8.2f\n",
                    evm_layout_step_name((evm_layout_step)i),
                    scene->step_ms[i]);
        fprintf(stderr, "  %-24s %8.2f\n  %-24s %8.2f\n  %-24s %8.2f\n",
                "layout (all)", t_layout, "paint and write", t_render,
                "total in main", now_ms() - t_start);
    }
    rc = EVM_EXIT_OK;
done:
    free(css);
    evm_scene_destroy(scene);
    cli_distances_free(&distances);
    evm_context_destroy(ctx);
    evm_geodata_destroy(geodata);
    evm_events_destroy(events);
    cli_csv_options_free(&co);
    return rc;
}
