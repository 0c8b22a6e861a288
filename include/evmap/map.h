/* Map layout: events and base map in, a scene out.
 *
 * evm_map_layout chooses the projection and extent (unless given), picks
 * the base map resolution from the map's scale, projects and clips the
 * base map to the view, and places markers, labels, legend, scale bar,
 * title and source line without overlaps. */
#ifndef EVMAP_MAP_H
#define EVMAP_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "events.h"
#include "export.h"
#include "geodata.h"
#include "routes.h"
#include "scene.h"
#include "status.h"
#include "units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A geodesic to draw between two points, labelled at mid-line. */
typedef struct evm_map_distance {
    double lat1_deg, lon1_deg; /* from */
    double lat2_deg, lon2_deg; /* to */
    const char *label; /* NULL or "": its length, "1,441 km" (in units) */
    /* The ends' names, or NULL (coordinates): a label that cannot be
     * placed unambiguously names them, "Seoul–Honolulu 7,323 km". */
    const char *from_name, *to_name;
} evm_map_distance_t;

/* The shortest line from a point to a country's boundary, measured on
 * the 1:10m data whatever the base map drawn; the country's outline is
 * highlighted. */
typedef struct evm_map_border_distance {
    double lat_deg, lon_deg;
    const char *country; /* Natural Earth name, ISO alpha-3 or numeric */
    bool land_only;      /* to land borders only, not coastline */
    const char *label;   /* NULL or "": "201 km to Ukraine" */
    const char *name;    /* the place's name, or NULL (coordinates) */
} evm_map_border_distance_t;

/* A style override for route legs, by mode or by route. A leg starts
 * from its mode's default look; then the entries by mode (route NULL)
 * whose mode is the leg's or -1 apply in order, then the entries naming
 * the leg's route apply in order (their mode is not read). So later
 * entries win over earlier ones, and a route's entries win over those by
 * mode whatever the order they are given in. Rail's cross ties follow
 * the line's colour and width; arrowheads take the line's colour and
 * grow with its width. A mode that is not one, a negative width or dash
 * is EVM_ERR_INVALID_ARG at layout. */
typedef struct evm_map_route_style {
    const char *route; /* a route's name, or NULL: by mode */
    int mode;          /* by mode: an evm_route_mode, or -1: every mode */
    bool has_color;
    evm_rgba_t color; /* the line's colour (and its arrowheads') */
    double width_pt;  /* line width in points; 0: unchanged */
    bool has_dash;
    double dash_pt[EVM_DASH_MAX]; /* on, off, ...; n_dash 0: solid */
    size_t n_dash;
} evm_map_route_style_t;

/* A style override for distance lines (the distance option's and the
 * border-distance option's, numbered from 1 in that order), or for every
 * one (line 0). Entries apply in order, so later ones win; with no
 * override, a map of several lines gives each its own colour and dash
 * from a palette made for colour-blind readers. A line that does not
 * exist, a negative width or dash is EVM_ERR_INVALID_ARG at layout. */
typedef struct evm_map_distance_style {
    size_t line; /* 1-based, or 0: every line */
    bool has_color;
    evm_rgba_t color;
    double width_pt; /* 0: unchanged */
    bool has_dash;
    double dash_pt[EVM_DASH_MAX]; /* on, off, ...; n_dash 0: solid */
    size_t n_dash;
} evm_map_distance_style_t;

/* The look of an event kind set by the user (`--kind-style`), in place
 * of the one its name hashes to: its fill colour, its marker shape
 * (EVM_MAP_SHAPE_*) and its marker's width in points (the diameter of a
 * circle of the same area). The other kinds keep clear of it. */
typedef enum evm_map_shape {
    EVM_MAP_SHAPE_CIRCLE = 0,
    EVM_MAP_SHAPE_SQUARE,
    EVM_MAP_SHAPE_TRIANGLE,
    EVM_MAP_SHAPE_DIAMOND,
    EVM_MAP_SHAPE_TRIANGLE_DOWN,
    EVM_MAP_SHAPE_HEXAGON
} evm_map_shape;

typedef struct evm_map_kind_style {
    const char *kind; /* as in the kind column; ASCII case is ignored */
    bool has_color;
    evm_rgba_t color;
    bool has_shape;
    evm_map_shape shape;
    double size_pt; /* 0: the map's default (8 pt) */
} evm_map_kind_style_t;

