/* Finding a country of a base map by what a person types: its Natural
 * Earth name, an ISO 3166-1 alpha-3, alpha-2 or numeric code, or its ISO
 * English name. world-atlas carries only the numeric code, so letter codes and
 * ISO names come from a table generated from Debian's iso-codes
 * (iso3166_table.h, scripts/gen-iso3166.py). */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/names.h"
#include "load/basemap_internal.h"

typedef struct evm_iso3166 {
    const char *numeric, *alpha3, *alpha2, *name, *common_name;
} evm_iso3166_t;

#include "load/iso3166_table.h"

enum { N_ISO = sizeof evm_iso3166_table / sizeof evm_iso3166_table[0] };

static bool eq_ascii_fold(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

static const evm_iso3166_t *iso_by_numeric(const char *num)
{
    for (size_t i = 0; i < N_ISO; i++)
        if (strcmp(evm_iso3166_table[i].numeric, num) == 0)
            return &evm_iso3166_table[i];
    return NULL;
}

const char *evm_basemap_country_alpha3(const evm_basemap_t *map, size_t i)
{
    if (!map || i >= map->n_countries)
        return "";
    const evm_iso3166_t *e = iso_by_numeric(map->country_id[i]);
    return e ? e->alpha3 : "";
}

/* The country with a numeric code; of several, the one ISO names so. */
static bool find_numeric(const evm_basemap_t *map, const char *num,
                         size_t *index)
{
    const evm_iso3166_t *e = iso_by_numeric(num);
    bool found = false;
    for (size_t c = 0; c < map->n_countries; c++) {
        if (strcmp(map->country_id[c], num) != 0)
            continue;
        if (!found ||
            (e && (eq_ascii_fold(map->country_name[c], e->name) ||
                   eq_ascii_fold(map->country_name[c], e->common_name)))) {
            *index = c;
            if (found)
                return true; /* the named one among several */
            found = true;
        }
    }
    return found;
}

static evm_status not_found(const evm_basemap_t *map, const char *query,
                            evm_error_t *err)
{
    evm_name_best_t best = {0};
    size_t limit = evm_name_limit(query);
    for (size_t c = 0; c < map->n_countries; c++) {
        size_t d = evm_name_distance(query, map->country_name[c], limit);
        if (d <= limit)
            evm_name_best_offer(&best, c, d);
    }
    if (best.n == 0)
        return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                             "no country is named or coded \"%.100s\" in the "
                             "base map (use a Natural Earth name such as "
                             "\"Ukraine\", an ISO code such as UKR or UA "
                             "or a numeric code such as 804)",
                             query);
    char list[EVM_NAME_SUGGEST * 80] = "";
    for (size_t k = 0; k < best.n; k++) {
        const char *sep = k == 0 ? "" : k + 1 == best.n ? " or " : ", ";
        size_t o = strlen(list);
        snprintf(list + o, sizeof list - o, "%s\"%.60s\"", sep,
                 map->country_name[best.index[k]]);
    }
    return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                         "no country is named or coded \"%.100s\"; did you "
                         "mean %s?",
                         query, list);
}

evm_status evm_basemap_find_country(const evm_basemap_t *map, const char *query,
                                    size_t *index, evm_error_t *err)
{
    if (!map || !query || !index)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no base map, country or output");
    for (size_t c = 0; c < map->n_countries; c++)
        if (strcmp(map->country_name[c], query) == 0) {
            *index = c;
            return EVM_OK;
        }
    for (size_t c = 0; c < map->n_countries; c++)
        if (eq_ascii_fold(map->country_name[c], query)) {
            *index = c;
            return EVM_OK;
        }
    size_t len = strlen(query);
    bool alpha = len == 2 || len == 3, digits = len >= 1 && len <= 3;
    for (size_t i = 0; i < len; i++) {
        alpha = alpha && isalpha((unsigned char)query[i]);
        digits = digits && isdigit((unsigned char)query[i]);
    }
    if (alpha) {
        for (size_t i = 0; i < N_ISO; i++)
            if (eq_ascii_fold(len == 3 ? evm_iso3166_table[i].alpha3
                                       : evm_iso3166_table[i].alpha2,
                              query) &&
                find_numeric(map, evm_iso3166_table[i].numeric, index))
                return EVM_OK;
    }
    if (digits) {
        char num[4];
        snprintf(num, sizeof num, "%03d", atoi(query));
        if (find_numeric(map, num, index))
            return EVM_OK;
    }
    for (size_t i = 0; i < N_ISO; i++) {
        const evm_iso3166_t *e = &evm_iso3166_table[i];
        if ((eq_ascii_fold(e->name, query) ||
             (*e->common_name && eq_ascii_fold(e->common_name, query))) &&
            find_numeric(map, e->numeric, index))
            return EVM_OK;
    }
    return not_found(map, query, err);
}
