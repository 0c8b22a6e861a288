/* The base map layers: ocean (the globe's outline), land (every visible
 * country ring in one path, filled non-zero so shared edges leave no
 * seams), land borders and coastlines (from the classified arcs, so the
 * cuts made at the antimeridian and the frame never show as lines). */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "map/layout_internal.h"

evm_status evm_layout_add_path(evm_layout_t *L, evm_layer_id layer,
                               const char *id, const char *cls,
                               evm_style_t style, evm_path_t *path)
{
    evm_item_t it = evm_layout_item(EVM_ITEM_PATH, id, cls);
    it.style = style;
    it.path = *path;
    if (!evm_scene_add(L->scene, layer, &it)) {
        evm_path_free(path);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory drawing the %s", id);
    }
    *path = (evm_path_t){0};
    return EVM_OK;
}

static evm_status ocean(evm_layout_t *L)
{
    evm_style_t fill = {0};
    fill.fill = evm_rgb_hex(0xDCE9F2);
    /* A globe with a horizon: the ocean is its disc (horizon.c). */
    if (L->fit && L->fit->horizon) {
        evm_status hst = evm_horizon_outline(L, &L->horizon);
        if (hst == EVM_ERR_NOMEM)
            return evm_error_set(L->err, hst, NULL, 0, 0,
                                 "out of memory building the horizon");
        if (!hst) {
            evm_path_t disc = {0};
            if (evm_horizon_copy(&L->horizon, &disc))
                return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                                     "out of memory building the horizon");
            return evm_layout_add_path(L, EVM_LAYER_OCEAN, "ocean", "", fill,
                                       &disc);
        }
    }
    /* The whole globe as one ring in coordinates relative to the central
     * meridian: the view cuts and clips it like any other ring, which
     * gives the globe's outline on a world map and the frame elsewhere. */
    double lon0 = L->view.lon0;
    double ring[2 * 4 * 36];
    size_t n = 0;
    const double eps = 1e-9;
    for (int i = 0; i < 36; i++) { /* west edge, south to north */
        ring[2 * n] = lon0 - 180 + eps;
        ring[2 * n++ + 1] = -90 + 180.0 * i / 36;
    }
    for (int i = 0; i < 36; i++) { /* north edge, west to east */
        ring[2 * n] = lon0 - 180 + eps + (360 - 2 * eps) * i / 36;
        ring[2 * n++ + 1] = 90;
    }
    for (int i = 0; i < 36; i++) { /* east edge, north to south */
        ring[2 * n] = lon0 + 180 - eps;
        ring[2 * n++ + 1] = 90 - 180.0 * i / 36;
    }
    for (int i = 0; i < 36; i++) { /* south edge, east to west */
        ring[2 * n] = lon0 + 180 - eps - (360 - 2 * eps) * i / 36;
        ring[2 * n++ + 1] = -90;
    }
    evm_path_t path = {0};
    evm_status st = evm_view_add_ring(&L->view, ring, n, &path);
    if (st) {
        evm_path_free(&path);
        return evm_error_set(L->err, st, NULL, 0, 0,
                             "could not build the ocean outline");
    }
    evm_style_t style = {0};
    style.fill = L->pal->ocean;
    return evm_layout_add_path(L, EVM_LAYER_OCEAN, "ocean", "", style, &path);
}

evm_status evm_layout_land_rings(const evm_view_t *view,
                                 const struct evm_basemap *b, size_t r0,
                                 size_t r1, evm_path_t *path)
{
    for (size_t r = r0; r < r1; r++) {
        if (!evm_view_box_visible(view, &b->ring_box[r]))
            continue;
        size_t off = b->ring_off[r], n = b->ring_off[r + 1] - off;
        evm_status st = evm_view_add_ring(view, b->ring_pts + 2 * off, n, path);
        if (st)
            return st;
    }
    return EVM_OK;
}

/* The second thread's share of the base map: the first land rings and
 * the reference layers, while this thread does the other rings and the
 * borders and coastlines. */
typedef struct side_work {
    const struct evm_basemap *b;
    size_t r1;
    evm_path_t land;
    evm_reference_t *ref;
    evm_status land_st;
} side_work_t;

static evm_status side_run(const evm_view_t *view, void *arg)
{
    side_work_t *w = arg;
    w->land_st = evm_layout_land_rings(view, w->b, 0, w->r1, &w->land);
    evm_status st = w->land_st;
    if (!st)
        st = evm_reference_geometry(view, w->ref);
    return st;
}

/* Below this many base map vertices in view a thread costs more than it
 * saves. */
enum { PARALLEL_MIN_VERTICES = 20000 };

/* The number of first land rings that, with the reference layers' ref
 * vertices, hold about half of the visible vertices of the base map; or
 * (size_t)-1 when the map is too small to share. */
static size_t land_split(const evm_layout_t *L, size_t ref)
{
    const struct evm_basemap *b = L->basemap;
    size_t total = ref;
    for (size_t r = 0; r < b->n_rings; r++)
        if (evm_view_box_visible(&L->view, &b->ring_box[r]))
            total += b->ring_off[r + 1] - b->ring_off[r];
    for (size_t a = 0; a < b->n_arcs; a++)
        if (evm_view_box_visible(&L->view, &b->arc_box[a]))
            total += b->arc_off[a + 1] - b->arc_off[a];
    if (total < PARALLEL_MIN_VERTICES || !evm_view_job_threads(L))
        return (size_t)-1;
    size_t half = ref, r = 0;
    for (; r < b->n_rings && half < total / 2; r++)
        if (evm_view_box_visible(&L->view, &b->ring_box[r]))
            half += b->ring_off[r + 1] - b->ring_off[r];
    return r;
}