/* The palette the map is drawn in. */
typedef enum evm_theme {
    EVM_THEME_LIGHT = 0, /* the default */
    EVM_THEME_DARK,      /* for screens: dark sea and land, light type */
    EVM_THEME_PRINT      /* greyscale-safe, heavier lines and type */
} evm_theme;

/* Where route dates go. */
typedef enum evm_route_dates {
    EVM_ROUTE_DATES_LEGEND = 0, /* "2023-09-07 – 2023-10-01" per route */
    EVM_ROUTE_DATES_LABELS,     /* in each leg's label */
    EVM_ROUTE_DATES_BOTH,
    EVM_ROUTE_DATES_NONE
} evm_route_dates;

/* Where the map will appear: a page size, a dpi and a type scale
 * (docs/cli.md, "Presets"). */
typedef enum evm_preset {
    EVM_PRESET_NONE = 0, /* the size and dpi options alone */
    EVM_PRESET_WEB,      /* 1600x1000 px, 96 dpi, type x1 */
    EVM_PRESET_COLUMN,   /* 800x600 px, 96 dpi, type x1.3 */
    EVM_PRESET_PRINT,    /* 2400x1600 px, 300 dpi (8 x 5.33 in), type x1 */
    EVM_PRESET_SOCIAL    /* 1200x675 px (16:9), 96 dpi, type x1.4 */
} evm_preset;

/* The version of evm_evm_map_options_t this header declares. */
/* 2: the reference layers; 3: clustering, density, kind styles,
 * the frame's countries, degree labels, sea routing and via labels;
 * 4: presets; 5: geocode. */
#define EVM_MAP_OPTIONS_VERSION 5

/* The locator inset: a small map of the surroundings with the main
 * frame outlined. */
/* Events that crowd the page (more than a few per marker area). */
typedef enum evm_cluster {
    EVM_CLUSTER_AUTO = 0, /* clusters when the markers crowd, else markers */
    EVM_CLUSTER_ON,       /* always clusters */
    EVM_CLUSTER_OFF       /* one marker per event, however crowded */
} evm_cluster;

/* A density layer in place of the markers: the count of events per cell
 * in a colour ramp, with a legend. */
typedef enum evm_density {
    EVM_DENSITY_NONE = 0,
    EVM_DENSITY_HEX,  /* hexagonal bins */
    EVM_DENSITY_GRID, /* square bins */
    EVM_DENSITY_HEAT  /* a kernel density estimate (Gaussian) */
} evm_density;

typedef enum evm_inset {
    EVM_INSET_AUTO = 0, /* when the frame is under about 1,000 km across,
                           in a corner that covers no event */
    EVM_INSET_OFF,
    EVM_INSET_NW, /* forced into that corner of the frame */
    EVM_INSET_NE,
    EVM_INSET_SW,
    EVM_INSET_SE
} evm_inset;

/* A user base layer's look: polygons filled with fill and outlined
 * with stroke, lines stroked with stroke, width_pt wide; a colour with
 * alpha 0 is not drawn. */
typedef struct evm_map_layer_style {
    evm_rgba_t fill, stroke;
    double width_pt;
    double dash_pt[EVM_DASH_MAX];
    size_t n_dash;
} evm_map_layer_style_t;

/* A user base layer read from GeoJSON (load/user_layer.h). */
typedef struct evm_user_layer evm_user_layer_t;

