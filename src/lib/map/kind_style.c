/* Styles of event kinds: a kind's colour and marker shape are a function
 * of its name, so that "military" looks the same on every map of a batch
 * and in every file, whatever order the kinds come in.
 *
 * The palette is Okabe-Ito's eight hues, each darkened where needed so
 * that the fill keeps a contrast of at least 3:1 (WCAG) on both the land
 * (#F3F0E8) and the water (#DCE9F2) fill; yellow, which cannot be, is
 * replaced by a purple. Markers carry a dark outline. Six shapes times
 * eight colours give 48 styles.
 *
 * A kind's preferred style is the FNV-1a hash of its name (ASCII case
 * folded) modulo 48: a function of the name alone, the same in every file
 * and on every map of a batch. A kind keeps its preferred style unless a
 * kind of the same map with a smaller hash (ties: the name) already holds
 * a style that conflicts with it; only then does it move on to the next
 * style, in the order of the 48, that conflicts with none given so far.
 * So a kind's look changes neither with the order of the rows nor with
 * the other kinds of a file, except where two kinds would otherwise be
 * told apart by nobody; what a map could not resolve (more kinds than
 * styles) is counted and warned about. Two styles conflict when they
 * have the same shape and their colours, as a deuteranope sees them
 * (Machado, Oliveira and Fernandes 2009, severity
 * 1), are less than CIE76 Delta E 12 apart.
 *
 * A kind the user styles (--kind-style) keeps what the user gave over its
 * own preferred style, and the other kinds keep clear of it. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/error.h"
#include "map/layout_internal.h"

static const unsigned PALETTE[] = {
    0xC44E00, /* vermillion, darkened */
    0x0072B2, /* blue */
    0x00876A, /* bluish green, darkened */
    0xB0588F, /* reddish purple, darkened */
    0x9E6A00, /* orange, darkened */
    0x2E86C1, /* sky blue, darkened */
    0x3F3F3F, /* black, as a dark grey so the outline reads */
    0x6A3D9A, /* purple, in place of yellow */
};
enum { N_COLORS = sizeof PALETTE / sizeof PALETTE[0] };
enum { N_STYLES = N_COLORS * EVM_SHAPE_COUNT };
/* The public shapes of --kind-style are these, in the same order. */
_Static_assert((int)EVM_MAP_SHAPE_HEXAGON == (int)EVM_SHAPE_HEXAGON &&
                   (int)EVM_MAP_SHAPE_TRIANGLE_DOWN ==
                       (int)EVM_SHAPE_TRIANGLE_DOWN,
               "evm_map_shape and evm_marker_shape differ");

/* The minimum deuteranope Delta E between two kinds of one shape. */
static const double MIN_DELTA_E = 12;

size_t evm_kind_palette(const unsigned **hex)
{
    *hex = PALETTE;
    return N_COLORS;
}

const char *evm_marker_shape_name(evm_marker_shape s)
{
    static const char *const names[EVM_SHAPE_COUNT] = {
        "circle", "square", "triangle", "diamond", "triangle-down", "hexagon"};
    return (unsigned)s < EVM_SHAPE_COUNT ? names[s] : "circle";
}

bool evm_marker_shape_parse(const char *name, evm_marker_shape *out)
{
    for (int s = 0; s < EVM_SHAPE_COUNT; s++)
        if (strcmp(name, evm_marker_shape_name((evm_marker_shape)s)) == 0) {
            *out = (evm_marker_shape)s;
            return true;
        }
    return false;
}

static double srgb_to_linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double lab_f(double t)
{
    return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

/* CIE L*a*b* (D65) of linear RGB. */
static void linear_to_lab(const double rgb[3], double lab[3])
{
    double x = 0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2];
    double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    double z = 0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2];
    double fx = lab_f(x / 0.95047), fy = lab_f(y), fz = lab_f(z / 1.08883);
    lab[0] = 116 * fy - 16;
    lab[1] = 500 * (fx - fy);
    lab[2] = 200 * (fy - fz);
}

static void deutan_lab(evm_rgba_t c, double lab[3])
{
    static const double M[3][3] = {{0.367322, 0.860646, -0.227968},
                                   {0.280085, 0.672501, 0.047413},
                                   {-0.011820, 0.042940, 0.968881}};
    double in[3] = {srgb_to_linear(c.r), srgb_to_linear(c.g),
                    srgb_to_linear(c.b)},
           out[3];
    for (int i = 0; i < 3; i++)
        out[i] = fmin(
            1, fmax(0, M[i][0] * in[0] + M[i][1] * in[1] + M[i][2] * in[2]));
    linear_to_lab(out, lab);
}

