/* The view: fitting an extent into the map frame, the lon/lat box that
 * covers the frame, and the pipeline that takes rings and lines from
 * lon/lat to page paths.
 *
 * Pipeline for one ring or line: unwrap relative to lon0 (cut.c), clip
 * the planar result to view->ll and to its copies 360 degrees east and
 * west (clip.c; this is also the cut at the antimeridian), shift each
 * piece back, densify it onto the page (densify.c) and clip it to
 * view->clip. Points reach the page through the projection's
 * interpolation grid (grid.c), and buffers live for one call and grow
 * geometrically, so the cost per vertex is a few dozen flops; PROJ runs
 * only for the grid's nodes and where a cell cannot be interpolated. */
#include "geo/view_internal.h"

#include <string.h>

#include "geo/grid.h"

/* Margin of the clip rectangle round the frame, px: wide enough that
 * strokes along the frame's edge are not cut short. */
#define CLIP_MARGIN_PX 16.0
/* Samples along each side of the extent and of the frame. */
#define BORDER_SAMPLES 64
/* Samples across the frame, per axis, for interior extremes and for the
 * derivative bounds. */
#define GRID_SAMPLES 12
/* The interpolation grid may move a point by this fraction of tol_px;
 * densification leaves room for it. */
#define GRID_TOL_FRACTION 0.125
/* The cut is moved this far inwards before projection so that a point on
 * it lands on its own side of the map (PROJ keeps +-pi as given, but
 * lon0 + 180 computed in degrees may come back as -180). */
#define CUT_NUDGE_DEG 1e-9

bool evm_view_forward_rel(const evm_view_t *view, double rel_lon_deg,
                          double lat_deg, double *px, double *py)
{
    if (rel_lon_deg > 180.0 - CUT_NUDGE_DEG)
        rel_lon_deg = 180.0 - CUT_NUDGE_DEG;
    else if (rel_lon_deg < -180.0 + CUT_NUDGE_DEG)
        rel_lon_deg = -180.0 + CUT_NUDGE_DEG;
    double x, y;
    if (!evm_grid_forward(view->grid, view->grid_id, view->proj, view->lon0,
                          rel_lon_deg, lat_deg, &x, &y))
        return false;
    *px = (x - view->x0) * view->scale;
    *py = (view->y0 - y) * view->scale;
    return true;
}

bool evm_view_forward(const evm_view_t *view, double lon_deg, double lat_deg,
                      double *px, double *py)
{
    double x, y;
    if (!evm_projection_forward(view->proj, lon_deg, lat_deg, &x, &y))
        return false;
    *px = (x - view->x0) * view->scale;
    *py = (view->y0 - y) * view->scale;
    return true;
}

bool evm_view_inverse(const evm_view_t *view, double px, double py,
                      double *lon_deg, double *lat_deg)
{
    if (!(view->scale > 0))
        return false;
    return evm_projection_inverse(view->proj, px / view->scale + view->x0,
                                  view->y0 - py / view->scale, lon_deg,
                                  lat_deg);
}

/* ---- evm_view_init ----------------------------------------------------- */

/* A longitude of the extent relative to lon0, kept unwrapped when the
 * extent is centred on lon0 (so E > 180 works) and wrapped otherwise. */
static double extent_rel_lon(double lon, double lon0)
{
    double r = lon - lon0;
    return r >= -180.0 && r <= 180.0 ? r : evm_cut_rel_lon(lon, lon0);
}

