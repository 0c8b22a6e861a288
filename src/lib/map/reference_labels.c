/* Reference labels: cities for orientation, country names and ocean and
 * sea names. They are placed after every event and line label, into the
 * room those left, so that they can never push one out: each candidate
 * box must meet no obstacle (markers, event and line labels, furniture,
 * reference labels already placed) and stay inside the frame, else the
 * reference label is dropped. Priority among them: places, then
 * countries, then water.
 *
 * - Places: Natural Earth's populated places of the map's resolution,
 *   capitals first, then by scale rank and population, those of a rank
 *   fit for the scale; a place where an event stands (within 15 km or
 *   a few pixels, or of the same name within 100 km) is left to the
 *   event. A small dot and a quiet name beside it.
 * - Countries: at the pole of inaccessibility of the country's largest
 *   visible part on the page (polylabel.c), in capitals and the palette's
 *   muted grey; omitted when the name does not fit inside that part.
 * - Water: the marine names (label points packed with the data) whose
 *   minimum label zoom suits the scale; oceans in capitals, seas in
 *   italic. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/error.h"
#include "geo/polylabel.h"
#include "load/basemap_internal.h"
#include "load/layers.h"
#include "map/layout_internal.h"

/* Whether box b lies in the frame and meets no obstacle. */
static bool ref_free(evm_layout_t *L, evm_rect_t b)
{
    evm_rect_t f = L->scene->frame;
    if (b.x < f.x + 2 || b.y < f.y + 2 || b.x + b.w > f.x + f.w - 2 ||
        b.y + b.h > f.y + f.h - 2)
        return false;
    return !evm_layout_blocked(L, b);
}

/* Adds a reference text with its halo box b (text inset by halo). */
static evm_item_t *ref_text(evm_layout_t *L, evm_layer_id layer, const char *id,
                            const char *cls, const char *text, double size_pt,
                            bool italic, evm_rgba_t color, evm_rect_t b,
                            double halo)
{
    evm_item_t *it = evm_layout_text_styled(L, layer, id, cls, text, size_pt,
                                            L->pal->reference_weight, italic,
                                            color, b.x + halo, b.y + halo);
    if (!it)
        return NULL;
    if (evm_layout_obstacle(L, b))
        return NULL;
    return it;
}

static void measure(evm_layout_t *L, const char *text, double size_pt,
                    bool italic, double *w, double *h)
{
    evm_layout_measure_styled(L, text, size_pt, L->pal->reference_weight,
                              italic, w, h);
}

/* ---- places ----------------------------------------------------------- */

typedef struct place {
    size_t f;
    double x, y; /* page */
    bool capital;
    double rank, pop;
} place_t;

static int place_cmp(const void *pa, const void *pb)
{
    const place_t *a = pa, *b = pb;
    if (a->capital != b->capital)
        return a->capital ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->pop != b->pop)
        return a->pop > b->pop ? -1 : 1;
    return a->f < b->f ? -1 : a->f > b->f;
}

/* Natural Earth ranks populated places 0 (world cities) to 10; a map of
 * a continent shows the first few ranks, a city map all. */
static double place_rank_max(double km_per_px)
{
    if (!(km_per_px < 12))
        return 2;
    if (km_per_px >= 5)
        return 3;
    if (km_per_px >= 2.5)
        return 4;
    if (km_per_px >= 1)
        return 6;
    if (km_per_px >= 0.4)
        return 8;
    return 10;
}

/* Looking for an event at a place: the place, and what was found. */
typedef struct there_query {
    evm_layout_t *L;
    const char *name;
    double lat, lon, x, y, near_m;
    evm_rect_t reach; /* the page box that can hold such an event */
    bool ground;      /* second pass: ground distances */
    bool found;
} there_query_t;

