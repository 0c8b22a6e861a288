/* The option table of every evmap command: the one place where an option
 * is defined. Each row gives the option's name, short name, argument
 * name, help group, help text and the library setter it goes to; from
 * these rows come the parsing (args.c), `--help`, the man pages, the shell
 * completions and the option lists of docs/cli.md (help.c).
 *
 * How to add an option
 * --------------------
 * 1. A map option (anything evm_map_options_t holds): give the library
 *    its key first (src/lib/map/options.c, `map_keys` and
 *    evm_map_options_set; document it in include/evmap/map.h). Then add
 *    one row to `map_rows` below with .setter = CLI_MAP. That is all:
 *    render parses it and sets it through evm_map_options_set, batch
 *    takes it as a default and as a jobs-file column, and the help, man
 *    pages, completions and docs list it. An output-format option
 *    (evm_render_options_t) is the same with evm_render_options_set
 *    (src/lib/paint/render.c, `render_keys`), a row in `output_rows` and
 *    .setter = CLI_RENDER. A distance line or route option that names
 *    places goes through evm_map_distance_opts_set: .setter = CLI_LINES.
 * 2. An option of one command only (read by the command's own code):
 *    a row in that command's table with .setter = CLI_OWN (the default);
 *    the command reads it with cli_find(&args, "name"). Batch options
 *    that are also a jobs-file column get .flags = CLI_CELL and a key in
 *    src/lib/batch/jobs.c. An option that several commands take in the
 *    same sense (--geodata, --jobs) is still one row, in an array of its
 *    own that each of them lists with CLI_SECTION_IN(rows, heading).
 * 3. Fields: .name without dashes; .short_name a letter or 0; .arg the
 *    value's name in help ("FILE", "WxH") or NULL for a flag; .group the
 *    help heading (rows of one group are listed together, in order of
 *    first appearance); .help one sentence or two, with the default
 *    and the accepted values (the help is the documentation: keep it in
 *    step with what the setter accepts); .key the library key when it
 *    differs from .name; .flags CLI_REPEAT for an option that may be
 *    given several times (every value is kept); .values the accepted
 *    values, space-separated, which the completions offer.
 * 4. Run `scripts/update-cli-docs.sh` to regenerate the option lists of
 *    docs/cli.md (the test cli.test_help_docs fails until they agree).
 * 5. An option render and batch share (a map, output or line option)
 *    needs a case in tests/cli/test_parity.sh, which fails without one:
 *    the flag and the jobs-file cell must draw the same bytes.
 */
#include "cli.h"

#define G_OUTPUT "Output"
#define G_MAP "Map"
#define G_LABELS "Labels (placed by priority; docs/labels.md)"
#define G_LINES "Distance lines (geodesics, labelled with their length)"
#define G_ROUTES "Routes (legs by mode, with direction and lengths)"
#define G_EVENTS "Events"
#define G_LIMITS "Limits"
#define G_BATCH "Batch"
#define G_MEASURE "What to measure (one of)"

/* The map's look and the output format: render and batch. */
static const cli_option_t output_rows[] = {
    {.name = "format",
     .arg = "FMT",
     .group = G_OUTPUT,
     .flags = CLI_CELL,
     .values = "png svg pdf",
     .help = "png, svg or pdf (default: from the output's extension; "
             "needed with -o -)"},
    {.name = "size",
     .arg = "WxH",
     .group = G_OUTPUT,
     .setter = CLI_MAP,
     .help = "page size in whole pixels, 64..20000 each (default: the "
             "area of 1600x1000 in the data's shape, 2:1 landscape to 1:2 "
             "portrait)"},
    {.name = "dpi",
     .arg = "N",
     .group = G_OUTPUT,
     .setter = CLI_MAP,
     .help = "resolution, 10..2400: text and line widths are in points and "
             "scale with it; PNG and PDF record it (default 96)"},
    {.name = "preset",
     .arg = "NAME",
     .group = G_OUTPUT,
     .setter = CLI_MAP,
     .values = "web column print social",
     .help = "where the map will appear: web 1600x1000 96 dpi; column "
             "800x600 96 dpi, type x1.3; print 2400x1600 300 dpi; social "
             "1200x675 96 dpi, type x1.4 (type: text, markers and lines); "
             "--size and --dpi win over it, in any order"},
    {.name = "svg-engine",
     .arg = "E",
     .values = "native cairo",
     .group = G_OUTPUT,
     .setter = CLI_RENDER,
     .help = "SVG writer: native (evmap's semantic SVG with layers, ids and "
             "text; default) or cairo (letters as outlines)"},
    {.name = "pdf-engine",
     .arg = "E",
     .values = "native cairo",
     .group = G_OUTPUT,
     .setter = CLI_RENDER,
     .help = "PDF writer: native (text in embedded font subsets; default) "
             "or cairo"},
    {.name = "precision",
     .arg = "PX",
     .group = G_OUTPUT,
     .setter = CLI_RENDER,
     .help = "SVG coordinates are rounded to multiples of this, 0.001..100 "
             "(default 0.1)"},
};

