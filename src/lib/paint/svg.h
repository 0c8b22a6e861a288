/* Internal interface of the native SVG backend: XML escaping and
 * rounded numbers over buffered output (svg_escape.c), the table of style
 * classes (svg_style.c) and the document writer (svg_writer.c). */
#ifndef EVM_PAINT_SVG_H
#define EVM_PAINT_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "core/buf.h"
#include "core/error.h"
#include "paint/paint.h"

/* Output buffered in front of a sink (base, over buf), with the
 * document's precision. */
typedef struct evm_svg_out {
    evm_out_t base;
    double precision_px; /* numbers are multiples of this */
    long long unit;      /* precision_px * 10^decimals, an integer */
    int decimals;
    unsigned char buf[1 << 16];
} evm_svg_out_t;

/* Sets up o for a sink and a precision in [0.001, 100]. */
void evm_svg_out_init(evm_svg_out_t *o, evm_sink_t *sink, double precision_px);

/* Writes text from data as XML character data (attr false) or as the
 * inside of a double-quoted attribute (attr true). Markup characters
 * become references; invalid UTF-8, control characters XML 1.0 cannot
 * carry and U+FFFE/U+FFFF become U+FFFD; in attributes tab, newline and
 * carriage return become references so they survive normalisation. */
void evm_svg_escaped(evm_svg_out_t *o, const char *utf8, bool attr);

/* v in multiples of the precision; |v| is clamped to 1e9 px first, which
 * is far outside any page (the guard box reaches 65536 px beyond it). */
long long evm_svg_ticks(const evm_svg_out_t *o, double v);
/* Writes k multiples of the precision as a short decimal: "12.3", "-4",
 * "0.5" (trailing zeros and a bare point dropped). */
void evm_svg_put_ticks(evm_svg_out_t *o, long long k);
/* The same into out, NUL-terminated; returns the length. */
size_t evm_svg_format_ticks(const evm_svg_out_t *o, long long k, char out[40]);
/* evm_svg_put_ticks(o, evm_svg_ticks(o, v)). */
void evm_svg_num(evm_svg_out_t *o, double v);

/* Text builders below append to an evm_buf_t and leave an out-of-memory
 * in its sticky flag for the caller to check once. */

/* Appends to s a token usable in an XML id, a class and a data-* name:
 * ASCII letters lower-cased when lower is set, XML name characters of
 * other scripts kept, anything else as '-'; NUL-free and never empty
 * (fallback is used for ""). Returns false when nothing of text was
 * usable and fallback was appended instead. */
bool evm_svg_token(evm_buf_t *s, const char *text, bool lower,
                   const char *fallback);

/* A "#rrggbb" colour of c's channels clamped to [0, 1]. */
void evm_svg_color(char out[8], const evm_rgba_t *c);

/* Style classes: every distinct paint of the document becomes one class
 * ("evm-s3") with one rule in the style sheet. */
typedef struct evm_svg_styles {
    GHashTable *index;   /* declaration -> class number + 1 */
    GPtrArray *decls;    /* class number -> declaration (owned) */
    GPtrArray *comments; /* class number -> "events: capital" (owned) */
} evm_svg_styles_t;

void evm_svg_styles_init(evm_svg_styles_t *s);
void evm_svg_styles_free(evm_svg_styles_t *s);
/* The class number of a declaration, adding it when new; comment says
 * what first used it. */
unsigned evm_svg_styles_intern(evm_svg_styles_t *s, const char *decl,
                               const char *comment);
/* The CSS declaration of a path or circle's style ("fill:#ff0000;..."). */
void evm_svg_shape_decl(evm_buf_t *out, const evm_style_t *st,
                        double max_stroke_px);
/* The CSS declaration of a text's font and paint; halo false when the
 * halo is not drawn. */
void evm_svg_text_decl(evm_buf_t *out, const evm_text_t *t, bool halo);
/* Appends the style sheet's rules, one per class, to css. */
void evm_svg_styles_css(const evm_svg_styles_t *s, evm_buf_t *css);

#endif
