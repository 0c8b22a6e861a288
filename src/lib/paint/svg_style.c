/* Style classes of the native SVG: each distinct paint (fill, stroke,
 * dashes; or font and colour for text) becomes one CSS rule in the
 * document's style sheet and one class on the elements using it, so that
 * a map is restyled by editing or appending CSS. The values mirror what
 * the cairo painter does with the same style (painter.c): alpha 0 or a
 * non-finite colour paints nothing, a bad dash pattern is drawn solid,
 * halos are round-joined strokes under the glyphs. */
#include "paint/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/num.h"

void evm_svg_styles_init(evm_svg_styles_t *s)
{
    s->index = g_hash_table_new(g_str_hash, g_str_equal);
    s->decls = g_ptr_array_new_with_free_func(g_free);
    s->comments = g_ptr_array_new_with_free_func(g_free);
}

void evm_svg_styles_free(evm_svg_styles_t *s)
{
    if (s->index)
        g_hash_table_destroy(s->index);
    if (s->decls)
        g_ptr_array_free(s->decls, TRUE);
    if (s->comments)
        g_ptr_array_free(s->comments, TRUE);
    memset(s, 0, sizeof *s);
}

unsigned evm_svg_styles_intern(evm_svg_styles_t *s, const char *decl,
                               const char *comment)
{
    gpointer v = g_hash_table_lookup(s->index, decl);
    if (v)
        return (unsigned)GPOINTER_TO_UINT(v) - 1;
    unsigned k = s->decls->len;
    char *copy = g_strdup(decl);
    g_ptr_array_add(s->decls, copy);
    g_ptr_array_add(s->comments, g_strdup(comment));
    g_hash_table_insert(s->index, copy, GUINT_TO_POINTER(k + 1));
    return k;
}

/* v with `digits` significant digits, '.' as the point whatever the
 * locale (CSS has no other). */
static void put_sig(evm_buf_t *out, double v, int digits)
{
    char n[EVM_NUM_MAX];
    evm_buf_put(out, n, evm_num_significant(n, v, digits));
}

/* "fill:#rrggbb" and an opacity below 1. */
static void paint_decl(evm_buf_t *out, const char *prop, const evm_rgba_t *c)
{
    char hex[8];
    evm_svg_color(hex, c);
    evm_buf_printf(out, "%s:%s;", prop, hex);
    if (c->a < 1) {
        evm_buf_printf(out, "%s-opacity:", prop);
        put_sig(out, c->a, 3);
        evm_buf_putc(out, ';');
    }
}

void evm_svg_shape_decl(evm_buf_t *out, const evm_style_t *st,
                        double max_stroke_px)
{
    if (evm_paint_color_shows(&st->fill))
        paint_decl(out, "fill", &st->fill);
    else
        evm_buf_puts(out, "fill:none;");
    if (!evm_paint_stroke_shows(st)) {
        evm_buf_puts(out, "stroke:none;");
        return;
    }
    paint_decl(out, "stroke", &st->stroke);
    evm_buf_puts(out, "stroke-width:");
    put_sig(out, fmin(st->stroke_px, max_stroke_px), 4);
    evm_buf_putc(out, ';');
    if (st->cap == EVM_CAP_ROUND)
        evm_buf_puts(out, "stroke-linecap:round;");
    else if (st->cap == EVM_CAP_SQUARE)
        evm_buf_puts(out, "stroke-linecap:square;");
    if (st->join == EVM_JOIN_ROUND)
        evm_buf_puts(out, "stroke-linejoin:round;");
    else if (st->join == EVM_JOIN_BEVEL)
        evm_buf_puts(out, "stroke-linejoin:bevel;");
    size_t n = evm_paint_dash_count(st);
    if (n > 0) {
        evm_buf_puts(out, "stroke-dasharray:");
        for (size_t i = 0; i < n; i++) {
            if (i)
                evm_buf_putc(out, ',');
            put_sig(out, st->dash_px[i], 4);
        }
        evm_buf_putc(out, ';');
    }
}

static bool generic_family(const char *name, size_t len)
{
    static const char *const generic[] = {"serif",   "sans-serif", "monospace",
                                          "cursive", "fantasy",    "system-ui"};
    for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++)
        if (strlen(generic[i]) == len &&
            g_ascii_strncasecmp(name, generic[i], len) == 0)
            return true;
    return false;
}

/* A fontconfig family list ("Noto Sans,DejaVu Sans,sans-serif") as a CSS
 * one: names quoted, a generic family last when the list has none. Quotes
 * and backslashes in a name are CSS-escaped and control characters
 * dropped, so a family name cannot end the string or the rule. */
static void family_decl(evm_buf_t *out, const char *families)
{
    evm_buf_puts(out, "font-family:");
    bool any = false, generic = false;
    const char *p = families ? families : "";
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a) {
            if (any)
                evm_buf_putc(out, ',');
            any = true;
            if (generic_family(a, (size_t)(b - a))) {
                generic = true;
                for (const char *q = a; q < b; q++)
                    evm_buf_putc(out, g_ascii_tolower(*q));
            } else {
                evm_buf_putc(out, '"');
                for (const char *q = a; q < b; q++) {
                    if ((unsigned char)*q < 0x20 || *q == 0x7f)
                        continue;
                    if (*q == '"' || *q == '\\')
                        evm_buf_putc(out, '\\');
                    evm_buf_putc(out, *q);
                }
                evm_buf_putc(out, '"');
            }
        }
        p = *end ? end + 1 : end;
    }
    if (!generic)
        evm_buf_puts(out, any ? ",sans-serif" : "sans-serif");
    evm_buf_putc(out, ';');
}

void evm_svg_text_decl(evm_buf_t *out, const evm_text_t *t, bool halo)
{
    family_decl(out, evm_paint_font_family(t));
    evm_buf_puts(out, "font-size:");
    put_sig(out, t->size_px, 4);
    evm_buf_puts(out, "px;");
    if (t->weight != EVM_WEIGHT_NORMAL)
        evm_buf_printf(out, "font-weight:%d;", (int)t->weight);
    if (t->italic)
        evm_buf_puts(out, "font-style:italic;");
    if (evm_paint_color_shows(&t->color))
        paint_decl(out, "fill", &t->color);
    else
        evm_buf_puts(out, "fill:none;");
    if (!halo) {
        evm_buf_puts(out, "stroke:none;");
        return;
    }
    paint_decl(out, "stroke", &t->halo);
    evm_buf_puts(out, "stroke-width:");
    put_sig(out, 2 * t->halo_px, 4);
    evm_buf_puts(out, ";stroke-linejoin:round;stroke-linecap:round;"
                      "paint-order:stroke;");
}

void evm_svg_styles_css(const evm_svg_styles_t *s, evm_buf_t *css)
{
    for (unsigned k = 0; k < s->decls->len; k++) {
        const char *decl = g_ptr_array_index(s->decls, k);
        const char *what = g_ptr_array_index(s->comments, k);
        evm_buf_printf(css, ".evm-s%u{%.*s} /* %s */\n", k,
                       (int)(strlen(decl) ? strlen(decl) - 1 : 0), decl, what);
    }
}
