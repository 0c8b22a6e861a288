/* Helpers shared by the unit tests: file reading and paths to data. */
#ifndef EVM_TESTUTIL_H
#define EVM_TESTUTIL_H

#include <stddef.h>

/* Reads a whole file; NULL on failure. *len gets its size. Caller frees. */
char *evm_test_read_file(const char *path, size_t *len);

/* Joins dir and name into a static-lifetime-free buffer owned by caller. */
char *evm_test_path(const char *dir, const char *name);

#endif
