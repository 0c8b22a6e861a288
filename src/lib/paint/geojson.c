/* GeoJSON (RFC 7946) export of the lines a scene draws and of its
 * events: one Feature per scene feature, with its id, its kind and its
 * properties, then one Point Feature per event with its cells.
 *
 * A feature's consecutive vertices are joined by geodesics, which a GIS
 * would draw as straight lines in longitude and latitude; so each
 * geodesic is written densified. It is first cut into equal pieces no
 * longer than STEP_MAX_M (so that a GIS that projects only the vertices,
 * as web maps do, still draws it close to the geodesic), then each piece
 * is halved by distance along the geodesic until, at a quarter, half and
 * three quarters of it, the straight lon/lat line between its ends is
 * within TOL_M of the geodesic point at the same fraction. Three points,
 * not the middle alone: a piece symmetric about an inflection (a
 * geodesic across the equator) has its chord's middle on the curve.
 *
 * The antimeridian (RFC 7946 section 3.1.9): along a geodesic the
 * unrolled longitude is continuous and monotonic (Clairaut), so it passes
 * an odd multiple of 180 at most once per segment; that crossing is found
 * by bisection on the distance along the geodesic and inserted exactly,
 * and the line is split there: the part that reaches it ends at 180 (or
 * -180) and the next starts at -180 (or 180) at the same latitude. A line
 * that only touches the antimeridian, or runs along it, is not split.
 *
 * Numbers are printed with integer arithmetic (coordinates) or with the
 * decimal point repaired (other numbers), never through the locale's
 * decimal comma. Strings are escaped for JSON with invalid UTF-8 as
 * U+FFFD, so any label gives a valid document. */
#include <evmap/events.h>
#include <evmap/render.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/atomic_file.h"
#include "core/context_internal.h"
#include "core/error.h"
#include "core/num.h"
#include "core/text.h"
#include "paint/paint.h"

/* Largest distance, metres, of the lon/lat chord between two written
 * points from the geodesic, at the fractions tested. */
#define TOL_M 1.0
/* Longest piece of a geodesic between written points, metres. */
#define STEP_MAX_M 20000.0
/* Halvings of a piece at most, and no piece shorter than this (metres):
 * a bound for a geodesic through a pole, where the longitude jumps. */
#define DEPTH_MAX 20
#define PIECE_MIN_M 1e-3
/* Decimals of a coordinate: 1e-7 degree is about a centimetre. */
#define COORD_DECIMALS 7

/* ---- output ---------------------------------------------------------- */

/* Output buffered in front of the sink. */
typedef struct gj_out {
    evm_out_t base;    /* first: put_string casts back */
    evm_buf_t scratch; /* one string at a time */
    unsigned char buf[1 << 14];
} gj_out_t;

/* A JSON string (core/text.h), through the writer's scratch buffer. */
static void put_string(evm_out_t *o, const char *s)
{
    gj_out_t *g = (gj_out_t *)(void *)o;
    evm_buf_reset(&g->scratch);
    evm_json_string(&g->scratch, s);
    if (!g->scratch.nomem)
        evm_out_write(o, g->scratch.data, g->scratch.len);
}

/* v rounded to dec decimals (dec <= 9, |v| * 10^dec < 9e15), trailing
 * zeros and a bare point dropped: "126.9779692", "180", "-0.5". A value
 * that rounds to zero has no sign. */
static void put_fixed(evm_out_t *o, double v, int dec)
{
    char num[EVM_NUM_MAX];
    evm_out_write(o, num, evm_num_fixed(num, v, dec, true));
}

/* A property's number: an integer as one, anything else with 15
 * significant digits; JSON has no NaN or infinity, so those are null. */
static void put_number(evm_out_t *o, double v)
{
    if (!isfinite(v)) {
        evm_out_puts(o, "null");
        return;
    }
    char num[EVM_NUM_MAX];
    evm_out_write(o, num, evm_num_general(num, v));
}

/* ---- geometry -------------------------------------------------------- */

/* A written point: u is the longitude unrolled along the whole feature,
 * so that it is continuous; it is brought into [-180, 180] when written. */
typedef struct gj_pt {
    double u, lat;
} gj_pt_t;

typedef struct gj_pts {
    gj_pt_t *p;
    size_t n, cap;
} gj_pts_t;

