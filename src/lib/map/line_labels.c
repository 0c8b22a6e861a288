/* Labels of lines: distance lines, lines to a border and route legs.
 *
 * A reader takes a label for the line nearest to it, so a line label is
 * placed where its own line is clearly the nearest. As cartographers do
 * (and as Mapnik's and QGIS's "line" placements do), the text follows
 * the line's local direction: at points along the drawn line, the
 * middle first, the chord over the label's length gives its angle
 * (turned so that it reads left to right, never upside down), and the
 * label sits beside the line on one side, clear of the curve's bulge.
 * Only gentle curves take a label: where the line bends more than half
 * the text's height under it, the place is skipped. A place is taken
 * when the label
 *  - stays in the frame and meets no marker, label, leader or furniture;
 *  - does not touch its own line, and every other line is at least the
 *    label's height away and NEAR_PX farther than its own;
 *  - keeps CROSS_PX from every point where two lines cross.
 * Failing that, the text names the line's ends ("Seoul–Honolulu
 * 7,323 km") and may then sit nearer other lines, as long as it touches
 * none. Failing that (a line too short for its text, a crowd), a level
 * label goes beside the line on a leader from a point of the line. A
 * label with no such place is omitted and reported, never put where it
 * would be misread.
 *
 * Line labels are placed after event labels, which take precedence. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "map/layout_internal.h"

static const double LABEL_PT = 9;
/* Another line at least this much farther from the label than its own. */
static const double NEAR_PX = 5;
/* No label within this of a crossing of two lines. */
static const double CROSS_PX = 8;
/* Fractions of a line's drawn length where its label may centre, best
 * first. */
static const double ALONG[] = {0.5,  0.44, 0.56, 0.38, 0.62, 0.32, 0.68,
                               0.26, 0.74, 0.2,  0.8,  0.14, 0.86};
enum { N_ALONG = sizeof ALONG / sizeof ALONG[0] };
/* Where a leader may start, as fractions of the drawn length. */
static const double LEADER_AT[] = {0.5, 0.35, 0.65, 0.2, 0.8};
enum { N_LEADER_AT = sizeof LEADER_AT / sizeof LEADER_AT[0] };

/* ---- a turned rectangle ------------------------------------------------ */

/* Centre c, half sizes hw along the text and hh across it, turned by the
 * angle whose cosine and sine are ca, sa (clockwise on the page). */
typedef struct orect {
    evm_point_t c;
    double hw, hh, ca, sa;
} orect_t;

/* p in the rectangle's own frame: x along the text, y down across it. */
static evm_point_t to_local(const orect_t *r, evm_point_t p)
{
    double dx = p.x - r->c.x, dy = p.y - r->c.y;
    return (evm_point_t){dx * r->ca + dy * r->sa, -dx * r->sa + dy * r->ca};
}

static evm_point_t corner(const orect_t *r, double sx, double sy)
{
    double x = sx * r->hw, y = sy * r->hh;
    return (evm_point_t){r->c.x + x * r->ca - y * r->sa,
                         r->c.y + x * r->sa + y * r->ca};
}

static evm_rect_t bounds(const orect_t *r)
{
    double ex = r->hw * fabs(r->ca) + r->hh * fabs(r->sa),
           ey = r->hw * fabs(r->sa) + r->hh * fabs(r->ca);
    return (evm_rect_t){r->c.x - ex, r->c.y - ey, 2 * ex, 2 * ey};
}

static evm_rect_t grow(evm_rect_t b, double d)
{
    return (evm_rect_t){b.x - d, b.y - d, b.w + 2 * d, b.h + 2 * d};
}

static double local_point_distance(const orect_t *r, evm_point_t q)
{
    return hypot(fmax(fabs(q.x) - r->hw, 0), fmax(fabs(q.y) - r->hh, 0));
}

static double point_segment_distance(evm_point_t p, evm_point_t a,
                                     evm_point_t b)
{
    double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
    t = fmin(fmax(t, 0), 1);
    return hypot(a.x + t * dx - p.x, a.y + t * dy - p.y);
}

