/* The shared spelling of option keys, numbers and yes/no values (see
 * option_text.h). */
#include "core/option_text.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"

static char fold(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c == '_' ? '-' : c;
}

bool evm_option_key_is(const char *key, const char *name)
{
    if (!key || !name)
        return false;
    for (; *key && *name; key++, name++)
        if (fold(*key) != fold(*name))
            return false;
    return *key == *name;
}

bool evm_option_number(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    if (!*s)
        return false;
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789+-.eE ", *p))
            return false; /* refuses nan, inf, hex */
    char *end;
    errno = 0;
    double v = evm_num_strtod(s, &end);
    while (*end == ' ')
        end++;
    if (end == s || *end || errno || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool evm_option_boolean(const char *s, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (evm_option_key_is(s, yes[i])) {
            *out = true;
            return true;
        }
        if (evm_option_key_is(s, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}
