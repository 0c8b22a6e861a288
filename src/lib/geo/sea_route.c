/* Paths at sea on a land grid sized to each leg (see sea_route.h).
 *
 * The grid lives in a window of relative longitude x = lon - lon0 (lon0
 * the middle of the leg, so that a leg across the antimeridian is one
 * window) and latitude y. Rings are copied into it shifted by -360, 0 or
 * +360 degrees as they overlap it; a ring that goes round a pole in the
 * data (a longitude step over 180 degrees that does not come back) is
 * closed along that pole for the fill. Land is marked twice: the cells
 * each edge passes through (a cell walk), and the cells whose centre a
 * non-zero scan-line fill puts inside. Passages are then walked the same
 * way and set to water. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/geodesy.h>

#include "geo/sea_route.h"

/* The grid's budget: a few tens of ms of A* for a regional leg. */
static const double MAX_CELLS = 300000.0;
/* A second try over the whole world, when the window holds no path. */
static const double MAX_CELLS_WORLD = 1000000.0;
static const double MIN_CELL_DEG = 0.015;
/* Up to this cell, a cell that land touches is land (the path keeps off
 * every coast); coarser grids, which would close straits tens of km
 * wide, take a cell as land when its centre is, and each piece of their
 * path shorter than REFINE_MAX_M is then routed again on its own finer
 * grid. */
static const double STRICT_CELL_DEG = 0.05;
static const double REFINE_MAX_M = 1500e3;
/* Latitudes routed: south of -78 is Antarctica's ice shelves, north of
 * 80 pack ice most of the year (the Northern Sea Route and the Northwest
 * Passage, south of it, stay open to the router). */
static const double LAT_MIN = -78.0, LAT_MAX = 80.0;
/* A* with a heuristic weighted a little: far fewer cells expanded, and
 * the straightening takes out the slack. */
static const double H_WEIGHT = 1.1;
static const double EARTH_R_M = 6371008.8; /* the mean radius, IUGG */
static const double DEG = 3.14159265358979323846 / 180.0;

typedef struct grid {
    double lon0;   /* x = lon - lon0 */
    double x0, y0; /* the south-west corner */
    double cell;   /* degrees */
    int w, h;
    uint8_t *land; /* w * h, 1 for land */
    /* The cells a passage opened, by cell index, each with the point of
     * the passage nearest its centre: a path through such a cell goes
     * by that point, since its centre may be on land. */
    struct passage_cell *pass;
    size_t n_pass, cap_pass;
    /* While a port's own piece is straightened: cells whose centre lies
     * within harbour_r (degrees of latitude) of (harbour_x, harbour_y)
     * count as water, so that the piece may leave the port over the
     * spit or mole that closes it on the grid; harbour_r 0 otherwise. */
    double harbour_x, harbour_y, harbour_r;
} grid_t;

typedef struct passage_cell {
    int32_t cell;
    double x, y;
} passage_cell_t;

static double wrap180(double x)
{
    x = fmod(x + 180.0, 360.0);
    if (x < 0)
        x += 360.0;
    return x - 180.0;
}

static bool cell_of(const grid_t *g, double x, double y, int *cx, int *cy)
{
    double fx = floor((x - g->x0) / g->cell), fy = floor((y - g->y0) / g->cell);
    if (!(fx >= 0 && fx < g->w && fy >= 0 && fy < g->h))
        return false;
    *cx = (int)fx;
    *cy = (int)fy;
    return true;
}

/* ---- Walking the cells a segment passes through -------------------- */

typedef bool (*cell_fn)(grid_t *g, int cx, int cy, void *user);

/* Calls fn for every cell of the grid the straight segment (ax, ay) -
 * (bx, by) (grid degrees) passes through, in order (Amanatides and Woo's
 * traversal); stops and returns false when fn does. Parts outside the
 * grid are skipped. */
static bool walk(grid_t *g, double ax, double ay, double bx, double by,
                 cell_fn fn, void *user)
{
    double px = (ax - g->x0) / g->cell, py = (ay - g->y0) / g->cell;
    double qx = (bx - g->x0) / g->cell, qy = (by - g->y0) / g->cell;
    /* Clip to the grid (Liang-Barsky) so that the walk stays short. */
    double t0 = 0, t1 = 1, dx = qx - px, dy = qy - py;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {px, g->w - px, py, g->h - py};
    for (int k = 0; k < 4; k++) {
        if (p[k] == 0) {
            if (q[k] < 0)
                return true;
            continue;
        }
        double t = q[k] / p[k];
        if (p[k] < 0) {
            if (t > t1)
                return true;
            if (t > t0)
                t0 = t;
        } else {
            if (t < t0)
                return true;
            if (t < t1)
                t1 = t;
        }
    }
    double sx = px + t0 * dx, sy = py + t0 * dy;
    double ex = px + t1 * dx, ey = py + t1 * dy;
    int ix = (int)fmin(floor(sx), g->w - 1),
        iy = (int)fmin(floor(sy), g->h - 1);
    int jx = (int)fmin(floor(ex), g->w - 1),
        jy = (int)fmin(floor(ey), g->h - 1);
    ix = ix < 0 ? 0 : ix;
    iy = iy < 0 ? 0 : iy;
    jx = jx < 0 ? 0 : jx;
    jy = jy < 0 ? 0 : jy;
    int stepx = ex > sx ? 1 : -1, stepy = ey > sy ? 1 : -1;
    double ddx = ex - sx, ddy = ey - sy;
    double tdx = ddx != 0 ? fabs(1.0 / ddx) : INFINITY;
    double tdy = ddy != 0 ? fabs(1.0 / ddy) : INFINITY;
    double tmx = ddx > 0   ? (ix + 1 - sx) / ddx
                 : ddx < 0 ? (sx - ix) / -ddx
                           : INFINITY;
    double tmy = ddy > 0   ? (iy + 1 - sy) / ddy
                 : ddy < 0 ? (sy - iy) / -ddy
                           : INFINITY;
    /* At most one step per cell boundary crossed. */
    int n = abs(jx - ix) + abs(jy - iy);
    for (int k = 0;; k++) {
        if (!fn(g, ix, iy, user))
            return false;
        if (k >= n)
            break;
        if (tmx < tmy) {
            tmx += tdx;
            ix += stepx;
        } else {
            tmy += tdy;
            iy += stepy;
        }
        if (ix < 0 || ix >= g->w || iy < 0 || iy >= g->h)
            break;
    }
    return true;
}

