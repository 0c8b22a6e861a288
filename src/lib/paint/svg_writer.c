/* The native SVG backend: writes the scene as a semantic, editable SVG.
 *
 * One <g> per layer in paint order, marked as an Inkscape layer; each
 * item one element with a unique id and classes (its role, its kind, its
 * style class); each event marker carries data-* attributes for every
 * CSV column and a <title> for browsers to show on hover; all text is
 * <text> in UTF-8 with the halo as a stroke painted under the glyphs
 * (paint-order), so it stays selectable and searchable. Paint lives in
 * one <style> sheet (svg_style.c) that --css extends.
 *
 * The picture matches the cairo painter's (painter.c): the same items are
 * skipped, geometry is clipped to the same guard box, fills are even-odd,
 * the miter limit is cairo's 10, and text is placed at the baseline Pango
 * gives for the layout the painter would show. Two passes: the first
 * validates every item and collects the style classes, so that a bad
 * scene writes nothing and the sheet can precede the elements. */
#include "paint/svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/evmap.h>

#include "core/num.h"
#include "paint/guard.h"
#include "text/text.h"

typedef struct writer {
    const evm_scene_t *scene;
    const evm_render_options_t *opt;
    evm_svg_out_t *out;
    evm_rect_t guard;
    evm_guard_scratch_t scratch;
    PangoContext *pc;         /* created at the first text */
    GHashTable *ids;          /* ids written so far (owned) */
    evm_svg_styles_t styles;  /* classes evm-s0, evm-s1, ... */
    unsigned *style_of;       /* class per item, layers in order */
    evm_buf_t *data_names;    /* per column: its data-* attribute name */
    evm_buf_t d;              /* the path data being built */
    evm_buf_t id, cls, name;  /* an item's attributes being built */
    long long cx, cy, sx, sy; /* current and subpath start point, ticks */
    char last;                /* last path command written, or 0 */
    evm_error_t *err;
} writer_t;

static const char *const evm_svg_layer_ns =
    "http://www.inkscape.org/namespaces/inkscape";

/* true once a text buffer of the writer has run out of memory: appends
 * fail quietly (core/buf.h), so this is checked after each item. */
static bool out_of_memory(const writer_t *w)
{
    return w->d.nomem || w->id.nomem || w->cls.nomem || w->name.nomem;
}

