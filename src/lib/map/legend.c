/* The legend: one row per event kind (marker swatch, name, count), one
 * for distance lines when the map has one (or one per line, each in its
 * own look, when it has several), one per mode of the route legs drawn
 * (a stretch of line in the mode's style) and one per route drawn with
 * its own swatch (its modes' looks side by side) and its total length
 * (and dates, when they go in the legend), in a
 * box placed in the frame corner that hides the fewest markers, lines
 * and arrowheads and does not meet the scale bar. */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/num.h"
#include "map/layout_internal.h"

static const char DISTANCE_ENTRY[] = "Geodesic distance";

typedef enum row_kind {
    ROW_EVENT_KIND,
    ROW_DISTANCE,      /* the one distance line's look */
    ROW_DISTANCE_LINE, /* one of several, in its own look */
    ROW_MODE,
    ROW_ROUTE,
    ROW_SIZE,   /* a reference circle of the size column, at its true size */
    ROW_CLUSTER /* a bubble: grouped events, sized by their count */
} row_kind;

typedef struct legend_row {
    row_kind kind;
    size_t index;  /* the event kind, the mode or the route's first leg */
    double size_r; /* ROW_SIZE: the circle's radius, page px */
    char text[384];
} legend_row_t;

/* The box's geometry, in page px. */
typedef struct legend_box {
    evm_rect_t box;
    double pad, r, gap, row_h;
    double swatch_w;     /* the swatches' column: 2 r, or a size circle's */
    double size_pt;      /* of the entries' type */
    size_t rows_per_col; /* rows fill columns top down, left to right */
    double col_w;
} legend_box_t;

static evm_status nomem(evm_layout_t *L)
{
    return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory adding the legend");
}

/* Capitalise an ASCII first letter: "port (2)" -> "Port (2)". */
static void capitalise(char *buf)
{
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)toupper((unsigned char)buf[0]);
}

static void entry_text(const evm_layout_t *L, size_t k, size_t count, char *buf,
                       size_t cap)
{
    const char *kind = *L->kinds[k] ? L->kinds[k] : "event";
    /* As written: "iOS leak" stays "iOS leak". */
    snprintf(buf, cap, "%s (%zu)", kind, count);
}

/* ---- routes ------------------------------------------------------------ */

/* The legs of the route that starts at leg first. */
static size_t route_legs(const evm_layout_t *L, size_t first)
{
    const evm_route_leg_t *legs = L->opt->route_legs;
    size_t n = 1;
    while (first + n < L->opt->n_route_legs &&
           legs[first + n].route_index == legs[first].route_index)
        n++;
    return n;
}

static void point_text(const evm_route_point_t *p, char *buf, size_t cap)
{
    if (p->name && *p->name)
        snprintf(buf, cap, "%s", p->name);
    else {
        char lat[EVM_NUM_MAX], lon[EVM_NUM_MAX];
        evm_num_fixed(lat, p->lat_deg, 4, false);
        evm_num_fixed(lon, p->lon_deg, 4, false);
        snprintf(buf, cap, "%s, %s", lat, lon);
    }
}

/* " · 2023-09-07 – 2023-10-01", " · 2023-09-07" or nothing: the earliest
 * and latest dates of the legs, compared as ISO 8601 text. */
static void dates_text(const evm_route_leg_t *legs, size_t n, char *buf,
                       size_t cap)
{
    const char *first = NULL, *last = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *d = legs[i].date;
        if (!d || !*d)
            continue;
        if (!first || strcmp(d, first) < 0)
            first = d;
        if (!last || strcmp(d, last) > 0)
            last = d;
    }
    buf[0] = '\0';
    if (first && strcmp(first, last) == 0)
        snprintf(buf, cap, " \xC2\xB7 %s", first);
    else if (first)
        snprintf(buf, cap, " \xC2\xB7 %s \xE2\x80\x93 %s", first, last);
}

/* "Korea–Russia: 7,773 km", or for the unnamed route "Rajin → Tikhoretsk:
 * 7,773 km", with the dates when they go in the legend. */