/* The distance between segment a-b and the rectangle, 0 when they meet. */
static double segment_distance(const orect_t *r, evm_point_t a, evm_point_t b)
{
    evm_point_t la = to_local(r, a), lb = to_local(r, b);
    evm_rect_t box = {-r->hw, -r->hh, 2 * r->hw, 2 * r->hh};
    if (evm_segment_meets_rect(la, lb, box))
        return 0;
    double d = fmin(local_point_distance(r, la), local_point_distance(r, lb));
    for (int i = 0; i < 4; i++) {
        evm_point_t k = {(i & 1 ? 1 : -1) * r->hw, (i & 2 ? 1 : -1) * r->hh};
        d = fmin(d, point_segment_distance(k, la, lb));
    }
    return d;
}

/* Whether the rectangle overlaps box b (separating axes). */
static bool meets_box(const orect_t *r, evm_rect_t b)
{
    if (!evm_rects_overlap(bounds(r), b))
        return false;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; i < 4; i++) {
        evm_point_t q = to_local(
            r, (evm_point_t){b.x + (i & 1 ? b.w : 0), b.y + (i & 2 ? b.h : 0)});
        x0 = fmin(x0, q.x), x1 = fmax(x1, q.x);
        y0 = fmin(y0, q.y), y1 = fmax(y1, q.y);
    }
    return x1 > -r->hw && x0 < r->hw && y1 > -r->hh && y0 < r->hh;
}

/* ---- what the page holds ---------------------------------------------- */

typedef struct line_query {
    evm_layout_t *L;
    const orect_t *r;
    uint32_t own;
    double own_d, other_d;
} line_query_t;

static bool line_visit(void *user, uint32_t item)
{
    line_query_t *q = user;
    const evm_layout_t *L = q->L;
    double d = segment_distance(q->r, L->line_segs[2 * (size_t)item],
                                L->line_segs[2 * (size_t)item + 1]);
    if (L->line_seg_line[item] == q->own)
        q->own_d = fmin(q->own_d, d);
    else
        q->other_d = fmin(q->other_d, d);
    return true;
}

typedef struct box_query {
    evm_layout_t *L;
    const orect_t *r;
    bool hit;
} box_query_t;

static bool obstacle_visit(void *user, uint32_t item)
{
    box_query_t *q = user;
    q->hit = meets_box(q->r, q->L->obstacles[item]);
    return !q->hit;
}

static bool leader_visit(void *user, uint32_t item)
{
    box_query_t *q = user;
    q->hit = segment_distance(q->r, q->L->leader_segs[2 * (size_t)item],
                              q->L->leader_segs[2 * (size_t)item + 1]) <= 0;
    return !q->hit;
}

/* Points where two different lines cross or meet. */
typedef struct crossings {
    evm_point_t *pts;
    size_t n, cap;
} crossings_t;

static bool far_from_crossings(const crossings_t *x, const orect_t *r)
{
    for (size_t i = 0; i < x->n; i++)
        if (local_point_distance(r, to_local(r, x->pts[i])) < CROSS_PX)
            return false;
    return true;
}

/* How a place is judged: strictly (the nearest line must be the label's
 * own by a margin), or for a label that names its ends (no line may
 * touch it). */
typedef enum rule {
    RULE_NEAREST,        /* along the line */
    RULE_NAMED,          /* along the line, naming its ends */
    RULE_LEADER_NEAREST, /* level, on a leader */
    RULE_LEADER_NAMED    /* level, on a leader, naming its ends */
} rule_t;