static evm_status land_error(evm_layout_t *L, evm_status st)
{
    return st ? evm_error_set(L->err, st, NULL, 0, 0,
                              "could not project the land polygons")
              : EVM_OK;
}

/* Appends src's subpaths to dst; src is freed. */
static evm_status join_paths(evm_path_t *dst, evm_path_t *src)
{
    if (evm_grow((void **)&dst->pts, &dst->cap_pts, dst->n_pts + src->n_pts,
                 sizeof *dst->pts) ||
        evm_grow((void **)&dst->sub_start, &dst->cap_subs,
                 dst->n_subs + src->n_subs, sizeof *dst->sub_start)) {
        evm_path_free(src);
        return EVM_ERR_NOMEM;
    }
    /* sub_closed grows alongside sub_start, as in evm_path_move_to. */
    bool *closed =
        evm_realloc_array(dst->sub_closed, dst->cap_subs, sizeof *closed);
    if (!closed) {
        evm_path_free(src);
        return EVM_ERR_NOMEM;
    }
    dst->sub_closed = closed;
    for (size_t k = 0; k < src->n_subs; k++) {
        dst->sub_start[dst->n_subs + k] = dst->n_pts + src->sub_start[k];
        dst->sub_closed[dst->n_subs + k] = src->sub_closed[k];
    }
    if (src->n_pts)
        memcpy(dst->pts + dst->n_pts, src->pts, src->n_pts * sizeof *src->pts);
    dst->n_pts += src->n_pts;
    dst->n_subs += src->n_subs;
    evm_path_free(src);
    return EVM_OK;
}

evm_style_t evm_layout_line_style(const evm_layout_t *L, evm_rgba_t color,
                                  double width_pt, evm_join join)
{
    evm_style_t s = {0};
    s.stroke = color;
    s.stroke_px = width_pt * L->pt_px * L->pal->line_scale;
    s.join = join;
    s.cap = EVM_CAP_BUTT;
    return s;
}

static evm_status arcs(evm_layout_t *L, evm_arc_class cls, evm_layer_id layer,
                       const char *id, evm_style_t style)
{
    const struct evm_basemap *b = L->basemap;
    evm_path_t path = {0};
    for (size_t a = 0; a < b->n_arcs; a++) {
        if (b->arc_class[a] != cls ||
            !evm_view_box_visible(&L->view, &b->arc_box[a]))
            continue;
        size_t off = b->arc_off[a], n = b->arc_off[a + 1] - off;
        evm_status st =
            evm_view_add_line(&L->view, b->arc_pts + 2 * off, n, &path);
        if (st) {
            evm_path_free(&path);
            return evm_error_set(L->err, st, NULL, 0, 0,
                                 "could not project the %s", id);
        }
    }
    return evm_layout_add_path(L, layer, id, "", style, &path);
}

evm_status evm_layout_basemap(evm_layout_t *L)
{
    evm_status st = ocean(L);
    if (st)
        return st;
    evm_reference_t ref;
    if ((st = evm_reference_prepare(L, &ref)))
        return st;
    const struct evm_basemap *b = L->basemap;
    side_work_t side = {.b = b, .ref = &ref};
    size_t split = land_split(L, evm_reference_vertices(&L->view, &ref));
    evm_view_job_t job;
    evm_view_job_init(&job, &L->view, side_run, &side);
    if (split != (size_t)-1) {
        side.r1 = split;
        evm_view_job_start(&job);
    }
    evm_path_t land = {0};
    st = land_error(
        L, evm_layout_land_rings(&L->view, b, side.r1, b->n_rings, &land));
    if (!st)
        st =
            arcs(L, EVM_ARC_BORDER, EVM_LAYER_BORDERS, "borders",
                 evm_layout_line_style(L, L->pal->border, 0.8, EVM_JOIN_BEVEL));
    if (!st)
        st = arcs(L, EVM_ARC_COAST, EVM_LAYER_COASTLINES, "coastlines",
                  evm_layout_line_style(L, L->pal->coast, 0.6, EVM_JOIN_BEVEL));
    /* The land path in ring order: the second thread's rings, then
     * these. Without a thread, or when it could not make its projection,
     * its share is done here. */
    evm_status side_st = evm_view_job_join(&job);
    evm_path_t first = side.land;
    if (!st && side_st)
        st = side.land_st
                 ? land_error(L, side.land_st)
                 : evm_error_set(L->err, side_st, NULL, 0, 0,
                                 "could not project the %s",
                                 ref.failed ? ref.failed : "reference layers");
    if (!st && join_paths(&first, &land))
        st = evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                           "out of memory building the base map");
    evm_path_free(&land);
    if (st) {
        evm_path_free(&first);
        evm_reference_free(&ref);
        return st;
    }
    if (L->horizon.n_subs && evm_horizon_clip(&L->horizon, &first)) {
        evm_path_free(&first);
        evm_reference_free(&ref);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory clipping land to the horizon");
    }
    evm_style_t style = {0};
    style.fill = L->pal->land;
    st = evm_layout_add_path(L, EVM_LAYER_LAND, "land", "", style, &first);
    if (st) {
        evm_reference_free(&ref);
        return st;
    }
    return evm_reference_add(L, &ref);
}
