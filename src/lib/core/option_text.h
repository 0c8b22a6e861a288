/* Reading options written as text, on a command line or in a jobs-file
 * cell: the spelling rules of keys and the numbers and yes/no values
 * every option setter accepts, so that all setters agree on them. */
#ifndef EVM_CORE_OPTION_TEXT_H
#define EVM_CORE_OPTION_TEXT_H

#include <stdbool.h>

/* Whether key names the option name: ASCII case is ignored and '_'
 * stands for '-' ("Scale_Bar" is "scale-bar"), as a spreadsheet header
 * may be written. */
bool evm_option_key_is(const char *key, const char *name);

/* A decimal number ("12", "-3.5", "1e3") with nothing but blanks around
 * it, read independently of the C locale. Refuses hex, nan, inf, "" and
 * anything after the number. */
bool evm_option_number(const char *s, double *out);

/* yes/true/on/1 or no/false/off/0, ASCII case ignored. */
bool evm_option_boolean(const char *s, bool *out);

#endif