static bool there_visit(void *user, uint32_t i)
{
    there_query_t *q = user;
    evm_layout_t *L = q->L;
    const evm_event_t *e = evm_events_get(L->events, i);
    evm_point_t m = L->marker_xy[i];
    if (!q->ground) {
        q->found = hypot(m.x - q->x, m.y - q->y) < 6 * L->pt_px;
        return !q->found;
    }
    evm_rect_t r = q->reach;
    if (m.x < r.x || m.y < r.y || m.x > r.x + r.w || m.y > r.y + r.h)
        return true; /* too far for the ground distance to matter */
    double s12;
    geod_inverse(&L->ctx->wgs84, q->lat, q->lon, e->lat_deg, e->lon_deg, &s12,
                 NULL, NULL);
    q->found = s12 < q->near_m ||
               (s12 < 100000 && g_ascii_strcasecmp(e->name, q->name) == 0);
    return !q->found;
}

/* The page box that holds every point within dist_m of the place: the
 * farthest of eight points at that distance round it, half as far again
 * for the projection's distortion between them. A point with no image
 * (across the antimeridian's cut, the far side of a globe) is left out:
 * events beyond a cut are far from the place on the page. */
static evm_rect_t reach_box(evm_layout_t *L, double lat, double lon, double x,
                            double y, double dist_m)
{
    double far = 6 * L->pt_px;
    for (int k = 0; k < 8; k++) {
        double lat2, lon2, x2, y2;
        geod_direct(&L->ctx->wgs84, lat, lon, 45.0 * k, dist_m, &lat2, &lon2,
                    NULL);
        if (evm_view_forward(&L->view, lon2, lat2, &x2, &y2))
            far = fmax(far, 1.5 * hypot(x2 - x, y2 - y) + 1);
    }
    return (evm_rect_t){x - far, y - far, 2 * far, 2 * far};
}

/* Whether an event shown on the map stands at the place: within 6 pt on
 * the page, within near_m on the ground, or of the same name within
 * 100 km. Only the events in the page box that can hold such an event
 * are tried (grid), so that a million events cost no more than ten. */
static bool event_there(evm_layout_t *L, const evm_event_grid_t *grid,
                        const char *name, double lat, double lon, double x,
                        double y)
{
    if (!L->events || !grid->item)
        return false;
    double near_m = fmax(15000, 6 * L->km_per_px * 1000);
    there_query_t q = {
        L,     name, lat,    lon,
        x,     y,    near_m, reach_box(L, lat, lon, x, y, fmax(near_m, 1e5)),
        false, false};
    /* On the page first, which is cheap; then on the ground. */
    double d = 6 * L->pt_px;
    evm_event_grid_visit(grid, (evm_rect_t){x - d, y - d, 2 * d, 2 * d},
                         there_visit, &q);
    q.ground = true;
    if (!q.found)
        evm_event_grid_visit(grid, q.reach, there_visit, &q);
    return q.found;
}

/* At most one place per 220 px square of frame on average: enough to
 * find one's way, few enough to stay quiet. */
static size_t place_budget(const evm_layout_t *L)
{
    evm_rect_t fr = L->scene->frame;
    return (size_t)(fr.w * fr.h / (220.0 * 220.0)) + 1;
}

static double place_size(const place_t *p)
{
    return p->capital ? 8 : 7.5;
}

/* The places of layer m that may be labelled, in the frame, best first;
 * *out is malloc'ed. EVM_ERR_NOMEM. */
static evm_status place_candidates(const evm_layout_t *L,
                                   const evm_view_t *view,
                                   const evm_basemap_t *m, place_t **out,
                                   size_t *n_out)
{
    evm_rect_t fr = L->scene->frame;
    double rank_max = place_rank_max(L->km_per_px);
    place_t *c = evm_alloc_array(m->n_countries, sizeof *c);
    if (!c)
        return EVM_ERR_NOMEM;
    size_t n = 0;
    for (size_t f = 0; f < m->n_countries; f++) {
        const char *a = m->country_id[f];
        char cls[48] = "";
        evm_layer_attr(a, "featurecla", cls, sizeof cls);
        bool capital = strstr(cls, "Admin-0 capital") != NULL ||
                       evm_layer_attr_num(a, "adm0cap", 0) == 1;
        double rank = evm_layer_attr_num(a, "scalerank", 99);
        if (rank > rank_max + (capital ? 2 : 0) || !*m->country_name[f])
            continue;
        const double *p = m->ring_pts + 2 * m->ring_off[f];
        double x, y;
        if (!evm_view_forward(view, p[0], p[1], &x, &y) || x < fr.x ||
            y < fr.y || x > fr.x + fr.w || y > fr.y + fr.h)
            continue;
        c[n++] = (place_t){f,       x,    y,
                           capital, rank, evm_layer_attr_num(a, "pop_max", 0)};
    }
    qsort(c, n, sizeof *c, place_cmp);
    *out = c;
    *n_out = n;
    return EVM_OK;
}

