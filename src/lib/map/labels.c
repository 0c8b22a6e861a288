/* Label placement, scored so that a reader's reading is the right one.
 *
 * Events are labelled in priority order (evm_layout_label_order): a
 * --label-priority column, else kinds that name a capital, then earlier
 * rows; a higher-priority label is placed first and so takes the place a
 * lower one would have had. For each label the eight positions round its
 * marker (right, upper right, lower right, left, upper left, lower left,
 * above, below; left first for right-to-left text) are tried. A position
 * is possible when its box stays in the frame, meets no marker, label,
 * leader or furniture, and no other marker is as near to the box as its
 * own (centre to box): a reader takes the nearest marker for the
 * label's. Of the possible positions the one of least score wins: its
 * rank in the order above, plus a penalty for every other marker (and so
 * that marker's own label slots) close to the box, which sends labels to
 * the side away from their neighbours, plus one for sitting on a route
 * or distance line. Failing that the label moves out on a leader, at
 * most three label heights long, that passes through no marker or label
 * and crosses no other leader. Failing that the label is omitted and
 * counted, never put where it would be misread.
 *
 * Before any text is shaped, a label's smallest possible box (a lower
 * bound of its width) is tried: in a crowd where even that has no
 * place, the label is omitted without asking Pango, which keeps maps of
 * 100,000 points fast. Labels wider than 16 em wrap to two lines at the
 * space nearest their middle. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/num.h"
#include "map/layout_internal.h"
#include "text/text.h"

static const double LABEL_PT = EVM_LABEL_PT;
/* Labels wider than this many em wrap to two lines. */
static const double WRAP_EM = 16;
/* The longest leader, in label heights. */
static const double LEADER_MAX_H = 3;
/* The most labels of a map that search the free space round their
 * marker for a callout (find_callout): enough for the crowded corners
 * of maps people label, and a bound on the cost where 100,000 events
 * crowd each other out. */
static const size_t CALLOUT_SEARCHES = 32;
/* The most labels of a map that look ahead for their neighbours
 * (pick_leaving_room), for the same reason. */
static const size_t LOOKAHEAD_LABELS = 64;

/* ---- priority ---------------------------------------------------------- */

typedef struct ranked {
    double key; /* higher first */
    size_t index;
} ranked_t;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Whether a kind names a capital ("capital", "Capital city"). */
static bool capital_kind(const char *kind)
{
    static const char word[] = "capital";
    for (const char *p = kind; *p; p++) {
        size_t k = 0;
        while (word[k] && (p[k] | 0x20) == word[k])
            k++;
        if (!word[k])
            return true;
    }
    return false;
}

/* The index of a column by name, or -1. */
static long column_index(const evm_layout_t *L, const char *name)
{
    size_t nc = evm_events_column_count(L->events);
    for (size_t c = 0; c < nc; c++)
        if (strcmp(evm_events_column_name(L->events, c), name) == 0)
            return (long)c;
    return -1;
}

evm_status evm_layout_label_order(evm_layout_t *L)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    L->order = evm_alloc_array(n ? n : 1, sizeof *L->order);
    L->label_strong = calloc(n ? n : 1, sizeof *L->label_strong);
    ranked_t *r = evm_alloc_array(n ? n : 1, sizeof *r);
    if (!L->order || !L->label_strong || !r) {
        free(r);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    }
    const char *col = L->opt->label_priority_col;
    long c = -1;
    if (col && *col && n && (c = column_index(L, col)) < 0) {
        free(r);
        return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "label-priority: the events have no column "
                             "\"%.80s\"",
                             col);
    }
    for (size_t i = 0; i < n; i++) {
        double key;
        if (c >= 0) {
            const char *v = evm_events_value(L->events, i, (size_t)c);
            char *end;
            key = v ? evm_num_strtod(v, &end) : NAN;
            if (!v || end == v || *end || !isfinite(key))
                key = -INFINITY; /* empty or not a number: last */
        } else {
            key = capital_kind(evm_events_get(L->events, i)->kind) ? 1 : 0;
        }
        r[i] = (ranked_t){key, i};
    }
    qsort(r, n, sizeof *r, cmp_ranked);
    /* Semi-bold: capitals, or the top tenth by the priority column. */
    for (size_t i = 0; i < n; i++) {
        L->order[i] = r[i].index;
        L->label_strong[r[i].index] =
            c >= 0 ? i < (n + 9) / 10 && isfinite(r[i].key) : r[i].key > 0;
    }
    free(r);
    return EVM_OK;
}

/* ---- geometry ---------------------------------------------------------- */

static bool box_free(evm_layout_t *L, evm_rect_t b)
{
    evm_rect_t f = L->scene->frame;
    double in = 2;
    if (b.x < f.x + in || b.y < f.y + in || b.x + b.w > f.x + f.w - in ||
        b.y + b.h > f.y + f.h - in)
        return false;
    if (L->has_phantom && evm_rects_overlap(b, L->phantom.box))
        return false;
    return !evm_layout_blocked(L, b);
}

