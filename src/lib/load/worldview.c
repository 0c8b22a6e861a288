/* The international worldview of the countries (layers.h,
 * evm_geodata_worldview): Natural Earth draws by de facto control, so
 * an area annexed by force sits inside the annexing country's polygons.
 * For each such area in the table below, the administering country's
 * rings that lie inside the area (by their centroid, tested against the
 * disputed-areas polygon) move to the claimant, and the border arcs
 * between the two that run along the moved rings become
 * EVM_ARC_DEFACTO. The claimant's rings then include the area, so its
 * outline, inside test and boundary (the shared edges, run both ways by
 * the claimant's rings, cancel) are those of the recognised state.
 *
 * The table holds only what the international community has stated
 * without ambiguity; other disputed areas are tinted in both views. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "load/basemap_internal.h"
#include "load/layers.h"

static const struct transfer {
    const char *area; /* the disputed-areas feature's name */
    const char *from; /* the administering country (Natural Earth name) */
    const char *to;   /* the state it belongs to */
} transfers[] = {
    /* UN General Assembly resolution 68/262 (2014). */
    {"Crimea", "Russia", "Ukraine"},
};

static long find_country(const evm_basemap_t *m, const char *name)
{
    for (size_t c = 0; c < m->n_countries; c++)
        if (strcmp(m->country_name[c], name) == 0)
            return (long)c;
    return -1;
}

/* The area centroid of a ring (its first point if it has no area). */
static void centroid(const double *p, size_t n, double xy[2])
{
    double cx = 0, cy = 0, a = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double f = p[2 * j] * p[2 * i + 1] - p[2 * i] * p[2 * j + 1];
        cx += (p[2 * j] + p[2 * i]) * f;
        cy += (p[2 * j + 1] + p[2 * i + 1]) * f;
        a += 3 * f;
    }
    xy[0] = a != 0 ? cx / a : p[0];
    xy[1] = a != 0 ? cy / a : p[1];
}

/* Even-odd over every ring of feature f of layer m. */
static bool feature_contains(const evm_basemap_t *m, size_t f,
                             const double xy[2])
{
    bool in = false;
    for (size_t r = m->country_ring_off[f]; r < m->country_ring_off[f + 1];
         r++) {
        const double *p = m->ring_pts + 2 * m->ring_off[r];
        size_t n = m->ring_off[r + 1] - m->ring_off[r];
        for (size_t i = 0, j = n - 1; i < n; j = i++) {
            double xi = p[2 * i], yi = p[2 * i + 1];
            double xj = p[2 * j], yj = p[2 * j + 1];
            if ((yi > xy[1]) != (yj > xy[1]) &&
                xy[0] < (xj - xi) * (xy[1] - yi) / (yj - yi) + xi)
                in = !in;
        }
    }
    return in;
}

static int cmp_pt(const void *a, const void *b)
{
    const double *p = a, *q = b;
    if (p[0] != q[0])
        return p[0] < q[0] ? -1 : 1;
    if (p[1] != q[1])
        return p[1] < q[1] ? -1 : 1;
    return 0;
}

/* The derived map: the arcs' points and boxes and the names borrowed
 * from base, everything else its own. */
