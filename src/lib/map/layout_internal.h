/* State shared by the steps of map layout: the scene being built, the
 * view, text measuring, event kinds and the obstacles labels must avoid.
 * Each step (base map, graticule, markers, furniture, labels) lives in its
 * own file and adds to the scene through this struct. */
#ifndef EVM_MAP_LAYOUT_INTERNAL_H
#define EVM_MAP_LAYOUT_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <pango/pangocairo.h>

#include <evmap/map.h>

#include "core/context_internal.h"
#include "geo/view.h"
#include "map/extent.h"

/* A uniform grid indexing rectangles by the cells they meet
 * (obstacles.c). */
typedef struct evm_grid_index {
    double cell;
    int nx, ny;
    int32_t *head;  /* per cell: its first entry, or -1 */
    int32_t *next;  /* per entry: the next entry of its cell, or -1 */
    uint32_t *item; /* per entry: the indexed item */
    size_t n, cap;
    uint32_t *stamp; /* per item: the last query that visited it */
    size_t n_stamp;
    uint32_t query;
} evm_grid_index_t;

evm_status evm_grid_index_init(evm_grid_index_t *g, double width_px,
                               double height_px, double cell_px);
void evm_grid_index_free(evm_grid_index_t *g);
evm_status evm_grid_index_add(evm_grid_index_t *g, uint32_t item, evm_rect_t r);
/* Calls visit once for each item entered in a cell that r meets (a
 * superset of the items whose box meets r) until it returns false;
 * returns how many were visited. */
size_t evm_grid_index_visit(evm_grid_index_t *g, evm_rect_t r,
                            bool (*visit)(void *user, uint32_t item),
                            void *user);

typedef enum evm_marker_shape {
    EVM_SHAPE_CIRCLE = 0,
    EVM_SHAPE_SQUARE,
    EVM_SHAPE_TRIANGLE,
    EVM_SHAPE_DIAMOND,
    EVM_SHAPE_TRIANGLE_DOWN,
    EVM_SHAPE_HEXAGON,
    EVM_SHAPE_COUNT
} evm_marker_shape;

/* The look of a kind's markers. */
typedef struct evm_kind_style {
    evm_rgba_t fill;
    evm_marker_shape shape;
    double size_pt;             /* marker radius; 0: the map's default */
    bool user_fill, user_shape; /* set by the user, not the palette */
} evm_kind_style_t;
/* The colours and weights of a theme (theme.c): every colour the base
 * map and its reference layers are drawn in comes from here. */
typedef struct evm_palette {
    evm_rgba_t page;  /* outside the frame */
    evm_rgba_t ocean; /* and lakes */
    evm_rgba_t land;
    evm_rgba_t border;
    evm_rgba_t coast; /* and lake shores */
    evm_rgba_t river;
    evm_rgba_t disputed_fill;
    evm_rgba_t disputed_line;
    evm_rgba_t graticule;
    evm_rgba_t text;           /* event labels, title, legend */
    evm_rgba_t subtle_text;    /* subtitle, source line, scale bar */
    evm_rgba_t ink;            /* scale bar, leaders, frame */
    evm_rgba_t panel;          /* the legend's background */
    evm_rgba_t panel_line;     /* and its outline */
    evm_rgba_t marker_outline; /* round every event marker */
    evm_rgba_t halo;           /* behind every label */
    evm_rgba_t place_text, place_dot, capital_dot;
    evm_rgba_t country_text;
    evm_rgba_t water_text;
    double line_scale; /* line widths multiply by this (print: heavier) */
    evm_font_weight reference_weight; /* of reference labels */
} evm_palette_t;

/* The palette of a theme. */
const evm_palette_t *evm_theme_palette(evm_theme theme);

struct evm_fit;

/* A cluster of events (clusters.c): its bubble's centre (its seed's
 * page position) and radius in page px, its members
 * L->cluster_members[first .. first + count) in priority order, the
 * first of which, seed, seeded it. */
typedef struct evm_event_cluster {
    evm_point_t c;
    double r_px;
    size_t count, seed, first;
} evm_cluster_t;

/* Where a label goes: its box (halo included) and, when on a leader,
 * the leader from the symbol's rim to the text box. */
typedef struct evm_label_fit {
    evm_rect_t box;
    bool leader;
    evm_point_t from, to;
} evm_label_fit_t;

/* How many members a bubble lists in its data-members. */
enum { CLUSTER_MEMBERS_MAX = 16 };
#define EVM_NO_CLUSTER UINT32_MAX

