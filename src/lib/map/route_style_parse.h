/* Route style overrides read from text (route_style_parse.c). */
#ifndef EVM_MAP_ROUTE_STYLE_PARSE_H
#define EVM_MAP_ROUTE_STYLE_PARSE_H

#include <evmap/map.h>

/* Parses one "SELECTOR: PROPERTY=VALUE, ..." into *out; a route selector's
 * name is copied into *route (the caller's, which out->route points at;
 * NULL for a mode). file and line (may be NULL and 0) name where the text
 * came from. EVM_ERR_INVALID_ARG saying what is wrong, or EVM_ERR_NOMEM;
 * *out unchanged and *route NULL on failure. */
evm_status evm_route_style_parse(const char *spec, const char *file,
                                 unsigned long line, evm_map_route_style_t *out,
                                 char **route, evm_error_t *err);

/* Parses one "KIND: PROPERTY=VALUE ..." into *out; the kind is copied
 * into *kind (the caller's, which out->kind points at). As
 * evm_route_style_parse otherwise. */
evm_status evm_kind_style_parse(const char *spec, const char *file,
                                unsigned long line, evm_map_kind_style_t *out,
                                char **kind, evm_error_t *err);

/* Takes one style given as text (a line of a file, or NULL and 0 for a
 * command-line value). */
typedef evm_status (*evm_style_line_fn)(void *ctx, const char *spec,
                                        const char *file, unsigned long line,
                                        evm_error_t *err);

/* Reads a file of styles (route or kind), one per line, calling parse on
 * each line that is neither blank nor a '#' comment. A line's
 * EVM_ERR_INVALID_ARG becomes EVM_ERR_PARSE (the file's fault, not the
 * caller's); a NUL byte or a file larger than max_bytes (0: the default
 * of evm_read_file_capped) is EVM_ERR_PARSE with the file and line; an
 * unreadable file EVM_ERR_IO. */
evm_status evm_style_lines_load(const char *path, size_t max_bytes,
                                evm_style_line_fn parse, void *ctx,
                                evm_error_t *err);

/* Parses a user base layer's style, "fill=#e8e0d0, stroke=#555,
 * width=0.8, dash=4 2" (',' between properties; color is
 * stroke; a colour may be none), over the defaults already in *out.
 * what (the layer's file) is named in messages. EVM_ERR_INVALID_ARG
 * saying what is wrong, or EVM_ERR_NOMEM. */
evm_status evm_layer_style_parse(const char *spec, const char *what,
                                 evm_map_layer_style_t *out, evm_error_t *err);

#endif
