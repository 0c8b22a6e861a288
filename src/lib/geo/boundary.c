/* A country's boundary as a line set, and inside/outside for a country.
 *
 * The whole boundary is every edge of the country's rings except two
 * kinds that are not boundary at all: edges along the antimeridian where
 * the data cut a polygon in two (both ends at longitude +-180: Russia's
 * Chukotka, Fiji), and edges that the country's rings run in both
 * directions (two of its own polygons touching). The land boundary alone
 * is the border arcs the country shares with another country, which the
 * topology classifies when it loads. Runs of consecutive kept edges become
 * the polylines of the set.
 *
 * Inside/outside is the even-odd rule over all rings of the country with
 * a ray due north from the point, on edges straight in longitude and
 * latitude as the data defines and draws them. Longitudes are taken
 * relative to the point's meridian, so rings that cross the antimeridian
 * and rings that wind round a pole (Antarctica) count correctly. Only an
 * edge whose longitudes span the point's meridian can cross the ray, so
 * the edges are filed by strip of longitude once, and a point tests the
 * few edges of its strip (a strip's margin of one strip on either side
 * covers rounding): the answer is that of testing every edge. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/basemap.h"
#include "core/error.h"
#include "geo/lines_internal.h"

/* Polylines being collected. */
typedef struct collect {
    double *pts;
    size_t n_pts, cap_pts;
    size_t *start;
    size_t n_lines, cap_lines;
    bool open; /* a line is being extended */
} collect_t;

static int push_point(collect_t *c, const double *p)
{
    if (evm_grow((void **)&c->pts, &c->cap_pts, 2 * (c->n_pts + 1),
                 sizeof *c->pts))
        return -1;
    c->pts[2 * c->n_pts] = p[0];
    c->pts[2 * c->n_pts + 1] = p[1];
    c->n_pts++;
    return 0;
}

/* Appends edge p-q, continuing the open line when it ends at p. */
static int push_edge(collect_t *c, const double *p, const double *q)
{
    if (!c->open) {
        if (evm_grow((void **)&c->start, &c->cap_lines, c->n_lines + 2,
                     sizeof *c->start))
            return -1;
        c->start[c->n_lines++] = c->n_pts;
        c->open = true;
        if (push_point(c, p))
            return -1;
    }
    return push_point(c, q);
}

static void end_line(collect_t *c)
{
    c->open = false;
}

static bool is_seam(const double *p, const double *q)
{
    return fabs(p[0]) == 180 && fabs(q[0]) == 180;
}

/* An undirected edge of the country's rings, for finding the ones run
 * both ways. */
typedef struct edge_key {
    double k[4]; /* the lesser end first */
    size_t ring_edge;
} edge_key_t;

static int cmp_pt(const double *a, const double *b)
{
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    if (a[1] != b[1])
        return a[1] < b[1] ? -1 : 1;
    return 0;
}

static int cmp_key(const void *pa, const void *pb)
{
    const edge_key_t *a = pa, *b = pb;
    int c = cmp_pt(a->k, b->k);
    return c ? c : cmp_pt(a->k + 2, b->k + 2);
}

/* Marks interior[e] for the ring edges (numbered over all rings of the
 * country, edge i of a ring from point i to i + 1) that appear twice. */
static int mark_interior(const evm_basemap_t *m, size_t c, size_t n_edges,
                         bool *interior)
{
    edge_key_t *keys = evm_alloc_array(n_edges ? n_edges : 1, sizeof *keys);
    if (!keys)
        return -1;
    size_t e = 0;
    for (size_t r = m->country_ring_off[c]; r < m->country_ring_off[c + 1];
         r++) {
        size_t n = m->ring_off[r + 1] - m->ring_off[r];
        const double *pts = &m->ring_pts[2 * m->ring_off[r]];
        for (size_t i = 0; i < n; i++, e++) {
            const double *p = pts + 2 * i, *q = pts + 2 * ((i + 1) % n);
            bool swap = cmp_pt(q, p) < 0;
            const double *lo = swap ? q : p, *hi = swap ? p : q;
            keys[e] = (edge_key_t){{lo[0], lo[1], hi[0], hi[1]}, e};
        }
    }
    qsort(keys, n_edges, sizeof *keys, cmp_key);
    for (size_t i = 0; i + 1 < n_edges; i++)
        if (cmp_key(&keys[i], &keys[i + 1]) == 0)
            interior[keys[i].ring_edge] = interior[keys[i + 1].ring_edge] =
                true;
    free(keys);
    return 0;
}

