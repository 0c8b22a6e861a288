/* The reference layers drawn under everything else: rivers (by Natural
 * Earth's scale rank for the map's scale), lakes (filled like the ocean,
 * their shores stroked like coasts) and disputed areas (tinted and
 * hatched, their boundaries dashed), each from the layer of the base
 * map's resolution. The hatching is geometry in the scene, not a backend
 * pattern, so that PNG, PDF and SVG draw the same lines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "load/basemap_internal.h"
#include "load/layers.h"
#include "map/layout_internal.h"

static evm_status view_error(evm_layout_t *L, evm_path_t *p, evm_status st,
                             const char *what)
{
    evm_path_free(p);
    return evm_error_set(L->err, st, NULL, 0, 0, "could not project the %s",
                         what);
}

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

static evm_status lakes(evm_layout_t *L, const evm_basemap_t *m)
{
    evm_path_t fill = {0}, shore = {0};
    evm_status st = EVM_OK;
    for (size_t r = 0; !st && r < m->n_rings; r++) {
        if (!evm_view_box_visible(&L->view, &m->ring_box[r]))
            continue;
        const double *p = m->ring_pts + 2 * m->ring_off[r];
        size_t n = m->ring_off[r + 1] - m->ring_off[r];
        st = evm_view_add_ring(&L->view, p, n, &fill);
        if (!st)
            st = ring_as_line(&L->view, p, n, &shore);
    }
    if (st) {
        evm_path_free(&shore);
        return view_error(L, &fill, st, "lakes");
    }
    evm_style_t style = {0};
    style.fill = L->pal->ocean;
    if ((st = evm_layout_add_path(L, EVM_LAYER_LAKES, "lakes", "", style,
                                  &fill))) {
        evm_path_free(&shore);
        return st;
    }
    style = (evm_style_t){0};
    style.stroke = L->pal->coast;
    style.stroke_px = 0.6 * L->pt_px * L->pal->line_scale;
    style.join = EVM_JOIN_BEVEL;
    return evm_layout_add_path(L, EVM_LAYER_LAKES, "lake-shores", "", style,
                               &shore);
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

static evm_status rivers(evm_layout_t *L, const evm_basemap_t *m)
{
    /* Two weights: the great rivers, and the rest. */
    evm_path_t major = {0}, minor = {0};
    double rank_max = river_rank_max(L->km_per_px);
    evm_status st = EVM_OK;
    for (size_t f = 0; !st && f < m->n_countries; f++) {
        const char *attrs = m->country_id[f];
        double rank = evm_layer_attr_num(attrs, "scalerank", 99);
        char cls[32] = "";
        evm_layer_attr(attrs, "featurecla", cls, sizeof cls);
        /* A line through a lake is the lake's, not a river to draw. */
        if (rank > rank_max || strstr(cls, "Lake"))
            continue;
        evm_path_t *out = rank <= rank_max - 3 ? &major : &minor;
        for (size_t r = m->country_ring_off[f];
             !st && r < m->country_ring_off[f + 1]; r++) {
            if (!evm_view_box_visible(&L->view, &m->ring_box[r]))
                continue;
            size_t off = m->ring_off[r], n = m->ring_off[r + 1] - off;
            if (n >= 2)
                st = evm_view_add_line(&L->view, m->ring_pts + 2 * off, n, out);
        }
    }
    if (st) {
        evm_path_free(&minor);
        return view_error(L, &major, st, "rivers");
    }
    evm_style_t style = {0};
    style.stroke = L->pal->river;
    style.stroke_px = 0.45 * L->pt_px * L->pal->line_scale;
    style.cap = EVM_CAP_BUTT;
    style.join = EVM_JOIN_BEVEL;
    if ((st = evm_layout_add_path(L, EVM_LAYER_RIVERS, "rivers", "", style,
                                  &minor))) {
        evm_path_free(&major);
        return st;
    }
    style.stroke_px = 0.8 * L->pt_px * L->pal->line_scale;
    return evm_layout_add_path(L, EVM_LAYER_RIVERS, "rivers-major", "", style,
                               &major);
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

