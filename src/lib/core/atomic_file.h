/* Writing a file atomically: a temporary file beside the target, renamed
 * over it once complete. */
#ifndef EVM_CORE_ATOMIC_FILE_H
#define EVM_CORE_ATOMIC_FILE_H

#include <evmap/render.h>
#include <evmap/status.h>

/* Produces the file's bytes through write(write_closure, ...); returns
 * EVM_OK or an error described in err. */
typedef evm_status (*evm_produce_fn)(void *closure, evm_write_fn write,
                                     void *write_closure, evm_error_t *err);

/* Calls produce with a writer into a temporary file beside path, and
 * renames that over path when produce and every write succeeded. On
 * failure the temporary file is removed, path is untouched, and err
 * names path (EVM_ERR_IO for the file system's refusals, with the
 * reason). The new file gets the mode 0666 less the umask. */
evm_status evm_atomic_file_write(const char *path, evm_produce_fn produce,
                                 void *closure, evm_error_t *err);

#endif