typedef struct evm_map_options {
    /* EVM_MAP_OPTIONS_VERSION, set by evm_map_options_init: the
     * layout of this struct the caller was built with, so that fields can
     * be added without breaking callers built before. */
    unsigned version;
    double width_px, height_px; /* page size; default 1600 x 1000 */
    /* false (the default): the page keeps the area width_px x height_px
     * but takes the shape of the data, from 1:2 portrait to 2:1
     * landscape; true (the size option): the page is exactly that. */
    bool has_size;
    double dpi;           /* default 96: 1 pt = 96/72 px */
    const char *title;    /* NULL or "": no title band */
    const char *subtitle; /* optional second line */
    const char *source;   /* extra credit before "Natural Earth" */
    const char *proj;     /* anything PROJ accepts; NULL: choose */
    bool has_extent;
    double extent[4];        /* W, S, E, N in degrees; W > E crosses
                                the antimeridian */
    evm_basemap_res basemap; /* AUTO: from the map scale */
    evm_units units;         /* of the scale bar */
    bool graticule, legend, scale_bar;
    bool labels;           /* event labels; default true */
    const char *label_col; /* label text column; NULL: the name */
    /* Label priority column (numeric, higher first); NULL: capitals
     * first, then earlier rows. */
    const char *label_priority_col;
    const char *font_family; /* default "Noto Sans" */
    /* Distance lines (borrowed; default none), drawn in the layer
     * EVM_LAYER_DISTANCE_LINES with a legend entry. */
    const evm_map_distance_t *distances;
    size_t n_distances;
    const evm_map_border_distance_t *border_distances;
    size_t n_border_distances;
    /* Route legs (borrowed, e.g. from evm_routes_legs; default none),
     * drawn in EVM_LAYER_ROUTES by mode with arrowheads, labels and
     * legend entries; legs of one route are consecutive and in order. */
    const evm_route_leg_t *route_legs;
    size_t n_route_legs;
    const evm_map_route_style_t *route_styles; /* borrowed */
    size_t n_route_styles;
    const evm_map_distance_style_t *distance_styles; /* borrowed */
    size_t n_distance_styles;
    evm_route_dates route_dates;
    evm_inset inset; /* default EVM_INSET_AUTO */
    /* Threads layout may use besides the caller's: 0 lets evmap choose
     * (a large base map is projected on two), 1 keeps all the work on
     * the calling thread, as a batch that already runs one map per core
     * wants. */
    unsigned threads;
    /* Version 2. The reference layers (default all on): cities for
     * orientation, country names, ocean and sea names, rivers. Lakes and
     * disputed areas are part of the base map and always drawn. A
     * version 1 caller gets the defaults. */
    bool places, country_labels, water_labels, rivers;
    evm_worldview worldview; /* default EVM_WORLDVIEW_INTERNATIONAL */
    evm_theme theme;         /* default EVM_THEME_LIGHT */
    /* Version 3: the fields below; a version 2 caller gets their
     * defaults. Crowded events: counted bubbles (docs/dense.md). Default
     * AUTO. */
    evm_cluster cluster;
    /* A density layer instead of markers; default NONE. */
    evm_density density;
    /* Kind styles set by the user (borrowed; default none); for a kind
     * given twice the later entry's properties win. */
    const evm_map_kind_style_t *kind_styles;
    size_t n_kind_styles;
    /* Version 3. When has_extent is false: countries whose mainlands
     * the map frames, comma-separated Natural Earth names or ISO
     * 3166-1 codes ("France", "KOR,PRK", "US"); NULL: none. A country's
     * mainland is its largest landmass with every part within 300 km (or
     * 5 % of that landmass's size) of a part already taken, so overseas
     * parts are left out (docs/projections.md). Borrowed. */
    const char *extent_countries;
    /* Degrees on the frame's edges (default true; never on a world
     * map, nor without the graticule). */
    bool graticule_labels;
    /* Sea legs drawn along the shortest way at sea on the bundled 1:10m
     * land, through the bundled canals and straits, and measured along
     * it (default true; false: geodesics, as every other mode); see
     * docs/routes.md. Via points of route legs labelled with their
     * names, in italic and quieter than events (default false). */
    bool sea_routing;
    bool via_labels;
    /* Version 4. A preset gives the page size, dpi and type scale (text,
     * markers and lines, all in points, drawn that much larger); a size
     * (has_size) or dpi (has_dpi) set explicitly wins over it, in
     * whatever order they were given. Default EVM_PRESET_NONE. */
    evm_preset preset;
    bool has_dpi; /* set by the dpi option */
    /* Version 4. The user's own base layers (`--layer`), drawn in
     * EVM_LAYER_USER over the land and under the events, in order; they
     * never move the frame. Borrowed from an evm_map_distance_opts_t
     * (key "layer"). */
    const evm_user_layer_t *const *layers;
    size_t n_layers;
    /* Version 4. A numeric column whose value sets each marker's area
     * (sqrt scaling of the radius, 1.5..14 pt), larger markers drawn
     * first, with a size legend; a cell that is empty, not a number or
     * negative is an error at its file, line and column. NULL: kind
     * sizes. Borrowed. */
    const char *size_col;
    /* Version 5. The events are placed by name where they have no
     * coordinates (the `geocode` option; default false). Layout does not
     * read it: it tells whoever loads the events (evmap render, a batch
     * job) to load them with a gazetteer. Whatever the setting, the
     * source line credits GeoNames when one of the events shown was
     * placed from it (evm_events_placed_count). */
    bool geocode;
    /* Version 5. How many places named outside the events (a distance
     * line's end, a route's stop, the centre) the gazetteer placed at
     * GeoNames cities (evm_place_lookup_t's geonames_picks): the source
     * line credits GeoNames, CC BY, when this is not 0 as when an event
     * shown was placed from it. Default 0. */
    size_t geonames_places;
} evm_map_options_t;

