/* The nearest point of a set of geodesic polylines to a query point.
 *
 * Bound: every point X of a geodesic arc of length L between A and B lies
 * in the sphere about the chord's midpoint C of radius
 * sqrt(L^2 / 2 - |AB|^2 / 4) (|XA| + |XB| <= L because a chord is never
 * longer than the arc, and |XC|^2 = (|XA|^2 + |XB|^2) / 2 - |AB|^2 / 4).
 * L itself is not needed: the chord bounds it from above (max_length).
 * A sphere bounds the geodesic distance from P to anything inside it
 * from below (lower_bound), and a tree of such spheres over runs of
 * consecutive segments is searched depth first, nearer child first,
 * skipping whatever cannot beat the best distance so far: a query on a
 * country of the 1:10m data evaluates a few dozen segments out of tens of
 * thousands, and building the tree costs no geodesic at all for short
 * segments. A segment itself is bounded tighter, by the capsule round its
 * chord of radius sqrt(L^2 - |AB|^2) / 2 (a few centimetres for a
 * kilometre-long segment), so that the neighbours of the nearest segment
 * are rarely measured exactly.
 *
 * Exact distance to one segment: the distance f(s) from P to the point at
 * s along the segment has derivative cos(delta), delta the angle at X(s)
 * between the segment and the geodesic from P, and second derivative
 * sin^2(delta) M21 / m12 (the reduced length m12 and geodesic scale M21 of
 * the geodesic from P; first variation and the Jacobi equation). Along a
 * piece of at most 500 km f has at most one interior minimum, so when
 * f'(0) < 0 < f'(L) Newton's method, kept inside a shrinking bracket and
 * falling back to bisection, finds it to well under a micrometre in three
 * or four steps; otherwise the nearer end is the answer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/context_internal.h"
#include "core/error.h"
#include "geo/lines_internal.h"

static const double DEG = 3.14159265358979323846 / 180;
/* The WGS84 semi-axes, metres. */
#define WGS84_A_M 6378137.0
#define WGS84_B_M 6356752.314245179
/* The radius of the balls inside the ellipsoid (ball_bound): a hair
 * smaller than b^2 / a, for rounding. */
static const double BALL_R_M = WGS84_B_M * WGS84_B_M / WGS84_A_M * (1 - 1e-12);
/* States of a segment's own geodesic (evm_lseg_t.geo). */
enum { SEG_GEO_NONE, SEG_GEO_BUSY, SEG_GEO_READY };
/* Below this distance from the query, the distance along a segment is
 * convex (see seg_nearest). */
#define CONVEX_M 9.0e6
/* Below this, the chord is within a few metres of the distance, and the
 * ball bound is not worth its cost. */
#define REFINE_M 150e3
/* Segments per leaf of the tree. */
#define LEAF_SEGS 8
/* Deeper than any tree of mid-point splits over 2^32 segments. */
#define STACK_MAX 96

void evm_ecef(double lat_deg, double lon_deg, double xyz[3])
{
    const double a = WGS84_A_M, f = 1 / 298.257223563, e2 = f * (2 - f);
    double sp = sin(lat_deg * DEG), cp = cos(lat_deg * DEG);
    double n = a / sqrt(1 - e2 * sp * sp);
    xyz[0] = n * cp * cos(lon_deg * DEG);
    xyz[1] = n * cp * sin(lon_deg * DEG);
    xyz[2] = n * (1 - e2) * sp;
}

static double dist3(const double a[3], const double b[3])
{
    return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                (a[2] - b[2]) * (a[2] - b[2]));
}

static double norm3(const double a[3])
{
    return sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
}

/* The angle at the earth's centre that a sphere (c, r) subtends round its
 * centre direction: asin(r / |c|), or pi when it holds the centre. */
static double sphere_angle(const double c[3], double r)
{
    double n = norm3(c);
    return r < n ? asin(r / n) : 4 * atan(1.0);
}

/* A query point: ECEF position and unit direction from the centre. */
typedef struct query {
    double p[3], u[3];
} query_t;

static void query_init(query_t *q, double lat_deg, double lon_deg)
{
    evm_ecef(lat_deg, lon_deg, q->p);
    double np = norm3(q->p);
    for (int k = 0; k < 3; k++)
        q->u[k] = q->p[k] / np;
}

/* A lower bound on the geodesic distance from the query to anything in
 * the sphere (c, r) whose angular radius is ang. Both terms are bounds:
 * a chord is never longer than a geodesic; and projecting onto the ball
 * of radius b (the polar semi-axis, which the whole ellipsoid lies
 * outside of) shortens no curve, so a geodesic is at least b times the
 * angle between its ends seen from the centre. The first is tight for
 * short distances, the second for long ones. */
static double cheap_bound(const query_t *q, const double c[3], double r,
                          double ang)
{
    const double *u = q->u;
    double chord = dist3(q->p, c) - r;
    double x[3] = {u[1] * c[2] - u[2] * c[1], u[2] * c[0] - u[0] * c[2],
                   u[0] * c[1] - u[1] * c[0]};
    double angle = atan2(norm3(x), u[0] * c[0] + u[1] * c[1] + u[2] * c[2]);
    return fmax(chord, WGS84_B_M * (angle - ang));
}

