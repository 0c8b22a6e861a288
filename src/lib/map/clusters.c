/* Clusters: when events crowd the page, nearby events are merged into
 * one counted bubble, so that a map of 100,000 points reads as where the
 * events are and how many, not as a solid blanket of markers.
 *
 * Greedy and in priority order (the order labels use): the event of
 * highest priority not yet in a cluster seeds one, which takes every
 * event not yet taken within CLUSTER_PT of it on the page. Seeds are
 * therefore at least that far apart, and a cluster's seed is its
 * "biggest place" (with --label-priority population, the largest city).
 * Events sit in a uniform grid of cells of that size, each cell keeping
 * its untaken events at the front of its slice, so that a seed visits
 * the untaken events of nine cells: the work is linear in the events
 * plus the events near each seed, never quadratic. The clusters depend
 * only on the page positions, so a batch of zoomed maps re-clusters at
 * each map's scale.
 *
 * A cluster of one is drawn as the event's own marker. A bubble is drawn
 * at its seed, in the colour of the kind most of its members have, with
 * an area that grows with the logarithm of its count, the count written
 * inside. At the seed, not the members' centroid: seeds are more than
 * CLUSTER_PT apart and a bubble's radius is under half that, so no two
 * bubbles overlap and none hides another (centroids drift up to the
 * radius from their seeds and did); and the bubble sits on the place
 * its label names, never in the sea between two coasts its members
 * line. In the scene (and the SVG) it is one circle
 * carrying data-count and data-members (the first CLUSTER_MEMBERS_MAX
 * members' 1-based event numbers in priority order; data-count tells
 * whether the list is whole). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/num.h"
#include "map/layout_internal.h"

/* The radius within which a seed takes events, in points. */
static const double CLUSTER_PT = 24;
/* A bubble's largest radius, points: under half the seeds' spacing, so
 * that two bubbles keep a gap of at least CLUSTER_PT - 2 * BUBBLE_MAX_PT
 * (a point). */
static const double BUBBLE_MAX_PT = 11.5;
/* Auto clustering: when shown markers average more than this many per
 * occupied cell of a marker's diameter. */
static const double CROWD_PER_CELL = 2;

static evm_status nomem(evm_layout_t *L)
{
    return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory clustering the events");
}

double evm_cluster_radius_px(const evm_layout_t *L)
{
    return CLUSTER_PT * L->pt_px;
}

double evm_cluster_bubble_px(const evm_layout_t *L, size_t count)
{
    /* 5.8 pt for two events, 8.5 pt for a thousand, 11.4 pt at a
     * million: the area still grows with the order of magnitude. */
    double r = 5.5 + 0.43 * log((double)count);
    return fmin(r, BUBBLE_MAX_PT) * L->pt_px;
}

bool evm_layout_crowded(const evm_layout_t *L)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    evm_rect_t f = L->scene->frame;
    double cell = 2 * 4.0 * L->pt_px; /* a default marker's diameter */
    size_t nx = (size_t)ceil(f.w / cell) + 1, ny = (size_t)ceil(f.h / cell) + 1;
    unsigned char *seen = calloc(nx * ny, 1);
    if (!seen)
        return false;
    size_t shown = 0, occupied = 0;
    for (size_t i = 0; i < n; i++) {
        if (!L->event_shown[i])
            continue;
        size_t cx = (size_t)fmax(0, (L->marker_xy[i].x - f.x) / cell);
        size_t cy = (size_t)fmax(0, (L->marker_xy[i].y - f.y) / cell);
        size_t c = (cy < ny ? cy : ny - 1) * nx + (cx < nx ? cx : nx - 1);
        shown++;
        occupied += !seen[c];
        seen[c] = 1;
    }
    free(seen);
    return occupied && (double)shown / (double)occupied > CROWD_PER_CELL;
}

static size_t cell_of(const evm_event_grid_t *g, evm_point_t p, size_t *cx,
                      size_t *cy)
{
    double fx = floor((p.x - g->frame.x) / g->cell);
    double fy = floor((p.y - g->frame.y) / g->cell);
    *cx = fx < 0 ? 0 : fx >= (double)g->nx ? g->nx - 1 : (size_t)fx;
    *cy = fy < 0 ? 0 : fy >= (double)g->ny ? g->ny - 1 : (size_t)fy;
    return *cy * g->nx + *cx;
}

