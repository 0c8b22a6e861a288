/* The legend: one row per event kind (marker swatch, name, count), and
 * one for distance lines when the map has any, in a box placed in the
 * frame corner that hides the fewest markers and does not meet the scale
 * bar. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "map/layout_internal.h"

static const double ENTRY_PT = 8.5;
static const char DISTANCE_ENTRY[] = "Geodesic distance";

static void entry_text(const evm_layout_t *L, size_t k, size_t count, char *buf,
                       size_t cap)
{
    const char *kind = *L->kinds[k] ? L->kinds[k] : "event";
    snprintf(buf, cap, "%s (%zu)", kind, count);
    /* Capitalise an ASCII first letter: "port (2)" -> "Port (2)". */
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)toupper((unsigned char)buf[0]);
}

/* Markers and furniture the box would hide, and distance lines it would
 * cut (a line's hidden stretch may hold its point). */
static size_t hidden_cost(evm_layout_t *L, evm_rect_t box)
{
    size_t cost = evm_layout_blocked_count(L, box);
    const evm_layer_t *d = &L->scene->layers[EVM_LAYER_DISTANCE_LINES];
    for (size_t i = 0; i < d->n_items; i++) {
        const evm_path_t *p = &d->items[i].path;
        if (d->items[i].kind != EVM_ITEM_PATH ||
            strcmp(d->items[i].cls, "border-highlight") == 0)
            continue;
        bool meets = false;
        for (size_t k = 0; k < p->n_subs && !meets; k++) {
            size_t a = p->sub_start[k], n = evm_path_sub_len(p, k);
            for (size_t j = a + 1; j < a + n && !meets; j++)
                meets = evm_segment_meets_rect(p->pts[j - 1], p->pts[j], box);
        }
        cost += meets;
    }
    return cost;
}

static evm_status legend_rows(evm_layout_t *L, const size_t *shown,
                              size_t kind_rows);

evm_status evm_layout_legend(evm_layout_t *L)
{
    /* Kinds and counts of the events this map shows: with a user extent
     * or in a batch of maps of one file, the rest are not on the map.
     * Colours stay those of the kind's place in the whole file, so that
     * every map of a series uses the same. */
    size_t *shown = calloc(L->n_kinds ? L->n_kinds : 1, sizeof *shown);
    if (!shown)
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory adding the legend");
    size_t n_events = L->events ? evm_events_count(L->events) : 0;
    for (size_t i = 0; i < n_events; i++)
        if (L->event_shown[i])
            shown[L->event_kind[i]]++;
    size_t kind_rows = 0;
    for (size_t k = 0; k < L->n_kinds; k++)
        kind_rows += shown[k] > 0;
    evm_status st = legend_rows(L, shown, kind_rows);
    free(shown);
    return st;
}

