/* The PDF file structure: numbered objects written one after another
 * through the sink, each one's byte offset recorded, then the
 * cross-reference table that lists those offsets, the trailer and
 * startxref (ISO 32000-1, 7.5). Every xref entry is exactly 20 bytes. */
#include "paint/pdf.h"

#include <stdlib.h>
#include <string.h>

/* Pending bytes are handed to the sink in pieces of about this size. */
#define EVM_PDF_FLUSH_BYTES (64u << 10)

void evm_pdf_doc_init(evm_pdf_doc_t *d, evm_sink_t *sink)
{
    *d = (evm_pdf_doc_t){.sink = sink, .next_id = 1};
}

void evm_pdf_doc_free(evm_pdf_doc_t *d)
{
    evm_buf_free(&d->out);
    free(d->offsets);
    d->offsets = NULL;
}

static void flush(evm_pdf_doc_t *d)
{
    if (d->out.len && !d->out.nomem &&
        evm_sink_write(d->sink, (const unsigned char *)d->out.data,
                       d->out.len) == EVM_OK)
        d->written += d->out.len;
    d->out.len = 0;
}

unsigned evm_pdf_doc_reserve(evm_pdf_doc_t *d)
{
    return d->next_id++;
}

void evm_pdf_doc_header(evm_pdf_doc_t *d)
{
    /* The comment's bytes above 127 tell transfer tools the file is
     * binary (7.5.2). */
    evm_buf_puts(&d->out, "%PDF-1.6\n%\xE2\xE3\xCF\xD3\n");
}

evm_buf_t *evm_pdf_doc_begin(evm_pdf_doc_t *d, unsigned id)
{
    if (d->out.len >= EVM_PDF_FLUSH_BYTES)
        flush(d);
    if (id > d->n_objects) {
        if (evm_grow((void **)&d->offsets, &d->cap_objects, id,
                     sizeof *d->offsets) != 0) {
            d->out.nomem = true;
            return &d->out;
        }
        memset(d->offsets + d->n_objects, 0,
               (id - d->n_objects) * sizeof *d->offsets);
        d->n_objects = id;
    }
    d->offsets[id - 1] = d->written + d->out.len;
    evm_pdf_uint(&d->out, id);
    evm_buf_puts(&d->out, " 0 obj\n");
    return &d->out;
}

void evm_pdf_doc_end(evm_pdf_doc_t *d)
{
    evm_buf_puts(&d->out, "\nendobj\n");
}

void evm_pdf_doc_stream(evm_pdf_doc_t *d, unsigned id, const char *dict_extra,
                        const void *data, size_t len, bool deflate)
{
    evm_buf_t z = {0};
    if (deflate) {
        if (!evm_pdf_deflate(&z, data, len)) {
            d->out.nomem = true;
            evm_buf_free(&z);
            return;
        }
        data = z.data;
        len = z.len;
    }
    evm_buf_t *b = evm_pdf_doc_begin(d, id);
    evm_buf_puts(b, "<<");
    evm_buf_puts(b, dict_extra);
    evm_buf_puts(b, deflate ? " /Filter /FlateDecode /Length " : " /Length ");
    evm_pdf_uint(b, len);
    evm_buf_puts(b, " >>\nstream\n");
    /* A large stream goes straight to the sink rather than through the
     * buffer. */
    if (len >= EVM_PDF_FLUSH_BYTES) {
        flush(d);
        if (!d->out.nomem && evm_sink_write(d->sink, data, len) == EVM_OK)
            d->written += len;
    } else {
        evm_buf_put(b, data, len);
    }
    evm_buf_puts(b, "\nendstream");
    evm_pdf_doc_end(d);
    evm_buf_free(&z);
}

void evm_pdf_doc_finish(evm_pdf_doc_t *d, unsigned root, unsigned info,
                        const unsigned char id16[16])
{
    evm_buf_t *b = &d->out;
    unsigned long long xref = d->written + b->len;
    evm_buf_puts(b, "xref\n0 ");
    evm_pdf_uint(b, d->n_objects + 1);
    evm_buf_puts(b, "\n0000000000 65535 f \n");
    for (size_t i = 0; i < d->n_objects; i++) {
        if (b->len >= EVM_PDF_FLUSH_BYTES)
            flush(d);
        char e[21];
        unsigned long long off = d->offsets[i];
        for (int k = 9; k >= 0; k--, off /= 10)
            e[k] = (char)('0' + off % 10);
        memcpy(e + 10, " 00000 n \n", 10);
        /* An object reserved but never written is a free entry. */
        if (d->offsets[i] == 0)
            memcpy(e, "0000000000 00001 f \n", 20);
        evm_buf_put(b, e, 20);
    }
    evm_buf_puts(b, "trailer\n<< /Size ");
    evm_pdf_uint(b, d->n_objects + 1);
    evm_buf_puts(b, " /Root ");
    evm_pdf_uint(b, root);
    evm_buf_puts(b, " 0 R /Info ");
    evm_pdf_uint(b, info);
    evm_buf_puts(b, " 0 R /ID [<");
    static const char hex[] = "0123456789abcdef";
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 16; i++) {
            evm_buf_putc(b, hex[id16[i] >> 4]);
            evm_buf_putc(b, hex[id16[i] & 15]);
        }
        evm_buf_puts(b, round ? ">" : "> <");
    }
    evm_buf_puts(b, "] >>\nstartxref\n");
    evm_pdf_uint(b, xref);
    evm_buf_puts(b, "\n%%EOF\n");
    flush(d);
}

evm_status evm_pdf_doc_status(const evm_pdf_doc_t *d)
{
    if (d->sink->status != EVM_OK)
        return d->sink->status;
    return d->out.nomem ? EVM_ERR_NOMEM : EVM_OK;
}
