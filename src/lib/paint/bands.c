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
 * performance.md); only their ratios matter. */
#include "paint/png.h"

#include <math.h>
#include <stdlib.h>

#include <glib.h>

#include "paint/guard.h"

enum {
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
}
