/* Loading a base map from memory, and the helpers the loaders share.
 * Internal: used by the TopoJSON and packed loaders, geodata, the tests
 * and the fuzz target. */
#ifndef EVM_LOAD_BASEMAP_IO_H
#define EVM_LOAD_BASEMAP_IO_H

#include <stddef.h>

#include <evmap/geodata.h>

/* Loaders accept longitudes in [-180, 180] and latitudes in [-90, 90]
 * with this much slack (degrees), for the rounding of quantized data;
 * Natural Earth itself stores the antimeridian as exactly +-180. */
#define EVM_BASEMAP_DEG_SLACK 1e-9

/* Loads a TopoJSON or packed base map held in memory, told apart by the
 * packed magic. name is used in error messages only (may be NULL). data
 * is only read during the call; the caller owns *out. */
evm_status evm_basemap_load_memory(const void *data, size_t len,
                                   const char *name, evm_basemap_t **out,
                                   evm_error_t *err);

#endif
