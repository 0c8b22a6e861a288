/* Internal part of the scene's events table (scene_events.c). */
#ifndef EVM_MAP_SCENE_EVENTS_H
#define EVM_MAP_SCENE_EVENTS_H

#include <evmap/scene.h>

/* Frees the columns, the events and the slug index of a scene. */
void evm_scene_events_free(evm_scene_t *scene);

#endif