static bool place_ok(evm_layout_t *L, const crossings_t *x, uint32_t own,
                     const orect_t *r, rule_t rule, double *other_d)
{
    evm_rect_t f = L->scene->frame;
    const double in = 2;
    for (int i = 0; i < 4; i++) {
        evm_point_t k = corner(r, i & 1 ? 1 : -1, i & 2 ? 1 : -1);
        if (!(k.x >= f.x + in && k.y >= f.y + in && k.x <= f.x + f.w - in &&
              k.y <= f.y + f.h - in))
            return false;
    }
    evm_rect_t b = bounds(r);
    box_query_t bq = {L, r, false};
    evm_grid_index_visit(&L->obstacle_grid, b, obstacle_visit, &bq);
    if (bq.hit)
        return false;
    if (L->n_leader_segs)
        evm_grid_index_visit(&L->leader_grid, b, leader_visit, &bq);
    if (bq.hit || !far_from_crossings(x, r))
        return false;
    /* A label on a leader is up to three heights from its line. */
    double reach = rule == RULE_NEAREST          ? 2 * r->hh + 2 * NEAR_PX
                   : rule == RULE_LEADER_NEAREST ? 8 * r->hh + 2 * NEAR_PX
                                                 : 2;
    line_query_t q = {L, r, own, INFINITY, INFINITY};
    evm_grid_index_visit(&L->line_grid, grow(b, reach), line_visit, &q);
    if (other_d)
        *other_d = q.other_d;
    bool leader = rule == RULE_LEADER_NEAREST || rule == RULE_LEADER_NAMED;
    if (q.own_d < (leader ? 2 : 0.5))
        return false; /* on its own line */
    if (rule == RULE_NEAREST)
        return q.other_d >= fmax(2 * r->hh, q.own_d + NEAR_PX);
    if (rule == RULE_LEADER_NEAREST)
        return q.other_d >= fmax(2, q.own_d + NEAR_PX);
    return q.other_d >= 2;
}

/* ---- crossings ---------------------------------------------------------- */

/* Where segments a-b and c-d meet, if they do. */
static bool intersection(evm_point_t a, evm_point_t b, evm_point_t c,
                         evm_point_t d, evm_point_t *out)
{
    double rx = b.x - a.x, ry = b.y - a.y, sx = d.x - c.x, sy = d.y - c.y;
    double den = rx * sy - ry * sx;
    if (fabs(den) < 1e-12)
        return false; /* parallel: their ends are tested as points */
    double t = ((c.x - a.x) * sy - (c.y - a.y) * sx) / den;
    double u = ((c.x - a.x) * ry - (c.y - a.y) * rx) / den;
    if (t < -1e-9 || t > 1 + 1e-9 || u < -1e-9 || u > 1 + 1e-9)
        return false;
    *out = (evm_point_t){a.x + t * rx, a.y + t * ry};
    return true;
}

typedef struct cross_query {
    evm_layout_t *L;
    size_t seg;
    crossings_t *x;
    bool nomem;
} cross_query_t;

static bool cross_visit(void *user, uint32_t item)
{
    cross_query_t *q = user;
    evm_layout_t *L = q->L;
    size_t i = q->seg, j = item;
    if (j <= i || L->line_seg_line[i] == L->line_seg_line[j])
        return true;
    evm_point_t p;
    if (!intersection(L->line_segs[2 * i], L->line_segs[2 * i + 1],
                      L->line_segs[2 * j], L->line_segs[2 * j + 1], &p))
        return true;
    for (size_t k = 0; k < q->x->n; k++)
        if (hypot(q->x->pts[k].x - p.x, q->x->pts[k].y - p.y) < 1)
            return true; /* the same point, met by a joint of segments */
    if (evm_grow((void **)&q->x->pts, &q->x->cap, q->x->n + 1,
                 sizeof *q->x->pts)) {
        q->nomem = true;
        return false;
    }
    q->x->pts[q->x->n++] = p;
    return true;
}

static evm_status find_crossings(evm_layout_t *L, crossings_t *x)
{
    for (size_t i = 0; i < L->n_line_segs; i++) {
        evm_point_t a = L->line_segs[2 * i], b = L->line_segs[2 * i + 1];
        evm_rect_t r = {fmin(a.x, b.x), fmin(a.y, b.y), fabs(b.x - a.x),
                        fabs(b.y - a.y)};
        cross_query_t q = {L, i, x, false};
        evm_grid_index_visit(&L->line_grid, r, cross_visit, &q);
        if (q.nomem)
            return EVM_ERR_NOMEM;
    }
    return EVM_OK;
}

/* ---- along the line ------------------------------------------------------ */

double evm_path_sub_length(const evm_path_t *p, size_t k)
{
    size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
    double len = 0;
    for (size_t i = a + 1; i < a + n; i++)
        len +=
            hypot(p->pts[i].x - p->pts[i - 1].x, p->pts[i].y - p->pts[i - 1].y);
    return len;
}

double evm_path_length(const evm_path_t *p)
{
    double len = 0;
    for (size_t k = 0; k < p->n_subs; k++)
        len += evm_path_sub_length(p, k);
    return len;
}

