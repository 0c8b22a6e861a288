/* Route legs on the map. Each leg is one path item: the geodesics between
 * its points (from, the via points, to) joined in order, or for a sea leg
 * with sea routing on, between the vertices of its path at sea
 * (geo/sea_legs.c: the shortest way over water through each point, a
 * few long geodesic pieces), through the view
 * (evm_view_add_geodesic: densified to the view's tolerance, cut at the
 * antimeridian, clipped), so a leg across the cut is several subpaths and
 * never a segment across the map. Every point's own page position is
 * written at the ends of the geodesics that meet there, so that the
 * pieces of a leg and the legs of a route join exactly, without gaps.
 *
 * Lines of every leg go first and arrowheads after them, so that the
 * next leg's line does not hide the arrowhead at a joint. Each leg is
 * also kept as a feature in geographic coordinates for export, whether
 * or not it is on the map, and its label waits in L->line_labels until
 * the furniture is placed (labels.c).
 *
 * Lengths (data, labels, features, legend) are measured here along the
 * same geodesics that are drawn, not read from length_m, so that legs
 * made by hand show the right figures too. A sea leg that cannot be
 * routed, and a rail or road leg over open sea, leave a warning in the
 * scene. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/geodesy.h>

#include "core/error.h"
#include "core/num.h"
#include "geo/sea_legs.h"
#include "map/layout_internal.h"

/* A geodesic's end is written over with its point's own page position
 * when within this distance; farther means the end was clipped or lies
 * on the other side of the cut. */
static const double SNAP_PX = 0.01;
/* The class of every leg's line, before "route-<mode>". */
static const char LEG_CLASS[] = "route-leg ";

static evm_status nomem(evm_layout_t *L)
{
    return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory drawing routes");
}

static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

double evm_route_leg_length_m(const evm_layout_t *L, size_t i)
{
    if (L->route_leg_m)
        return L->route_leg_m[i];
    const evm_route_leg_t *leg = &L->opt->route_legs[i];
    double total = 0;
    for (size_t k = 1; k < leg->n_points; k++) {
        const evm_route_point_t *a = &leg->points[k - 1], *b = &leg->points[k];
        double s12;
        evm_geodesic_inverse(a->lat_deg, a->lon_deg, b->lat_deg, b->lon_deg,
                             &s12, NULL, NULL);
        total += s12;
    }
    return total;
}

static void leg_id(const evm_route_leg_t *leg, char *buf, size_t cap)
{
    snprintf(buf, cap, "route-%zu-leg-%zu", leg->route_index, leg->leg);
}

void evm_route_legs_drawn(const evm_layout_t *L, bool *drawn)
{
    /* Lines are added in the order of the legs, arrowheads and ties
     * (other classes) after or between them: one walk pairs them. */
    const evm_layer_t *l = &L->scene->layers[EVM_LAYER_ROUTES];
    size_t k = 0;
    for (size_t i = 0; i < L->opt->n_route_legs; i++) {
        char id[64];
        leg_id(&L->opt->route_legs[i], id, sizeof id);
        while (k < l->n_items &&
               strncmp(l->items[k].cls, LEG_CLASS, strlen(LEG_CLASS)) != 0)
            k++;
        drawn[i] = k < l->n_items && strcmp(l->items[k].id, id) == 0;
        if (drawn[i])
            k++;
    }
}

static evm_status check_leg(evm_layout_t *L, size_t i)
{
    const evm_route_leg_t *leg = &L->opt->route_legs[i];
    const char *why = NULL;
    if (!(leg->mode >= 0 && leg->mode < EVM_ROUTE_MODE_COUNT))
        why = "its mode is not one of sea, rail, road, air, river, other";
    else if (!leg->points || leg->n_points < 2)
        why = "it has fewer than two points";
    for (size_t k = 0; !why && k < leg->n_points; k++) {
        const evm_route_point_t *p = &leg->points[k];
        if (!(p->lat_deg >= -90 && p->lat_deg <= 90) || !isfinite(p->lon_deg))
            why = "a point is not a latitude in [-90, 90] and a longitude";
    }
    if (!why)
        return EVM_OK;
    return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                         "route leg %zu (route \"%s\", leg %zu): %s", i + 1,
                         text_or_empty(leg->route), leg->leg, why);
}

/* The page point of a place, NaN when it cannot be projected. */
static evm_point_t page_ll(const evm_layout_t *L, double lat_deg,
                           double lon_deg)
{
    double x, y;
    if (!evm_view_forward(&L->view, lon_deg, lat_deg, &x, &y))
        return (evm_point_t){NAN, NAN};
    return (evm_point_t){x, y};
}

