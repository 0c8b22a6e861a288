/* The scene's events table: each event's name, kind, date and every CSV
 * cell, copied at layout so that a backend needs nothing but the scene,
 * and a slug per event from which backends and layout build ids
 * ("event-pyongyang", "label-seoul-2").
 *
 * Slugs must be unique, stable for a given file and usable inside an XML
 * id (an XML Name once prefixed) and a CSS class: ASCII letters are
 * lower-cased, letters and digits of other scripts kept ("seoul-서울"),
 * anything else becomes one '-'. A repeated name gets "-2", "-3", ... in
 * input order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/error.h"
#include "core/text.h"
#include "map/layout_internal.h"
#include "map/scene_events.h"

/* Longest slug kept from a name, bytes: ids stay readable in an editor. */
enum { EVM_SLUG_MAX = 64 };

/* Writes the slug of text into out (at least EVM_SLUG_MAX + 1 bytes). The
 * result is "" when text has no letter or digit. Invalid UTF-8 counts as
 * punctuation. */
static void slugify(const char *text, char *out)
{
    size_t o = 0;
    bool dash = false; /* a '-' is pending between two kept runs */
    const char *p = text ? text : "";
    while (*p) {
        unsigned char ch = (unsigned char)*p;
        char buf[8];
        size_t n = 0;
        if (ch < 0x80) {
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                ch == '_')
                buf[n++] = (char)ch;
            else if (ch >= 'A' && ch <= 'Z')
                buf[n++] = (char)(ch - 'A' + 'a');
            p++;
        } else {
            gunichar c = g_utf8_get_char_validated(p, -1);
            if (c == (gunichar)-1 || c == (gunichar)-2) {
                p++;
            } else {
                p = g_utf8_next_char(p);
                gunichar lc = g_unichar_tolower(c);
                if (g_unichar_isalnum(c) && evm_xml_name_char(lc))
                    n = (size_t)g_unichar_to_utf8(lc, buf);
            }
        }
        if (n == 0) {
            dash = o > 0;
            continue;
        }
        if (o + dash + n > EVM_SLUG_MAX)
            break;
        if (dash)
            out[o++] = '-';
        dash = false;
        memcpy(out + o, buf, n);
        o += n;
    }
    out[o] = '\0';
}

void evm_kind_class(const char *kind, char *out, size_t cap)
{
    char slug[EVM_SLUG_MAX + 1];
    slugify(kind, slug);
    snprintf(out, cap, "kind-%s", slug[0] ? slug : "event");
}

evm_status evm_scene_set_columns(evm_scene_t *scene, const char *const *names,
                                 size_t n_names)
{
    if (scene->n_events > 0)
        return EVM_ERR_INVALID_ARG;
    char **cols = evm_alloc_array(n_names ? n_names : 1, sizeof *cols);
    if (!cols)
        return EVM_ERR_NOMEM;
    for (size_t i = 0; i < n_names; i++) {
        cols[i] = evm_strdup(names[i] ? names[i] : "");
        if (!cols[i]) {
            while (i--)
                free(cols[i]);
            free(cols);
            return EVM_ERR_NOMEM;
        }
    }
    for (size_t i = 0; i < scene->n_columns; i++)
        free(scene->columns[i]);
    free(scene->columns);
    scene->columns = cols;
    scene->n_columns = n_names;
    return EVM_OK;
}

/* Copies s at *at and advances it. */
static char *put_string(char **at, const char *s)
{
    size_t n = strlen(s) + 1;
    char *dst = memcpy(*at, s, n);
    *at += n;
    return dst;
}