/* The point at drawn length s of subpath k, and the unit direction of
 * its segment there. */
static evm_point_t point_at(const evm_path_t *p, size_t k, double s,
                            evm_point_t *dir)
{
    size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
    double run = 0;
    evm_point_t last = p->pts[a];
    *dir = (evm_point_t){1, 0};
    for (size_t i = a + 1; i < a + n; i++) {
        evm_point_t u = p->pts[i - 1], v = p->pts[i];
        double len = hypot(v.x - u.x, v.y - u.y);
        last = v;
        if (len <= 0)
            continue;
        *dir = (evm_point_t){(v.x - u.x) / len, (v.y - u.y) / len};
        if (run + len >= s) {
            double t = (s - run) / len;
            return (evm_point_t){u.x + t * (v.x - u.x), u.y + t * (v.y - u.y)};
        }
        run += len;
    }
    return last;
}

/* Finds subpath k and the length s within it for drawn length s_all. */
static size_t locate(const evm_path_t *p, double s_all, double *s)
{
    double run = 0;
    for (size_t k = 0; k < p->n_subs; k++) {
        double len = evm_path_sub_length(p, k);
        if (run + len >= s_all || k + 1 == p->n_subs) {
            *s = s_all - run;
            return k;
        }
        run += len;
    }
    *s = 0;
    return 0;
}

/* The label of width w, height h (halo included) centred at drawn length
 * s_all, on side +1 (above the text's baseline direction) or -1; false
 * when the line does not run straight enough there or is too short. */
static bool along_place(const evm_path_t *p, double s_all, double w, double h,
                        double gap, int side, orect_t *out)
{
    double s;
    size_t k = locate(p, s_all, &s);
    double len = evm_path_sub_length(p, k);
    if (s - w / 2 < 0 || s + w / 2 > len)
        return false;
    evm_point_t d;
    evm_point_t A = point_at(p, k, s - w / 2, &d),
                B = point_at(p, k, s + w / 2, &d);
    double cl = hypot(B.x - A.x, B.y - A.y);
    if (!(cl > 0.5 * w))
        return false;
    evm_point_t u = {(B.x - A.x) / cl, (B.y - A.y) / cl};
    /* Read left to right; a vertical line reads upwards. */
    if (u.x < -1e-9 || (fabs(u.x) <= 1e-9 && u.y > 0))
        u = (evm_point_t){-u.x, -u.y};
    evm_point_t up = {u.y, -u.x};
    evm_point_t m = {(A.x + B.x) / 2, (A.y + B.y) / 2};
    /* How far the line bulges to either side of the chord under the
     * text. */
    double dev_up = 0, dev_dn = 0, run = 0;
    size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
    for (size_t i = a; i < a + n; i++) {
        if (i > a)
            run += hypot(p->pts[i].x - p->pts[i - 1].x,
                         p->pts[i].y - p->pts[i - 1].y);
        if (run < s - w / 2 || run > s + w / 2)
            continue;
        double dv = (p->pts[i].x - m.x) * up.x + (p->pts[i].y - m.y) * up.y;
        dev_up = fmax(dev_up, dv);
        dev_dn = fmax(dev_dn, -dv);
    }
    if (dev_up + dev_dn > h / 2)
        return false;
    double off = side > 0 ? dev_up + gap + h / 2 : -(dev_dn + gap + h / 2);
    out->c = (evm_point_t){m.x + up.x * off, m.y + up.y * off};
    out->hw = w / 2;
    out->hh = h / 2;
    out->ca = u.x;
    out->sa = u.y;
    return true;
}

/* ---- placing ------------------------------------------------------------ */

/* The label's box becomes obstacles: pieces about as long as it is high,
 * each by its bounding box, so that a slanted label blocks little more
 * than itself. */
static evm_status block(evm_layout_t *L, const orect_t *r)
{
    int n = (int)ceil(r->hw / fmax(r->hh, 1));
    if (n < 1)
        n = 1;
    for (int i = 0; i < n; i++) {
        double along = -r->hw + (2 * i + 1) * r->hw / n;
        orect_t piece = {{r->c.x + along * r->ca, r->c.y + along * r->sa},
                         r->hw / n,
                         r->hh,
                         r->ca,
                         r->sa};
        evm_status st = evm_layout_obstacle(L, bounds(&piece));
        if (st)
            return st;
    }
    return EVM_OK;
}

