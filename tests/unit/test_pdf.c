/* The native PDF backend: numbers (against printf) and CFF charsets
 * against hand-worked values, which fonts it embeds, the file structure
 * read back (every cross-reference offset lands on its object), qpdf
 * --check on the example map and on hostile text, fonts embedded and
 * subset (pdffonts), every label, the title and Hangul given back once
 * each by pdftotext, and the page rasterised and compared by the
 * blurred-difference measure the SVG tests use too (testutil.h): by
 * pdftocairo with the cairo PNG of the same scene, and by pdftoppm with
 * cairo's own PDF of it; each comparison is shown to fail for moved
 * labels and for a missing layer.
 * Markers are checked at their centres, synthetic bold by the darkness
 * of its letters.
 *
 * qpdf and poppler-utils come with scripts/install-deps.sh; a missing
 * tool skips its checks with a message, as the SVG tests do. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "paint/pdf.h"
#include "testutil.h"

/* ---- helpers ---- */

static bool need_tool(const char *name, const char *what)
{
    if (evm_test_have_tool(name))
        return true;
    print_message("%s not found (scripts/install-deps.sh): %s not checked\n",
                  name, what);
    return false;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

/* Renders s as PDF with engine into dir/name; returns the path. */
static char *render_pdf(const evm_scene_t *s, evm_pdf_engine engine,
                        const char *dir, const char *name)
{
    evm_render_options_t o;
    evm_render_options_init(&o);
    o.pdf_engine = engine;
    return evm_test_render_file(s, EVM_FORMAT_PDF, &o, dir, name);
}

static char *pdftotext(const char *pdf)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", pdf);
    char *text = evm_test_run(cmd);
    assert_non_null(text);
    return text;
}

static void assert_qpdf_check(const char *pdf)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", pdf);
    if (system(cmd) != 0) {
        snprintf(cmd, sizeof cmd, "qpdf --check '%s' >&2", pdf);
        (void)system(cmd);
        fail_msg("qpdf --check fails on %s", pdf);
    }
}

/* Every font pdffonts lists is embedded, subset and has a ToUnicode map;
 * returns pdffonts' table. */
static char *assert_fonts_embedded(const char *pdf, size_t min_fonts)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "pdffonts '%s'", pdf);
    char *out = evm_test_run(cmd);
    assert_non_null(out);
    size_t n = 0;
    char *save = NULL;
    char *copy = strdup(out);
    for (char *line = strtok_r(copy, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "name", 4) == 0 || strncmp(line, "----", 4) == 0)
            continue;
        n++;
        /* The columns emb, sub, uni, then the object number. */
        if (!strstr(line, " yes yes yes "))
            fail_msg("font not embedded as a subset with ToUnicode: %s", line);
    }
    free(copy);
    if (n < min_fonts)
        fail_msg("pdffonts lists %zu fonts, expected at least %zu:\n%s", n,
                 min_fonts, out);
    return out;
}

/* ---- numbers and CFF ---- */

static void check_num(double v, int decimals, const char *want)
{
    evm_buf_t b = {0};
    evm_pdf_num(&b, v, decimals);
    evm_buf_putc(&b, '\0');
    assert_false(b.nomem);
    if (strcmp((char *)b.data, want) != 0)
        fail_msg("%.17g to %d decimals: \"%s\", expected \"%s\"", v, decimals,
                 (char *)b.data, want);
    evm_buf_free(&b);
}

static void test_numbers(void **state)
{
    (void)state;
    check_num(0, 2, "0");
    check_num(-0.0, 2, "0");
    check_num(-0.004, 2, "0"); /* rounds to zero: no "-0" */
    check_num(1.5, 2, "1.5");
    check_num(0.01, 2, "0.01");
    check_num(-0.01, 2, "-0.01");
    check_num(12.3449, 2, "12.34");
    check_num(12.3451, 2, "12.35");
    check_num(99.996, 2, "100");
    check_num(-3, 2, "-3");
    check_num(1200, 2, "1200");
    check_num(0.5019607843, 3, "0.502"); /* 128 / 255 */
    check_num(123.456, 0, "123");
    check_num(2.5e-7, 6, "0");
    check_num(1e12, 2, "1000000000"); /* clamped */
    check_num(-1e12, 2, "-1000000000");
    check_num(NAN, 2, "0");
    check_num(INFINITY, 2, "1000000000");
    check_num(1234567.891, 2, "1234567.89");
    check_num(-0.05, 1, "-0.1"); /* half away from zero */

    /* Against glibc's printf, away from halfway cases where the two may
     * round differently: the same value, in as few characters. */
    srand(7);
    for (int i = 0; i < 100000; i++) {
        int decimals = 1 + i % 3;
        double v = ((double)rand() / RAND_MAX - 0.5) * 2e6 / (1 + i % 1000);
        double ticks = v * pow(10, decimals);
        if (fabs(ticks - floor(ticks) - 0.5) < 1e-3)
            continue;
        char ref[64];
        snprintf(ref, sizeof ref, "%.*f", decimals, v);
        evm_buf_t b = {0};
        evm_pdf_num(&b, v, decimals);
        evm_buf_putc(&b, '\0');
        const char *got = (const char *)b.data;
        if (strtod(got, NULL) != strtod(ref, NULL) ||
            strlen(got) > strlen(ref) ||
            (strchr(got, '.') && got[strlen(got) - 1] == '0'))
            fail_msg("%.17g: \"%s\", printf \"%s\"", v, got, ref);
        evm_buf_free(&b);
    }
}

