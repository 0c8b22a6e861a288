/* Event markers: a disc per event in the colour of its kind, with a white
 * rim so that it reads on land, sea and over borders. Markers outside the
 * frame (possible with a user extent) are not drawn, nor labelled. */
#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "map/layout_internal.h"

evm_status evm_layout_markers(evm_layout_t *L)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    double r = 4.0 * L->pt_px;
    evm_rect_t f = L->scene->frame;
    for (size_t i = 0; i < n; i++) {
        const evm_event_t *e = evm_events_get(L->events, i);
        double x, y;
        if (!evm_view_forward(&L->view, e->lon_deg, e->lat_deg, &x, &y) ||
            x < f.x || x > f.x + f.w || y < f.y || y > f.y + f.h)
            continue;
        char id[32];
        snprintf(id, sizeof id, "event-%zu", i);
        evm_item_t it = {0};
        it.kind = EVM_ITEM_CIRCLE;
        it.id = id;
        it.cls = (char *)e->kind;
        it.event = (long)i;
        it.center = (evm_point_t){x, y};
        it.r_px = r;
        it.style.fill = evm_kind_color(L->event_kind[i]);
        it.style.stroke = (evm_rgba_t){1, 1, 1, 1};
        it.style.stroke_px = 1.2 * L->pt_px;
        if (!evm_scene_add(L->scene, EVM_LAYER_EVENTS, &it))
            return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory adding markers");
        L->event_shown[i] = true;
        double pad = r + it.style.stroke_px / 2;
        evm_status st = evm_layout_obstacle(
            L, (evm_rect_t){x - pad, y - pad, 2 * pad, 2 * pad});
        if (st)
            return st;
    }
    return EVM_OK;
}
