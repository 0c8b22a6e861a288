/* Distance lines: the geodesic between two points, and the shortest line
 * from a point to a country's boundary with the country's outline
 * highlighted. Geometry goes to the page through the view
 * (evm_view_add_geodesic: adaptive to the view's tolerance, cut at the
 * antimeridian, clipped); each line gets small end marks and a label
 * with its length, which waits in L->line_labels until the map furniture
 * is placed, so that labels.c can keep it clear of everything.
 *
 * Border distances are measured on the 1:10m data whatever resolution
 * the map draws, so that the figure on the map is the one `evmap dist
 * --to-border` prints, and so is the highlighted outline, so that the
 * line ends on it.
 *
 * Every line is also kept as a scene feature in latitude and longitude,
 * whether or not it is on the map, for export as GeoJSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/geodesy.h>

#include "core/error.h"
#include "core/num.h"
#include "map/layout_internal.h"

/* Distance lines told apart when a map has several: colours picked for
 * colour-blind readers (from Paul Tol's and Okabe and Ito's schemes), at
 * least Delta E 15 apart for a deuteranope and 12 from every kind's
 * colour (test_line_labels), each with its own dash, so that lines sharing an
 * end or running side by side stay distinct in greyscale too. The first
 * is the look of a map's only line. Dashes in points. */
static const unsigned LOOK_HEX[] = {
    0xA8322D, /* brick red */
    0x332288, /* indigo */
    0xE08000, /* orange */
    0x000000, /* black */
    0x44AA99, /* teal */
    0xCC6677, /* rose */
};
static const struct distance_dash {
    double on_off_pt[EVM_DASH_MAX];
    size_t n;
} LOOK_DASH[] = {{{5, 2.5}, 2},       {{9, 3}, 2},     {{2, 2}, 2},
                 {{7, 2, 1.5, 2}, 4}, {{3.5, 3.5}, 2}, {{11, 2, 2, 2}, 4}};
enum { N_LOOKS = sizeof LOOK_HEX / sizeof LOOK_HEX[0] };

size_t evm_distance_palette(const unsigned **hex)
{
    *hex = LOOK_HEX;
    return N_LOOKS;
}

size_t evm_distance_line_count(const evm_layout_t *L)
{
    return L->opt->n_distances + L->opt->n_border_distances;
}

evm_style_t evm_distance_line_style(const evm_layout_t *L, size_t k)
{
    size_t i = evm_distance_line_count(L) > 1 ? k % N_LOOKS : 0;
    evm_style_t s = {0};
    s.stroke = evm_rgb_hex(LOOK_HEX[i]);
    s.stroke_px = 1.4 * L->pt_px;
    for (size_t d = 0; d < LOOK_DASH[i].n; d++)
        s.dash_px[d] = LOOK_DASH[i].on_off_pt[d] * L->pt_px;
    s.n_dash = LOOK_DASH[i].n;
    s.cap = EVM_CAP_BUTT;
    s.join = EVM_JOIN_ROUND;
    const evm_map_options_t *o = L->opt;
    for (size_t j = 0; o->distance_styles && j < o->n_distance_styles; j++) {
        const evm_map_distance_style_t *d = &o->distance_styles[j];
        if (d->line != 0 && d->line != k + 1)
            continue;
        if (d->has_color)
            s.stroke = d->color;
        if (d->width_pt > 0)
            s.stroke_px = d->width_pt * L->pt_px;
        if (d->has_dash) {
            for (size_t e = 0; e < d->n_dash && e < EVM_DASH_MAX; e++)
                s.dash_px[e] = d->dash_pt[e] * L->pt_px;
            s.n_dash = d->n_dash < EVM_DASH_MAX ? d->n_dash : EVM_DASH_MAX;
        }
    }
    return s;
}

/* The overrides name lines that exist and give sizes that are ones. */
static evm_status check_styles(evm_layout_t *L)
{
    const evm_map_options_t *o = L->opt;
    if (o->n_distance_styles && !o->distance_styles)
        return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the list of distance styles is missing");
    for (size_t j = 0; j < o->n_distance_styles; j++) {
        const evm_map_distance_style_t *d = &o->distance_styles[j];
        const char *why = NULL;
        double sum = 0;
        bool dash_ok = d->n_dash <= EVM_DASH_MAX;
        for (size_t e = 0; dash_ok && e < d->n_dash; e++) {
            dash_ok = d->dash_pt[e] >= 0 && d->dash_pt[e] <= 1000;
            sum += d->dash_pt[e];
        }
        if (d->line > evm_distance_line_count(L))
            why = "there is no such distance line";
        else if (!(d->width_pt >= 0 && d->width_pt <= 100))
            why = "the width is not in [0, 100] points";
        else if (d->has_dash && (!dash_ok || (d->n_dash && !(sum > 0))))
            why = "the dash lengths are not up to four in [0, 1000] points, "
                  "not all zero";
        if (why)
            return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "distance style %zu (line %zu): %s", j + 1,
                                 d->line, why);
    }
    return EVM_OK;
}

