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

/* true when every character has a glyph in some installed font. */
bool evm_text_all_glyphs(PangoLayout *layout);

#endif
