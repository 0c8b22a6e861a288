/* Clusters and density layers (docs/dense.md), checked on the scene and
 * in the SVG read back:
 *
 * - 3,000 events in five crowds and a scatter, some outside the extent:
 *   every event is drawn once (bubble counts plus single markers plus the
 *   events reported outside add up to the events), members listed are
 *   distinct, each within the cluster radius of its seed (the first
 *   member) at the page position the same events have on the map
 *   without clusters, a bubble is drawn at its seed, and seeds are at
 *   least the radius apart (greedy);
 * - no two discs of the events layer (bubbles, single markers) overlap,
 *   on the crowd and on 40,000 events over the world in 300 clumps
 *   and a scatter (the shape of the million-event benchmark);
 * - auto: the ten-event example keeps its markers; the crowd clusters;
 * - SVG: the bubbles' data-count sum and one data-members read back
 *   with xmllint;
 * - density: the bins' counts add up to the events shown (hex, grid);
 * - a pile of 200 identical markers at one place paints as one marker
 *   does (the painter skips markers a later identical one covers), and a
 *   different marker on top still shows;
 * - golden images of the crowd clustered and as hexagonal bins
 *   (tests/golden/clusters-crowd-800x500.png, density-hex-800x500.png). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "testutil.h"

enum { N_EVENTS = 3000 };

/* The crowd: five centres in Korea and Japan, Gaussian-ish spreads from
 * a fixed LCG, one event in twenty scattered over the box, and ten
 * events far outside the extent. */
/* Row i of a generated events file: every third a battle. */
static size_t event_row(char *at, size_t room, int i, double lat, double lon)
{
    return (size_t)snprintf(at, room, "E%d,%.5f,%.5f,%s\n", i + 1, lat, lon,
                            i % 3 ? "protest" : "battle");
}

/* Loads a generated events file, taking (and freeing) its text. */
static evm_events_t *load_rows(const char *name, char *text, size_t len)
{
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    evm_events_t *ev = NULL;
    evm_error_t err;
    assert_int_equal(evm_events_load_memory(name, text, len, &o, &ev, &err),
                     EVM_OK);
    free(text);
    return ev;
}

static evm_events_t *crowd(void)
{
    static const double centre[5][2] = {{37.56, 126.97},
                                        {35.18, 129.07},
                                        {39.03, 125.75},
                                        {35.68, 139.69},
                                        {34.69, 135.50}};
    size_t cap = (size_t)N_EVENTS * 64 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text, cap, "name,lat,lon,kind\n");
    uint32_t s = 12345;
    for (int i = 0; i < N_EVENTS; i++) {
        double u[4];
        for (int k = 0; k < 4; k++) {
            s = s * 1664525u + 1013904223u;
            u[k] = (double)(s >> 8) / 16777216.0;
        }
        double lat, lon;
        if (i < 10) {
            lat = -30 + u[0], lon = -60 + u[1]; /* South America */
        } else if (i % 20 == 0) {
            lat = 33 + 8 * u[0], lon = 124 + 18 * u[1];
        } else {
            const double *c = centre[i % 5];
            lat = c[0] + (u[0] + u[1] - 1) * 0.8;
            lon = c[1] + (u[2] + u[3] - 1) * 0.8;
        }
        len += event_row(text + len, cap - len, i, lat, lon);
    }
    evm_events_t *ev = load_rows("crowd.csv", text, len);
    assert_int_equal(evm_events_count(ev), N_EVENTS);
    return ev;
}

static void crowd_options(evm_map_options_t *mo, evm_cluster cluster)
{
    evm_map_options_init(mo);
    mo->width_px = 800;
    mo->height_px = 500;
    mo->has_size = true;
    mo->extent[0] = 122, mo->extent[1] = 31;
    mo->extent[2] = 144, mo->extent[3] = 43;
    mo->has_extent = true;
    mo->cluster = cluster;
    mo->places = false;
}

static bool is_bubble(const evm_item_t *it)
{
    return it->cls && strncmp(it->cls, "cluster ", 8) == 0;
}

/* Parses a data-members value into out (room for 16); returns how
 * many. */
static size_t parse_members(const char *s, long *out)
{
    size_t n = 0;
    char *end;
    while (*s) {
        long v = strtol(s, &end, 10);
        assert_true(end != s && v >= 1 && v <= N_EVENTS);
        assert_true(n < 16);
        out[n++] = v - 1;
        s = end;
        while (*s == ' ')
            s++;
    }
    return n;
}

static size_t count_bubbles(const evm_scene_t *s);