static int collect_rings(const evm_basemap_t *m, size_t c, collect_t *out)
{
    size_t n_edges = 0;
    for (size_t r = m->country_ring_off[c]; r < m->country_ring_off[c + 1]; r++)
        n_edges += m->ring_off[r + 1] - m->ring_off[r];
    bool *interior = calloc(n_edges ? n_edges : 1, sizeof *interior);
    if (!interior || mark_interior(m, c, n_edges, interior)) {
        free(interior);
        return -1;
    }
    size_t e0 = 0;
    int rc = 0;
    for (size_t r = m->country_ring_off[c];
         r < m->country_ring_off[c + 1] && !rc; r++) {
        size_t n = m->ring_off[r + 1] - m->ring_off[r];
        const double *pts = &m->ring_pts[2 * m->ring_off[r]];
        /* Start after an edge that is dropped, so that a run crossing the
         * ring's first point stays one line; a ring with none is closed
         * by repeating its first point. */
        size_t first = 0;
        for (size_t i = 0; i < n; i++) {
            const double *p = pts + 2 * i, *q = pts + 2 * ((i + 1) % n);
            if (interior[e0 + i] || is_seam(p, q)) {
                first = (i + 1) % n;
                break;
            }
        }
        for (size_t t = 0; t < n && !rc; t++) {
            size_t i = (first + t) % n;
            const double *p = pts + 2 * i, *q = pts + 2 * ((i + 1) % n);
            if (interior[e0 + i] || is_seam(p, q)) {
                end_line(out);
                continue;
            }
            rc = push_edge(out, p, q);
        }
        end_line(out);
        e0 += n;
    }
    free(interior);
    return rc;
}

static int collect_borders(const evm_basemap_t *m, size_t c, collect_t *out)
{
    for (size_t a = 0; a < m->n_arcs; a++) {
        if (m->arc_class[a] != EVM_ARC_BORDER ||
            (m->arc_left[a] != (int32_t)c && m->arc_right[a] != (int32_t)c))
            continue;
        const double *pts = &m->arc_pts[2 * m->arc_off[a]];
        size_t n = m->arc_off[a + 1] - m->arc_off[a];
        for (size_t i = 0; i + 1 < n; i++) {
            const double *p = pts + 2 * i, *q = p + 2;
            if (is_seam(p, q)) {
                end_line(out);
                continue;
            }
            if (push_edge(out, p, q))
                return -1;
        }
        end_line(out);
    }
    return 0;
}

/* The strip of longitude lon (any value), in [0, EVM_LINES_STRIPS). */
static long strip_of(double lon)
{
    double x = (lon + 180.0) / 360.0;
    x -= floor(x);
    long k = (long)(x * EVM_LINES_STRIPS);
    return k < 0 ? 0 : k >= EVM_LINES_STRIPS ? EVM_LINES_STRIPS - 1 : k;
}

/* The strips an edge from longitude p0 to q0 may cross the meridian of a
 * point in: [*k0, *k0 + *nk) modulo the count. An edge spanning half the
 * world or more is put in every strip. */
static void edge_strips(double p0, double q0, long *k0, long *nk)
{
    double d = remainder(q0 - p0, 360.0);
    if (!(fabs(d) < 179.0)) {
        *k0 = 0;
        *nk = EVM_LINES_STRIPS;
        return;
    }
    double lo = d >= 0 ? p0 : p0 + d;
    long a = strip_of(lo);
    long n = (long)(fabs(d) / (360.0 / EVM_LINES_STRIPS)) + 4;
    *k0 = a - 1;
    *nk = n > EVM_LINES_STRIPS ? EVM_LINES_STRIPS : n;
}

/* Files every ring edge of the country by strip (two passes: count,
 * then place). -1 when out of memory. */
static int index_strips(evm_lines_t *L)
{
    const evm_basemap_t *m = L->map;
    size_t c = L->country;
    L->strip_off = calloc(EVM_LINES_STRIPS + 1, sizeof *L->strip_off);
    if (!L->strip_off)
        return -1;
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t r = m->country_ring_off[c]; r < m->country_ring_off[c + 1];
             r++) {
            size_t n = m->ring_off[r + 1] - m->ring_off[r];
            const double *pts = &m->ring_pts[2 * m->ring_off[r]];
            for (size_t i = 0; i < n; i++) {
                long k0, nk;
                edge_strips(pts[2 * i], pts[2 * ((i + 1) % n)], &k0, &nk);
                for (long t = 0; t < nk; t++) {
                    long k = ((k0 + t) % EVM_LINES_STRIPS + EVM_LINES_STRIPS) %
                             EVM_LINES_STRIPS;
                    if (pass == 0)
                        L->strip_off[k + 1]++;
                    else
                        L->strip_edge[L->strip_off[k + 1]++] =
                            (evm_ring_edge_t){(uint32_t)r, (uint32_t)i};
                }
            }
        }
        if (pass == 0) {
            for (size_t k = 0; k < EVM_LINES_STRIPS; k++)
                L->strip_off[k + 1] += L->strip_off[k];
            total = L->strip_off[EVM_LINES_STRIPS];
            if (total > UINT32_MAX / 2)
                return -1;
            L->strip_edge =
                evm_alloc_array(total ? total : 1, sizeof *L->strip_edge);
            if (!L->strip_edge)
                return -1;
            /* Strip k is filled at strip_off[k + 1], which then moves
             * from its start to its end, the start of strip k + 1. */
            memmove(L->strip_off + 1, L->strip_off,
                    EVM_LINES_STRIPS * sizeof *L->strip_off);
            L->strip_off[0] = 0;
        }
    }
    return 0;
}

