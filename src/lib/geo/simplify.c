/* Douglas-Peucker simplification in page space. Densification leaves
 * many more vertices than a map needs where the data are finer than the
 * page (a 1:50m coastline on a continental map); every vertex costs time
 * in cairo's stroker and in PDF and SVG output. Dropping vertices within
 * a quarter pixel of the simplified line is invisible and, added to the
 * quarter-pixel densification tolerance, keeps every drawn segment within
 * half a pixel of the true curve. */
#include <stdlib.h>

#include "geo/view_internal.h"

size_t evm_simplify(evm_point_t *pts, size_t n, double tol_px)
{
    if (n < 3 || !(tol_px > 0))
        return n;
    /* Iterative: a stack of index ranges instead of recursion, so a long
     * coastline cannot exhaust the C stack. */
    unsigned char *keep = calloc(n, 1);
    size_t *stack = malloc(2 * n * sizeof *stack);
    if (!keep || !stack) {
        free(keep);
        free(stack);
        return n; /* unsimplified is still correct */
    }
    double tol2 = tol_px * tol_px;
    size_t top = 0;
    /* Windows of WINDOW points, their ends always kept: a long ring
     * (Russia's coast) then costs O(n log WINDOW) instead of up to O(n^2)
     * when the splits fall unevenly, for a few more points kept. */
    enum { WINDOW = 128 };
    for (size_t w0 = 0; w0 < n - 1; w0 += WINDOW) {
        size_t w1 = w0 + WINDOW < n - 1 ? w0 + WINDOW : n - 1;
        keep[w0] = keep[w1] = 1;
        stack[top++] = w0;
        stack[top++] = w1;
    }
    while (top) {
        size_t last = stack[--top], first = stack[--top];
        /* The farthest point from segment first-last, by squared
         * distance, with the segment's terms hoisted out of the loop. */
        evm_point_t a = pts[first];
        double dx = pts[last].x - a.x, dy = pts[last].y - a.y;
        double len2 = dx * dx + dy * dy;
        double inv = len2 > 0 ? 1 / len2 : 0;
        double worst = -1;
        size_t at = first;
        for (size_t i = first + 1; i < last; i++) {
            double px = pts[i].x - a.x, py = pts[i].y - a.y;
            double t = (px * dx + py * dy) * inv;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            double ex = px - t * dx, ey = py - t * dy;
            double d2 = ex * ex + ey * ey;
            if (d2 > worst) {
                worst = d2;
                at = i;
            }
        }
        if (worst > tol2) {
            keep[at] = 1;
            stack[top++] = first;
            stack[top++] = at;
            stack[top++] = at;
            stack[top++] = last;
        }
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            pts[m++] = pts[i];
    free(keep);
    free(stack);
    return m;
}
