/* Tests of text shaping (text.c): a label of one run, measured and drawn
 * without a PangoLayout (as a run, or as its glyphs with cairo alone),
 * must give exactly what a PangoLayout of it gives (extents in Pango
 * units, glyph coverage, and the pixels of its outline stroked and of its
 * glyphs shown at a fractional position, level or turned); text that
 * needs a layout (right to left, several fonts, tabs, line breaks, empty)
 * must be refused. The reference is Pango's own layout API. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"

static const char *const family = "Noto Sans,DejaVu Sans,sans-serif";

typedef struct style {
    double size_px;
    evm_font_weight weight;
    bool italic;
} style_t;

static const style_t styles[] = {
    {8.667, EVM_WEIGHT_NORMAL, false},  {10, EVM_WEIGHT_NORMAL, false},
    {11.333, EVM_WEIGHT_NORMAL, true},  {12, EVM_WEIGHT_SEMIBOLD, false},
    {14.299, EVM_WEIGHT_NORMAL, false}, {20, EVM_WEIGHT_BOLD, false},
};

/* Latin labels of the kinds maps carry: capitals, accents, kerning
 * pairs, ligatures, digits and symbols, an en dash, leading and trailing
 * spaces. */
static const char *const one_run[] = {
    "Pyongyang",
    "SOUTH KOREA",
    "Chi\xc8\x99in\xc4\x83u",
    "\xc3\x9cr\xc3\xbcmqi",
    "Sea of Japan",
    "500 km",
    "20\xc2\xb0"
    "E",
    "capital (4)",
    "AVATAR Wave",
    "office fjord",
    "Kyiv\xe2\x80\x93Xi'an",
    " padded ",
    "Tikhoretsk ammunition depot",
};

static void layout_logical(PangoContext *pc, const char *text, const style_t *s,
                           PangoRectangle *logical, int *baseline, int *unknown)
{
    PangoLayout *pl = evm_text_layout_new_styled(pc, text, family, s->size_px,
                                                 s->weight, s->italic);
    pango_layout_get_extents(pl, NULL, logical);
    *baseline = pango_layout_get_baseline(pl);
    *unknown = pango_layout_get_unknown_glyphs_count(pl);
    g_object_unref(pl);
}

static void test_run_measures_as_layout(void **state)
{
    (void)state;
    PangoContext *pc = evm_text_context_new();
    for (size_t i = 0; i < sizeof one_run / sizeof *one_run; i++)
        for (size_t k = 0; k < sizeof styles / sizeof *styles; k++) {
            const style_t *s = &styles[k];
            evm_text_run_t run;
            assert_true(evm_text_run_shape(pc, one_run[i], family, s->size_px,
                                           s->weight, s->italic, &run));
            PangoRectangle logical;
            int baseline, unknown;
            layout_logical(pc, one_run[i], s, &logical, &baseline, &unknown);
            assert_int_equal(logical.x, 0);
            assert_int_equal(logical.y, 0);
            assert_int_equal(run.logical.width, logical.width);
            assert_int_equal(run.logical.height, logical.height);
            assert_int_equal(-run.logical.y, baseline);
            assert_int_equal(evm_text_run_all_glyphs(&run), unknown == 0);
            double w, h;
            evm_text_measure(pc, one_run[i], family, s->size_px, s->weight,
                             s->italic, &w, &h, NULL, NULL);
            assert_true(w == (double)logical.width / PANGO_SCALE);
            assert_true(h == (double)logical.height / PANGO_SCALE);
            evm_text_run_free(&run);
        }
    g_object_unref(pc);
}

static void test_layout_needed(void **state)
{
    (void)state;
    PangoContext *pc = evm_text_context_new();
    /* Right to left; Latin then Hangul (two fonts, two scripts); a tab;
     * a line break; nothing. */
    const char *const need_layout[] = {"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
                                       "Seoul (\xec\x84\x9c\xec\x9a\xb8)",
                                       "a\tb", "a\nb", ""};
    for (size_t i = 0; i < sizeof need_layout / sizeof *need_layout; i++) {
        evm_text_run_t run;
        assert_false(evm_text_run_shape(pc, need_layout[i], family, 12,
                                        EVM_WEIGHT_NORMAL, false, &run));
        /* evm_text_measure still measures it, through a layout. */
        PangoRectangle logical;
        int baseline, unknown;
        layout_logical(pc, need_layout[i], &styles[3], &logical, &baseline,
                       &unknown);
        double w, h;
        bool all, rtl;
        evm_text_measure(pc, need_layout[i], family, styles[3].size_px,
                         styles[3].weight, false, &w, &h, &all, &rtl);
        assert_true(w == (double)logical.width / PANGO_SCALE);
        assert_true(h == (double)logical.height / PANGO_SCALE);
        assert_int_equal(all, unknown == 0);
        assert_int_equal(rtl, i == 0);
    }
    g_object_unref(pc);
}

/* How draw() draws a text: through a layout, a run, or the run's glyphs
 * (the run freed before they are drawn). */
