/* Helpers shared by the unit tests. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, popen */

#include "testutil.h"

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <png.h>
#include <proj.h>

#include "load/basemap_internal.h"

char *evm_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = n;
    }
    return buf;
}

int evm_test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t put = fwrite(data, 1, len, f);
    int closed = fclose(f);
    return put == len && closed == 0 ? 0 : -1;
}

char *evm_test_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *evm_test_temp_dir(const char *prefix)
{
    char tmpl[256];
    snprintf(tmpl, sizeof tmpl, "/tmp/%s-XXXXXX", prefix);
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    d = strdup(d);
    assert_non_null(d);
    return d;
}

void evm_test_remove_dir(char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

bool evm_test_decimal_comma_locale(char **dir)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8",
                                        "fr_FR.UTF-8", "fr_FR.utf8"};
    *dir = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (setlocale(LC_NUMERIC, names[i]))
            return true;
    if (!evm_test_have_tool("localedef"))
        return false;
    *dir = evm_test_temp_dir("evm-locale");
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1",
             *dir);
    if (system(cmd) != 0)
        return false;
    setenv("LOCPATH", *dir, 1);
    return setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL;
}

void evm_test_c_locale(char *dir)
{
    setlocale(LC_NUMERIC, "C");
    if (dir) {
        unsetenv("LOCPATH");
        evm_test_remove_dir(dir);
    }
}

evm_status evm_test_buffer_write(void *closure, const unsigned char *data,
                                 size_t len)
{
    evm_test_buffer_t *b = closure;
    if (b->len + len + 1 > b->cap) {
        size_t cap = (b->len + len + 1) * 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d)
            return EVM_ERR_NOMEM;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return EVM_OK;
}

const char *evm_test_find_bytes(const unsigned char *data, size_t len,
                                const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(data + i, needle, n) == 0)
            return (const char *)data + i;
    return NULL;
}

bool evm_test_have_tool(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

char *evm_test_run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    evm_test_buffer_t b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        assert_int_equal(evm_test_buffer_write(&b, (unsigned char *)chunk, n),
                         EVM_OK);
    int rc = pclose(p);
    if (rc != 0) {
        free(b.data);
        return NULL;
    }
    return b.data ? (char *)b.data : strdup("");
}

int evm_test_png_decode(const unsigned char *png, size_t len,
                        evm_test_image_t *out)
{
    memset(out, 0, sizeof *out);
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, png, len))
        return -1;
    image.format = PNG_FORMAT_RGBA;
    size_t size = PNG_IMAGE_SIZE(image);
    unsigned char *rgba = malloc(size ? size : 1);
    if (!rgba) {
        png_image_free(&image);
        return -1;
    }
    if (!png_image_finish_read(&image, NULL, rgba, 0, NULL)) {
        free(rgba);
        png_image_free(&image);
        return -1;
    }
    out->width = image.width;
    out->height = image.height;
    out->rgba = rgba;
    return 0;
}

void evm_test_image_free(evm_test_image_t *img)
{
    if (!img)
        return;
    free(img->rgba);
    memset(img, 0, sizeof *img);
}

void evm_test_png_decode_file(const char *path, evm_test_image_t *out)
{
    size_t len;
    char *bytes = evm_test_read_file(path, &len);
    if (!bytes)
        fail_msg("cannot read %s", path);
    if (evm_test_png_decode((unsigned char *)bytes, len, out) != 0)
        fail_msg("%s is not a PNG", path);
    free(bytes);
}

void evm_test_render_png(const evm_scene_t *s, evm_test_image_t *out)
{
    evm_test_buffer_t png = {0};
    evm_error_t err;
    if (evm_render(s, EVM_FORMAT_PNG, evm_test_buffer_write, &png, &err))
        fail_msg("%s", err.message);
    assert_int_equal(evm_test_png_decode(png.data, png.len, out), 0);
    free(png.data);
}

const unsigned char *evm_test_pixel(const evm_test_image_t *img, unsigned x,
                                    unsigned y)
{
    return img->rgba + 4 * ((size_t)y * img->width + x);
}

double evm_test_image_diff(const evm_test_image_t *a, const evm_test_image_t *b,
                           int tol)
{
    if (a->width != b->width || a->height != b->height)
        return 1.0;
    size_t n = (size_t)a->width * a->height, bad = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *pa = a->rgba + 4 * i, *pb = b->rgba + 4 * i;
        for (int c = 0; c < 4; c++) {
            if (abs((int)pa[c] - (int)pb[c]) > tol) {
                bad++;
                break;
            }
        }
    }
    return n ? (double)bad / (double)n : 0.0;
}

