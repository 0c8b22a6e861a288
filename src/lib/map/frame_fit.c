/* Framing: which projection, which part of it the frame shows and, when
 * no page size is given, the page's shape. The rules are written down in
 * docs/projections.md ("Framing").
 *
 * The frame is fitted to the places' projected bounding box, not to their
 * longitude/latitude box: a box in degrees is a wedge or a curved band in
 * most projections, and padding it by degrees puts England and Czechia
 * round a map of Luxembourg. The box is padded by a fraction of its
 * projected span, given room for the labels of the outermost events (in
 * page pixels, so it does not depend on the scale), made at least
 * MIN_SPAN_M across, and never grown past the globe's image (so a world
 * map shows no blank band beyond the projection's edge). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "map/layout_internal.h"

/* Padding on each side, as a fraction of the places' projected span. */
#define PAD_FRACTION 0.05
/* The smallest span of an automatic frame: a city stays a city. */
#define MIN_SPAN_M 20e3
/* The page's aspect when it follows the data: 1:2 portrait to 2:1
 * landscape. */
#define MIN_ASPECT 0.5
#define MAX_ASPECT 2.0
/* Size of the markers (markers.c), in pt. */
#define MARKER_PT 4.0
/* Places that leave no gap of longitude this wide (they spread over more
 * than 300 degrees) make a world map centred on Greenwich. */
#define WORLD_GAP_DEG 60.0

evm_status evm_places_add(evm_places_t *p, double lat_deg, double lon_deg,
                          long event)
{
    if (!(lat_deg >= -90 && lat_deg <= 90) || !isfinite(lon_deg))
        return EVM_OK; /* bad points are reported where they are read */
    if (p->n == p->cap &&
        evm_grow((void **)&p->pts, &p->cap, p->n + 1, sizeof *p->pts))
        return EVM_ERR_NOMEM;
    p->pts[p->n++] =
        (evm_fit_point_t){lat_deg, remainder(lon_deg, 360.0), event};
    return EVM_OK;
}

evm_status evm_places_collect(evm_places_t *p, const evm_events_t *events,
                              const evm_route_leg_t *legs, size_t n_legs)
{
    size_t n = events ? evm_events_count(events) : 0;
    evm_status st = EVM_OK;
    for (size_t i = 0; i < n && !st; i++) {
        const evm_event_t *e = evm_events_get(events, i);
        st = evm_places_add(p, e->lat_deg, e->lon_deg, (long)i);
    }
    for (size_t i = 0; legs && i < n_legs && !st; i++)
        for (size_t k = 0; legs[i].points && k < legs[i].n_points && !st; k++)
            st = evm_places_add(p, legs[i].points[k].lat_deg,
                                legs[i].points[k].lon_deg, -1);
    return st;
}

void evm_places_free(evm_places_t *p)
{
    free(p->pts);
    *p = (evm_places_t){0};
}

/* The widest gap between the longitudes lon[0 .. n) (n >= 1, each in
 * [-180, 180]) round the circle, the one across the antimeridian
 * included, as the longitudes either side of it: *w after it and *e
 * before it (plus 360 when it is not the gap across the antimeridian).
 * Of equal gaps the first in longitude order wins, the one across the
 * antimeridian first of all. Linear (a sort took a tenth of a million
 * events' map): n buckets of (max - min) / n degrees between the least
 * and the greatest; the widest gap is at least (max - min) / (n - 1),
 * wider than any gap inside a bucket, so it runs from the greatest of
 * one non-empty bucket to the least of the next. NULL buckets (out of
 * memory): the box across the whole circle. */
static double widest_gap(const double *lon, size_t n, double *w, double *e)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, lon[i]);
        hi = fmax(hi, lon[i]);
    }
    *w = lo;
    *e = hi;
    double gap = lo + 360 - hi;
    if (!(hi > lo))
        return gap;
    double *bmin = evm_alloc_array(n, sizeof *bmin);
    double *bmax = evm_alloc_array(n, sizeof *bmax);
    if (!bmin || !bmax) {
        free(bmin);
        free(bmax);
        *w = -180;
        *e = 180;
        return 0;
    }
    for (size_t k = 0; k < n; k++) {
        bmin[k] = INFINITY;
        bmax[k] = -INFINITY;
    }
    double per = (double)n / (hi - lo);
    for (size_t i = 0; i < n; i++) {
        /* Monotone in lon[i], so the buckets keep the order. */
        double f = floor((lon[i] - lo) * per);
        size_t k = f >= (double)(n - 1) ? n - 1 : (size_t)f;
        bmin[k] = fmin(bmin[k], lon[i]);
        bmax[k] = fmax(bmax[k], lon[i]);
    }
    double prev = bmax[0];
    for (size_t k = 1; k < n; k++) {
        if (bmin[k] > bmax[k])
            continue; /* empty */
        if (bmin[k] - prev > gap) {
            gap = bmin[k] - prev;
            *w = bmin[k];
            *e = prev + 360;
        }
        prev = bmax[k];
    }
    free(bmin);
    free(bmax);
    return gap;
}