/* The centre of the ball of radius BALL_R_M (ball_bound) touching the
 * ellipsoid from inside at the point whose normal is the mean of the
 * query's direction and the direction of c; false when they are
 * opposite. */
static bool ball_centre(const query_t *q, const double c[3], double ctr[3])
{
    const double a = WGS84_A_M, b = WGS84_B_M, R = BALL_R_M;
    double nc = norm3(c), m[3];
    if (!(nc > 0))
        return false;
    for (int k = 0; k < 3; k++)
        m[k] = q->u[k] + c[k] / nc;
    double nm = norm3(m);
    if (!(nm > 1e-9))
        return false;
    for (int k = 0; k < 3; k++)
        m[k] /= nm;
    double den =
        sqrt(a * a * (m[0] * m[0] + m[1] * m[1]) + b * b * m[2] * m[2]);
    ctr[0] = a * a * m[0] / den - R * m[0];
    ctr[1] = a * a * m[1] / den - R * m[1];
    ctr[2] = b * b * m[2] / den - R * m[2];
    return true;
}

static double angle3(const double v[3], const double w[3])
{
    double x[3] = {v[1] * w[2] - v[2] * w[1], v[2] * w[0] - v[0] * w[2],
                   v[0] * w[1] - v[1] * w[0]};
    return atan2(norm3(x), v[0] * w[0] + v[1] * w[1] + v[2] * w[2]);
}

/* A tighter lower bound from a ball inside the ellipsoid that touches it
 * between the query and the sphere (c, r). Every principal curvature of
 * the ellipsoid is at most a / b^2 (meridional, at the equator), so by
 * Blaschke's rolling theorem the ball of radius R = b^2 / a touching it
 * from inside at any point Q lies inside it. Projecting onto that ball
 * shortens no curve outside it, so a geodesic is at least R times the
 * angle between its ends seen from the ball's centre. Touching near the
 * middle of the path makes the ball follow the ellipsoid along it: for
 * 1,000 km the bound is within about 10 m of the distance, where the
 * chord and the polar ball above leave kilometres. Q is the point whose
 * normal is m, the mean of the two directions (any m gives a valid
 * bound; this one a tight one). */
static double ball_bound(const query_t *q, const double c[3], double r)
{
    const double R = BALL_R_M;
    double ctr[3], v[3], w[3];
    if (!ball_centre(q, c, ctr))
        return 0;
    for (int k = 0; k < 3; k++) {
        v[k] = q->p[k] - ctr[k];
        w[k] = c[k] - ctr[k];
    }
    double nw = norm3(w);
    if (!(r < nw))
        return 0;
    double lb = R * (angle3(v, w) - asin(r / nw));
    return lb > 0 ? lb : 0;
}

/* The chord distance from the query to the chord of segment s: its
 * nearest point is c + t e, t in [-1, 1]. */
static double seg_chord_dist(const query_t *q, const evm_lseg_t *s)
{
    double w[3] = {q->p[0] - s->c[0], q->p[1] - s->c[1], q->p[2] - s->c[2]};
    double ee = s->e[0] * s->e[0] + s->e[1] * s->e[1] + s->e[2] * s->e[2];
    double t =
        ee > 0 ? (w[0] * s->e[0] + w[1] * s->e[1] + w[2] * s->e[2]) / ee : 0;
    t = t < -1 ? -1 : t > 1 ? 1 : t;
    for (int k = 0; k < 3; k++)
        w[k] -= t * s->e[k];
    return norm3(w);
}

/* A lower bound on the distance from the query to segment s: the chord
 * distance to the capsule of radius h round its chord, which holds the
 * arc (seg_init). Unlike the segment's sphere, whose radius is half the
 * segment, the capsule is within a few centimetres of a short arc, so a
 * segment beside the nearest one is rarely measured for nothing. */
static double seg_chord_bound(const query_t *q, const evm_lseg_t *s)
{
    return seg_chord_dist(q, s) - s->h;
}

/* ball_bound for segment s: R times the angle, seen from the ball's
 * centre, between the query and the capsule round the chord. The chord's
 * directions from the centre fill the great-circle arc from A to B, and
 * the capsule adds at most asin(h / D), D the least distance from the
 * centre to the chord. */
