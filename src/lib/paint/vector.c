/* The PDF and SVG backends: cairo's stream surfaces, written through the
 * sink as cairo produces the document.
 *
 * PDF pages are measured in points, so the page is width_px * 72 / dpi
 * points wide and the painter's px are scaled by 72 / dpi: text stays
 * text (selectable) and everything stays vector. cairo's SVG surface
 * counts in user units; one per px keeps the scene's numbers. */
#define _POSIX_C_SOURCE 200809L

#include "paint/paint.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <evmap/evmap.h>

static double pdf_units_per_px(const evm_scene_t *scene)
{
    return 72.0 / scene->dpi;
}

/* cairo stamps a PDF with the current time, so the same map made twice
 * differs. SOURCE_DATE_EPOCH (reproducible-builds.org: seconds since the
 * epoch) replaces that time, as compilers and archivers do, making PDF
 * output byte-for-byte repeatable. getenv only reads the environment,
 * which evmap never changes. False when unset or not a number. */
static bool source_date(char *buf, size_t cap)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v < 0 || v > 253402300799LL) /* up to year 9999 */
        return false;
    time_t t = (time_t)v;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return false;
    return strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

static cairo_surface_t *pdf_create_surface(const evm_scene_t *scene,
                                           evm_sink_t *sink)
{
    double k = pdf_units_per_px(scene);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
        evm_sink_cairo_write, sink, scene->width_px * k, scene->height_px * k);
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
    /* The title was checked to be UTF-8, which cairo requires. */
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        if (scene->title && scene->title[0])
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
                                           scene->title);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
                                       "evmap " EVM_VERSION_STRING);
        char date[32];
        if (source_date(date, sizeof date))
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
                                           date);
    }
#endif
    return s;
}

static cairo_surface_t *svg_create_surface(const evm_scene_t *scene,
                                           evm_sink_t *sink)
{
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(
        evm_sink_cairo_write, sink, scene->width_px, scene->height_px);
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
    /* Without a unit cairo writes width="...pt": a 1600 px map would show
     * at 4/3 of its size in a browser. */
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
        cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
#endif
    return s;
}

/* Both formats: finishing emits the page and the rest of the document. */
static evm_status vector_finish(cairo_surface_t *surface,
                                const evm_scene_t *scene,
                                const evm_render_options_t *opt,
                                evm_sink_t *sink, evm_error_t *err)
{
    (void)scene;
    (void)opt;
    cairo_surface_finish(surface);
    cairo_status_t cs = cairo_surface_status(surface);
    if (cs != CAIRO_STATUS_SUCCESS || sink->status != EVM_OK)
        return evm_paint_sink_error(sink, err, cs, "writing the document");
    return EVM_OK;
}

/* cairo's PDF, reachable with EVM_PDF_CAIRO (--pdf-engine cairo). */
const evm_paint_backend_t evm_paint_cairo_pdf_backend = {
    .format = EVM_FORMAT_PDF,
    .name = "pdf",
    .render = evm_paint_cairo_render,
    .create_surface = pdf_create_surface,
    .units_per_px = pdf_units_per_px,
    .finish = vector_finish,
};

/* cairo's SVG, reachable with EVM_SVG_CAIRO (--svg-engine cairo): every
 * letter a glyph outline, no layers or ids. */
const evm_paint_backend_t evm_paint_cairo_svg_backend = {
    .format = EVM_FORMAT_SVG,
    .name = "svg",
    .render = evm_paint_cairo_render,
    .create_surface = svg_create_surface,
    .finish = vector_finish,
};
