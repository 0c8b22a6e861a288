/* Map layout: runs the steps that turn events and base map into a scene,
 * in an order where each step sees what the earlier ones placed. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <evmap/map.h>

#include "core/error.h"
#include "core/num.h"
#include "load/layers.h"
#include "map/extent.h"
#include "map/layout_internal.h"
#include "map/preset.h"
#include "text/text.h"

void evm_map_options_init(evm_map_options_t *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->width_px = 1600;
    opt->height_px = 1000;
    opt->dpi = 96;
    opt->basemap = EVM_BASEMAP_AUTO;
    opt->units = EVM_UNITS_KM;
    opt->graticule = true;
    opt->graticule_labels = true;
    opt->legend = true;
    opt->scale_bar = true;
    opt->labels = true;
    opt->places = true;
    opt->country_labels = true;
    opt->water_labels = true;
    opt->rivers = true;
    opt->worldview = EVM_WORLDVIEW_INTERNATIONAL;
    opt->theme = EVM_THEME_LIGHT;
    opt->sea_routing = true;
    opt->via_labels = false;
    opt->geocode = false;
    opt->font_family = "Noto Sans,DejaVu Sans,sans-serif";
    opt->version = EVM_MAP_OPTIONS_VERSION;
}

/* Each unit of distance once: its name and its length in metres. */
static const struct {
    evm_units units;
    const char *name;
    double metres;
} unit_table[] = {{EVM_UNITS_KM, "km", 1000.0},
                  {EVM_UNITS_MI, "mi", 1609.344},
                  {EVM_UNITS_NMI, "nmi", 1852.0},
                  {EVM_UNITS_M, "m", 1.0}};

enum { N_UNITS = sizeof unit_table / sizeof unit_table[0] };

/* The row of units; kilometres for a value outside the enum. */
static size_t unit_row(evm_units units)
{
    for (size_t i = 0; i < N_UNITS; i++)
        if (unit_table[i].units == units)
            return i;
    return 0;
}

evm_status evm_units_parse(const char *text, evm_units *out)
{
    for (size_t i = 0; i < N_UNITS; i++)
        if (text && strcmp(text, unit_table[i].name) == 0) {
            *out = unit_table[i].units;
            return EVM_OK;
        }
    return EVM_ERR_INVALID_ARG;
}

const char *evm_units_name(evm_units units)
{
    return unit_table[unit_row(units)].name;
}

double evm_units_metres(evm_units units)
{
    return unit_table[unit_row(units)].metres;
}

bool evm_rects_overlap(evm_rect_t a, evm_rect_t b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
           b.y < a.y + a.h;
}

/* Liang-Barsky: does segment p-q meet rectangle r? */
bool evm_segment_meets_rect(evm_point_t p, evm_point_t q, evm_rect_t r)
{
    double t0 = 0, t1 = 1, dx = q.x - p.x, dy = q.y - p.y;
    double pv[4] = {-dx, dx, -dy, dy};
    double qv[4] = {p.x - r.x, r.x + r.w - p.x, p.y - r.y, r.y + r.h - p.y};
    for (int i = 0; i < 4; i++) {
        if (pv[i] == 0) {
            if (qv[i] < 0)
                return false;
            continue;
        }
        double t = qv[i] / pv[i];
        if (pv[i] < 0)
            t0 = fmax(t0, t);
        else
            t1 = fmin(t1, t);
        if (t0 > t1)
            return false;
    }
    return true;
}

evm_status evm_layout_obstacle(evm_layout_t *L, evm_rect_t r)
{
    if (evm_grow((void **)&L->obstacles, &L->cap_obstacles, L->n_obstacles + 1,
                 sizeof *L->obstacles))
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory placing labels");
    if (evm_grid_index_add(&L->obstacle_grid, (uint32_t)L->n_obstacles, r))
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory placing labels");
    L->obstacles[L->n_obstacles++] = r;
    return EVM_OK;
}

typedef struct overlap_query {
    const evm_layout_t *L;
    evm_rect_t r;
    size_t hits;
    bool stop_at_first;
} overlap_query_t;

