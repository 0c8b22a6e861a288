/* The offline gazetteer (evmap/gazetteer.h): the user's places file and
 * the bundled Natural Earth extract are read with the events loader
 * (both are CSV with name, lat and lon columns); GeoNames cities come
 * from libgeonames, which compiles its data in, on the first lookup that
 * reaches them. Every name and alternative spelling becomes a folded key
 * (lower case ASCII, diacritics and apostrophes dropped, hyphens as
 * blanks) in a sorted array searched by bisection. */
#define _POSIX_C_SOURCE 200809L

#include <evmap/events.h>
#include <evmap/gazetteer.h>
#include <evmap/geodata.h>

#include <geonames.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/fold.h"
#include "core/names.h"
#include "core/num.h"

/* A GeoNames city this close to a Natural Earth place of the same
 * country is that place (city centres differ by a few km between the
 * two). */
#define GZ_SAME_PLACE_M 30000.0

typedef struct gz_entry {
    size_t name, country, country_name, admin1; /* arena offsets */
    double lat, lon, pop;
    evm_place_source source;
} gz_entry_t;

typedef struct gz_key {
    size_t key; /* arena offset of the folded name */
    size_t entry;
} gz_key_t;

/* One tier of sources searched together: its entries and sorted keys. */
typedef struct gz_tier {
    gz_entry_t *e;
    size_t n, cap;
    gz_key_t *k;
    size_t nk, capk;
    evm_arena_t text;
} gz_tier_t;

struct evm_gazetteer {
    gz_tier_t user, bundled;
    bool want_geonames;
    pthread_mutex_t lock;
    bool geonames_loaded; /* under lock */
    atomic_bool used_geonames;
};

const char *evm_place_source_name(evm_place_source source)
{
    switch (source) {
    case EVM_PLACE_USER:
        return "places";
    case EVM_PLACE_EVENTS:
        return "events";
    case EVM_PLACE_NATURAL_EARTH:
        return "naturalearth";
    case EVM_PLACE_GEONAMES:
        return "geonames";
    }
    return "";
}

void evm_gazetteer_options_init(evm_gazetteer_options_t *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->geonames = true;
}

/* ---- building tiers ---------------------------------------------------- */

static int tier_text(gz_tier_t *t, const char *s, size_t *off)
{
    return evm_arena_add(&t->text, s ? s : "", s ? strlen(s) : 0, off);
}

static int tier_key(gz_tier_t *t, const char *spelling, size_t entry)
{
    char folded[EVM_FOLD_MAX];
    if (!evm_fold_name(spelling, folded, sizeof folded) || !folded[0])
        return 0;
    void *k = t->k;
    size_t off;
    if (evm_grow(&k, &t->capk, t->nk + 1, sizeof *t->k))
        return -1;
    t->k = k;
    if (evm_arena_add(&t->text, folded, strlen(folded), &off))
        return -1;
    t->k[t->nk++] = (gz_key_t){off, entry};
    return 0;
}

/* Adds a place with its name and the ';'-separated alternatives. */
static int tier_add(gz_tier_t *t, const char *name, const char *alts,
                    double lat, double lon, const char *country,
                    const char *country_name, const char *admin1, double pop,
                    evm_place_source source)
{
    void *e = t->e;
    if (evm_grow(&e, &t->cap, t->n + 1, sizeof *t->e))
        return -1;
    t->e = e;
    gz_entry_t *g = &t->e[t->n];
    *g = (gz_entry_t){0, 0, 0, 0, lat, lon, pop, source};
    size_t nm, cc, cn, a1;
    if (tier_text(t, name, &nm) || tier_text(t, country, &cc) ||
        tier_text(t, country_name, &cn) || tier_text(t, admin1, &a1))
        return -1;
    g = &t->e[t->n];
    g->name = nm;
    g->country = cc;
    g->country_name = cn;
    g->admin1 = a1;
    size_t idx = t->n++;
    if (tier_key(t, name, idx))
        return -1;
    while (alts && *alts) {
        const char *semi = strchr(alts, ';');
        size_t n = semi ? (size_t)(semi - alts) : strlen(alts);
        char one[EVM_FOLD_MAX];
        if (n < sizeof one) {
            memcpy(one, alts, n);
            one[n] = '\0';
            if (tier_key(t, one, idx))
                return -1;
        }
        alts = semi ? semi + 1 : NULL;
    }
    return 0;
}

