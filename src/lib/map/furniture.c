/* Title band above the map frame, source line below it, and the scene's
 * document title and one-line description. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/gazetteer.h>

#include "core/error.h"
#include "map/layout_internal.h"
#include "text/text.h"

static const double TITLE_PT = 15, SUBTITLE_PT = 10, SOURCE_PT = 7.5;
/* Lines a title or subtitle may take before its type shrinks, and the
 * least it shrinks to (of its size); past that it wraps on. */
static const size_t MAX_LINES = 3;
static const double MIN_SHRINK = 0.75;

/* A text broken into lines at Pango's word (else character) breaks. */
typedef struct text_lines {
    char **line;
    size_t n;
    double size_pt, line_h, w;
} text_lines_t;

static void text_lines_free(text_lines_t *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->line[i]);
    free(t->line);
    memset(t, 0, sizeof *t);
}

/* Appends line [t, t + len) to out, measured, unless it is blank. */
static evm_status add_line(evm_layout_t *L, const char *t, size_t len,
                           double size, evm_font_weight weight,
                           text_lines_t *out)
{
    /* The break's spaces stay at the line's end: drop them. */
    while (len && t[len - 1] == ' ')
        len--;
    if (!len)
        return EVM_OK;
    char *line = malloc(len + 1);
    if (!line)
        return EVM_ERR_NOMEM;
    memcpy(line, t, len);
    line[len] = '\0';
    out->line[out->n++] = line;
    double w, h;
    evm_layout_measure(L, line, size, weight, &w, &h);
    out->w = fmax(out->w, w);
    out->line_h = fmax(out->line_h, h);
    return EVM_OK;
}

/* out as the one line utf8 (len bytes) at size. EVM_ERR_NOMEM. */
static evm_status one_line(evm_layout_t *L, const char *utf8, size_t len,
                           double size, evm_font_weight weight,
                           text_lines_t *out)
{
    out->line = calloc(1, sizeof *out->line);
    out->size_pt = size;
    if (!out->line || add_line(L, utf8, len, size, weight, out)) {
        text_lines_free(out);
        return EVM_ERR_NOMEM;
    }
    return EVM_OK;
}

/* Breaks utf8 into lines no wider than max_w px at size_pt, shrinking
 * the type by steps (down to MIN_SHRINK of it) while that saves lines
 * beyond max_lines. A word wider than max_w alone is broken between
 * characters: text is never cut off. EVM_ERR_NOMEM. */
static evm_status wrap_text_held(evm_layout_t *L, PangoContext *pc,
                                 const char *utf8, double size_pt,
                                 evm_font_weight weight, double max_w,
                                 size_t max_lines, text_lines_t *out)
{
    memset(out, 0, sizeof *out);
    double size = size_pt;
    /* Text as wide as the line or narrower is one line, as a layout
     * would set it: measured as one run (text.h), without the layout. */
    evm_text_run_t run;
    if (max_lines >= 1 && evm_text_run_shape(pc, utf8, L->font, size * L->pt_px,
                                             weight, false, &run)) {
        bool fits = run.logical.width <= (int)(fmax(max_w, 1) * PANGO_SCALE);
        evm_text_run_free(&run);
        if (fits)
            return one_line(L, utf8, strlen(utf8), size, weight, out);
    }
    PangoLayout *pl = NULL;
    for (;;) {
        pl = evm_text_layout_new_styled(pc, utf8, L->font, size * L->pt_px,
                                        weight, false);
        pango_layout_set_width(pl, (int)(fmax(max_w, 1) * PANGO_SCALE));
        pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
        if ((size_t)pango_layout_get_line_count(pl) <= max_lines ||
            size * 0.9 < MIN_SHRINK * size_pt)
            break;
        g_object_unref(pl);
        size *= 0.9;
    }
    int n = pango_layout_get_line_count(pl);
    out->line = calloc((size_t)n, sizeof *out->line);
    out->size_pt = size;
    if (!out->line) {
        g_object_unref(pl);
        return EVM_ERR_NOMEM;
    }
    for (int i = 0; i < n; i++) {
        PangoLayoutLine *ln = pango_layout_get_line_readonly(pl, i);
        if (add_line(L, utf8 + ln->start_index, (size_t)ln->length, size,
                     weight, out)) {
            g_object_unref(pl);
            text_lines_free(out);
            return EVM_ERR_NOMEM;
        }
    }
    g_object_unref(pl);
    return EVM_OK;
}

