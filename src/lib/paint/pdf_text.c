/* Text in the native PDF: a Pango layout shown glyph by glyph with the
 * fonts Pango chose, at the positions Pango gave, so that every label
 * covers exactly the box layout measured for it.
 *
 * Each run of the layout is one font; its glyph ids go into the content
 * stream as Identity-H codes. The viewer advances by the font's own
 * widths after each glyph; where Pango placed the next glyph elsewhere
 * (kerning, rounding to 1/1024 px, offsets of marks) a TJ adjustment
 * makes up the difference, and a glyph moved vertically gets its own
 * text matrix. Each glyph that starts a cluster is recorded with the
 * cluster's characters for the font's ToUnicode map.
 *
 * cairo draws a font that fontconfig asks to embolden with outlines
 * FreeType widens by a 24th of the em (FT_GlyphSlot_Embolden); here such
 * glyphs are filled and stroked that wide (text rendering mode 2). */
#include "paint/pdf.h"

#include <math.h>
#include <stdlib.h>

#include <cairo-ft.h>

/* TJ adjustments smaller than this, in thousandths of the em, are not
 * written: at a 100 pt label it is 0.005 pt. */
#define EVM_PDF_MIN_ADJUST 0.05

typedef struct shower {
    evm_pdf_content_t *c;
    evm_pdf_fonts_t *fonts;
    const evm_rgba_t *fill; /* NULL: the halo */
    double halo_px;
    int mode;          /* the text rendering mode in force (Tr) */
    bool in_tj;        /* inside "[ ... ] TJ" */
    bool in_hex;       /* inside a "<...>" string of that array */
    double x_pt, y_pt; /* where the viewer will put the next glyph */
    double size_pt;
    int font;
} shower_t;

static void close_hex(shower_t *s)
{
    if (s->in_hex)
        evm_buf_putc(&s->c->s, '>');
    s->in_hex = false;
}

static void close_tj(shower_t *s)
{
    close_hex(s);
    if (s->in_tj)
        evm_buf_puts(&s->c->s, "] TJ\n");
    s->in_tj = false;
}

static void put_glyph(shower_t *s, unsigned code)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s->in_hex)
        evm_buf_putc(&s->c->s, '<');
    s->in_hex = true;
    char h[4] = {hex[(code >> 12) & 15], hex[(code >> 8) & 15],
                 hex[(code >> 4) & 15], hex[code & 15]};
    evm_buf_put(&s->c->s, h, 4);
}

/* Shows glyph gid with its origin at (x_pt, y_pt). */
static void show_glyph(shower_t *s, unsigned gid, double x_pt, double y_pt)
{
    evm_buf_t *b = &s->c->s;
    /* As written: the viewer works from the rounded numbers. */
    x_pt = round(x_pt * 100) / 100;
    y_pt = round(y_pt * 100) / 100;
    if (!s->in_tj || y_pt != s->y_pt) {
        close_tj(s);
        evm_buf_puts(b, "1 0 0 1 ");
        evm_pdf_num_sp(b, x_pt, 2);
        evm_pdf_num_sp(b, y_pt, 2);
        evm_buf_puts(b, "Tm\n[");
        s->in_tj = true;
        s->x_pt = x_pt;
        s->y_pt = y_pt;
    } else {
        double adjust = (s->x_pt - x_pt) * 1000 / s->size_pt;
        if (fabs(adjust) >= EVM_PDF_MIN_ADJUST) {
            close_hex(s);
            evm_pdf_num(b, adjust, 1);
            s->x_pt = x_pt;
        }
    }
    put_glyph(s, evm_pdf_fonts_code(s->fonts, s->font, gid));
    s->x_pt +=
        evm_pdf_fonts_advance(s->fonts, s->font, gid) * s->size_pt / 1000;
}

/* Whether cairo draws pf emboldened by FreeType. */
static bool emboldened(PangoFont *pf)
{
    if (!PANGO_IS_CAIRO_FONT(pf))
        return false;
    cairo_scaled_font_t *sf =
        pango_cairo_font_get_scaled_font((PangoCairoFont *)pf);
    cairo_font_face_t *ff = sf ? cairo_scaled_font_get_font_face(sf) : NULL;
    return ff && cairo_font_face_get_type(ff) == CAIRO_FONT_TYPE_FT &&
           (cairo_ft_font_face_get_synthesize(ff) & CAIRO_FT_SYNTHESIZE_BOLD);
}