static const char *tier_str(const gz_tier_t *t, size_t off)
{
    return t->text.data + off;
}

/* qsort has no closure: the keys are sorted by a merge sort of our own
 * so that two gazetteers can be built at once. */
static void sort_keys(const gz_tier_t *t, gz_key_t *k, gz_key_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_keys(t, k, tmp, h);
    sort_keys(t, k + h, tmp, n - h);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n) {
        int c = strcmp(tier_str(t, k[i].key), tier_str(t, k[j].key));
        if (c < 0 || (c == 0 && k[i].entry <= k[j].entry))
            tmp[o++] = k[i++];
        else
            tmp[o++] = k[j++];
    }
    while (i < h)
        tmp[o++] = k[i++];
    while (j < n)
        tmp[o++] = k[j++];
    memcpy(k, tmp, n * sizeof *k);
}

static int tier_sort(gz_tier_t *t)
{
    if (t->nk < 2)
        return 0;
    gz_key_t *tmp = evm_alloc_array(t->nk, sizeof *tmp);
    if (!tmp)
        return -1;
    sort_keys(t, t->k, tmp, t->nk);
    free(tmp);
    return 0;
}

static void tier_free(gz_tier_t *t)
{
    free(t->e);
    free(t->k);
    evm_arena_free(&t->text);
}

/* The column of ev named name (ignoring case), or -1. */
static long column(const evm_events_t *ev, const char *name)
{
    for (size_t c = 0; c < evm_events_column_count(ev); c++)
        if (evm_fold_equal(evm_events_column_name(ev, c), name))
            return (long)c;
    return -1;
}

static const char *cell(const evm_events_t *ev, size_t i, long col)
{
    return col < 0 ? "" : evm_events_value(ev, i, (size_t)col);
}

/* Reads a CSV of places (the user's, or the bundled extract) into t. */
static evm_status tier_load_csv(gz_tier_t *t, const char *path,
                                evm_place_source source, evm_error_t *err)
{
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    co.role_col[EVM_ROLE_NAME] = "name";
    evm_events_t *ev = NULL;
    evm_status st = evm_events_load_file(path, &co, &ev, err);
    if (st)
        return st;
    if (evm_events_rejected_count(ev)) {
        const evm_error_t *r = evm_events_rejected(ev, 0);
        if (err)
            *err = *r;
        evm_events_destroy(ev);
        return EVM_ERR_PARSE;
    }
    long alt = column(ev, "alt"), cc = column(ev, "country"),
         cn = column(ev, "country_name"), a1 = column(ev, "admin1"),
         pop = column(ev, "population");
    for (size_t i = 0; i < evm_events_count(ev); i++) {
        const evm_event_t *e = evm_events_get(ev, i);
        char country[8] = "";
        const char *c = cell(ev, i, cc);
        /* A two-letter code in upper case; a longer cell is a name. */
        while (*c == ' ')
            c++;
        size_t clen = strlen(c);
        while (clen && c[clen - 1] == ' ')
            clen--;
        const char *cname = cell(ev, i, cn);
        if (clen == 2) {
            country[0] = (char)(c[0] >= 'a' && c[0] <= 'z' ? c[0] - 32 : c[0]);
            country[1] = (char)(c[1] >= 'a' && c[1] <= 'z' ? c[1] - 32 : c[1]);
        } else if (clen && !cname[0]) {
            cname = c;
        }
        double p = pop >= 0 ? evm_num_strtod(cell(ev, i, pop), NULL) : 0;
        if (!e->name[0])
            continue;
        if (tier_add(t, e->name, cell(ev, i, alt), e->lat_deg, e->lon_deg,
                     country, cname, cell(ev, i, a1), isfinite(p) ? p : 0,
                     source)) {
            evm_events_destroy(ev);
            return evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0,
                                 "out of memory");
        }
    }
    evm_events_destroy(ev);
    return EVM_OK;
}

/* The GeoNames cities, appended to the bundled tier. */
static int tier_load_geonames(gz_tier_t *t)
{
    gint n = geonames_get_n_cities();
    for (gint i = 0; i < n; i++) {
        GeonamesCity *c = geonames_get_city(i);
        if (!c)
            continue;
        int rc = tier_add(
            t, geonames_city_get_name(c), NULL, geonames_city_get_latitude(c),
            geonames_city_get_longitude(c), geonames_city_get_country_code(c),
            geonames_city_get_country(c), geonames_city_get_state(c),
            (double)geonames_city_get_population(c), EVM_PLACE_GEONAMES);
        geonames_city_free(c);
        if (rc)
            return -1;
    }
    return 0;
}