evm_status evm_lines_from_country(const evm_basemap_t *map, size_t country,
                                  bool land_only, evm_lines_t **out,
                                  evm_error_t *err)
{
    if (!out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no output for the boundary");
    *out = NULL;
    if (!map || country >= map->n_countries)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no country %zu in the base map", country);
    collect_t c = {0};
    int rc = land_only ? collect_borders(map, country, &c)
                       : collect_rings(map, country, &c);
    evm_lines_t *L = calloc(1, sizeof *L);
    if (L)
        L->name = evm_strdup(map->country_name[country]);
    if (rc || !L || !L->name ||
        evm_grow((void **)&c.start, &c.cap_lines, c.n_lines + 1,
                 sizeof *c.start)) {
        free(c.pts);
        free(c.start);
        evm_lines_destroy(L);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory collecting the boundary of %s",
                             map->country_name[country]);
    }
    c.start[c.n_lines] = c.n_pts;
    L->pts = c.pts;
    L->start = c.start;
    L->n_lines = c.n_lines;
    L->is_area = true;
    L->map = map;
    L->country = country;
    if (index_strips(L)) {
        evm_lines_destroy(L);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory indexing the boundary of %s",
                             map->country_name[country]);
    }
    evm_status st = evm_lines_index(L, err);
    if (st) {
        evm_lines_destroy(L);
        return st;
    }
    *out = L;
    return EVM_OK;
}

/* x - lon0 brought into [-180, 180). */
static double rel_lon(double x, double lon0)
{
    double r = x - lon0;
    return r - 360.0 * floor((r + 180.0) / 360.0);
}

/* Whether edge i of ring r crosses the ray due north of the point. */
static bool crosses(const evm_basemap_t *m, size_t r, size_t i, double lat_deg,
                    double lon_deg)
{
    const evm_llbox_t *bx = &m->ring_box[r];
    /* The ray runs north from the point: a ring entirely south of it, or
     * beside it, cannot cross it. */
    if (bx->n < lat_deg)
        return false;
    double east_of_w = fmod(lon_deg - bx->w, 360.0);
    if (east_of_w < 0)
        east_of_w += 360.0;
    if (bx->e - bx->w < 360 && east_of_w > bx->e - bx->w)
        return false;
    size_t n = m->ring_off[r + 1] - m->ring_off[r];
    const double *pts = &m->ring_pts[2 * m->ring_off[r]];
    const double *p = pts + 2 * i, *q = pts + 2 * ((i + 1) % n);
    double r1 = rel_lon(p[0], lon_deg), r2 = rel_lon(q[0], lon_deg);
    /* An edge with ends on either side of the point's meridian, not of
     * the meridian opposite. The half-open test (> 0) counts a vertex on
     * the meridian once. */
    if ((r1 > 0) != (r2 > 0) && fabs(r2 - r1) < 180) {
        double t = r1 / (r1 - r2);
        return p[1] + t * (q[1] - p[1]) > lat_deg;
    }
    return false;
}

int evm_lines_contains(const evm_lines_t *L, double lat_deg, double lon_deg)
{
    if (!L || !L->is_area)
        return -1;
    if (!isfinite(lon_deg) || !(lat_deg >= -90 && lat_deg <= 90))
        return 0;
    bool inside = false;
    long k = strip_of(lon_deg);
    for (uint32_t e = L->strip_off[k]; e < L->strip_off[k + 1]; e++)
        if (crosses(L->map, L->strip_edge[e].ring, L->strip_edge[e].i, lat_deg,
                    lon_deg))
            inside = !inside;
    return inside ? 1 : 0;
}

int evm_lines_contains_brute(const evm_lines_t *L, double lat_deg,
                             double lon_deg)
{
    if (!L || !L->is_area)
        return -1;
    if (!isfinite(lon_deg) || !(lat_deg >= -90 && lat_deg <= 90))
        return 0;
    const evm_basemap_t *m = L->map;
    bool inside = false;
    for (size_t r = m->country_ring_off[L->country];
         r < m->country_ring_off[L->country + 1]; r++) {
        size_t n = m->ring_off[r + 1] - m->ring_off[r];
        for (size_t i = 0; i < n; i++)
            if (crosses(m, r, i, lat_deg, lon_deg))
                inside = !inside;
    }
    return inside ? 1 : 0;
}
