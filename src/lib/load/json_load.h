/* Parsing a JSON document held in memory, with jansson's position of a
 * syntax error turned into evmap's error (json_load.c). */
#ifndef EVM_LOAD_JSON_LOAD_H
#define EVM_LOAD_JSON_LOAD_H

#include <stddef.h>

#include <jansson.h>

#include <evmap/status.h>

/* Parses len bytes of data (NULL reads as empty) into *root, which the
 * caller releases with json_decref. EVM_ERR_PARSE naming `name` with
 * jansson's line, column and reason, or EVM_ERR_NOMEM. */
evm_status evm_json_load(const char *name, const char *data, size_t len,
                         json_t **root, evm_error_t *err);

#endif
