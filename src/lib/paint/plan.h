/* The order in which the painters (the cairo painter, the native PDF
 * writer) paint a crowded layer: markers that later ones hide are left
 * out, and the rest are grouped into batches of one style, each filled
 * and stroked once. The picture is the one painting every item in order
 * gives (see plan.c for why). */
#ifndef EVM_PAINT_PLAN_H
#define EVM_PAINT_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/scene.h>

/* A box on the page, px. */
typedef struct evm_paint_box {
    double x0, y0, x1, y1;
} evm_paint_box_t;

typedef struct evm_paint_plan {
    size_t *order; /* indices of the layer's items, in paint order */
    size_t n;      /* of them: the items not hidden */
    /* Per entry of order: a box holding every pixel the item paints
     * (the whole page when that is not known). */
    evm_paint_box_t *box;
    /* Batch b is order[b ? end[b - 1] : 0 .. end[b]). A batch of more
     * than one item holds markers of one style (circles, or closed
     * single-ring paths) that touch no common pixel. */
    size_t *end;
    size_t n_batches;
    size_t n_hidden; /* items left out: later markers paint over them */
} evm_paint_plan_t;

/* Plans layer of scene for painters whose guard box has margin_px (see
 * guard.h) and which clip the layer to the frame when it says so.
 * false, with plan zeroed, when there is no plan to follow (few items,
 * a layer that shows nothing, or out of memory): paint every item in
 * order. Release with evm_paint_plan_free. */
bool evm_paint_plan_layer(evm_paint_plan_t *plan, const evm_scene_t *scene,
                          const evm_layer_t *layer, double margin_px);

void evm_paint_plan_free(evm_paint_plan_t *plan);

#endif
