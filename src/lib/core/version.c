/* The run-time version of the library (see evmap/version.h). */
#include <evmap/version.h>

#include <stddef.h>

const char *evm_version(int *num)
{
    if (num)
        *num = EVM_VERSION_NUM;
    return EVM_VERSION_STRING;
}