/* Appends a point unless it repeats the last one. 0 or -1 (memory). */
static int pts_push(gj_pts_t *b, gj_pt_t q)
{
    if (b->n && b->p[b->n - 1].u == q.u && b->p[b->n - 1].lat == q.lat)
        return 0;
    if (evm_grow((void **)&b->p, &b->cap, b->n + 1, sizeof *b->p))
        return -1;
    b->p[b->n++] = q;
    return 0;
}

/* One segment of a feature: the geodesic between two vertices. */
typedef struct gj_seg {
    struct geod_geodesicline line;
    double lon0;       /* the line's own longitude at its start */
    double u0;         /* the feature's unrolled longitude there */
    double umin, umax; /* the unrolled longitudes of the two ends */
} gj_seg_t;

/* The point s metres along the segment, its longitude unrolled and
 * kept between the ends' (rounding must not step over an end that lies
 * exactly on the antimeridian). */
static gj_pt_t seg_at(const gj_seg_t *g, double s)
{
    double lat, lon;
    geod_genposition(&g->line, GEOD_LONG_UNROLL, s, &lat, &lon, NULL, NULL,
                     NULL, NULL, NULL, NULL);
    double u = g->u0 + (lon - g->lon0);
    return (gj_pt_t){fmin(g->umax, fmax(g->umin, u)), lat};
}

/* Whether the lon/lat chord from a (at sa) to b (at sb) stays within
 * TOL_M of the geodesic at a quarter, half and three quarters. */
static bool chord_close(const gj_seg_t *g, double sa, gj_pt_t a, double sb,
                        gj_pt_t b)
{
    static const double frac[] = {0.25, 0.5, 0.75};
    for (size_t i = 0; i < sizeof frac / sizeof frac[0]; i++) {
        double t = frac[i], d;
        gj_pt_t q = seg_at(g, sa + t * (sb - sa));
        geod_inverse(evm_wgs84(), a.lat + t * (b.lat - a.lat),
                     a.u + t * (b.u - a.u), q.lat, q.u, &d, NULL, NULL);
        if (!(d <= TOL_M))
            return false;
    }
    return true;
}

/* Appends the points after a up to b, halving the piece as needed. */
static int densify(gj_pts_t *out, const gj_seg_t *g, double sa, gj_pt_t a,
                   double sb, gj_pt_t b, int depth)
{
    if (depth < DEPTH_MAX && sb - sa > PIECE_MIN_M &&
        !chord_close(g, sa, a, sb, b)) {
        double sm = (sa + sb) / 2;
        gj_pt_t m = seg_at(g, sm);
        return densify(out, g, sa, a, sm, m, depth + 1) ||
               densify(out, g, sm, m, sb, b, depth + 1);
    }
    return pts_push(out, b);
}

/* Appends the points after a (at sa) up to b (at sb): equal steps of at
 * most STEP_MAX_M, each densified. */
static int run(gj_pts_t *out, const gj_seg_t *g, double sa, gj_pt_t a,
               double sb, gj_pt_t b)
{
    double n = ceil((sb - sa) / STEP_MAX_M);
    if (!(n >= 1))
        n = 1;
    gj_pt_t prev = a;
    double s_prev = sa;
    for (double i = 1; i <= n; i++) {
        double s = i == n ? sb : sa + (sb - sa) * i / n;
        gj_pt_t q = i == n ? b : seg_at(g, s);
        if (densify(out, g, s_prev, prev, s, q, 0))
            return -1;
        prev = q;
        s_prev = s;
    }
    return 0;
}

/* Appends the geodesic from (lat1, lon1), whose unrolled longitude is
 * *u, to (lat2, lon2), and advances *u to the unrolled longitude of the
 * end. */
