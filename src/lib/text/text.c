/* Pango set-up shared by layout and backends. Hinting is turned off so
 * that a label measures the same on a PNG, PDF or SVG surface: the layout
 * stage places boxes that the backends must fill exactly. */
#include "text/text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

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

static PangoFontDescription *font_description(const char *family,
                                              double size_px,
                                              evm_font_weight weight,
                                              bool italic)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_absolute_size(fd, size_px * PANGO_SCALE);
    pango_font_description_set_weight(fd, (PangoWeight)weight);
    if (italic)
        pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    return fd;
}

PangoLayout *evm_text_layout_new_styled(PangoContext *pc, const char *utf8,
                                        const char *family, double size_px,
                                        evm_font_weight weight, bool italic)
{
    PangoLayout *layout = pango_layout_new(pc);
    PangoFontDescription *fd =
        font_description(family, size_px, weight, italic);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(layout, utf8, -1);
    return layout;
}

static void free_items(GList *items)
{
    g_list_free_full(items, (GDestroyNotify)pango_item_free);
}

bool evm_text_run_shape(PangoContext *pc, const char *utf8, const char *family,
                        double size_px, evm_font_weight weight, bool italic,
                        evm_text_run_t *run)
{
    memset(run, 0, sizeof *run);
    size_t len = strlen(utf8);
    /* A layout breaks lines at these and sets tabs itself. */
    if (!len || len > INT_MAX || strpbrk(utf8, "\t\n\r\v\f") ||
        strstr(utf8, "\xc2\x85") || strstr(utf8, "\xe2\x80\xa8") ||
        strstr(utf8, "\xe2\x80\xa9"))
        return false;
    /* As a layout itemizes: its font as an attribute over the context's
     * default one, the context's base direction. */
    PangoFontDescription *fd =
        font_description(family, size_px, weight, italic);
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_font_desc_new(fd));
    pango_font_description_free(fd);
    GList *items = pango_itemize(pc, utf8, 0, (int)len, attrs, NULL);
    pango_attr_list_unref(attrs);
    PangoItem *item = items && !items->next ? items->data : NULL;
    if (!item || item->offset != 0 || item->length != (int)len ||
        (item->analysis.level & 1) || !item->analysis.font) {
        free_items(items);
        return false;
    }
    PangoGlyphString *glyphs = pango_glyph_string_new();
    pango_shape_item(item, utf8, (int)len, NULL, glyphs, PANGO_SHAPE_NONE);
    /* Marks moved off the baseline would be placed a rounding apart. */
    for (int i = 0; i < glyphs->num_glyphs; i++)
        if (glyphs->glyphs[i].geometry.y_offset != 0) {
            pango_glyph_string_free(glyphs);
            free_items(items);
            return false;
        }
    g_list_free(items);
    run->item = item;
    run->glyphs = glyphs;
    /* A layout's line is the union of an empty rectangle at the origin
     * and its runs' rectangles. */
    PangoRectangle r;
    pango_glyph_string_extents(glyphs, item->analysis.font, NULL, &r);
    if (r.x < 0) { /* a layout would draw it from there */
        evm_text_run_free(run);
        return false;
    }
    int y0 = r.y < 0 ? r.y : 0, y1 = r.y + r.height > 0 ? r.y + r.height : 0;
    int x1 = r.x + r.width > 0 ? r.x + r.width : 0;
    run->logical = (PangoRectangle){0, y0, x1, y1 - y0};
    return true;
}

void evm_text_run_free(evm_text_run_t *run)
{
    if (run->glyphs)
        pango_glyph_string_free(run->glyphs);
    if (run->item)
        pango_item_free(run->item);
    memset(run, 0, sizeof *run);
}

void evm_text_run_extent(const evm_text_run_t *run, double *w, double *h)
{
    *w = (double)run->logical.width / PANGO_SCALE;
    *h = (double)run->logical.height / PANGO_SCALE;
}