static double seg_ball_bound(const query_t *q, const evm_lseg_t *s)
{
    const double R = BALL_R_M;
    double ctr[3], v[3], pa[3], pb[3];
    if (!ball_centre(q, s->c, ctr))
        return 0;
    for (int k = 0; k < 3; k++) {
        v[k] = q->p[k] - ctr[k];
        pa[k] = s->c[k] - s->e[k] - ctr[k];
        pb[k] = s->c[k] + s->e[k] - ctr[k];
    }
    double na = norm3(pa), nb = norm3(pb), ne = norm3(s->e);
    /* Every point of the chord is within |e| of an end. */
    double D = fmin(na, nb) - ne;
    if (!(s->h < D))
        return 0;
    double n[3] = {pa[1] * pb[2] - pa[2] * pb[1], pa[2] * pb[0] - pa[0] * pb[2],
                   pa[0] * pb[1] - pa[1] * pb[0]};
    double nn = norm3(n), angle;
    double va = v[0] * pa[0] + v[1] * pa[1] + v[2] * pa[2];
    double vb = v[0] * pb[0] + v[1] * pb[1] + v[2] * pb[2];
    double vn = v[0] * n[0] + v[1] * n[1] + v[2] * n[2];
    /* v's projection on the plane of the arc, v - (vn / nn^2) n, lies
     * between A and B when it is on A's side of B and B's of A. */
    double ab = pa[0] * pb[0] + pa[1] * pb[1] + pa[2] * pb[2];
    bool between =
        nn > 0 && va * nb * nb - vb * ab >= 0 && vb * na * na - va * ab >= 0;
    if (between) {
        double vv = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
        double off = vn / nn;
        angle = atan2(fabs(off), sqrt(fmax(vv - off * off, 0)));
    } else {
        angle = va * nb >= vb * na ? angle3(v, pa) : angle3(v, pb);
    }
    double lb = R * (angle - asin(s->h / D));
    return lb > 0 ? lb : 0;
}

/* The chord bound alone: one square root. */
static double chord_bound(const query_t *q, const double c[3], double r)
{
    return dist3(q->p, c) - r;
}

/* A lower bound on the distance from the query to the sphere (c, r), or
 * a number at least `best` when nothing in it can be nearer: the cheap
 * bound first, the ball only when that does not already decide. */
static double lower_bound(const query_t *q, const double c[3], double r,
                          double ang, double best)
{
    double lb = cheap_bound(q, c, r, ang);
    if (lb >= best)
        return lb;
    return fmax(lb, ball_bound(q, c, r));
}

/* Whether the ball bound of a candidate of chord bound lb_m and radius
 * r_m might reach best_m. It exceeds the chord bound by about what a
 * chord through the earth is shorter than the arc it cuts off, D^3 /
 * (24 R^2) over a distance D: a candidate whose chord bound is well
 * below the best is searched at once, without it (which only saves
 * time: no answer depends on this). */
static bool may_prune(double lb_m, double r_m, double best_m)
{
    const double R = 6.3e6;
    double d = lb_m + r_m;
    return lb_m + d * d * d / (8 * R * R) >= best_m;
}

/* lower_bound for segment s. */
static double seg_lower_bound(const query_t *q, const evm_lseg_t *s,
                              double best)
{
    double lb = seg_chord_bound(q, s);
    if (lb >= best || lb <= REFINE_M || !may_prune(lb, s->r, best))
        return lb;
    return fmax(lb, seg_ball_bound(q, s));
}

/* The largest length of a geodesic whose chord is chord_m. A geodesic's
 * curvature in space is its normal curvature, at most 1 / R with R the
 * smallest radius of curvature of the ellipsoid, a (1 - e^2) (meridional,
 * at the equator); by Schur's comparison theorem its chord is then at
 * least that of a circular arc of radius R and the same length. */
static double max_length(double chord_m)
{
    const double f = 1 / 298.257223563, R = WGS84_A_M * (1 - f) * (1 - f);
    double x = chord_m / (2 * R);
    /* The comparison holds for arcs up to half a circle of radius R;
     * chords this long (over 12,500 km) belong to no shorter geodesic
     * that matters here, and get no bound. */
    return x < 0.99 ? 2 * R * asin(x) * (1 + 1e-12) : INFINITY;
}

/* Sets a segment's ends (a, b: the same in ECEF) and its bounding
 * sphere; len_m is its length, or NaN when only the chord is known
 * (then the bound above). */
static void seg_init(evm_lseg_t *s, const double *p, const double a[3],
                     const double *q, const double b[3], double len_m)
{
    s->lat1 = p[1];
    s->lon1 = p[0];
    s->lat2 = q[1];
    s->lon2 = q[0];
    double chord = dist3(a, b);
    double len = isnan(len_m) ? max_length(chord) : len_m;
    s->len_up = len;
    for (int k = 0; k < 3; k++)
        s->c[k] = (a[k] + b[k]) / 2;
    double r2 = len * len / 2 - chord * chord / 4;
    /* A micrometre and a relative margin cover rounding in the ECEF
     * coordinates and in the length. */
    s->r = sqrt(fmax(r2, chord * chord / 4)) * (1 + 1e-12) + 1e-6;
    for (int k = 0; k < 3; k++)
        s->e[k] = (b[k] - a[k]) / 2;
    /* The spheroid |XA| + |XB| <= len above lies within its semi-minor
     * axis sqrt(len^2 - chord^2) / 2 of the chord AB (beyond an end, its
     * points are at most (len^2 - chord^2) / (2 len) from that end, no
     * more). The margins cover a rounding of the length and the chord by
     * a micrometre, which moves the difference of squares by 2 len um. */
    double lu = len * (1 + 1e-12) + 1e-6, cl = chord * (1 - 1e-12);
    s->h = sqrt(fmax(lu * lu - cl * cl, 0)) / 2 + 1e-6;
    atomic_init(&s->geo, SEG_GEO_NONE);
}