/* The page point of a leg's point, NaN when it cannot be projected. */
static evm_point_t page_point(const evm_layout_t *L, const evm_route_point_t *p)
{
    return page_ll(L, p->lat_deg, p->lon_deg);
}

static void snap(evm_point_t *drawn, evm_point_t exact)
{
    if (hypot(drawn->x - exact.x, drawn->y - exact.y) <= SNAP_PX)
        *drawn = exact;
}

static bool same_point(evm_point_t a, evm_point_t b)
{
    return a.x == b.x && a.y == b.y;
}

/* Appends piece to path; its first subpath continues the path's last
 * one when it starts exactly where that ends. */
static evm_status append_piece(evm_path_t *path, const evm_path_t *piece)
{
    for (size_t k = 0; k < piece->n_subs; k++) {
        size_t a = piece->sub_start[k], n = evm_path_sub_len(piece, k);
        bool joins = k == 0 && path->n_pts > 0 &&
                     same_point(path->pts[path->n_pts - 1], piece->pts[a]);
        if (!joins && evm_path_move_to(path, piece->pts[a].x, piece->pts[a].y))
            return EVM_ERR_NOMEM;
        for (size_t i = 1; i < n; i++)
            if (evm_path_line_to(path, piece->pts[a + i].x,
                                 piece->pts[a + i].y))
                return EVM_ERR_NOMEM;
    }
    return EVM_OK;
}

/* The geodesic from a to b (latitude, longitude pairs; page points pa,
 * pb) onto path. */
static evm_status add_piece(const evm_layout_t *L, const double *a,
                            const double *b, evm_point_t pa, evm_point_t pb,
                            evm_path_t *path)
{
    evm_path_t piece = {0};
    evm_status st =
        evm_view_add_geodesic(&L->view, a[0], a[1], b[0], b[1], &piece);
    if (!st && piece.n_pts > 0) {
        snap(&piece.pts[0], pa);
        snap(&piece.pts[piece.n_pts - 1], pb);
        st = append_piece(path, &piece);
    }
    evm_path_free(&piece);
    return st;
}

/* The geodesics between a leg's vertices as traced (its points, or its
 * path at sea). */
static evm_status leg_path(const evm_layout_t *L, const evm_leg_trace_t *t,
                           evm_path_t *path)
{
    const double *v = t->lat_lon;
    evm_point_t prev = page_ll(L, v[0], v[1]);
    for (size_t i = 1; i < t->n_vertices; i++) {
        evm_point_t next = page_ll(L, v[2 * i], v[2 * i + 1]);
        evm_status st =
            add_piece(L, &v[2 * i - 2], &v[2 * i], prev, next, path);
        if (st)
            return st;
        prev = next;
    }
    return EVM_OK;
}

static evm_status add_leg_data(evm_item_t *it, const evm_route_leg_t *leg,
                               const evm_leg_trace_t *t)
{
    char num[64], km[EVM_NUM_MAX], geo_km[EVM_NUM_MAX];
    snprintf(num, sizeof num, "%zu", leg->leg);
    evm_num_fixed(km, t->length_m / 1000, 6, false);
    evm_num_fixed(geo_km, t->geodesic_m / 1000, 6, false);
    const char *mode = evm_route_mode_name((evm_route_mode)leg->mode);
    if (evm_item_add_data(it, "route", text_or_empty(leg->route)) ||
        evm_item_add_data(it, "mode", mode) ||
        evm_item_add_data(it, "leg", num) ||
        evm_item_add_data(it, "distance-km", km) ||
        evm_item_add_data(it, "routing", t->routed ? "sea" : "geodesic") ||
        evm_item_add_data(it, "geodesic-km", geo_km) ||
        evm_item_add_data(it, "from", text_or_empty(leg->points[0].name)) ||
        evm_item_add_data(it, "to",
                          text_or_empty(leg->points[leg->n_points - 1].name)))
        return EVM_ERR_NOMEM;
    return EVM_OK;
}

