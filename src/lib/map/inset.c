/* The locator inset: on a map of a city or a small region, a small map of
 * the surroundings (at least 1,500 km across, fifteen times the frame's
 * span) in a Lambert azimuthal equal-area projection centred on the
 * frame, with the main frame's outline drawn on it in red, so a reader
 * sees where the map is. It goes in the corner of the frame that covers
 * the fewest markers and furniture (none, when one is free), or the one
 * asked for. Items: "inset-box", "inset-land", "inset-frame" in the
 * legend layer (painted above the map, not clipped to the frame). */
#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "core/num.h"
#include "geo/view.h"
#include "map/layout_internal.h"

/* A frame narrower than this gets an inset when asked for "auto". */
#define INSET_BELOW_KM 1000.0
#define INSET_MIN_SPAN_KM 1500.0
#define INSET_ZOOM 15.0

/* The inset's rectangle in corner k (0 nw, 1 ne, 2 sw, 3 se). */
static evm_rect_t corner_rect(evm_rect_t f, double w, double h, double m, int k)
{
    double x = k & 1 ? f.x + f.w - m - w : f.x + m;
    double y = k & 2 ? f.y + f.h - m - h : f.y + m;
    return (evm_rect_t){x, y, w, h};
}

/* The land of the inset view, clipped to its rectangle. */
static evm_status inset_land(evm_layout_t *L, const evm_view_t *v, evm_rect_t r,
                             evm_path_t *out)
{
    evm_path_t raw = {0};
    evm_status st =
        evm_layout_land_rings(v, L->basemap, 0, L->basemap->n_rings, &raw);
    for (size_t s = 0; !st && s < raw.n_subs; s++) {
        size_t a = raw.sub_start[s];
        size_t b = s + 1 < raw.n_subs ? raw.sub_start[s + 1] : raw.n_pts;
        if (b - a >= 3)
            st = evm_clip_ring_to_rect(raw.pts + a, b - a, r, out);
    }
    evm_path_free(&raw);
    return st;
}

/* The main frame's border, through lon/lat, on the inset. */
static evm_status frame_outline(evm_layout_t *L, const evm_view_t *v,
                                evm_path_t *out)
{
    evm_rect_t f = L->scene->frame;
    enum { PER_SIDE = 16 };
    bool first = true;
    for (int side = 0; side < 4; side++)
        for (int i = 0; i < PER_SIDE; i++) {
            double t = (double)i / PER_SIDE, x, y, lon, lat, px, py;
            switch (side) {
            case 0:
                x = f.x + t * f.w, y = f.y;
                break;
            case 1:
                x = f.x + f.w, y = f.y + t * f.h;
                break;
            case 2:
                x = f.x + f.w - t * f.w, y = f.y + f.h;
                break;
            default:
                x = f.x, y = f.y + f.h - t * f.h;
                break;
            }
            if (!evm_view_inverse(&L->view, x, y, &lon, &lat) ||
                !evm_view_forward(v, lon, lat, &px, &py))
                continue;
            if ((first ? evm_path_move_to : evm_path_line_to)(out, px, py))
                return EVM_ERR_NOMEM;
            first = false;
        }
    if (!first)
        evm_path_close(out);
    return EVM_OK;
}

evm_status evm_layout_inset(evm_layout_t *L)
{
    evm_inset mode = L->opt->inset;
    if (mode == EVM_INSET_OFF || !L->basemap)
        return EVM_OK;
    evm_rect_t f = L->scene->frame;
    double cx = f.x + f.w / 2, cy = f.y + f.h / 2, lon, lat;
    double span_m = evm_layout_page_distance_m(L, f.x, cy, f.x + f.w, cy);
    double tall_m = evm_layout_page_distance_m(L, cx, f.y, cx, f.y + f.h);
    if (!evm_view_inverse(&L->view, cx, cy, &lon, &lat) || !isfinite(span_m) ||
        !isfinite(tall_m))
        return EVM_OK; /* a frame not wholly on the globe is no small map */
    double across_km = fmax(span_m, tall_m) / 1000;
    if (mode == EVM_INSET_AUTO && !(across_km < INSET_BELOW_KM))
        return EVM_OK;

    double pt = L->pt_px, m = 8 * pt;
    double h = fmin(round(0.3 * fmin(f.w, f.h)), 150 * pt);
    double w = round(1.3 * h);
    if (h < 40 || w > f.w / 2)
        return EVM_OK; /* no room */
    int corner = 0;
    if (mode >= EVM_INSET_NW) {
        corner = (int)(mode - EVM_INSET_NW);
    } else {
        size_t best = SIZE_MAX;
        static const int order[4] = {2, 0, 3, 1}; /* west first, south first */
        for (int i = 0; i < 4; i++) {
            size_t cost =
                evm_layout_blocked_count(L, corner_rect(f, w, h, m, order[i]));
            if (cost < best) {
                best = cost;
                corner = order[i];
            }
        }
    }
    evm_rect_t r = corner_rect(f, w, h, m, corner);

    char def[160], lat0[EVM_NUM_MAX], lon0[EVM_NUM_MAX];
    evm_num_fixed(lat0, lat, 6, false);
    evm_num_fixed(lon0, lon, 6, false);
    snprintf(def, sizeof def,
             "+proj=laea +lat_0=%s +lon_0=%s +ellps=WGS84 +units=m +no_defs",
             lat0, lon0);
    evm_projection_t *proj = NULL;
    evm_status st = evm_projection_create(L->ctx->pj_nodb, def, &proj, L->err);
    if (st)
        return st;
    double half = 1000 * fmax(INSET_MIN_SPAN_KM, INSET_ZOOM * across_km) / 2;
    double box[4] = {-half, -half * h / w, half, half * h / w};
    evm_view_t v;
    st = evm_view_init_box(&v, proj, box, r, L->err);
    evm_path_t land = {0}, outline = {0};
    evm_style_t sea = {0}, ground = {0}, red = {0};
    sea.fill = L->pal->ocean;
    sea.stroke = L->pal->border;
    sea.stroke_px = 1.0 * pt;
    ground.fill = L->pal->land;
    red.stroke = evm_rgb_hex(0xD0021B);
    red.stroke_px = 1.5 * pt;
    red.join = EVM_JOIN_MITER;
    if (!st && !evm_layout_rect(L, EVM_LAYER_LEGEND, "inset-box", r, sea))
        st = EVM_ERR_NOMEM;
    if (!st)
        st = inset_land(L, &v, r, &land);
    if (!st)
        st = evm_layout_add_path(L, EVM_LAYER_LEGEND, "inset-land", "inset",
                                 ground, &land);
    if (!st)
        st = frame_outline(L, &v, &outline);
    if (!st)
        st = evm_layout_add_path(L, EVM_LAYER_LEGEND, "inset-frame", "inset",
                                 red, &outline);
    /* The box's border again, over the land. */
    evm_style_t edge = sea;
    edge.fill.a = 0;
    if (!st && !evm_layout_rect(L, EVM_LAYER_LEGEND, "inset-edge", r, edge))
        st = EVM_ERR_NOMEM;
    evm_path_free(&land);
    evm_path_free(&outline);
    evm_projection_destroy(proj);
    if (st)
        return evm_error_set(L->err, st, NULL, 0, 0,
                             "could not draw the locator inset");
    return evm_layout_obstacle(L, r);
}
