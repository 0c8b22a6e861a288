/* How route legs look, by mode, and the overrides a map may give.
 *
 * The defaults differ in hue, lightness and dash at once, so that no mode
 * depends on colour alone (colour-blind readers, greyscale prints), and
 * are dark enough to read over both the pale land and the pale sea:
 *   sea    dashed blue (Okabe-Ito blue)
 *   rail   solid dark brown with cross ties
 *   road   solid dark grey
 *   air    dotted reddish purple (Okabe-Ito)
 *   river  solid teal, greener and lighter than the sea's blue
 *   other  dash-dot grey
 * Overrides apply in order: first those by mode (route NULL; mode -1 for
 * every mode), then those naming the leg's route, so that a route's
 * override wins whatever the order they were given in. */
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "map/layout_internal.h"

/* A default: colour, width and dashes in points. */
typedef struct mode_look {
    unsigned rgb;
    double width_pt;
    double dash_pt[EVM_DASH_MAX];
    size_t n_dash;
    evm_cap cap;
} mode_look_t;

static const mode_look_t LOOKS[EVM_ROUTE_MODE_COUNT] = {
    [EVM_ROUTE_SEA] = {0x0072B2, 1.8, {6, 3}, 2, EVM_CAP_BUTT},
    [EVM_ROUTE_RAIL] = {0x5C3A1E, 1.4, {0}, 0, EVM_CAP_BUTT},
    [EVM_ROUTE_ROAD] = {0x3D3D3D, 1.6, {0}, 0, EVM_CAP_ROUND},
    /* Dashes shorter than the width with round caps: dots. */
    [EVM_ROUTE_AIR] = {0xB8569A, 1.8, {0.3, 3.6}, 2, EVM_CAP_ROUND},
    [EVM_ROUTE_RIVER] = {0x1A9E8F, 1.6, {0}, 0, EVM_CAP_ROUND},
    [EVM_ROUTE_OTHER] = {0x5F5F5F, 1.4, {5, 2, 1, 2}, 4, EVM_CAP_BUTT},
};

/* Cross ties across a rail line: as long as this many line widths, as
 * thick as TIE_THICK widths, TIE_GAP_PT apart. */
static const double TIE_SPAN = 3.4, TIE_THICK = 0.75, TIE_GAP_PT = 4.5;

static void set_ties(evm_route_style_t *s, double pt_px)
{
    double w = s->line.stroke_px;
    s->ties = s->line;
    s->ties.stroke_px = TIE_SPAN * w;
    s->ties.dash_px[0] = TIE_THICK * w;
    s->ties.dash_px[1] = TIE_GAP_PT * pt_px;
    s->ties.n_dash = 2;
    /* Butt caps: each dash of the wide stroke is a short bar across the
     * line, in every backend. */
    s->ties.cap = EVM_CAP_BUTT;
}

static evm_route_style_t default_style(int mode, double pt_px)
{
    const mode_look_t *m =
        &LOOKS[mode >= 0 && mode < EVM_ROUTE_MODE_COUNT ? mode
                                                        : EVM_ROUTE_OTHER];
    evm_route_style_t s = {0};
    s.line.stroke = evm_rgb_hex(m->rgb);
    s.line.stroke_px = m->width_pt * pt_px;
    for (size_t i = 0; i < m->n_dash; i++)
        s.line.dash_px[i] = m->dash_pt[i] * pt_px;
    s.line.n_dash = m->n_dash;
    s.line.cap = m->cap;
    /* Legs of a route meet at a shared point: round joins keep the turn
     * there (and at every waypoint) free of spikes and notches. */
    s.line.join = EVM_JOIN_ROUND;
    s.has_ties = mode == EVM_ROUTE_RAIL;
    return s;
}

static void apply(evm_route_style_t *s, const evm_map_route_style_t *o,
                  double pt_px)
{
    if (o->has_color)
        s->line.stroke = o->color;
    if (o->width_pt > 0)
        s->line.stroke_px = o->width_pt * pt_px;
    if (o->has_dash) {
        for (size_t i = 0; i < o->n_dash; i++)
            s->line.dash_px[i] = o->dash_pt[i] * pt_px;
        s->line.n_dash = o->n_dash;
    }
}

static bool unit_interval(double v)
{
    return v >= 0 && v <= 1;
}

static evm_status bad_style(evm_layout_t *L, size_t k, const char *why)
{
    return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                         "route style %zu: %s", k + 1, why);
}

evm_status evm_route_styles_check(evm_layout_t *L)
{
    const evm_map_options_t *o = L->opt;
    if (o->n_route_styles && !o->route_styles)
        return bad_style(L, 0, "the list of route styles is missing");
    for (size_t k = 0; k < o->n_route_styles; k++) {
        const evm_map_route_style_t *r = &o->route_styles[k];
        if (!r->route && !(r->mode >= -1 && r->mode < EVM_ROUTE_MODE_COUNT))
            return bad_style(L, k,
                             "the mode is not one of sea, rail, road, air, "
                             "river, other or every mode (-1)");
        if (!(r->width_pt >= 0 && r->width_pt <= 100))
            return bad_style(L, k, "the width is not in [0, 100] points");
        if (r->has_color &&
            !(unit_interval(r->color.r) && unit_interval(r->color.g) &&
              unit_interval(r->color.b) && unit_interval(r->color.a)))
            return bad_style(L, k, "a colour component is not in [0, 1]");
        if (!r->has_dash)
            continue;
        if (r->n_dash > EVM_DASH_MAX)
            return bad_style(L, k, "more dash lengths than the four allowed");
        double sum = 0;
        for (size_t i = 0; i < r->n_dash; i++) {
            if (!(r->dash_pt[i] >= 0 && r->dash_pt[i] <= 1000))
                return bad_style(L, k,
                                 "a dash length is not in [0, 1000] points");
            sum += r->dash_pt[i];
        }
        if (r->n_dash && !(sum > 0))
            return bad_style(L, k, "the dash lengths are all zero");
    }
    return EVM_OK;
}

evm_route_style_t evm_route_mode_style(const evm_layout_t *L, int mode)
{
    evm_route_style_t s = default_style(mode, L->pt_px);
    const evm_map_options_t *o = L->opt;
    for (size_t k = 0; k < o->n_route_styles; k++) {
        const evm_map_route_style_t *r = &o->route_styles[k];
        if (!r->route && (r->mode == -1 || r->mode == mode))
            apply(&s, r, L->pt_px);
    }
    if (s.has_ties)
        set_ties(&s, L->pt_px);
    return s;
}

evm_route_style_t evm_route_leg_style(const evm_layout_t *L,
                                      const evm_route_leg_t *leg)
{
    evm_route_style_t s = evm_route_mode_style(L, (int)leg->mode);
    const evm_map_options_t *o = L->opt;
    const char *route = leg->route ? leg->route : "";
    for (size_t k = 0; k < o->n_route_styles; k++) {
        const evm_map_route_style_t *r = &o->route_styles[k];
        if (r->route && strcmp(r->route, route) == 0)
            apply(&s, r, L->pt_px);
    }
    if (s.has_ties)
        set_ties(&s, L->pt_px); /* to the route's width and colour */
    return s;
}
