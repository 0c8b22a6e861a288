/* Event markers: a disc, square, triangle, diamond or hexagon per event
 * in its kind's colour and shape (kind_style.c), with a dark outline so
 * that it reads on land, sea and over borders. Markers outside the
 * frame (possible with a user extent) or on the far side of the globe
 * are not drawn, nor labelled, but counted in the scene, and a note on
 * the map says how many (never a silent drop). Marker
 * ids come from the event's slug in the scene's events table, which this
 * step fills first: "event-pyongyang". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "map/layout_internal.h"
#include "map/scene_events.h"

/* Copies the events into the scene's table (see scene.h), so that ids
 * and the SVG's data-* attributes come from the scene alone. When
 * clustered, only the clusters' seeds are copied (a cluster of one is
 * its seed, drawn by its own marker), and under a density layer none:
 * the others keep an empty entry, so that a million clustered events
 * cost no string per row. */
static evm_status copy_events(evm_layout_t *L)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    if (n == 0)
        return EVM_OK;
    size_t nc = evm_events_column_count(L->events);
    const char **cells = evm_alloc_array(nc ? nc : 1, sizeof *cells);
    if (!cells)
        goto nomem;
    for (size_t c = 0; c < nc; c++)
        cells[c] = evm_events_column_name(L->events, c);
    if (evm_scene_set_columns(L->scene, cells, nc) ||
        evm_scene_reserve_events(L->scene, n))
        goto nomem;
    bool density = L->opt->density != EVM_DENSITY_NONE;
    L->scene->source_events = L->events;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = L->cluster_of ? L->cluster_of[i] : EVM_NO_CLUSTER;
        const evm_event_t *e = evm_events_get(L->events, i);
        long in_bubble =
            k != EVM_NO_CLUSTER && L->clusters[k].count > 1 ? (long)k : -1;
        if (density || (L->cluster_of &&
                        (k == EVM_NO_CLUSTER || L->clusters[k].seed != i))) {
            if (evm_scene_add_blank_event(L->scene, e->lat_deg, e->lon_deg))
                goto nomem;
            L->scene->events[L->scene->n_events - 1].cluster = in_bubble;
            continue;
        }
        evm_events_row(L->events, i, cells);
        evm_scene_event_t *se =
            evm_scene_add_event(L->scene, e->name, e->kind, e->date, cells);
        if (!se)
            goto nomem;
        se->lat_deg = e->lat_deg;
        se->lon_deg = e->lon_deg;
        se->cluster = in_bubble;
    }
    free(cells);
    return EVM_OK;
nomem:
    free(cells);
    return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory copying the events");
}

/* Polygon markers: the vertices of a unit shape (circumradius 1, y down)
 * and the factor that gives it the area of a circle of radius 1. */
static evm_status shape_path(evm_path_t *p, evm_marker_shape shape,
                             evm_point_t c, double r)
{
    int n;
    double start, scale;
    switch (shape) {
    case EVM_SHAPE_SQUARE:
        n = 4, start = 45, scale = 1.2533; /* sqrt(pi / 2) */
        break;
    case EVM_SHAPE_TRIANGLE:
        n = 3, start = 90, scale = 1.4; /* a little under equal area */
        break;
    case EVM_SHAPE_TRIANGLE_DOWN:
        n = 3, start = 270, scale = 1.4;
        break;
    case EVM_SHAPE_DIAMOND:
        n = 4, start = 90, scale = 1.2533;
        break;
    case EVM_SHAPE_HEXAGON:
    default:
        n = 6, start = 0, scale = 1.0996; /* sqrt(2 pi / (3 sqrt 3)) */
        break;
    }
    for (int k = 0; k < n; k++) {
        double a = (start + 360.0 * k / n) * (3.14159265358979323846 / 180);
        double x = c.x + r * scale * cos(a), y = c.y - r * scale * sin(a);
        evm_status st =
            k ? evm_path_line_to(p, x, y) : evm_path_move_to(p, x, y);
        if (st)
            return st;
    }
    evm_path_close(p);
    return EVM_OK;
}

evm_item_t *evm_layout_marker(evm_layout_t *L, evm_layer_id layer,
                              const char *id, const char *cls, long event,
                              evm_point_t c, double r_px,
                              const evm_kind_style_t *style)
{
    evm_item_t it = {0};
    it.id = (char *)id;
    it.cls = (char *)cls;
    it.event = event;
    it.style.fill = style->fill;
    it.style.stroke = L->pal->marker_outline;
    it.style.stroke_px = 0.8 * L->pt_px;
    it.style.join = EVM_JOIN_ROUND;
    if (style->shape == EVM_SHAPE_CIRCLE) {
        it.kind = EVM_ITEM_CIRCLE;
        it.center = c;
        it.r_px = r_px;
    } else {
        it.kind = EVM_ITEM_PATH;
        it.center = c;
        if (shape_path(&it.path, style->shape, c, r_px))
            goto nomem;
    }
    evm_item_t *dst = evm_scene_add(L->scene, layer, &it);
    if (dst)
        return dst;
nomem:
    evm_path_free(&it.path);
    evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                  "out of memory adding markers");
    return NULL;
}

