/* The density layer (--density): in place of one marker per event, the
 * page is cut into bins and each bin is filled by how many events fall
 * in it, for maps where the events are too many to show one by one.
 *
 * - hex: pointy-top hexagons of BIN_PT across the flats, binned by
 *   cube rounding (each event goes to the hexagon whose centre is
 *   nearest);
 * - grid: squares of BIN_PT;
 * - heat: a kernel density estimate, the counts of squares of a third of
 *   BIN_PT smoothed by a Gaussian of sigma BIN_PT / 2 (separable, so the
 *   cost is linear in the cells), cells under 1 % of the peak left
 *   clear.
 *
 * Bins are coloured on a sequential ramp (viridis, reversed so that more
 * is darker on a light map) by the logarithm of the count, since event
 * counts span orders of magnitude; the fill is slightly translucent, so
 * borders and coasts show through. A legend box, in the first free corner
 * of the frame, gives the ramp with the counts its ends and middle stand
 * for. Bins are in page space: a batch
 * of zoomed maps bins each map at its own scale. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/num.h"
#include "map/layout_internal.h"

/* A bin's size, points. */
static const double BIN_PT = 10;
static const double FILL_ALPHA = 0.82;

static evm_status nomem(evm_layout_t *L)
{
    return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory building the density layer");
}

/* Viridis at nine stops, reversed: t = 0 light yellow, 1 dark purple. */
static evm_rgba_t ramp(double t)
{
    static const unsigned stops[] = {0xFDE725, 0xB5DE2B, 0x6ECE58,
                                     0x35B779, 0x1F9E89, 0x26828E,
                                     0x31688E, 0x3E4989, 0x482878};
    const size_t n = sizeof stops / sizeof stops[0];
    t = fmin(fmax(t, 0), 1) * (double)(n - 1);
    size_t i = (size_t)t;
    if (i >= n - 1)
        i = n - 2;
    double f = t - (double)i;
    evm_rgba_t a = evm_rgb_hex(stops[i]), b = evm_rgb_hex(stops[i + 1]);
    return (evm_rgba_t){a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f,
                        a.b + (b.b - a.b) * f, FILL_ALPHA};
}

/* Where on the ramp a value falls: log scale from 1 to max. */
static double ramp_t(double v, double max)
{
    return max > 1 ? log(fmax(v, 1)) / log(max) : 1;
}

/* A cell to fill, with its value: a hexagon of centre c and w across
 * the flats, or (sq not NULL) the square of column x and row y of a
 * grid of squares of w from the frame's corner. A square's edges are
 * rounded to
 * whole page px, which are the PNG's pixels and the PDF's at the map's
 * resolution: neighbours then share an edge on a pixel boundary, so
 * that no pixel is half covered by each and antialiasing leaves no
 * hairline of the map showing between them (each square would cover
 * such a pixel only in part, and two translucent partial coverages do
 * not add up to one). */
static evm_status add_cell(evm_layout_t *L, size_t n, evm_point_t c, double w,
                           const size_t *sq, double value, double max)
{
    evm_path_t p = {0};
    evm_status st = EVM_OK;
    if (!sq) {
        double r = w / sqrt(3); /* circumradius of a pointy-top hexagon */
        for (int k = 0; k < 6 && !st; k++) {
            double a = (30 + 60 * k) * (3.14159265358979323846 / 180);
            double x = c.x + r * cos(a), y = c.y + r * sin(a);
            st = k ? evm_path_line_to(&p, x, y) : evm_path_move_to(&p, x, y);
        }
    } else {
        evm_rect_t f = L->scene->frame;
        double x0 = round(f.x + w * (double)sq[0]),
               x1 = round(f.x + w * (double)(sq[0] + 1)),
               y0 = round(f.y + w * (double)sq[1]),
               y1 = round(f.y + w * (double)(sq[1] + 1));
        st = evm_path_move_to(&p, x0, y0);
        if (!st)
            st = evm_path_line_to(&p, x1, y0);
        if (!st)
            st = evm_path_line_to(&p, x1, y1);
        if (!st)
            st = evm_path_line_to(&p, x0, y1);
    }
    if (st) {
        evm_path_free(&p);
        return nomem(L);
    }
    evm_path_close(&p);
    char id[48], num[EVM_NUM_MAX];
    snprintf(id, sizeof id, "density-%zu", n);
    evm_style_t style = {0};
    style.fill = ramp(ramp_t(value, max));
    if ((st = evm_layout_add_path(L, EVM_LAYER_EVENTS, id, "density-bin", style,
                                  &p)))
        return st;
    evm_layer_t *layer = &L->scene->layers[EVM_LAYER_EVENTS];
    evm_num_significant(num, value, 10);
    return evm_item_add_data(&layer->items[layer->n_items - 1], "count", num)
               ? nomem(L)
               : EVM_OK;
}

/* Counts per hexagon; then one path per non-empty hexagon. Axial
 * coordinates (q, r) of a pointy-top grid of circumradius R: centre x =
 * R sqrt(3) (q + r / 2), y = 1.5 R r; stored by row r and column
 * q + floor(r / 2) + 1. */