static void test_strings_and_names(void **state)
{
    (void)state;
    evm_buf_t b = {0};
    /* U+1D11E is a surrogate pair in UTF-16. */
    evm_pdf_text_string(&b, "A(\xc3\xa9)\xf0\x9d\x84\x9e");
    evm_buf_putc(&b, ' ');
    evm_pdf_name(&b, "Noto Sans#1/(x)");
    evm_buf_putc(&b, '\0');
    assert_string_equal((char *)b.data, "<FEFF0041002800E90029D834DD1E> "
                                        "/Noto#20Sans#231#2F#28x#29");
    evm_buf_free(&b);
}

/* A CID-keyed CFF of four glyphs, written out by hand from Adobe's
 * technical note 5176: CIDs 0, 100, 101, 7 by a charset of the given
 * format, with the FDArray, FDSelect and Private DICT that FreeType
 * requires of a CID-keyed font. */
static size_t tiny_cff(unsigned char *out, int charset_format)
{
    size_t n = 0;
#define B(...)                                                                 \
    do {                                                                       \
        const unsigned char b_[] = {__VA_ARGS__};                              \
        memcpy(out + n, b_, sizeof b_);                                        \
        n += sizeof b_;                                                        \
    } while (0)
#define PAD(to)                                                                \
    while (n < (to))                                                           \
    out[n++] = 0
    B(1, 0, 4, 1);         /* header: version 1.0, size 4, offSize 1 */
    B(0, 1, 1, 1, 2, 'X'); /* Name INDEX: one name, "X" */
    /* Top DICT INDEX: one DICT of 27 bytes (offsets 1, 28). It holds
     * ROS (SIDs 391 392, supplement 0; operator 12 30), charset at 100
     * (operator 15), CharStrings at 80 (17), FDArray at 120 (12 36) and
     * FDSelect at 140 (12 37). */
    B(0, 1, 1, 1, 28);
    B(28, 1, 135, 28, 1, 136, 139, 12, 30); /* 391 392 0 ROS */
    B(28, 0, 100, 15);                      /* 100 charset */
    B(28, 0, 80, 17);                       /* 80 CharStrings */
    B(28, 0, 120, 12, 36);                  /* 120 FDArray */
    B(28, 0, 140, 12, 37);                  /* 140 FDSelect */
    B(0, 0, 0, 0); /* String and Global Subr INDEXes, empty */
    PAD(80);
    /* CharStrings INDEX: four glyphs, each "endchar" (14). */
    B(0, 4, 1, 1, 2, 3, 4, 5, 14, 14, 14, 14);
    PAD(100);
    if (charset_format == 1)
        B(1, 0, 100, 1, 0, 7, 0); /* 100..101, then 7..7 */
    else if (charset_format == 2)
        B(2, 0, 100, 0, 1, 0, 7, 0, 0);
    else
        B(0, 0, 100, 0, 101, 0, 7);
    PAD(120);
    /* FDArray: one Font DICT, its Private DICT 2 bytes at 160. */
    B(0, 1, 1, 1, 6, 141, 28, 0, 160, 18);
    PAD(140);
    B(3, 0, 1, 0, 0, 0, 0, 4); /* FDSelect format 3: glyphs 0..3 in FD 0 */
    PAD(160);
    B(139, 20); /* Private DICT: defaultWidthX 0 */
#undef PAD
#undef B
    return n;
}

