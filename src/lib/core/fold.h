/* Place names folded for matching: "P'yŏngyang", "PYONGYANG" and
 * "Pyongyang" are one name, as are "Petropavlovsk-Kamchatskiy" and
 * "Petropavlovsk Kamchatskiy". */
#ifndef EVM_CORE_FOLD_H
#define EVM_CORE_FOLD_H

#include <stdbool.h>
#include <stddef.h>

/* Longest folded name kept, in bytes with the NUL. */
enum { EVM_FOLD_MAX = 256 };

/* Writes the folded form of UTF-8 s into out: ASCII letters in lower
 * case; Latin letters with diacritics (U+00C0 to U+017F) as their base
 * letters ("ß" as "ss", "æ" as "ae"); apostrophes and quote-like marks
 * (' ’ ‘ ʼ ʻ ` ´) dropped; '-', '.', '_' and blanks as one blank, none
 * at either end; anything else (Cyrillic, CJK) kept as it is. Returns
 * false when out is too small (cap < EVM_FOLD_MAX is enough for names
 * of up to about 80 characters). */
bool evm_fold_name(const char *s, char *out, size_t cap);

/* Whether a and b fold to the same name. */
bool evm_fold_equal(const char *a, const char *b);

#endif
