/* Pole of inaccessibility by quadtree search (the approach of Mapbox's
 * polylabel): cover the polygon's box with square cells, keep them in a
 * priority queue by the best distance any point of the cell could have
 * (its centre's distance plus its half-diagonal), and split the most
 * promising cell until no cell can beat the best centre found by more
 * than the precision. Distances are signed: negative outside.
 *
 * Each cell's distance is the nearest of all edges. The edges are
 * bucketed once in a grid over the polygon's box, so that a distance
 * visits the buckets round its point, nearest first, and stops when no
 * bucket left can hold a nearer edge, and the inside test visits only the
 * edges of its point's row: the same edges' same arithmetic, so the same
 * result as a loop over every edge, at a fraction of the cost. */
#include "geo/polylabel.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct cell {
    double x, y, h; /* centre, half size */
    double d;       /* signed distance of the centre */
    double max;     /* d + h * sqrt(2) */
} cell_t;

static double seg_dist2(double px, double py, double ax, double ay, double bx,
                        double by)
{
    double dx = bx - ax, dy = by - ay;
    if (dx != 0 || dy != 0) {
        double t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
        if (t > 1) {
            ax = bx;
            ay = by;
        } else if (t > 0) {
            ax += dx * t;
            ay += dy * t;
        }
    }
    dx = px - ax;
    dy = py - ay;
    return dx * dx + dy * dy;
}