static evm_status hexbin(evm_layout_t *L, double w, double *out_max)
{
    evm_rect_t f = L->scene->frame;
    double R = w / sqrt(3);
    size_t nx = (size_t)ceil(f.w / w) + 3,
           ny = (size_t)ceil(f.h / (1.5 * R)) + 2;
    double *v = calloc(nx * ny, sizeof *v);
    if (!v)
        return nomem(L);
    size_t n = evm_events_count(L->events);
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        if (!L->event_shown[i])
            continue;
        double x = L->marker_xy[i].x - f.x, y = L->marker_xy[i].y - f.y;
        double qf = (sqrt(3) / 3 * x - y / 3) / R, rf = 2.0 / 3 * y / R;
        double sf = -qf - rf;
        double q = round(qf), r = round(rf), s3 = round(sf);
        double dq = fabs(q - qf), dr = fabs(r - rf), ds = fabs(s3 - sf);
        if (dq > dr && dq > ds)
            q = -r - s3;
        else if (dr > ds)
            r = -q - s3;
        long row = (long)r, col = (long)q + (long)floor(r / 2) + 1;
        if (row < 0 || col < 0 || (size_t)row >= ny || (size_t)col >= nx)
            continue; /* on the frame's edge: cannot happen, but safe */
        double *c = &v[(size_t)row * nx + (size_t)col];
        if (++*c > max)
            max = *c;
    }
    evm_status st = EVM_OK;
    size_t drawn = 0;
    for (size_t row = 0; row < ny && !st; row++)
        for (size_t col = 0; col < nx && !st; col++) {
            double c = v[row * nx + col];
            if (c <= 0)
                continue;
            double q = (double)col - 1 - floor((double)row / 2);
            evm_point_t p = {f.x + w * (q + (double)row / 2),
                             f.y + 1.5 * R * (double)row};
            st = add_cell(L, ++drawn, p, w, NULL, c, max);
        }
    free(v);
    *out_max = max;
    return st;
}

/* Blurs nx by ny values by a Gaussian of sigma cells, rows then
 * columns (the kernel cut at 3 sigma and normalised). */
static evm_status blur(double *v, size_t nx, size_t ny, double sigma)
{
    int rad = (int)ceil(3 * sigma);
    double *k = malloc((size_t)(2 * rad + 1) * sizeof *k);
    double *tmp = malloc(nx * ny * sizeof *tmp);
    if (!k || !tmp) {
        free(k);
        free(tmp);
        return EVM_ERR_NOMEM;
    }
    double sum = 0;
    for (int d = -rad; d <= rad; d++)
        sum += k[d + rad] = exp(-(double)(d * d) / (2 * sigma * sigma));
    for (int d = 0; d <= 2 * rad; d++)
        k[d] /= sum;
    for (size_t y = 0; y < ny; y++)
        for (size_t x = 0; x < nx; x++) {
            double a = 0;
            for (int d = -rad; d <= rad; d++) {
                long xx = (long)x + d;
                if (xx >= 0 && (size_t)xx < nx)
                    a += k[d + rad] * v[y * nx + (size_t)xx];
            }
            tmp[y * nx + x] = a;
        }
    for (size_t y = 0; y < ny; y++)
        for (size_t x = 0; x < nx; x++) {
            double a = 0;
            for (int d = -rad; d <= rad; d++) {
                long yy = (long)y + d;
                if (yy >= 0 && (size_t)yy < ny)
                    a += k[d + rad] * tmp[(size_t)yy * nx + x];
            }
            v[y * nx + x] = a;
        }
    free(k);
    free(tmp);
    return EVM_OK;
}

/* Counts per square of w; for heat (sigma_cells > 0), smoothed by a
 * Gaussian of that sigma, multiplied by scale (so that the values are
 * events per BIN_PT square), and cells under 1 % of the peak left out. */
static evm_status squares(evm_layout_t *L, double w, double sigma_cells,
                          double scale, double *out_max)
{
    evm_rect_t f = L->scene->frame;
    size_t nx = (size_t)ceil(f.w / w) + 1, ny = (size_t)ceil(f.h / w) + 1;
    double *v = calloc(nx * ny, sizeof *v);
    if (!v)
        return nomem(L);
    size_t n = evm_events_count(L->events);
    for (size_t i = 0; i < n; i++) {
        if (!L->event_shown[i])
            continue;
        double x = floor((L->marker_xy[i].x - f.x) / w),
               y = floor((L->marker_xy[i].y - f.y) / w);
        if (x >= 0 && y >= 0 && x < (double)nx && y < (double)ny)
            v[(size_t)y * nx + (size_t)x] += 1;
    }
    if (sigma_cells > 0 && blur(v, nx, ny, sigma_cells)) {
        free(v);
        return nomem(L);
    }
    double max = 0;
    for (size_t c = 0; c < nx * ny; c++)
        max = fmax(max, v[c] *= scale);
    /* A heat map's floor: its faint tail would tint the whole frame. */
    double floor_v = sigma_cells > 0 ? 0.01 * max : 0;
    evm_status st = EVM_OK;
    size_t drawn = 0;
    for (size_t y = 0; y < ny && !st; y++)
        for (size_t x = 0; x < nx && !st; x++) {
            double c = v[y * nx + x];
            if (c <= floor_v || c <= 0)
                continue;
            size_t sq[2] = {x, y};
            st = add_cell(L, ++drawn, (evm_point_t){0, 0}, w, sq, c, max);
        }
    free(v);
    *out_max = max;
    return st;
}

