/* Route style overrides from text, as `--route-style` and the lines of a
 * `--route-styles` file give them:
 *
 *   SELECTOR: PROPERTY=VALUE, PROPERTY=VALUE ...
 *
 * SELECTOR is a mode (sea, rail, road, air, river, other), "all", or
 * "route=NAME"; the properties are color (#rgb, #rrggbb, #rrggbbaa),
 * width (points) and dash (lengths in points separated by spaces, or
 * "none" for solid). The split is at the last ':' since a route name may
 * hold one and no property value does.
 *
 * Kind styles, as `--kind-style` and the lines of a `--kind-styles` file
 * give them: "KIND: color=#d00 shape=triangle size=8", the properties
 * separated by spaces or commas. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/file_open.h"
#include "core/num.h"
#include "map/route_style_parse.h"

static const char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        s[--n] = '\0';
    return s;
}

static bool ascii_prefix_fold(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (c != *prefix)
            return false;
    }
    return true;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* #rgb, #rrggbb or #rrggbbaa. */
static bool parse_color(const char *s, evm_rgba_t *out)
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 4 && n != 7 && n != 9))
        return false;
    int v[8];
    for (size_t i = 1; i < n; i++)
        if ((v[i - 1] = hex_digit(s[i])) < 0)
            return false;
    double c[4] = {0, 0, 0, 1};
    for (int k = 0; k < (n == 4 ? 3 : (int)(n - 1) / 2); k++)
        c[k] =
            n == 4 ? v[k] * 17 / 255.0 : (v[2 * k] * 16 + v[2 * k + 1]) / 255.0;
    *out = (evm_rgba_t){c[0], c[1], c[2], c[3]};
    return true;
}

