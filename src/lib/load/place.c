/* Places named in options: an event by name (exact, then
 * case-insensitive, as evm_events_find does) or coordinates given inline
 * as "lat,lon" in any form evm_parse_coordinate reads. `evmap dist`,
 * the distance lines of `evmap render` and batch jobs all resolve names
 * here, so a name fails with the same suggestions wherever it is given. */
#include <evmap/dist.h>
#include <evmap/gazetteer.h>

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "load/route_place.h"

/* "lat,lon" split at its only comma; false when it is not that. */
static bool parse_inline(const char *text, double *lat, double *lon, char *why,
                         size_t why_cap)
{
    const char *comma = strchr(text, ',');
    if (!comma || strchr(comma + 1, ','))
        return false;
    char lat_text[128], reason[96];
    size_t n = (size_t)(comma - text);
    if (n >= sizeof lat_text)
        return false;
    memcpy(lat_text, text, n);
    lat_text[n] = '\0';
    /* The reasons read "is outside [-90, 90]": say of what. */
    if (evm_parse_coordinate(lat_text, true, lat, reason, sizeof reason)) {
        snprintf(why, why_cap, "the latitude \"%.40s\" %s", lat_text, reason);
        return false;
    }
    if (evm_parse_coordinate(comma + 1, false, lon, reason, sizeof reason)) {
        snprintf(why, why_cap, "the longitude \"%.40s\" %s", comma + 1, reason);
        return false;
    }
    return true;
}

evm_status evm_place_resolve(const evm_events_t *ev, const char *text,
                             evm_place_t *out, size_t *event, evm_error_t *err)
{
    evm_place_lookup_t lk = {.events = ev};
    return evm_place_lookup(&lk, text, out, event, err);
}

evm_status evm_place_lookup_name(const evm_place_lookup_t *lk, const char *text,
                                 double *lat_deg, double *lon_deg,
                                 const char **name, evm_error_t *err)
{
    evm_geocode_t g;
    evm_error_t e;
    evm_status st =
        evm_gazetteer_lookup(lk->gazetteer, text, lk->country, &g, &e);
    if (st) {
        if (err)
            *err = e;
        return st;
    }
    if (g.n_others && lk->warn) {
        evm_error_t w;
        char msg[EVM_ERROR_MESSAGE_MAX];
        evm_geocode_warning(&g, text, msg, sizeof msg);
        evm_error_set(&w, EVM_OK, NULL, 0, 0, "%s", msg);
        lk->warn(lk->warn_closure, &w);
    }
    *lat_deg = g.place.lat_deg;
    *lon_deg = g.place.lon_deg;
    if (name)
        *name = g.place.name;
    if (lk->geonames_picks && g.place.source == EVM_PLACE_GEONAMES)
        (*lk->geonames_picks)++;
    evm_geocode_clear(&g);
    return EVM_OK;
}

evm_status evm_place_lookup(const evm_place_lookup_t *lookup, const char *text,
                            evm_place_t *out, size_t *event, evm_error_t *err)
{
    const evm_events_t *ev = lookup ? lookup->events : NULL;
    if (!text || !out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no place or no output");
    size_t i;
    evm_error_t find_err;
    evm_status st;
    if (ev) {
        st = evm_events_find(ev, text, &i, &find_err);
    } else {
        /* No events file: only coordinates can name a place. */
        st = evm_error_set(&find_err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                           "no event is named \"%.100s\": there are no "
                           "events",
                           text);
    }
    if (st == EVM_OK) {
        const evm_event_t *e = evm_events_get(ev, i);
        *out = (evm_place_t){e->name, e->lat_deg, e->lon_deg};
        if (event)
            *event = i;
        return EVM_OK;
    }
    double lat, lon;
    char why[256] = "";
    if (st == EVM_ERR_NOT_FOUND &&
        parse_inline(text, &lat, &lon, why, sizeof why)) {
        *out = (evm_place_t){text, lat, lon};
        if (event)
            *event = (size_t)-1;
        return EVM_OK;
    }
    /* Something that looks like coordinates gets the coordinate error,
     * anything else the name error with its suggestions. */
    bool coords = st == EVM_ERR_NOT_FOUND && *why && strchr(text, ',') &&
                  strspn(text, "+-.0123456789 ") > 0;
    if (st == EVM_ERR_NOT_FOUND && !coords && lookup && lookup->gazetteer) {
        st = evm_place_lookup_name(lookup, text, &lat, &lon, &out->name,
                                   &find_err);
        if (st == EVM_OK) {
            out->lat_deg = lat;
            out->lon_deg = lon;
            if (event)
                *event = (size_t)-1;
            return EVM_OK;
        }
    }
    if (coords)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "\"%.100s\" is neither an event nor \"lat,lon\": "
                             "%s",
                             text, why);
    if (err)
        *err = find_err;
    return st;
}
