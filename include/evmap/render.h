/* Painting a scene into a file format.
 *
 * Output goes through a write callback, so a map can be rendered to
 * memory, to stdout or to a file. File output is atomic: the bytes go to
 * a temporary file in the target's directory, renamed over the target
 * only when complete; on failure the temporary file is removed and the
 * target is untouched. */
#ifndef EVMAP_RENDER_H
#define EVMAP_RENDER_H

#include <stddef.h>

#include "export.h"
#include "scene.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum evm_format {
    EVM_FORMAT_PNG = 0,
    EVM_FORMAT_PDF,
    EVM_FORMAT_SVG
} evm_format;

/* Receives len bytes of output; returns EVM_OK or an error that stops the
 * rendering. */
typedef evm_status (*evm_write_fn)(void *closure, const unsigned char *data,
                                   size_t len);

/* "png", "pdf", "svg" (case-insensitive) or EVM_ERR_INVALID_ARG. */
EVM_API evm_status evm_format_parse(const char *name, evm_format *out);
/* From a file name's extension. */
EVM_API evm_status evm_format_from_path(const char *path, evm_format *out);
EVM_API const char *evm_format_name(evm_format fmt);

EVM_API evm_status evm_render(const evm_scene_t *scene, evm_format fmt,
                              evm_write_fn write, void *closure,
                              evm_error_t *err);

/* Renders to path atomically. */
EVM_API evm_status evm_render_to_file(const evm_scene_t *scene, evm_format fmt,
                                      const char *path, evm_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