static void route_text(const evm_layout_t *L, size_t first, char *buf,
                       size_t cap)
{
    const evm_route_leg_t *legs = L->opt->route_legs + first;
    size_t n = route_legs(L, first);
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += evm_route_leg_length_m(L, first + i);
    char len[64], from[128], to[128], dates[160];
    evm_layout_length_text(L, total, len, sizeof len);
    if (legs[0].route && *legs[0].route) {
        snprintf(buf, cap, "%s: %s", legs[0].route, len);
    } else {
        point_text(&legs[0].points[0], from, sizeof from);
        point_text(&legs[n - 1].points[legs[n - 1].n_points - 1], to,
                   sizeof to);
        snprintf(buf, cap, "%s \xE2\x86\x92 %s: %s", from, to, len);
    }
    evm_route_dates d = L->opt->route_dates;
    if (d == EVM_ROUTE_DATES_LEGEND || d == EVM_ROUTE_DATES_BOTH) {
        dates_text(legs, n, dates, sizeof dates);
        size_t used = strlen(buf);
        snprintf(buf + used, cap - used, "%s", dates);
    }
}

static bool mode_drawn(const evm_layout_t *L, const bool *drawn, int mode)
{
    for (size_t i = 0; i < L->opt->n_route_legs; i++)
        if ((int)L->opt->route_legs[i].mode == mode && drawn[i])
            return true;
    return false;
}

static bool route_drawn(const bool *drawn, size_t first, size_t n)
{
    for (size_t i = first; i < first + n; i++)
        if (drawn[i])
            return true;
    return false;
}

/* ---- rows -------------------------------------------------------------- */

static void add_row(legend_row_t *rows, size_t *n, row_kind kind, size_t index)
{
    rows[*n].kind = kind;
    rows[*n].index = index;
    rows[*n].size_r = 0;
    rows[*n].text[0] = '\0';
    (*n)++;
}

/* The rows in order, their text filled; returns how many. drawn: which
 * route legs are on the map. */
/* Whether a marker drawn has the size of its event's value: with
 * size-col, any marker but a bubble (a cluster of more than one event,
 * sized by its count); under a density layer there are no markers. */
static bool sized_markers_drawn(const evm_layout_t *L)
{
    if (!L->size_value || L->opt->density != EVM_DENSITY_NONE)
        return false;
    if (!L->cluster_of)
        return true;
    for (size_t k = 0; k < L->n_clusters; k++)
        if (L->clusters[k].count == 1)
            return true;
    return false;
}

static bool bubbles_drawn(const evm_layout_t *L)
{
    for (size_t k = 0; L->cluster_of && k < L->n_clusters; k++)
        if (L->clusters[k].count > 1)
            return true;
    return false;
}