static const cli_option_t map_rows[] = {
    {.name = "title",
     .arg = "TEXT",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "title above the map (default: the events file's name, with "
             "its folder when the name is events or data)"},
    {.name = "subtitle",
     .arg = "TEXT",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "a second line under the title"},
    {.name = "source",
     .arg = "TEXT",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "credit printed before the Natural Earth one"},
    {.name = "proj",
     .arg = "DEF",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "anything PROJ accepts: EPSG:3857, ESRI:54030, +proj=..., WKT "
             "(default: chosen from the extent, see docs/projections.md)"},
    {.name = "extent",
     .arg = "W,S,E,N|COUNTRY",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "the area shown: W,S,E,N in decimal degrees with S < N (W > "
             "E crosses the antimeridian), or countries' mainlands by Natural "
             "Earth name or ISO code, comma-separated (France, US, "
             "\"KOR,PRK\"; docs/projections.md) (default: the events' box, "
             "padded)"},
    {.name = "center",
     .arg = "PLACE",
     .group = G_MAP,
     .setter = CLI_LINES,
     .help = "frame the map on a circle around PLACE: \"lat,lon\", an "
             "event's name or, with --geocode, a gazetteer name (\"Paris, "
             "FR\"); overrides --extent"},
    {.name = "radius-km",
     .arg = "KM",
     .group = G_MAP,
     .setter = CLI_LINES,
     .help = "with --center: the ground distance shown around it, (0, "
             "20000] km (default 500)"},
    {.name = "basemap",
     .arg = "RES",
     .group = G_MAP,
     .values = "auto 110m 50m 10m",
     .setter = CLI_MAP,
     .help = "Natural Earth resolution: auto, 110m, 50m or 10m (default "
             "auto: from the scale)"},
    {.name = "units",
     .arg = "U",
     .group = G_MAP,
     .values = "km m mi nmi",
     .setter = CLI_MAP,
     .help = "units of the scale bar and of distance labels: km, m, mi or "
             "nmi (default km)"},
    {.name = "font",
     .arg = "FAMILY",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "font family list, fontconfig names separated by commas "
             "(default Noto Sans,DejaVu Sans,sans-serif)"},
    {.name = "no-graticule",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "leave out the graticule"},
    {.name = "no-graticule-labels",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "no degrees on the frame's edges (default: labelled on "
             "regional and polar maps, not on world maps)"},
    {.name = "no-legend",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "leave out the legend"},
    {.name = "no-scale-bar",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "leave out the scale bar"},
    {.name = "no-labels",
     .group = G_LABELS,
     .setter = CLI_MAP,
     .help = "no event labels (markers and legend stay)"},
    {.name = "label-col",
     .arg = "NAME",
     .group = G_LABELS,
     .setter = CLI_MAP,
     .help = "the column whose cells label the events (default: the name "
             "column)"},
    {.name = "label-priority",
     .arg = "NAME",
     .group = G_LABELS,
     .setter = CLI_MAP,
     .help = "a numeric column: higher values are labelled first, take "
             "the best places and are painted on top (default: kinds "
             "naming a capital, then earlier rows; docs/labels.md)"},
    {.name = "cluster",
     .arg = "MODE",
     .group = G_MAP,
     .values = "auto on off",
     .setter = CLI_MAP,
     .help = "events that crowd the page as counted bubbles: auto (default: "
             "when markers pile up, more than two per marker area on "
             "average), on or off (docs/dense.md)"},
    {.name = "no-clusters",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "one marker per event however crowded (--cluster off)"},
    {.name = "density",
     .arg = "KIND",
     .group = G_MAP,
     .values = "none hex grid heat",
     .setter = CLI_MAP,
     .help = "a density layer instead of markers: hex (hexagonal bins), "
             "grid (square bins) or heat (kernel density), coloured by "
             "events per bin, with a legend (default none)"},
    {.name = "no-places",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "leave out the reference cities"},
    {.name = "no-country-labels",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "leave out the country names"},
    {.name = "no-water-labels",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "leave out the ocean and sea names"},
    {.name = "no-rivers",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "leave out the rivers"},
    {.name = "worldview",
     .arg = "V",
     .group = G_MAP,
     .values = "international de-facto",
     .setter = CLI_MAP,
     .help = "whose borders: international (default: internationally "
             "recognised, Crimea in Ukraine, tinted as disputed) or de-facto "
             "(Natural Earth's lines of control); border distances follow "
             "it"},
    {.name = "theme",
     .arg = "T",
     .group = G_MAP,
     .values = "light dark print",
     .setter = CLI_MAP,
     .help = "palette: light (default), dark for screens, or print "
             "(greyscale-safe, heavier type)"},
    {.name = "size-col",
     .arg = "COLUMN",
     .group = G_MAP,
     .setter = CLI_MAP,
     .help = "marker area proportional to this numeric column (radius by "
             "square root, 1.5..14 pt; larger markers drawn first), with a "
             "size legend; an empty, non-numeric or negative cell is an "
             "error at its line and column"},
    {.name = "kind-styles",
     .arg = "FILE",
     .group = G_MAP,
     .setter = CLI_LINES,
     .help = "kind styles, one --kind-style SPEC per line ('#' comments)"},
    {.name = "kind-style",
     .arg = "SPEC",
     .group = G_MAP,
     .setter = CLI_LINES,
     .flags = CLI_REPEAT,
     .help = "a kind's look, \"KIND: color=#rrggbb shape=S size=PT\" "
             "(shapes circle, square, triangle, diamond, triangle-down, "
             "hexagon; size the marker's width, 2..40 pt); repeatable, "
             "later entries win, over --kind-styles too; other kinds keep "
             "clear of it"},
    {.name = "inset",
     .arg = "WHERE",
     .group = G_MAP,
     .values = "auto off nw ne sw se",
     .setter = CLI_MAP,
     .help = "locator inset, a small map of the surroundings with the frame "
             "outlined: auto (when the frame is under about 1,000 km across, "
             "in a corner that covers no event), off, or a corner nw, ne, "
             "sw, se (default auto)"},
    {.name = "layer",
     .arg = "FILE[:STYLE]",
     .group = G_MAP,
     .setter = CLI_LINES,
     .flags = CLI_REPEAT,
     .help = "a GeoJSON base layer of your own (city outline, streets) "
             "drawn over the land, under the events: polygons filled and "
             "outlined, lines stroked, points counted and not drawn; STYLE "
             "fill=#rrggbb|none, stroke=#rrggbb|none (or color=), width=PT, "
             "dash=ON OFF; repeatable; it never moves the frame "
             "(docs/basemap.md)"},
};

