/* Label placement and kind styles, checked on the scene (issue 12):
 *
 * - on the 40-capital world map (tests/data/labels/capitals-40.csv, from
 *   Natural Earth), the 60 events round Seoul (seoul-60.csv, generated
 *   with a fixed seed by make_data.py) and the example, at 600x500 and
 *   1600x1000: every placed label's nearest marker, centre to the text
 *   box, is its own; no leader crosses another or passes through a
 *   marker other than its own; Seoul and Pyongyang are labelled where
 *   the test says so;
 * - kinds: the same kind has the same colour and shape in two files that
 *   list 13 kinds in opposite orders; no two of the 13 share a colour and
 *   shape; any two, as a deuteranope sees them (Viénot, Brettel and
 *   Mollon 1999, computed here independently of the library's own
 *   simulation), differ by CIE76 Delta E >= 10 or in shape; every fill
 *   has a contrast of at least 3:1 on the land and the water fill of the
 *   scene; one CSS class per kind, shared by marker, label and legend;
 * - the legend keeps kinds as written ("iOS leak"). */
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

static evm_events_t *load_data(const char *name)
{
    char *path = evm_test_path(EVM_TEST_DATA_DIR "/labels", name);
    evm_events_t *ev = evm_test_load_events(path);
    free(path);
    return ev;
}

static double box_distance(evm_point_t p, evm_rect_t b)
{
    double dx = fmax(fmax(b.x - p.x, 0), p.x - (b.x + b.w));
    double dy = fmax(fmax(b.y - p.y, 0), p.y - (b.y + b.h));
    return hypot(dx, dy);
}

/* The centre of an event's marker: a circle's centre, or the mean of a
 * polygon's vertices' extremes. */
static evm_point_t marker_centre(const evm_item_t *m)
{
    if (m->kind == EVM_ITEM_CIRCLE)
        return m->center;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < m->path.n_pts; i++) {
        x0 = fmin(x0, m->path.pts[i].x);
        x1 = fmax(x1, m->path.pts[i].x);
        y0 = fmin(y0, m->path.pts[i].y);
        y1 = fmax(y1, m->path.pts[i].y);
    }
    /* Triangles are not symmetric about their box: use the item's centre,
     * which the layout records for every marker. */
    (void)x0, (void)x1, (void)y0, (void)y1;
    return m->center;
}