double evm_layout_marker_radius(const evm_layout_t *L, size_t event)
{
    if (L->size_value)
        return evm_size_radius_px(L, L->size_value[event]);
    const evm_kind_style_t *s = &L->kind_styles[L->event_kind[event]];
    return (s->size_pt > 0 ? s->size_pt : 4.0) * L->pt_px;
}

double evm_layout_marker_reach(const evm_layout_t *L, size_t event)
{
    /* The shapes' circumradius per unit radius (shape_path), and half
     * the outline. */
    double scale = 1;
    switch (L->kind_styles[L->event_kind[event]].shape) {
    case EVM_SHAPE_CIRCLE:
        break;
    case EVM_SHAPE_SQUARE:
    case EVM_SHAPE_DIAMOND:
        scale = 1.2533;
        break;
    case EVM_SHAPE_TRIANGLE:
    case EVM_SHAPE_TRIANGLE_DOWN:
        scale = 1.4;
        break;
    default:
        scale = 1.0996;
        break;
    }
    return L->marker_r[event] * scale + 0.4 * L->pt_px;
}

typedef struct reach_query {
    evm_layout_t *L;
    evm_point_t p;
    bool in;
} reach_query_t;

static bool reach_visit(void *user, uint32_t item)
{
    reach_query_t *q = user;
    const evm_layout_t *L = q->L;
    /* A cluster's seed stands for its bubble (a circle and its
     * outline). */
    uint32_t k = L->cluster_of ? L->cluster_of[item] : EVM_NO_CLUSTER;
    evm_point_t c = evm_marker_centre(L, item);
    double reach = k != EVM_NO_CLUSTER && L->clusters[k].count > 1
                       ? L->clusters[k].r_px + 0.4 * L->pt_px
                       : evm_layout_marker_reach(L, item);
    q->in = hypot(q->p.x - c.x, q->p.y - c.y) < reach;
    return !q->in;
}

bool evm_layout_in_marker(evm_layout_t *L, evm_point_t p)
{
    /* The grid holds markers by their radius; the reach of the largest
     * shapes is within twice that, and markers are never this large. */
    const double around = 96;
    reach_query_t q = {L, p, false};
    evm_grid_index_visit(
        &L->marker_grid,
        (evm_rect_t){p.x - around, p.y - around, 2 * around, 2 * around},
        reach_visit, &q);
    return q.in;
}

/* "11 events on the far side of the globe are not shown", in the
 * frame's bottom-left corner. */
static evm_status not_drawn_note(evm_layout_t *L)
{
    size_t far = L->scene->n_events_far_side, out = L->scene->n_events_outside;
    if (!far && !out)
        return EVM_OK;
    char text[160];
    int len = 0;
    if (far)
        len = snprintf(text, sizeof text,
                       "%zu event%s on the far side of the globe", far,
                       far == 1 ? "" : "s");
    if (out && len >= 0 && (size_t)len < sizeof text)
        snprintf(text + len, sizeof text - (size_t)len,
                 "%s%zu outside the frame", far ? ", " : "", out);
    size_t n = strlen(text);
    snprintf(text + n, sizeof text - n, " %s not shown",
             far + out == 1 ? "is" : "are");
    evm_rect_t f = L->scene->frame;
    double w, h, m = 8 * L->pt_px;
    evm_layout_measure(L, text, 8, EVM_WEIGHT_NORMAL, &w, &h);
    evm_item_t *it =
        evm_layout_text(L, EVM_LAYER_SCALE_BAR, "not-drawn", "", text, 8,
                        EVM_WEIGHT_NORMAL, L->pal->ink, f.x + m, f.y + m);
    if (!it)
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory adding a note");
    return evm_layout_obstacle(L, it->text.box);
}

/* Projects every event: marker_xy and event_shown for those inside the
 * frame; the others are counted and listed as omitted. */
