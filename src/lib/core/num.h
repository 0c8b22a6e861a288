/* The one locale-free number formatter of the library: decimal text with
 * '.' as the point whatever LC_NUMERIC says, written with integer
 * arithmetic (no printf rounding mode, no locale). The PDF and SVG
 * writers, the GeoJSON writer, the tables of `dist` and `routes`, the
 * PROJ definitions of the map's projection and the map's labels all print
 * numbers through it. */
#ifndef EVM_CORE_NUM_H
#define EVM_CORE_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Room for any number these functions write, with its NUL. */
enum { EVM_NUM_MAX = 48 };

/* k / 10^decimals (decimals in [0, 18]) into out, NUL-terminated: a '-'
 * when k < 0, at least one digit before the point, then either exactly
 * `decimals` digits after it (trim false: "12.50") or the fewest that say
 * the value, without a bare point (trim true: "12.5", "3"). Returns the
 * length. Inline so that a caller with a constant `decimals` (the PDF
 * writer, once per coordinate) gets divisions by constants. */
static inline size_t evm_num_scaled(char *out, long long k, int decimals,
                                    bool trim)
{
    unsigned long long a =
        k < 0 ? 0ULL - (unsigned long long)k : (unsigned long long)k;
    char tmp[EVM_NUM_MAX];
    char *end = tmp + sizeof tmp, *q = end;
    int nf = decimals;
    if (trim)
        while (nf > 0 && a % 10 == 0) {
            a /= 10;
            nf--;
        }
    for (int i = 0; i < nf; i++) {
        *--q = (char)('0' + a % 10);
        a /= 10;
    }
    if (nf)
        *--q = '.';
    do {
        *--q = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (k < 0)
        *--q = '-';
    size_t n = (size_t)(end - q);
    memcpy(out, q, n);
    out[n] = '\0';
    return n;
}

/* v rounded half away from zero to `decimals` (in [0, 12]) and written as
 * evm_num_scaled does; a value that rounds to zero has no sign. Values
 * whose scaled magnitude reaches 9e15 are written by printf (their point
 * made '.'). NaN writes nothing and returns 0; callers say what it
 * means. */
size_t evm_num_fixed(char out[EVM_NUM_MAX], double v, int decimals, bool trim);

/* v with 15 significant digits, as printf's %.15g but with '.' as the
 * point whatever the locale ("0.1", "1e+300", "-2.5"); an integer below
 * 9e15 as one ("12"). Not finite: writes nothing and returns 0. For
 * numbers that are data (a JSON property), not coordinates. */
size_t evm_num_general(char out[EVM_NUM_MAX], double v);

/* The same with `digits` significant digits (in [1, 17]), as %.*g
 * ("0.007076036456" with 10), an integer below 9e15 whole. */
size_t evm_num_significant(char out[EVM_NUM_MAX], double v, int digits);

/* strtod(3) as in the C locale: '.' is the decimal point whatever
 * LC_NUMERIC says ("1.5" is 1.5 under de_DE too, where strtod stops at
 * the '.'); errno as strtod sets it. The one reader of decimal numbers
 * for code that does not parse them itself (coordinates do: load/coord.c). */
double evm_num_strtod(const char *s, char **end);

/* v with `decimals` decimals and thousands separated by ',': 1441.2 with
 * 0 decimals is "1,441". Truncated to cap - 1 bytes. */
void evm_num_thousands(double v, int decimals, char *buf, size_t cap);

#endif
