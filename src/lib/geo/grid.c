/* The view's interpolation cache (see grid.h): a lazily filled grid of
 * exactly projected nodes over the view's lon/lat box, with a per-cell
 * check that bilinear interpolation is within tolerance. */
#include "geo/grid.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* At most this many nodes (16 bytes each, plus a byte of state per node
 * and per cell): 4.5 MB. A finer grid would cost more to fill than it
 * saves. */
#define GRID_MAX_NODES (1ul << 18)
/* Keeps grid nodes on the cut on their own side of the map, as the view
 * does for the points it projects. */
#define CUT_NUDGE_DEG 1e-9

/* A node goes UNKNOWN -> BUSY (one thread writes its xy) -> OK or BAD; a
 * cell goes UNKNOWN -> INTERP or EXACT, the same whichever thread
 * classifies it. */
enum { NODE_UNKNOWN = 0, NODE_OK, NODE_BAD, NODE_BUSY };
enum { CELL_UNKNOWN = 0, CELL_INTERP, CELL_EXACT };

struct evm_grid {
    unsigned long id, last_id;
    double lon0;   /* longitudes below are relative to it */
    double w, s;   /* node (0, 0) */
    double e, n;   /* node (nx, ny) */
    double hx, hy; /* cell size, degrees */
    double inv_hx, inv_hy;
    double tol;    /* projection units */
    size_t nx, ny; /* cells per axis */
    double *xy;    /* node (i, j) at 2 * (j * (nx + 1) + i) */
    _Atomic uint8_t *node;
    _Atomic uint8_t *cell; /* cell (i, j) at j * nx + i */
    size_t cap_nodes, cap_cells;
};

evm_grid_t *evm_grid_create(void)
{
    return calloc(1, sizeof(evm_grid_t));
}

void evm_grid_destroy(evm_grid_t *g)
{
    if (!g)
        return;
    free(g->xy);
    free((void *)g->node);
    free((void *)g->cell);
    free(g);
}

static bool exact(const evm_projection_t *p, double lon0, double rel,
                  double lat, double *x, double *y)
{
    if (rel > 180.0 - CUT_NUDGE_DEG)
        rel = 180.0 - CUT_NUDGE_DEG;
    else if (rel < -180.0 + CUT_NUDGE_DEG)
        rel = -180.0 + CUT_NUDGE_DEG;
    return evm_projection_forward(p, lon0 + rel, lat, x, y);
}

unsigned long evm_grid_setup(evm_grid_t *g, double lon0_deg, evm_llbox_t box,
                             double h_deg, double tol)
{
    g->id = 0;
    double span_x = box.e - box.w, span_y = box.n - box.s;
    if (!(span_x > 0) || !(span_y > 0) || !(h_deg > 0) || !(tol > 0) ||
        !isfinite(h_deg) || !isfinite(tol) || box.w < -180 || box.e > 180)
        return 0;
    double fx = ceil(span_x / h_deg), fy = ceil(span_y / h_deg);
    if (!((fx + 1) * (fy + 1) <= (double)GRID_MAX_NODES)) {
        /* Coarser than asked: more cells will fail their check and fall
         * back to exact projection, which stays correct. */
        double f = sqrt((double)GRID_MAX_NODES / ((fx + 1) * (fy + 1)));
        fx = fmax(1.0, floor(fx * f) - 1);
        fy = fmax(1.0, floor(fy * f) - 1);
    }
    size_t nx = (size_t)fmax(1.0, fx), ny = (size_t)fmax(1.0, fy);
    size_t nodes = (nx + 1) * (ny + 1), cells = nx * ny;
    if (nodes > g->cap_nodes) {
        double *xy = evm_realloc_array(g->xy, 2 * nodes, sizeof *xy);
        if (!xy)
            return 0;
        g->xy = xy;
        _Atomic uint8_t *node =
            evm_realloc_array((void *)g->node, nodes, sizeof *node);
        if (!node)
            return 0;
        g->node = node;
        g->cap_nodes = nodes;
    }
    if (cells > g->cap_cells) {
        _Atomic uint8_t *cell =
            evm_realloc_array((void *)g->cell, cells, sizeof *cell);
        if (!cell)
            return 0;
        g->cell = cell;
        g->cap_cells = cells;
    }
    for (size_t k = 0; k < nodes; k++)
        atomic_init(&g->node[k], NODE_UNKNOWN);
    for (size_t k = 0; k < cells; k++)
        atomic_init(&g->cell[k], CELL_UNKNOWN);
    g->lon0 = lon0_deg;
    g->w = box.w;
    g->s = box.s;
    g->e = box.e;
    g->n = box.n;
    g->nx = nx;
    g->ny = ny;
    g->hx = span_x / (double)nx;
    g->hy = span_y / (double)ny;
    g->inv_hx = (double)nx / span_x;
    g->inv_hy = (double)ny / span_y;
    g->tol = tol;
    if (++g->last_id == 0) /* 0 means "no grid" */
        ++g->last_id;
    g->id = g->last_id;
    return g->id;
}

