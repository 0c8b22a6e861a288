/* The render function the cairo backends share: the backend's surface,
 * the common painter on it, then the backend's finish. Every cairo status
 * is checked, and a failure of the write callback wins over the cairo
 * error it causes, so that the caller gets its own status back. */
#include "paint/paint.h"

#include <stdio.h>

#include "core/error.h"

evm_status evm_sink_write(evm_sink_t *sink, const unsigned char *data,
                          size_t len)
{
    if (sink->status != EVM_OK)
        return sink->status;
    if (sink->cancel && sink->cancel(sink->cancel_user))
        return sink->status = EVM_ERR_CANCELLED;
    if (len == 0)
        return EVM_OK;
    evm_status st = sink->write(sink->closure, data, len);
    if (st != EVM_OK)
        sink->status = st;
    return st;
}

cairo_status_t evm_sink_cairo_write(void *closure, const unsigned char *data,
                                    unsigned int len)
{
    return evm_sink_write(closure, data, len) == EVM_OK
               ? CAIRO_STATUS_SUCCESS
               : CAIRO_STATUS_WRITE_ERROR;
}

evm_status evm_paint_sink_error(evm_sink_t *sink, evm_error_t *err,
                                cairo_status_t cs, const char *what)
{
    if (sink->status != EVM_OK)
        return evm_error_set(err, sink->status, NULL, 0, 0,
                             "the output callback failed (%s) %s",
                             evm_status_name(sink->status), what);
    return evm_paint_cairo_error(err, cs, what);
}

double evm_paint_units_per_px(const evm_paint_backend_t *backend,
                              const evm_scene_t *scene)
{
    return backend->units_per_px ? backend->units_per_px(scene) : 1.0;
}

evm_status evm_paint_cairo_render(const evm_paint_backend_t *backend,
                                  const evm_scene_t *scene,
                                  const evm_render_options_t *opt,
                                  evm_sink_t *sink, evm_error_t *err)
{
    (void)opt;
    char what[64];
    snprintf(what, sizeof what, "creating the %s surface", backend->name);
    evm_status st = EVM_OK;
    cairo_surface_t *surface = backend->create_surface(scene, sink);
    cairo_status_t cs = cairo_surface_status(surface);
    if (cs != CAIRO_STATUS_SUCCESS) {
        st = evm_paint_sink_error(sink, err, cs, what);
        goto done;
    }
    cairo_t *cr = cairo_create(surface);
    cs = cairo_status(cr);
    if (cs == CAIRO_STATUS_SUCCESS) {
        evm_paint_setup(cr, evm_paint_units_per_px(backend, scene));
        st = evm_paint_scene(cr, scene, err);
    } else {
        st = evm_paint_sink_error(sink, err, cs, "creating a context");
    }
    cairo_destroy(cr);
    if (st != EVM_OK && sink->status != EVM_OK)
        /* A stream surface that could not write reports it as a cairo
         * error; the callback's own status is the one to return. */
        st = evm_paint_sink_error(sink, err, CAIRO_STATUS_WRITE_ERROR,
                                  "while painting");
    if (st == EVM_OK)
        st = backend->finish(surface, scene, opt, sink, err);
done:
    /* Destroying an unfinished stream surface writes the rest of its
     * document; after a failure nothing more may reach the callback. */
    if (st != EVM_OK && sink->status == EVM_OK)
        sink->status = st;
    cairo_surface_destroy(surface);
    return st;
}