static evm_status nomem_error(const writer_t *w)
{
    return evm_error_set(w->err, EVM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory writing the SVG");
}

/* ---- validation and style classes (pass 1) ---- */

static bool same_style(const evm_style_t *a, const evm_style_t *b)
{
    if (memcmp(&a->fill, &b->fill, sizeof a->fill) != 0 ||
        memcmp(&a->stroke, &b->stroke, sizeof a->stroke) != 0 ||
        a->stroke_px != b->stroke_px || a->n_dash != b->n_dash ||
        a->cap != b->cap || a->join != b->join)
        return false;
    for (size_t i = 0; i < EVM_DASH_MAX; i++)
        if (a->dash_px[i] != b->dash_px[i])
            return false;
    return true;
}

static evm_status check_item(writer_t *w, const evm_item_t *it)
{
    switch (it->kind) {
    case EVM_ITEM_PATH:
        for (size_t k = 0; k < it->path.n_subs; k++) {
            const evm_point_t *pts;
            size_t n;
            evm_status st = evm_paint_subpath(it, k, &pts, &n, w->err);
            if (st != EVM_OK)
                return st;
        }
        return EVM_OK;
    case EVM_ITEM_CIRCLE:
        return EVM_OK;
    case EVM_ITEM_TEXT:
        /* Checked whether or not it is drawn, as XML must be UTF-8. */
        return evm_paint_check_label(it, w->err);
    }
    return evm_paint_unknown_kind(it, w->err);
}

/* Validates every item and assigns its style class. Shapes repeat a few
 * styles many times (a marker per event), so the last few are cached. */
static evm_status collect_styles(writer_t *w)
{
    enum { CACHE = 8 };
    struct {
        evm_style_t st;
        evm_layer_id layer;
        unsigned cls;
    } cache[CACHE];
    size_t n_cache = 0, next = 0, g = 0;
    evm_buf_t decl = {0}, what = {0};
    evm_status st = EVM_OK;
    for (int li = 0; li < EVM_LAYER_COUNT && st == EVM_OK; li++) {
        const evm_layer_t *layer = &w->scene->layers[li];
        for (size_t i = 0; i < layer->n_items && st == EVM_OK; i++, g++) {
            const evm_item_t *it = &layer->items[i];
            if ((st = check_item(w, it)) != EVM_OK)
                break;
            bool text = it->kind == EVM_ITEM_TEXT;
            size_t c = 0;
            while (!text && c < n_cache &&
                   !(cache[c].layer == layer->id &&
                     same_style(&cache[c].st, &it->style)))
                c++;
            if (!text && c < n_cache) {
                w->style_of[g] = cache[c].cls;
                continue;
            }
            evm_buf_reset(&decl);
            if (text)
                evm_svg_text_decl(
                    &decl, &it->text,
                    evm_paint_halo_shows(&it->text, EVM_GUARD_MARGIN));
            else
                evm_svg_shape_decl(&decl, &it->style, EVM_GUARD_MARGIN / 16);
            evm_buf_reset(&what);
            evm_buf_puts(&what, layer->name);
            if (it->cls && it->cls[0]) {
                evm_buf_puts(&what, ": ");
                evm_svg_token(&what, it->cls, true, "");
            }
            if (decl.nomem || what.nomem) {
                st = nomem_error(w);
                break;
            }
            w->style_of[g] =
                evm_svg_styles_intern(&w->styles, decl.data, what.data);
            if (!text) {
                cache[next].st = it->style;
                cache[next].layer = layer->id;
                cache[next].cls = w->style_of[g];
                next = (next + 1) % CACHE;
                if (n_cache < CACHE)
                    n_cache++;
            }
        }
    }
    evm_buf_free(&decl);
    evm_buf_free(&what);
    return st;
}

/* ---- attributes ---- */

/* Writes ` id="..."`: text made an XML name, unique in the document. */
static void put_id(writer_t *w, const char *text, const char *fallback)
{
    /* The token goes after an "id-" prefix that is kept only when it is
     * needed: a name starts with a letter or '_' (every non-ASCII name
     * character the token keeps may also start one, bar a few combining
     * marks). */
    evm_buf_t *id = &w->id;
    evm_buf_reset(id);
    evm_buf_puts(id, "id-");
    evm_svg_token(id, text, false, fallback);
    if (id->nomem)
        return;
    unsigned char c0 = (unsigned char)id->data[3];
    size_t from = (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') ||
                          c0 == '_' || c0 >= 0x80
                      ? 3
                      : 0;
    if (g_hash_table_contains(w->ids, id->data + from)) {
        size_t base = id->len;
        for (unsigned long k = 2; !id->nomem; k++) {
            evm_buf_truncate(id, base);
            evm_buf_printf(id, "-%lu", k);
            if (!g_hash_table_contains(w->ids, id->data + from))
                break;
        }
        if (id->nomem)
            return;
    }
    evm_out_puts(&w->out->base, " id=\"");
    evm_out_write(&w->out->base, id->data + from, id->len - from);
    evm_out_puts(&w->out->base, "\"");
    g_hash_table_add(w->ids, g_strdup(id->data + from));
}

static void put_attr(writer_t *w, const char *name, const char *value)
{
    evm_out_printf(&w->out->base, " %s=\"", name);
    evm_svg_escaped(w->out, value, true);
    evm_out_puts(&w->out->base, "\"");
}

static void put_num_attr(writer_t *w, const char *name, double v)
{
    evm_out_printf(&w->out->base, " %s=\"", name);
    evm_svg_num(w->out, v);
    evm_out_puts(&w->out->base, "\"");
}

/* The event an item shows, or NULL. */
static const evm_scene_event_t *item_event(const writer_t *w,
                                           const evm_item_t *it)
{
    if (it->event < 0 || (size_t)it->event >= w->scene->n_events)
        return NULL;
    return &w->scene->events[it->event];
}

/* Classes layout gives as a blank-separated list ("route-leg
 * route-rail"), each made a safe token and followed by a blank. */
static void put_class_list(evm_buf_t *cls, const char *list)
{
    char word[128];
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, " ");
        if (n && n < sizeof word) {
            memcpy(word, p, n);
            word[n] = '\0';
            if (evm_svg_token(cls, word, true, ""))
                evm_buf_putc(cls, ' ');
        }
        p += n;
        p += strspn(p, " ");
    }
}

/* Opens <tag with id, classes, data-* attributes; the caller adds the
 * geometry and closes the tag. */