/* The ties of a rail line: a second item on a copy of its path. */
static evm_status add_ties(evm_layout_t *L, const char *id,
                           const evm_route_leg_t *leg, const evm_path_t *path,
                           const evm_style_t *style)
{
    char ties_id[96], cls[48], num[32];
    snprintf(ties_id, sizeof ties_id, "%s-ties", id);
    snprintf(cls, sizeof cls, "route-ties route-%s",
             evm_route_mode_name((evm_route_mode)leg->mode));
    snprintf(num, sizeof num, "%zu", leg->leg);
    evm_item_t it = evm_layout_item(EVM_ITEM_PATH, ties_id, cls);
    it.style = *style;
    evm_status st = append_piece(&it.path, path);
    evm_item_t *dst =
        st ? NULL : evm_scene_add(L->scene, EVM_LAYER_ROUTES, &it);
    if (!dst) {
        evm_path_free(&it.path);
        return nomem(L);
    }
    if (evm_item_add_data(dst, "route", text_or_empty(leg->route)) ||
        evm_item_add_data(dst, "mode",
                          evm_route_mode_name((evm_route_mode)leg->mode)) ||
        evm_item_add_data(dst, "leg", num))
        return nomem(L);
    return EVM_OK;
}

/* Draws leg i; *item_index gets its line's index in the layer, or
 * SIZE_MAX when it is not on the map, and *line its line number. */
static evm_status draw_leg(evm_layout_t *L, size_t i, const evm_leg_trace_t *t,
                           size_t *item_index, uint32_t *line)
{
    const evm_route_leg_t *leg = &L->opt->route_legs[i];
    evm_route_style_t style = evm_route_leg_style(L, leg);
    char id[64], cls[48];
    leg_id(leg, id, sizeof id);
    snprintf(cls, sizeof cls, "%sroute-%s", LEG_CLASS,
             evm_route_mode_name((evm_route_mode)leg->mode));
    evm_item_t it = evm_layout_item(EVM_ITEM_PATH, id, cls);
    it.style = style.line;
    *item_index = SIZE_MAX;
    *line = UINT32_MAX;
    if (leg_path(L, t, &it.path)) {
        evm_path_free(&it.path);
        return nomem(L);
    }
    if (it.path.n_pts == 0) {
        evm_path_free(&it.path); /* not on this map: said so */
        char what[256];
        snprintf(what, sizeof what, "%s, leg %zu", text_or_empty(leg->route),
                 leg->leg);
        return evm_layout_omit(L, EVM_OMIT_LINE, (size_t)-1, what,
                               "no part of it is on the map");
    }
    evm_layer_t *layer = &L->scene->layers[EVM_LAYER_ROUTES];
    size_t index = layer->n_items;
    evm_item_t *dst = evm_scene_add(L->scene, EVM_LAYER_ROUTES, &it);
    if (!dst) {
        evm_path_free(&it.path);
        return nomem(L);
    }
    if (add_leg_data(dst, leg, t) ||
        evm_layout_line_obstacle(L, &dst->path, line))
        return nomem(L);
    *item_index = index;
    evm_status st = evm_layout_short_line(L, id, cls, &dst->path, style.line);
    if (st)
        return st;
    if (style.has_ties)
        return add_ties(L, id, leg, &dst->path, &style.ties);
    return EVM_OK;
}

/* "rail · 7,589 km", or the leg's own label; with its date when the
 * map puts dates on labels. */
static void label_text(const evm_layout_t *L, const evm_route_leg_t *leg,
                       double length_m, char *buf, size_t cap)
{
    if (leg->label && *leg->label) {
        snprintf(buf, cap, "%s", leg->label);
    } else {
        char len[64];
        evm_layout_length_text(L, length_m, len, sizeof len);
        snprintf(buf, cap, "%s \xC2\xB7 %s",
                 evm_route_mode_name((evm_route_mode)leg->mode), len);
    }
    evm_route_dates d = L->opt->route_dates;
    if ((d == EVM_ROUTE_DATES_LABELS || d == EVM_ROUTE_DATES_BOTH) &&
        leg->date && *leg->date) {
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, " \xC2\xB7 %s", leg->date);
    }
}

