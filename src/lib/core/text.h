/* Text helpers used across the library, each defined once: the UTF-8
 * check, the JSON string writer and the XML name-character class. */
#ifndef EVM_CORE_TEXT_H
#define EVM_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* The length (1 to 4) of the valid UTF-8 sequence at s, reading at most
 * avail bytes, or 0 when it is not one: a stray continuation byte, a
 * truncated sequence, an overlong form, a UTF-16 surrogate or a code point
 * past U+10FFFF. avail 0 gives 0. */
size_t evm_utf8_seq(const unsigned char *s, size_t avail);

/* The code point of a sequence evm_utf8_seq accepted, n its length. */
uint32_t evm_utf8_decode(const unsigned char *s, size_t n);

/* Appends s (NUL-terminated; NULL is "") as a JSON string in quotes:
 * '"' and '\' escaped, \n \r \t as such, other control characters as
 * \u00XX, and each byte that is not part of valid UTF-8 as \ufffd. */
void evm_json_string(evm_buf_t *b, const char *s);

/* Whether c may appear in an XML name beyond ASCII (XML 1.0 fifth
 * edition, NameChar): the ranges past U+00B7 that are not '-', '.',
 * digits or letters of ASCII, which callers test themselves. */
bool evm_xml_name_char(uint32_t c);

#endif