bool evm_test_image_similar(const evm_test_image_t *a,
                            const evm_test_image_t *b, int tol,
                            double max_fraction)
{
    return a->width == b->width && a->height == b->height &&
           evm_test_image_diff(a, b, tol) <= max_fraction;
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
           (unsigned long)p[2] << 8 | (unsigned long)p[3];
}

int evm_test_png_info(const unsigned char *png, size_t len,
                      evm_test_png_info_t *out)
{
    static const unsigned char sig[8] = {0x89, 'P',  'N',  'G',
                                         '\r', '\n', 0x1a, '\n'};
    memset(out, 0, sizeof *out);
    if (len < 8 || memcmp(png, sig, 8) != 0)
        return -1;
    size_t at = 8;
    bool seen_ihdr = false;
    while (at + 12 <= len) {
        unsigned long n = be32(png + at);
        const unsigned char *type = png + at + 4, *data = png + at + 8;
        if (n > len - at - 12)
            return -1;
        if (memcmp(type, "IHDR", 4) == 0 && n == 13) {
            out->width = (unsigned)be32(data);
            out->height = (unsigned)be32(data + 4);
            out->bit_depth = data[8];
            out->color_type = data[9];
            seen_ihdr = true;
        } else if (memcmp(type, "pHYs", 4) == 0 && n == 9) {
            out->has_phys = true;
            out->phys_x = be32(data);
            out->phys_y = be32(data + 4);
            out->phys_unit = data[8];
        } else if (memcmp(type, "IEND", 4) == 0) {
            return seen_ihdr ? 0 : -1;
        }
        at += 12 + n;
    }
    return -1;
}

int evm_test_golden_png(const char *name, const unsigned char *png, size_t len,
                        int tol, double max_fraction)
{
    char ref_path[1024], actual_path[1024];
    snprintf(ref_path, sizeof ref_path, "%s/tests/golden/%s.png",
             EVM_SOURCE_DIR, name);
    snprintf(actual_path, sizeof actual_path, "%s/%s.actual.png", EVM_BUILD_DIR,
             name);
    const char *update = getenv("EVM_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        if (evm_test_write_file(ref_path, png, len) != 0) {
            fprintf(stderr, "golden %s: cannot write %s\n", name, ref_path);
            return -1;
        }
        fprintf(stderr, "golden %s: reference rewritten\n", name);
        return 0;
    }
    evm_test_image_t actual, ref;
    if (evm_test_png_decode(png, len, &actual) != 0) {
        fprintf(stderr, "golden %s: the actual image is not a PNG\n", name);
        return -1;
    }
    size_t ref_len = 0;
    char *ref_bytes = evm_test_read_file(ref_path, &ref_len);
    int rc = -1;
    if (!ref_bytes) {
        fprintf(stderr,
                "golden %s: no reference %s (run with "
                "EVM_UPDATE_GOLDEN=1 to create it)\n",
                name, ref_path);
    } else if (evm_test_png_decode((const unsigned char *)ref_bytes, ref_len,
                                   &ref) != 0) {
        fprintf(stderr, "golden %s: the reference is not a PNG\n", name);
    } else {
        double frac = evm_test_image_diff(&actual, &ref, tol);
        if (actual.width != ref.width || actual.height != ref.height)
            fprintf(stderr, "golden %s: size %ux%u, reference %ux%u\n", name,
                    actual.width, actual.height, ref.width, ref.height);
        else if (frac > max_fraction)
            fprintf(stderr,
                    "golden %s: %.3f%% of pixels differ by more than %d, "
                    "allowed %.3f%%\n",
                    name, 100 * frac, tol, 100 * max_fraction);
        else
            rc = 0;
        evm_test_image_free(&ref);
    }
    if (rc != 0 && evm_test_write_file(actual_path, png, len) == 0)
        fprintf(stderr, "golden %s: actual image in %s\n", name, actual_path);
    free(ref_bytes);
    evm_test_image_free(&actual);
    return rc;
}

int evm_test_golden_png_file(const char *name, const char *png_path, int tol,
                             double max_fraction)
{
    size_t len = 0;
    char *png = evm_test_read_file(png_path, &len);
    if (!png) {
        fprintf(stderr, "golden %s: cannot read %s\n", name, png_path);
        return -1;
    }
    int rc = evm_test_golden_png(name, (const unsigned char *)png, len, tol,
                                 max_fraction);
    free(png);
    return rc;
}