static bool mark_land(grid_t *g, int cx, int cy, void *user)
{
    (void)user;
    g->land[(size_t)cy * g->w + cx] = 1;
    return true;
}

/* A passage's segment being opened. */
typedef struct opening {
    double ax, ay, bx, by;
    bool nomem;
} opening_t;

static bool mark_water(grid_t *g, int cx, int cy, void *user)
{
    opening_t *o = user;
    g->land[(size_t)cy * g->w + cx] = 0;
    double x = g->x0 + (cx + 0.5) * g->cell, y = g->y0 + (cy + 0.5) * g->cell;
    double dx = o->bx - o->ax, dy = o->by - o->ay, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((x - o->ax) * dx + (y - o->ay) * dy) / l2 : 0;
    t = fmin(1.0, fmax(0.0, t));
    if (evm_grow((void **)&g->pass, &g->cap_pass, g->n_pass + 1,
                 sizeof *g->pass)) {
        o->nomem = true;
        return false;
    }
    g->pass[g->n_pass++] = (passage_cell_t){(int32_t)((size_t)cy * g->w + cx),
                                            o->ax + t * dx, o->ay + t * dy};
    return true;
}

static int by_cell(const void *a, const void *b)
{
    const passage_cell_t *x = a, *y = b;
    return (x->cell > y->cell) - (x->cell < y->cell);
}

static bool is_water(grid_t *g, int cx, int cy, void *user)
{
    (void)user;
    if (!g->land[(size_t)cy * g->w + cx])
        return true;
    if (g->harbour_r <= 0)
        return false;
    double y = g->y0 + (cy + 0.5) * g->cell, x = g->x0 + (cx + 0.5) * g->cell;
    double dx = (x - g->harbour_x) * cos(y * DEG), dy = y - g->harbour_y;
    return dx * dx + dy * dy <= g->harbour_r * g->harbour_r;
}

/* ---- Rasterising the land ------------------------------------------ */

typedef struct fill {
    grid_t *g;
    int16_t *wind; /* (w + 1) * h: winding steps, summed along each row */
    bool edges;    /* also mark the cells edges pass through */
} fill_t;

/* One edge of a ring, in grid degrees; real is false for the walls that
 * close a ring round a pole, which count for the fill only. */
static void add_edge(fill_t *f, double ax, double ay, double bx, double by,
                     bool real)
{
    grid_t *g = f->g;
    if (real && f->edges)
        walk(g, ax, ay, bx, by, mark_land, NULL);
    if (ay == by)
        return;
    double lo = fmin(ay, by), hi = fmax(ay, by);
    /* Rows whose centre y satisfies lo <= y < hi. */
    double r0 = ceil((lo - g->y0) / g->cell - 0.5);
    double r1 = ceil((hi - g->y0) / g->cell - 0.5) - 1;
    if (r0 < 0)
        r0 = 0;
    if (r1 > g->h - 1)
        r1 = g->h - 1;
    int16_t dir = by > ay ? 1 : -1;
    for (int r = (int)r0; r <= (int)r1; r++) {
        double yc = g->y0 + (r + 0.5) * g->cell;
        double x = ax + (yc - ay) * (bx - ax) / (by - ay);
        double c = floor((x - g->x0) / g->cell - 0.5) + 1;
        if (c < 0)
            c = 0;
        if (c > g->w)
            continue;
        f->wind[(size_t)r * (g->w + 1) + (size_t)c] =
            (int16_t)(f->wind[(size_t)r * (g->w + 1) + (size_t)c] + dir);
    }
}

/* Ring r shifted by shift degrees of relative longitude. */
static void add_ring(fill_t *f, const double *pts, size_t n, double shift)
{
    double off = 0; /* unwrapping across the antimeridian */
    double fx = pts[0] - f->g->lon0 + shift, fy = pts[1];
    double px = fx, py = fy;
    for (size_t i = 1; i <= n; i++) {
        size_t k = i % n;
        double lon = pts[2 * k] - f->g->lon0 + shift, lat = pts[2 * k + 1];
        double step = lon + off - px;
        if (step > 180)
            off -= 360;
        else if (step < -180)
            off += 360;
        double x = lon + off, y = lat;
        if (i == n && off != 0) {
            /* Round a pole: down to it, along it, back up to the start. */
            double pole = py + fy > 0 ? 90.0 : -90.0;
            add_edge(f, px, py, px, pole, false);
            add_edge(f, fx, pole, fx, fy, false);
            return;
        }
        add_edge(f, px, py, x, y, true);
        px = x;
        py = y;
    }
}