/* In the order render applies them: the --distance lines before the
 * links' lines, the style file before the styles given one by one. */
static const cli_option_t lines_rows[] = {
    {.name = "distance",
     .arg = "FROM:TO",
     .group = G_LINES,
     .setter = CLI_LINES,
     .flags = CLI_REPEAT,
     .help = "the geodesic between two places: event names or \"lat,lon\" "
             "(repeatable)"},
    {.name = "border-distance",
     .arg = "PLACE:COUNTRY",
     .group = G_LINES,
     .setter = CLI_LINES,
     .flags = CLI_REPEAT,
     .help = "the shortest line from a place to a country's boundary "
             "(Natural Earth name, ISO alpha-3, alpha-2 or numeric code; "
             "measured on 1:10m data; repeatable)"},
    {.name = "land-border-only",
     .group = G_LINES,
     .setter = CLI_LINES,
     .help = "border distances to land borders only, not to the coast"},
    {.name = "links",
     .arg = "FILE",
     .group = G_LINES,
     .setter = CLI_LINES,
     .help = "CSV with from,to,label: one line per row (an empty label "
             "shows the length)"},
    {.name = "distance-style",
     .arg = "SPEC",
     .group = G_LINES,
     .setter = CLI_LINES,
     .flags = CLI_REPEAT,
     .help = "N|all: color=#rrggbb, width=PT, dash=ON OFF|none, for distance "
             "line N (the distances, then the border distances, from 1) or "
             "every one (repeatable; later ones win)"},
    {.name = "routes",
     .arg = "FILE",
     .group = G_ROUTES,
     .setter = CLI_LINES,
     .help = "a routes CSV (route,from,to,mode,via,date,label), or a GPX "
             "or KML file whose routes, tracks or LineStrings are the "
             "routes; see docs/routes.md"},
    {.name = "route-styles",
     .arg = "FILE",
     .group = G_ROUTES,
     .setter = CLI_LINES,
     .help = "route style overrides, one SPEC per line ('#' comments)"},
    {.name = "route-style",
     .arg = "SPEC",
     .group = G_ROUTES,
     .setter = CLI_LINES,
     .flags = CLI_REPEAT,
     .help = "MODE|all|route=NAME: color=#rrggbb, width=PT, dash=ON "
             "OFF|none (repeatable; wins over --route-styles)"},
    {.name = "route-dates",
     .arg = "WHERE",
     .values = "legend labels both none",
     .group = G_ROUTES,
     .setter = CLI_MAP,
     .help = "where the legs' dates go: legend (default), labels, both or "
             "none"},
    {.name = "sea-routing",
     .arg = "ON|OFF",
     .values = "on off",
     .group = G_ROUTES,
     .setter = CLI_MAP,
     .help = "on (default): sea legs go the shortest way at sea, through the "
             "bundled canals and straits, and are measured along it; off: "
             "geodesics"},
    {.name = "via-labels",
     .group = G_ROUTES,
     .setter = CLI_MAP,
     .help = "label the legs' via points with their names (italic, quieter "
             "than events)"},
};

