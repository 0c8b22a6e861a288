/* Internal interface of the native PDF backend: a byte buffer with PDF
 * number, string and name formatting (pdf_buf.c), the page's content
 * stream with its graphics state (pdf_content.c), fonts embedded as
 * HarfBuzz subsets (pdf_font.c, with pdf_cff.c reading the glyphs' CIDs
 * from CFF fonts through FreeType), text shaped by Pango and shown with
 * those fonts (pdf_text.c), the file's objects and cross-reference table
 * (pdf_doc.c) and the backend that paints a scene with all of them
 * (pdf_writer.c).
 *
 * The page is written in PDF points with y upwards, as PDF counts: the
 * writer converts each page px itself, so the content stream needs no
 * transformation matrix and every number is rounded once. */
#ifndef EVM_PAINT_PDF_H
#define EVM_PAINT_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include <hb.h>
#include <pango/pango.h>

#include "core/buf.h"
#include "core/error.h"
#include "paint/paint.h"

/* ---- bytes (pdf_buf.c) ---- */

/* An unsigned decimal integer. */
void evm_pdf_uint(evm_buf_t *b, unsigned long long v);

/* v rounded to a multiple of 10^-decimals (decimals in [0, 6]) and written
 * in the shortest form that says so: "12.5", "-3", "0.01". Trailing zeros
 * and a bare point are dropped; -0 prints as 0. Magnitudes are clamped to
 * 1e9, far beyond any page; NaN prints as 0 (callers drop non-finite
 * geometry before). Integer arithmetic only: no locale, no printf. */
void evm_pdf_num(evm_buf_t *b, double v, int decimals);
/* evm_pdf_num followed by a space. */
void evm_pdf_num_sp(evm_buf_t *b, double v, int decimals);

/* Text as a PDF text string: "<FEFF...>", UTF-16BE with a byte order
 * mark in hex, so any character survives. utf8 must be valid. */
void evm_pdf_text_string(evm_buf_t *b, const char *utf8);
/* A PDF name from ASCII: "/" and the characters, with delimiters,
 * '#', and bytes outside '!'..'~' written as #xx. */
void evm_pdf_name(evm_buf_t *b, const char *ascii);

/* Appends data compressed by libdeflate as a zlib-format stream
 * (FlateDecode) at a fast level. Returns false when out of memory or
 * the compressor cannot be made. */
bool evm_pdf_deflate(evm_buf_t *out, const void *data, size_t len);

/* ---- the document (pdf_doc.c) ---- */

/* Writes objects numbered 1, 2, ... to a sink and records where each
 * starts for the cross-reference table. Output is buffered; the sink's
 * first failure stops it. */
typedef struct evm_pdf_doc {
    evm_sink_t *sink;
    evm_buf_t out;               /* pending bytes */
    unsigned long long written;  /* bytes passed to the sink */
    unsigned long long *offsets; /* per object number - 1 */
    size_t n_objects, cap_objects;
    unsigned next_id; /* the next number evm_pdf_doc_reserve gives */
} evm_pdf_doc_t;

void evm_pdf_doc_init(evm_pdf_doc_t *d, evm_sink_t *sink);
void evm_pdf_doc_free(evm_pdf_doc_t *d);
/* Reserves the next object number. */
unsigned evm_pdf_doc_reserve(evm_pdf_doc_t *d);
/* Writes the header: version 1.6 and a binary comment line. */
void evm_pdf_doc_header(evm_pdf_doc_t *d);
/* Starts object id ("<id> 0 obj\n") and returns the buffer to write its
 * body into; evm_pdf_doc_end closes it. Each reserved id once. */
evm_buf_t *evm_pdf_doc_begin(evm_pdf_doc_t *d, unsigned id);
void evm_pdf_doc_end(evm_pdf_doc_t *d);
/* A whole stream object: dict_extra (may be "") is added to the
 * dictionary, which gets /Length and, when deflate is set, /Filter
 * /FlateDecode with data compressed. */
void evm_pdf_doc_stream(evm_pdf_doc_t *d, unsigned id, const char *dict_extra,
                        const void *data, size_t len, bool deflate);
/* The cross-reference table, trailer and end of file. root and info are
 * object ids; id16 is the document's 16-byte identifier. */