/* No two discs of the events layer overlap: a bubble never covers
 * another bubble or a single marker. Quadratic, for test scenes. */
static void assert_no_overlap(const evm_scene_t *s)
{
    const evm_layer_t *l = &s->layers[EVM_LAYER_EVENTS];
    size_t discs = 0;
    for (size_t a = 0; a < l->n_items; a++) {
        const evm_item_t *p = &l->items[a];
        if (p->kind != EVM_ITEM_CIRCLE)
            continue;
        discs++;
        for (size_t b = a + 1; b < l->n_items; b++) {
            const evm_item_t *q = &l->items[b];
            if (q->kind != EVM_ITEM_CIRCLE)
                continue;
            double d =
                hypot(p->center.x - q->center.x, p->center.y - q->center.y);
            if (d < p->r_px + q->r_px)
                fail_msg("%s (r %.1f) and %s (r %.1f) overlap: %.1f px apart",
                         p->id, p->r_px, q->id, q->r_px, d);
        }
    }
    assert_true(discs > 0);
}

/* 40,000 events over the world: around 300 centres (sigma 0.2 to 3
 * degrees, the centres drawn more often the earlier they come) and one
 * in twenty scattered, from a fixed LCG. */
static void test_no_overlap_world(void **state)
{
    const evm_test_map_t *m = *state;
    enum { N = 40000, CENTRES = 300 };
    uint32_t s = 777;
    double u[CENTRES * 3 + 4];
    size_t cap = (size_t)N * 48 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (size_t k = 0; k < sizeof u / sizeof u[0]; k++) {
        s = s * 1664525u + 1013904223u;
        u[k] = (double)(s >> 8) / 16777216.0;
    }
    len += (size_t)snprintf(text, cap, "name,lat,lon,kind\n");
    for (int i = 0; i < N; i++) {
        double r[4];
        for (int k = 0; k < 4; k++) {
            s = s * 1664525u + 1013904223u;
            r[k] = (double)(s >> 8) / 16777216.0;
        }
        double lat, lon;
        if (i % 20 == 0) {
            lat = -60 + 135 * r[0], lon = -180 + 360 * r[1];
        } else {
            size_t c = (size_t)(r[0] * r[0] * CENTRES) * 3;
            double sigma = 0.2 + 2.8 * u[c + 2];
            lat = -45 + 110 * u[c] + (r[1] + r[2] - 1) * 2 * sigma;
            lon = -170 + 340 * u[c + 1] + (r[3] - 0.5) * 4 * sigma;
        }
        len += event_row(text + len, cap - len, i, lat, lon);
    }
    evm_events_t *ev = load_rows("world.csv", text, len);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.width_px = 800;
    mo.height_px = 500;
    mo.has_size = true;
    mo.places = false;
    evm_scene_t *sc = evm_test_layout(m, ev, &mo, EVM_OK, NULL);
    assert_true(count_bubbles(sc) >= 50);
    assert_no_overlap(sc);
    evm_scene_destroy(sc);
    evm_events_destroy(ev);
}