void evm_test_assert_golden(const evm_scene_t *scene, const char *name)
{
    evm_test_buffer_t png = {0};
    evm_error_t err;
    if (evm_render(scene, EVM_FORMAT_PNG, evm_test_buffer_write, &png, &err))
        fail_msg("%s", err.message);
    /* Antialiasing and glyph rasterisation may differ slightly between
     * library builds; a moved label or a missing layer does not pass. */
    assert_int_equal(evm_test_golden_png(name, png.data, png.len, 32, 0.001),
                     0);
    free(png.data);
}

/* ---- pictures of one scene by different renderers --------------------- */

/* One pass of a 3-pixel box blur, along rows or (vertical) along
 * columns; at an edge the mean of the pixels there. */
static void box_pass(const double *in, double *out, size_t w, size_t h,
                     bool vertical)
{
    size_t len = vertical ? h : w, step = vertical ? w : 1;
    for (size_t y = 0; y < h; y++)
        for (size_t x = 0; x < w; x++) {
            size_t at = vertical ? y : x;
            const double *line = in + (y * w + x) - at * step;
            double sum = 0;
            int n = 0;
            for (size_t k = at ? at - 1 : 0; k <= at + 1 && k < len; k++, n++)
                sum += line[k * step];
            out[y * w + x] = sum / n;
        }
}

/* Channel c of img blurred by a 3x3 box. */
static double *blurred(const evm_test_image_t *img, int c)
{
    size_t w = img->width, h = img->height;
    double *l = malloc(w * h * sizeof *l), *t = malloc(w * h * sizeof *t);
    assert_non_null(l);
    assert_non_null(t);
    for (size_t i = 0; i < w * h; i++)
        l[i] = img->rgba[4 * i + (size_t)c];
    box_pass(l, t, w, h, false);
    box_pass(t, l, w, h, true);
    free(t);
    return l;
}

evm_test_picture_diff_t evm_test_picture_diff(const evm_test_image_t *a,
                                              const evm_test_image_t *b)
{
    evm_test_picture_diff_t d = {1, 255};
    if (a->width != b->width || a->height != b->height)
        return d;
    size_t n = (size_t)a->width * a->height;
    double *m = calloc(n, sizeof *m);
    assert_non_null(m);
    for (int c = 0; c < 3; c++) {
        double *la = blurred(a, c), *lb = blurred(b, c);
        for (size_t i = 0; i < n; i++)
            m[i] = fmax(m[i], fabs(la[i] - lb[i]));
        free(la);
        free(lb);
    }
    size_t bad = 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        bad += m[i] > EVM_TEST_PICTURE_TOL;
        sum += m[i];
    }
    free(m);
    d.fraction = (double)bad / (double)n;
    d.mean = sum / (double)n;
    return d;
}

bool evm_test_picture_similar(evm_test_picture_diff_t d)
{
    return d.fraction <= EVM_TEST_PICTURE_MAX_FRACTION &&
           d.mean <= EVM_TEST_PICTURE_MAX_MEAN;
}

static void move_labels(evm_scene_t *s, double dx)
{
    evm_layer_t *labels = &s->layers[EVM_LAYER_LABELS];
    for (size_t i = 0; i < labels->n_items; i++)
        labels->items[i].text.box.x += dx;
}

void evm_test_assert_picture_matches(evm_scene_t *s, const char *name,
                                     evm_test_picture_fn picture, void *closure)
{
    char what[256];
    assert_true(evm_test_picture_similar(picture(s, name, closure)));

    move_labels(s, 1.5);
    snprintf(what, sizeof what, "%s-moved-labels", name);
    assert_false(evm_test_picture_similar(picture(s, what, closure)));
    move_labels(s, -1.5);

    evm_layer_t *land = &s->layers[EVM_LAYER_LAND];
    size_t n_land = land->n_items;
    land->n_items = 0;
    snprintf(what, sizeof what, "%s-no-land", name);
    assert_false(evm_test_picture_similar(picture(s, what, closure)));
    land->n_items = n_land;
}

/* ---- projections ----------------------------------------------------- */

int evm_test_proj_setup(void **state)
{
    PJ_CONTEXT *ctx = proj_context_create();
    *state = ctx;
    if (!ctx)
        return -1;
    proj_log_level(ctx, PJ_LOG_NONE);
    return 0;
}

