/* The paint plan of a crowded layer (plan.h): which markers later ones
 * hide, and which can be filled and stroked together.
 *
 * Both rest on a grid of page pixels (cells of a whole number of pixels
 * on very large pages), aligned with the pixels of the PNG, which the
 * painter paints at one pixel per page px.
 *
 * Hidden. A marker is left out when every cell its footprint (what it
 * paints: fill, stroke, antialiasing) meets lies wholly inside the filled
 * disc of some later opaque marker (a circle; a polygon's inscribed disc
 * about its centre), or outside the layer's clip. Such a cell's pixel is
 * painted over at full coverage by that later marker, whatever lay
 * under it, so the picture is the same without the hidden marker, to the
 * byte in the PNG and exactly in vector output. A pile of the same
 * opaque marker at one place (events at a town's centroid) is painted
 * once as well: there the rims coincide, and painting the pile once
 * gives the look of one marker instead of a rim darkened by the pile.
 *
 * Batches. Walking the layer in order, each item gets a level: one above
 * the highest level of the earlier items whose footprint box shares a
 * cell with its own, 0 when none does. Two items of one level share no
 * pixel, and of two that may, the earlier has the lower level. Painting
 * level after level therefore keeps the order of every pair that
 * overlaps, and within a level the markers of one style can be one path,
 * filled once and stroked once, which paints exactly the pixels painting
 * them one by one paints. Where markers do not overlap (most maps) a
 * level holds them all: one fill and one stroke per style. Where they do,
 * each keeps its own outline over the markers under it, as before. */
#include "paint/plan.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "paint/guard.h"
#include "paint/paint.h"

enum {
    PLAN_MIN_ITEMS = 64,       /* fewer: paint in order */
    PLAN_MAX_CELLS = 16 << 20, /* grid cells at most */
    PLAN_MAX_STYLES = 1024,    /* batched styles at most */
    CELL_OPEN = 0,             /* a later marker may hide it */
    CELL_HIDDEN = 1,           /* nothing earlier shows there */
    CELL_EDGE = 2              /* partly clipped: never hidden */
};

/* cairo flattens curves to within its tolerance (0.1 px; 0.3 for
 * halos): footprints grow, and covering discs shrink, by this much. */
static const double slack_px = 0.5;

typedef evm_paint_box_t box_t;

typedef struct grid {
    double cell; /* px per cell, a whole number */
    long w, h;   /* cells */
    unsigned char *state;
    uint32_t *level; /* 1 + the highest level of a footprint on the cell */
} grid_t;

/* Cells [*i0, *i1] of n whose span [i * cell, (i + 1) * cell] meets
 * [a0, a1]; false when none does. */
static bool cells_meeting(double a0, double a1, double cell, long n, long *i0,
                          long *i1)
{
    double f0 = floor(a0 / cell), f1 = floor(a1 / cell);
    if (!(f1 >= 0 && f0 <= (double)(n - 1) && f0 <= f1))
        return false;
    *i0 = f0 < 0 ? 0 : (long)f0;
    *i1 = f1 > (double)(n - 1) ? n - 1 : (long)f1;
    return true;
}

/* ---- footprints and covering discs ---- */

static double stroke_of(const evm_style_t *st, double margin_px)
{
    return evm_paint_stroke_shows(st) ? evm_paint_stroke_width(st, margin_px)
                                      : 0;
}

static bool box_finite(const box_t *b)
{
    return isfinite(b->x0) && isfinite(b->y0) && isfinite(b->x1) &&
           isfinite(b->y1);
}

/* The box it paints in, grown by slack_px; the whole page (an item that
 * overlaps everything) when it is not known. */
