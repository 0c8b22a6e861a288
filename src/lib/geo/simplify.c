/* Douglas-Peucker simplification in page space. Densification leaves
 * many more vertices than a map needs where the data are finer than the
 * page (a 1:50m coastline on a continental map); every vertex costs time
 * in cairo's stroker and in PDF and SVG output. Dropping vertices within
 * a quarter pixel of the simplified line is invisible and, added to the
 * quarter-pixel densification tolerance, keeps every drawn segment within
 * half a pixel of the true curve. */
#include <stdlib.h>

#include "geo/view_internal.h"

/* Squared distance from p to segment a-b. */
static double seg_dist2(evm_point_t p, evm_point_t a, evm_point_t b)
{
    double dx = b.x - a.x, dy = b.y - a.y;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    if (t < 0)
        t = 0;
    else if (t > 1)
        t = 1;
    double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

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
    keep[0] = keep[n - 1] = 1;
    stack[top++] = 0;
    stack[top++] = n - 1;
    while (top) {
        size_t last = stack[--top], first = stack[--top];
        double worst = -1;
        size_t at = first;
        for (size_t i = first + 1; i < last; i++) {
            double d2 = seg_dist2(pts[i], pts[first], pts[last]);
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