/* Projected bounding box of the extent's border. */
static bool extent_bbox(const evm_view_t *view, const double extent[4],
                        evm_box_t *bb)
{
    *bb = (evm_box_t){INFINITY, INFINITY, -INFINITY, -INFINITY};
    bool any = false;
    for (int side = 0; side < 4; side++) {
        for (int i = 0; i <= BORDER_SAMPLES; i++) {
            double t = (double)i / BORDER_SAMPLES;
            double lon, lat;
            switch (side) {
            case 0: /* south, west to east */
                lon = extent[0] + t * (extent[2] - extent[0]);
                lat = extent[1];
                break;
            case 1: /* north */
                lon = extent[0] + t * (extent[2] - extent[0]);
                lat = extent[3];
                break;
            case 2: /* west, south to north */
                lon = extent[0];
                lat = extent[1] + t * (extent[3] - extent[1]);
                break;
            default: /* east */
                lon = extent[2];
                lat = extent[1] + t * (extent[3] - extent[1]);
                break;
            }
            double r = extent_rel_lon(lon, view->lon0);
            r = fmax(-180.0 + CUT_NUDGE_DEG, fmin(180.0 - CUT_NUDGE_DEG, r));
            double x, y;
            if (!evm_projection_forward(view->proj, view->lon0 + r, lat, &x,
                                        &y))
                continue;
            any = true;
            bb->x0 = fmin(bb->x0, x);
            bb->x1 = fmax(bb->x1, x);
            bb->y0 = fmin(bb->y0, y);
            bb->y1 = fmax(bb->y1, y);
        }
    }
    return any;
}

typedef struct ll_acc {
    double w, s, e, n;
    bool any;
    bool off[4]; /* a border sample off the globe: left, right, top, bottom */
} ll_acc_t;

static void ll_sample(const evm_view_t *view, double px, double py, int side,
                      ll_acc_t *acc)
{
    double lon, lat;
    if (!evm_view_inverse(view, px, py, &lon, &lat)) {
        if (side >= 0)
            acc->off[side] = true;
        return;
    }
    double r = evm_cut_rel_lon(lon, view->lon0);
    acc->any = true;
    acc->w = fmin(acc->w, r);
    acc->e = fmax(acc->e, r);
    acc->s = fmin(acc->s, lat);
    acc->n = fmax(acc->n, lat);
}

/* Pulls a latitude bound back towards lat_ok until it can be projected:
 * Mercator has no image of the pole, and a ring closed through the pole
 * must be clipped short of it. */
static double representable_lat(const evm_view_t *view, double lat,
                                double lat_ok)
{
    double px, py;
    if (evm_view_forward_rel(view, 0, lat, &px, &py))
        return lat;
    for (int i = 0; i < 60; i++) {
        double mid = (lat + lat_ok) / 2;
        if (evm_view_forward_rel(view, 0, mid, &px, &py))
            lat_ok = mid;
        else
            lat = mid;
    }
    return lat_ok;
}

/* view->ll: inverse-projects the clip rectangle's border and a grid
 * inside it, takes the box, widens it to the whole globe in the
 * direction of any border point that is off the globe and to a pole that
 * is inside the frame, pads it and clamps it. */