static int add_segment(gj_pts_t *out, double *u, double lat1, double lon1,
                       double lat2, double lon2)
{
    gj_seg_t g;
    geod_inverseline(&g.line, evm_wgs84(), lat1, lon1, lat2, lon2,
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
    double len = g.line.s13, lat_end, lon_end, lat0;
    geod_genposition(&g.line, GEOD_LONG_UNROLL, 0, &lat0, &g.lon0, NULL, NULL,
                     NULL, NULL, NULL, NULL);
    geod_genposition(&g.line, GEOD_LONG_UNROLL, len, &lat_end, &lon_end, NULL,
                     NULL, NULL, NULL, NULL, NULL);
    double ua = *u;
    /* The end's unrolled longitude is the vertex's own, exactly, in the
     * turn the geodesic reaches: a vertex on 180 stays on 180. */
    double lon2n = remainder(lon2, 360.0);
    double ub = lon2n + 360.0 * round((ua + (lon_end - g.lon0) - lon2n) / 360);
    g.u0 = ua;
    g.umin = fmin(ua, ub);
    g.umax = fmax(ua, ub);
    gj_pt_t a = {ua, lat1}, b = {ub, lat2};
    *u = ub;

    /* The odd multiple of 180 strictly between the ends, if any: the
     * segment spans at most 180 degrees, so there is at most one. */
    double cut = 180.0 + 360.0 * (ceil((g.umax - 180.0) / 360.0) - 1);
    if (!(cut > g.umin))
        return run(out, &g, 0, a, len, b);
    bool east = ub > ua;
    double lo = 0, hi = len;
    for (int i = 0; i < 200 && hi - lo > 1e-9; i++) {
        double mid = (lo + hi) / 2, lat, lon;
        geod_genposition(&g.line, GEOD_LONG_UNROLL, mid, &lat, &lon, NULL, NULL,
                         NULL, NULL, NULL, NULL);
        if ((ua + (lon - g.lon0) < cut) == east)
            lo = mid;
        else
            hi = mid;
    }
    double s_cut = (lo + hi) / 2;
    gj_pt_t c = {cut, seg_at(&g, s_cut).lat};
    /* Each side's points stay on its side of the cut, even the ones a
     * millimetre from it where the bisection's last bit decides. */
    if (east)
        g.umax = cut;
    else
        g.umin = cut;
    if (run(out, &g, 0, a, s_cut, c))
        return -1;
    g.umin = east ? cut : ub;
    g.umax = east ? ub : cut;
    return run(out, &g, s_cut, c, len, b);
}

/* All points of a feature, densified, with the antimeridian crossings. */
static int feature_points(const evm_scene_feature_t *f, gj_pts_t *out)
{
    out->n = 0;
    if (f->n_vertices == 0)
        return 0;
    const double *v = f->lat_lon;
    double u = remainder(v[1], 360.0);
    if (pts_push(out, (gj_pt_t){u, v[0]}))
        return -1;
    for (size_t i = 1; i < f->n_vertices; i++)
        if (add_segment(out, &u, v[2 * i - 2], v[2 * i - 1], v[2 * i],
                        v[2 * i + 1]))
            return -1;
    return 0;
}

static bool on_cut(double u)
{
    return remainder(u - 180.0, 360.0) == 0;
}

/* The 360-degree band [-180 + 360 k, 180 + 360 k] the first part is
 * written in. A start on the antimeridian belongs to the side the line
 * goes to. */
static double first_band(const gj_pts_t *b)
{
    double u0 = b->p[0].u;
    if (!on_cut(u0))
        return floor((u0 + 180.0) / 360.0);
    for (size_t i = 1; i < b->n; i++)
        if (b->p[i].u != u0)
            return b->p[i].u > u0 ? (u0 + 180.0) / 360.0 : (u0 - 180.0) / 360.0;
    return (u0 - 180.0) / 360.0;
}

/* The band point i is in, given the band k of point i - 1: consecutive
 * points share a band, since crossings were inserted. */
static double next_band(double k, double u)
{
    if (u > 180.0 + 360.0 * k)
        return k + 1;
    if (u < -180.0 + 360.0 * k)
        return k - 1;
    return k;
}

static void put_position(evm_out_t *o, gj_pt_t q, double k)
{
    /* Clamped only against rounding: the band holds the point. */
    double lon = fmax(-180.0, fmin(180.0, q.u - 360.0 * k));
    evm_out_puts(o, "[");
    put_fixed(o, lon, COORD_DECIMALS);
    evm_out_puts(o, ",");
    put_fixed(o, q.lat, COORD_DECIMALS);
    evm_out_puts(o, "]");
}

static void put_geometry(evm_out_t *o, const gj_pts_t *b)
{
    if (b->n == 0) {
        evm_out_puts(o, "null");
        return;
    }
    double k = first_band(b);
    if (b->n == 1) {
        /* One vertex, or all at one place: a LineString needs two. */
        evm_out_puts(o, "{\"type\":\"LineString\",\"coordinates\":[");
        put_position(o, b->p[0], k);
        evm_out_puts(o, ",");
        put_position(o, b->p[0], k);
        evm_out_puts(o, "]}");
        return;
    }
    size_t parts = 1;
    double kc = k;
    for (size_t i = 1; i < b->n; i++) {
        double k2 = next_band(kc, b->p[i].u);
        parts += k2 != kc;
        kc = k2;
    }
    evm_out_puts(o, parts > 1
                        ? "{\"type\":\"MultiLineString\",\"coordinates\":[["
                        : "{\"type\":\"LineString\",\"coordinates\":[");
    put_position(o, b->p[0], k);
    for (size_t i = 1; i < b->n; i++) {
        double k2 = next_band(k, b->p[i].u);
        if (k2 != k) {
            /* The previous point is on the antimeridian: it ends this
             * part and starts the next, seen from the other side. */
            evm_out_puts(o, "],[");
            put_position(o, b->p[i - 1], k2);
            k = k2;
        }
        evm_out_puts(o, ",");
        put_position(o, b->p[i], k);
    }
    evm_out_puts(o, parts > 1 ? "]]}" : "]}");
}

/* ---- the document ---------------------------------------------------- */

static evm_status check_features(const evm_scene_t *scene, evm_error_t *err)
{
    for (size_t i = 0; i < scene->n_features; i++) {
        const evm_scene_feature_t *f = &scene->features[i];
        if (f->n_vertices && !f->lat_lon)
            return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "feature %zu has no coordinates", i + 1);
        for (size_t k = 0; k < f->n_vertices; k++) {
            double lat = f->lat_lon[2 * k], lon = f->lat_lon[2 * k + 1];
            if (!(lat >= -90 && lat <= 90) || !isfinite(lon))
                return evm_error_set(
                    err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                    "feature %zu (%s), vertex %zu: %g,%g is not a latitude "
                    "in [-90, 90] and a longitude",
                    i + 1, f->id ? f->id : "", k + 1, lat, lon);
        }
    }
    return EVM_OK;
}

