/* Internal entry to the events loader, for tests and fuzzing. */
#ifndef EVM_LOAD_EVENTS_INTERNAL_H
#define EVM_LOAD_EVENTS_INTERNAL_H

#include <stddef.h>

#include <evmap/events.h>

/* evm_events_load_memory, but feeding the reader chunk_bytes at a time
 * (0: all at once), so tests can check that the result does not depend
 * on how the input arrives. */
evm_status evm_events_load_chunked(const char *display_name, const void *data,
                                   size_t len, size_t chunk_bytes,
                                   const evm_csv_options_t *opt,
                                   evm_events_t **out, evm_error_t *err);

#endif