static void compute_ll(evm_view_t *view)
{
    evm_rect_t c = view->clip;
    ll_acc_t acc = {INFINITY, INFINITY, -INFINITY, -INFINITY, false, {0}};
    for (int i = 0; i <= BORDER_SAMPLES; i++) {
        double t = (double)i / BORDER_SAMPLES;
        ll_sample(view, c.x, c.y + t * c.h, 0, &acc);
        ll_sample(view, c.x + c.w, c.y + t * c.h, 1, &acc);
        ll_sample(view, c.x + t * c.w, c.y, 2, &acc);
        ll_sample(view, c.x + t * c.w, c.y + c.h, 3, &acc);
    }
    for (int i = 1; i < GRID_SAMPLES; i++)
        for (int j = 1; j < GRID_SAMPLES; j++)
            ll_sample(view, c.x + c.w * i / GRID_SAMPLES,
                      c.y + c.h * j / GRID_SAMPLES, -1, &acc);
    if (!acc.any) {
        view->ll = (evm_llbox_t){-180, -90, 180, 90};
        return;
    }
    double lat_ok_n = acc.n, lat_ok_s = acc.s;
    /* A pole inside the frame: every meridian reaches it. */
    for (int k = 0; k < 2; k++) {
        double pole = k ? -90.0 : 90.0, px, py;
        if (evm_view_forward_rel(view, 0, pole, &px, &py) && px >= c.x &&
            px <= c.x + c.w && py >= c.y && py <= c.y + c.h) {
            acc.w = -180;
            acc.e = 180;
            if (k)
                acc.s = -90;
            else
                acc.n = 90;
        }
    }
    if (acc.off[0])
        acc.w = -180;
    if (acc.off[1])
        acc.e = 180;
    if (acc.off[2])
        acc.n = 90;
    if (acc.off[3])
        acc.s = -90;
    /* The samples are dense, so a pad of a tenth of the span (between
     * 0.01 and 3 degrees) covers what falls between them while keeping
     * a city map from pulling in a country's worth of data. */
    double pad_lon = fmin(3.0, fmax(0.01, 0.1 * (acc.e - acc.w)));
    double pad_lat = fmin(3.0, fmax(0.01, 0.1 * (acc.n - acc.s)));
    view->ll.w = fmax(-180.0, acc.w - pad_lon);
    view->ll.e = fmin(180.0, acc.e + pad_lon);
    view->ll.s = fmax(-90.0, acc.s - pad_lat);
    view->ll.n = fmin(90.0, acc.n + pad_lat);
    view->ll.n = representable_lat(view, view->ll.n, lat_ok_n);
    view->ll.s = representable_lat(view, view->ll.s, lat_ok_s);
}

/* Largest first derivative (px per degree) and second derivative (px per
 * square degree) of the page position over the frame, from central
 * differences at a grid of points; 0 when nothing could be sampled. */
static void derivative_bounds(const evm_view_t *view, double *d1, double *d2)
{
    *d1 = 0;
    *d2 = 0;
    evm_rect_t c = view->clip;
    double span = fmax(view->ll.e - view->ll.w, view->ll.n - view->ll.s);
    double h = fmin(0.25, fmax(1e-5, span / 200));
    for (int i = 0; i <= GRID_SAMPLES; i++) {
        for (int j = 0; j <= GRID_SAMPLES; j++) {
            double lon, lat;
            if (!evm_view_inverse(view, c.x + c.w * i / GRID_SAMPLES,
                                  c.y + c.h * j / GRID_SAMPLES, &lon, &lat))
                continue;
            double r = evm_cut_rel_lon(lon, view->lon0);
            r = fmax(-180.0 + 2 * h, fmin(180.0 - 2 * h, r));
            lat = fmax(-90.0 + h, fmin(90.0 - h, lat));
            /* f[a][b]: page point at (r + (a - 1) h, lat + (b - 1) h). */
            double fx[3][3], fy[3][3];
            bool ok = true;
            for (int a = 0; a < 3 && ok; a++)
                for (int b = 0; b < 3 && ok; b++)
                    ok = evm_view_forward_rel(view, r + (a - 1) * h,
                                              lat + (b - 1) * h, &fx[a][b],
                                              &fy[a][b]);
            if (!ok)
                continue;
            double d_lon = hypot(fx[2][1] - fx[0][1], fy[2][1] - fy[0][1]);
            double d_lat = hypot(fx[1][2] - fx[1][0], fy[1][2] - fy[1][0]);
            *d1 = fmax(*d1, fmax(d_lon, d_lat) / (2 * h));
            double h2 = h * h;
            double ll_x = fx[2][1] - 2 * fx[1][1] + fx[0][1];
            double ll_y = fy[2][1] - 2 * fy[1][1] + fy[0][1];
            double pp_x = fx[1][2] - 2 * fx[1][1] + fx[1][0];
            double pp_y = fy[1][2] - 2 * fy[1][1] + fy[1][0];
            double lp_x = (fx[2][2] - fx[2][0] - fx[0][2] + fx[0][0]) / 4;
            double lp_y = (fy[2][2] - fy[2][0] - fy[0][2] + fy[0][0]) / 4;
            double m = fmax(hypot(ll_x, ll_y),
                            fmax(hypot(pp_x, pp_y), hypot(lp_x, lp_y)));
            *d2 = fmax(*d2, m / h2);
        }
    }
}

