/* Units of length for distances shown to people and written for scripts:
 * scale bars, distance labels, `evmap dist` output. */
#ifndef EVMAP_UNITS_H
#define EVMAP_UNITS_H

#include "export.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum evm_units {
    EVM_UNITS_KM = 0,
    EVM_UNITS_MI,
    EVM_UNITS_NMI,
    EVM_UNITS_M
} evm_units;

/* "km", "mi", "nmi", "m" or EVM_ERR_INVALID_ARG. */
EVM_API evm_status evm_units_parse(const char *text, evm_units *out);
EVM_API const char *evm_units_name(evm_units units);
/* Metres in one unit: 1000, 1609.344 (international mile), 1852, 1. */
EVM_API double evm_units_metres(evm_units units);

#ifdef __cplusplus
}
#endif

#endif