static evm_status rasterise(grid_t *g, const evm_basemap_t *m, bool edges)
{
    size_t nw = (size_t)(g->w + 1) * (size_t)g->h;
    fill_t f = {g, calloc(nw, sizeof(int16_t)), edges};
    if (!f.wind)
        return EVM_ERR_NOMEM;
    double gx1 = g->x0 + g->w * g->cell, gy1 = g->y0 + g->h * g->cell;
    for (size_t r = 0; r < m->n_rings; r++) {
        const evm_llbox_t *b = &m->ring_box[r];
        size_t n = m->ring_off[r + 1] - m->ring_off[r];
        if (n < 3 || b->n < g->y0 - 1 || b->s > gy1 + 1)
            continue;
        const double *pts = m->ring_pts + 2 * m->ring_off[r];
        bool round = b->w <= -180 && b->e >= 180;
        for (int s = -1; s <= 1; s++) {
            double shift = 360.0 * s;
            double w = b->w - g->lon0 + shift, e = b->e - g->lon0 + shift;
            if (!round && (e < g->x0 - 1 || w > gx1 + 1))
                continue;
            add_ring(&f, pts, n, shift);
        }
    }
    for (int y = 0; y < g->h; y++) {
        int sum = 0;
        const int16_t *row = f.wind + (size_t)y * (g->w + 1);
        uint8_t *land = g->land + (size_t)y * g->w;
        for (int x = 0; x < g->w; x++) {
            sum += row[x];
            if (sum != 0)
                land[x] = 1;
        }
    }
    free(f.wind);
    return EVM_OK;
}

static evm_status burn_passages(grid_t *g, const evm_sea_land_t *sl)
{
    for (size_t i = 0; i < sl->n_passages; i++) {
        const evm_sea_passage_t *p = &sl->passages[i];
        for (size_t k = 1; k < p->n_points; k++) {
            double ay = p->lat_lon[2 * k - 2], by = p->lat_lon[2 * k];
            double ax = wrap180(p->lat_lon[2 * k - 1] - g->lon0);
            double bx =
                ax + wrap180(p->lat_lon[2 * k + 1] - p->lat_lon[2 * k - 1]);
            opening_t o = {ax, ay, bx, by, false};
            walk(g, ax, ay, bx, by, mark_water, &o);
            if (o.nomem)
                return EVM_ERR_NOMEM;
        }
    }
    /* A cell two passages (or two segments) open keeps the first. */
    if (g->n_pass)
        qsort(g->pass, g->n_pass, sizeof *g->pass, by_cell);
    return EVM_OK;
}

/* The point a path through cell c goes by: its centre, or a passage's. */
static void cell_point(const grid_t *g, int32_t c, double *x, double *y)
{
    passage_cell_t key = {c, 0, 0};
    const passage_cell_t *p =
        g->n_pass ? bsearch(&key, g->pass, g->n_pass, sizeof key, by_cell)
                  : NULL;
    if (p) {
        *x = p->x;
        *y = p->y;
        return;
    }
    *x = g->x0 + (c % g->w + 0.5) * g->cell;
    *y = g->y0 + (c / g->w + 0.5) * g->cell;
}

/* A grid over [x0, x1] x [y0, y1] (relative longitude, latitude) with
 * at most max_cells cells; land and passages marked. */
static evm_status grid_build(grid_t *g, const evm_sea_land_t *sl, double lon0,
                             double x0, double x1, double y0, double y1,
                             double max_cells)
{
    y0 = fmax(y0, LAT_MIN);
    y1 = fmin(y1, LAT_MAX);
    x1 = fmin(x1, x0 + 360.0);
    double cell = sqrt((x1 - x0) * (y1 - y0) / max_cells);
    if (!(cell >= MIN_CELL_DEG))
        cell = MIN_CELL_DEG;
    *g = (grid_t){.lon0 = lon0, .x0 = x0, .y0 = y0, .cell = cell};
    g->w = (int)ceil((x1 - x0) / cell);
    g->h = (int)ceil((y1 - y0) / cell);
    if (g->w < 1 || g->h < 1)
        return EVM_ERR_INVALID_ARG;
    g->land = calloc((size_t)g->w * (size_t)g->h, 1);
    if (!g->land)
        return EVM_ERR_NOMEM;
    evm_status st = rasterise(g, sl->land, g->cell <= STRICT_CELL_DEG);
    if (!st)
        st = burn_passages(g, sl);
    if (st) {
        free(g->land);
        free(g->pass);
        g->land = NULL;
        g->pass = NULL;
    }
    return st;
}

/* ---- Distances on the sphere ---------------------------------------- */

static double gc_m(double lat1, double lon1, double lat2, double lon2)
{
    double s1 = sin((lat2 - lat1) * DEG / 2), s2 = sin((lon2 - lon1) * DEG / 2);
    double a = s1 * s1 + cos(lat1 * DEG) * cos(lat2 * DEG) * s2 * s2;
    return 2 * EARTH_R_M * asin(fmin(1.0, sqrt(a)));
}

