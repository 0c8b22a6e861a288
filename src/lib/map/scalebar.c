/* The scale bar, true where the reader looks: at the centre of the events
 * (the middle of their latitude range, on their middle meridian), not
 * where the bar happens to stand. Its length is the round distance that a
 * horizontal line through that point has on the page, measured with
 * geodesics over a few pixels; the bar goes in the frame corner nearest
 * that point that covers no marker. Unless the scale varies by less than
 * 1 % over the frame (a city map) a note says at which latitude the bar is
 * true; when
 * it varies by more than 10 % over the events themselves, a second set of
 * ticks shows the same distance at the latitude where the scale differs
 * most. A world map (Equal Earth chosen for the data), or any map where
 * the scale varies by more than 50 % over the events (a hemisphere in
 * orthographic), gets no bar: no single length is near right.
 * docs/projections.md. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/num.h"
#include "map/layout_internal.h"

static const double LABEL_PT = 7.5;

/* The largest 1, 2, 2.5 or 5 times a power of ten not above x. */
static double round_down_nice(double x)
{
    double p = pow(10, floor(log10(x)));
    static const double mult[] = {5, 2.5, 2, 1};
    for (size_t i = 0; i < 4; i++)
        if (mult[i] * p <= x)
            return mult[i] * p;
    return p;
}

/* Ratio of the largest to the smallest local scale over a grid. */
static double scale_variation(const evm_layout_t *L)
{
    evm_rect_t f = L->scene->frame;
    double lo = INFINITY, hi = 0;
    for (int i = 0; i <= 4; i++)
        for (int j = 0; j <= 4; j++) {
            double x = f.x + f.w * (0.05 + 0.225 * i);
            double y = f.y + f.h * (0.05 + 0.225 * j);
            double dx = evm_layout_page_distance_m(L, x, y, x + 10, y);
            double dy = evm_layout_page_distance_m(L, x, y, x, y + 10);
            if (isfinite(dx) && dx > 0) {
                lo = fmin(lo, dx);
                hi = fmax(hi, dx);
            }
            if (isfinite(dy) && dy > 0) {
                lo = fmin(lo, dy);
                hi = fmax(hi, dy);
            }
        }
    return hi > 0 && isfinite(lo) ? hi / lo : 1;
}

static evm_status bar_segment(evm_layout_t *L, int k, evm_rect_t r, bool dark)
{
    char id[32];
    snprintf(id, sizeof id, "scale-bar-%d", k);
    evm_style_t st = {0};
    st.fill = dark ? L->pal->ink : L->pal->page;
    st.stroke = L->pal->ink;
    st.stroke_px = 0.6 * L->pt_px;
    return evm_layout_rect(L, EVM_LAYER_SCALE_BAR, id, r, st) ? EVM_OK
                                                              : EVM_ERR_NOMEM;
}

/* Metres per page pixel along the horizontal through (x, y), or NaN. */
static double m_per_px(const evm_layout_t *L, double x, double y)
{
    double d = evm_layout_page_distance_m(L, x - 2, y, x + 2, y);
    return isfinite(d) && d > 0 ? d / 4 : NAN;
}

static void lat_text(double lat, char *buf, size_t cap)
{
    char deg[EVM_NUM_MAX];
    evm_num_fixed(deg, fabs(lat), 0, false);
    snprintf(buf, cap, "%s°%s", deg, lat >= 0 ? "N" : "S");
}

/* The point where the bar is true: the middle of the events' latitude
 * range on their middle meridian, when that is in the frame; else the
 * frame's centre. */
static bool true_point(const evm_layout_t *L, double *x, double *y, double *lat)
{
    evm_rect_t f = L->scene->frame;
    const double *ll = L->fit ? L->fit->data_ll : NULL;
    if (L->fit && L->fit->have_data) {
        double lat_c = (ll[1] + ll[3]) / 2, lon_c = (ll[0] + ll[2]) / 2;
        if (evm_view_forward(&L->view, lon_c, lat_c, x, y) && *x >= f.x &&
            *x <= f.x + f.w && *y >= f.y && *y <= f.y + f.h) {
            *lat = lat_c;
            return true;
        }
    }
    double lon;
    *x = f.x + f.w / 2;
    *y = f.y + f.h / 2;
    return evm_view_inverse(&L->view, *x, *y, &lon, lat);
}