/* merge_deg, chord_deg and the interpolation grid from the derivative
 * bounds. A point within L (= |dlon| + |dlat|) of another is within d1 L
 * on the page; a piece of parameter length L bends from its chord
 * midpoint by at most d2 L^2 / 8. merge_deg and chord_deg take a safety
 * factor of 2 on the sampled bounds; the grid needs none, as it checks
 * each cell itself. */
static void compute_thresholds(evm_view_t *view)
{
    double d1 = view->d1_px_deg, d2 = view->d2_px_deg2;
    view->grid_id = 0;
    view->merge_deg = 0;
    view->chord_deg = 0;
    if (!(d1 > 0) || !isfinite(d1) || !isfinite(d2))
        return;
    double tol = view->tol_px;
    double long_px = hypot(view->frame.w, view->frame.h) / 8;
    view->merge_deg = (tol / 2) / (2 * d1);
    /* d2 L^2 / 8 <= tol / 4 with d2 doubled: L <= sqrt(tol / d2). */
    double chord = d2 > 0 ? sqrt(tol / d2) : INFINITY;
    /* and short enough on the page that the long-piece rule is moot. */
    view->chord_deg = fmin(chord, long_px / (2 * d1));
    /* Bilinear interpolation over cells of h errs by at most
     * (h^2 / 8)(|f_ll| + |f_pp|) <= h^2 d2 / 4: h = sqrt(4 grid_tol /
     * d2). Cells that curve more than the frame's sample fail their
     * check and are projected exactly. */
    double grid_tol_px = GRID_TOL_FRACTION * tol;
    double h = d2 > 0 ? sqrt(4 * grid_tol_px / d2)
                      : fmax(view->ll.e - view->ll.w, view->ll.n - view->ll.s);
    view->grid = evm_projection_grid(view->proj);
    view->grid_id = evm_grid_setup(view->grid, view->lon0, view->ll, h,
                                   grid_tol_px / view->scale);
}

void evm_view_copy(const evm_view_t *view, const evm_projection_t *proj,
                   evm_view_t *copy)
{
    *copy = *view;
    copy->proj = proj;
}

void evm_view_set_tolerance(evm_view_t *view, double tol_px, double simplify_px)
{
    view->tol_px = tol_px;
    view->simplify_px = simplify_px;
    compute_thresholds(view);
}

static evm_status check_frame(evm_rect_t frame, evm_error_t *err)
{
    if (!(frame.w > 0) || !(frame.h > 0) || !isfinite(frame.x) ||
        !isfinite(frame.y) || !isfinite(frame.w) || !isfinite(frame.h))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the map frame %g x %g px is empty", frame.w,
                             frame.h);
    return EVM_OK;
}

bool evm_view_extent_box(const evm_projection_t *proj, const double extent[4],
                         double box[4])
{
    evm_view_t v = {0};
    v.proj = proj;
    v.lon0 = evm_projection_lon0(proj);
    evm_box_t bb;
    if (!extent_bbox(&v, extent, &bb))
        return false;
    box[0] = bb.x0;
    box[1] = bb.y0;
    box[2] = bb.x1;
    box[3] = bb.y1;
    return true;
}