static size_t collect_rows(evm_layout_t *L, const size_t *shown,
                           const bool *drawn, legend_row_t *rows)
{
    size_t n = 0;
    for (size_t k = 0; k < L->n_kinds; k++)
        if (shown[k]) {
            add_row(rows, &n, ROW_EVENT_KIND, k);
            entry_text(L, k, shown[k], rows[n - 1].text,
                       sizeof rows[n - 1].text);
        }
    if (L->n_distance_lines && evm_distance_line_count(L) == 1) {
        add_row(rows, &n, ROW_DISTANCE, 0);
        snprintf(rows[n - 1].text, sizeof rows[n - 1].text, "%s",
                 DISTANCE_ENTRY);
    }
    /* Several lines, each in its own look: a row for each. */
    for (size_t i = 0;
         evm_distance_line_count(L) > 1 && i < L->n_distance_lines; i++) {
        add_row(rows, &n, ROW_DISTANCE_LINE, i);
        snprintf(rows[n - 1].text, sizeof rows[n - 1].text, "%s",
                 L->distance_entries[i].text);
    }
    for (int m = 0; m < EVM_ROUTE_MODE_COUNT; m++)
        if (mode_drawn(L, drawn, m)) {
            add_row(rows, &n, ROW_MODE, (size_t)m);
            snprintf(rows[n - 1].text, sizeof rows[n - 1].text, "%s",
                     evm_route_mode_name((evm_route_mode)m));
            capitalise(rows[n - 1].text);
        }
    for (size_t i = 0; i < L->opt->n_route_legs; i += route_legs(L, i))
        if (route_drawn(drawn, i, route_legs(L, i))) {
            add_row(rows, &n, ROW_ROUTE, i);
            route_text(L, i, rows[n - 1].text, sizeof rows[n - 1].text);
        }
    /* The size column: reference circles, largest first, "1,000
     * fatalities", whenever a marker is drawn at its value's size. */
    double v[3];
    size_t nv = sized_markers_drawn(L) ? evm_size_legend_values(L, v) : 0;
    for (size_t i = 0; i < nv; i++) {
        char num[48];
        evm_size_value_text(v[i], num, sizeof num);
        add_row(rows, &n, ROW_SIZE, i);
        rows[n - 1].size_r = evm_size_radius_px(L, v[i]);
        snprintf(rows[n - 1].text, sizeof rows[n - 1].text, "%s %s", num,
                 L->opt->size_col);
    }
    /* Bubbles beside sized markers: their size is their count, written
     * on them, not the size column's; the key says so. */
    if (nv && bubbles_drawn(L)) {
        add_row(rows, &n, ROW_CLUSTER, 0);
        rows[n - 1].size_r = evm_cluster_bubble_px(L, 2);
        snprintf(rows[n - 1].text, sizeof rows[n - 1].text,
                 "Events grouped, their count on the circle");
    }
    return n;
}

/* ---- placement --------------------------------------------------------- */

static bool path_meets(const evm_path_t *p, evm_rect_t box)
{
    for (size_t k = 0; k < p->n_subs; k++) {
        size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
        for (size_t j = a + 1; j < a + n; j++)
            if (evm_segment_meets_rect(p->pts[j - 1], p->pts[j], box))
                return true;
    }
    return false;
}

/* Markers, arrowheads and furniture the box would hide, and distance
 * lines and route legs it would cut (a line's hidden stretch may hold
 * its point). */
static size_t hidden_cost(evm_layout_t *L, evm_rect_t box)
{
    size_t cost = evm_layout_blocked_count(L, box);
    const evm_layer_t *d = &L->scene->layers[EVM_LAYER_DISTANCE_LINES];
    for (size_t i = 0; i < d->n_items; i++)
        if (d->items[i].kind == EVM_ITEM_PATH &&
            strcmp(d->items[i].cls, "border-highlight") != 0)
            cost += path_meets(&d->items[i].path, box);
    const evm_layer_t *r = &L->scene->layers[EVM_LAYER_ROUTES];
    for (size_t i = 0; i < r->n_items; i++)
        if (strncmp(r->items[i].cls, "route-leg ", 10) == 0)
            cost += path_meets(&r->items[i].path, box);
    return cost;
}

/* A row's height: the boxes' row height, or a size circle's diameter
 * and a little air. */
static double row_height(const legend_box_t *g, const legend_row_t *row)
{
    return fmax(g->row_h, 2 * row->size_r + g->row_h - 2 * g->r);
}

/* The box's geometry for the rows at a type size, in cols columns. */
static legend_box_t box_shape(evm_layout_t *L, const legend_row_t *rows,
                              size_t n, double size_pt, size_t cols)
{
    double pt = L->pt_px * size_pt / EVM_LEGEND_PT, text_w = 0;
    legend_box_t g = {0};
    g.size_pt = size_pt;
    g.pad = 6 * pt;
    g.r = 4 * pt;
    g.gap = 5 * pt;
    g.swatch_w = 2 * g.r;
    for (size_t i = 0; i < n; i++) {
        double w, h;
        evm_layout_measure(L, rows[i].text, size_pt, EVM_WEIGHT_NORMAL, &w, &h);
        text_w = fmax(text_w, w);
        g.row_h = fmax(g.row_h, fmax(h, 2 * g.r) + 2 * pt);
        g.swatch_w = fmax(g.swatch_w, 2 * rows[i].size_r);
    }
    g.rows_per_col = (n + cols - 1) / cols;
    g.col_w = g.swatch_w + g.gap + text_w + g.pad;
    g.box.w = g.pad * 2 + g.col_w * (double)cols - g.pad;
    /* The tallest column; a size circle's row is as tall as its circle. */
    for (size_t c = 0; c < cols; c++) {
        double h = 0;
        for (size_t i = c * g.rows_per_col;
             i < n && i < (c + 1) * g.rows_per_col; i++)
            h += row_height(&g, &rows[i]);
        g.box.h = fmax(g.box.h, g.pad * 2 + h);
    }
    return g;
}