/* The event whose horizontal scale differs most from m0 (metres per
 * px), as the ratio; *lat is its latitude. */
static double event_variation(const evm_layout_t *L, double m0, double *lat)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    double worst = 1;
    /* At most about 500 events sampled: the scale is smooth. */
    size_t step = n > 500 ? n / 500 : 1;
    for (size_t i = 0; i < n; i += step) {
        const evm_event_t *e = evm_events_get(L->events, i);
        double x, y;
        if (!evm_view_forward(&L->view, e->lon_deg, e->lat_deg, &x, &y))
            continue;
        double m = m_per_px(L, x, y);
        if (!isfinite(m))
            continue;
        double r = m > m0 ? m / m0 : m0 / m;
        if (r > worst) {
            worst = r;
            *lat = e->lat_deg;
        }
    }
    return worst;
}

static evm_status add_note(evm_layout_t *L, const char *id, const char *text,
                           double x, double y, double *right)
{
    evm_item_t *it =
        evm_layout_text(L, EVM_LAYER_SCALE_BAR, id, "", text, LABEL_PT,
                        EVM_WEIGHT_NORMAL, L->pal->ink, x, y);
    if (!it)
        return EVM_ERR_NOMEM;
    *right = fmax(*right, it->text.box.x + it->text.box.w);
    return EVM_OK;
}