/* The point of box b nearest to c. */
static evm_point_t nearest_on_box(evm_rect_t b, evm_point_t c)
{
    return (evm_point_t){fmin(fmax(c.x, b.x), b.x + b.w),
                         fmin(fmax(c.y, b.y), b.y + b.h)};
}

double evm_point_box_distance(evm_point_t p, evm_rect_t b)
{
    evm_point_t q = nearest_on_box(b, p);
    return hypot(q.x - p.x, q.y - p.y);
}

static evm_rect_t inset(evm_rect_t b, double d)
{
    return (evm_rect_t){b.x + d, b.y + d, b.w - 2 * d, b.h - 2 * d};
}

static double cross(evm_point_t o, evm_point_t a, evm_point_t b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/* Whether segments a-b and c-d cross or touch. */
static bool segments_meet(evm_point_t a, evm_point_t b, evm_point_t c,
                          evm_point_t d)
{
    double d1 = cross(c, d, a), d2 = cross(c, d, b);
    double d3 = cross(a, b, c), d4 = cross(a, b, d);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
        ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        return true;
    evm_rect_t ab = {fmin(a.x, b.x), fmin(a.y, b.y), fabs(b.x - a.x),
                     fabs(b.y - a.y)};
    evm_rect_t cd = {fmin(c.x, d.x), fmin(c.y, d.y), fabs(d.x - c.x),
                     fabs(d.y - c.y)};
    return (d1 == 0 && c.x <= fmax(a.x, b.x) && evm_rects_overlap(ab, cd)) ||
           (d3 == 0 && evm_rects_overlap(ab, cd) && d2 == 0 && d4 == 0);
}

/* ---- leaders drawn so far ----------------------------------------------- */

static evm_rect_t seg_rect(evm_point_t a, evm_point_t b)
{
    return (evm_rect_t){fmin(a.x, b.x), fmin(a.y, b.y), fabs(b.x - a.x),
                        fabs(b.y - a.y)};
}

typedef struct leader_hit {
    const evm_layout_t *L;
    evm_rect_t box;   /* a box to test, or */
    evm_point_t a, b; /* a segment to test */
    bool segment, hit;
} leader_hit_t;

static bool leader_hit_visit(void *user, uint32_t item)
{
    leader_hit_t *q = user;
    evm_point_t u = q->L->leader_segs[2 * (size_t)item],
                v = q->L->leader_segs[2 * (size_t)item + 1];
    q->hit = q->segment ? segments_meet(q->a, q->b, u, v)
                        : evm_segment_meets_rect(u, v, q->box);
    return !q->hit;
}

static bool leaders_meet_box(evm_layout_t *L, evm_rect_t box)
{
    if (L->has_phantom && L->phantom.leader &&
        evm_segment_meets_rect(L->phantom.from, L->phantom.to, box))
        return true;
    if (!L->n_leader_segs)
        return false;
    leader_hit_t q = {L, box, {0, 0}, {0, 0}, false, false};
    evm_grid_index_visit(&L->leader_grid, box, leader_hit_visit, &q);
    return q.hit;
}

static bool leaders_cross(evm_layout_t *L, evm_point_t a, evm_point_t b)
{
    if (!L->n_leader_segs)
        return false;
    leader_hit_t q = {L, {0, 0, 0, 0}, a, b, true, false};
    evm_grid_index_visit(&L->leader_grid, seg_rect(a, b), leader_hit_visit, &q);
    return q.hit;
}

static evm_status leader_add(evm_layout_t *L, evm_point_t a, evm_point_t b)
{
    if (evm_grow((void **)&L->leader_segs, &L->cap_leader_segs,
                 2 * (L->n_leader_segs + 1), sizeof *L->leader_segs) ||
        evm_grid_index_add(&L->leader_grid, (uint32_t)L->n_leader_segs,
                           seg_rect(a, b)))
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory placing leaders");
    L->leader_segs[2 * L->n_leader_segs] = a;
    L->leader_segs[2 * L->n_leader_segs + 1] = b;
    L->n_leader_segs++;
    return EVM_OK;
}

/* ---- markers near a box ------------------------------------------------- */

typedef struct near_query {
    const evm_layout_t *L;
    const evm_label_spot_t *spot;
    evm_rect_t text; /* the label's text box */
    double own_d;    /* its own anchor's distance to the text box */
    double reach;    /* markers within own_d + reach score */
    bool ambiguous;  /* another marker is as near as the anchor */
    double penalty;
} near_query_t;

static bool near_visit(void *user, uint32_t item)
{
    near_query_t *q = user;
    if ((long)item == q->spot->event)
        return true;
    evm_point_t m = evm_marker_centre(q->L, item);
    double d = evm_point_box_distance(m, q->text);
    /* A quarter pixel of slack: equal distances read as ambiguous. */
    if (d < q->own_d + 0.25) {
        q->ambiguous = true;
        return false;
    }
    if (d < q->own_d + q->reach)
        q->penalty += 3 * (1 - (d - q->own_d) / q->reach);
    return true;
}

/* Scores box b (with its halo) for the spot: false when another marker
 * is as near to the text as the anchor is; else adds the neighbours'
 * penalty to *score. */
static bool unambiguous(evm_layout_t *L, const evm_label_spot_t *s,
                        evm_rect_t b, bool cheap, double *score)
{
    near_query_t q = {0};
    q.L = L;
    q.spot = s;
    q.text = inset(b, s->halo_px);
    q.own_d = evm_point_box_distance(s->anchor, q.text);
    q.reach = cheap ? 1 : 2 * s->h;
    double grow = q.own_d + q.reach;
    evm_rect_t area = {q.text.x - grow, q.text.y - grow, q.text.w + 2 * grow,
                       q.text.h + 2 * grow};
    evm_grid_index_visit(&L->marker_grid, area, near_visit, &q);
    if (score)
        *score += q.penalty;
    return !q.ambiguous;
}

typedef struct leader_query {
    const evm_layout_t *L;
    evm_point_t a, b;
    evm_point_t own; /* the centre of the label's own marker */
    bool blocked;
} leader_query_t;

static bool leader_visit(void *user, uint32_t item)
{
    leader_query_t *q = user;
    evm_rect_t o = q->L->obstacles[item];
    /* The leader starts on its own marker's rim. */
    if (fabs(o.x + o.w / 2 - q->own.x) < 1e-6 &&
        fabs(o.y + o.h / 2 - q->own.y) < 1e-6)
        return true;
    q->blocked = evm_segment_meets_rect(q->a, q->b, o);
    return !q->blocked;
}

/* Whether a leader a-b passes clear of every marker but its own (their
 * obstacle boxes hold them), every label and furniture, and crosses no
 * other leader. */
static bool leader_clear(evm_layout_t *L, evm_point_t a, evm_point_t b,
                         evm_point_t own)
{
    leader_query_t q = {L, a, b, own, false};
    if (L->has_phantom &&
        (evm_segment_meets_rect(a, b, L->phantom.box) ||
         (L->phantom.leader &&
          segments_meet(a, b, L->phantom.from, L->phantom.to))))
        return false;
    evm_grid_index_visit(&L->obstacle_grid, seg_rect(a, b), leader_visit, &q);
    return !q.blocked && !leaders_cross(L, a, b);
}

/* ---- finding a place ----------------------------------------------------- */

static bool try_box(evm_layout_t *L, const evm_label_spot_t *s, evm_rect_t b,
                    bool cheap, double *score)
{
    if (!box_free(L, b) || leaders_meet_box(L, inset(b, s->halo_px)))
        return false;
    if (!unambiguous(L, s, b, cheap, score))
        return false;
    if (!cheap && evm_layout_on_lines(L, b))
        *score += 2;
    return true;
}

/* How many of the neighbours still waiting for their labels
 * (s->pending: those that had a place before) fit would leave without
 * a place, round their markers or on a leader, a twin counting
 * double. Otherwise a label may
 * take the only place its neighbour had: on a world map of 600 px,
 * Seoul's label above the pair took Pyongyang's (4 px apart) where
 * Seoul had room below. */
static size_t neighbours_left_out(evm_layout_t *L, const evm_label_spot_t *s,
                                  const evm_label_fit_t *fit)
{
    L->phantom = *fit;
    L->has_phantom = true;
    size_t out = 0;
    for (size_t j = 0; j < s->n_pending; j++) {
        evm_label_fit_t f;
        const evm_label_spot_t *n = &s->pending[j];
        if (evm_label_find(L, n, true, &f))
            continue;
        /* A neighbour whose marker touches this one (a twin) has no
         * other places than round the pair: its loss counts double. */
        double d = hypot(n->anchor.x - s->anchor.x, n->anchor.y - s->anchor.y);
        out += d < n->r_px + s->r_px ? 2 : 1;
    }
    L->has_phantom = false;
    return out;
}

/* Keys of places: a neighbour left without a place outweighs all else;
 * then a place round the marker comes before one on a ring, before a
 * callout; then the score. */
static const double KEY_LEFT_OUT = 1000, KEY_RING = 100, KEY_CALLOUT = 200;

/* Takes fit when its key (without the neighbours) is below *best, and
 * so it stays once the neighbours it leaves out count. */
static bool take(evm_layout_t *L, const evm_label_spot_t *s, bool cheap,
                 const evm_label_fit_t *fit, double key, double *best,
                 evm_label_fit_t *out)
{
    if (key >= *best)
        return false;
    if (!cheap && s->n_pending) {
        key += KEY_LEFT_OUT * (double)neighbours_left_out(L, s, fit);
        if (key >= *best)
            return false;
    }
    *best = key;
    *out = *fit;
    return true;
}

/* The other markers near a callout's reach (find_callout). */
typedef struct near_markers {
    const evm_layout_t *L;
    long self;
    evm_point_t *xy;
    size_t n, cap;
    bool nomem;
} near_markers_t;

static bool near_markers_visit(void *user, uint32_t item)
{
    near_markers_t *q = user;
    if ((long)item == q->self)
        return true;
    if (evm_grow((void **)&q->xy, &q->cap, q->n + 1, sizeof *q->xy)) {
        q->nomem = true;
        return false;
    }
    q->xy[q->n++] = evm_marker_centre(q->L, item);
    return true;
}

/* Turns the unit vector (x, y) by the angle of cosine c and sine s,
 * clockwise on the page. */
static void turn(double *x, double *y, double c, double s)
{
    double nx = *x * c + *y * s;
    *y = *y * c - *x * s;
    *x = nx;
}

/* Sorts the n points by their distance from c (n is small). */
static void sort_by_distance(evm_point_t *p, size_t n, evm_point_t c)
{
    for (size_t i = 1; i < n; i++) {
        evm_point_t v = p[i];
        double d = hypot(v.x - c.x, v.y - c.y);
        size_t j = i;
        for (; j > 0 && hypot(p[j - 1].x - c.x, p[j - 1].y - c.y) > d; j--)
            p[j] = p[j - 1];
        p[j] = v;
    }
}

/* At most this many boxes tried by one callout search. */
static const int CALLOUT_TRIES = 1500;
/* No callout search among more markers than this within its reach. */
static const size_t CALLOUT_CROWD = 20;
/* A callout box nearer its marker than this (pt beyond the rim) gets no
 * leader: it sits beside its marker as a label round it does. */
static const double LEADER_MIN_PT = 2.25;

/* A callout: the label out in free space, anywhere its leader (at most
 * LEADER_MAX_H label heights) can reach. Round a marker pressed between
 * others (Seoul between Pyongyang and Cheongju on a small map), the
 * points nearer to its own marker than to any other form a narrow wedge
 * away from the neighbours, which the rings of evm_label_find cross
 * only by chance. So the points q round the marker are scanned ring by
 * ring, a pixel apart, nearest first; a point nearer to another marker
 * is passed over (a box through q is at least that near to it), and at
 * the others a box is tried with q as its corner facing the marker, and
 * with q in the middle of its side facing the marker. The same rules
 * hold as for a leader on a ring; the shortest leader wins, plus the
 * neighbours' penalty. */
static bool find_callout(evm_layout_t *L, const evm_label_spot_t *s, bool cheap,
                         double *best, evm_label_fit_t *out)
{
    evm_point_t c = s->anchor;
    double r = s->r_px, w = s->w, h = s->h, hp = s->halo_px;
    double max_len = LEADER_MAX_H * h;
    double t0 = r + hp + 0.5, t1 = r + max_len + hp;
    near_markers_t nm = {L, s->event, NULL, 0, 0, false};
    evm_rect_t area = {c.x - t1, c.y - t1, 2 * t1, 2 * t1};
    evm_grid_index_visit(&L->marker_grid, area, near_markers_visit, &nm);
    /* In a crowd there is no free space to find, and each point scanned
     * would cost every marker of the crowd. */
    if (nm.nomem || nm.n > CALLOUT_CROWD) {
        free(nm.xy);
        return false;
    }
    /* Nearest first: on the ring of radius t only markers within 2t of
     * the anchor can be nearer to a point of it. */
    sort_by_distance(nm.xy, nm.n, c);
    bool found = false;
    int tries = 0;
    size_t n_near = 0;
    for (double t = t0; t <= t1 && tries < CALLOUT_TRIES; t += 1) {
        while (n_near < nm.n &&
               hypot(nm.xy[n_near].x - c.x, nm.xy[n_near].y - c.y) <= 2 * t + 1)
            n_near++;
        /* Every candidate from here on has a leader at least this long. */
        if (KEY_CALLOUT + (t - hp - r) / h >= *best)
            break;
        int n_dir = (int)ceil(2 * 3.14159265358979323846 * t);
        /* The direction turned step by step (no sine per point). */
        double da = 2 * 3.14159265358979323846 / n_dir;
        double cd = cos(da), sd = sin(da), ux = 1, uy = 0;
        double mine_d2 = (t + 0.25) * (t + 0.25);
        for (int k = 0; k < n_dir && tries < CALLOUT_TRIES;
             k++, turn(&ux, &uy, cd, sd)) {
            evm_point_t q = {c.x + t * ux, c.y + t * uy};
            bool mine = true;
            for (size_t m = 0; m < n_near && mine; m++) {
                double dx = q.x - nm.xy[m].x, dy = q.y - nm.xy[m].y;
                mine = dx * dx + dy * dy > mine_d2;
            }
            if (!mine)
                continue;
            /* q is a point of the text box; the box with its halo. */
            double tx = ux >= 0 ? q.x - hp : q.x - w + hp;
            double ty = uy >= 0 ? q.y - hp : q.y - h + hp;
            evm_rect_t cand[2] = {{tx, ty, w, h}, {tx, ty, w, h}};
            if (fabs(ux) >= fabs(uy))
                cand[1].y = q.y - h / 2;
            else
                cand[1].x = q.x - w / 2;
            for (int j = 0; j < 2; j++) {
                evm_rect_t b = cand[j];
                evm_point_t to = nearest_on_box(inset(b, hp), c);
                double len = hypot(to.x - c.x, to.y - c.y);
                if (len - r > max_len || len <= r)
                    continue;
                double score = KEY_CALLOUT + (len - r) / h;
                if (score >= *best)
                    continue;
                tries++;
                if (!try_box(L, s, b, cheap, &score) || score >= *best)
                    continue;
                evm_point_t from = {c.x + (to.x - c.x) * r / len,
                                    c.y + (to.y - c.y) * r / len};
                /* A box this close needs no leader to show its marker. */
                bool leader = len - r >= LEADER_MIN_PT * L->pt_px;
                if (leader && !leader_clear(L, from, to, c))
                    continue;
                evm_label_fit_t fit = {b, leader, from, to};
                if (!take(L, s, cheap, &fit, score, best, out))
                    continue;
                found = true;
                if (cheap) {
                    free(nm.xy);
                    return true;
                }
            }
        }
    }
    free(nm.xy);
    return found;
}

bool evm_label_find(evm_layout_t *L, const evm_label_spot_t *s, bool cheap,
                    evm_label_fit_t *out)
{
    evm_point_t c = s->anchor;
    double r = s->r_px, w = s->w, h = s->h;
    double g = 1.2 * L->pt_px, d = r + g;
    /* Right, upper right, lower right, left, upper left, lower left,
     * above, below; right-to-left text takes the left first. */
    const evm_point_t near[16] = {
        {c.x + r + g, c.y - h / 2},
        {c.x + d, c.y - d - h},
        {c.x + d, c.y + d},
        {c.x - r - g - w, c.y - h / 2},
        {c.x - d - w, c.y - d - h},
        {c.x - d - w, c.y + d},
        {c.x - w / 2, c.y - r - g - h},
        {c.x - w / 2, c.y + r + g},
        /* Slid along the marker: right and left, higher and lower;
         * above and below, to either side. */
        {c.x + r + g, c.y - h + r},
        {c.x + r + g, c.y - r},
        {c.x - r - g - w, c.y - h + r},
        {c.x - r - g - w, c.y - r},
        {c.x - r, c.y - r - g - h},
        {c.x + r - w, c.y - r - g - h},
        {c.x - r, c.y + r + g},
        {c.x + r - w, c.y + r + g}};
    static const double rank[16] = {0,   0.6, 0.8, 1.0, 1.5, 1.7, 2.0, 2.2,
                                    0.3, 0.4, 1.3, 1.4, 2.1, 2.1, 2.3, 2.3};
    static const int rtl_map[16] = {3,  4,  5, 0, 1,  2,  6,  7,
                                    10, 11, 8, 9, 13, 12, 15, 14};
    double best = INFINITY;
    for (int k = 0; k < 16; k++) {
        int i = s->rtl ? rtl_map[k] : k;
        evm_label_fit_t fit = {
            {near[i].x, near[i].y, w, h}, false, {0, 0}, {0, 0}};
        double score = rank[k];
        if (!try_box(L, s, fit.box, cheap, &score))
            continue;
        if (take(L, s, cheap, &fit, score, &best, out) && cheap)
            return true;
    }
    if (best < KEY_LEFT_OUT || !s->leader_ok)
        return best < INFINITY;
    /* On a leader: rings one label height apart, sixteen directions. */
    double max_len = LEADER_MAX_H * h;
    for (int ring = 1; ring <= (int)LEADER_MAX_H; ring++) {
        double R = r + g + ring * h;
        for (int k = 0; k < 16; k++) {
            double a = k * (3.14159265358979323846 / 8);
            double ca = cos(a), sa = sin(a);
            evm_point_t p = {c.x + R * ca, c.y - R * sa};
            evm_rect_t b;
            /* Anchor the box by the side facing the marker. */
            if (fabs(ca) >= fabs(sa))
                b = (evm_rect_t){ca > 0 ? p.x : p.x - w, p.y - h / 2, w, h};
            else
                b = (evm_rect_t){p.x - w / 2, sa > 0 ? p.y - h : p.y, w, h};
            double score = KEY_RING + 0.05 * k;
            if (!try_box(L, s, b, cheap, &score))
                continue;
            evm_point_t to = nearest_on_box(inset(b, s->halo_px), c);
            double len = hypot(to.x - c.x, to.y - c.y);
            if (len <= r || len - r > max_len)
                continue;
            evm_point_t from = {c.x + (to.x - c.x) * r / len,
                                c.y + (to.y - c.y) * r / len};
            if (!leader_clear(L, from, to, c))
                continue;
            evm_label_fit_t fit = {b, true, from, to};
            if (take(L, s, cheap, &fit, score, &best, out) && cheap)
                return true;
        }
        if (best < KEY_LEFT_OUT)
            return true;
    }
    if (s->callout_ok)
        find_callout(L, s, cheap, &best, out);
    return best < INFINITY;
}

/* ---- event labels -------------------------------------------------------- */

static evm_status omit(evm_layout_t *L, long event, const char *text,
                       const char *reason)
{
    return evm_layout_omit(L, EVM_OMIT_LABEL, (size_t)event, text, reason);
}

evm_status evm_label_commit(evm_layout_t *L, const evm_label_fit_t *fit,
                            const char *leader_id, long event)
{
    evm_status st = evm_layout_obstacle(L, fit->box);
    if (st || !fit->leader)
        return st;
    if ((st = leader_add(L, fit->from, fit->to)))
        return st;
    evm_item_t it = {0};
    it.kind = EVM_ITEM_PATH;
    it.id = (char *)leader_id;
    it.cls = (char *)"leader";
    it.event = event;
    it.style.stroke = L->pal->subtle_text;
    it.style.stroke_px = 0.6 * L->pt_px;
    if (evm_path_move_to(&it.path, fit->from.x, fit->from.y) ||
        evm_path_line_to(&it.path, fit->to.x, fit->to.y) ||
        !evm_scene_add(L->scene, EVM_LAYER_LABELS, &it)) {
        evm_path_free(&it.path);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory adding a leader line");
    }
    return EVM_OK;
}

/* A label's text: the label column's cell, else the event's name. */
static const char *label_text(const evm_layout_t *L, long col, size_t i)
{
    if (col >= 0) {
        const char *v = evm_events_value(L->events, i, (size_t)col);
        return v ? v : "";
    }
    return evm_events_get(L->events, i)->name;
}

/* The byte offset of the ASCII space nearest the middle of text, or 0. */
static size_t wrap_point(const char *text)
{
    size_t n = strlen(text), best = 0;
    double best_d = INFINITY;
    for (size_t i = 1; i + 1 < n; i++)
        if (text[i] == ' ' && fabs((double)i - (double)n / 2) < best_d) {
            best_d = fabs((double)i - (double)n / 2);
            best = i;
        }
    return best;
}

/* A label measured: one line, or two split at a space. */
typedef struct shaped {
    char *line[2]; /* line[1] NULL for one line */
    double w, h, line_h;
    bool glyphs, rtl;
} shaped_t;

static void shaped_free(shaped_t *t)
{
    free(t->line[0]);
    free(t->line[1]);
}

static evm_status shape(evm_layout_t *L, const char *text,
                        evm_font_weight weight, shaped_t *out)
{
    memset(out, 0, sizeof *out);
    evm_text_measure(evm_layout_text_begin(L), text, L->font,
                     LABEL_PT * L->pt_px, weight, false, &out->w, &out->h,
                     &out->glyphs, &out->rtl);
    evm_layout_text_end(L);
    out->line_h = out->h;
    out->line[0] = evm_strdup(text);
    if (!out->line[0])
        return EVM_ERR_NOMEM;
    size_t cut = wrap_point(text);
    if (out->w <= WRAP_EM * LABEL_PT * L->pt_px || !cut)
        return EVM_OK;
    out->line[0][cut] = '\0';
    out->line[1] = evm_strdup(text + cut + 1);
    if (!out->line[1])
        return EVM_ERR_NOMEM;
    double w0, w1, h1;
    evm_layout_measure(L, out->line[0], LABEL_PT, weight, &w0, &out->line_h);
    evm_layout_measure(L, out->line[1], LABEL_PT, weight, &w1, &h1);
    out->w = fmax(w0, w1);
    out->h = out->line_h + h1;
    return EVM_OK;
}

/* A lower bound of a label's width before shaping: the narrowest glyphs
 * of the usual fonts are about a quarter em; a wrapped label is at least
 * half as wide. */
static double min_width(const evm_layout_t *L, const char *text)
{
    double n = (double)g_utf8_strlen(text, -1);
    double w = n * 0.22 * LABEL_PT * L->pt_px;
    return w > WRAP_EM * LABEL_PT * L->pt_px ? w / 2 : w;
}

/* Neighbours of a label whose labels are still to come (pending_near). */
typedef struct pending_query {
    const evm_layout_t *L;
    size_t self;
    evm_point_t at;
    size_t ev[EVM_LABEL_PENDING_MAX];
    double d[EVM_LABEL_PENDING_MAX];
    size_t n;
} pending_query_t;

static bool pending_visit(void *user, uint32_t item)
{
    pending_query_t *q = user;
    const evm_layout_t *L = q->L;
    if (item == q->self || L->label_tried[item] || !L->event_shown[item])
        return true;
    evm_point_t m = evm_marker_centre(L, item);
    double d = hypot(m.x - q->at.x, m.y - q->at.y);
    /* Keep the nearest few, nearest first. */
    size_t k = q->n < EVM_LABEL_PENDING_MAX ? q->n++ : q->n;
    while (k > 0 && q->d[k - 1] > d) {
        if (k < EVM_LABEL_PENDING_MAX) {
            q->ev[k] = q->ev[k - 1];
            q->d[k] = q->d[k - 1];
        }
        k--;
    }
    if (k < EVM_LABEL_PENDING_MAX) {
        q->ev[k] = item;
        q->d[k] = d;
    }
    return true;
}

/* The labels still to come of the nearest few markers within the
 * spot's width and two of its heights, as spots of their measured
 * boxes (out holds EVM_LABEL_PENDING_MAX); how many. */
static size_t pending_near(evm_layout_t *L, const evm_label_spot_t *spot,
                           long col, evm_label_spot_t *out)
{
    pending_query_t q = {0};
    q.L = L;
    q.self = (size_t)spot->event;
    q.at = spot->anchor;
    double reach = spot->w + 2 * spot->h;
    evm_rect_t area = {q.at.x - reach, q.at.y - reach, 2 * reach, 2 * reach};
    evm_grid_index_visit(&L->marker_grid, area, pending_visit, &q);
    size_t n = 0;
    for (size_t k = 0; k < q.n; k++) {
        size_t j = q.ev[k];
        const char *text = label_text(L, col, j);
        if (!*text || q.d[k] > reach)
            continue;
        shaped_t t;
        evm_font_weight weight =
            L->label_strong[j] ? EVM_WEIGHT_SEMIBOLD : EVM_WEIGHT_NORMAL;
        if (shape(L, text, weight, &t) == EVM_OK && t.glyphs) {
            evm_label_spot_t *o = &out[n++];
            *o = *spot;
            o->anchor = evm_marker_centre(L, j);
            o->r_px = evm_marker_radius_of(L, j);
            o->event = (long)j;
            o->w = t.w + 2 * spot->halo_px;
            o->h = t.h + 2 * spot->halo_px;
            o->rtl = t.rtl;
            o->callout_ok = false;
            o->pending = NULL;
            o->n_pending = 0;
        }
        shaped_free(&t);
    }
    return n;
}

/* What a label is for: an event's marker, or a cluster's bubble (then
 * cluster is its 1-based number, and the label shows its seed's name). */
typedef struct label_job {
    size_t i; /* the event whose marker (or cluster's seed) anchors it */
    size_t cluster;
} label_job_t;

/* evm_label_find, and when it finds no place, a callout search
 * (find_callout) while the map has callouts left. A label that looks
 * ahead for its neighbours may need a callout to leave them room, so it
 * has one from the start. */
static bool find_counting_callouts(evm_layout_t *L, evm_label_spot_t *spot,
                                   bool cheap, evm_label_fit_t *fit)
{
    if (spot->n_pending && !spot->callout_ok &&
        L->n_callout_searches < CALLOUT_SEARCHES) {
        L->n_callout_searches++;
        spot->callout_ok = true;
    }
    if (evm_label_find(L, spot, cheap, fit))
        return true;
    if (spot->callout_ok || L->n_callout_searches >= CALLOUT_SEARCHES)
        return false;
    L->n_callout_searches++;
    spot->callout_ok = true;
    /* Only the callout is new: the places round the marker and on the
     * rings, tried again, would take nothing again (a search that takes
     * nothing changes nothing it reads). */
    double best = INFINITY;
    if (spot->leader_ok)
        find_callout(L, spot, cheap, &best, fit);
    return best < INFINITY;
}

static evm_status place_event_label(evm_layout_t *L, const label_job_t *job,
                                    long col, double line_h, bool *placed)
{
    size_t i = job->i;
    const char *text = label_text(L, col, i);
    *placed = false;
    if (!*text)
        return EVM_OK;
    L->scene->n_labels_wanted++;
    if (L->label_budget == 0)
        return omit(L, (long)i, text,
                    "no room (the map's label budget is "
                    "spent on labels of higher priority)");
    L->label_budget--;
    double halo = 1.5 * L->pt_px;
    evm_label_spot_t spot = {0};
    spot.anchor = evm_marker_centre(L, i);
    spot.r_px = evm_marker_radius_of(L, i);
    spot.event = (long)i;
    spot.halo_px = halo;
    spot.leader_ok = true;
    spot.w = min_width(L, text) + 2 * halo;
    spot.h = line_h + 2 * halo;
    evm_label_fit_t fit;
    /* Cheap first: with no room for the smallest box, shaping is moot.
     * Callouts only for a bounded number of labels. */
    spot.callout_ok = false;
    if (!find_counting_callouts(L, &spot, true, &fit))
        return omit(L, (long)i, text, "no room");
    evm_font_weight weight = L->label_strong[i] || job->cluster
                                 ? EVM_WEIGHT_SEMIBOLD
                                 : EVM_WEIGHT_NORMAL;
    shaped_t t;
    evm_status st = shape(L, text, weight, &t);
    if (st) {
        shaped_free(&t);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    }
    if (!t.glyphs) {
        shaped_free(&t);
        return omit(L, (long)i, text, "no installed font has its glyphs");
    }
    spot.w = t.w + 2 * halo;
    spot.h = t.h + 2 * halo;
    spot.rtl = t.rtl;
    /* Room left for the neighbours: a bounded number of labels look
     * ahead, as for callouts. */
    evm_label_spot_t pending[EVM_LABEL_PENDING_MAX];
    if (L->label_tried && L->n_lookaheads < LOOKAHEAD_LABELS) {
        spot.pending = pending;
        size_t n = pending_near(L, &spot, col, pending);
        /* Only those that have a place now can lose it. */
        for (size_t k = 0; k < n; k++)
            if (evm_label_find(L, &pending[k], true, &fit))
                pending[spot.n_pending++] = pending[k];
        L->n_lookaheads += spot.n_pending > 0;
    }
    if (!find_counting_callouts(L, &spot, false, &fit)) {
        shaped_free(&t);
        return omit(L, (long)i, text, "no room");
    }
    /* A cluster's label names its seed but shows the bubble: it refers
     * to no event's marker. */
    char stem[96];
    if (job->cluster)
        snprintf(stem, sizeof stem, "cluster-%zu", job->cluster);
    else
        snprintf(stem, sizeof stem, "%s", L->scene->events[i].slug);
    long shows = job->cluster ? -1 : (long)i;
    const char *cls = L->kind_classes[L->event_kind[i]];
    char id[128];
    for (int k = 0; k < 2 && t.line[k]; k++) {
        double lw, lh;
        evm_layout_measure(L, t.line[k], LABEL_PT, weight, &lw, &lh);
        /* Lines centred in the box, as a block. */
        double x = fit.box.x + halo + (t.w - lw) / 2;
        if (!t.line[1])
            x = fit.box.x + halo;
        if (k)
            snprintf(id, sizeof id, "label-%s-line2", stem);
        else
            snprintf(id, sizeof id, "label-%s", stem);
        evm_item_t *it = evm_layout_text(
            L, EVM_LAYER_LABELS, id, job->cluster ? "cluster-label" : cls,
            t.line[k], LABEL_PT, weight, L->pal->text, x,
            fit.box.y + halo + k * t.line_h);
        if (!it) {
            shaped_free(&t);
            return EVM_ERR_NOMEM;
        }
        it->event = shows;
    }
    shaped_free(&t);
    snprintf(id, sizeof id, "leader-%s", stem);
    *placed = true;
    return evm_label_commit(L, &fit, id, shows);
}

/* Orders cluster labels: the largest clusters first, then by their
 * seeds' priority. */
typedef struct cluster_rank {
    size_t count, rank, k;
} cluster_rank_t;

static int cmp_cluster_rank(const void *a, const void *b)
{
    const cluster_rank_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Labels of a clustered map: a bubble is named after its seed when the
 * seed's priority means something (a --label-priority column, or a
 * capital), since the largest place of a cluster names it; otherwise its
 * count, written on it, is its label. A cluster of one is an event's
 * marker, labelled as such. */
static evm_status cluster_labels(evm_layout_t *L, long col, double line_h)
{
    size_t n = evm_events_count(L->events), nk = L->n_clusters;
    size_t *rank = evm_alloc_array(n ? n : 1, sizeof *rank);
    cluster_rank_t *o = evm_alloc_array(nk ? nk : 1, sizeof *o);
    if (!rank || !o) {
        free(rank);
        free(o);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    }
    for (size_t j = 0; j < n; j++)
        rank[L->order[j]] = j;
    bool named = L->opt->label_priority_col && *L->opt->label_priority_col;
    for (size_t k = 0; k < nk; k++)
        o[k] = (cluster_rank_t){L->clusters[k].count, rank[L->clusters[k].seed],
                                k};
    free(rank);
    qsort(o, nk, sizeof *o, cmp_cluster_rank);
    evm_status st = EVM_OK;
    for (size_t j = 0; j < nk && !st; j++) {
        const evm_cluster_t *c = &L->clusters[o[j].k];
        if (c->count > 1 && !named && !L->label_strong[c->seed])
            continue;
        label_job_t job = {c->seed, c->count > 1 ? o[j].k + 1 : 0};
        bool placed;
        st = place_event_label(L, &job, col, line_h, &placed);
    }
    free(o);
    return st;
}

/* The most labels a map tries to place: about one per 1,500 px^2 of the
 * frame (a label and its surroundings), and at least 1,000, so that the
 * maps people label by hand are never cut short while 100,000 events do
 * not cost 100,000 searches for room that is not there. */
static size_t label_budget(const evm_layout_t *L)
{
    evm_rect_t f = L->scene->frame;
    double b = f.w * f.h / (1500 * L->pt_px * L->pt_px / (4.0 / 3 * 4.0 / 3));
    return b > 1000 ? (size_t)b : 1000;
}

evm_status evm_layout_labels(evm_layout_t *L)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    if (!L->opt->labels || n == 0 || L->opt->density != EVM_DENSITY_NONE)
        return EVM_OK;
    long col = -1;
    const char *name = L->opt->label_col;
    if (name && *name && (col = column_index(L, name)) < 0)
        return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "label-col: the events have no column \"%.80s\"",
                             name);
    double w, line_h;
    evm_layout_measure(L, "Hg", LABEL_PT, EVM_WEIGHT_NORMAL, &w, &line_h);
    L->label_budget = label_budget(L);
    if (L->cluster_of)
        return cluster_labels(L, col, line_h);
    L->label_tried = calloc(n, sizeof *L->label_tried);
    if (!L->label_tried)
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    evm_status st = EVM_OK;
    for (size_t j = 0; j < n && !st; j++) {
        size_t i = L->order[j];
        if (!L->event_shown[i])
            continue;
        L->label_tried[i] = true;
        label_job_t job = {i, 0};
        bool placed;
        st = place_event_label(L, &job, col, line_h, &placed);
    }
    free(L->label_tried);
    L->label_tried = NULL;
    return st;
}