/* What the box at r would hide, with a margin of 2 pt round it so that
 * no marker touches it; markers and furniture first (cheap), lines only
 * for a box that hides none. */
static size_t box_cost(evm_layout_t *L, evm_rect_t r)
{
    double m = 2 * L->pt_px;
    evm_rect_t g = {r.x - m, r.y - m, r.w + 2 * m, r.h + 2 * m};
    size_t cost = evm_layout_blocked_count(L, g);
    return cost ? 1000 * cost : hidden_cost(L, g);
}

/* Sizes the box for the rows and places it where it hides least: in a
 * corner of the frame, else halfway along an edge, else anywhere in the
 * frame on a grid; at the full type size in one column first, then in
 * more columns and smaller type (down to 6.5 pt), so that the legend
 * wraps or shrinks before it covers an event or the scale bar. Among
 * boxes that hide something, the one that hides least. false when the
 * frame has no room for it. */
static bool place_box(evm_layout_t *L, const legend_row_t *rows, size_t n,
                      legend_box_t *g)
{
    static const double sizes[] = {EVM_LEGEND_PT, 7.5, 6.5};
    evm_rect_t f = L->scene->frame;
    double inset = 10 * L->pt_px;
    size_t best_cost = SIZE_MAX;
    bool found = false;
    for (int pass = 0; pass < 2 && best_cost; pass++)
        for (size_t si = 0; si < 3 && best_cost; si++)
            for (size_t cols = 1; cols <= 3 && cols <= n && best_cost; cols++) {
                legend_box_t c = box_shape(L, rows, n, sizes[si], cols);
                double bw = c.box.w, bh = c.box.h;
                double x0 = f.x + inset, x1 = f.x + f.w - inset - bw;
                double y0 = f.y + inset, y1 = f.y + f.h - inset - bh;
                if (x1 < x0 || y1 < y0)
                    continue;
                double xm = (x0 + x1) / 2, ym = (y0 + y1) / 2;
                const evm_point_t fixed[8] = {{x1, y0}, {x0, y0}, {x1, y1},
                                              {x0, y1}, {xm, y0}, {xm, y1},
                                              {x0, ym}, {x1, ym}};
                /* Pass 0: corners and edges; pass 1: a grid of 4 pt. */
                double step = 4 * L->pt_px;
                size_t nx = pass ? (size_t)((x1 - x0) / step) + 1 : 8,
                       ny = pass ? (size_t)((y1 - y0) / step) + 1 : 1;
                for (size_t j = 0; j < ny && best_cost; j++)
                    for (size_t i = 0; i < nx && best_cost; i++) {
                        evm_point_t p =
                            pass ? (evm_point_t){x0 + (double)i * step,
                                                 y0 + (double)j * step}
                                 : fixed[i];
                        c.box.x = p.x;
                        c.box.y = p.y;
                        size_t cost = box_cost(L, c.box);
                        if (cost < best_cost) {
                            best_cost = cost;
                            *g = c;
                            found = true;
                        }
                    }
            }
    return found;
}

/* ---- swatches ---------------------------------------------------------- */

