/* Incremental CSV reading. libcsv splits and unescapes the fields; a
 * mirror of its state machine, run over each chunk just before libcsv
 * sees it, supplies what libcsv does not report: where each field starts
 * (line and column) and where the input breaks the rules (stray quotes,
 * field count, field size, NUL bytes). The mirror stops at the first
 * error and libcsv is fed only the bytes before it, so the records that
 * end before the error still reach the callback, in order, and the
 * outcome does not depend on how the input was cut into chunks.
 *
 * The mirror must split the input exactly as libcsv does (with
 * CSV_STRICT, or without it in lenient mode; no space trimming; default
 * terminators). It queues every field start and record end it sees, and
 * libcsv's callbacks check each against the queue, so a disagreement is
 * reported as an internal error rather than as wrong positions. */
#include "load/csv_reader.h"

#include <csv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/file_open.h"

/* libcsv's parser states, which the mirror follows. */
enum {
    ST_ROW_NOT_BEGUN,
    ST_FIELD_NOT_BEGUN,
    ST_FIELD_BEGUN,
    ST_FIELD_MIGHT_HAVE_ENDED
};

/* The header line is buffered until its end to detect the delimiter; a
 * longer header is judged on this many bytes, so that an unclosed quote
 * in the first line cannot make the reader buffer the whole input. */
#define DETECT_MAX_BYTES ((size_t)64 << 10)

/* The mirror scans at most this far ahead of libcsv. */
#define SLICE_BYTES ((size_t)64 << 10)

/* libcsv grows its field buffer linearly by this step. */
#define CSV_BLOCK_BYTES ((size_t)16 << 10)

static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};

/* A position; in the queue, line 0 marks the end of a record. */
typedef struct pos {
    unsigned long line, column;
} pos_t;

static const pos_t record_end = {0, 0};

typedef struct mirror {
    int state;
    bool quoted;
    bool literal;      /* a tsv field read as it stands, quotes and all */
    bool literal_next; /* the quote at the scan point starts such a field */
    bool prev_cr;      /* last byte was CR: a following LF is no line */
    unsigned long line, col; /* where the next character starts */
    size_t field_len;        /* content bytes of the current field */
    size_t record_len;       /* content bytes of the current record */
    size_t field_index;      /* fields begun in the current record */
    size_t record_index;     /* records ended so far */
    size_t header_fields;    /* fields of the header, once it has ended */
    pos_t field_start;       /* of the current field */
    pos_t record_start;      /* of the current record */
    pos_t first_extra;       /* of the first field beyond the header's */
} mirror_t;

struct evm_csv_reader {
    struct csv_parser csv;
    char *name;
    evm_csv_record_fn fn;
    void *user;
    unsigned char delim;
    size_t max_field, max_fields, max_record;
    bool lenient;
    /* Tab-separated and lenient: a field that starts with a quote is
     * quoted only when that quote closes properly (IANA TSV otherwise). */
    bool tsv;
    bool finished;
    /* Input from a field start that is still being judged (tsv); it is
     * read again, with what follows, at the next feed or at the end. */
    unsigned char *carry;
    size_t carry_len, carry_cap;
    bool at_eof;
    /* What run() must do to libcsv where mirror_scan stopped. */
    enum { ACT_NONE, ACT_MORE, ACT_QUOTE_OFF, ACT_QUOTE_ON } act;

    /* First error; once set every call returns it. */
    evm_status status;
    evm_error_t err;
    /* An error the mirror found ahead of libcsv; it becomes the error
     * once libcsv has delivered the records before it. */
    evm_status pending_status;
    evm_error_t pending;

    unsigned bom_matched; /* leading bytes that matched the BOM so far */
    bool bom_done;

    bool detecting;
    bool det_in_quotes, det_started;
    unsigned char *det_buf;
    size_t det_len, det_cap;
    size_t det_count[4]; /* ',', ';', '\t', '|' outside quotes */

    mirror_t m;
    /* Bytes that end a run of plain field content, unquoted and quoted. */
    unsigned char stop_u[256];
    unsigned char stop_q[256];

