/* The scene: the display list that layout produces and backends paint.
 *
 * Everything is in page units: pixels of the output at its --size, origin
 * at the top-left, y downwards. A scene is a fixed sequence of layers in
 * paint order; each holds items (paths, circles, text) with their style
 * and a stable id. Backends only paint; tests inspect the same structure.
 * The scene owns all its memory.
 *
 * Stability: the functions here are stable API, but the struct types
 * (evm_scene_t, its layers, items and styles) are NOT: their fields may
 * be added, reordered or changed in any minor version (0.x), as the
 * layout grows. Read a scene only in code built against the same
 * libevmap version, and never allocate these structs yourself; programs
 * that only render (evm_map_layout, evm_render*) are unaffected. */
#ifndef EVMAP_SCENE_H
#define EVMAP_SCENE_H

#include <stdbool.h>
#include <stddef.h>

#include "export.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Layers in paint order. */
typedef enum evm_layer_id {
    EVM_LAYER_OCEAN = 0,
    EVM_LAYER_LAND,
    EVM_LAYER_RIVERS,   /* under the lakes, which cover their ends */
    EVM_LAYER_LAKES,    /* filled like the ocean, shores like coasts */
    EVM_LAYER_DISPUTED, /* disputed areas tinted, their lines dashed */
    EVM_LAYER_BORDERS,
    EVM_LAYER_COASTLINES,
    EVM_LAYER_USER, /* the user's own GeoJSON layers (--layer) */
    EVM_LAYER_GRATICULE,
    EVM_LAYER_WATER_LABELS,   /* oceans and seas */
    EVM_LAYER_COUNTRY_LABELS, /* country names */
    EVM_LAYER_PLACES,         /* reference cities: dots and names */
    EVM_LAYER_DISTANCE_LINES,
    EVM_LAYER_ROUTES,
    EVM_LAYER_EVENTS,
    EVM_LAYER_LABELS,
    EVM_LAYER_LEGEND,
    EVM_LAYER_SCALE_BAR,
    EVM_LAYER_TITLE,
    EVM_LAYER_SOURCE,
    EVM_LAYER_COUNT
} evm_layer_id;

typedef struct evm_point {
    double x, y;
} evm_point_t;

typedef struct evm_rect {
    double x, y, w, h;
} evm_rect_t;

typedef struct evm_rgba {
    double r, g, b, a; /* each in [0, 1] */
} evm_rgba_t;

enum { EVM_DASH_MAX = 4 };

typedef enum evm_cap {
    EVM_CAP_BUTT = 0,
    EVM_CAP_ROUND,
    EVM_CAP_SQUARE
} evm_cap;
typedef enum evm_join {
    EVM_JOIN_MITER = 0,
    EVM_JOIN_ROUND,
    EVM_JOIN_BEVEL
} evm_join;

/* Paint of an item. A zero alpha means "no fill" / "no stroke". */
typedef struct evm_style {
    evm_rgba_t fill;
    evm_rgba_t stroke;
    double stroke_px;
    double dash_px[EVM_DASH_MAX]; /* on, off, on, off; n_dash 0: solid */
    size_t n_dash;
    evm_cap cap;
    evm_join join;
} evm_style_t;

/* A path: subpaths of points, each open or closed. Subpath k spans
 * pts[sub_start[k] .. sub_start[k+1]) (the last ends at n_pts). */
typedef struct evm_path {
    evm_point_t *pts;
    size_t n_pts, cap_pts;
    size_t *sub_start;
    bool *sub_closed;
    size_t n_subs, cap_subs;
} evm_path_t;

typedef enum evm_item_kind {
    EVM_ITEM_PATH = 0,
    EVM_ITEM_CIRCLE,
    EVM_ITEM_TEXT
} evm_item_kind;

typedef enum evm_font_weight {
    EVM_WEIGHT_NORMAL = 400,
    EVM_WEIGHT_SEMIBOLD = 600,
    EVM_WEIGHT_BOLD = 700
} evm_font_weight;

/* Text is laid out with Pango from font_family at size_px with weight, no
 * wrapping, and placed with the top-left corner of its logical extents
 * at (box.x, box.y); box.w and box.h are its measured extents. A halo is a
 * stroke of halo_px around the glyphs painted under them. A label along a
 * line is then turned by angle_rad about the centre of box: clockwise on
 * the page (y points down), as SVG's rotate() and cairo_rotate turn; 0
 * for level text, and a non-finite angle reads as 0. */
typedef struct evm_text {
    char *utf8;
    char *font_family;
    double size_px;
    evm_font_weight weight;
    evm_rect_t box;
    evm_rgba_t color;
    evm_rgba_t halo;
    double halo_px;
    bool italic; /* the family's italic face (water names) */
    double angle_rad;
} evm_text_t;

/* A named value an item carries for the SVG backend, which writes it as
 * data-<name>="<value>" (a route's "mode", a distance line's
 * "distance-km"). Both strings are owned by the scene. */
typedef struct evm_item_data {
    char *name;
    char *value;
} evm_item_data_t;