static void cell_centre(const grid_t *g, int cx, int cy, double *x, double *y)
{
    *x = g->x0 + (cx + 0.5) * g->cell;
    *y = g->y0 + (cy + 0.5) * g->cell;
}

/* The nearest water cell to (x, y) within max_m; false when none. */
static bool nearest_water(const grid_t *g, double x, double y, double max_m,
                          int *wx, int *wy, double *dist_m)
{
    int cx = (int)floor((x - g->x0) / g->cell);
    int cy = (int)floor((y - g->y0) / g->cell);
    double best = INFINITY;
    /* A ring k cells out is at least (k - 1) cells away, each at least
     * this long (east-west at the grid's worst latitude). */
    double ylat = fmax(fabs(g->y0), fabs(g->y0 + g->h * g->cell));
    double min_cell_m =
        g->cell * DEG * EARTH_R_M * fmax(cos(fmin(ylat, 89.0) * DEG), 0.02);
    for (int k = 0;; k++) {
        double near_m = (k - 1) * min_cell_m;
        if (near_m > best || near_m > max_m)
            break;
        for (int j = cy - k; j <= cy + k; j++) {
            if (j < 0 || j >= g->h)
                continue;
            bool edge_row = j == cy - k || j == cy + k;
            for (int i = cx - k; i <= cx + k; i += edge_row ? 1 : 2 * k) {
                if (i >= 0 && i < g->w && !g->land[(size_t)j * g->w + i]) {
                    double ccx, ccy;
                    cell_centre(g, i, j, &ccx, &ccy);
                    double d = gc_m(y, x, ccy, ccx);
                    if (d < best) {
                        best = d;
                        *wx = i;
                        *wy = j;
                    }
                }
                if (k == 0)
                    break;
            }
        }
    }
    *dist_m = best;
    return best <= max_m;
}

/* ---- A* --------------------------------------------------------------- */

typedef struct heap_item {
    float f;
    int32_t cell;
} heap_item_t;

typedef struct heap {
    heap_item_t *a;
    size_t n, cap;
} heap_t;

static bool heap_push(heap_t *h, float f, int32_t cell)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 4096;
        heap_item_t *a = realloc(h->a, cap * sizeof *a);
        if (!a)
            return false;
        h->a = a;
        h->cap = cap;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h->a[p].f <= f)
            break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = (heap_item_t){f, cell};
    return true;
}

static heap_item_t heap_pop(heap_t *h)
{
    heap_item_t top = h->a[0], last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->a[c + 1].f < h->a[c].f)
            c++;
        if (h->a[c].f >= last.f)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n)
        h->a[i] = last;
    return top;
}

static const int DX[8] = {1, -1, 0, 0, 1, 1, -1, -1};
static const int DY[8] = {0, 0, 1, -1, 1, -1, 1, -1};

/* The cells of the shortest water path from cell s to cell t, t first;
 * *n 0 when there is none. EVM_ERR_NOMEM when out of memory. */
static evm_status astar(const grid_t *g, int sx, int sy, int tx, int ty,
                        int32_t **path, size_t *n)
{
    *path = NULL;
    *n = 0;
    size_t nc = (size_t)g->w * (size_t)g->h;
    double *gs = malloc(nc * sizeof *gs);
    int8_t *from = malloc(nc);
    uint8_t *closed = calloc(nc, 1);
    double *rcos = malloc((size_t)g->h * sizeof *rcos);
    double *rsin = malloc((size_t)g->h * sizeof *rsin);
    double *ccos = malloc((size_t)g->w * sizeof *ccos);
    heap_t hp = {0};
    evm_status st = EVM_ERR_NOMEM;
    if (!gs || !from || !closed || !rcos || !rsin || !ccos)
        goto done;
    for (size_t i = 0; i < nc; i++)
        gs[i] = INFINITY;
    memset(from, -1, nc);
    double tlon, tlat;
    cell_centre(g, tx, ty, &tlon, &tlat);
    for (int y = 0; y < g->h; y++) {
        double lat = (g->y0 + (y + 0.5) * g->cell) * DEG;
        rcos[y] = cos(lat);
        rsin[y] = sin(lat);
    }
    for (int x = 0; x < g->w; x++) {
        double dl = (g->x0 + (x + 0.5) * g->cell - tlon) * DEG;
        ccos[x] = cos(dl);
    }
    double tsin = sin(tlat * DEG), tcos = cos(tlat * DEG);
    double cell_m = g->cell * DEG * EARTH_R_M;
    size_t s = (size_t)sy * g->w + sx, t = (size_t)ty * g->w + tx;
    gs[s] = 0;
    from[s] = 8; /* the start */
    if (!heap_push(&hp, 0, (int32_t)s))
        goto done;
    while (hp.n) {
        heap_item_t it = heap_pop(&hp);
        size_t c = (size_t)it.cell;
        int cx = (int)(c % (size_t)g->w), cy = (int)(c / (size_t)g->w);
        if (c == t)
            break;
        if (closed[c])
            continue; /* a stale entry */
        closed[c] = 1;
        double gc = gs[c];
        for (int d = 0; d < 8; d++) {
            int nx = cx + DX[d], ny = cy + DY[d];
            if (nx < 0 || nx >= g->w || ny < 0 || ny >= g->h)
                continue;
            size_t nb = (size_t)ny * g->w + nx;
            if (g->land[nb] || closed[nb])
                continue;
            /* No corner cutting: a diagonal step needs both sides. */
            if (d >= 4 && (g->land[(size_t)cy * g->w + nx] ||
                           g->land[(size_t)ny * g->w + cx]))
                continue;
            double ew = DX[d] ? cell_m * 0.5 * (rcos[cy] + rcos[ny]) : 0;
            double ns = DY[d] ? cell_m : 0;
            double ng = gc + sqrt(ew * ew + ns * ns);
            if (ng >= gs[nb])
                continue;
            gs[nb] = ng;
            from[nb] = (int8_t)d;
            double cosd = rsin[ny] * tsin + rcos[ny] * tcos * ccos[nx];
            double h = H_WEIGHT * EARTH_R_M * acos(fmax(-1.0, fmin(1.0, cosd)));
            if (!heap_push(&hp, (float)(ng + h), (int32_t)nb))
                goto done;
        }
    }
    st = EVM_OK;
    if (from[t] < 0)
        goto done;
    size_t len = 1;
    for (size_t c = t; from[c] != 8; len++) {
        int d = from[c];
        c = (size_t)((int)(c / (size_t)g->w) - DY[d]) * g->w +
            (size_t)((int)(c % (size_t)g->w) - DX[d]);
    }
    int32_t *p = malloc(len * sizeof *p);
    if (!p) {
        st = EVM_ERR_NOMEM;
        goto done;
    }
    size_t k = 0;
    for (size_t c = t;;) {
        p[k++] = (int32_t)c;
        if (from[c] == 8)
            break;
        int d = from[c];
        c = (size_t)((int)(c / (size_t)g->w) - DY[d]) * g->w +
            (size_t)((int)(c % (size_t)g->w) - DX[d]);
    }
    *path = p;
    *n = k;
done:
    free(gs);
    free(from);
    free(closed);
    free(rcos);
    free(rsin);
    free(ccos);
    free(hp.a);
    return st;
}

