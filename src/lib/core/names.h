/* How close two names are, for "did you mean ...?" suggestions when a
 * name (an event, a country) is not found. */
#ifndef EVM_CORE_NAMES_H
#define EVM_CORE_NAMES_H

#include <stddef.h>

/* Names longer than this many code points are not compared. */
enum { EVM_NAME_MAX_CHARS = 128 };

/* Code points in a UTF-8 name, or EVM_NAME_MAX_CHARS + 1 when longer. */
size_t evm_name_length(const char *s);

/* Levenshtein distance counted in code points, ASCII letters folded to
 * lower case; limit + 1 once it must exceed limit, or when a name is
 * longer than EVM_NAME_MAX_CHARS. */
size_t evm_name_distance(const char *a, const char *b, size_t limit);

/* The suggestion threshold for a query: a third of its length, at
 * least 2 ("Zanzibar" for "Paris" would only add noise). */
size_t evm_name_limit(const char *query);

/* How many names a suggestion offers. */
enum { EVM_NAME_SUGGEST = 3 };

/* The nearest candidates offered so far, nearest first: index[k] is the
 * caller's number for a candidate and dist[k] its distance. Start from
 * {0}. */
typedef struct evm_name_best {
    size_t index[EVM_NAME_SUGGEST];
    size_t dist[EVM_NAME_SUGGEST];
    size_t n;
} evm_name_best_t;

/* Keeps candidate `index` at distance `dist` if it is among the
 * EVM_NAME_SUGGEST nearest; of equal distances the one offered first
 * stays ahead. */
void evm_name_best_offer(evm_name_best_t *best, size_t index, size_t dist);

#endif
