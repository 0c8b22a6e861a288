/* Fuzz target for the routes loader (routes.h): the input is a routes
 * CSV, or a GPX or KML file whose lines are the legs, loaded without events
 * (places are inline coordinates), every leg touched, and the result written as
 * a table, CSV and JSON to a sink that checks nothing but the bytes' count. */
#include <stdint.h>
#include <stdlib.h>

#include <evmap/routes.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static evm_status sink(void *closure, const unsigned char *data, size_t len)
{
    (void)data;
    *(size_t *)closure += len;
    return EVM_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evm_routes_t *r = NULL;
    evm_error_t err;
    if (evm_routes_load_memory("fuzz.csv", data, size, NULL, &r, &err) ==
        EVM_OK) {
        size_t n = 0, total = 0;
        const evm_route_leg_t *legs = evm_routes_legs(r, &n);
        for (size_t i = 0; i < n; i++)
            total += (size_t)legs[i].mode;
        for (int f = EVM_DIST_CSV; f <= EVM_DIST_TABLE; f++)
            evm_routes_write(r, (evm_dist_format)f, EVM_UNITS_KM, sink, &total,
                             &err);
        (void)total;
    }
    evm_routes_destroy(r);
    return 0;
}