    /* Starts of fields and ends of records the mirror has seen and
     * libcsv not yet delivered; the callbacks check that libcsv agrees. */
    pos_t *queue;
    size_t q_head, q_tail, q_cap;

    /* The record being assembled from libcsv's callbacks. */
    char *buf;
    size_t buf_len, buf_cap;
    evm_csv_field_t *fields;
    size_t *offs; /* offset of each field's text in buf */
    size_t n_fields, fields_cap, offs_cap;
    size_t records_out;
    size_t header_fields;
    evm_status cb_status;
};

void evm_csv_reader_options_init(evm_csv_reader_options_t *opt)
{
    memset(opt, 0, sizeof *opt);
}

/* Nothing is a space: libcsv would otherwise trim spaces and tabs around
 * unquoted fields and after closing quotes. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void set_delimiter(evm_csv_reader_t *r, unsigned char d)
{
    r->delim = d;
    r->tsv = d == '\t' && r->lenient;
    csv_set_delim(&r->csv, d);
    memset(r->stop_u, 0, sizeof r->stop_u);
    memset(r->stop_q, 0, sizeof r->stop_q);
    r->stop_u[d] = r->stop_u['"'] = r->stop_u['\r'] = r->stop_u['\n'] = 1;
    r->stop_q['"'] = r->stop_q['\r'] = r->stop_q['\n'] = 1;
    r->stop_u[0] = r->stop_q[0] = 1;
}

evm_status evm_csv_reader_create(const evm_csv_reader_options_t *opt,
                                 evm_csv_record_fn fn, void *user,
                                 evm_csv_reader_t **out, evm_error_t *err)
{
    evm_csv_reader_options_t defaults;
    if (!opt) {
        evm_csv_reader_options_init(&defaults);
        opt = &defaults;
    }
    *out = NULL;
    const char *name = opt->display_name ? opt->display_name : "<input>";
    char d = opt->delimiter;
    if (d != 0 && d != ',' && d != ';' && d != '\t' && d != '|')
        return evm_error_set(err, EVM_ERR_INVALID_ARG, name, 0, 0,
                             "the delimiter must be ',', ';', '|' or a tab");

    evm_csv_reader_t *r = calloc(1, sizeof *r);
    if (!r)
        goto nomem;
    r->name = evm_strdup(name);
    if (!r->name)
        goto nomem;
    r->lenient = !opt->strict;
    unsigned char flags = CSV_STRICT_FINI | CSV_APPEND_NULL;
    if (!r->lenient)
        flags |= CSV_STRICT;
    if (csv_init(&r->csv, flags) != 0)
        goto nomem;
    csv_set_space_func(&r->csv, no_space);
    csv_set_blk_size(&r->csv, CSV_BLOCK_BYTES);
    r->fn = fn;
    r->user = user;
    r->max_field = opt->max_field_bytes ? opt->max_field_bytes
                                        : EVM_CSV_DEFAULT_MAX_FIELD_BYTES;
    r->max_fields =
        opt->max_fields ? opt->max_fields : EVM_CSV_DEFAULT_MAX_FIELDS;
    r->max_record = opt->max_record_bytes ? opt->max_record_bytes
                                          : EVM_CSV_DEFAULT_MAX_RECORD_BYTES;
    r->m.state = ST_ROW_NOT_BEGUN;
    r->m.line = 1;
    r->m.col = 1;
    if (d)
        set_delimiter(r, (unsigned char)d);
    else
        r->detecting = true;
    *out = r;
    return EVM_OK;

nomem:
    evm_csv_reader_destroy(r);
    return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0, "out of memory");
}

void evm_csv_reader_destroy(evm_csv_reader_t *r)
{
    if (!r)
        return;
    csv_free(&r->csv);
    free(r->name);
    free(r->det_buf);
    free(r->carry);
    free(r->queue);
    free(r->buf);
    free(r->fields);
    free(r->offs);
    free(r);
}

char evm_csv_reader_delimiter(const evm_csv_reader_t *r)
{
    return (char)r->delim;
}

static evm_status report(const evm_csv_reader_t *r, evm_error_t *err)
{
    if (err)
        *err = r->err;
    return r->status;
}

/* ---- the mirror ------------------------------------------------------ */

