/* Map options from text: one key and one value as a person writes them on
 * a command line or in a jobs-file cell, checked and stored in an
 * evm_map_options_t. `evmap render` and `evmap batch` both go through
 * here, so an option means the same thing and fails with the same words
 * wherever it is given. Numbers are read independently of the C locale
 * (a batch may run under any LC_NUMERIC). */
#include <evmap/map.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* "scale_bar" and "scale-bar" name the same option; ASCII case is
 * ignored too, as a spreadsheet may capitalise a header. */
static bool key_is(const char *key, const char *name)
{
    for (; *key && *name; key++, name++) {
        char a = *key, b = *name;
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a == '_')
            a = '-';
        if (a != b)
            return false;
    }
    return *key == *name;
}

/* A decimal number with nothing after it; strtod's locale only matters
 * for the decimal point, and evmap's values never use ','. */
static bool number(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    if (!*s)
        return false;
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789+-.eE ", *p))
            return false; /* refuses nan, inf, hex */
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (end == s || *end || errno || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool parse_size(const char *s, double *w, double *h)
{
    const char *x = strpbrk(s, "xX");
    if (!x)
        return false;
    char buf[64];
    size_t n = (size_t)(x - s);
    if (n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    double lw, lh;
    if (!number(buf, &lw) || !number(x + 1, &lh) || lw != floor(lw) ||
        lh != floor(lh))
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
        if (!number(buf, &e[i]))
            return EVM_ERR_INVALID_ARG;
        p = comma + (i < 3);
    }
    if (!(e[1] < e[3] && e[1] >= -90 && e[3] <= 90 && e[0] >= -180 &&
          e[0] <= 180 && e[2] >= -180 && e[2] <= 180 && e[0] != e[2]))
        return EVM_ERR_INVALID_ARG;
    memcpy(extent, e, sizeof e);
    return EVM_OK;
}

/* yes/no for the map elements; an empty value of a "no-..." key is the
 * command-line flag itself. */
static bool boolean(const char *s, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (key_is(s, yes[i])) {
            *out = true;
            return true;
        }
        if (key_is(s, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

static const char *const map_keys[] = {
    "size",      "dpi",          "title",     "subtitle",
    "source",    "proj",         "extent",    "basemap",
    "units",     "font",         "graticule", "legend",
    "scale-bar", "no-graticule", "no-legend", "no-scale-bar",
};

bool evm_map_options_has_key(const char *key)
{
    for (size_t i = 0; key && i < sizeof map_keys / sizeof map_keys[0]; i++)
        if (key_is(key, map_keys[i]))
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
    if (key_is(key, "size")) {
        if (!parse_size(value, &opt->width_px, &opt->height_px))
            return bad(err, key, value, "expected WxH, 64..20000 pixels");
    } else if (key_is(key, "dpi")) {
        double d;
        if (!number(value, &d) || !(d >= 10 && d <= 2400))
            return bad(err, key, value, "expected a number in 10..2400");
        opt->dpi = d;
    } else if (key_is(key, "title")) {
        opt->title = value;
    } else if (key_is(key, "subtitle")) {
        opt->subtitle = value;
    } else if (key_is(key, "source")) {
        opt->source = value;
    } else if (key_is(key, "proj")) {
        opt->proj = value[0] ? value : NULL;
    } else if (key_is(key, "extent")) {
        if (evm_map_parse_extent(value, opt->extent))
            return bad(err, key, value,
                       "expected W,S,E,N in degrees with S < N, e.g. "
                       "120,30,135,45");
        opt->has_extent = true;
    } else if (key_is(key, "basemap")) {
        evm_basemap_res res;
        if (evm_basemap_res_parse(value, &res))
            return bad(err, key, value, "expected auto, 110m, 50m or 10m");
        opt->basemap = res;
    } else if (key_is(key, "units")) {
        evm_units units;
        if (evm_units_parse(value, &units))
            return bad(err, key, value, "expected km, mi, nmi or m");
        opt->units = units;
    } else if (key_is(key, "font")) {
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
        if (key_is(name, "graticule"))
            field = &opt->graticule;
        else if (key_is(name, "legend"))
            field = &opt->legend;
        else if (key_is(name, "scale-bar"))
            field = &opt->scale_bar;
        if (!field)
            return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                                 "unknown map option \"%.80s\"", key);
        if (negate && !value[0])
            on = true;
        else if (!boolean(value, &on))
            return bad(err, key, value, "expected yes or no");
        *field = negate ? !on : on;
    }
    return EVM_OK;
}
