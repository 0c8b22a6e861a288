/* The reference layers drawn under everything else: rivers (by Natural
 * Earth's scale rank for the map's scale), lakes (filled like the ocean,
 * their shores stroked like coasts) and disputed areas (tinted and
 * hatched, their boundaries dashed), each from the layer of the base
 * map's resolution. The hatching is geometry in the scene, not a backend
 * pattern, so that PNG, PDF and SVG draw the same lines.
 *
 * The geometry touches nothing but the layers and its own paths, so that
 * it can be projected on the base map's second thread (basemap_layer.c);
 * the paths join the scene afterwards, on the layout's thread. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "load/basemap_internal.h"
#include "load/layers.h"
#include "map/layout_internal.h"

/* A ring as an open line that returns to its start, so that a shore cut
 * by the frame is not stroked along the frame. */
static evm_status ring_as_line(const evm_view_t *view, const double *pts,
                               size_t n, evm_path_t *out)
{
    evm_status st = evm_view_add_line(view, pts, n, out);
    if (!st && n > 2) {
        double closing[4] = {pts[2 * n - 2], pts[2 * n - 1], pts[0], pts[1]};
        st = evm_view_add_line(view, closing, 2, out);
    }
    return st;
}

static evm_status lakes(const evm_view_t *view, evm_reference_t *r)
{
    const evm_basemap_t *m = r->lakes;
    evm_status st = EVM_OK;
    for (size_t k = 0; !st && k < m->n_rings; k++) {
        if (!evm_view_box_visible(view, &m->ring_box[k]))
            continue;
        const double *p = m->ring_pts + 2 * m->ring_off[k];
        size_t n = m->ring_off[k + 1] - m->ring_off[k];
        st = evm_view_add_ring(view, p, n, &r->lake_fill);
        if (!st)
            st = ring_as_line(view, p, n, &r->lake_shore);
    }
    if (st)
        r->failed = "lakes";
    return st;
}

/* The largest scale rank of river drawn at the map's scale: Natural
 * Earth ranks rivers 0 (the Amazon) to about 10; a map of a continent
 * shows the first few, a map of a region more. */
static double river_rank_max(double km_per_px)
{
    if (!(km_per_px < 12))
        return 3;
    if (km_per_px >= 6)
        return 4;
    if (km_per_px >= 2.5)
        return 5;
    if (km_per_px >= 1.2)
        return 6;
    if (km_per_px >= 0.6)
        return 7;
    if (km_per_px >= 0.3)
        return 8;
    return 10;
}

/* Whether river feature f is drawn at the map's scale, and among the
 * great rivers (*major). */
static bool river_drawn(const evm_reference_t *r, size_t f, bool *major)
{
    const char *attrs = r->rivers->country_id[f];
    double rank = evm_layer_attr_num(attrs, "scalerank", 99);
    char cls[32] = "";
    evm_layer_attr(attrs, "featurecla", cls, sizeof cls);
    /* A line through a lake is the lake's, not a river to draw. */
    *major = rank <= r->river_rank_max - 3;
    return rank <= r->river_rank_max && !strstr(cls, "Lake");
}

/* Whether some ring of feature f of m meets the view: tried before the
 * feature's attributes, which cost more to read. */
static bool feature_visible(const evm_view_t *view, const evm_basemap_t *m,
                            size_t f)
{
    for (size_t k = m->country_ring_off[f]; k < m->country_ring_off[f + 1]; k++)
        if (evm_view_box_visible(view, &m->ring_box[k]))
            return true;
    return false;
}

static evm_status rivers(const evm_view_t *view, evm_reference_t *r)
{
    /* Two weights: the great rivers, and the rest. */
    const evm_basemap_t *m = r->rivers;
    evm_status st = EVM_OK;
    for (size_t f = 0; !st && f < m->n_countries; f++) {
        bool major;
        if (!feature_visible(view, m, f) || !river_drawn(r, f, &major))
            continue;
        evm_path_t *out = major ? &r->river_major : &r->river_minor;
        for (size_t k = m->country_ring_off[f];
             !st && k < m->country_ring_off[f + 1]; k++) {
            if (!evm_view_box_visible(view, &m->ring_box[k]))
                continue;
            size_t off = m->ring_off[k], n = m->ring_off[k + 1] - off;
            if (n >= 2)
                st = evm_view_add_line(view, m->ring_pts + 2 * off, n, out);
        }
    }
    if (st)
        r->failed = "rivers";
    return st;
}

/* Whether a disputed-areas feature is a dispute (rather than an overlay
 * such as the Korean DMZ, or a lease). */
static bool is_dispute(const char *attrs)
{
    char type[32] = "", note[160] = "";
    evm_layer_attr(attrs, "type", type, sizeof type);
    evm_layer_attr(attrs, "note_brk", note, sizeof note);
    return strstr(note, "laimed by") || strcmp(type, "Indeterminate") == 0 ||
           strcmp(type, "Breakaway") == 0;
}

