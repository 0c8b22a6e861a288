/* Locale-free numbers (see num.h). */
#define _POSIX_C_SOURCE 200809L /* newlocale, uselocale */

#include "core/num.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

double evm_num_strtod(const char *s, char **end)
{
    /* The calling thread's locale is switched for the one call (the
     * process's, which another thread may read, is left alone). */
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = c ? uselocale(c) : (locale_t)0;
    double v = strtod(s, end);
    int saved = errno;
    if (c) {
        uselocale(old);
        freelocale(c);
    }
    errno = saved;
    return v;
}

size_t evm_num_fixed(char out[EVM_NUM_MAX], double v, int decimals, bool trim)
{
    static const double p10[] = {1,   1e1, 1e2, 1e3,  1e4,  1e5, 1e6,
                                 1e7, 1e8, 1e9, 1e10, 1e11, 1e12};
    out[0] = '\0';
    if (isnan(v))
        return 0;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 12)
        decimals = 12;
    double scaled = fabs(v) * p10[decimals];
    if (scaled < 9e15) {
        unsigned long long u = (unsigned long long)(scaled + 0.5);
        long long k = v < 0 ? -(long long)u : (long long)u;
        return evm_num_scaled(out, k, decimals, trim);
    }
    /* Beyond the integer path (or infinite): printf, its point repaired
     * (a decimal-comma locale writes ',') and trimmed the same way. */
    int n = snprintf(out, EVM_NUM_MAX, "%.*f", decimals, v);
    size_t len = n > 0 && n < EVM_NUM_MAX ? (size_t)n : 0;
    out[len] = '\0';
    char *point = strpbrk(out, ".,");
    if (point) {
        *point = '.';
        while (trim && len > 0 && out[len - 1] == '0')
            out[--len] = '\0';
        if (trim && len > 0 && out[len - 1] == '.')
            out[--len] = '\0';
    }
    return len;
}

size_t evm_num_general(char out[EVM_NUM_MAX], double v)
{
    return evm_num_significant(out, v, 15);
}

size_t evm_num_significant(char out[EVM_NUM_MAX], double v, int digits)
{
    out[0] = '\0';
    if (!isfinite(v))
        return 0;
    digits = digits < 1 ? 1 : digits > 17 ? 17 : digits;
    if (v == trunc(v) && fabs(v) < 9e15)
        return evm_num_fixed(out, v, 0, false);
    char raw[EVM_NUM_MAX];
    snprintf(raw, sizeof raw, "%.*g", digits, v);
    /* %g follows LC_NUMERIC, whose decimal point may be a comma or even
     * several bytes: whatever is not a digit, a sign or an exponent is
     * that point. */
    size_t n = 0;
    bool in_point = false;
    for (const char *r = raw; *r && n + 1 < EVM_NUM_MAX; r++) {
        if ((*r >= '0' && *r <= '9') || *r == '-' || *r == '+' || *r == 'e' ||
            *r == 'E') {
            out[n++] = *r;
            in_point = false;
        } else if (!in_point) {
            out[n++] = '.';
            in_point = true;
        }
    }
    out[n] = '\0';
    return n;
}

void evm_num_thousands(double v, int decimals, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    char digits[EVM_NUM_MAX];
    size_t len = evm_num_fixed(digits, v, decimals, false);
    const char *p = digits;
    char out[EVM_NUM_MAX * 2];
    size_t o = 0;
    if (*p == '-')
        out[o++] = *p++;
    const char *dot = strchr(p, '.');
    size_t int_len = dot ? (size_t)(dot - p) : len - (size_t)(p - digits);
    for (size_t i = 0; i < int_len; i++) {
        out[o++] = p[i];
        size_t left = int_len - i - 1;
        if (left && left % 3 == 0 && p[i] >= '0' && p[i] <= '9')
            out[o++] = ',';
    }
    if (dot) {
        size_t frac = strlen(dot);
        memcpy(out + o, dot, frac);
        o += frac;
    }
    out[o] = '\0';
    snprintf(buf, cap, "%s", out);
}