evm_scene_event_t *evm_scene_add_event(evm_scene_t *scene, const char *name,
                                       const char *kind, const char *date,
                                       const char *const *values)
{
    if (!scene->slugs) {
        scene->slugs = g_hash_table_new(g_str_hash, g_str_equal);
        if (!scene->slugs)
            return NULL;
    }
    GHashTable *taken = scene->slugs;
    name = name ? name : "";
    kind = kind ? kind : "";
    date = date ? date : "";

    /* The slug, with room for a "-<count>" suffix. */
    char base[EVM_SLUG_MAX + 1], slug[EVM_SLUG_MAX + 32];
    slugify(name, base);
    if (!base[0])
        snprintf(base, sizeof base, "%zu", scene->n_events + 1);
    snprintf(slug, sizeof slug, "%s", base);
    for (unsigned long k = 2; g_hash_table_contains(taken, slug); k++)
        snprintf(slug, sizeof slug, "%s-%lu", base, k);

    /* One block: the cell pointers, then every string. */
    size_t nc = scene->n_columns;
    size_t bytes = nc * sizeof(char *) + strlen(slug) + strlen(name) +
                   strlen(kind) + strlen(date) + 4;
    for (size_t c = 0; c < nc; c++)
        bytes += strlen(values && values[c] ? values[c] : "") + 1;
    if (evm_grow((void **)&scene->events, &scene->cap_events,
                 scene->n_events + 1, sizeof *scene->events))
        return NULL;
    char **block = malloc(bytes);
    if (!block)
        return NULL;
    char *at = (char *)(block + nc);
    evm_scene_event_t *e = &scene->events[scene->n_events];
    e->values = block;
    for (size_t c = 0; c < nc; c++)
        block[c] = put_string(&at, values && values[c] ? values[c] : "");
    e->slug = put_string(&at, slug);
    e->name = put_string(&at, name);
    e->kind = put_string(&at, kind);
    e->date = put_string(&at, date);
    e->lat_deg = e->lon_deg = NAN;
    e->cluster = -1;
    g_hash_table_add(taken, e->slug);
    scene->n_events++;
    return e;
}

evm_status evm_scene_reserve_events(evm_scene_t *scene, size_t n)
{
    if (n <= scene->cap_events)
        return EVM_OK;
    evm_scene_event_t *e = evm_realloc_array(scene->events, n, sizeof *e);
    if (!e)
        return EVM_ERR_NOMEM;
    scene->events = e;
    scene->cap_events = n;
    return EVM_OK;
}

evm_status evm_scene_add_blank_event(evm_scene_t *scene, double lat_deg,
                                     double lon_deg)
{
    /* Every string of a blank entry is this one, and values is NULL:
     * nothing to free. */
    static char empty[1];
    if (evm_grow((void **)&scene->events, &scene->cap_events,
                 scene->n_events + 1, sizeof *scene->events))
        return EVM_ERR_NOMEM;
    scene->events[scene->n_events++] = (evm_scene_event_t){
        .slug = empty,
        .name = empty,
        .kind = empty,
        .date = empty,
        .values = NULL,
        .lat_deg = lat_deg,
        .lon_deg = lon_deg,
        .cluster = -1,
    };
    return EVM_OK;
}

evm_status evm_item_add_data(evm_item_t *item, const char *name,
                             const char *value)
{
    char *n, *v;
    if (evm_scene_grow_named((void **)&item->data, item->n_data,
                             sizeof *item->data, name, value ? value : "", &n,
                             &v))
        return EVM_ERR_NOMEM;
    item->data[item->n_data++] = (evm_item_data_t){n, v};
    return EVM_OK;
}

evm_status evm_scene_grow_named(void **array, size_t n_entries, size_t size,
                                const char *name, const char *value,
                                char **name_out, char **value_out)
{
    void *grown = evm_realloc_array(*array, n_entries + 1, size);
    if (!grown)
        return EVM_ERR_NOMEM;
    *array = grown;
    char *n = evm_strdup(name ? name : "");
    char *v = value ? evm_strdup(value) : NULL;
    if (!n || (value && !v)) {
        free(n);
        free(v);
        return EVM_ERR_NOMEM;
    }
    *name_out = n;
    *value_out = v;
    return EVM_OK;
}

void evm_scene_events_free(evm_scene_t *scene)
{
    for (size_t i = 0; i < scene->n_columns; i++)
        free(scene->columns[i]);
    free(scene->columns);
    for (size_t i = 0; i < scene->n_events; i++)
        free(scene->events[i].values);
    free(scene->events);
    if (scene->slugs)
        g_hash_table_destroy(scene->slugs);
    scene->columns = NULL;
    scene->events = NULL;
    scene->slugs = NULL;
    scene->n_columns = scene->n_events = scene->cap_events = 0;
}
