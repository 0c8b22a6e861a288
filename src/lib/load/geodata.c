/* The bundled geodata: finding the directory and loading each resolution
 * once, on first use, from whichever thread asks first.
 *
 * Each resolution has its own mutex, so a thread waiting for 10m to load
 * does not hold up one that wants 110m; the lock is held during the load
 * so that concurrent callers get the one copy. A failed load is kept and
 * returned to every later caller (except running out of memory, which may
 * pass), rather than re-parsing a broken file on every request. */
#define _GNU_SOURCE /* dladdr */

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "load/basemap_internal.h"
#include "load/layers.h"

enum { GD_N_RES = 3 };

typedef struct gd_slot {
    pthread_mutex_t lock;
    char *path; /* the file to load, or NULL if the directory has none */
    evm_basemap_t *map;
    evm_error_t failure; /* status EVM_OK until a load fails */
} gd_slot_t;

struct evm_geodata {
    char *dir;
    gd_slot_t slot[GD_N_RES];
    /* The reference layers (layers.h), each resolution its own file. */
    gd_slot_t layer[EVM_REF_COUNT][GD_N_RES];
    /* The international worldview of each resolution's countries,
     * derived on first use (map NULL and path "" once derived to no
     * change). */
    gd_slot_t intl[GD_N_RES];
};

enum { GD_N_SLOTS = GD_N_RES * (2 + EVM_REF_COUNT) };

static const evm_basemap_res gd_res[GD_N_RES] = {
    EVM_BASEMAP_110M, EVM_BASEMAP_50M, EVM_BASEMAP_10M};

/* Slot k of all: the countries' first, then each layer's, then the
 * worldviews'. */
static gd_slot_t *gd_slot_at(evm_geodata_t *g, int k)
{
    if (k < GD_N_RES)
        return &g->slot[k];
    k -= GD_N_RES;
    if (k < GD_N_RES * EVM_REF_COUNT)
        return &g->layer[k / GD_N_RES][k % GD_N_RES];
    return &g->intl[k - GD_N_RES * EVM_REF_COUNT];
}

static int gd_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *gd_join(const char *dir, const char *stem, const char *res,
                     const char *ext)
{
    size_t n = strlen(dir) + strlen(stem) + strlen(res) + strlen(ext) + 8;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s-%s.%s", dir, stem, res, ext);
    return p;
}

/* The geodata of an installed copy, found from where this code was
 * loaded from (the shared library, or the program it is linked into) and
 * the install layout's relative path from that folder, so that an install
 * moved to another prefix still finds its data. Writes the directory to
 * buf and returns it, or NULL when the place is unknown. */
static const char *gd_relative_dir(const char *rel, char *buf, size_t size)
{
    Dl_info info;
    if (!rel || !dladdr((void *)(uintptr_t)gd_relative_dir, &info) ||
        !info.dli_fname || info.dli_fname[0] != '/')
        return NULL;
    const char *slash = strrchr(info.dli_fname, '/');
    int n = snprintf(buf, size, "%.*s/%s", (int)(slash - info.dli_fname),
                     info.dli_fname, rel);
    return n > 0 && (size_t)n < size ? buf : NULL;
}

/* The file of each resolution in dir, packed preferred; returns how many
 * resolutions have one, or -1 when out of memory. */
static int gd_probe(const char *dir, char *paths[GD_N_RES])
{
    static const char *const ext[] = {"evmgeo", "json"};
    int found = 0;
    for (int r = 0; r < GD_N_RES; r++) {
        paths[r] = NULL;
        for (size_t e = 0; e < 2 && !paths[r]; e++) {
            char *p = gd_join(dir, "countries", evm_basemap_res_name(gd_res[r]),
                              ext[e]);
            if (!p) {
                for (int k = 0; k < r; k++)
                    free(paths[k]);
                return -1;
            }
            if (gd_is_file(p)) {
                paths[r] = p;
                found++;
            } else {
                free(p);
            }
        }
    }
    return found;
}

