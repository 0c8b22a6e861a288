/* Temporary file names for atomic writes, and the sweep of stale ones. */
#define _DEFAULT_SOURCE

#include "core/tempfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

enum { MARK_LEN = sizeof EVM_TEMP_MARK - 1, RANDOM_LEN = 6 };

char *evm_temp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dir_len = (size_t)(base - path), base_len = strlen(base);
    /* "." + base + mark + 6 random characters within one name. */
    size_t room = NAME_MAX - 1 - MARK_LEN - RANDOM_LEN;
    if (base_len > room) {
        base_len = room;
        /* Never end inside a UTF-8 sequence: back over continuation
         * bytes to the lead byte, and drop it too. */
        while (base_len > 0 && ((unsigned char)base[base_len] & 0xC0) == 0x80)
            base_len--;
    }
    char *t = malloc(dir_len + 1 + base_len + MARK_LEN + RANDOM_LEN + 1);
    if (!t)
        return NULL;
    char *p = t;
    memcpy(p, path, dir_len);
    p += dir_len;
    *p++ = '.';
    memcpy(p, base, base_len);
    p += base_len;
    memcpy(p, EVM_TEMP_MARK, MARK_LEN);
    p += MARK_LEN;
    memset(p, 'X', RANDOM_LEN); /* what mkstemp requires and replaces */
    p[RANDOM_LEN] = '\0';
    return t;
}

bool evm_temp_is_marked(const char *name)
{
    size_t n = strlen(name);
    if (name[0] != '.' || n < 1 + MARK_LEN + RANDOM_LEN)
        return false;
    const char *tail = name + n - RANDOM_LEN;
    if (memcmp(tail - MARK_LEN, EVM_TEMP_MARK, MARK_LEN) != 0)
        return false;
    /* mkstemp's characters: letters and digits. */
    for (int i = 0; i < RANDOM_LEN; i++) {
        unsigned char c = (unsigned char)tail[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z')))
            return false;
    }
    return true;
}

/* Removes dir/name when it is a regular file nobody holds locked. */
static bool remove_if_stale(int dfd, const char *name)
{
    /* O_NONBLOCK: a FIFO of that name must not hang the sweep; O_RDWR:
     * NFS grants an exclusive lock only to a writer. */
    int fd = openat(dfd, name,
                    O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return false;
    bool removed = false;
    struct stat a, b;
    if (fstat(fd, &a) == 0 && S_ISREG(a.st_mode) &&
        flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        fstatat(dfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
        a.st_ino == b.st_ino && a.st_dev == b.st_dev)
        removed = unlinkat(dfd, name, 0) == 0;
    close(fd); /* drops the lock */
    return removed;
}

size_t evm_temp_sweep(const char *dir)
{
    int dfd =
        open(dir && dir[0] ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return 0;
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return 0;
    }
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if ((e->d_type == DT_REG || e->d_type == DT_UNKNOWN) &&
            evm_temp_is_marked(e->d_name))
            n += remove_if_stale(dirfd(d), e->d_name);
    closedir(d);
    return n;
}