int evm_test_proj_teardown(void **state)
{
    proj_context_destroy(*state);
    return 0;
}

/* ---- base maps ------------------------------------------------------- */

evm_basemap_t *evm_test_load_basemap(const char *path)
{
    evm_basemap_t *m = NULL;
    evm_error_t err;
    evm_error_clear(&err);
    evm_status st = evm_basemap_load(path, &m, &err);
    if (st != EVM_OK) {
        char msg[1200];
        evm_error_format(&err, msg, sizeof msg);
        print_error("%s\n", msg);
    }
    assert_int_equal(st, EVM_OK);
    return m;
}

void evm_test_assert_basemaps_equal(const evm_basemap_t *a,
                                    const evm_basemap_t *b)
{
    assert_int_equal(a->n_arcs, b->n_arcs);
    assert_int_equal(a->n_rings, b->n_rings);
    assert_int_equal(a->n_countries, b->n_countries);
    size_t na = a->n_arcs, nr = a->n_rings, nc = a->n_countries;
    assert_memory_equal(a->arc_off, b->arc_off, (na + 1) * sizeof(size_t));
    assert_memory_equal(a->arc_pts, b->arc_pts,
                        a->arc_off[na] * 2 * sizeof(double));
    assert_memory_equal(a->arc_box, b->arc_box, na * sizeof(evm_llbox_t));
    assert_memory_equal(a->arc_class, b->arc_class, na);
    assert_memory_equal(a->arc_left, b->arc_left, na * sizeof(int32_t));
    assert_memory_equal(a->arc_right, b->arc_right, na * sizeof(int32_t));
    assert_memory_equal(a->ring_off, b->ring_off, (nr + 1) * sizeof(size_t));
    assert_memory_equal(a->ring_pts, b->ring_pts,
                        a->ring_off[nr] * 2 * sizeof(double));
    assert_memory_equal(a->ring_box, b->ring_box, nr * sizeof(evm_llbox_t));
    assert_memory_equal(a->ring_country, b->ring_country,
                        nr * sizeof(uint32_t));
    assert_memory_equal(a->country_ring_off, b->country_ring_off,
                        (nc + 1) * sizeof(size_t));
    for (size_t c = 0; c < nc; c++) {
        assert_string_equal(a->country_name[c], b->country_name[c]);
        assert_string_equal(a->country_id[c], b->country_id[c]);
    }
}

/* ---- maps ------------------------------------------------------------ */

int evm_test_map_setup(void **state)
{
    evm_test_map_t *m = calloc(1, sizeof *m);
    *state = m;
    if (!m)
        return -1;
    evm_error_t err;
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    if (evm_context_create(&m->ctx, &err) ||
        evm_geodata_open(EVM_BUILD_DIR "/geodata", &m->geodata, &err) ||
        evm_events_load_file(EVM_SOURCE_DIR
                             "/examples/korea-russia-2023/events.csv",
                             &o, &m->example, &err)) {
        fprintf(stderr, "map fixture: %s\n", err.message);
        evm_test_map_teardown(state);
        return -1;
    }
    if (evm_events_rejected_count(m->example) != 0) {
        fprintf(stderr, "map fixture: rows of the example rejected\n");
        evm_test_map_teardown(state);
        return -1;
    }
    return 0;
}

int evm_test_map_teardown(void **state)
{
    evm_test_map_t *m = *state;
    if (m) {
        evm_events_destroy(m->example);
        evm_geodata_destroy(m->geodata);
        evm_context_destroy(m->ctx);
        free(m);
    }
    *state = NULL;
    return 0;
}

evm_events_t *evm_test_load_events(const char *path)
{
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    evm_events_t *ev = NULL;
    evm_error_t err;
    if (evm_events_load_file(path, &co, &ev, &err))
        fail_msg("%s: %s", path, err.message);
    return ev;
}

evm_events_t *evm_test_load_example(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/examples/%s/events.csv", EVM_SOURCE_DIR,
             name);
    return evm_test_load_events(path);
}

evm_scene_t *evm_test_layout(const evm_test_map_t *m, const evm_events_t *ev,
                             const evm_map_options_t *mo, evm_status want,
                             evm_error_t *err)
{
    evm_scene_t *s = NULL;
    evm_error_t local;
    if (!err)
        err = &local;
    evm_status st = evm_map_layout(m->ctx, ev, m->geodata, mo, &s, err);
    if (st != want) {
        char msg[1024] = "";
        if (st)
            evm_error_format(err, msg, sizeof msg);
        fail_msg("layout: status %d, expected %d: %s", st, want, msg);
    }
    return s;
}

