/* Marker sizes from a numeric column (the size-col option): a marker's
 * area is proportional to its value, so its radius to the value's square
 * root, with the largest value at SIZE_MAX_PT and no marker under
 * SIZE_MIN_PT (a value that small is drawn at the minimum, so that it
 * stays visible). A cell that is empty, not a number or negative is an
 * error naming the file, line and column: a size cannot be guessed and an
 * event is never dropped. The legend shows 2 or 3 reference circles at
 * round values (docs/labels.md, "Marker size"). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/num.h"
#include "core/option_text.h"
#include "map/layout_internal.h"

/* Marker radius for the largest value and the smallest radius, pt. */
static const double SIZE_MAX_PT = 14;
static const double SIZE_MIN_PT = 1.5;

static bool is_blank(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

evm_status evm_layout_marker_sizes(evm_layout_t *L)
{
    const char *col = L->opt->size_col;
    size_t n = L->events ? evm_events_count(L->events) : 0;
    if (!col || !*col || n == 0)
        return EVM_OK;
    size_t nc = evm_events_column_count(L->events), c = 0;
    while (c < nc && strcmp(evm_events_column_name(L->events, c), col) != 0)
        c++;
    if (c == nc)
        return evm_error_set(L->err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "size-col: the events have no column \"%.80s\"",
                             col);
    L->size_value = evm_alloc_array(n, sizeof *L->size_value);
    if (!L->size_value)
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    L->size_max = 0;
    for (size_t i = 0; i < n; i++) {
        const char *v = evm_events_value(L->events, i, c);
        double x;
        if (!v || is_blank(v) || !evm_option_number(v, &x) || !isfinite(x) ||
            x < 0)
            return evm_error_set(
                L->err, EVM_ERR_PARSE, evm_events_source(L->events),
                evm_events_get(L->events, i)->line, (unsigned long)c + 1,
                "size-col \"%.80s\": \"%.40s\" is not a number >= 0 (every "
                "event needs a size; filter out rows without one)",
                col, v ? v : "");
        L->size_value[i] = x;
        L->size_max = fmax(L->size_max, x);
    }
    return EVM_OK;
}

double evm_size_radius_px(const evm_layout_t *L, double value)
{
    double r = L->size_max > 0 ? SIZE_MAX_PT * sqrt(value / L->size_max) : 0;
    return fmax(r, SIZE_MIN_PT) * L->pt_px;
}

/* The largest of 1, 2, 2.5, 5 x 10^k not above v (v > 0). */
static double nice_floor(double v)
{
    double p = pow(10, floor(log10(v)));
    static const double steps[] = {5, 2.5, 2, 1};
    for (size_t i = 0; i < 4; i++)
        if (steps[i] * p <= v * (1 + 1e-9))
            return steps[i] * p;
    return p;
}

size_t evm_size_legend_values(const evm_layout_t *L, double out[3])
{
    if (!L->size_value || !(L->size_max > 0))
        return 0;
    /* The largest round value, then about a quarter and a sixteenth of it
     * (half and a quarter of its radius), while they stay above the
     * smallest marker and distinct. */
    size_t n = 0;
    double v = nice_floor(L->size_max);
    while (n < 3 && v > 0) {
        if (n && (v >= out[n - 1] ||
                  evm_size_radius_px(L, v) <= SIZE_MIN_PT * L->pt_px * 1.5))
            break;
        out[n++] = v;
        v = nice_floor(v / 4);
    }
    return n;
}

void evm_size_value_text(double v, char *buf, size_t cap)
{
    /* Whole values with thousands separators, "12,500"; else the round
     * values of the size legend as they are, "2.5", "0.25". */
    if (v >= 1 && v == floor(v) && v < 1e15) {
        evm_num_thousands(v, 0, buf, cap);
    } else {
        char num[EVM_NUM_MAX];
        evm_num_general(num, v);
        snprintf(buf, cap, "%s", num);
    }
}