static void test_cff_charset(void **state)
{
    (void)state;
    unsigned char cff[256];
    for (int format = 0; format <= 2; format++) {
        size_t len = tiny_cff(cff, format);
        bool cid_keyed = false;
        unsigned *cids = NULL;
        size_t n = 0;
        assert_true(evm_pdf_cff_cids(cff, len, &cid_keyed, &cids, &n));
        assert_true(cid_keyed);
        assert_int_equal(n, 4);
        assert_int_equal(cids[0], 0);
        assert_int_equal(cids[1], 100);
        assert_int_equal(cids[2], 101);
        assert_int_equal(cids[3], 7);
        free(cids);
        /* Cut anywhere inside the structures read, it fails cleanly. */
        for (size_t cut = 0; cut < len; cut++) {
            unsigned char *part = malloc(cut ? cut : 1);
            memcpy(part, cff, cut);
            cids = NULL;
            bool ok = evm_pdf_cff_cids(part, cut, &cid_keyed, &cids, &n);
            if (ok && cids)
                fail_msg("format %d cut at %zu bytes was accepted", format,
                         cut);
            free(part);
        }
    }
    /* Any byte changed to anything: no read outside the table (the
     * sanitizer build checks), and CIDs only for the glyphs there are. */
    for (int format = 0; format <= 2; format++) {
        size_t len = tiny_cff(cff, format);
        for (size_t at = 0; at < len; at++) {
            for (int v = 0; v < 256; v += 3) {
                unsigned char m[256];
                memcpy(m, cff, len);
                m[at] = (unsigned char)v;
                bool cid_keyed;
                unsigned *cids = NULL;
                size_t n = 0;
                if (evm_pdf_cff_cids(m, len, &cid_keyed, &cids, &n) && cids)
                    assert_true(n >= 1 && n <= 65535 && cids[0] == 0);
                free(cids);
            }
        }
    }
    /* Without ROS the font is name-keyed: no CIDs to read. */
    size_t len = tiny_cff(cff, 1);
    /* ROS becomes version, Notice and FullName (SIDs 0, 1, 2), and the
     * FDArray entry the Top DICT's own Private DICT. */
    memcpy(cff + 15, (const unsigned char[]){28, 0, 0, 0, 247, 0, 1, 139, 2},
           9);
    memcpy(cff + 32, (const unsigned char[]){141, 28, 0, 160, 18}, 5);
    bool cid_keyed = true;
    unsigned *cids = NULL;
    size_t n = 0;
    assert_true(evm_pdf_cff_cids(cff, len, &cid_keyed, &cids, &n));
    assert_false(cid_keyed);
    assert_null(cids);
}

/* A face of the given tables, each holding len bytes of data. */
static hb_face_t *face_of(const hb_tag_t *tags, size_t n, const char *data,
                          unsigned len)
{
    hb_face_t *b = hb_face_builder_create();
    for (size_t i = 0; i < n; i++) {
        hb_blob_t *blob =
            hb_blob_create(data, len, HB_MEMORY_MODE_DUPLICATE, NULL, NULL);
        assert_true(hb_face_builder_add_table(b, tags[i], blob));
        hb_blob_destroy(blob);
    }
    hb_blob_t *font = hb_face_reference_blob(b);
    hb_face_destroy(b);
    hb_face_t *face = hb_face_create(font, 0);
    hb_blob_destroy(font);
    return face;
}

/* Which faces the writer embeds: TrueType and CFF outlines; without
 * either, or with a CFF table that cannot be read, the document is
 * marked for cairo. */
static void test_embeddable_fonts(void **state)
{
    (void)state;
    char junk[64];
    memset(junk, 0x5a, sizeof junk);
    const hb_tag_t head = HB_TAG('h', 'e', 'a', 'd');
    const hb_tag_t cff[] = {head, HB_TAG('C', 'F', 'F', ' ')};
    hb_face_t *no_outlines = face_of(&head, 1, junk, sizeof junk);
    hb_face_t *bad_cff = face_of(cff, 2, junk, sizeof junk);
    evm_pdf_fonts_t *f = evm_pdf_fonts_new();
    assert_non_null(f);
    assert_false(evm_pdf_fonts_unembeddable(f));
    assert_int_equal(evm_pdf_fonts_add(f, no_outlines), -2);
    assert_int_equal(evm_pdf_fonts_add(f, bad_cff), -2);
    assert_true(evm_pdf_fonts_unembeddable(f));
    assert_int_equal(evm_pdf_fonts_count(f), 0);
    evm_pdf_fonts_free(f);

    char *path = evm_test_run("fc-match -f '%{file}' 'Noto Sans'");
    if (path && strstr(path, ".ttf")) {
        hb_blob_t *blob = hb_blob_create_from_file(path);
        hb_face_t *noto = hb_face_create(blob, 0);
        f = evm_pdf_fonts_new();
        assert_int_equal(evm_pdf_fonts_add(f, noto), 0);
        assert_int_equal(evm_pdf_fonts_add(f, noto), 0); /* the same font */
        assert_false(evm_pdf_fonts_unembeddable(f));
        /* TrueType: codes are glyph ids. */
        assert_int_equal(evm_pdf_fonts_code(f, 0, 1234), 1234);
        evm_pdf_fonts_free(f);
        hb_face_destroy(noto);
        hb_blob_destroy(blob);
    }
    free(path);
    hb_face_destroy(no_outlines);
    hb_face_destroy(bad_cff);
}

/* ---- the file ---- */

/* The cross-reference table read back: each in-use entry's offset starts
 * "<n> 0 obj", and startxref points at "xref". */
