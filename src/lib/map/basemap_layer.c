/* The base map layers: ocean (the globe's outline), land (every visible
 * country ring in one path, filled non-zero so shared edges leave no
 * seams), land borders and coastlines (from the classified arcs, so the
 * cuts made at the antimeridian and the frame never show as lines). */
#include "core/error.h"
#include "map/layout_internal.h"

static evm_status add_path_item(evm_layout_t *L, evm_layer_id layer,
                                const char *id, evm_style_t style,
                                evm_path_t *path)
{
    evm_item_t it = {0};
    it.kind = EVM_ITEM_PATH;
    it.id = (char *)id;
    it.cls = (char *)"";
    it.event = -1;
    it.style = style;
    it.path = *path;
    if (!evm_scene_add(L->scene, layer, &it)) {
        evm_path_free(path);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory building the base map");
    }
    *path = (evm_path_t){0};
    return EVM_OK;
}

static evm_status ocean(evm_layout_t *L)
{
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
    style.fill = evm_rgb_hex(0xDCE9F2);
    return add_path_item(L, EVM_LAYER_OCEAN, "ocean", style, &path);
}

static evm_status land(evm_layout_t *L)
{
    const struct evm_basemap *b = L->basemap;
    evm_path_t path = {0};
    for (size_t r = 0; r < b->n_rings; r++) {
        if (!evm_view_box_visible(&L->view, &b->ring_box[r]))
            continue;
        size_t off = b->ring_off[r], n = b->ring_off[r + 1] - off;
        evm_status st =
            evm_view_add_ring(&L->view, b->ring_pts + 2 * off, n, &path);
        if (st) {
            evm_path_free(&path);
            return evm_error_set(L->err, st, NULL, 0, 0,
                                 "could not project the land polygons");
        }
    }
    evm_style_t style = {0};
    style.fill = evm_rgb_hex(0xF3F0E8);
    return add_path_item(L, EVM_LAYER_LAND, "land", style, &path);
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
    return add_path_item(L, layer, id, style, &path);
}

evm_status evm_layout_basemap(evm_layout_t *L)
{
    evm_status st = ocean(L);
    if (!st)
        st = land(L);
    evm_style_t border = {0};
    border.stroke = evm_rgb_hex(0x8C8C8C);
    border.stroke_px = 0.8 * L->pt_px;
    border.join = EVM_JOIN_BEVEL;
    border.cap = EVM_CAP_BUTT;
    if (!st)
        st = arcs(L, EVM_ARC_BORDER, EVM_LAYER_BORDERS, "borders", border);
    evm_style_t coast = {0};
    coast.stroke = evm_rgb_hex(0x6F9AB8);
    coast.stroke_px = 0.6 * L->pt_px;
    coast.join = EVM_JOIN_BEVEL;
    coast.cap = EVM_CAP_BUTT;
    if (!st)
        st = arcs(L, EVM_ARC_COAST, EVM_LAYER_COASTLINES, "coastlines", coast);
    return st;
}