evm_status evm_view_init_box(evm_view_t *view, const evm_projection_t *proj,
                             const double box[4], evm_rect_t frame,
                             evm_error_t *err)
{
    memset(view, 0, sizeof *view);
    evm_status st = check_frame(frame, err);
    if (st)
        return st;
    for (int i = 0; i < 4; i++)
        if (!isfinite(box[i]))
            return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "the map's projected box is not finite");
    view->proj = proj;
    view->lon0 = evm_projection_lon0(proj);
    view->tol_px = 0.5;
    view->simplify_px = 0;
    view->frame = frame;
    view->clip = (evm_rect_t){
        frame.x - CLIP_MARGIN_PX, frame.y - CLIP_MARGIN_PX,
        frame.w + 2 * CLIP_MARGIN_PX, frame.h + 2 * CLIP_MARGIN_PX};
    double bw = box[2] - box[0], bh = box[3] - box[1];
    double sx = bw > 0 ? frame.w / bw : INFINITY;
    double sy = bh > 0 ? frame.h / bh : INFINITY;
    view->scale = fmin(sx, sy);
    if (!isfinite(view->scale) || !(view->scale > 0))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the map extent projects to a single point");
    /* The box's centre goes to the frame's centre; the short side of the
     * box grows to fill the frame. */
    double xc = (box[0] + box[2]) / 2, yc = (box[1] + box[3]) / 2;
    view->x0 = xc - (frame.x + frame.w / 2) / view->scale;
    view->y0 = yc + (frame.y + frame.h / 2) / view->scale;
    compute_ll(view);
    /* Once per view, whatever the tolerance, and exactly: the view has
     * no grid yet (second differences of interpolated points would
     * measure the interpolation rather than the projection). */
    derivative_bounds(view, &view->d1_px_deg, &view->d2_px_deg2);
    compute_thresholds(view);
    return EVM_OK;
}

evm_status evm_view_init(evm_view_t *view, const evm_projection_t *proj,
                         const double extent[4], evm_rect_t frame,
                         evm_error_t *err)
{
    memset(view, 0, sizeof *view);
    for (int i = 0; i < 4; i++)
        if (!isfinite(extent[i]))
            return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "the map extent is not finite");
    if (!(extent[2] > extent[0]) || !(extent[3] > extent[1]) ||
        extent[1] < -90 || extent[3] > 90 || extent[2] - extent[0] > 360)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the map extent W %g, S %g, E %g, N %g is not "
                             "a longitude/latitude box",
                             extent[0], extent[1], extent[2], extent[3]);
    evm_status st = check_frame(frame, err);
    if (st)
        return st;
    double box[4];
    if (!evm_view_extent_box(proj, extent, box))
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "no point of the map extent can be projected "
                             "with \"%.80s\"",
                             evm_projection_definition(proj));
    return evm_view_init_box(view, proj, box, frame, err);
}

bool evm_view_box_visible(const evm_view_t *view, const evm_llbox_t *box)
{
    const evm_llbox_t *ll = &view->ll;
    if (box->n < ll->s || box->s > ll->n)
        return false;
    double span = box->e - box->w;
    if (!(span >= 0 && span < 360) || (ll->w <= -180 && ll->e >= 180))
        return true;
    /* The box relative to lon0 is [w, w + span] with w in [-180, 180);
     * its east end may pass the cut, where it meets view->ll again 360
     * degrees on. */
    double w = evm_cut_rel_lon(box->w, view->lon0), e = w + span;
    return (e >= ll->w && w <= ll->e) || e - 360.0 >= ll->w;
}

/* ---- rings and lines ---------------------------------------------------- */

typedef struct scratch {
    evm_densify_t dens;
    evm_ptbuf_t ll;    /* unwrapped lon/lat */
    evm_ptbuf_t piece; /* the part inside one copy of view->ll */
    evm_ptbuf_t tmp;   /* clipping scratch */
    evm_ptbuf_t page;  /* densified page points, with breaks */
    evm_ptbuf_t page2; /* page points after bridging or clipping */
} scratch_t;

