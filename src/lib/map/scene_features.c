/* Scene features: the lines a map draws, kept in geographic coordinates
 * beside their page paths so that they can be exported (GeoJSON) with
 * the properties a GIS needs. */
#include <stdlib.h>
#include <string.h>

#include <evmap/scene.h>

#include "core/error.h"
#include "map/scene_events.h"

evm_scene_feature_t *evm_scene_add_feature(evm_scene_t *scene, const char *id,
                                           const char *kind,
                                           const double *lat_lon,
                                           size_t n_vertices)
{
    if (evm_grow((void **)&scene->features, &scene->cap_features,
                 scene->n_features + 1, sizeof *scene->features))
        return NULL;
    evm_scene_feature_t f = {0};
    f.id = evm_strdup(id ? id : "");
    f.kind = evm_strdup(kind ? kind : "");
    f.lat_lon =
        evm_alloc_array(n_vertices ? 2 * n_vertices : 1, sizeof *f.lat_lon);
    if (!f.id || !f.kind || !f.lat_lon) {
        free(f.id);
        free(f.kind);
        free(f.lat_lon);
        return NULL;
    }
    if (n_vertices)
        memcpy(f.lat_lon, lat_lon, 2 * n_vertices * sizeof *f.lat_lon);
    f.n_vertices = n_vertices;
    scene->features[scene->n_features] = f;
    return &scene->features[scene->n_features++];
}

static evm_status add_prop(evm_scene_feature_t *f, const char *name,
                           const char *text, double number, bool is_number)
{
    char *n, *t;
    if (evm_scene_grow_named((void **)&f->props, f->n_props, sizeof *f->props,
                             name,
                             is_number ? NULL
                             : text    ? text
                                       : "",
                             &n, &t))
        return EVM_ERR_NOMEM;
    f->props[f->n_props++] = (evm_feature_prop_t){n, t, number, is_number};
    return EVM_OK;
}

evm_status evm_feature_add_text(evm_scene_feature_t *f, const char *name,
                                const char *text)
{
    return add_prop(f, name, text, 0, false);
}

evm_status evm_feature_add_number(evm_scene_feature_t *f, const char *name,
                                  double number)
{
    return add_prop(f, name, NULL, number, true);
}

void evm_scene_features_free(evm_scene_t *scene)
{
    for (size_t i = 0; i < scene->n_features; i++) {
        evm_scene_feature_t *f = &scene->features[i];
        free(f->id);
        free(f->kind);
        free(f->lat_lon);
        for (size_t k = 0; k < f->n_props; k++) {
            free(f->props[k].name);
            free(f->props[k].text);
        }
        free(f->props);
    }
    free(scene->features);
    scene->features = NULL;
    scene->n_features = scene->cap_features = 0;
}