evm_status evm_event_grid_build(evm_layout_t *L, double cell_px,
                                evm_event_grid_t *g)
{
    memset(g, 0, sizeof *g);
    size_t n = L->events ? evm_events_count(L->events) : 0;
    g->frame = L->scene->frame;
    g->cell = cell_px;
    g->nx = (size_t)ceil(g->frame.w / g->cell) + 1;
    g->ny = (size_t)ceil(g->frame.h / g->cell) + 1;
    size_t nc = g->nx * g->ny;
    g->start = calloc(nc + 1, sizeof *g->start);
    g->live = calloc(nc, sizeof *g->live);
    g->item = evm_alloc_array(n ? n : 1, sizeof *g->item);
    if (!g->start || !g->live || !g->item) {
        evm_event_grid_free(g);
        return nomem(L);
    }
    size_t cx, cy;
    for (size_t i = 0; i < n; i++)
        if (L->event_shown[i])
            g->live[cell_of(g, L->marker_xy[i], &cx, &cy)]++;
    for (size_t c = 0; c < nc; c++)
        g->start[c + 1] = g->start[c] + g->live[c];
    memset(g->live, 0, nc * sizeof *g->live);
    for (size_t j = 0; j < n; j++) {
        size_t i = L->order[j];
        if (!L->event_shown[i])
            continue;
        size_t c = cell_of(g, L->marker_xy[i], &cx, &cy);
        g->item[g->start[c] + g->live[c]++] = (uint32_t)i;
    }
    return EVM_OK;
}

void evm_event_grid_free(evm_event_grid_t *g)
{
    free(g->start);
    free(g->live);
    free(g->item);
    memset(g, 0, sizeof *g);
}

bool evm_event_grid_visit(const evm_event_grid_t *g, evm_rect_t r,
                          bool (*visit)(void *user, uint32_t event), void *user)
{
    size_t x0, y0, x1, y1;
    cell_of(g, (evm_point_t){r.x, r.y}, &x0, &y0);
    cell_of(g, (evm_point_t){r.x + r.w, r.y + r.h}, &x1, &y1);
    for (size_t y = y0; y <= y1; y++)
        for (size_t x = x0; x <= x1; x++) {
            size_t c = y * g->nx + x;
            for (size_t a = 0; a < g->live[c]; a++)
                if (!visit(user, g->item[g->start[c] + a]))
                    return false;
        }
    return true;
}

/* Takes every untaken event within the radius of seed into cluster k;
 * returns how many. */
static size_t take_near(evm_layout_t *L, evm_event_grid_t *g, size_t seed,
                        uint32_t k)
{
    evm_point_t p = L->marker_xy[seed];
    double r2 = g->cell * g->cell;
    size_t cx, cy, count = 0;
    cell_of(g, p, &cx, &cy);
    for (size_t y = cy ? cy - 1 : 0; y <= cy + 1 && y < g->ny; y++)
        for (size_t x = cx ? cx - 1 : 0; x <= cx + 1 && x < g->nx; x++) {
            size_t c = y * g->nx + x;
            uint32_t *it = g->item + g->start[c];
            for (size_t a = 0; a < g->live[c];) {
                evm_point_t q = L->marker_xy[it[a]];
                double dx = q.x - p.x, dy = q.y - p.y;
                if (dx * dx + dy * dy > r2) {
                    a++;
                    continue;
                }
                L->cluster_of[it[a]] = k;
                count++;
                /* The last untaken event takes its slot. */
                it[a] = it[--g->live[c]];
            }
        }
    return count;
}