/* Reading events: every command that reads an events file. */
static const cli_option_t events_rows[] = {
    {.name = "name-col",
     .arg = "NAME",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "the header column holding the names (case-insensitive; "
             "default: detected)"},
    {.name = "lat-col",
     .arg = "NAME",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "the latitude column"},
    {.name = "lon-col",
     .arg = "NAME",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "the longitude column"},
    {.name = "kind-col",
     .arg = "NAME",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "the kind column"},
    {.name = "date-col",
     .arg = "NAME",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "the date column (none: ignore dates)"},
    {.name = "delimiter",
     .arg = "D",
     .values = ", ; | tab",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "field delimiter: ',', ';', '|' (or pipe) or tab (default: "
             "detected from the header line)"},
    {.name = "strict",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "fail rather than tolerate: RFC 4180 to the letter (a quote "
             "inside an unquoted field is an error rather than data), and "
             "exit 1 when an event or label is not drawn (render writes "
             "nothing; batch writes its maps and counts them)"},
    {.name = "decimal-comma",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "coordinates written 48,85 (default in ';' files)"},
    {.name = "date-format",
     .arg = "FORMAT",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "how dates are written: epoch (seconds since 1970) or a "
             "pattern such as %d/%m/%Y (%Y %y %m %d %e %j %H %I %p %M %S %b "
             "%z %T %F; default ISO 8601, also 20240305 and 2024-W10); "
             "--date-col none ignores dates"},
    {.name = "encoding",
     .arg = "NAME",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "the file's character encoding, e.g. CP1252 (default UTF-8; "
             "UTF-16 with a byte order mark is recognised)"},
    {.name = "where",
     .arg = "COLUMN=VALUE",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .flags = CLI_REPEAT | CLI_CELL,
     .help = "keep rows whose cell equals VALUE, blanks around either "
             "ignored (repeatable; all must hold)"},
    {.name = "since",
     .arg = "DATE",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .flags = CLI_CELL,
     .help = "keep dated rows from DATE on (ISO 8601, inclusive)"},
    {.name = "until",
     .arg = "DATE",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .flags = CLI_CELL,
     .help = "keep dated rows up to DATE (ISO 8601, inclusive: a day "
             "covers the whole day)"},
    {.name = "geocode",
     .group = G_EVENTS,
     .setter = CLI_MAP,
     .help = "place rows without coordinates by their place or name cell "
             "through the offline gazetteer (--places, Natural Earth, "
             "GeoNames); names in distances, links and routes too"},
    {.name = "places",
     .arg = "FILE",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "CSV name,lat,lon[,country] searched before the bundled "
             "places (implies --geocode)"},
    {.name = "country",
     .arg = "CC",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "country hint for names placed by the gazetteer: ISO alpha-2 "
             "code or country name (a country column or \"Paris, FR\" wins)"},
    {.name = "skip-invalid",
     .group = G_EVENTS,
     .setter = CLI_CSV,
     .help = "use the valid rows and report the invalid ones, instead of "
             "failing"},
    {.name = "max-columns",
     .arg = "N",
     .group = G_LIMITS,
     .setter = CLI_CSV,
     .help = "most columns of a CSV header (default 16384; docs/limits.md)"},
    {.name = "max-field-kb",
     .arg = "N",
     .group = G_LIMITS,
     .setter = CLI_CSV,
     .help = "largest CSV field in KiB (default 1024)"},
    {.name = "max-record-mb",
     .arg = "N",
     .group = G_LIMITS,
     .setter = CLI_CSV,
     .help = "largest CSV record in MiB (default 16)"},
    {.name = "max-input-mb",
     .arg = "N",
     .group = G_LIMITS,
     .flags = CLI_CELL,
     .help = "largest file read whole, in MiB: --to-line, --route-styles "
             "(default 256), --css (default 1)"},
};