/* Whether the ray from (x, y) towards +x crosses edge i-j. */
static bool crosses(double x, double y, double xi, double yi, double xj,
                    double yj)
{
    return (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi;
}

/* An edge: the indexes of its points, from j to i (as the loop over a
 * ring visits them). */
typedef struct edge {
    uint32_t i, j;
} edge_t;

/* The polygon's edges in buckets: bucket (u, v) of nu x nv over the box
 * from (x0, y0), each holding every edge whose box meets it, and row v of
 * n_rows (finer: a row's edges are all tried) holding every edge whose
 * y range meets it. NULL cell arrays: no grid,
 * every edge is tried. */
typedef struct edge_grid {
    const double *p;
    const size_t *start;
    size_t n_rings;
    double x0, y0, x1, y1, cw, ch, inv_cw, inv_ch, inv_rh;
    size_t nu, nv, n_rows;
    size_t *cell_off; /* nu * nv + 1 offsets into cell_edge */
    edge_t *cell_edge;
    size_t *row_off; /* n_rows + 1 offsets into row_edge */
    edge_t *row_edge;
    uint32_t *seen; /* per point index i: the last query that tried edge i */
    uint32_t query;
} edge_grid_t;

/* The bucket of coordinate v along an axis: the same monotone mapping
 * for edges and query points, clamped to the grid. */
static size_t bucket(double v, double v0, double inv, size_t n)
{
    double f = floor((v - v0) * inv);
    if (!(f > 0))
        return 0;
    return f >= (double)n ? n - 1 : (size_t)f;
}

/* Fills the cell or row lists (counting first when off is zero). */
static void grid_fill(edge_grid_t *g, bool rows, size_t *off, edge_t *out)
{
    const double *p = g->p;
    for (size_t k = 0; k < g->n_rings; k++) {
        size_t a = g->start[k], b = g->start[k + 1];
        for (size_t i = a, j = b - 1; i < b; j = i++) {
            double xi = p[2 * i], yi = p[2 * i + 1];
            double xj = p[2 * j], yj = p[2 * j + 1];
            double inv = rows ? g->inv_rh : g->inv_ch;
            size_t nv = rows ? g->n_rows : g->nv;
            size_t v0 = bucket(fmin(yi, yj), g->y0, inv, nv);
            size_t v1 = bucket(fmax(yi, yj), g->y0, inv, nv);
            size_t u0 = 0, u1 = 0;
            if (!rows) {
                u0 = bucket(fmin(xi, xj), g->x0, g->inv_cw, g->nu);
                u1 = bucket(fmax(xi, xj), g->x0, g->inv_cw, g->nu);
            }
            for (size_t v = v0; v <= v1; v++)
                for (size_t u = u0; u <= u1; u++) {
                    size_t c = rows ? v : v * g->nu + u;
                    if (out)
                        out[off[c]++] = (edge_t){(uint32_t)i, (uint32_t)j};
                    else
                        off[c + 1]++;
                }
        }
    }
}

/* Turns counts (in off[1..n]) into offsets, and their total. */
static size_t counts_to_offsets(size_t *off, size_t n)
{
    for (size_t c = 0; c < n; c++)
        off[c + 1] += off[c];
    return off[n];
}

/* Moves the offsets back after grid_fill advanced each to its end. */
static void offsets_rewind(size_t *off, size_t n)
{
    for (size_t c = n; c > 0; c--)
        off[c] = off[c - 1];
    off[0] = 0;
}

static void grid_free(edge_grid_t *g)
{
    free(g->cell_off);
    free(g->cell_edge);
    free(g->row_off);
    free(g->row_edge);
    free(g->seen);
    g->cell_off = g->row_off = NULL;
    g->cell_edge = g->row_edge = NULL;
    g->seen = NULL;
}

/* Buckets the edges; without memory (or for a polygon too small to
 * gain) the grid stays empty and every edge is tried. */
static void grid_init(edge_grid_t *g, const double *p, const size_t *start,
                      size_t n_rings, double x0, double y0, double x1,
                      double y1)
{
    memset(g, 0, sizeof *g);
    g->p = p;
    g->start = start;
    g->n_rings = n_rings;
    size_t n = start[n_rings] - start[0];
    if (n < 32 || start[n_rings] > UINT32_MAX || !(x1 > x0) || !(y1 > y0))
        return;
    /* About two edges a bucket, buckets about square. */
    double w = x1 - x0, h = y1 - y0, side = sqrt(w * h / ((double)n / 2));
    g->nu = (size_t)fmin(fmax(1, ceil(w / side)), 4096);
    g->nv = (size_t)fmin(fmax(1, ceil(h / side)), 4096);
    g->x0 = x0;
    g->y0 = y0;
    g->x1 = x1;
    g->y1 = y1;
    g->cw = w / (double)g->nu;
    g->ch = h / (double)g->nv;
    g->inv_cw = (double)g->nu / w;
    g->inv_ch = (double)g->nv / h;
    g->n_rows = (size_t)fmin(fmax(1, (double)n / 4), 4096);
    g->inv_rh = (double)g->n_rows / h;
    size_t cells = g->nu * g->nv;
    g->cell_off = calloc(cells + 1, sizeof *g->cell_off);
    g->row_off = calloc(g->n_rows + 1, sizeof *g->row_off);
    g->seen = calloc(start[n_rings], sizeof *g->seen);
    if (!g->cell_off || !g->row_off || !g->seen) {
        grid_free(g);
        return;
    }
    grid_fill(g, false, g->cell_off, NULL);
    grid_fill(g, true, g->row_off, NULL);
    size_t n_cell = counts_to_offsets(g->cell_off, cells);
    size_t n_row = counts_to_offsets(g->row_off, g->n_rows);
    /* Long diagonal edges fill many buckets: past this, a plain loop. */
    if (n_cell > 32 * n) {
        grid_free(g);
        return;
    }
    g->cell_edge = malloc((n_cell ? n_cell : 1) * sizeof *g->cell_edge);
    g->row_edge = malloc((n_row ? n_row : 1) * sizeof *g->row_edge);
    if (!g->cell_edge || !g->row_edge) {
        grid_free(g);
        return;
    }
    grid_fill(g, false, g->cell_off, g->cell_edge);
    grid_fill(g, true, g->row_off, g->row_edge);
    offsets_rewind(g->cell_off, cells);
    offsets_rewind(g->row_off, g->n_rows);
}

/* Every edge, for a polygon without a grid. */
static double signed_dist_all(const edge_grid_t *g, double x, double y)
{
    const double *p = g->p;
    bool inside = false;
    double best = INFINITY;
    for (size_t k = 0; k < g->n_rings; k++) {
        size_t a = g->start[k], b = g->start[k + 1];
        for (size_t i = a, j = b - 1; i < b; j = i++) {
            double xi = p[2 * i], yi = p[2 * i + 1];
            double xj = p[2 * j], yj = p[2 * j + 1];
            if (crosses(x, y, xi, yi, xj, yj))
                inside = !inside;
            double d = seg_dist2(x, y, xi, yi, xj, yj);
            if (d < best)
                best = d;
        }
    }
    return (inside ? 1 : -1) * sqrt(best);
}

/* The nearest (squared) of the edges in bucket (u, v) and best. */
static double cell_nearest(edge_grid_t *g, size_t u, size_t v, double x,
                           double y, double best)
{
    const double *p = g->p;
    size_t c = v * g->nu + u;
    for (size_t e = g->cell_off[c]; e < g->cell_off[c + 1]; e++) {
        edge_t ed = g->cell_edge[e];
        if (g->seen[ed.i] == g->query)
            continue; /* met in another bucket already */
        g->seen[ed.i] = g->query;
        double d = seg_dist2(x, y, p[2 * ed.i], p[2 * ed.i + 1], p[2 * ed.j],
                             p[2 * ed.j + 1]);
        if (d < best)
            best = d;
    }
    return best;
}

static double signed_dist(edge_grid_t *g, double x, double y)
{
    if (!g->cell_off)
        return signed_dist_all(g, x, y);
    const double *p = g->p;
    /* Inside: the crossings of the ray, among the edges of y's row (the
     * only ones whose y range can hold y). */
    bool inside = false;
    size_t row = bucket(y, g->y0, g->inv_rh, g->n_rows);
    for (size_t e = g->row_off[row]; e < g->row_off[row + 1]; e++) {
        edge_t ed = g->row_edge[e];
        if (crosses(x, y, p[2 * ed.i], p[2 * ed.i + 1], p[2 * ed.j],
                    p[2 * ed.j + 1]))
            inside = !inside;
    }
    /* Nearest: the buckets in square rings round (x, y)'s bucket. After
     * ring r, an edge not yet met lies wholly outside the block of
     * buckets within r, so no nearer than the block's nearest side that
     * is not the grid's own edge; a margin covers rounding. */
    if (++g->query == 0) {
        memset(g->seen, 0, g->start[g->n_rings] * sizeof *g->seen);
        g->query = 1;
    }
    size_t cu = bucket(x, g->x0, g->inv_cw, g->nu);
    size_t cv = bucket(y, g->y0, g->inv_ch, g->nv);
    double margin = 1e-7 * (g->x1 - g->x0 + g->y1 - g->y0);
    double best = INFINITY;
    for (size_t r = 0;; r++) {
        size_t u0 = cu > r ? cu - r : 0,
               u1 = cu + r < g->nu ? cu + r : g->nu - 1;
        size_t v0 = cv > r ? cv - r : 0,
               v1 = cv + r < g->nv ? cv + r : g->nv - 1;
        /* Ring r: its top and bottom rows, then its sides between. */
        for (size_t u = u0; u <= u1; u++) {
            if (cv >= r)
                best = cell_nearest(g, u, cv - r, x, y, best);
            if (r && cv + r < g->nv)
                best = cell_nearest(g, u, cv + r, x, y, best);
        }
        for (size_t v = cv >= r ? cv - r + 1 : 0; r && v < cv + r && v <= v1;
             v++) {
            if (cu >= r)
                best = cell_nearest(g, cu - r, v, x, y, best);
            if (cu + r < g->nu)
                best = cell_nearest(g, cu + r, v, x, y, best);
        }
        double low = INFINITY;
        if (u0 > 0)
            low = fmin(low, x - (g->x0 + (double)u0 * g->cw));
        if (u1 < g->nu - 1)
            low = fmin(low, g->x0 + (double)(u1 + 1) * g->cw - x);
        if (v0 > 0)
            low = fmin(low, y - (g->y0 + (double)v0 * g->ch));
        if (v1 < g->nv - 1)
            low = fmin(low, g->y0 + (double)(v1 + 1) * g->ch - y);
        if (low == INFINITY)
            break; /* every bucket visited */
        low -= margin;
        if (low > 0 && best < low * low)
            break;
    }
    return (inside ? 1 : -1) * sqrt(best);
}

static cell_t make_cell(double x, double y, double h, edge_grid_t *g)
{
    cell_t c = {x, y, h, signed_dist(g, x, y), 0};
    c.max = c.d + h * 1.4142135623730951;
    return c;
}

/* A binary max-heap of cells by max. */
typedef struct heap {
    cell_t *c;
    size_t n, cap;
} heap_t;

static bool heap_push(heap_t *h, cell_t c)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        cell_t *nc = realloc(h->c, cap * sizeof *nc);
        if (!nc)
            return false;
        h->c = nc;
        h->cap = cap;
    }
    size_t i = h->n++;
    while (i > 0 && h->c[(i - 1) / 2].max < c.max) {
        h->c[i] = h->c[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->c[i] = c;
    return true;
}

static cell_t heap_pop(heap_t *h)
{
    cell_t top = h->c[0], last = h->c[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        double mv = last.max;
        if (l < h->n && h->c[l].max > mv) {
            m = l;
            mv = h->c[l].max;
        }
        if (r < h->n && h->c[r].max > mv)
            m = r;
        if (m == i)
            break;
        h->c[i] = h->c[m];
        i = m;
    }
    if (h->n)
        h->c[i] = last;
    return top;
}

double evm_polylabel(const double *p, const size_t *start, size_t n_rings,
                     double precision, size_t max_cells, double xy[2])
{
    if (n_rings == 0 || start[n_rings] == start[0]) {
        xy[0] = xy[1] = NAN;
        return 0;
    }
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = start[0]; i < start[1]; i++) {
        x0 = fmin(x0, p[2 * i]);
        y0 = fmin(y0, p[2 * i + 1]);
        x1 = fmax(x1, p[2 * i]);
        y1 = fmax(y1, p[2 * i + 1]);
    }
    double size = fmin(x1 - x0, y1 - y0);
    xy[0] = p[2 * start[0]];
    xy[1] = p[2 * start[0] + 1];
    if (!(size > 0))
        return 0;
    /* The centroid of the outer ring is a good first guess. */
    double cx = 0, cy = 0, area = 0;
    for (size_t i = start[0], j = start[1] - 1; i < start[1]; j = i++) {
        double f = p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
        cx += (p[2 * i] + p[2 * j]) * f;
        cy += (p[2 * i + 1] + p[2 * j + 1]) * f;
        area += 3 * f;
    }
    edge_grid_t g;
    grid_init(&g, p, start, n_rings, x0, y0, x1, y1);
    cell_t best = area != 0 ? make_cell(cx / area, cy / area, 0, &g)
                            : make_cell(xy[0], xy[1], 0, &g);
    cell_t mid = make_cell((x0 + x1) / 2, (y0 + y1) / 2, 0, &g);
    if (mid.d > best.d)
        best = mid;
    heap_t h = {0};
    double half = size / 2;
    bool ok = true;
    for (double x = x0; ok && x < x1; x += size)
        for (double y = y0; ok && y < y1; y += size)
            ok = heap_push(&h, make_cell(x + half, y + half, half, &g));
    size_t seen = 0;
    while (ok && h.n && seen < max_cells) {
        cell_t c = heap_pop(&h);
        seen++;
        if (c.d > best.d)
            best = c;
        if (c.max - best.d <= precision)
            continue;
        double q = c.h / 2;
        ok = heap_push(&h, make_cell(c.x - q, c.y - q, q, &g)) &&
             heap_push(&h, make_cell(c.x + q, c.y - q, q, &g)) &&
             heap_push(&h, make_cell(c.x - q, c.y + q, q, &g)) &&
             heap_push(&h, make_cell(c.x + q, c.y + q, q, &g));
    }
    free(h.c);
    grid_free(&g);
    xy[0] = best.x;
    xy[1] = best.y;
    return best.d > 0 ? best.d : 0;
}

void evm_polylabel_lonlat(const double *lonlat, size_t n, double xy[2])
{
    double s = 90, nn = -90;
    for (size_t i = 0; i < n; i++) {
        s = fmin(s, lonlat[2 * i + 1]);
        nn = fmax(nn, lonlat[2 * i + 1]);
    }
    double k = cos((s + nn) / 2 * 3.14159265358979323846 / 180);
    if (k < 0.05)
        k = 0.05;
    double *q = malloc(2 * n * sizeof *q);
    if (!q) {
        xy[0] = lonlat[0];
        xy[1] = lonlat[1];
        return;
    }
    for (size_t i = 0; i < n; i++) {
        q[2 * i] = lonlat[2 * i] * k;
        q[2 * i + 1] = lonlat[2 * i + 1];
    }
    size_t start[2] = {0, n};
    evm_polylabel(q, start, 1, 0.01, 20000, xy);
    xy[0] /= k;
    free(q);
}