static void advance(mirror_t *m, unsigned char b)
{
    if (b == '\n') {
        if (!m->prev_cr) {
            m->line++;
            m->col = 1;
        }
        m->prev_cr = false;
    } else if (b == '\r') {
        m->line++;
        m->col = 1;
        m->prev_cr = true;
    } else {
        m->prev_cr = false;
        /* UTF-8 continuation bytes belong to the character before. */
        m->col += (b & 0xC0) != 0x80;
    }
}

static pos_t byte_pos(const mirror_t *m, unsigned char b)
{
    pos_t p = {m->line, m->col};
    if ((b & 0xC0) == 0x80 && p.column > 1)
        p.column--;
    return p;
}

static bool fail_at(evm_csv_reader_t *r, evm_status st, pos_t p,
                    const char *fmt, ...) EVM_PRINTF(4, 5);

/* Records the mirror's error; returns false so callers can return it. */
static bool fail_at(evm_csv_reader_t *r, evm_status st, pos_t p,
                    const char *fmt, ...)
{
    char msg[EVM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->pending_status =
        evm_error_set(&r->pending, st, r->name, p.line, p.column, "%s", msg);
    return false;
}

static bool queue_push(evm_csv_reader_t *r, pos_t p)
{
    if (r->q_tail == r->q_cap) {
        if (r->q_head > 0) {
            memmove(r->queue, r->queue + r->q_head,
                    (r->q_tail - r->q_head) * sizeof *r->queue);
            r->q_tail -= r->q_head;
            r->q_head = 0;
        }
        void *q = r->queue;
        if (evm_grow(&q, &r->q_cap, r->q_tail + 1, sizeof *r->queue) != 0)
            return fail_at(r, EVM_ERR_NOMEM, p, "out of memory");
        r->queue = q;
    }
    r->queue[r->q_tail++] = p;
    return true;
}

static bool start_field(evm_csv_reader_t *r, pos_t p)
{
    mirror_t *m = &r->m;
    /* Before the fields pile up in memory: a header of 10^8 columns is
     * stopped at the limit's first excess column. */
    if (m->field_index >= r->max_fields)
        return fail_at(r, EVM_ERR_PARSE, p,
                       "%s has more than %zu columns, the limit (raise it "
                       "with --max-columns)",
                       m->record_index ? "record" : "header", r->max_fields);
    m->field_start = p;
    m->field_len = 0;
    if (m->header_fields && m->field_index == m->header_fields)
        m->first_extra = p;
    return queue_push(r, p);
}

static bool end_record(evm_csv_reader_t *r)
{
    mirror_t *m = &r->m;
    size_t n = m->field_index;
    m->state = ST_ROW_NOT_BEGUN;
    if (m->record_index++ == 0)
        m->header_fields = n;
    if (n == m->header_fields)
        return queue_push(r, record_end);
    /* Point at the first surplus field, or at a record that is short. */
    return fail_at(r, EVM_ERR_PARSE,
                   n > m->header_fields ? m->first_extra : m->record_start,
                   "record has %zu field%s but the header has %zu", n,
                   n == 1 ? "" : "s", m->header_fields);
}

static bool grow_field(evm_csv_reader_t *r, size_t n)
{
    mirror_t *m = &r->m;
    m->field_len += n;
    m->record_len += n;
    if (m->field_len > r->max_field)
        return fail_at(r, EVM_ERR_PARSE, m->field_start,
                       "field is longer than %zu bytes, the limit (raise it "
                       "with --max-field-kb)",
                       r->max_field);
    if (m->record_len > r->max_record)
        return fail_at(r, EVM_ERR_PARSE, m->record_start,
                       "record is longer than %zu bytes, the limit (raise "
                       "it with --max-record-mb)",
                       r->max_record);
    return true;
}

/* The first byte of a field, in libcsv's ROW_NOT_BEGUN or
 * FIELD_NOT_BEGUN state. */
static bool first_byte(evm_csv_reader_t *r, unsigned char b)
{
    mirror_t *m = &r->m;
    if (b == r->delim) {
        m->field_index++;
        m->state = ST_FIELD_NOT_BEGUN;
    } else if (b == '\r' || b == '\n') {
        m->field_index++;
        return end_record(r);
    } else if (b == '"' && !m->literal_next) {
        m->state = ST_FIELD_BEGUN;
        m->quoted = true;
    } else {
        m->literal = m->literal_next;
        m->literal_next = false;
        m->state = ST_FIELD_BEGUN;
        m->quoted = false;
        return grow_field(r, 1);
    }
    return true;
}

/* Non-zero when some byte of the word x is zero. */
static uint64_t has_zero_byte(uint64_t x)
{
    return (x - 0x0101010101010101u) & ~x & 0x8080808080808080u;
}

/* Eight bytes at a time while a word holds none of NUL, CR, LF, '"'
 * and the delimiter d (pass '"' for d inside quotes); returns where it
 * stopped, adding the characters passed (UTF-8 lead and ASCII bytes) to
 * *chars. The byte loop after it finishes the run exactly. */
static size_t plain_run(const unsigned char *s, size_t n, size_t j,
                        unsigned char d, unsigned long *chars)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    const uint64_t rd = ones * d, rq = ones * '"', rcr = ones * '\r',
                   rlf = ones * '\n';
    while (n - j >= 8) {
        uint64_t w;
        memcpy(&w, s + j, 8);
        if (has_zero_byte(w) | has_zero_byte(w ^ rd) | has_zero_byte(w ^ rq) |
            has_zero_byte(w ^ rcr) | has_zero_byte(w ^ rlf))
            break;
        /* Continuation bytes are 10xxxxxx: bit 7 set, bit 6 clear. */
        uint64_t cont = w & ~(w << 1) & highs;
        unsigned n_cont = 0;
        for (; cont; cont &= cont - 1)
            n_cont++;
        *chars += 8 - n_cont;
        j += 8;
    }
    return j;
}