evm_status evm_layout_cluster(evm_layout_t *L)
{
    size_t n = evm_events_count(L->events);
    evm_event_grid_t g;
    evm_status st = evm_event_grid_build(L, evm_cluster_radius_px(L), &g);
    L->cluster_of = evm_alloc_array(n ? n : 1, sizeof *L->cluster_of);
    if (st || !L->cluster_of) {
        evm_event_grid_free(&g);
        return st ? st : nomem(L);
    }
    for (size_t i = 0; i < n; i++)
        L->cluster_of[i] = EVM_NO_CLUSTER;
    size_t cap = 0;
    for (size_t j = 0; j < n; j++) {
        size_t i = L->order[j];
        if (!L->event_shown[i] || L->cluster_of[i] != EVM_NO_CLUSTER)
            continue;
        if (evm_grow((void **)&L->clusters, &cap, L->n_clusters + 1,
                     sizeof *L->clusters)) {
            evm_event_grid_free(&g);
            return nomem(L);
        }
        uint32_t k = (uint32_t)L->n_clusters++;
        size_t count = take_near(L, &g, i, k);
        L->clusters[k] = (evm_cluster_t){L->marker_xy[i], 0, count, i, 0};
    }
    evm_event_grid_free(&g);
    /* Members by cluster, each in priority order. */
    size_t nk = L->n_clusters;
    L->cluster_members = evm_alloc_array(n ? n : 1, sizeof *L->cluster_members);
    size_t *fill = calloc(nk ? nk : 1, sizeof *fill);
    if (!L->cluster_members || !fill) {
        free(fill);
        return nomem(L);
    }
    size_t at = 0;
    for (size_t k = 0; k < nk; k++) {
        L->clusters[k].first = at;
        at += L->clusters[k].count;
    }
    for (size_t j = 0; j < n; j++) {
        size_t i = L->order[j];
        uint32_t k = L->cluster_of[i];
        if (k != EVM_NO_CLUSTER)
            L->cluster_members[L->clusters[k].first + fill[k]++] = (uint32_t)i;
    }
    free(fill);
    for (size_t k = 0; k < nk; k++) {
        evm_cluster_t *c = &L->clusters[k];
        c->r_px = c->count > 1 ? evm_cluster_bubble_px(L, c->count)
                               : evm_layout_marker_radius(L, c->seed);
    }
    return EVM_OK;
}

/* "7", "999", "1.2k", "12k", "1.2M": short enough for a bubble. */
void evm_cluster_count_text(size_t count, char *buf, size_t cap)
{
    double v = (double)count, shown = v;
    int decimals = 0;
    const char *unit = "";
    if (count >= 1000000) {
        shown = floor(v / 100000) / 10;
        decimals = 1;
        unit = "M";
    } else if (count >= 10000) {
        shown = floor(v / 1000);
        unit = "k";
    } else if (count >= 1000) {
        shown = floor(v / 100) / 10;
        decimals = 1;
        unit = "k";
    }
    char num[EVM_NUM_MAX];
    evm_num_fixed(num, shown, decimals, false);
    snprintf(buf, cap, "%s%s", num, unit);
}

/* The kind at least two thirds of a cluster's members have, or
 * L->n_kinds when the kinds are mixed. */
static size_t main_kind(const evm_layout_t *L, const evm_cluster_t *c,
                        size_t *tally)
{
    memset(tally, 0, L->n_kinds * sizeof *tally);
    size_t best = L->event_kind[c->seed];
    for (size_t m = 0; m < c->count; m++) {
        size_t k = L->event_kind[L->cluster_members[c->first + m]];
        if (++tally[k] > tally[best])
            best = k;
    }
    return 3 * tally[best] >= 2 * c->count ? best : L->n_kinds;
}

evm_item_t *evm_layout_bubble(evm_layout_t *L, evm_layer_id layer,
                              const char *id, const char *cls, evm_point_t c,
                              double r_px, const evm_rgba_t *fill)
{
    /* Mixed kinds: a neutral grey, no kind's colour. */
    evm_kind_style_t style = {.shape = EVM_SHAPE_CIRCLE};
    style.fill = fill ? *fill : evm_rgb_hex(0x9A9A9A);
    evm_item_t *it = evm_layout_marker(L, layer, id, cls, -1, c, r_px, &style);
    if (it)
        it->style.fill.a = 0.85;
    return it;
}

evm_status evm_layout_bubble_count(evm_layout_t *L, evm_layer_id layer,
                                   const char *id, evm_point_t c,
                                   const char *text)
{
    double w, h, size = 6.5;
    evm_layout_measure(L, text, size, EVM_WEIGHT_BOLD, &w, &h);
    return evm_layout_text(L, layer, id, "cluster-count", text, size,
                           EVM_WEIGHT_BOLD, L->pal->text, c.x - w / 2,
                           c.y - h / 2)
               ? EVM_OK
               : EVM_ERR_NOMEM;
}

/* The bubble of cluster k: a circle carrying its count and members, the
 * count written on it. */