/* Whether leader a-b crosses another line or leader, or passes through
 * an obstacle that does not hold its start (the markers at a short
 * line's ends do). */
typedef struct leader_query {
    evm_layout_t *L;
    evm_point_t a, b;
    uint32_t own;
    bool hit;
} leader_query_t;

static bool leader_obstacle_visit(void *user, uint32_t item)
{
    leader_query_t *q = user;
    evm_rect_t o = q->L->obstacles[item];
    bool holds_start = q->a.x >= o.x && q->a.x <= o.x + o.w && q->a.y >= o.y &&
                       q->a.y <= o.y + o.h;
    q->hit = !holds_start && evm_segment_meets_rect(q->a, q->b, o);
    return !q->hit;
}

static bool leader_line_visit(void *user, uint32_t item)
{
    leader_query_t *q = user;
    const evm_layout_t *L = q->L;
    if (L->line_seg_line[item] == q->own)
        return true;
    evm_point_t p;
    q->hit = intersection(q->a, q->b, L->line_segs[2 * (size_t)item],
                          L->line_segs[2 * (size_t)item + 1], &p);
    return !q->hit;
}

static bool leader_seg_visit(void *user, uint32_t item)
{
    leader_query_t *q = user;
    evm_point_t p;
    q->hit = intersection(q->a, q->b, q->L->leader_segs[2 * (size_t)item],
                          q->L->leader_segs[2 * (size_t)item + 1], &p);
    return !q->hit;
}

static bool leader_clear(evm_layout_t *L, uint32_t own, evm_point_t a,
                         evm_point_t b)
{
    evm_rect_t r = {fmin(a.x, b.x), fmin(a.y, b.y), fabs(b.x - a.x),
                    fabs(b.y - a.y)};
    leader_query_t q = {L, a, b, own, false};
    evm_grid_index_visit(&L->obstacle_grid, r, leader_obstacle_visit, &q);
    if (!q.hit)
        evm_grid_index_visit(&L->line_grid, r, leader_line_visit, &q);
    if (!q.hit && L->n_leader_segs)
        evm_grid_index_visit(&L->leader_grid, r, leader_seg_visit, &q);
    return !q.hit;
}

/* A level label on a leader from a point of the line: rings one label
 * height apart, sixteen directions. */
static bool leader_place(evm_layout_t *L, const crossings_t *x,
                         const evm_line_label_t *ll, double w, double h,
                         double halo, rule_t rule, orect_t *out,
                         evm_point_t *from, evm_point_t *to)
{
    const double pi = 3.14159265358979323846;
    double total = evm_path_length(&ll->path);
    for (size_t f = 0; f < N_LEADER_AT; f++) {
        double s;
        size_t k = locate(&ll->path, LEADER_AT[f] * total, &s);
        evm_point_t d;
        evm_point_t p = point_at(&ll->path, k, s, &d);
        for (int ring = 1; ring <= 3; ring++) {
            double R = ring * h;
            for (int j = 0; j < 16; j++) {
                double a = j * (pi / 8), ca = cos(a), sa = sin(a);
                evm_point_t q = {p.x + R * ca, p.y - R * sa};
                /* The box by the side facing the line's point. */
                evm_point_t c;
                if (fabs(ca) >= fabs(sa))
                    c = (evm_point_t){ca > 0 ? q.x + w / 2 : q.x - w / 2, q.y};
                else
                    c = (evm_point_t){q.x, sa > 0 ? q.y - h / 2 : q.y + h / 2};
                orect_t r = {c, w / 2, h / 2, 1, 0};
                if (!place_ok(L, x, ll->line, &r, rule, NULL))
                    continue;
                evm_rect_t text = {c.x - w / 2 + halo, c.y - h / 2 + halo,
                                   w - 2 * halo, h - 2 * halo};
                evm_point_t t = {fmin(fmax(p.x, text.x), text.x + text.w),
                                 fmin(fmax(p.y, text.y), text.y + text.h)};
                if (!leader_clear(L, ll->line, p, t))
                    continue;
                *out = r;
                *from = p;
                *to = t;
                return true;
            }
        }
    }
    return false;
}