/* Whether the quote just before s[0..n) opens a quoted field that
 * closes properly: a closing quote (doubled quotes are content) followed
 * by a tab, a line break or the end of the input. 1 yes, 0 no, -1 when
 * the bytes so far cannot tell. A field longer than max is judged not
 * to close, which bounds how much input waits for the decision. */
static int tsv_quote_closes(const unsigned char *s, size_t n, bool at_eof,
                            size_t max)
{
    for (size_t i = 0; i < n; i++) {
        if (i > max + 1)
            return 0;
        if (s[i] != '"')
            continue;
        if (i + 1 == n)
            return at_eof ? 1 : -1;
        unsigned char c = s[i + 1];
        if (c == '"') {
            i++;
            continue;
        }
        return c == '\t' || c == '\r' || c == '\n';
    }
    return at_eof ? 0 : -1;
}

/* Runs the mirror over s[0..n); avail >= n bytes are there to look
 * ahead in. Returns n, or the offset of the byte at which it found an
 * error (then pending_status is set) or at which run() must act on
 * libcsv first (then r->act says what). */
static size_t mirror_scan(evm_csv_reader_t *r, const unsigned char *s, size_t n,
                          size_t avail)
{
    mirror_t *m = &r->m;
    const unsigned char d = r->delim;
    size_t i = 0;
    while (i < n) {
        if (m->state == ST_FIELD_BEGUN) {
            /* Fast path: a run of plain content bytes. */
            const unsigned char *stop = m->quoted ? r->stop_q : r->stop_u;
            size_t j = i;
            unsigned long chars = 0;
            if (m->quoted)
                j = plain_run(s, n, j, '"', &chars);
            else
                j = plain_run(s, n, j, d, &chars);
            while (j < n && !stop[s[j]]) {
                chars += (s[j] & 0xC0) != 0x80;
                j++;
            }
            if (j > i) {
                m->col += chars;
                m->prev_cr = false;
                if (!grow_field(r, j - i))
                    return i;
                i = j;
                if (i == n)
                    break;
            }
        }
        unsigned char b = s[i];
        bool ok = true;
        if (b == 0) {
            /* Text never holds NUL; UTF-16 text is full of them. */
            fail_at(r, EVM_ERR_PARSE, byte_pos(m, b),
                    "NUL byte: the input is not UTF-8 text (UTF-16?)");
            return i;
        }
        if (r->tsv && b == '"' && m->state != ST_FIELD_BEGUN &&
            m->state != ST_FIELD_MIGHT_HAVE_ENDED && !m->literal_next) {
            int closes = tsv_quote_closes(s + i + 1, avail - i - 1, r->at_eof,
                                          r->max_field);
            if (closes <= 0) {
                /* Wait for more input, or have libcsv read the field with
                 * quoting off from here. */
                r->act = closes < 0 ? ACT_MORE : ACT_QUOTE_OFF;
                m->literal_next = closes == 0;
                return i;
            }
        }
        switch (m->state) {
        case ST_ROW_NOT_BEGUN:
            if (b == '\r' || b == '\n')
                break; /* a blank line: no record */
            m->record_start = byte_pos(m, b);
            m->field_index = 0;
            m->record_len = 0;
            ok = start_field(r, m->record_start) && first_byte(r, b);
            break;
        case ST_FIELD_NOT_BEGUN:
            ok = start_field(r, byte_pos(m, b)) && first_byte(r, b);
            break;
        case ST_FIELD_BEGUN:
            if (m->quoted) {
                if (b == '"')
                    m->state = ST_FIELD_MIGHT_HAVE_ENDED;
                else
                    ok = grow_field(r, 1); /* CR or LF inside quotes */
            } else if (b == '"') {
                if (!r->lenient)
                    ok = fail_at(r, EVM_ERR_PARSE, byte_pos(m, b),
                                 "'\"' inside an unquoted field; quote the "
                                 "field and double the '\"'");
                else
                    ok = grow_field(r, 1);
            } else if (b == d) {
                m->field_index++;
                m->state = ST_FIELD_NOT_BEGUN;
            } else { /* CR or LF */
                m->field_index++;
                ok = end_record(r);
            }
            if (ok && m->literal && m->state != ST_FIELD_BEGUN) {
                /* Quoting back on once libcsv has seen this byte. */
                m->literal = false;
                advance(m, b);
                r->act = ACT_QUOTE_ON;
                return i + 1;
            }
            break;
        case ST_FIELD_MIGHT_HAVE_ENDED:
            if (b == d) {
                m->field_index++;
                m->state = ST_FIELD_NOT_BEGUN;
            } else if (b == '\r' || b == '\n') {
                m->field_index++;
                ok = end_record(r);
            } else if (b == '"') {
                m->state = ST_FIELD_BEGUN; /* a doubled quote */
                ok = grow_field(r, 1);
            } else {
                /* Quoted fields stay RFC 4180 in lenient mode too:
                 * libcsv would keep the quote and go on reading the
                 * field as quoted, swallowing delimiters and lines. */
                ok = fail_at(r, EVM_ERR_PARSE, byte_pos(m, b),
                             "unexpected text after the closing quote of a "
                             "field; quote the whole field and double each "
                             "'\"' inside it");
            }
            break;
        }
        if (!ok)
            return i;
        advance(m, b);
        i++;
    }
    return n;
}