void evm_pdf_doc_finish(evm_pdf_doc_t *d, unsigned root, unsigned info,
                        const unsigned char id16[16]);
/* EVM_OK, EVM_ERR_NOMEM, or the sink's failure. */
evm_status evm_pdf_doc_status(const evm_pdf_doc_t *d);

/* ---- fonts (pdf_font.c) ---- */

/* The fonts of one document: every HarfBuzz face text used, with the
 * glyphs shown in it and the text each glyph stands for, subset and
 * embedded at the end. */
typedef struct evm_pdf_fonts evm_pdf_fonts_t;

evm_pdf_fonts_t *evm_pdf_fonts_new(void);
void evm_pdf_fonts_free(evm_pdf_fonts_t *f);
/* The resource number of face in the document ("/F<n>"), adding it when
 * new; -1 when out of memory, -2 (and f marked unembeddable) when it has
 * neither TrueType nor CFF outlines or a malformed CFF table. The face is
 * referenced while kept. */
int evm_pdf_fonts_add(evm_pdf_fonts_t *f, hb_face_t *face);
/* Marks, and tells, that some text is in a font this writer cannot
 * embed as it is drawn: the document is then cairo's to write. */
void evm_pdf_fonts_set_unembeddable(evm_pdf_fonts_t *f);
bool evm_pdf_fonts_unembeddable(const evm_pdf_fonts_t *f);
/* Records that glyph gid of font n is shown, standing for the UTF-8 text
 * utf8[0 .. len) (len 0: the glyph carries no text of its own, as the
 * second glyph of a cluster). The first text recorded for a glyph wins
 * over later ones, but not over none. false when out of memory. */
bool evm_pdf_fonts_use(evm_pdf_fonts_t *f, int n, unsigned gid,
                       const char *utf8, size_t len);
/* The code that shows glyph gid of font n in the content stream: its
 * CID in a CID-keyed CFF font, else gid itself. */
unsigned evm_pdf_fonts_code(const evm_pdf_fonts_t *f, int n, unsigned gid);
/* Advance of a glyph in thousandths of the em, as the font's hmtx gives
 * it and the PDF viewer will move after showing it. */
double evm_pdf_fonts_advance(evm_pdf_fonts_t *f, int n, unsigned gid);
size_t evm_pdf_fonts_count(const evm_pdf_fonts_t *f);
/* Reserves the objects of every font, so that the page can name them
 * before they are written. */
void evm_pdf_fonts_reserve(evm_pdf_fonts_t *f, evm_pdf_doc_t *d);
/* The object id of font n's Type0 font dictionary, once reserved. */
unsigned evm_pdf_fonts_object(const evm_pdf_fonts_t *f, int n);
/* Subsets and writes every font. EVM_ERR_RENDER when HarfBuzz cannot
 * subset a font, EVM_ERR_NOMEM. */
evm_status evm_pdf_fonts_write(evm_pdf_fonts_t *f, evm_pdf_doc_t *d,
                               evm_error_t *err);

/* Reads a CFF table with FreeType: whether it is CID-keyed, and then the
 * CID of each of its *n_glyphs glyphs (*cid_of, caller frees). false
 * when FreeType refuses the table or out of memory. */
bool evm_pdf_cff_cids(const unsigned char *cff, size_t len, bool *cid_keyed,
                      unsigned **cid_of, size_t *n_glyphs);

/* ---- the content stream (pdf_content.c) ---- */

/* A circle at the origin, painted by op ("f*", "S", "B*"). */
typedef struct evm_pdf_mark {
    long long r_ticks;         /* radius in 0.01 pt */
    long long max_width_ticks; /* the widest line it is stroked with */
    char op[4];
    unsigned obj; /* its object, once reserved */
} evm_pdf_mark_t;

/* The page's content stream with the graphics state it has set, so that
 * unchanged colours, widths and dashes are not repeated, and the
 * transparency states (ExtGState) it uses. Coordinates come in page px
 * and are written in points. */
