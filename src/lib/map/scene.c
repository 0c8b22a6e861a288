/* Scene storage: layers of items, and path building. */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <evmap/scene.h>

#include "core/error.h"
#include "map/scene_events.h"

static const char *const layer_names[EVM_LAYER_COUNT] = {
    "ocean",          "land",         "rivers",         "lakes",
    "disputed",       "borders",      "coastlines",     "user-layers",
    "graticule",      "water-labels", "country-labels", "places",
    "distance-lines", "routes",       "events",         "labels",
    "legend",         "scale-bar",    "title",          "source"};

const char *evm_layer_name(evm_layer_id id)
{
    return (unsigned)id < EVM_LAYER_COUNT ? layer_names[id] : "";
}

evm_status evm_scene_create(double width_px, double height_px, double dpi,
                            evm_scene_t **out, evm_error_t *err)
{
    *out = NULL;
    evm_scene_t *s = calloc(1, sizeof *s);
    if (!s)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory creating a scene");
    s->width_px = width_px;
    s->height_px = height_px;
    s->dpi = dpi;
    s->frame = (evm_rect_t){0, 0, width_px, height_px};
    s->background = (evm_rgba_t){1, 1, 1, 1};
    for (int i = 0; i < EVM_LAYER_COUNT; i++) {
        s->layers[i].id = (evm_layer_id)i;
        s->layers[i].name = layer_names[i];
        s->layers[i].clip_to_frame = i <= EVM_LAYER_EVENTS;
    }
    s->title = evm_strdup("");
    s->description = evm_strdup("");
    s->projection = evm_strdup("");
    if (!s->title || !s->description || !s->projection) {
        evm_scene_destroy(s);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory creating a scene");
    }
    *out = s;
    return EVM_OK;
}

static void item_free(evm_item_t *it)
{
    free(it->id);
    free(it->cls);
    evm_path_free(&it->path);
    free(it->text.utf8);
    free(it->text.font_family);
    for (size_t k = 0; k < it->n_data; k++) {
        free(it->data[k].name);
        free(it->data[k].value);
    }
    free(it->data);
}

void evm_scene_destroy(evm_scene_t *scene)
{
    if (!scene)
        return;
    for (int i = 0; i < EVM_LAYER_COUNT; i++) {
        evm_layer_t *l = &scene->layers[i];
        for (size_t k = 0; k < l->n_items; k++)
            item_free(&l->items[k]);
        free(l->items);
    }
    for (size_t k = 0; k < scene->n_omissions; k++) {
        free(scene->omissions[k].text);
        if (!scene->reasons)
            free(scene->omissions[k].reason);
    }
    if (scene->reasons)
        g_hash_table_destroy(scene->reasons);
    free(scene->omissions);
    for (size_t k = 0; k < scene->n_warnings; k++)
        free(scene->warnings[k]);
    free(scene->warnings);
    free(scene->title);
    free(scene->description);
    free(scene->projection);
    evm_scene_events_free(scene);
    evm_scene_features_free(scene);
    free(scene);
}

evm_item_t *evm_scene_add(evm_scene_t *scene, evm_layer_id layer,
                          evm_item_t *item)
{
    evm_layer_t *l = &scene->layers[layer];
    char *id = evm_strdup(item->id);
    char *cls = evm_strdup(item->cls);
    if (!id || !cls ||
        evm_grow((void **)&l->items, &l->cap_items, l->n_items + 1,
                 sizeof *l->items)) {
        free(id);
        free(cls);
        return NULL;
    }
    evm_item_t *dst = &l->items[l->n_items++];
    *dst = *item;
    dst->id = id;
    dst->cls = cls;
    /* Ownership of the path and text moved into the scene. */
    memset(&item->path, 0, sizeof item->path);
    item->text.utf8 = NULL;
    item->text.font_family = NULL;
    item->data = NULL;
    item->n_data = 0;
    return dst;
}

evm_status evm_path_move_to(evm_path_t *p, double x, double y)
{
    if (evm_grow((void **)&p->sub_start, &p->cap_subs, p->n_subs + 1,
                 sizeof *p->sub_start))
        return EVM_ERR_NOMEM;
    size_t cap = p->cap_subs;
    /* sub_closed grows alongside sub_start. */
    bool *closed = evm_realloc_array(p->sub_closed, cap, sizeof *closed);
    if (!closed)
        return EVM_ERR_NOMEM;
    p->sub_closed = closed;
    if (evm_grow((void **)&p->pts, &p->cap_pts, p->n_pts + 1, sizeof *p->pts))
        return EVM_ERR_NOMEM;
    p->sub_start[p->n_subs] = p->n_pts;
    p->sub_closed[p->n_subs] = false;
    p->n_subs++;
    p->pts[p->n_pts++] = (evm_point_t){x, y};
    return EVM_OK;
}

evm_status evm_path_line_to(evm_path_t *p, double x, double y)
{
    if (p->n_subs == 0)
        return evm_path_move_to(p, x, y);
    if (evm_grow((void **)&p->pts, &p->cap_pts, p->n_pts + 1, sizeof *p->pts))
        return EVM_ERR_NOMEM;
    p->pts[p->n_pts++] = (evm_point_t){x, y};
    return EVM_OK;
}

void evm_path_close(evm_path_t *p)
{
    if (p->n_subs)
        p->sub_closed[p->n_subs - 1] = true;
}

void evm_path_free(evm_path_t *p)
{
    free(p->pts);
    free(p->sub_start);
    free(p->sub_closed);
    memset(p, 0, sizeof *p);
}

size_t evm_path_sub_len(const evm_path_t *p, size_t k)
{
    size_t end = k + 1 < p->n_subs ? p->sub_start[k + 1] : p->n_pts;
    return end - p->sub_start[k];
}
