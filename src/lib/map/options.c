/* Map options from text: one key and one value as a person writes them on
 * a command line or in a jobs-file cell, checked and stored in an
 * evm_map_options_t. `evmap render` and `evmap batch` both go through
 * here, so an option means the same thing and fails with the same words
 * wherever it is given. Numbers are read independently of the C locale
 * (a batch may run under any LC_NUMERIC). The distance lines, which name
 * events, are read here too (evm_map_distance_opts_set). */
#include <evmap/map.h>

#include <evmap/dist.h>
#include <evmap/links.h>
#include <evmap/routes.h>

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/option_text.h"
#include "load/user_layer.h"
#include "map/extent.h"
#include "map/preset.h"
#include "map/route_style_parse.h"

/* Whole pixels written as digits: "800.0", "8e2" and "0x320" are not a
 * size, on the command line or in a cell. */
static bool pixels(const char *s, size_t n, double *out)
{
    if (n == 0 || n > 5)
        return false;
    double v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool parse_size(const char *s, double *w, double *h)
{
    const char *x = strpbrk(s, "xX");
    double lw, lh;
    if (!x || !pixels(s, (size_t)(x - s), &lw) ||
        !pixels(x + 1, strlen(x + 1), &lh))
        return false;
    if (!(lw >= 64 && lh >= 64 && lw <= 20000 && lh <= 20000))
        return false;
    *w = lw;
    *h = lh;
    return true;
}

evm_status evm_map_parse_extent(const char *text, double extent[4])
{
    double e[4];
    const char *p = text;
    if (!text)
        return EVM_ERR_INVALID_ARG;
    for (int i = 0; i < 4; i++) {
        const char *comma = i < 3 ? strchr(p, ',') : p + strlen(p);
        char buf[64];
        size_t n = comma ? (size_t)(comma - p) : 0;
        if (!comma || n >= sizeof buf)
            return EVM_ERR_INVALID_ARG;
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (!evm_option_number(buf, &e[i]))
            return EVM_ERR_INVALID_ARG;
        p = comma + (i < 3);
    }
    if (!(e[1] < e[3] && e[1] >= -90 && e[3] <= 90 && e[0] >= -180 &&
          e[0] <= 180 && e[2] >= -180 && e[2] <= 180 && e[0] != e[2]))
        return EVM_ERR_INVALID_ARG;
    memcpy(extent, e, sizeof e);
    return EVM_OK;
}

/* Country names or codes rather than a box: every comma-separated part
 * holds a letter or is a numeric ISO code ("250"), one at least holds a
 * letter unless there is one part, and four parts are all names (four
 * parts with a number among them are a box that failed its checks:
 * "0x78,30,135,45"). */
static bool looks_like_names(const char *s)
{
    size_t n_parts = 0;
    bool all_letters = true, any_letter = false;
    for (const char *p = s;; p++) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        bool letter = false, digits = n > 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)p[i];
            letter = letter || (ch >= 'A' && ch <= 'Z') ||
                     (ch >= 'a' && ch <= 'z') || ch >= 0x80;
            digits = digits && ch >= '0' && ch <= '9';
        }
        if (!letter && !digits)
            return false;
        all_letters = all_letters && letter;
        any_letter = any_letter || letter;
        n_parts++;
        if (!c)
            break;
        p = c;
    }
    /* Numbers alone are a box ("1,2,3"), but for one numeric code. */
    return n_parts == 1 || (any_letter && (n_parts != 4 || all_letters));
}

static const char *const map_keys[] = {
    "size",
    "dpi",
    "title",
    "subtitle",
    "source",
    "proj",
    "extent",
    "basemap",
    "units",
    "font",
    "graticule",
    "legend",
    "scale-bar",
    "no-graticule",
    "graticule-labels",
    "no-graticule-labels",
    "no-legend",
    "no-scale-bar",
    "route-dates",
    "places",
    "country-labels",
    "water-labels",
    "rivers",
    "no-places",
    "no-country-labels",
    "no-water-labels",
    "no-rivers",
    "worldview",
    "theme",
    "inset",
    "labels",
    "no-labels",
    "label-col",
    "label-priority",
    "cluster",
    "no-clusters",
    "density",
    "sea-routing",
    "via-labels",
    "no-via-labels",
    "preset",
    "size-col",
    "geocode",
};