/* Where hatch line k (u along it, in page px) crosses an outline. */
typedef struct crossing {
    long k;
    double u;
} crossing_t;

static int crossing_cmp(const void *pa, const void *pb)
{
    const crossing_t *a = pa, *b = pb;
    if (a->k != b->k)
        return a->k < b->k ? -1 : 1;
    return a->u < b->u ? -1 : a->u > b->u;
}

/* Appends to out the hatching of closed subpaths [s0, s1) of area
 * (even-odd, so a hole stays clear):
 * lines rising at 45 degrees, spacing_px apart, cut where they cross
 * the outline. In the rotated frame u = (x + y) / sqrt 2 (along a hatch
 * line), v = (y - x) / sqrt 2 (across), line k is v = k spacing.
 * EVM_ERR_NOMEM. */
static evm_status hatch(const evm_path_t *area, size_t s0, size_t s1,
                        double spacing_px, evm_path_t *out)
{
    crossing_t *c = NULL;
    size_t n = 0, cap = 0;
    const double r2 = sqrt(0.5);
    for (size_t s = s0; s < s1; s++) {
        size_t a = area->sub_start[s], len = evm_path_sub_len(area, s);
        for (size_t i = 0; i < len; i++) {
            evm_point_t p = area->pts[a + i], q = area->pts[a + (i + 1) % len];
            double pu = (p.x + p.y) * r2, pv = (p.y - p.x) * r2;
            double qu = (q.x + q.y) * r2, qv = (q.y - q.x) * r2;
            if (pv == qv)
                continue;
            /* Lines k with v in [min, max): each crossing counted once
             * where two edges meet. */
            double lo = fmin(pv, qv), hi = fmax(pv, qv);
            for (long k = (long)ceil(lo / spacing_px);
                 (double)k * spacing_px < hi; k++) {
                double t = ((double)k * spacing_px - pv) / (qv - pv);
                if (evm_grow((void **)&c, &cap, n + 1, sizeof *c)) {
                    free(c);
                    return EVM_ERR_NOMEM;
                }
                c[n++] = (crossing_t){k, pu + t * (qu - pu)};
            }
        }
    }
    if (n > 1)
        qsort(c, n, sizeof *c, crossing_cmp);
    evm_status st = EVM_OK;
    for (size_t i = 0; i + 1 < n && !st; i++) {
        if (c[i].k != c[i + 1].k)
            continue;
        /* Inside from an odd crossing to the next. */
        double v = (double)c[i].k * spacing_px, u0 = c[i].u, u1 = c[i + 1].u;
        st = evm_path_move_to(out, (u0 - v) * r2, (u0 + v) * r2);
        if (!st)
            st = evm_path_line_to(out, (u1 - v) * r2, (u1 + v) * r2);
        i++;
    }
    free(c);
    return st;
}

static evm_status disputed(const evm_view_t *view, evm_reference_t *r)
{
    const evm_basemap_t *areas = r->areas, *lines = r->lines;
    evm_path_t *fill = &r->disputed_fill;
    evm_status st = EVM_OK;
    for (size_t f = 0; areas && !st && f < areas->n_countries; f++) {
        if (!is_dispute(areas->country_id[f]))
            continue;
        size_t s0 = fill->n_subs;
        for (size_t k = areas->country_ring_off[f];
             !st && k < areas->country_ring_off[f + 1]; k++) {
            if (!evm_view_box_visible(view, &areas->ring_box[k]))
                continue;
            size_t off = areas->ring_off[k], n = areas->ring_off[k + 1] - off;
            st = evm_view_add_ring(view, areas->ring_pts + 2 * off, n, fill);
        }
        /* Hatched area by area: two that overlap (Crimea and a
         * neighbouring occupied area) both stay hatched. */
        if (!st)
            st = hatch(fill, s0, fill->n_subs, r->hatch_px, &r->disputed_hatch);
    }
    for (size_t k = 0; lines && !st && k < lines->n_rings; k++) {
        if (!evm_view_box_visible(view, &lines->ring_box[k]))
            continue;
        size_t off = lines->ring_off[k], n = lines->ring_off[k + 1] - off;
        if (n >= 2)
            st = evm_view_add_line(view, lines->ring_pts + 2 * off, n,
                                   &r->disputed_dash);
    }
    /* The lines of de facto control that the worldview does not take
     * as borders (Crimea's, in the international view). */
    const evm_basemap_t *b = r->countries;
    for (size_t a = 0; !st && a < b->n_arcs; a++) {
        if (b->arc_class[a] != EVM_ARC_DEFACTO ||
            !evm_view_box_visible(view, &b->arc_box[a]))
            continue;
        size_t off = b->arc_off[a], n = b->arc_off[a + 1] - off;
        st =
            evm_view_add_line(view, b->arc_pts + 2 * off, n, &r->disputed_dash);
    }
    if (st)
        r->failed = "disputed areas";
    return st;
}

