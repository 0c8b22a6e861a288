/* The paint plan of a crowded events layer (src/lib/paint/plan.c):
 * - painted by its plan, a crowd of overlapping markers of several
 *   styles and shapes (opaque, translucent, dashed, with counts on some)
 *   is the same picture, to the byte, as the same items painted one by
 *   one in order in a layer that has no plan; on a page painted in one
 *   piece and on one painted in two bands;
 * - markers that do not overlap are one batch per style;
 * - the plan keeps every pair that may share a pixel in order, puts no
 *   two such items in one batch, batches one style only, and lists each
 *   item once or counts it hidden;
 * - a marker under a later opaque one is hidden, one peeking out from
 *   under it is not, and a translucent one hides nothing; a polygon
 *   hides what lies in its corners, beyond its inscribed disc. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/evmap.h>

#include "paint/guard.h"
#include "paint/plan.h"
#include "testutil.h"

static unsigned long rng_state;

static double rnd(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static const evm_rgba_t fills[4] = {
    {0.85, 0.35, 0.1, 1},
    {0.1, 0.45, 0.7, 1},
    {0.5, 0.2, 0.6, 1},
    {0.2, 0.6, 0.2, 0.5}, /* translucent */
};

/* A marker of style s (0-4; 4 is dashed) at c of radius r: a circle, or
 * a regular polygon of n_sides about c. */
static void add_marker(evm_scene_t *s, evm_layer_id layer, size_t i,
                       evm_point_t c, double r, int style, int n_sides)
{
    evm_item_t it = {0};
    char id[32];
    snprintf(id, sizeof id, "event-%zu", i);
    it.id = id;
    it.cls = (char *)"";
    it.event = (long)i;
    it.center = c;
    it.style.fill = fills[style % 4];
    it.style.stroke = (evm_rgba_t){0.1, 0.1, 0.1, 1};
    it.style.stroke_px = 1.07;
    it.style.join = EVM_JOIN_ROUND;
    if (style == 4) {
        it.style.dash_px[0] = 2;
        it.style.dash_px[1] = 1.5;
        it.style.n_dash = 2;
    }
    if (n_sides == 0) {
        it.kind = EVM_ITEM_CIRCLE;
        it.r_px = r;
    } else {
        it.kind = EVM_ITEM_PATH;
        for (int k = 0; k < n_sides; k++) {
            double a = 1.5707963 + 6.2831853 * k / n_sides;
            double x = c.x + r * cos(a), y = c.y - r * sin(a);
            assert_int_equal(k ? evm_path_line_to(&it.path, x, y)
                               : evm_path_move_to(&it.path, x, y),
                             EVM_OK);
        }
        evm_path_close(&it.path);
    }
    assert_non_null(evm_scene_add(s, layer, &it));
}

static void add_count(evm_scene_t *s, evm_layer_id layer, evm_point_t c)
{
    evm_item_t it = {0};
    it.kind = EVM_ITEM_TEXT;
    it.id = (char *)"cluster-count";
    it.cls = (char *)"cluster-count";
    it.event = -1;
    it.text.utf8 = strdup("12");
    it.text.size_px = 9;
    it.text.box = (evm_rect_t){c.x - 6, c.y - 6, 12, 12};
    it.text.color = (evm_rgba_t){1, 1, 1, 1};
    it.text.halo = (evm_rgba_t){0, 0, 0, 1};
    it.text.halo_px = 1;
    assert_non_null(evm_scene_add(s, layer, &it));
}

/* A w x h page, background and a frame a little inside it, with the
 * crowd of n markers in layer (the same crowd for one seed). */
static evm_scene_t *crowd(double w, double h, size_t n, evm_layer_id layer,
                          unsigned long seed)
{
    evm_scene_t *s = NULL;
    evm_error_t err;
    assert_int_equal(evm_scene_create(w, h, 96, &s, &err), EVM_OK);
    s->background = (evm_rgba_t){0.95, 0.95, 0.9, 1};
    s->frame = (evm_rect_t){10.5, 8.25, w - 21.3, h - 16.6};
    rng_state = seed;
    for (size_t i = 0; i < n; i++) {
        /* Clumps, so that many overlap and many are hidden. */
        double cx = (0.5 + 0.45 * sin(6.0 * (double)(i % 7))) * w;
        double cy = (0.5 + 0.45 * cos(5.0 * (double)(i % 7))) * h;
        double spread = i % 3 ? 0.08 : 0.5;
        evm_point_t c = {cx + (rnd() - 0.5) * spread * w,
                         cy + (rnd() - 0.5) * spread * h};
        int style = (int)(rnd() * 5);
        int sides = (int[]){0, 0, 3, 4, 6}[(int)(rnd() * 5)];
        double r = 3 + rnd() * 5;
        /* Now and then a half-pixel centre, or a marker on the frame. */
        if (i % 11 == 0)
            c.x = floor(c.x) + 0.5;
        if (i % 97 == 0)
            c.y = s->frame.y;
        add_marker(s, layer, i, c, r, style, sides);
        if (i % 53 == 0)
            add_count(s, layer, c);
    }
    return s;
}

