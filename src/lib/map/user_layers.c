/* The user's own GeoJSON base layers (`--layer`): each file's polygons
 * as one filled and outlined path, its lines as one stroked path, in
 * EVM_LAYER_USER, cut at the antimeridian and clipped to the frame (and
 * the horizon) by the view as the land is. They do not move the frame. */
#include <stdio.h>

#include "core/error.h"
#include "load/user_layer.h"
#include "map/layout_internal.h"

/* The rings (closed) or lines of l, projected into path. */
static evm_status project(const evm_layout_t *L, const evm_user_layer_t *l,
                          bool closed, evm_path_t *path)
{
    for (size_t r = 0; r < l->n_rings; r++) {
        if (l->closed[r] != closed)
            continue;
        size_t off = l->off[r], n = l->off[r + 1] - off;
        evm_status st =
            closed ? evm_view_add_ring(&L->view, l->pts + 2 * off, n, path)
                   : evm_view_add_line(&L->view, l->pts + 2 * off, n, path);
        if (st)
            return st;
    }
    if (closed && L->horizon.n_subs)
        return evm_horizon_clip(&L->horizon, path);
    return EVM_OK;
}

static evm_status one_layer(evm_layout_t *L, const evm_user_layer_t *l,
                            size_t k)
{
    const evm_map_layer_style_t *ls = &l->style;
    evm_style_t style = {0};
    style.stroke = ls->stroke;
    style.stroke_px = ls->width_pt * L->pt_px;
    for (size_t i = 0; i < ls->n_dash && i < EVM_DASH_MAX; i++)
        style.dash_px[i] = ls->dash_pt[i] * L->pt_px;
    style.n_dash = ls->n_dash;
    style.join = EVM_JOIN_ROUND;
    style.cap = EVM_CAP_ROUND;
    char id[64];
    for (int pass = 0; pass < 2; pass++) {
        bool closed = pass == 0;
        if (closed ? !l->n_polygons : !l->n_lines)
            continue;
        evm_path_t path = {0};
        evm_status st = project(L, l, closed, &path);
        if (st) {
            evm_path_free(&path);
            return evm_error_set(L->err, st, l->path, 0, 0,
                                 "could not project the layer");
        }
        evm_style_t s = style;
        if (closed)
            s.fill = ls->fill;
        if (!(s.stroke.a > 0))
            s.stroke_px = 0;
        snprintf(id, sizeof id, "layer-%zu%s", k + 1,
                 closed || !l->n_polygons ? "" : "-lines");
        st = evm_layout_add_path(L, EVM_LAYER_USER, id, "user-layer", s, &path);
        if (st)
            return st;
    }
    return EVM_OK;
}

evm_status evm_layout_user_layers(evm_layout_t *L)
{
    for (size_t k = 0; k < L->opt->n_layers; k++) {
        evm_status st = one_layer(L, L->opt->layers[k], k);
        L->scene->n_layer_points += L->opt->layers[k]->n_points;
        if (st)
            return st;
    }
    return EVM_OK;
}