typedef struct evm_item {
    evm_item_kind kind;
    char *id;   /* stable within the scene, e.g. "event-3" */
    char *cls;  /* a class for styling, e.g. the event kind; may be "" */
    long event; /* index of the event it shows, or -1 */
    evm_style_t style;
    evm_path_t path;       /* EVM_ITEM_PATH */
    evm_point_t center;    /* EVM_ITEM_CIRCLE; also a marker polygon's */
    double r_px;           /* EVM_ITEM_CIRCLE */
    evm_text_t text;       /* EVM_ITEM_TEXT */
    evm_item_data_t *data; /* see evm_item_add_data */
    size_t n_data;
} evm_item_t;

typedef struct evm_layer {
    evm_layer_id id;
    const char *name;   /* "ocean", "land", ... "source" */
    bool clip_to_frame; /* painted inside scene->frame only */
    evm_item_t *items;
    size_t n_items, cap_items;
} evm_layer_t;

/* What an omission left out. */
typedef enum evm_omission_kind {
    EVM_OMIT_LABEL = 0, /* a label: an event's or a line's */
    EVM_OMIT_EVENT,     /* an event's marker: it cannot be projected */
    EVM_OMIT_OUTSIDE,   /* an event outside an extent the caller chose */
    EVM_OMIT_LINE       /* a distance line or route leg with no part on
                           the map (outside the frame, the far side) */
} evm_omission_kind;

/* Something the map does not show, and why: every event and label the
 * layout leaves out is listed, so that nothing goes missing silently. */
typedef struct evm_omission {
    long event;   /* index in the events, or -1 for a line or its label */
    char *text;   /* the label, or the event's name, or the line's label */
    char *reason; /* "no room", "no installed font has its glyphs",
                     "cannot be projected in +proj=merc ..." */
    evm_omission_kind kind;
} evm_omission_t;

/* An event as the map shows it, copied from the events at layout so that
 * a backend needs nothing but the scene: the SVG backend writes its cells
 * as data-* attributes. Scene event i is the event that items with
 * item.event == i show. All strings of one event live in one block owned
 * by the scene. An event drawn only inside a cluster (a bubble, whose
 * item carries data "count" and "members") has an entry whose strings
 * are all "" and whose values is NULL: no item shows it by itself. */
typedef struct evm_scene_event {
    /* Unique in the scene and safe in an XML id after a prefix: the name
     * lower-cased with other characters as '-', "seoul", "seoul-2"; the
     * 1-based row number when the name has nothing usable. */
    char *slug;
    char *name; /* "" when absent, as the other cells */
    char *kind;
    char *date;
    char **values; /* one cell per scene column, in column order */
    /* Where the event is, degrees (WGS84); NaN when the scene was given
     * none (evm_scene_add_event sets NaN, layout sets the position). */
    double lat_deg, lon_deg;
    /* The cluster whose bubble draws it: its item is "cluster-<cluster
     * + 1>"; -1 when the event is in none (or a cluster of one). */
    long cluster;
} evm_scene_event_t;

/* A property of a feature: text, or a number when is_number. */
typedef struct evm_feature_prop {
    char *name;
    char *text; /* NULL when is_number */
    double number;
    bool is_number;
} evm_feature_prop_t;

/* A line the map draws, in geographic coordinates, for export as GeoJSON
 * (evm_scene_write_geojson): a route leg, a distance line, a line to a
 * border. Consecutive vertices are joined by the geodesic between them,
 * as on the map. */
typedef struct evm_scene_feature {
    char *id;        /* the id of the item that draws it, "route-0-leg-1" */
    char *kind;      /* "route-leg", "distance", "border-distance" */
    double *lat_lon; /* n_vertices pairs: latitude, longitude (degrees) */
    size_t n_vertices;
    evm_feature_prop_t *props; /* in the order added */
    size_t n_props;
} evm_scene_feature_t;

/* Where layout spent its time, for `evmap render --timings` and the
 * benchmarks: milliseconds per step. */
typedef enum evm_layout_step {
    EVM_STEP_BASEMAP_LOAD = 0, /* reading geodata (first use only) */
    EVM_STEP_BASEMAP_GEOMETRY, /* cutting, clipping, projecting */
    EVM_STEP_GRATICULE,
    EVM_STEP_MARKERS_FURNITURE, /* markers, title, legend, scale bar */
    EVM_STEP_LABELS,
    EVM_STEP_COUNT
} evm_layout_step;

EVM_API const char *evm_layout_step_name(evm_layout_step step);