static bool file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

evm_status evm_gazetteer_create(const evm_gazetteer_options_t *opt,
                                evm_gazetteer_t **out, evm_error_t *err)
{
    evm_gazetteer_options_t defaults;
    if (!out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no output for the gazetteer");
    *out = NULL;
    if (!opt) {
        evm_gazetteer_options_init(&defaults);
        opt = &defaults;
    }
    evm_gazetteer_t *g = calloc(1, sizeof *g);
    if (!g)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    pthread_mutex_init(&g->lock, NULL);
    atomic_init(&g->used_geonames, false);
    g->want_geonames = opt->geonames;
    evm_status st = EVM_OK;
    if (opt->places_path && ((st = tier_load_csv(&g->user, opt->places_path,
                                                 EVM_PLACE_USER, err)) ||
                             tier_sort(&g->user)))
        goto fail;

    char path[4096];
    const char *dir = opt->geodata_dir;
    if (!dir) {
        evm_geodata_t *gd = NULL;
        if ((st = evm_geodata_open(NULL, &gd, err)))
            goto fail;
        snprintf(path, sizeof path, "%s/gazetteer.csv", evm_geodata_dir(gd));
        evm_geodata_destroy(gd);
    } else {
        snprintf(path, sizeof path, "%s/gazetteer.csv", dir);
    }
    if (!file_exists(path)) {
        st = evm_error_set(err, EVM_ERR_NOT_FOUND, path, 0, 0,
                           "the bundled gazetteer is missing");
        goto fail;
    }
    if ((st = tier_load_csv(&g->bundled, path, EVM_PLACE_NATURAL_EARTH, err)))
        goto fail;
    if (tier_sort(&g->bundled)) {
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    *out = g;
    return EVM_OK;
fail:
    evm_gazetteer_destroy(g);
    return st ? st
              : evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

void evm_gazetteer_destroy(evm_gazetteer_t *gaz)
{
    if (!gaz)
        return;
    tier_free(&gaz->user);
    tier_free(&gaz->bundled);
    pthread_mutex_destroy(&gaz->lock);
    free(gaz);
}

bool evm_gazetteer_used_geonames(const evm_gazetteer_t *gaz)
{
    return gaz && atomic_load(&((evm_gazetteer_t *)gaz)->used_geonames);
}

/* ---- lookup ---------------------------------------------------------------
 */

/* The first key equal to folded, or t->nk. */
static size_t tier_find(const gz_tier_t *t, const char *folded)
{
    size_t lo = 0, hi = t->nk;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(tier_str(t, t->k[mid].key), folded) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->nk && strcmp(tier_str(t, t->k[lo].key), folded) == 0 ? lo
                                                                        : t->nk;
}

static evm_geocode_place_t place_of(const gz_tier_t *t, size_t i)
{
    const gz_entry_t *e = &t->e[i];
    return (evm_geocode_place_t){tier_str(t, e->name),
                                 e->lat,
                                 e->lon,
                                 tier_str(t, e->country),
                                 tier_str(t, e->country_name),
                                 tier_str(t, e->admin1),
                                 e->pop,
                                 e->source};
}

/* Whether a hint names the place's country: its code or its name. */
static bool country_matches(const evm_geocode_place_t *p, const char *hint)
{
    return evm_fold_equal(p->country, hint) ||
           (p->country_name[0] && evm_fold_equal(p->country_name, hint));
}

/* Great-circle metres; enough to tell one place from another. */
static double rough_m(double la1, double lo1, double la2, double lo2)
{
    const double r = 6371008.8, d = 3.14159265358979323846 / 180;
    double h = pow(sin((la2 - la1) * d / 2), 2) +
               cos(la1 * d) * cos(la2 * d) * pow(sin((lo2 - lo1) * d / 2), 2);
    return 2 * r * asin(fmin(1, sqrt(h)));
}

static int by_population(const void *a, const void *b)
{
    const evm_geocode_place_t *x = a, *y = b;
    return (x->population < y->population) - (x->population > y->population);
}

/* The candidates of folded in t (one entry once), merged: a candidate of a
 * later source within GZ_SAME_PLACE_M of an earlier one of the same
 * country is that place, and lends it its population when larger. */
static size_t gather(const gz_tier_t *t, const char *folded,
                     evm_geocode_place_t **out)
{
    size_t first = tier_find(t, folded), n = 0;
    *out = NULL;
    if (first == t->nk)
        return 0;
    size_t end = first;
    while (end < t->nk && strcmp(tier_str(t, t->k[end].key), folded) == 0)
        end++;
    evm_geocode_place_t *c = evm_alloc_array(end - first, sizeof *c);
    if (!c)
        return (size_t)-1;
    for (size_t k = first; k < end; k++) {
        if (k > first && t->k[k].entry == t->k[k - 1].entry)
            continue;
        evm_geocode_place_t p = place_of(t, t->k[k].entry);
        bool merged = false;
        for (size_t j = 0; j < n && !merged; j++) {
            if ((c[j].country[0] && p.country[0] &&
                 strcmp(c[j].country, p.country) != 0) ||
                rough_m(c[j].lat_deg, c[j].lon_deg, p.lat_deg, p.lon_deg) >
                    GZ_SAME_PLACE_M)
                continue;
            merged = true;
            if (p.population > c[j].population)
                c[j].population = p.population;
            if (!c[j].country[0] && p.country[0]) {
                c[j].country = p.country;
                c[j].country_name = p.country_name;
            }
        }
        if (!merged)
            c[n++] = p;
    }
    /* Entries come in source order (Natural Earth before GeoNames) and
     * file order; the merge kept the first, the sort is stable enough
     * for equal populations because qsort of distinct keys is total. */
    qsort(c, n, sizeof *c, by_population);
    *out = c;
    return n;
}

static evm_status ensure_geonames(const evm_gazetteer_t *gaz, evm_error_t *err)
{
    evm_gazetteer_t *g = (evm_gazetteer_t *)gaz;
    if (!g->want_geonames)
        return EVM_OK;
    pthread_mutex_lock(&g->lock);
    evm_status st = EVM_OK;
    if (!g->geonames_loaded) {
        if (tier_load_geonames(&g->bundled) || tier_sort(&g->bundled))
            st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        else
            g->geonames_loaded = true;
    }
    pthread_mutex_unlock(&g->lock);
    return st;
}

/* "Springfield" not found: the closest names of both tiers. */
static evm_status not_found(const evm_gazetteer_t *g, const char *text,
                            const char *folded, evm_error_t *err)
{
    const gz_tier_t *tiers[2] = {&g->user, &g->bundled};
    evm_name_best_t best = {0};
    size_t limit = evm_name_limit(folded);
    for (size_t ti = 0; ti < 2; ti++)
        for (size_t k = 0; k < tiers[ti]->nk; k++) {
            if (k && strcmp(tier_str(tiers[ti], tiers[ti]->k[k].key),
                            tier_str(tiers[ti], tiers[ti]->k[k - 1].key)) == 0)
                continue;
            size_t d = evm_name_distance(
                folded, tier_str(tiers[ti], tiers[ti]->k[k].key), limit);
            if (d <= limit)
                evm_name_best_offer(&best, ti * ((size_t)1 << 40) + k, d);
        }
    char list[320] = "";
    size_t o = 0;
    for (size_t i = 0; i < best.n; i++) {
        size_t ti = best.index[i] >> 40,
               k = best.index[i] & (((size_t)1 << 40) - 1);
        const gz_tier_t *t = tiers[ti];
        evm_geocode_place_t p = place_of(t, t->k[k].entry);
        int w = snprintf(list + o, sizeof list - o, "%s%s%s%s",
                         i ? (i + 1 == best.n ? " or " : ", ") : "", p.name,
                         p.country[0] ? ", " : "", p.country);
        if (w < 0 || (size_t)w >= sizeof list - o)
            break;
        o += (size_t)w;
    }
    if (best.n)
        return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                             "no place is named \"%.100s\" in the gazetteer; "
                             "did you mean %s?",
                             text, list);
    return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                         "no place is named \"%.100s\" in the gazetteer", text);
}

/* Candidates of one name: the user's file alone when it knows the name,
 * else the bundled sources. 0 when none; (size_t)-1 out of memory. */
static size_t candidates(const evm_gazetteer_t *g, const char *folded,
                         evm_geocode_place_t **out)
{
    size_t n = gather(&g->user, folded, out);
    if (n)
        return n;
    free(*out);
    return gather(&g->bundled, folded, out);
}

static evm_status choose(const evm_gazetteer_t *g, const char *text,
                         evm_geocode_place_t *c, size_t n, const char *hint,
                         evm_geocode_t *out, evm_error_t *err)
{
    size_t kept = n;
    if (hint && hint[0]) {
        kept = 0;
        for (size_t i = 0; i < n; i++)
            if (country_matches(&c[i], hint))
                c[kept++] = c[i];
        if (!kept)
            return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                                 "no place named \"%.100s\" in country "
                                 "\"%.40s\"; %zu elsewhere, the largest "
                                 "in %s",
                                 text, hint, n,
                                 c[0].country_name[0] ? c[0].country_name
                                                      : c[0].country);
    }
    out->place = c[0];
    out->n_others = kept - 1;
    if (kept > 1) {
        out->others = evm_alloc_array(kept - 1, sizeof *out->others);
        if (!out->others)
            return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory");
        memcpy(out->others, c + 1, (kept - 1) * sizeof *c);
    }
    if (c[0].source == EVM_PLACE_GEONAMES)
        atomic_store(&((evm_gazetteer_t *)g)->used_geonames, true);
    return EVM_OK;
}