const char *evm_map_options_key(size_t i)
{
    return i < sizeof map_keys / sizeof map_keys[0] ? map_keys[i] : NULL;
}

bool evm_map_options_has_key(const char *key)
{
    for (size_t i = 0; key && i < sizeof map_keys / sizeof map_keys[0]; i++)
        if (evm_option_key_is(key, map_keys[i]))
            return true;
    return false;
}

static evm_status bad(evm_error_t *err, const char *key, const char *value,
                      const char *expected)
{
    return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                         "%s \"%.80s\" is not valid: %s", key, value, expected);
}

evm_status evm_map_options_set(evm_map_options_t *opt, const char *key,
                               const char *value, evm_error_t *err)
{
    if (!opt || !key || !value)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no options, key or value");
    if (evm_option_key_is(key, "size")) {
        if (!parse_size(value, &opt->width_px, &opt->height_px))
            return bad(err, key, value, "expected WxH, 64..20000 pixels");
        opt->has_size = true;
    } else if (evm_option_key_is(key, "dpi")) {
        double d;
        if (!evm_option_number(value, &d) || !(d >= 10 && d <= 2400))
            return bad(err, key, value, "expected a number in 10..2400");
        opt->dpi = d;
        opt->has_dpi = true;
    } else if (evm_option_key_is(key, "preset")) {
        if (!evm_preset_parse(value, &opt->preset))
            return bad(err, key, value,
                       "expected web, column, print or social");
    } else if (evm_option_key_is(key, "title")) {
        opt->title = value;
    } else if (evm_option_key_is(key, "subtitle")) {
        opt->subtitle = value;
    } else if (evm_option_key_is(key, "source")) {
        opt->source = value;
    } else if (evm_option_key_is(key, "proj")) {
        opt->proj = value[0] ? value : NULL;
    } else if (evm_option_key_is(key, "extent")) {
        /* Numbers are a box; a name is a country, found by layout in
         * the base map. */
        if (!evm_map_parse_extent(value, opt->extent)) {
            opt->has_extent = true;
            opt->extent_countries = NULL;
        } else if (looks_like_names(value)) {
            opt->has_extent = false;
            opt->extent_countries = value;
        } else {
            return bad(err, key, value,
                       "expected W,S,E,N in degrees with S < N, e.g. "
                       "120,30,135,45, or countries, e.g. France or KOR,PRK");
        }
    } else if (evm_option_key_is(key, "basemap")) {
        evm_basemap_res res;
        if (evm_basemap_res_parse(value, &res))
            return bad(err, key, value, "expected auto, 110m, 50m or 10m");
        opt->basemap = res;
    } else if (evm_option_key_is(key, "units")) {
        evm_units units;
        if (evm_units_parse(value, &units))
            return bad(err, key, value, "expected km, mi, nmi or m");
        opt->units = units;
    } else if (evm_option_key_is(key, "inset")) {
        static const char *const where[] = {"auto", "off", "nw",
                                            "ne",   "sw",  "se"};
        size_t i = 0;
        while (i < 6 && !evm_option_key_is(value, where[i]))
            i++;
        if (i == 6)
            return bad(err, key, value, "expected auto, off, nw, ne, sw or se");
        opt->inset = (evm_inset)i;
    } else if (evm_option_key_is(key, "route-dates")) {
        static const char *const where[] = {"legend", "labels", "both", "none"};
        size_t i = 0;
        while (i < 4 && !evm_option_key_is(value, where[i]))
            i++;
        if (i == 4)
            return bad(err, key, value,
                       "expected legend, labels, both or none");
        opt->route_dates = (evm_route_dates)i;
    } else if (evm_option_key_is(key, "label-col")) {
        opt->label_col = value[0] ? value : NULL;
    } else if (evm_option_key_is(key, "size-col")) {
        opt->size_col = value[0] ? value : NULL;
    } else if (evm_option_key_is(key, "label-priority")) {
        opt->label_priority_col = value[0] ? value : NULL;
    } else if (evm_option_key_is(key, "cluster")) {
        static const char *const modes[] = {"auto", "on", "off"};
        size_t i = 0;
        while (i < 3 && !evm_option_key_is(value, modes[i]))
            i++;
        if (i == 3)
            return bad(err, key, value, "expected auto, on or off");
        opt->cluster = (evm_cluster)i;
    } else if (evm_option_key_is(key, "no-clusters")) {
        bool on = true;
        if (value[0] && !evm_option_boolean(value, &on))
            return bad(err, key, value, "expected yes or no");
        opt->cluster = on ? EVM_CLUSTER_OFF : EVM_CLUSTER_AUTO;
    } else if (evm_option_key_is(key, "density")) {
        static const char *const kinds[] = {"none", "hex", "grid", "heat"};
        size_t i = 0;
        while (i < 4 && !evm_option_key_is(value, kinds[i]))
            i++;
        if (i == 4)
            return bad(err, key, value, "expected none, hex, grid or heat");
        opt->density = (evm_density)i;
    } else if (evm_option_key_is(key, "worldview")) {
        if (evm_worldview_parse(value, &opt->worldview))
            return bad(err, key, value, "expected international or de-facto");
    } else if (evm_option_key_is(key, "theme")) {
        static const char *const themes[] = {"light", "dark", "print"};
        size_t i = 0;
        while (i < 3 && !evm_option_key_is(value, themes[i]))
            i++;
        if (i == 3)
            return bad(err, key, value, "expected light, dark or print");
        opt->theme = (evm_theme)i;
    } else if (evm_option_key_is(key, "font")) {
        if (!value[0])
            return bad(err, key, value, "expected a font family");
        opt->font_family = value;
    } else {
        /* The map elements: "legend=no" or the flag "no-legend". */
        bool *field = NULL, negate = false, on;
        const char *name = key;
        if ((key[0] == 'n' || key[0] == 'N') &&
            (key[1] == 'o' || key[1] == 'O') &&
            (key[2] == '-' || key[2] == '_')) {
            negate = true;
            name = key + 3;
        }
        if (evm_option_key_is(name, "graticule"))
            field = &opt->graticule;
        else if (evm_option_key_is(name, "graticule-labels"))
            field = &opt->graticule_labels;
        else if (evm_option_key_is(name, "legend"))
            field = &opt->legend;
        else if (evm_option_key_is(name, "scale-bar"))
            field = &opt->scale_bar;
        else if (evm_option_key_is(name, "labels"))
            field = &opt->labels;
        else if (evm_option_key_is(name, "places"))
            field = &opt->places;
        else if (evm_option_key_is(name, "country-labels"))
            field = &opt->country_labels;
        else if (evm_option_key_is(name, "water-labels"))
            field = &opt->water_labels;
        else if (evm_option_key_is(name, "rivers"))
            field = &opt->rivers;
        else if (evm_option_key_is(name, "sea-routing"))
            field = &opt->sea_routing;
        else if (evm_option_key_is(name, "via-labels"))
            field = &opt->via_labels;
        else if (evm_option_key_is(name, "geocode"))
            field = &opt->geocode;
        if (!field)
            return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                                 "unknown map option \"%.80s\"", key);
        /* A flag: "no-legend", or "via-labels" and "geocode" (off by
         * default, so flags without "no-"). */
        if (!value[0] &&
            (negate || field == &opt->via_labels || field == &opt->geocode))
            on = true;
        else if (!evm_option_boolean(value, &on))
            return bad(err, key, value, "expected yes or no");
        *field = negate ? !on : on;
    }
    return EVM_OK;
}