static evm_status nomem(evm_layout_t *L)
{
    return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory drawing distance lines");
}

evm_status evm_layout_queue_line_label(evm_layout_t *L, const char *id,
                                       const char *cls, const char *text,
                                       const evm_path_t *p, uint32_t line,
                                       const char *from, const char *to,
                                       const char *sep)
{
    if (!p->n_pts)
        return EVM_OK;
    if (evm_grow((void **)&L->line_labels, &L->cap_line_labels,
                 L->n_line_labels + 1, sizeof *L->line_labels))
        return nomem(L);
    evm_line_label_t *ll = &L->line_labels[L->n_line_labels];
    memset(ll, 0, sizeof *ll);
    ll->line = line;
    L->n_line_labels++; /* freed with the rest even when incomplete */
    char label_id[96];
    snprintf(label_id, sizeof label_id, "%s-label", id);
    ll->id = evm_strdup(label_id);
    ll->cls = evm_strdup(cls);
    ll->text = evm_strdup(text);
    if (!ll->id || !ll->cls || !ll->text)
        return nomem(L);
    bool two = from && *from && to && *to;
    if (two || (from && *from)) {
        /* "Seoul–Honolulu 7,323 km"; a line to a border names its place,
         * "Tikhoretsk: 201 km to Ukraine". */
        size_t n = strlen(from) + (two ? strlen(to) : 0) + strlen(sep) +
                   strlen(text) + 8;
        if (!(ll->named = malloc(n)))
            return nomem(L);
        if (two)
            snprintf(ll->named, n, "%s\xE2\x80\x93%s%s%s", from, to, sep, text);
        else
            snprintf(ll->named, n, "%s: %s", from, text);
    }
    for (size_t k = 0; k < p->n_subs; k++) {
        size_t a = p->sub_start[k], b = a + evm_path_sub_len(p, k);
        if (evm_path_move_to(&ll->path, p->pts[a].x, p->pts[a].y))
            return nomem(L);
        for (size_t i = a + 1; i < b; i++)
            if (evm_path_line_to(&ll->path, p->pts[i].x, p->pts[i].y))
                return nomem(L);
    }
    return EVM_OK;
}

/* A small disc at an end of a line that is inside the frame; labels keep
 * clear of it. */
static evm_status end_mark(evm_layout_t *L, const char *id, int which,
                           double lat, double lon, evm_rgba_t color)
{
    double x, y;
    evm_rect_t f = L->scene->frame;
    if (!evm_view_forward(&L->view, lon, lat, &x, &y) || x < f.x ||
        x > f.x + f.w || y < f.y || y > f.y + f.h)
        return EVM_OK;
    char end_id[96];
    snprintf(end_id, sizeof end_id, "%s-end-%d", id, which);
    const evm_item_t *it = evm_layout_dot(
        L, EVM_LAYER_DISTANCE_LINES, end_id, "distance-end",
        (evm_point_t){x, y}, 2.2 * L->pt_px, color, (evm_rgba_t){1, 1, 1, 1});
    if (!it)
        return nomem(L);
    double pad = it->r_px + it->style.stroke_px / 2;
    return evm_layout_obstacle(
        L, (evm_rect_t){x - pad, y - pad, 2 * pad, 2 * pad});
}

/* Lines shorter than this (some four marker widths) hide under their
 * ends' markers. */
static const double SHORT_PT = 32;

/* A tick across the line at end e, the line running along unit d. */
static evm_status tick(evm_path_t *t, evm_point_t e, evm_point_t d, double half)
{
    if (evm_path_move_to(t, e.x - d.y * half, e.y + d.x * half) ||
        evm_path_line_to(t, e.x + d.y * half, e.y - d.x * half))
        return EVM_ERR_NOMEM;
    return EVM_OK;
}