/* The commands that print tables of distances. */
static const cli_option_t table_rows[] = {
    {.name = "format",
     .arg = "FMT",
     .group = G_OUTPUT,
     .values = "csv json table",
     .help = "csv (default), json or table"},
    {.name = "units",
     .arg = "U",
     .group = G_OUTPUT,
     .values = "km m mi nmi",
     .help = "km (default), m, mi or nmi"},
};

static const cli_option_t help_rows[] = {
    {.name = "help",
     .short_name = 'h',
     .group = "Help",
     .help = "print this help and exit"},
};

/* Options of several commands that are not a section of their own: each
 * command lists them under a heading of its help (CLI_SECTION_IN). */
static const cli_option_t geodata_rows[] = {
    {.name = "geodata",
     .arg = "DIR",
     .help = "the folder of evmap's data: base maps "
             "(countries-<res>.evmgeo or .json), land, sea passages and "
             "places (default: $EVMAP_GEODATA, else the data installed or "
             "built with evmap)"},
};

static const cli_option_t jobs_rows[] = {
    {.name = "jobs",
     .short_name = 'j',
     .arg = "N",
     .help = "threads, 1..1024 (default: one per processor); the output is "
             "the same for any N"},
};

/* render and batch: every option of a map, then reading events. */
#define MAP_SECTIONS                                                           \
    CLI_SECTION(output_rows), CLI_SECTION(map_rows),                           \
        CLI_SECTION_IN(geodata_rows, G_MAP), CLI_SECTION(lines_rows),          \
        CLI_SECTION(events_rows), CLI_SECTION(help_rows),                      \
    {                                                                          \
        NULL, 0, NULL                                                          \
    }

/* ---- render ------------------------------------------------------------ */

static const cli_option_t render_rows[] = {
    {.name = "output",
     .short_name = 'o',
     .arg = "FILE",
     .group = G_OUTPUT,
     .help = "the map: .png, .svg or .pdf; '-' writes to standard output"},
    {.name = "css",
     .arg = "FILE",
     .group = G_OUTPUT,
     .help = "a style sheet (UTF-8, at most 1 MiB) appended to the native "
             "SVG's own"},
    {.name = "geojson",
     .arg = "FILE",
     .group = G_OUTPUT,
     .help = "also write the lines drawn (distances, routes) and the "
             "events with their columns as GeoJSON, after the map; '-' for "
             "standard output (docs/geojson.md)"},
    {.name = "timings",
     .group = G_OUTPUT,
     .help = "print where the time went (ms per step) on stderr"},
    {.name = "fsync",
     .group = G_OUTPUT,
     .help = "sync each file to disk before finishing"},
    {.name = "quiet",
     .short_name = 'q',
     .group = G_LABELS,
     .help = "no warnings about omitted labels or kinds sharing a style"},
    {.name = "verbose",
     .short_name = 'v',
     .group = G_LABELS,
     .help = "list every omitted label with its file and line (default: "
             "one summary line)"},
};

static const cli_section_t render_sections[] = {CLI_SECTION(render_rows),
                                                MAP_SECTIONS};

const cli_command_t cli_cmd_render = {
    .name = "render",
    .run = cli_render,
    .summary = "draw a map of events to PNG, SVG or PDF",
    .synopsis = "evmap render EVENTS.csv -o OUTPUT [options]",
    .description = "Draws a map of the events: base map, markers by kind, "
                   "labels, legend, scale bar, graticule, title and source "
                   "line.",
    .sections = render_sections,
};

/* ---- batch ------------------------------------------------------------- */

