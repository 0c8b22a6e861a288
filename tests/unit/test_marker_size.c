/* Marker size from a numeric column (size-col), checked on the scene:
 *
 * - every marker's area is proportional to its value: its radius is
 *   14 pt x sqrt(value / largest value) within 1 %, or the 1.5 pt
 *   minimum for values smaller than that gives (the radius is read back
 *   from the scene's circle, or a polygon's circumradius over its shape's
 *   equal-area factor);
 * - markers are painted largest first, so a small one is never under a
 *   large one;
 * - the legend holds the size rows: 2 or 3 hollow reference circles at
 *   round values (20,000, 5,000 and 1,000 for a largest value of
 *   21,500), each at the radius a marker of that value has, with its
 *   text; clustered, as long as a single marker is drawn (with a key to
 *   the bubbles, sized by count), and never under a density layer;
 * - a missing column, an empty, non-numeric or negative cell is an
 *   error, the cell's line and column named. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "testutil.h"

static const double PT = 96 / 72.0;

static evm_events_t *load(const char *name, const char *csv)
{
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    evm_events_t *ev = NULL;
    evm_error_t err;
    if (evm_events_load_memory(name, csv, strlen(csv), &o, &ev, &err))
        fail_msg("%s: %s", name, err.message);
    return ev;
}

static evm_events_t *sized_example(void)
{
    char *path =
        evm_test_path(EVM_TEST_DATA_DIR "/size", "korea-russia-2023-sized.csv");
    size_t len;
    char *csv = evm_test_read_file(path, &len);
    assert_non_null(csv);
    evm_events_t *ev = load(path, csv);
    free(csv);
    free(path);
    return ev;
}

static evm_scene_t *layout(const evm_test_map_t *f, const evm_events_t *ev,
                           const char *col, evm_status want, evm_error_t *err)
{
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_error_t e;
    assert_int_equal(evm_map_options_set(&mo, "size", "1600x1000", &e), EVM_OK);
    assert_int_equal(evm_map_options_set(&mo, "size-col", col, &e), EVM_OK);
    mo.cluster = EVM_CLUSTER_OFF;
    return evm_test_layout(f, ev, &mo, want, err);
}

/* A marker's radius: a circle's, or a polygon's circumradius over the
 * factor that gives its shape the area of that circle. */
static double marker_radius(const evm_item_t *m)
{
    if (m->kind == EVM_ITEM_CIRCLE)
        return m->r_px;
    double far = 0;
    for (size_t i = 0; i < m->path.n_pts; i++)
        far = fmax(far, hypot(m->path.pts[i].x - m->center.x,
                              m->path.pts[i].y - m->center.y));
    size_t n = m->path.n_pts;
    double scale = n == 3   ? 1.4
                   : n == 4 ? sqrt(3.14159265358979323846 / 2)
                            : 1.0996;
    return far / scale;
}

static double value_of(const evm_scene_t *s, long event)
{
    const evm_scene_event_t *e = &s->events[event];
    for (size_t c = 0; c < s->n_columns; c++)
        if (strcmp(s->columns[c], "personnel") == 0)
            return atof(e->values[c]);
    fail_msg("no personnel column in the scene");
    return 0;
}