/* wrap_text_held with Pango's context held throughout (the lines'
 * layout is read while each line is measured). */
static evm_status wrap_text(evm_layout_t *L, const char *utf8, double size_pt,
                            evm_font_weight weight, double max_w,
                            size_t max_lines, text_lines_t *out)
{
    evm_status st = wrap_text_held(L, evm_layout_text_begin(L), utf8, size_pt,
                                   weight, max_w, max_lines, out);
    evm_layout_text_end(L);
    return st;
}

/* The width titles and the source line wrap to on a page page_w px
 * wide: the page's, less its margins. */
static double text_width(const evm_layout_t *L, double page_w)
{
    return page_w - 2 * round(8 * L->pt_px);
}

/* Height of a wrapped text, or 0 when the text is empty. */
static double wrapped_height(evm_layout_t *L, const char *utf8, double size_pt,
                             evm_font_weight weight, size_t max_lines,
                             double page_w)
{
    text_lines_t t;
    if (!utf8 || !*utf8 ||
        wrap_text(L, utf8, size_pt, weight, text_width(L, page_w), max_lines,
                  &t))
        return 0;
    double h = (double)t.n * t.line_h;
    text_lines_free(&t);
    return h;
}

/* Adds utf8 wrapped, one text item per line ("title", "title-line2",
 * ...) from (x, y) down, without halo; *y moves below it. */
static evm_status add_wrapped(evm_layout_t *L, evm_layer_id layer,
                              const char *id, const char *utf8, double size_pt,
                              evm_font_weight weight, evm_rgba_t color,
                              size_t max_lines, double x, double *y)
{
    text_lines_t t;
    if (wrap_text(L, utf8, size_pt, weight, text_width(L, L->fit->width_px),
                  max_lines, &t))
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory wrapping text");
    evm_status st = EVM_OK;
    for (size_t i = 0; i < t.n && !st; i++) {
        char line_id[64];
        if (i)
            snprintf(line_id, sizeof line_id, "%s-line%zu", id, i + 1);
        evm_item_t *it = evm_layout_text(L, layer, i ? line_id : id, id,
                                         t.line[i], t.size_pt, weight, color, x,
                                         *y + (double)i * t.line_h);
        if (!it)
            st = EVM_ERR_NOMEM;
        else
            it->text.halo.a = 0;
    }
    *y += (double)t.n * t.line_h;
    text_lines_free(&t);
    return st;
}

/* The source line's text: the user's source, the base map and the
 * worldview, the projection. */
static void source_text(const evm_layout_t *L, const char *proj_def, char *out,
                        size_t cap);

void evm_layout_band_heights(evm_layout_t *L, const char *proj_def,
                             double page_w, double *header_h, double *footer_h)
{
    const evm_map_options_t *opt = L->opt;
    double m = 8 * L->pt_px, y = m;
    y += wrapped_height(L, opt->title, TITLE_PT, EVM_WEIGHT_BOLD, MAX_LINES,
                        page_w);
    y += wrapped_height(L, opt->subtitle, SUBTITLE_PT, EVM_WEIGHT_NORMAL,
                        MAX_LINES, page_w);
    *header_h = ceil(y > m ? y + 0.6 * m : m);
    char text[1024];
    source_text(L, proj_def, text, sizeof text);
    *footer_h = ceil(wrapped_height(L, text, SOURCE_PT, EVM_WEIGHT_NORMAL,
                                    SIZE_MAX, page_w) +
                     0.8 * m);
}

evm_status evm_layout_title(evm_layout_t *L)
{
    const evm_map_options_t *opt = L->opt;
    double m = 8 * L->pt_px, y = m;
    if (opt->title && *opt->title) {
        if (add_wrapped(L, EVM_LAYER_TITLE, "title", opt->title, TITLE_PT,
                        EVM_WEIGHT_BOLD, L->pal->text, MAX_LINES, m, &y))
            return EVM_ERR_NOMEM;
        free(L->scene->title);
        L->scene->title = evm_strdup(opt->title);
    }
    if (opt->subtitle && *opt->subtitle &&
        add_wrapped(L, EVM_LAYER_TITLE, "subtitle", opt->subtitle, SUBTITLE_PT,
                    EVM_WEIGHT_NORMAL, L->pal->subtle_text, MAX_LINES, m, &y))
        return EVM_ERR_NOMEM;
    return EVM_OK;
}