/* ---- distance lines --------------------------------------------------- */

struct evm_map_distance_opts {
    evm_map_distance_t *lines;
    size_t n_lines, cap_lines;
    evm_map_border_distance_t *borders;
    size_t n_borders, cap_borders;
    char **texts; /* owned copies the borders point into */
    size_t n_texts, cap_texts;
    evm_links_t **links; /* owned; the lines borrow their labels */
    size_t n_links, cap_links;
    bool land_only;
    evm_routes_t *routes; /* owned; the map borrows its legs */
    evm_map_route_style_t *styles;
    size_t n_styles, cap_styles;
    evm_map_distance_style_t *dstyles;
    size_t n_dstyles, cap_dstyles;
    evm_map_kind_style_t *kind_styles; /* their kinds are in texts */
    size_t n_kind_styles, cap_kind_styles;
    evm_user_layer_t **layers; /* owned; --layer files in order */
    size_t n_layers, cap_layers;
    evm_place_lookup_t lookup; /* its events are set per call */
    size_t max_input_bytes;    /* of a route-styles file; 0: the default */
    bool has_center;           /* the center key: frame a circle */
    double center_lat_deg, center_lon_deg;
    double radius_km; /* 0: EVM_DEFAULT_RADIUS_KM */
};

void evm_map_distance_opts_set_lookup(evm_map_distance_opts_t *d,
                                      const evm_place_lookup_t *lookup)
{
    if (!d)
        return;
    if (lookup)
        d->lookup = *lookup;
    else
        memset(&d->lookup, 0, sizeof d->lookup);
}