/* The legend: a title, the ramp in seven swatches, and the values at
 * its ends and middle, in a box at the frame's top left. */
static evm_status density_legend(evm_layout_t *L, double max)
{
    static const char *const titles[] = {"", "Events per hexagon",
                                         "Events per square",
                                         "Event density (per square of 10 pt)"};
    const char *title = titles[L->opt->density];
    double pt = L->pt_px, pad = 6 * pt, sw = 12 * pt, sh = 8 * pt;
    double tw, th, nw, nh;
    evm_layout_measure(L, title, 8, EVM_WEIGHT_BOLD, &tw, &th);
    char hi[EVM_NUM_MAX], mid[EVM_NUM_MAX];
    evm_num_fixed(hi, max, 0, false);
    evm_num_fixed(mid, max > 1 ? sqrt(max) : 1, 0, false);
    evm_layout_measure(L, hi, 7.5, EVM_WEIGHT_NORMAL, &nw, &nh);
    double w = fmax(tw, 7 * sw) + 2 * pad, h = th + sh + nh + 2 * pad + 4 * pt;
    /* The first corner of the frame with room: top left, top right,
     * bottom left, bottom right (over the bins if none has). */
    evm_rect_t f = L->scene->frame, box = {0, 0, w, h};
    double m = 10 * pt;
    for (int k = 0; k <= 4; k++) {
        int c = k == 4 ? 0 : k; /* no corner free: the first */
        box.x = c & 1 ? f.x + f.w - m - w : f.x + m;
        box.y = c & 2 ? f.y + f.h - m - h : f.y + m;
        if (k == 4 || !evm_layout_blocked(L, box))
            break;
    }
    evm_style_t bg = {0};
    bg.fill = L->pal->panel;
    bg.stroke = L->pal->panel_line;
    bg.stroke_px = 0.6 * pt;
    if (!evm_layout_rect(L, EVM_LAYER_LEGEND, "density-legend", box, bg))
        return EVM_ERR_NOMEM;
    evm_item_t *t = evm_layout_text(L, EVM_LAYER_LEGEND, "density-legend-title",
                                    "", title, 8, EVM_WEIGHT_BOLD, L->pal->text,
                                    box.x + pad, box.y + pad);
    if (!t)
        return EVM_ERR_NOMEM;
    t->text.halo.a = 0;
    double y = box.y + pad + th + 2 * pt;
    for (int k = 0; k < 7; k++) {
        evm_style_t s = {0};
        s.fill = ramp(k / 6.0);
        s.fill.a = 1;
        char id[48];
        snprintf(id, sizeof id, "density-legend-%d", k + 1);
        if (!evm_layout_rect(L, EVM_LAYER_LEGEND, id,
                             (evm_rect_t){box.x + pad + k * sw, y, sw, sh}, s))
            return EVM_ERR_NOMEM;
    }
    /* The values at the ends and middle (the ramp is logarithmic). */
    const char *vals[3] = {"1", mid, hi};
    for (int k = 0; k < 3; k++) {
        double vw, vh;
        evm_layout_measure(L, vals[k], 7.5, EVM_WEIGHT_NORMAL, &vw, &vh);
        double cx = box.x + pad + (k == 0 ? 0.5 : k == 1 ? 3.5 : 6.5) * sw;
        char id[48];
        snprintf(id, sizeof id, "density-legend-value-%d", k + 1);
        evm_item_t *v = evm_layout_text(L, EVM_LAYER_LEGEND, id, "", vals[k],
                                        7.5, EVM_WEIGHT_NORMAL, L->pal->text,
                                        cx - vw / 2, y + sh + pt);
        if (!v)
            return EVM_ERR_NOMEM;
        v->text.halo.a = 0;
    }
    return evm_layout_obstacle(L, box);
}

evm_status evm_layout_density(evm_layout_t *L)
{
    double w = BIN_PT * L->pt_px, max = 0;
    evm_status st;
    switch (L->opt->density) {
    case EVM_DENSITY_HEX:
        st = hexbin(L, w, &max);
        break;
    case EVM_DENSITY_GRID:
        st = squares(L, w, 0, 1, &max);
        break;
    case EVM_DENSITY_HEAT:
        /* Cells of half a bin; sigma half a bin; values per bin. */
        st = squares(L, w / 2, 1, 4, &max);
        break;
    case EVM_DENSITY_NONE:
    default:
        return EVM_OK;
    }
    if (st || max <= 0 || !L->opt->legend)
        return st;
    return density_legend(L, max);
}