static void scratch_free(scratch_t *s)
{
    evm_ptbuf_free(&s->ll);
    evm_ptbuf_free(&s->piece);
    evm_ptbuf_free(&s->tmp);
    evm_ptbuf_free(&s->page);
    evm_ptbuf_free(&s->page2);
}

static evm_box_t clip_box(const evm_view_t *view)
{
    return (evm_box_t){view->clip.x, view->clip.y, view->clip.x + view->clip.w,
                       view->clip.y + view->clip.h};
}

/* Densifies the lon/lat polyline pts[0..n) (shifted by -shift into
 * [-180, 180]) into s->page, with breaks where it cannot be projected;
 * closed rings also densify the edge back to the first point. */
static int densify_run(const evm_densify_t *d, const evm_point_t *pts, size_t n,
                       double shift, bool closed, evm_ptbuf_t *page)
{
    const evm_view_t *view = d->view;
    page->n = 0;
    if (evm_ptbuf_reserve(page, n + 1))
        return -1;
    evm_dvtx_t first, a, b;
    evm_densify_vertex(view, pts[0].x - shift, pts[0].y, &first);
    if (evm_ptbuf_push_or_break(page, first.ok, first.px, first.py))
        return -1;
    a = first;
    for (size_t i = 1; i < n; i++) {
        evm_densify_vertex(view, pts[i].x - shift, pts[i].y, &b);
        if (evm_densify_edge(d, &a, &b, page))
            return -1;
        a = b;
    }
    if (closed) {
        if (evm_densify_edge(d, &a, &first, page))
            return -1;
        /* The closing edge ends on the first point again. */
        if (first.ok && page->n > 1)
            page->n--;
    }
    return 0;
}

/* Whether the chord p-q may stand for a stretch of ring that could not
 * be projected. Short chords may; chords up to the frame's diagonal may
 * when their middle is on the globe (an orthographic view's limb);
 * anything else would be a stray edge across the map. */
static bool gap_bridgeable(const evm_view_t *view, evm_point_t p, evm_point_t q)
{
    double diag = hypot(view->frame.w, view->frame.h);
    double len = hypot(p.x - q.x, p.y - q.y);
    if (len <= diag / 8)
        return true;
    double lon, lat;
    return len <= diag &&
           evm_view_inverse(view, (p.x + q.x) / 2, (p.y + q.y) / 2, &lon, &lat);
}

/* A ring piece with breaks: the parts that could be projected are
 * joined across each gap by a chord when gap_bridgeable() allows it,
 * else the piece is dropped. Returns 1 when the joined ring is in dst, 0
 * when dropped, -1 when out of memory. */
static int bridge_gaps(const evm_view_t *view, const evm_ptbuf_t *src,
                       evm_ptbuf_t *dst)
{
    size_t n = src->n, b0 = 0;
    while (b0 < n && !evm_is_break(src->pts[b0]))
        b0++;
    dst->n = 0;
    if (evm_ptbuf_reserve(dst, n))
        return -1;
    bool gap = false;
    for (size_t t = 1; t <= n; t++) {
        evm_point_t p = src->pts[(b0 + t) % n];
        if (evm_is_break(p)) {
            gap = true;
            continue;
        }
        if (gap && dst->n && !gap_bridgeable(view, dst->pts[dst->n - 1], p))
            return 0;
        gap = false;
        dst->pts[dst->n++] = p;
    }
    if (dst->n < 3)
        return 0;
    /* The gap at b0 closes the ring. */
    return gap_bridgeable(view, dst->pts[dst->n - 1], dst->pts[0]) ? 1 : 0;
}

static evm_status append_ring(const evm_point_t *p, size_t n, evm_path_t *out)
{
    evm_status st = evm_path_move_to(out, p[0].x, p[0].y);
    if (st)
        return st;
    /* The rest in one go rather than a line_to per point. */
    if (evm_grow((void **)&out->pts, &out->cap_pts, out->n_pts + n - 1,
                 sizeof *out->pts))
        return EVM_ERR_NOMEM;
    memcpy(out->pts + out->n_pts, p + 1, (n - 1) * sizeof *p);
    out->n_pts += n - 1;
    evm_path_close(out);
    return EVM_OK;
}