static evm_status add_segments(evm_lines_t *L, size_t k, evm_lseg_t **segs,
                               size_t *n, size_t *cap, evm_error_t *err)
{
    const struct geod_geodesic *g = evm_wgs84();
    size_t s0 = L->start[k], np = L->start[k + 1] - s0;
    /* A line of one point is a segment of length zero. */
    size_t n_edges = np == 1 ? 1 : np - 1;
    double a[3], b[3];
    evm_ecef(L->pts[2 * s0 + 1], L->pts[2 * s0], b);
    for (size_t e = 0; e < n_edges; e++) {
        size_t v = s0 + e;
        const double *p = &L->pts[2 * v];
        const double *q = np == 1 ? p : p + 2;
        memcpy(a, b, sizeof a);
        evm_ecef(q[1], q[0], b);
        /* Most segments are short and need no geodesic until a query
         * comes near them: only long ones are measured, to be split. */
        double len = NAN, azi1 = NAN;
        size_t m = 1;
        if (dist3(a, b) > 0.8 * EVM_LINES_PIECE_M) {
            geod_inverse(g, p[1], p[0], q[1], q[0], &len, &azi1, NULL);
            if (len > EVM_LINES_PIECE_M)
                m = (size_t)ceil(len / EVM_LINES_PIECE_M);
        }
        if (*n + m < *n || evm_grow((void **)segs, cap, *n + m, sizeof **segs))
            return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory indexing lines");
        if (m == 1) {
            evm_lseg_t *s = &(*segs)[(*n)++];
            seg_init(s, p, a, q, b, len);
            s->off_m = 0;
            s->line = (uint32_t)k;
            s->vertex = (uint32_t)(v - s0);
            continue;
        }
        /* Pieces of one geodesic: their ends are points of it. */
        struct geod_geodesicline gl;
        geod_lineinit(&gl, g, p[1], p[0], azi1,
                      GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
        double pp[2] = {p[0], p[1]}, pa[3];
        memcpy(pa, a, sizeof pa);
        for (size_t i = 0; i < m; i++) {
            double qq[2] = {q[0], q[1]}, qb[3];
            double s_end = len * (double)(i + 1) / (double)m;
            double off = len * (double)i / (double)m;
            if (i + 1 < m) {
                geod_position(&gl, s_end, &qq[1], &qq[0], NULL);
                evm_ecef(qq[1], qq[0], qb);
            } else {
                memcpy(qb, b, sizeof qb);
            }
            evm_lseg_t *s = &(*segs)[(*n)++];
            seg_init(s, pp, pa, qq, qb, s_end - off);
            s->off_m = off;
            s->line = (uint32_t)k;
            s->vertex = (uint32_t)(v - s0);
            memcpy(pp, qq, sizeof pp);
            memcpy(pa, qb, sizeof pa);
        }
    }
    return EVM_OK;
}

/* The smallest sphere holding spheres (c1, r1) and (c2, r2), into c, r. */
static void merge_spheres(const double c1[3], double r1, const double c2[3],
                          double r2, double c[3], double *r)
{
    double d = dist3(c1, c2);
    if (d + r2 <= r1 || d + r1 <= r2) {
        const double *cc = r1 >= r2 ? c1 : c2;
        memcpy(c, cc, 3 * sizeof *c);
        *r = r1 >= r2 ? r1 : r2;
        return;
    }
    double rr = (d + r1 + r2) / 2;
    for (int k = 0; k < 3; k++)
        c[k] = c1[k] + (c2[k] - c1[k]) * (rr - r1) / d;
    *r = rr * (1 + 1e-12) + 1e-6;
}

/* Builds the subtree over segments [lo, hi) into node `at`; *next is the
 * next free node. A leaf's sphere is fitted to its segments, a parent's
 * holds its children's, so the build is linear in the segments. */
static void build_node(evm_lines_t *L, size_t at, uint32_t lo, uint32_t hi,
                       size_t *next)
{
    evm_lnode_t *nd = &L->nodes[at];
    nd->lo = lo;
    nd->hi = hi;
    nd->left = nd->right = 0;
    if (hi - lo > LEAF_SEGS) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t left = (uint32_t)(*next)++, right = (uint32_t)(*next)++;
        nd->left = left;
        nd->right = right;
        build_node(L, left, lo, mid, next);
        build_node(L, right, mid, hi, next);
        const evm_lnode_t *l = &L->nodes[left], *r = &L->nodes[right];
        merge_spheres(l->c, l->r, r->c, r->r, nd->c, &nd->r);
        nd->ang = sphere_angle(nd->c, nd->r);
        return;
    }
    double mn[3], mx[3];
    for (int k = 0; k < 3; k++) {
        mn[k] = mx[k] = L->segs[lo].c[k];
        for (uint32_t i = lo + 1; i < hi; i++) {
            double v = L->segs[i].c[k];
            mn[k] = v < mn[k] ? v : mn[k];
            mx[k] = v > mx[k] ? v : mx[k];
        }
        nd->c[k] = (mn[k] + mx[k]) / 2;
    }
    double r = 0;
    for (uint32_t i = lo; i < hi; i++) {
        double ri = dist3(nd->c, L->segs[i].c) + L->segs[i].r;
        r = ri > r ? ri : r;
    }
    nd->r = r * (1 + 1e-12) + 1e-6;
    nd->ang = sphere_angle(nd->c, nd->r);
}

