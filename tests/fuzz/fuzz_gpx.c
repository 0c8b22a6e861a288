/* Fuzz target for events read from GPX (events_geo.c); the checks are
 * in events_geo_target.h.
 *
 * Built with -DEVM_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer
 * target; otherwise replay.c runs it over tests/data/events_geo. */
#include "events_geo_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_events_geo(EVM_INPUT_GPX, data, size);
}