EVM_API void evm_map_options_init(evm_map_options_t *opt);

/* Lays out a map. events may be empty or NULL (a base map only) when an
 * extent is given. geodata is shared and read-only. The caller owns
 * *out. */
EVM_API evm_status evm_map_layout(evm_context_t *ctx,
                                  const evm_events_t *events,
                                  evm_geodata_t *geodata,
                                  const evm_map_options_t *opt,
                                  evm_scene_t **out, evm_error_t *err);

/* Sets one option from text, as `evmap render` and the cells of a batch
 * jobs file give it; the key is the command-line option without its
 * dashes ('_' may stand for '-', ASCII case is ignored):
 *   size WxH (whole pixels written as digits, 64..20000), dpi (10..2400),
 * title, subtitle, source, proj (any PROJ definition; "" lets layout choose),
 * extent W,S,E,N (degrees, S < N, W > E crosses the antimeridian) or
 *   COUNTRY[,COUNTRY...] (extent_countries; checked by layout), basemap
 *   auto|110m|50m|10m, units km|mi|nmi|m, font FAMILY, graticule|legend|
 *   scale-bar|labels|graticule-labels yes|no (also true/false, on/off,
 *   1/0), the flags no-graticule, no-legend, no-scale-bar, no-labels,
 *   no-graticule-labels (value "" or
 *   yes|no), route-dates legend|labels|both|none, label-col COLUMN
 *   (the labels' text), label-priority COLUMN (numeric, higher
 *   labelled first), places|country-labels|water-labels|rivers yes|no
 *   and their flags no-places, no-country-labels, no-water-labels,
 *   no-rivers, worldview international|de-facto, theme
 *   light|dark|print, inset auto|off|nw|ne|sw|se and preset
 *   web|column|print|social (a size or dpi given too wins over it),
 *   size-col COLUMN (marker area from a numeric column), geocode
 *   yes|no (value "" is yes: the events placed by name).
 * String values are borrowed: value must outlive every use of opt. A bad
 * value is EVM_ERR_INVALID_ARG with a message naming the key and the
 * expected form (no file or line: the caller knows where the value came
 * from); an unknown key is EVM_ERR_NOT_FOUND, so a caller may try its
 * own keys first or after. opt is unchanged on failure. The distance
 * lines and routes (distance, border-distance, land-border-only, links,
 * routes, route-style, route-styles) and the kind styles (kind-style,
 * kind-styles) name events or read files and go
 * through evm_map_distance_opts_set below. */
EVM_API evm_status evm_map_options_set(evm_map_options_t *opt, const char *key,
                                       const char *value, evm_error_t *err);
/* Whether evm_map_options_set knows key. */
EVM_API bool evm_map_options_has_key(const char *key);
/* The keys evm_map_options_set knows, in their canonical spelling, i from
 * 0 until NULL: a batch takes each as a jobs-file column. */
EVM_API const char *evm_map_options_key(size_t i);
/* Parses "W,S,E,N" as the extent option does; EVM_ERR_INVALID_ARG and
 * extent unchanged when it is not one. */
EVM_API evm_status evm_map_parse_extent(const char *text, double extent[4]);

/* Distance lines and routes from text: the options distance FROM:TO,
 * border-distance PLACE:COUNTRY, land-border-only, links FILE, routes
 * FILE, route-style SPEC and route-styles FILE of `evmap render`, and
 * the same cells of a batch jobs file. Unlike the keys of
 * evm_map_options_set they name places, so they are resolved against the
 * map's events (after its filters) as they are set, and the parsed lines
 * are kept in an evm_map_distance_opts_t that owns them (with a copy of
 * every string and the links files it read); evm_map_distance_opts_apply
 * then points an evm_map_options_t at them, borrowed: the distance
 * options must outlive every use of those map options. */
typedef struct evm_map_distance_opts evm_map_distance_opts_t;