static void check_xref(const evm_test_buffer_t *pdf)
{
    const char *s = (const char *)pdf->data;
    assert_true(pdf->len > 32 && memcmp(s, "%PDF-1.6\n", 9) == 0);
    const char *sx = NULL;
    for (size_t i = pdf->len - 9; i > 0 && !sx; i--)
        if (memcmp(s + i, "startxref", 9) == 0)
            sx = s + i;
    assert_non_null(sx);
    unsigned long long xref = strtoull(sx + 10, NULL, 10);
    assert_true(xref < pdf->len);
    assert_memory_equal(s + xref, "xref\n0 ", 7);
    char *end;
    unsigned long n = strtoul(s + xref + 7, &end, 10);
    assert_true(n > 5);
    const char *e = end + 1;
    assert_memory_equal(e, "0000000000 65535 f \n", 20);
    for (unsigned long i = 1; i < n; i++) {
        const char *entry = e + 20 * i;
        assert_true(entry + 20 <= s + pdf->len);
        assert_memory_equal(entry + 10, " 00000 n \n", 10);
        unsigned long long off = strtoull(entry, NULL, 10);
        char want[32];
        int wl = snprintf(want, sizeof want, "%lu 0 obj\n", i);
        assert_true(off + (size_t)wl < pdf->len);
        if (memcmp(s + off, want, (size_t)wl) != 0)
            fail_msg("xref entry %lu points at offset %llu, not its object", i,
                     off);
    }
    assert_memory_equal(e + 20 * n, "trailer\n", 8);
    assert_memory_equal(s + pdf->len - 6, "%%EOF\n", 6);
}

static void test_structure(void **state)
{
    evm_events_t *ev = evm_test_load_example("korea-russia-2023");
    evm_scene_t *s = evm_test_layout_page(*state, ev, 800, 500, 96,
                                          "North Korea & Russia (2023)");
    evm_test_buffer_t pdf = {0};
    evm_error_t err;
    if (evm_render(s, EVM_FORMAT_PDF, evm_test_buffer_write, &pdf, &err))
        fail_msg("%s", err.message);
    check_xref(&pdf);
    /* Native, not cairo's: the Producer says so. */
    assert_null(evm_test_find_bytes(pdf.data, pdf.len, "cairo"));

    /* The same scene gives the same bytes when the date is fixed. */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    evm_test_buffer_t a = {0}, b = {0};
    assert_int_equal(
        evm_render(s, EVM_FORMAT_PDF, evm_test_buffer_write, &a, &err), EVM_OK);
    assert_int_equal(
        evm_render(s, EVM_FORMAT_PDF, evm_test_buffer_write, &b, &err), EVM_OK);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    assert_non_null(evm_test_find_bytes(a.data, a.len,
                                        "/CreationDate (D:20231114221320Z)"));

    /* cairo's engine on request, and an unknown engine refused. */
    evm_render_options_t o;
    evm_render_options_init(&o);
    assert_int_equal(o.pdf_engine, EVM_PDF_NATIVE);
    o.pdf_engine = EVM_PDF_CAIRO;
    evm_test_buffer_t c = {0};
    assert_int_equal(
        evm_render_with(s, EVM_FORMAT_PDF, &o, evm_test_buffer_write, &c, &err),
        EVM_OK);
    assert_non_null(evm_test_find_bytes(c.data, c.len, "cairo"));
    o.pdf_engine = (evm_pdf_engine)9;
    assert_int_equal(
        evm_render_with(s, EVM_FORMAT_PDF, &o, evm_test_buffer_write, &c, &err),
        EVM_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "PDF engine"));

    free(pdf.data);
    free(a.data);
    free(b.data);
    free(c.data);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

/* ---- read back by qpdf and poppler ---- */

