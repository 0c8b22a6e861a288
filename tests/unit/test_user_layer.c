/* The user's own GeoJSON base layers (--layer): the scene holds each
 * file's polygons and lines at the positions PROJ gives their vertices,
 * the layers never move the frame, the SVG names them, and malformed
 * files are errors naming file:line:column. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <proj.h>

#include <evmap/evmap.h>

#include "core/context_internal.h"
#include "testutil.h"

#define LAYERS EVM_TEST_DATA_DIR "/layers/"

static evm_events_t *seoul_events(void)
{
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    evm_events_t *ev = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_events_load_file(LAYERS "seoul-events.csv", &o, &ev, &err), EVM_OK);
    return ev;
}

/* A layout of the Seoul events with the --layer values given (NULL
 * ends the list); the distance options stay alive in *d. */
static evm_scene_t *layout_with(const evm_test_map_t *m, const evm_events_t *ev,
                                bool whole_city, evm_map_distance_opts_t **d,
                                const char *const *layers)
{
    evm_error_t err;
    assert_int_equal(evm_map_distance_opts_create(d, &err), EVM_OK);
    for (size_t i = 0; layers && layers[i]; i++)
        if (evm_map_distance_opts_set(*d, ev, "layer", layers[i], &err))
            fail_msg("--layer %s: %s", layers[i], err.message);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.width_px = 1000;
    mo.height_px = 800;
    mo.inset = EVM_INSET_OFF;
    if (whole_city) { /* the whole outline in view */
        mo.has_extent = true;
        mo.extent[0] = 126.6;
        mo.extent[1] = 37.35;
        mo.extent[2] = 127.35;
        mo.extent[3] = 37.78;
    }
    evm_map_distance_opts_apply(*d, &mo);
    return evm_test_layout(m, ev, &mo, EVM_OK, NULL);
}