evm_status evm_reference_prepare(evm_layout_t *L, evm_reference_t *r)
{
    memset(r, 0, sizeof *r);
    const evm_basemap_t *m[EVM_REF_COUNT] = {0};
    for (int k = 0; k < EVM_REF_COUNT; k++) {
        if (k == EVM_REF_PLACES || k == EVM_REF_MARINE ||
            (k == EVM_REF_RIVERS && !L->opt->rivers))
            continue;
        evm_status st = evm_geodata_layer(L->geodata, (evm_ref_layer)k, L->res,
                                          &m[k], L->err);
        if (st)
            return st;
    }
    r->rivers = m[EVM_REF_RIVERS];
    r->lakes = m[EVM_REF_LAKES];
    r->areas = m[EVM_REF_DISPUTED_AREAS];
    r->lines = m[EVM_REF_DISPUTED_LINES];
    r->countries = L->basemap;
    r->river_rank_max = river_rank_max(L->km_per_px);
    r->hatch_px = 4 * L->pt_px;
    return EVM_OK;
}

/* Vertices of the rings of m (none when NULL) whose box meets the view. */
static size_t visible_vertices(const evm_view_t *view, const evm_basemap_t *m)
{
    size_t n = 0;
    for (size_t k = 0; m && k < m->n_rings; k++)
        if (evm_view_box_visible(view, &m->ring_box[k]))
            n += m->ring_off[k + 1] - m->ring_off[k];
    return n;
}

size_t evm_reference_vertices(const evm_view_t *view, const evm_reference_t *r)
{
    return visible_vertices(view, r->rivers) +
           2 * visible_vertices(view, r->lakes) +
           visible_vertices(view, r->areas) + visible_vertices(view, r->lines);
}

evm_status evm_reference_geometry(const evm_view_t *view, evm_reference_t *r)
{
    evm_status st = EVM_OK;
    if (r->rivers)
        st = rivers(view, r);
    if (!st && r->lakes)
        st = lakes(view, r);
    if (!st)
        st = disputed(view, r);
    return st;
}

void evm_reference_free(evm_reference_t *r)
{
    evm_path_free(&r->river_minor);
    evm_path_free(&r->river_major);
    evm_path_free(&r->lake_fill);
    evm_path_free(&r->lake_shore);
    evm_path_free(&r->disputed_fill);
    evm_path_free(&r->disputed_hatch);
    evm_path_free(&r->disputed_dash);
}

evm_status evm_reference_add(evm_layout_t *L, evm_reference_t *r)
{
    evm_status st = EVM_OK;
    if (r->rivers) {
        st = evm_layout_add_path(
            L, EVM_LAYER_RIVERS, "rivers", "",
            evm_layout_line_style(L, L->pal->river, 0.45, EVM_JOIN_BEVEL),
            &r->river_minor);
        if (!st)
            st = evm_layout_add_path(
                L, EVM_LAYER_RIVERS, "rivers-major", "",
                evm_layout_line_style(L, L->pal->river, 0.8, EVM_JOIN_BEVEL),
                &r->river_major);
    }
    if (!st && r->lakes) {
        st = evm_layout_add_path(L, EVM_LAYER_LAKES, "lakes", "",
                                 (evm_style_t){.fill = L->pal->ocean},
                                 &r->lake_fill);
        if (!st)
            st = evm_layout_add_path(
                L, EVM_LAYER_LAKES, "lake-shores", "",
                evm_layout_line_style(L, L->pal->coast, 0.6, EVM_JOIN_BEVEL),
                &r->lake_shore);
    }
    /* Hatched as well as tinted: a tint alone is lost in print and on
     * the dark theme, and reads as one more country colour. */
    if (!st)
        st = evm_layout_add_path(L, EVM_LAYER_DISPUTED, "disputed-areas", "",
                                 (evm_style_t){.fill = L->pal->disputed_fill},
                                 &r->disputed_fill);
    evm_rgba_t hatch = L->pal->disputed_line;
    hatch.a *= 0.6;
    if (!st)
        st = evm_layout_add_path(
            L, EVM_LAYER_DISPUTED, "disputed-hatch", "",
            evm_layout_line_style(L, hatch, 0.5, EVM_JOIN_MITER),
            &r->disputed_hatch);
    evm_style_t dashed =
        evm_layout_line_style(L, L->pal->disputed_line, 0.8, EVM_JOIN_BEVEL);
    dashed.dash_px[0] = 3 * L->pt_px;
    dashed.dash_px[1] = 2 * L->pt_px;
    dashed.n_dash = 2;
    if (!st)
        st = evm_layout_add_path(L, EVM_LAYER_DISPUTED, "disputed-lines", "",
                                 dashed, &r->disputed_dash);
    evm_reference_free(r);
    return st;
}
