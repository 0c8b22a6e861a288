/* Label placement. Each event's label is tried at positions round its
 * marker in a cartographic order of preference (right, upper right, lower
 * right, left, upper left, lower left, above, below); the first position
 * whose box meets no marker, no placed label, no map furniture and stays
 * inside the frame wins. Failing that, the label moves out on rings of
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

static bool box_free(const evm_layout_t *L, evm_rect_t b)
{
    evm_rect_t f = L->scene->frame;
    double in = 2;
    if (b.x < f.x + in || b.y < f.y + in || b.x + b.w > f.x + f.w - in ||
        b.y + b.h > f.y + f.h - in)
        return false;
    for (size_t i = 0; i < L->n_obstacles; i++)
        if (evm_rects_overlap(b, L->obstacles[i]))
            return false;
    return true;
}

/* Liang-Barsky: does segment p-q meet rectangle r? */
static bool segment_meets_rect(evm_point_t p, evm_point_t q, evm_rect_t r)
{
    double t0 = 0, t1 = 1, dx = q.x - p.x, dy = q.y - p.y;
    double pv[4] = {-dx, dx, -dy, dy};
    double qv[4] = {p.x - r.x, r.x + r.w - p.x, p.y - r.y, r.y + r.h - p.y};
    for (int i = 0; i < 4; i++) {
        if (pv[i] == 0) {
            if (qv[i] < 0)
                return false;
            continue;
        }
        double t = qv[i] / pv[i];
        if (pv[i] < 0)
            t0 = fmax(t0, t);
        else
            t1 = fmin(t1, t);
        if (t0 > t1)
            return false;
    }
    return true;
}

/* The point of box b nearest to c. */
static evm_point_t nearest_on_box(evm_rect_t b, evm_point_t c)
{
    return (evm_point_t){fmin(fmax(c.x, b.x), b.x + b.w),
                         fmin(fmax(c.y, b.y), b.y + b.h)};
}

static bool leader_free(const evm_layout_t *L, evm_point_t a, evm_point_t b,
                        evm_rect_t own_marker)
{
    for (size_t i = 0; i < L->n_obstacles; i++) {
        evm_rect_t o = L->obstacles[i];
        if (o.x == own_marker.x && o.y == own_marker.y && o.w == own_marker.w &&
            o.h == own_marker.h)
            continue;
        if (segment_meets_rect(a, b, o))
            return false;
    }
    return true;
}

typedef struct candidate {
    evm_rect_t box; /* the text box including the halo margin */
    bool leader;
    evm_point_t from, to;
} candidate_t;

static bool find_position(const evm_layout_t *L, evm_point_t c, double r,
                          double w, double h, candidate_t *out)
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
    for (int i = 0; i < 8; i++) {
        evm_rect_t b = {near[i].x, near[i].y, w, h};
        if (box_free(L, b)) {
            *out = (candidate_t){b, false, {0, 0}, {0, 0}};
            return true;
        }
    }
    evm_rect_t marker = {c.x - r, c.y - r, 2 * r, 2 * r};
    /* Match the obstacle the marker step registered for this event. */
    for (size_t i = 0; i < L->n_obstacles; i++) {
        evm_rect_t o = L->obstacles[i];
        if (fabs(o.x + o.w / 2 - c.x) < 1e-9 &&
            fabs(o.y + o.h / 2 - c.y) < 1e-9) {
            marker = o;
            break;
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
            if (!leader_free(L, from, to, marker))
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
    evm_scene_t *s = L->scene;
    if (evm_grow((void **)&s->omissions, &s->cap_omissions, s->n_omissions + 1,
                 sizeof *s->omissions))
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    evm_omission_t *o = &s->omissions[s->n_omissions];
    o->event = (long)i;
    o->text = evm_strdup(text);
    o->reason = evm_strdup(reason);
    if (!o->text || !o->reason) {
        free(o->text);
        free(o->reason);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    }
    s->n_omissions++;
    return EVM_OK;
}

static evm_status add_leader(evm_layout_t *L, size_t i, evm_point_t a,
                             evm_point_t b)
{
    char id[40];
    snprintf(id, sizeof id, "leader-%zu", i);
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
        char id[40];
        snprintf(id, sizeof id, "label-%zu", i);
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