static box_t footprint(const evm_item_t *it, const evm_rect_t *page,
                       const evm_rect_t *guard, double margin_px)
{
    box_t whole = {page->x, page->y, page->x + page->w, page->y + page->h};
    box_t b = whole;
    double w = stroke_of(&it->style, margin_px);
    switch (it->kind) {
    case EVM_ITEM_CIRCLE: {
        double e = it->r_px + w / 2 + slack_px;
        b = (box_t){it->center.x - e, it->center.y - e, it->center.x + e,
                    it->center.y + e};
        if (!evm_paint_circle_shows(it, guard, margin_px))
            return whole;
        break;
    }
    case EVM_ITEM_PATH: {
        const evm_path_t *p = &it->path;
        if (p->n_pts == 0)
            return whole;
        b = (box_t){INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (size_t i = 0; i < p->n_pts; i++) {
            if (!evm_guard_inside(guard, p->pts[i]))
                return whole; /* clipped, or garbage dropped */
            b.x0 = fmin(b.x0, p->pts[i].x);
            b.y0 = fmin(b.y0, p->pts[i].y);
            b.x1 = fmax(b.x1, p->pts[i].x);
            b.y1 = fmax(b.y1, p->pts[i].y);
        }
        bool closed = true;
        for (size_t k = 0; k < p->n_subs; k++)
            closed = closed && p->sub_closed[k];
        /* Round or bevelled corners reach half the width past the path;
         * miters (cairo's limit is 10) and open ends 5 widths at most. */
        double e =
            (closed && it->style.join != EVM_JOIN_MITER ? w / 2 : 5 * w) +
            slack_px;
        b = (box_t){b.x0 - e, b.y0 - e, b.x1 + e, b.y1 + e};
        break;
    }
    case EVM_ITEM_TEXT: {
        /* As the painter culls it. */
        const evm_text_t *t = &it->text;
        double e = evm_paint_text_reach(t);
        b = (box_t){t->box.x - e, t->box.y - e, t->box.x + t->box.w + e,
                    t->box.y + t->box.h + e};
        break;
    }
    }
    return box_finite(&b) ? b : whole;
}

/* A marker polygon: one closed convex ring of usable points, its centre
 * strictly inside; it is drawn scaled by k about the centre (a scale
 * that moves every edge by at least as much as its nearest one). */
typedef struct ring {
    const evm_point_t *pts;
    size_t n;
    double cx, cy;
    double r_in; /* distance from the centre to the nearest edge, px */
    double k;
} ring_t;

static bool convex_ring(const evm_item_t *it, const evm_rect_t *guard,
                        ring_t *r)
{
    const evm_path_t *p = &it->path;
    if (it->kind != EVM_ITEM_PATH || p->n_subs != 1 || !p->sub_closed[0] ||
        p->sub_start[0] != 0 || p->n_pts < 3 ||
        !evm_guard_inside(guard, it->center))
        return false;
    *r = (ring_t){p->pts, p->n_pts, it->center.x, it->center.y, INFINITY, 1};
    /* Every turn one way, the centre on the inner side of every edge. */
    double turn = 0;
    for (size_t i = 0; i < p->n_pts; i++) {
        evm_point_t a = p->pts[i], b = p->pts[(i + 1) % p->n_pts],
                    c = p->pts[(i + 2) % p->n_pts];
        if (!evm_guard_inside(guard, a))
            return false;
        double ex = b.x - a.x, ey = b.y - a.y, len = hypot(ex, ey);
        double t = ex * (c.y - b.y) - ey * (c.x - b.x);
        double side = ex * (r->cy - a.y) - ey * (r->cx - a.x);
        if (!(len > 0) || t * turn < 0 || side * (turn ? turn : t) <= 0)
            return false;
        if (turn == 0)
            turn = t;
        r->r_in = fmin(r->r_in, fabs(side) / len);
    }
    return turn != 0 && r->r_in > 0 && isfinite(r->r_in);
}

/* The span [*l, *r] of the scaled ring on the line at height y; false
 * when the line misses it. */
static bool ring_span(const ring_t *r, double y, double *l, double *rt)
{
    *l = INFINITY;
    *rt = -INFINITY;
    for (size_t i = 0; i < r->n; i++) {
        evm_point_t a = r->pts[i], b = r->pts[(i + 1) % r->n];
        double ax = r->cx + r->k * (a.x - r->cx),
               ay = r->cy + r->k * (a.y - r->cy);
        double bx = r->cx + r->k * (b.x - r->cx),
               by = r->cy + r->k * (b.y - r->cy);
        if (y < fmin(ay, by) || y > fmax(ay, by))
            continue;
        double x = ay == by ? ax : ax + (y - ay) * (bx - ax) / (by - ay);
        *l = fmin(*l, fmin(x, ay == by ? bx : x));
        *rt = fmax(*rt, fmax(x, ay == by ? bx : x));
    }
    return *l <= *rt;
}

/* ---- hidden markers ---- */

/* Cells wholly inside the scaled convex ring become hidden: a cell is
 * inside when its four corners are, that is within the ring's spans at
 * its top and bottom. */
static void cover_ring(grid_t *g, const ring_t *r)
{
    double y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < r->n; i++) {
        double y = r->cy + r->k * (r->pts[i].y - r->cy);
        y0 = fmin(y0, y);
        y1 = fmax(y1, y);
    }
    long j0, j1;
    if (!cells_meeting(y0, y1, g->cell, g->h, &j0, &j1))
        return;
    for (long j = j0; j <= j1; j++) {
        double ya = (double)j * g->cell, yb = ya + g->cell, la, ra, lb, rb;
        if (!ring_span(r, ya, &la, &ra) || !ring_span(r, yb, &lb, &rb))
            continue;
        double f0 = fmax(ceil(fmax(la, lb) / g->cell), 0);
        double f1 = fmin(floor(fmin(ra, rb) / g->cell), (double)g->w);
        unsigned char *row = g->state + j * g->w;
        for (long i = (long)f0; i < (long)f1; i++)
            if (row[i] == CELL_OPEN)
                row[i] = CELL_HIDDEN;
    }
}

