/* Input text to UTF-8 (decode.c): the file's bytes pass through untouched
 * when they are UTF-8, and through iconv when the caller names another
 * encoding or the input starts with a UTF-16 byte order mark. */
#ifndef EVM_LOAD_DECODE_H
#define EVM_LOAD_DECODE_H

#include <stddef.h>

#include <evmap/status.h>

typedef struct evm_decoder evm_decoder_t;

/* Receives UTF-8 text; borrowed for the call. A status other than EVM_OK
 * stops the decoder and is returned by feed or finish. */
typedef evm_status (*evm_decode_sink)(void *user, const char *text, size_t n,
                                      evm_error_t *err);

/* A decoder for the input named name (for messages) in encoding (NULL:
 * UTF-8 unless a UTF-16 byte order mark says otherwise; "UTF-8" is the
 * same). EVM_ERR_INVALID_ARG for an encoding iconv does not know. On
 * success the caller owns *out. */
evm_status evm_decoder_create(const char *name, const char *encoding,
                              evm_decode_sink sink, void *user,
                              evm_decoder_t **out, evm_error_t *err);

/* Converts the next n bytes, passing UTF-8 to the sink. A byte sequence
 * that is not valid in the encoding is EVM_ERR_PARSE naming the line of
 * the converted text where it stands. */
evm_status evm_decoder_feed(evm_decoder_t *d, const void *data, size_t n,
                            evm_error_t *err);

/* Ends the input: reports a sequence cut off at the end. */
evm_status evm_decoder_finish(evm_decoder_t *d, evm_error_t *err);

/* Frees; NULL is a no-op. */
void evm_decoder_destroy(evm_decoder_t *d);

#endif
