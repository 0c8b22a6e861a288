/* Places named on the command line: a thin wrapper of evm_place_resolve
 * that returns an exit code. */
#include "cli.h"

int cli_resolve_place(const evm_place_lookup_t *lk, const char *text,
                      evm_place_t *out, size_t *event, evm_error_t *err)
{
    return evm_place_lookup(lk, text, out, event, err) ? EVM_EXIT_DATA
                                                       : EVM_EXIT_OK;
}
