/* ISO 8601 dates and date-times to seconds since the epoch.
 *
 * The calendar arithmetic is done here (days_from_civil, after Howard
 * Hinnant's algorithm) instead of timegm or mktime, which depend on TZ and
 * are not in C11. Accepted: YYYY, YYYY-MM, YYYY-MM-DD, then optionally
 * T (or t, or one space) hh:mm[:ss[.fraction]] and a zone Z, +hh, +hh:mm or
 * +hhmm (- too). Years are 0000-9999; leap seconds (ss = 60) and the
 * end-of-day 24:00 are refused, as POSIX time has no room for them.
 * Surrounding blanks are ignored, like everywhere in a CSV cell. */
#include <evmap/events.h>

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

    int hour, minute, second = 0;
    double frac = 0;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return EVM_ERR_PARSE;
    p++;
    if (!digits(p, end, 2, &hour) || hour > 23 || end - p < 3 || p[2] != ':' ||
        !digits(p + 3, end, 2, &minute) || minute > 59)
        return EVM_ERR_PARSE;
    p += 5;
    if (p < end && *p == ':') {
        if (!digits(p + 1, end, 2, &second) || second > 59)
            return EVM_ERR_PARSE;
        p += 3;
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
                return EVM_ERR_PARSE;
            frac = (double)units / unit;
        }
    }
    long offset_s;
    if (!parse_zone(p, end, &offset_s))
        return EVM_ERR_PARSE;
    start = day_start_s(year, month, day) + hour * 3600.0 + minute * 60.0 +
            second + frac - (double)offset_s;
    stop = start;

done:
    if (start_s)
        *start_s = start;
    if (end_s)
        *end_s = stop;
    return EVM_OK;
}