static evm_status place_list(evm_layout_t *L, const evm_basemap_t *m,
                             place_t **out, size_t *n_out);

static evm_status places(evm_layout_t *L)
{
    const evm_basemap_t *m = NULL;
    evm_status st =
        evm_geodata_layer(L->geodata, EVM_REF_PLACES, L->res, &m, L->err);
    if (st || !m)
        return st;
    place_t *c;
    size_t n;
    if (place_list(L, m, &c, &n))
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory placing reference places");
    evm_event_grid_t grid = {0};
    if (n && L->events && (st = evm_event_grid_build(L, 8 * L->pt_px, &grid))) {
        free(c);
        return st;
    }
    size_t budget = place_budget(L);
    double halo = 1.2 * L->pt_px, gap = 2 * L->pt_px;
    for (size_t k = 0; k < n && budget && !st; k++) {
        size_t f = c[k].f;
        const char *name = m->country_name[f];
        const double *p = m->ring_pts + 2 * m->ring_off[f];
        if (event_there(L, &grid, name, p[1], p[0], c[k].x, c[k].y))
            continue;
        double r = (c[k].capital ? 2.4 : 1.9) * L->pt_px;
        evm_rect_t dot = {c[k].x - r - 1, c[k].y - r - 1, 2 * r + 2, 2 * r + 2};
        if (!ref_free(L, dot))
            continue;
        double size = place_size(&c[k]), w, h;
        measure(L, name, size, false, &w, &h);
        w += 2 * halo;
        h += 2 * halo;
        const evm_rect_t cand[6] = {
            {c[k].x + r + gap - halo, c[k].y - h / 2, w, h},
            {c[k].x - r - gap - w + halo, c[k].y - h / 2, w, h},
            {c[k].x + r, c[k].y - r - h + halo, w, h},
            {c[k].x + r, c[k].y + r - halo, w, h},
            {c[k].x - w / 2, c[k].y - r - gap - h + halo, w, h},
            {c[k].x - w / 2, c[k].y + r + gap - halo, w, h}};
        int at = -1;
        for (int i = 0; i < 6 && at < 0; i++)
            if (ref_free(L, cand[i]) && !evm_rects_overlap(cand[i], dot))
                at = i;
        if (at < 0)
            continue;
        char id[64];
        snprintf(id, sizeof id, "place-%zu", f);
        if (!evm_layout_dot(
                L, EVM_LAYER_PLACES, id, c[k].capital ? "capital" : "place",
                (evm_point_t){c[k].x, c[k].y}, r,
                c[k].capital ? L->pal->capital_dot : L->pal->place_dot,
                L->pal->halo) ||
            evm_layout_obstacle(L, dot)) {
            st = evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                               "out of memory placing reference places");
            break;
        }
        snprintf(id, sizeof id, "place-label-%zu", f);
        if (!ref_text(L, EVM_LAYER_PLACES, id, "place-label", name, size, false,
                      L->pal->place_text, cand[at], halo))
            st = L->err->status ? L->err->status : EVM_ERR_NOMEM;
        budget--;
    }
    evm_event_grid_free(&grid);
    free(c);
    return st;
}

/* ---- countries -------------------------------------------------------- */

/* Twice the signed area of subpath k of p. */
static double sub_area2(const evm_path_t *p, size_t k)
{
    size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
    double s = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        s += p->pts[a + j].x * p->pts[a + i].y -
             p->pts[a + i].x * p->pts[a + j].y;
    return s;
}

static bool inside_sub(const evm_path_t *p, size_t k, double x, double y)
{
    size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
    bool in = false;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        evm_point_t pi = p->pts[a + i], pj = p->pts[a + j];
        if ((pi.y > y) != (pj.y > y) &&
            x < (pj.x - pi.x) * (y - pi.y) / (pj.y - pi.y) + pi.x)
            in = !in;
    }
    return in;
}

