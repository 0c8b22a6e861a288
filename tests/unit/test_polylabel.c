/* Tests of geo/polylabel: the pole of inaccessibility of hand-computable
 * shapes (a square, a rectangle, an L, a square with a hole), and, for
 * many random polygons of up to 3,000 vertices, the distance returned
 * against a brute-force one computed here over every edge: the search
 * looks at nearby edges only, and must find exactly the same nearest
 * edge and the same side. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "geo/polylabel.h"

/* The distance from (x, y) to the nearest edge, positive inside (even-odd),
 * by the textbook formulas over every edge of every ring. */
static double brute_signed_dist(const double *p, const size_t *start,
                                size_t n_rings, double x, double y)
{
    double best = INFINITY;
    int crossings = 0;
    for (size_t k = 0; k < n_rings; k++)
        for (size_t i = start[k]; i < start[k + 1]; i++) {
            size_t j = i == start[k] ? start[k + 1] - 1 : i - 1;
            double ax = p[2 * j], ay = p[2 * j + 1];
            double bx = p[2 * i], by = p[2 * i + 1];
            if ((by > y) != (ay > y) &&
                x < (ax - bx) * (y - by) / (ay - by) + bx)
                crossings++;
            double dx = bx - ax, dy = by - ay, t = 0;
            if (dx != 0 || dy != 0)
                t = fmin(1, fmax(0, ((x - ax) * dx + (y - ay) * dy) /
                                        (dx * dx + dy * dy)));
            best = fmin(best, hypot(x - (ax + t * dx), y - (ay + t * dy)));
        }
    return crossings % 2 ? best : -best;
}

static void square(void **state)
{
    (void)state;
    const double p[] = {0, 0, 100, 0, 100, 100, 0, 100};
    const size_t start[] = {0, 4};
    double xy[2];
    double d = evm_polylabel(p, start, 1, 0.5, 1000, xy);
    assert_true(fabs(d - 50) <= 0.5);
    assert_true(fabs(xy[0] - 50) <= 1 && fabs(xy[1] - 50) <= 1);
}

static void rectangle(void **state)
{
    (void)state;
    /* 300 x 40: the pole is anywhere on the middle line, 20 from the long
     * sides. */
    const double p[] = {0, 0, 300, 0, 300, 40, 0, 40};
    const size_t start[] = {0, 4};
    double xy[2];
    double d = evm_polylabel(p, start, 1, 0.1, 1000, xy);
    assert_true(fabs(d - 20) <= 0.1);
    assert_true(fabs(xy[1] - 20) <= 0.5);
    assert_true(xy[0] >= 20 && xy[0] <= 280);
}

static void ell(void **state)
{
    (void)state;
    /* An L of two 100-wide arms: the largest inscribed circle sits in the
     * corner square, radius 50 plus what the re-entrant corner allows. */
    const double p[] = {0, 0, 400, 0, 400, 100, 100, 100, 100, 400, 0, 400};
    const size_t start[] = {0, 6};
    double xy[2];
    double d = evm_polylabel(p, start, 1, 0.1, 5000, xy);
    assert_true(d >= 50 && d <= 71);
    assert_true(fabs(brute_signed_dist(p, start, 1, xy[0], xy[1]) - d) < 1e-9);
}

static void hole(void **state)
{
    (void)state;
    /* A 100-square with a 60-square hole in the middle: the pole is in
     * a corner of the 20-wide band, on its diagonal at t from both outer
     * edges and t * sqrt(2) from the hole's corner (20, 20):
     * t = 20 sqrt(2) / (1 + sqrt(2)). */
    const double p[] = {0,  0,  100, 0,  100, 100, 0,  100,
                        20, 20, 80,  20, 80,  80,  20, 80};
    const size_t start[] = {0, 4, 8};
    double xy[2];
    double d = evm_polylabel(p, start, 2, 0.05, 5000, xy);
    assert_true(fabs(d - 20 * sqrt(2) / (1 + sqrt(2))) <= 0.05);
    assert_true(brute_signed_dist(p, start, 2, xy[0], xy[1]) > 0);
}

/* A deterministic generator, so that a failure repeats. */
static double rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (double)(*s >> 11) / 9007199254740992.0;
}

static void random_polygons(void **state)
{
    (void)state;
    uint64_t seed = 42;
    for (int t = 0; t < 300; t++) {
        size_t n = 3 + (size_t)(rnd(&seed) * (t % 3 ? 300 : 3000));
        size_t n_rings = t % 4 ? 1 : 2;
        double *p = malloc(2 * (n + 64) * sizeof *p);
        assert_non_null(p);
        size_t start[3] = {0, n, n};
        double cx = rnd(&seed) * 1000, cy = rnd(&seed) * 1000;
        double r0 = 1 + rnd(&seed) * 800, wobble = rnd(&seed);
        double flat = t % 5 ? 1 : 0.05;
        for (size_t i = 0; i < n; i++) {
            double a = 2 * 3.14159265358979323846 * (double)i / (double)n;
            double r = r0 * (1 - 0.9 * wobble * rnd(&seed));
            p[2 * i] = cx + r * cos(a);
            p[2 * i + 1] = cy + flat * r * sin(a);
            if (t % 7 == 0) { /* on whole pixels: many edges on grid lines */
                p[2 * i] = round(p[2 * i]);
                p[2 * i + 1] = round(p[2 * i + 1]);
            }
        }
        if (n_rings == 2) { /* a small hole round the centre */
            for (size_t i = 0; i < 40; i++) {
                double a = -2 * 3.14159265358979323846 * (double)i / 40;
                p[2 * (n + i)] = cx + 0.05 * r0 * cos(a);
                p[2 * (n + i) + 1] = cy + 0.05 * flat * r0 * sin(a);
            }
            start[2] = n + 40;
        }
        double xy[2];
        double d = evm_polylabel(p, start, n_rings, t % 2 ? 2.0 : 0.01,
                                 t % 3 ? 400 : 20000, xy);
        double ref = brute_signed_dist(p, start, n_rings, xy[0], xy[1]);
        /* The same edges and side; the textbook formula may round
         * differently in the last bits. */
        if (d > 0)
            assert_true(fabs(ref - d) <= 1e-9 * (1 + d));
        else
            assert_true(ref <= 1e-9);
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(square),
        cmocka_unit_test(rectangle),
        cmocka_unit_test(ell),
        cmocka_unit_test(hole),
        cmocka_unit_test(random_polygons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