evm_status evm_layout_short_line(evm_layout_t *L, const char *id,
                                 const char *cls, const evm_path_t *p,
                                 evm_style_t style)
{
    double len = evm_path_length(p);
    if (!(len > 0) || len >= SHORT_PT * L->pt_px || p->n_subs != 1)
        return EVM_OK;
    evm_point_t a = p->pts[0], b = p->pts[p->n_pts - 1];
    double chord = hypot(b.x - a.x, b.y - a.y);
    if (!(chord > 0))
        return EVM_OK;
    evm_point_t d = {(b.x - a.x) / chord, (b.y - a.y) / chord};
    char above_id[112], above_cls[96];
    snprintf(above_id, sizeof above_id, "%s-above", id);
    snprintf(above_cls, sizeof above_cls, "%s short-line", cls);
    /* Solid: a dash pattern does not read on a stub. */
    style.n_dash = 0;
    style.cap = EVM_CAP_BUTT;
    style.fill.a = 0;
    evm_item_t it = evm_layout_item(EVM_ITEM_PATH, above_id, above_cls);
    it.style = style;
    evm_status st = EVM_OK;
    for (size_t i = 0; i < p->n_pts && !st; i++)
        st = i ? evm_path_line_to(&it.path, p->pts[i].x, p->pts[i].y)
               : evm_path_move_to(&it.path, p->pts[i].x, p->pts[i].y);
    double half = 3 * L->pt_px;
    if (!st)
        st = tick(&it.path, a, d, half);
    if (!st)
        st = tick(&it.path, b, d, half);
    if (st || !evm_scene_add(L->scene, EVM_LAYER_LABELS, &it)) {
        evm_path_free(&it.path);
        return nomem(L);
    }
    return EVM_OK;
}

/* The legend's entry of a line drawn: "Seoul–Honolulu: 7,323 km", or its
 * label when its ends have no names. */
static evm_status add_entry(evm_layout_t *L, const char *label,
                            const char *from, const char *to, size_t look)
{
    if (evm_grow((void **)&L->distance_entries, &L->cap_distance_entries,
                 L->n_distance_lines + 1, sizeof *L->distance_entries))
        return nomem(L);
    char text[512];
    if (from && *from && to && *to)
        snprintf(text, sizeof text, "%s\xE2\x80\x93%s: %s", from, to, label);
    else if (from && *from)
        snprintf(text, sizeof text, "%s: %s", from, label);
    else
        snprintf(text, sizeof text, "%s", label);
    evm_distance_entry_t *e = &L->distance_entries[L->n_distance_lines];
    if (!(e->text = evm_strdup(text)))
        return nomem(L);
    e->look = look;
    L->n_distance_lines++;
    return EVM_OK;
}

/* Draws one geodesic with its end marks and queues its label. */
static evm_status draw_line(evm_layout_t *L, const char *id, const char *cls,
                            double lat1, double lon1, double lat2, double lon2,
                            const char *label, double dist_m, const char *from,
                            const char *to, size_t k)
{
    evm_item_t it = evm_layout_item(EVM_ITEM_PATH, id, cls);
    it.style = evm_distance_line_style(L, k);
    if (evm_view_add_geodesic(&L->view, lat1, lon1, lat2, lon2, &it.path)) {
        evm_path_free(&it.path);
        return nomem(L);
    }
    evm_status st;
    if (it.path.n_pts == 0) {
        evm_path_free(&it.path); /* not on this map: said so, by name */
        char what[512];
        if (from && *from && to && *to)
            snprintf(what, sizeof what, "%s\xE2\x80\x93%s %s", from, to, label);
        else
            snprintf(what, sizeof what, "%s", label);
        if ((st = evm_layout_omit(L, EVM_OMIT_LINE, (size_t)-1, what,
                                  "no part of it is on the map")))
            return st;
    } else {
        evm_item_t *dst =
            evm_scene_add(L->scene, EVM_LAYER_DISTANCE_LINES, &it);
        if (!dst) {
            evm_path_free(&it.path);
            return nomem(L);
        }
        char km[EVM_NUM_MAX];
        evm_num_fixed(km, dist_m / 1000, 6, false);
        uint32_t line;
        if (evm_item_add_data(dst, "distance-km", km) ||
            evm_layout_line_obstacle(L, &dst->path, &line))
            return nomem(L);
        if ((st = add_entry(L, label, from, to, k)) ||
            (st = evm_layout_short_line(L, id, cls, &dst->path, dst->style)))
            return st;
        size_t before = L->n_line_labels;
        if ((st = evm_layout_queue_line_label(L, id, cls, label, &dst->path,
                                              line, from, to, " ")))
            return st;
        if (L->n_line_labels > before)
            L->line_labels[before].color = dst->style.stroke;
    }
    if ((st = end_mark(L, id, 0, lat1, lon1, it.style.stroke)) ||
        (st = end_mark(L, id, 1, lat2, lon2, it.style.stroke)))
        return st;
    return EVM_OK;
}