evm_status evm_lines_index(evm_lines_t *L, evm_error_t *err)
{
    for (size_t k = 0; k < L->n_lines; k++) {
        if (L->start[k + 1] <= L->start[k])
            return evm_error_set(err, EVM_ERR_INVALID_ARG, L->name, 0, 0,
                                 "line %zu has no point", k + 1);
        for (size_t v = L->start[k]; v < L->start[k + 1]; v++) {
            double lon = L->pts[2 * v], lat = L->pts[2 * v + 1];
            if (!isfinite(lon) || !(lat >= -90 && lat <= 90))
                return evm_error_set(err, EVM_ERR_INVALID_ARG, L->name, 0, 0,
                                     "line %zu, point %zu: (%g, %g) is not a "
                                     "longitude and a latitude in [-90, 90]",
                                     k + 1, v - L->start[k] + 1, lon, lat);
        }
    }
    size_t cap = 0;
    for (size_t k = 0; k < L->n_lines; k++) {
        evm_status st = add_segments(L, k, &L->segs, &L->n_segs, &cap, err);
        if (st)
            return st;
    }
    if (L->n_segs > UINT32_MAX / 2)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, L->name, 0, 0,
                             "too many segments (%zu)", L->n_segs);
    if (L->n_segs == 0)
        return EVM_OK;
    /* A binary tree with leaves of up to LEAF_SEGS has fewer than
     * 2 * n_segs / (LEAF_SEGS / 2) + 1 nodes; 2 * n_segs bounds it. */
    L->nodes = evm_alloc_array(2 * L->n_segs + 1, sizeof *L->nodes);
    if (!L->nodes)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory indexing lines");
    size_t next = 1;
    build_node(L, 0, 0, (uint32_t)L->n_segs, &next);
    L->n_nodes = next;
    return EVM_OK;
}

evm_status evm_lines_create(const char *name, const double *lonlat,
                            const size_t *start, size_t n_lines,
                            evm_lines_t **out, evm_error_t *err)
{
    if (!out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no output for the lines");
    *out = NULL;
    if (n_lines && (!start || (!lonlat && start[n_lines] > start[0])))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no points for the lines");
    evm_lines_t *L = calloc(1, sizeof *L);
    if (!L)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory creating lines");
    size_t base = n_lines ? start[0] : 0;
    size_t n_pts = n_lines ? start[n_lines] - base : 0;
    L->name = evm_strdup(name ? name : "");
    L->start = evm_alloc_array(n_lines + 1, sizeof *L->start);
    L->pts = evm_alloc_array(n_pts ? 2 * n_pts : 1, sizeof *L->pts);
    if (!L->name || !L->start || !L->pts) {
        evm_lines_destroy(L);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory creating lines");
    }
    L->n_lines = n_lines;
    L->start[0] = 0;
    for (size_t k = 0; k < n_lines; k++) {
        if (start[k + 1] < start[k]) {
            evm_lines_destroy(L);
            return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "line %zu ends before it starts", k + 1);
        }
        L->start[k + 1] = start[k + 1] - base;
    }
    if (n_pts)
        memcpy(L->pts, lonlat + 2 * base, 2 * n_pts * sizeof *L->pts);
    evm_status st = evm_lines_index(L, err);
    if (st) {
        evm_lines_destroy(L);
        return st;
    }
    *out = L;
    return EVM_OK;
}

void evm_lines_destroy(evm_lines_t *L)
{
    if (!L)
        return;
    free(L->name);
    free(L->start);
    free(L->pts);
    free(L->segs);
    free(L->nodes);
    free(L->strip_off);
    free(L->strip_edge);
    free(L);
}

const char *evm_lines_name(const evm_lines_t *L)
{
    return L ? L->name : "";
}

size_t evm_lines_count(const evm_lines_t *L)
{
    return L ? L->n_lines : 0;
}

size_t evm_lines_point_count(const evm_lines_t *L, size_t k)
{
    return L && k < L->n_lines ? L->start[k + 1] - L->start[k] : 0;
}

const double *evm_lines_points(const evm_lines_t *L, size_t k)
{
    return L && k < L->n_lines ? &L->pts[2 * L->start[k]] : NULL;
}

/* The best point found so far. */
typedef struct best {
    double d, lat, lon, along;
    const evm_lseg_t *seg;
} best_t;

static void consider(best_t *b, double d, double lat, double lon, double along,
                     const evm_lseg_t *seg)
{
    if (d < b->d) {
        *b = (best_t){d, lat, lon, along, seg};
    }
}

/* The length and azimuths of segment s: measured once and kept, by
 * whichever thread first needs them; a thread that finds another one
 * measuring it measures it for itself, without keeping it. */
static void seg_geodesic(const struct geod_geodesic *g, const evm_lseg_t *s,
                         double *len, double *azi1, double *azi2)
{
    evm_lseg_t *w = (evm_lseg_t *)s;
    uint32_t st = atomic_load_explicit(&w->geo, memory_order_acquire);
    if (st == SEG_GEO_READY) {
        *len = s->len_m;
        *azi1 = s->azi1_deg;
        *azi2 = s->azi2_deg;
        return;
    }
    geod_inverse(g, s->lat1, s->lon1, s->lat2, s->lon2, len, azi1, azi2);
    uint32_t expected = SEG_GEO_NONE;
    if (st == SEG_GEO_NONE && atomic_compare_exchange_strong_explicit(
                                  &w->geo, &expected, SEG_GEO_BUSY,
                                  memory_order_acq_rel, memory_order_acquire)) {
        w->len_m = *len;
        w->azi1_deg = *azi1;
        w->azi2_deg = *azi2;
        atomic_store_explicit(&w->geo, SEG_GEO_READY, memory_order_release);
    }
}

