/* The scale bar, measured with geodesics where it stands: its ends are
 * inverse-projected and the bar's length in pixels adjusted until the
 * geodesic between them is a round distance. When the scale varies by more
 * than 10 % across the frame (any small-scale map), a note says where the
 * bar is true. */
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
    st.fill = dark ? evm_rgb_hex(0x333333) : evm_rgb_hex(0xFFFFFF);
    st.stroke = evm_rgb_hex(0x333333);
    st.stroke_px = 0.6 * L->pt_px;
    return evm_layout_rect(L, EVM_LAYER_SCALE_BAR, id, r, st) ? EVM_OK
                                                              : EVM_ERR_NOMEM;
}

evm_status evm_layout_scale_bar(evm_layout_t *L)
{
    evm_rect_t f = L->scene->frame;
    double pt = L->pt_px, unit_m = evm_units_metres(L->opt->units);
    double lw, lh;
    evm_layout_measure(L, "0", LABEL_PT, EVM_WEIGHT_NORMAL, &lw, &lh);
    double bar_h = 4 * pt;
    double x0 = f.x + 12 * pt;
    double y0 = f.y + f.h - 10 * pt - lh - bar_h;
    double target_px = 110 * pt;

    double d = evm_layout_page_distance_m(L, x0, y0, x0 + target_px, y0);
    if (!isfinite(d) || d <= 0)
        return EVM_OK; /* the corner is off the globe: no bar */
    double len_units = round_down_nice(d / unit_m);
    /* Solve for the pixel length whose geodesic is len_units; the
     * projection's scale changes along the bar, so iterate. */
    double len_px = target_px * len_units * unit_m / d;
    for (int i = 0; i < 6; i++) {
        double di = evm_layout_page_distance_m(L, x0, y0, x0 + len_px, y0);
        if (!isfinite(di) || di <= 0)
            return EVM_OK;
        len_px *= len_units * unit_m / di;
    }

    evm_status st = EVM_OK;
    for (int k = 0; k < 4 && !st; k++)
        st = bar_segment(
            L, k, (evm_rect_t){x0 + len_px * k / 4, y0, len_px / 4, bar_h},
            k % 2 == 0);
    if (st)
        return evm_error_set(L->err, st, NULL, 0, 0,
                             "out of memory adding the scale bar");

    char num[64], label[96];
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
    evm_rgba_t ink = evm_rgb_hex(0x333333);
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

    if (scale_variation(L) > 1.10) {
        double lon, lat;
        if (evm_view_inverse(&L->view, x0 + len_px / 2, y0, &lon, &lat)) {
            char note[64];
            snprintf(note, sizeof note, "scale true at %.0f°%s", fabs(lat),
                     lat >= 0 ? "N" : "S");
            evm_item_t *it = evm_layout_text(
                L, EVM_LAYER_SCALE_BAR, "scale-bar-note", "", note, LABEL_PT,
                EVM_WEIGHT_NORMAL, ink, right + 6 * pt, ty);
            if (!it)
                return EVM_ERR_NOMEM;
            right = it->text.box.x + it->text.box.w;
        }
    }
    return evm_layout_obstacle(L, (evm_rect_t){x0 - lw, y0 - 2 * pt,
                                               right - x0 + lw + 2 * pt,
                                               bar_h + th + 5 * pt});
}