/* Sets the text rendering mode and the stroke for the glyphs of a run:
 * a halo's stroke is the halo and the emboldening together. */
static bool set_mode(shower_t *s, double size_px, bool bold)
{
    /* Graphics state operators may not go inside a TJ array. */
    close_tj(s);
    double bold_px = bold ? size_px / 24 : 0;
    int mode = 0; /* fill */
    if (!s->fill) {
        evm_pdf_set_line(s->c, 2 * s->halo_px + bold_px, EVM_CAP_ROUND,
                         EVM_JOIN_ROUND, NULL, 0);
        mode = 1; /* stroke */
    } else if (bold) {
        if (!evm_pdf_set_paint(s->c, s->fill, s->fill))
            return false;
        evm_pdf_set_line(s->c, bold_px, EVM_CAP_BUTT, EVM_JOIN_MITER, NULL, 0);
        mode = 2; /* fill, then stroke */
    }
    if (mode != s->mode) {
        evm_buf_printf(&s->c->s, "%d Tr\n", mode);
        s->mode = mode;
    }
    return true;
}

/* A font the writer cannot embed: fonts is marked so that the document
 * goes to cairo instead. */
static evm_status unembeddable(evm_pdf_fonts_t *fonts, PangoFont *pf,
                               const char *why, evm_error_t *err)
{
    evm_pdf_fonts_set_unembeddable(fonts);
    char *name = NULL;
    if (pf) {
        PangoFontDescription *d = pango_font_describe(pf);
        name = pango_font_description_to_string(d);
        pango_font_description_free(d);
    }
    evm_status st =
        evm_error_set(err, EVM_ERR_RENDER, NULL, 0, 0,
                      "font \"%s\" %s, which the native PDF writer cannot "
                      "embed",
                      name ? name : "", why);
    g_free(name);
    return st;
}

/* The face behind a Pango font and its size in px; NULL with err set
 * when it cannot be embedded as it is drawn. */
static hb_face_t *font_face(evm_pdf_fonts_t *fonts, PangoFont *pf,
                            double *size_px, evm_error_t *err)
{
    hb_font_t *hb = pf ? pango_font_get_hb_font(pf) : NULL;
    if (!hb) {
        unembeddable(fonts, pf, "has no font file", err);
        return NULL;
    }
    /* A named instance of a variable font would be embedded with its
     * default outlines, which are not the ones shown. */
    unsigned n_coords = 0;
    const int *coords = hb_font_get_var_coords_normalized(hb, &n_coords);
    for (unsigned i = 0; i < n_coords; i++) {
        if (coords[i] != 0) {
            unembeddable(fonts, pf, "is an instance of a variable font", err);
            return NULL;
        }
    }
    PangoFontDescription *d = pango_font_describe_with_absolute_size(pf);
    *size_px = (double)pango_font_description_get_size(d) / PANGO_SCALE;
    pango_font_description_free(d);
    return hb_font_get_face(hb);
}

/* For each glyph of a run, the byte range of text it stands for: the
 * cluster's for the first glyph of each cluster, empty for the rest. */
static void cluster_text(PangoLayoutRun *run, const char *text, int *start,
                         int *end)
{
    for (int i = 0; i < run->glyphs->num_glyphs; i++)
        start[i] = end[i] = 0;
    PangoGlyphItemIter it;
    for (gboolean ok = pango_glyph_item_iter_init_start(&it, run, text); ok;
         ok = pango_glyph_item_iter_next_cluster(&it)) {
        int g = it.start_glyph;
        if (g >= 0 && g < run->glyphs->num_glyphs) {
            start[g] = it.start_index;
            end[g] = it.end_index;
        }
    }
}

