/* Text shaping shared by layout (to measure) and backends (to draw), so
 * that both see the same extents: Pango with hinting off and absolute
 * sizes in page pixels. */
#ifndef EVM_TEXT_TEXT_H
#define EVM_TEXT_TEXT_H

#include <stdbool.h>

#include <pango/pangocairo.h>

#include <evmap/scene.h>

/* A Pango context for measuring, from this thread's default cairo font
 * map, with the same font options backends use. Caller unrefs. */
PangoContext *evm_text_context_new(void);

/* The same on a given font map. */
PangoContext *evm_text_context_on(PangoFontMap *font_map);

/* Sets the font options evmap uses for all text on a cairo context (for
 * backends, before creating layouts on it). */
void evm_text_prepare_cairo(cairo_t *cr);

/* A layout of text in a family, size (page px) and weight. Caller
 * unrefs. */
/* The same in italic when italic is true. */
PangoLayout *evm_text_layout_new_styled(PangoContext *pc, const char *utf8,
                                        const char *family, double size_px,
                                        evm_font_weight weight, bool italic);
PangoLayout *evm_text_layout_new(PangoContext *pc, const char *utf8,
                                 const char *family, double size_px,
                                 evm_font_weight weight);

/* Logical width and height in page px. */
void evm_text_extent(PangoLayout *layout, double *w, double *h);

/* A text of one line shaped as one run of glyphs, without a PangoLayout:
 * the glyphs, positions and extents a layout of it would have. A layout
 * (in Pango 1.50) also asks its fonts for their metrics, which Pango
 * computes by laying out a sample sentence in a context of its own:
 * fontconfig then matches and sorts every installed font once more for
 * each size and style of text on the map, on Pango's one thread that
 * every new font waits for. A run needs none of that. */
typedef struct evm_text_run {
    PangoItem *item;
    PangoGlyphString *glyphs;
    /* Pango units, from the baseline (y < 0 above it), x 0. */
    PangoRectangle logical;
} evm_text_run_t;

/* Shapes utf8 as pango_layout_new with the same font would, when it is
 * one left-to-right item (one font, one script, no tab or line break)
 * whose glyphs sit on the baseline: true and *run filled (free it with
 * evm_text_run_free); else false, and a layout is needed. */
bool evm_text_run_shape(PangoContext *pc, const char *utf8, const char *family,
                        double size_px, evm_font_weight weight, bool italic,
                        evm_text_run_t *run);
void evm_text_run_free(evm_text_run_t *run);
/* Logical width and height in page px, as evm_text_extent. */
void evm_text_run_extent(const evm_text_run_t *run, double *w, double *h);
/* true when every character has a glyph, as evm_text_all_glyphs. */
bool evm_text_run_all_glyphs(const evm_text_run_t *run);
/* Appends the glyphs' outlines to cr's path, or shows them, with the
 * run's top left at cr's current point: where pango_cairo_layout_path and
 * pango_cairo_show_layout put a layout's, to the last bit. Not for
 * surfaces that keep text (cairo_surface_has_show_text_glyphs): Pango
 * gives those the text with the glyphs only for a layout. */
void evm_text_run_path(cairo_t *cr, evm_text_run_t *run);
void evm_text_run_show(cairo_t *cr, evm_text_run_t *run);

/* A run's glyphs as cairo draws them: its font's cairo face at its size
 * and each glyph's offset from the run's top left, computed as Pango
 * computes them. Drawing them needs no Pango object, so that painters on
 * several threads sharing one font map (which Pango does not lock) draw
 * them without taking turns; cairo's scaled fonts lock themselves. */
typedef struct evm_text_glyphs {
    cairo_scaled_font_t *font;
    cairo_glyph_t *offsets; /* index, and x, y from the top left (px) */
    cairo_glyph_t *placed;  /* room for the positions of a drawing */
    int n;
} evm_text_glyphs_t;

/* The glyphs of run: true and *out filled (free it with
 * evm_text_glyphs_free), to be drawn by evm_text_glyphs_path and
 * evm_text_glyphs_show to the last bit as evm_text_run_path and
 * evm_text_run_show draw the run; false when a character has no glyph
 * (Pango draws a box for it), the font failed or memory ran out. The
 * run may be freed afterwards. */
bool evm_text_run_glyphs(const evm_text_run_t *run, evm_text_glyphs_t *out);
void evm_text_glyphs_path(cairo_t *cr, evm_text_glyphs_t *g);
void evm_text_glyphs_show(cairo_t *cr, evm_text_glyphs_t *g);
void evm_text_glyphs_free(evm_text_glyphs_t *g);

/* utf8 measured as a layout of it would be, through a run when it is
 * one: logical width and height (page px), whether every character has a
 * glyph, whether its first strong character runs right to left. Any of
 * the outputs may be NULL. */
void evm_text_measure(PangoContext *pc, const char *utf8, const char *family,
                      double size_px, evm_font_weight weight, bool italic,
                      double *w, double *h, bool *all_glyphs, bool *rtl);

/* true when every character has a glyph in some installed font. */
bool evm_text_all_glyphs(PangoLayout *layout);

#endif
