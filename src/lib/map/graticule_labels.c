/* Degrees on the frame's edges: each meridian of the graticule labelled
 * where it leaves the frame, at the bottom edge by preference (then the
 * top, the left, the right), each parallel at the left edge (then the
 * right, the bottom, the top). On a polar map the meridians fan out to
 * every edge and each is labelled where it meets one, and a parallel with
 * no room at an edge (a ring round the pole) is labelled where it crosses
 * a meridian near the middle of the map; the text is always horizontal. A label
 * goes inside the frame against its edge, after the event and line labels: one
 * that would cover a marker, a label, a line, the legend, the scale bar or
 * another degree label is left out (the graticule line still says where it
 * runs). 180 degrees is "180°", the equator and the prime meridian "0°". */
#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "core/num.h"
#include "map/layout_internal.h"

enum { SAMPLES = 256 };

typedef enum edge { BOTTOM, TOP, LEFT, RIGHT } edge_t;

/* "180°", "0°", "12.5°E", "45°S". */
static void format_deg(double v, bool lon, char *buf, size_t cap)
{
    if (lon)
        v = remainder(v, 360);
    double a = fabs(v);
    if (a < 1e-9 || (lon && fabs(a - 180) < 1e-9)) {
        snprintf(buf, cap, "%s\u00B0", lon && a > 90 ? "180" : "0");
        return;
    }
    char hemi = lon ? (v > 0 ? 'E' : 'W') : (v > 0 ? 'N' : 'S');
    char num[EVM_NUM_MAX];
    evm_num_fixed(num, a, 2, true);
    snprintf(buf, cap, "%s\u00B0%c", num, hemi);
}

/* Where the line (lon1, lat1)-(lon2, lat2), sampled along its length,
 * first crosses edge e of frame f, within the edge; false when it does
 * not. *at is the crossing's x (bottom, top) or y (left, right). */
static bool crossing(evm_layout_t *L, double lon1, double lat1, double lon2,
                     double lat2, edge_t e, double *at)
{
    evm_rect_t f = L->scene->frame;
    double edge = e == BOTTOM ? f.y + f.h
                  : e == TOP  ? f.y
                  : e == LEFT ? f.x
                              : f.x + f.w;
    double lo = e <= TOP ? f.x : f.y, hi = lo + (e <= TOP ? f.w : f.h);
    double px = NAN, py = NAN;
    for (int i = 0; i <= SAMPLES; i++) {
        double t = (double)i / SAMPLES, x, y;
        if (!evm_view_forward(&L->view, lon1 + (lon2 - lon1) * t,
                              lat1 + (lat2 - lat1) * t, &x, &y)) {
            px = py = NAN;
            continue;
        }
        if (!isnan(px)) {
            double a = e <= TOP ? py : px, b = e <= TOP ? y : x;
            if ((a - edge) * (b - edge) <= 0 && a != b) {
                double u = (edge - a) / (b - a);
                double c = e <= TOP ? px + (x - px) * u : py + (y - py) * u;
                if (c >= lo && c <= hi) {
                    *at = c;
                    return true;
                }
            }
        }
        px = x;
        py = y;
    }
    return false;
}

/* Adds the degree label text in box b (halo included), unless b leaves
 * the frame or covers something already drawn. */
static bool put(evm_layout_t *L, const char *text, double size, double halo,
                evm_rect_t b, int *n, evm_status *st)
{
    evm_rect_t f = L->scene->frame;
    if (b.x < f.x + 1 || b.y < f.y + 1 || b.x + b.w > f.x + f.w - 1 ||
        b.y + b.h > f.y + f.h - 1 || evm_layout_blocked(L, b) ||
        evm_layout_on_lines(L, b))
        return false;
    char id[48];
    snprintf(id, sizeof id, "graticule-label-%d", (*n)++);
    evm_item_t *it = evm_layout_text(
        L, EVM_LAYER_GRATICULE, id, "graticule-label", text, size,
        EVM_WEIGHT_NORMAL, L->pal->subtle_text, b.x + halo, b.y + halo);
    if (!it || evm_layout_obstacle(L, b)) {
        *st = EVM_ERR_NOMEM;
        return false;
    }
    it->text.halo = L->pal->halo;
    it->text.halo_px = halo;
    return true;
}