enum { AS_LAYOUT, AS_RUN, AS_GLYPHS };

/* Draws text at (x, y) on a fresh 240 x 48 white ARGB32 surface, turned
 * by angle (radians) about (120, 24), its outline stroked 3 px wide in
 * grey then its glyphs in black; the pixels, malloc'ed. */
static unsigned char *draw(PangoContext *pc, const char *text, const style_t *s,
                           double x, double y, int how, double angle)
{
    cairo_surface_t *sf =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 240, 48);
    cairo_t *cr = cairo_create(sf);
    evm_text_prepare_cairo(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_translate(cr, 120, 24);
    cairo_rotate(cr, angle);
    cairo_translate(cr, -120, -24);
    evm_text_run_t run;
    evm_text_glyphs_t glyphs;
    PangoLayout *pl = NULL;
    if (how == AS_LAYOUT) {
        pl = evm_text_layout_new_styled(pc, text, family, s->size_px, s->weight,
                                        s->italic);
    } else {
        assert_true(evm_text_run_shape(pc, text, family, s->size_px, s->weight,
                                       s->italic, &run));
        if (how == AS_GLYPHS) {
            assert_true(evm_text_run_glyphs(&run, &glyphs));
            evm_text_run_free(&run);
        }
    }
    cairo_move_to(cr, x, y);
    if (how == AS_GLYPHS)
        evm_text_glyphs_path(cr, &glyphs);
    else if (how == AS_RUN)
        evm_text_run_path(cr, &run);
    else
        pango_cairo_layout_path(cr, pl);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 3);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, x, y);
    if (how == AS_GLYPHS) {
        evm_text_glyphs_show(cr, &glyphs);
        evm_text_glyphs_free(&glyphs);
    } else if (how == AS_RUN) {
        evm_text_run_show(cr, &run);
        evm_text_run_free(&run);
    } else {
        pango_cairo_show_layout(cr, pl);
        g_object_unref(pl);
    }
    /* The current point is kept, as Pango keeps it. */
    double cx, cy;
    cairo_get_current_point(cr, &cx, &cy);
    assert_true(fabs(cx - x) < 1.0 / 256 && fabs(cy - y) < 1.0 / 256);
    cairo_destroy(cr);
    cairo_surface_flush(sf);
    size_t n = (size_t)cairo_image_surface_get_stride(sf) * 48;
    unsigned char *px = malloc(n);
    assert_non_null(px);
    memcpy(px, cairo_image_surface_get_data(sf), n);
    cairo_surface_destroy(sf);
    return px;
}

/* A run and its glyphs draw the very pixels of a layout, level and
 * turned. */
static void test_run_draws_as_layout(void **state)
{
    (void)state;
    PangoContext *pc = evm_text_context_new();
    size_t n =
        (size_t)cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, 240) * 48;
    /* Positions off the pixel grid and off cairo's 1/256 px grid. */
    const double pos[][2] = {{3.3, 7.7}, {10.123456, 4.987654}, {0.5, 0.5}};
    const double angles[] = {0, -0.3};
    for (size_t i = 0; i < sizeof one_run / sizeof *one_run; i++)
        for (size_t k = 0; k < sizeof styles / sizeof *styles; k++)
            for (size_t p = 0; p < sizeof pos / sizeof *pos; p++)
                for (size_t r = 0; r < sizeof angles / sizeof *angles; r++) {
                    double x = pos[p][0], y = pos[p][1], a = angles[r];
                    unsigned char *layout =
                        draw(pc, one_run[i], &styles[k], x, y, AS_LAYOUT, a);
                    bool inked = false;
                    for (size_t j = 0; j < n && !inked; j++)
                        inked = layout[j] != 0xff;
                    assert_true(inked);
                    for (int how = AS_RUN; how <= AS_GLYPHS; how++) {
                        unsigned char *px =
                            draw(pc, one_run[i], &styles[k], x, y, how, a);
                        assert_memory_equal(px, layout, n);
                        free(px);
                    }
                    free(layout);
                }
    g_object_unref(pc);
}

/* A character no installed font has: its run has no glyphs for cairo to
 * draw alone (Pango draws a box), so it is drawn through Pango. */
static void test_glyphs_refused_without_a_glyph(void **state)
{
    (void)state;
    PangoContext *pc = evm_text_context_new();
    evm_text_run_t run;
    /* U+10FFFD, a private use character no font here covers. */
    assert_true(evm_text_run_shape(pc, "a\xf4\x8f\xbf\xbd", family, 12,
                                   EVM_WEIGHT_NORMAL, false, &run));
    evm_text_glyphs_t glyphs;
    assert_false(evm_text_run_all_glyphs(&run));
    assert_false(evm_text_run_glyphs(&run, &glyphs));
    assert_null(glyphs.font);
    assert_null(glyphs.offsets);
    evm_text_run_free(&run);
    g_object_unref(pc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_measures_as_layout),
        cmocka_unit_test(test_layout_needed),
        cmocka_unit_test(test_run_draws_as_layout),
        cmocka_unit_test(test_glyphs_refused_without_a_glyph),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
