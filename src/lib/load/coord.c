/* Latitude and longitude text to degrees.
 *
 * Accepts decimal degrees with an optional sign or hemisphere letter, and
 * degrees-minutes-seconds written with symbols (° ′ ″, ASCII ' and ", and
 * the look-alikes º ’ ” that word processors substitute), letters (d m s)
 * or colons, or separated by spaces. Numbers are converted here rather
 * than by strtod, whose decimal point follows LC_NUMERIC and which would
 * accept "nan", "inf", hex floats and exponents; exponents are refused on
 * purpose, since no one writes a coordinate as 4.5e1 and "1e400" or a
 * longitude "5e1" are more likely typing errors. The reason given on
 * failure is a predicate ("is outside [-90, 90]") meant to follow the
 * quoted text in a message: `latitude "91.2" is outside [-90, 90]`.
 *
 * One ambiguity is settled by rule: in a latitude an "s" right after the
 * seconds number is the seconds mark when the minutes were marked with
 * "m" ("39d1m30s"), and otherwise the southern hemisphere ("39 1 30S"). */
#include <evmap/events.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/text_escape.h"

/* A number may have this many digits; more is a mistake, not precision. */
enum { MAX_DIGITS = 40 };

enum mark { MARK_NONE = -1, MARK_DEG = 0, MARK_MIN = 1, MARK_SEC = 2 };

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool starts_with(const char *p, const char *end, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

static bool starts_with_word_ci(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(end - p) < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (upper(p[i]) != upper(w[i]))
            return false;
    return p + n == end || !is_alpha(p[n]);
}

/* Exact powers of ten up to 1e22 (the largest exactly representable). */
static double pow10_of(int n)
{
    static const double exact[] = {
        1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double v = 1.0;
    while (n > 22) {
        v *= 1e22;
        n -= 22;
    }
    return v * exact[n];
}

/* Digits with an optional fraction: "39", "39.0392", ".5", "5.". The
 * significant digits are gathered into an integer and divided by a power
 * of ten once, which is correctly rounded while they number at most 15
 * and the fraction at most 22 digits (every coordinate anyone writes). */
static bool parse_number(const char **pp, const char *end, double *out,
                         bool *has_frac, bool *too_long)
{
    const char *p = *pp;
    uint64_t mant = 0;
    int sig = 0, scale = 0, digits = 0;
    *has_frac = false;
    *too_long = false;
    for (; p < end && is_digit(*p); p++, digits++) {
        if (sig < 19) {
            mant = mant * 10 + (uint64_t)(*p - '0');
            sig += mant != 0;
        } else {
            scale++;
        }
    }
    if (p < end && *p == '.') {
        *has_frac = true;
        for (p++; p < end && is_digit(*p); p++, digits++) {
            if (sig < 19) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                sig += mant != 0;
                scale--;
            }
        }
    }
    if (digits == 0)
        return false;
    if (digits > MAX_DIGITS) {
        *too_long = true;
        return false;
    }
    double v = (double)mant;
    *out = scale < 0 ? v / pow10_of(-scale) : v * pow10_of(scale);
    *pp = p;
    return true;
}

/* Which mark for degrees, minutes or seconds starts at p, and its length
 * in bytes. Letters are returned as marks only where they cannot be a
 * hemisphere letter (see the file comment). */
static enum mark mark_at(const char *p, const char *end, size_t *len,
                         int component, bool is_lat, bool minutes_by_letter)
{
    static const struct {
        const char *text;
        size_t len;
        enum mark mark;
    } marks[] = {
        {"\xC2\xB0", 2, MARK_DEG},     /* ° degree sign */
        {"\xC2\xBA", 2, MARK_DEG},     /* º masculine ordinal, a stand-in */
        {"\xCB\x9A", 2, MARK_DEG},     /* ˚ ring above */
        {"\xE2\x80\xB3", 3, MARK_SEC}, /* ″ double prime */
        {"\xE2\x80\x9D", 3, MARK_SEC}, /* ” right double quotation mark */
        {"''", 2, MARK_SEC},
        {"\"", 1, MARK_SEC},
        {"\xE2\x80\xB2", 3, MARK_MIN}, /* ′ prime */
        {"\xE2\x80\x99", 3, MARK_MIN}, /* ’ right single quotation mark */
        {"'", 1, MARK_MIN},
    };
    if (p == end)
        return MARK_NONE;
    *len = 1;
    switch (*p) {
    case 'd':
    case 'D':
        return MARK_DEG;
    case 'm':
    case 'M':
        return MARK_MIN;
    case 's':
    case 'S':
        if (component != 2)
            return MARK_NONE;
        if (!is_lat || minutes_by_letter)
            return MARK_SEC;
        return MARK_NONE;
    case '\'':
    case '"':
    case '\xC2':
    case '\xCB':
    case '\xE2':
        break;
    default:
        return MARK_NONE; /* the common case: a blank, a letter, the end */
    }
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        if ((size_t)(end - p) >= marks[i].len &&
            memcmp(p, marks[i].text, marks[i].len) == 0) {
            *len = marks[i].len;
            return marks[i].mark;
        }
    }
    return MARK_NONE;
}

/* Reads a hemisphere letter at *pp, if any. Returns false with *st set
 * when the letter belongs to the other axis. */