typedef struct evm_layout {
    evm_context_t *ctx;
    const struct evm_fit *fit; /* framing's decisions (frame_fit.c) */
    evm_path_t horizon;        /* the visible globe's outline, or empty */
    evm_scene_t *scene;
    const evm_map_options_t *opt;
    const evm_events_t *events;   /* may be NULL */
    const evm_basemap_t *basemap; /* countries, in the map's worldview */
    evm_basemap_res res;          /* its resolution */
    double km_per_px;             /* the map's scale at the frame's centre */
    evm_geodata_t *geodata;       /* for the reference layers */
    const evm_palette_t *pal;
    evm_view_t view;
    PangoContext *pc;
    double pt_px; /* page px per typographic point */
    const char *font;
    /* Distinct kinds in order of first appearance; kind index per event. */
    char **kinds;
    size_t *kind_count;
    size_t n_kinds;
    size_t *event_kind;
    evm_kind_style_t *kind_styles; /* per kind */
    char **kind_classes;           /* per kind: "kind-drone-strike" */
    /* Events in label priority order, highest first (labels.c). */
    size_t *order;
    bool *label_strong; /* per event: a priority label, set semi-bold */
    /* Per event: its marker's centre and radius (page px) when shown. */
    evm_point_t *marker_xy;
    double *marker_r;
    /* size-col (marker_size.c): per event its value, or NULL; the
     * largest. */
    double *size_value;
    double size_max;
    evm_grid_index_t marker_grid; /* shown markers by cell, item = event */
    /* Leader lines placed (pairs of points), by page cell (labels.c). */
    evm_point_t *leader_segs;
    size_t n_leader_segs, cap_leader_segs;
    evm_grid_index_t leader_grid;
    /* Events drawn (inside the frame): by their marker, or in a
     * cluster. */
    bool *event_shown;
    /* Clusters (clusters.c), when events are clustered: per event its
     * cluster or EVM_NO_CLUSTER (NULL when not clustered); members by
     * cluster. */
    uint32_t *cluster_of;
    uint32_t *cluster_members;
    evm_cluster_t *clusters;
    size_t n_clusters;
    /* Event labels still to try (labels.c): beyond it, omitted. */
    size_t label_budget;
    /* Callout searches made so far (labels.c), which are bounded, and
     * labels that looked ahead for their neighbours. */
    size_t n_callout_searches, n_lookaheads;
    /* Per event: its label has been tried (labels.c). */
    bool *label_tried;
    /* A place taken for a while, as if a label were there: while a
     * label looks ahead for its neighbours (labels.c). */
    struct evm_label_fit phantom;
    bool has_phantom;
    /* Boxes that labels must not overlap: markers and furniture. */
    evm_rect_t *obstacles;
    size_t n_obstacles, cap_obstacles;
    evm_grid_index_t obstacle_grid; /* the obstacles, by page cell */
    /* Segments of drawn lines labels prefer to keep off (pairs of
     * points), by page cell (line_obstacles.c). */
    evm_point_t *line_segs;
    size_t n_line_segs, cap_line_segs;
    evm_grid_index_t line_grid;
    /* Per segment: the line it belongs to, numbered in the order the
     * lines were entered (n_line_paths of them). */
    uint32_t *line_seg_line;
    size_t cap_line_seg_line;
    uint32_t n_line_paths;
    evm_error_t *err;
    /* Distance lines drawn, each with its legend text and look, and their
     * labels waiting to be placed (distance_lines.c). */
    size_t n_distance_lines, cap_distance_entries;
    struct evm_distance_entry *distance_entries;
    /* Each route leg's length as drawn (routed at sea or along its
     * geodesics), metres, after evm_layout_routes; NULL before. */
    double *route_leg_m;
    struct evm_line_label *line_labels;
    size_t n_line_labels, cap_line_labels;
    /* Text measured: "size weight italic text" to its width and height
     * (evm_layout_measure_styled). */
    GHashTable *measured;
    /* The reference labels' work on a second thread (reference_labels.c),
     * NULL when none runs: until joined, it shares pc and measured,
     * taking turns through its lock (evm_layout_text_begin). */
    struct evm_ref_prep *prep;
    int text_depth;   /* nesting of evm_layout_text_begin */
    bool text_locked; /* whether the outermost one took the lock */
} evm_layout_t;

/* A label to place along a drawn line (line_labels.c): its text, the
 * text naming the line's ends too ("Seoul–Honolulu 7,323 km") or NULL,
 * a copy of the line as drawn and its number (evm_layout_line_obstacle). */