/* The lookup of d against the events of this call. */
static evm_place_lookup_t lookup_of(const evm_map_distance_opts_t *d,
                                    const evm_events_t *ev)
{
    evm_place_lookup_t lk = d->lookup;
    lk.events = ev;
    return lk;
}

static const char *const distance_keys[] = {
    "distance",         "border-distance",
    "land-border-only", "links",
    "routes",           "route-style",
    "route-styles",     "max-input-mb",
    "distance-style",   "center",
    "radius-km",        "kind-style",
    "kind-styles",      "layer"};
enum { N_DISTANCE_KEYS = sizeof distance_keys / sizeof distance_keys[0] };

evm_status evm_map_distance_opts_create(evm_map_distance_opts_t **out,
                                        evm_error_t *err)
{
    if (!out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0, "no output");
    *out = calloc(1, sizeof **out);
    return *out
               ? EVM_OK
               : evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

void evm_map_distance_opts_destroy(evm_map_distance_opts_t *d)
{
    if (!d)
        return;
    free(d->lines);
    free(d->borders);
    for (size_t i = 0; i < d->n_texts; i++)
        free(d->texts[i]);
    free(d->texts);
    for (size_t i = 0; i < d->n_links; i++)
        evm_links_destroy(d->links[i]);
    free(d->links);
    evm_routes_destroy(d->routes);
    free(d->styles);
    free(d->dstyles);
    free(d->kind_styles);
    for (size_t i = 0; i < d->n_layers; i++)
        evm_user_layer_destroy(d->layers[i]);
    free(d->layers);
    free(d);
}

bool evm_map_distance_opts_has_key(const char *key)
{
    for (size_t i = 0; key && i < N_DISTANCE_KEYS; i++)
        if (evm_option_key_is(key, distance_keys[i]))
            return true;
    return false;
}

void evm_map_distance_opts_apply(const evm_map_distance_opts_t *d,
                                 evm_map_options_t *opt)
{
    if (!d || !opt)
        return;
    opt->distances = d->n_lines ? d->lines : NULL;
    opt->n_distances = d->n_lines;
    opt->border_distances = d->n_borders ? d->borders : NULL;
    opt->n_border_distances = d->n_borders;
    opt->route_legs =
        d->routes ? evm_routes_legs(d->routes, &opt->n_route_legs) : NULL;
    if (!d->routes)
        opt->n_route_legs = 0;
    opt->route_styles = d->n_styles ? d->styles : NULL;
    opt->n_route_styles = d->n_styles;
    opt->distance_styles = d->n_dstyles ? d->dstyles : NULL;
    opt->n_distance_styles = d->n_dstyles;
    opt->kind_styles = d->n_kind_styles ? d->kind_styles : NULL;
    opt->n_kind_styles = d->n_kind_styles;
    opt->layers =
        d->n_layers ? (const evm_user_layer_t *const *)d->layers : NULL;
    opt->n_layers = d->n_layers;
    /* A centre says where the map is, more precisely than an extent. */
    if (d->has_center) {
        double r_km = d->radius_km > 0 ? d->radius_km : EVM_DEFAULT_RADIUS_KM;
        evm_circle_extent(d->center_lat_deg, d->center_lon_deg, r_km * 1000,
                          opt->extent);
        opt->has_extent = true;
    }
}

/* A place that does not resolve: "KEY SPEC: why", the why with its own
 * file and line when it has them (an ambiguous name names its lines). */
static evm_status unresolved(evm_error_t *err, const char *key,
                             const char *spec, const evm_error_t *why)
{
    char text[EVM_ERROR_FILE_MAX + EVM_ERROR_MESSAGE_MAX + 64];
    evm_error_format(why, text, sizeof text);
    return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0, "%s %.200s: %s",
                         key, spec, text);
}

