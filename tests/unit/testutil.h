/* Helpers shared by the unit tests: files, output to memory, external
 * tools, PNG images (decoding, comparison with a tolerance, golden
 * references), pictures of one scene by different renderers, a PROJ
 * context fixture, base maps (loading, comparison), and maps laid out
 * from the examples (a fixture, lookups in the scene, label checks). */
#ifndef EVM_TESTUTIL_H
#define EVM_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/evmap.h>

/* Reads a whole file; NULL on failure. *len gets its size. Caller frees. */
char *evm_test_read_file(const char *path, size_t *len);

/* Writes len bytes to path; 0, or -1 on failure. */
int evm_test_write_file(const char *path, const void *data, size_t len);

/* Joins dir and name into a new string that the caller frees. */
char *evm_test_path(const char *dir, const char *name);

/* A new empty folder /tmp/<prefix>-XXXXXX, whose name the caller passes
 * to evm_test_remove_dir. Fails the test when it cannot be made. */
char *evm_test_temp_dir(const char *prefix);

/* Removes dir with all it holds, and frees the string. */
void evm_test_remove_dir(char *dir);

/* Switches LC_NUMERIC to a locale whose decimal point is a comma:
 * de_DE.UTF-8 or fr_FR.UTF-8 when installed, else de_DE built with
 * localedef into a temporary folder named by LOCPATH. Returns whether it
 * switched (printf("%.1f", 1.5) then writes "1,5"); *dir gets the folder
 * or NULL. evm_test_c_locale goes back. */
bool evm_test_decimal_comma_locale(char **dir);

/* LC_NUMERIC back to "C"; removes and frees dir (may be NULL). */
void evm_test_c_locale(char *dir);

/* Output written to memory: zero-initialise, free data. The bytes are
 * followed by a NUL that len does not count, so text output reads as a
 * string. */
typedef struct evm_test_buffer {
    unsigned char *data;
    size_t len, cap;
} evm_test_buffer_t;

/* An evm_write_fn appending to the evm_test_buffer_t closure. */
evm_status evm_test_buffer_write(void *closure, const unsigned char *data,
                                 size_t len);

/* The first place of needle in data[0 .. len), which may hold NUL bytes
 * (memmem, which C11 lacks); NULL when there is none. */
const char *evm_test_find_bytes(const unsigned char *data, size_t len,
                                const char *needle);

/* true when the shell finds the command name. */
bool evm_test_have_tool(const char *name);

/* What a shell command prints on stdout, or NULL when it fails (a
 * non-zero exit status). Caller frees. */
char *evm_test_run(const char *cmd);

/* An image of 8-bit straight (not premultiplied) RGBA pixels, rows packed:
 * pixel (x, y) starts at rgba[4 * (y * width + x)]. */
typedef struct evm_test_image {
    unsigned width, height;
    unsigned char *rgba;
} evm_test_image_t;

/* Decodes PNG bytes of any colour type to RGBA8 with libpng's simplified
 * API (not the encoder under test). Returns 0, or -1 with *out zeroed. */
int evm_test_png_decode(const unsigned char *png, size_t len,
                        evm_test_image_t *out);
void evm_test_image_free(evm_test_image_t *img);

/* Decodes the PNG file at path into *out; fails the test when it cannot
 * be read or is no PNG. */
void evm_test_png_decode_file(const char *path, evm_test_image_t *out);

/* Renders s as PNG with the default options into *out; fails the test
 * on an error. */
void evm_test_render_png(const evm_scene_t *s, evm_test_image_t *out);

/* The 4 bytes of pixel (x, y), which must be inside the image. */
const unsigned char *evm_test_pixel(const evm_test_image_t *img, unsigned x,
                                    unsigned y);

/* The fraction of pixels of a and b that differ by more than tol in some
 * channel; 1 when their sizes differ. */
double evm_test_image_diff(const evm_test_image_t *a, const evm_test_image_t *b,
                           int tol);

/* true when a and b have one size and at most max_fraction of their
 * pixels differ by more than tol in some channel. */
bool evm_test_image_similar(const evm_test_image_t *a,
                            const evm_test_image_t *b, int tol,
                            double max_fraction);