static evm_status legend_rows(evm_layout_t *L, const size_t *shown,
                              size_t kind_rows)
{
    size_t rows = kind_rows + (L->n_distance_lines ? 1 : 0);
    if (rows == 0)
        return EVM_OK;
    double pt = L->pt_px, pad = 6 * pt, r = 4 * pt, gap = 5 * pt;
    double row_h = 0, text_w = 0;
    char text[256];
    for (size_t k = 0; k < L->n_kinds; k++) {
        if (!shown[k])
            continue;
        double w, h;
        entry_text(L, k, shown[k], text, sizeof text);
        evm_layout_measure(L, text, ENTRY_PT, EVM_WEIGHT_NORMAL, &w, &h);
        text_w = fmax(text_w, w);
        row_h = fmax(row_h, fmax(h, 2 * r) + 2 * pt);
    }
    if (L->n_distance_lines) {
        double w, h;
        evm_layout_measure(L, DISTANCE_ENTRY, ENTRY_PT, EVM_WEIGHT_NORMAL, &w,
                           &h);
        text_w = fmax(text_w, w);
        row_h = fmax(row_h, fmax(h, 2 * r) + 2 * pt);
    }
    double bw = pad * 2 + 2 * r + gap + text_w;
    double bh = pad * 2 + row_h * (double)rows;
    evm_rect_t f = L->scene->frame;
    double inset = 10 * pt;
    const evm_rect_t corners[4] = {
        {f.x + f.w - inset - bw, f.y + inset, bw, bh}, /* top right */
        {f.x + inset, f.y + inset, bw, bh},            /* top left */
        {f.x + f.w - inset - bw, f.y + f.h - inset - bh, bw, bh},
        {f.x + inset, f.y + f.h - inset - bh, bw, bh}};
    size_t best = 0, best_cost = SIZE_MAX;
    for (size_t c = 0; c < 4; c++) {
        size_t cost = hidden_cost(L, corners[c]);
        if (cost < best_cost) {
            best = c;
            best_cost = cost;
        }
    }
    evm_rect_t box = corners[best];
    if (box.x < f.x || box.y < f.y)
        return EVM_OK; /* no room for a legend in this frame */

    evm_style_t bg = {0};
    bg.fill = (evm_rgba_t){1, 1, 1, 0.88};
    bg.stroke = evm_rgb_hex(0xB0B0B0);
    bg.stroke_px = 0.6 * pt;
    if (!evm_layout_rect(L, EVM_LAYER_LEGEND, "legend-box", box, bg))
        return EVM_ERR_NOMEM;
    for (size_t k = 0, row = 0; k < L->n_kinds; k++) {
        if (!shown[k])
            continue;
        double cy = box.y + pad + row_h * ((double)row++ + 0.5);
        char id[48];
        snprintf(id, sizeof id, "legend-swatch-%zu", k);
        evm_item_t it = {0};
        it.kind = EVM_ITEM_CIRCLE;
        it.id = id;
        it.cls = L->kinds[k];
        it.event = -1;
        it.center = (evm_point_t){box.x + pad + r, cy};
        it.r_px = r;
        it.style.fill = evm_kind_color(k);
        it.style.stroke = (evm_rgba_t){1, 1, 1, 1};
        it.style.stroke_px = 1.2 * pt;
        if (!evm_scene_add(L->scene, EVM_LAYER_LEGEND, &it))
            return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory adding the legend");
        entry_text(L, k, shown[k], text, sizeof text);
        double w, h;
        evm_layout_measure(L, text, ENTRY_PT, EVM_WEIGHT_NORMAL, &w, &h);
        snprintf(id, sizeof id, "legend-label-%zu", k);
        evm_item_t *t =
            evm_layout_text(L, EVM_LAYER_LEGEND, id, L->kinds[k], text,
                            ENTRY_PT, EVM_WEIGHT_NORMAL, evm_rgb_hex(0x222222),
                            box.x + pad + 2 * r + gap, cy - h / 2);
        if (!t)
            return EVM_ERR_NOMEM;
        t->text.halo.a = 0;
    }
    if (L->n_distance_lines) {
        /* A short stretch of distance line as the swatch. */
        double cy = box.y + pad + row_h * ((double)kind_rows + 0.5);
        evm_item_t it = {0};
        it.kind = EVM_ITEM_PATH;
        it.id = (char *)"legend-swatch-distance";
        it.cls = (char *)"distance";
        it.event = -1;
        it.style = evm_distance_line_style(L);
        it.style.dash_px[0] = 2 * r * 0.6;
        it.style.dash_px[1] = 2 * r * 0.4;
        if (evm_path_move_to(&it.path, box.x + pad - r * 0.5, cy) ||
            evm_path_line_to(&it.path, box.x + pad + 2.5 * r, cy) ||
            !evm_scene_add(L->scene, EVM_LAYER_LEGEND, &it)) {
            evm_path_free(&it.path);
            return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory adding the legend");
        }
        double w, h;
        evm_layout_measure(L, DISTANCE_ENTRY, ENTRY_PT, EVM_WEIGHT_NORMAL, &w,
                           &h);
        evm_item_t *t = evm_layout_text(
            L, EVM_LAYER_LEGEND, "legend-label-distance", "distance",
            DISTANCE_ENTRY, ENTRY_PT, EVM_WEIGHT_NORMAL, evm_rgb_hex(0x222222),
            box.x + pad + 2 * r + gap, cy - h / 2);
        if (!t)
            return EVM_ERR_NOMEM;
        t->text.halo.a = 0;
    }
    return evm_layout_obstacle(L, box);
}
