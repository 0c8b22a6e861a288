/* The output layer. A reader never sees a half-written regular file, a
 * failed write leaves an older file in place, a device or FIFO is
 * written as `cat > target` would, and a temporary file left by a killed
 * run is recognised and removed by the next one. */
#define _DEFAULT_SOURCE

#include "core/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/tempfile.h"

typedef struct sink {
    FILE *f;
    int errnum; /* errno of the first failed write, 0 if none */
    const evm_file_write_opts_t *opts;
    bool cancelled;
} sink_t;

static evm_status sink_write(void *closure, const unsigned char *data,
                             size_t len)
{
    sink_t *s = closure;
    if (s->opts->cancel && s->opts->cancel(s->opts->cancel_user)) {
        s->cancelled = true;
        return EVM_ERR_CANCELLED;
    }
    if (len && fwrite(data, 1, len, s->f) != len) {
        if (!s->errnum)
            s->errnum = errno ? errno : EIO;
        return EVM_ERR_IO;
    }
    return EVM_OK;
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

char *evm_output_resolve(const char *path)
{
    char *p = evm_strdup(path);
    for (int hops = 0; p; hops++) {
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
            return p;
        if (hops == 40) {
            free(p);
            errno = ELOOP;
            return NULL;
        }
        size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
        char *target = malloc(cap);
        ssize_t n = target ? readlink(p, target, cap) : -1;
        if (n < 0 || (size_t)n >= cap) {
            /* Gone or changed between lstat and readlink: write the name
             * as given and let the open say what is wrong. */
            free(target);
            return p;
        }
        target[n] = '\0';
        const char *slash = strrchr(p, '/');
        if (target[0] == '/' || !slash) {
            free(p);
            p = target;
            continue;
        }
        size_t dir_len = (size_t)(slash - p) + 1;
        char *joined = malloc(dir_len + (size_t)n + 1);
        if (joined) {
            memcpy(joined, p, dir_len);
            memcpy(joined + dir_len, target, (size_t)n + 1);
        }
        free(target);
        free(p);
        p = joined;
    }
    return NULL;
}

/* Writes a device, FIFO or socket in place: it cannot be replaced, and
 * renaming a file over it would destroy it. */
static evm_status write_in_place(const char *path,
                                 const evm_file_write_opts_t *opts,
                                 evm_produce_fn produce, void *closure,
                                 evm_error_t *err)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return evm_error_io(err, path, "cannot open", errno);
    sink_t s = {fdopen(fd, "wb"), 0, opts, false};
    if (!s.f) {
        evm_status st = evm_error_io(err, path, "cannot open", errno);
        close(fd);
        return st;
    }
    evm_status st = produce(closure, sink_write, &s, err);
    if (s.cancelled)
        st = evm_error_set(err, EVM_ERR_CANCELLED, path, 0, 0,
                           "cancelled while writing");
    else if (st == EVM_ERR_IO && s.errnum)
        evm_error_io(err, path, "cannot write", s.errnum);
    if (fclose(s.f) != 0 && st == EVM_OK)
        st = evm_error_io(err, path, "cannot write", errno);
    return st;
}

/* mkstemp beside path, locked for the sweep of other runs to see it is
 * alive. A sweep may remove the file between its creation and the lock;
 * then the name no longer leads to our file, and we make another. */