typedef struct evm_line_label {
    char *id, *cls, *text, *named;
    evm_path_t path;
    uint32_t line;
    evm_rgba_t color; /* of the text; alpha 0: the distance lines' colour */
} evm_line_label_t;

/* A distance line drawn: "Seoul–Honolulu: 7,323 km" for the legend, and
 * the number of its look (evm_distance_line_style). */
typedef struct evm_distance_entry {
    char *text;
    size_t look;
} evm_distance_entry_t;

/* Styles. */
evm_rgba_t evm_rgb_hex(unsigned hex);

/* ---- Kind styles (kind_style.c) ---------------------------------------- */

/* The palette as 0xRRGGBB values; returns how many. */
size_t evm_kind_palette(const unsigned **hex);
const char *evm_marker_shape_name(evm_marker_shape s);
bool evm_marker_shape_parse(const char *name, evm_marker_shape *out);
/* CIE76 Delta E between two colours as a deuteranope sees them. */
double evm_deutan_delta_e(evm_rgba_t a, evm_rgba_t b);
/* Whether two styles are hard to tell apart: same shape, and colours
 * closer than Delta E 12 for a deuteranope. */
bool evm_kind_styles_conflict(const evm_kind_style_t *a,
                              const evm_kind_style_t *b);
/* Gives each of n kinds its style (out has room for n), a function of the
 * kinds' names and not their order; a kind named in user (n_user entries,
 * may be NULL) takes the properties given there, and the other kinds keep
 * clear of it. Returns how many kinds had to share a style with a
 * conflicting one (more kinds than styles). */
size_t evm_kind_styles_assign(const char *const *kinds, size_t n,
                              const evm_map_kind_style_t *user, size_t n_user,
                              evm_kind_style_t *out);
/* The SVG/CSS class shared by a kind's markers, labels and legend
 * entries: "kind-" and the kind's slug ("kind-drone-strike"), or
 * "kind-event" for the empty kind (scene_events.c). */
void evm_kind_class(const char *kind, char *out, size_t cap);
/* Adds a marker of a style centred at c with radius r_px (the radius of a
 * circle of equal area) to a layer; NULL and L->err set when out of
 * memory (markers.c). */
evm_item_t *evm_layout_marker(evm_layout_t *L, evm_layer_id layer,
                              const char *id, const char *cls, long event,
                              evm_point_t c, double r_px,
                              const evm_kind_style_t *style);
/* ---- Clusters (clusters.c) ------------------------------------------- */

/* The shown events by page cell (marker_xy): cell c holds
 * item[start[c] .. start[c] + live[c]), in priority order when built. */
typedef struct evm_event_grid {
    double cell;
    evm_rect_t frame;
    size_t nx, ny;
    size_t *start, *live;
    uint32_t *item;
} evm_event_grid_t;

/* Builds the grid of the shown events in cells of cell_px. */
evm_status evm_event_grid_build(evm_layout_t *L, double cell_px,
                                evm_event_grid_t *g);
void evm_event_grid_free(evm_event_grid_t *g);
/* Calls visit for each event in a cell that r meets (a superset of the
 * events inside r) until it returns false; false when stopped. */
bool evm_event_grid_visit(const evm_event_grid_t *g, evm_rect_t r,
                          bool (*visit)(void *user, uint32_t event),
                          void *user);

/* Whether the shown events crowd the page: more than a few per marker
 * area on average (cluster mode auto). */
bool evm_layout_crowded(const evm_layout_t *L);
/* Clusters the shown events (L->marker_xy) in priority order: fills
 * L->cluster_of, L->clusters and L->cluster_members. */
evm_status evm_layout_cluster(evm_layout_t *L);
/* Adds each cluster's item (a bubble, or its one event's marker) as an
 * obstacle and in L->marker_grid under its seed. The scene's events must
 * be copied. */
evm_status evm_layout_cluster_items(evm_layout_t *L);
/* The density layer in place of markers (density.c): bins of the shown
 * events coloured by count, and its legend. */
evm_status evm_layout_density(evm_layout_t *L);
/* Where the mark that shows event i is, and its radius (px): its
 * cluster's bubble when clustered, else its own marker. */
evm_point_t evm_marker_centre(const evm_layout_t *L, size_t i);
double evm_marker_radius_of(const evm_layout_t *L, size_t i);
/* The page radius within which a seed takes events, px. */
double evm_cluster_radius_px(const evm_layout_t *L);
/* A bubble's radius for count members, px. */
double evm_cluster_bubble_px(const evm_layout_t *L, size_t count);
/* The count as a bubble shows it: "7", "1.2k", "12k", "1.2M". */
void evm_cluster_count_text(size_t count, char *buf, size_t cap);
/* A cluster's bubble, or the legend's key of bubbles: a circle of
 * radius r_px at c, filled with *fill a little transparent, or a
 * neutral grey when fill is NULL (mixed kinds). The circle, or NULL when
 * out of memory. */