static void test_example_read_back(void **state)
{
    if (!need_tool("qpdf", "PDF syntax") ||
        !need_tool("pdftotext", "PDF text") ||
        !need_tool("pdffonts", "PDF fonts") ||
        !need_tool("pdfinfo", "PDF title"))
        skip();
    evm_events_t *ev = evm_test_load_example("korea-russia-2023");
    const char *title = "North Korea & Russia (2023) \\ 100%";
    evm_scene_t *s = evm_test_layout_page(*state, ev, 1600, 1000, 96, title);
    char *dir = evm_test_temp_dir("evm-pdf-test");
    char *pdf = render_pdf(s, EVM_PDF_NATIVE, dir, "map.pdf");
    assert_qpdf_check(pdf);
    free(assert_fonts_embedded(pdf, 2)); /* regular and bold */

    /* Every label once: the halo is not text. */
    char *text = pdftotext(pdf);
    const evm_layer_t *labels = &s->layers[EVM_LAYER_LABELS];
    assert_true(labels->n_items >= 8);
    for (size_t i = 0; i < labels->n_items; i++) {
        if (labels->items[i].kind != EVM_ITEM_TEXT)
            continue; /* a leader line */
        const char *label = labels->items[i].text.utf8;
        size_t n = count_of(text, label);
        if (n != 1)
            fail_msg("pdftotext gives label \"%s\" %zu times", label, n);
    }
    assert_int_equal(count_of(text, title), 1);
    free(text);

    char cmd[1024];
    snprintf(cmd, sizeof cmd, "pdfinfo -enc UTF-8 '%s'", pdf);
    char *info = evm_test_run(cmd);
    assert_non_null(info);
    const char *t = strstr(info, "Title:");
    assert_non_null(t);
    t += strspn(t + 6, " ") + 6;
    if (strncmp(t, title, strlen(title)) != 0 || t[strlen(title)] != '\n')
        fail_msg("pdfinfo gives another title:\n%s", info);
    free(info);

    free(pdf);
    evm_test_remove_dir(dir);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

static void test_hangul(void **state)
{
    if (!need_tool("qpdf", "PDF syntax") ||
        !need_tool("pdftotext", "PDF text") ||
        !need_tool("pdffonts", "PDF fonts"))
        skip();
    evm_events_t *ev = evm_test_load_example("korea-peninsula");
    evm_scene_t *s =
        evm_test_layout_page(*state, ev, 1200, 800, 96, "서울 and 평양");
    char *dir = evm_test_temp_dir("evm-pdf-test");
    char *pdf = render_pdf(s, EVM_PDF_NATIVE, dir, "korea.pdf");
    assert_qpdf_check(pdf);
    char *fonts = assert_fonts_embedded(pdf, 2);
    /* Hangul comes from a CFF font (Noto Sans CJK), embedded as CFF. */
    if (!strstr(fonts, "CID Type 0C"))
        fail_msg("no CFF font embedded:\n%s", fonts);
    free(fonts);
    char *text = pdftotext(pdf);
    assert_int_equal(count_of(text, "서울 and 평양"), 1);
    static const char *const want[] = {
        "Pyongyang (평양)", "Seoul (서울)", "Rajin port (라진)",
        /* wrapped to two lines */
        "Cheongju International", "Airport (청주)"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (count_of(text, want[i]) != 1)
            fail_msg("pdftotext lacks \"%s\":\n%s", want[i], text);
    free(text);
    free(pdf);
    evm_test_remove_dir(dir);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

static void add_label(evm_scene_t *s, const char *utf8, double x, double y,
                      double size_px)
{
    evm_item_t it = {
        .kind = EVM_ITEM_TEXT, .id = "label", .cls = "", .event = -1};
    it.text =
        (evm_text_t){.utf8 = strdup(utf8),
                     .font_family = strdup("Noto Sans,DejaVu Sans,sans-serif"),
                     .size_px = size_px,
                     .weight = EVM_WEIGHT_NORMAL,
                     .box = {x, y, 100, size_px},
                     .color = {0, 0, 0, 1},
                     .halo = {1, 1, 1, 0.8},
                     .halo_px = 2};
    assert_non_null(evm_scene_add(s, EVM_LAYER_LABELS, &it));
}

static void test_hostile_text(void **state)
{
    (void)state;
    if (!need_tool("qpdf", "PDF syntax") || !need_tool("pdftotext", "PDF text"))
        skip();
    evm_scene_t *s = NULL;
    assert_int_equal(evm_scene_create(600, 400, 96, &s, NULL), EVM_OK);
    free(s->title);
    /* PDF string delimiters, a backslash, a comment sign, a character
     * outside the BMP and a right-to-left script. */
    s->title = strdup("(Title) \\ % <x> \xf0\x9d\x84\x9e مرحبا");
    static const char *const shown[] = {
        "(parens) \\back\\ %percent <angle> [square] {brace} #hash",
        "e\xcc\x81\xcc\x81 combining", /* two acute accents on e */
        "ﬁne ligature fi",             /* U+FB01 and the ligature */
        "مرحبا بالعالم",               /* Arabic, joined */
        "line one\nline two",
    };
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        add_label(s, shown[i], 20, 20 + 50.0 * (double)i, 14);
    /* No font has these: Pango's boxes are not shown; nothing breaks. */
    add_label(s, "\xf3\xa0\x80\x81\xef\xbf\xbe", 20, 300, 14);
    add_label(s, "enormous", 20, 330, 999);
    add_label(s, "tiny", 20, 380, 0.01);
    add_label(s, "microscopic", 20, 390, 0.0001); /* under 0.0005 pt */
    char *dir = evm_test_temp_dir("evm-pdf-test");
    char *pdf = render_pdf(s, EVM_PDF_NATIVE, dir, "hostile.pdf");
    assert_qpdf_check(pdf);
    char *text = pdftotext(pdf);
    static const char *const back[] = {
        "(parens) \\back\\ %percent <angle> [square] {brace} #hash",
        "combining", "ligature", "line one", "line two"};
    for (size_t i = 0; i < sizeof back / sizeof back[0]; i++)
        if (count_of(text, back[i]) != 1)
            fail_msg("pdftotext lacks \"%s\" once:\n%s", back[i], text);
    /* The ligature glyph gives back its two letters. */
    assert_true(count_of(text, "fine ligature") + count_of(text, "ﬁne") == 1);
    if (evm_test_have_tool("pdfinfo")) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "pdfinfo -enc UTF-8 '%s'", pdf);
        char *info = evm_test_run(cmd);
        assert_non_null(info);
        assert_non_null(
            strstr(info, "(Title) \\ % <x> \xf0\x9d\x84\x9e مرحبا\n"));
        free(info);
    }
    free(text);
    free(pdf);
    evm_test_remove_dir(dir);
    evm_scene_destroy(s);
}

/* ---- the picture ---- */

/* The pictures are compared by the blurred-difference measure of
 * testutil.h, as the SVG tests compare theirs. */

/* Rasterises a PDF at dpi with pdftocairo or pdftoppm into dir/name.png
 * and decodes it. */
static void rasterize(const char *tool, const char *pdf, double dpi,
                      const char *dir, const char *name, evm_test_image_t *img)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "%s -r %g -png -singlefile '%s' '%s/%s' 2>/dev/null", tool, dpi,
             pdf, dir, name);
    assert_int_equal(system(cmd), 0);
    char pngname[128];
    snprintf(pngname, sizeof pngname, "%s.png", name);
    char *png = evm_test_path(dir, pngname);
    evm_test_png_decode_file(png, img);
    free(png);
}

