/* Decoding input to UTF-8: see decode.h. Until the first two bytes have
 * arrived the decoder cannot tell UTF-16 from UTF-8, so they are held;
 * after that, UTF-8 input goes to the sink without a copy. iconv may
 * stop inside a multi-byte sequence cut by a chunk boundary (EINVAL): the
 * few bytes left are kept and put in front of the next chunk. */
#include "load/decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

enum { OUT_BYTES = 16 << 10, HELD_MAX = 16 };

struct evm_decoder {
    char *name;
    char *encoding; /* NULL: UTF-8 unless a UTF-16 BOM */
    evm_decode_sink sink;
    void *user;
    iconv_t cd; /* (iconv_t)-1 while passing UTF-8 through */
    bool started;
    unsigned char held[HELD_MAX];
    size_t n_held;
    unsigned long lines; /* line breaks passed to the sink */
    evm_status status;
};

static bool is_utf8_name(const char *e)
{
    static const char *const names[] = {"UTF-8", "UTF8", NULL};
    for (size_t i = 0; names[i]; i++) {
        const char *a = e, *b = names[i];
        while (*a && *b && (*a == *b || *a - 'a' + 'A' == *b)) {
            a++;
            b++;
        }
        if (!*a && !*b)
            return true;
    }
    return false;
}

evm_status evm_decoder_create(const char *name, const char *encoding,
                              evm_decode_sink sink, void *user,
                              evm_decoder_t **out, evm_error_t *err)
{
    *out = NULL;
    evm_decoder_t *d = calloc(1, sizeof *d);
    if (!d || !(d->name = evm_strdup(name ? name : "<input>")))
        goto nomem;
    d->cd = (iconv_t)-1;
    d->sink = sink;
    d->user = user;
    if (encoding && !is_utf8_name(encoding)) {
        d->cd = iconv_open("UTF-8", encoding);
        if (d->cd == (iconv_t)-1) {
            evm_status st =
                errno == EINVAL
                    ? evm_error_set(err, EVM_ERR_INVALID_ARG, name, 0, 0,
                                    "unknown encoding \"%s\" (`iconv -l` "
                                    "lists the names)",
                                    encoding)
                    : evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0,
                                    "out of memory");
            evm_decoder_destroy(d);
            return st;
        }
        if (!(d->encoding = evm_strdup(encoding)))
            goto nomem;
        d->started = true;
    }
    *out = d;
    return EVM_OK;
nomem:
    evm_decoder_destroy(d);
    return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0, "out of memory");
}

void evm_decoder_destroy(evm_decoder_t *d)
{
    if (!d)
        return;
    if (d->cd != (iconv_t)-1)
        iconv_close(d->cd);
    free(d->name);
    free(d->encoding);
    free(d);
}

static evm_status emit(evm_decoder_t *d, const char *s, size_t n,
                       evm_error_t *err)
{
    if (d->encoding || d->cd != (iconv_t)-1)
        for (size_t i = 0; i < n; i++)
            d->lines += s[i] == '\n';
    evm_status st = d->sink(d->user, s, n, err);
    if (st)
        d->status = st;
    return st;
}

/* Converts in[0..n) through iconv; keeps an incomplete tail in held. */
static evm_status convert(evm_decoder_t *d, const unsigned char *in, size_t n,
                          evm_error_t *err)
{
    char out[OUT_BYTES];
    char *ip = (char *)in;
    size_t left = n;
    while (left > 0) {
        char *op = out;
        size_t room = sizeof out;
        size_t r = iconv(d->cd, &ip, &left, &op, &room);
        int e = errno;
        if (op > out && emit(d, out, (size_t)(op - out), err))
            return d->status;
        if (r != (size_t)-1 || e == E2BIG)
            continue;
        if (e == EINVAL && left < HELD_MAX) {
            memcpy(d->held, ip, left);
            d->n_held = left;
            return EVM_OK;
        }
        return d->status = evm_error_set(
                   err, EVM_ERR_PARSE, d->name, d->lines + 1, 0,
                   "byte 0x%02X is not %s text; name the file's encoding "
                   "with --encoding",
                   (unsigned char)*ip, d->encoding ? d->encoding : "UTF-16");
    }
    return EVM_OK;
}

/* Input after the first two bytes are known. */
static evm_status pass(evm_decoder_t *d, const unsigned char *s, size_t n,
                       evm_error_t *err)
{
    if (d->cd == (iconv_t)-1)
        return n ? emit(d, (const char *)s, n, err) : EVM_OK;
    if (d->n_held) {
        /* The held bytes go in front of the chunk. */
        unsigned char *buf = malloc(d->n_held + n);
        if (!buf)
            return d->status = evm_error_set(err, EVM_ERR_NOMEM, d->name, 0, 0,
                                             "out of memory");
        size_t k = d->n_held;
        memcpy(buf, d->held, k);
        memcpy(buf + k, s, n);
        d->n_held = 0;
        evm_status st = convert(d, buf, k + n, err);
        free(buf);
        return st;
    }
    return convert(d, s, n, err);
}

/* Decides from the first two bytes whether the input is UTF-16. */
static evm_status start(evm_decoder_t *d, evm_error_t *err)
{
    d->started = true;
    unsigned char *h = d->held;
    size_t n = d->n_held;
    d->n_held = 0;
    if (n == 2 &&
        ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF))) {
        d->cd = iconv_open("UTF-8", "UTF-16");
        if (d->cd == (iconv_t)-1)
            return d->status = evm_error_set(err, EVM_ERR_NOMEM, d->name, 0, 0,
                                             "cannot convert UTF-16");
    }
    unsigned char first[2];
    memcpy(first, h, n);
    return pass(d, first, n, err);
}

evm_status evm_decoder_feed(evm_decoder_t *d, const void *data, size_t n,
                            evm_error_t *err)
{
    if (d->status)
        return d->status;
    const unsigned char *s = data;
    while (!d->started && n > 0) {
        d->held[d->n_held++] = *s++;
        n--;
        if (d->n_held == 2) {
            evm_status st = start(d, err);
            if (st)
                return st;
        }
    }
    return n ? pass(d, s, n, err) : EVM_OK;
}

evm_status evm_decoder_finish(evm_decoder_t *d, evm_error_t *err)
{
    if (d->status)
        return d->status;
    if (!d->started) {
        evm_status st = start(d, err);
        if (st)
            return st;
    }
    if (d->n_held)
        return d->status =
                   evm_error_set(err, EVM_ERR_PARSE, d->name, d->lines + 1, 0,
                                 "the input ends inside a %s character",
                                 d->encoding ? d->encoding : "UTF-16");
    return EVM_OK;
}
