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

#endif