/* A plain decimal number in [lo, hi]; no locale, no nan/inf/hex. */
static bool parse_number(const char *s, double lo, double hi, double *out)
{
    if (!*s || strspn(s, "0123456789.") != strlen(s))
        return false;
    char *end;
    errno = 0;
    double v = evm_num_strtod(s, &end);
    if (*end || errno || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

static bool parse_dash(char *s, evm_map_route_style_t *st)
{
    if (ascii_prefix_fold(s, "none") && !s[4]) {
        st->n_dash = 0;
        return true;
    }
    size_t n = 0;
    double d[EVM_DASH_MAX];
    for (char *tok = strtok(s, " \t"); tok; tok = strtok(NULL, " \t")) {
        if (n == EVM_DASH_MAX || !parse_number(tok, 0, 1000, &d[n]))
            return false;
        n++;
    }
    /* An odd list repeats, as in SVG and PDF; an all-zero one is no
     * line at all. */
    if (n == 1 || n == 3) {
        if (2 * n > EVM_DASH_MAX)
            return false;
        for (size_t i = 0; i < n; i++)
            d[n + i] = d[i];
        n *= 2;
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += d[i];
    if (n == 0 || !(sum > 0))
        return false;
    memcpy(st->dash_pt, d, n * sizeof *d);
    st->n_dash = n;
    return true;
}

static evm_status parse_property(char *prop, evm_map_route_style_t *st,
                                 const char *file, unsigned long line,
                                 evm_error_t *err)
{
    char *eq = strchr(prop, '=');
    if (!eq)
        return evm_error_set(
            err, EVM_ERR_INVALID_ARG, file, line, 0,
            "route style: \"%.80s\" is not PROPERTY=VALUE (color, "
            "width or dash)",
            prop);
    *eq = '\0';
    const char *name = trim(prop);
    char *value = (char *)trim(eq + 1);
    if (ascii_prefix_fold(name, "color") && !name[5]) {
        if (!parse_color(value, &st->color))
            return evm_error_set(
                err, EVM_ERR_INVALID_ARG, file, line, 0,
                "route style: color \"%.40s\" is not #rgb, #rrggbb "
                "or #rrggbbaa",
                value);
        st->has_color = true;
    } else if (ascii_prefix_fold(name, "width") && !name[5]) {
        if (!parse_number(value, 0.05, 50, &st->width_pt))
            return evm_error_set(
                err, EVM_ERR_INVALID_ARG, file, line, 0,
                "route style: width \"%.40s\" is not a number of "
                "points in 0.05..50",
                value);
    } else if (ascii_prefix_fold(name, "dash") && !name[4]) {
        char copy[256];
        snprintf(copy, sizeof copy, "%s", value);
        if (!parse_dash(copy, st))
            return evm_error_set(
                err, EVM_ERR_INVALID_ARG, file, line, 0,
                "route style: dash \"%.40s\" is not \"none\" or 1 to "
                "4 lengths in points (\"6 3\")",
                value);
        st->has_dash = true;
    } else {
        return evm_error_set(
            err, EVM_ERR_INVALID_ARG, file, line, 0,
            "route style: unknown property \"%.40s\" (color, width "
            "or dash)",
            name);
    }
    return EVM_OK;
}

evm_status evm_route_style_parse(const char *spec, const char *file,
                                 unsigned long line, evm_map_route_style_t *out,
                                 char **route, evm_error_t *err)
{
    *route = NULL;
    size_t len = strlen(spec);
    char *copy = malloc(len + 1);
    if (!copy)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    memcpy(copy, spec, len + 1);
    char *colon = strrchr(copy, ':');
    evm_status st = EVM_OK;
    evm_map_route_style_t s = {0};
    s.mode = -1;
    if (!colon) {
        st = evm_error_set(
            err, EVM_ERR_INVALID_ARG, file, line, 0,
            "route style \"%.80s\" is not SELECTOR: PROPERTY=VALUE, ... "
            "(e.g. \"sea: color=#1f78b4, width=2\")",
            spec);
        goto done;
    }
    *colon = '\0';
    const char *sel = trim(copy);
    evm_route_mode mode;
    if (ascii_prefix_fold(sel, "route=")) {
        const char *name = trim((char *)sel + 6);
        if (!(*route = evm_strdup(name))) {
            st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        s.route = *route;
    } else if (ascii_prefix_fold(sel, "all") && !sel[3]) {
        s.mode = -1;
    } else if (evm_route_mode_parse(sel, &mode) == EVM_OK) {
        s.mode = (int)mode;
    } else {
        st = evm_error_set(
            err, EVM_ERR_INVALID_ARG, file, line, 0,
            "route style: \"%.80s\" is not a mode (sea, rail, road, air, "
            "river, other), \"all\" or route=NAME",
            sel);
        goto done;
    }
    bool any = false;
    char *save = NULL;
    for (char *p = strtok_r(colon + 1, ",", &save); p && !st;
         p = strtok_r(NULL, ",", &save)) {
        char *t = (char *)trim(p);
        if (!*t)
            continue;
        st = parse_property(t, &s, file, line, err);
        any = true;
    }
    if (!st && !any)
        st = evm_error_set(
            err, EVM_ERR_INVALID_ARG, file, line, 0,
            "route style \"%.80s\" sets nothing: give color, width or "
            "dash",
            spec);
    if (!st)
        *out = s;
done:
    if (st) {
        free(*route);
        *route = NULL;
    }
    free(copy);
    return st;
}

evm_status evm_style_lines_load(const char *path, size_t max_bytes,
                                evm_style_line_fn parse, void *ctx,
                                evm_error_t *err)
{
    char *text;
    size_t len;
    evm_status st = evm_read_file_capped(path, max_bytes, EVM_READ_TEXT, NULL,
                                         &text, &len, err);
    if (st)
        return st;
    unsigned long line = 0;
    char *next = text;
    while (!st && next) {
        char *buf = next;
        char *nl = strchr(buf, '\n');
        if (nl)
            *nl = '\0';
        next = nl ? nl + 1 : NULL;
        if (!nl && !*buf)
            break; /* the end after a last line break */
        line++;
        char *t = (char *)trim(buf);
        if (line == 1 && (unsigned char)t[0] == 0xEF &&
            (unsigned char)t[1] == 0xBB && (unsigned char)t[2] == 0xBF)
            t += 3;
        if (!*t || *t == '#')
            continue;
        st = parse(ctx, t, path, line, err);
        if (st == EVM_ERR_INVALID_ARG) {
            st = EVM_ERR_PARSE;
            if (err)
                err->status = st;
        }
    }
    free(text);
    return st;
}

/* ---- kind styles ------------------------------------------------------- */

static bool parse_shape(const char *s, evm_map_shape *out)
{
    static const char *const names[] = {"circle",  "square",        "triangle",
                                        "diamond", "triangle-down", "hexagon"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (ascii_prefix_fold(s, names[i]) && !s[strlen(names[i])]) {
            *out = (evm_map_shape)i;
            return true;
        }
    return false;
}

static evm_status kind_property(char *prop, evm_map_kind_style_t *st,
                                const char *file, unsigned long line,
                                evm_error_t *err)
{
    char *eq = strchr(prop, '=');
    const char *name = eq ? (*eq = '\0', trim(prop)) : "";
    const char *value = eq ? trim(eq + 1) : prop;
    bool color = ascii_prefix_fold(name, "color") && !name[5];
    bool shape = ascii_prefix_fold(name, "shape") && !name[5];
    /* A bare value says what it is: "#d00" a colour, "square" a shape. */
    if (!eq) {
        color = value[0] == '#';
        shape = !color;
    }
    if (color) {
        if (!parse_color(value, &st->color))
            return evm_error_set(err, EVM_ERR_INVALID_ARG, file, line, 0,
                                 "kind style: color \"%.40s\" is not #rgb, "
                                 "#rrggbb or #rrggbbaa",
                                 value);
        st->has_color = true;
    } else if (shape) {
        if (!parse_shape(value, &st->shape))
            return evm_error_set(err, EVM_ERR_INVALID_ARG, file, line, 0,
                                 "kind style: \"%.40s\" is not a shape "
                                 "(circle, square, triangle, diamond, "
                                 "triangle-down, hexagon)",
                                 value);
        st->has_shape = true;
    } else if (ascii_prefix_fold(name, "size") && !name[4]) {
        if (!parse_number(value, 2, 40, &st->size_pt))
            return evm_error_set(err, EVM_ERR_INVALID_ARG, file, line, 0,
                                 "kind style: size \"%.40s\" is not a "
                                 "marker width in points, 2..40",
                                 value);
    } else {
        return evm_error_set(err, EVM_ERR_INVALID_ARG, file, line, 0,
                             "kind style: unknown property \"%.40s\" "
                             "(color, shape or size)",
                             name);
    }
    return EVM_OK;
}

evm_status evm_kind_style_parse(const char *spec, const char *file,
                                unsigned long line, evm_map_kind_style_t *out,
                                char **kind, evm_error_t *err)
{
    *kind = NULL;
    char *copy = evm_strdup(spec);
    if (!copy)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    /* The last ':': a kind may hold one, no property does. */
    char *colon = strrchr(copy, ':');
    evm_status st = EVM_OK;
    evm_map_kind_style_t s = {0};
    if (!colon) {
        st = evm_error_set(err, EVM_ERR_INVALID_ARG, file, line, 0,
                           "kind style \"%.80s\" is not KIND: PROPERTY=VALUE "
                           "... (e.g. \"drone strike: color=#d00 "
                           "shape=triangle size=8\")",
                           spec);
        goto done;
    }
    *colon = '\0';
    if (!(*kind = evm_strdup(trim(copy)))) {
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    s.kind = *kind;
    bool any = false;
    char *save = NULL;
    for (char *p = strtok_r(colon + 1, ", \t", &save); p && !st;
         p = strtok_r(NULL, ", \t", &save)) {
        st = kind_property(p, &s, file, line, err);
        any = true;
    }
    if (!st && !any)
        st = evm_error_set(err, EVM_ERR_INVALID_ARG, file, line, 0,
                           "kind style \"%.80s\" sets nothing: give color, "
                           "shape or size",
                           spec);
    if (!st)
        *out = s;
done:
    if (st) {
        free(*kind);
        *kind = NULL;
    }
    free(copy);
    return st;
}

/* "fill=#rgb, stroke=#rgb (or color=), width=PT, dash=..." of a user
 * base layer: the colour, number and dash rules of a route style;
 * "none" for a colour draws nothing of it. */
evm_status evm_layer_style_parse(const char *spec, const char *what,
                                 evm_map_layer_style_t *out, evm_error_t *err)
{
    char *copy = evm_strdup(spec);
    if (!copy)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    evm_status st = EVM_OK;
    char *save = NULL;
    for (char *p = strtok_r(copy, ",", &save); p && !st;
         p = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(p, '=');
        const char *name = eq ? (*eq = '\0', trim(p)) : trim(p);
        char *value = eq ? (char *)trim(eq + 1) : NULL;
        bool fill = ascii_prefix_fold(name, "fill") && !name[4];
        bool stroke = (ascii_prefix_fold(name, "stroke") && !name[6]) ||
                      (ascii_prefix_fold(name, "color") && !name[5]);
        evm_rgba_t *c = fill ? &out->fill : stroke ? &out->stroke : NULL;
        if (!value) {
            if (*name)
                st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                   "layer style of %.200s: \"%.80s\" is not "
                                   "PROPERTY=VALUE (fill, stroke, color, "
                                   "width or dash)",
                                   what, name);
        } else if (c) {
            if (ascii_prefix_fold(value, "none") && !value[4])
                *c = (evm_rgba_t){0, 0, 0, 0};
            else if (!parse_color(value, c))
                st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                   "layer style of %.200s: %s \"%.40s\" is "
                                   "not #rgb, #rrggbb, #rrggbbaa or none",
                                   what, name, value);
        } else if (ascii_prefix_fold(name, "width") && !name[5]) {
            if (!parse_number(value, 0.05, 50, &out->width_pt))
                st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                   "layer style of %.200s: width \"%.40s\" "
                                   "is not a number of points in 0.05..50",
                                   what, value);
        } else if (ascii_prefix_fold(name, "dash") && !name[4]) {
            evm_map_route_style_t rs = {0};
            char d[256];
            snprintf(d, sizeof d, "%s", value);
            if (!parse_dash(d, &rs))
                st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                   "layer style of %.200s: dash \"%.40s\" is "
                                   "not \"none\" or 1 to 4 lengths in points",
                                   what, value);
            memcpy(out->dash_pt, rs.dash_pt, sizeof out->dash_pt);
            out->n_dash = rs.n_dash;
        } else {
            st = evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                               "layer style of %.200s: unknown property "
                               "\"%.40s\" (fill, stroke, color, width or "
                               "dash)",
                               what, name);
        }
    }
    free(copy);
    return st;
}