static evm_status kind_swatch(evm_layout_t *L, const legend_box_t *g, size_t k,
                              double cy)
{
    char id[48];
    snprintf(id, sizeof id, "legend-swatch-%zu", k);
    const evm_kind_style_t *ks = &L->kind_styles[k];
    double r = ks->size_pt > 0 ? fmin(ks->size_pt * L->pt_px, g->r) : g->r;
    return evm_layout_marker(
               L, EVM_LAYER_LEGEND, id, L->kind_classes[k], -1,
               (evm_point_t){g->box.x + g->pad + g->swatch_w / 2, cy}, r, ks)
               ? EVM_OK
               : EVM_ERR_NOMEM;
}

/* A short stretch of line with the style, its dashes shrunk so that two
 * of their periods fit. */
static evm_status line_swatch(evm_layout_t *L, const legend_box_t *g,
                              const char *id, const char *cls,
                              evm_style_t style, double cy)
{
    double x0 = g->box.x + g->pad - g->r * 0.5,
           x1 = g->box.x + g->pad + 2.5 * g->r, period = 0;
    for (size_t i = 0; i < style.n_dash; i++)
        period += style.dash_px[i];
    double f = period > 0 ? fmin(1, (x1 - x0) / (2 * period)) : 1;
    for (size_t i = 0; i < style.n_dash; i++)
        style.dash_px[i] *= f;
    evm_path_t path = {0};
    if (evm_path_move_to(&path, x0, cy) || evm_path_line_to(&path, x1, cy)) {
        evm_path_free(&path);
        return nomem(L);
    }
    return evm_layout_add_path(L, EVM_LAYER_LEGEND, id, cls, style, &path);
}

static evm_status distance_swatch(evm_layout_t *L, const legend_box_t *g,
                                  double cy)
{
    evm_style_t s = evm_distance_line_style(L, 0);
    s.dash_px[0] = 2 * g->r * 0.6;
    s.dash_px[1] = 2 * g->r * 0.4;
    return line_swatch(L, g, "legend-swatch-distance", "distance", s, cy);
}

static evm_status distance_line_swatch(evm_layout_t *L, const legend_box_t *g,
                                       size_t i, double cy)
{
    char id[64];
    snprintf(id, sizeof id, "legend-swatch-distance-%zu", i);
    return line_swatch(L, g, id, "distance",
                       evm_distance_line_style(L, L->distance_entries[i].look),
                       cy);
}

/* The line and ties of a route style on the swatch's part [f0, f1]. */
static evm_status route_swatch(evm_layout_t *L, const legend_box_t *g,
                               const char *id, const char *cls,
                               const evm_route_style_t *s, double f0, double f1,
                               double cy)
{
    legend_box_t part = *g;
    /* line_swatch spans 3 r from pad - r / 2: a part of it. */
    double w = 3 * g->r;
    part.box.x += f0 * w;
    part.r = g->r * (f1 - f0);
    part.pad = g->pad - g->r * 0.5 + part.r * 0.5;
    evm_status st = line_swatch(L, &part, id, cls, s->line, cy);
    if (st || !s->has_ties)
        return st;
    char ties[96];
    snprintf(ties, sizeof ties, "%s-ties", id);
    return line_swatch(L, &part, ties, cls, s->ties, cy);
}

static evm_status mode_swatch(evm_layout_t *L, const legend_box_t *g, int mode,
                              double cy)
{
    evm_route_style_t s = evm_route_mode_style(L, mode);
    char id[64], cls[48];
    snprintf(id, sizeof id, "legend-swatch-route-%s",
             evm_route_mode_name((evm_route_mode)mode));
    snprintf(cls, sizeof cls, "route-%s",
             evm_route_mode_name((evm_route_mode)mode));
    return route_swatch(L, g, id, cls, &s, 0, 1, cy);
}

/* A route's own swatch: its legs' looks side by side, in the order they
 * first appear (a sea leg then rail: half and half), with the route's
 * own style overrides. */
