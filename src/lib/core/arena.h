/* A string arena: NUL-terminated strings appended one after another in
 * one growing block, each known by its offset. The block moves while it
 * grows, so readers take pointers into it only once appending is over. */
#ifndef EVM_CORE_ARENA_H
#define EVM_CORE_ARENA_H

#include <stddef.h>

typedef struct evm_arena {
    char *data;
    size_t len, cap; /* bytes used, bytes allocated */
} evm_arena_t;

/* Appends s[0, len) and a NUL; *off gets the offset of its first byte.
 * Returns 0, or -1 when out of memory (then the arena is unchanged). */
int evm_arena_add(evm_arena_t *a, const char *s, size_t len, size_t *off);

/* Frees the block and empties the arena. */
void evm_arena_free(evm_arena_t *a);

#endif