/* The interior minimum of segment s (length len, azimuth azi1 at end
 * 1), whose ends are d_a and d_b from the query with
 * f'(0) = g0 < 0 < f'(L) = g1: Newton's method in a shrinking bracket. */
static void seg_interior(const struct geod_geodesic *g, double lat, double lon,
                         const evm_lseg_t *s, double len, double azi1,
                         double d_a, double g0, double d_b, double g1,
                         best_t *b)
{
    struct geod_geodesicline gl;
    geod_lineinit(&gl, g, s->lat1, s->lon1, azi1,
                  GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH |
                      GEOD_DISTANCE_IN);
    double lo = 0, hi = len;
    /* The foot of the perpendicular in the plane, from either end. */
    double x = 0.5 * ((-d_a * g0) + (len - d_b * g1));
    if (!(x > lo && x < hi))
        x = (lo + hi) / 2;
    for (int iter = 0; iter < 100; iter++) {
        double xlat, xlon, xazi, d, azi_px, m12, M21;
        geod_position(&gl, x, &xlat, &xlon, &xazi);
        geod_geninverse(g, lat, lon, xlat, xlon, &d, NULL, &azi_px, &m12, NULL,
                        &M21, NULL);
        consider(b, d, xlat, xlon, x, s);
        double delta = (azi_px - xazi) * DEG;
        double d1 = cos(delta);
        if (d1 < 0)
            lo = x;
        else
            hi = x;
        double sd = sin(delta);
        double d2 = sd * sd * M21 / m12;
        double next = x - d1 / d2;
        if (!(next > lo && next < hi))
            next = (lo + hi) / 2;
        /* A step of 0.1 um changes the distance by far less. */
        if (fabs(next - x) <= 1e-7 || hi - lo <= 1e-7)
            break;
        x = next;
    }
}

/* The distances from the query to the last vertices measured, by the
 * index of the segment they start (a segment's end 2 is the next one's
 * end 1 within a line): the search often measures neighbours. */
#define VCACHE 8
typedef struct vcache {
    uint32_t key[VCACHE];
    double d[VCACHE], azi[VCACHE]; /* distance, azimuth at the vertex */
    unsigned n, next;
} vcache_t;

static bool vcache_get(const vcache_t *c, uint32_t key, double *d, double *azi)
{
    for (unsigned i = 0; i < c->n; i++)
        if (c->key[i] == key) {
            *d = c->d[i];
            *azi = c->azi[i];
            return true;
        }
    return false;
}

static void vcache_put(vcache_t *c, uint32_t key, double d, double azi)
{
    unsigned i = c->next;
    c->next = (c->next + 1) % VCACHE;
    if (c->n < VCACHE)
        c->n++;
    c->key[i] = key;
    c->d[i] = d;
    c->azi[i] = azi;
}

/* The key of segment k's end 2: k + 1 when that segment starts there. */
static uint32_t end2_key(const evm_lines_t *L, uint32_t k)
{
    const evm_lseg_t *s = &L->segs[k];
    if (k + 1 < L->n_segs && L->segs[k + 1].line == s->line &&
        L->segs[k + 1].lat1 == s->lat2 && L->segs[k + 1].lon1 == s->lon2)
        return k + 1;
    return UINT32_MAX;
}

/* The distance and the azimuth of arrival from the query to (lat, lon),
 * through the cache under key (UINT32_MAX: not cached). */
static void measure(const struct geod_geodesic *g, vcache_t *c, uint32_t key,
                    double qlat, double qlon, double lat, double lon, double *d,
                    double *azi)
{
    if (key != UINT32_MAX && vcache_get(c, key, d, azi))
        return;
    geod_inverse(g, qlat, qlon, lat, lon, d, NULL, azi);
    if (key != UINT32_MAX)
        vcache_put(c, key, *d, *azi);
}

/* The exact nearest point of segment k to (lat, lon), if nearer than
 * b->d. The distance f(s) along the segment is convex while the query
 * is nearer than pi/2 b^2/a (9,951 km) to every point of it: f'' =
 * sin^2(delta) M21 / m12, and by Sturm's comparison with the largest
 * curvature a^2/b^4 of the ellipsoid, M21 >= cos(s a / b^2) > 0 and
 * m12 > 0 there. Then f rising from end 1 (f'(0) >= 0) makes end 1 the
 * nearest point of the segment, and f falling into end 2 (f'(L) <= 0)
 * end 2, and the other end need not be measured. */