/* Header facts of a PNG, read by walking its chunks by hand. */
typedef struct evm_test_png_info {
    unsigned width, height;
    int bit_depth, color_type; /* IHDR; colour type 2 RGB, 6 RGBA */
    bool has_phys;
    unsigned long phys_x, phys_y; /* pixels per unit */
    int phys_unit;                /* 1: metre */
} evm_test_png_info_t;

/* Returns 0, or -1 when the bytes are not a well-formed PNG chunk list. */
int evm_test_png_info(const unsigned char *png, size_t len,
                      evm_test_png_info_t *out);

/* Compares PNG bytes to tests/golden/<name>.png: 0 when similar (see
 * evm_test_image_similar), else -1 with the reason on stderr and the
 * actual image written to <build dir>/<name>.actual.png. With the
 * environment variable EVM_UPDATE_GOLDEN=1 the reference is rewritten
 * from png instead, and the comparison passes. */
int evm_test_golden_png(const char *name, const unsigned char *png, size_t len,
                        int tol, double max_fraction);

/* The same for a PNG file. */
int evm_test_golden_png_file(const char *name, const char *png_path, int tol,
                             double max_fraction);

/* Renders scene as PNG and fails the test unless it matches
 * tests/golden/<name>.png within the maps' tolerance (32 levels on at
 * most 0.1 % of the pixels). */
void evm_test_assert_golden(const evm_scene_t *scene, const char *name);

/* ---- pictures of one scene by different renderers --------------------- */

/* How two renderers' pictures of a scene are compared: each channel
 * blurred by a 3x3 box (glyph rasterisers and antialiasing differ
 * between cairo, poppler, librsvg and Skia by fractions of a pixel, which
 * the blur absorbs; a moved stroke does not blur away), then per pixel
 * the largest channel difference. Two figures must both stay low: the
 * fraction of pixels differing by more than EVM_TEST_PICTURE_TOL of 255
 * (sees moved or missing marks), and the mean difference (sees a missing
 * area in a pale colour, such as land over ocean, which is only some 20
 * levels apart). The tests print both for the example at 800x500. */
#define EVM_TEST_PICTURE_TOL 32
#define EVM_TEST_PICTURE_MAX_FRACTION 0.004
#define EVM_TEST_PICTURE_MAX_MEAN 3.0

typedef struct evm_test_picture_diff {
    double fraction; /* of pixels beyond EVM_TEST_PICTURE_TOL */
    double mean;     /* mean largest channel difference, of 255 */
} evm_test_picture_diff_t;

/* The figures for a against b; fraction 1 and mean 255 when their sizes
 * differ. */
evm_test_picture_diff_t evm_test_picture_diff(const evm_test_image_t *a,
                                              const evm_test_image_t *b);

/* true when both figures are within their bounds. */
bool evm_test_picture_similar(evm_test_picture_diff_t d);

/* Renders s through the renderer under test into a picture called name
 * and compares it with the reference that closure holds. */
typedef evm_test_picture_diff_t (*evm_test_picture_fn)(const evm_scene_t *s,
                                                       const char *name,
                                                       void *closure);

/* Asserts that picture finds s similar to its reference (as name), and
 * proves the comparison able to fail: s with its labels moved by 1.5 px
 * (name-moved-labels) and without its land layer (name-no-land) must not
 * be similar. s is as it was afterwards. */
void evm_test_assert_picture_matches(evm_scene_t *s, const char *name,
                                     evm_test_picture_fn picture,
                                     void *closure);

/* ---- projections ----------------------------------------------------- */

/* cmocka group fixture: *state becomes a PJ_CONTEXT with PROJ's logging
 * off (the tests provoke refusals that PROJ would otherwise print). The
 * setup returns -1 when no context can be made. */
int evm_test_proj_setup(void **state);
int evm_test_proj_teardown(void **state);

/* ---- base maps ------------------------------------------------------- */

/* The base map at path (TopoJSON or packed); prints the error and fails
 * the test when it cannot be loaded. Caller destroys. */
evm_basemap_t *evm_test_load_basemap(const char *path);

/* Asserts that a and b hold the same arcs, rings and countries, array by
 * array and byte for byte. */
void evm_test_assert_basemaps_equal(const evm_basemap_t *a,
                                    const evm_basemap_t *b);

/* ---- maps ------------------------------------------------------------ */

