/* A uniform grid over the page indexing the boxes labels must avoid, so
 * that testing a candidate label costs the obstacles near it rather than
 * all of them: with one marker and one label per event, a linear scan
 * made placement quadratic (100,000 events took minutes). An obstacle is
 * entered in every cell its box meets; boxes off the page go to the
 * border cells. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "map/layout_internal.h"

evm_status evm_grid_index_init(evm_grid_index_t *g, double width_px,
                               double height_px, double cell_px)
{
    memset(g, 0, sizeof *g);
    g->cell = cell_px;
    g->nx = (int)fmin(ceil(width_px / cell_px), 4096) + 1;
    g->ny = (int)fmin(ceil(height_px / cell_px), 4096) + 1;
    g->head = malloc((size_t)g->nx * (size_t)g->ny * sizeof *g->head);
    if (!g->head)
        return EVM_ERR_NOMEM;
    for (size_t i = 0; i < (size_t)g->nx * (size_t)g->ny; i++)
        g->head[i] = -1;
    return EVM_OK;
}

void evm_grid_index_free(evm_grid_index_t *g)
{
    free(g->head);
    free(g->next);
    free(g->item);
    free(g->stamp);
    memset(g, 0, sizeof *g);
}

static int clamp_cell(double v, double cell, int n)
{
    double c = floor(v / cell);
    if (!(c >= 0))
        return 0;
    if (c >= n - 1)
        return n - 1;
    return (int)c;
}

static void cell_range(const evm_grid_index_t *g, evm_rect_t r, int *x0,
                       int *y0, int *x1, int *y1)
{
    *x0 = clamp_cell(r.x, g->cell, g->nx);
    *y0 = clamp_cell(r.y, g->cell, g->ny);
    *x1 = clamp_cell(r.x + r.w, g->cell, g->nx);
    *y1 = clamp_cell(r.y + r.h, g->cell, g->ny);
}

evm_status evm_grid_index_add(evm_grid_index_t *g, uint32_t item, evm_rect_t r)
{
    int x0, y0, x1, y1;
    cell_range(g, r, &x0, &y0, &x1, &y1);
    size_t need = g->n + (size_t)(x1 - x0 + 1) * (size_t)(y1 - y0 + 1);
    size_t cap = g->cap;
    if (evm_grow((void **)&g->next, &cap, need, sizeof *g->next))
        return EVM_ERR_NOMEM;
    cap = g->cap;
    if (evm_grow((void **)&g->item, &cap, need, sizeof *g->item))
        return EVM_ERR_NOMEM;
    g->cap = cap;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            size_t c = (size_t)y * (size_t)g->nx + (size_t)x;
            g->item[g->n] = item;
            g->next[g->n] = g->head[c];
            g->head[c] = (int32_t)g->n;
            g->n++;
        }
    size_t n_items = item + 1;
    if (n_items > g->n_stamp) {
        size_t sc = g->n_stamp;
        if (evm_grow((void **)&g->stamp, &sc, n_items, sizeof *g->stamp))
            return EVM_ERR_NOMEM;
        memset(g->stamp + g->n_stamp, 0, (sc - g->n_stamp) * sizeof *g->stamp);
        g->n_stamp = sc;
    }
    return EVM_OK;
}

size_t evm_grid_index_visit(evm_grid_index_t *g, evm_rect_t r,
                            bool (*visit)(void *user, uint32_t item),
                            void *user)
{
    int x0, y0, x1, y1;
    cell_range(g, r, &x0, &y0, &x1, &y1);
    /* Each query gets a new stamp, so an item in several cells is
     * visited once. */
    if (++g->query == 0) {
        memset(g->stamp, 0, g->n_stamp * sizeof *g->stamp);
        g->query = 1;
    }
    size_t visited = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
            for (int32_t e = g->head[(size_t)y * (size_t)g->nx + (size_t)x];
                 e >= 0; e = g->next[e]) {
                uint32_t it = g->item[e];
                if (g->stamp[it] == g->query)
                    continue;
                g->stamp[it] = g->query;
                visited++;
                if (!visit(user, it))
                    return visited;
            }
    return visited;
}