evm_status evm_geodata_open(const char *dir, evm_geodata_t **out,
                            evm_error_t *err)
{
    if (!out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no output for the geodata");
    *out = NULL;
    /* An explicit directory is the only place looked at: silently
     * loading other data than the caller named would be worse than an
     * error. */
    const char *cand[6];
    char rel_buf[2][4096];
    size_t n_cand = 0;
    if (dir) {
        cand[n_cand++] = dir;
    } else {
        const char *env = getenv("EVMAP_GEODATA");
        if (env && env[0])
            cand[n_cand++] = env;
        /* The installed copy beside this program or library first: a
         * build tree has no share/ next to its binaries, and an install
         * must not pick up a build tree that happens to still exist. */
        static const char *const rel[] = {
#ifdef EVM_GEODATA_FROM_BINDIR
            EVM_GEODATA_FROM_BINDIR,
#endif
#ifdef EVM_GEODATA_FROM_LIBDIR
            EVM_GEODATA_FROM_LIBDIR,
#endif
            NULL};
        for (size_t r = 0; rel[r]; r++) {
            const char *d =
                gd_relative_dir(rel[r], rel_buf[r], sizeof rel_buf[r]);
            if (d)
                cand[n_cand++] = d;
        }
#ifdef EVM_GEODATA_BUILD_DIR
        cand[n_cand++] = EVM_GEODATA_BUILD_DIR;
#endif
#ifdef EVM_GEODATA_SOURCE_DIR
        cand[n_cand++] = EVM_GEODATA_SOURCE_DIR;
#endif
#ifdef EVM_GEODATA_INSTALL_DIR
        cand[n_cand++] = EVM_GEODATA_INSTALL_DIR;
#endif
    }

    char *paths[GD_N_RES];
    size_t i;
    int found = 0;
    for (i = 0; i < n_cand; i++) {
        found = gd_probe(cand[i], paths);
        if (found != 0)
            break;
    }
    if (found < 0)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory opening the geodata");
    if (found == 0) {
        char places[EVM_ERROR_MESSAGE_MAX] = "";
        size_t used = 0;
        for (size_t k = 0; k < n_cand && used < sizeof places; k++) {
            int w = snprintf(places + used, sizeof places - used, "%s%s",
                             k ? ", " : "", cand[k]);
            used += w > 0 ? (size_t)w : 0;
        }
        return evm_error_set(err, EVM_ERR_NOT_FOUND, NULL, 0, 0,
                             "no geodata (countries-*.evmgeo or "
                             "countries-*.json) in %s",
                             n_cand ? places : "(no place to look)");
    }

    evm_geodata_t *g = calloc(1, sizeof *g);
    if (g)
        g->dir = evm_strdup(cand[i]);
    int locks = 0;
    while (g && g->dir && locks < GD_N_SLOTS &&
           pthread_mutex_init(&gd_slot_at(g, locks)->lock, NULL) == 0)
        locks++;
    bool ok = g && g->dir && locks == GD_N_SLOTS;
    for (int k = 0; ok && k < EVM_REF_COUNT; k++)
        for (int r = 0; ok && r < GD_N_RES; r++) {
            char *p = gd_join(g->dir, evm_ref_layer_name((evm_ref_layer)k),
                              evm_basemap_res_name(gd_res[r]), "evmgeo");
            ok = p != NULL;
            if (p && gd_is_file(p))
                g->layer[k][r].path = p;
            else
                free(p);
        }
    if (!ok) {
        for (int r = 0; r < GD_N_RES; r++)
            free(paths[r]);
        for (int k = 0; g && k < locks; k++) {
            free(gd_slot_at(g, k)->path);
            pthread_mutex_destroy(&gd_slot_at(g, k)->lock);
        }
        if (g)
            free(g->dir);
        free(g);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory opening the geodata");
    }
    for (int r = 0; r < GD_N_RES; r++)
        g->slot[r].path = paths[r];
    *out = g;
    return EVM_OK;
}

/* The map of a slot, loaded on first use under its lock. A slot
 * without a file is what missing says: an error (countries) or no map
 * (a layer). */
static evm_status gd_slot_get(evm_geodata_t *geodata, gd_slot_t *s,
                              bool missing_is_error, const char *stem,
                              evm_basemap_res res, const evm_basemap_t **out,
                              evm_error_t *err)
{
    evm_status st = EVM_OK;
    pthread_mutex_lock(&s->lock);
    if (!s->map && s->failure.status == EVM_OK &&
        (s->path || missing_is_error)) {
        evm_basemap_t *m = NULL;
        evm_error_t e;
        evm_error_clear(&e);
        if (!s->path)
            st = evm_error_set(&e, EVM_ERR_NOT_FOUND, geodata->dir, 0, 0,
                               "no %s-%s.evmgeo or %s-%s.json "
                               "in this directory",
                               stem, evm_basemap_res_name(res), stem,
                               evm_basemap_res_name(res));
        else
            st = evm_basemap_load(s->path, &m, &e);
        if (st != EVM_OK && e.status == EVM_OK)
            e.status = st;
        if (st == EVM_OK)
            s->map = m;
        else if (st != EVM_ERR_NOMEM)
            s->failure = e;
        else if (err)
            *err = e;
    }
    if (s->map) {
        *out = s->map;
        st = EVM_OK;
    } else if (s->failure.status != EVM_OK) {
        st = s->failure.status;
        if (err)
            *err = s->failure;
    }
    pthread_mutex_unlock(&s->lock);
    return st;
}

evm_status evm_geodata_get(evm_geodata_t *geodata, evm_basemap_res res,
                           const evm_basemap_t **out, evm_error_t *err)
{
    if (!geodata || !out || res < EVM_BASEMAP_110M || res > EVM_BASEMAP_10M)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "evm_geodata_get needs geodata, an output and "
                             "a resolution of 110m, 50m or 10m");
    *out = NULL;
    return gd_slot_get(geodata, &geodata->slot[res - EVM_BASEMAP_110M], true,
                       "countries", res, out, err);
}

