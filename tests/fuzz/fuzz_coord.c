/* Fuzz target for the small parsers: coordinates (decimal and DMS, both
 * axes), ISO 8601 dates, dates in a named format (the input's first line
 * is the format, the rest the text), extents, shards, units and formats.
 * Every parse must end in a value within its documented range or an
 * error. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/batch.h>
#include <evmap/events.h>
#include <evmap/map.h>
#include <evmap/render.h>
#include <evmap/units.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char why[128];
    for (int lat = 0; lat < 2; lat++) {
        double deg;
        if (evm_parse_coordinate(text, lat, &deg, why, sizeof why) == EVM_OK &&
            !(fabs(deg) <= (lat ? 90 : 180)))
            abort();
    }
    double s0, s1;
    if (evm_parse_date(text, &s0, &s1) == EVM_OK && !(s0 <= s1))
        abort();
    char *nl = strchr(text, '\n');
    if (nl) {
        *nl = '\0';
        if (evm_parse_date_format(nl + 1, text, &s0, &s1) == EVM_OK &&
            !(s0 <= s1))
            abort();
        *nl = '\n';
    }
    double e[4];
    if (evm_map_parse_extent(text, e) == EVM_OK && !(e[1] < e[3]))
        abort();
    evm_shard_t sh;
    evm_error_t err;
    if (evm_shard_parse(text, &sh, &err) == EVM_OK && !(sh.index < sh.count))
        abort();
    evm_units u;
    evm_format f;
    (void)evm_units_parse(text, &u);
    (void)evm_format_parse(text, &f);
    free(text);
    return 0;
}