static void open_item(writer_t *w, const char *tag, const evm_layer_t *layer,
                      const evm_item_t *it, unsigned style)
{
    evm_out_printf(&w->out->base, "<%s", tag);
    put_id(w, it->id, "item");
    const evm_scene_event_t *ev = item_event(w, it);
    evm_buf_t *cls = &w->cls;
    evm_buf_reset(cls);
    if (ev && layer->id == EVM_LAYER_EVENTS)
        evm_buf_puts(cls, "event ");
    else if (ev && layer->id == EVM_LAYER_LABELS && it->kind == EVM_ITEM_TEXT)
        evm_buf_puts(cls, "label ");
    if (ev) {
        /* An event's kind is one class, blanks and all ("Military
         * base" -> military-base). */
        if (it->cls && it->cls[0] && evm_svg_token(cls, it->cls, true, ""))
            evm_buf_putc(cls, ' ');
    } else {
        put_class_list(cls, it->cls);
    }
    evm_buf_printf(cls, "evm-s%u", style);
    if (cls->nomem)
        return;
    evm_out_puts(&w->out->base, " class=\"");
    evm_out_write(&w->out->base, cls->data, cls->len);
    evm_out_puts(&w->out->base, "\"");
    if (ev && layer->id == EVM_LAYER_EVENTS) {
        for (size_t c = 0; c < w->scene->n_columns; c++)
            put_attr(w, w->data_names[c].data, ev->values[c]);
    } else if (ev && layer->id == EVM_LAYER_LABELS) {
        evm_out_puts(&w->out->base, " data-event=\"event-");
        evm_svg_escaped(w->out, ev->slug, true);
        evm_out_puts(&w->out->base, "\"");
    }
    evm_buf_t *name = &w->name;
    for (size_t k = 0; k < it->n_data && !name->nomem; k++) {
        evm_buf_reset(name);
        evm_buf_puts(name, "data-");
        evm_svg_token(name, it->data[k].name, true, "value");
        if (!name->nomem)
            put_attr(w, name->data, it->data[k].value);
    }
}

/* Closes an item's start tag: with a <title> child for an event marker,
 * "Pyongyang (2023-10-19)", so that hovering shows what it is. */
static void close_item(writer_t *w, const char *tag, const evm_layer_t *layer,
                       const evm_item_t *it)
{
    const evm_scene_event_t *ev = item_event(w, it);
    if (!ev || layer->id != EVM_LAYER_EVENTS) {
        evm_out_puts(&w->out->base, "/>\n");
        return;
    }
    evm_out_puts(&w->out->base, "><title>");
    evm_svg_escaped(w->out, ev->name[0] ? ev->name : ev->kind, false);
    if (ev->date[0]) {
        evm_out_puts(&w->out->base, ev->name[0] || ev->kind[0] ? " (" : "(");
        evm_svg_escaped(w->out, ev->date, false);
        evm_out_puts(&w->out->base, ")");
    }
    evm_out_printf(&w->out->base, "</title></%s>\n", tag);
}

/* ---- path data ---- */

/* Appends a number to the path data, with a space only where the
 * previous one would otherwise run into it. */
static void d_num(writer_t *w, long long k)
{
    char buf[40];
    size_t n = evm_svg_format_ticks(w->out, k, buf);
    char prev = w->d.len ? w->d.data[w->d.len - 1] : 'M';
    if (buf[0] != '-' && ((prev >= '0' && prev <= '9') || prev == '.'))
        evm_buf_putc(&w->d, ' ');
    else if (buf[0] == '-' && prev == '.')
        evm_buf_putc(&w->d, ' ');
    evm_buf_put(&w->d, buf, n);
}

static void d_move(void *closure, evm_point_t p)
{
    writer_t *w = closure;
    long long x = evm_svg_ticks(w->out, p.x), y = evm_svg_ticks(w->out, p.y);
    if (w->last == 0) {
        evm_buf_putc(&w->d, 'M');
        d_num(w, x);
        d_num(w, y);
        w->last = 'M'; /* pairs after M would be absolute */
    } else {
        evm_buf_putc(&w->d, 'm');
        d_num(w, x - w->cx);
        d_num(w, y - w->cy);
        w->last = 'l'; /* pairs after m are relative line-tos */
    }
    w->cx = w->sx = x;
    w->cy = w->sy = y;
}