static const char *projection_name(const char *def)
{
    static const struct {
        const char *key, *name;
    } names[] = {{"+proj=lcc", "Lambert conformal conic"},
                 {"+proj=eqearth", "Equal Earth"},
                 {"+proj=merc", "Mercator"},
                 {"+proj=laea", "Lambert azimuthal equal-area"},
                 {"+proj=ortho", "orthographic"},
                 {"+proj=robin", "Robinson"},
                 {"+proj=aeqd", "azimuthal equidistant"},
                 {"EPSG:3857", "Web Mercator"},
                 {"ESRI:54030", "Robinson"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strstr(def, names[i].key))
            return names[i].name;
    return NULL;
}

static void source_text(const evm_layout_t *L, const char *proj_def, char *out,
                        size_t cap)
{
    const evm_map_options_t *opt = L->opt;
    const char *pname = proj_def ? projection_name(proj_def) : NULL;
    /* The worldview is named: whose borders the map (and any distance
     * to a border on it) follows is part of what the map says. */
    /* GeoNames data is CC BY: credited when it placed an event shown or
     * a place named elsewhere (render and batch count those). */
    bool geonames = opt->geonames_places > 0 ||
                    evm_events_placed_count(L->events, EVM_PLACE_GEONAMES) > 0;
    bool user = opt->source && *opt->source;
    snprintf(out, cap,
             "%s%s%s%sBase map: Natural Earth (public domain), %s. "
             "Projection: %s.",
             user ? opt->source : "", user ? "  ·  " : "",
             geonames ? "Places: GeoNames (CC BY 4.0)" : "",
             geonames ? "  ·  " : "",
             opt->worldview == EVM_WORLDVIEW_DE_FACTO
                 ? "borders of de facto control"
                 : "internationally recognised borders",
             pname ? pname : "as given");
}

evm_status evm_layout_source(evm_layout_t *L)
{
    const char *pname = projection_name(L->scene->projection);
    char text[1024];
    source_text(L, L->scene->projection, text, sizeof text);
    double m = 8 * L->pt_px;
    evm_rect_t f = L->scene->frame;
    double y = f.y + f.h + 0.35 * m;
    if (add_wrapped(L, EVM_LAYER_SOURCE, "source", text, SOURCE_PT,
                    EVM_WEIGHT_NORMAL, L->pal->subtle_text, SIZE_MAX, f.x, &y))
        return EVM_ERR_NOMEM;

    /* The document's description: what the map shows, in one line. */
    size_t n = L->events ? evm_events_count(L->events) : 0;
    char desc[1024];
    int len =
        snprintf(desc, sizeof desc, "Map of %zu event%s", n, n == 1 ? "" : "s");
    for (size_t k = 0; k < L->n_kinds && len > 0 && (size_t)len < sizeof desc;
         k++)
        len += snprintf(desc + len, sizeof desc - (size_t)len, "%s%zu %s",
                        k ? ", " : ": ", L->kind_count[k],
                        *L->kinds[k] ? L->kinds[k] : "unclassified");
    size_t far = L->scene->n_events_far_side, out = L->scene->n_events_outside;
    if (far && len > 0 && (size_t)len < sizeof desc)
        len += snprintf(desc + len, sizeof desc - (size_t)len,
                        "; %zu on the far side of the globe, not shown", far);
    if (out && len > 0 && (size_t)len < sizeof desc)
        len += snprintf(desc + len, sizeof desc - (size_t)len,
                        "; %zu outside the frame, not shown", out);
    if (len > 0 && (size_t)len < sizeof desc)
        snprintf(desc + len, sizeof desc - (size_t)len,
                 "; %s projection; base map Natural Earth.",
                 pname ? pname : "user-defined");
    free(L->scene->description);
    L->scene->description = evm_strdup(desc);
    return L->scene->description ? EVM_OK : EVM_ERR_NOMEM;
}