/* The reference picture and the rasteriser the PDF is compared by. */
typedef struct pdf_picture {
    const evm_test_image_t *ref;
    const char *tool; /* pdftocairo or pdftoppm */
    const char *dir;
} pdf_picture_t;

/* An evm_test_picture_fn: the scene as a native PDF, rasterised by the
 * tool, against the reference. */
static evm_test_picture_diff_t pdf_picture(const evm_scene_t *s,
                                           const char *name, void *closure)
{
    const pdf_picture_t *pic = closure;
    char pdfname[128];
    snprintf(pdfname, sizeof pdfname, "%s.pdf", name);
    char *pdf = render_pdf(s, EVM_PDF_NATIVE, pic->dir, pdfname);
    evm_test_image_t img;
    rasterize(pic->tool, pdf, s->dpi, pic->dir, name, &img);
    evm_test_picture_diff_t d = evm_test_picture_diff(pic->ref, &img);
    print_message("%s by %s: %.4f%% of pixels differ by more than %d, mean "
                  "difference %.3f\n",
                  name, pic->tool, 100 * d.fraction, EVM_TEST_PICTURE_TOL,
                  d.mean);
    evm_test_image_free(&img);
    free(pdf);
    return d;
}

/* The native PDF of a scene against a reference picture by one
 * rasteriser: similar as it is, and not similar with the labels moved by
 * 1.5 px or without the land layer. */
static void check_against(evm_scene_t *s, const char *tool,
                          const evm_test_image_t *ref, const char *dir,
                          const char *what)
{
    pdf_picture_t pic = {ref, tool, dir};
    char name[128];
    snprintf(name, sizeof name, "%s-%s", what, tool);
    evm_test_assert_picture_matches(s, name, pdf_picture, &pic);
}

/* The largest channel difference of two images at the pixel of p. */
static int pixel_diff(const evm_test_image_t *a, const evm_test_image_t *b,
                      evm_point_t p)
{
    unsigned x = (unsigned)p.x, y = (unsigned)p.y;
    const unsigned char *pa = evm_test_pixel(a, x, y);
    const unsigned char *pb = evm_test_pixel(b, x, y);
    int d = 0;
    for (int c = 0; c < 3; c++)
        d = abs(pa[c] - pb[c]) > d ? abs(pa[c] - pb[c]) : d;
    return d;
}

/* The event markers, too few pixels to move the whole-picture figures:
 * at each marker's centre the PDF shows the PNG's colour, and without
 * the markers layer it would not. */
static void check_markers(evm_scene_t *s, const evm_test_image_t *ref,
                          const char *dir)
{
    evm_layer_t *events = &s->layers[EVM_LAYER_EVENTS];
    assert_true(events->n_items > 0);
    for (int pass = 0; pass < 2; pass++) {
        size_t n = events->n_items;
        if (pass == 1)
            events->n_items = 0;
        char *pdf = render_pdf(s, EVM_PDF_NATIVE, dir, "markers.pdf");
        evm_test_image_t img;
        rasterize("pdftocairo", pdf, s->dpi, dir, "markers", &img);
        events->n_items = n;
        int worst = 0;
        for (size_t i = 0; i < n; i++) {
            const evm_item_t *it = &events->items[i];
            if (it->kind != EVM_ITEM_CIRCLE || it->center.x < 0 ||
                it->center.y < 0 || it->center.x >= ref->width ||
                it->center.y >= ref->height)
                continue;
            /* A centre under a later marker's rim (Vladivostok under
             * Dunai port) shows that marker's antialiased edge. */
            bool covered = false;
            for (size_t k = i + 1; k < n && !covered; k++)
                covered = events->items[k].kind == EVM_ITEM_CIRCLE &&
                          hypot(events->items[k].center.x - it->center.x,
                                events->items[k].center.y - it->center.y) <
                              events->items[k].r_px +
                                  events->items[k].style.stroke_px;
            if (covered)
                continue;
            int d = pixel_diff(ref, &img, it->center);
            worst = d > worst ? d : worst;
        }
        if (pass == 0 && worst > 24)
            fail_msg("a marker's centre differs by %d of 255", worst);
        if (pass == 1 && worst < 64)
            fail_msg("markers missing, yet their centres differ by %d only",
                     worst);
        evm_test_image_free(&img);
        free(pdf);
    }
}