static evm_status add_feature(evm_layout_t *L, const evm_route_leg_t *leg,
                              const evm_leg_trace_t *t, const char *label)
{
    double length_m = t->length_m;
    char id[64];
    leg_id(leg, id, sizeof id);
    evm_scene_feature_t *f = evm_scene_add_feature(L->scene, id, "route-leg",
                                                   t->lat_lon, t->n_vertices);
    if (!f || evm_feature_add_text(f, "route", text_or_empty(leg->route)) ||
        evm_feature_add_text(f, "mode",
                             evm_route_mode_name((evm_route_mode)leg->mode)) ||
        evm_feature_add_text(f, "from", text_or_empty(leg->points[0].name)) ||
        evm_feature_add_text(
            f, "to", text_or_empty(leg->points[leg->n_points - 1].name)) ||
        evm_feature_add_text(f, "date", text_or_empty(leg->date)) ||
        evm_feature_add_text(f, "label", label) ||
        evm_feature_add_number(f, "leg", (double)leg->leg) ||
        evm_feature_add_number(f, "distance_km", length_m / 1000) ||
        evm_feature_add_text(f, "routing", t->routed ? "sea" : "geodesic") ||
        evm_feature_add_number(f, "geodesic_km", t->geodesic_m / 1000))
        return nomem(L);
    return EVM_OK;
}

/* The label waits for placement in the leg's colour. */
static evm_status queue_label(evm_layout_t *L, const evm_route_leg_t *leg,
                              size_t item_index, uint32_t line,
                              const char *text)
{
    const evm_item_t *it =
        &L->scene->layers[EVM_LAYER_ROUTES].items[item_index];
    size_t before = L->n_line_labels;
    evm_status st = evm_layout_queue_line_label(
        L, it->id, "route-label", text, &it->path, line, leg->points[0].name,
        leg->points[leg->n_points - 1].name, " \xC2\xB7 ");
    if (!st && L->n_line_labels > before)
        L->line_labels[L->n_line_labels - 1].color = it->style.stroke;
    return st;
}

/* Arrowheads and label of leg i, drawn as item_index (or SIZE_MAX). */
static evm_status finish_leg(evm_layout_t *L, size_t i,
                             const evm_leg_trace_t *t, size_t item_index,
                             uint32_t line)
{
    const evm_route_leg_t *leg = &L->opt->route_legs[i];
    char label[512];
    label_text(L, leg, t->length_m, label, sizeof label);
    evm_status st = add_feature(L, leg, t, label);
    if (st || item_index == SIZE_MAX)
        return st;
    char id[64];
    leg_id(leg, id, sizeof id);
    evm_point_t start = page_point(L, &leg->points[0]),
                end = page_point(L, &leg->points[leg->n_points - 1]);
    if ((st = evm_route_arrows(L, id, leg, item_index, start, end)))
        return st;
    return queue_label(L, leg, item_index, line, label);
}

/* Keeps a warning in the scene for the caller. */
static evm_status add_warning(evm_layout_t *L, const char *text)
{
    evm_scene_t *sc = L->scene;
    char *copy = evm_strdup(text);
    if (!copy || evm_grow((void **)&sc->warnings, &sc->cap_warnings,
                          sc->n_warnings + 1, sizeof *sc->warnings)) {
        free(copy);
        return nomem(L);
    }
    sc->warnings[sc->n_warnings++] = copy;
    return EVM_OK;
}

evm_status evm_layout_routes(evm_layout_t *L)
{
    const evm_map_options_t *o = L->opt;
    if (!o->n_route_legs)
        return EVM_OK;
    if (!o->route_legs)
        return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "route legs are counted but missing");
    evm_status st = evm_route_styles_check(L);
    for (size_t i = 0; !st && i < o->n_route_legs; i++)
        st = check_leg(L, i);
    if (st)
        return st;
    size_t n = o->n_route_legs;
    size_t *drawn = evm_alloc_array(n, sizeof *drawn);
    uint32_t *line = evm_alloc_array(n, sizeof *line);
    evm_leg_trace_t *traces = calloc(n, sizeof *traces);
    L->route_leg_m = evm_alloc_array(n, sizeof *L->route_leg_m);
    if (!drawn || !line || !traces || !L->route_leg_m)
        st = nomem(L);
    for (size_t i = 0; !st && i < n; i++) {
        st = evm_leg_trace(L->geodata, &o->route_legs[i], o->sea_routing,
                           L->basemap, &traces[i], L->err);
        if (!st && traces[i].note[0])
            st = add_warning(L, traces[i].note);
        if (!st)
            L->route_leg_m[i] = traces[i].length_m;
    }
    for (size_t i = 0; !st && i < n; i++)
        st = draw_leg(L, i, &traces[i], &drawn[i], &line[i]);
    for (size_t i = 0; !st && i < n; i++)
        st = finish_leg(L, i, &traces[i], drawn[i], line[i]);
    for (size_t i = 0; traces && i < n; i++)
        evm_leg_trace_free(&traces[i]);
    free(traces);
    free(drawn);
    free(line);
    return st;
}