static const cli_option_t batch_rows[] = {
    {.name = "output",
     .short_name = 'o',
     .arg = "PATTERN",
     .group = G_BATCH,
     .flags = CLI_CELL,
     .help = "output for rows with an empty output cell, and for generated "
             "jobs; placeholders {name}, {id}, {kind}, {date}, {n}"},
    {.name = "out-dir",
     .arg = "DIR",
     .group = G_BATCH,
     .help = "write every output inside DIR: relative outputs are taken "
             "from DIR, and an absolute output or one climbing out with "
             "'..' fails its map (default: outputs are paths as written, "
             "from the current folder)"},
    {.name = "shard",
     .arg = "K/N",
     .group = G_BATCH,
     .help = "render every N-th job starting at K (0-based; default: from "
             "SLURM_ARRAY_TASK_ID/_COUNT, else all)"},
    {.name = "resume",
     .group = G_BATCH,
     .help = "skip a map whose output exists and is at least as new as its "
             "events file, its jobs file and its links, routes and "
             "route-styles files"},
    {.name = "no-fsync",
     .group = G_BATCH,
     .help = "do not sync each map to disk (faster, but a crash of the "
             "machine may lose maps reported written)"},
    {.name = "fail-fast",
     .group = G_BATCH,
     .help = "stop taking maps after the first failure"},
    {.name = "quiet",
     .short_name = 'q',
     .group = G_BATCH,
     .help = "no progress and no summary (failures are still printed)"},
    {.name = "each-event",
     .arg = "FILE",
     .group = G_BATCH,
     .help = "one map per event of FILE (after --where, --since, --until), "
             "centred on it, titled {name}"},
    {.name = "frames",
     .arg = "PERIOD",
     .values = "daily weekly",
     .group = G_BATCH,
     .help = "daily or weekly: one map per UTC day or ISO week (Monday "
             "first) from the first to the last dated event of --events, all "
             "with the extent of every dated event; subtitle: the period"},
    {.name = "window",
     .group = G_BATCH,
     .help = "with --frames: only the period's events, not all before"},
    {.name = "events",
     .arg = "FILE",
     .group = G_BATCH,
     .flags = CLI_CELL,
     .help = "events for rows with an empty events cell; with --frames, "
             "the events"},
};

static const cli_section_t batch_sections[] = {
    CLI_SECTION(batch_rows), CLI_SECTION_IN(jobs_rows, G_BATCH), MAP_SECTIONS};

const cli_command_t cli_cmd_batch = {
    .name = "batch",
    .run = cli_batch,
    .summary = "many maps from a jobs file, in parallel",
    .synopsis = "evmap batch JOBS.csv [options]\n"
                "evmap batch --each-event EVENTS.csv -o 'maps/{name}.png' "
                "[options]\n"
                "evmap batch --frames daily|weekly --events EVENTS.csv -o "
                "'frames/{date}.png' [--window] [options]",
    .description =
        "Renders many maps in parallel. Each row of JOBS.csv is one map; "
        "its columns are options without dashes: the options of the "
        "groups Output, Map, Distance lines and Routes but --geodata, and "
        "output, events, center, radius-km, where, since and until. An empty "
        "cell "
        "falls back to the option given here, then to the default; a cell "
        "of a repeatable option holds several values separated by ';'. "
        "Placeholders {name}, {id}, {kind}, {date} and {n} in names are "
        "made filename-safe.",
    .epilog = "Exit status: 0 every map written or up to date, 1 bad input "
              "data, 2 bad command line, 4 some maps failed (the others "
              "were written), 130, 143, 129 interrupted by SIGINT, SIGTERM, "
              "SIGHUP (maps written are whole; no temporary file is left).",
    .sections = batch_sections,
};

/* ---- dist -------------------------------------------------------------- */

static const cli_option_t dist_rows[] = {
    {.name = "from",
     .arg = "PLACE",
     .group = G_MEASURE,
     .help = "one place to every event"},
    {.name = "matrix",
     .group = G_MEASURE,
     .help = "the square matrix of distances"},
    {.name = "to-border",
     .arg = "COUNTRY",
     .group = G_MEASURE,
     .help = "each event to a country's boundary: a Natural Earth name, ISO "
             "alpha-3, alpha-2 or numeric code (Ukraine, UKR, UA, 804); adds "
             "the nearest point and whether the event is inside"},
    {.name = "to-line",
     .arg = "FILE",
     .group = G_MEASURE,
     .help = "each event to a GeoJSON LineString or MultiLineString"},
    {.name = "land-border-only",
     .group = G_MEASURE,
     .help = "with --to-border: land borders only, no coast"},
    {.name = "basemap",
     .arg = "RES",
     .group = G_MEASURE,
     .values = "110m 50m 10m",
     .help = "with --to-border: 110m, 50m or 10m (default 10m)"},
    {.name = "worldview",
     .arg = "V",
     .group = G_MEASURE,
     .values = "international de-facto",
     .help = "with --to-border: international (default: Crimea in Ukraine) "
             "or de-facto (Natural Earth's lines of control); a last column "
             "says which"},
};

