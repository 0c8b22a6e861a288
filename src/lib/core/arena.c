/* The string arena of the file loaders. */
#include "core/arena.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int evm_arena_add(evm_arena_t *a, const char *s, size_t len, size_t *off)
{
    if (evm_grow((void **)&a->data, &a->cap, a->len + len + 1, 1))
        return -1;
    memcpy(a->data + a->len, s, len);
    a->data[a->len + len] = '\0';
    *off = a->len;
    a->len += len + 1;
    return 0;
}

void evm_arena_free(evm_arena_t *a)
{
    free(a->data);
    a->data = NULL;
    a->len = a->cap = 0;
}
