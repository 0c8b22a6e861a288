/* Internal parts of the scene: its events table (scene_events.c) and
 * its features (scene_features.c). */
#ifndef EVM_MAP_SCENE_EVENTS_H
#define EVM_MAP_SCENE_EVENTS_H

#include <evmap/scene.h>

/* Makes room for n events in all, so that a million are stored without
 * the slack of growing by doubling. EVM_OK or EVM_ERR_NOMEM. */
evm_status evm_scene_reserve_events(evm_scene_t *scene, size_t n);
/* Appends an entry at a position whose strings are all "" and whose
 * values are NULL, for an event no item shows by itself (a member of a
 * cluster). */
evm_status evm_scene_add_blank_event(evm_scene_t *scene, double lat_deg,
                                     double lon_deg);
/* Room for one more named value after the n_entries entries of size bytes at
 * *array (an item's data, a feature's properties), and copies of the
 * name (NULL reads as "") and value (NULL stays NULL) for the caller to
 * store there. EVM_ERR_NOMEM with nothing copied (*array may have
 * moved). */
evm_status evm_scene_grow_named(void **array, size_t n_entries, size_t size,
                                const char *name, const char *value,
                                char **name_out, char **value_out);
/* Frees the columns, the events and the slug index of a scene. */
void evm_scene_events_free(evm_scene_t *scene);
/* Frees the features of a scene (scene_features.c). */
void evm_scene_features_free(evm_scene_t *scene);

#endif
