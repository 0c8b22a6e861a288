/* State shared by the steps of map layout: the scene being built, the
 * view, text measuring, event kinds and the obstacles labels must avoid.
 * Each step (base map, graticule, markers, furniture, labels) lives in its
 * own file and adds to the scene through this struct. */
#ifndef EVM_MAP_LAYOUT_INTERNAL_H
#define EVM_MAP_LAYOUT_INTERNAL_H

#include <pango/pangocairo.h>

#include <evmap/map.h>

#include "core/context_internal.h"
#include "geo/view.h"

typedef struct evm_layout {
    evm_context_t *ctx;
    evm_scene_t *scene;
    const evm_map_options_t *opt;
    const evm_events_t *events; /* may be NULL */
    const evm_basemap_t *basemap;
    evm_view_t view;
    PangoContext *pc;
    double pt_px; /* page px per typographic point */
    const char *font;
    /* Distinct kinds in order of first appearance; kind index per event. */
    char **kinds;
    size_t *kind_count;
    size_t n_kinds;
    size_t *event_kind;
    /* Events whose marker is drawn (inside the frame). */
    bool *event_shown;
    /* Boxes that labels must not overlap: markers and furniture. */
    evm_rect_t *obstacles;
    size_t n_obstacles, cap_obstacles;
    evm_error_t *err;
} evm_layout_t;

/* Styles. */
evm_rgba_t evm_kind_color(size_t kind_index);
evm_rgba_t evm_rgb_hex(unsigned hex);

/* Steps, in the order layout runs them. Each returns EVM_OK or fills
 * L->err. */
evm_status evm_layout_basemap(evm_layout_t *L);
evm_status evm_layout_graticule(evm_layout_t *L);
evm_status evm_layout_markers(evm_layout_t *L);
evm_status evm_layout_title(evm_layout_t *L, double *header_h,
                            double *footer_h);
evm_status evm_layout_source(evm_layout_t *L);
evm_status evm_layout_scale_bar(evm_layout_t *L);
evm_status evm_layout_legend(evm_layout_t *L);
evm_status evm_layout_labels(evm_layout_t *L);

/* Helpers shared by steps. */
evm_status evm_layout_obstacle(evm_layout_t *L, evm_rect_t r);
/* Adds a text item of the layer with its top-left at (x, y); returns the
 * item (its box is the measured extent) or NULL on failure. */
evm_item_t *evm_layout_text(evm_layout_t *L, evm_layer_id layer, const char *id,
                            const char *cls, const char *utf8, double size_pt,
                            evm_font_weight weight, evm_rgba_t color, double x,
                            double y);
/* Measures text without adding it. */
void evm_layout_measure(evm_layout_t *L, const char *utf8, double size_pt,
                        evm_font_weight weight, double *w, double *h);
evm_item_t *evm_layout_rect(evm_layout_t *L, evm_layer_id layer, const char *id,
                            evm_rect_t r, evm_style_t style);
/* Geodesic distance in metres between two page points, or NaN when either
 * is off the globe. */
double evm_layout_page_distance_m(const evm_layout_t *L, double x1, double y1,
                                  double x2, double y2);
bool evm_rects_overlap(evm_rect_t a, evm_rect_t b);
/* Formats a length with thousands separators: 1441.2 -> "1,441". */
void evm_format_thousands(double value, int decimals, char *buf, size_t cap);

/* Automatic extent: the events' bounding box on the shorter way round the
 * globe, padded. */
void evm_auto_extent(const evm_events_t *events, double extent[4]);

#endif
