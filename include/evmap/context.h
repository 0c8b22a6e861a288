/* Per-thread working context.
 *
 * PROJ contexts and Pango font maps are not safe to share between
 * threads, so every thread that lays out or paints maps owns one
 * evm_context_t. Loaded inputs (events, geodata) are read-only and may be
 * shared between contexts. */
#ifndef EVMAP_CONTEXT_H
#define EVMAP_CONTEXT_H

#include "export.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evm_context evm_context_t;

/* Creates a context. Safe to call from several threads at once: the
 * one-time initialisation of shared geodesic constants is done under
 * pthread_once. The caller owns *out and frees it with
 * evm_context_destroy. */
EVM_API evm_status evm_context_create(evm_context_t **out, evm_error_t *err);

/* Frees a context; NULL is a no-op. */
EVM_API void evm_context_destroy(evm_context_t *ctx);

#ifdef __cplusplus
}
#endif

#endif
