/* What the base map loaders (TopoJSON, packed, the reference layers,
 * worldviews) share beyond the data type of core/basemap.h. */
#ifndef EVM_LOAD_BASEMAP_INTERNAL_H
#define EVM_LOAD_BASEMAP_INTERNAL_H

#include <stddef.h>

#include <evmap/geodata.h>

#include "core/basemap.h"

/* The w, s, e, n box of n >= 1 lon/lat points (closed: a ring, whose
 * closing edge counts). A longitude step of more than 180 degrees between
 * neighbours crosses the antimeridian: the box then spans all longitudes. */
void evm_llbox_of(const double *pts, size_t n, int closed, evm_llbox_t *box);

/* The international worldview of base (see evm_geodata_worldview),
 * given the disputed-areas layer; *out NULL when nothing in base
 * changes. The caller owns *out, which borrows from base. */
evm_status evm_worldview_international(const evm_basemap_t *base,
                                       const evm_basemap_t *areas,
                                       evm_basemap_t **out, evm_error_t *err);

#endif
