/* Pole of inaccessibility by quadtree search (the approach of Mapbox's
 * polylabel): cover the polygon's box with square cells, keep them in a
 * priority queue by the best distance any point of the cell could have
 * (its centre's distance plus its half-diagonal), and split the most
 * promising cell until no cell can beat the best centre found by more
 * than the precision. Distances are signed: negative outside. */
#include "geo/polylabel.h"

#include <math.h>
#include <stdbool.h>
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

static double signed_dist(double x, double y, const double *p,
                          const size_t *start, size_t n_rings)
{
    bool inside = false;
    double best = INFINITY;
    for (size_t k = 0; k < n_rings; k++) {
        size_t a = start[k], b = start[k + 1];
        for (size_t i = a, j = b - 1; i < b; j = i++) {
            double xi = p[2 * i], yi = p[2 * i + 1];
            double xj = p[2 * j], yj = p[2 * j + 1];
            if ((yi > y) != (yj > y) &&
                x < (xj - xi) * (y - yi) / (yj - yi) + xi)
                inside = !inside;
            double d = seg_dist2(x, y, xi, yi, xj, yj);
            if (d < best)
                best = d;
        }
    }
    return (inside ? 1 : -1) * sqrt(best);
}

static cell_t make_cell(double x, double y, double h, const double *p,
                        const size_t *start, size_t n_rings)
{
    cell_t c = {x, y, h, signed_dist(x, y, p, start, n_rings), 0};
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
    cell_t best = area != 0
                      ? make_cell(cx / area, cy / area, 0, p, start, n_rings)
                      : make_cell(xy[0], xy[1], 0, p, start, n_rings);
    cell_t mid = make_cell((x0 + x1) / 2, (y0 + y1) / 2, 0, p, start, n_rings);
    if (mid.d > best.d)
        best = mid;
    heap_t h = {0};
    double half = size / 2;
    bool ok = true;
    for (double x = x0; ok && x < x1; x += size)
        for (double y = y0; ok && y < y1; y += size)
            ok = heap_push(
                &h, make_cell(x + half, y + half, half, p, start, n_rings));
    size_t seen = 0;
    while (ok && h.n && seen < max_cells) {
        cell_t c = heap_pop(&h);
        seen++;
        if (c.d > best.d)
            best = c;
        if (c.max - best.d <= precision)
            continue;
        double q = c.h / 2;
        ok = heap_push(&h, make_cell(c.x - q, c.y - q, q, p, start, n_rings)) &&
             heap_push(&h, make_cell(c.x + q, c.y - q, q, p, start, n_rings)) &&
             heap_push(&h, make_cell(c.x - q, c.y + q, q, p, start, n_rings)) &&
             heap_push(&h, make_cell(c.x + q, c.y + q, q, p, start, n_rings));
    }
    free(h.c);
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
