/* Pango set-up shared by layout and backends. Hinting is turned off so
 * that a label measures the same on a PNG, PDF or SVG surface: the layout
 * stage places boxes that the backends must fill exactly. */
#include "text/text.h"

static cairo_font_options_t *evm_font_options(void)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    return fo;
}

PangoContext *evm_text_context_new(void)
{
    /* The default font map is per thread (Pango >= 1.32.6). */
    return evm_text_context_on(pango_cairo_font_map_get_default());
}

PangoContext *evm_text_context_on(PangoFontMap *fm)
{
    PangoContext *pc = pango_font_map_create_context(fm);
    cairo_font_options_t *fo = evm_font_options();
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(pc, 72.0);
    pango_context_set_round_glyph_positions(pc, FALSE);
    return pc;
}

void evm_text_prepare_cairo(cairo_t *cr)
{
    cairo_font_options_t *fo = evm_font_options();
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

PangoLayout *evm_text_layout_new(PangoContext *pc, const char *utf8,
                                 const char *family, double size_px,
                                 evm_font_weight weight)
{
    return evm_text_layout_new_styled(pc, utf8, family, size_px, weight, false);
}

PangoLayout *evm_text_layout_new_styled(PangoContext *pc, const char *utf8,
                                        const char *family, double size_px,
                                        evm_font_weight weight, bool italic)
{
    PangoLayout *layout = pango_layout_new(pc);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_absolute_size(fd, size_px * PANGO_SCALE);
    pango_font_description_set_weight(fd, (PangoWeight)weight);
    if (italic)
        pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(layout, utf8, -1);
    return layout;
}

void evm_text_extent(PangoLayout *layout, double *w, double *h)
{
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
}

bool evm_text_all_glyphs(PangoLayout *layout)
{
    return pango_layout_get_unknown_glyphs_count(layout) == 0;
}
