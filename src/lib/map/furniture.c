/* Title band above the map frame, source line below it, and the scene's
 * document title and one-line description. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "map/layout_internal.h"

static const double TITLE_PT = 15, SUBTITLE_PT = 10, SOURCE_PT = 7.5;

evm_status evm_layout_title(evm_layout_t *L, double *header_h, double *footer_h)
{
    const evm_map_options_t *opt = L->opt;
    double m = 8 * L->pt_px, y = m, w, h;
    if (opt->title && *opt->title) {
        evm_item_t *it = evm_layout_text(L, EVM_LAYER_TITLE, "title", "title",
                                         opt->title, TITLE_PT, EVM_WEIGHT_BOLD,
                                         evm_rgb_hex(0x1A1A1A), m, y);
        if (!it)
            return EVM_ERR_NOMEM;
        it->text.halo.a = 0;
        y += it->text.box.h;
        free(L->scene->title);
        L->scene->title = evm_strdup(opt->title);
    }
    if (opt->subtitle && *opt->subtitle) {
        evm_item_t *it = evm_layout_text(
            L, EVM_LAYER_TITLE, "subtitle", "subtitle", opt->subtitle,
            SUBTITLE_PT, EVM_WEIGHT_NORMAL, evm_rgb_hex(0x555555), m, y);
        if (!it)
            return EVM_ERR_NOMEM;
        it->text.halo.a = 0;
        y += it->text.box.h;
    }
    *header_h = y > m ? y + 0.6 * m : m;
    evm_layout_measure(L, "Source", SOURCE_PT, EVM_WEIGHT_NORMAL, &w, &h);
    *footer_h = h + 0.8 * m;
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

evm_status evm_layout_source(evm_layout_t *L)
{
    const evm_map_options_t *opt = L->opt;
    const char *pname = projection_name(L->scene->projection);
    char text[1024];
    /* The worldview is named: whose borders the map (and any distance
     * to a border on it) follows is part of what the map says. */
    snprintf(text, sizeof text,
             "%s%sBase map: Natural Earth (public domain), %s. "
             "Projection: %s.",
             opt->source && *opt->source ? opt->source : "",
             opt->source && *opt->source ? "  ·  " : "",
             opt->worldview == EVM_WORLDVIEW_DE_FACTO
                 ? "borders of de facto control"
                 : "internationally recognised borders",
             pname ? pname : "as given");
    double m = 8 * L->pt_px;
    evm_rect_t f = L->scene->frame;
    evm_item_t *it = evm_layout_text(
        L, EVM_LAYER_SOURCE, "source", "source", text, SOURCE_PT,
        EVM_WEIGHT_NORMAL, evm_rgb_hex(0x666666), f.x, f.y + f.h + 0.35 * m);
    if (!it)
        return EVM_ERR_NOMEM;
    it->text.halo.a = 0;

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