/* End of input as the mirror sees it, before csv_fini. */
static bool mirror_finish(evm_csv_reader_t *r)
{
    mirror_t *m = &r->m;
    switch (m->state) {
    case ST_ROW_NOT_BEGUN:
        return true;
    case ST_FIELD_NOT_BEGUN: {
        /* "a,b," at the end of input: a last, empty field. */
        pos_t p = {m->line, m->col};
        if (!start_field(r, p))
            return false;
        m->field_index++;
        return end_record(r);
    }
    case ST_FIELD_BEGUN:
        if (m->quoted)
            return fail_at(r, EVM_ERR_PARSE, m->field_start,
                           "quoted field is not closed at the end of the "
                           "input");
        m->field_index++;
        return end_record(r);
    default:
        m->field_index++;
        return end_record(r);
    }
}

/* ---- libcsv callbacks ------------------------------------------------- */

static void cb_fail_nomem(evm_csv_reader_t *r)
{
    r->cb_status =
        evm_error_set(&r->err, EVM_ERR_NOMEM, r->name, 0, 0, "out of memory");
}

/* Room for one more field of len bytes in the record being assembled. */
static bool reserve_field(evm_csv_reader_t *r, size_t len)
{
    if (r->n_fields < r->fields_cap && r->n_fields < r->offs_cap &&
        len < r->buf_cap - r->buf_len)
        return true;
    void *f = r->fields, *o = r->offs, *b = r->buf;
    if (evm_grow(&f, &r->fields_cap, r->n_fields + 1, sizeof *r->fields))
        return false;
    r->fields = f;
    if (evm_grow(&o, &r->offs_cap, r->n_fields + 1, sizeof *r->offs))
        return false;
    r->offs = o;
    if (len > SIZE_MAX - 1 - r->buf_len ||
        evm_grow(&b, &r->buf_cap, r->buf_len + len + 1, 1))
        return false;
    r->buf = b;
    return true;
}

