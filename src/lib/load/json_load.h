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

/* Where a value starts: line and column (UTF-8 characters), 1-based. */
typedef struct evm_json_pos {
    unsigned long line, column;
} evm_json_pos_t;

/* As evm_json_load (a UTF-8 byte order mark in front is allowed), and
 * where each feature starts: the elements of a top-level array, or of
 * the "features" member of a top-level object (the last one when the
 * member repeats); when there is no such list, or it is empty, one
 * entry: where the document's value starts. *pos (n_pos entries, in
 * order) is the caller's to free, also on an empty list. A syntax error
 * names its line and column in the whole text. */
evm_status evm_json_load_features(const char *name, const char *data,
                                  size_t len, json_t **root,
                                  evm_json_pos_t **pos, size_t *n_pos,
                                  evm_error_t *err);

#endif
