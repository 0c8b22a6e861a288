/* The public render API: format names, the backend table, rendering
 * through a write callback, and file output through
 * evm_atomic_file_write, so a reader never sees half a map and a failed
 * render leaves the old one in place. */
#define _POSIX_C_SOURCE 200809L

#include <evmap/render.h>

#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/option_text.h"
#include "paint/paint.h"

/* Indexed by evm_format; a new backend is one more entry. */
static const evm_paint_backend_t *const evm_backends[] = {
    [EVM_FORMAT_PNG] = &evm_paint_png_backend,
    [EVM_FORMAT_PDF] = &evm_paint_pdf_backend,
    [EVM_FORMAT_SVG] = &evm_paint_svg_backend,
};

enum { EVM_N_BACKENDS = sizeof evm_backends / sizeof evm_backends[0] };

const evm_paint_backend_t *evm_paint_backend(evm_format fmt)
{
    return (unsigned)fmt < EVM_N_BACKENDS ? evm_backends[fmt] : NULL;
}

const char *evm_format_name(evm_format fmt)
{
    const evm_paint_backend_t *b = evm_paint_backend(fmt);
    return b ? b->name : "";
}

/* ASCII case-insensitive equality, independent of the locale. */
static int same_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (ca != cb)
            return 0;
        if (!ca)
            return 1;
    }
}

evm_status evm_format_parse(const char *name, evm_format *out)
{
    for (size_t i = 0; name && i < EVM_N_BACKENDS; i++) {
        if (evm_backends[i] && same_name(name, evm_backends[i]->name)) {
            if (out)
                *out = evm_backends[i]->format;
            return EVM_OK;
        }
    }
    return EVM_ERR_INVALID_ARG;
}

evm_status evm_format_from_path(const char *path, evm_format *out)
{
    if (!path)
        return EVM_ERR_INVALID_ARG;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    /* ".png" alone is a hidden file's name, not an extension. */
    if (!dot || dot == base)
        return EVM_ERR_INVALID_ARG;
    return evm_format_parse(dot + 1, out);
}

void evm_render_options_init(evm_render_options_t *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->svg_engine = EVM_SVG_NATIVE;
    opt->pdf_engine = EVM_PDF_NATIVE;
    opt->precision_px = 0.1;
    opt->extra_css = NULL;
    opt->version = EVM_RENDER_OPTIONS_VERSION;
}

static const char *const render_keys[] = {"svg-engine", "pdf-engine",
                                          "precision"};

const char *evm_render_options_key(size_t i)
{
    return i < sizeof render_keys / sizeof render_keys[0] ? render_keys[i]
                                                          : NULL;
}

static evm_status bad_value(evm_error_t *err, const char *key,
                            const char *value, const char *expected)
{
    return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                         "%s \"%.80s\" is not valid: %s", key, value, expected);
}

evm_status evm_render_options_set(evm_render_options_t *opt, const char *key,
                                  const char *value, evm_error_t *err)
{
    if (!opt || !key || !value)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no options, key or value");
    bool svg = evm_option_key_is(key, "svg-engine");
    if (svg || evm_option_key_is(key, "pdf-engine")) {
        int engine = evm_option_key_is(value, "native")  ? 0
                     : evm_option_key_is(value, "cairo") ? 1
                                                         : -1;
        if (engine < 0)
            return bad_value(err, key, value, "expected native or cairo");
        if (svg)
            opt->svg_engine = engine ? EVM_SVG_CAIRO : EVM_SVG_NATIVE;
        else
            opt->pdf_engine = engine ? EVM_PDF_CAIRO : EVM_PDF_NATIVE;
        return EVM_OK;
    }
    if (evm_option_key_is(key, "precision")) {
        double p;
        if (!evm_option_number(value, &p) || !(p >= 0.001 && p <= 100))
            return bad_value(err, key, value,
                             "expected a number of px in 0.001..100");
        opt->precision_px = p;
        return EVM_OK;
    }
    return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                         "unknown render option \"%.80s\"", key);
}

/* The backend for fmt under opt, or NULL with err filled. */
static const evm_paint_backend_t *
choose_backend(evm_format fmt, const evm_render_options_t *opt,
               evm_error_t *err)
{
    const evm_paint_backend_t *b = evm_paint_backend(fmt);
    if (!b) {
        evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                      "unknown output format %d", (int)fmt);
        return NULL;
    }
    if (fmt == EVM_FORMAT_PDF) {
        switch (opt->pdf_engine) {
        case EVM_PDF_NATIVE:
            return b;
        case EVM_PDF_CAIRO:
            return &evm_paint_cairo_pdf_backend;
        }
        evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                      "unknown PDF engine %d", (int)opt->pdf_engine);
        return NULL;
    }
    if (fmt != EVM_FORMAT_SVG)
        return b;
    switch (opt->svg_engine) {
    case EVM_SVG_NATIVE:
        return b;
    case EVM_SVG_CAIRO:
        return &evm_paint_cairo_svg_backend;
    }
    evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0, "unknown SVG engine %d",
                  (int)opt->svg_engine);
    return NULL;
}

