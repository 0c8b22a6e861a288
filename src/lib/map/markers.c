/* Event markers: a disc per event in the colour of its kind, with a white
 * rim so that it reads on land, sea and over borders. Markers outside the
 * frame (possible with a user extent) are not drawn, nor labelled. Marker
 * ids come from the event's slug in the scene's events table, which this
 * step fills first: "event-pyongyang". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "map/layout_internal.h"

/* Copies the events into the scene's table (see scene.h), so that ids
 * and the SVG's data-* attributes come from the scene alone. */
static evm_status copy_events(evm_layout_t *L)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    if (n == 0)
        return EVM_OK;
    size_t nc = evm_events_column_count(L->events);
    const char **cells = evm_alloc_array(nc ? nc : 1, sizeof *cells);
    if (!cells)
        goto nomem;
    for (size_t c = 0; c < nc; c++)
        cells[c] = evm_events_column_name(L->events, c);
    if (evm_scene_set_columns(L->scene, cells, nc))
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        const evm_event_t *e = evm_events_get(L->events, i);
        for (size_t c = 0; c < nc; c++)
            cells[c] = evm_events_value(L->events, i, c);
        if (!evm_scene_add_event(L->scene, e->name, e->kind, e->date, cells))
            goto nomem;
    }
    free(cells);
    return EVM_OK;
nomem:
    free(cells);
    return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory copying the events");
}

evm_status evm_layout_markers(evm_layout_t *L)
{
    evm_status st = copy_events(L);
    if (st)
        return st;
    size_t n = L->events ? evm_events_count(L->events) : 0;
    double r = 4.0 * L->pt_px;
    evm_rect_t f = L->scene->frame;
    for (size_t i = 0; i < n; i++) {
        const evm_event_t *e = evm_events_get(L->events, i);
        double x, y;
        bool projected =
            evm_view_forward(&L->view, e->lon_deg, e->lat_deg, &x, &y);
        if (!projected || x < f.x || x > f.x + f.w || y < f.y ||
            y > f.y + f.h) {
            /* A point the projection cannot show (a pole in Mercator, the
             * far side of a globe) is a surprise; a point outside an
             * extent the caller chose is not, but is still counted. */
            bool chosen = L->opt->has_extent && projected;
            char why[160];
            snprintf(why, sizeof why, "%s",
                     chosen ? "outside the map's extent"
                     : projected
                         ? "outside the map (the projection places it "
                           "off the frame)"
                         : "cannot be projected (a pole in Mercator, the far "
                           "side of a globe, or coordinates the projection "
                           "rejects)");
            st = evm_layout_omit(L, chosen ? EVM_OMIT_OUTSIDE : EVM_OMIT_EVENT,
                                 i, e->name, why);
            if (st)
                return st;
            continue;
        }
        char id[128];
        snprintf(id, sizeof id, "event-%s", L->scene->events[i].slug);
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
        st = evm_layout_obstacle(
            L, (evm_rect_t){x - pad, y - pad, 2 * pad, 2 * pad});
        if (st)
            return st;
    }
    return EVM_OK;
}
