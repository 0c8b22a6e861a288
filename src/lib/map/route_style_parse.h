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

/* Receives a parsed style and takes ownership of route (may be NULL). */
typedef evm_status (*evm_route_style_add_fn)(void *user,
                                             const evm_map_route_style_t *s,
                                             char *route, evm_error_t *err);

/* Reads a file of styles, one per line; blank lines and lines starting
 * with '#' are skipped. A bad line, a NUL byte or a file larger than
 * max_bytes (0: the default of evm_read_file_capped) is EVM_ERR_PARSE
 * with the file and line; an unreadable file EVM_ERR_IO. */
evm_status evm_route_styles_load_file(const char *path, size_t max_bytes,
                                      evm_route_style_add_fn add, void *user,
                                      evm_error_t *err);

/* Parses one "KIND: PROPERTY=VALUE ..." into *out; the kind is copied
 * into *kind (the caller's, which out->kind points at). As
 * evm_route_style_parse otherwise. */
evm_status evm_kind_style_parse(const char *spec, const char *file,
                                unsigned long line, evm_map_kind_style_t *out,
                                char **kind, evm_error_t *err);

/* Receives a parsed kind style and takes ownership of kind. */
typedef evm_status (*evm_kind_style_add_fn)(void *user,
                                            const evm_map_kind_style_t *s,
                                            char *kind, evm_error_t *err);

/* Reads a file of kind styles, one per line, as
 * evm_route_styles_load_file. */
evm_status evm_kind_styles_load_file(const char *path, size_t max_bytes,
                                     evm_kind_style_add_fn add, void *user,
                                     evm_error_t *err);

/* Parses a user base layer's style, "fill=#e8e0d0, stroke=#555,
 * width=0.8, dash=4 2" (',' between properties; color is
 * stroke; a colour may be none), over the defaults already in *out.
 * what (the layer's file) is named in messages. EVM_ERR_INVALID_ARG
 * saying what is wrong, or EVM_ERR_NOMEM. */
evm_status evm_layer_style_parse(const char *spec, const char *what,
                                 evm_map_layer_style_t *out, evm_error_t *err);

#endif
