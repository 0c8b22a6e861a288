/* Links: pairs of places to draw distance lines between, read from a
 * CSV file with the columns from, to and optionally label (header names
 * matched ignoring ASCII case, other columns ignored). An empty label
 * means "the computed length". Names are resolved against the events by
 * the caller, which knows where inline coordinates are allowed. */
#ifndef EVMAP_LINKS_H
#define EVMAP_LINKS_H

#include <stddef.h>

#include "export.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evm_link {
    const char *from, *to; /* as written; not empty */
    const char *label;     /* "" when absent or empty */
    unsigned long line;    /* line of the file where the row starts */
    unsigned long from_column, to_column; /* 1-based, for messages */
} evm_link_t;

typedef struct evm_links evm_links_t;

/* Reads a links file. A missing from or to column, or an empty from or
 * to cell, is EVM_ERR_PARSE naming the file, line and column; so is
 * malformed CSV. The caller owns *out. */
EVM_API evm_status evm_links_load_file(const char *path, evm_links_t **out,
                                       evm_error_t *err);
/* The same from memory; display_name names it in messages. */
EVM_API evm_status evm_links_load_memory(const char *display_name,
                                         const void *data, size_t len,
                                         evm_links_t **out, evm_error_t *err);
/* Frees; NULL is a no-op. */
EVM_API void evm_links_destroy(evm_links_t *links);

EVM_API size_t evm_links_count(const evm_links_t *links);
/* Borrowed for the lifetime of links; i < count. */
EVM_API const evm_link_t *evm_links_get(const evm_links_t *links, size_t i);
/* The file name used in messages. */
EVM_API const char *evm_links_source(const evm_links_t *links);

#ifdef __cplusplus
}
#endif

#endif