static evm_status route_row_swatch(evm_layout_t *L, const legend_box_t *g,
                                   size_t first, double cy)
{
    const evm_route_leg_t *legs = L->opt->route_legs + first;
    size_t n = route_legs(L, first), looks[EVM_ROUTE_MODE_COUNT], n_looks = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t k = 0; k < n_looks; k++)
            seen = seen || legs[looks[k]].mode == legs[i].mode;
        if (!seen && n_looks < EVM_ROUTE_MODE_COUNT)
            looks[n_looks++] = i;
    }
    for (size_t k = 0; k < n_looks; k++) {
        evm_route_style_t s = evm_route_leg_style(L, &legs[looks[k]]);
        char id[64], cls[48];
        snprintf(id, sizeof id, "legend-swatch-route-%zu-%zu",
                 legs[0].route_index, k);
        snprintf(cls, sizeof cls, "route route-%s",
                 evm_route_mode_name((evm_route_mode)legs[looks[k]].mode));
        evm_status st =
            route_swatch(L, g, id, cls, &s, (double)k / (double)n_looks,
                         (double)(k + 1) / (double)n_looks, cy);
        if (st)
            return st;
    }
    return EVM_OK;
}

/* A size column's reference circle, hollow, at the size a marker of its
 * value has on the map. */
static evm_status size_swatch(evm_layout_t *L, const legend_box_t *g,
                              const legend_row_t *row, double cy)
{
    char id[48];
    snprintf(id, sizeof id, "legend-size-%zu", row->index);
    evm_kind_style_t hollow = {.shape = EVM_SHAPE_CIRCLE};
    return evm_layout_marker(
               L, EVM_LAYER_LEGEND, id, "size", -1,
               (evm_point_t){g->box.x + g->pad + g->swatch_w / 2, cy},
               row->size_r, &hollow)
               ? EVM_OK
               : EVM_ERR_NOMEM;
}

/* The key of bubbles: one as clusters draw a bubble of mixed kinds,
 * with a count on it. */
static evm_status cluster_swatch(evm_layout_t *L, const legend_box_t *g,
                                 const legend_row_t *row, double cy)
{
    evm_point_t c = {g->box.x + g->pad + g->swatch_w / 2, cy};
    if (!evm_layout_bubble(L, EVM_LAYER_LEGEND, "legend-cluster",
                           "cluster mixed", c, row->size_r, NULL))
        return EVM_ERR_NOMEM;
    return evm_layout_bubble_count(L, EVM_LAYER_LEGEND, "legend-cluster-count",
                                   c, "2");
}

static evm_status swatch(evm_layout_t *L, const legend_box_t *g,
                         const legend_row_t *row, double cy)
{
    switch (row->kind) {
    case ROW_EVENT_KIND:
        return kind_swatch(L, g, row->index, cy);
    case ROW_DISTANCE:
        return distance_swatch(L, g, cy);
    case ROW_DISTANCE_LINE:
        return distance_line_swatch(L, g, row->index, cy);
    case ROW_MODE:
        return mode_swatch(L, g, (int)row->index, cy);
    case ROW_ROUTE:
        return route_row_swatch(L, g, row->index, cy);
    case ROW_SIZE:
        return size_swatch(L, g, row, cy);
    case ROW_CLUSTER:
        return cluster_swatch(L, g, row, cy);
    }
    return EVM_OK;
}

/* The text's id and class. */
static void row_names(const evm_layout_t *L, const legend_row_t *row, char *id,
                      size_t id_cap, char *cls, size_t cls_cap)
{
    switch (row->kind) {
    case ROW_EVENT_KIND:
        snprintf(id, id_cap, "legend-label-%zu", row->index);
        snprintf(cls, cls_cap, "%s", L->kind_classes[row->index]);
        return;
    case ROW_DISTANCE:
        snprintf(id, id_cap, "legend-label-distance");
        snprintf(cls, cls_cap, "distance");
        return;
    case ROW_DISTANCE_LINE:
        snprintf(id, id_cap, "legend-label-distance-%zu", row->index);
        snprintf(cls, cls_cap, "distance");
        return;
    case ROW_MODE:
        snprintf(id, id_cap, "legend-label-route-%s",
                 evm_route_mode_name((evm_route_mode)row->index));
        snprintf(cls, cls_cap, "route-%s",
                 evm_route_mode_name((evm_route_mode)row->index));
        return;
    case ROW_ROUTE:
        snprintf(id, id_cap, "legend-label-route-%zu",
                 L->opt->route_legs[row->index].route_index);
        snprintf(cls, cls_cap, "route");
        return;
    case ROW_SIZE:
        snprintf(id, id_cap, "legend-label-size-%zu", row->index);
        snprintf(cls, cls_cap, "size");
        return;
    case ROW_CLUSTER:
        snprintf(id, id_cap, "legend-label-cluster");
        snprintf(cls, cls_cap, "cluster");
        return;
    }
}