static evm_status derive(const evm_basemap_t *base, const uint32_t *owner,
                         evm_basemap_t **out)
{
    evm_basemap_t *m = calloc(1, sizeof *m);
    if (!m)
        return EVM_ERR_NOMEM;
    m->borrowed = base;
    m->n_arcs = base->n_arcs;
    m->arc_off = base->arc_off;
    m->arc_pts = base->arc_pts;
    m->arc_box = base->arc_box;
    m->n_rings = base->n_rings;
    m->n_countries = base->n_countries;
    m->country_name = base->country_name;
    m->country_id = base->country_id;
    size_t n_pts = base->ring_off[base->n_rings];
    m->arc_class = malloc(base->n_arcs ? base->n_arcs : 1);
    m->arc_left = evm_alloc_array(base->n_arcs, sizeof *m->arc_left);
    m->arc_right = evm_alloc_array(base->n_arcs, sizeof *m->arc_right);
    m->ring_off = evm_alloc_array(base->n_rings + 1, sizeof *m->ring_off);
    m->ring_pts = evm_alloc_array(2 * n_pts, sizeof *m->ring_pts);
    m->ring_box = evm_alloc_array(base->n_rings, sizeof *m->ring_box);
    m->ring_country = evm_alloc_array(base->n_rings, sizeof *m->ring_country);
    m->country_ring_off =
        evm_alloc_array(base->n_countries + 1, sizeof *m->country_ring_off);
    if (!m->arc_class || !m->arc_left || !m->arc_right || !m->ring_off ||
        !m->ring_pts || !m->ring_box || !m->ring_country ||
        !m->country_ring_off) {
        evm_basemap_destroy(m);
        return EVM_ERR_NOMEM;
    }
    memcpy(m->arc_class, base->arc_class, base->n_arcs);
    memcpy(m->arc_left, base->arc_left, base->n_arcs * sizeof *m->arc_left);
    memcpy(m->arc_right, base->arc_right, base->n_arcs * sizeof *m->arc_right);
    /* Rings by their new owner, in the base order within each: a
     * counting sort (ring_country holds each slot's base ring meanwhile). */
    size_t *next = m->country_ring_off;
    memset(next, 0, (base->n_countries + 1) * sizeof *next);
    for (size_t r = 0; r < base->n_rings; r++)
        next[owner[r] + 1]++;
    for (size_t c = 0; c < base->n_countries; c++)
        next[c + 1] += next[c];
    for (size_t r = 0; r < base->n_rings; r++)
        m->ring_country[next[owner[r]]++] = (uint32_t)r;
    /* next[c] is now where country c + 1 starts. */
    memmove(next + 1, next, base->n_countries * sizeof *next);
    next[0] = 0;
    size_t p_out = 0;
    m->ring_off[0] = 0;
    for (size_t r_out = 0; r_out < base->n_rings; r_out++) {
        size_t r = m->ring_country[r_out];
        size_t off = base->ring_off[r], n = base->ring_off[r + 1] - off;
        memcpy(m->ring_pts + 2 * p_out, base->ring_pts + 2 * off,
               2 * n * sizeof *m->ring_pts);
        m->ring_box[r_out] = base->ring_box[r];
        m->ring_country[r_out] = owner[r];
        p_out += n;
        m->ring_off[r_out + 1] = p_out;
    }
    *out = m;
    return EVM_OK;
}

evm_status evm_worldview_international(const evm_basemap_t *base,
                                       const evm_basemap_t *areas,
                                       evm_basemap_t **out, evm_error_t *err)
{
    *out = NULL;
    if (!base || !areas)
        return EVM_OK;
    uint32_t *owner = evm_alloc_array(base->n_rings, sizeof *owner);
    double *verts = NULL;
    size_t n_verts = 0, cap_verts = 0;
    evm_status st = EVM_OK;
    if (!owner)
        goto nomem;
    for (size_t r = 0; r < base->n_rings; r++)
        owner[r] = base->ring_country[r];
    bool any = false;
    for (size_t t = 0; t < sizeof transfers / sizeof transfers[0]; t++) {
        long from = find_country(base, transfers[t].from);
        long to = find_country(base, transfers[t].to);
        long area = -1;
        for (size_t f = 0; f < areas->n_countries && area < 0; f++)
            if (strcmp(areas->country_name[f], transfers[t].area) == 0)
                area = (long)f;
        if (from < 0 || to < 0 || area < 0)
            continue;
        n_verts = 0;
        for (size_t r = base->country_ring_off[from];
             r < base->country_ring_off[from + 1]; r++) {
            const double *p = base->ring_pts + 2 * base->ring_off[r];
            size_t n = base->ring_off[r + 1] - base->ring_off[r];
            double c[2];
            centroid(p, n, c);
            if (!feature_contains(areas, (size_t)area, c))
                continue;
            owner[r] = (uint32_t)to;
            any = true;
            if (evm_grow((void **)&verts, &cap_verts, 2 * (n_verts + n),
                         sizeof *verts))
                goto nomem;
            memcpy(verts + 2 * n_verts, p, 2 * n * sizeof *verts);
            n_verts += n;
        }
        qsort(verts, n_verts, 2 * sizeof *verts, cmp_pt);
        /* Border arcs between the two along the moved rings. */
        if (!any)
            continue;
        if ((st = derive(base, owner, out)))
            goto nomem;
        for (size_t a = 0; a < base->n_arcs; a++) {
            int32_t l = base->arc_left[a], rr = base->arc_right[a];
            if (base->arc_class[a] != EVM_ARC_BORDER ||
                !((l == from && rr == to) || (l == to && rr == from)))
                continue;
            bool along = true;
            for (size_t i = base->arc_off[a]; along && i < base->arc_off[a + 1];
                 i++)
                along = bsearch(base->arc_pts + 2 * i, verts, n_verts,
                                2 * sizeof *verts, cmp_pt) != NULL;
            if (along)
                (*out)->arc_class[a] = EVM_ARC_DEFACTO;
        }
        /* One transfer today; with more, each would start from the last
         * derived map. */
        break;
    }
    free(owner);
    free(verts);
    return EVM_OK;
nomem:
    free(owner);
    free(verts);
    evm_basemap_destroy(*out);
    *out = NULL;
    return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory deriving the international worldview");
}