/* Takes the mirror's next entry; false (with the error set) when libcsv
 * and the mirror disagree on where a field or record ends, which would be
 * a bug here, not bad input. */
static bool queue_pop(evm_csv_reader_t *r, bool want_end, pos_t *p)
{
    if (r->q_head == r->q_tail || (r->queue[r->q_head].line == 0) != want_end) {
        r->cb_status = evm_error_set(
            &r->err, EVM_ERR_PARSE, r->name, r->m.record_start.line, 0,
            "internal error: CSV positions out of step with libcsv");
        return false;
    }
    *p = r->queue[r->q_head++];
    if (r->q_head == r->q_tail)
        r->q_head = r->q_tail = 0;
    return true;
}

static void on_field(void *s, size_t len, void *data)
{
    evm_csv_reader_t *r = data;
    pos_t p;
    if (r->cb_status != EVM_OK || !queue_pop(r, false, &p))
        return;
    /* A field beyond the header's count: the mirror reports the record
     * at its end; keeping the field would only cost memory. */
    if (r->records_out > 0 && r->n_fields >= r->header_fields)
        return;
    if (!reserve_field(r, len)) {
        cb_fail_nomem(r);
        return;
    }
    if (len)
        memcpy(r->buf + r->buf_len, s, len);
    r->buf[r->buf_len + len] = '\0';
    r->offs[r->n_fields] = r->buf_len;
    r->fields[r->n_fields] = (evm_csv_field_t){NULL, len, p.line, p.column};
    r->buf_len += len + 1;
    r->n_fields++;
}

static void on_row(int c, void *data)
{
    (void)c;
    evm_csv_reader_t *r = data;
    pos_t end;
    if (r->cb_status != EVM_OK || !queue_pop(r, true, &end))
        return;
    for (size_t i = 0; i < r->n_fields; i++)
        r->fields[i].text = r->buf + r->offs[i];
    evm_csv_record_t rec = {r->records_out, r->n_fields ? r->fields[0].line : 0,
                            r->fields, r->n_fields};
    if (r->records_out == 0)
        r->header_fields = r->n_fields;
    r->records_out++;
    evm_status st = r->fn ? r->fn(r->user, &rec, &r->err) : EVM_OK;
    r->n_fields = 0;
    r->buf_len = 0;
    if (st != EVM_OK) {
        if (r->err.status == EVM_OK)
            evm_error_set(&r->err, st, r->name, rec.line, 0, "%s",
                          evm_status_name(st));
        r->cb_status = st;
    }
}

/* ---- the pipeline ---------------------------------------------------- */

static void run(evm_csv_reader_t *r, const unsigned char *s, size_t n);

/* Keeps s[0..n) to be read again before the next input. */
static void keep_carry(evm_csv_reader_t *r, const unsigned char *s, size_t n)
{
    void *c = r->carry;
    if (evm_grow(&c, &r->carry_cap, n, 1) != 0) {
        r->status = evm_error_set(&r->err, EVM_ERR_NOMEM, r->name, 0, 0,
                                  "out of memory");
        return;
    }
    r->carry = c;
    memmove(r->carry, s, n);
    r->carry_len = n;
}