static evm_status draw_row(evm_layout_t *L, const legend_box_t *box,
                           const legend_row_t *row, size_t i)
{
    /* The row's column, as a box of its own. */
    legend_box_t col = *box;
    const legend_box_t *g = &col;
    col.box.x += box->col_w * (double)(i / box->rows_per_col);
    double cy = g->box.y + g->pad;
    for (size_t j = i - i % box->rows_per_col; j < i; j++)
        cy += row_height(g, &row[(ptrdiff_t)j - (ptrdiff_t)i]);
    cy += row_height(g, row) / 2;
    evm_status st = swatch(L, g, row, cy);
    if (st)
        return st;
    char id[64], cls[256];
    row_names(L, row, id, sizeof id, cls, sizeof cls);
    double w, h;
    evm_layout_measure(L, row->text, g->size_pt, EVM_WEIGHT_NORMAL, &w, &h);
    evm_item_t *t = evm_layout_text(
        L, EVM_LAYER_LEGEND, id, cls, row->text, g->size_pt, EVM_WEIGHT_NORMAL,
        L->pal->text, g->box.x + g->pad + g->swatch_w + g->gap, cy - h / 2);
    if (!t)
        return EVM_ERR_NOMEM;
    t->text.halo.a = 0;
    return EVM_OK;
}

static evm_status legend_rows(evm_layout_t *L, const legend_row_t *rows,
                              size_t n)
{
    legend_box_t g;
    if (n == 0 || !place_box(L, rows, n, &g))
        return EVM_OK; /* nothing to show, or no room in this frame */
    evm_style_t bg = {0};
    bg.fill = L->pal->panel;
    bg.stroke = L->pal->panel_line;
    bg.stroke_px = 0.6 * L->pt_px;
    if (!evm_layout_rect(L, EVM_LAYER_LEGEND, "legend-box", g.box, bg))
        return EVM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        evm_status st = draw_row(L, &g, &rows[i], i);
        if (st)
            return st;
    }
    return evm_layout_obstacle(L, g.box);
}

evm_status evm_layout_legend(evm_layout_t *L)
{
    /* Kinds and counts of the events this map shows: with a user extent
     * or in a batch of maps of one file, the rest are not on the map.
     * Colours stay those of the kind's place in the whole file, so that
     * every map of a series uses the same. */
    size_t *shown = calloc(L->n_kinds ? L->n_kinds : 1, sizeof *shown);
    size_t n_legs = L->opt->n_route_legs;
    size_t cap = L->n_kinds + 1 + L->n_distance_lines + EVM_ROUTE_MODE_COUNT +
                 n_legs + 3;
    legend_row_t *rows = evm_alloc_array(cap, sizeof *rows);
    bool *drawn = calloc(n_legs ? n_legs : 1, sizeof *drawn);
    if (!shown || !rows || !drawn) {
        free(shown);
        free(rows);
        free(drawn);
        return nomem(L);
    }
    if (n_legs)
        evm_route_legs_drawn(L, drawn);
    size_t n_events = L->events ? evm_events_count(L->events) : 0;
    /* Under a density layer no marker shows a kind: the layer's own
     * legend explains it (density.c). */
    if (L->opt->density != EVM_DENSITY_NONE)
        n_events = 0;
    for (size_t i = 0; i < n_events; i++)
        if (L->event_shown[i])
            shown[L->event_kind[i]]++;
    size_t n = collect_rows(L, shown, drawn, rows);
    evm_status st = legend_rows(L, rows, n);
    free(shown);
    free(rows);
    free(drawn);
    return st;
}