evm_status evm_gazetteer_lookup(const evm_gazetteer_t *gaz, const char *text,
                                const char *country, evm_geocode_t *out,
                                evm_error_t *err)
{
    if (!gaz || !text || !out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no gazetteer, name or output");
    memset(out, 0, sizeof *out);
    char folded[EVM_FOLD_MAX];
    if (!evm_fold_name(text, folded, sizeof folded) || !folded[0])
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "\"%.100s\" is no place name", text);
    evm_status st = EVM_OK;
    evm_geocode_place_t *c = NULL;
    size_t n = gather(&gaz->user, folded, &c);
    if (n == 0) {
        free(c);
        if ((st = ensure_geonames(gaz, err)))
            return st;
        n = candidates(gaz, folded, &c);
    }
    const char *hint = country;
    char name_part[EVM_FOLD_MAX], hint_part[64];
    const char *comma = strrchr(text, ',');
    if (n == 0 && comma && (!country || !country[0])) {
        /* "Paris, FR": a name and a country hint. */
        free(c);
        c = NULL;
        size_t len = (size_t)(comma - text);
        const char *h = comma + 1;
        while (*h == ' ')
            h++;
        if (len < sizeof name_part && strlen(h) < sizeof hint_part) {
            memcpy(name_part, text, len);
            name_part[len] = '\0';
            strcpy(hint_part, h);
            hint = hint_part;
            if (evm_fold_name(name_part, folded, sizeof folded) && folded[0])
                n = candidates(gaz, folded, &c);
        }
    }
    if (n == (size_t)-1)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (n == 0) {
        free(c);
        return not_found(gaz, text, folded, err);
    }
    st = choose(gaz, text, c, n, hint, out, err);
    free(c);
    if (st)
        evm_geocode_clear(out);
    return st;
}

