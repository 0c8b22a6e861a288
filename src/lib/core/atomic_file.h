/* The output layer: every file evmap writes goes through here. A regular
 * file (or a name not yet taken) is written atomically, through a marked
 * temporary file beside the target renamed over it once complete; a
 * device, FIFO or other non-regular file is written directly and in
 * order; a symbolic link is written through to its target. */
#ifndef EVM_CORE_ATOMIC_FILE_H
#define EVM_CORE_ATOMIC_FILE_H

#include <stdbool.h>

#include <evmap/render.h>
#include <evmap/status.h>

/* Produces the file's bytes through write(write_closure, ...); returns
 * EVM_OK or an error described in err. */
typedef evm_status (*evm_produce_fn)(void *closure, evm_write_fn write,
                                     void *write_closure, evm_error_t *err);

/* A finished file waiting to be made durable and put in place
 * (evm_file_commit), or removed (evm_file_abort). */
typedef struct evm_file_pending evm_file_pending_t;

typedef struct evm_file_write_opts {
    /* fsync the file before the rename and its folder after, so that a
     * finished file survives a crash of the machine. */
    bool fsync;
    /* Remove stale temporary files (evm_temp_sweep) in the target's
     * folder before writing. A batch sweeps each folder once instead. */
    bool sweep;
    /* Asked before each write; true stops with EVM_ERR_CANCELLED and the
     * temporary file removed. May be NULL. */
    evm_cancel_fn cancel;
    void *cancel_user;
    /* Not NULL: a file written through a temporary one stops before its
     * sync and rename, and *defer gets it (NULL for a file written in
     * place, already finished), so that another thread can make it
     * durable while this one goes on: a batch hides the wait for the
     * disk behind the next map. The temporary file stays locked, and so
     * safe from sweeps, until then. */
    evm_file_pending_t **defer;
} evm_file_write_opts_t;

/* EVM_ERR_INVALID_ARG unless path names a file: not NULL or empty, and
 * not ending in '/'. evm_file_write checks it first; a caller with other
 * checks to make before writing calls it to say this first. */
evm_status evm_file_name_check(const char *path, evm_error_t *err);

/* Calls produce with a writer to path, as the header above describes. On
 * failure or cancel the temporary file is removed and a regular target
 * is untouched (a device or FIFO may have received part of the bytes),
 * and err names path (EVM_ERR_IO for the file system's refusals, with the
 * reason). A new file gets the mode 0666 less the umask; a replaced one
 * keeps its permission bits. opts NULL: sweep, no fsync, no cancel. */
evm_status evm_file_write(const char *path, const evm_file_write_opts_t *opts,
                          evm_produce_fn produce, void *closure,
                          evm_error_t *err);

/* Finishes a deferred file as evm_file_write would have: fsync (when its
 * options asked for it), rename over the target, fsync of the folder.
 * On failure the temporary file is removed and err names the target.
 * Frees p in either case; NULL is a no-op. */
evm_status evm_file_commit(evm_file_pending_t *p, evm_error_t *err);

/* Removes a deferred file's temporary file and frees p; NULL is a
 * no-op. */
void evm_file_abort(evm_file_pending_t *p);

/* evm_file_write with the default options. */
evm_status evm_atomic_file_write(const char *path, evm_produce_fn produce,
                                 void *closure, evm_error_t *err);

/* Where a write to path lands: path itself, or for a symbolic link
 * (followed through up to 40 links, dangling or not) the file it points
 * to, a relative target taken from the link's folder. Caller frees; NULL
 * when out of memory or the links loop (errno ELOOP). */
char *evm_output_resolve(const char *path);

#endif