static void test_counts_and_members(void **state)
{
    const evm_test_map_t *m = *state;
    evm_events_t *ev = crowd();
    evm_map_options_t mo;
    /* The reference: each event's page position, from the map without
     * clusters (one marker per event). */
    crowd_options(&mo, EVM_CLUSTER_OFF);
    evm_scene_t *plain = evm_test_layout(m, ev, &mo, EVM_OK, NULL);
    evm_point_t *pos = calloc(N_EVENTS, sizeof *pos);
    bool *has = calloc(N_EVENTS, sizeof *has);
    assert_true(pos && has);
    const evm_layer_t *pl = &plain->layers[EVM_LAYER_EVENTS];
    for (size_t i = 0; i < pl->n_items; i++)
        if (pl->items[i].event >= 0) {
            pos[pl->items[i].event] = pl->items[i].center;
            has[pl->items[i].event] = true;
        }

    crowd_options(&mo, EVM_CLUSTER_ON);
    evm_scene_t *s = evm_test_layout(m, ev, &mo, EVM_OK, NULL);
    double radius = 24 * mo.dpi / 72;
    const evm_layer_t *l = &s->layers[EVM_LAYER_EVENTS];
    size_t total = 0, bubbles = 0, singles = 0, complete = 0;
    int *seen = calloc(N_EVENTS, sizeof *seen);
    evm_point_t seeds[N_EVENTS];
    size_t n_seeds = 0;
    for (size_t i = 0; i < l->n_items; i++) {
        const evm_item_t *it = &l->items[i];
        if (it->event >= 0 && it->kind != EVM_ITEM_TEXT) {
            /* A cluster of one: the event's own marker, where it is. */
            singles++;
            total++;
            assert_true(has[it->event]);
            assert_true(hypot(it->center.x - pos[it->event].x,
                              it->center.y - pos[it->event].y) < 1e-6);
            seen[it->event]++;
            seeds[n_seeds++] = it->center;
            continue;
        }
        if (!is_bubble(it))
            continue;
        bubbles++;
        const char *count_s = evm_test_item_data(it, "count");
        const char *members_s = evm_test_item_data(it, "members");
        assert_non_null(count_s);
        assert_non_null(members_s);
        size_t count = strtoul(count_s, NULL, 10);
        assert_true(count >= 2);
        total += count;
        long mem[16] = {0};
        size_t n = parse_members(members_s, mem);
        assert_int_equal(n, count < 16 ? count : 16);
        evm_point_t seed = pos[mem[0]];
        seeds[n_seeds++] = seed;
        /* Drawn at its seed (the first member in priority order). */
        assert_true(hypot(it->center.x - seed.x, it->center.y - seed.y) < 1e-6);
        for (size_t k = 0; k < n; k++) {
            assert_true(has[mem[k]]);
            seen[mem[k]]++;
            double d = hypot(pos[mem[k]].x - seed.x, pos[mem[k]].y - seed.y);
            if (d > radius + 1e-6)
                fail_msg("member %ld is %.1f px from its seed (radius %.1f)",
                         mem[k] + 1, d, radius);
        }
        complete += n == count;
    }
    /* Nothing drawn twice, nothing dropped: the ten events in South
     * America are reported outside the extent. */
    for (size_t i = 0; i < N_EVENTS; i++)
        assert_true(seen[i] <= 1);
    size_t outside = 0;
    for (size_t i = 0; i < s->n_omissions; i++)
        outside += s->omissions[i].kind == EVM_OMIT_OUTSIDE;
    assert_int_equal(outside, 10);
    assert_int_equal(total + outside, N_EVENTS);
    assert_true(bubbles >= 5 && complete >= 1 && singles >= 1);
    assert_no_overlap(s);
    /* Greedy: no seed lies within the radius of another. */
    for (size_t a = 0; a < n_seeds; a++)
        for (size_t b = a + 1; b < n_seeds; b++)
            assert_true(hypot(seeds[a].x - seeds[b].x,
                              seeds[a].y - seeds[b].y) > radius - 1e-6);

    /* The SVG says the same: the bubbles' counts and a member list. */
    if (evm_test_have_tool("xmllint")) {
        char *dir = evm_test_temp_dir("evm-clusters");
        char *svg = evm_test_render_file(s, EVM_FORMAT_SVG, NULL, dir, "c.svg");
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "xmllint --xpath \"sum(//*[local-name()='circle' and "
                 "starts-with(@class,'cluster ')]/@data-count)\" '%s'",
                 svg);
        char *out = evm_test_run(cmd);
        assert_non_null(out);
        assert_int_equal(strtoul(out, NULL, 10), total - singles);
        free(out);
        const evm_item_t *first = NULL;
        for (size_t i = 0; i < l->n_items && !first; i++)
            if (is_bubble(&l->items[i]))
                first = &l->items[i];
        snprintf(cmd, sizeof cmd,
                 "xmllint --xpath \"string(//*[@id='%s']/@data-members)\" "
                 "'%s'",
                 first->id, svg);
        out = evm_test_run(cmd);
        assert_non_null(out);
        out[strcspn(out, "\n")] = '\0';
        assert_string_equal(out, evm_test_item_data(first, "members"));
        free(out);
        free(svg);
        evm_test_remove_dir(dir);
    }
    free(seen);
    free(pos);
    free(has);
    evm_scene_destroy(plain);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

static size_t count_bubbles(const evm_scene_t *s)
{
    size_t n = 0;
    const evm_layer_t *l = &s->layers[EVM_LAYER_EVENTS];
    for (size_t i = 0; i < l->n_items; i++)
        n += is_bubble(&l->items[i]);
    return n;
}

