/* Events written back out (`evmap convert`): CSV as RFC 4180 writes it,
 * or GeoJSON Point features, so that users can check what evmap read.
 * Text goes through one growing buffer, flushed to the callback every
 * 64 KiB. */
#include <evmap/events.h>

#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/num.h"
#include "core/text.h"

enum { FLUSH_BYTES = 64 << 10 };

typedef struct writer {
    evm_buf_t b;
    evm_status (*write)(void *, const unsigned char *, size_t);
    void *closure;
    evm_status st;
} writer_t;

static void flush(writer_t *w, bool force)
{
    if (w->st || (!force && w->b.len < FLUSH_BYTES) || !w->b.len)
        return;
    w->st = w->write(w->closure, (const unsigned char *)w->b.data, w->b.len);
    evm_buf_reset(&w->b);
}

/* A CSV field, quoted when it holds a delimiter, a quote, a line break
 * or blanks at either end. */
static void csv_field(evm_buf_t *b, const char *s)
{
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL ||
                 (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        evm_buf_put(b, s, n);
        return;
    }
    evm_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            evm_buf_putc(b, '"');
        evm_buf_putc(b, *s);
    }
    evm_buf_putc(b, '"');
}

static void number(evm_buf_t *b, double v)
{
    char t[EVM_NUM_MAX];
    evm_num_fixed(t, v, 9, true);
    evm_buf_puts(b, t);
}

evm_status evm_events_write(const evm_events_t *ev, evm_events_format format,
                            evm_status (*write)(void *closure,
                                                const unsigned char *data,
                                                size_t len),
                            void *closure, evm_error_t *err)
{
    if (!ev || !write)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no events or no write callback");
    writer_t w = {.write = write, .closure = closure};
    evm_buf_init(&w.b, 0);
    size_t nc = evm_events_column_count(ev), n = evm_events_count(ev);
    const char **cells = evm_alloc_array(nc ? nc : 1, sizeof *cells);
    if (!cells)
        w.st = EVM_ERR_NOMEM;
    if (format == EVM_EVENTS_CSV) {
        for (size_t c = 0; c < nc; c++) {
            if (c)
                evm_buf_putc(&w.b, ',');
            csv_field(&w.b, evm_events_column_name(ev, c));
        }
        evm_buf_putc(&w.b, '\n');
        for (size_t i = 0; i < n && !w.st; i++) {
            evm_events_row(ev, i, cells);
            for (size_t c = 0; c < nc; c++) {
                if (c)
                    evm_buf_putc(&w.b, ',');
                csv_field(&w.b, cells[c]);
            }
            evm_buf_putc(&w.b, '\n');
            flush(&w, false);
        }
    } else {
        evm_buf_puts(&w.b, "{\"type\":\"FeatureCollection\",\"features\":[");
        for (size_t i = 0; i < n && !w.st; i++) {
            const evm_event_t *e = evm_events_get(ev, i);
            evm_buf_puts(&w.b, i ? ",\n" : "\n");
            evm_buf_puts(&w.b, "{\"type\":\"Feature\",\"geometry\":{\"type\":"
                               "\"Point\",\"coordinates\":[");
            number(&w.b, e->lon_deg);
            evm_buf_putc(&w.b, ',');
            number(&w.b, e->lat_deg);
            evm_buf_puts(&w.b, "]},\"properties\":{");
            evm_events_row(ev, i, cells);
            for (size_t c = 0; c < nc; c++) {
                if (c)
                    evm_buf_putc(&w.b, ',');
                evm_json_string(&w.b, evm_events_column_name(ev, c));
                evm_buf_putc(&w.b, ':');
                evm_json_string(&w.b, cells[c]);
            }
            evm_buf_puts(&w.b, "}}");
            flush(&w, false);
        }
        evm_buf_puts(&w.b, "\n]}\n");
    }
    if (w.b.nomem && !w.st)
        w.st = EVM_ERR_NOMEM;
    flush(&w, true);
    evm_buf_free(&w.b);
    free(cells);
    if (w.st)
        return evm_error_set(err, w.st, evm_events_source(ev), 0, 0,
                             "%s while writing the events",
                             w.st == EVM_ERR_NOMEM ? "out of memory"
                                                   : "the output failed");
    return EVM_OK;
}

typedef struct convert {
    const evm_events_t *ev;
    evm_events_format format;
} convert_t;

static evm_status produce(void *closure, evm_write_fn write,
                          void *write_closure, evm_error_t *err)
{
    const convert_t *c = closure;
    return evm_events_write(c->ev, c->format, write, write_closure, err);
}

evm_status evm_events_write_file(const evm_events_t *ev,
                                 evm_events_format format, const char *path,
                                 evm_error_t *err)
{
    if (!ev || !path)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no events or no path");
    convert_t c = {ev, format};
    return evm_atomic_file_write(path, produce, &c, err);
}
