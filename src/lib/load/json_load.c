/* JSON from memory: see json_load.h.
 *
 * jansson keeps no positions in the values it returns, only in a syntax
 * error. To say where a GeoJSON feature is, evm_json_load_features walks
 * the outer levels itself (the top-level object's members, the feature
 * list's elements) and hands each value to jansson alone
 * (JSON_DISABLE_EOF_CHECK), whose count of the bytes it read gives where
 * the next one starts; each byte is still parsed once, by jansson. */
#include "load/json_load.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* A syntax error of jansson's, at line and column (relative to the text
 * jansson was given when base_line > 0). */
static evm_status jansson_error(const char *name, const json_error_t *je,
                                unsigned long base_line, unsigned long base_col,
                                evm_error_t *err)
{
    if (json_error_code(je) == json_error_out_of_memory)
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0,
                             "out of memory parsing JSON");
    /* jansson's line and column, -1 when it has none. */
    unsigned long line = je->line > 0 ? (unsigned long)je->line : 0;
    unsigned long col = je->column > 0 ? (unsigned long)je->column : 0;
    if (base_line) {
        if (line <= 1)
            col = col ? base_col + col - 1 : base_col;
        line = line ? base_line + line - 1 : base_line;
    }
    return evm_error_set(err, EVM_ERR_PARSE, name, line, col, "%s", je->text);
}

evm_status evm_json_load(const char *name, const char *data, size_t len,
                         json_t **root, evm_error_t *err)
{
    json_error_t jerr;
    *root = json_loadb(data ? data : "", data ? len : 0, 0, &jerr);
    if (*root)
        return EVM_OK;
    return jansson_error(name, &jerr, 0, 0, err);
}

/* ---- walking the outer levels ---------------------------------------- */

typedef struct walk {
    const char *name, *d;
    size_t len, at;
    /* Line and column (UTF-8 characters, 1-based) of byte `counted`. */
    size_t counted;
    unsigned long line, col;
    evm_json_pos_t *pos;
    size_t n_pos, cap_pos;
    evm_error_t *err;
} walk_t;

static void count_to(walk_t *w, size_t to)
{
    for (; w->counted < to; w->counted++) {
        unsigned char c = (unsigned char)w->d[w->counted];
        if (c == '\n')
            w->line++, w->col = 1;
        else if ((c & 0xC0) != 0x80)
            w->col++;
    }
}

static void skip_ws(walk_t *w)
{
    while (w->at < w->len && (w->d[w->at] == ' ' || w->d[w->at] == '\t' ||
                              w->d[w->at] == '\n' || w->d[w->at] == '\r'))
        w->at++;
}

static evm_status nomem(walk_t *w)
{
    return evm_error_set(w->err, EVM_ERR_NOMEM, w->name, 0, 0,
                         "out of memory parsing JSON");
}

static evm_status expected(walk_t *w, const char *what)
{
    count_to(w, w->at);
    return evm_error_set(w->err, EVM_ERR_PARSE, w->name, w->line, w->col,
                         w->at < w->len ? "%s expected near '%c'"
                                        : "%s expected at the end of the text",
                         what, w->at < w->len ? w->d[w->at] : ' ');
}

/* After a value in a list or an object: true at ',' (another value
 * follows), false at close (the end, passed) or at an error (*st set). */
static bool more(walk_t *w, char close, evm_status *st)
{
    skip_ws(w);
    char c = w->at < w->len ? w->d[w->at] : '\0';
    if (c == ',' || c == close) {
        w->at++;
        return c == ',';
    }
    *st = expected(w, close == ']' ? "',' or ']'" : "',' or '}'");
    return false;
}

/* One value from w->at, which then points past it. */
static evm_status value(walk_t *w, json_t **v)
{
    size_t start = w->at;
    json_error_t je;
    char c = start < w->len ? w->d[start] : '\0';
    if (c == '{' || c == '[' || c == '"') {
        /* jansson stops at the closing bracket or quote. */
        *v = json_loadb(w->d + start, w->len - start,
                        JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &je);
        if (*v)
            w->at = start + (size_t)je.position;
    } else {
        /* A number or a literal would make jansson read one character
         * past it: give it exactly the token. */
        size_t end = start;
        while (end < w->len && !strchr(" \t\r\n,]}", w->d[end]))
            end++;
        *v = json_loadb(w->d + start, end - start, JSON_DECODE_ANY, &je);
        if (*v)
            w->at = end;
    }
    if (*v)
        return EVM_OK;
    count_to(w, start);
    return jansson_error(w->name, &je, w->line, w->col, w->err);
}