static evm_status disputed(evm_layout_t *L, const evm_basemap_t *areas,
                           const evm_basemap_t *lines)
{
    evm_path_t fill = {0}, dash = {0}, lines_h = {0};
    evm_status st = EVM_OK;
    for (size_t f = 0; areas && !st && f < areas->n_countries; f++) {
        if (!is_dispute(areas->country_id[f]))
            continue;
        size_t s0 = fill.n_subs;
        for (size_t r = areas->country_ring_off[f];
             !st && r < areas->country_ring_off[f + 1]; r++) {
            if (!evm_view_box_visible(&L->view, &areas->ring_box[r]))
                continue;
            size_t off = areas->ring_off[r], n = areas->ring_off[r + 1] - off;
            st = evm_view_add_ring(&L->view, areas->ring_pts + 2 * off, n,
                                   &fill);
        }
        /* Hatched area by area: two that overlap (Crimea and a
         * neighbouring occupied area) both stay hatched. */
        if (!st)
            st = hatch(&fill, s0, fill.n_subs, 4 * L->pt_px, &lines_h);
    }
    for (size_t r = 0; lines && !st && r < lines->n_rings; r++) {
        if (!evm_view_box_visible(&L->view, &lines->ring_box[r]))
            continue;
        size_t off = lines->ring_off[r], n = lines->ring_off[r + 1] - off;
        if (n >= 2)
            st = evm_view_add_line(&L->view, lines->ring_pts + 2 * off, n,
                                   &dash);
    }
    /* The lines of de facto control that the worldview does not take
     * as borders (Crimea's, in the international view). */
    const evm_basemap_t *b = L->basemap;
    for (size_t a = 0; !st && a < b->n_arcs; a++) {
        if (b->arc_class[a] != EVM_ARC_DEFACTO ||
            !evm_view_box_visible(&L->view, &b->arc_box[a]))
            continue;
        size_t off = b->arc_off[a], n = b->arc_off[a + 1] - off;
        st = evm_view_add_line(&L->view, b->arc_pts + 2 * off, n, &dash);
    }
    if (st) {
        evm_path_free(&dash);
        evm_path_free(&lines_h);
        return view_error(L, &fill, st, "disputed areas");
    }
    /* Hatched as well as tinted: a tint alone is lost in print and on
     * the dark theme, and reads as one more country colour. */
    evm_style_t style = {0};
    style.fill = L->pal->disputed_fill;
    if ((st = evm_layout_add_path(L, EVM_LAYER_DISPUTED, "disputed-areas", "",
                                  style, &fill))) {
        evm_path_free(&lines_h);
        evm_path_free(&dash);
        return st;
    }
    style = (evm_style_t){0};
    style.stroke = L->pal->disputed_line;
    style.stroke.a *= 0.6;
    style.stroke_px = 0.5 * L->pt_px * L->pal->line_scale;
    style.cap = EVM_CAP_BUTT;
    if ((st = evm_layout_add_path(L, EVM_LAYER_DISPUTED, "disputed-hatch", "",
                                  style, &lines_h))) {
        evm_path_free(&dash);
        return st;
    }
    style = (evm_style_t){0};
    style.stroke = L->pal->disputed_line;
    style.stroke_px = 0.8 * L->pt_px * L->pal->line_scale;
    style.dash_px[0] = 3 * L->pt_px;
    style.dash_px[1] = 2 * L->pt_px;
    style.n_dash = 2;
    style.cap = EVM_CAP_BUTT;
    style.join = EVM_JOIN_BEVEL;
    return evm_layout_add_path(L, EVM_LAYER_DISPUTED, "disputed-lines", "",
                               style, &dash);
}

evm_status evm_layout_reference(evm_layout_t *L)
{
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
    evm_status st = EVM_OK;
    if (m[EVM_REF_RIVERS])
        st = rivers(L, m[EVM_REF_RIVERS]);
    if (!st && m[EVM_REF_LAKES])
        st = lakes(L, m[EVM_REF_LAKES]);
    if (!st)
        st = disputed(L, m[EVM_REF_DISPUTED_AREAS], m[EVM_REF_DISPUTED_LINES]);
    return st;
}