/* Cells wholly inside the disc become hidden. */
static void cover_cells(grid_t *g, double cx, double cy, double r)
{
    long j0, j1;
    if (!cells_meeting(cy - r, cy + r, g->cell, g->h, &j0, &j1))
        return;
    for (long j = j0; j <= j1; j++) {
        double ya = (double)j * g->cell, yb = ya + g->cell;
        double dy = fmax(fabs(ya - cy), fabs(yb - cy));
        if (dy >= r)
            continue;
        double hw = sqrt(r * r - dy * dy);
        double f0 = ceil((cx - hw) / g->cell), f1 = floor((cx + hw) / g->cell);
        /* Cells [f0, f1) lie within [cx - hw, cx + hw]. */
        f0 = fmax(f0, 0);
        f1 = fmin(f1, (double)g->w);
        unsigned char *row = g->state + j * g->w;
        for (long i = (long)f0; i < (long)f1; i++)
            if (row[i] == CELL_OPEN)
                row[i] = CELL_HIDDEN;
    }
}

static bool row_hidden(const grid_t *g, long j, long i0, long i1)
{
    const unsigned char *row = g->state + j * g->w;
    for (long i = i0; i <= i1; i++)
        if (row[i] != CELL_HIDDEN)
            return false;
    return true;
}

/* Whether every cell a circle of radius r about (cx, cy), or else box b,
 * meets is hidden. */
static bool hidden_by_grid(const grid_t *g, const evm_item_t *it, double r,
                           const box_t *b)
{
    long j0, j1, i0, i1;
    if (!cells_meeting(b->y0, b->y1, g->cell, g->h, &j0, &j1) ||
        !cells_meeting(b->x0, b->x1, g->cell, g->w, &i0, &i1))
        return true; /* off the page */
    if (it->kind != EVM_ITEM_CIRCLE) {
        for (long j = j0; j <= j1; j++)
            if (!row_hidden(g, j, i0, i1))
                return false;
        return true;
    }
    double cx = it->center.x, cy = it->center.y;
    for (long j = j0; j <= j1; j++) {
        double ya = (double)j * g->cell, yb = ya + g->cell;
        double dy = cy < ya ? ya - cy : cy > yb ? cy - yb : 0;
        if (dy > r)
            continue;
        double hw = sqrt(r * r - dy * dy);
        long a, z;
        if (cells_meeting(cx - hw, cx + hw, g->cell, g->w, &a, &z) &&
            !row_hidden(g, j, a, z))
            return false;
    }
    return true;
}

/* Whether every cell the scaled convex ring meets is hidden: in each
 * row of cells, the ring's part between the row's top and bottom runs
 * between its spans there and its corners in between. */