evm_item_t *evm_layout_bubble(evm_layout_t *L, evm_layer_id layer,
                              const char *id, const char *cls, evm_point_t c,
                              double r_px, const evm_rgba_t *fill);
/* Text on a bubble (its count): 6.5 pt bold, centred on c.
 * EVM_ERR_NOMEM. */
evm_status evm_layout_bubble_count(evm_layout_t *L, evm_layer_id layer,
                                   const char *id, evm_point_t c,
                                   const char *text);

/* Reads and checks the size column (opt->size_col) into L->size_value;
 * a bad cell is EVM_ERR_PARSE at its file, line and column. */
evm_status evm_layout_marker_sizes(evm_layout_t *L);
/* The marker radius for a value of the size column, page px. */
double evm_size_radius_px(const evm_layout_t *L, double value);
/* The size legend's round values, largest first; how many (0..3). */
size_t evm_size_legend_values(const evm_layout_t *L, double out[3]);
/* "12,500", "2.5". */
void evm_size_value_text(double v, char *buf, size_t cap);

/* An event's marker radius in page px (its kind's size or the default). */
double evm_layout_marker_radius(const evm_layout_t *L, size_t event);
/* How far a shown event's marker reaches from its centre, outline
 * included (page px): its shape's circumradius. */
double evm_layout_marker_reach(const evm_layout_t *L, size_t event);
/* Whether point p lies within a shown marker's reach. */
bool evm_layout_in_marker(evm_layout_t *L, evm_point_t p);
/* Orders the events for labels and markers (L->order), highest priority
 * first: by opt->label_priority_col (numeric, higher first; empty or
 * not a number last) when set, else events of a kind that names a capital
 * first; then by row (labels.c). */
evm_status evm_layout_label_order(evm_layout_t *L);

/* An item of a kind that shows no event, to fill in and add with
 * evm_scene_add (which copies id and cls). */
static inline evm_item_t evm_layout_item(evm_item_kind kind, const char *id,
                                         const char *cls)
{
    evm_item_t it = {0};
    it.kind = kind;
    it.id = (char *)id;
    it.cls = (char *)cls;
    it.event = -1;
    return it;
}

/* The stroke of a base map line (borders, coastlines, rivers, lake
 * shores, disputed lines): width_pt points, scaled as the palette's
 * lines are, butt caps (basemap_layer.c). */
evm_style_t evm_layout_line_style(const evm_layout_t *L, evm_rgba_t color,
                                  double width_pt, evm_join join);

/* Adds a path item (no event) to layer, taking the path's points: *path
 * is emptied, and freed on failure, which fills L->err. id and cls are
 * borrowed for the scene's lifetime (string literals). */
evm_status evm_layout_add_path(evm_layout_t *L, evm_layer_id layer,
                               const char *id, const char *cls,
                               evm_style_t style, evm_path_t *path);

/* The steps of layout, in the order it runs them; each returns EVM_OK
 * or fills L->err. Those of one signature:
 * - evm_layout_title: the title and subtitle, wrapped to the page
 *   (furniture.c);
 * - evm_layout_reference_prep_start (below);
 * - evm_layout_basemap: ocean, land, borders, coastlines and the
 *   reference layers (basemap_layer.c, reference.c);
 * - evm_layout_user_layers: the user's --layer files in EVM_LAYER_USER
 *   (user_layers.c);
 * - evm_layout_graticule: meridians and parallels at a round step
 *   (graticule.c);
 * - evm_layout_markers: a marker per shown event, or cluster bubbles, or
 *   a density layer (markers.c), filling the scene's events table first;
 * - then distance lines and routes (below);
 * - evm_layout_scale_bar: true at the events' centre (scalebar.c);
 * - evm_layout_legend: kinds, lines, routes and sizes, in a box that
 *   covers no marker (legend.c);
 * - evm_layout_inset (below);
 * - evm_layout_source: the source line under the frame (furniture.c);
 * - evm_layout_labels: event labels by priority, clear of everything
 *   drawn so far (labels.c);
 * - evm_layout_line_labels (below);
 * - evm_layout_graticule_labels: degrees on the frame's edges
 *   (graticule_labels.c), after the event and line labels;
 * - evm_layout_via_labels: via point names (via_labels.c, with
 *   opt->via_labels), after event labels and before the reference labels;
 * - evm_layout_reference_labels: places, then country names, then water
 *   names (reference_labels.c), after every event and line label, so
 *   that they only take room that is left. */