void evm_geocode_clear(evm_geocode_t *geocode)
{
    if (!geocode)
        return;
    free(geocode->others);
    geocode->others = NULL;
    geocode->n_others = 0;
}

/* "Springfield, US (Missouri)" */
static int describe(const evm_geocode_place_t *p, char *buf, size_t cap)
{
    return snprintf(buf, cap, "%s, %s%s%s%s", p->name,
                    p->country[0] ? p->country : "?", p->admin1[0] ? " (" : "",
                    p->admin1, p->admin1[0] ? ")" : "");
}

bool evm_geocode_warning(const evm_geocode_t *geocode, const char *query,
                         char *buf, size_t cap)
{
    if (!geocode || !geocode->n_others || !buf || !cap)
        return false;
    char one[160];
    describe(&geocode->place, one, sizeof one);
    size_t o = 0;
    int w = snprintf(buf, cap,
                     "\"%s\" names %zu places; chose the most populous, %s, "
                     "at %.4f, %.4f; give a country to choose another: ",
                     query, geocode->n_others + 1, one, geocode->place.lat_deg,
                     geocode->place.lon_deg);
    o = w < 0 ? 0 : (size_t)w < cap ? (size_t)w : cap - 1;
    for (size_t i = 0; i < geocode->n_others && o + 1 < cap; i++) {
        describe(&geocode->others[i], one, sizeof one);
        w = snprintf(buf + o, cap - o, "%s%s", i ? "; " : "", one);
        if (w < 0 || (size_t)w >= cap - o) {
            buf[o] = '\0';
            break;
        }
        o += (size_t)w;
    }
    return true;
}