static evm_status project_events(evm_layout_t *L)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    evm_rect_t f = L->scene->frame;
    for (size_t i = 0; i < n; i++) {
        const evm_event_t *e = evm_events_get(L->events, i);
        double x, y;
        bool projected =
            evm_view_forward(&L->view, e->lon_deg, e->lat_deg, &x, &y);
        if (projected && x >= f.x && x <= f.x + f.w && y >= f.y &&
            y <= f.y + f.h) {
            L->event_shown[i] = true;
            L->marker_xy[i] = (evm_point_t){x, y};
            L->marker_r[i] = evm_layout_marker_radius(L, i);
            continue;
        }
        if (projected)
            L->scene->n_events_outside++;
        else
            L->scene->n_events_far_side++;
        /* A point the projection cannot show (a pole in Mercator, the
         * far side of a globe) is a surprise; a point outside an
         * extent the caller chose is not, but is still counted. */
        bool chosen =
            (L->opt->has_extent || L->opt->extent_countries) && projected;
        const char *why =
            chosen      ? "outside the map's extent"
            : projected ? "outside the map (the projection places it "
                          "off the frame)"
                        : "cannot be projected (a pole in Mercator, the far "
                          "side of a globe, or coordinates the projection "
                          "rejects)";
        evm_status st = evm_layout_omit(
            L, chosen ? EVM_OMIT_OUTSIDE : EVM_OMIT_EVENT, i, e->name, why);
        if (st)
            return st;
    }
    return EVM_OK;
}

typedef struct paint_rank {
    double r;   /* the marker's radius */
    size_t pos; /* in lowest-priority-first order */
    size_t event;
} paint_rank_t;

static int larger_first(const void *a, const void *b)
{
    const paint_rank_t *x = a, *y = b;
    if (x->r != y->r)
        return x->r > y->r ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* The events in the order their markers are painted: lowest priority
 * first, so that where they overlap a priority marker (a capital, an
 * earlier row) is on top; with a size column, larger markers first, so
 * that a small one is never hidden under a large one (priority among
 * equal sizes). NULL when out of memory. */
static size_t *paint_order(const evm_layout_t *L, size_t n)
{
    size_t *out = evm_alloc_array(n ? n : 1, sizeof *out);
    paint_rank_t *r =
        L->size_value ? evm_alloc_array(n ? n : 1, sizeof *r) : NULL;
    if (!out || (L->size_value && !r)) {
        free(out);
        free(r);
        return NULL;
    }
    for (size_t j = 0; j < n; j++)
        out[j] = L->order[n - 1 - j];
    if (r) {
        for (size_t j = 0; j < n; j++)
            r[j] = (paint_rank_t){L->marker_r[out[j]], j, out[j]};
        qsort(r, n, sizeof *r, larger_first);
        for (size_t j = 0; j < n; j++)
            out[j] = r[j].event;
        free(r);
    }
    return out;
}

/* One marker per event, in paint order. */
static evm_status event_markers(evm_layout_t *L)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    size_t *paint = paint_order(L, n);
    if (!paint)
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory adding markers");
    evm_status st = EVM_OK;
    for (size_t j = 0; j < n && !st; j++) {
        size_t i = paint[j];
        if (!L->event_shown[i])
            continue;
        char id[128];
        snprintf(id, sizeof id, "event-%s", L->scene->events[i].slug);
        evm_point_t c = L->marker_xy[i];
        double r = L->marker_r[i];
        size_t k = L->event_kind[i];
        if (!evm_layout_marker(L, EVM_LAYER_EVENTS, id, L->kind_classes[k],
                               (long)i, c, r, &L->kind_styles[k])) {
            st = EVM_ERR_NOMEM;
            break;
        }
        double pad = r + 0.4 * L->pt_px;
        evm_rect_t box = {c.x - pad, c.y - pad, 2 * pad, 2 * pad};
        st = evm_layout_obstacle(L, box);
        if (!st && evm_grid_index_add(&L->marker_grid, (uint32_t)i, box))
            st = evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                               "out of memory adding markers");
    }
    free(paint);
    return st;
}

evm_status evm_layout_markers(evm_layout_t *L)
{
    evm_status st = project_events(L);
    if (st)
        return st;
    const evm_map_options_t *opt = L->opt;
    bool density = opt->density != EVM_DENSITY_NONE;
    bool cluster =
        !density &&
        (opt->cluster == EVM_CLUSTER_ON ||
         (opt->cluster == EVM_CLUSTER_AUTO && evm_layout_crowded(L)));
    if (cluster && (st = evm_layout_cluster(L)))
        return st;
    if ((st = copy_events(L)) || (st = not_drawn_note(L)))
        return st;
    if (density)
        st = evm_layout_density(L);
    else if (cluster)
        st = evm_layout_cluster_items(L);
    else
        st = event_markers(L);
    return st;
}
