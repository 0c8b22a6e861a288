/* The PDF and SVG backends: cairo's stream surfaces, written through the
 * sink as cairo produces the document.
 *
 * PDF pages are measured in points, so the page is width_px * 72 / dpi
 * points wide and the painter's px are scaled by 72 / dpi: text stays
 * text (selectable) and everything stays vector. cairo's SVG surface
 * counts in user units; one per px keeps the scene's numbers. */
#include "paint/paint.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <evmap/evmap.h>

static double pdf_units_per_px(const evm_scene_t *scene)
{
    return 72.0 / scene->dpi;
}

static double svg_units_per_px(const evm_scene_t *scene)
{
    (void)scene;
    return 1.0;
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
                                const evm_scene_t *scene, evm_sink_t *sink,
                                evm_error_t *err)
{
    (void)scene;
    cairo_surface_finish(surface);
    cairo_status_t cs = cairo_surface_status(surface);
    if (cs != CAIRO_STATUS_SUCCESS || sink->status != EVM_OK)
        return evm_paint_sink_error(sink, err, cs, "writing the document");
    return EVM_OK;
}

const evm_paint_backend_t evm_paint_pdf_backend = {
    .format = EVM_FORMAT_PDF,
    .name = "pdf",
    .render = evm_paint_cairo_render,
    .create_surface = pdf_create_surface,
    .units_per_px = pdf_units_per_px,
    .finish = vector_finish,
};

const evm_paint_backend_t evm_paint_svg_backend = {
    .format = EVM_FORMAT_SVG,
    .name = "svg",
    .render = evm_paint_cairo_render,
    .create_surface = svg_create_surface,
    .units_per_px = svg_units_per_px,
    .finish = vector_finish,
};
