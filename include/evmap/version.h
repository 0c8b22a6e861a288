/* The version of libevmap: at compile time from these macros, at run
 * time from evm_version() (which may differ when a program runs against
 * a newer shared library than it was built with). CMakeLists.txt reads
 * the project version from this file, so it is written only here. */
#ifndef EVMAP_VERSION_H
#define EVMAP_VERSION_H

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EVM_VERSION_MAJOR 0
#define EVM_VERSION_MINOR 1
#define EVM_VERSION_PATCH 0
/* One number that grows with each release: 10000 major + 100 minor +
 * patch, e.g. 100 for 0.1.0; compare with #if EVM_VERSION_NUM >= ... */
#define EVM_VERSION_NUM                                                        \
    (10000 * EVM_VERSION_MAJOR + 100 * EVM_VERSION_MINOR + EVM_VERSION_PATCH)
#define EVM_VERSION_STR_(x) #x
#define EVM_VERSION_STR(x) EVM_VERSION_STR_(x)
/* "MAJOR.MINOR.PATCH", e.g. "0.1.0". */
#define EVM_VERSION_STRING                                                     \
    EVM_VERSION_STR(EVM_VERSION_MAJOR)                                         \
    "." EVM_VERSION_STR(EVM_VERSION_MINOR) "." EVM_VERSION_STR(                \
        EVM_VERSION_PATCH)

/* The version of the library running: "MAJOR.MINOR.PATCH", static. When
 * num is not NULL, *num gets its EVM_VERSION_NUM. */
EVM_API const char *evm_version(int *num);

#ifdef __cplusplus
}
#endif

#endif
