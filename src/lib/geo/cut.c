/* The cut at the antimeridian: rings and lines are unwrapped relative to
 * the central meridian, so that an edge from 179.9 to -179.9 (Chukotka,
 * Fiji) stays a short edge from 179.9 to 180.1 instead of crossing the
 * whole map. A ring whose unwrapped longitudes end 360 degrees from where
 * they started winds round a pole (Antarctica); it is closed through that
 * pole, which turns it into an ordinary planar polygon. Clipping against
 * the lon/lat box and its copies 360 degrees away (view.c) then splits
 * everything at the cut without a rejoin step. */
#include "geo/view_internal.h"

double evm_cut_rel_lon(double lon_deg, double lon0_deg)
{
    double d = lon_deg - lon0_deg;
    if (d >= -180.0 && d < 180.0)
        return d; /* exact for the common case */
    double r = fmod(d + 180.0, 360.0);
    if (r < 0)
        r += 360.0;
    return r - 180.0;
}

/* What unwrap() learnt about its input. */
typedef struct unwrap_info {
    double r_first, lat_first; /* the start point (never shifted) */
    double r_last, lat_last;   /* the last finite input point, unwrapped */
    size_t east, west;         /* first input index after a crossing of
                                  the cut eastwards / westwards */
    bool has_east, has_west;
    double lat_sum;
    size_t count;
    evm_box_t box; /* of the points kept */
} unwrap_info_t;

/* Unwraps lonlat from input index start, cyclically over all n points,
 * into out after `lead` reserved points. The unwrapped longitude is the
 * relative one plus an offset, a multiple of 360 that changes exactly
 * when the line crosses the cut. */
static int unwrap(const double *lonlat, size_t n, size_t start, double lon0,
                  double merge_deg, bool keep_last, size_t lead,
                  evm_ptbuf_t *out, unwrap_info_t *info)
{
    out->n = 0;
    if (evm_ptbuf_reserve(out, n + lead + 4))
        return -1;
    out->n = lead;
    *info = (unwrap_info_t){0};
    evm_box_t box = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    bool have = false;
    double prev_r = 0, prev_lat = 0, off = 0, kx = 0, ky = 0;
    for (size_t t = 0; t < n; t++) {
        size_t i = start + t < n ? start + t : start + t - n;
        double lon = lonlat[2 * i], lat = lonlat[2 * i + 1];
        if (!isfinite(lon) || !isfinite(lat))
            continue;
        lat = lat < -90.0 ? -90.0 : lat > 90.0 ? 90.0 : lat;
        double r = evm_cut_rel_lon(lon, lon0) + off;
        if (!have) {
            info->r_first = r;
            info->lat_first = lat;
        } else if (r - prev_r > 180.0 || r - prev_r < -180.0) {
            /* The copy of this point nearest to the previous one: edges
             * are shorter than 180 degrees of longitude. */
            double k = round((prev_r - r) / 360.0);
            off += 360.0 * k;
            r += 360.0 * k;
            if (k > 0 && !info->has_east) {
                info->east = i;
                info->has_east = true;
            } else if (k < 0 && !info->has_west) {
                info->west = i;
                info->has_west = true;
            }
        }
        prev_r = r;
        prev_lat = lat;
        info->lat_sum += lat;
        info->count++;
        bool last = keep_last && t + 1 == n;
        if (have && !last && fabs(r - kx) + fabs(lat - ky) < merge_deg)
            continue;
        have = true;
        kx = r;
        ky = lat;
        out->pts[out->n++] = (evm_point_t){r, lat};
        evm_box_add(&box, r, lat);
    }
    info->r_last = prev_r;
    info->lat_last = prev_lat;
    info->box = box;
    return 0;
}

static size_t first_finite(const double *lonlat, size_t n)
{
    size_t i = 0;
    while (i < n && !(isfinite(lonlat[2 * i]) && isfinite(lonlat[2 * i + 1])))
        i++;
    return i;
}