/* Two references: the cairo PNG, against pdftocairo's rendering (cairo
 * draws both, so they agree as closely as the SVG tests' renderers do);
 * and, when by_poppler is set, cairo's own PDF engine rendered by
 * pdftoppm, against pdftoppm's rendering (poppler's Splash draws text
 * some 0.6 % of pixels bolder than cairo, for cairo's PDF as for ours, so
 * it is compared with itself). cairo 1.16's PDF engine leaks 768 bytes
 * per CJK font it subsets, which the sanitizer build would report, so the
 * Korean map is compared with the PNG only. */
static void compare_pictures(const evm_test_map_t *m, const char *example,
                             double w, double h, double dpi, const char *title,
                             bool by_poppler)
{
    evm_events_t *ev = evm_test_load_example(example);
    evm_scene_t *s = evm_test_layout_page(m, ev, w, h, dpi, title);
    char what[96];
    snprintf(what, sizeof what, "%s-%gdpi", example, dpi);
    char *dir = evm_test_temp_dir("evm-pdf-test");
    evm_test_image_t ref;
    evm_test_render_png(s, &ref);
    check_against(s, "pdftocairo", &ref, dir, what);
    check_markers(s, &ref, dir);
    evm_test_image_free(&ref);
    if (by_poppler) {
        char *cairo_pdf = render_pdf(s, EVM_PDF_CAIRO, dir, "cairo.pdf");
        rasterize("pdftoppm", cairo_pdf, s->dpi, dir, "cairo", &ref);
        check_against(s, "pdftoppm", &ref, dir, what);
        evm_test_image_free(&ref);
        free(cairo_pdf);
    }
    evm_test_remove_dir(dir);
    evm_scene_destroy(s);
    evm_events_destroy(ev);
}

/* The darkness of an image: the sum over pixels of 255 less the green
 * channel, in units of a fully black pixel. */
static double ink(const evm_test_image_t *img)
{
    double sum = 0;
    for (size_t i = 0; i < (size_t)img->width * img->height; i++)
        sum += 255 - img->rgba[4 * i + 1];
    return sum / 255;
}

static double pdf_ink(const evm_scene_t *s, const char *dir, const char *name)
{
    char pdfname[64];
    snprintf(pdfname, sizeof pdfname, "%s.pdf", name);
    char *pdf = render_pdf(s, EVM_PDF_NATIVE, dir, pdfname);
    evm_test_image_t img;
    rasterize("pdftocairo", pdf, s->dpi, dir, name, &img);
    double v = ink(&img);
    evm_test_image_free(&img);
    free(pdf);
    return v;
}

/* A bold label in a family without a bold face, which fontconfig has
 * cairo embolden: the PDF's letters are as dark as the PNG's, within
 * 4 %, where the same label left at normal weight is some 30 % lighter. */
