/* Status codes and the error object every fallible libevmap call fills.
 *
 * Errors are values: a function returns an evm_status and, when it fails
 * and the caller passed an evm_error_t, describes the failure there with
 * the file, line and column it concerns and a sentence for a person.
 * The library never prints and never exits. */
#ifndef EVMAP_STATUS_H
#define EVMAP_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum evm_status {
    EVM_OK = 0,
    EVM_ERR_PARSE,       /* malformed input data */
    EVM_ERR_IO,          /* a file could not be read or written */
    EVM_ERR_PROJ,        /* PROJ refused a definition or a coordinate */
    EVM_ERR_RENDER,      /* cairo or Pango failed */
    EVM_ERR_NOMEM,       /* an allocation failed */
    EVM_ERR_INVALID_ARG, /* an option or argument is out of its range */
    EVM_ERR_NOT_FOUND,   /* a named thing (event, file, column) is absent */
    EVM_ERR_CANCELLED    /* the caller's cancel callback asked to stop */
} evm_status;

enum { EVM_ERROR_FILE_MAX = 512, EVM_ERROR_MESSAGE_MAX = 512 };

/* A failure description. line and column are 1-based; 0 means "not known"
 * (then they are left out of the formatted message). */
typedef struct evm_error {
    evm_status status;
    char file[EVM_ERROR_FILE_MAX];
    unsigned long line;
    unsigned long column;
    char message[EVM_ERROR_MESSAGE_MAX];
} evm_error_t;

/* Asked by long operations (rendering, writing a file) between steps:
 * returns true to make them stop, remove what they started writing and
 * return EVM_ERR_CANCELLED. Called from the operation's thread; it must
 * be cheap (reading a flag a signal handler sets is the intended use). */
typedef bool (*evm_cancel_fn)(void *user);

/* A short constant name for a status, e.g. "parse error". */
EVM_API const char *evm_status_name(evm_status status);

/* Formats "file:line:column: message" (parts that are unknown are left
 * out) into buf, always NUL-terminated when cap > 0, with control
 * characters made visible (evm_text_escape). Returns the length the
 * full text needs, like snprintf. */
EVM_API int evm_error_format(const evm_error_t *err, char *buf, size_t cap);

/* Copies text into buf with its control characters made visible, the
 * way every message and table of evmap shows them: tab, line feed and
 * carriage return as \t \n \r, other C0 controls and DEL as \xHH, C1
 * controls (U+0080..U+009F) as \u00HH; everything else, backslashes
 * included, as it is (so escaping twice changes nothing). buf is always
 * NUL-terminated when cap > 0, cut before a character or escape that
 * does not fit whole. Returns the length the whole text needs, like
 * snprintf. text NULL is "". */
EVM_API size_t evm_text_escape(char *buf, size_t cap, const char *text);

/* Resets err to EVM_OK with empty fields. err may be NULL. */
EVM_API void evm_error_clear(evm_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
