/* One-column points: see point_cell.h. The WKT and "lat, lon" forms are
 * cut into their number texts here and each text is read by
 * evm_parse_coordinate; the GeoJSON form is parsed by jansson and its
 * numbers checked against the same ranges. */
#include "load/point_cell.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include <evmap/events.h>

#include "core/error.h"

enum { NUM_MAX = 64 }; /* bytes of one coordinate text */

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static char fold(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Whether p starts with the word w, ignoring case. */
static bool word_ci(const char *p, const char *w)
{
    for (; *w; p++, w++)
        if (fold(*p) != *w)
            return false;
    return true;
}

/* Parses s[0..n) as one coordinate. */
static evm_status coord_text(const char *s, size_t n, bool is_lat, double *deg,
                             char *why, size_t cap)
{
    char buf[NUM_MAX];
    if (n >= sizeof buf)
        return evm_why(why, cap, "has a %s that is too long",
                       is_lat ? "latitude" : "longitude");
    memcpy(buf, s, n);
    buf[n] = '\0';
    char sub[160];
    if (evm_parse_coordinate(buf, is_lat, deg, sub, sizeof sub) == EVM_OK)
        return EVM_OK;
    return evm_why(why, cap, "has a %s \"%s\" that %s",
                   is_lat ? "latitude" : "longitude", buf, sub);
}

/* WKT: [SRID=n;]POINT [Z|M|ZM] (x y [z [m]]), longitude first. */
static evm_status wkt_point(const char *p, double *lat, double *lon, char *why,
                            size_t cap)
{
    if (word_ci(p, "SRID=")) {
        const char *semi = strchr(p, ';');
        if (!semi)
            return evm_why(why, cap,
                           "is not a WKT point (no ';' after "
                           "SRID)");
        p = semi + 1;
        while (blank(*p))
            p++;
    }
    if (!word_ci(p, "POINT"))
        return evm_why(why, cap, "is not a WKT POINT");
    p += 5;
    while (blank(*p) || fold(*p) == 'Z' || fold(*p) == 'M')
        p++;
    if (word_ci(p, "EMPTY"))
        return evm_why(why, cap, "is an empty point");
    if (*p != '(')
        return evm_why(why, cap, "is not a WKT point (expected '(')");
    p++;
    const char *tok[4];
    size_t len[4], n = 0;
    for (;;) {
        while (blank(*p))
            p++;
        if (*p == ')' || !*p)
            break;
        if (n == 4)
            return evm_why(why, cap, "has more than four numbers");
        tok[n] = p;
        while (*p && !blank(*p) && *p != ')' && *p != ',')
            p++;
        len[n] = (size_t)(p - tok[n]);
        n++;
        if (*p == ',')
            return evm_why(why, cap,
                           "holds more than one point; evmap "
                           "reads one POINT per cell");
    }
    if (*p != ')')
        return evm_why(why, cap, "is not a WKT point (no closing ')')");
    for (p++; blank(*p); p++)
        ;
    if (*p)
        return evm_why(why, cap, "has text after the WKT point");
    if (n < 2)
        return evm_why(why, cap, "is a WKT point without two numbers");
    if (coord_text(tok[0], len[0], false, lon, why, cap) ||
        coord_text(tok[1], len[1], true, lat, why, cap))
        return EVM_ERR_PARSE;
    return EVM_OK;
}

static evm_status geojson_point(const char *text, double *lat, double *lon,
                                char *why, size_t cap)
{
    json_error_t jerr;
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!o)
        return evm_why(why, cap, "is not JSON: %s (column %d)", jerr.text,
                       jerr.column);
    evm_status st = EVM_OK;
    json_t *type = json_object_get(o, "type");
    json_t *c = json_object_get(o, "coordinates");
    if (json_is_string(type) &&
        strcmp(json_string_value(type), "Feature") == 0) {
        json_t *g = json_object_get(o, "geometry");
        type = json_object_get(g, "type");
        c = json_object_get(g, "coordinates");
    }
    if (!json_is_string(type) || strcmp(json_string_value(type), "Point")) {
        st =
            evm_why(why, cap, "is not a GeoJSON Point (type %s)",
                    json_is_string(type) ? json_string_value(type) : "missing");
    } else if (!json_is_array(c) || json_array_size(c) < 2 ||
               !json_is_number(json_array_get(c, 0)) ||
               !json_is_number(json_array_get(c, 1))) {
        st = evm_why(why, cap, "is a GeoJSON Point without two numbers");
    } else {
        *lon = json_number_value(json_array_get(c, 0));
        *lat = json_number_value(json_array_get(c, 1));
        if (!(*lat >= -90 && *lat <= 90))
            st = evm_why(why, cap, "has a latitude %.17g outside [-90, 90]",
                         *lat);
        else if (!(*lon >= -180 && *lon <= 180))
            st = evm_why(why, cap, "has a longitude %.17g outside [-180, 180]",
                         *lon);
    }
    json_decref(o);
    return st;
}

/* "lat, lon", optionally in parentheses or brackets. */
static evm_status lat_comma_lon(const char *p, double *lat, double *lon,
                                char *why, size_t cap)
{
    size_t n = strlen(p);
    while (n && blank(p[n - 1]))
        n--;
    if (n >= 2 && ((p[0] == '(' && p[n - 1] == ')') ||
                   (p[0] == '[' && p[n - 1] == ']'))) {
        p++;
        n -= 2;
    }
    const char *comma = memchr(p, ',', n);
    if (!comma)
        return evm_why(why, cap, "is not \"latitude, longitude\"");
    if (memchr(comma + 1, ',', n - (size_t)(comma + 1 - p)))
        return evm_why(why, cap,
                       "has more than one ','; write "
                       "\"latitude, longitude\" with decimal "
                       "points");
    const char *a = p, *b = comma + 1;
    size_t la = (size_t)(comma - p), lb = n - la - 1;
    while (la && blank(*a)) {
        a++;
        la--;
    }
    while (la && blank(a[la - 1]))
        la--;
    while (lb && blank(*b)) {
        b++;
        lb--;
    }
    if (coord_text(a, la, true, lat, why, cap) ||
        coord_text(b, lb, false, lon, why, cap))
        return EVM_ERR_PARSE;
    return EVM_OK;
}

evm_status evm_parse_point_cell(const char *text, double *lat_deg,
                                double *lon_deg, char *why, size_t why_cap)
{
    const char *p = text;
    while (blank(*p))
        p++;
    double lat = NAN, lon = NAN;
    evm_status st;
    if (*p == '{')
        st = geojson_point(p, &lat, &lon, why, why_cap);
    else if (word_ci(p, "POINT") || word_ci(p, "SRID="))
        st = wkt_point(p, &lat, &lon, why, why_cap);
    else
        st = lat_comma_lon(p, &lat, &lon, why, why_cap);
    if (st == EVM_OK) {
        *lat_deg = lat;
        *lon_deg = lon;
    }
    return st;
}