static void d_line(void *closure, evm_point_t p)
{
    writer_t *w = closure;
    long long x = evm_svg_ticks(w->out, p.x), y = evm_svg_ticks(w->out, p.y);
    if (x == w->cx && y == w->cy)
        return; /* shorter than the precision: nothing to draw */
    if (w->last != 'l')
        evm_buf_putc(&w->d, 'l');
    w->last = 'l';
    d_num(w, x - w->cx);
    d_num(w, y - w->cy);
    w->cx = x;
    w->cy = y;
}

static void d_close(void *closure)
{
    writer_t *w = closure;
    evm_buf_putc(&w->d, 'z');
    w->last = 'z';
    w->cx = w->sx;
    w->cy = w->sy;
}

/* Builds the item's path data in w->d (empty when nothing is drawn). */
static evm_status build_path(writer_t *w, const evm_item_t *it)
{
    const evm_guard_pen_t pen = {d_move, d_line, d_close, w};
    evm_buf_reset(&w->d);
    w->last = 0;
    bool drawn;
    return evm_paint_emit_path(&pen, &w->scratch, &w->guard, it, &drawn,
                               w->err);
}

/* ---- items ---- */

static evm_status write_path(writer_t *w, const evm_layer_t *layer,
                             const evm_item_t *it, unsigned style)
{
    evm_status st = build_path(w, it);
    if (st != EVM_OK || w->d.len == 0)
        return st;
    if (w->d.nomem)
        return nomem_error(w);
    open_item(w, "path", layer, it, style);
    evm_out_puts(&w->out->base, " d=\"");
    evm_out_write(&w->out->base, w->d.data, w->d.len);
    evm_out_puts(&w->out->base, "\"");
    close_item(w, "path", layer, it);
    return EVM_OK;
}

static void write_circle(writer_t *w, const evm_layer_t *layer,
                         const evm_item_t *it, unsigned style)
{
    if (!evm_paint_circle_shows(it, &w->guard, EVM_GUARD_MARGIN))
        return;
    open_item(w, "circle", layer, it, style);
    put_num_attr(w, "cx", it->center.x);
    put_num_attr(w, "cy", it->center.y);
    put_num_attr(w, "r", it->r_px);
    close_item(w, "circle", layer, it);
}

/* true when XML would collapse the text's spaces without xml:space. */
static bool needs_preserve(const char *s)
{
    size_t n = strlen(s);
    return s[0] == ' ' || (n && s[n - 1] == ' ') || strstr(s, "  ") ||
           strchr(s, '\t') || strchr(s, '\n');
}

static void write_text(writer_t *w, const evm_layer_t *layer,
                       const evm_item_t *it, unsigned style)
{
    const evm_text_t *t = &it->text;
    if (!evm_paint_text_shows(t, &w->guard))
        return;
    if (!w->pc)
        w->pc = evm_text_context_new();
    double x, y;
    PangoLayout *pl = evm_paint_label_layout(w->pc, t, &w->guard, &x, &y);
    if (!pl)
        return;
    /* SVG positions the first baseline. */
    y += (double)pango_layout_get_baseline(pl) / PANGO_SCALE;
    g_object_unref(pl);
    open_item(w, "text", layer, it, style);
    put_num_attr(w, "x", x);
    put_num_attr(w, "y", y);
    double angle = evm_paint_text_angle(t);
    if (angle != 0) {
        /* Turned about the box's centre, as the other backends. */
        evm_out_puts(&w->out->base, " transform=\"rotate(");
        evm_svg_num(w->out, angle * (180 / 3.14159265358979323846));
        evm_out_puts(&w->out->base, " ");
        evm_svg_num(w->out, t->box.x + t->box.w / 2);
        evm_out_puts(&w->out->base, " ");
        evm_svg_num(w->out, t->box.y + t->box.h / 2);
        evm_out_puts(&w->out->base, ")\"");
    }
    if (needs_preserve(t->utf8))
        evm_out_puts(&w->out->base, " xml:space=\"preserve\"");
    evm_out_puts(&w->out->base, ">");
    evm_svg_escaped(w->out, t->utf8, false);
    evm_out_puts(&w->out->base, "</text>\n");
}

/* ---- the document ---- */