bool evm_places_box(const evm_places_t *p, double box[4])
{
    if (p->n == 0)
        return false;
    double *lons = evm_alloc_array(p->n, sizeof *lons);
    double s = 90, n = -90;
    for (size_t i = 0; i < p->n; i++) {
        s = fmin(s, p->pts[i].lat);
        n = fmax(n, p->pts[i].lat);
        if (lons)
            lons[i] = p->pts[i].lon;
    }
    double w = -180, e = 180;
    /* The complement of the widest gap between longitudes: a Pacific
     * data set does not become a world map. But places round the whole
     * globe leave only narrow gaps, where the jitter of a few towns
     * decides which: they make a world map on the usual meridian. */
    if (lons && widest_gap(lons, p->n, &w, &e) < WORLD_GAP_DEG) {
        w = -180;
        e = 180;
    }
    free(lons);
    box[0] = w;
    box[1] = s;
    box[2] = e;
    box[3] = n;
    return true;
}

/* Projected units per metre at a point, along the parallel (the
 * projection's own unit need not be the metre). */
static double units_per_m(const evm_layout_t *L, const evm_projection_t *proj,
                          double lat, double lon)
{
    double lat2, lon2, x1, y1, x2, y2;
    geod_direct(&L->ctx->wgs84, lat, lon, 90, 1000, &lat2, &lon2, NULL);
    if (!evm_projection_forward(proj, lon, lat, &x1, &y1) ||
        !evm_projection_forward(proj, lon2, lat2, &x2, &y2))
        return 1;
    double k = hypot(x2 - x1, y2 - y1) / 1000;
    return k > 0 && isfinite(k) ? k : 1;
}

/* Room in page px round the places' box: half the widest label of the
 * westernmost and easternmost events (labels sit left or right of their
 * marker) and a line of text above and below. */
static void label_room(evm_layout_t *L, const evm_projection_t *proj,
                       const evm_places_t *pl, double *rx, double *ry)
{
    double r = (MARKER_PT + 2) * L->pt_px, w = 0, h = 0;
    double xmin = INFINITY, xmax = -INFINITY;
    long west = -1, east = -1;
    for (size_t i = 0; i < pl->n; i++) {
        double x, y;
        if (pl->pts[i].event < 0 ||
            !evm_projection_forward(proj, pl->pts[i].lon, pl->pts[i].lat, &x,
                                    &y))
            continue;
        if (x < xmin) {
            xmin = x;
            west = pl->pts[i].event;
        }
        if (x > xmax) {
            xmax = x;
            east = pl->pts[i].event;
        }
    }
    double lw = 0;
    long ends[2] = {west, east};
    for (int k = 0; k < 2; k++) {
        if (ends[k] < 0)
            continue;
        const char *name = evm_events_get(L->events, (size_t)ends[k])->name;
        if (name && *name) {
            evm_layout_measure(L, name, EVM_LABEL_PT, EVM_WEIGHT_NORMAL, &w,
                               &h);
            lw = fmax(lw, w);
        }
    }
    evm_layout_measure(L, "Ag", EVM_LABEL_PT, EVM_WEIGHT_NORMAL, &w, &h);
    /* Half a label each side: the placer puts a label on the inner side
     * of a marker on the frame's edge when the outer one has no room. */
    *rx = r + fmin(lw / 2, 80 * L->pt_px);
    *ry = r + h;
}

/* The scale of a frame of fw x fh px showing the padded box pw x ph
 * (projected units) with rx, ry px of room each side. */
static double fit_scale(double fw, double fh, double pw, double ph, double rx,
                        double ry)
{
    double sx = pw > 0 ? (fw - 2 * rx) / pw : INFINITY;
    double sy = ph > 0 ? (fh - 2 * ry) / ph : INFINITY;
    return fmin(sx, sy);
}

/* The page of the given area whose frame shows the box largest: the
 * aspect, between 1:2 and 2:1, where the frame's two constraints meet
 * (the width's scale grows with the aspect, the height's falls). */
