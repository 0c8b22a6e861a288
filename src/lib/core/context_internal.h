/* The per-thread context's contents, for library modules. */
#ifndef EVM_CORE_CONTEXT_INTERNAL_H
#define EVM_CORE_CONTEXT_INTERNAL_H

#include <stddef.h> /* geodesic.h uses NULL without including it */

#include <geodesic.h>
#include <proj.h>

#include <evmap/context.h>

struct evm_context {
    PJ_CONTEXT *pj;
    /* A context with no database, for plain "+proj=" conversions: opening
     * proj.db costs several milliseconds per process, more than the rest
     * of a small map's projection work, and such strings never need it. */
    PJ_CONTEXT *pj_nodb;
    struct geod_geodesic wgs84; /* initialised for WGS84 */
};

/* A WGS84 geodesic object, initialised once per process in a thread-safe
 * way; usable by any module without a context. */
const struct geod_geodesic *evm_wgs84(void);

/* A new PROJ context like a context's pj_nodb, for a thread of its own:
 * quiet, and with no database. NULL when PROJ cannot make one. */
PJ_CONTEXT *evm_proj_context_nodb(void);

#endif
