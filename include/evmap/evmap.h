/* libevmap: CSV event records to annotated maps. Umbrella header. */
#ifndef EVMAP_EVMAP_H
#define EVMAP_EVMAP_H

#include "batch.h"
#include "context.h"
#include "dist.h"
#include "events.h"
#include "export.h"
#include "gazetteer.h"
#include "geodata.h"
#include "geodesy.h"
#include "links.h"
#include "map.h"
#include "render.h"
#include "routes.h"
#include "scene.h"
#include "status.h"
#include "units.h"
#include "version.h"

#endif