typedef struct evm_pdf_content {
    evm_buf_t s;
    double k;         /* points per page px: 72 / dpi */
    double height_pt; /* of the page, to turn y upwards */
    /* The graphics state in force; a field is unknown (to be set) when
     * its valid flag is false. Reset by evm_pdf_restore. */
    bool has_fill, has_stroke, has_width, has_cap, has_join, has_dash, has_gs;
    unsigned char fill[3], stroke[3]; /* colours in 1/255 */
    long long width_ticks;            /* line width in 0.01 pt */
    int cap, join;
    double dash[EVM_DASH_MAX];
    size_t n_dash;
    int gs; /* the ExtGState in force */
    /* Distinct (fill alpha, stroke alpha) pairs in 1/255, index n is
     * resource /G<n>. */
    unsigned (*alphas)[2];
    size_t n_alphas, cap_alphas;
    /* Circles drawn as form XObjects, resource /C<n>: one per radius and
     * painting operator, placed by a translation. */
    evm_pdf_mark_t *marks;
    size_t n_marks, cap_marks;
} evm_pdf_content_t;

void evm_pdf_content_init(evm_pdf_content_t *c, double k, double height_pt);
void evm_pdf_content_free(evm_pdf_content_t *c);

/* Writes "x y " for a point in page px. */
void evm_pdf_point(evm_pdf_content_t *c, double x_px, double y_px);
/* Path construction in page px. */
void evm_pdf_move_to(evm_pdf_content_t *c, double x_px, double y_px);
void evm_pdf_line_to(evm_pdf_content_t *c, double x_px, double y_px);
void evm_pdf_close(evm_pdf_content_t *c);
void evm_pdf_rect(evm_pdf_content_t *c, double x_px, double y_px, double w_px,
                  double h_px);
/* Paints a circle with op ("f*", "S" or "B*") in the current state, as a
 * form XObject shared by every circle of its radius and op: a map's
 * markers cost a translation each instead of four curves. Past 256 forms
 * circles are drawn in place. false when out of memory. */
bool evm_pdf_circle_mark(evm_pdf_content_t *c, double cx_px, double cy_px,
                         double r_px, const char *op);
/* Reserves an object for each circle XObject, writes the page's
 * /XObject resource dictionary ("<< /C0 12 0 R ... >>") into b, and after
 * the page, evm_pdf_marks_write writes the XObjects. */
void evm_pdf_marks_reserve(evm_pdf_content_t *c, evm_pdf_doc_t *d);
void evm_pdf_marks_resources(const evm_pdf_content_t *c, evm_buf_t *b);
void evm_pdf_marks_write(const evm_pdf_content_t *c, evm_pdf_doc_t *d);

/* Sets fill and stroke colours and alphas. A colour must be finite with
 * alpha in (0, 1]; pass NULL for a side that is not painted. false when
 * out of memory. */
bool evm_pdf_set_paint(evm_pdf_content_t *c, const evm_rgba_t *fill,
                       const evm_rgba_t *stroke);
/* Line width (page px, > 0), cap, join and dash (lengths in page px;
 * n_dash 0 for solid, the pattern already checked to be drawable). */
void evm_pdf_set_line(evm_pdf_content_t *c, double width_px, evm_cap cap,
                      evm_join join, const double *dash_px, size_t n_dash);
/* Saves and restores the graphics state ("q", "Q"); after a restore the
 * state is unknown again. */
void evm_pdf_save(evm_pdf_content_t *c);
void evm_pdf_restore(evm_pdf_content_t *c);
/* Writes the page's /ExtGState resource dictionary ("<< /G0 ... >>"). */
void evm_pdf_content_gstates(const evm_pdf_content_t *c, evm_buf_t *b);

/* ---- text (pdf_text.c) ---- */

/* Shows a Pango layout with its top-left corner at (x_px, y_px), glyph by
 * glyph where Pango placed it: filled in fill, or, when fill is NULL, as
 * a halo: stroked halo_px wide on each side with round joins, in the
 * stroke colour the caller has set. A halo is marked as an artifact, so
 * that text extraction reads each label once. Glyphs of a font that
 * fontconfig emboldens (a bold label in a family without a bold face)
 * are also stroked, as wide as FreeType makes them bolder for cairo.
 * Glyphs no font has (Pango's hex boxes) are not shown. EVM_ERR_NOMEM,
 * or EVM_ERR_RENDER for a font that cannot be embedded. */
evm_status evm_pdf_show_layout(evm_pdf_content_t *c, evm_pdf_fonts_t *fonts,
                               PangoLayout *layout, double x_px, double y_px,
                               const evm_rgba_t *fill, double halo_px,
                               evm_error_t *err);

#endif