typedef evm_status evm_layout_step_fn(evm_layout_t *L);
evm_layout_step_fn evm_layout_title, evm_layout_basemap, evm_layout_user_layers,
    evm_layout_graticule, evm_layout_markers, evm_layout_scale_bar,
    evm_layout_legend, evm_layout_source, evm_layout_labels,
    evm_layout_graticule_labels, evm_layout_via_labels,
    evm_layout_reference_labels;
/* Rivers, lakes and disputed areas (reference.c), drawn with the base
 * map: the layers are loaded (prepare, on the layout's thread), their
 * paths projected (geometry, on any thread: it touches only r and the
 * layers), then added to the scene (add, which also frees r). */
typedef struct evm_reference {
    const evm_basemap_t *rivers, *lakes, *areas, *lines; /* NULL: none */
    const evm_basemap_t *countries; /* for the de facto lines */
    double river_rank_max;          /* of the rivers drawn */
    double hatch_px;                /* between hatch lines */
    evm_path_t river_minor, river_major, lake_fill, lake_shore;
    evm_path_t disputed_fill, disputed_hatch, disputed_dash;
    const char *failed; /* what could not be projected */
} evm_reference_t;
evm_status evm_reference_prepare(evm_layout_t *L, evm_reference_t *r);
/* About how many vertices the geometry projects (every river in view,
 * drawn at this scale or not), to share work. */
size_t evm_reference_vertices(const evm_view_t *view, const evm_reference_t *r);
evm_status evm_reference_geometry(const evm_view_t *view, evm_reference_t *r);
evm_status evm_reference_add(evm_layout_t *L, evm_reference_t *r);
void evm_reference_free(evm_reference_t *r);
/* The reference labels' preparation: the places of country names and,
 * on a second thread when the map may use one, the measuring of the
 * names the labels will try (which loads their fonts, the slow part),
 * started once the view is final and run while the base map, the
 * furniture and the event labels are laid out. Until it is joined (by
 * the reference labels, or end), it shares L->pc and L->measured with
 * this thread, each taking the preparation's lock for its turn: text is
 * measured through evm_layout_measure_styled, or between
 * evm_layout_text_begin and _end. End joins it and frees it, used or
 * not. */
evm_status evm_layout_reference_prep_start(evm_layout_t *L);
void evm_layout_reference_prep_end(evm_layout_t *L);
/* Pango's context for this thread's text, between begin and end (which
 * nest): the preparation's thread waits meanwhile. */
PangoContext *evm_layout_text_begin(evm_layout_t *L);
void evm_layout_text_end(evm_layout_t *L);
/* evm_layout_measure_styled with the context already held: for the
 * preparation, within its lock. */
void evm_layout_measure_prepared(evm_layout_t *L, const char *utf8,
                                 double size_pt, evm_font_weight weight,
                                 bool italic, double *w, double *h);
/* The graticule's longitude and latitude range (w..e may pass 180), its
 * steps in degrees, round numbers that give four to ten lines, and
 * whether a pole stands inside the frame (graticule.c). */
typedef struct evm_graticule {
    double w, s, e, n;
    double lon_step, lat_step;
    bool polar;
} evm_graticule_t;
void evm_graticule_range(const evm_layout_t *L, evm_graticule_t *g);
/* Distance lines and lines to a border (geometry, end marks, the
 * highlighted country), after markers; their labels wait in
 * L->line_labels. */
evm_status evm_layout_distance_lines(evm_layout_t *L, evm_geodata_t *geodata);
/* Route legs by mode (routes.c), after distance lines: lines, arrowheads,
 * features for export; their labels wait in L->line_labels. */
evm_status evm_layout_routes(evm_layout_t *L);
/* Queues a label for the drawn path p of line number line; id gets
 * "-label" appended. from and to name the line's ends (NULL or "" when
 * unnamed); when both are named, the label may name them, joined by an
 * en dash, then sep and text; when only from is, "FROM: text". */
evm_status evm_layout_queue_line_label(evm_layout_t *L, const char *id,
                                       const char *cls, const char *text,
                                       const evm_path_t *p, uint32_t line,
                                       const char *from, const char *to,
                                       const char *sep);
/* ---- Label placement (labels.c), open to further label passes ------- */

/* The most neighbours a label leaves room for (labels.c). */
#define EVM_LABEL_PENDING_MAX 3