static evm_status add_bubble(evm_layout_t *L, size_t k, size_t *tally)
{
    const evm_cluster_t *c = &L->clusters[k];
    size_t kind = main_kind(L, c, tally);
    bool mixed = kind == L->n_kinds;
    char id[48], cls[128], num[32];
    snprintf(id, sizeof id, "cluster-%zu", k + 1);
    snprintf(cls, sizeof cls, "cluster %s",
             mixed ? "mixed" : L->kind_classes[kind]);
    evm_item_t *it =
        evm_layout_bubble(L, EVM_LAYER_EVENTS, id, cls, c->c, c->r_px,
                          mixed ? NULL : &L->kind_styles[kind].fill);
    if (!it)
        return EVM_ERR_NOMEM;
    /* The first members, then how many in all. */
    char members[CLUSTER_MEMBERS_MAX * 12 + 1];
    size_t len = 0, shown = c->count < CLUSTER_MEMBERS_MAX
                                ? c->count
                                : (size_t)CLUSTER_MEMBERS_MAX;
    members[0] = '\0';
    for (size_t m = 0; m < shown; m++)
        len += (size_t)snprintf(members + len, sizeof members - len, "%s%u",
                                m ? " " : "",
                                L->cluster_members[c->first + m] + 1);
    snprintf(num, sizeof num, "%zu", c->count);
    if (evm_item_add_data(it, "count", num) ||
        evm_item_add_data(it, "members", members))
        return nomem(L);
    char text[32];
    evm_cluster_count_text(c->count, text, sizeof text);
    snprintf(id, sizeof id, "cluster-%zu-count", k + 1);
    return evm_layout_bubble_count(L, EVM_LAYER_EVENTS, id, c->c, text);
}

/* Orders clusters by count, smallest first, so that the largest bubbles
 * are painted on top. */
typedef struct by_count {
    size_t count, k;
} by_count_t;

static int cmp_by_count(const void *a, const void *b)
{
    const by_count_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? -1 : 1;
    return x->k < y->k ? 1 : x->k > y->k ? -1 : 0;
}

evm_point_t evm_marker_centre(const evm_layout_t *L, size_t i)
{
    uint32_t k = L->cluster_of ? L->cluster_of[i] : EVM_NO_CLUSTER;
    return k == EVM_NO_CLUSTER ? L->marker_xy[i] : L->clusters[k].c;
}

double evm_marker_radius_of(const evm_layout_t *L, size_t i)
{
    uint32_t k = L->cluster_of ? L->cluster_of[i] : EVM_NO_CLUSTER;
    return k == EVM_NO_CLUSTER ? L->marker_r[i] : L->clusters[k].r_px;
}

evm_status evm_layout_cluster_items(evm_layout_t *L)
{
    size_t nk = L->n_clusters;
    by_count_t *o = evm_alloc_array(nk ? nk : 1, sizeof *o);
    size_t *tally = calloc(L->n_kinds ? L->n_kinds : 1, sizeof *tally);
    if (!o || !tally) {
        free(o);
        free(tally);
        return nomem(L);
    }
    for (size_t k = 0; k < nk; k++)
        o[k] = (by_count_t){L->clusters[k].count, k};
    qsort(o, nk, sizeof *o, cmp_by_count);
    evm_status st = EVM_OK;
    for (size_t j = 0; j < nk && !st; j++) {
        size_t k = o[j].k;
        const evm_cluster_t *c = &L->clusters[k];
        size_t seed = c->seed;
        /* The seed stands for its cluster in label placement
         * (evm_marker_centre). */
        if (c->count == 1) {
            char id[128];
            snprintf(id, sizeof id, "event-%s", L->scene->events[seed].slug);
            size_t kind = L->event_kind[seed];
            if (!evm_layout_marker(L, EVM_LAYER_EVENTS, id,
                                   L->kind_classes[kind], (long)seed, c->c,
                                   c->r_px, &L->kind_styles[kind]))
                st = EVM_ERR_NOMEM;
        } else {
            st = add_bubble(L, k, tally);
        }
        double pad = c->r_px + 0.4 * L->pt_px;
        evm_rect_t box = {c->c.x - pad, c->c.y - pad, 2 * pad, 2 * pad};
        if (!st)
            st = evm_layout_obstacle(L, box);
        if (!st && evm_grid_index_add(&L->marker_grid, (uint32_t)seed, box))
            st = nomem(L);
    }
    free(o);
    free(tally);
    return st;
}