/* What the map tests lay out with: a context, the geodata the build
 * made, and the events of examples/korea-russia-2023. */
typedef struct evm_test_map {
    evm_context_t *ctx;
    evm_geodata_t *geodata;
    evm_events_t *example; /* every row valid */
} evm_test_map_t;

/* cmocka group fixture: *state becomes an evm_test_map_t. The setup
 * returns -1 when something cannot be opened or a row of the example is
 * rejected. */
int evm_test_map_setup(void **state);
int evm_test_map_teardown(void **state);

/* The events of the CSV file at path, read with the default options;
 * fails the test when they cannot be loaded. Caller destroys. */
evm_events_t *evm_test_load_events(const char *path);

/* The events of examples/<name>/events.csv, as evm_test_load_events. */
evm_events_t *evm_test_load_example(const char *name);

/* Lays out a map of ev (may be NULL) with mo, and fails the test unless
 * the status is want. err (may be NULL) gets the error. Returns the
 * scene, which the caller destroys, or NULL when layout failed. */
evm_scene_t *evm_test_layout(const evm_test_map_t *m, const evm_events_t *ev,
                             const evm_map_options_t *mo, evm_status want,
                             evm_error_t *err);

/* A map of ev on a page of width_px x height_px at dpi, titled title,
 * with the other options at their defaults; fails the test on an error.
 * Caller destroys. */
evm_scene_t *evm_test_layout_page(const evm_test_map_t *m,
                                  const evm_events_t *ev, double width_px,
                                  double height_px, double dpi,
                                  const char *title);

/* Renders s in fmt with options o (NULL: the defaults) to the file
 * dir/name; fails the test on an error. Returns the path, which the
 * caller frees. */
char *evm_test_render_file(const evm_scene_t *s, evm_format fmt,
                           const evm_render_options_t *o, const char *dir,
                           const char *name);

/* Renders s as PDF with the default options to dir/name.pdf and
 * rasterises it with pdftocairo at the scene's dpi into *out (dir/name.png
 * on the way); fails the test on an error. */
void evm_test_pdf_picture(const evm_scene_t *s, const char *dir,
                          const char *name, evm_test_image_t *out);

/* The event called name (as evm_events_find matches it); fails the test
 * when there is none. */
const evm_event_t *evm_test_event(const evm_events_t *ev, const char *name);

/* The item of a layer with this id, or NULL. */
const evm_item_t *evm_test_find_item(const evm_scene_t *s, evm_layer_id layer,
                                     const char *id);

/* The text of the text item of a layer with this id; fails the test
 * when there is none. */
const char *evm_test_item_text(const evm_scene_t *s, evm_layer_id layer,
                               const char *id);

/* The value of an item's data entry called name, or NULL. */
const char *evm_test_item_data(const evm_item_t *it, const char *name);

/* The feature with this id, or NULL. */
const evm_scene_feature_t *evm_test_find_feature(const evm_scene_t *s,
                                                 const char *id);

/* The property of a feature called name, or NULL. */
const evm_feature_prop_t *evm_test_feature_prop(const evm_scene_feature_t *f,
                                                const char *name);

/* The box an item covers in page px: a text's box, a circle's square, or
 * the bounds of a path's points (not widened by the stroke). */
evm_rect_t evm_test_item_box(const evm_item_t *it);

/* true when the rectangles share interior points. */
bool evm_test_rects_overlap(evm_rect_t a, evm_rect_t b);
/* The corners of text t as drawn (turned by its angle about its box's
 * centre), and of a box, in order round them. */
void evm_test_text_quad(const evm_text_t *t, evm_point_t q[4]);
void evm_test_rect_quad(evm_rect_t b, evm_point_t q[4]);
/* Whether two convex quadrilaterals overlap (touching is not). */
bool evm_test_quads_overlap(const evm_point_t p[4], const evm_point_t q[4]);

/* Which items of a layer a label must also keep clear of. */
typedef bool (*evm_test_item_pred)(const evm_item_t *it);

/* Asserts that every text label of the scene lies inside the frame and
 * meets no other label, no item of the events, legend, scale bar, title
 * and source layers, and no item of the layer also that keep accepts
 * (none when keep is NULL). */
void evm_test_assert_labels_clear(const evm_scene_t *s, evm_layer_id also,
                                  evm_test_item_pred keep);

#endif