/* One piece of a ring, inside one copy of view->ll, to the page. */
static evm_status ring_piece(const evm_view_t *view, const evm_point_t *pts,
                             size_t n, double shift, scratch_t *s,
                             evm_path_t *out)
{
    if (densify_run(&s->dens, pts, n, shift, true, &s->page))
        return EVM_ERR_NOMEM;
    evm_ptbuf_t *ring = &s->page;
    bool has_break = false;
    for (size_t i = 0; i < ring->n && !has_break; i++)
        has_break = evm_is_break(ring->pts[i]);
    if (has_break) {
        int r = bridge_gaps(view, &s->page, &s->page2);
        if (r <= 0)
            return r < 0 ? EVM_ERR_NOMEM : EVM_OK;
        ring = &s->page2;
    }
    ring->n = evm_simplify(ring->pts, ring->n, view->simplify_px);
    if (ring->n < 3)
        return EVM_OK;
    evm_box_t cb = clip_box(view);
    if (evm_box_inside(evm_box_of(ring->pts, ring->n), cb))
        return append_ring(ring->pts, ring->n, out);
    /* Clip into whichever of page and page2 does not hold the ring. */
    evm_ptbuf_t *dst = ring == &s->page ? &s->page2 : &s->page;
    if (evm_clip_polygon(ring->pts, ring->n, cb, dst, &s->tmp))
        return EVM_ERR_NOMEM;
    if (dst->n < 3 || fabs(evm_polygon_area(dst->pts, dst->n)) <= 1e-6)
        return EVM_OK;
    return append_ring(dst->pts, dst->n, out);
}

/* A ring inside one copy of view->ll, [w + shift, e + shift]: clipped
 * to it unless it lies inside, then taken to the page. */
static evm_status ring_copy(const evm_view_t *view, evm_box_t bb, evm_box_t box,
                            double shift, scratch_t *s, evm_path_t *out)
{
    const evm_point_t *pts = s->ll.pts;
    size_t m = s->ll.n;
    if (!evm_box_inside(bb, box)) {
        if (evm_clip_polygon(s->ll.pts, s->ll.n, box, &s->piece, &s->tmp))
            return EVM_ERR_NOMEM;
        pts = s->piece.pts;
        m = s->piece.n;
        /* Wrapping round a corner of the box leaves no area. */
        if (m < 3 || fabs(evm_polygon_area(pts, m)) <= 1e-12)
            return EVM_OK;
    }
    return ring_piece(view, pts, m, shift, s, out);
}

/* A polyline piece inside one copy of view->ll to the page: densified,
 * split at breaks, clipped to view->clip. */
static evm_status line_piece(const evm_view_t *view, const evm_point_t *pts,
                             size_t n, double shift, scratch_t *s,
                             evm_path_t *out)
{
    if (n < 2)
        return EVM_OK;
    if (densify_run(&s->dens, pts, n, shift, false, &s->page))
        return EVM_ERR_NOMEM;
    evm_box_t cb = clip_box(view);
    evm_point_t *p = s->page.pts;
    size_t np = s->page.n, start = 0;
    for (size_t i = 0; i <= np; i++) {
        if (i < np && !evm_is_break(p[i]))
            continue;
        if (i - start >= 2) {
            size_t m = evm_simplify(p + start, i - start, view->simplify_px);
            evm_status st = evm_clip_polyline_to_path(p + start, m, cb, out);
            if (st)
                return st;
        }
        start = i + 1;
    }
    return EVM_OK;
}

/* A line inside one copy of view->ll, [w + shift, e + shift], to the
 * page, run by run. */