evm_status evm_layout_scale_bar(evm_layout_t *L)
{
    if (L->fit && L->fit->world)
        return EVM_OK; /* the scale of a world map varies twofold */
    evm_rect_t f = L->scene->frame;
    double pt = L->pt_px, unit_m = evm_units_metres(L->opt->units);
    double lw, lh;
    evm_layout_measure(L, "0", LABEL_PT, EVM_WEIGHT_NORMAL, &lw, &lh);
    double bar_h = 4 * pt, target_px = 110 * pt;

    double cx, cy, lat_c;
    if (!true_point(L, &cx, &cy, &lat_c))
        return EVM_OK; /* nothing of the frame is on the globe */
    double m0 = m_per_px(L, cx, cy);
    if (!isfinite(m0))
        return EVM_OK;
    double len_units = round_down_nice(target_px * m0 / unit_m);
    double len_px = len_units * unit_m / m0;
    double lat2 = lat_c;
    double spread = event_variation(L, m0, &lat2);
    double len2_px = NAN;
    if (spread > 1.5)
        return EVM_OK; /* a hemisphere: no one length is near right */
    if (spread > 1.10) {
        double x2, y2;
        if (evm_view_forward(&L->view,
                             (L->fit->data_ll[0] + L->fit->data_ll[2]) / 2,
                             lat2, &x2, &y2)) {
            double m2 = m_per_px(L, x2, y2);
            if (isfinite(m2))
                len2_px = len_units * unit_m / m2;
        }
    }
    double full_px = isfinite(len2_px) ? fmax(len_px, len2_px) : len_px;
    /* The corner nearest the true point whose box covers no marker. */
    double box_w = full_px + lw + 90 * pt;
    double box_h = bar_h + lh + 5 * pt + (isfinite(len2_px) ? lh + 4 * pt : 0);
    double xs[2] = {f.x + 12 * pt, f.x + f.w - 12 * pt - box_w + lw};
    double ys[2] = {f.y + f.h - 10 * pt - lh - bar_h,
                    f.y + 10 * pt + box_h - lh - bar_h};
    int order[4] = {0, 1, 2, 3};
    double dist[4];
    for (int k = 0; k < 4; k++) {
        double bx = xs[k & 1] + full_px / 2, by = ys[k >> 1];
        dist[k] = hypot(bx - cx, by - cy);
    }
    for (int i = 1; i < 4; i++)
        for (int j = i; j > 0 && dist[order[j]] < dist[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    int corner = order[0];
    for (int i = 0; i < 4; i++) {
        int k = order[i];
        evm_rect_t r = {xs[k & 1] - lw,
                        ys[k >> 1] + bar_h + lh + 5 * pt - box_h, box_w, box_h};
        if (!evm_layout_blocked(L, r)) {
            corner = k;
            break;
        }
    }
    double x0 = xs[corner & 1], y0 = ys[corner >> 1];

    evm_status st = EVM_OK;
    for (int k = 0; k < 4 && !st; k++)
        st = bar_segment(
            L, k, (evm_rect_t){x0 + len_px * k / 4, y0, len_px / 4, bar_h},
            k % 2 == 0);
    if (st)
        return evm_error_set(L->err, st, NULL, 0, 0,
                             "out of memory adding the scale bar");

    char num[64], label[96], where[EVM_NUM_MAX + 8], note[96];
    evm_num_thousands(len_units,
                      len_units < 1    ? 2
                      : len_units < 10 ? 1
                                       : 0,
                      num, sizeof num);
    /* "2.0" reads worse than "2". */
    size_t nl = strlen(num);
    if (nl > 2 && num[nl - 1] == '0' && num[nl - 2] == '.')
        num[nl - 2] = '\0';
    snprintf(label, sizeof label, "%s %s", num, evm_units_name(L->opt->units));
    evm_rgba_t ink = L->pal->ink;
    double ty = y0 + bar_h + 1.5 * pt;
    evm_item_t *zero =
        evm_layout_text(L, EVM_LAYER_SCALE_BAR, "scale-bar-zero", "", "0",
                        LABEL_PT, EVM_WEIGHT_NORMAL, ink, x0 - lw / 2, ty);
    double tw, th;
    evm_layout_measure(L, label, LABEL_PT, EVM_WEIGHT_NORMAL, &tw, &th);
    evm_item_t *end = evm_layout_text(
        L, EVM_LAYER_SCALE_BAR, "scale-bar-length", "", label, LABEL_PT,
        EVM_WEIGHT_NORMAL, ink, x0 + len_px - tw / 2, ty);
    if (!zero || !end)
        return EVM_ERR_NOMEM;
    double right = fmax(x0 + len_px + tw / 2, x0 + len_px);
    double top = y0 - 2 * pt;

    lat_text(lat_c, where, sizeof where);
    if (isfinite(len2_px)) {
        /* The same distance where the scale differs most: a thin line
         * with end ticks above the bar. */
        double y2 = y0 - 3 * pt;
        evm_item_t it = evm_layout_item(EVM_ITEM_PATH, "scale-bar-second", "");
        it.style.stroke = ink;
        it.style.stroke_px = 0.8 * pt;
        if (evm_path_move_to(&it.path, x0, y2 - 3 * pt) ||
            evm_path_line_to(&it.path, x0, y2) ||
            evm_path_line_to(&it.path, x0 + len2_px, y2) ||
            evm_path_line_to(&it.path, x0 + len2_px, y2 - 3 * pt) ||
            !evm_scene_add(L->scene, EVM_LAYER_SCALE_BAR, &it)) {
            evm_path_free(&it.path);
            return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory adding the scale bar");
        }
        char w2[EVM_NUM_MAX + 8];
        lat_text(lat2, w2, sizeof w2);
        snprintf(note, sizeof note, "at %s", w2);
        if ((st =
                 add_note(L, "scale-bar-second-note", note,
                          x0 + len2_px + 4 * pt, y2 - 3 * pt - th / 2, &right)))
            return st;
        snprintf(note, sizeof note, "at %s", where);
        if ((st = add_note(L, "scale-bar-note", note, right + 6 * pt, ty,
                           &right)))
            return st;
        top = y2 - 3 * pt - th / 2;
    } else if (scale_variation(L) > 1.01) {
        snprintf(note, sizeof note, "scale true at %s", where);
        if ((st = add_note(L, "scale-bar-note", note, right + 6 * pt, ty,
                           &right)))
            return st;
    }
    return evm_layout_obstacle(L, (evm_rect_t){x0 - lw, top,
                                               right - x0 + lw + 2 * pt,
                                               ty + th + 2 * pt - top});
}