typedef struct evm_scene {
    double width_px, height_px;
    double dpi;       /* physical resolution for PNG metadata/PDF size */
    evm_rect_t frame; /* the map frame inside the page */
    /* The frame in projected coordinates (the projection's units, x
     * east, y north): x0, y0 at the frame's bottom left, x1, y1 at its
     * top right. */
    double map_box[4];
    evm_rgba_t background; /* page colour outside the frame */
    char *title;           /* document title (may be "") */
    char *description;     /* a one-line summary of what the map shows */
    char *projection;      /* the PROJ definition used */
    evm_layer_t layers[EVM_LAYER_COUNT];
    evm_omission_t *omissions;
    size_t n_omissions, cap_omissions;
    /* Event labels that were to be drawn (the denominator of the
     * omissions' summary), and kinds that had to share a marker style
     * with a kind hard to tell from them (more kinds than styles). */
    size_t n_labels_wanted;
    size_t n_style_collisions;
    /* Events without a marker: on the far side of the globe (an
     * orthographic view), and outside the frame (a given extent). The
     * map says so in a note and in its description. */
    size_t n_events_far_side, n_events_outside;
    /* The map's scale at the frame's centre, as 1:scale_denominator (0
     * when unknown). Natural Earth 1:10m holds detail to about 1:2M;
     * below that coastlines are visibly coarse and the CLI warns. */
    double scale_denominator;
    double step_ms[EVM_STEP_COUNT];
    /* The events' table: column names and one entry per event. */
    char **columns;
    size_t n_columns;
    evm_scene_event_t *events;
    size_t n_events, cap_events;
    /* Borrowed from layout's caller, NULL when none: the events that
     * scene event i copies (its index there is i), so that the GeoJSON
     * export can give the cells of the entries left blank. Valid while
     * those events live. */
    const struct evm_events *source_events;
    void *slugs; /* private: the slugs taken, for uniqueness */
    /* private: the omissions' reasons, each kept once and shared (a
     * million events outside an extent share one) */
    void *reasons;
    /* The lines drawn, in geographic coordinates. */
    evm_scene_feature_t *features;
    size_t n_features, cap_features;
    /* What the map draws otherwise than asked, one sentence each, for
     * the caller to pass on: a sea leg that could not be routed at sea
     * (drawn as a geodesic), a rail or road leg over open sea. */
    char **warnings;
    size_t n_warnings, cap_warnings;
    /* Point and MultiPoint features of the user's --layer files: counted,
     * not drawn (a base layer holds areas and lines). */
    size_t n_layer_points;
} evm_scene_t;

/* An empty scene of a page size, with all layers named and empty. */
EVM_API evm_status evm_scene_create(double width_px, double height_px,
                                    double dpi, evm_scene_t **out,
                                    evm_error_t *err);
EVM_API void evm_scene_destroy(evm_scene_t *scene);
EVM_API const char *evm_layer_name(evm_layer_id id);

/* Appends an item (deep copies of id/cls; the item's path and text
 * strings are taken over by the scene). Returns the stored item or NULL
 * when out of memory. */
EVM_API evm_item_t *evm_scene_add(evm_scene_t *scene, evm_layer_id layer,
                                  evm_item_t *item);

/* Sets the events' column names (copied), before any event is added.
 * EVM_OK, EVM_ERR_INVALID_ARG after events or EVM_ERR_NOMEM. */
EVM_API evm_status evm_scene_set_columns(evm_scene_t *scene,
                                         const char *const *names,
                                         size_t n_names);

/* Appends an event (all strings copied; NULL reads as ""): values holds
 * one cell per column set with evm_scene_set_columns and may be NULL when
 * there are none. Its slug is derived from name and made unique; its
 * position is NaN until the caller sets lat_deg and lon_deg. Returns the
 * stored event (valid until the next one is added) or NULL when out of
 * memory. */
EVM_API evm_scene_event_t *
evm_scene_add_event(evm_scene_t *scene, const char *name, const char *kind,
                    const char *date, const char *const *values);

/* Attaches a data value to an item already in a scene (both strings
 * copied). EVM_OK or EVM_ERR_NOMEM. */
EVM_API evm_status evm_item_add_data(evm_item_t *item, const char *name,
                                     const char *value);

/* Appends a feature (id, kind and the n_vertices lat/lon pairs copied).
 * Returns the stored feature (valid until the next one is added) or NULL
 * when out of memory. */
EVM_API evm_scene_feature_t *
evm_scene_add_feature(evm_scene_t *scene, const char *id, const char *kind,
                      const double *lat_lon, size_t n_vertices);
/* Adds a text or a number property to a feature (strings copied).
 * EVM_OK or EVM_ERR_NOMEM. */
EVM_API evm_status evm_feature_add_text(evm_scene_feature_t *f,
                                        const char *name, const char *text);
EVM_API evm_status evm_feature_add_number(evm_scene_feature_t *f,
                                          const char *name, double number);

/* Path building. All return EVM_OK or EVM_ERR_NOMEM. */
EVM_API evm_status evm_path_move_to(evm_path_t *path, double x, double y);
EVM_API evm_status evm_path_line_to(evm_path_t *path, double x, double y);
EVM_API void evm_path_close(evm_path_t *path);
EVM_API void evm_path_free(evm_path_t *path);
/* Number of points in subpath k. */
EVM_API size_t evm_path_sub_len(const evm_path_t *path, size_t k);

#ifdef __cplusplus
}
#endif

#endif