static void test_radii_and_order(void **state)
{
    const evm_test_map_t *f = *state;
    evm_events_t *ev = sized_example();
    evm_scene_t *s = layout(f, ev, "personnel", EVM_OK, NULL);
    const evm_layer_t *l = &s->layers[EVM_LAYER_EVENTS];
    const double vmax = 21500;
    size_t n = 0, proportional = 0;
    double last = INFINITY;
    for (size_t i = 0; i < l->n_items; i++) {
        const evm_item_t *m = &l->items[i];
        if (m->event < 0 || strncmp(m->id, "event-", 6) != 0)
            continue;
        double r = marker_radius(m), v = value_of(s, m->event);
        double want = 14 * PT * sqrt(v / vmax);
        if (want >= 1.5 * PT) {
            if (fabs(r - want) > 0.01 * want)
                fail_msg("%s: radius %g px for %g, expected %g", m->id, r, v,
                         want);
            proportional++;
        } else {
            assert_true(fabs(r - 1.5 * PT) < 0.01 * 1.5 * PT);
        }
        /* Painted largest first. */
        if (r > last * 1.001)
            fail_msg("%s (%g px) painted after a smaller marker (%g px)", m->id,
                     r, last);
        last = r;
        n++;
    }
    assert_int_equal(n, 10);
    assert_int_equal(proportional, 6); /* 6, 25, 40 and 60 are under 1.5 pt */

    /* The size legend: three hollow circles at 20,000, 5,000 and 1,000. */
    static const struct {
        double v;
        const char *text;
    } rows[] = {{20000, "20,000 personnel"},
                {5000, "5,000 personnel"},
                {1000, "1,000 personnel"}};
    const evm_layer_t *lg = &s->layers[EVM_LAYER_LEGEND];
    for (size_t k = 0; k < 3; k++) {
        char id[32], tid[32];
        snprintf(id, sizeof id, "legend-size-%zu", k);
        snprintf(tid, sizeof tid, "legend-label-size-%zu", k);
        const evm_item_t *c = NULL, *t = NULL;
        for (size_t i = 0; i < lg->n_items; i++) {
            if (strcmp(lg->items[i].id, id) == 0)
                c = &lg->items[i];
            if (strcmp(lg->items[i].id, tid) == 0)
                t = &lg->items[i];
        }
        if (!c || !t)
            fail_msg("no legend row %s", id);
        assert_int_equal(c->kind, EVM_ITEM_CIRCLE);
        assert_true(c->style.fill.a == 0);
        double want = 14 * PT * sqrt(rows[k].v / vmax);
        assert_true(fabs(c->r_px - want) < 0.01 * want);
        assert_string_equal(t->text.utf8, rows[k].text);
        /* The text is beside its circle, vertically centred on it. */
        assert_true(t->text.box.x > c->center.x + c->r_px);
        assert_true(fabs(t->text.box.y + t->text.box.h / 2 - c->center.y) < 1);
    }
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

/* Without size-col nothing changes: no size rows. */
static void test_no_size_rows(void **state)
{
    const evm_test_map_t *f = *state;
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_scene_t *s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    const evm_layer_t *lg = &s->layers[EVM_LAYER_LEGEND];
    for (size_t i = 0; i < lg->n_items; i++)
        assert_null(strstr(lg->items[i].id, "size"));
    evm_scene_destroy(s);
}

/* A layout of ev at 800x500 with the size column col, clustered or not,
 * and one more option when key is not NULL. */
static evm_scene_t *layout_with(const evm_test_map_t *f, const evm_events_t *ev,
                                const char *col, evm_cluster cluster,
                                const char *key, const char *value)
{
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_error_t e;
    assert_int_equal(evm_map_options_set(&mo, "size", "800x500", &e), EVM_OK);
    assert_int_equal(evm_map_options_set(&mo, "size-col", col, &e), EVM_OK);
    if (key)
        assert_int_equal(evm_map_options_set(&mo, key, value, &e), EVM_OK);
    mo.cluster = cluster;
    return evm_test_layout(f, ev, &mo, EVM_OK, NULL);
}

/* How many legend items have an id that starts with prefix. */
static size_t legend_items(const evm_scene_t *s, const char *prefix)
{
    const evm_layer_t *lg = &s->layers[EVM_LAYER_LEGEND];
    size_t n = 0;
    for (size_t i = 0; i < lg->n_items; i++)
        n += strncmp(lg->items[i].id, prefix, strlen(prefix)) == 0;
    return n;
}

/* Clustered, the single markers keep their sizes, so the legend keeps
 * the size rows, and a key says the bubbles' size is their count; when
 * every event is in a bubble, or under a density layer (no markers at
 * all), no marker has its value's size and there are no size rows. */
static void test_size_rows_with_clusters_and_density(void **state)
{
    const evm_test_map_t *f = *state;
    evm_events_t *ev = sized_example();
    evm_scene_t *s =
        layout_with(f, ev, "personnel", EVM_CLUSTER_ON, NULL, NULL);
    const evm_layer_t *l = &s->layers[EVM_LAYER_EVENTS];
    size_t bubbles = 0, singles = 0;
    for (size_t i = 0; i < l->n_items; i++) {
        const char *id = l->items[i].id;
        bubbles += strncmp(id, "cluster-", 8) == 0 && !strstr(id, "-count");
        if (strncmp(id, "event-", 6) == 0) {
            /* A single marker at its value's size. */
            double r = marker_radius(&l->items[i]);
            double v = value_of(s, l->items[i].event);
            double want = fmax(14 * PT * sqrt(v / 21500), 1.5 * PT);
            assert_true(fabs(r - want) < 0.01 * want);
            singles++;
        }
    }
    print_message("clustered: %zu bubbles, %zu single markers\n", bubbles,
                  singles);
    assert_true(bubbles > 0 && singles > 0);
    assert_int_equal(legend_items(s, "legend-size-"), 3);
    assert_int_equal(legend_items(s, "legend-label-size-"), 3);
    const evm_item_t *t =
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-label-size-0");
    assert_non_null(t);
    assert_string_equal(t->text.utf8, "20,000 personnel");
    assert_int_equal(legend_items(s, "legend-cluster"), 2); /* bubble, "2" */
    assert_int_equal(legend_items(s, "legend-label-cluster"), 1);
    evm_scene_destroy(s);
    evm_events_destroy(ev);

    /* Three events at one place: one bubble, no single marker. */
    ev = load("one-place.csv", "name,lat,lon,n\nA,37.5,127.0,3\n"
                               "B,37.5,127.0,30\nC,37.5,127.0,300\n");
    s = layout_with(f, ev, "n", EVM_CLUSTER_ON, NULL, NULL);
    assert_non_null(evm_test_find_item(s, EVM_LAYER_EVENTS, "cluster-1"));
    assert_int_equal(legend_items(s, "legend-size-"), 0);
    assert_int_equal(legend_items(s, "legend-cluster"), 0);
    evm_scene_destroy(s);
    /* Not clustered, the same three have their sizes and size rows. */
    s = layout_with(f, ev, "n", EVM_CLUSTER_OFF, NULL, NULL);
    assert_true(legend_items(s, "legend-size-") >= 2);
    assert_int_equal(legend_items(s, "legend-cluster"), 0);
    evm_scene_destroy(s);
    evm_events_destroy(ev);

    /* A density layer draws no marker: its own legend, no size rows. */
    static const char *const modes[] = {"hex", "grid", "heat"};
    ev = sized_example();
    for (size_t m = 0; m < 3; m++) {
        s = layout_with(f, ev, "personnel", EVM_CLUSTER_AUTO, "density",
                        modes[m]);
        assert_non_null(
            evm_test_find_item(s, EVM_LAYER_LEGEND, "density-legend"));
        assert_int_equal(legend_items(s, "legend-size-"), 0);
        assert_int_equal(legend_items(s, "legend-cluster"), 0);
        evm_scene_destroy(s);
    }
    evm_events_destroy(ev);
}

static void test_bad_cells(void **state)
{
    const evm_test_map_t *f = *state;
    static const struct {
        const char *cell;
        unsigned long line;
    } bad[] = {{"", 3}, {"many", 3}, {"-4", 3}, {"1e999", 3}, {"0x10", 3}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char csv[256];
        snprintf(csv, sizeof csv,
                 "name,lat,lon,n\nA,37.5,127.0,3\nB,39.0,125.7,%s\n"
                 "C,43.1,131.9,8\n",
                 bad[i].cell);
        evm_events_t *ev = load("bad.csv", csv);
        evm_error_t err;
        evm_scene_t *s = layout(f, ev, "n", EVM_ERR_PARSE, &err);
        assert_null(s);
        assert_int_equal(err.line, bad[i].line);
        assert_int_equal(err.column, 4);
        assert_string_equal(err.file, "bad.csv");
        if (!strstr(err.message, "not a number >= 0"))
            fail_msg("\"%s\": %s", bad[i].cell, err.message);
        evm_events_destroy(ev);
    }
    evm_events_t *ev = load("ok.csv", "name,lat,lon,n\nA,37.5,127.0,3\n");
    evm_error_t err;
    assert_null(layout(f, ev, "fatalities", EVM_ERR_INVALID_ARG, &err));
    assert_non_null(strstr(err.message, "no column \"fatalities\""));
    evm_events_destroy(ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_radii_and_order),
        cmocka_unit_test(test_no_size_rows),
        cmocka_unit_test(test_size_rows_with_clusters_and_density),
        cmocka_unit_test(test_bad_cells),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