/* ---- Line of sight ---------------------------------------------------- */

typedef struct vec3 {
    double x, y, z;
} vec3_t;

static vec3_t to_vec(double x, double y)
{
    return (vec3_t){cos(y * DEG) * cos(x * DEG), cos(y * DEG) * sin(x * DEG),
                    sin(y * DEG)};
}

/* Whether the great circle from (ax, ay) to (bx, by) (grid degrees)
 * passes through water cells only: walked between points at most half a
 * cell apart, so that its bend between them stays well inside a cell. */
static bool visible(grid_t *g, double ax, double ay, double bx, double by)
{
    vec3_t a = to_vec(ax, ay), b = to_vec(bx, by);
    double dot = a.x * b.x + a.y * b.y + a.z * b.z;
    double ang = acos(fmax(-1.0, fmin(1.0, dot)));
    int n = (int)ceil(ang / (g->cell * DEG * 0.5));
    if (n < 1)
        n = 1;
    double sa = sin(ang), px = ax, py = ay;
    for (int i = 1; i <= n; i++) {
        double t = (double)i / n, x, y;
        if (i == n || sa < 1e-12) {
            x = ax + (bx - ax) * t;
            y = ay + (by - ay) * t;
        } else {
            double fa = sin((1 - t) * ang) / sa, fb = sin(t * ang) / sa;
            vec3_t v = {fa * a.x + fb * b.x, fa * a.y + fb * b.y,
                        fa * a.z + fb * b.z};
            y = atan2(v.z, hypot(v.x, v.y)) / DEG;
            x = atan2(v.y, v.x) / DEG;
            /* Keep x continuous with the walk (the window may pass
             * +-180 of relative longitude only for a world grid). */
            x = px + wrap180(x - px);
        }
        if (!walk(g, px, py, x, y, is_water, NULL))
            return false;
        px = x;
        py = y;
    }
    return true;
}

/* The farthest k > i with pts[i] visible from pts[k], by doubling then
 * bisecting (visibility is near enough monotone along an A* path). */
