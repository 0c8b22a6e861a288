/* An incremental CSV record reader over libcsv, with exact positions.
 *
 * Input arrives in chunks of any size; records come out through a
 * callback, and the sequence of records, positions and errors is the same
 * however the input is cut. The dialect is RFC 4180: fields are kept
 * byte for byte (no trimming), quoted fields may hold delimiters, doubled
 * quotes and line breaks, lines end in CRLF, LF or CR, a UTF-8 byte order
 * mark is dropped. Blank lines are skipped, as libcsv does by default: a
 * blank line carries no record, and skipping it loses nothing, whereas
 * reading it as a one-field record would make a stray empty line in the
 * middle of a file fatal. Every record must have as many fields as the
 * header (the first record); a mismatch, text after a closing quote, an
 * unclosed quoted field, a NUL byte or an over-long field stops the
 * reader with an error naming the line and column. A quote inside an
 * unquoted field is data unless the options ask for strict RFC 4180. */
#ifndef EVM_LOAD_CSV_READER_H
#define EVM_LOAD_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/status.h>

/* The largest field accepted when the options give 0. */
#define EVM_CSV_DEFAULT_MAX_FIELD_BYTES ((size_t)1 << 20)
/* Columns: a spreadsheet's limit (16384) is far above any events file,
 * and a header of 10^8 empty columns would take gigabytes. */
#define EVM_CSV_DEFAULT_MAX_FIELDS ((size_t)16384)
#define EVM_CSV_DEFAULT_MAX_RECORD_BYTES ((size_t)16 << 20)

typedef struct evm_csv_field {
    /* The field's bytes, unquoted and unescaped, NUL-terminated (a NUL
     * byte in the input is an error, so text has no embedded NUL). */
    const char *text;
    size_t len; /* bytes, without the terminating NUL */
    /* Where the field starts (its opening quote when quoted): line and
     * column, 1-based; the column counts UTF-8 characters from the start
     * of the physical line. An empty field starts where it would have. */
    unsigned long line;
    unsigned long column;
} evm_csv_field_t;

typedef struct evm_csv_record {
    size_t index;       /* 0 for the header, then 1, 2, ... */
    unsigned long line; /* line where the record starts */
    const evm_csv_field_t *fields;
    size_t n_fields; /* for index > 0, always the header's count */
} evm_csv_record_t;

/* Receives each record; rec and everything it points to are borrowed for
 * the call only. Returning anything but EVM_OK stops the reader: the
 * callback must then have described the failure in err, and feed or
 * finish returns that status and error. */
typedef evm_status (*evm_csv_record_fn)(void *user, const evm_csv_record_t *rec,
                                        evm_error_t *err);

typedef struct evm_csv_reader_options {
    const char *display_name; /* file name for messages; NULL: "<input>" */
    char delimiter;           /* ',', ';', '|' or '\t'; 0: detect */
    size_t max_field_bytes;   /* 0: EVM_CSV_DEFAULT_MAX_FIELD_BYTES */
    size_t max_fields;        /* per record; 0: EVM_CSV_DEFAULT_MAX_FIELDS */
    /* Content bytes of one record; 0: EVM_CSV_DEFAULT_MAX_RECORD_BYTES. */
    size_t max_record_bytes;
    /* RFC 4180 to the letter: a quote inside an unquoted field is an
     * error. Off by default: such a quote is data (libcsv without
     * CSV_STRICT), as Python's csv, pandas and GDAL read it, and a
     * tab-separated field is quoted only when its opening quote closes
     * properly (IANA TSV has no quoting). Quoted fields follow RFC 4180
     * in both modes: text after a closing quote is an error. */
    bool strict;
} evm_csv_reader_options_t;

typedef struct evm_csv_reader evm_csv_reader_t;

/* Defaults: detect the delimiter, 1 MiB fields, lenient quotes. */
void evm_csv_reader_options_init(evm_csv_reader_options_t *opt);

/* Creates a reader calling fn(user, ...) per record. opt may be NULL.
 * EVM_ERR_INVALID_ARG for a delimiter other than ',', ';', '|', '\t'
 * or 0.
 * On success the caller owns *out. */
evm_status evm_csv_reader_create(const evm_csv_reader_options_t *opt,
                                 evm_csv_record_fn fn, void *user,
                                 evm_csv_reader_t **out, evm_error_t *err);

/* Feeds the next len bytes. Errors are sticky: once a call has failed,
 * every later call returns the same status and error. */
evm_status evm_csv_reader_feed(evm_csv_reader_t *r, const void *data,
                               size_t len, evm_error_t *err);

/* Ends the input: delivers a last record that has no line break after
 * it and reports an unclosed quoted field. Call once, after the last
 * feed. */
evm_status evm_csv_reader_finish(evm_csv_reader_t *r, evm_error_t *err);

/* The delimiter in use; 0 while it is still being detected. Detection
 * takes the most frequent of ',', ';', '\t' and '|' outside quotes in the
 * header line, and ',' on a tie or when there is none. */
char evm_csv_reader_delimiter(const evm_csv_reader_t *r);

/* Frees; NULL is a no-op. */
void evm_csv_reader_destroy(evm_csv_reader_t *r);

/* A whole input: the file at path when path is not NULL, else len bytes
 * at data. */
typedef struct evm_csv_input {
    const char *path;
    const void *data;
    size_t len;
} evm_csv_input_t;

/* Reads a whole input through a reader made with opt (may be NULL): each
 * record goes to fn(user, ...), and the reader is finished and freed.
 * EVM_ERR_IO naming the path when the file cannot be opened or read;
 * otherwise the reader's or the callback's status and error. */
evm_status evm_csv_read(const evm_csv_reader_options_t *opt,
                        evm_csv_record_fn fn, void *user,
                        const evm_csv_input_t *in, evm_error_t *err);

#endif
