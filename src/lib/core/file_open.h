/* Opening an input file, with the system's reason for a refusal. */
#ifndef EVM_CORE_FILE_OPEN_H
#define EVM_CORE_FILE_OPEN_H

#include <stdio.h>

#include <evmap/status.h>

/* Opens path for reading in binary mode into *out, which the caller
 * closes. EVM_ERR_IO naming path with the reason ("cannot open: No such
 * file or directory") when the system refuses. */
evm_status evm_file_open_read(const char *path, FILE **out, evm_error_t *err);

#endif
