/* Map layout: events and base map in, a scene out.
 *
 * evm_map_layout chooses the projection and extent (unless given), picks
 * the base map resolution from the map's scale, projects and clips the
 * base map to the view, and places markers, labels, legend, scale bar,
 * title and source line without overlaps. */
#ifndef EVMAP_MAP_H
#define EVMAP_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "events.h"
#include "export.h"
#include "geodata.h"
#include "scene.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum evm_units {
    EVM_UNITS_KM = 0,
    EVM_UNITS_MI,
    EVM_UNITS_NMI,
    EVM_UNITS_M
} evm_units;

typedef struct evm_map_options {
    double width_px, height_px; /* page size; default 1600 x 1000 */
    double dpi;                 /* default 96: 1 pt = 96/72 px */
    const char *title;          /* NULL or "": no title band */
    const char *subtitle;       /* optional second line */
    const char *source;         /* extra credit before "Natural Earth" */
    const char *proj;           /* anything PROJ accepts; NULL: choose */
    bool has_extent;
    double extent[4];        /* W, S, E, N in degrees; W > E crosses
                                the antimeridian */
    evm_basemap_res basemap; /* AUTO: from the map scale */
    evm_units units;         /* of the scale bar */
    bool graticule, legend, scale_bar;
    const char *font_family; /* default "Noto Sans" */
} evm_map_options_t;

EVM_API void evm_map_options_init(evm_map_options_t *opt);

/* Lays out a map. events may be empty or NULL (a base map only) when an
 * extent is given. geodata is shared and read-only. The caller owns
 * *out. */
EVM_API evm_status evm_map_layout(evm_context_t *ctx,
                                  const evm_events_t *events,
                                  evm_geodata_t *geodata,
                                  const evm_map_options_t *opt,
                                  evm_scene_t **out, evm_error_t *err);

/* "km", "mi", "nmi", "m" or EVM_ERR_INVALID_ARG. */
EVM_API evm_status evm_units_parse(const char *text, evm_units *out);
EVM_API const char *evm_units_name(evm_units units);
/* Metres in one unit. */
EVM_API double evm_units_metres(evm_units units);

#ifdef __cplusplus
}
#endif

#endif