static evm_status line_copy(const evm_view_t *view, evm_box_t bb, evm_box_t box,
                            double shift, scratch_t *s, evm_path_t *out)
{
    if (evm_box_inside(bb, box))
        return line_piece(view, s->ll.pts, s->ll.n, shift, s, out);
    /* Runs of the line inside this copy of the box; a run ends where
     * the line leaves the box, at the box's edge (at the cut that is
     * exactly +-180 after the shift, on both sides). */
    evm_status st = EVM_OK;
    s->piece.n = 0;
    for (size_t i = 1; i < s->ll.n && !st; i++) {
        evm_point_t ca, cb;
        bool a_cut, b_cut;
        bool in = evm_clip_segment(s->ll.pts[i - 1], s->ll.pts[i], box, &ca,
                                   &cb, &a_cut, &b_cut);
        if (in && (s->piece.n == 0 || a_cut)) {
            st = line_piece(view, s->piece.pts, s->piece.n, shift, s, out);
            s->piece.n = 0;
            if (!st && evm_ptbuf_push(&s->piece, ca.x, ca.y))
                st = EVM_ERR_NOMEM;
        }
        if (in && !st && evm_ptbuf_push(&s->piece, cb.x, cb.y))
            st = EVM_ERR_NOMEM;
        if (!st && (!in || b_cut)) {
            st = line_piece(view, s->piece.pts, s->piece.n, shift, s, out);
            s->piece.n = 0;
        }
    }
    if (!st)
        st = line_piece(view, s->piece.pts, s->piece.n, shift, s, out);
    return st;
}

/* Draws the unwrapped geometry s->ll, whose bounds are bb, inside box:
 * view->ll shifted east by shift degrees. */
typedef evm_status (*copy_fn)(const evm_view_t *view, evm_box_t bb,
                              evm_box_t box, double shift, scratch_t *s,
                              evm_path_t *out);

/* What rings and lines share: unwrap at the cut (a ring needs 3 points,
 * a line 2), then call each once per copy of view->ll, [w + 360k,
 * e + 360k], that the unwrapped longitudes [bb.x0, bb.x1] meet. */
static evm_status add_copies(const evm_view_t *view, const double *lonlat,
                             size_t n, bool ring, copy_fn each, evm_path_t *out)
{
    size_t min_n = ring ? 3 : 2;
    if (n < min_n)
        return EVM_OK;
    scratch_t s = {0};
    evm_densify_init(&s.dens, view);
    evm_status st = EVM_OK;
    evm_box_t bb;
    int rc = ring ? evm_cut_unwrap_ring(lonlat, n, view->lon0, view->merge_deg,
                                        &s.ll, &bb)
                  : evm_cut_unwrap_line(lonlat, n, view->lon0, view->merge_deg,
                                        &s.ll, &bb);
    if (rc) {
        st = EVM_ERR_NOMEM;
        goto cleanup;
    }
    if (s.ll.n < min_n)
        goto cleanup;
    if (bb.y1 < view->ll.s || bb.y0 > view->ll.n)
        goto cleanup;
    double kmin = ceil((bb.x0 - view->ll.e) / 360.0);
    double kmax = floor((bb.x1 - view->ll.w) / 360.0);
    for (double k = kmin; k <= kmax && !st; k++) {
        double shift = 360.0 * k;
        evm_box_t box = {view->ll.w + shift, view->ll.s, view->ll.e + shift,
                         view->ll.n};
        st = each(view, bb, box, shift, &s, out);
    }
cleanup:
    scratch_free(&s);
    return st;
}

evm_status evm_view_add_ring(const evm_view_t *view, const double *lonlat,
                             size_t n, evm_path_t *out)
{
    return add_copies(view, lonlat, n, true, ring_copy, out);
}

evm_status evm_view_add_line(const evm_view_t *view, const double *lonlat,
                             size_t n, evm_path_t *out)
{
    return add_copies(view, lonlat, n, false, line_copy, out);
}
