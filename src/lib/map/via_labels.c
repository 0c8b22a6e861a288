/* Via point labels (--via-labels): each named via point of the route legs
 * that no event stands on gets a small dot on its leg and its name beside
 * it, in italic, smaller and quieter than event labels, as GMT and cartopy
 * maps label waypoints. They are placed after event and line labels and
 * before the reference labels, into the room left: a box in the frame
 * that meets no obstacle, off the drawn lines if it can be. A via point
 * named twice (two legs through it) is labelled once; one that finds no
 * room is listed in the scene's omissions. Coordinates given inline
 * ("48.48 135.08") are not names and get no label. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <evmap/events.h>

#include "core/error.h"
#include "map/layout_internal.h"

static const double VIA_SIZE_PT = 7.5;

static bool in_frame(const evm_layout_t *L, evm_rect_t b)
{
    evm_rect_t f = L->scene->frame;
    return b.x >= f.x + 2 && b.y >= f.y + 2 && b.x + b.w <= f.x + f.w - 2 &&
           b.y + b.h <= f.y + f.h - 2;
}

/* Whether the name reads as coordinates rather than a place. */
static bool is_coordinates(const char *name)
{
    double deg;
    char lat[64];
    size_t n = strcspn(name, " ,");
    if (n == 0 || n >= sizeof lat)
        return false;
    memcpy(lat, name, n);
    lat[n] = '\0';
    return evm_parse_coordinate(lat, true, &deg, NULL, 0) == EVM_OK;
}

/* Whether an earlier via point of the legs has the same name. */
static bool seen_before(const evm_layout_t *L, size_t leg, size_t k)
{
    const char *name = L->opt->route_legs[leg].points[k].name;
    for (size_t i = 0; i <= leg; i++) {
        const evm_route_leg_t *l = &L->opt->route_legs[i];
        size_t end = i == leg ? k : l->n_points - 1;
        for (size_t j = 1; j < end; j++)
            if (l->points[j].name && strcmp(l->points[j].name, name) == 0)
                return true;
    }
    return false;
}

static evm_status via_label(evm_layout_t *L, size_t leg, size_t k)
{
    const evm_route_point_t *p = &L->opt->route_legs[leg].points[k];
    double x, y;
    if (!evm_view_forward(&L->view, p->lon_deg, p->lat_deg, &x, &y))
        return EVM_OK;
    evm_rect_t f = L->scene->frame;
    if (x < f.x || y < f.y || x > f.x + f.w || y > f.y + f.h)
        return EVM_OK; /* off the map: nothing to label */
    double r = 1.6 * L->pt_px, halo = 1.2 * L->pt_px, gap = 2 * L->pt_px;
    double w, h;
    evm_layout_measure_styled(L, p->name, VIA_SIZE_PT, L->pal->reference_weight,
                              true, &w, &h);
    w += 2 * halo;
    h += 2 * halo;
    const evm_rect_t cand[6] = {{x + r + gap - halo, y - h / 2, w, h},
                                {x - r - gap - w + halo, y - h / 2, w, h},
                                {x + r, y - r - h + halo, w, h},
                                {x + r, y + r - halo, w, h},
                                {x - w / 2, y - r - gap - h + halo, w, h},
                                {x - w / 2, y + r + gap - halo, w, h}};
    int at = -1;
    /* Off the lines first, then anywhere free. */
    for (int pass = 0; pass < 2 && at < 0; pass++)
        for (int i = 0; i < 6 && at < 0; i++)
            if (in_frame(L, cand[i]) && !evm_layout_blocked(L, cand[i]) &&
                (pass || !evm_layout_on_lines(L, cand[i])))
                at = i;
    if (at < 0)
        return evm_layout_omit(L, EVM_OMIT_LABEL, (size_t)-1, p->name,
                               "no room for the via point's label");
    char id[64];
    snprintf(id, sizeof id, "via-%zu-%zu", leg, k);
    evm_rect_t dot = {x - r - 1, y - r - 1, 2 * r + 2, 2 * r + 2};
    if (!evm_layout_dot(L, EVM_LAYER_LABELS, id, "via-point",
                        (evm_point_t){x, y}, r, L->pal->place_dot,
                        L->pal->halo) ||
        evm_layout_obstacle(L, dot) || evm_layout_obstacle(L, cand[at]))
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory placing via labels");
    snprintf(id, sizeof id, "via-label-%zu-%zu", leg, k);
    evm_item_t *t = evm_layout_text_styled(
        L, EVM_LAYER_LABELS, id, "via-label", p->name, VIA_SIZE_PT,
        L->pal->reference_weight, true, L->pal->place_text, cand[at].x + halo,
        cand[at].y + halo);
    if (!t)
        return L->err->status ? L->err->status : EVM_ERR_NOMEM;
    return EVM_OK;
}

evm_status evm_layout_via_labels(evm_layout_t *L)
{
    const evm_map_options_t *o = L->opt;
    evm_status st = EVM_OK;
    for (size_t i = 0; !st && o->via_labels && i < o->n_route_legs; i++) {
        const evm_route_leg_t *leg = &o->route_legs[i];
        for (size_t k = 1; !st && k + 1 < leg->n_points; k++) {
            const evm_route_point_t *p = &leg->points[k];
            if (p->event >= 0 || !p->name || !p->name[0] ||
                is_coordinates(p->name) || seen_before(L, i, k))
                continue;
            st = via_label(L, i, k);
        }
    }
    return st;
}
