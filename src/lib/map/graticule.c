/* The graticule: meridians and parallels at a round step chosen so that
 * the view shows between about four and ten of each. Lines are given as
 * lon/lat polylines with a vertex every few degrees (so that no edge goes
 * the "short way" round the globe) and densified by the view. */
#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "map/layout_internal.h"

static double graticule_step(double span)
{
    static const double steps[] = {0.5, 1, 2, 5, 10, 15, 20, 30};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (span / steps[i] <= 10)
            return steps[i];
    return 30;
}

static evm_status add_line(evm_layout_t *L, evm_path_t *path, double lon1,
                           double lat1, double lon2, double lat2)
{
    enum { MAX_VERTS = 200 };
    double pts[2 * MAX_VERTS];
    double span = fmax(fabs(lon2 - lon1), fabs(lat2 - lat1));
    int n = (int)ceil(span / 5.0) + 1;
    if (n < 2)
        n = 2;
    if (n > MAX_VERTS)
        n = MAX_VERTS;
    for (int i = 0; i < n; i++) {
        double t = (double)i / (n - 1);
        pts[2 * i] = lon1 + (lon2 - lon1) * t;
        pts[2 * i + 1] = lat1 + (lat2 - lat1) * t;
    }
    return evm_view_add_line(&L->view, pts, (size_t)n, path);
}

/* Whether a pole stands inside the frame (a polar map), not on its
 * edge as on a world map that shows the pole as a line. */
static bool pole_inside(const evm_layout_t *L)
{
    evm_rect_t f = L->scene->frame;
    for (int sign = -1; sign <= 1; sign += 2) {
        double x, y;
        if (evm_view_forward(&L->view, L->view.lon0, 90.0 * sign, &x, &y) &&
            x > f.x + 1 && x < f.x + f.w - 1 && y > f.y + 1 &&
            y < f.y + f.h - 1)
            return true;
    }
    return false;
}

void evm_graticule_range(const evm_layout_t *L, evm_graticule_t *g)
{
    const evm_llbox_t *ll = &L->view.ll;
    double lon0 = L->view.lon0;
    g->w = lon0 + ll->w;
    g->e = lon0 + ll->e;
    g->s = fmax(ll->s, -90);
    g->n = fmin(ll->n, 90);
    /* One step for both, so that the grid's cells look square, except
     * round a pole: there the meridians take the whole turn and the
     * parallels, a few rings, get a step of their own. */
    g->polar = pole_inside(L);
    g->lon_step = graticule_step(fmax(ll->e - ll->w, ll->n - ll->s));
    g->lat_step = g->polar ? graticule_step(g->n - g->s) : g->lon_step;
}

evm_status evm_layout_graticule(evm_layout_t *L)
{
    evm_graticule_t g;
    evm_graticule_range(L, &g);
    evm_path_t path = {0};
    evm_status st = EVM_OK;
    for (double lon = ceil(g.w / g.lon_step) * g.lon_step; !st && lon <= g.e;
         lon += g.lon_step)
        st = add_line(L, &path, lon, g.s, lon, g.n);
    for (double lat = ceil(g.s / g.lat_step) * g.lat_step; !st && lat <= g.n;
         lat += g.lat_step)
        if (fabs(lat) < 90)
            st = add_line(L, &path, g.w, lat, g.e, lat);
    if (st) {
        evm_path_free(&path);
        return evm_error_set(L->err, st, NULL, 0, 0,
                             "could not build the graticule");
    }
    evm_item_t it = evm_layout_item(EVM_ITEM_PATH, "graticule", "");
    it.style.stroke = evm_rgb_hex(0x9DB3C4);
    it.style.stroke.a = 0.55;
    it.style.stroke_px = 0.5 * L->pt_px;
    it.path = path;
    if (!evm_scene_add(L->scene, EVM_LAYER_GRATICULE, &it)) {
        evm_path_free(&path);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory building the graticule");
    }
    /* The neatline round the map frame. */
    evm_style_t frame = {0};
    frame.stroke = evm_rgb_hex(0x7A7A7A);
    frame.stroke_px = 1.0 * L->pt_px;
    return evm_layout_rect(L, EVM_LAYER_GRATICULE, "frame", L->scene->frame,
                           frame)
               ? EVM_OK
               : EVM_ERR_NOMEM;
}
