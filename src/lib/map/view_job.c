/* Geometry projected on a second thread while this one does other work.
 * PROJ objects belong to one thread, so the job makes its own context
 * and projection from the view's definition (one that needs no
 * database, which would take longer to open than the work takes) and
 * works on a copy of the view, which shares its interpolation grid
 * (geo/grid.h): the points are the same as on this thread. */
#include <proj.h>
#include <stddef.h>

#include "core/context_internal.h"
#include "map/layout_internal.h"

static void *job_run(void *arg)
{
    evm_view_job_t *job = arg;
    PJ_CONTEXT *pj = evm_proj_context_nodb();
    evm_projection_t *proj = NULL;
    job->own_view =
        pj && !evm_projection_create(
                  pj, evm_projection_definition(job->view.proj), &proj, NULL);
    if (job->own_view) {
        evm_view_t view;
        evm_view_copy(&job->view, proj, &view);
        job->st = job->run(&view, job->arg);
    }
    evm_projection_destroy(proj);
    if (pj)
        proj_context_destroy(pj);
    return NULL;
}

bool evm_view_job_threads(const evm_layout_t *L)
{
    return L->opt->threads != 1 && !evm_projection_needs_database(
                                       evm_projection_definition(L->view.proj));
}

void evm_view_job_init(evm_view_job_t *job, const evm_view_t *view,
                       evm_status (*run)(const evm_view_t *, void *), void *arg)
{
    job->view = *view;
    job->run = run;
    job->arg = arg;
    job->st = EVM_OK;
    job->own_view = false;
    job->started = false;
}

void evm_view_job_start(evm_view_job_t *job)
{
    job->started = pthread_create(&job->thread, NULL, job_run, job) == 0;
}

evm_status evm_view_job_join(evm_view_job_t *job)
{
    if (job->started) {
        pthread_join(job->thread, NULL);
        job->started = false;
        if (job->own_view)
            return job->st;
    }
    /* No thread, or it could not make its projection: the work is done
     * here, on the view itself. */
    return job->run(&job->view, job->arg);
}