static void same_picture(double w, double h)
{
    for (unsigned long seed = 1; seed <= 3; seed++) {
        evm_scene_t *planned = crowd(w, h, 1500, EVM_LAYER_EVENTS, seed);
        /* The routes layer, clipped to the frame as well, has no plan. */
        evm_scene_t *in_order = crowd(w, h, 1500, EVM_LAYER_ROUTES, seed);
        evm_test_image_t a, b;
        evm_test_render_png(planned, &a);
        evm_test_render_png(in_order, &b);
        assert_true(evm_test_image_diff(&a, &b, 0) == 0);
        evm_test_image_free(&a);
        evm_test_image_free(&b);
        evm_scene_destroy(planned);
        evm_scene_destroy(in_order);
    }
}

static void test_same_picture_one_piece(void **state)
{
    (void)state;
    same_picture(300, 200); /* under 256 rows: one band */
}

static void test_same_picture_bands(void **state)
{
    (void)state;
    same_picture(420, 380); /* two bands */
}

/* Whether boxes a and b may share a pixel of a w x h page: boxes within
 * one pixel of each other may. */
/* The native PDF follows the plan too: the same picture, up to where a
 * viewer's antialiasing of abutting shapes differs (the batched rings
 * are one path to it). */
static void test_same_picture_pdf(void **state)
{
    (void)state;
    char *dir = evm_test_temp_dir("evm-plan-pdf");
    evm_scene_t *planned = crowd(300, 200, 1500, EVM_LAYER_EVENTS, 5);
    evm_scene_t *in_order = crowd(300, 200, 1500, EVM_LAYER_ROUTES, 5);
    evm_test_image_t a, b;
    evm_test_pdf_picture(planned, dir, "planned", &a);
    evm_test_pdf_picture(in_order, dir, "in-order", &b);
    /* Some 0.8 % of pixels differ by a shade, none by more than 48 (a
     * marker missing or out of order would). */
    assert_true(evm_test_image_similar(&a, &b, 48, 0.0002));
    evm_test_image_free(&a);
    evm_test_image_free(&b);
    evm_scene_destroy(planned);
    evm_scene_destroy(in_order);
    evm_test_remove_dir(dir);
}

static bool boxes_meet(const evm_paint_box_t *a, const evm_paint_box_t *b,
                       double w, double h)
{
    double x0 = fmax(fmax(floor(a->x0), floor(b->x0)), 0);
    double x1 = fmin(fmin(floor(a->x1), floor(b->x1)), ceil(w) - 1);
    double y0 = fmax(fmax(floor(a->y0), floor(b->y0)), 0);
    double y1 = fmin(fmin(floor(a->y1), floor(b->y1)), ceil(h) - 1);
    return x0 <= x1 && y0 <= y1;
}

static bool same_style(const evm_style_t *a, const evm_style_t *b)
{
    return memcmp(&a->fill, &b->fill, sizeof a->fill) == 0 &&
           memcmp(&a->stroke, &b->stroke, sizeof a->stroke) == 0 &&
           a->stroke_px == b->stroke_px && a->n_dash == b->n_dash;
}

static void test_plan_orders(void **state)
{
    (void)state;
    evm_scene_t *s = crowd(300, 200, 1500, EVM_LAYER_EVENTS, 7);
    const evm_layer_t *layer = &s->layers[EVM_LAYER_EVENTS];
    evm_paint_plan_t plan;
    assert_true(evm_paint_plan_layer(&plan, s, layer, EVM_GUARD_MARGIN));
    assert_int_equal(plan.n + plan.n_hidden, layer->n_items);
    assert_true(plan.n_hidden > 100);
    assert_true(plan.n_batches < plan.n);
    /* Each item at most once; where it stands in the order. */
    size_t *at = malloc(layer->n_items * sizeof *at);
    size_t *batch = malloc(plan.n * sizeof *batch);
    for (size_t i = 0; i < layer->n_items; i++)
        at[i] = SIZE_MAX;
    for (size_t k = 0, b = 0; k < plan.n; k++) {
        assert_true(plan.order[k] < layer->n_items);
        assert_true(at[plan.order[k]] == SIZE_MAX);
        at[plan.order[k]] = k;
        while (k >= plan.end[b])
            b++;
        batch[k] = b;
    }
    /* Items whose boxes may share a pixel keep their order and are in
     * different batches; a batch is of one style, markers only. */
    size_t pairs = 0;
    for (size_t k = 0; k < plan.n; k++)
        for (size_t q = k + 1; q < plan.n; q++) {
            size_t i = plan.order[k], j = plan.order[q];
            if (batch[k] == batch[q]) {
                assert_false(boxes_meet(&plan.box[k], &plan.box[q], 300, 200));
                assert_true(
                    same_style(&layer->items[i].style, &layer->items[j].style));
                assert_int_not_equal(layer->items[i].kind, EVM_ITEM_TEXT);
            }
            if (boxes_meet(&plan.box[k], &plan.box[q], 300, 200)) {
                pairs++;
                assert_true(i < j);
            }
        }
    assert_true(pairs > 1000);
    free(at);
    free(batch);
    evm_paint_plan_free(&plan);
    evm_scene_destroy(s);
}