static double seg_cross(evm_point_t o, evm_point_t a, evm_point_t b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

static bool segments_cross(evm_point_t a, evm_point_t b, evm_point_t c,
                           evm_point_t d)
{
    double d1 = seg_cross(c, d, a), d2 = seg_cross(c, d, b);
    double d3 = seg_cross(a, b, c), d4 = seg_cross(a, b, d);
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
           ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/* Distance from p to segment a-b. */
static double seg_distance(evm_point_t p, evm_point_t a, evm_point_t b)
{
    double vx = b.x - a.x, vy = b.y - a.y, L2 = vx * vx + vy * vy;
    double t = L2 > 0 ? ((p.x - a.x) * vx + (p.y - a.y) * vy) / L2 : 0;
    t = fmin(1, fmax(0, t));
    return hypot(a.x + t * vx - p.x, a.y + t * vy - p.y);
}

/* Checks the scene; returns how many event labels are placed. */
static size_t check_scene(const evm_scene_t *s, const char *what)
{
    const evm_layer_t *ev = &s->layers[EVM_LAYER_EVENTS];
    const evm_layer_t *lb = &s->layers[EVM_LAYER_LABELS];
    size_t placed = 0;
    for (size_t i = 0; i < lb->n_items; i++) {
        const evm_item_t *t = &lb->items[i];
        if (t->kind != EVM_ITEM_TEXT || t->event < 0)
            continue;
        /* One label however many lines it takes. */
        const char *l2 = strstr(t->id, "-line2");
        placed += !(l2 && l2[6] == '\0');
        /* The label's text box: both lines of a wrapped label. */
        evm_rect_t box = t->text.box;
        for (size_t j = 0; j < lb->n_items; j++) {
            const evm_item_t *u = &lb->items[j];
            if (j != i && u->kind == EVM_ITEM_TEXT && u->event == t->event) {
                double x0 = fmin(box.x, u->text.box.x),
                       y0 = fmin(box.y, u->text.box.y);
                double x1 = fmax(box.x + box.w, u->text.box.x + u->text.box.w),
                       y1 = fmax(box.y + box.h, u->text.box.y + u->text.box.h);
                box = (evm_rect_t){x0, y0, x1 - x0, y1 - y0};
            }
        }
        double own = INFINITY, other = INFINITY;
        const char *rival = "";
        for (size_t m = 0; m < ev->n_items; m++) {
            double d = box_distance(marker_centre(&ev->items[m]), box);
            if (ev->items[m].event == t->event)
                own = d;
            else if (d < other) {
                other = d;
                rival = s->events[ev->items[m].event].name;
            }
        }
        if (!(own < other))
            fail_msg("%s: label \"%s\" is %.2f px from its marker and %.2f "
                     "from %s's",
                     what, t->text.utf8, own, other, rival);
    }
    /* Leaders: no two cross; none passes through another marker. */
    for (size_t i = 0; i < lb->n_items; i++) {
        const evm_item_t *a = &lb->items[i];
        if (a->kind != EVM_ITEM_PATH || strcmp(a->cls, "leader") != 0)
            continue;
        evm_point_t p = a->path.pts[0], q = a->path.pts[1];
        for (size_t j = i + 1; j < lb->n_items; j++) {
            const evm_item_t *b = &lb->items[j];
            if (b->kind == EVM_ITEM_PATH && strcmp(b->cls, "leader") == 0 &&
                segments_cross(p, q, b->path.pts[0], b->path.pts[1]))
                fail_msg("%s: leaders %s and %s cross", what, a->id, b->id);
        }
        for (size_t m = 0; m < ev->n_items; m++) {
            const evm_item_t *mk = &ev->items[m];
            if (mk->event == a->event)
                continue;
            double r = mk->kind == EVM_ITEM_CIRCLE ? mk->r_px : 4;
            if (seg_distance(marker_centre(mk), p, q) < r)
                fail_msg("%s: leader %s passes through %s", what, a->id,
                         mk->id);
        }
    }
    /* The legend's box keeps clear of the scale bar and, by a margin of
     * 2 pt, of every event marker. */
    const evm_item_t *lg =
        evm_test_find_item(s, EVM_LAYER_LEGEND, "legend-box");
    if (lg) {
        evm_rect_t b = evm_test_item_box(lg);
        const evm_layer_t *sb = &s->layers[EVM_LAYER_SCALE_BAR];
        for (size_t i = 0; i < sb->n_items; i++)
            if (evm_test_rects_overlap(b, evm_test_item_box(&sb->items[i])))
                fail_msg("%s: the legend meets %s", what, sb->items[i].id);
        double m = 2 * 96 / 72.0;
        evm_rect_t g = {b.x - m, b.y - m, b.w + 2 * m, b.h + 2 * m};
        for (size_t i = 0; i < ev->n_items; i++)
            if (evm_test_rects_overlap(g, evm_test_item_box(&ev->items[i])))
                fail_msg("%s: the legend meets the marker of %s", what,
                         s->events[ev->items[i].event].name);
    }
    /* Nothing drawn outside the page. */
    for (int l = 0; l < EVM_LAYER_COUNT; l++)
        for (size_t i = 0; i < s->layers[l].n_items; i++) {
            const evm_item_t *t = &s->layers[l].items[i];
            if (t->kind != EVM_ITEM_TEXT)
                continue;
            evm_rect_t b = t->text.box;
            if (b.x < -0.5 || b.y < -0.5 || b.x + b.w > s->width_px + 0.5 ||
                b.y + b.h > s->height_px + 0.5)
                fail_msg("%s: text \"%.40s\" leaves the page", what,
                         t->text.utf8);
        }
    return placed;
}

static bool labelled(const evm_scene_t *s, const char *name)
{
    const evm_layer_t *lb = &s->layers[EVM_LAYER_LABELS];
    for (size_t i = 0; i < lb->n_items; i++)
        if (lb->items[i].kind == EVM_ITEM_TEXT && lb->items[i].event >= 0 &&
            strcmp(s->events[lb->items[i].event].name, name) == 0)
            return true;
    return false;
}

static void run_map(const evm_test_map_t *f, const char *file, double w,
                    double h, const char *const *must, size_t n_must)
{
    evm_events_t *ev = !file ? evm_test_load_example("korea-russia-2023")
                       : strchr(file, '.') ? load_data(file)
                                           : evm_test_load_example(file);
    evm_scene_t *s = evm_test_layout_page(f, ev, w, h, 96, "t");
    char what[96];
    snprintf(what, sizeof what, "%s at %gx%g", file ? file : "example", w, h);
    size_t placed = check_scene(s, what);
    print_message("%s: %zu labels placed, %zu omitted\n", what, placed,
                  s->n_omissions);
    assert_int_equal(placed + s->n_omissions, s->n_labels_wanted);
    for (size_t i = 0; i < n_must; i++)
        if (!labelled(s, must[i]))
            fail_msg("%s: %s is not labelled", what, must[i]);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

static void test_capitals(void **state)
{
    static const char *const both[] = {"Seoul", "Pyongyang", "Beijing",
                                       "Tokyo"};
    run_map(*state, "capitals-40.csv", 1600, 1000, both, 4);
    /* At 600x500 Seoul and Pyongyang are 4 px apart: Seoul's label
     * leaves Pyongyang's only place free and goes out on a leader. */
    run_map(*state, "capitals-40.csv", 600, 500, both, 2);
}

/* Pyongyang is not among the 60 events round Seoul (they lie within
 * about 170 km of it, make_data.py); Seoul must be labelled. */
static void test_seoul_60(void **state)
{
    static const char *const seoul[] = {"Seoul"};
    evm_events_t *ev = load_data("seoul-60.csv");
    for (size_t i = 0; i < evm_events_count(ev); i++)
        assert_string_not_equal(evm_events_get(ev, i)->name, "Pyongyang");
    evm_events_destroy(ev);
    run_map(*state, "seoul-60.csv", 1600, 1000, seoul, 1);
    run_map(*state, "seoul-60.csv", 600, 500, seoul, 1);
}

/* The peninsula map (examples/korea-peninsula): both capitals labelled
 * even at 600x500, the legend clear of Rajin's marker. */
static void test_peninsula(void **state)
{
    static const char *const both[] = {"Seoul (서울)", "Pyongyang (평양)"};
    run_map(*state, "korea-peninsula", 600, 500, both, 2);
    run_map(*state, "korea-peninsula", 1600, 1000, both, 2);
    run_map(*state, "korea-peninsula", 480, 400, both, 2);
}

static void test_example(void **state)
{
    static const char *const both[] = {"Seoul", "Pyongyang"};
    run_map(*state, NULL, 1600, 1000, both, 2);
    /* At 600x500 Seoul's marker lies between Pyongyang's (10 px) and
     * Cheongju's (5 px): its label goes where Seoul is still the
     * nearest, below the markers. */
    run_map(*state, NULL, 600, 500, both, 2);
}

/* ---- kinds ---------------------------------------------------------- */

typedef struct kind_look {
    char kind[64];
    evm_rgba_t fill;
    int shape; /* EVM_ITEM_CIRCLE, or 100 + the polygon's vertex count
                  with its first vertex's direction */
    char cls[96];
} kind_look_t;

static int shape_of(const evm_item_t *m)
{
    if (m->kind == EVM_ITEM_CIRCLE)
        return 0;
    evm_point_t c = m->center, p = m->path.pts[0];
    int dir = (int)lround(atan2(c.y - p.y, p.x - c.x) * 180 / 3.14159265);
    return 100 + (int)m->path.n_pts * 1000 + ((dir % 360) + 360) % 360;
}

static size_t kind_looks(const evm_scene_t *s, kind_look_t *out)
{
    const evm_layer_t *ev = &s->layers[EVM_LAYER_EVENTS];
    size_t n = 0;
    for (size_t i = 0; i < ev->n_items; i++) {
        const evm_item_t *m = &ev->items[i];
        const char *kind = s->events[m->event].kind;
        size_t k = 0;
        while (k < n && strcmp(out[k].kind, kind) != 0)
            k++;
        if (k < n) {
            /* One kind, one look. */
            assert_int_equal(out[k].shape, shape_of(m));
            assert_true(out[k].fill.r == m->style.fill.r &&
                        out[k].fill.g == m->style.fill.g &&
                        out[k].fill.b == m->style.fill.b);
            continue;
        }
        snprintf(out[n].kind, sizeof out[n].kind, "%s", kind);
        snprintf(out[n].cls, sizeof out[n].cls, "%s", m->cls);
        out[n].fill = m->style.fill;
        out[n].shape = shape_of(m);
        n++;
    }
    return n;
}

static double lin(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(evm_rgba_t c)
{
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

static double contrast(evm_rgba_t a, evm_rgba_t b)
{
    double la = luminance(a), lb = luminance(b);
    return (fmax(la, lb) + 0.05) / (fmin(la, lb) + 0.05);
}

static double f_lab(double t)
{
    return t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116;
}

/* Viénot, Brettel and Mollon (1999): linear RGB to LMS, the deuteranope's
 * M from L and S, back to RGB; then CIE L*a*b*. */
static void deutan_lab(evm_rgba_t c, double lab[3])
{
    double r = lin(c.r), g = lin(c.g), b = lin(c.b);
    double L = 17.8824 * r + 43.5161 * g + 4.11935 * b;
    double M = 3.45565 * r + 27.1554 * g + 3.86714 * b;
    double S = 0.0299566 * r + 0.184309 * g + 1.46709 * b;
    M = 0.494207 * L + 1.24827 * S;
    double rr = 0.0809444479 * L - 0.130504409 * M + 0.116721066 * S;
    double gg = -0.0102485335 * L + 0.0540193266 * M - 0.113614708 * S;
    double bb = -0.000365296938 * L - 0.00412161469 * M + 0.693511405 * S;
    rr = fmin(1, fmax(0, rr));
    gg = fmin(1, fmax(0, gg));
    bb = fmin(1, fmax(0, bb));
    double X = 0.4124 * rr + 0.3576 * gg + 0.1805 * bb;
    double Y = 0.2126 * rr + 0.7152 * gg + 0.0722 * bb;
    double Z = 0.0193 * rr + 0.1192 * gg + 0.9505 * bb;
    double fx = f_lab(X / 0.95047), fy = f_lab(Y), fz = f_lab(Z / 1.08883);
    lab[0] = 116 * fy - 16;
    lab[1] = 500 * (fx - fy);
    lab[2] = 200 * (fy - fz);
}

static evm_scene_t *kinds_map(const evm_test_map_t *f, const char *file)
{
    evm_events_t *ev = load_data(file);
    evm_scene_t *s = evm_test_layout_page(f, ev, 1600, 1000, 96, "kinds");
    evm_events_destroy(ev);
    return s;
}

static void test_kinds(void **state)
{
    evm_scene_t *a = kinds_map(*state, "kinds-13a.csv");
    evm_scene_t *b = kinds_map(*state, "kinds-13b.csv");
    kind_look_t la[32], lb[32];
    size_t na = kind_looks(a, la), nb = kind_looks(b, lb);
    assert_int_equal(na, 13);
    assert_int_equal(nb, 13);
    assert_int_equal(a->n_style_collisions, 0);
    /* The same kind looks the same in both files. */
    for (size_t i = 0; i < na; i++) {
        size_t j = 0;
        while (j < nb && strcmp(la[i].kind, lb[j].kind) != 0)
            j++;
        assert_true(j < nb);
        assert_int_equal(la[i].shape, lb[j].shape);
        assert_true(la[i].fill.r == lb[j].fill.r &&
                    la[i].fill.g == lb[j].fill.g &&
                    la[i].fill.b == lb[j].fill.b);
    }
    /* Land and water fills, from the scene. */
    evm_rgba_t land = a->layers[EVM_LAYER_LAND].items[0].style.fill;
    evm_rgba_t water = a->layers[EVM_LAYER_OCEAN].items[0].style.fill;
    for (size_t i = 0; i < na; i++) {
        if (contrast(la[i].fill, land) < 3 || contrast(la[i].fill, water) < 3)
            fail_msg("kind %s: contrast %.2f on land, %.2f on water",
                     la[i].kind, contrast(la[i].fill, land),
                     contrast(la[i].fill, water));
        for (size_t j = i + 1; j < na; j++) {
            double p[3], q[3];
            deutan_lab(la[i].fill, p);
            deutan_lab(la[j].fill, q);
            double de = sqrt((p[0] - q[0]) * (p[0] - q[0]) +
                             (p[1] - q[1]) * (p[1] - q[1]) +
                             (p[2] - q[2]) * (p[2] - q[2]));
            if (la[i].shape == la[j].shape && de < 10)
                fail_msg("kinds %s and %s: one shape, deuteranope Delta E "
                         "%.1f",
                         la[i].kind, la[j].kind, de);
        }
    }
    /* One class per kind on marker, label and legend; kinds as written. */
    bool ios = false;
    for (size_t i = 0; i < na; i++) {
        assert_non_null(strstr(la[i].cls, "kind-"));
        assert_null(strchr(la[i].cls, ' '));
        if (strcmp(la[i].kind, "drone strike") == 0)
            assert_string_equal(la[i].cls, "kind-drone-strike");
    }
    const evm_layer_t *lg = &a->layers[EVM_LAYER_LEGEND];
    for (size_t i = 0; i < lg->n_items; i++) {
        const evm_item_t *t = &lg->items[i];
        if (t->kind == EVM_ITEM_TEXT &&
            strncmp(t->text.utf8, "iOS leak", 8) == 0) {
            ios = true;
            assert_string_equal(t->cls, "kind-ios-leak");
        }
    }
    assert_true(ios);
    const evm_layer_t *lb_ = &a->layers[EVM_LAYER_LABELS];
    for (size_t i = 0; i < lb_->n_items; i++) {
        const evm_item_t *t = &lb_->items[i];
        if (t->kind == EVM_ITEM_TEXT && t->event >= 0 &&
            strcmp(a->events[t->event].kind, "drone strike") == 0)
            assert_string_equal(t->cls, "kind-drone-strike");
    }
    evm_scene_destroy(a);
    evm_scene_destroy(b);
}

static double deutan_delta_e(evm_rgba_t a, evm_rgba_t b)
{
    double p[3], q[3];
    deutan_lab(a, p);
    deutan_lab(b, q);
    return sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) +
                (p[2] - q[2]) * (p[2] - q[2]));
}

static bool same_look(const kind_look_t *a, const kind_look_t *b)
{
    return a->shape == b->shape && a->fill.r == b->fill.r &&
           a->fill.g == b->fill.g && a->fill.b == b->fill.b;
}

static const kind_look_t *look_of(const kind_look_t *l, size_t n,
                                  const char *kind)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(l[i].kind, kind) == 0)
            return &l[i];
    return NULL;
}

/* A kind keeps its look whatever else is in the file: the two examples
 * share "capital" and "military" among different sets of kinds; and each
 * of the 13 kinds, drawn alone, looks as in the 13-kind map unless
 * another kind there holds that very look's near twin (same shape, a
 * deuteranope's Delta E below 10), the only reason to move it. */
static void test_kinds_stable_across_sets(void **state)
{
    evm_events_t *pe = evm_test_load_example("korea-peninsula");
    evm_events_t *ex = evm_test_load_example("korea-russia-2023");
    evm_scene_t *sp = evm_test_layout_page(*state, pe, 800, 500, 96, "p");
    evm_scene_t *sx = evm_test_layout_page(*state, ex, 800, 500, 96, "x");
    kind_look_t lp[32], lx[32];
    size_t np = kind_looks(sp, lp), nx = kind_looks(sx, lx), shared = 0;
    for (size_t i = 0; i < np; i++) {
        const kind_look_t *o = look_of(lx, nx, lp[i].kind);
        if (!o)
            continue;
        shared++;
        if (!same_look(&lp[i], o))
            fail_msg("kind %s looks different on the two examples", lp[i].kind);
    }
    assert_true(shared >= 2);
    evm_scene_destroy(sp);
    evm_scene_destroy(sx);
    evm_events_destroy(pe);
    evm_events_destroy(ex);

    evm_events_t *all = load_data("kinds-13a.csv");
    evm_scene_t *sa = evm_test_layout_page(*state, all, 1600, 1000, 96, "k");
    kind_look_t la[32];
    size_t na = kind_looks(sa, la), moved = 0;
    for (size_t i = 0; i < na; i++) {
        char csv[256];
        snprintf(csv, sizeof csv, "name,lat,lon,kind\nA,40,120,%.64s\n",
                 la[i].kind);
        evm_csv_options_t o;
        evm_csv_options_init(&o);
        evm_events_t *one = NULL;
        evm_error_t err;
        assert_int_equal(
            evm_events_load_memory("one.csv", csv, strlen(csv), &o, &one, &err),
            EVM_OK);
        evm_scene_t *s1 = evm_test_layout_page(*state, one, 800, 500, 96, "1");
        kind_look_t l1[2];
        assert_int_equal(kind_looks(s1, l1), 1);
        if (!same_look(&l1[0], &la[i])) {
            moved++;
            bool reason = false;
            for (size_t j = 0; j < na; j++)
                reason |= j != i && la[j].shape == l1[0].shape &&
                          deutan_delta_e(la[j].fill, l1[0].fill) < 12.5;
            if (!reason)
                fail_msg("kind %s moved with no kind near its own look",
                         la[i].kind);
        }
        evm_scene_destroy(s1);
        evm_events_destroy(one);
    }
    print_message("13 kinds: %zu moved off their own look\n", moved);
    evm_scene_destroy(sa);
    evm_events_destroy(all);
}

/* Lays out the example with kind styles given as render would. */
static evm_scene_t *styled_example(const evm_test_map_t *f,
                                   const char *const *specs, size_t n)
{
    evm_map_distance_opts_t *d = NULL;
    evm_error_t err;
    assert_int_equal(evm_map_distance_opts_create(&d, &err), EVM_OK);
    for (size_t i = 0; i < n; i++)
        if (evm_map_distance_opts_set(d, f->example, "kind-style", specs[i],
                                      &err))
            fail_msg("%s: %s", specs[i], err.message);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.width_px = 1600;
    mo.height_px = 1000;
    mo.has_size = true;
    evm_map_distance_opts_apply(d, &mo);
    evm_scene_t *s = evm_test_layout(f, f->example, &mo, EVM_OK, NULL);
    evm_map_distance_opts_destroy(d);
    return s;
}

/* --kind-style: the kind takes the colour, shape and size given, on its
 * markers and its legend swatch; a later entry wins; every other kind
 * keeps clear of it (another shape, or colours a deuteranope tells
 * apart); bad specs and a bad line of a file are refused with what is
 * wrong and where. */
static void test_kind_style_option(void **state)
{
    const evm_test_map_t *f = *state;
    static const char *const specs[] = {
        "capital: color=#00f shape=square",
        "capital: color=#dd0000 shape=triangle size=10"};
    evm_scene_t *s = styled_example(f, specs, 2);
    kind_look_t l[32];
    size_t n = kind_looks(s, l);
    const kind_look_t *cap = look_of(l, n, "capital");
    assert_non_null(cap);
    assert_true(fabs(cap->fill.r - 0xDD / 255.0) < 1e-9 && cap->fill.g == 0 &&
                cap->fill.b == 0);
    /* A triangle pointing up: three vertices, the first straight above. */
    assert_int_equal(cap->shape / 1000, 3);
    assert_int_equal(cap->shape % 1000 - 100, 90);
    const evm_layer_t *ev = &s->layers[EVM_LAYER_EVENTS];
    double pt = 96 / 72.0;
    for (size_t i = 0; i < ev->n_items; i++) {
        const evm_item_t *m = &ev->items[i];
        if (strcmp(s->events[m->event].kind, "capital") != 0)
            continue;
        /* Width 10 pt: the radius of a circle of the same area, 5 pt;
         * a triangle's circumradius is 1.4 times that. */
        double r = hypot(m->path.pts[0].x - m->center.x,
                         m->path.pts[0].y - m->center.y);
        assert_true(fabs(r - 1.4 * 5 * pt) < 0.01);
    }
    const evm_layer_t *lg = &s->layers[EVM_LAYER_LEGEND];
    bool swatch = false;
    for (size_t i = 0; i < lg->n_items; i++)
        if (strcmp(lg->items[i].cls, "kind-capital") == 0 &&
            lg->items[i].kind == EVM_ITEM_PATH) {
            swatch = true;
            assert_true(lg->items[i].style.fill.r == cap->fill.r &&
                        lg->items[i].path.n_pts == 3);
        }
    assert_true(swatch);
    for (size_t i = 0; i < n; i++)
        if (&l[i] != cap && l[i].shape == cap->shape &&
            deutan_delta_e(l[i].fill, cap->fill) < 10)
            fail_msg("kind %s is too like the styled capital", l[i].kind);
    evm_scene_destroy(s);

    static const struct {
        const char *spec, *why;
    } bad[] = {{"capital color=#d00", "is not KIND: PROPERTY=VALUE"},
               {"capital: color=red", "is not #rgb"},
               {"capital: shape=star", "is not a shape"},
               {"capital: size=100", "2..40"},
               {"capital: weight=bold", "unknown property"},
               {"capital:", "sets nothing"}};
    evm_map_distance_opts_t *d = NULL;
    evm_error_t err;
    assert_int_equal(evm_map_distance_opts_create(&d, &err), EVM_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(
            evm_map_distance_opts_set(d, NULL, "kind-style", bad[i].spec, &err),
            EVM_ERR_INVALID_ARG);
        if (!strstr(err.message, bad[i].why))
            fail_msg("%s: \"%s\" says nothing of \"%s\"", bad[i].spec,
                     err.message, bad[i].why);
    }
    char *dir = evm_test_temp_dir("kinds");
    char *path = evm_test_path(dir, "kinds.txt");
    const char file[] = "# kinds\ncapital: #0a0 hexagon\nport: shape=cube\n";
    assert_int_equal(evm_test_write_file(path, file, strlen(file)), 0);
    assert_int_equal(
        evm_map_distance_opts_set(d, NULL, "kind-styles", path, &err),
        EVM_ERR_PARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "cube"));
    free(path);
    evm_test_remove_dir(dir);
    evm_map_distance_opts_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capitals),
        cmocka_unit_test(test_seoul_60),
        cmocka_unit_test(test_example),
        cmocka_unit_test(test_peninsula),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_kinds_stable_across_sets),
        cmocka_unit_test(test_kind_style_option),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