typedef struct country_cand {
    size_t c;
    double area; /* of its largest visible part, page px^2 */
    double x, y, d;
    evm_path_t part; /* that part: subpath 0 */
} country_cand_t;

static int country_cmp(const void *pa, const void *pb)
{
    const country_cand_t *a = pa, *b = pb;
    return a->area > b->area ? -1 : a->area < b->area;
}

/* The area of a ring in square degrees, longitudes unwrapped along it so
 * that a ring across the antimeridian (Fiji's) measures its true size,
 * not the whole globe its box spans. */
static double lonlat_area(const double *p, size_t n)
{
    double a = 0, x0 = p[0], prev = p[0];
    for (size_t i = 0; i < n; i++) {
        size_t j = (i + 1) % n;
        double xi = prev, xj = p[2 * j];
        while (xj - xi > 180)
            xj -= 360;
        while (xj - xi < -180)
            xj += 360;
        a += (xi - x0) * p[2 * j + 1] - (xj - x0) * p[2 * i + 1];
        prev = xj;
    }
    return fabs(a) / 2;
}

/* The largest visible part of country c on the page, and its pole of
 * inaccessibility. false when nothing of it is visible. Only the largest
 * ring in longitude/latitude among those in view is projected (and
 * clipped to the frame): projecting every ring again would cost as much
 * as drawing the land. */
/* A lower bound of the area (page px^2) a country name's box takes: the
 * smallest name size (8 pt), a line high, a quarter em per character
 * (the narrowest capitals), halo included. A part smaller than this can
 * hold no name, so neither its pole nor the name's shape is computed. */
static double name_area_min(double pt_px, const char *name)
{
    double em = 8 * pt_px, halo = 1.2 * pt_px;
    double chars = (double)g_utf8_strlen(name, -1);
    return (0.25 * em * chars + 2 * halo) * (em + 2 * halo);
}

static bool country_spot(const evm_view_t *view, const evm_basemap_t *b,
                         double pt_px, size_t c, country_cand_t *out)
{
    size_t best = (size_t)-1;
    double best_a = 0;
    for (size_t r = b->country_ring_off[c]; r < b->country_ring_off[c + 1];
         r++) {
        const evm_llbox_t *bx = &b->ring_box[r];
        if (!evm_view_box_visible(view, bx))
            continue;
        double a = lonlat_area(b->ring_pts + 2 * b->ring_off[r],
                               b->ring_off[r + 1] - b->ring_off[r]);
        if (a > best_a) {
            best_a = a;
            best = r;
        }
    }
    if (best == (size_t)-1)
        return false;
    evm_path_t p = {0};
    size_t off = b->ring_off[best], n = b->ring_off[best + 1] - off;
    if (evm_view_add_ring(view, b->ring_pts + 2 * off, n, &p) || !p.n_subs) {
        evm_path_free(&p);
        return false;
    }
    size_t k_best = 0;
    double a_best = 0;
    for (size_t k = 0; k < p.n_subs; k++) {
        double a = fabs(sub_area2(&p, k)) / 2;
        if (a > a_best) {
            a_best = a;
            k_best = k;
        }
    }
    size_t len = evm_path_sub_len(&p, k_best);
    evm_path_t part = {0};
    bool ok = len >= 3 && a_best >= name_area_min(pt_px, b->country_name[c]);
    for (size_t i = 0; ok && i < len; i++) {
        evm_point_t q = p.pts[p.sub_start[k_best] + i];
        ok = !(i ? evm_path_line_to(&part, q.x, q.y)
                 : evm_path_move_to(&part, q.x, q.y));
    }
    evm_path_free(&p);
    if (!ok) {
        evm_path_free(&part);
        return false;
    }
    /* polylabel takes interleaved x, y: copy them out of the points. */
    double *xy = malloc(2 * len * sizeof *xy);
    if (!xy) {
        evm_path_free(&part);
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        xy[2 * i] = part.pts[i].x;
        xy[2 * i + 1] = part.pts[i].y;
    }
    size_t start[2] = {0, len};
    double pole[2];
    /* Two pixels are close enough for a name; the cell cap bounds the
     * cost on long clipped outlines. */
    out->d = evm_polylabel(xy, start, 1, 2.0, 400, pole);
    free(xy);
    out->c = c;
    out->area = a_best;
    out->x = pole[0];
    out->y = pole[1];
    out->part = part;
    return out->d > 0;
}