static size_t farthest_visible(grid_t *g, const double *xy, size_t n, size_t i)
{
    size_t ok = i + 1, step = 1;
    while (ok + step < n &&
           visible(g, xy[2 * i], xy[2 * i + 1], xy[2 * (ok + step)],
                   xy[2 * (ok + step) + 1])) {
        ok += step;
        step *= 2;
    }
    size_t lo = ok, hi = ok + step < n ? ok + step : n; /* hi not visible */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (visible(g, xy[2 * i], xy[2 * i + 1], xy[2 * mid], xy[2 * mid + 1]))
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* ---- Routing ---------------------------------------------------------- */

typedef struct end {
    double lat, lon; /* the end as given */
    double x, y;     /* the end, grid degrees */
    int cx, cy;      /* the water cell it joins */
    double join_m;   /* 0 when it lies in that cell */
} end_t;

static bool join(const grid_t *g, end_t *e)
{
    int cx, cy;
    if (cell_of(g, e->x, e->y, &cx, &cy) && !g->land[(size_t)cy * g->w + cx]) {
        e->cx = cx;
        e->cy = cy;
        e->join_m = 0;
        return true;
    }
    /* A coarse grid's coastal cells are land for tens of km: allow
     * three cells more than a fine grid would. */
    double extra = 3 * g->cell * DEG * EARTH_R_M;
    return nearest_water(g, e->x, e->y, EVM_SEA_MAX_JOIN_M + extra, &e->cx,
                         &e->cy, &e->join_m);
}

/* The path's points in grid degrees: the ends, and between them the
 * centres of its cells (the joining cells' centres only where an end lies
 * outside its cell). */
static evm_status path_points(const grid_t *g, const end_t *a, const end_t *b,
                              const int32_t *cells, size_t n_cells, double **xy,
                              size_t *n)
{
    double *p = malloc((n_cells + 2) * 2 * sizeof *p);
    if (!p)
        return EVM_ERR_NOMEM;
    size_t k = 0;
    p[k++] = a->x;
    p[k++] = a->y;
    /* cells run from b back to a. */
    for (size_t i = n_cells; i-- > 0;) {
        bool first = i == n_cells - 1, last = i == 0;
        if ((first && a->join_m == 0) || (last && b->join_m == 0))
            continue;
        cell_point(g, cells[i], &p[k], &p[k + 1]);
        k += 2;
    }
    p[k++] = b->x;
    p[k++] = b->y;
    *xy = p;
    *n = k / 2;
    return EVM_OK;
}

/* Straightens xy in place: keeps the ends and the vertices where the
 * line of sight breaks. The join pieces at an end outside water are kept
 * as they are. */
static size_t straighten(grid_t *g, double *xy, size_t n, bool a_out,
                         bool b_out)
{
    size_t first = a_out ? 1 : 0, last = b_out ? n - 2 : n - 1;
    if (last <= first)
        return n;
    size_t out = first + 1, i = first;
    while (i < last) {
        size_t k = farthest_visible(g, xy, last + 1, i);
        xy[2 * out - 2] = xy[2 * i];
        xy[2 * out - 1] = xy[2 * i + 1];
        out++;
        i = k;
    }
    xy[2 * out - 2] = xy[2 * last];
    xy[2 * out - 1] = xy[2 * last + 1];
    if (b_out) {
        xy[2 * out] = xy[2 * (n - 1)];
        xy[2 * out + 1] = xy[2 * (n - 1) + 1];
        out++;
    }
    return out;
}

/* Pulls each interior vertex of xy[first .. last] towards the straight
 * line between its neighbours as far as both its pieces stay at sea
 * (bisection), and drops it when its neighbours see each other: the
 * string pulled taut round the capes that hold it. A few passes. */
static size_t pull(grid_t *g, double *xy, size_t n, size_t first, size_t last)
{
    for (int pass = 0; pass < 4; pass++) {
        for (size_t i = first + 1; i < last; i++) {
            double ax = xy[2 * i - 2], ay = xy[2 * i - 1];
            double bx = xy[2 * i + 2], by = xy[2 * i + 3];
            if (visible(g, ax, ay, bx, by)) {
                memmove(&xy[2 * i], &xy[2 * i + 2],
                        (n - i - 1) * 2 * sizeof *xy);
                n--;
                last--;
                i--;
                continue;
            }
            /* The point of segment a-b nearest the vertex (plate
             * carree, enough to choose a direction). */
            double px = xy[2 * i], py = xy[2 * i + 1];
            double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
            double t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
            t = fmin(1.0, fmax(0.0, t));
            double qx = ax + t * dx, qy = ay + t * dy;
            double lo = 0, hi = 1;
            for (int k = 0; k < 8; k++) {
                double m = (lo + hi) / 2;
                double mx = px + m * (qx - px), my = py + m * (qy - py);
                if (visible(g, ax, ay, mx, my) && visible(g, mx, my, bx, by))
                    lo = m;
                else
                    hi = m;
            }
            xy[2 * i] = px + lo * (qx - px);
            xy[2 * i + 1] = py + lo * (qy - py);
        }
    }
    return n;
}

/* How far from a port its piece may cross land: the issue of a port in a
 * bay the grid closes, a few km, never more than this. */
static const double HARBOUR_MAX_M = 8000.0;

/* Lets the piece from an end that lies on land (xy[0], or the last
 * vertex when at_end) go straight to the farthest vertex it can reach
 * over water, land within a few km of the port excepted: the join cell
 * and the vertices before that vertex are dropped. */
static size_t harbour_shortcut(grid_t *g, double *xy, size_t n, double join_m,
                               bool at_end)
{
    if (n < 3 || join_m <= 0)
        return n;
    double cell_m = g->cell * DEG * EARTH_R_M;
    double r_m = fmin(HARBOUR_MAX_M, fmax(3000.0, 1.5 * join_m + cell_m));
    size_t port = at_end ? n - 1 : 0;
    g->harbour_x = xy[2 * port];
    g->harbour_y = xy[2 * port + 1];
    g->harbour_r = r_m / (DEG * EARTH_R_M);
    size_t best = 1; /* the join cell: kept when nothing farther is seen */
    for (size_t k = n - 1; k >= 2; k--) {
        size_t v = at_end ? n - 1 - k : k;
        if (visible(g, xy[2 * port], xy[2 * port + 1], xy[2 * v],
                    xy[2 * v + 1])) {
            best = k;
            break;
        }
    }
    g->harbour_r = 0;
    if (best < 2)
        return n;
    /* Drop the best - 1 vertices between the port and the one it sees. */
    size_t drop = best - 1;
    if (at_end) {
        memmove(&xy[2 * (n - 1 - drop)], &xy[2 * (n - 1)], 2 * sizeof *xy);
    } else {
        memmove(&xy[2], &xy[2 * (1 + drop)], 2 * (n - 1 - drop) * sizeof *xy);
    }
    return n - drop;
}

/* One try on a window; out->result EVM_SEA_NO_PATH when the window holds
 * no path. */
static evm_status route_in(const evm_sea_land_t *sl, double lon0, double x0,
                           double x1, double y0, double y1, double max_cells,
                           end_t *a, end_t *b, evm_sea_path_t *out)
{
    grid_t g;
    evm_status st = grid_build(&g, sl, lon0, x0, x1, y0, y1, max_cells);
    if (st)
        return st;
    out->cell_deg = g.cell;
    out->n_cells = (size_t)g.w * (size_t)g.h;
    int32_t *cells = NULL;
    size_t n_cells = 0;
    double *xy = NULL;
    if (!join(&g, a)) {
        out->result = EVM_SEA_FROM_INLAND;
        out->from_join_m = EVM_SEA_MAX_JOIN_M;
        goto done;
    }
    if (!join(&g, b)) {
        out->result = EVM_SEA_TO_INLAND;
        out->to_join_m = EVM_SEA_MAX_JOIN_M;
        goto done;
    }
    out->from_join_m = a->join_m;
    out->to_join_m = b->join_m;
    if ((st = astar(&g, a->cx, a->cy, b->cx, b->cy, &cells, &n_cells)))
        goto done;
    if (!n_cells) {
        out->result = EVM_SEA_NO_PATH;
        goto done;
    }
    size_t n;
    if ((st = path_points(&g, a, b, cells, n_cells, &xy, &n)))
        goto done;
    n = straighten(&g, xy, n, a->join_m > 0, b->join_m > 0);
    /* On a coarse grid the vertices stay cell centres, in water, where
     * the finer grids of refine() start from. */
    if (n >= 3 && g.cell <= STRICT_CELL_DEG) {
        n = pull(&g, xy, n, a->join_m > 0 ? 1 : 0,
                 b->join_m > 0 ? n - 2 : n - 1);
        n = harbour_shortcut(&g, xy, n, a->join_m, false);
        n = harbour_shortcut(&g, xy, n, b->join_m, true);
    }
    out->lat_lon = malloc(2 * n * sizeof(double));
    if (!out->lat_lon) {
        st = EVM_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        out->lat_lon[2 * i] = xy[2 * i + 1];
        out->lat_lon[2 * i + 1] = wrap180(xy[2 * i] + lon0);
    }
    /* The ends exactly as given, not through relative longitudes. */
    out->lat_lon[0] = a->lat;
    out->lat_lon[1] = a->lon;
    out->lat_lon[2 * n - 2] = b->lat;
    out->lat_lon[2 * n - 1] = b->lon;
    out->n_vertices = n;
    out->result = EVM_SEA_ROUTED;
done:
    free(cells);
    free(xy);
    free(g.land);
    free(g.pass);
    return st;
}

/* Routes in a window about the leg; when top, also over the whole world
 * if the window holds no path. */
static evm_status route_leg(const evm_sea_land_t *sl, double lat1, double lon1,
                            double lat2, double lon2, bool top,
                            evm_sea_path_t *out)
{
    *out = (evm_sea_path_t){0};
    /* The window: the leg's ends and points along its geodesic (which
     * bows poleward), widened by a quarter of its size. */
    double lon0 = wrap180(lon1 + wrap180(lon2 - lon1) / 2);
    double s12, azi1;
    evm_geodesic_inverse(lat1, lon1, lat2, lon2, &s12, &azi1, NULL);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; i <= 16; i++) {
        double lat, lon;
        evm_geodesic_direct(lat1, lon1, azi1, s12 * i / 16, &lat, &lon, NULL);
        double x = wrap180(lon - lon0);
        x0 = fmin(x0, x);
        x1 = fmax(x1, x);
        y0 = fmin(y0, lat);
        y1 = fmax(y1, lat);
    }
    double margin = fmax(2.0, 0.25 * fmax(x1 - x0, y1 - y0));
    end_t a = {lat1, lon1, wrap180(lon1 - lon0), lat1, 0, 0, 0};
    end_t b = {lat2, lon2, wrap180(lon2 - lon0), lat2, 0, 0, 0};
    evm_status st =
        route_in(sl, lon0, fmax(x0 - margin, -180.0), fmin(x1 + margin, 180.0),
                 y0 - margin, y1 + margin, MAX_CELLS, &a, &b, out);
    if (st || out->result != EVM_SEA_NO_PATH || !top)
        return st;
    /* No way inside the window: the whole world, coarser. */
    *out = (evm_sea_path_t){0};
    return route_in(sl, lon0, -180.0, 180.0, LAT_MIN, LAT_MAX, MAX_CELLS_WORLD,
                    &a, &b, out);
}