static bool count_overlap(void *user, uint32_t item)
{
    overlap_query_t *q = user;
    if (evm_rects_overlap(q->r, q->L->obstacles[item]))
        q->hits++;
    return !(q->stop_at_first && q->hits);
}

bool evm_layout_blocked(evm_layout_t *L, evm_rect_t r)
{
    overlap_query_t q = {L, r, 0, true};
    evm_grid_index_visit(&L->obstacle_grid, r, count_overlap, &q);
    return q.hits > 0;
}

size_t evm_layout_blocked_count(evm_layout_t *L, evm_rect_t r)
{
    overlap_query_t q = {L, r, 0, false};
    evm_grid_index_visit(&L->obstacle_grid, r, count_overlap, &q);
    return q.hits;
}

void evm_layout_measure(evm_layout_t *L, const char *utf8, double size_pt,
                        evm_font_weight weight, double *w, double *h)
{
    evm_layout_measure_styled(L, utf8, size_pt, weight, false, w, h);
}

void evm_layout_measure_prepared(evm_layout_t *L, const char *utf8,
                                 double size_pt, evm_font_weight weight,
                                 bool italic, double *w, double *h)
{
    double size_px = size_pt * L->pt_px;
    /* Text measured before, here or by the reference labels' thread
     * (reference_labels.c) while the base map was drawn, is looked up. */
    char *key = NULL;
    if (L->measured) {
        key = g_strdup_printf("%a %d %d %s", size_px, (int)weight, (int)italic,
                              utf8);
        const double *wh = g_hash_table_lookup(L->measured, key);
        if (wh) {
            *w = wh[0];
            *h = wh[1];
            g_free(key);
            return;
        }
    }
    evm_text_measure(L->pc, utf8, L->font, size_px, weight, italic, w, h, NULL,
                     NULL);
    double *wh = key ? g_try_new(double, 2) : NULL;
    if (wh) {
        wh[0] = *w;
        wh[1] = *h;
        g_hash_table_insert(L->measured, key, wh);
    } else {
        g_free(key);
    }
}

void evm_layout_measure_styled(evm_layout_t *L, const char *utf8,
                               double size_pt, evm_font_weight weight,
                               bool italic, double *w, double *h)
{
    evm_layout_text_begin(L);
    evm_layout_measure_prepared(L, utf8, size_pt, weight, italic, w, h);
    evm_layout_text_end(L);
}

evm_item_t *evm_layout_text(evm_layout_t *L, evm_layer_id layer, const char *id,
                            const char *cls, const char *utf8, double size_pt,
                            evm_font_weight weight, evm_rgba_t color, double x,
                            double y)
{
    return evm_layout_text_styled(L, layer, id, cls, utf8, size_pt, weight,
                                  false, color, x, y);
}

evm_item_t *evm_layout_text_styled(evm_layout_t *L, evm_layer_id layer,
                                   const char *id, const char *cls,
                                   const char *utf8, double size_pt,
                                   evm_font_weight weight, bool italic,
                                   evm_rgba_t color, double x, double y)
{
    evm_item_t it = evm_layout_item(EVM_ITEM_TEXT, id, cls);
    it.text.utf8 = evm_strdup(utf8);
    it.text.font_family = evm_strdup(L->font);
    it.text.size_px = size_pt * L->pt_px;
    it.text.weight = weight;
    it.text.italic = italic;
    it.text.color = color;
    it.text.halo = L->pal->halo;
    it.text.halo_px = 1.5 * L->pt_px;
    double w, h;
    evm_layout_measure_styled(L, utf8, size_pt, weight, italic, &w, &h);
    it.text.box = (evm_rect_t){x, y, w, h};
    evm_item_t *dst = NULL;
    if (it.text.utf8 && it.text.font_family)
        dst = evm_scene_add(L->scene, layer, &it);
    if (!dst) {
        free(it.text.utf8);
        free(it.text.font_family);
        evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                      "out of memory adding text");
    }
    return dst;
}