static void seg_nearest(const struct geod_geodesic *g, const evm_lines_t *L,
                        vcache_t *vc, double lat, double lon, uint32_t k,
                        best_t *b)
{
    const evm_lseg_t *s = &L->segs[k];
    double d_a, azi_a, d_b, azi_b, len, azi1, azi2;
    uint32_t key2 = end2_key(L, k);
    bool have_b = key2 != UINT32_MAX && vcache_get(vc, key2, &d_b, &azi_b);
    if (have_b) {
        seg_geodesic(g, s, &len, &azi1, &azi2);
        consider(b, d_b, s->lat2, s->lon2, len, s);
        if (d_b - s->len_up >= b->d || len == 0)
            return;
        if (cos((azi_b - azi2) * DEG) <= 0 && d_b + len < CONVEX_M)
            return;
    }
    measure(g, vc, k, lat, lon, s->lat1, s->lon1, &d_a, &azi_a);
    consider(b, d_a, s->lat1, s->lon1, 0, s);
    /* Nothing of the segment is nearer than d_a less its length. */
    if (d_a - s->len_up >= b->d)
        return;
    if (!have_b) {
        seg_geodesic(g, s, &len, &azi1, &azi2);
        if (len == 0)
            return;
    }
    double g0 = cos((azi_a - azi1) * DEG);
    if (g0 >= 0 && d_a + len < CONVEX_M)
        return;
    if (!have_b) {
        measure(g, vc, key2, lat, lon, s->lat2, s->lon2, &d_b, &azi_b);
        consider(b, d_b, s->lat2, s->lon2, len, s);
    }
    /* f'(0) and f'(L): the distance falls leaving end 1 and rises
     * arriving at end 2 only when a minimum lies between. */
    double g1 = cos((azi_b - azi2) * DEG);
    if (!(g0 < 0 && g1 > 0))
        return;
    seg_interior(g, lat, lon, s, len, azi1, d_a, g0, d_b, g1, b);
}

typedef struct pending {
    uint32_t node;
    bool refined; /* lb includes the ball bound */
    double lb;
} pending_t;

/* Candidates waiting in the best-first search: a node of the tree, or a
 * segment (SEG_BIT | its index; an index is below 2^31, see
 * evm_lines_index). */
#define SEG_BIT 0x80000000u
#define HEAP_MAX 512

typedef struct search {
    const evm_lines_t *L;
    const struct geod_geodesic *g;
    vcache_t vc;
    query_t q;
    double lat, lon;
    best_t b;
    pending_t heap[HEAP_MAX]; /* a binary min-heap on lb */
    size_t n;
} search_t;

static void search_subtree(search_t *s, uint32_t node);

/* Queues a candidate unless it cannot beat the best so far; when the
 * queue is full, searches it at once instead (depth first), which only
 * costs order. */