/* The size of a degree label's box, halo included. */
static double label_box(evm_layout_t *L, const char *text, double *w, double *h,
                        double *halo)
{
    double size = EVM_GRATICULE_LABEL_PT;
    *halo = 1.2 * L->pt_px;
    evm_layout_measure(L, text, size, EVM_WEIGHT_NORMAL, w, h);
    *w += 2 * *halo;
    *h += 2 * *halo;
    return size;
}

/* Places text against edge e at position at; false when there is no
 * room (outside the frame's edge, or on something already drawn). */
static bool place(evm_layout_t *L, const char *text, edge_t e, double at,
                  int *n, evm_status *st)
{
    evm_rect_t f = L->scene->frame;
    double in = 2 * L->pt_px, w, h, halo;
    double size = label_box(L, text, &w, &h, &halo);
    evm_rect_t b;
    switch (e) {
    case BOTTOM:
        b = (evm_rect_t){at - w / 2, f.y + f.h - in - h, w, h};
        break;
    case TOP:
        b = (evm_rect_t){at - w / 2, f.y + in, w, h};
        break;
    case LEFT:
        b = (evm_rect_t){f.x + in, at - h / 2, w, h};
        break;
    default:
        b = (evm_rect_t){f.x + f.w - in - w, at - h / 2, w, h};
        break;
    }
    return put(L, text, size, halo, b, n, st);
}

/* A ring round the pole: the label is centred where the parallel crosses
 * the map's central meridian, or failing that one of the meridians
 * either side of it, 45 degrees apart. */
static bool place_on_ring(evm_layout_t *L, const char *text, double lat, int *n,
                          evm_status *st)
{
    static const double turn[] = {0, 180, 45, -45, 135, -135, 90, -90};
    double w, h, halo;
    double size = label_box(L, text, &w, &h, &halo);
    for (size_t k = 0; k < sizeof turn / sizeof turn[0] && !*st; k++) {
        double x, y;
        if (evm_view_forward(&L->view, L->view.lon0 + turn[k], lat, &x, &y) &&
            put(L, text, size, halo, (evm_rect_t){x - w / 2, y - h / 2, w, h},
                n, st))
            return true;
    }
    return false;
}

/* Labels one graticule line at the first edge of order it meets where
 * there is room, or with ring, a parallel round the pole, on a meridian. */
static evm_status label_line(evm_layout_t *L, double lon1, double lat1,
                             double lon2, double lat2, bool meridian, bool ring,
                             double value, int *n)
{
    static const edge_t lon_order[] = {BOTTOM, TOP, LEFT, RIGHT};
    static const edge_t lat_order[] = {LEFT, RIGHT, BOTTOM, TOP};
    const edge_t *order = meridian ? lon_order : lat_order;
    char text[EVM_NUM_MAX + 8]; /* a number, "°" and a hemisphere */
    format_deg(value, meridian, text, sizeof text);
    evm_status st = EVM_OK;
    for (int k = 0; k < 4 && !st; k++) {
        double at;
        if (crossing(L, lon1, lat1, lon2, lat2, order[k], &at) &&
            place(L, text, order[k], at, n, &st))
            return EVM_OK;
    }
    if (!st && ring)
        place_on_ring(L, text, value, n, &st);
    if (st)
        return evm_error_set(L->err, st, NULL, 0, 0,
                             "out of memory labelling the graticule");
    return EVM_OK;
}

evm_status evm_layout_graticule_labels(evm_layout_t *L)
{
    evm_graticule_t g;
    evm_graticule_range(L, &g);
    int count = 0;
    evm_status st = EVM_OK;
    /* A meridian that meets its twin across the globe (w and e a whole
     * turn apart) is labelled once. */
    double last = g.e - g.w >= 360 - 1e-9 ? g.e - g.lon_step / 2 : g.e;
    for (double lon = ceil(g.w / g.lon_step) * g.lon_step; !st && lon <= last;
         lon += g.lon_step)
        st = label_line(L, lon, g.s, lon, g.n, true, false, lon, &count);
    for (double lat = ceil(g.s / g.lat_step) * g.lat_step; !st && lat <= g.n;
         lat += g.lat_step)
        if (fabs(lat) < 90)
            st = label_line(L, g.w, lat, g.e, lat, false, g.polar, lat, &count);
    return st;
}
