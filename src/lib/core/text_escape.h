/* Control characters made visible: the one rule for every message and
 * table evmap prints (see evm_text_escape in <evmap/status.h>). */
#ifndef EVM_CORE_TEXT_ESCAPE_H
#define EVM_CORE_TEXT_ESCAPE_H

#include <stddef.h>

/* The longest escape: "\u009b". */
enum { EVM_ESCAPE_MAX = 7 };

/* If the character at s (n > 0 bytes available) is a control character,
 * writes its visible form into esc (NUL-terminated) and returns how many
 * bytes of s it stands for; else returns 0 and the character stays as it
 * is. Tab, line feed and carriage return become \t, \n, \r; other C0
 * controls and DEL \xHH; C1 controls (U+0080..U+009F, which terminals
 * also obey: U+009B is CSI) \u00HH. A backslash is left alone, so
 * escaping escaped text changes nothing. */
size_t evm_control_escape(const unsigned char *s, size_t n,
                          char esc[EVM_ESCAPE_MAX + 1]);

/* A piece of input text quoted in a message: the first max_in bytes or
 * fewer of s[0..n) (cut on a character), escaped as above, then "…"
 * when cut, into out (NUL-terminated, cap > 0; cut further, on an
 * escape or character, when it does not fit). */
void evm_text_snippet(char *out, size_t cap, const char *s, size_t n,
                      size_t max_in);

#endif
