/* ISO 8601 dates and date-times to seconds since the epoch, and dates
 * in a form the user names (epoch seconds, strptime-style patterns).
 *
 * The calendar arithmetic is done here (days_from_civil, after Howard
 * Hinnant's algorithm) instead of timegm or mktime, which depend on TZ and
 * are not in C11. Accepted: YYYY, YYYY-MM, YYYY-MM-DD, then optionally
 * T (or t, or one space) hh:mm[:ss[.fraction]] and a zone Z, +hh, +hh:mm or
 * +hhmm (- too); the basic forms YYYYMMDD and YYYYMMDDThhmm[ss] with the
 * same zones; and week dates YYYY-Www[-D] and YYYYWww[D] (ISO weeks start
 * on Monday, week 1 holds 4 January). Years are 0000-9999; leap seconds
 * (ss = 60) and the end-of-day 24:00 are refused, as POSIX time has no
 * room for them. Surrounding blanks are ignored, like everywhere in a CSV
 * cell.
 *
 * Patterns are matched here rather than by strptime(3), which follows
 * LC_TIME (month names), is not in C11, and leaves the time zone and
 * the length of the period named to the caller. */
#include <evmap/events.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool digits(const char *p, const char *end, int n, int *out)
{
    if (end - p < n)
        return false;
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

static bool is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400; /* [0, 399] */
    const long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static double day_start_s(long y, int m, int d)
{
    return (double)days_from_civil(y, m, d) * 86400.0;
}

/* Parses the zone that fills [p, end) into seconds east of UTC. */
static bool parse_zone(const char *p, const char *end, long *offset_s)
{
    *offset_s = 0;
    if (p == end)
        return true;
    if ((*p == 'Z' || *p == 'z') && p + 1 == end)
        return true;
    if (*p != '+' && *p != '-')
        return false;
    long sign = *p == '-' ? -1 : 1;
    int hh, mm = 0;
    p++;
    if (!digits(p, end, 2, &hh))
        return false;
    p += 2;
    if (p < end && *p == ':')
        p++;
    if (p < end) {
        if (!digits(p, end, 2, &mm))
            return false;
        p += 2;
    }
    if (p != end || hh > 23 || mm > 59)
        return false;
    *offset_s = sign * (hh * 3600L + mm * 60L);
    return true;
}

/* Days from 1970-01-01 to the Monday of ISO week w of year y; false when
 * the year has no such week. */
static bool week_monday(int y, int w, long *days)
{
    long jan4 = days_from_civil(y, 1, 4);
    long wd = ((jan4 + 3) % 7 + 7) % 7; /* 0 = Monday (1970-01-01: Thu) */
    long monday = jan4 - wd + 7L * (w - 1);
    /* The week belongs to y when its Thursday does. */
    if (w < 1 || monday + 3 >= days_from_civil(y + 1, 1, 1))
        return false;
    *days = monday;
    return true;
}

/* YYYY-Www[-D] or YYYYWww[D] from p (after the year). */
static bool week_date(int year, const char *p, const char *end, double *start,
                      double *stop)
{
    bool ext = *p == '-';
    if (ext)
        p++;
    int w, d = 0;
    long monday;
    if (p == end || (*p != 'W' && *p != 'w') || !digits(p + 1, end, 2, &w) ||
        !week_monday(year, w, &monday))
        return false;
    p += 3;
    if (p < end) {
        if (ext && *p++ != '-')
            return false;
        if (!digits(p, end, 1, &d) || d < 1 || d > 7 || p + 1 != end)
            return false;
    }
    *start = (double)(monday + (d ? d - 1 : 0)) * 86400.0;
    *stop = *start + (d ? 86400.0 : 7 * 86400.0) - 1;
    return true;
}

/* hh:mm[:ss[.f]] (or hhmm[ss[.f]] when basic) and a zone, from p, for the
 * day starting at day_s. */
static bool time_of_day(const char *p, const char *end, bool basic,
                        double day_s, double *at)
{
    int hour, minute, second = 0;
    double frac = 0;
    size_t sep = basic ? 0 : 1;
    if (!digits(p, end, 2, &hour) || hour > 23 ||
        (!basic && (end - p < 3 || p[2] != ':')) ||
        !digits(p + 2 + sep, end, 2, &minute) || minute > 59)
        return false;
    p += 4 + sep;
    if (p < end && (basic ? (*p >= '0' && *p <= '9') : *p == ':')) {
        if (!digits(p + sep, end, 2, &second) || second > 59)
            return false;
        p += 2 + sep;
        if (p < end && (*p == '.' || *p == ',')) {
            /* ISO 8601 allows either decimal sign; nanoseconds are the
             * most a double of epoch seconds can hold anyway. */
            long units = 0;
            double unit = 1;
            int n = 0;
            for (p++; p < end && *p >= '0' && *p <= '9'; p++, n++) {
                if (n < 9) {
                    units = units * 10 + (*p - '0');
                    unit *= 10;
                }
            }
            if (n == 0)
                return false;
            frac = (double)units / unit;
        }
    }
    long offset_s;
    if (!parse_zone(p, end, &offset_s))
        return false;
    *at = day_s + hour * 3600.0 + minute * 60.0 + second + frac -
          (double)offset_s;
    return true;
}

/* YYYYMMDD[Thhmm[ss[.f]][zone]] from p (after the year). */
static bool basic_date(int year, const char *p, const char *end, double *start,
                       double *stop)
{
    int month, day;
    if (!digits(p, end, 2, &month) || month < 1 || month > 12 ||
        !digits(p + 2, end, 2, &day) || day < 1 ||
        day > days_in_month(year, month))
        return false;
    p += 4;
    *start = day_start_s(year, month, day);
    if (p == end) {
        *stop = *start + 86399;
        return true;
    }
    if ((*p != 'T' && *p != 't') ||
        !time_of_day(p + 1, end, true, *start, start))
        return false;
    *stop = *start;
    return true;
}

evm_status evm_parse_date(const char *text, double *start_s, double *end_s)
{
    if (!text)
        return EVM_ERR_PARSE;
    const char *p = text, *end = text + strlen(text);
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;

    int year, month = 1, day = 1;
    if (!digits(p, end, 4, &year))
        return EVM_ERR_PARSE;
    p += 4;
    double start, stop;
    if (p < end &&
        (*p == 'W' || *p == 'w' ||
         (*p == '-' && p + 1 < end && (p[1] == 'W' || p[1] == 'w')))) {
        if (!week_date(year, p, end, &start, &stop))
            return EVM_ERR_PARSE;
        goto done;
    }
    if (p < end && *p >= '0' && *p <= '9') {
        if (!basic_date(year, p, end, &start, &stop))
            return EVM_ERR_PARSE;
        goto done;
    }
    if (p == end) {
        start = day_start_s(year, 1, 1);
        stop = day_start_s(year + 1, 1, 1) - 1;
        goto done;
    }
    if (*p++ != '-' || !digits(p, end, 2, &month) || month < 1 || month > 12)
        return EVM_ERR_PARSE;
    p += 2;
    if (p == end) {
        start = day_start_s(year, month, 1);
        stop = (month == 12 ? day_start_s(year + 1, 1, 1)
                            : day_start_s(year, month + 1, 1)) -
               1;
        goto done;
    }
    if (*p++ != '-' || !digits(p, end, 2, &day) || day < 1 ||
        day > days_in_month(year, month))
        return EVM_ERR_PARSE;
    p += 2;
    if (p == end) {
        start = day_start_s(year, month, day);
        stop = start + 86399;
        goto done;
    }

    if (*p != 'T' && *p != 't' && *p != ' ')
        return EVM_ERR_PARSE;
    if (!time_of_day(p + 1, end, false, day_start_s(year, month, day), &start))
        return EVM_ERR_PARSE;
    stop = start;

done:
    if (start_s)
        *start_s = start;
    if (end_s)
        *end_s = stop;
    return EVM_OK;
}

/* ---- named formats ---------------------------------------------------- */

static bool blank_c(char c)
{
    return c == ' ' || c == '\t';
}

static char lower_c(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Seconds since the epoch, with an optional sign and fraction. */
static evm_status epoch_seconds(const char *p, const char *end, double *at)
{
    bool neg = p < end && *p == '-';
    if (p < end && (*p == '-' || *p == '+'))
        p++;
    double v = 0, unit = 1;
    int n = 0, frac = 0;
    for (; p < end && *p >= '0' && *p <= '9'; p++, n++)
        v = v * 10 + (*p - '0');
    if (p < end && *p == '.')
        for (p++; p < end && *p >= '0' && *p <= '9'; p++, frac++)
            v += (*p - '0') / (unit *= 10);
    /* 12 digits reach the year 33658: more is not seconds. */
    if (n == 0 || n > 12 || p != end)
        return EVM_ERR_PARSE;
    *at = neg ? -v : v;
    return EVM_OK;
}

/* Up to max digits (at least one) as a number. */
static bool num(const char **pp, const char *end, int max, int *out)
{
    const char *p = *pp;
    int v = 0, n = 0;
    while (n < max && p < end && *p >= '0' && *p <= '9') {
        v = v * 10 + (*p++ - '0');
        n++;
    }
    if (!n)
        return false;
    *out = v;
    *pp = p;
    return true;
}

/* An English month name or its first three letters, any case. */
static bool month_name(const char **pp, const char *end, int *month)
{
    static const char *const names[12] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(names[m]), n = 0;
        const char *p = *pp;
        while (n < full && p + n < end && lower_c(p[n]) == names[m][n])
            n++;
        if (n == full || n == 3) {
            /* "mar" must not leave "ch" behind, nor take "mayo". */
            if (n == 3 && n < full && p + n < end && lower_c(p[n]) >= 'a' &&
                lower_c(p[n]) <= 'z')
                continue;
            *pp = p + n;
            *month = m + 1;
            return true;
        }
    }
    return false;
}

/* Fields a pattern names; -1 when it does not. */
typedef struct fields {
    int year, month, day, yday, hour, minute, second;
    long zone_s;
    bool pm_set, pm;
} fields_t;

/* Matches text against a strptime-style pattern. Returns EVM_OK,
 * EVM_ERR_PARSE when the text does not match, or EVM_ERR_INVALID_ARG when
 * the pattern holds an unknown directive. */
static evm_status match_pattern(const char *fmt, const char *p, const char *end,
                                fields_t *f)
{
    for (; *fmt; fmt++) {
        if (blank_c(*fmt)) {
            while (p < end && blank_c(*p))
                p++;
            continue;
        }
        if (*fmt != '%') {
            if (p == end || *p != *fmt)
                return EVM_ERR_PARSE;
            p++;
            continue;
        }
        int v = 0;
        bool ok = true;
        switch (*++fmt) {
        case 'Y':
            ok = num(&p, end, 4, &f->year);
            break;
        case 'y':
            /* POSIX: 69-99 are 1969-1999, 00-68 are 2000-2068. */
            ok = num(&p, end, 2, &v);
            f->year = v < 69 ? 2000 + v : 1900 + v;
            break;
        case 'm':
            ok = num(&p, end, 2, &f->month);
            break;
        case 'd':
        case 'e':
            while (*fmt == 'e' && p < end && *p == ' ')
                p++;
            ok = num(&p, end, 2, &f->day);
            break;
        case 'j':
            ok = num(&p, end, 3, &f->yday);
            break;
        case 'H':
            ok = num(&p, end, 2, &f->hour);
            break;
        case 'I':
            ok = num(&p, end, 2, &f->hour) && f->hour >= 1 && f->hour <= 12;
            break;
        case 'M':
            ok = num(&p, end, 2, &f->minute);
            break;
        case 'S':
            ok = num(&p, end, 2, &f->second);
            break;
        case 'p':
            ok = end - p >= 2 && lower_c(p[1]) == 'm' &&
                 (lower_c(p[0]) == 'a' || lower_c(p[0]) == 'p');
            if (ok) {
                f->pm_set = true;
                f->pm = lower_c(p[0]) == 'p';
                p += 2;
            }
            break;
        case 'b':
        case 'B':
        case 'h':
            ok = month_name(&p, end, &f->month);
            break;
        case 'z': {
            const char *z = p;
            while (p < end && !blank_c(*p))
                p++;
            ok = parse_zone(z, p, &f->zone_s);
            break;
        }
        case 'T':
            ok = num(&p, end, 2, &f->hour) && p < end && *p++ == ':' &&
                 num(&p, end, 2, &f->minute) && p < end && *p++ == ':' &&
                 num(&p, end, 2, &f->second);
            break;
        case 'F':
            ok = num(&p, end, 4, &f->year) && p < end && *p++ == '-' &&
                 num(&p, end, 2, &f->month) && p < end && *p++ == '-' &&
                 num(&p, end, 2, &f->day);
            break;
        case '%':
            ok = p < end && *p++ == '%';
            break;
        default:
            return EVM_ERR_INVALID_ARG;
        }
        if (!ok)
            return EVM_ERR_PARSE;
    }
    return p == end ? EVM_OK : EVM_ERR_PARSE;
}

/* Checks a pattern alone: known directives, and a year. */
static evm_status check_pattern(const char *fmt)
{
    bool year = false;
    for (const char *q = fmt; *q; q++) {
        if (*q != '%')
            continue;
        if (!strchr("YymdejHIMSpbBhzTF%", *++q) || !*q)
            return EVM_ERR_INVALID_ARG;
        year = year || *q == 'Y' || *q == 'y' || *q == 'F';
    }
    return year ? EVM_OK : EVM_ERR_INVALID_ARG;
}

evm_status evm_parse_date_format(const char *text, const char *format,
                                 double *start_s, double *end_s)
{
    if (!format || strcmp(format, "iso") == 0 || strcmp(format, "iso8601") == 0)
        return evm_parse_date(text, start_s, end_s);
    bool epoch = strcmp(format, "epoch") == 0;
    if (!epoch && check_pattern(format) != EVM_OK)
        return EVM_ERR_INVALID_ARG;
    if (!text)
        return EVM_ERR_PARSE;
    const char *p = text, *end = text + strlen(text);
    while (p < end && blank_c(*p))
        p++;
    while (end > p && blank_c(end[-1]))
        end--;
    double start, stop;
    if (epoch) {
        if (epoch_seconds(p, end, &start) != EVM_OK)
            return EVM_ERR_PARSE;
        stop = start;
        goto done;
    }
    fields_t f = {-1, -1, -1, -1, -1, -1, -1, 0, false, false};
    evm_status st = match_pattern(format, p, end, &f);
    if (st != EVM_OK)
        return st;
    if (f.pm_set && f.hour >= 0) {
        if (f.hour < 1 || f.hour > 12)
            return EVM_ERR_PARSE;
        f.hour = f.hour % 12 + (f.pm ? 12 : 0);
    }
    if (f.year < 0 || f.year > 9999 || f.month > 12 || f.month == 0 ||
        f.hour > 23 || f.minute > 59 || f.second > 59)
        return EVM_ERR_PARSE;
    long days;
    if (f.yday >= 0) {
        int n = is_leap(f.year) ? 366 : 365;
        if (f.yday < 1 || f.yday > n || f.month >= 0 || f.day >= 0)
            return EVM_ERR_PARSE;
        days = days_from_civil(f.year, 1, 1) + f.yday - 1;
    } else {
        int m = f.month < 0 ? 1 : f.month, d = f.day < 0 ? 1 : f.day;
        if (f.day >= 0 && f.month < 0)
            return EVM_ERR_PARSE; /* a day without its month */
        if (d < 1 || d > days_in_month(f.year, m))
            return EVM_ERR_PARSE;
        days = days_from_civil(f.year, m, d);
    }
    start = (double)days * 86400.0 - (double)f.zone_s;
    /* The period the text names: down to its finest field. */
    if (f.hour >= 0) {
        start += f.hour * 3600.0 + (f.minute > 0 ? f.minute : 0) * 60.0 +
                 (f.second > 0 ? f.second : 0);
        stop = start + (f.second >= 0 ? 0 : f.minute >= 0 ? 59 : 3599);
    } else if (f.day >= 0 || f.yday >= 0) {
        stop = start + 86399;
    } else if (f.month >= 0) {
        stop = start + days_in_month(f.year, f.month) * 86400.0 - 1;
    } else {
        stop = start + (is_leap(f.year) ? 366 : 365) * 86400.0 - 1;
    }
done:
    if (start_s)
        *start_s = start;
    if (end_s)
        *end_s = stop;
    return EVM_OK;
}