/* Whether box b, shrunk by its halo, lies inside the part: its corners
 * and the middles of its long sides. */
static bool box_inside(const evm_path_t *part, evm_rect_t b, double halo)
{
    double x0 = b.x + halo, x1 = b.x + b.w - halo, y0 = b.y + halo,
           y1 = b.y + b.h - halo, xm = (x0 + x1) / 2;
    const double pts[6][2] = {{x0, y0}, {x1, y0}, {x0, y1},
                              {x1, y1}, {xm, y0}, {xm, y1}};
    for (int i = 0; i < 6; i++)
        if (!inside_sub(part, 0, pts[i][0], pts[i][1]))
            return false;
    return true;
}

static country_cand_t *country_spots(evm_layout_t *L, size_t *n);

/* Larger countries get larger names, 8 to 12 pt in whole points: type
 * comes in a few sizes (each new size or style also costs a font load,
 * see the preparation below), and 8 and 9 pt are those of the places and
 * the event labels. */
static double country_size(const evm_layout_t *L, const country_cand_t *c)
{
    return round(fmin(12, fmax(8, sqrt(c->area) / (18 * L->pt_px))));
}

static evm_status countries(evm_layout_t *L)
{
    const evm_basemap_t *b = L->basemap;
    size_t n;
    country_cand_t *c = country_spots(L, &n);
    if (!c)
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory placing country names");
    qsort(c, n, sizeof *c, country_cmp);
    evm_status st = EVM_OK;
    double halo = 1.2 * L->pt_px;
    for (size_t k = 0; k < n && !st; k++) {
        double size = country_size(L, &c[k]);
        char *upper = g_utf8_strup(b->country_name[c[k].c], -1);
        double w, h;
        measure(L, upper, size, false, &w, &h);
        w += 2 * halo;
        h += 2 * halo;
        /* At the pole, else nudged by a line or half a name; inside the
         * outline, or for a country whose part is still larger than the
         * name (the Koreas on a map of Asia), centred on it with the ends
         * over the coast or border. */
        const double dx[9] = {0, 0, 0, -w / 2, w / 2, 0, 0, -w / 2, w / 2};
        const double dy[9] = {0, -h, h, 0, 0, -2 * h, 2 * h, -h, h};
        bool roomy = c[k].area >= w * h && c[k].d >= h / 4;
        bool placed = false;
        for (int i = 0; i < 9 && !placed; i++) {
            double x = c[k].x + dx[i], y = c[k].y + dy[i];
            evm_rect_t box = {x - w / 2, y - h / 2, w, h};
            bool fits = box_inside(&c[k].part, box, halo) ||
                        (roomy && inside_sub(&c[k].part, 0, x, y));
            if (!fits || !ref_free(L, box))
                continue;
            char id[64];
            snprintf(id, sizeof id, "country-%zu", c[k].c);
            if (!ref_text(L, EVM_LAYER_COUNTRY_LABELS, id, "country-label",
                          upper, size, false, L->pal->country_text, box, halo))
                st = L->err->status ? L->err->status : EVM_ERR_NOMEM;
            placed = true;
        }
        g_free(upper);
    }
    return st;
}

/* ---- water ------------------------------------------------------------ */

/* The marine labels' zoom for the map's scale: Natural Earth's label
 * ranks are web-map zoom levels, and zoom z shows about 156.5 / 2^z km per
 * 256-px tile pixel at the equator. */
static double water_zoom(const evm_layout_t *L)
{
    return log2(156.5 / fmax(L->km_per_px, 1e-6));
}

/* Whether marine feature f of m may be named on the map: its page point
 * (x, y), whether it is an ocean, and the name's size in points. */