/* Appends n lat/lon pairs to *ll. */
static evm_status append(double **ll, size_t *m, size_t *cap, const double *add,
                         size_t n)
{
    if (evm_grow((void **)ll, cap, 2 * (*m + n), sizeof **ll))
        return EVM_ERR_NOMEM;
    memcpy(&(*ll)[2 * *m], add, 2 * n * sizeof **ll);
    *m += n;
    return EVM_OK;
}

/* Routes every piece of a coarse path again on its own finer grid, a
 * piece longer than REFINE_MAX_M cut into equal parts along its
 * geodesic first; keeps a part as it is where that finds nothing. */
static evm_status refine(const evm_sea_land_t *sl, evm_sea_path_t *out)
{
    const double *v = out->lat_lon;
    size_t n = out->n_vertices, cap = 0, m = 0;
    double *ll = NULL;
    evm_status st = append(&ll, &m, &cap, v, 1);
    for (size_t i = 1; !st && i < n; i++) {
        double s12, azi1;
        evm_geodesic_inverse(v[2 * i - 2], v[2 * i - 1], v[2 * i], v[2 * i + 1],
                             &s12, &azi1, NULL);
        int parts = (int)ceil(s12 / REFINE_MAX_M);
        double a[2] = {v[2 * i - 2], v[2 * i - 1]};
        for (int k = 1; !st && k <= parts; k++) {
            double b[2] = {v[2 * i], v[2 * i + 1]};
            if (k < parts)
                evm_geodesic_direct(v[2 * i - 2], v[2 * i - 1], azi1,
                                    s12 * k / parts, &b[0], &b[1], NULL);
            evm_sea_path_t sub;
            st = route_leg(sl, a[0], a[1], b[0], b[1], false, &sub);
            if (!st && sub.result == EVM_SEA_ROUTED && sub.n_vertices >= 2)
                /* its first vertex is the previous part's last */
                st = append(&ll, &m, &cap, sub.lat_lon + 2, sub.n_vertices - 1);
            else if (!st)
                st = append(&ll, &m, &cap, b, 1);
            evm_sea_path_free(&sub);
            a[0] = b[0];
            a[1] = b[1];
        }
    }
    if (st) {
        free(ll);
        return st;
    }
    free(out->lat_lon);
    out->lat_lon = ll;
    out->n_vertices = m;
    return EVM_OK;
}

