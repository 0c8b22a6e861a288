/* Opening an input file, with the system's reason for a refusal. */
#ifndef EVM_CORE_FILE_OPEN_H
#define EVM_CORE_FILE_OPEN_H

#include <stdio.h>

#include <evmap/status.h>

/* Opens path for reading in binary mode into *out, which the caller
 * closes. EVM_ERR_IO naming path with the reason ("cannot open: No such
 * file or directory") when the system refuses. */
evm_status evm_file_open_read(const char *path, FILE **out, evm_error_t *err);

/* The default limit of evm_read_file_capped: far above any real lines,
 * styles or GeoJSON file evmap reads, far below what would exhaust a
 * machine's memory. */
#define EVM_READ_FILE_DEFAULT_MAX ((size_t)256 << 20)

/* Flags of evm_read_file_capped. */
enum {
    /* The file is text (JSON, XML, lines): a NUL byte is EVM_ERR_PARSE
     * at its line and column as soon as it is read, so that /dev/zero or
     * a UTF-16 file fails at once rather than at the size limit. */
    EVM_READ_TEXT = 1u << 0
};

/* Reads the whole file at path (which may be a FIFO, a device or
 * /dev/stdin: the size is not trusted) into *out, NUL-terminated (the
 * NUL is not counted in *len); the caller frees *out. At most max_bytes
 * (0: EVM_READ_FILE_DEFAULT_MAX) are read: a longer input is
 * EVM_ERR_PARSE naming path, the limit and option, the command-line
 * option that raises it (NULL: "--max-input-mb"); memory stays within
 * the limit plus one read block whatever the input. flags: EVM_READ_*.
 * EVM_ERR_IO with the reason when the file cannot be opened or read.
 * Every loader that reads a file whole calls this. */
evm_status evm_read_file_capped(const char *path, size_t max_bytes,
                                unsigned flags, const char *option, char **out,
                                size_t *len, evm_error_t *err);

/* "1 MiB", "256 MiB", "4096 bytes": a limit for messages. */
void evm_format_bytes(size_t n, char *buf, size_t cap);

#endif
