#include "map/layout_internal.h"
evm_status evm_layout_reference_labels(evm_layout_t *L)
{
    (void)L;
    return EVM_OK;
}
