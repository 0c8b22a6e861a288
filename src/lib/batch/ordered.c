/* Ordered parallel output. Chunk c is made in slot c % n_slots; a worker
 * may claim chunk c only once chunk c - n_slots has been written, which
 * bounds memory to n_slots buffers, and the writer (the calling thread)
 * waits for the slot of the next chunk to be done. Workers never touch
 * the output, so its order is that of the chunks whatever the timing. An
 * error from a worker or from the writer stops the job: the first one is
 * kept, workers stop claiming chunks, and everything is joined before
 * returning. */
#include "batch/ordered.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

typedef struct slot {
    evm_buf_t buf;
    size_t chunk; /* the chunk it holds when done */
    bool done;
} slot_t;

typedef struct run {
    size_t n, chunk_items, n_chunks;
    evm_chunk_fn fn;
    void *closure;
    pthread_mutex_t mu;
    pthread_cond_t can_claim; /* a slot was freed, or stop */
    pthread_cond_t can_write; /* a chunk was done, or stop */
    size_t next_claim, next_write;
    slot_t *slots;
    size_t n_slots;
    bool stop;
    evm_status st;
    evm_error_t err;
} run_t;

static evm_status make_chunk(run_t *r, size_t c, evm_buf_t *buf,
                             evm_error_t *err)
{
    size_t begin = c * r->chunk_items;
    size_t end = begin + r->chunk_items < r->n ? begin + r->chunk_items : r->n;
    buf->len = 0;
    buf->nomem = false;
    evm_status st = r->fn(r->closure, begin, end, buf, err);
    if (!st && buf->nomem)
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                           "out of memory formatting output");
    return st;
}

/* Records the first error and wakes everyone. Called with mu held. */
static void fail_locked(run_t *r, evm_status st, const evm_error_t *err)
{
    if (!r->stop) {
        r->stop = true;
        r->st = st;
        r->err = *err;
    }
    pthread_cond_broadcast(&r->can_claim);
    pthread_cond_broadcast(&r->can_write);
}

static void *worker(void *arg)
{
    run_t *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->stop && r->next_claim < r->n_chunks &&
               r->next_claim >= r->next_write + r->n_slots)
            pthread_cond_wait(&r->can_claim, &r->mu);
        if (r->stop || r->next_claim >= r->n_chunks)
            break;
        size_t c = r->next_claim++;
        slot_t *s = &r->slots[c % r->n_slots];
        pthread_mutex_unlock(&r->mu);
        evm_error_t err;
        evm_status st = make_chunk(r, c, &s->buf, &err);
        pthread_mutex_lock(&r->mu);
        if (st) {
            fail_locked(r, st, &err);
            break;
        }
        s->chunk = c;
        s->done = true;
        pthread_cond_broadcast(&r->can_write);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* One thread: make and write each chunk in turn. */
static evm_status run_inline(run_t *r, evm_write_fn write, void *wc,
                             evm_error_t *err)
{
    evm_buf_t buf = {0};
    evm_status st = EVM_OK;
    for (size_t c = 0; c < r->n_chunks && !st; c++) {
        st = make_chunk(r, c, &buf, err);
        if (!st && buf.len &&
            (st = write(wc, (const unsigned char *)buf.data, buf.len)))
            evm_error_set(err, st, NULL, 0, 0, "could not write the output");
    }
    evm_buf_free(&buf);
    return st;
}

evm_status evm_ordered_run(size_t n, size_t chunk_items, unsigned jobs,
                           evm_chunk_fn fn, void *closure, evm_write_fn write,
                           void *write_closure, evm_error_t *err)
{
    evm_error_t local;
    if (!err)
        err = &local;
    evm_error_clear(err);
    run_t r = {0};
    r.n = n;
    r.chunk_items = chunk_items ? chunk_items : 1;
    r.n_chunks = n / r.chunk_items + (n % r.chunk_items != 0);
    r.fn = fn;
    r.closure = closure;
    if (jobs > r.n_chunks)
        jobs = (unsigned)(r.n_chunks ? r.n_chunks : 1);
    if (jobs <= 1)
        return run_inline(&r, write, write_closure, err);

    r.n_slots = 2 * (size_t)jobs + 2;
    r.slots = calloc(r.n_slots, sizeof *r.slots);
    pthread_t *threads = calloc(jobs, sizeof *threads);
    if (!r.slots || !threads) {
        free(r.slots);
        free(threads);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory starting threads");
    }
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.can_claim, NULL);
    pthread_cond_init(&r.can_write, NULL);
    unsigned started = 0;
    while (started < jobs &&
           pthread_create(&threads[started], NULL, worker, &r) == 0)
        started++;
    evm_status st = EVM_OK;
    if (started == 0) {
        /* No thread at all: do the work here after all. */
        st = run_inline(&r, write, write_closure, err);
    } else {
        pthread_mutex_lock(&r.mu);
        while (!r.stop && r.next_write < r.n_chunks) {
            slot_t *s = &r.slots[r.next_write % r.n_slots];
            while (!r.stop && !(s->done && s->chunk == r.next_write))
                pthread_cond_wait(&r.can_write, &r.mu);
            if (r.stop)
                break;
            pthread_mutex_unlock(&r.mu);
            evm_status ws =
                s->buf.len
                    ? write(write_closure, (const unsigned char *)s->buf.data,
                            s->buf.len)
                    : EVM_OK;
            pthread_mutex_lock(&r.mu);
            if (ws) {
                evm_error_t we;
                evm_error_set(&we, ws, NULL, 0, 0,
                              "could not write the output");
                fail_locked(&r, ws, &we);
                break;
            }
            s->done = false;
            r.next_write++;
            pthread_cond_broadcast(&r.can_claim);
        }
        /* Whatever ended the loop, the workers must stop claiming. */
        r.stop = true;
        pthread_cond_broadcast(&r.can_claim);
        pthread_mutex_unlock(&r.mu);
        for (unsigned i = 0; i < started; i++)
            pthread_join(threads[i], NULL);
        if (r.st) {
            st = r.st;
            *err = r.err;
        }
    }
    for (size_t i = 0; i < r.n_slots; i++)
        evm_buf_free(&r.slots[i].buf);
    free(r.slots);
    free(threads);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.can_claim);
    pthread_cond_destroy(&r.can_write);
    return st;
}