double evm_deutan_delta_e(evm_rgba_t a, evm_rgba_t b)
{
    double la[3], lb[3];
    deutan_lab(a, la);
    deutan_lab(b, lb);
    return sqrt((la[0] - lb[0]) * (la[0] - lb[0]) +
                (la[1] - lb[1]) * (la[1] - lb[1]) +
                (la[2] - lb[2]) * (la[2] - lb[2]));
}

bool evm_kind_styles_conflict(const evm_kind_style_t *a,
                              const evm_kind_style_t *b)
{
    return a->shape == b->shape &&
           evm_deutan_delta_e(a->fill, b->fill) < MIN_DELTA_E;
}

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        h = (h ^ c) * 16777619u;
    }
    return h;
}

static evm_kind_style_t style_at(size_t k)
{
    evm_kind_style_t s;
    s.fill = evm_rgb_hex(PALETTE[(k / EVM_SHAPE_COUNT) % N_COLORS]);
    s.shape = (evm_marker_shape)(k % EVM_SHAPE_COUNT);
    s.size_pt = 0;
    s.user_fill = s.user_shape = false;
    return s;
}

typedef struct by_hash {
    uint32_t hash;
    const char *name;
    size_t index;
} by_hash_t;

static int cmp_hash(const void *a, const void *b)
{
    const by_hash_t *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

/* Applies the user's entries for kind to s (later entries win); true
 * when there was one. */
static bool user_style(const char *kind, const evm_map_kind_style_t *user,
                       size_t n_user, evm_kind_style_t *s)
{
    bool any = false;
    for (size_t u = 0; u < n_user; u++) {
        if (!user[u].kind || g_ascii_strcasecmp(user[u].kind, kind) != 0)
            continue;
        any = true;
        if (user[u].has_color) {
            s->fill = user[u].color;
            s->user_fill = true;
        }
        if (user[u].has_shape && (unsigned)user[u].shape < EVM_SHAPE_COUNT) {
            s->shape = (evm_marker_shape)user[u].shape;
            s->user_shape = true;
        }
        if (user[u].size_pt > 0)
            s->size_pt = user[u].size_pt / 2; /* a width; kept as radius */
    }
    return any;
}

size_t evm_kind_styles_assign(const char *const *kinds, size_t n,
                              const evm_map_kind_style_t *user, size_t n_user,
                              evm_kind_style_t *out)
{
    by_hash_t *order = evm_alloc_array(n ? n : 1, sizeof *order);
    bool *pinned = calloc(n ? n : 1, sizeof *pinned);
    size_t collisions = 0;
    if (!order || !pinned) {
        /* Without room to sort: the preferred styles, unresolved. */
        for (size_t i = 0; i < n; i++) {
            out[i] = style_at(name_hash(kinds[i]) % N_STYLES);
            user_style(kinds[i], user, n_user, &out[i]);
        }
        free(order);
        free(pinned);
        return 0;
    }
    /* Kinds the user styled come first, from their preferred style with
     * the user's properties over it; the others then keep clear of
     * them as of each other. */
    for (size_t i = 0; i < n; i++) {
        out[i] = style_at(name_hash(kinds[i]) % N_STYLES);
        pinned[i] = user_style(kinds[i], user, n_user, &out[i]);
    }
    size_t n_order = 0;
    for (size_t i = 0; i < n; i++)
        if (pinned[i])
            order[n_order++] = (by_hash_t){0, kinds[i], i};
    size_t first_free = n_order;
    for (size_t i = 0; i < n; i++)
        if (!pinned[i])
            order[n_order++] = (by_hash_t){name_hash(kinds[i]), kinds[i], i};
    qsort(order + first_free, n - first_free, sizeof *order, cmp_hash);
    for (size_t j = first_free; j < n; j++) {
        size_t pref = order[j].hash % N_STYLES, best = pref;
        size_t best_conflicts = SIZE_MAX;
        /* The first style, from the preferred one on, that conflicts
         * with no style given so far; when every style does, the one of
         * fewest conflicts. Colours or shapes merely in use elsewhere do
         * not move a kind: that would make its look depend on the file. */
        for (size_t step = 0; step < N_STYLES && best_conflicts > 0; step++) {
            size_t k = (pref + step) % N_STYLES;
            evm_kind_style_t st = style_at(k);
            size_t conflicts = 0;
            for (size_t q = 0; q < j; q++)
                conflicts +=
                    evm_kind_styles_conflict(&st, &out[order[q].index]);
            if (conflicts < best_conflicts) {
                best_conflicts = conflicts;
                best = k;
            }
        }
        out[order[j].index] = style_at(best);
        collisions += best_conflicts > 0;
    }
    free(order);
    free(pinned);
    return collisions;
}