/* What is to be labelled: a point (an event's marker, or a place) with
 * the radius of its symbol, and the label's box size including its halo
 * on every side. */
typedef struct evm_label_spot {
    evm_point_t anchor;
    double r_px;
    long event;      /* the marker at anchor, or -1 when it is no event's */
    double w, h;     /* the box, halo included */
    double halo_px;  /* the text box is the box inset by this */
    bool rtl;        /* right-to-left text: the left side first */
    bool leader_ok;  /* may move away on a leader line */
    bool callout_ok; /* may search the free space round it (labels.c) */
    /* Neighbours whose labels are still to be placed, as spots of their
     * measured boxes: the label leaves them room where it can. */
    const struct evm_label_spot *pending;
    size_t n_pending; /* at most EVM_LABEL_PENDING_MAX */
} evm_label_spot_t;

/* Finds the best place for a label (see labels.c for the rules); false
 * when there is none. cheap: the first possible place, unscored (a test
 * of room before the text is shaped). */
bool evm_label_find(evm_layout_t *L, const evm_label_spot_t *spot, bool cheap,
                    evm_label_fit_t *out);
/* Takes the place: its box becomes an obstacle, and a leader is drawn
 * (id leader_id, showing event, which may be -1) and kept clear of. */
evm_status evm_label_commit(evm_layout_t *L, const evm_label_fit_t *fit,
                            const char *leader_id, long event);
/* Distance from a point to the nearest point of a box (0 inside). */
double evm_point_box_distance(evm_point_t p, evm_rect_t b);

/* The drawn length in page px of subpath k of p, and of all of p (the
 * gaps between subpaths count nothing). */
double evm_path_sub_length(const evm_path_t *p, size_t k);
double evm_path_length(const evm_path_t *p);
/* Places the waiting line labels (line_labels.c), after event labels. */
evm_status evm_layout_line_labels(evm_layout_t *L);
/* Frees the waiting line labels. */
void evm_layout_line_labels_free(evm_layout_t *L);
/* A line shorter than a few marker widths on the page (drawn path p of
 * item id) is drawn again above the markers, solid, with a tick across
 * each end, as item id-above of the labels' layer; longer ones are left
 * alone. */
evm_status evm_layout_short_line(evm_layout_t *L, const char *id,
                                 const char *cls, const evm_path_t *p,
                                 evm_style_t style);
/* How many distance lines the map asks for: distances, then lines to a
 * border. */
size_t evm_distance_line_count(const evm_layout_t *L);
/* The style of distance line k of them, shared with the legend's swatch:
 * each its own when the map has several, else the one look. */
evm_style_t evm_distance_line_style(const evm_layout_t *L, size_t k);
/* The colours distance lines are told apart by, as 0xRRGGBB; returns how
 * many. */
size_t evm_distance_palette(const unsigned **hex);

/* Helpers shared by steps. */
evm_status evm_layout_obstacle(evm_layout_t *L, evm_rect_t r);
/* Enters the segments of a drawn line (a route leg, a distance line)
 * for evm_layout_on_lines; *line (may be NULL) gets the line's number. */
evm_status evm_layout_line_obstacle(evm_layout_t *L, const evm_path_t *p,
                                    uint32_t *line);
/* Whether r meets a segment entered with evm_layout_line_obstacle. */
bool evm_layout_on_lines(evm_layout_t *L, evm_rect_t r);
/* true when r overlaps some obstacle. */
bool evm_layout_blocked(evm_layout_t *L, evm_rect_t r);
/* How many obstacles r overlaps. */
size_t evm_layout_blocked_count(evm_layout_t *L, evm_rect_t r);
/* Adds a text item of the layer with its top-left at (x, y); returns the
 * item (its box is the measured extent) or NULL on failure. */
evm_item_t *evm_layout_text(evm_layout_t *L, evm_layer_id layer, const char *id,
                            const char *cls, const char *utf8, double size_pt,
                            evm_font_weight weight, evm_rgba_t color, double x,
                            double y);
/* The same in italic when italic is true. */
evm_item_t *evm_layout_text_styled(evm_layout_t *L, evm_layer_id layer,
                                   const char *id, const char *cls,
                                   const char *utf8, double size_pt,
                                   evm_font_weight weight, bool italic,
                                   evm_rgba_t color, double x, double y);
/* Measures text without adding it, in italic when italic. */
void evm_layout_measure_styled(evm_layout_t *L, const char *utf8,
                               double size_pt, evm_font_weight weight,
                               bool italic, double *w, double *h);