evm_item_t *evm_layout_rect(evm_layout_t *L, evm_layer_id layer, const char *id,
                            evm_rect_t r, evm_style_t style)
{
    evm_item_t it = evm_layout_item(EVM_ITEM_PATH, id, "");
    it.style = style;
    if (evm_path_move_to(&it.path, r.x, r.y) ||
        evm_path_line_to(&it.path, r.x + r.w, r.y) ||
        evm_path_line_to(&it.path, r.x + r.w, r.y + r.h) ||
        evm_path_line_to(&it.path, r.x, r.y + r.h)) {
        evm_path_free(&it.path);
        evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                      "out of memory adding a rectangle");
        return NULL;
    }
    evm_path_close(&it.path);
    evm_item_t *dst = evm_scene_add(L->scene, layer, &it);
    if (!dst) {
        evm_path_free(&it.path);
        evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                      "out of memory adding a rectangle");
    }
    return dst;
}

evm_item_t *evm_layout_dot(evm_layout_t *L, evm_layer_id layer, const char *id,
                           const char *cls, evm_point_t c, double r_px,
                           evm_rgba_t fill, evm_rgba_t outline)
{
    evm_item_t it = evm_layout_item(EVM_ITEM_CIRCLE, id, cls);
    it.center = c;
    it.r_px = r_px;
    it.style.fill = fill;
    it.style.stroke = outline;
    it.style.stroke_px = 0.8 * L->pt_px;
    evm_item_t *dst = evm_scene_add(L->scene, layer, &it);
    if (!dst)
        evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                      "out of memory adding a dot");
    return dst;
}