EVM_API evm_status evm_map_distance_opts_create(evm_map_distance_opts_t **out,
                                                evm_error_t *err);
/* Frees; NULL is a no-op. */
EVM_API void evm_map_distance_opts_destroy(evm_map_distance_opts_t *d);
/* Whether evm_map_distance_opts_set knows key (same spelling rules as
 * evm_map_options_set). */
EVM_API bool evm_map_distance_opts_has_key(const char *key);

/* Adds one option; key as for evm_map_options_set:
 *   distance FROM:TO   a geodesic between two places; split at the first
 *                      ':' where both sides resolve (names may hold ':')
 *   border-distance PLACE:COUNTRY
 *                      the shortest line to a country's boundary; split
 *                      at the last ':' (Natural Earth name, ISO alpha-3
 *                      or numeric code)
 *   land-border-only   "" or yes|no: every border distance, before or
 *                      after, goes to land borders only
 *   links FILE         a links CSV (see links.h): one line per row
 *   routes FILE        a routes CSV (see routes.h), read with
 *                      evm_routes_load_file against events; a later file
 *                      replaces an earlier one
 *   route-style SPEC   "SELECTOR: PROPERTY=VALUE, ..." with SELECTOR a
 *                      mode, "all" or "route=NAME" and the properties
 *                      color (#rgb, #rrggbb, #rrggbbaa), width (points)
 *                      and dash (lengths in points, or none);
 *                      EVM_ERR_INVALID_ARG saying what is wrong
 *   route-styles FILE  one SPEC per line, '#' comments; a bad line, a NUL
 *                      byte or a file over the size limit is
 *                      EVM_ERR_PARSE with the file and line
 *   max-input-mb N     the size limit, in MiB, of a route-styles or
 *                      kind-styles file read after it (default 256)
 *   kind-style SPEC    "KIND: PROPERTY=VALUE ..." (properties separated
 *                      by spaces or commas): color (#rgb, #rrggbb,
 *                      #rrggbbaa), shape (circle, square, triangle,
 *                      diamond, triangle-down, hexagon) and size (the
 *                      marker's width in points, 2..40); a bare colour
 *                      or shape name stands for itself ("port: #d00
 *                      square"); the split is at the last ':'
 *   kind-styles FILE   one kind-style SPEC per line, '#' comments, as
 *                      route-styles
 *   center PLACE       frame the map on the circle of radius-km around
 *                      PLACE (an event, "lat,lon" or, with a lookup, a
 *                      gazetteer name): evm_map_distance_opts_apply sets
 *                      the map's extent to the circle's bounds
 *   radius-km KM       that circle's radius, (0, 20000] (default 500;
 *                      without a center it has no effect)
 * A place is an event of events (may be NULL: coordinates only) or
 * inline "lat,lon" (evm_place_resolve). Lines are drawn in the order they
 * were added. Errors leave d unchanged:
 *   EVM_ERR_INVALID_ARG, no file: the value is not of the key's form
 *     ("distance needs FROM:TO, not \"Seoul\"");
 *   EVM_ERR_NOT_FOUND: a place does not resolve, "distance SPEC: why"
 *     with the reason and suggestions, or for a links row the links
 *     file, line and column of the name;
 *   a links file that cannot be read keeps its own status and place;
 *   EVM_ERR_NOT_FOUND for an unknown key, as evm_map_options_set. */
EVM_API evm_status evm_map_distance_opts_set(evm_map_distance_opts_t *d,
                                             const evm_events_t *events,
                                             const char *key, const char *value,
                                             evm_error_t *err);
/* Places named in later calls of evm_map_distance_opts_set are looked
 * up through lookup's gazetteer (and country and warn) after the events
 * and coordinates; lookup's events are ignored (each call gives its
 * own). lookup is copied; its gazetteer must outlive d. NULL: none. */
EVM_API void evm_map_distance_opts_set_lookup(evm_map_distance_opts_t *d,
                                              const evm_place_lookup_t *lookup);
/* Points opt's distances, border_distances, route_legs, route_styles and
 * kind_styles at d's (borrowed) and, when a center was set, sets opt's extent
 * to the circle around it; d unchanged. */
EVM_API void evm_map_distance_opts_apply(const evm_map_distance_opts_t *d,
                                         evm_map_options_t *opt);

#ifdef __cplusplus
}
#endif

#endif