static void choose_page(double area, double margin, double bands, double pw,
                        double ph, double rx, double ry, double *W, double *H)
{
    double lo = MIN_ASPECT, hi = MAX_ASPECT;
    for (int i = 0; i < 50; i++) {
        double a = sqrt(lo * hi);
        double w = sqrt(area * a), h = sqrt(area / a);
        double sx = pw > 0 ? (w - 2 * margin - 2 * rx) / pw : INFINITY;
        double sy = ph > 0 ? (h - bands - 2 * ry) / ph : INFINITY;
        if (sx < sy)
            lo = a;
        else
            hi = a;
    }
    double a = sqrt(lo * hi);
    double w = round(sqrt(area * a)), h = round(sqrt(area / a));
    /* Rounding must not leave the range. */
    w = fmin(w, MAX_ASPECT * h);
    h = fmin(h, w / MIN_ASPECT);
    *W = fmin(20000, fmax(64, w));
    *H = fmin(20000, fmax(64, h));
}

static void grow(double box[4], double dx, double dy)
{
    box[0] -= dx;
    box[2] += dx;
    box[1] -= dy;
    box[3] += dy;
}

/* Keeps [*a, *b] inside [lo, hi]: shifted when it fits, else cut to it
 * (then *cropped). */
static void keep_inside(double *a, double *b, double lo, double hi,
                        bool *cropped)
{
    *cropped = false;
    if (*b - *a >= hi - lo) {
        *cropped = *b - *a > hi - lo;
        *a = lo;
        *b = hi;
    } else if (*a < lo) {
        *b += lo - *a;
        *a = lo;
    } else if (*b > hi) {
        *a -= *b - hi;
        *b = hi;
    }
}

