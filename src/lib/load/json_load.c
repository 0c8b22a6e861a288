/* JSON from memory: see json_load.h. */
#include "load/json_load.h"

#include "core/error.h"

evm_status evm_json_load(const char *name, const char *data, size_t len,
                         json_t **root, evm_error_t *err)
{
    json_error_t jerr;
    *root = json_loadb(data ? data : "", data ? len : 0, 0, &jerr);
    if (*root)
        return EVM_OK;
    if (json_error_code(&jerr) == json_error_out_of_memory)
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0,
                             "out of memory parsing JSON");
    /* jansson's line and column, -1 when it has none. */
    return evm_error_set(
        err, EVM_ERR_PARSE, name, jerr.line > 0 ? (unsigned long)jerr.line : 0,
        jerr.column > 0 ? (unsigned long)jerr.column : 0, "%s", jerr.text);
}