static void test_auto(void **state)
{
    const evm_test_map_t *m = *state;
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_scene_t *s = evm_test_layout(m, m->example, &mo, EVM_OK, NULL);
    assert_int_equal(count_bubbles(s), 0);
    evm_scene_destroy(s);
    evm_events_t *ev = crowd();
    crowd_options(&mo, EVM_CLUSTER_AUTO);
    s = evm_test_layout(m, ev, &mo, EVM_OK, NULL);
    assert_true(count_bubbles(s) >= 5);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

static void test_density_counts(void **state)
{
    const evm_test_map_t *m = *state;
    evm_events_t *ev = crowd();
    const evm_density kinds[] = {EVM_DENSITY_HEX, EVM_DENSITY_GRID};
    for (size_t k = 0; k < 2; k++) {
        evm_map_options_t mo;
        crowd_options(&mo, EVM_CLUSTER_AUTO);
        mo.density = kinds[k];
        evm_scene_t *s = evm_test_layout(m, ev, &mo, EVM_OK, NULL);
        const evm_layer_t *l = &s->layers[EVM_LAYER_EVENTS];
        double sum = 0;
        size_t bins = 0;
        for (size_t i = 0; i < l->n_items; i++) {
            const evm_item_t *it = &l->items[i];
            assert_true(it->event < 0); /* no marker of an event */
            if (it->cls && strcmp(it->cls, "density-bin") == 0) {
                sum += strtod(evm_test_item_data(it, "count"), NULL);
                bins++;
            }
        }
        assert_true(bins > 10);
        assert_true(fabs(sum - (N_EVENTS - 10)) < 1e-9);
        assert_non_null(
            evm_test_find_item(s, EVM_LAYER_LEGEND, "density-legend"));
        evm_scene_destroy(s);
    }
    evm_events_destroy(ev);
}

static void golden(const evm_test_map_t *m, evm_density density,
                   const char *name)
{
    evm_events_t *ev = crowd();
    evm_map_options_t mo;
    crowd_options(&mo, EVM_CLUSTER_AUTO);
    mo.density = density;
    mo.title = "3,000 events";
    evm_scene_t *s = evm_test_layout(m, ev, &mo, EVM_OK, NULL);
    evm_test_assert_golden(s, name);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

static void test_golden_clusters(void **state)
{
    golden(*state, EVM_DENSITY_NONE, "clusters-crowd-800x500");
}

static void test_golden_hex(void **state)
{
    golden(*state, EVM_DENSITY_HEX, "density-hex-800x500");
}

/* A 120 x 80 scene: n identical discs at (60, 40), then, when top, a
 * smaller disc of another colour on them. */
static evm_scene_t *pile(size_t n, bool top)
{
    evm_scene_t *s = NULL;
    evm_error_t err;
    assert_int_equal(evm_scene_create(120, 80, 96, &s, &err), EVM_OK);
    s->background = (evm_rgba_t){1, 1, 1, 1};
    for (size_t i = 0; i < n + top; i++) {
        evm_item_t it = {0};
        it.kind = EVM_ITEM_CIRCLE;
        char id[32];
        snprintf(id, sizeof id, "event-%zu", i);
        it.id = id;
        it.cls = (char *)"";
        it.event = (long)i;
        it.center = (evm_point_t){60, 40};
        it.r_px = i < n ? 12 : 5;
        it.style.fill = i < n ? (evm_rgba_t){0.8, 0.3, 0.1, 1}
                              : (evm_rgba_t){0.1, 0.3, 0.8, 1};
        it.style.stroke = (evm_rgba_t){0.1, 0.1, 0.1, 1};
        it.style.stroke_px = 1.2;
        assert_non_null(evm_scene_add(s, EVM_LAYER_EVENTS, &it));
    }
    return s;
}

static void test_pile_paints_once(void **state)
{
    (void)state;
    evm_test_image_t one, many, topped;
    evm_scene_t *a = pile(1, false), *b = pile(200, false),
                *c = pile(200, true);
    evm_test_render_png(a, &one);
    evm_test_render_png(b, &many);
    evm_test_render_png(c, &topped);
    /* Exactly the picture of one marker: the rim is not darkened 200
     * times over. */
    assert_true(evm_test_image_diff(&one, &many, 0) == 0);
    /* The marker on top is painted. */
    const unsigned char *px = evm_test_pixel(&topped, 60, 40);
    assert_true(px[2] > 150 && px[0] < 80);
    evm_test_image_free(&one);
    evm_test_image_free(&many);
    evm_test_image_free(&topped);
    evm_scene_destroy(a);
    evm_scene_destroy(b);
    evm_scene_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_members),
        cmocka_unit_test(test_auto),
        cmocka_unit_test(test_no_overlap_world),
        cmocka_unit_test(test_density_counts),
        cmocka_unit_test(test_pile_paints_once),
        cmocka_unit_test(test_golden_clusters),
        cmocka_unit_test(test_golden_hex),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