/* "37.566535,126.977969": up to six decimals (10 cm), no trailing
 * zeros. */
static void place_text(double lat, double lon, char *buf, size_t cap)
{
    char a[EVM_NUM_MAX], b[EVM_NUM_MAX];
    evm_num_fixed(a, lat, 6, true);
    evm_num_fixed(b, lon, 6, true);
    snprintf(buf, cap, "%s,%s", a, b);
}

/* The line as a feature, with its text properties before the label and
 * length that every line has. names/texts: n_texts pairs. */
static evm_status add_feature(evm_layout_t *L, const char *id, const char *kind,
                              double lat1, double lon1, double lat2,
                              double lon2, const char *const *names,
                              const char *const *texts, size_t n_texts,
                              const char *label, double dist_m)
{
    const double v[4] = {lat1, lon1, lat2, lon2};
    evm_scene_feature_t *f = evm_scene_add_feature(L->scene, id, kind, v, 2);
    if (!f)
        return nomem(L);
    for (size_t i = 0; i < n_texts; i++)
        if (evm_feature_add_text(f, names[i], texts[i]))
            return nomem(L);
    /* To the millimetre, as the SVG's data-distance-km. */
    if (evm_feature_add_text(f, "label", label) ||
        evm_feature_add_number(f, "distance_km", round(dist_m * 1e3) / 1e6))
        return nomem(L);
    return EVM_OK;
}

static bool valid_point(double lat, double lon)
{
    return isfinite(lon) && lat >= -90 && lat <= 90;
}

static evm_status distances(evm_layout_t *L)
{
    const evm_map_options_t *o = L->opt;
    for (size_t k = 0; k < o->n_distances; k++) {
        const evm_map_distance_t *d = &o->distances[k];
        if (!valid_point(d->lat1_deg, d->lon1_deg) ||
            !valid_point(d->lat2_deg, d->lon2_deg))
            return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "distance line %zu: an end is not a latitude "
                                 "in [-90, 90] and a longitude",
                                 k + 1);
        double s12;
        evm_geodesic_inverse(d->lat1_deg, d->lon1_deg, d->lat2_deg, d->lon2_deg,
                             &s12, NULL, NULL);
        char text[256], id[48];
        if (d->label && *d->label)
            snprintf(text, sizeof text, "%s", d->label);
        else
            evm_layout_length_text(L, s12, text, sizeof text);
        snprintf(id, sizeof id, "distance-%zu", k);
        /* Named by its ends only when both have names. */
        bool both = d->from_name && *d->from_name && d->to_name && *d->to_name;
        char from[2 * EVM_NUM_MAX], to[2 * EVM_NUM_MAX];
        place_text(d->lat1_deg, d->lon1_deg, from, sizeof from);
        place_text(d->lat2_deg, d->lon2_deg, to, sizeof to);
        static const char *const names[] = {"from", "to"};
        const char *const texts[] = {from, to};
        evm_status st =
            add_feature(L, id, "distance", d->lat1_deg, d->lon1_deg,
                        d->lat2_deg, d->lon2_deg, names, texts, 2, text, s12);
        if (st || (st = draw_line(L, id, "distance", d->lat1_deg, d->lon1_deg,
                                  d->lat2_deg, d->lon2_deg, text, s12,
                                  both ? d->from_name : NULL,
                                  both ? d->to_name : NULL, k)))
            return st;
    }
    return EVM_OK;
}

/* The outline of the country measured to, stroked over the base map. It
 * is the 1:10m outline even on a map drawn from coarser data: a nearest
 * point on an island that only 1:10m has must still touch it. */
/* The look number of border distance k: after the distances. */
static size_t border_look(const evm_layout_t *L, size_t k)
{
    return L->opt->n_distances + k;
}