static bool ring_hidden(const grid_t *g, const ring_t *r, const box_t *b)
{
    long j0, j1;
    if (!cells_meeting(b->y0, b->y1, g->cell, g->h, &j0, &j1))
        return true;
    for (long j = j0; j <= j1; j++) {
        double ya = (double)j * g->cell, yb = ya + g->cell, l, rt;
        double x0 = INFINITY, x1 = -INFINITY;
        if (ring_span(r, ya, &l, &rt)) {
            x0 = l;
            x1 = rt;
        }
        if (ring_span(r, yb, &l, &rt)) {
            x0 = fmin(x0, l);
            x1 = fmax(x1, rt);
        }
        for (size_t i = 0; i < r->n; i++) {
            double x = r->cx + r->k * (r->pts[i].x - r->cx);
            double y = r->cy + r->k * (r->pts[i].y - r->cy);
            if (y > ya && y < yb) {
                x0 = fmin(x0, x);
                x1 = fmax(x1, x);
            }
        }
        long a, z;
        if (x0 <= x1 && cells_meeting(x0, x1, g->cell, g->w, &a, &z) &&
            !row_hidden(g, j, a, z))
            return false;
    }
    return true;
}

static bool same_paint(const evm_style_t *a, const evm_style_t *b)
{
    return memcmp(&a->fill, &b->fill, sizeof a->fill) == 0 &&
           memcmp(&a->stroke, &b->stroke, sizeof a->stroke) == 0 &&
           a->stroke_px == b->stroke_px && a->n_dash == 0 && b->n_dash == 0;
}

/* Whether later item b paints every pixel item a paints: the same
 * marker (circle, or polygon of the same vertices) at the same place, in
 * the same opaque paint. */
static bool covers(const evm_item_t *b, const evm_item_t *a)
{
    if (a->kind != b->kind || a->center.x != b->center.x ||
        a->center.y != b->center.y || !same_paint(&a->style, &b->style) ||
        !(b->style.fill.a >= 1) ||
        !(b->style.stroke.a >= 1 || b->style.stroke_px <= 0))
        return false;
    if (a->kind == EVM_ITEM_CIRCLE)
        return a->r_px == b->r_px;
    return a->kind == EVM_ITEM_PATH && a->path.n_pts == b->path.n_pts &&
           a->path.n_subs == 1 && b->path.n_subs == 1 &&
           memcmp(a->path.pts, b->path.pts,
                  a->path.n_pts * sizeof *a->path.pts) == 0;
}

static size_t centre_hash(evm_point_t c)
{
    uint64_t x, y;
    memcpy(&x, &c.x, sizeof x);
    memcpy(&y, &c.y, sizeof y);
    uint64_t h = x * 0x9E3779B97F4A7C15u ^ (y + 0x632BE59BD9B4E019u);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    return (size_t)(h ^ (h >> 32));
}

/* Marks the markers of the layer that a later identical one covers (see
 * covers): the last marker at each centre is kept in an open-addressing
 * table, walking the layer from its end. false when out of memory. */
static bool mark_piles(const evm_layer_t *layer, bool *hidden)
{
    size_t n = layer->n_items;
    size_t cap = 1;
    while (cap < 2 * n)
        cap <<= 1;
    size_t *slot = calloc(cap, sizeof *slot); /* item index + 1 */
    if (!slot)
        return false;
    for (size_t i = n; i-- > 0;) {
        const evm_item_t *it = &layer->items[i];
        if (it->kind == EVM_ITEM_TEXT)
            continue;
        size_t h = centre_hash(it->center) & (cap - 1);
        while (slot[h]) {
            const evm_item_t *later = &layer->items[slot[h] - 1];
            if (later->center.x == it->center.x &&
                later->center.y == it->center.y)
                break;
            h = (h + 1) & (cap - 1);
        }
        if (slot[h])
            hidden[i] = covers(&layer->items[slot[h] - 1], it);
        else
            slot[h] = i + 1;
    }
    free(slot);
    return true;
}

/* ---- batches ---- */

static bool batchable(const evm_item_t *it, const evm_rect_t *guard,
                      double margin_px)
{
    const evm_style_t *st = &it->style;
    if (st->n_dash != 0 ||
        !(evm_paint_color_shows(&st->fill) || evm_paint_stroke_shows(st)))
        return false;
    if (it->kind == EVM_ITEM_CIRCLE)
        return evm_paint_circle_shows(it, guard, margin_px);
    const evm_path_t *p = &it->path;
    return it->kind == EVM_ITEM_PATH && p->n_subs == 1 && p->sub_closed[0] &&
           p->sub_start[0] == 0 && p->n_pts >= 2;
}