/* 70 far-apart small discs (so that the layer is planned), then the
 * case under test at (150, 100). */
static evm_scene_t *case_scene(void)
{
    evm_scene_t *s = NULL;
    evm_error_t err;
    assert_int_equal(evm_scene_create(300, 200, 96, &s, &err), EVM_OK);
    s->frame = (evm_rect_t){0, 0, 300, 200};
    for (size_t i = 0; i < 70; i++)
        add_marker(s, EVM_LAYER_EVENTS, i,
                   (evm_point_t){10 + (double)(i % 10) * 12,
                                 10 + (double)(i / 10) * 12},
                   2, 0, 0);
    return s;
}

/* Markers that do not overlap, of three styles taking turns (circles,
 * squares, triangles): one batch per style. */
static void test_one_pass_per_style(void **state)
{
    (void)state;
    evm_scene_t *s = NULL;
    evm_error_t err;
    assert_int_equal(evm_scene_create(400, 300, 96, &s, &err), EVM_OK);
    s->frame = (evm_rect_t){0, 0, 400, 300};
    for (size_t i = 0; i < 300; i++)
        add_marker(s, EVM_LAYER_EVENTS, i,
                   (evm_point_t){10 + (double)(i % 20) * 19,
                                 10 + (double)(i / 20) * 19},
                   6, (int)(i % 3), (int[]){0, 4, 3}[i % 3]);
    evm_paint_plan_t plan;
    assert_true(evm_paint_plan_layer(&plan, s, &s->layers[EVM_LAYER_EVENTS],
                                     EVM_GUARD_MARGIN));
    assert_int_equal(plan.n, 300);
    assert_int_equal(plan.n_batches, 3);
    evm_paint_plan_free(&plan);
    evm_scene_destroy(s);
}

static bool listed(const evm_paint_plan_t *plan, size_t item)
{
    for (size_t k = 0; k < plan->n; k++)
        if (plan->order[k] == item)
            return true;
    return false;
}

static void test_hidden(void **state)
{
    (void)state;
    evm_scene_t *s = case_scene();
    evm_layer_id L = EVM_LAYER_EVENTS;
    /* 70: a small square under a large opaque disc; 71: a disc peeking
     * out by a pixel; 72: a disc under a translucent one (74); 75: a
     * disc under three that together cover it, none alone. */
    add_marker(s, L, 70, (evm_point_t){150, 100}, 4, 0, 4);
    add_marker(s, L, 71, (evm_point_t){150, 100}, 11, 1, 0);
    add_marker(s, L, 72, (evm_point_t){200, 60}, 5, 0, 0);
    add_marker(s, L, 73, (evm_point_t){150, 100}, 10.5, 2, 0);
    add_marker(s, L, 74, (evm_point_t){200, 60}, 9, 3, 0);
    add_marker(s, L, 75, (evm_point_t){60, 150}, 4, 0, 0);
    add_marker(s, L, 76, (evm_point_t){57.5, 150}, 7, 1, 0);
    add_marker(s, L, 77, (evm_point_t){62.5, 147.5}, 7, 1, 0);
    add_marker(s, L, 78, (evm_point_t){62.5, 152.5}, 7, 1, 0);
    /* 79: a disc in the corner of a later diamond, which its inscribed
     * disc would not cover. */
    add_marker(s, L, 79, (evm_point_t){238.5, 150.5}, 1.5, 0, 0);
    add_marker(s, L, 80, (evm_point_t){230.5, 150.5}, 14, 2, 4);
    evm_paint_plan_t plan;
    assert_true(evm_paint_plan_layer(&plan, s, &s->layers[L], 65536));
    assert_false(listed(&plan, 70));
    assert_true(listed(&plan, 71));
    assert_true(listed(&plan, 72));
    assert_false(listed(&plan, 75));
    assert_false(listed(&plan, 79));
    assert_int_equal(plan.n_hidden, 3);
    evm_paint_plan_free(&plan);
    evm_scene_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_picture_one_piece),
        cmocka_unit_test(test_same_picture_bands),
        cmocka_unit_test(test_same_picture_pdf),
        cmocka_unit_test(test_plan_orders),
        cmocka_unit_test(test_one_pass_per_style),
        cmocka_unit_test(test_hidden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