/* Runs s[0..n) after any carried input. */
static void run_after_carry(evm_csv_reader_t *r, const unsigned char *s,
                            size_t n)
{
    if (!r->carry_len) {
        run(r, s, n);
        return;
    }
    unsigned char *buf = r->carry;
    size_t len = r->carry_len, cap = r->carry_cap;
    r->carry = NULL;
    r->carry_len = r->carry_cap = 0;
    void *b = buf;
    if (n > SIZE_MAX - len || evm_grow(&b, &cap, len + n, 1) != 0) {
        free(buf);
        r->status = evm_error_set(&r->err, EVM_ERR_NOMEM, r->name, 0, 0,
                                  "out of memory");
        return;
    }
    buf = b;
    if (n)
        memcpy(buf + len, s, n);
    run(r, buf, len + n);
    free(buf);
}

/* Mirror, then libcsv on the bytes before any error the mirror found, a
 * slice at a time: the mirror runs ahead of libcsv by at most one slice,
 * which bounds the queue of positions however much is fed at once. */
static void run(evm_csv_reader_t *r, const unsigned char *s, size_t n)
{
    while (n > 0) {
        size_t slice = n < SLICE_BYTES ? n : SLICE_BYTES;
        r->act = ACT_NONE;
        size_t k = mirror_scan(r, s, slice, n);
        if (k > 0) {
            size_t got = csv_parse(&r->csv, s, k, on_field, on_row, r);
            if (r->cb_status != EVM_OK) {
                r->status = r->cb_status;
                return;
            }
            if (got < k) {
                int e = csv_error(&r->csv);
                r->status = evm_error_set(
                    &r->err, e == CSV_ENOMEM ? EVM_ERR_NOMEM : EVM_ERR_PARSE,
                    r->name, r->m.record_start.line, r->m.record_start.column,
                    "libcsv: %s", csv_strerror(e));
                return;
            }
        }
        if (r->pending_status != EVM_OK) {
            r->status = r->pending_status;
            r->err = r->pending;
            return;
        }
        if (r->act == ACT_MORE) {
            keep_carry(r, s + k, n - k);
            return;
        }
        if (r->act != ACT_NONE)
            csv_set_quote(&r->csv, r->act == ACT_QUOTE_OFF ? 0 : '"');
        s += k;
        n -= k;
    }
}

static void decide_delimiter(evm_csv_reader_t *r)
{
    static const unsigned char cand[4] = {',', ';', '\t', '|'};
    size_t best = 0, n_best = 0;
    for (size_t i = 0; i < 4; i++) {
        if (r->det_count[i] > r->det_count[best])
            best = i;
    }
    for (size_t i = 0; i < 4; i++)
        n_best += r->det_count[i] == r->det_count[best];
    /* Comma on a tie for the top count, which includes none at all. */
    if (n_best > 1)
        best = 0;
    set_delimiter(r, cand[best]);
    r->detecting = false;
}

/* Buffers header bytes until the end of the header line (or
 * DETECT_MAX_BYTES), counting candidate delimiters outside quotes.
 * Returns the bytes taken from s. */
static size_t detect_scan(evm_csv_reader_t *r, const unsigned char *s, size_t n)
{
    size_t i = 0;
    bool done = false;
    while (i < n && !done && r->det_len + i < DETECT_MAX_BYTES) {
        unsigned char b = s[i++];
        if (!r->det_in_quotes && (b == '\r' || b == '\n')) {
            done = r->det_started; /* leading blank lines are skipped */
        } else {
            r->det_started = true;
            if (b == '"')
                r->det_in_quotes = !r->det_in_quotes;
            else if (r->det_in_quotes)
                continue;
            else if (b == ',')
                r->det_count[0]++;
            else if (b == ';')
                r->det_count[1]++;
            else if (b == '\t')
                r->det_count[2]++;
            else if (b == '|')
                r->det_count[3]++;
        }
    }
    void *buf = r->det_buf;
    if (evm_grow(&buf, &r->det_cap, r->det_len + i, 1) != 0) {
        r->status = evm_error_set(&r->err, EVM_ERR_NOMEM, r->name, 0, 0,
                                  "out of memory");
        return i;
    }
    r->det_buf = buf;
    memcpy(r->det_buf + r->det_len, s, i);
    r->det_len += i;
    if (done || r->det_len == DETECT_MAX_BYTES)
        decide_delimiter(r);
    return i;
}