static void test_synthetic_bold(void **state)
{
    (void)state;
    char *fonts = evm_test_run("fc-list 'DejaVu Math TeX Gyre' family");
    bool have = fonts && fonts[0];
    free(fonts);
    if (!need_tool("pdftocairo", "the PDF picture"))
        skip();
    if (!have) {
        print_message("DejaVu Math TeX Gyre (fonts-dejavu-extra) not "
                      "installed: synthetic bold not checked\n");
        skip();
    }
    evm_scene_t *s = NULL;
    assert_int_equal(evm_scene_create(400, 120, 96, &s, NULL), EVM_OK);
    s->background = (evm_rgba_t){1, 1, 1, 1};
    add_label(s, "Bold Hamburg", 10, 20, 40);
    evm_text_t *t = &s->layers[EVM_LAYER_LABELS].items[0].text;
    free(t->font_family);
    t->font_family = strdup("DejaVu Math TeX Gyre");
    t->weight = EVM_WEIGHT_BOLD;
    t->halo_px = 0;
    evm_test_image_t ref;
    evm_test_render_png(s, &ref);
    double want = ink(&ref);
    char *dir = evm_test_temp_dir("evm-pdf-test");
    double bold = pdf_ink(s, dir, "bold");
    t->weight = EVM_WEIGHT_NORMAL;
    double normal = pdf_ink(s, dir, "normal");
    print_message("ink: PNG %.0f, PDF bold %.0f, PDF normal %.0f\n", want, bold,
                  normal);
    assert_true(fabs(bold / want - 1) < 0.04);
    assert_true(normal / want < 0.85);

    /* Runs of an emboldened font and of one that is not, one line with a
     * halo: the stroke changes between runs, outside the TJ arrays. */
    free(t->utf8);
    t->utf8 = strdup("Bold 서울 Hamburg");
    t->weight = EVM_WEIGHT_BOLD;
    t->halo_px = 2;
    char *pdf = render_pdf(s, EVM_PDF_NATIVE, dir, "mixed.pdf");
    if (evm_test_have_tool("qpdf"))
        assert_qpdf_check(pdf);
    if (evm_test_have_tool("pdftotext")) {
        char *text = pdftotext(pdf);
        assert_int_equal(count_of(text, "Bold 서울 Hamburg"), 1);
        free(text);
    }
    free(pdf);
    evm_test_remove_dir(dir);
    evm_test_image_free(&ref);
    evm_scene_destroy(s);
}

/* Circles of 300 radii: the first 256 become forms, the rest are drawn
 * in place, and every one shows where the PNG has it. */
static void test_many_radii(void **state)
{
    (void)state;
    evm_scene_t *s = NULL;
    assert_int_equal(evm_scene_create(600, 400, 96, &s, NULL), EVM_OK);
    s->background = (evm_rgba_t){1, 1, 1, 1};
    for (int i = 0; i < 300; i++) {
        evm_item_t it = {.kind = EVM_ITEM_CIRCLE,
                         .id = "c",
                         .cls = "",
                         .event = -1,
                         .center = {15 + 30.0 * (i % 20), 15 + 26.0 * (i / 20)},
                         .r_px = 4 + 0.03 * i};
        it.style.fill = (evm_rgba_t){0.1, 0.3, 0.8, 1};
        it.style.stroke = (evm_rgba_t){0.9, 0.1, 0.1, 1};
        it.style.stroke_px = 1;
        assert_non_null(evm_scene_add(s, EVM_LAYER_EVENTS, &it));
    }
    evm_test_buffer_t pdf = {0};
    evm_error_t err;
    assert_int_equal(
        evm_render(s, EVM_FORMAT_PDF, evm_test_buffer_write, &pdf, &err),
        EVM_OK);
    check_xref(&pdf);
    size_t forms = 0;
    for (const char *p =
             evm_test_find_bytes(pdf.data, pdf.len, "/Subtype /Form");
         p; p = strstr(p + 1, "/Subtype /Form"))
        forms++;
    assert_int_equal(forms, 256);
    free(pdf.data);
    if (need_tool("pdftocairo", "the PDF picture")) {
        evm_test_image_t ref;
        evm_test_render_png(s, &ref);
        char *dir = evm_test_temp_dir("evm-pdf-test");
        char *path = render_pdf(s, EVM_PDF_NATIVE, dir, "radii.pdf");
        evm_test_image_t img;
        rasterize("pdftocairo", path, 96, dir, "radii", &img);
        const evm_layer_t *ev = &s->layers[EVM_LAYER_EVENTS];
        for (size_t i = 0; i < ev->n_items; i++) {
            const evm_item_t *it = &ev->items[i];
            if (pixel_diff(&ref, &img, it->center) > 24)
                fail_msg("circle %zu differs from the PNG", i);
        }
        assert_true(
            evm_test_picture_similar(evm_test_picture_diff(&ref, &img)));
        evm_test_image_free(&img);
        evm_test_image_free(&ref);
        free(path);
        evm_test_remove_dir(dir);
    }
    evm_scene_destroy(s);
}

static void test_matches_png(void **state)
{
    if (!need_tool("pdftocairo", "the PDF picture") ||
        !need_tool("pdftoppm", "the PDF picture"))
        skip();
    compare_pictures(*state, "korea-russia-2023", 800, 500, 96,
                     "North Korea & Russia", true);
    compare_pictures(*state, "korea-peninsula", 800, 500, 96, "서울 and 평양",
                     false);
    /* Another page size in points: 150 dpi makes a px 0.48 pt. */
    compare_pictures(*state, "korea-russia-2023", 800, 500, 150,
                     "North Korea & Russia", false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_strings_and_names),
        cmocka_unit_test(test_cff_charset),
        cmocka_unit_test(test_embeddable_fonts),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_example_read_back),
        cmocka_unit_test(test_hangul),
        cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_matches_png),
        cmocka_unit_test(test_synthetic_bold),
        cmocka_unit_test(test_many_radii),
    };
    return cmocka_run_group_tests(tests, evm_test_map_setup,
                                  evm_test_map_teardown);
}