/* Splits "A:B" at the first colon where both sides are places (names
 * may hold colons). EVM_ERR_INVALID_ARG when spec has no colon (or is
 * too long); otherwise EVM_ERR_NOT_FOUND with the first split's error in
 * *why. */
static evm_status split_pair(const evm_place_lookup_t *lk, const char *spec,
                             evm_place_t *a, evm_place_t *b, evm_error_t *why)
{
    char buf[1024];
    if (strlen(spec) >= sizeof buf)
        return EVM_ERR_INVALID_ARG;
    evm_status st = EVM_ERR_INVALID_ARG;
    for (const char *c = strchr(spec, ':'); c; c = strchr(c + 1, ':')) {
        size_t n = (size_t)(c - spec);
        memcpy(buf, spec, n);
        buf[n] = '\0';
        evm_error_t e;
        evm_status s1 = evm_place_lookup(lk, buf, a, NULL, &e);
        if (!s1)
            s1 = evm_place_lookup(lk, c + 1, b, NULL, &e);
        if (!s1) {
            /* Coordinates are their own name: no name. */
            if (a->name == buf)
                a->name = NULL;
            if (b->name == c + 1)
                b->name = NULL;
            return EVM_OK;
        }
        if (st == EVM_ERR_INVALID_ARG) {
            st = EVM_ERR_NOT_FOUND;
            *why = e;
        }
    }
    return st;
}

/* A copy of a place's name (NULL stays NULL) that d keeps; EVM_ERR_NOMEM. */
static evm_status keep_name(evm_map_distance_opts_t *d, const char *name,
                            const char **out)
{
    *out = NULL;
    if (!name || !*name)
        return EVM_OK;
    char *copy = evm_strdup(name);
    if (!copy || evm_grow((void **)&d->texts, &d->cap_texts, d->n_texts + 1,
                          sizeof *d->texts)) {
        free(copy);
        return EVM_ERR_NOMEM;
    }
    d->texts[d->n_texts++] = copy;
    *out = copy;
    return EVM_OK;
}

static evm_status add_distance(evm_map_distance_opts_t *d,
                               const evm_events_t *ev, const char *spec,
                               evm_error_t *err)
{
    evm_place_t a, b;
    evm_error_t why;
    evm_place_lookup_t lk = lookup_of(d, ev);
    evm_status st = split_pair(&lk, spec, &a, &b, &why);
    if (st == EVM_ERR_INVALID_ARG)
        return evm_error_set(err, st, NULL, 0, 0,
                             "distance needs FROM:TO, not \"%.200s\"", spec);
    if (st)
        return unresolved(err, "distance", spec, &why);
    const char *from = NULL, *to = NULL;
    if (keep_name(d, a.name, &from) || keep_name(d, b.name, &to) ||
        evm_grow((void **)&d->lines, &d->cap_lines, d->n_lines + 1,
                 sizeof *d->lines))
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    d->lines[d->n_lines++] = (evm_map_distance_t){
        a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, NULL, from, to};
    return EVM_OK;
}