/* An array whose elements' positions are kept. */
static evm_status list(walk_t *w, json_t **out)
{
    json_t *a = json_array();
    if (!a)
        return nomem(w);
    w->n_pos = 0;
    w->at++; /* '[' */
    skip_ws(w);
    evm_status st = EVM_OK;
    if (w->at < w->len && w->d[w->at] == ']') {
        w->at++;
        *out = a;
        return EVM_OK;
    }
    for (;;) {
        skip_ws(w);
        count_to(w, w->at);
        void *p = w->pos;
        if (evm_grow(&p, &w->cap_pos, w->n_pos + 1, sizeof *w->pos)) {
            st = nomem(w);
            break;
        }
        w->pos = p;
        w->pos[w->n_pos++] = (evm_json_pos_t){w->line, w->col};
        json_t *v;
        if ((st = value(w, &v)))
            break;
        if (json_array_append_new(a, v)) {
            st = nomem(w);
            break;
        }
        if (!more(w, ']', &st))
            break;
    }
    if (st) {
        json_decref(a);
        return st;
    }
    *out = a;
    return EVM_OK;
}

/* The top-level object, its "features" member as a list. */
static evm_status object(walk_t *w, json_t **out)
{
    json_t *o = json_object();
    if (!o)
        return nomem(w);
    evm_status st = EVM_OK;
    w->at++; /* '{' */
    skip_ws(w);
    bool empty = w->at < w->len && w->d[w->at] == '}';
    if (empty)
        w->at++;
    while (!empty) {
        skip_ws(w);
        json_t *key = NULL, *v = NULL;
        if (w->at >= w->len || w->d[w->at] != '"') {
            st = expected(w, "string or '}'");
            break;
        }
        if ((st = value(w, &key)))
            break;
        skip_ws(w);
        if (w->at >= w->len || w->d[w->at] != ':') {
            json_decref(key);
            st = expected(w, "':'");
            break;
        }
        w->at++;
        skip_ws(w);
        bool features = strcmp(json_string_value(key), "features") == 0 &&
                        w->at < w->len && w->d[w->at] == '[';
        st = features ? list(w, &v) : value(w, &v);
        if (!st && json_object_set_new(o, json_string_value(key), v))
            st = nomem(w);
        json_decref(key);
        if (st || !more(w, '}', &st))
            break;
    }
    if (st) {
        json_decref(o);
        return st;
    }
    *out = o;
    return EVM_OK;
}

void evm_json_doc_free(evm_json_doc_t *doc)
{
    json_decref(doc->root);
    free(doc->pos);
    *doc = (evm_json_doc_t){0};
}

evm_status evm_json_load_features(const char *name, const char *data,
                                  size_t len, evm_json_doc_t *doc,
                                  evm_error_t *err)
{
    *doc = (evm_json_doc_t){0};
    json_t **root = &doc->root;
    walk_t w = {.name = name,
                .d = data ? data : "",
                .len = data ? len : 0,
                .line = 1,
                .col = 1,
                .err = err};
    /* A byte order mark, which jansson refuses, is not a character. */
    if (w.len >= 3 && memcmp(w.d, "\xEF\xBB\xBF", 3) == 0)
        w.at = w.counted = 3;
    skip_ws(&w);
    char c = w.at < w.len ? w.d[w.at] : '\0';
    if (c != '{' && c != '[')
        return evm_json_load(name, w.d + w.at, w.len - w.at, root, err);
    count_to(&w, w.at);
    evm_json_pos_t top = {w.line, w.col};
    evm_status st = c == '[' ? list(&w, root) : object(&w, root);
    if (!st) {
        skip_ws(&w);
        if (w.at < w.len) {
            st = expected(&w, "end of file");
            json_decref(*root);
            *root = NULL;
        }
    }
    if (st) {
        free(w.pos);
        return st;
    }
    if (!w.n_pos) {
        /* No list: the position of the document's one value. */
        free(w.pos);
        w.pos = malloc(sizeof *w.pos);
        if (!w.pos) {
            json_decref(*root);
            *root = NULL;
            return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0,
                                 "out of memory parsing JSON");
        }
        w.pos[0] = top;
        w.n_pos = 1;
    }
    doc->pos = w.pos;
    doc->n_pos = w.n_pos;
    return EVM_OK;
}
