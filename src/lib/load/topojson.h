/* TopoJSON (world-atlas layout) decoding into struct evm_basemap. */
#ifndef EVM_LOAD_TOPOJSON_H
#define EVM_LOAD_TOPOJSON_H

#include <stddef.h>

#include <evmap/geodata.h>

/* Decodes the TopoJSON text data[0..len) (not NUL-terminated). name is
 * used in error messages only (may be NULL). Malformed input, including
 * JSON syntax errors (with jansson's line and column), is EVM_ERR_PARSE.
 * The caller owns *out. */
evm_status evm_topojson_decode(const void *data, size_t len, const char *name,
                               evm_basemap_t **out, evm_error_t *err);

#endif
