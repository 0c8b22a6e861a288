/* Links files: CSV through the project's record reader (exact positions
 * for messages, every dialect the events loader accepts), keeping three
 * columns. Strings live in one growing arena per file; the links point
 * into it only once reading is complete, since the arena moves while it
 * grows. */
#include <stdlib.h>
#include <string.h>

#include <evmap/links.h>

#include "core/arena.h"
#include "core/error.h"
#include "load/csv_reader.h"

struct evm_links {
    char *source;
    evm_link_t *links;
    size_t n, cap;
    size_t *offs; /* 3 arena offsets per link while reading */
    size_t cap_offs;
    evm_arena_t arena;
    long col[3]; /* from, to, label: column index or -1 */
    bool header_seen;
};

static int ascii_eq_fold(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
        int y = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static evm_status on_record(void *user, const evm_csv_record_t *rec,
                            evm_error_t *err)
{
    evm_links_t *l = user;
    static const char *const names[3] = {"from", "to", "label"};
    if (rec->index == 0) {
        for (int k = 0; k < 3; k++) {
            l->col[k] = -1;
            for (size_t c = 0; c < rec->n_fields; c++)
                if (ascii_eq_fold(rec->fields[c].text, names[k]))
                    l->col[k] = (long)c;
        }
        l->header_seen = true;
        for (int k = 0; k < 2; k++)
            if (l->col[k] < 0)
                return evm_error_set(err, EVM_ERR_PARSE, l->source, rec->line,
                                     0,
                                     "no \"%s\" column (a links file has "
                                     "the columns from, to and label)",
                                     names[k]);
        return EVM_OK;
    }
    if (evm_grow((void **)&l->links, &l->cap, l->n + 1, sizeof *l->links) ||
        evm_grow((void **)&l->offs, &l->cap_offs, 3 * (l->n + 1),
                 sizeof *l->offs))
        return evm_error_set(err, EVM_ERR_NOMEM, l->source, 0, 0,
                             "out of memory");
    evm_link_t *k = &l->links[l->n];
    memset(k, 0, sizeof *k);
    k->line = rec->line;
    for (int c = 0; c < 3; c++) {
        const evm_csv_field_t *f =
            l->col[c] >= 0 ? &rec->fields[l->col[c]] : NULL;
        if (c < 2 && f->len == 0)
            return evm_error_set(err, EVM_ERR_PARSE, l->source, f->line,
                                 f->column, "empty \"%s\" cell", names[c]);
        if (c == 0)
            k->from_column = f->column;
        if (c == 1)
            k->to_column = f->column;
        if (evm_arena_add(&l->arena, f ? f->text : "", f ? f->len : 0,
                          &l->offs[3 * l->n + (size_t)c]))
            return evm_error_set(err, EVM_ERR_NOMEM, l->source, 0, 0,
                                 "out of memory");
    }
    l->n++;
    return EVM_OK;
}

void evm_links_destroy(evm_links_t *l)
{
    if (!l)
        return;
    free(l->source);
    free(l->links);
    free(l->offs);
    evm_arena_free(&l->arena);
    free(l);
}

static evm_status load(const char *name, const evm_csv_input_t *in,
                       evm_links_t **out, evm_error_t *err)
{
    *out = NULL;
    evm_links_t *l = calloc(1, sizeof *l);
    if (!l || !(l->source = evm_strdup(name))) {
        free(l);
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    evm_csv_reader_options_t ro;
    evm_csv_reader_options_init(&ro);
    ro.display_name = l->source;
    evm_status st = evm_csv_read(&ro, on_record, l, in, err);
    if (!st && !l->header_seen)
        st =
            evm_error_set(err, EVM_ERR_PARSE, name, 0, 0,
                          "file is empty, expected a header row from,to,label");
    if (st) {
        evm_links_destroy(l);
        return st;
    }
    for (size_t i = 0; i < l->n; i++) {
        l->links[i].from = l->arena.data + l->offs[3 * i];
        l->links[i].to = l->arena.data + l->offs[3 * i + 1];
        l->links[i].label = l->arena.data + l->offs[3 * i + 2];
    }
    *out = l;
    return EVM_OK;
}

evm_status evm_links_load_memory(const char *display_name, const void *data,
                                 size_t len, evm_links_t **out,
                                 evm_error_t *err)
{
    if (!out || (!data && len))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, display_name, 0, 0,
                             "no links data or no output");
    evm_csv_input_t in = {NULL, data ? data : "", len};
    return load(display_name ? display_name : "<links>", &in, out, err);
}

evm_status evm_links_load_file(const char *path, evm_links_t **out,
                               evm_error_t *err)
{
    if (!path || !out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, path, 0, 0,
                             "no path or no output");
    evm_csv_input_t in = {path, NULL, 0};
    return load(path, &in, out, err);
}

size_t evm_links_count(const evm_links_t *l)
{
    return l ? l->n : 0;
}

const evm_link_t *evm_links_get(const evm_links_t *l, size_t i)
{
    return l && i < l->n ? &l->links[i] : NULL;
}

const char *evm_links_source(const evm_links_t *l)
{
    return l ? l->source : "";
}