static void push(search_t *s, uint32_t id, double lb, bool refined)
{
    if (lb >= s->b.d)
        return;
    if (s->n == HEAP_MAX) {
        if (id & SEG_BIT)
            seg_nearest(s->g, s->L, &s->vc, s->lat, s->lon, id & ~SEG_BIT,
                        &s->b);
        else
            search_subtree(s, id);
        return;
    }
    size_t i = s->n++;
    while (i > 0 && s->heap[(i - 1) / 2].lb > lb) {
        s->heap[i] = s->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    s->heap[i] = (pending_t){id, refined, lb};
}

static pending_t pop(search_t *s)
{
    pending_t top = s->heap[0], last = s->heap[--s->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= s->n)
            break;
        if (c + 1 < s->n && s->heap[c + 1].lb < s->heap[c].lb)
            c++;
        if (!(s->heap[c].lb < last.lb))
            break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (s->n)
        s->heap[i] = last;
    return top;
}

/* Depth first, nearer child first: the search of a subtree that did not
 * fit in the queue. */
static void search_subtree(search_t *s, uint32_t node)
{
    const evm_lines_t *L = s->L;
    pending_t stack[STACK_MAX];
    size_t sp = 0;
    stack[sp++] = (pending_t){node, true, 0};
    while (sp > 0) {
        pending_t top = stack[--sp];
        if (top.lb >= s->b.d)
            continue;
        const evm_lnode_t *nd = &L->nodes[top.node];
        if (nd->left == 0) {
            for (uint32_t i = nd->lo; i < nd->hi; i++) {
                if (seg_lower_bound(&s->q, &L->segs[i], s->b.d) < s->b.d)
                    seg_nearest(s->g, L, &s->vc, s->lat, s->lon, i, &s->b);
            }
            continue;
        }
        const evm_lnode_t *l = &L->nodes[nd->left], *r = &L->nodes[nd->right];
        double lb_l = lower_bound(&s->q, l->c, l->r, l->ang, s->b.d);
        double lb_r = lower_bound(&s->q, r->c, r->r, r->ang, s->b.d);
        pending_t near = {nd->left, true, lb_l}, far = {nd->right, true, lb_r};
        if (lb_r < lb_l) {
            near = far;
            far = (pending_t){nd->left, true, lb_l};
        }
        if (far.lb < s->b.d && sp < STACK_MAX)
            stack[sp++] = far;
        if (near.lb < s->b.d && sp < STACK_MAX)
            stack[sp++] = near;
    }
}

bool evm_lines_nearest(const evm_lines_t *L, double lat_deg, double lon_deg,
                       evm_nearest_t *out)
{
    evm_nearest_t none = {NAN, NAN, NAN, 0, 0, NAN};
    if (out)
        *out = none;
    if (!L || L->n_segs == 0 || !isfinite(lon_deg) ||
        !(lat_deg >= -90 && lat_deg <= 90))
        return false;
    search_t s;
    s.L = L;
    s.g = evm_wgs84();
    s.lat = lat_deg;
    s.lon = lon_deg;
    s.b = (best_t){INFINITY, NAN, NAN, NAN, NULL};
    s.n = 0;
    s.vc.n = s.vc.next = 0;
    query_init(&s.q, lat_deg, lon_deg);
    /* Best first: candidates in order of their lower bounds, so the first
     * segments measured are the likely nearest, and the search ends as
     * soon as nothing waiting can beat what was found. */
    const evm_lnode_t *root = &L->nodes[0];
    push(&s, 0, chord_bound(&s.q, root->c, root->r), false);
    while (s.n > 0) {
        pending_t top = pop(&s);
        if (top.lb >= s.b.d)
            break;
        uint32_t id = top.node;
        /* Candidates wait with the chord bound, the cheapest; the tighter
         * one is computed only for those that reach the top. */
        double r = id & SEG_BIT ? L->segs[id & ~SEG_BIT].r : L->nodes[id].r;
        if (!top.refined && top.lb > REFINE_M && may_prune(top.lb, r, s.b.d)) {
            double lb = fmax(
                top.lb, id & SEG_BIT
                            ? seg_ball_bound(&s.q, &L->segs[id & ~SEG_BIT])
                            : ball_bound(&s.q, L->nodes[id].c, L->nodes[id].r));
            if (s.n > 0 && lb > s.heap[0].lb) {
                push(&s, id, lb, true);
                continue;
            }
            if (lb >= s.b.d)
                continue;
        }
        if (id & SEG_BIT) {
            seg_nearest(s.g, L, &s.vc, lat_deg, lon_deg, id & ~SEG_BIT, &s.b);
            continue;
        }
        const evm_lnode_t *nd = &L->nodes[id];
        if (nd->left == 0) {
            for (uint32_t i = nd->lo; i < nd->hi; i++)
                push(&s, SEG_BIT | i, seg_chord_bound(&s.q, &L->segs[i]),
                     false);
            continue;
        }
        push(&s, nd->left,
             chord_bound(&s.q, L->nodes[nd->left].c, L->nodes[nd->left].r),
             false);
        push(&s, nd->right,
             chord_bound(&s.q, L->nodes[nd->right].c, L->nodes[nd->right].r),
             false);
    }
    best_t b = s.b;
    if (!b.seg)
        return false;
    if (out) {
        /* A vertex comes as the data gave it, maybe beyond 180. */
        double lon = remainder(b.lon, 360.0);
        *out =
            (evm_nearest_t){b.d,         b.lat,         lon,
                            b.seg->line, b.seg->vertex, b.seg->off_m + b.along};
    }
    return true;
}

double evm_lines_segment_bound(const evm_lines_t *L, size_t k, double lat_deg,
                               double lon_deg)
{
    query_t q;
    query_init(&q, lat_deg, lon_deg);
    /* Both bounds, whatever the distance. */
    return fmax(seg_chord_bound(&q, &L->segs[k]),
                seg_ball_bound(&q, &L->segs[k]));
}

bool evm_lines_nearest_brute(const evm_lines_t *L, double lat_deg,
                             double lon_deg, evm_nearest_t *out)
{
    evm_nearest_t none = {NAN, NAN, NAN, 0, 0, NAN};
    if (out)
        *out = none;
    if (!L || L->n_segs == 0 || !isfinite(lon_deg) ||
        !(lat_deg >= -90 && lat_deg <= 90))
        return false;
    const struct geod_geodesic *g = evm_wgs84();
    best_t b = {INFINITY, NAN, NAN, NAN, NULL};
    /* Every segment, both ends and the interior, with no bound at all. */
    for (size_t k = 0; k < L->n_segs; k++) {
        const evm_lseg_t *s = &L->segs[k];
        double d_a, azi_a, d_b, azi_b, len, azi1, azi2;
        geod_inverse(g, lat_deg, lon_deg, s->lat1, s->lon1, &d_a, NULL, &azi_a);
        consider(&b, d_a, s->lat1, s->lon1, 0, s);
        geod_inverse(g, s->lat1, s->lon1, s->lat2, s->lon2, &len, &azi1, &azi2);
        if (len == 0)
            continue;
        geod_inverse(g, lat_deg, lon_deg, s->lat2, s->lon2, &d_b, NULL, &azi_b);
        consider(&b, d_b, s->lat2, s->lon2, len, s);
        double g0 = cos((azi_a - azi1) * DEG), g1 = cos((azi_b - azi2) * DEG);
        if (g0 < 0 && g1 > 0)
            seg_interior(g, lat_deg, lon_deg, s, len, azi1, d_a, g0, d_b, g1,
                         &b);
    }
    if (!b.seg)
        return false;
    if (out)
        *out =
            (evm_nearest_t){b.d,         b.lat,         remainder(b.lon, 360.0),
                            b.seg->line, b.seg->vertex, b.seg->off_m + b.along};
    return true;
}
