/* Temporary file names for atomic writes. */
#include "core/tempfile.h"

#include <stdlib.h>
#include <string.h>

char *evm_temp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dir_len = (size_t)(base - path), base_len = strlen(base);
    /* dir + "." + base + "." + 6 placeholders + NUL */
    char *t = malloc(dir_len + base_len + 9);
    if (!t)
        return NULL;
    char *p = t;
    memcpy(p, path, dir_len);
    p += dir_len;
    *p++ = '.';
    memcpy(p, base, base_len);
    p += base_len;
    *p++ = '.';
    memset(p, 'X', 6); /* what mkstemp requires and replaces */
    p[6] = '\0';
    return t;
}