static evm_status write_head(writer_t *w, unsigned background_style)
{
    const evm_scene_t *s = w->scene;
    evm_svg_out_t *o = w->out;
    evm_out_puts(&o->base,
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<!-- Created with evmap " EVM_VERSION_STRING " -->\n");
    /* The page size in px and a viewBox of one user unit per px. */
    char wd[EVM_NUM_MAX], ht[EVM_NUM_MAX];
    evm_num_significant(wd, s->width_px, 10);
    evm_num_significant(ht, s->height_px, 10);
    evm_out_printf(&o->base,
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                   "xmlns:inkscape=\"%s\" version=\"1.1\" "
                   "width=\"%spx\" height=\"%spx\" "
                   "viewBox=\"0 0 %s %s\" role=\"img\" "
                   "aria-labelledby=\"map-title map-desc\">\n",
                   evm_svg_layer_ns, wd, ht, wd, ht);
    g_hash_table_add(w->ids, g_strdup("map-title"));
    g_hash_table_add(w->ids, g_strdup("map-desc"));
    g_hash_table_add(w->ids, g_strdup("map-frame"));
    g_hash_table_add(w->ids, g_strdup("background"));
    for (int i = 0; i < EVM_LAYER_COUNT; i++)
        g_hash_table_add(w->ids, g_strdup(s->layers[i].name));

    evm_out_puts(&o->base, "<title id=\"map-title\">");
    evm_svg_escaped(o, s->title && s->title[0] ? s->title : "Map", false);
    evm_out_puts(&o->base, "</title>\n<desc id=\"map-desc\">");
    if (s->description && s->description[0])
        evm_svg_escaped(o, s->description, false);
    else
        evm_out_printf(&o->base, "Map of %zu event%s", s->n_events,
                       s->n_events == 1 ? "" : "s");
    evm_out_puts(&o->base, "</desc>\n<defs>\n<style type=\"text/css\">\n");

    evm_buf_t css = {0};
    /* cairo's miter limit is 10, SVG's default 4; the painter fills
     * even-odd so that holes are holes whatever their orientation. */
    evm_buf_puts(&css, "svg{fill-rule:evenodd;stroke-miterlimit:10}\n");
    evm_svg_styles_css(&w->styles, &css);
    if (w->opt->extra_css && w->opt->extra_css[0]) {
        evm_buf_puts(&css, "/* --css */\n");
        evm_buf_puts(&css, w->opt->extra_css);
        evm_buf_putc(&css, '\n');
    }
    bool nomem = css.nomem;
    if (!nomem)
        evm_svg_escaped(o, css.data, false);
    evm_buf_free(&css);
    if (nomem)
        return nomem_error(w);
    evm_out_puts(&o->base, "</style>\n");
    evm_rect_t r;
    if (evm_paint_frame_clip(w->scene, &w->guard, &r)) {
        evm_out_puts(&o->base, "<clipPath id=\"map-frame\"><rect");
        put_num_attr(w, "x", r.x);
        put_num_attr(w, "y", r.y);
        put_num_attr(w, "width", r.w);
        put_num_attr(w, "height", r.h);
        evm_out_puts(&o->base, "/></clipPath>\n");
    }
    evm_out_puts(&o->base, "</defs>\n");
    evm_out_printf(&o->base,
                   "<rect id=\"background\" class=\"background evm-s%u\" "
                   "x=\"0\" y=\"0\" width=\"%s\" height=\"%s\"/>\n",
                   background_style, wd, ht);
    return out_of_memory(w) ? nomem_error(w) : EVM_OK;
}

static evm_status write_layers(writer_t *w)
{
    size_t g = 0;
    evm_rect_t r;
    bool have_clip = evm_paint_frame_clip(w->scene, &w->guard, &r);
    for (int li = 0; li < EVM_LAYER_COUNT; li++) {
        const evm_layer_t *layer = &w->scene->layers[li];
        evm_out_printf(&w->out->base,
                       "<g id=\"%s\" class=\"layer layer-%s\" "
                       "inkscape:groupmode=\"layer\" inkscape:label=\"%s\"",
                       layer->name, layer->name, layer->name);
        bool draw = !layer->clip_to_frame || have_clip;
        if (layer->clip_to_frame && have_clip && layer->n_items)
            evm_out_puts(&w->out->base, " clip-path=\"url(#map-frame)\"");
        evm_out_puts(&w->out->base, ">\n");
        for (size_t i = 0; i < layer->n_items; i++, g++) {
            if (!draw)
                continue;
            const evm_item_t *it = &layer->items[i];
            evm_status st = EVM_OK;
            switch (it->kind) {
            case EVM_ITEM_PATH:
                st = write_path(w, layer, it, w->style_of[g]);
                break;
            case EVM_ITEM_CIRCLE:
                write_circle(w, layer, it, w->style_of[g]);
                break;
            case EVM_ITEM_TEXT:
                write_text(w, layer, it, w->style_of[g]);
                break;
            }
            if (st != EVM_OK)
                return st;
            if (out_of_memory(w))
                return nomem_error(w);
            if (w->out->base.sink->status != EVM_OK)
                return w->out->base.sink->status;
        }
        evm_out_puts(&w->out->base, "</g>\n");
    }
    evm_out_puts(&w->out->base, "</svg>\n");
    return EVM_OK;
}

/* data-* names of the columns: "notes" -> "data-notes"; lower case as
 * HTML requires, unique, "data-column-3" for a name with nothing usable. */
static evm_status name_columns(writer_t *w)
{
    const evm_scene_t *s = w->scene;
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    evm_status st = EVM_OK;
    for (size_t c = 0; c < s->n_columns && st == EVM_OK; c++) {
        evm_buf_t *n = &w->data_names[c];
        evm_buf_puts(n, "data-");
        char fallback[32];
        snprintf(fallback, sizeof fallback, "column-%zu", c + 1);
        evm_svg_token(n, s->columns[c], true, fallback);
        size_t base = n->len;
        for (unsigned long k = 2;
             !n->nomem && g_hash_table_contains(seen, n->data); k++) {
            evm_buf_truncate(n, base);
            evm_buf_printf(n, "-%lu", k);
        }
        if (n->nomem)
            st = nomem_error(w);
        else
            g_hash_table_add(seen, n->data);
    }
    g_hash_table_destroy(seen);
    return st;
}

static evm_status svg_render(const evm_paint_backend_t *backend,
                             const evm_scene_t *scene,
                             const evm_render_options_t *opt, evm_sink_t *sink,
                             evm_error_t *err)
{
    (void)backend;
    size_t n_items = 0;
    for (int i = 0; i < EVM_LAYER_COUNT; i++)
        n_items += scene->layers[i].n_items;
    writer_t w = {.scene = scene, .opt = opt, .err = err};
    w.out = malloc(sizeof *w.out);
    w.style_of = evm_alloc_array(n_items ? n_items : 1, sizeof *w.style_of);
    w.data_names =
        calloc(scene->n_columns ? scene->n_columns : 1, sizeof *w.data_names);
    evm_status st = EVM_OK;
    if (!w.out || !w.style_of || !w.data_names) {
        st = evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                           "out of memory writing the SVG");
        goto done;
    }
    evm_svg_out_init(w.out, sink, opt->precision_px);
    w.guard =
        evm_guard_box(scene->width_px, scene->height_px, EVM_GUARD_MARGIN);
    w.ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    evm_svg_styles_init(&w.styles);
    if ((st = name_columns(&w)) != EVM_OK ||
        (st = collect_styles(&w)) != EVM_OK)
        goto done;
    evm_buf_t bg = {0};
    evm_style_t bs = {.fill = scene->background};
    evm_svg_shape_decl(&bg, &bs, 0);
    if (bg.nomem) {
        evm_buf_free(&bg);
        st = nomem_error(&w);
        goto done;
    }
    unsigned bg_style = evm_svg_styles_intern(&w.styles, bg.data, "background");
    evm_buf_free(&bg);

    st = write_head(&w, bg_style);
    if (st == EVM_OK)
        st = write_layers(&w);
    if (st == EVM_OK)
        evm_out_flush(&w.out->base);
    if (sink->status != EVM_OK)
        st = evm_error_set(err, sink->status, NULL, 0, 0,
                           "the output callback failed (%s) writing the SVG",
                           evm_status_name(sink->status));
done:
    /* After a failure nothing more may reach the callback. */
    if (st != EVM_OK && sink->status == EVM_OK)
        sink->status = st;
    if (w.pc)
        g_object_unref(w.pc);
    if (w.ids)
        g_hash_table_destroy(w.ids);
    evm_buf_free(&w.d);
    evm_buf_free(&w.id);
    evm_buf_free(&w.cls);
    evm_buf_free(&w.name);
    if (w.styles.index)
        evm_svg_styles_free(&w.styles);
    for (size_t c = 0; w.data_names && c < scene->n_columns; c++)
        evm_buf_free(&w.data_names[c]);
    free(w.data_names);
    free(w.style_of);
    free(w.out);
    evm_guard_scratch_free(&w.scratch);
    return st;
}

const evm_paint_backend_t evm_paint_svg_backend = {
    .format = EVM_FORMAT_SVG,
    .name = "svg",
    .render = svg_render,
};