/* Measures text without adding it. */
void evm_layout_measure(evm_layout_t *L, const char *utf8, double size_pt,
                        evm_font_weight weight, double *w, double *h);
evm_item_t *evm_layout_rect(evm_layout_t *L, evm_layer_id layer, const char *id,
                            evm_rect_t r, evm_style_t style);
/* A dot of radius r_px centred at c, with an outline of 0.8 pt (a
 * reference place, a via point, a line's end), showing no event; NULL
 * and L->err set when out of memory. */
evm_item_t *evm_layout_dot(evm_layout_t *L, evm_layer_id layer, const char *id,
                           const char *cls, evm_point_t c, double r_px,
                           evm_rgba_t fill, evm_rgba_t outline);
/* Geodesic distance in metres between two page points, or NaN when either
 * is off the globe. */
double evm_layout_page_distance_m(const evm_layout_t *L, double x1, double y1,
                                  double x2, double y2);
bool evm_rects_overlap(evm_rect_t a, evm_rect_t b);
/* Whether segment p-q meets rectangle r (Liang-Barsky). */
bool evm_segment_meets_rect(evm_point_t p, evm_point_t q, evm_rect_t r);

/* ---- Framing (frame_fit.c) ------------------------------------------- */

/* A place the frame must show: an event (event >= 0) or a route point,
 * a point of a --center circle or of a country (-1). */
typedef struct evm_fit_point {
    double lat, lon; /* degrees; lon in [-180, 180] */
    long event;
} evm_fit_point_t;

typedef struct evm_places {
    evm_fit_point_t *pts;
    size_t n, cap;
} evm_places_t;

/* Adds a place; an invalid one is skipped. EVM_ERR_NOMEM. */
evm_status evm_places_add(evm_places_t *p, double lat_deg, double lon_deg,
                          long event);
/* Adds the events (may be NULL) and every point of the route legs. */
evm_status evm_places_collect(evm_places_t *p, const evm_events_t *events,
                              const evm_route_leg_t *legs, size_t n_legs);
void evm_places_free(evm_places_t *p);
/* The places' longitude/latitude box W, S, E, N, the short way round
 * (E may exceed 180); false when there is none. */
bool evm_places_box(const evm_places_t *p, double box[4]);

/* What framing decided. */
typedef struct evm_fit {
    char proj_def[512];
    evm_projection_t *proj; /* owned by the caller once fitted */
    double box[4];          /* projected x0, y0, x1, y1 the frame shows */
    evm_rect_t frame;       /* the map frame on the page */
    double width_px, height_px;
    bool have_data;
    double data_ll[4];  /* the places' W, S, E, N (E may exceed 180) */
    double data_box[4]; /* their projected box (0s for a given extent) */
    bool world;         /* a world projection was chosen */
    bool horizon;       /* part of the globe has no image (orthographic) */
    double domain[4];   /* projected box of the globe's image */
    size_t n_hidden;    /* places with no image (the far side) */
} evm_fit_t;

/* Type sizes in points that more than one step uses: event labels, the
 * graticule's labels, and the legend's entries (at most: smaller when a
 * legend would not fit). */
#define EVM_LABEL_PT 9.0
#define EVM_GRATICULE_LABEL_PT 6.5
#define EVM_LEGEND_PT 8.5

/* ---- Work on a second thread (view_job.c) ---------------------------- */

/* Geometry work run(view, arg) on a copy of a view: on a second thread
 * with its own projection (evm_view_job_start), or on this thread when
 * joined without one. run must touch nothing but arg and read-only data
 * (never the scene or the layout). */
typedef struct evm_view_job {
    evm_view_t view; /* the copy; its projection is this thread's */
    evm_status (*run)(const evm_view_t *view, void *arg);
    void *arg;
    evm_status st;
    bool started, own_view;
    pthread_t thread;
} evm_view_job_t;

/* Whether the map may use a second thread: the threads option allows it
 * and the projection needs no database (a thread's own context opens
 * none). */
bool evm_view_job_threads(const evm_layout_t *L);
void evm_view_job_init(evm_view_job_t *job, const evm_view_t *view,
                       evm_status (*run)(const evm_view_t *, void *),
                       void *arg);
/* Starts the job on a second thread; when none starts, the join runs it. */
void evm_view_job_start(evm_view_job_t *job);
/* Waits for the job, or runs it here (no thread, or the thread could not
 * make its projection); its status. */
evm_status evm_view_job_join(evm_view_job_t *job);

/* Land rings [r0, r1) of the base map that meet the view, appended to
 * path (basemap_layer.c). EVM_ERR_NOMEM. */