static int create_locked_temp(char *tmp, const char *pattern)
{
    for (int tries = 0; tries < 8; tries++) {
        strcpy(tmp, pattern);
        int fd = mkstemp(tmp);
        if (fd < 0)
            return -1;
        struct stat a, b;
        if (flock(fd, LOCK_EX) == 0 && fstat(fd, &a) == 0 &&
            lstat(tmp, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
            return fd;
        close(fd);
    }
    errno = EEXIST;
    return -1;
}

static evm_status sync_folder(const char *path, evm_error_t *err)
{
    const char *slash = strrchr(path, '/');
    char *dir =
        slash ? strndup(path, (size_t)(slash - path) + 1) : evm_strdup(".");
    if (!dir)
        return evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0, "out of memory");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    evm_status st = EVM_OK;
    /* Some file systems cannot sync a folder (EINVAL); the rename is
     * then as durable as they make it. */
    if (fd >= 0 && fsync(fd) != 0 && errno != EINVAL)
        st = evm_error_io(err, path, "cannot sync the folder", errno);
    if (fd >= 0)
        close(fd);
    return st;
}

struct evm_file_pending {
    FILE *f;      /* the temporary file, written and flushed */
    char *tmp;    /* its name */
    char *target; /* the name it takes */
    bool fsync;
};

/* Removes the temporary file tmp, open as f (or NULL), while its lock
 * is still held; closes f and frees tmp. */
static void discard(FILE *f, char *tmp)
{
    unlink(tmp);
    if (f)
        fclose(f);
    free(tmp);
}

/* Makes the written temporary file f (name tmp) durable when asked and
 * puts it in place at path; removes it on failure. Closes f, frees tmp. */
static evm_status finish(FILE *f, char *tmp, const char *path, bool sync,
                         evm_error_t *err)
{
    evm_status st = EVM_OK;
    if (sync && fsync(fileno(f)) != 0)
        st = evm_error_io(err, path, "cannot sync", errno);
    /* The lock goes with the descriptor, after the rename: a sweep
     * between the two must not take the finished file for stale. */
    if (st == EVM_OK && rename(tmp, path) != 0)
        st = evm_error_io(err, path, "cannot replace the file", errno);
    if (fclose(f) != 0 && st == EVM_OK)
        st = evm_error_io(err, path, "cannot write", errno);
    if (st == EVM_OK && sync)
        st = sync_folder(path, err);
    if (st != EVM_OK)
        unlink(tmp);
    free(tmp);
    return st;
}

static evm_status write_atomically(const char *path, const struct stat *old,
                                   const evm_file_write_opts_t *opts,
                                   evm_produce_fn produce, void *closure,
                                   evm_error_t *err)
{
    char *pattern = evm_temp_template(path);
    char *tmp = pattern ? evm_strdup(pattern) : NULL;
    if (!tmp) {
        free(pattern);
        return evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    if (opts->sweep) {
        const char *slash = strrchr(path, '/');
        char *dir = slash ? strndup(path, (size_t)(slash - path) + 1) : NULL;
        evm_temp_sweep(slash ? dir : ".");
        free(dir);
    }
    evm_status st;
    int fd = create_locked_temp(tmp, pattern);
    free(pattern);
    if (fd < 0) {
        st = evm_error_io(err, path, "cannot create a temporary file beside it",
                          errno);
        free(tmp);
        return st;
    }
    /* A replaced file keeps its permissions; else 0666 less the umask
     * rather than mkstemp's 0600. */
    (void)fchmod(fd, old ? old->st_mode & 07777 : new_file_mode());
    sink_t s = {fdopen(fd, "wb"), 0, opts, false};
    if (!s.f) {
        st = evm_error_io(err, path, "cannot open the temporary file", errno);
        close(fd);
        goto fail;
    }
    st = produce(closure, sink_write, &s, err);
    if (s.cancelled)
        st = evm_error_set(err, EVM_ERR_CANCELLED, path, 0, 0,
                           "cancelled while writing");
    else if (st == EVM_ERR_IO && s.errnum)
        evm_error_io(err, path, "cannot write", s.errnum);
    /* Buffered bytes meet a full disk here, not in fwrite. */
    if (st == EVM_OK && fflush(s.f) != 0)
        st = evm_error_io(err, path, "cannot write", errno);
    if (st == EVM_OK && opts->defer) {
        evm_file_pending_t *p = malloc(sizeof *p);
        char *target = evm_strdup(path);
        if (p && target) {
            *p = (evm_file_pending_t){s.f, tmp, target, opts->fsync};
            *opts->defer = p;
            return EVM_OK;
        }
        free(p);
        free(target);
        st = evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    if (st == EVM_OK)
        return finish(s.f, tmp, path, opts->fsync, err);
fail:
    discard(s.f, tmp);
    return st;
}

evm_status evm_file_commit(evm_file_pending_t *p, evm_error_t *err)
{
    if (!p)
        return EVM_OK;
    evm_status st = finish(p->f, p->tmp, p->target, p->fsync, err);
    free(p->target);
    free(p);
    return st;
}

void evm_file_abort(evm_file_pending_t *p)
{
    if (!p)
        return;
    discard(p->f, p->tmp);
    free(p->target);
    free(p);
}

evm_status evm_file_name_check(const char *path, evm_error_t *err)
{
    if (!path || !path[0])
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no output file name");
    const char *slash = strrchr(path, '/');
    if (!(slash ? slash[1] : path[0]))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, path, 0, 0,
                             "not a file name");
    return EVM_OK;
}

evm_status evm_file_write(const char *path, const evm_file_write_opts_t *opts,
                          evm_produce_fn produce, void *closure,
                          evm_error_t *err)
{
    static const evm_file_write_opts_t defaults = {.sweep = true};
    if (!opts)
        opts = &defaults;
    if (evm_file_name_check(path, err) != EVM_OK)
        return EVM_ERR_INVALID_ARG;
    if (opts->defer)
        *opts->defer = NULL;
    if (opts->cancel && opts->cancel(opts->cancel_user))
        return evm_error_set(err, EVM_ERR_CANCELLED, path, 0, 0,
                             "cancelled before writing");
    char *target = evm_output_resolve(path);
    if (!target)
        return errno == ELOOP
                   ? evm_error_io(err, path, "cannot follow the link", ELOOP)
                   : evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0,
                                   "out of memory");
    struct stat st;
    bool exists = stat(target, &st) == 0;
    evm_status r;
    if (exists && S_ISDIR(st.st_mode))
        r = evm_error_set(err, EVM_ERR_IO, path, 0, 0,
                          "cannot replace a folder");
    else if (exists && !S_ISREG(st.st_mode))
        r = write_in_place(target, opts, produce, closure, err);
    else
        r = write_atomically(target, exists ? &st : NULL, opts, produce,
                             closure, err);
    /* Messages name the file as the caller gave it. */
    if (r != EVM_OK && err && strcmp(target, path) != 0 &&
        strcmp(err->file, target) == 0)
        snprintf(err->file, sizeof err->file, "%s", path);
    free(target);
    return r;
}

evm_status evm_atomic_file_write(const char *path, evm_produce_fn produce,
                                 void *closure, evm_error_t *err)
{
    return evm_file_write(path, NULL, produce, closure, err);
}