static evm_status add_links(evm_map_distance_opts_t *d, const evm_events_t *ev,
                            const char *path, evm_error_t *err)
{
    evm_links_t *links = NULL;
    evm_status st = evm_links_load_file(path, &links, err);
    if (st)
        return st;
    size_t n = evm_links_count(links);
    evm_map_distance_t *lines = evm_alloc_array(n ? n : 1, sizeof *lines);
    if (!lines ||
        evm_grow((void **)&d->links, &d->cap_links, d->n_links + 1,
                 sizeof *d->links) ||
        evm_grow((void **)&d->lines, &d->cap_lines, d->n_lines + n,
                 sizeof *d->lines)) {
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        const evm_link_t *l = evm_links_get(links, i);
        evm_place_t a, b;
        evm_error_t why;
        unsigned long col = l->from_column;
        evm_place_lookup_t lk = lookup_of(d, ev);
        st = evm_place_lookup(&lk, l->from, &a, NULL, &why);
        if (!st) {
            st = evm_place_lookup(&lk, l->to, &b, NULL, &why);
            col = l->to_column;
        }
        if (st) {
            /* The name's own position, then the reason. */
            char text[EVM_ERROR_FILE_MAX + EVM_ERROR_MESSAGE_MAX + 64];
            evm_error_format(&why, text, sizeof text);
            st = evm_error_set(err, EVM_ERR_NOT_FOUND, evm_links_source(links),
                               l->line, col, "%s", text);
            goto fail;
        }
        const char *from = NULL, *to = NULL;
        if (keep_name(d, a.name == l->from ? NULL : a.name, &from) ||
            keep_name(d, b.name == l->to ? NULL : b.name, &to)) {
            st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
            goto fail;
        }
        lines[i] = (evm_map_distance_t){
            a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, l->label, from, to};
    }
    if (n)
        memcpy(d->lines + d->n_lines, lines, n * sizeof *lines);
    d->n_lines += n;
    d->links[d->n_links++] = links;
    free(lines);
    return EVM_OK;
fail:
    free(lines);
    evm_links_destroy(links);
    return st;
}

static evm_status add_border(evm_map_distance_opts_t *d, const evm_events_t *ev,
                             const char *spec, evm_error_t *err)
{
    /* Country names have no colon: split at the last one. */
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1])
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "border-distance needs PLACE:COUNTRY, not "
                             "\"%.200s\"",
                             spec);
    char place[1024];
    size_t n = (size_t)(colon - spec);
    if (n >= sizeof place)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "border-distance: name too long");
    memcpy(place, spec, n);
    place[n] = '\0';
    evm_place_t a;
    evm_error_t why;
    evm_place_lookup_t lk = lookup_of(d, ev);
    if (evm_place_lookup(&lk, place, &a, NULL, &why))
        return unresolved(err, "border-distance", spec, &why);
    const char *name = NULL;
    if (keep_name(d, a.name == place ? NULL : a.name, &name))
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    char *country = evm_strdup(colon + 1);
    if (!country ||
        evm_grow((void **)&d->texts, &d->cap_texts, d->n_texts + 1,
                 sizeof *d->texts) ||
        evm_grow((void **)&d->borders, &d->cap_borders, d->n_borders + 1,
                 sizeof *d->borders)) {
        free(country);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    d->texts[d->n_texts++] = country;
    d->borders[d->n_borders++] = (evm_map_border_distance_t){
        a.lat_deg, a.lon_deg, country, d->land_only, NULL, name};
    return EVM_OK;
}

/* "N: PROPERTY=VALUE, ..." or "all: ...": the properties as a route
 * style's (route_style_parse.c), the selector a line's number. */
