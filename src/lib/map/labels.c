/* Label placement. Each event's label is tried at positions round its
 * marker in a cartographic order of preference (right, upper right, lower
 * right, left, upper left, lower left, above, below); the first position
 * whose box meets no marker, no placed label, no map furniture and stays
 * inside the frame wins, one off the route and distance lines before one
 * over them. Failing that, the label moves out on rings of
 * growing radius in sixteen directions with a thin leader line back to
 * the marker; failing that it is omitted and the omission recorded.
 * Labels are placed in input order, so earlier rows have priority. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "map/layout_internal.h"
#include "text/text.h"

static const double LABEL_PT = 9;

static bool box_free(evm_layout_t *L, evm_rect_t b)
{
    evm_rect_t f = L->scene->frame;
    double in = 2;
    if (b.x < f.x + in || b.y < f.y + in || b.x + b.w > f.x + f.w - in ||
        b.y + b.h > f.y + f.h - in)
        return false;
    return !evm_layout_blocked(L, b);
}

/* The point of box b nearest to c. */
static evm_point_t nearest_on_box(evm_rect_t b, evm_point_t c)
{
    return (evm_point_t){fmin(fmax(c.x, b.x), b.x + b.w),
                         fmin(fmax(c.y, b.y), b.y + b.h)};
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

static bool leader_free(evm_layout_t *L, evm_point_t a, evm_point_t b,
                        evm_point_t own)
{
    leader_query_t q = {L, a, b, own, false};
    evm_rect_t span = {fmin(a.x, b.x), fmin(a.y, b.y), fabs(b.x - a.x),
                       fabs(b.y - a.y)};
    evm_grid_index_visit(&L->obstacle_grid, span, leader_visit, &q);
    return !q.blocked;
}

typedef struct candidate {
    evm_rect_t box; /* the text box including the halo margin */
    bool leader;
    evm_point_t from, to;
} candidate_t;

static bool find_position(evm_layout_t *L, evm_point_t c, double r, double w,
                          double h, candidate_t *out)
{
    double g = 2.5 * L->pt_px, d = (r + g) * 0.75;
    const evm_point_t near[8] = {{c.x + r + g, c.y - h / 2},
                                 {c.x + d, c.y - d - h},
                                 {c.x + d, c.y + d},
                                 {c.x - r - g - w, c.y - h / 2},
                                 {c.x - d - w, c.y - d - h},
                                 {c.x - d - w, c.y + d},
                                 {c.x - w / 2, c.y - r - g - h},
                                 {c.x - w / 2, c.y + r + g}};
    /* Clear of route and distance lines first, then over them. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 8; i++) {
            evm_rect_t b = {near[i].x, near[i].y, w, h};
            if (box_free(L, b) && (pass || !evm_layout_on_lines(L, b))) {
                *out = (candidate_t){b, false, {0, 0}, {0, 0}};
                return true;
            }
        }
    for (int ring = 1; ring <= 6; ring++) {
        double R = r + g + ring * 10 * L->pt_px;
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
            if (!box_free(L, b))
                continue;
            evm_point_t to = nearest_on_box(b, c);
            double len = hypot(to.x - c.x, to.y - c.y);
            if (len <= r)
                continue;
            evm_point_t from = {c.x + (to.x - c.x) * r / len,
                                c.y + (to.y - c.y) * r / len};
            if (!leader_free(L, from, to, c))
                continue;
            *out = (candidate_t){b, true, from, to};
            return true;
        }
    }
    return false;
}

static evm_status omit(evm_layout_t *L, size_t i, const char *text,
                       const char *reason)
{
    return evm_layout_omit(L, EVM_OMIT_LABEL, i, text, reason);
}

static evm_status add_leader(evm_layout_t *L, size_t i, evm_point_t a,
                             evm_point_t b)
{
    char id[128];
    snprintf(id, sizeof id, "leader-%s", L->scene->events[i].slug);
    evm_item_t it = {0};
    it.kind = EVM_ITEM_PATH;
    it.id = id;
    it.cls = (char *)"leader";
    it.event = (long)i;
    it.style.stroke = evm_rgb_hex(0x555555);
    it.style.stroke_px = 0.6 * L->pt_px;
    if (evm_path_move_to(&it.path, a.x, a.y) ||
        evm_path_line_to(&it.path, b.x, b.y) ||
        !evm_scene_add(L->scene, EVM_LAYER_LABELS, &it)) {
        evm_path_free(&it.path);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory adding a leader line");
    }
    return EVM_OK;
}

evm_status evm_layout_labels(evm_layout_t *L)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    double r = 4.0 * L->pt_px + 0.6 * L->pt_px;
    double halo = 1.5 * L->pt_px;
    for (size_t i = 0; i < n; i++) {
        const evm_event_t *e = evm_events_get(L->events, i);
        if (!L->event_shown[i] || !*e->name)
            continue;
        PangoLayout *pl = evm_text_layout_new(
            L->pc, e->name, L->font, LABEL_PT * L->pt_px, EVM_WEIGHT_NORMAL);
        bool glyphs = evm_text_all_glyphs(pl);
        double w, h;
        evm_text_extent(pl, &w, &h);
        g_object_unref(pl);
        evm_status st;
        if (!glyphs) {
            if ((st = omit(L, i, e->name, "no installed font has its glyphs")))
                return st;
            continue;
        }
        double x, y;
        evm_view_forward(&L->view, e->lon_deg, e->lat_deg, &x, &y);
        candidate_t c;
        if (!find_position(L, (evm_point_t){x, y}, r, w + 2 * halo,
                           h + 2 * halo, &c)) {
            if ((st = omit(L, i, e->name, "no room")))
                return st;
            continue;
        }
        char id[128];
        snprintf(id, sizeof id, "label-%s", L->scene->events[i].slug);
        evm_item_t *it =
            evm_layout_text(L, EVM_LAYER_LABELS, id, e->kind, e->name, LABEL_PT,
                            EVM_WEIGHT_NORMAL, evm_rgb_hex(0x1F1F1F),
                            c.box.x + halo, c.box.y + halo);
        if (!it)
            return EVM_ERR_NOMEM;
        it->event = (long)i;
        if (c.leader && (st = add_leader(L, i, c.from, c.to)))
            return st;
        if ((st = evm_layout_obstacle(L, c.box)))
            return st;
    }
    return EVM_OK;
}

/* Labels of distance lines (queued by distance_lines.c): at each anchor
 * along the line, best first, the box is tried beside the line on either
 * side, then centred on it; the first box that meets no marker, label or
 * furniture and stays inside the frame wins, as for event labels. */
evm_status evm_layout_line_labels(evm_layout_t *L)
{
    double halo = 1.5 * L->pt_px, gap = 2 * L->pt_px;
    for (size_t k = 0; k < L->n_line_labels; k++) {
        const evm_line_label_t *ll = &L->line_labels[k];
        double w, h;
        evm_layout_measure(L, ll->text, LABEL_PT, EVM_WEIGHT_BOLD, &w, &h);
        w += 2 * halo;
        h += 2 * halo;
        bool placed = false;
        evm_rect_t box = {0};
        for (size_t a = 0; a < ll->n_anchors && !placed; a++) {
            evm_point_t p = ll->anchors[a], n = ll->normals[a];
            /* Half the box's extent across the line. */
            double across = (w * fabs(n.x) + h * fabs(n.y)) / 2 + gap;
            const double side[3] = {across, -across, 0};
            for (int s = 0; s < 3 && !placed; s++) {
                box = (evm_rect_t){p.x + n.x * side[s] - w / 2,
                                   p.y + n.y * side[s] - h / 2, w, h};
                placed = box_free(L, box);
            }
        }
        evm_status st;
        if (!placed) {
            /* (size_t)-1 is recorded as event -1: no event's label. */
            if ((st = omit(L, (size_t)-1, ll->text, "no room")))
                return st;
            continue;
        }
        evm_rgba_t color =
            ll->color.a > 0 ? ll->color : evm_distance_line_style(L).stroke;
        evm_item_t *it = evm_layout_text(L, EVM_LAYER_LABELS, ll->id, ll->cls,
                                         ll->text, LABEL_PT, EVM_WEIGHT_BOLD,
                                         color, box.x + halo, box.y + halo);
        if (!it)
            return EVM_ERR_NOMEM;
        if ((st = evm_layout_obstacle(L, box)))
            return st;
    }
    return EVM_OK;
}