evm_status evm_sea_route(const evm_sea_land_t *sl, double lat1, double lon1,
                         double lat2, double lon2, evm_sea_path_t *out)
{
    *out = (evm_sea_path_t){0};
    if (!(lat1 >= -90 && lat1 <= 90 && lat2 >= -90 && lat2 <= 90) ||
        !isfinite(lon1) || !isfinite(lon2))
        return EVM_ERR_INVALID_ARG;
    evm_status st = route_leg(sl, lat1, lon1, lat2, lon2, true, out);
    if (st || out->result != EVM_SEA_ROUTED || out->cell_deg <= STRICT_CELL_DEG)
        return st;
    double cell = out->cell_deg;
    size_t n_cells = out->n_cells;
    st = refine(sl, out);
    out->cell_deg = cell;
    out->n_cells = n_cells;
    return st;
}

void evm_sea_path_free(evm_sea_path_t *path)
{
    if (!path)
        return;
    free(path->lat_lon);
    path->lat_lon = NULL;
    path->n_vertices = 0;
}

/* ---- Lines over water ----------------------------------------------- */

double evm_sea_longest_water_m(const evm_basemap_t *land, double lat1,
                               double lon1, double lat2, double lon2)
{
    double s12, azi1;
    evm_geodesic_inverse(lat1, lon1, lat2, lon2, &s12, &azi1, NULL);
    if (!(s12 > 0))
        return 0;
    double lon0 = wrap180(lon1 + wrap180(lon2 - lon1) / 2);
    int n = (int)ceil(s12 / 1000.0); /* a sample per km */
    if (n > 20000)
        n = 20000;
    double *xy = malloc(2 * (size_t)(n + 1) * sizeof *xy);
    if (!xy)
        return NAN;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; i <= n; i++) {
        double lat, lon;
        evm_geodesic_direct(lat1, lon1, azi1, s12 * i / n, &lat, &lon, NULL);
        xy[2 * i] = wrap180(lon - lon0);
        xy[2 * i + 1] = lat;
        x0 = fmin(x0, xy[2 * i]);
        x1 = fmax(x1, xy[2 * i]);
        y0 = fmin(y0, lat);
        y1 = fmax(y1, lat);
    }
    /* Cells of about 2 km, or fewer than 4 million of them. */
    double cell = fmax(0.02, sqrt((x1 - x0 + 0.2) * (y1 - y0 + 0.2) / 4e6));
    grid_t g = {.lon0 = lon0, .x0 = x0 - 0.1, .y0 = y0 - 0.1, .cell = cell};
    g.w = (int)ceil((x1 - x0 + 0.2) / cell);
    g.h = (int)ceil((y1 - y0 + 0.2) / cell);
    g.land = calloc((size_t)g.w * (size_t)g.h, 1);
    double longest = NAN;
    if (g.land && !rasterise(&g, land, false)) {
        double run = 0;
        longest = 0;
        for (int i = 0; i <= n; i++) {
            int cx, cy;
            bool wet = cell_of(&g, xy[2 * i], xy[2 * i + 1], &cx, &cy) &&
                       !g.land[(size_t)cy * g.w + cx];
            run = wet && i > 0 ? run + s12 / n : 0;
            longest = fmax(longest, run);
        }
    }
    free(g.land);
    free(xy);
    return longest;
}
