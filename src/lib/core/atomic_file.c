/* Atomic file output. A reader never sees a half-written file, and a
 * failed write leaves an older file in place. */
#define _POSIX_C_SOURCE 200809L

#include "core/atomic_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/tempfile.h"

typedef struct sink {
    FILE *f;
    int errnum; /* errno of the first failed write, 0 if none */
} sink_t;

static evm_status sink_write(void *closure, const unsigned char *data,
                             size_t len)
{
    sink_t *s = closure;
    if (len && fwrite(data, 1, len, s->f) != len) {
        if (!s->errnum)
            s->errnum = errno ? errno : EIO;
        return EVM_ERR_IO;
    }
    return EVM_OK;
}

static evm_status io_error(evm_error_t *err, const char *path, const char *what,
                           int errnum)
{
    char msg[128];
    if (strerror_r(errnum, msg, sizeof msg) != 0)
        snprintf(msg, sizeof msg, "error %d", errnum);
    return evm_error_set(err, EVM_ERR_IO, path, 0, 0, "%s: %s", what, msg);
}

/* 0666 less the umask, read from /proc/self/status since umask() can
 * only be read by setting it, which races with other threads creating
 * files; 022 where that is not available. mkstemp's 0600 would make the
 * file private to its owner. */
static mode_t new_file_mode(void)
{
    unsigned mask = 022;
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "Umask: %o", &mask) == 1)
                break;
        fclose(f);
    }
    return (mode_t)(0666 & ~mask);
}

evm_status evm_atomic_file_write(const char *path, evm_produce_fn produce,
                                 void *closure, evm_error_t *err)
{
    if (!path || !path[0])
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no output file name");
    const char *slash = strrchr(path, '/');
    if (!(slash ? slash[1] : path[0]))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, path, 0, 0,
                             "not a file name");
    char *tmp = evm_temp_template(path);
    if (!tmp)
        return evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0, "out of memory");
    evm_status st;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        st = io_error(err, path, "cannot create a temporary file beside it",
                      errno);
        free(tmp);
        return st;
    }
    (void)fchmod(fd, new_file_mode()); /* else it just stays 0600 */
    sink_t s = {fdopen(fd, "wb"), 0};
    if (!s.f) {
        st = io_error(err, path, "cannot open the temporary file", errno);
        close(fd);
        goto fail;
    }
    st = produce(closure, sink_write, &s, err);
    if (st == EVM_ERR_IO && s.errnum)
        io_error(err, path, "cannot write", s.errnum);
    /* Buffered bytes meet a full disk here, not in fwrite. */
    if (fclose(s.f) != 0 && st == EVM_OK)
        st = io_error(err, path, "cannot write", errno);
    if (st == EVM_OK && rename(tmp, path) != 0)
        st = io_error(err, path, "cannot replace the file", errno);
    if (st == EVM_OK) {
        free(tmp);
        return EVM_OK;
    }
fail:
    unlink(tmp);
    free(tmp);
    return st;
}
