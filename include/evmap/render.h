/* Painting a scene into a file format.
 *
 * Output goes through a write callback, so a map can be rendered to
 * memory, to stdout or to a file. File output to a regular file (or a new
 * name) is atomic: the bytes go to a hidden temporary file
 * ".NAME.evmap-tmp-XXXXXX" in the target's folder, renamed over the
 * target only when complete; on failure or cancel the temporary file is
 * removed and the target is untouched. A device, FIFO or socket is
 * written directly, in order, never replaced. A symbolic link is written
 * through: its target is replaced atomically in the target's folder and
 * the link stays. Each file write first removes the temporary files a
 * killed run left in that folder (those no live process holds locked);
 * see docs/output.md. */
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

/* What writes EVM_FORMAT_SVG. */
typedef enum evm_svg_engine {
    /* evmap's semantic SVG: one group per layer, ids and data-* attributes
     * per event, real <text>, classes and one style sheet. */
    EVM_SVG_NATIVE = 0,
    /* cairo's SVG surface: the same picture with letters as outlines. */
    EVM_SVG_CAIRO
} evm_svg_engine;

/* What writes EVM_FORMAT_PDF. */
typedef enum evm_pdf_engine {
    /* evmap's PDF writer: the same picture, text as text in embedded font
     * subsets, numbers rounded to 0.01 pt; several times faster. A map
     * with a label in a font it cannot embed (without TrueType or CFF
     * outlines, or an instance of a variable font) is written by cairo. */
    EVM_PDF_NATIVE = 0,
    /* cairo's PDF surface. */
    EVM_PDF_CAIRO
} evm_pdf_engine;

/* Options of the output formats; zero fields are not all defaults, so
 * start from evm_render_options_init. */
/* The version of evm_evm_render_options_t this header declares. */
#define EVM_RENDER_OPTIONS_VERSION 1

typedef struct evm_render_options {
    /* EVM_RENDER_OPTIONS_VERSION, set by evm_render_options_init: the
     * layout of this struct the caller was built with, so that fields can
     * be added without breaking callers built before. */
    unsigned version;
    evm_svg_engine svg_engine; /* default EVM_SVG_NATIVE */
    evm_pdf_engine pdf_engine; /* default EVM_PDF_NATIVE */
    /* Native SVG: coordinates are rounded to a multiple of this, px, in
     * [0.001, 100]; default 0.1. */
    double precision_px;
    /* Native SVG: CSS appended to the document's style sheet, UTF-8, or
     * NULL. Borrowed for the call. */
    const char *extra_css;
    /* Threads one render may use besides the caller's: 0 lets evmap
     * choose (PNG paints and compresses two bands on two threads), 1
     * keeps all the work on the calling thread, as a batch that already
     * runs one map per core wants. */
    unsigned threads;
    /* File output (evm_render_to_file_with and the other *_to_file_with
     * calls): fsync the finished file and its folder before returning, so
     * that it survives a crash of the machine. Default false. */
    bool fsync;
    /* Asked between the steps of a render and before each write; when it
     * returns true the render stops with EVM_ERR_CANCELLED and a file
     * being written is removed (see evm_cancel_fn). NULL: never. */
    evm_cancel_fn cancel;
    void *cancel_user;
} evm_render_options_t;

EVM_API void evm_render_options_init(evm_render_options_t *opt);

/* Sets one option from text, as `evmap render` and the cells of a batch
 * jobs file give it (key spelling as evm_map_options_set):
 *   svg-engine native|cairo, pdf-engine native|cairo,
 *   precision PX (a decimal number in 0.001..100).
 * A bad value is EVM_ERR_INVALID_ARG with a message naming the key and
 * the expected form; an unknown key is EVM_ERR_NOT_FOUND. opt is
 * unchanged on failure. */
EVM_API evm_status evm_render_options_set(evm_render_options_t *opt,
                                          const char *key, const char *value,
                                          evm_error_t *err);
/* The keys evm_render_options_set knows, i from 0 until NULL. */
EVM_API const char *evm_render_options_key(size_t i);

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

/* evm_render and evm_render_to_file with options; opt NULL means the
 * defaults. Invalid options are EVM_ERR_INVALID_ARG. */
EVM_API evm_status evm_render_with(const evm_scene_t *scene, evm_format fmt,
                                   const evm_render_options_t *opt,
                                   evm_write_fn write, void *closure,
                                   evm_error_t *err);
EVM_API evm_status evm_render_to_file_with(const evm_scene_t *scene,
                                           evm_format fmt,
                                           const evm_render_options_t *opt,
                                           const char *path, evm_error_t *err);

/* Writes the scene's features (scene->features: the lines the map draws,
 * in geographic coordinates) and its events as a GeoJSON FeatureCollection (RFC
 * 7946), UTF-8, whatever the locale. Each feature is
 *   {"type":"Feature","id":ID,"geometry":G,"properties":{"kind":KIND,...}}
 * with its properties in order after "kind" (a property named "kind" is
 * left out; a number that is not finite is null). G is a LineString of
 * [longitude, latitude] positions in degrees with up to 7 decimals, or a
 * MultiLineString when the line crosses the antimeridian, split there
 * with both parts at exactly 180 / -180 and the same latitude; null for a
 * feature without vertices. Each geodesic between vertices is densified
 * so that the straight lon/lat segments stay within 1 m of it, with
 * written points at most 20 km apart. Invalid UTF-8 in a string is
 * written as U+FFFD. Then each of the scene's events (scene->events, in
 * order, whether drawn or not) as
 *   {"type":"Feature","id":"event-SLUG","geometry":{"type":"Point",
 *    "coordinates":[LON,LAT]},"properties":{COLUMN:CELL,...}}
 * with up to 9 decimals and every cell as text under its column's name,
 * as evm_events_write writes GeoJSON (geometry null for an event without
 * a position). A scene without features or events gives an empty
 * collection. EVM_ERR_INVALID_ARG (nothing written) for a vertex whose latitude
 * is outside [-90, 90] or whose longitude is not finite; the callback's status
 * when it fails; EVM_ERR_NOMEM. See docs/geojson.md. */
EVM_API evm_status evm_scene_write_geojson(const evm_scene_t *scene,
                                           evm_write_fn write, void *closure,
                                           evm_error_t *err);

/* The same into path, atomically as evm_render_to_file: on any failure
 * the temporary file is removed and path is untouched. */
EVM_API evm_status evm_scene_geojson_to_file(const evm_scene_t *scene,
                                             const char *path,
                                             evm_error_t *err);
/* With the file options of opt (fsync, cancel); opt NULL: defaults. */
EVM_API evm_status evm_scene_geojson_to_file_with(
    const evm_scene_t *scene, const evm_render_options_t *opt, const char *path,
    evm_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