bool evm_text_run_all_glyphs(const evm_text_run_t *run)
{
    for (int i = 0; i < run->glyphs->num_glyphs; i++)
        if (run->glyphs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
            return false;
    return true;
}

/* Pango draws a layout's line at its baseline from the current point,
 * adding the baseline (Pango units) to each glyph's position; a glyph
 * string is drawn from the current point itself, adding each glyph's
 * y offset. Lowering every glyph by the baseline gives the very same
 * coordinates (moving the current point instead would round it to
 * cairo's 1/256 px). */
static void draw_run(cairo_t *cr, evm_text_run_t *run, bool path)
{
    PangoGlyphString *g = run->glyphs;
    int baseline = -run->logical.y;
    for (int i = 0; i < g->num_glyphs; i++)
        g->glyphs[i].geometry.y_offset += baseline;
    if (path)
        pango_cairo_glyph_string_path(cr, run->item->analysis.font, g);
    else
        pango_cairo_show_glyph_string(cr, run->item->analysis.font, g);
    for (int i = 0; i < g->num_glyphs; i++)
        g->glyphs[i].geometry.y_offset -= baseline;
}

void evm_text_run_path(cairo_t *cr, evm_text_run_t *run)
{
    draw_run(cr, run, true);
}

void evm_text_run_show(cairo_t *cr, evm_text_run_t *run)
{
    draw_run(cr, run, false);
}

bool evm_text_run_glyphs(const evm_text_run_t *run, evm_text_glyphs_t *out)
{
    *out = (evm_text_glyphs_t){0};
    const PangoGlyphString *g = run->glyphs;
    cairo_scaled_font_t *font = pango_cairo_font_get_scaled_font(
        (PangoCairoFont *)run->item->analysis.font);
    if (!font || cairo_scaled_font_status(font) != CAIRO_STATUS_SUCCESS)
        return false;
    if (!evm_text_run_all_glyphs(run))
        return false;
    out->offsets =
        malloc(sizeof *out->offsets * 2 * (size_t)(g->num_glyphs + 1));
    if (!out->offsets)
        return false;
    out->placed = out->offsets + g->num_glyphs + 1;
    /* As Pango's cairo renderer places a glyph string drawn by draw_run:
     * empty glyphs skipped, x from the sum of the advances, y from the
     * glyph's offset lowered by the baseline, 0 added as nothing. */
    int baseline = -run->logical.y, x = 0;
    for (int i = 0; i < g->num_glyphs; i++) {
        const PangoGlyphInfo *gi = &g->glyphs[i];
        int dy = gi->geometry.y_offset + baseline;
        if (gi->glyph != PANGO_GLYPH_EMPTY)
            out->offsets[out->n++] = (cairo_glyph_t){
                .index = gi->glyph,
                .x = (double)(x + gi->geometry.x_offset) / PANGO_SCALE,
                .y = dy == 0 ? 0 : (double)dy / PANGO_SCALE};
        x += gi->geometry.width;
    }
    out->font = cairo_scaled_font_reference(font);
    return true;
}

void evm_text_glyphs_free(evm_text_glyphs_t *g)
{
    cairo_scaled_font_destroy(g->font);
    free(g->offsets);
    *g = (evm_text_glyphs_t){0};
}

/* What pango_cairo_glyph_string_path and pango_cairo_show_glyph_string
 * do (Pango 1.50): the glyphs from the current point, in the run's font
 * set within a save and restore, and the current point kept. */
static void draw_glyphs(cairo_t *cr, evm_text_glyphs_t *g, bool path)
{
    bool had_point = cairo_has_current_point(cr);
    double x0, y0;
    cairo_get_current_point(cr, &x0, &y0);
    for (int i = 0; i < g->n; i++) {
        const cairo_glyph_t *o = &g->offsets[i];
        g->placed[i] = (cairo_glyph_t){
            .index = o->index, .x = x0 + o->x, .y = o->y == 0 ? y0 : y0 + o->y};
    }
    cairo_save(cr);
    cairo_set_scaled_font(cr, g->font);
    if (path)
        cairo_glyph_path(cr, g->placed, g->n);
    else
        cairo_show_glyphs(cr, g->placed, g->n);
    cairo_restore(cr);
    if (had_point)
        cairo_move_to(cr, x0, y0);
    else
        cairo_new_sub_path(cr);
}

void evm_text_glyphs_path(cairo_t *cr, evm_text_glyphs_t *g)
{
    draw_glyphs(cr, g, true);
}

void evm_text_glyphs_show(cairo_t *cr, evm_text_glyphs_t *g)
{
    draw_glyphs(cr, g, false);
}

void evm_text_extent(PangoLayout *layout, double *w, double *h)
{
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
}

void evm_text_measure(PangoContext *pc, const char *utf8, const char *family,
                      double size_px, evm_font_weight weight, bool italic,
                      double *w, double *h, bool *all_glyphs, bool *rtl)
{
    double ww, hh;
    evm_text_run_t run;
    if (evm_text_run_shape(pc, utf8, family, size_px, weight, italic, &run)) {
        evm_text_run_extent(&run, &ww, &hh);
        if (all_glyphs)
            *all_glyphs = evm_text_run_all_glyphs(&run);
        if (rtl)
            *rtl = false;
        evm_text_run_free(&run);
    } else {
        PangoLayout *pl = evm_text_layout_new_styled(pc, utf8, family, size_px,
                                                     weight, italic);
        evm_text_extent(pl, &ww, &hh);
        if (all_glyphs)
            *all_glyphs = evm_text_all_glyphs(pl);
        /* The direction of the first strong character's run. */
        if (rtl)
            *rtl = pango_layout_get_direction(pl, 0) == PANGO_DIRECTION_RTL;
        g_object_unref(pl);
    }
    if (w)
        *w = ww;
    if (h)
        *h = hh;
}

bool evm_text_all_glyphs(PangoLayout *layout)
{
    return pango_layout_get_unknown_glyphs_count(layout) == 0;
}
