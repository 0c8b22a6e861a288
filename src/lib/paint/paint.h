/* Internal interface of the paint stage: the output sink, the backend
 * table and the cairo painter they share.
 *
 * A backend is a static const table of function pointers, as cairo's
 * surface backends are. The cairo backends (PNG, PDF, SVG) all render
 * through evm_paint_cairo_render, which creates the backend's surface,
 * paints the scene on it with the common painter and lets the backend
 * finish the output. A backend that writes its format itself (the
 * semantic SVG writer, svg_writer.c, and the PDF writer, pdf_writer.c)
 * supplies its own render function and leaves the cairo hooks NULL. The
 * PNG backend has its own render function too (bands painted on several
 * threads, png.c) and keeps the hooks for painting a page on one
 * surface. */
#ifndef EVM_PAINT_PAINT_H
#define EVM_PAINT_PAINT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include <evmap/render.h>
#include <evmap/scene.h>
#include <evmap/status.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "paint/guard.h"
#include "text/text.h"

/* Largest page side in px, for every format: cairo image surfaces stop at
 * 32767, and PDF and SVG keep the same limit so a scene renders alike. */
#define EVM_PAINT_MAX_PAGE_PX 32767.0

/* Where output bytes go. The first failure of the callback sticks, as a
 * cairo object's error does: later writes are no-ops returning it. */
typedef struct evm_sink {
    evm_write_fn write;
    void *closure;
    evm_status status;    /* EVM_OK, or why writing stopped */
    evm_cancel_fn cancel; /* asked before each write; may be NULL */
    void *cancel_user;
} evm_sink_t;

/* Passes len bytes to the callback unless writing has stopped or the
 * cancel callback asks to stop (then the status is EVM_ERR_CANCELLED). */
evm_status evm_sink_write(evm_sink_t *sink, const unsigned char *data,
                          size_t len);

/* Bytes buffered in front of a sink (out.c), for the writers that make their
 * format themselves (SVG, GeoJSON): the sink gets them in pieces of the
 * buffer's size. Writing stops at the sink's first failure, whose status
 * sticks in the sink. */
typedef struct evm_out {
    evm_sink_t *sink;
    unsigned char *buf; /* cap bytes, lent by the caller */
    size_t cap, len;
} evm_out_t;

void evm_out_init(evm_out_t *o, evm_sink_t *sink, unsigned char *buf,
                  size_t cap);
/* Passes the buffered bytes to the sink; returns the sink's status. */
evm_status evm_out_flush(evm_out_t *o);
void evm_out_write(evm_out_t *o, const char *s, size_t n);
void evm_out_puts(evm_out_t *o, const char *s);
void evm_out_printf(evm_out_t *o, const char *fmt, ...) EVM_PRINTF(2, 3);

/* A cairo_write_func_t over an evm_sink_t closure. */
cairo_status_t evm_sink_cairo_write(void *closure, const unsigned char *data,
                                    unsigned int len);

typedef struct evm_paint_backend evm_paint_backend_t;

struct evm_paint_backend {
    evm_format format;
    const char *name; /* "png", as evm_format_name gives */

    /* Paints scene and writes the whole output to sink. */
    evm_status (*render)(const evm_paint_backend_t *backend,
                         const evm_scene_t *scene,
                         const evm_render_options_t *opt, evm_sink_t *sink,
                         evm_error_t *err);

    /* Hooks for evm_paint_cairo_render; NULL in a non-cairo backend. */

    /* A surface for the page; a stream surface writes into sink. Returns a
     * surface in an error state rather than NULL on failure. */
    cairo_surface_t *(*create_surface)(const evm_scene_t *scene,
                                       evm_sink_t *sink);
    /* Surface units per page px, 72 / dpi for PDF points; NULL when
     * the surface counts in px. Call evm_paint_units_per_px. */
    double (*units_per_px)(const evm_scene_t *scene);
    /* After painting: emits the page and completes the output. The
     * surface is still owned by the caller. */
    evm_status (*finish)(cairo_surface_t *surface, const evm_scene_t *scene,
                         const evm_render_options_t *opt, evm_sink_t *sink,
                         evm_error_t *err);
};

extern const evm_paint_backend_t evm_paint_png_backend;
extern const evm_paint_backend_t evm_paint_pdf_backend; /* native */
extern const evm_paint_backend_t evm_paint_cairo_pdf_backend;
extern const evm_paint_backend_t evm_paint_svg_backend; /* native */
extern const evm_paint_backend_t evm_paint_cairo_svg_backend;