static void put_feature(evm_out_t *o, const evm_scene_feature_t *f,
                        const gj_pts_t *pts)
{
    evm_out_puts(o, "{\"type\":\"Feature\",\"id\":");
    put_string(o, f->id);
    evm_out_puts(o, ",\"geometry\":");
    put_geometry(o, pts);
    evm_out_puts(o, ",\"properties\":{\"kind\":");
    put_string(o, f->kind);
    for (size_t k = 0; k < f->n_props; k++) {
        const evm_feature_prop_t *p = &f->props[k];
        /* One key once: the feature's kind is "kind". */
        if (!p->name || strcmp(p->name, "kind") == 0)
            continue;
        evm_out_puts(o, ",");
        put_string(o, p->name);
        evm_out_puts(o, ":");
        if (p->is_number)
            put_number(o, p->number);
        else
            put_string(o, p->text);
    }
    evm_out_puts(o, "}}");
}

/* Decimals of an event's position: as `evmap convert` writes it (0.1 mm),
 * so that the two exports of one event agree. */
#define EVENT_DECIMALS 9

/* An event as a Point feature: the id of its marker, its position (null
 * when the scene has none) and its cells under the input's column names,
 * all as text, as `evmap convert` writes them. cells has room for the
 * source events' columns. */
static void put_event(evm_out_t *o, const evm_scene_t *scene, size_t i,
                      const char **cells)
{
    const evm_scene_event_t *e = &scene->events[i];
    char id[128];
    evm_out_puts(o, "{\"type\":\"Feature\"");
    /* An entry left blank (drawn inside a cluster or a density layer)
     * has no marker, so no id; its cells come from the source events. */
    const evm_events_t *src = e->values ? NULL : scene->source_events;
    if (e->values) {
        snprintf(id, sizeof id, "event-%s", e->slug);
        evm_out_puts(o, ",\"id\":");
        put_string(o, id);
    }
    if (isfinite(e->lat_deg) && isfinite(e->lon_deg)) {
        evm_out_puts(o, ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[");
        put_fixed(o, e->lon_deg, EVENT_DECIMALS);
        evm_out_puts(o, ",");
        put_fixed(o, e->lat_deg, EVENT_DECIMALS);
        evm_out_puts(o, "]}");
    } else {
        evm_out_puts(o, ",\"geometry\":null");
    }
    evm_out_puts(o, ",\"properties\":{");
    size_t src_cols =
        src && i < evm_events_count(src) ? evm_events_column_count(src) : 0;
    if (src_cols)
        evm_events_row(src, i, cells);
    for (size_t c = 0; c < scene->n_columns; c++) {
        if (c)
            evm_out_puts(o, ",");
        put_string(o, scene->columns[c]);
        evm_out_puts(o, ":");
        put_string(o, e->values ? e->values[c] : c < src_cols ? cells[c] : "");
    }
    if (e->cluster >= 0) {
        snprintf(id, sizeof id, "cluster-%ld", e->cluster + 1);
        evm_out_puts(o, scene->n_columns ? ",\"evmap:cluster\":"
                                         : "\"evmap:cluster\":");
        put_string(o, id);
    }
    evm_out_puts(o, "}}");
}

evm_status evm_scene_write_geojson(const evm_scene_t *scene, evm_write_fn write,
                                   void *closure, evm_error_t *err)
{
    if (!scene || !write)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             scene ? "no write callback" : "no scene");
    evm_status st = check_features(scene, err);
    if (st)
        return st;
    evm_sink_t sink = {.write = write, .closure = closure, .status = EVM_OK};
    gj_out_t *g = malloc(sizeof *g);
    if (!g)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory writing GeoJSON");
    g->scratch = (evm_buf_t){0};
    evm_out_t *o = &g->base;
    evm_out_init(o, &sink, g->buf, sizeof g->buf);
    gj_pts_t pts = {0};
    evm_out_puts(o, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (size_t i = 0; i < scene->n_features && sink.status == EVM_OK; i++) {
        const evm_scene_feature_t *f = &scene->features[i];
        if (feature_points(f, &pts)) {
            st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                               "out of memory writing GeoJSON");
            break;
        }
        evm_out_puts(o, i ? ",\n" : "\n");
        put_feature(o, f, &pts);
    }
    size_t written = scene->n_features;
    size_t n_cells = scene->source_events
                         ? evm_events_column_count(scene->source_events)
                         : 0;
    const char **cells = evm_alloc_array(n_cells ? n_cells : 1, sizeof *cells);
    if (st == EVM_OK && !cells)
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                           "out of memory writing GeoJSON");
    for (size_t i = 0;
         i < scene->n_events && st == EVM_OK && sink.status == EVM_OK; i++) {
        evm_out_puts(o, written++ ? ",\n" : "\n");
        put_event(o, scene, i, cells);
    }
    free(cells);
    if (st == EVM_OK && g->scratch.nomem)
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                           "out of memory writing GeoJSON");
    if (st == EVM_OK) {
        evm_out_puts(o, "\n]}\n");
        evm_out_flush(o);
        if (sink.status != EVM_OK)
            st = evm_error_set(err, sink.status, NULL, 0, 0,
                               "the output callback failed (%s) writing "
                               "GeoJSON",
                               evm_status_name(sink.status));
    }
    free(pts.p);
    evm_buf_free(&g->scratch);
    free(g);
    return st;
}

/* ---- file output ----------------------------------------------------- */

static evm_status produce(void *closure, evm_write_fn write,
                          void *write_closure, evm_error_t *err)
{
    return evm_scene_write_geojson(closure, write, write_closure, err);
}

evm_status evm_scene_geojson_to_file(const evm_scene_t *scene, const char *path,
                                     evm_error_t *err)
{
    return evm_scene_geojson_to_file_with(scene, NULL, path, err);
}

evm_status evm_scene_geojson_to_file_with(const evm_scene_t *scene,
                                          const evm_render_options_t *opt,
                                          const char *path, evm_error_t *err)
{
    if (!scene)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0, "no scene");
    /* Before the temporary file exists, so a bad scene touches nothing. */
    evm_status st = check_features(scene, err);
    if (st)
        return st;
    evm_file_write_opts_t fo = evm_paint_file_opts(opt, true);
    return evm_file_write(path, &fo, produce, (void *)scene, err);
}