static const evm_item_t *item_named(const evm_scene_t *s, const char *id)
{
    const evm_layer_t *l = &s->layers[EVM_LAYER_USER];
    for (size_t i = 0; i < l->n_items; i++)
        if (l->items[i].id && strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    return NULL;
}

/* The distance in px from (x, y) to the path's nearest segment (the
 * view drops a vertex in line with its neighbours, to its tolerance). */
static double nearest(const evm_path_t *p, double x, double y)
{
    double best = INFINITY;
    for (size_t k = 0; k < p->n_subs; k++) {
        size_t a = p->sub_start[k];
        size_t b = k + 1 < p->n_subs ? p->sub_start[k + 1] : p->n_pts;
        for (size_t i = a; i < b; i++) {
            evm_point_t u = p->pts[i];
            evm_point_t v = i + 1 < b ? p->pts[i + 1] : p->pts[a];
            double dx = v.x - u.x, dy = v.y - u.y, l2 = dx * dx + dy * dy;
            double t = l2 > 0 ? ((x - u.x) * dx + (y - u.y) * dy) / l2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            best = fmin(best, hypot(u.x + t * dx - x, u.y + t * dy - y));
        }
    }
    return best;
}

/* Every vertex of the outline and of the river, projected by PROJ alone
 * and placed in the frame, is a point of the layer's path. */
static void check_vertices(const evm_test_map_t *m, const evm_scene_t *s,
                           const evm_path_t *path, const double *ll, size_t n)
{
    PJ *pj = proj_create(m->ctx->pj, s->projection);
    assert_non_null(pj);
    const double *b = s->map_box;
    const evm_rect_t *f = &s->frame;
    for (size_t i = 0; i < n; i++) {
        PJ_COORD c = proj_trans(
            pj, PJ_FWD,
            proj_coord(proj_torad(ll[2 * i]), proj_torad(ll[2 * i + 1]), 0, 0));
        double x = f->x + (c.v[0] - b[0]) / (b[2] - b[0]) * f->w;
        double y = f->y + (b[3] - c.v[1]) / (b[3] - b[1]) * f->h;
        double d = nearest(path, x, y);
        if (!(d < 0.3))
            fail_msg("vertex %zu (%.3f, %.3f) should be at %.2f, %.2f px: "
                     "nearest path point %.3f px away",
                     i, ll[2 * i], ll[2 * i + 1], x, y, d);
    }
    proj_destroy(pj);
}

static void test_scene_positions(void **state)
{
    const evm_test_map_t *m = *state;
    evm_events_t *ev = seoul_events();
    static const char *const layers[] = {
        LAYERS "seoul.geojson",
        LAYERS "han-river.geojson:color=#4a7fb0,width=1.5", NULL};
    evm_map_distance_opts_t *d;
    evm_scene_t *s = layout_with(m, ev, true, &d, layers);
    const evm_item_t *city = item_named(s, "layer-1");
    const evm_item_t *river = item_named(s, "layer-2");
    assert_non_null(city);
    assert_non_null(river);
    assert_int_equal(s->layers[EVM_LAYER_USER].n_items, 2);
    /* The outline: one closed, filled and outlined subpath. */
    assert_int_equal(city->path.n_subs, 1);
    assert_true(city->path.sub_closed[0]);
    assert_true(city->style.fill.a > 0 && city->style.stroke.a > 0);
    /* The river: open, in its colour, 1.5 pt wide. */
    assert_int_equal(river->path.n_subs, 1);
    assert_false(river->path.sub_closed[0]);
    assert_true(river->style.fill.a == 0);
    assert_true(fabs(river->style.stroke.r - 0x4a / 255.0) < 1e-9 &&
                fabs(river->style.stroke.b - 0xb0 / 255.0) < 1e-9);
    assert_true(fabs(river->style.stroke_px - 1.5 * 96 / 72.0) < 1e-9);
    static const double outline[] = {126.80, 37.55,  126.86, 37.48,  126.96,
                                     37.44,  127.06, 37.43,  127.16, 37.48,
                                     127.18, 37.56,  127.12, 37.66,  127.03,
                                     37.70,  126.93, 37.67,  126.84, 37.62};
    static const double han[] = {127.19, 37.57,  127.12, 37.54, 127.07, 37.52,
                                 127.00, 37.515, 126.95, 37.52, 126.90, 37.54,
                                 126.85, 37.57,  126.80, 37.60, 126.74, 37.63};
    check_vertices(m, s, &city->path, outline, 10);
    check_vertices(m, s, &river->path, han, 9);
    /* The Point of the river's file is counted, not drawn. */
    assert_int_equal(s->n_layer_points, 1);

    /* The SVG: the layers' group and one element per file. */
    evm_test_buffer_t svg = {0};
    evm_error_t err;
    assert_int_equal(
        evm_render(s, EVM_FORMAT_SVG, evm_test_buffer_write, &svg, &err),
        EVM_OK);
    static const char *const want[] = {"<g id=\"user-layers\"",
                                       "id=\"layer-1\"", "id=\"layer-2\""};
    for (size_t i = 0; i < 3; i++)
        if (!evm_test_find_bytes(svg.data, svg.len, want[i]))
            fail_msg("the SVG has no %s", want[i]);
    free(svg.data);
    evm_scene_destroy(s);
    evm_map_distance_opts_destroy(d);
    evm_events_destroy(ev);
}

/* The events decide the frame: the same frame with and without the
 * layers, though the outline reaches beyond it. */
static void test_frame_unchanged(void **state)
{
    const evm_test_map_t *m = *state;
    evm_events_t *ev = seoul_events();
    static const char *const layers[] = {LAYERS "seoul.geojson", NULL};
    evm_map_distance_opts_t *d0, *d1;
    evm_scene_t *s0 = layout_with(m, ev, false, &d0, NULL);
    evm_scene_t *s1 = layout_with(m, ev, false, &d1, layers);
    for (int k = 0; k < 4; k++)
        assert_true(s0->map_box[k] == s1->map_box[k]);
    assert_int_equal(s0->layers[EVM_LAYER_USER].n_items, 0);
    const evm_item_t *city = item_named(s1, "layer-1");
    assert_non_null(city);
    /* Clipped to the frame grown by the view's margin, not drawn out to
     * the outline's far edges (tens of km beyond the frame). */
    const evm_rect_t *f = &s1->frame;
    double margin = 0.1 * fmax(f->w, f->h);
    for (size_t i = 0; i < city->path.n_pts; i++) {
        evm_point_t p = city->path.pts[i];
        if (!(p.x >= f->x - margin && p.x <= f->x + f->w + margin &&
              p.y >= f->y - margin && p.y <= f->y + f->h + margin))
            fail_msg("point %.1f, %.1f far outside the frame %g %g %g %g", p.x,
                     p.y, f->x, f->y, f->w, f->h);
    }
    evm_scene_destroy(s0);
    evm_scene_destroy(s1);
    evm_map_distance_opts_destroy(d0);
    evm_map_distance_opts_destroy(d1);
    evm_events_destroy(ev);
}

/* Malformed files: an error naming the file and the line and column of
 * the fault (the syntax error's own, else where the bad feature starts). */
static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *file;
        evm_status want;
        unsigned long line, column; /* 0: not checked */
        const char *says;
    } cases[] = {
        {LAYERS "bad-syntax.geojson", LAYERS "bad-syntax.geojson",
         EVM_ERR_PARSE, 5, 0, ""},
        {LAYERS "bad-coord.geojson", LAYERS "bad-coord.geojson", EVM_ERR_PARSE,
         6, 5, "position 2"},
        {LAYERS "bad-geometry.geojson", LAYERS "bad-geometry.geojson",
         EVM_ERR_PARSE, 6, 5, "GeometryCollection"},
        {LAYERS "no-such.geojson", LAYERS "no-such.geojson", EVM_ERR_IO, 0, 0,
         ""},
        {LAYERS "seoul.geojson:fill=#zz", NULL, EVM_ERR_INVALID_ARG, 0, 0,
         "fill"},
        {LAYERS "seoul.geojson:size=3", NULL, EVM_ERR_INVALID_ARG, 0, 0,
         "unknown property"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        evm_map_distance_opts_t *d;
        evm_error_t err;
        memset(&err, 0, sizeof err);
        assert_int_equal(evm_map_distance_opts_create(&d, &err), EVM_OK);
        evm_status st =
            evm_map_distance_opts_set(d, NULL, "layer", cases[i].spec, &err);
        print_message("%s -> %s:%lu:%lu: %s\n", cases[i].spec, err.file,
                      err.line, err.column, err.message);
        assert_int_equal(st, cases[i].want);
        if (cases[i].file)
            assert_string_equal(err.file, cases[i].file);
        if (cases[i].line)
            assert_int_equal(err.line, cases[i].line);
        if (cases[i].column)
            assert_int_equal(err.column, cases[i].column);
        if (cases[i].want == EVM_ERR_PARSE)
            assert_true(err.line > 0 && err.column > 0);
        if (!strstr(err.message, cases[i].says))
            fail_msg("\"%s\" does not say \"%s\"", err.message, cases[i].says);
        evm_map_distance_opts_destroy(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scene_positions),
        cmocka_unit_test(test_frame_unchanged),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
