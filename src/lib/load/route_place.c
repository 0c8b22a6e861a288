/* Places in routes files. A waypoint is most often written as two
 * numbers, "48.48 135.08", and degrees-minutes-seconds may hold spaces
 * of their own ("39 1 30 N 125 45 E"), so "lat lon" cannot be split at
 * a fixed place: the text is tried split at each run of blanks, and is
 * coordinates when exactly one split gives a valid latitude and a valid
 * longitude. With a comma, "lat,lon", the comma is the only split. Text
 * that looks like coordinates but is not valid gets the coordinate
 * error ("latitude "91" is outside [-90, 90]"); other text is taken for
 * an event name and gets the events' "did you mean" suggestions. */
#include "load/route_place.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

/* Longer text is no coordinate pair anyone writes. */
enum { MAX_COORD_TEXT = 160 };

typedef struct split_result {
    int n_valid; /* splits giving a valid latitude and longitude */
    double lat, lon;
    /* Why the most telling invalid split fails, "" when none tells. */
    char why[200];
    int why_rank;
} split_result_t;

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Tries text[0, cut) as the latitude and text[rest, len) as the
 * longitude, counting a valid split and keeping the reason of a split
 * where only one part fails. A failure of range tells the most: the
 * split read both numbers, one is just too large. */
static void try_split(const char *text, size_t cut, size_t rest,
                      split_result_t *r)
{
    char lat_text[MAX_COORD_TEXT + 1];
    memcpy(lat_text, text, cut);
    lat_text[cut] = '\0';
    const char *lon_text = text + rest;
    double lat, lon;
    char why_lat[96] = "", why_lon[96] = "";
    bool ok_lat = !evm_parse_coordinate(lat_text, true, &lat, why_lat,
                                        sizeof why_lat),
         ok_lon = !evm_parse_coordinate(lon_text, false, &lon, why_lon,
                                        sizeof why_lon);
    if (ok_lat && ok_lon) {
        if (r->n_valid++ == 0) {
            r->lat = lat;
            r->lon = lon;
        }
        return;
    }
    if (ok_lat == ok_lon)
        return;
    const char *why = ok_lat ? why_lon : why_lat;
    int rank = strstr(why, "is outside") ? 2 : 1;
    if (rank <= r->why_rank)
        return;
    r->why_rank = rank;
    snprintf(r->why, sizeof r->why, "the %s \"%.40s\" %s",
             ok_lat ? "longitude" : "latitude", ok_lat ? lon_text : lat_text,
             why);
}

static void read_coordinates(const char *text, split_result_t *r)
{
    memset(r, 0, sizeof *r);
    size_t len = strlen(text);
    if (len > MAX_COORD_TEXT)
        return;
    const char *comma = strchr(text, ',');
    if (comma) {
        if (!strchr(comma + 1, ','))
            try_split(text, (size_t)(comma - text), (size_t)(comma - text) + 1,
                      r);
        return;
    }
    /* Each run of blanks once: "48.48  135.08" has one split, not two. */
    for (size_t i = 1; i < len; i++) {
        if (!is_blank(text[i]) || is_blank(text[i - 1]))
            continue;
        size_t end = i;
        while (end < len && is_blank(text[end]))
            end++;
        if (end < len)
            try_split(text, i, end, r);
    }
}

/* Whether text is meant as coordinates rather than a name: it starts
 * like a number or a hemisphere letter, holds a digit, and has no two
 * letters in a row ("39d1m30s" and "39 N 125 E" qualify, "7th Fleet
 * base" does not). */
static bool looks_like_coordinates(const char *text)
{
    char c = text[0];
    bool start = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' ||
                 strncmp(text, "\xE2\x88\x92", 3) == 0 || /* minus sign */
                 ((c == 'N' || c == 'S' || c == 'E' || c == 'W' || c == 'n' ||
                   c == 's' || c == 'e' || c == 'w') &&
                  !is_alpha(text[1]));
    if (!start || !strpbrk(text, "0123456789"))
        return false;
    for (const char *p = text; p[0] && p[1]; p++)
        if (is_alpha(p[0]) && is_alpha(p[1]))
            return false;
    return true;
}

evm_status evm_route_place_resolve(const evm_place_lookup_t *lk,
                                   const char *text, double *lat_deg,
                                   double *lon_deg, long *event,
                                   evm_error_t *err)
{
    const evm_events_t *ev = lk ? lk->events : NULL;
    evm_error_t find_err;
    evm_status st;
    if (ev) {
        size_t i;
        st = evm_events_find(ev, text, &i, &find_err);
        if (st == EVM_OK) {
            const evm_event_t *e = evm_events_get(ev, i);
            *lat_deg = e->lat_deg;
            *lon_deg = e->lon_deg;
            *event = (long)i;
            return EVM_OK;
        }
        if (st != EVM_ERR_NOT_FOUND)
            return evm_error_set(err, st, NULL, 0, 0, "%s", find_err.message);
    } else {
        st = evm_error_set(&find_err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                           "no event is named \"%.100s\": no events were "
                           "given, only coordinates can name a place",
                           text);
    }
    split_result_t r;
    read_coordinates(text, &r);
    if (r.n_valid == 1) {
        *lat_deg = r.lat;
        *lon_deg = r.lon;
        *event = -1;
        return EVM_OK;
    }
    if (r.n_valid > 1)
        return evm_error_set(err, EVM_ERR_PARSE, NULL, 0, 0,
                             "coordinates \"%.100s\" can be read in %d ways; "
                             "write \"lat,lon\" or add hemisphere letters",
                             text, r.n_valid);
    if (looks_like_coordinates(text))
        return evm_error_set(err, EVM_ERR_PARSE, NULL, 0, 0,
                             r.why[0] ? "coordinates \"%.100s\": %s"
                                      : "coordinates \"%.100s\" are not a "
                                        "latitude and a longitude%s",
                             text, r.why);
    if (lk && lk->gazetteer) {
        evm_status gs =
            evm_place_lookup_name(lk, text, lat_deg, lon_deg, NULL, &find_err);
        if (gs == EVM_OK) {
            *event = -1;
            return EVM_OK;
        }
        st = gs;
    }
    return evm_error_set(err, st, NULL, 0, 0, "%s", find_err.message);
}