static const cli_section_t dist_sections[] = {
    CLI_SECTION(dist_rows),
    CLI_SECTION_IN(geodata_rows, G_MEASURE),
    CLI_SECTION_IN(jobs_rows, G_OUTPUT),
    CLI_SECTION(table_rows),
    CLI_SECTION(events_rows),
    CLI_SECTION(help_rows),
    {NULL, 0, NULL}};

const cli_command_t cli_cmd_dist = {
    .name = "dist",
    .run = cli_dist,
    .summary = "geodesic distances between events, or to a border",
    .synopsis = "evmap dist EVENTS.csv [FROM TO] [options]",
    .description = "Geodesic distances on the WGS84 ellipsoid (Karney's "
                   "algorithm, exact to nanometres), on standard output: "
                   "every pair of events once, or FROM TO, or one of the "
                   "options below. Places are event names (exact, then "
                   "ignoring case) or coordinates given inline as "
                   "\"lat,lon\".",
    .sections = dist_sections,
};

/* ---- routes ------------------------------------------------------------ */

static const cli_option_t routes_rows[] = {
    {.name = "events",
     .arg = "FILE",
     .group = G_EVENTS,
     .help = "events CSV whose names the routes use"},
    {.name = "output",
     .short_name = 'o',
     .arg = "FILE",
     .group = G_OUTPUT,
     .help = "write FILE (replaced only once complete) instead of standard "
             "output"},
    {.name = "sea-routing",
     .arg = "ON|OFF",
     .values = "on off",
     .group = G_OUTPUT,
     .help = "on (default): sea legs measured along the shortest way at "
             "sea, with their geodesic length beside it; off: geodesics"},
};

static const cli_section_t routes_sections[] = {
    CLI_SECTION(routes_rows), CLI_SECTION_IN(geodata_rows, G_OUTPUT),
    CLI_SECTION(table_rows),  CLI_SECTION(events_rows),
    CLI_SECTION(help_rows),   {NULL, 0, NULL}};

const cli_command_t cli_cmd_routes = {
    .name = "routes",
    .run = cli_routes,
    .summary = "lengths of shipment routes, leg by leg",
    .synopsis = "evmap routes ROUTES.csv [--events EVENTS.csv] [options]",
    .description = "Lengths of shipment routes on the WGS84 ellipsoid: one "
                   "row per leg and a total per route, sea legs along their "
                   "way at sea with the geodesic length beside it. A routes "
                   "file has "
                   "the columns from and to, and optionally route, mode, "
                   "via, date and label (see docs/routes.md). Places are "
                   "event names (exact, then ignoring case) or coordinates "
                   "\"lat lon\" or \"lat,lon\"; without --events, "
                   "coordinates only. A GPX file's routes and tracks, or a "
                   "KML file's LineStrings, are read as routes too.",
    .sections = routes_sections,
};

/* ---- info -------------------------------------------------------------- */

static const cli_section_t info_sections[] = {
    CLI_SECTION(events_rows), CLI_SECTION(help_rows), {NULL, 0, NULL}};

const cli_command_t cli_cmd_info = {
    .name = "info",
    .run = cli_info,
    .summary = "summarise an events CSV file",
    .synopsis = "evmap info EVENTS.csv [options]",
    .description = "Summarises the file as evmap reads it: rows read, rows "
                   "rejected with reasons, rows filtered, detected columns, "
                   "bounding box, kinds and their counts, date range. "
                   "Invalid rows do not make info fail.",
    .sections = info_sections,
};

/* ---- geocode ----------------------------------------------------------- */

static const cli_option_t geocode_rows[] = {
    {.name = "places",
     .arg = "FILE",
     .group = "Gazetteer",
     .help = "CSV name,lat,lon[,country] searched before the bundled places"},
    {.name = "country",
     .arg = "CC",
     .group = "Gazetteer",
     .help = "country hint: ISO alpha-2 code or country name"},
    {.name = "format",
     .arg = "FMT",
     .group = G_OUTPUT,
     .values = "csv json",
     .help = "csv (default) or json"},
};