struct evm_basemap;
evm_status evm_layout_land_rings(const evm_view_t *view,
                                 const struct evm_basemap *b, size_t r0,
                                 size_t r1, evm_path_t *path);
/* The locator inset (inset.c), after the legend and before labels. */
evm_status evm_layout_inset(evm_layout_t *L);

/* ---- The horizon (horizon.c) ------------------------------------------ */

/* The outline of the visible globe on the page, as one closed subpath
 * appended to out, when the projection has a horizon (fit->horizon).
 * EVM_ERR_NOT_FOUND when the domain's centre is off the globe. */
evm_status evm_horizon_outline(const evm_layout_t *L, evm_path_t *out);
/* Appends a copy of the outline (one subpath) to out. EVM_ERR_NOMEM. */
evm_status evm_horizon_copy(const evm_path_t *outline, evm_path_t *out);
/* Replaces the closed subpaths of path by their parts inside outline's
 * first subpath, which must be convex. EVM_ERR_NOMEM. */
evm_status evm_horizon_clip(const evm_path_t *outline, evm_path_t *path);

/* Chooses the projection (unless opt->proj), the projected box and, when
 * opt->has_size is false, the page size (same area, aspect 1:2..2:1),
 * for the places or for extent (W, S, E, N degrees, or NULL). */
evm_status evm_layout_fit(evm_layout_t *L, const evm_places_t *places,
                          const double *extent, evm_fit_t *fit);
/* Heights in px of the title band above the frame and the source line
 * below it, each wrapped to a page page_w px wide; proj_def names the
 * projection on the source line (furniture.c). */
void evm_layout_band_heights(evm_layout_t *L, const char *proj_def,
                             double page_w, double *header_h, double *footer_h);

/* Automatic extent: the events' bounding box on the shorter way round the
 * globe, padded. */
void evm_auto_extent(const evm_events_t *events, double extent[4]);
/* The same over the events (may be NULL) and every point of the route
 * legs, so that waypoints that are not events are on the map; false, and
 * extent unchanged, when there is no point at all. */
bool evm_auto_extent_routes(const evm_events_t *events,
                            const evm_route_leg_t *legs, size_t n_legs,
                            double extent[4]);

/* ---- Route legs (routes.c, route_style.c, route_arrows.c) ------------- */

/* The look of a route leg: its line and, for rail, a second stroke along
 * the same path, wide and of short dashes, whose dashes are the cross
 * ties. Arrowheads take the line's colour. */
typedef struct evm_route_style {
    evm_style_t line;
    bool has_ties;
    evm_style_t ties;
} evm_route_style_t;

/* Checks opt->route_styles: EVM_ERR_INVALID_ARG naming the entry at
 * fault (a mode that is not one, a negative width or dash, ...). */
evm_status evm_route_styles_check(evm_layout_t *L);
/* A mode's style: its default, then the overrides by mode in order. */
evm_route_style_t evm_route_mode_style(const evm_layout_t *L, int mode);
/* A leg's style: its mode's, then the overrides of its route in order. */
evm_route_style_t evm_route_leg_style(const evm_layout_t *L,
                                      const evm_route_leg_t *leg);
/* Leg i's length in metres as drawn: routed at sea, or the WGS84
 * geodesics between its points. */
double evm_route_leg_length_m(const evm_layout_t *L, size_t i);
/* Which legs have a line on the map: drawn[i] for opt->route_legs[i]
 * (room for n_route_legs), after evm_layout_routes. */
void evm_route_legs_drawn(const evm_layout_t *L, bool *drawn);
/* Adds the arrowheads of a leg whose line is scene item item_index of
 * EVM_LAYER_ROUTES: one with its tip at the leg's end when the line ends
 * there inside the frame, and more at regular intervals along long lines,
 * clear of both ends. start and end are the page points of the leg's
 * first and last points (NaN when not representable). */
evm_status evm_route_arrows(evm_layout_t *L, const char *id,
                            const evm_route_leg_t *leg, size_t item_index,
                            evm_point_t start, evm_point_t end);
/* A length in the map's units for a label or legend: "1,441 km", no
 * decimals from 100 units, one from 10, two below. */
void evm_layout_length_text(const evm_layout_t *L, double dist_m, char *buf,
                            size_t cap);

/* Records that event i (or (size_t)-1 for a line's label) is not drawn,
 * with text and reason, in the scene's omissions. EVM_ERR_NOMEM in
 * L->err. */
evm_status evm_layout_omit(evm_layout_t *L, evm_omission_kind kind, size_t i,
                           const char *text, const char *reason);

#endif