static evm_status highlight(evm_layout_t *L, size_t k, const evm_basemap_t *m,
                            size_t country)
{
    evm_lines_t *outline = NULL;
    if (evm_lines_from_country(m, country, false, &outline, L->err))
        return L->err->status;
    char id[48];
    snprintf(id, sizeof id, "border-highlight-%zu", k);
    evm_item_t it = evm_layout_item(EVM_ITEM_PATH, id, "border-highlight");
    it.style.stroke = evm_distance_line_style(L, border_look(L, k)).stroke;
    it.style.stroke.a = 0.75;
    it.style.stroke_px = 1.6 * L->pt_px;
    it.style.join = EVM_JOIN_ROUND;
    it.style.cap = EVM_CAP_ROUND;
    evm_status st = EVM_OK;
    for (size_t i = 0; i < evm_lines_count(outline) && !st; i++)
        st = evm_view_add_line(&L->view, evm_lines_points(outline, i),
                               evm_lines_point_count(outline, i), &it.path);
    evm_lines_destroy(outline);
    if (st || (it.path.n_pts &&
               !evm_scene_add(L->scene, EVM_LAYER_DISTANCE_LINES, &it))) {
        evm_path_free(&it.path);
        return nomem(L);
    }
    if (!it.path.n_pts)
        evm_path_free(&it.path);
    return EVM_OK;
}

static evm_status border_distances(evm_layout_t *L, evm_geodata_t *geodata)
{
    const evm_map_options_t *o = L->opt;
    const evm_basemap_t *m10 = NULL;
    for (size_t k = 0; k < o->n_border_distances; k++) {
        const evm_map_border_distance_t *d = &o->border_distances[k];
        if (!valid_point(d->lat_deg, d->lon_deg) || !d->country)
            return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "border distance %zu: no country, or the "
                                 "place is not a latitude in [-90, 90] and a "
                                 "longitude",
                                 k + 1);
        evm_status st;
        /* The countries as the map's worldview draws them. */
        if (!m10 && (st = evm_geodata_get_worldview(
                         geodata, EVM_BASEMAP_10M, o->worldview, &m10, L->err)))
            return st;
        size_t c;
        if ((st = evm_basemap_find_country(m10, d->country, &c, L->err)))
            return st;
        evm_lines_t *bound = NULL;
        if ((st = evm_lines_from_country(m10, c, d->land_only, &bound, L->err)))
            return st;
        evm_nearest_t n;
        bool found = evm_lines_nearest(bound, d->lat_deg, d->lon_deg, &n);
        evm_lines_destroy(bound);
        const char *name = evm_basemap_country_name(m10, c);
        if (!found)
            return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "%s has no %s to measure to", name,
                                 d->land_only ? "land border" : "boundary");
        if ((st = highlight(L, k, m10, c)))
            return st;
        char text[256], len[64], id[48];
        if (d->label && *d->label) {
            snprintf(text, sizeof text, "%s", d->label);
        } else {
            evm_layout_length_text(L, n.dist_m, len, sizeof len);
            snprintf(text, sizeof text, "%s to %s", len, name);
        }
        snprintf(id, sizeof id, "border-distance-%zu", k);
        static const char *const names[] = {"country"};
        if ((st = add_feature(L, id, "border-distance", d->lat_deg, d->lon_deg,
                              n.lat_deg, n.lon_deg, names, &name, 1, text,
                              n.dist_m)))
            return st;
        if ((st = draw_line(L, id, "border-distance", d->lat_deg, d->lon_deg,
                            n.lat_deg, n.lon_deg, text, n.dist_m, d->name, NULL,
                            border_look(L, k))))
            return st;
    }
    return EVM_OK;
}

evm_status evm_layout_distance_lines(evm_layout_t *L, evm_geodata_t *geodata)
{
    evm_status st = check_styles(L);
    if (!st)
        st = distances(L);
    return st ? st : border_distances(L, geodata);
}

void evm_layout_line_labels_free(evm_layout_t *L)
{
    for (size_t i = 0; i < L->n_line_labels; i++) {
        evm_line_label_t *ll = &L->line_labels[i];
        free(ll->id);
        free(ll->cls);
        free(ll->text);
        free(ll->named);
        evm_path_free(&ll->path);
    }
    free(L->line_labels);
    L->line_labels = NULL;
    L->n_line_labels = L->cap_line_labels = 0;
    for (size_t i = 0; i < L->n_distance_lines; i++)
        free(L->distance_entries[i].text);
    free(L->distance_entries);
    L->distance_entries = NULL;
    L->n_distance_lines = L->cap_distance_entries = 0;
}