/* Node (i, j) projected into xy, computing it on first use. The thread
 * that claims the node publishes it; one that finds it claimed by another
 * thread, not yet published, projects it for itself (the same values). */
static bool node_xy(evm_grid_t *g, const evm_projection_t *p, size_t i,
                    size_t j, double xy[2])
{
    size_t k = j * (g->nx + 1) + i;
    uint8_t state = atomic_load_explicit(&g->node[k], memory_order_acquire);
    if (state == NODE_OK) {
        xy[0] = g->xy[2 * k];
        xy[1] = g->xy[2 * k + 1];
        return true;
    }
    if (state == NODE_BAD)
        return false;
    /* The last row and column sit exactly on the box's edge. */
    double rel = i == g->nx ? g->e : g->w + (double)i * g->hx;
    double lat = j == g->ny ? g->n : g->s + (double)j * g->hy;
    bool ok = exact(p, g->lon0, rel, lat, &xy[0], &xy[1]);
    uint8_t expected = NODE_UNKNOWN;
    if (state == NODE_UNKNOWN &&
        atomic_compare_exchange_strong_explicit(&g->node[k], &expected,
                                                NODE_BUSY, memory_order_acquire,
                                                memory_order_relaxed)) {
        g->xy[2 * k] = xy[0];
        g->xy[2 * k + 1] = xy[1];
        atomic_store_explicit(&g->node[k], ok ? NODE_OK : NODE_BAD,
                              memory_order_release);
    }
    return ok;
}

/* Whether the point (rel, lat) projects within tol of (ix, iy). */
static bool close_to(evm_grid_t *g, const evm_projection_t *p, double rel,
                     double lat, double ix, double iy)
{
    double x, y;
    return exact(p, g->lon0, rel, lat, &x, &y) && fabs(x - ix) <= g->tol &&
           fabs(y - iy) <= g->tol;
}

/* Decides once whether cell (i, j) is interpolated. Bilinear
 * interpolation errs most at the centre (both second derivatives) and at
 * the middle of an edge (one of them), so those two are checked. */
static uint8_t classify(evm_grid_t *g, const evm_projection_t *p, size_t i,
                        size_t j)
{
    double a[2], b[2], c[2], d[2];
    if (!node_xy(g, p, i, j, a) || !node_xy(g, p, i + 1, j, b) ||
        !node_xy(g, p, i, j + 1, c) || !node_xy(g, p, i + 1, j + 1, d))
        return CELL_EXACT;
    double rel0 = g->w + (double)i * g->hx, lat0 = g->s + (double)j * g->hy;
    double rel_c = rel0 + g->hx / 2, lat_c = lat0 + g->hy / 2;
    bool ok = close_to(g, p, rel_c, lat_c, (a[0] + b[0] + c[0] + d[0]) / 4,
                       (a[1] + b[1] + c[1] + d[1]) / 4) &&
              close_to(g, p, rel_c, lat0, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
    return ok ? CELL_INTERP : CELL_EXACT;
}

bool evm_grid_forward(evm_grid_t *g, unsigned long id,
                      const evm_projection_t *p, double lon0_deg,
                      double rel_lon_deg, double lat_deg, double *x, double *y)
{
    if (id == 0 || id != g->id)
        return exact(p, lon0_deg, rel_lon_deg, lat_deg, x, y);
    double fx = (rel_lon_deg - g->w) * g->inv_hx;
    double fy = (lat_deg - g->s) * g->inv_hy;
    /* Outside the grid (or NaN): exact. */
    if (!(fx >= 0 && fx <= (double)g->nx && fy >= 0 && fy <= (double)g->ny))
        return exact(p, g->lon0, rel_lon_deg, lat_deg, x, y);
    size_t i = (size_t)fx, j = (size_t)fy;
    if (i == g->nx)
        i--;
    if (j == g->ny)
        j--;
    _Atomic uint8_t *cell = &g->cell[j * g->nx + i];
    uint8_t state = atomic_load_explicit(cell, memory_order_acquire);
    if (state == CELL_UNKNOWN) {
        state = classify(g, p, i, j);
        atomic_store_explicit(cell, state, memory_order_release);
    }
    double a[2], b[2], c[2], d[2];
    /* An interpolated cell's nodes are known; node_xy reads them with the
     * ordering that makes their coordinates visible to this thread. */
    if (state == CELL_EXACT || !node_xy(g, p, i, j, a) ||
        !node_xy(g, p, i + 1, j, b) || !node_xy(g, p, i, j + 1, c) ||
        !node_xy(g, p, i + 1, j + 1, d))
        return exact(p, g->lon0, rel_lon_deg, lat_deg, x, y);
    double u = fx - (double)i, v = fy - (double)j;
    double bx = a[0] + u * (b[0] - a[0]), by = a[1] + u * (b[1] - a[1]);
    double tx = c[0] + u * (d[0] - c[0]), ty = c[1] + u * (d[1] - c[1]);
    *x = bx + v * (tx - bx);
    *y = by + v * (ty - by);
    return true;
}