static bool same_style(const evm_style_t *a, const evm_style_t *b)
{
    return same_paint(a, b) && a->cap == b->cap && a->join == b->join;
}

typedef struct styles {
    const evm_style_t *v[PLAN_MAX_STYLES];
    uint32_t n, last;
} styles_t;

/* The style's number, PLAN_MAX_STYLES when the table is full. */
static uint32_t style_id(styles_t *s, const evm_style_t *st)
{
    if (s->n && same_style(s->v[s->last], st))
        return s->last;
    for (uint32_t i = 0; i < s->n; i++)
        if (same_style(s->v[i], st))
            return s->last = i;
    if (s->n == PLAN_MAX_STYLES)
        return PLAN_MAX_STYLES;
    s->v[s->n] = st;
    return s->last = s->n++;
}

/* Stable counting sort of idx[0 .. n) by key[idx[i]] in [0, n_keys),
 * into out. */
static bool sort_by(const size_t *idx, size_t n, const uint32_t *key,
                    size_t n_keys, size_t *out)
{
    size_t *count = calloc(n_keys + 1, sizeof *count);
    if (!count)
        return false;
    for (size_t i = 0; i < n; i++)
        count[key[idx[i]] + 1]++;
    for (size_t k = 0; k < n_keys; k++)
        count[k + 1] += count[k];
    for (size_t i = 0; i < n; i++)
        out[count[key[idx[i]]]++] = idx[i];
    free(count);
    return true;
}

void evm_paint_plan_free(evm_paint_plan_t *plan)
{
    free(plan->order);
    free(plan->box);
    free(plan->end);
    *plan = (evm_paint_plan_t){0};
}

static bool grid_init(grid_t *g, const evm_scene_t *scene, const box_t *clip)
{
    double w = ceil(scene->width_px), h = ceil(scene->height_px);
    g->cell = fmax(1, ceil(sqrt(w * h / PLAN_MAX_CELLS)));
    g->w = (long)ceil(w / g->cell);
    g->h = (long)ceil(h / g->cell);
    size_t n = (size_t)g->w * (size_t)g->h;
    g->state = malloc(n);
    g->level = calloc(n, sizeof *g->level);
    if (!g->state || !g->level)
        return false;
    /* Cells wholly outside the clip show nothing of the layer; those
     * partly inside show part of it. */
    for (long j = 0; j < g->h; j++)
        for (long i = 0; i < g->w; i++) {
            double x0 = (double)i * g->cell, y0 = (double)j * g->cell;
            double x1 = x0 + g->cell, y1 = y0 + g->cell;
            unsigned char s = CELL_OPEN;
            if (x1 <= clip->x0 || x0 >= clip->x1 || y1 <= clip->y0 ||
                y0 >= clip->y1)
                s = CELL_HIDDEN;
            else if (x0 < clip->x0 || x1 > clip->x1 || y0 < clip->y0 ||
                     y1 > clip->y1)
                s = CELL_EDGE;
            g->state[j * g->w + i] = s;
        }
    return true;
}