/* Unwraps lonlat from its first finite point (*first): a line is not
 * cyclic and runs from there to its end; a ring starts there and comes
 * round. 1 when no point is finite (out empty), -1 when out of memory,
 * else 0 with *info filled. */
static int unwrap_from_first(const double *lonlat, size_t n, double lon0,
                             double merge_deg, bool line, evm_ptbuf_t *out,
                             size_t *first, unwrap_info_t *info)
{
    out->n = 0;
    *first = first_finite(lonlat, n);
    if (*first == n)
        return 1;
    if (line)
        return unwrap(lonlat + 2 * *first, n - *first, 0, lon0, merge_deg, true,
                      0, out, info)
                   ? -1
                   : 0;
    return unwrap(lonlat, n, *first, lon0, merge_deg, false, 0, out, info) ? -1
                                                                           : 0;
}

int evm_cut_unwrap_line(const double *lonlat, size_t n, double lon0,
                        double merge_deg, evm_ptbuf_t *out, evm_box_t *box)
{
    unwrap_info_t info;
    size_t first;
    int r =
        unwrap_from_first(lonlat, n, lon0, merge_deg, true, out, &first, &info);
    if (r == 0)
        *box = info.box;
    return r < 0 ? -1 : 0;
}

int evm_cut_unwrap_ring(const double *lonlat, size_t n, double lon0,
                        double merge_deg, evm_ptbuf_t *out, evm_box_t *box)
{
    unwrap_info_t info;
    size_t first;
    int r = unwrap_from_first(lonlat, n, lon0, merge_deg, false, out, &first,
                              &info);
    if (r)
        return r < 0 ? -1 : 0;
    *box = info.box;
    /* The closing edge runs from the last point back to the first: the
     * copy of the first point nearest the last tells how far the ring
     * went round. */
    double r_end =
        info.r_first + 360.0 * round((info.r_last - info.r_first) / 360.0);
    double m = round((r_end - info.r_first) / 360.0);
    if (m == 0)
        return 0;

    /* Winds round a pole. Start again just after a crossing of the cut in
     * the direction of travel (the closing edge itself when no other edge
     * crosses), so that the closing edge is that crossing and the ring
     * spans one lap, [-180, 180] for a single crossing. */
    size_t start = first;
    if (m > 0 && info.has_east)
        start = info.east;
    else if (m < 0 && info.has_west)
        start = info.west;
    if (unwrap(lonlat, n, start, lon0, merge_deg, false, 1, out, &info))
        return -1;
    if (out->n < 3) {
        out->n = 0; /* slot 0 is not filled in: nothing to draw */
        return 0;
    }
    r_end = info.r_first + 360.0 * round((info.r_last - info.r_first) / 360.0);
    m = round((r_end - info.r_first) / 360.0);
    /* The meridian of the cut that the closing edge crosses. */
    double c = m > 0 ? 360.0 * floor((info.r_last + 180.0) / 360.0) + 180.0
                     : 360.0 * ceil((info.r_last - 180.0) / 360.0) - 180.0;
    double dr = r_end - info.r_last;
    double t = dr != 0 ? (c - info.r_last) / dr : 1.0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double lat_c = info.lat_last + t * (info.lat_first - info.lat_last);
    double pole = info.lat_sum / (double)info.count < 0 ? -90.0 : 90.0;
    double c_start = c - 360.0 * m;
    out->pts[0] = (evm_point_t){c_start, lat_c};
    out->pts[out->n++] = (evm_point_t){c, lat_c};
    out->pts[out->n++] = (evm_point_t){c, pole};
    out->pts[out->n++] = (evm_point_t){c_start, pole};
    *box = info.box;
    box->x0 = fmin(box->x0, fmin(c, c_start));
    box->x1 = fmax(box->x1, fmax(c, c_start));
    box->y0 = fmin(box->y0, pole);
    box->y1 = fmax(box->y1, pole);
    return 0;
}
