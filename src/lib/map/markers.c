/* Event markers: a disc per event in the colour of its kind, with a white
 * rim so that it reads on land, sea and over borders. Markers outside the
 * frame (possible with a user extent) or on the far side of the globe
 * are not drawn, nor labelled, but counted in the scene, and a note on
 * the map says how many (never a silent drop). Marker
 * ids come from the event's slug in the scene's events table, which this
 * step fills first: "event-pyongyang". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* "11 events on the far side of the globe are not shown", in the
 * frame's bottom-left corner. */
static evm_status not_drawn_note(evm_layout_t *L)
{
    size_t far = L->scene->n_events_far_side, out = L->scene->n_events_outside;
    if (!far && !out)
        return EVM_OK;
    char text[160];
    int len = 0;
    if (far)
        len = snprintf(text, sizeof text,
                       "%zu event%s on the far side of the globe", far,
                       far == 1 ? "" : "s");
    if (out && len >= 0 && (size_t)len < sizeof text)
        snprintf(text + len, sizeof text - (size_t)len,
                 "%s%zu outside the frame", far ? ", " : "", out);
    size_t n = strlen(text);
    snprintf(text + n, sizeof text - n, " %s not shown",
             far + out == 1 ? "is" : "are");
    evm_rect_t f = L->scene->frame;
    double w, h, m = 8 * L->pt_px;
    evm_layout_measure(L, text, 8, EVM_WEIGHT_NORMAL, &w, &h);
    evm_item_t *it = evm_layout_text(L, EVM_LAYER_SCALE_BAR, "not-drawn", "",
                                     text, 8, EVM_WEIGHT_NORMAL,
                                     evm_rgb_hex(0x333333), f.x + m, f.y + m);
    if (!it)
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory adding a note");
    return evm_layout_obstacle(L, it->text.box);
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
            if (projected)
                L->scene->n_events_outside++;
            else
                L->scene->n_events_far_side++;
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
    return not_drawn_note(L);
}