/* The default backend for a format, or NULL. */
const evm_paint_backend_t *evm_paint_backend(evm_format fmt);

/* The render function of the cairo backends; they take no options. */
evm_status evm_paint_cairo_render(const evm_paint_backend_t *backend,
                                  const evm_scene_t *scene,
                                  const evm_render_options_t *opt,
                                  evm_sink_t *sink, evm_error_t *err);

/* A cairo backend's surface units per page px: its units_per_px hook,
 * or 1 when it has none. */
double evm_paint_units_per_px(const evm_paint_backend_t *backend,
                              const evm_scene_t *scene);

/* EVM_ERR_INVALID_ARG unless the page size, dpi and frame are finite and
 * in range (sides in [1, EVM_PAINT_MAX_PAGE_PX] px, dpi in [1, 100000])
 * and the title is UTF-8. */
evm_status evm_paint_check_scene(const evm_scene_t *scene, evm_error_t *err);

/* Prepares a fresh cairo context: scales page px to surface units and
 * sets evmap's font options. */
void evm_paint_setup(cairo_t *cr, double units_per_px);

/* A Pango context on font_map (a band's shared one, or this thread's
 * default) for painting on a cairo context set up by evm_paint_setup,
 * whose layouts measure exactly as those of evm_text_context_new().
 * Caller unrefs. */
PangoContext *evm_paint_text_context(PangoFontMap *font_map);

/* One font map for the painters of a page's bands on several threads:
 * each use of it, and of the Pango objects made from it, holds lock. */
struct evm_paint_plan;

typedef struct evm_paint_text_share {
    pthread_mutex_t lock;
    PangoFontMap *font_map; /* borrowed */
    /* The events layer's paint plan (plan.h), made once for all bands;
     * NULL: each painter makes its own. */
    const struct evm_paint_plan *events_plan;
} evm_paint_text_share_t;

/* Paints the background and every layer of scene on cr (set up with
 * evm_paint_setup). Items with non-finite coordinates are skipped, and
 * geometry far outside the page is clipped before it reaches cairo.
 * Fails on cairo errors and on items that cannot be painted (text that is
 * not UTF-8, an unknown item kind). */
evm_status evm_paint_scene(cairo_t *cr, const evm_scene_t *scene,
                           evm_error_t *err);

/* The same with text through share (NULL: this thread's font map), so
 * that bands of one page can be painted on several threads at once. */
evm_status evm_paint_scene_shared(cairo_t *cr, const evm_scene_t *scene,
                                  evm_paint_text_share_t *share,
                                  evm_error_t *err);

/* ---- What every backend paints (rules.c) ----
 *
 * The cairo painter, the PDF writer and the SVG writer draw one picture:
 * they skip the same items, treat the colours and dashes cairo would
 * reject alike, and place labels alike. margin_px is the guard box's
 * margin (guard.h) in page px, guard the box itself. */

/* Label sizes beyond this are not labels. Pango measures in 1/1024 px
 * ints, which overflow at 2 million px: a label of that size would
 * overflow Pango within a few characters. */
#define EVM_PAINT_MAX_FONT_PX 1000.0

/* true when c paints something: finite channels and an alpha above 0
 * (cairo clamps the rest to [0, 1]). */
bool evm_paint_color_shows(const evm_rgba_t *c);

/* true when st strokes: a finite width above 0 in a colour that shows. */
bool evm_paint_stroke_shows(const evm_style_t *st);

/* The width st strokes at: capped so that a stroke (with miters up to 10
 * widths) of an edge on the guard box cannot reach the page. */
double evm_paint_stroke_width(const evm_style_t *st, double margin_px);

/* How many of st's dash lengths to draw: 0, a solid line, for a pattern
 * cairo would refuse (a negative or non-finite length, or no length at
 * all), which puts its whole context in an error state. */
size_t evm_paint_dash_count(const evm_style_t *st);

/* Whether circle item it is drawn. One centred off the guard box or wider
 * than its margin is no map symbol, and cairo would flatten it into a
 * great many segments: it is skipped like a non-finite one. */
bool evm_paint_circle_shows(const evm_item_t *it, const evm_rect_t *guard,
                            double margin_px);

/* Whether text t is drawn: some text, its box corner in guard, a size in
 * (0, EVM_PAINT_MAX_FONT_PX]. */
bool evm_paint_text_shows(const evm_text_t *t, const evm_rect_t *guard);

/* The angle t is turned by about its box's centre (radians, clockwise on
 * the page): 0 when level or not finite. */
double evm_paint_text_angle(const evm_text_t *t);