static evm_status add_distance_style(evm_map_distance_opts_t *d,
                                     const char *spec, evm_error_t *err)
{
    const char *colon = strrchr(spec, ':');
    char sel[64];
    size_t n = colon ? (size_t)(colon - spec) : 0;
    if (!colon || n >= sizeof sel)
        return bad(err, "distance-style", spec,
                   "expected N|all: color=#rrggbb, width=PT, dash=ON OFF|none");
    memcpy(sel, spec, n);
    sel[n] = '\0';
    char *s = sel;
    while (*s == ' ' || *s == '\t')
        s++;
    for (size_t k = strlen(s); k && (s[k - 1] == ' ' || s[k - 1] == '\t');)
        s[--k] = '\0';
    size_t line = 0;
    if (!evm_option_key_is(s, "all")) {
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        if (!*s || *end || *s == '-' || *s == '+' || v < 1 || v > 1000000)
            return bad(err, "distance-style", spec,
                       "the selector is a line's number (1 for the first "
                       "distance line) or all");
        line = (size_t)v;
    }
    char props[1024];
    if (snprintf(props, sizeof props, "all:%s", colon + 1) >= (int)sizeof props)
        return bad(err, "distance-style", spec, "too long");
    evm_map_route_style_t rs;
    char *route = NULL;
    evm_status st = evm_route_style_parse(props, NULL, 0, &rs, &route, err);
    free(route);
    if (st)
        return st;
    if (evm_grow((void **)&d->dstyles, &d->cap_dstyles, d->n_dstyles + 1,
                 sizeof *d->dstyles))
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    evm_map_distance_style_t *o = &d->dstyles[d->n_dstyles++];
    memset(o, 0, sizeof *o);
    o->line = line;
    o->has_color = rs.has_color;
    o->color = rs.color;
    o->width_pt = rs.width_pt;
    o->has_dash = rs.has_dash;
    memcpy(o->dash_pt, rs.dash_pt, sizeof o->dash_pt);
    o->n_dash = rs.n_dash;
    return EVM_OK;
}

/* "FILE[:STYLE]": the style after the last ':' when it holds a '='
 * (a colour never holds a ':'). The file is read now, so that a bad one
 * is named before anything is drawn. */