static evm_status show_run(shower_t *s, PangoLayoutRun *run, const char *text,
                           double x_px, double y_px, evm_error_t *err)
{
    double size_px = 0;
    PangoFont *pf = run->item->analysis.font;
    hb_face_t *face = font_face(s->fonts, pf, &size_px, err);
    if (!face)
        return EVM_ERR_RENDER;
    int font = evm_pdf_fonts_add(s->fonts, face);
    if (font == -2)
        return unembeddable(s->fonts, pf,
                            "has neither TrueType nor CFF outlines", err);
    if (font < 0)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory adding a font");
    if (!set_mode(s, size_px, emboldened(pf)))
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory showing a label");
    /* As Tf writes it: the viewer scales advances by what it reads. A
     * run too small for that (under 0.0005 pt) shows nothing anyway. */
    double size_pt = round(size_px * s->c->k * 1000) / 1000;
    if (!(size_pt > 0))
        return EVM_OK;
    if (font != s->font || size_pt != s->size_pt) {
        close_tj(s);
        evm_buf_printf(&s->c->s, "/F%d ", font);
        evm_pdf_num(&s->c->s, size_pt, 3);
        evm_buf_puts(&s->c->s, " Tf\n");
        s->font = font;
        s->size_pt = size_pt;
    }
    PangoGlyphString *gs = run->glyphs;
    int n = gs->num_glyphs;
    int *start = evm_alloc_array(n > 0 ? (size_t)n * 2 : 1, sizeof *start);
    if (!start)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory showing a label");
    int *end = start + n;
    cluster_text(run, text, start, end);
    double pen = 0; /* Pango units from the run's start */
    for (int i = 0; i < n; i++) {
        const PangoGlyphInfo *gi = &gs->glyphs[i];
        double gx = x_px + (pen + gi->geometry.x_offset) / PANGO_SCALE;
        double gy = y_px + (double)gi->geometry.y_offset / PANGO_SCALE;
        pen += gi->geometry.width;
        /* Spaces Pango leaves empty, and the hex boxes it would draw for
         * characters no font has. */
        if (gi->glyph == PANGO_GLYPH_EMPTY ||
            (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) || gi->glyph > 0xFFFF)
            continue;
        if (!evm_pdf_fonts_use(s->fonts, font, gi->glyph, text + start[i],
                               (size_t)(end[i] - start[i]))) {
            free(start);
            return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory showing a label");
        }
        show_glyph(s, gi->glyph, gx * s->c->k, s->c->height_pt - gy * s->c->k);
    }
    free(start);
    return EVM_OK;
}

evm_status evm_pdf_show_layout(evm_pdf_content_t *c, evm_pdf_fonts_t *fonts,
                               PangoLayout *layout, double x_px, double y_px,
                               const evm_rgba_t *fill, double halo_px,
                               evm_error_t *err)
{
    const char *text = pango_layout_get_text(layout);
    shower_t s = {
        .c = c, .fonts = fonts, .fill = fill, .halo_px = halo_px, .font = -1};
    if (fill && !evm_pdf_set_paint(c, fill, NULL))
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory showing a label");
    /* Only the fill is the text: a halo drawn with the same glyphs would
     * otherwise be extracted, copied and found a second time. */
    evm_buf_puts(&c->s, fill ? "BT\n" : "/Artifact BMC\nBT\n");
    PangoLayoutIter *iter = pango_layout_get_iter(layout);
    evm_status st = EVM_OK;
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(iter);
        if (!run)
            continue; /* the end of a line */
        PangoRectangle logical;
        pango_layout_iter_get_run_extents(iter, NULL, &logical);
        double baseline = pango_layout_iter_get_baseline(iter);
        st = show_run(&s, run, text, x_px + (double)logical.x / PANGO_SCALE,
                      y_px + baseline / PANGO_SCALE, err);
    } while (st == EVM_OK && pango_layout_iter_next_run(iter));
    pango_layout_iter_free(iter);
    close_tj(&s);
    /* The rendering mode outlasts the text object. */
    if (s.mode != 0)
        evm_buf_puts(&c->s, "0 Tr\n");
    evm_buf_puts(&c->s, fill ? "ET\n" : "ET\nEMC\n");
    return st;
}