static const cli_section_t geocode_sections[] = {
    CLI_SECTION(geocode_rows),
    CLI_SECTION_IN(geodata_rows, "Gazetteer"),
    CLI_SECTION(help_rows),
    {NULL, 0, NULL}};

const cli_command_t cli_cmd_geocode = {
    .name = "geocode",
    .run = cli_geocode,
    .summary = "where named places are, from the offline gazetteer",
    .synopsis = "evmap geocode NAME... [options]\n"
                "evmap geocode FILE [options]",
    .description = "Looks names up in the offline gazetteer: the --places "
                   "file, then Natural Earth populated places and ports "
                   "pooled with GeoNames cities. Prints query, name, lat, "
                   "lon, country, admin1, source and the other candidates "
                   "as CSV or JSON, to check and freeze into a CSV. A FILE "
                   "is a CSV with a place or name column (and optionally "
                   "country). A name several places share resolves to the "
                   "most populous with a warning listing the others; "
                   "\"Paris, FR\" or --country narrows to one country. "
                   "Unknown names are reported with the closest names and "
                   "make the exit status 1.",
    .sections = geocode_sections,
};

/* ---- help: the generators of help.c ---------------------------------- */

static const cli_option_t help_cmd_rows[] = {
    {.name = "man",
     .group = "Output",
     .help = "the man page of COMMAND in roff, or evmap(1) without one"},
    {.name = "completion",
     .arg = "SHELL",
     .group = "Output",
     .values = "bash zsh",
     .help = "the completion script for bash or zsh"},
    {.name = "markdown",
     .group = "Output",
     .help = "the option list of COMMAND as in docs/cli.md"},
    {.name = "columns",
     .group = "Output",
     .help = "the jobs-file columns of batch that are also its options, "
             "one per line: the name, then the value's name (none for a "
             "flag, whose cell is yes or no)"},
    {.name = "write",
     .arg = "DIR",
     .group = "Output",
     .help = "write every man page into DIR/man1 and the completions into "
             "DIR/bash-completion/evmap and DIR/zsh/_evmap, as the build "
             "does"},
};

static const cli_section_t help_sections[] = {
    CLI_SECTION(help_cmd_rows), CLI_SECTION(help_rows), {NULL, 0, NULL}};

const cli_command_t cli_cmd_help = {
    .name = "help",
    .run = cli_help,
    .summary = "help on a command; man pages, completions",
    .synopsis = "evmap help [COMMAND]\n"
                "evmap help --man [COMMAND]\n"
                "evmap help --markdown COMMAND\n"
                "evmap help --completion bash|zsh\n"
                "evmap help --columns\n"
                "evmap help --write DIR",
    .description = "Prints the help of COMMAND, or what the build makes "
                   "from the option tables: the man pages, the option "
                   "lists of docs/cli.md and the shell completions.",
    .sections = help_sections,
};

/* ---- convert ------------------------------------------------------------ */

static const cli_option_t convert_rows[] = {
    {.name = "format",
     .arg = "FMT",
     .group = G_OUTPUT,
     .values = "csv geojson",
     .help = "csv or geojson (default: from OUT's extension, .csv, .tsv, "
             ".txt or .geojson, .json; needed with -)"},
};

static const cli_section_t convert_sections[] = {CLI_SECTION(convert_rows),
                                                 CLI_SECTION(events_rows),
                                                 CLI_SECTION(help_rows),
                                                 {NULL, 0, NULL}};

const cli_command_t cli_cmd_convert = {
    .name = "convert",
    .run = cli_convert,
    .summary = "write the events as evmap read them, as CSV or GeoJSON",
    .synopsis = "evmap convert EVENTS OUT.csv|OUT.geojson [options]",
    .description = "Reads EVENTS (CSV, GeoJSON, KML or GPX; - for standard "
                   "input) as every command does and writes the events "
                   "kept: a CSV with their columns, or GeoJSON Points at "
                   "the parsed coordinates with the columns as properties. "
                   "OUT - writes to standard output.",
    .sections = convert_sections,
};

const cli_command_t *const cli_commands[] = {
    &cli_cmd_render,  &cli_cmd_info,   &cli_cmd_dist,
    &cli_cmd_batch,   &cli_cmd_routes, &cli_cmd_geocode,
    &cli_cmd_convert, &cli_cmd_help,   NULL};
