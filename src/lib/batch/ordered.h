/* Ordered parallel output: a job of n items is cut into chunks that
 * worker threads turn into bytes, and the calling thread writes the
 * chunks in order as they complete. At most a fixed number of chunks
 * (a few per thread) are in flight, so memory does not grow with n, and
 * the output is the same for any number of threads. */
#ifndef EVM_BATCH_ORDERED_H
#define EVM_BATCH_ORDERED_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/render.h>
#include <evmap/status.h>

#include "core/buf.h"

/* Appends the bytes of items [begin, end) to out. Runs in a worker
 * thread: it must only read shared state. Returns EVM_OK or an error
 * (described in err) that stops the job. */
typedef evm_status (*evm_chunk_fn)(void *closure, size_t begin, size_t end,
                                   evm_buf_t *out, evm_error_t *err);

/* Runs fn over items [0, n) in chunks of chunk_items, on `jobs` threads
 * (1: in the calling thread), and passes each chunk's bytes to write, in
 * order, from the calling thread. Returns the first error of fn or write
 * (and stops the others soon after). */
evm_status evm_ordered_run(size_t n, size_t chunk_items, unsigned jobs,
                           evm_chunk_fn fn, void *closure, evm_write_fn write,
                           void *write_closure, evm_error_t *err);

#endif