static evm_status add_layer(evm_map_distance_opts_t *d, const char *spec,
                            evm_error_t *err)
{
    const char *colon = strrchr(spec, ':');
    if (colon && !strchr(colon, '='))
        colon = NULL;
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    char *path = malloc(n + 1);
    if (!path)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    memcpy(path, spec, n);
    path[n] = '\0';
    evm_map_layer_style_t style = {
        .fill = {0.85, 0.78, 0.74, 0.7}, /* #d9c7bd, over the land */
        .stroke = {0.45, 0.38, 0.35, 1}, /* #736159 */
        .width_pt = 0.8};
    evm_user_layer_t *l = NULL;
    evm_status st =
        !path[0] ? bad(err, "layer", spec,
                       "expected FILE.geojson or FILE.geojson:STYLE")
        : colon  ? evm_layer_style_parse(colon + 1, path, &style, err)
                 : EVM_OK;
    if (!st)
        st = evm_user_layer_load(path, d->max_input_bytes, &l, err);
    free(path);
    if (st)
        return st;
    l->style = style;
    if (evm_grow((void **)&d->layers, &d->cap_layers, d->n_layers + 1,
                 sizeof *d->layers)) {
        evm_user_layer_destroy(l);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    d->layers[d->n_layers++] = l;
    return EVM_OK;
}

/* Parses a route style and keeps it with the route name it points at. */
static evm_status add_style(void *user, const char *spec, const char *file,
                            unsigned long line, evm_error_t *err)
{
    evm_map_distance_opts_t *d = user;
    evm_map_route_style_t s;
    char *route;
    evm_status st = evm_route_style_parse(spec, file, line, &s, &route, err);
    if (st)
        return st;
    if ((route && evm_grow((void **)&d->texts, &d->cap_texts, d->n_texts + 1,
                           sizeof *d->texts)) ||
        evm_grow((void **)&d->styles, &d->cap_styles, d->n_styles + 1,
                 sizeof *d->styles)) {
        free(route);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (route)
        d->texts[d->n_texts++] = route;
    d->styles[d->n_styles++] = s;
    return EVM_OK;
}

/* Parses a kind style and keeps it with its kind. */
static evm_status add_kind_style(void *user, const char *spec, const char *file,
                                 unsigned long line, evm_error_t *err)
{
    evm_map_distance_opts_t *d = user;
    evm_map_kind_style_t s;
    char *kind;
    evm_status st = evm_kind_style_parse(spec, file, line, &s, &kind, err);
    if (st)
        return st;
    if (evm_grow((void **)&d->texts, &d->cap_texts, d->n_texts + 1,
                 sizeof *d->texts) ||
        evm_grow((void **)&d->kind_styles, &d->cap_kind_styles,
                 d->n_kind_styles + 1, sizeof *d->kind_styles)) {
        free(kind);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    d->texts[d->n_texts++] = kind;
    d->kind_styles[d->n_kind_styles++] = s;
    return EVM_OK;
}

static evm_status set_routes(evm_map_distance_opts_t *d, const evm_events_t *ev,
                             const char *path, evm_error_t *err)
{
    if (!path[0])
        return bad(err, "routes", path, "expected a routes CSV file");
    evm_routes_t *r = NULL;
    evm_place_lookup_t lk = lookup_of(d, ev);
    evm_status st = evm_routes_load_file_lookup(path, &lk, &r, err);
    if (st)
        return st;
    evm_routes_destroy(d->routes); /* a later file replaces an earlier */
    d->routes = r;
    return EVM_OK;
}

evm_status evm_map_distance_opts_set(evm_map_distance_opts_t *d,
                                     const evm_events_t *events,
                                     const char *key, const char *value,
                                     evm_error_t *err)
{
    if (!d || !key || !value)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no distance options, key or value");
    if (evm_option_key_is(key, "distance"))
        return add_distance(d, events, value, err);
    if (evm_option_key_is(key, "border-distance"))
        return add_border(d, events, value, err);
    if (evm_option_key_is(key, "links")) {
        if (!value[0])
            return bad(err, "links", value, "expected a links CSV file");
        return add_links(d, events, value, err);
    }
    if (evm_option_key_is(key, "routes"))
        return set_routes(d, events, value, err);
    if (evm_option_key_is(key, "route-style"))
        return add_style(d, value, NULL, 0, err);
    if (evm_option_key_is(key, "distance-style"))
        return add_distance_style(d, value, err);
    if (evm_option_key_is(key, "layer"))
        return add_layer(d, value, err);
    if (evm_option_key_is(key, "route-styles"))
        return evm_style_lines_load(value, d->max_input_bytes, add_style, d,
                                    err);
    if (evm_option_key_is(key, "kind-style"))
        return add_kind_style(d, value, NULL, 0, err);
    if (evm_option_key_is(key, "kind-styles"))
        return evm_style_lines_load(value, d->max_input_bytes, add_kind_style,
                                    d, err);
    if (evm_option_key_is(key, "center")) {
        evm_place_t p;
        evm_error_t why;
        evm_place_lookup_t lk = lookup_of(d, events);
        evm_status st = evm_place_lookup(&lk, value, &p, NULL, &why);
        if (st == EVM_ERR_INVALID_ARG)
            return bad(err, "center", value,
                       "expected LAT,LON, an event or a place name");
        if (st)
            return unresolved(err, "center", value, &why);
        d->has_center = true;
        d->center_lat_deg = p.lat_deg;
        d->center_lon_deg = p.lon_deg;
        return EVM_OK;
    }
    if (evm_option_key_is(key, "radius-km")) {
        double km;
        if (!evm_option_number(value, &km) || !(km > 0 && km <= 20000))
            return bad(err, "radius-km", value,
                       "expected a number of km in (0, 20000]");
        d->radius_km = km;
        return EVM_OK;
    }
    if (evm_option_key_is(key, "max-input-mb")) {
        char *end;
        unsigned long long mb = strtoull(value, &end, 10);
        if (end == value || *end || mb < 1 || mb > ((size_t)-1 >> 21))
            return bad(err, "max-input-mb", value,
                       "expected a whole number of MiB, at least 1");
        d->max_input_bytes = (size_t)mb << 20;
        return EVM_OK;
    }
    if (evm_option_key_is(key, "land-border-only")) {
        bool on = true;
        if (value[0] && !evm_option_boolean(value, &on))
            return bad(err, "land-border-only", value, "expected yes or no");
        d->land_only = on;
        for (size_t i = 0; i < d->n_borders; i++)
            d->borders[i].land_only = on;
        return EVM_OK;
    }
    return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                         "unknown distance option \"%.80s\"", key);
}
