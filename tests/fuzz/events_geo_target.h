/* The body of the fuzz targets for events read from GeoJSON, KML and GPX
 * (events_geo.c): the parser forced to one format whatever the bytes,
 * then the whole loader, which judges the format by content. Every
 * record must have the header's field count and NUL-terminated text; a
 * failure must carry a message; every event's coordinates must be in
 * range. Included by fuzz_geojson_points.c, fuzz_kml.c and fuzz_gpx.c. */
#ifndef EVM_FUZZ_EVENTS_GEO_H
#define EVM_FUZZ_EVENTS_GEO_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/events.h>

#include "load/events_geo.h"

static evm_status check_record(void *user, const evm_csv_record_t *rec,
                               evm_error_t *err)
{
    (void)err;
    size_t *n_cols = user;
    if (rec->index == 0)
        *n_cols = rec->n_fields;
    if (rec->n_fields != *n_cols || rec->n_fields < 2)
        abort();
    for (size_t i = 0; i < rec->n_fields; i++)
        if (strlen(rec->fields[i].text) != rec->fields[i].len)
            abort();
    return EVM_OK;
}

static int fuzz_events_geo(evm_input_kind kind, const uint8_t *data,
                           size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t n_cols = 0;
    evm_error_t err;
    if (evm_geo_records(kind, "fuzz", text, size, check_record, NULL, &n_cols,
                        &err) != EVM_OK &&
        (err.status == EVM_OK || !err.message[0]))
        abort();
    evm_events_t *ev = NULL;
    if (evm_events_load_memory("fuzz", text, size, NULL, &ev, &err) == EVM_OK) {
        for (size_t i = 0; i < evm_events_count(ev); i++) {
            const evm_event_t *e = evm_events_get(ev, i);
            if (!(fabs(e->lat_deg) <= 90 && fabs(e->lon_deg) <= 180))
                abort();
        }
        for (size_t i = 0; i < evm_events_rejected_count(ev); i++)
            if (!evm_events_rejected(ev, i)->message[0])
                abort();
        evm_events_destroy(ev);
    } else if (ev || err.status == EVM_OK || !err.message[0]) {
        abort();
    }
    free(text);
    return 0;
}

#endif