static bool water_candidate(const evm_layout_t *L, const evm_view_t *view,
                            const evm_basemap_t *m, size_t f, double *x,
                            double *y, bool *ocean, double *size)
{
    const char *a = m->country_id[f];
    if (!*m->country_name[f] ||
        evm_layer_attr_num(a, "min_label", 99) > water_zoom(L) + 1)
        return false;
    const double *p = m->ring_pts + 2 * m->ring_off[f];
    if (!evm_view_forward(view, p[0], p[1], x, y))
        return false;
    char cls[32] = "";
    evm_layer_attr(a, "featurecla", cls, sizeof cls);
    *ocean = strcmp(cls, "ocean") == 0;
    *size = *ocean ? 10 : 8.5;
    /* Most of the world's seas are off the map. A name centred on x fits
     * the frame only with x inside it, and one of the boxes water()
     * tries (a line high, one line up or down at most) only with y
     * within half a line of it; a line (halo included) is well under 4
     * em + 2 halos high. The others are dropped unmeasured: measuring
     * one would load its font for nothing. */
    evm_rect_t fr = L->scene->frame;
    double line_max = (4 * *size + 2 * 1.2) * L->pt_px;
    return *x > fr.x + 2 && *x < fr.x + fr.w - 2 &&
           *y > fr.y + 2 - line_max / 2 && *y < fr.y + fr.h - 2 + line_max / 2;
}

/* A marine name as drawn: oceans in capitals. Case by style, not by data:
 * oceans are upper case in the data, seas are not. g_free it. */
static char *water_text(const char *name, bool ocean)
{
    return ocean ? g_utf8_strup(name, -1) : g_strdup(name);
}

static evm_status water(evm_layout_t *L)
{
    const evm_basemap_t *m = NULL;
    evm_status st =
        evm_geodata_layer(L->geodata, EVM_REF_MARINE, L->res, &m, L->err);
    if (st || !m)
        return st;
    double halo = 1.2 * L->pt_px;
    for (size_t f = 0; f < m->n_countries && !st; f++) {
        double x, y, size;
        bool ocean;
        if (!water_candidate(L, &L->view, m, f, &x, &y, &ocean, &size))
            continue;
        char *text = water_text(m->country_name[f], ocean);
        double w, h;
        measure(L, text, size, !ocean, &w, &h);
        w += 2 * halo;
        h += 2 * halo;
        const double dy[3] = {0, -h, h};
        for (int i = 0; i < 3; i++) {
            evm_rect_t box = {x - w / 2, y + dy[i] - h / 2, w, h};
            if (!ref_free(L, box))
                continue;
            char id[64];
            snprintf(id, sizeof id, "water-%zu", f);
            if (!ref_text(L, EVM_LAYER_WATER_LABELS, id,
                          ocean ? "ocean-label" : "sea-label", text, size,
                          !ocean, L->pal->water_text, box, halo))
                st = L->err->status ? L->err->status : EVM_ERR_NOMEM;
            break;
        }
        g_free(text);
    }
    return st;
}

/* ---- preparation, while the base map is drawn ------------------------ */

/* The reference labels' work that needs neither the scene nor the other
 * labels: each country's spot, and, on a second thread, the names that
 * may be drawn measured. Measuring a name at a new size or style loads
 * fonts: Pango has fontconfig match (and sort) every installed font on
 * threads of its own while the first text at that size waits; done here
 * it overlaps the base map, the furniture and the event labels. The
 * names measured are kept (L->measured), so labels are measured exactly
 * as they would be on the layout's thread. The two threads take turns
 * with Pango's context through the lock: this one for one name at a
 * time, the layout's for its own text (evm_layout_text_begin). */
struct evm_ref_prep {
    evm_view_job_t job;
    evm_layout_t *L;
    const evm_basemap_t *places, *marine; /* loaded before the thread */
    bool spots, measure;                  /* what to do */
    country_cand_t *c;                    /* the first n have a spot */
    size_t n;
    place_t *place; /* the places that may be labelled, or NULL */
    size_t n_place;
    pthread_mutex_t lock; /* of L->pc and L->measured until joined */
    bool joined;
};

static void spots_find(const evm_view_t *view, struct evm_ref_prep *r)
{
    const evm_layout_t *L = r->L;
    for (size_t k = 0; k < L->basemap->n_countries; k++)
        if (country_spot(view, L->basemap, L->pt_px, k, &r->c[r->n]))
            r->n++;
        else
            evm_path_free(&r->c[r->n].part);
}

