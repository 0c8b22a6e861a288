/* Opening input files. strerror_r rather than strerror: loaders run on
 * several threads at once, and strerror may share one buffer. */
#define _POSIX_C_SOURCE 200809L

#include "core/file_open.h"

#include <errno.h>
#include <string.h>

#include "core/error.h"

evm_status evm_file_open_read(const char *path, FILE **out, evm_error_t *err)
{
    *out = fopen(path, "rb");
    if (*out)
        return EVM_OK;
    int errnum = errno;
    char why[128];
    if (strerror_r(errnum, why, sizeof why) != 0)
        snprintf(why, sizeof why, "error %d", errnum);
    return evm_error_set(err, EVM_ERR_IO, path, 0, 0, "cannot open: %s", why);
}
