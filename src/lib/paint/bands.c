/* Where the PNG backend cuts a page into bands: so that each band's
 * thread has about the same work, not the same number of rows.
 *
 * The bands paint the whole scene each, clipped to their rows, so a map
 * whose names crowd one half (the example's Korea and Japan, in its
 * lower half) made one thread wait for the other. The work of a row is
 * estimated from the scene alone (so that one thread or two cut the page
 * in the same places): a cost per row (filling, writing the rows), per
 * path point at its row, per circle, and per character of text at the
 * centre of its box, weighted by the text's size, as stroking a halo
 * round the glyphs' outlines costs about ten times showing them. The
 * weights are nanoseconds measured on the example map (docs/
 * performance.md); only their ratios matter.
 *
 * A seam is then moved off the labels, to the nearest row clear of
 * them. cairo rasterizes a band's shapes within the band, so an edge the
 * seam cuts may be shaded a few levels of 255 apart from the page
 * painted whole, in the two rows that meet there: a name in grey with a
 * translucent halo, as the base map draws a country's, changes a pixel
 * for about one seam row in three through it (tests/unit/test_paint.c).
 * A seam cannot keep off every coast and border, but it can keep off the
 * names, which a reader looks at. The rows depend on the scene alone. */
#include "paint/png.h"

#include <math.h>
#include <stdlib.h>

#include <glib.h>

#include "paint/guard.h"

enum {
    /* A seam stays this far (px) from a label's box and halo, and moves
     * at most a tenth of the page (BAND_SEAM_REACH_DIV) to do so. */
    BAND_SEAM_MARGIN_PX = 2,
    BAND_SEAM_REACH_DIV = 10,
    BAND_ROW_NS = 5000,       /* fills, the rows' conversion */
    BAND_POINT_NS = 370,      /* a path point, stroked or filled */
    BAND_CIRCLE_NS = 1000,    /* a marker or a place's dot */
    BAND_HALO_CHAR_NS = 1000, /* a character with a halo, per px of size */
    BAND_GLYPH_CHAR_NS = 80   /* a character without, per px of size */
};

/* Row of page y, clamped to [0, h); NaN reads as row 0. */
static int row_of(double y, int h)
{
    if (!(y >= 0))
        return 0;
    return y < h ? (int)y : h - 1;
}

static double text_cost(const evm_text_t *t)
{
    if (!t->utf8 || !g_utf8_validate(t->utf8, -1, NULL) ||
        !(fabs(t->size_px) < EVM_PAINT_MAX_PAGE_PX))
        return 0;
    double per_px = evm_paint_halo_shows(t, EVM_GUARD_MARGIN)
                        ? BAND_HALO_CHAR_NS
                        : BAND_GLYPH_CHAR_NS;
    return per_px * fabs(t->size_px) * (double)g_utf8_strlen(t->utf8, -1);
}

/* Adds each item's estimated cost to the row where it falls. Path points
 * off the page are left out: the guard box clips far ones away, and
 * those near cost a band little (a subpath wholly off it is skipped). */
static void add_layer_costs(const evm_layer_t *layer, double w, int h,
                            double *cost)
{
    for (size_t i = 0; i < layer->n_items; i++) {
        const evm_item_t *it = &layer->items[i];
        switch (it->kind) {
        case EVM_ITEM_PATH:
            for (size_t k = 0; k < it->path.n_pts; k++) {
                evm_point_t q = it->path.pts[k];
                if (q.x >= 0 && q.x < w && q.y >= 0 && q.y < h)
                    cost[(int)q.y] += BAND_POINT_NS;
            }
            break;
        case EVM_ITEM_CIRCLE:
            cost[row_of(it->center.y, h)] += BAND_CIRCLE_NS;
            break;
        case EVM_ITEM_TEXT:
            cost[row_of(it->text.box.y + it->text.box.h / 2, h)] +=
                text_cost(&it->text);
            break;
        }
    }
}

/* Marks crossed[y] for each line y in (0, h) between page rows y - 1
 * and y that some text item's box, grown by its halo and
 * BAND_SEAM_MARGIN_PX, would cut (a turned label: its turned box). */
static void mark_label_lines(const evm_layer_t *layer, int h,
                             unsigned char *crossed)
{
    for (size_t i = 0; i < layer->n_items; i++) {
        const evm_text_t *t = &layer->items[i].text;
        if (layer->items[i].kind != EVM_ITEM_TEXT || !t->utf8 || !t->utf8[0])
            continue;
        double a = evm_paint_text_angle(t);
        double half = (fabs(t->box.w * sin(a)) + fabs(t->box.h * cos(a))) / 2;
        double grow =
            BAND_SEAM_MARGIN_PX +
            (evm_paint_halo_shows(t, EVM_GUARD_MARGIN) ? t->halo_px : 0);
        double cy = t->box.y + t->box.h / 2;
        double top = floor(cy - half - grow), bottom = ceil(cy + half + grow);
        /* Also false for NaN; a label far off the page cuts nothing. */
        if (!(top < h && bottom > 0))
            continue;
        for (int y = top < 0 ? 1 : (int)top + 1; y < bottom && y < h; y++)
            crossed[y] = 1;
    }
}

/* Moves each seam y0[i] (i >= 1) to the nearest line, within a tenth of
 * the page and between its neighbours, that no label crosses (the line
 * above on a tie); a seam with none keeps its row. Farther, the bands'
 * work would drift apart: on the example map the nearest clear line is
 * 95 rows (11%) from the work's, and a seam there paints 3% slower. */
static void keep_seams_off_labels(const evm_scene_t *scene, int h, int n,
                                  int *y0)
{
    unsigned char *crossed = calloc((size_t)h, 1);
    if (!crossed)
        return;
    for (int l = 0; l < EVM_LAYER_COUNT; l++)
        mark_label_lines(&scene->layers[l], h, crossed);
    for (int i = 1; i < n; i++) {
        int lo = y0[i - 1] + 1, hi = i + 1 < n ? y0[i + 1] - 1 : h - 1;
        for (int d = 0; d <= h / BAND_SEAM_REACH_DIV; d++) {
            int above = y0[i] - d, below = y0[i] + d;
            if (above >= lo && !crossed[above]) {
                y0[i] = above;
                break;
            }
            if (below <= hi && !crossed[below]) {
                y0[i] = below;
                break;
            }
        }
    }
    free(crossed);
}

void evm_png_band_rows(const evm_scene_t *scene, int h, int n, int *y0)
{
    for (int i = 0; i < n; i++)
        y0[i] = (int)((long long)h * i / n);
    double *cost = n > 1 && h >= n ? malloc(sizeof *cost * (size_t)h) : NULL;
    if (!cost)
        return; /* equal rows */
    double total = 0;
    for (int y = 0; y < h; y++)
        cost[y] = BAND_ROW_NS;
    for (int l = 0; l < EVM_LAYER_COUNT; l++)
        add_layer_costs(&scene->layers[l], scene->width_px, h, cost);
    for (int y = 0; y < h; y++)
        total += cost[y];
    /* Band i starts at the first row where the work above it reaches
     * i / n of the whole, and has at least one row. */
    double above = 0;
    for (int y = 0, i = 1; y < h && i < n; y++) {
        above += cost[y];
        while (i < n && above >= total * i / n) {
            int lo = y0[i - 1] + 1, hi = h - (n - i);
            int at = y + 1;
            y0[i++] = at < lo ? lo : at > hi ? hi : at;
        }
    }
    free(cost);
    keep_seams_off_labels(scene, h, n, y0);
}