static bool hemisphere_at(const char **pp, const char *end, bool is_lat,
                          char *hemi, evm_status *st, char *why, size_t cap)
{
    const char *p = *pp;
    *hemi = 0;
    if (p == end)
        return true;
    char c = upper(*p);
    if (c != 'N' && c != 'S' && c != 'E' && c != 'W')
        return true;
    /* "North", "nan" and the like are words, not hemisphere letters. */
    if (p + 1 < end && is_alpha(p[1]))
        return true;
    bool lat_letter = c == 'N' || c == 'S';
    if (lat_letter != is_lat) {
        *st = evm_why(why, cap, "has hemisphere letter %c, which is for %s", c,
                      lat_letter ? "latitudes" : "longitudes");
        return false;
    }
    *hemi = c;
    *pp = p + 1;
    return true;
}

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && is_blank(*p))
        p++;
    return p;
}

/* "has unexpected text "x..."": a few bytes, cut on a character, with
 * line breaks and control characters made visible (a quoted CSV cell may
 * hold them, and a message is one line). */
static evm_status fail_trailing(const char *p, const char *end, char *why,
                                size_t cap)
{
    char text[48];
    evm_text_snippet(text, sizeof text, p, (size_t)(end - p), 24);
    return evm_why(why, cap, "has unexpected text \"%s\"", text);
}

evm_status evm_parse_coordinate(const char *text, bool is_lat, double *deg,
                                char *why, size_t why_cap)
{
    if (!text)
        return evm_why(why, why_cap, "is empty");
    const char *p = text, *end = text + strlen(text);
    p = skip_blanks(p, end);
    while (end > p && is_blank(end[-1]))
        end--;
    if (p == end)
        return evm_why(why, why_cap, "is empty");

    evm_status st = EVM_ERR_PARSE;
    char hemi = 0, hemi2 = 0;
    if (!hemisphere_at(&p, end, is_lat, &hemi, &st, why, why_cap))
        return st;
    p = skip_blanks(p, end);

    int sign = 1;
    bool has_sign = false;
    if (p < end && (*p == '+' || *p == '-')) {
        sign = *p == '-' ? -1 : 1;
        has_sign = true;
        p++;
    } else if (starts_with(p, end, "\xE2\x88\x92")) { /* − minus sign */
        sign = -1;
        has_sign = true;
        p += 3;
    }
    if (has_sign && hemi)
        return evm_why(why, why_cap, "has both a sign and a hemisphere letter");
    if (p < end && (upper(*p) == 'N' || upper(*p) == 'I') &&
        (starts_with_word_ci(p, end, "nan") ||
         starts_with_word_ci(p, end, "inf") ||
         starts_with_word_ci(p, end, "infinity")))
        return evm_why(why, why_cap, "is not a finite number");

    double comp[3] = {0, 0, 0};
    int n = 0;
    bool frac_before = false, minutes_by_letter = false;
    for (;;) {
        bool has_frac, too_long;
        if (!parse_number(&p, end, &comp[n], &has_frac, &too_long)) {
            if (too_long)
                return evm_why(why, why_cap, "has too many digits");
            if (n == 0)
                return evm_why(why, why_cap, "is not a number");
            return fail_trailing(p, end, why, why_cap);
        }
        if (frac_before)
            return evm_why(why, why_cap,
                           "has a fraction before its last component");
        frac_before = has_frac;
        if (p < end && (*p == 'e' || *p == 'E') && p + 1 < end &&
            (is_digit(p[1]) || p[1] == '+' || p[1] == '-'))
            return evm_why(why, why_cap,
                           "has an exponent; write plain decimal degrees");
        if (p < end && *p == ',' && p + 1 < end && is_digit(p[1]))
            return evm_why(why, why_cap, "uses a decimal comma; write a point");

        size_t mlen = 0;
        enum mark mk = mark_at(p, end, &mlen, n, is_lat, minutes_by_letter);
        if (mk != MARK_NONE) {
            if ((int)mk != n)
                return evm_why(why, why_cap,
                               "has its degree, minute and second marks out "
                               "of order");
            if (mk == MARK_MIN)
                minutes_by_letter = upper(*p) == 'M';
            p += mlen;
        }
        n++;
        const char *q = skip_blanks(p, end);
        if (mk == MARK_NONE && q < end && *q == ':' && n < 3) {
            p = skip_blanks(q + 1, end);
            if (p == end || !is_digit(*p))
                return evm_why(why, why_cap, "has no number after ':'");
            continue;
        }
        /* The next component needs a mark or a blank before it:
         * "45.5.5" is not 45.5 degrees and 0.5 minutes. */
        if (n == 3 || q == end || !(is_digit(*q) || *q == '.') ||
            (mk == MARK_NONE && q == p))
            break;
        p = q;
    }

    p = skip_blanks(p, end);
    if (!hemisphere_at(&p, end, is_lat, &hemi2, &st, why, why_cap))
        return st;
    if (hemi2) {
        if (hemi)
            return evm_why(why, why_cap, "has two hemisphere letters");
        if (has_sign)
            return evm_why(why, why_cap,
                           "has both a sign and a hemisphere letter");
        hemi = hemi2;
    }
    p = skip_blanks(p, end);
    if (p != end)
        return fail_trailing(p, end, why, why_cap);

    if (comp[1] >= 60)
        return evm_why(why, why_cap, "has minutes of 60 or more");
    if (comp[2] >= 60)
        return evm_why(why, why_cap, "has seconds of 60 or more");
    double v = comp[0] + comp[1] / 60.0 + comp[2] / 3600.0;
    if (hemi == 'S' || hemi == 'W')
        sign = -1;
    v *= sign;
    double limit = is_lat ? 90.0 : 180.0;
    if (!(v >= -limit && v <= limit))
        return evm_why(why, why_cap, "is outside [%g, %g]", -limit, limit);
    if (deg)
        *deg = v;
    return EVM_OK;
}