/* How far past its box t may paint (page px): what the painter and the
 * paint plan cull it by. */
double evm_paint_text_reach(const evm_text_t *t);

/* Whether t's halo is drawn: a width in (0, margin_px / 32], a colour
 * that shows. */
bool evm_paint_halo_shows(const evm_text_t *t, double margin_px);

/* t's font family list, "sans-serif" when it has none. */
const char *evm_paint_font_family(const evm_text_t *t);

/* Text t (drawn, as evm_paint_text_shows tells) laid out on pc as layout
 * measured it, and in *x, *y where the layout's origin goes: its logical
 * rectangle's corner, not its origin, is on the box corner (the two
 * differ for some scripts and fonts). NULL when the label reaches past
 * guard, which no label does. Caller unrefs. */
PangoLayout *evm_paint_label_layout(PangoContext *pc, const evm_text_t *t,
                                    const evm_rect_t *guard, double *x,
                                    double *y);
/* The same as a run (text.h) when the label is one: true and *run filled
 * (the caller frees it), placed exactly as the layout would be; false
 * when it needs a layout, or, with *skip, when it reaches past the guard
 * box. */
bool evm_paint_label_run(PangoContext *pc, const evm_text_t *t,
                         const evm_rect_t *guard, evm_text_run_t *run,
                         double *x, double *y, bool *skip);

/* The part of the scene's frame inside guard, where a layer clipped to
 * the frame shows (an absurd frame brings no absurd coordinates); false
 * when it is empty and such a layer shows nothing. */
bool evm_paint_frame_clip(const evm_scene_t *scene, const evm_rect_t *guard,
                          evm_rect_t *out);

/* Subpath k of path item it in *pts, *n; EVM_ERR_INVALID_ARG naming the
 * item when the path's subpath starts are out of order or past its
 * points. */
evm_status evm_paint_subpath(const evm_item_t *it, size_t k,
                             const evm_point_t **pts, size_t *n,
                             evm_error_t *err);

/* Emits every subpath of path item it through pen, clipped to guard as
 * evm_guard_emit does, with s for scratch; *drawn tells whether anything
 * was emitted. Fails on a malformed path or out of memory, with err
 * set. (The cairo painter walks the subpaths itself, to skip those off
 * the band it paints.) */
evm_status evm_paint_emit_path(const evm_guard_pen_t *pen,
                               evm_guard_scratch_t *s, const evm_rect_t *guard,
                               const evm_item_t *it, bool *drawn,
                               evm_error_t *err);

/* EVM_ERR_INVALID_ARG naming text item it when its text is not UTF-8,
 * which Pango would replace with a warning. */
evm_status evm_paint_check_label(const evm_item_t *it, evm_error_t *err);

/* EVM_ERR_INVALID_ARG naming item it, which is of no known kind. */
evm_status evm_paint_unknown_kind(const evm_item_t *it, evm_error_t *err);

/* Fills err from a cairo failure (EVM_ERR_NOMEM for CAIRO_STATUS_NO_MEMORY,
 * otherwise EVM_ERR_RENDER) and returns its status. what names the step,
 * e.g. "creating the PDF surface". */
evm_status evm_paint_cairo_error(evm_error_t *err, cairo_status_t cs,
                                 const char *what);

/* The error for a failed cairo step of an output: the write callback's
 * own status when it has failed (cairo then reports a write error),
 * otherwise as evm_paint_cairo_error. */
evm_status evm_paint_sink_error(evm_sink_t *sink, evm_error_t *err,
                                cairo_status_t cs, const char *what);

/* The output-layer options for opt's fsync and cancel (see
 * core/atomic_file.h). */
evm_file_write_opts_t evm_paint_file_opts(const evm_render_options_t *opt,
                                          bool sweep);

/* evm_render_to_file_with; sweep false leaves stale temporary files in
 * the folder to a caller that sweeps each folder once (a batch). */
evm_status evm_paint_to_file(const evm_scene_t *scene, evm_format fmt,
                             const evm_render_options_t *opt, bool sweep,
                             const char *path, evm_error_t *err);

/* evm_paint_to_file, leaving a file written through a temporary one to
 * be synced and renamed by evm_file_commit (*pending; NULL when the file
 * is already finished): a batch commits on its calling thread while the
 * workers draw on. */
evm_status evm_paint_to_file_deferred(const evm_scene_t *scene, evm_format fmt,
                                      const evm_render_options_t *opt,
                                      bool sweep, const char *path,
                                      evm_file_pending_t **pending,
                                      evm_error_t *err);

#endif