/* The first place along the line that the rule takes; of its two sides,
 * the one farther from other lines. */
static bool along_find(evm_layout_t *L, const crossings_t *x,
                       const evm_line_label_t *ll, double w, double h,
                       rule_t rule, orect_t *out)
{
    double total = evm_path_length(&ll->path), gap = 0.8 * L->pt_px;
    for (size_t f = 0; f < N_ALONG; f++) {
        double best = -1;
        for (int side = 1; side >= -1; side -= 2) {
            orect_t r;
            double other_d;
            if (along_place(&ll->path, ALONG[f] * total, w, h, gap, side, &r) &&
                place_ok(L, x, ll->line, &r, rule, &other_d) &&
                other_d > best) {
                best = other_d;
                *out = r;
            }
        }
        if (best >= 0)
            return true;
    }
    return false;
}

static evm_status place_one(evm_layout_t *L, const crossings_t *x,
                            const evm_line_label_t *ll)
{
    double halo = 1.5 * L->pt_px;
    double tw, th;
    evm_layout_measure(L, ll->text, LABEL_PT, EVM_WEIGHT_BOLD, &tw, &th);
    const char *text = ll->text;
    orect_t r;
    bool found =
        along_find(L, x, ll, tw + 2 * halo, th + 2 * halo, RULE_NEAREST, &r);
    if (!found && ll->named) {
        double nw, nh;
        evm_layout_measure(L, ll->named, LABEL_PT, EVM_WEIGHT_BOLD, &nw, &nh);
        found =
            along_find(L, x, ll, nw + 2 * halo, nh + 2 * halo, RULE_NAMED, &r);
        if (found) {
            text = ll->named;
            tw = nw;
            th = nh;
        }
    }
    /* On a leader: nearer its own line than any other, or naming its
     * ends, as along the line. */
    evm_point_t from = {0, 0}, to = {0, 0};
    bool leader = false;
    if (!found)
        found = leader =
            leader_place(L, x, ll, tw + 2 * halo, th + 2 * halo, halo,
                         RULE_LEADER_NEAREST, &r, &from, &to);
    if (!found && ll->named) {
        double nw, nh;
        evm_layout_measure(L, ll->named, LABEL_PT, EVM_WEIGHT_BOLD, &nw, &nh);
        found = leader = leader_place(L, x, ll, nw + 2 * halo, nh + 2 * halo,
                                      halo, RULE_LEADER_NAMED, &r, &from, &to);
        if (found) {
            text = ll->named;
            tw = nw;
            th = nh;
        }
    }
    if (!found)
        return evm_layout_omit(L, EVM_OMIT_LABEL, (size_t)-1, ll->text,
                               "no room");
    evm_rgba_t color =
        ll->color.a > 0 ? ll->color : evm_distance_line_style(L, 0).stroke;
    evm_item_t *it =
        evm_layout_text(L, EVM_LAYER_LABELS, ll->id, ll->cls, text, LABEL_PT,
                        EVM_WEIGHT_BOLD, color, r.c.x - tw / 2, r.c.y - th / 2);
    if (!it)
        return EVM_ERR_NOMEM;
    /* Centred on the place whatever the measure's rounding. */
    it->text.box.x = r.c.x - it->text.box.w / 2;
    it->text.box.y = r.c.y - it->text.box.h / 2;
    it->text.angle_rad = atan2(r.sa, r.ca);
    if (!leader)
        return block(L, &r);
    char id[112];
    snprintf(id, sizeof id, "%s-leader", ll->id);
    evm_label_fit_t fit = {bounds(&r), true, from, to};
    return evm_label_commit(L, &fit, id, -1);
}

evm_status evm_layout_line_labels(evm_layout_t *L)
{
    if (!L->n_line_labels)
        return EVM_OK;
    crossings_t x = {0};
    evm_status st = find_crossings(L, &x);
    if (st)
        st = evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                           "out of memory placing line labels");
    for (size_t k = 0; !st && k < L->n_line_labels; k++)
        st = place_one(L, &x, &L->line_labels[k]);
    free(x.pts);
    return st;
}
