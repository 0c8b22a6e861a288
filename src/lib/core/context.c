/* Per-thread contexts. The first geod_init of a process initialises
 * constants shared by all geodesic objects, so it runs once under
 * pthread_once before any context exists. */
#include "core/context_internal.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/error.h"

static pthread_once_t wgs84_once = PTHREAD_ONCE_INIT;
static struct geod_geodesic wgs84_geod; /* written once, then read-only */

static void wgs84_init(void)
{
    geod_init(&wgs84_geod, 6378137.0, 1.0 / 298.257223563);
}

const struct geod_geodesic *evm_wgs84(void)
{
    pthread_once(&wgs84_once, wgs84_init);
    return &wgs84_geod;
}

/* PROJ reports some failures through its logger even at PJ_LOG_NONE;
 * the library never prints, and errors reach the caller as values. */
static void proj_quiet(void *data, int level, const char *msg)
{
    (void)data;
    (void)level;
    (void)msg;
}

PJ_CONTEXT *evm_proj_context_nodb(void)
{
    PJ_CONTEXT *pj = proj_context_create();
    if (!pj)
        return NULL;
    proj_log_level(pj, PJ_LOG_NONE);
    proj_log_func(pj, NULL, proj_quiet);
    /* A search path where proj.db cannot be: PROJ then skips the
     * database, which plain conversions do not use. */
    const char *nowhere[] = {"/nonexistent/evmap-no-proj-db"};
    proj_context_set_search_paths(pj, 1, nowhere);
    return pj;
}

evm_status evm_context_create(evm_context_t **out, evm_error_t *err)
{
    *out = NULL;
    evm_context_t *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory creating a context");
    ctx->wgs84 = *evm_wgs84();
    ctx->pj = proj_context_create();
    if (!ctx->pj) {
        free(ctx);
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "PROJ could not create a context");
    }
    ctx->pj_nodb = evm_proj_context_nodb();
    if (!ctx->pj_nodb) {
        proj_context_destroy(ctx->pj);
        free(ctx);
        return evm_error_set(err, EVM_ERR_PROJ, NULL, 0, 0,
                             "PROJ could not create a context");
    }
    /* PROJ would otherwise print its own diagnostics on stderr. */
    proj_log_level(ctx->pj, PJ_LOG_NONE);
    proj_log_func(ctx->pj, NULL, proj_quiet);
    *out = ctx;
    return EVM_OK;
}

void evm_context_destroy(evm_context_t *ctx)
{
    if (!ctx)
        return;
    proj_context_destroy(ctx->pj);
    proj_context_destroy(ctx->pj_nodb);
    free(ctx);
}
