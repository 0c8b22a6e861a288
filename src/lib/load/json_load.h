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

/* A GeoJSON document and where its features start. */
typedef struct evm_json_doc {
    json_t *root;
    /* The elements of a top-level array, or of the "features" member of a
     * top-level object (the last one when the member repeats), in order;
     * when there is no such list, or it is empty, one entry: where the
     * document's value starts. n_pos >= 1 once loaded. */
    evm_json_pos_t *pos;
    size_t n_pos;
} evm_json_doc_t;

/* As evm_json_load (a UTF-8 byte order mark in front is allowed) into
 * doc->root, with the positions of doc->pos. The caller releases doc
 * with evm_json_doc_free, also after a failure (doc is then empty). A
 * syntax error names its line and column in the whole text. */
evm_status evm_json_load_features(const char *name, const char *data,
                                  size_t len, evm_json_doc_t *doc,
                                  evm_error_t *err);

/* Where feature i of the list starts; past the list (or without one),
 * where the document's value starts. */
static inline evm_json_pos_t evm_json_doc_at(const evm_json_doc_t *doc,
                                             size_t i)
{
    return i < doc->n_pos ? doc->pos[i] : doc->pos[0];
}

/* Releases the document and its positions and empties doc. */
void evm_json_doc_free(evm_json_doc_t *doc);

#endif