double evm_layout_page_distance_m(const evm_layout_t *L, double x1, double y1,
                                  double x2, double y2)
{
    double lon1, lat1, lon2, lat2, s12;
    if (!evm_view_inverse(&L->view, x1, y1, &lon1, &lat1) ||
        !evm_view_inverse(&L->view, x2, y2, &lon2, &lat2))
        return NAN;
    geod_inverse(&L->ctx->wgs84, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12;
}

void evm_layout_length_text(const evm_layout_t *L, double dist_m, char *buf,
                            size_t cap)
{
    double v = dist_m / evm_units_metres(L->opt->units);
    int dec = v >= 100 ? 0 : v >= 10 ? 1 : 2;
    if (L->opt->units == EVM_UNITS_M && v >= 10)
        dec = 0;
    char num[64];
    evm_num_thousands(v, dec, num, sizeof num);
    snprintf(buf, cap, "%s %s", num, evm_units_name(L->opt->units));
}

const char *evm_layout_step_name(evm_layout_step step)
{
    static const char *const names[EVM_STEP_COUNT] = {
        "base map load", "base map geometry", "graticule",
        "markers and furniture", "labels"};
    return (unsigned)step < EVM_STEP_COUNT ? names[step] : "";
}

static double now_ms(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Adds the time since *t0 to a step and restarts the clock. */
static void lap(evm_layout_t *L, evm_layout_step step, double *t0)
{
    double t = now_ms();
    L->scene->step_ms[step] += t - *t0;
    *t0 = t;
}

static evm_status collect_kinds(evm_layout_t *L)
{
    size_t n = L->events ? evm_events_count(L->events) : 0;
    L->event_kind = evm_alloc_array(n, sizeof *L->event_kind);
    L->event_shown = calloc(n ? n : 1, sizeof *L->event_shown);
    L->kinds = evm_alloc_array(n, sizeof *L->kinds);
    L->kind_count = calloc(n ? n : 1, sizeof *L->kind_count);
    if (!L->event_kind || !L->event_shown || !L->kinds || !L->kind_count)
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *kind = evm_events_get(L->events, i)->kind;
        size_t k = 0;
        while (k < L->n_kinds && strcmp(L->kinds[k], kind) != 0)
            k++;
        if (k == L->n_kinds)
            L->kinds[L->n_kinds++] = (char *)kind;
        L->kind_count[k]++;
        L->event_kind[i] = k;
    }
    size_t nk = L->n_kinds;
    L->kind_styles = evm_alloc_array(nk ? nk : 1, sizeof *L->kind_styles);
    L->kind_classes = calloc(nk ? nk : 1, sizeof *L->kind_classes);
    L->marker_xy = evm_alloc_array(n ? n : 1, sizeof *L->marker_xy);
    L->marker_r = calloc(n ? n : 1, sizeof *L->marker_r);
    if (!L->kind_styles || !L->kind_classes || !L->marker_xy || !L->marker_r)
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    size_t collisions = evm_kind_styles_assign(
        (const char *const *)L->kinds, nk, L->opt->kind_styles,
        L->opt->n_kind_styles, L->kind_styles);
    L->scene->n_style_collisions = collisions;
    for (size_t k = 0; k < nk; k++) {
        char cls[96];
        evm_kind_class(L->kinds[k], cls, sizeof cls);
        if (!(L->kind_classes[k] = evm_strdup(cls)))
            return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory");
    }
    evm_status st = evm_layout_marker_sizes(L);
    return st ? st : evm_layout_label_order(L);
}

/* The scale at the frame's centre: metres on the ground per metre on the
 * page (a pixel is 0.0254 / dpi m). */
static void record_scale(evm_layout_t *L)
{
    evm_rect_t f = L->view.frame;
    double cx = f.x + f.w / 2, cy = f.y + f.h / 2;
    double d = evm_layout_page_distance_m(L, cx - 50, cy, cx + 50, cy);
    if (isfinite(d) && d > 0)
        L->scene->scale_denominator = d / 100 / (0.0254 / L->opt->dpi);
}

static evm_status choose_basemap(evm_layout_t *L, evm_geodata_t *geodata)
{
    record_scale(L);
    evm_basemap_res res = L->opt->basemap;
    evm_rect_t f = L->view.frame;
    double cx = f.x + f.w / 2, cy = f.y + f.h / 2;
    double d = evm_layout_page_distance_m(L, cx - 50, cy, cx + 50, cy);
    L->km_per_px = isfinite(d) ? d / 100.0 / 1000.0 : 100.0;
    if (res == EVM_BASEMAP_AUTO)
        res = evm_basemap_res_for_scale(L->km_per_px);
    L->res = res;
    return evm_geodata_get_worldview(geodata, res, L->opt->worldview,
                                     &L->basemap, L->err);
}

/* The places the frame must show: the events and every point of the
 * route legs, waypoints that are no event included. */
static evm_status collect_places(evm_layout_t *L, evm_places_t *p)
{
    const evm_map_options_t *opt = L->opt;
    if (evm_places_collect(p, L->events, opt->route_legs, opt->n_route_legs))
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    return EVM_OK;
}

static evm_status build(evm_layout_t *L, evm_geodata_t *geodata, evm_fit_t *fit)
{
    const evm_map_options_t *opt = L->opt;
    evm_status st = collect_kinds(L);
    if (st)
        return st;

    if ((st = evm_layout_title(L)))
        return st;
    evm_rect_t frame = fit->frame;
    L->scene->frame = frame;
    memcpy(L->scene->map_box, fit->box, sizeof fit->box);
    evm_projection_t *proj = fit->proj;
    const char *proj_def = fit->proj_def;
    free(L->scene->projection);
    L->scene->projection = evm_strdup(proj_def);
    double t0 = now_ms();
    st = evm_view_init_box(&L->view, proj, fit->box, frame, L->err);
    /* Half a pixel in all, split between densifying curves and dropping
     * vertices finer than the page shows (each costs paint time). */
    if (!st)
        evm_view_set_tolerance(&L->view, 0.25, 0.25);
    if (!st)
        st = choose_basemap(L, geodata);
    /* The reference labels' own work (the countries' spots, measuring
     * names and so loading their fonts) on a second thread while the
     * base map is drawn. */
    if (!st)
        st = evm_layout_reference_prep_start(L);
    lap(L, EVM_STEP_BASEMAP_LOAD, &t0);
    if (!st)
        st = evm_layout_basemap(L);
    if (!st)
        st = evm_layout_user_layers(L);
    lap(L, EVM_STEP_BASEMAP_GEOMETRY, &t0);
    if (!st && opt->graticule)
        st = evm_layout_graticule(L);
    lap(L, EVM_STEP_GRATICULE, &t0);
    if (!st)
        st = evm_layout_markers(L);
    if (!st)
        st = evm_layout_distance_lines(L, geodata);
    if (!st)
        st = evm_layout_routes(L);
    if (!st && opt->scale_bar)
        st = evm_layout_scale_bar(L);
    if (!st && opt->legend)
        st = evm_layout_legend(L);
    if (!st)
        st = evm_layout_inset(L);
    if (!st)
        st = evm_layout_source(L);
    lap(L, EVM_STEP_MARKERS_FURNITURE, &t0);
    /* Event labels first: they take precedence over line labels. */
    if (!st)
        st = evm_layout_labels(L);
    if (!st)
        st = evm_layout_line_labels(L);
    if (!st && opt->graticule && opt->graticule_labels && !fit->world)
        st = evm_layout_graticule_labels(L);
    if (!st)
        st = evm_layout_via_labels(L);
    if (!st)
        st = evm_layout_reference_labels(L);
    evm_layout_reference_prep_end(L);
    lap(L, EVM_STEP_LABELS, &t0);
    return st;
}

evm_status evm_layout_omit(evm_layout_t *L, evm_omission_kind kind, size_t i,
                           const char *text, const char *reason)
{
    evm_scene_t *s = L->scene;
    if (evm_grow((void **)&s->omissions, &s->cap_omissions, s->n_omissions + 1,
                 sizeof *s->omissions))
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    evm_omission_t *o = &s->omissions[s->n_omissions];
    o->kind = kind;
    o->event = (long)i;
    /* Reasons repeat (a million events outside an extent): each is kept
     * once in the scene and shared. */
    if (!s->reasons)
        s->reasons = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
    o->reason = s->reasons ? g_hash_table_lookup(s->reasons, reason) : NULL;
    if (s->reasons && !o->reason && (o->reason = evm_strdup(reason)))
        g_hash_table_add(s->reasons, o->reason);
    o->text = evm_strdup(text);
    if (!o->text || !o->reason) {
        free(o->text);
        return evm_error_set(L->err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory");
    }
    s->n_omissions++;
    return EVM_OK;
}

/* A map without a usable font would be a map without any text: title,
 * legend, labels all silently gone. Digits and Latin letters are in every
 * font evmap's maps can use, so a family list that cannot show them has
 * no installed font at all. */
static evm_status check_fonts(evm_layout_t *L)
{
    bool ok;
    evm_text_measure(evm_layout_text_begin(L), "Aa0", L->font, 12,
                     EVM_WEIGHT_NORMAL, false, NULL, NULL, &ok, NULL);
    evm_layout_text_end(L);
    if (ok)
        return EVM_OK;
    return evm_error_set(L->err, EVM_ERR_RENDER, NULL, 0, 0,
                         "no usable font: none of \"%s\" is installed, and "
                         "fontconfig offers no fallback (install "
                         "fonts-noto-core or fonts-dejavu-core, or name an "
                         "installed family with --font)",
                         L->font);
}

evm_status evm_map_layout(evm_context_t *ctx, const evm_events_t *events,
                          evm_geodata_t *geodata, const evm_map_options_t *opt,
                          evm_scene_t **out, evm_error_t *err)
{
    *out = NULL;
    if (!ctx || !geodata || !opt)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "evm_map_layout needs a context, geodata "
                             "and options");
    if (evm_options_check(opt->version, EVM_MAP_OPTIONS_VERSION,
                          "evm_map_options", err))
        return EVM_ERR_INVALID_ARG;
    /* A version 1 struct ends before the reference layers' fields, a
     * version 2 one before clustering, density, kind styles and sea
     * routing, a version 3 one before the preset, a version 4 one before
     * geocode: the fields it lacks
     * take their defaults. The preset is resolved on this copy. */
    evm_map_options_t now;
    evm_map_options_init(&now);
    memcpy(&now, opt,
           opt->version < 2   ? offsetof(evm_map_options_t, places)
           : opt->version < 3 ? offsetof(evm_map_options_t, cluster)
           : opt->version < 4 ? offsetof(evm_map_options_t, preset)
           : opt->version < 5 ? offsetof(evm_map_options_t, geocode)
                              : sizeof now);
    now.version = EVM_MAP_OPTIONS_VERSION;
    double type_scale = evm_preset_apply(&now);
    opt = &now;
    if (!(opt->width_px >= 64 && opt->width_px <= 20000 &&
          opt->height_px >= 64 && opt->height_px <= 20000))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "page size %gx%g is outside 64..20000 px",
                             opt->width_px, opt->height_px);
    if (!(opt->dpi >= 10 && opt->dpi <= 2400))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "dpi %g is outside 10..2400", opt->dpi);

    evm_error_t local_err;
    if (!err)
        err = &local_err; /* steps report through L.err unconditionally */
    evm_layout_t L = {0};
    L.ctx = ctx;
    L.opt = opt;
    L.events = events;
    L.geodata = geodata;
    L.pal = evm_theme_palette(opt->theme);
    L.err = err;
    L.pt_px = opt->dpi / 72.0 * type_scale;
    L.font = opt->font_family && *opt->font_family
                 ? opt->font_family
                 : "Noto Sans,DejaVu Sans,sans-serif";
    L.pc = evm_text_context_new();
    L.measured = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    evm_places_t places = {0};
    evm_fit_t fit;
    memset(&fit, 0, sizeof fit);
    /* Creating the context started fontconfig's set-up on Pango's
     * thread; the first text measured waits for it. Framing (the
     * projection's domain) comes first, while it runs. */
    evm_status st = collect_places(&L, &places);
    /* Countries are framed as events are, on their projected outline. */
    evm_places_t outline = {0};
    bool countries =
        !opt->has_extent && opt->extent_countries && *opt->extent_countries;
    if (!st && countries)
        st = evm_countries_places(geodata, opt->worldview,
                                  opt->extent_countries, &outline, err);
    if (!st)
        st = evm_layout_fit(&L, countries ? &outline : &places,
                            opt->has_extent ? opt->extent : NULL, &fit);
    evm_places_free(&outline);
    evm_places_free(&places);
    if (!st)
        st = check_fonts(&L);
    L.fit = &fit;
    if (!st)
        st = evm_scene_create(fit.width_px, fit.height_px, opt->dpi, &L.scene,
                              err);
    if (!st)
        L.scene->background = L.pal->page;
    /* The page's indexes, in cells of about two label heights. */
    evm_grid_index_t *const grids[] = {&L.obstacle_grid, &L.line_grid,
                                       &L.marker_grid, &L.leader_grid};
    for (size_t g = 0; !st && g < sizeof grids / sizeof grids[0]; g++)
        st = evm_grid_index_init(grids[g], fit.width_px, fit.height_px,
                                 24 * L.pt_px);
    if (!st)
        st = build(&L, geodata, &fit);
    evm_projection_destroy(fit.proj);
    evm_path_free(&L.horizon);
    g_object_unref(L.pc);
    if (L.measured)
        g_hash_table_destroy(L.measured);
    free(L.route_leg_m);
    free(L.event_kind);
    free(L.event_shown);
    free(L.kinds);
    free(L.kind_count);
    free(L.kind_styles);
    for (size_t k = 0; L.kind_classes && k < L.n_kinds; k++)
        free(L.kind_classes[k]);
    free(L.kind_classes);
    free(L.order);
    free(L.label_strong);
    free(L.leader_segs);
    evm_grid_index_free(&L.leader_grid);
    free(L.marker_xy);
    free(L.marker_r);
    free(L.size_value);
    free(L.cluster_of);
    free(L.cluster_members);
    free(L.clusters);
    evm_grid_index_free(&L.marker_grid);
    free(L.obstacles);
    evm_grid_index_free(&L.obstacle_grid);
    evm_grid_index_free(&L.line_grid);
    free(L.line_segs);
    free(L.line_seg_line);
    evm_layout_line_labels_free(&L);
    if (st) {
        evm_scene_destroy(L.scene);
        return st;
    }
    *out = L.scene;
    return EVM_OK;
}