bool evm_paint_plan_layer(evm_paint_plan_t *plan, const evm_scene_t *scene,
                          const evm_layer_t *layer, double margin_px)
{
    *plan = (evm_paint_plan_t){0};
    size_t n = layer->n_items;
    if (n < PLAN_MIN_ITEMS || n >= UINT32_MAX)
        return false;
    evm_rect_t guard =
        evm_guard_box(scene->width_px, scene->height_px, margin_px);
    evm_rect_t page = {0, 0, scene->width_px, scene->height_px};
    box_t clip = {0, 0, scene->width_px, scene->height_px};
    if (layer->clip_to_frame) {
        evm_rect_t f;
        if (!evm_paint_frame_clip(scene, &guard, &f))
            return false;
        clip = (box_t){fmax(f.x, 0), fmax(f.y, 0),
                       fmin(f.x + f.w, scene->width_px),
                       fmin(f.y + f.h, scene->height_px)};
    }
    grid_t g = {0};
    bool *hidden = calloc(n, sizeof *hidden);
    uint32_t *level = evm_alloc_array(n, sizeof *level);
    uint32_t *sid = evm_alloc_array(n, sizeof *sid);
    size_t *a = evm_alloc_array(n, sizeof *a);
    size_t *b = evm_alloc_array(n, sizeof *b);
    styles_t *styles = calloc(1, sizeof *styles);
    box_t *fbox = evm_alloc_array(n, sizeof *fbox);
    bool ok = hidden && level && sid && a && b && styles && fbox &&
              grid_init(&g, scene, &clip) && mark_piles(layer, hidden);
    /* Hidden markers, from the last item back. */
    for (size_t i = n; ok && i-- > 0;) {
        const evm_item_t *it = &layer->items[i];
        fbox[i] = footprint(it, &page, &guard, margin_px);
        if (it->kind == EVM_ITEM_TEXT)
            continue;
        const box_t fb = fbox[i];
        double reach = stroke_of(&it->style, margin_px) / 2 + slack_px;
        ring_t ring;
        bool is_ring = convex_ring(it, &guard, &ring);
        if (!hidden[i] && is_ring) {
            /* Grown by the stroke's reach (its round, bevelled or
             * mitred corners stay inside the grown ring's corners). */
            ring.k = 1 + reach / ring.r_in;
            hidden[i] = ring_hidden(&g, &ring, &fb);
        } else if (!hidden[i]) {
            hidden[i] = hidden_by_grid(&g, it, it->r_px + reach, &fb);
        }
        if (hidden[i] || !(it->style.fill.a >= 1) ||
            !evm_paint_color_shows(&it->style.fill))
            continue;
        /* What it fills at full coverage. */
        if (it->kind == EVM_ITEM_CIRCLE &&
            evm_paint_circle_shows(it, &guard, margin_px))
            cover_cells(&g, it->center.x, it->center.y, it->r_px - slack_px);
        else if (is_ring && ring.r_in > slack_px) {
            ring.k = 1 - slack_px / ring.r_in;
            cover_ring(&g, &ring);
        }
    }
    /* Levels and styles of the rest, in order. */
    uint32_t n_levels = 0;
    size_t m = 0;
    for (size_t i = 0; ok && i < n; i++) {
        if (hidden[i]) {
            plan->n_hidden++;
            continue;
        }
        const evm_item_t *it = &layer->items[i];
        const box_t fb = fbox[i];
        long j0, j1, i0, i1;
        uint32_t lv = 0;
        if (cells_meeting(fb.y0, fb.y1, g.cell, g.h, &j0, &j1) &&
            cells_meeting(fb.x0, fb.x1, g.cell, g.w, &i0, &i1)) {
            for (long j = j0; j <= j1; j++)
                for (long k = i0; k <= i1; k++)
                    if (g.level[j * g.w + k] > lv)
                        lv = g.level[j * g.w + k];
            for (long j = j0; j <= j1; j++)
                for (long k = i0; k <= i1; k++)
                    g.level[j * g.w + k] = lv + 1;
        }
        level[i] = lv;
        if (lv + 1 > n_levels)
            n_levels = lv + 1;
        sid[i] = batchable(it, &guard, margin_px) ? style_id(styles, &it->style)
                                                  : PLAN_MAX_STYLES;
        a[m++] = i;
    }
    /* By level, then style, then place in the layer. */
    ok = ok && sort_by(a, m, sid, PLAN_MAX_STYLES + 1, b) &&
         sort_by(b, m, level, n_levels, a);
    if (ok)
        ok = (plan->box = evm_alloc_array(m ? m : 1, sizeof *plan->box));
    if (ok) {
        for (size_t k = 0; k < m; k++)
            plan->box[k] = fbox[a[k]];
        plan->order = a;
        plan->n = m;
        plan->end = b; /* at most one batch per item */
        a = b = NULL;
        for (size_t k = 0; k < m; k++) {
            size_t i = plan->order[k];
            bool joins = k > 0 && sid[i] != PLAN_MAX_STYLES;
            if (joins) {
                size_t prev = plan->order[k - 1];
                joins = level[prev] == level[i] && sid[prev] == sid[i];
            }
            if (joins)
                plan->end[plan->n_batches - 1] = k + 1;
            else
                plan->end[plan->n_batches++] = k + 1;
        }
    } else {
        evm_paint_plan_free(plan);
    }
    free(g.state);
    free(g.level);
    free(hidden);
    free(level);
    free(sid);
    free(a);
    free(b);
    free(styles);
    free(fbox);
    return ok;
}
