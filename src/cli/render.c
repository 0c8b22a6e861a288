/* evmap render: events CSV to a map file. */
#include <errno.h>
#include <math.h>
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

static const char usage[] =
    "usage: evmap render EVENTS.csv -o OUTPUT [options]\n"
    "\n"
    "Draws a map of the events: base map, markers by kind, labels, legend,\n"
    "scale bar, graticule, title and source line.\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE     .png, .svg or .pdf; '-' writes to stdout\n"
    "  --format FMT          png, svg or pdf (needed with -o -)\n"
    "  --size WxH            page size in pixels (default 1600x1000)\n"
    "  --dpi N               resolution: text and lines scale with it "
    "(default 96)\n"
    "  --svg-engine E        native (layers, ids, text; default) or cairo\n"
    "  --pdf-engine E        native (default) or cairo\n"
    "  --precision PX        SVG coordinate rounding (default 0.1)\n"
    "  --css FILE            append a style sheet to the SVG\n"
    "  --geojson FILE        also write the lines drawn (distances, routes)\n"
    "                        as GeoJSON, after the map; '-' for stdout\n"
    "  --fsync               sync each file to disk before finishing\n"
    "Map:\n"
    "  --title TEXT          title (default: the file's name)\n"
    "  --subtitle TEXT       a second line under the title\n"
    "  --source TEXT         credit printed before the Natural Earth one\n"
    "  --proj DEF            any PROJ definition (EPSG:3857, +proj=..., WKT)\n"
    "  --extent W,S,E,N      degrees; W > E crosses the antimeridian\n"
    "  --basemap RES         auto, 110m, 50m or 10m (default auto)\n"
    "  --units U             scale bar units: km, mi, nmi (default km)\n"
    "  --font FAMILY         font family list (default Noto Sans)\n"
    "  --no-graticule, --no-legend, --no-scale-bar\n"
    "Labels (placed by priority; docs/labels.md):\n"
    "  --no-labels           no event labels\n"
    "  --label-col NAME      the column labels show (default: the name)\n"
    "  --label-priority NAME numeric column: higher labelled first\n"
    "                        (default: capitals, then earlier rows)\n"
    "  -q, --quiet           no warnings about omitted labels\n"
    "  -v, --verbose         list every omitted label\n"
    "Distance lines (geodesics, labelled with their length):\n"
    "  --distance FROM:TO    between two events or \"lat,lon\" places\n"
    "                        (repeatable)\n"
    "  --border-distance PLACE:COUNTRY\n"
    "                        the shortest line to a country's boundary\n"
    "                        (Natural Earth name, ISO alpha-3 or numeric\n"
    "                        code; measured on 1:10m data; repeatable)\n"
    "  --land-border-only    border distances to land borders, not coast\n"
    "  --links FILE          CSV with from,to,label: one line per row (an\n"
    "                        empty label shows the length)\n"
    "Routes (legs by mode, with direction and lengths; docs/routes.md):\n"
    "  --routes FILE         CSV with route,from,to,mode,via,date,label\n"
    "  --route-style SPEC    MODE|all|route=NAME: color=#rrggbb, width=PT,\n"
    "                        dash=ON OFF|none (repeatable)\n"
    "  --route-styles FILE   one SPEC per line\n"
    "  --route-dates WHERE   legend (default), labels, both or none\n"
    "  --geodata DIR         folder with countries-*.json or .evmgeo\n"
    "  --timings             print where the time went on stderr\n"
    "Events:\n"
    "  --name-col, --lat-col, --lon-col, --kind-col, --date-col NAME\n"
    "  --delimiter D         , ; pipe or tab (default: detected)\n"
    "  --strict              RFC 4180: a quote inside an unquoted field is\n"
    "                        an error rather than data\n"
    "  --decimal-comma       coordinates written 48,85 (default in ';' files)\n"
    "  --where COL=VALUE     keep matching rows (repeatable)\n"
    "  --since DATE, --until DATE   ISO 8601, inclusive\n"
    "  --skip-invalid        render valid rows, report the others\n";

static bool parse_size(const char *s, double *w, double *h)
{
    char *end;
    errno = 0;
    long lw = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X'))
        return false;
    const char *p = end + 1;
    long lh = strtol(p, &end, 10);
    if (end == p || *end || errno)
        return false;
    *w = (double)lw;
    *h = (double)lh;
    return lw >= 64 && lh >= 64 && lw <= 20000 && lh <= 20000;
}