static void replay_header(evm_csv_reader_t *r)
{
    unsigned char *buf = r->det_buf;
    size_t len = r->det_len;
    r->det_buf = NULL;
    r->det_len = r->det_cap = 0;
    if (len)
        run(r, buf, len);
    free(buf);
}

static void process(evm_csv_reader_t *r, const unsigned char *s, size_t n)
{
    if (r->detecting) {
        size_t used = detect_scan(r, s, n);
        if (r->status != EVM_OK || r->detecting)
            return;
        replay_header(r);
        if (r->status != EVM_OK)
            return;
        s += used;
        n -= used;
    }
    if (n || r->carry_len)
        run_after_carry(r, s, n);
}

evm_status evm_csv_reader_feed(evm_csv_reader_t *r, const void *data,
                               size_t len, evm_error_t *err)
{
    if (r->status != EVM_OK)
        return report(r, err);
    if (r->finished || (len && !data))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, r->name, 0, 0,
                             "CSV reader fed after finish or with NULL");
    const unsigned char *s = data;
    /* The BOM may arrive split across chunks: hold the matching bytes
     * until it is complete or proves not to be one. */
    while (!r->bom_done && len > 0) {
        if (*s == utf8_bom[r->bom_matched]) {
            s++;
            len--;
            if (++r->bom_matched == sizeof utf8_bom)
                r->bom_done = true;
        } else {
            r->bom_done = true;
            if (r->bom_matched)
                process(r, utf8_bom, r->bom_matched);
        }
    }
    if (len && r->status == EVM_OK)
        process(r, s, len);
    return r->status != EVM_OK ? report(r, err) : EVM_OK;
}

evm_status evm_csv_reader_finish(evm_csv_reader_t *r, evm_error_t *err)
{
    if (r->status != EVM_OK)
        return report(r, err);
    if (r->finished)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, r->name, 0, 0,
                             "CSV reader finished twice");
    r->finished = true;
    if (!r->bom_done) {
        r->bom_done = true;
        if (r->bom_matched)
            process(r, utf8_bom, r->bom_matched);
    }
    if (r->status == EVM_OK && r->detecting) {
        decide_delimiter(r);
        replay_header(r);
    }
    if (r->status == EVM_OK && r->carry_len) {
        r->at_eof = true;
        run_after_carry(r, NULL, 0);
    }
    if (r->status != EVM_OK)
        return report(r, err);
    if (!mirror_finish(r)) {
        r->status = r->pending_status;
        r->err = r->pending;
        return report(r, err);
    }
    if (csv_fini(&r->csv, on_field, on_row, r) != 0 && r->cb_status == EVM_OK)
        r->cb_status =
            evm_error_set(&r->err, EVM_ERR_PARSE, r->name,
                          r->m.field_start.line, r->m.field_start.column,
                          "libcsv: %s", csv_strerror(csv_error(&r->csv)));
    if (r->cb_status != EVM_OK) {
        r->status = r->cb_status;
        return report(r, err);
    }
    return EVM_OK;
}

/* ---- whole inputs ----------------------------------------------------- */

static evm_status feed_file(evm_csv_reader_t *r, const char *path,
                            evm_error_t *err)
{
    FILE *f;
    evm_status st = evm_file_open_read(path, &f, err);
    if (st)
        return st;
    char buf[65536];
    size_t n;
    while (!st && (n = fread(buf, 1, sizeof buf, f)) > 0)
        st = evm_csv_reader_feed(r, buf, n, err);
    if (!st && ferror(f))
        st = evm_error_set(err, EVM_ERR_IO, path, 0, 0, "cannot read the file");
    fclose(f);
    return st;
}

evm_status evm_csv_read(const evm_csv_reader_options_t *opt,
                        evm_csv_record_fn fn, void *user,
                        const evm_csv_input_t *in, evm_error_t *err)
{
    evm_csv_reader_t *r = NULL;
    evm_status st = evm_csv_reader_create(opt, fn, user, &r, err);
    if (!st)
        st = in->path ? feed_file(r, in->path, err)
                      : evm_csv_reader_feed(r, in->data, in->len, err);
    if (!st)
        st = evm_csv_reader_finish(r, err);
    evm_csv_reader_destroy(r);
    return st;
}
