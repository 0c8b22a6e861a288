/* libevmap: CSV event records to annotated maps. Umbrella header. */
#ifndef EVMAP_EVMAP_H
#define EVMAP_EVMAP_H

#include "context.h"
#include "events.h"
#include "export.h"
#include "geodata.h"
#include "map.h"
#include "render.h"
#include "scene.h"
#include "status.h"

#define EVM_VERSION_STRING "0.1.0"

#endif