evm_status evm_geodata_layer(evm_geodata_t *geodata, evm_ref_layer layer,
                             evm_basemap_res res, const evm_basemap_t **out,
                             evm_error_t *err)
{
    if (!geodata || !out || (unsigned)layer >= EVM_REF_COUNT ||
        res < EVM_BASEMAP_110M || res > EVM_BASEMAP_10M)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "evm_geodata_layer needs geodata, an output, a "
                             "layer and a resolution of 110m, 50m or 10m");
    *out = NULL;
    /* The given resolution, else the nearest finer one there is. */
    int r = res - EVM_BASEMAP_110M;
    while (r < GD_N_RES - 1 && !geodata->layer[layer][r].path)
        r++;
    return gd_slot_get(geodata, &geodata->layer[layer][r], false,
                       evm_ref_layer_name(layer), gd_res[r], out, err);
}

evm_status evm_geodata_get_worldview(evm_geodata_t *geodata,
                                     evm_basemap_res res,
                                     evm_worldview worldview,
                                     const evm_basemap_t **out,
                                     evm_error_t *err)
{
    const evm_basemap_t *base = NULL, *areas = NULL;
    if (!out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no output for the countries");
    evm_status st = evm_geodata_get(geodata, res, &base, err);
    if (st || worldview == EVM_WORLDVIEW_DE_FACTO) {
        *out = base;
        return st;
    }
    *out = NULL;
    if ((st = evm_geodata_layer(geodata, EVM_REF_DISPUTED_AREAS, res, &areas,
                                err)))
        return st;
    gd_slot_t *s = &geodata->intl[res - EVM_BASEMAP_110M];
    pthread_mutex_lock(&s->lock);
    if (!s->map && !s->path) {
        evm_basemap_t *m = NULL;
        st = evm_worldview_international(base, areas, &m, err);
        if (!st) {
            s->map = m;
            s->path = evm_strdup(""); /* derived, even if to no change */
            if (!s->path) {
                evm_basemap_destroy(m);
                s->map = NULL;
                st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                   "out of memory");
            }
        }
    }
    *out = s->map ? s->map : base;
    pthread_mutex_unlock(&s->lock);
    return st;
}

const char *evm_geodata_dir(const evm_geodata_t *geodata)
{
    return geodata ? geodata->dir : NULL;
}

void evm_geodata_destroy(evm_geodata_t *geodata)
{
    if (!geodata)
        return;
    for (int k = 0; k < GD_N_SLOTS; k++) {
        gd_slot_t *s = gd_slot_at(geodata, k);
        pthread_mutex_destroy(&s->lock);
        evm_basemap_destroy(s->map);
        free(s->path);
    }
    free(geodata->dir);
    free(geodata);
}