static void prep_text(struct evm_ref_prep *r, const char *text, double size_pt,
                      evm_font_weight weight, bool italic)
{
    double w, h;
    pthread_mutex_lock(&r->lock);
    evm_layout_measure_prepared(r->L, text, size_pt, weight, italic, &w, &h);
    pthread_mutex_unlock(&r->lock);
}

static void prep_measure(struct evm_ref_prep *r, const char *text,
                         double size_pt, bool italic)
{
    prep_text(r, text, size_pt, r->L->pal->reference_weight, italic);
}

/* Measures what places() and water() will measure: the first places
 * (those after them are rarely reached) and the seas near the frame. */
static void places_seas_measure(const evm_view_t *view, struct evm_ref_prep *r)
{
    evm_layout_t *L = r->L;
    size_t first = 2 * place_budget(L) + 16;
    for (size_t k = 0; r->place && k < r->n_place && k < first; k++)
        prep_measure(r, r->places->country_name[r->place[k].f],
                     place_size(&r->place[k]), false);
    const evm_basemap_t *m = r->marine;
    for (size_t f = 0; m && f < m->n_countries; f++) {
        double x, y, size;
        bool ocean;
        if (!water_candidate(L, view, m, f, &x, &y, &ocean, &size))
            continue;
        char *text = water_text(m->country_name[f], ocean);
        prep_measure(r, text, size, !ocean);
        g_free(text);
    }
}

/* Measures what countries() will: the countries with a spot. */
static void countries_measure(struct evm_ref_prep *r)
{
    for (size_t k = 0; k < r->n; k++) {
        char *upper = g_utf8_strup(r->L->basemap->country_name[r->c[k].c], -1);
        prep_measure(r, upper, country_size(r->L, &r->c[k]), false);
        g_free(upper);
    }
}

/* Fonts the layout's thread needs next, loaded first: those of the
 * graticule's labels, the legend's entries and the priority event
 * labels (semi-bold). */
static void fonts_load(struct evm_ref_prep *r)
{
    const evm_layout_t *L = r->L;
    const evm_map_options_t *o = L->opt;
    if (o->graticule && o->graticule_labels && !(L->fit && L->fit->world))
        prep_text(r, "Ag", EVM_GRATICULE_LABEL_PT, EVM_WEIGHT_NORMAL, false);
    if (o->legend && L->n_kinds && o->density == EVM_DENSITY_NONE)
        prep_text(r, "Ag", EVM_LEGEND_PT, EVM_WEIGHT_NORMAL, false);
    size_t n = L->events ? evm_events_count(L->events) : 0;
    for (size_t i = 0; i < n && L->label_strong; i++)
        if (L->label_strong[i]) {
            prep_text(r, "Ag", EVM_LABEL_PT, EVM_WEIGHT_SEMIBOLD, false);
            break;
        }
}

/* Fonts first (the layout's thread may soon wait for them), then the
 * names that need no spot, so that the spots' search, which needs no
 * Pango, runs while the layout's thread measures its own text. */
static evm_status prep_run(const evm_view_t *view, void *arg)
{
    struct evm_ref_prep *r = arg;
    /* The places that may be labelled, listed once for measuring and
     * placing (the same points as on the layout's thread: view_job.c).
     * Out of memory, r->place stays NULL and place_list lists them. */
    if (r->places)
        (void)place_candidates(r->L, view, r->places, &r->place, &r->n_place);
    if (r->measure) {
        fonts_load(r);
        places_seas_measure(view, r);
    }
    if (r->spots)
        spots_find(view, r);
    if (r->measure)
        countries_measure(r);
    return EVM_OK;
}