evm_status evm_layout_fit(evm_layout_t *L, const evm_places_t *places,
                          const double *extent, evm_fit_t *fit)
{
    const evm_map_options_t *opt = L->opt;
    evm_status st;
    memset(fit, 0, sizeof *fit);
    double ll[4];
    fit->have_data = evm_places_box(places, fit->data_ll);
    if (extent)
        memcpy(ll, extent, sizeof ll);
    else if (fit->have_data)
        memcpy(ll, fit->data_ll, sizeof ll);
    else
        return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no events to map and no --extent given");
    if (ll[2] <= ll[0])
        ll[2] += 360; /* crosses the antimeridian */

    const char *def = opt->proj;
    if (!def || !*def) {
        if ((st = evm_projection_choose(ll[0], ll[1], ll[2], ll[3],
                                        fit->proj_def, sizeof fit->proj_def,
                                        L->err)))
            return st;
        fit->world = strstr(fit->proj_def, "+proj=eqearth") != NULL;
    } else if (strlen(def) >= sizeof fit->proj_def) {
        return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the projection definition is longer than %zu "
                             "bytes",
                             sizeof fit->proj_def - 1);
    } else {
        strcpy(fit->proj_def, def);
    }
    st = EVM_ERR_PROJ;
    if (!evm_projection_needs_database(fit->proj_def))
        st = evm_projection_create(L->ctx->pj_nodb, fit->proj_def, &fit->proj,
                                   NULL);
    if (st && (st = evm_projection_create(L->ctx->pj, fit->proj_def, &fit->proj,
                                          L->err)))
        return st;

    double dom[4];
    bool have_dom = evm_projection_domain(fit->proj, dom, &fit->horizon);
    if (have_dom)
        memcpy(fit->domain, dom, sizeof dom);
    double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    double rx = 0, ry = 0;
    if (extent) {
        if (!evm_view_extent_box(fit->proj, ll, box))
            return evm_error_set(L->err, EVM_ERR_PROJ, NULL, 0, 0,
                                 "no point of the map extent can be "
                                 "projected with \"%.80s\"",
                                 fit->proj_def);
    } else {
        for (size_t i = 0; i < places->n; i++) {
            double x, y;
            if (!evm_projection_forward(fit->proj, places->pts[i].lon,
                                        places->pts[i].lat, &x, &y)) {
                fit->n_hidden++; /* the far side: markers report it */
                continue;
            }
            box[0] = fmin(box[0], x);
            box[1] = fmin(box[1], y);
            box[2] = fmax(box[2], x);
            box[3] = fmax(box[3], y);
        }
        if (!(box[2] >= box[0]) || (fit->horizon && fit->n_hidden)) {
            /* Events on the far side: the whole visible hemisphere. */
            if (!have_dom)
                return evm_error_set(L->err, EVM_ERR_PROJ, NULL, 0, 0,
                                     "no event can be projected with "
                                     "\"%.80s\"",
                                     fit->proj_def);
            memcpy(box, dom, sizeof box);
        }
        memcpy(fit->data_box, box, sizeof box);
        /* At least MIN_SPAN_M across, measured at the data's centre. */
        double k =
            units_per_m(L, fit->proj, (ll[1] + ll[3]) / 2, (ll[0] + ll[2]) / 2);
        double min_span = MIN_SPAN_M * k;
        double bw = box[2] - box[0], bh = box[3] - box[1];
        if (fmax(bw, bh) < min_span)
            grow(box, fmax(0, (min_span - bw) / 2),
                 fmax(0, (min_span - bh) / 2));
        bw = box[2] - box[0];
        bh = box[3] - box[1];
        grow(box, PAD_FRACTION * bw, PAD_FRACTION * bh);
        label_room(L, fit->proj, places, &rx, &ry);
    }
    if (have_dom && !extent) {
        /* The data always lies in the domain; padding may not. */
        dom[0] = fmin(dom[0], fit->data_box[0]);
        dom[1] = fmin(dom[1], fit->data_box[1]);
        dom[2] = fmax(dom[2], fit->data_box[2]);
        dom[3] = fmax(dom[3], fit->data_box[3]);
        bool c;
        keep_inside(&box[0], &box[2], dom[0], dom[2], &c);
        keep_inside(&box[1], &box[3], dom[1], dom[3], &c);
        /* Room for labels past the globe's image would be cut away with
         * it, leaving blank bands round a world map (and a page shaped
         * for the room, not for the map): none along an axis the box
         * spans whole. */
        if (box[0] <= dom[0] && box[2] >= dom[2])
            rx = 0;
        if (box[1] <= dom[1] && box[3] >= dom[3])
            ry = 0;
    } else if (have_dom) {
        dom[0] = fmin(dom[0], box[0]);
        dom[1] = fmin(dom[1], box[1]);
        dom[2] = fmax(dom[2], box[2]);
        dom[3] = fmax(dom[3], box[3]);
    }

    double hh, fh, margin = round(8 * L->pt_px);
    double W = opt->width_px, H = opt->height_px;
    double pw = box[2] - box[0], ph = box[3] - box[1];
    /* Without a fixed size, the bands are measured on the narrowest page
     * that may be chosen (aspect 1:2), then again on the page chosen. */
    evm_layout_band_heights(L, fit->proj_def,
                            opt->has_size ? W : sqrt(W * H / 2), &hh, &fh);
    if (!opt->has_size) {
        choose_page(W * H, margin, hh + fh, pw, ph, rx, ry, &W, &H);
        evm_layout_band_heights(L, fit->proj_def, W, &hh, &fh);
    }
    fit->width_px = W;
    fit->height_px = H;
    evm_rect_t frame = {margin, hh, W - 2 * margin, H - hh - fh};
    if (frame.w < 32 || frame.h < 32)
        return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the page (%gx%g px) is too small for a map", W,
                             H);
    double s = fit_scale(frame.w, frame.h, pw, ph, rx, ry);
    if (!(s > 0) || !isfinite(s)) {
        /* Labels wider than the frame: fit the box alone. */
        s = fit_scale(frame.w, frame.h, pw, ph, 0, 0);
        rx = ry = 0;
    }
    if (!(s > 0) || !isfinite(s))
        return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the map extent projects to a single point");
    /* The box the frame shows: the padded box and the label room, grown
     * to the frame's aspect about its centre. */
    double cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
    double hw = frame.w / s / 2, hhgt = frame.h / s / 2;
    fit->box[0] = cx - hw;
    fit->box[1] = cy - hhgt;
    fit->box[2] = cx + hw;
    fit->box[3] = cy + hhgt;
    if (have_dom) {
        /* Never past the globe's image: shifted back inside, or, when
         * the domain is narrower than the frame, the frame is narrowed
         * (the page keeps its size). */
        bool cut_x, cut_y;
        keep_inside(&fit->box[0], &fit->box[2], dom[0], dom[2], &cut_x);
        keep_inside(&fit->box[1], &fit->box[3], dom[1], dom[3], &cut_y);
        if (cut_x) {
            double w = round((fit->box[2] - fit->box[0]) * s);
            frame.x += round((frame.w - w) / 2);
            frame.w = w;
        }
        if (cut_y) {
            double h = round((fit->box[3] - fit->box[1]) * s);
            frame.y += round((frame.h - h) / 2);
            frame.h = h;
        }
    }
    fit->frame = frame;
    return EVM_OK;
}