static bool parse_extent(const char *s, double e[4])
{
    const char *p = s;
    for (int i = 0; i < 4; i++) {
        char *end;
        errno = 0;
        e[i] = strtod(p, &end);
        if (end == p || errno || !isfinite(e[i]))
            return false;
        if (i < 3 && *end != ',')
            return false;
        p = end + (i < 3);
        if (i == 3 && *end)
            return false;
    }
    return e[1] < e[3] && e[1] >= -90 && e[3] <= 90 && e[0] >= -180 &&
           e[0] <= 180 && e[2] >= -180 && e[2] <= 180 && e[0] != e[2];
}

/* Reads a whole --css file (at most 1 MiB); NULL with a message. */
static char *read_css(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_usage_error("render", "cannot read --css %s: %s", path,
                        strerror(errno));
        return NULL;
    }
    enum { MAX_CSS = 1 << 20 };
    char *buf = malloc(MAX_CSS + 1);
    size_t n = buf ? fread(buf, 1, MAX_CSS + 1, f) : 0;
    bool bad = !buf || ferror(f) || n > MAX_CSS;
    fclose(f);
    if (bad) {
        cli_usage_error("render", "cannot read --css %s: %s", path,
                        buf && n > MAX_CSS ? "larger than 1 MiB"
                                           : "read error");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* --svg-engine, --pdf-engine, --precision and --css. */
static bool svg_options(cli_opt_t *opts, size_t n_opts,
                        evm_render_options_t *ro, char **css)
{
    evm_render_options_init(ro);
    const cli_opt_t *o = cli_find(opts, n_opts, "svg-engine");
    if (o->seen) {
        if (strcmp(o->value, "native") == 0) {
            ro->svg_engine = EVM_SVG_NATIVE;
        } else if (strcmp(o->value, "cairo") == 0) {
            ro->svg_engine = EVM_SVG_CAIRO;
        } else {
            cli_usage_error("render", "--svg-engine must be native or cairo");
            return false;
        }
    }
    o = cli_find(opts, n_opts, "pdf-engine");
    if (o->seen) {
        if (strcmp(o->value, "native") == 0) {
            ro->pdf_engine = EVM_PDF_NATIVE;
        } else if (strcmp(o->value, "cairo") == 0) {
            ro->pdf_engine = EVM_PDF_CAIRO;
        } else {
            cli_usage_error("render", "--pdf-engine must be native or cairo");
            return false;
        }
    }
    o = cli_find(opts, n_opts, "precision");
    if (o->seen) {
        char *end;
        ro->precision_px = strtod(o->value, &end);
        if (end == o->value || *end ||
            !(ro->precision_px >= 0.001 && ro->precision_px <= 100)) {
            cli_usage_error("render", "--precision must be a number of px in "
                                      "0.001..100");
            return false;
        }
    }
    o = cli_find(opts, n_opts, "css");
    if (o->seen) {
        if (!(*css = read_css(o->value)))
            return false;
        ro->extra_css = *css;
    }
    return true;
}

/* Omitted labels: one summary line, or with verbose one line each;
 * kinds that share a marker style. */
static void report_omissions(const evm_scene_t *scene,
                             const evm_events_t *events, bool verbose)
{
    size_t n_events = 0, n_lines = 0;
    for (size_t i = 0; i < scene->n_omissions; i++) {
        const evm_omission_t *o = &scene->omissions[i];
        if (o->event < 0) { /* a distance line's or route's label */
            n_lines++;
            if (verbose)
                fprintf(stderr, "evmap: warning: label \"%s\" omitted: %s\n",
                        o->text, o->reason);
            continue;
        }
        n_events++;
        if (verbose) {
            const evm_event_t *e = evm_events_get(events, (size_t)o->event);
            fprintf(stderr,
                    "evmap: %s:%lu: warning: label \"%s\" omitted: %s\n",
                    evm_events_source(events), e->line, o->text, o->reason);
        }
    }
    if (!verbose && n_events)
        fprintf(stderr,
                "evmap: warning: %zu of %zu labels omitted for lack of room; "
                "--verbose lists them\n",
                n_events, scene->n_labels_wanted);
    if (!verbose && n_lines)
        fprintf(stderr,
                "evmap: warning: %zu line labels omitted for lack of room; "
                "--verbose lists them\n",
                n_lines);
    if (scene->n_style_collisions)
        fprintf(stderr,
                "evmap: warning: %zu kinds share a marker style with another "
                "kind (more kinds than colours and shapes tell apart)\n",
                scene->n_style_collisions);
}

int cli_render(int argc, char **argv)
{
    cli_opt_t opts[] = {
        CLI_MAP_OPTS,
        {"timings", 0, false, false, false, NULL, NULL, 0},
        {"quiet", 'q', false, false, false, NULL, NULL, 0},
        {"verbose", 'v', false, false, false, NULL, NULL, 0},
        {"css", 0, true, false, false, NULL, NULL, 0},
        {"geojson", 0, true, false, false, NULL, NULL, 0},
        {"fsync", 0, false, false, false, NULL, NULL, 0},
        {"help", 'h', false, false, false, NULL, NULL, 0},
        CLI_CSV_OPTS,
    };
    const size_t n_opts = sizeof opts / sizeof opts[0];
    const char **pos = NULL;
    size_t n_pos = 0;
    double t_start = now_ms(), t_events = 0, t_layout = 0, t_render = 0;
    if (!cli_parse("render", argc, argv, opts, n_opts, &pos, &n_pos))
        return EVM_EXIT_USAGE;
#define OPT(name) cli_find(opts, n_opts, name)
    int rc = EVM_EXIT_USAGE;
    evm_events_t *events = NULL;
    evm_geodata_t *geodata = NULL;
    evm_context_t *ctx = NULL;
    evm_scene_t *scene = NULL;
    cli_distances_t distances = {0};
    char *css = NULL;
    evm_error_t err;
    if (OPT("help")->seen) {
        fputs(usage, stdout);
        rc = EVM_EXIT_OK;
        goto done;
    }
    if (n_pos != 1) {
        cli_usage_error("render", n_pos ? "expected one events file"
                                        : "missing the events file");
        goto done;
    }
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

    evm_render_options_t ro;
    if (!svg_options(opts, n_opts, &ro, &css))
        goto done;
    ro.fsync = OPT("fsync")->seen;
    ro.cancel = cli_cancelled;
    cli_signals_defer(NULL, NULL);

    evm_map_options_t mo;
    evm_map_options_init(&mo);
    if (OPT("size")->seen &&
        !parse_size(OPT("size")->value, &mo.width_px, &mo.height_px)) {
        cli_usage_error("render", "--size must be WxH, 64..20000 pixels");
        goto done;
    }
    if (OPT("dpi")->seen) {
        char *end;
        mo.dpi = strtod(OPT("dpi")->value, &end);
        if (*end || !(mo.dpi >= 10 && mo.dpi <= 2400)) {
            cli_usage_error("render", "--dpi must be a number in 10..2400");
            goto done;
        }
    }
    if (OPT("extent")->seen) {
        if (!parse_extent(OPT("extent")->value, mo.extent)) {
            cli_usage_error("render",
                            "--extent must be W,S,E,N in degrees with "
                            "S < N, e.g. 120,30,135,45");
            goto done;
        }
        mo.has_extent = true;
    }
    if (OPT("basemap")->seen &&
        evm_basemap_res_parse(OPT("basemap")->value, &mo.basemap)) {
        cli_usage_error("render", "--basemap must be auto, 110m, 50m or 10m");
        goto done;
    }
    if (OPT("units")->seen && evm_units_parse(OPT("units")->value, &mo.units)) {
        cli_usage_error("render", "--units must be km, mi, nmi or m");
        goto done;
    }
    char title[512];
    cli_default_title(pos[0], title, sizeof title);
    mo.title = OPT("title")->seen ? OPT("title")->value : title;
    mo.subtitle = OPT("subtitle")->value;
    mo.source = OPT("source")->value;
    mo.proj = OPT("proj")->value;
    if (OPT("font")->seen)
        mo.font_family = OPT("font")->value;
    if (OPT("route-dates")->seen &&
        evm_map_options_set(&mo, "route-dates", OPT("route-dates")->value,
                            &err)) {
        cli_usage_error("render", "--%s", err.message);
        goto done;
    }
    mo.graticule = !OPT("no-graticule")->seen;
    mo.legend = !OPT("no-legend")->seen;
    mo.scale_bar = !OPT("no-scale-bar")->seen;
    mo.labels = !OPT("no-labels")->seen;
    mo.label_col = OPT("label-col")->value;
    mo.label_priority_col = OPT("label-priority")->value;

    evm_csv_options_t co;
    if (!cli_csv_options(opts, n_opts, &co))
        goto done;
    double t0 = now_ms();
    rc = cli_load_events(pos[0], &co, OPT("skip-invalid")->seen, &events);
    if (rc)
        goto done;
    t_events = now_ms() - t0;
    rc = cli_distance_options(opts, n_opts, events, &mo, &distances);
    if (rc)
        goto done;
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
    if (!OPT("quiet")->seen)
        report_omissions(scene, events, OPT("verbose")->seen);
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
    cli_free(opts, n_opts, pos);
    return rc;
#undef OPT
}