static evm_status check_options(const evm_render_options_t *opt,
                                evm_error_t *err)
{
    /* Written so that NaN is refused. */
    if (!(opt->precision_px >= 0.001 && opt->precision_px <= 100))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "SVG precision %g px is outside [0.001, 100]",
                             opt->precision_px);
    /* The style sheet goes into an XML document, which must be UTF-8. */
    if (opt->extra_css && !g_utf8_validate(opt->extra_css, -1, NULL))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "the extra CSS is not valid UTF-8");
    return EVM_OK;
}

/* opt, or the defaults (in *defaults) when it is NULL; NULL, with err
 * set, when its version is not one this library knows. */
static const evm_render_options_t *
render_options(const evm_render_options_t *opt, evm_render_options_t *defaults,
               evm_error_t *err)
{
    if (!opt) {
        evm_render_options_init(defaults);
        return defaults;
    }
    return evm_options_check(opt->version, EVM_RENDER_OPTIONS_VERSION,
                             "evm_render_options", err)
               ? NULL
               : opt;
}

evm_status evm_render_with(const evm_scene_t *scene, evm_format fmt,
                           const evm_render_options_t *opt, evm_write_fn write,
                           void *closure, evm_error_t *err)
{
    evm_render_options_t defaults;
    opt = render_options(opt, &defaults, err);
    if (!opt)
        return EVM_ERR_INVALID_ARG;
    const evm_paint_backend_t *b = choose_backend(fmt, opt, err);
    if (!b)
        return EVM_ERR_INVALID_ARG;
    if (!write)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no write callback");
    evm_status st = check_options(opt, err);
    if (st == EVM_OK)
        st = evm_paint_check_scene(scene, err);
    if (st != EVM_OK)
        return st;
    if (opt->cancel && opt->cancel(opt->cancel_user))
        return evm_error_set(err, EVM_ERR_CANCELLED, NULL, 0, 0,
                             "cancelled before rendering");
    evm_sink_t sink = {.write = write,
                       .closure = closure,
                       .cancel = opt->cancel,
                       .cancel_user = opt->cancel_user};
    st = b->render(b, scene, opt, &sink, err);
    /* The backend may describe a stopped sink as its own failure. */
    if (sink.status == EVM_ERR_CANCELLED)
        st = evm_error_set(err, EVM_ERR_CANCELLED, NULL, 0, 0,
                           "cancelled while rendering");
    return st;
}

evm_status evm_render(const evm_scene_t *scene, evm_format fmt,
                      evm_write_fn write, void *closure, evm_error_t *err)
{
    return evm_render_with(scene, fmt, NULL, write, closure, err);
}

typedef struct render_job {
    const evm_scene_t *scene;
    evm_format fmt;
    const evm_render_options_t *opt;
} render_job_t;

static evm_status produce(void *closure, evm_write_fn write,
                          void *write_closure, evm_error_t *err)
{
    const render_job_t *job = closure;
    return evm_render_with(job->scene, job->fmt, job->opt, write, write_closure,
                           err);
}

evm_status evm_render_to_file(const evm_scene_t *scene, evm_format fmt,
                              const char *path, evm_error_t *err)
{
    return evm_render_to_file_with(scene, fmt, NULL, path, err);
}

evm_file_write_opts_t evm_paint_file_opts(const evm_render_options_t *opt,
                                          bool sweep)
{
    return (evm_file_write_opts_t){.fsync = opt && opt->fsync,
                                   .sweep = sweep,
                                   .cancel = opt ? opt->cancel : NULL,
                                   .cancel_user =
                                       opt ? opt->cancel_user : NULL};
}

evm_status evm_render_to_file_with(const evm_scene_t *scene, evm_format fmt,
                                   const evm_render_options_t *opt,
                                   const char *path, evm_error_t *err)
{
    return evm_paint_to_file(scene, fmt, opt, true, path, err);
}

evm_status evm_paint_to_file(const evm_scene_t *scene, evm_format fmt,
                             const evm_render_options_t *opt, bool sweep,
                             const char *path, evm_error_t *err)
{
    return evm_paint_to_file_deferred(scene, fmt, opt, sweep, path, NULL, err);
}

evm_status evm_paint_to_file_deferred(const evm_scene_t *scene, evm_format fmt,
                                      const evm_render_options_t *opt,
                                      bool sweep, const char *path,
                                      evm_file_pending_t **pending,
                                      evm_error_t *err)
{
    if (pending)
        *pending = NULL;
    evm_render_options_t defaults;
    opt = render_options(opt, &defaults, err);
    if (!opt)
        return EVM_ERR_INVALID_ARG;
    if (!choose_backend(fmt, opt, err))
        return EVM_ERR_INVALID_ARG;
    /* Checked before the temporary file exists, so a bad scene touches
     * nothing on disk. */
    evm_status st = evm_file_name_check(path, err);
    if (st == EVM_OK)
        st = check_options(opt, err);
    if (st == EVM_OK)
        st = evm_paint_check_scene(scene, err);
    if (st != EVM_OK)
        return st;

    render_job_t job = {scene, fmt, opt};
    evm_file_write_opts_t fo = evm_paint_file_opts(opt, sweep);
    fo.defer = pending;
    return evm_file_write(path, &fo, produce, &job, err);
}