evm_status evm_layout_reference_prep_start(evm_layout_t *L)
{
    const evm_map_options_t *o = L->opt;
    if (!o->places && !o->country_labels && !o->water_labels)
        return EVM_OK;
    /* Layers are loaded here, before there is a preparation to end: the
     * thread only reads them. */
    const evm_basemap_t *places = NULL, *marine = NULL;
    evm_status st = EVM_OK;
    if (o->places)
        st = evm_geodata_layer(L->geodata, EVM_REF_PLACES, L->res, &places,
                               L->err);
    if (!st && o->water_labels)
        st = evm_geodata_layer(L->geodata, EVM_REF_MARINE, L->res, &marine,
                               L->err);
    if (st)
        return st;
    struct evm_ref_prep *r = calloc(1, sizeof *r);
    size_t nc = L->basemap->n_countries;
    if (r)
        r->c = calloc(nc ? nc : 1, sizeof *r->c);
    if (!r || !r->c) {
        if (r)
            free(r->c);
        free(r);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory placing reference labels");
    }
    int e = pthread_mutex_init(&r->lock, NULL);
    if (e) {
        free(r->c);
        free(r);
        return evm_error_set(L->err, EVM_ERR_RENDER, NULL, 0, 0,
                             "could not make the lock through which the "
                             "reference labels share Pango "
                             "(pthread_mutex_init: error %d)",
                             e);
    }
    L->prep = r;
    r->L = L;
    r->spots = o->country_labels;
    r->places = places;
    r->marine = marine;
    evm_view_job_init(&r->job, &L->view, prep_run, r);
    /* The outlines only place names: a pixel and a half off the true
     * curve is close enough, and leaves far fewer points to search for
     * the pole (the densifying tolerance, which the view's projection
     * grid is set up for, stays). */
    r->job.view.simplify_px = fmax(L->view.simplify_px, 1.5);
    /* On one thread the spots are found when the names are placed, and
     * names are measured as they are tried. */
    if (evm_view_job_threads(L)) {
        r->measure = true;
        evm_view_job_start(&r->job);
    }
    return EVM_OK;
}

/* Whether the preparation runs on its thread, not yet joined. */
static bool prep_running(const evm_layout_t *L)
{
    return L->prep && !L->prep->joined && L->prep->job.started;
}

PangoContext *evm_layout_text_begin(evm_layout_t *L)
{
    if (L->text_depth++ == 0) {
        L->text_locked = prep_running(L);
        if (L->text_locked)
            pthread_mutex_lock(&L->prep->lock);
    }
    return L->pc;
}

void evm_layout_text_end(evm_layout_t *L)
{
    if (--L->text_depth == 0 && L->text_locked) {
        pthread_mutex_unlock(&L->prep->lock);
        L->text_locked = false;
    }
}

static struct evm_ref_prep *prep_join(evm_layout_t *L)
{
    struct evm_ref_prep *r = L->prep;
    if (r && !r->joined) {
        evm_view_job_join(&r->job);
        r->joined = true;
    }
    return r;
}

void evm_layout_reference_prep_end(evm_layout_t *L)
{
    struct evm_ref_prep *r = prep_join(L);
    if (!r)
        return;
    for (size_t k = 0; k < r->n; k++)
        evm_path_free(&r->c[k].part);
    free(r->c);
    free(r->place);
    pthread_mutex_destroy(&r->lock);
    free(r);
    L->prep = NULL;
}

/* The places of m that may be labelled, best first: the preparation's
 * list (joined by evm_layout_reference_labels), else made here; *out is
 * the caller's. EVM_ERR_NOMEM. */
static evm_status place_list(evm_layout_t *L, const evm_basemap_t *m,
                             place_t **out, size_t *n_out)
{
    struct evm_ref_prep *r = L->prep;
    if (r && r->place && r->places == m) {
        *out = r->place;
        *n_out = r->n_place;
        r->place = NULL;
        return EVM_OK;
    }
    return place_candidates(L, &L->view, m, out, n_out);
}

/* The countries with a spot (the preparation's, joined by
 * evm_layout_reference_labels), or NULL when out of memory. */
static country_cand_t *country_spots(evm_layout_t *L, size_t *n)
{
    struct evm_ref_prep *r = L->prep;
    *n = r ? r->n : 0;
    return r ? r->c : NULL;
}

evm_status evm_layout_reference_labels(evm_layout_t *L)
{
    const evm_map_options_t *o = L->opt;
    evm_status st = EVM_OK;
    /* The preparation's measurements and spots, complete. */
    prep_join(L);
    if (o->places)
        st = places(L);
    if (!st && o->country_labels)
        st = countries(L);
    if (!st && o->water_labels)
        st = water(L);
    return st;
}