evm_scene_t *evm_test_layout_page(const evm_test_map_t *m,
                                  const evm_events_t *ev, double width_px,
                                  double height_px, double dpi,
                                  const char *title)
{
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.width_px = width_px;
    mo.height_px = height_px;
    mo.has_size = true;
    mo.dpi = dpi;
    mo.title = title;
    return evm_test_layout(m, ev, &mo, EVM_OK, NULL);
}

char *evm_test_render_file(const evm_scene_t *s, evm_format fmt,
                           const evm_render_options_t *o, const char *dir,
                           const char *name)
{
    char *path = evm_test_path(dir, name);
    evm_error_t err;
    if (evm_render_to_file_with(s, fmt, o, path, &err))
        fail_msg("%s", err.message);
    return path;
}

void evm_test_pdf_picture(const evm_scene_t *s, const char *dir,
                          const char *name, evm_test_image_t *out)
{
    char file[160];
    snprintf(file, sizeof file, "%s.pdf", name);
    char *pdf = evm_test_render_file(s, EVM_FORMAT_PDF, NULL, dir, file);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "pdftocairo -r %g -png -singlefile '%s' '%s/%s' 2>/dev/null",
             s->dpi, pdf, dir, name);
    assert_int_equal(system(cmd), 0);
    snprintf(file, sizeof file, "%s.png", name);
    char *png = evm_test_path(dir, file);
    evm_test_png_decode_file(png, out);
    free(png);
    free(pdf);
}

const evm_event_t *evm_test_event(const evm_events_t *ev, const char *name)
{
    size_t i;
    if (evm_events_find(ev, name, &i, NULL) != EVM_OK)
        fail_msg("no event \"%s\"", name);
    return evm_events_get(ev, i);
}

const evm_item_t *evm_test_find_item(const evm_scene_t *s, evm_layer_id layer,
                                     const char *id)
{
    const evm_layer_t *l = &s->layers[layer];
    for (size_t i = 0; i < l->n_items; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    return NULL;
}

const char *evm_test_item_text(const evm_scene_t *s, evm_layer_id layer,
                               const char *id)
{
    const evm_item_t *it = evm_test_find_item(s, layer, id);
    if (!it || it->kind != EVM_ITEM_TEXT)
        fail_msg("no text item %s in layer %s", id, evm_layer_name(layer));
    return it->text.utf8;
}

const char *evm_test_item_data(const evm_item_t *it, const char *name)
{
    for (size_t i = 0; i < it->n_data; i++)
        if (strcmp(it->data[i].name, name) == 0)
            return it->data[i].value;
    return NULL;
}

const evm_scene_feature_t *evm_test_find_feature(const evm_scene_t *s,
                                                 const char *id)
{
    for (size_t i = 0; i < s->n_features; i++)
        if (strcmp(s->features[i].id, id) == 0)
            return &s->features[i];
    return NULL;
}

const evm_feature_prop_t *evm_test_feature_prop(const evm_scene_feature_t *f,
                                                const char *name)
{
    for (size_t i = 0; i < f->n_props; i++)
        if (strcmp(f->props[i].name, name) == 0)
            return &f->props[i];
    return NULL;
}

evm_rect_t evm_test_item_box(const evm_item_t *it)
{
    if (it->kind == EVM_ITEM_TEXT)
        return it->text.box;
    if (it->kind == EVM_ITEM_CIRCLE)
        return (evm_rect_t){it->center.x - it->r_px, it->center.y - it->r_px,
                            2 * it->r_px, 2 * it->r_px};
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < it->path.n_pts; i++) {
        x0 = fmin(x0, it->path.pts[i].x);
        y0 = fmin(y0, it->path.pts[i].y);
        x1 = fmax(x1, it->path.pts[i].x);
        y1 = fmax(y1, it->path.pts[i].y);
    }
    return (evm_rect_t){x0, y0, x1 - x0, y1 - y0};
}

bool evm_test_rects_overlap(evm_rect_t a, evm_rect_t b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
           b.y < a.y + a.h;
}

void evm_test_text_quad(const evm_text_t *t, evm_point_t q[4])
{
    evm_rect_t b = t->box;
    double a = isfinite(t->angle_rad) ? t->angle_rad : 0;
    double ca = cos(a), sa = sin(a);
    double cx = b.x + b.w / 2, cy = b.y + b.h / 2;
    for (int i = 0; i < 4; i++) {
        double x = (i == 1 || i == 2 ? 0.5 : -0.5) * b.w,
               y = (i >= 2 ? 0.5 : -0.5) * b.h;
        q[i] = (evm_point_t){cx + x * ca - y * sa, cy + x * sa + y * ca};
    }
}

void evm_test_rect_quad(evm_rect_t b, evm_point_t q[4])
{
    q[0] = (evm_point_t){b.x, b.y};
    q[1] = (evm_point_t){b.x + b.w, b.y};
    q[2] = (evm_point_t){b.x + b.w, b.y + b.h};
    q[3] = (evm_point_t){b.x, b.y + b.h};
}

/* Whether the projections of p and q on the normal of edge a-b are
 * apart. */
static bool separated_on(evm_point_t a, evm_point_t b, const evm_point_t p[4],
                         const evm_point_t q[4])
{
    double nx = a.y - b.y, ny = b.x - a.x;
    double p0 = INFINITY, p1 = -INFINITY, q0 = INFINITY, q1 = -INFINITY;
    for (int i = 0; i < 4; i++) {
        double u = p[i].x * nx + p[i].y * ny, v = q[i].x * nx + q[i].y * ny;
        p0 = fmin(p0, u), p1 = fmax(p1, u), q0 = fmin(q0, v), q1 = fmax(q1, v);
    }
    return p1 <= q0 || q1 <= p0;
}

bool evm_test_quads_overlap(const evm_point_t p[4], const evm_point_t q[4])
{
    for (int i = 0; i < 2; i++)
        if (separated_on(p[i], p[i + 1], p, q) ||
            separated_on(q[i], q[i + 1], p, q))
            return false;
    return true;
}

void evm_test_assert_labels_clear(const evm_scene_t *s, evm_layer_id also,
                                  evm_test_item_pred keep)
{
    const evm_layer_t *labels = &s->layers[EVM_LAYER_LABELS];
    const evm_layer_id others[] = {EVM_LAYER_EVENTS, EVM_LAYER_LEGEND,
                                   EVM_LAYER_SCALE_BAR, EVM_LAYER_TITLE,
                                   EVM_LAYER_SOURCE};
    for (size_t i = 0; i < labels->n_items; i++) {
        const evm_item_t *a = &labels->items[i];
        if (a->kind != EVM_ITEM_TEXT)
            continue;
        /* A label along a line is turned: its corners, not its box. */
        evm_point_t qa[4], qb[4];
        evm_test_text_quad(&a->text, qa);
        for (int k = 0; k < 4; k++) {
            assert_true(qa[k].x >= s->frame.x - 1e-9 &&
                        qa[k].y >= s->frame.y - 1e-9);
            assert_true(qa[k].x <= s->frame.x + s->frame.w + 1e-9);
            assert_true(qa[k].y <= s->frame.y + s->frame.h + 1e-9);
        }
        for (size_t j = i + 1; j < labels->n_items; j++) {
            if (labels->items[j].kind != EVM_ITEM_TEXT)
                continue;
            evm_test_text_quad(&labels->items[j].text, qb);
            if (evm_test_quads_overlap(qa, qb))
                fail_msg("labels %s and %s overlap", a->id,
                         labels->items[j].id);
        }
        for (size_t o = 0; o < sizeof others / sizeof others[0]; o++) {
            const evm_layer_t *l = &s->layers[others[o]];
            for (size_t j = 0; j < l->n_items; j++) {
                evm_test_rect_quad(evm_test_item_box(&l->items[j]), qb);
                if (evm_test_quads_overlap(qa, qb))
                    fail_msg("label %s meets %s", a->id, l->items[j].id);
            }
        }
        const evm_layer_t *l = &s->layers[also];
        for (size_t j = 0; keep && j < l->n_items; j++) {
            if (!keep(&l->items[j]))
                continue;
            evm_test_rect_quad(evm_test_item_box(&l->items[j]), qb);
            if (evm_test_quads_overlap(qa, qb))
                fail_msg("label %s covers %s", a->id, l->items[j].id);
        }
    }
}

/* LeakSanitizer reads this hook when the tests run under the sanitizer
 * build. fontconfig 2.14 (Debian 12) leaks a few hundred bytes while
 * parsing its configuration, once per process, in any program that
 * shapes text; the frames are all fontconfig's and expat's. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
