/* Fuzz target for the font embedding of the native PDF writer
 * (src/lib/paint/pdf_cff.c and pdf_font.c), with the input as the CFF
 * table of a font a label uses:
 *
 * - the CID reader, which hands the table to FreeType and reads each
 *   glyph's CID back: no read outside the table, and when it succeeds a
 *   CID for each glyph, .notdef's 0, at most 65,535 glyphs as a CFF INDEX
 *   counts;
 * - then the whole embedding of that font, as a PDF with text in it
 *   makes it: the table in an OpenType face (with head, maxp and name
 *   tables around it), every glyph recorded with the text it stands for
 *   (none, a letter, a character outside the BMP, a long cluster), each
 *   glyph's code (its CID, .notdef's for a glyph id past the table) and
 *   advance, and the subset, widths array, descriptor, font file and
 *   ToUnicode CMap written into a PDF in memory, which must end as a PDF
 *   does.
 *
 * Built with -DEVM_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer
 * target; otherwise replay.c's main() runs it over the files named on
 * the command line, so the corpus (tests/data/cff) also runs as an
 * ordinary test under gcc. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "paint/pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Glyphs recorded per font: enough for the widths runs, the ToUnicode
 * blocks of 100 and a code past the glyphs. */
enum { MAX_USED = 240 };

/* The glyph count of a CFF table (its CharStrings INDEX), as FreeType
 * reads it; 0 when FreeType refuses the table. */
static unsigned cff_glyph_count(const unsigned char *cff, size_t len)
{
    FT_Library lib;
    if (len == 0 || len > 0x7fffffff || FT_Init_FreeType(&lib))
        return 0;
    FT_Face face = NULL;
    unsigned n = 0;
    if (FT_New_Memory_Face(lib, cff, (FT_Long)len, 0, &face) == 0) {
        n = face->num_glyphs > 0 && face->num_glyphs <= 65535
                ? (unsigned)face->num_glyphs
                : 0;
        FT_Done_Face(face);
    }
    FT_Done_FreeType(lib);
    return n;
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void add_table(hb_face_t *builder, const char *tag,
                      const unsigned char *data, size_t len)
{
    hb_blob_t *b = hb_blob_create((const char *)data, (unsigned)len,
                                  HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_builder_add_table(builder, hb_tag_from_string(tag, 4), b);
    hb_blob_destroy(b);
}

/* An OpenType face around the CFF table: maxp (version 0.5, the CFF
 * kind) with the table's glyph count, head with 1000 units per em and a
 * bounding box, and a name table whose PostScript name has characters a
 * PDF name must not take raw. */
static hb_face_t *face_around(const unsigned char *cff, size_t len,
                              unsigned n_glyphs)
{
    unsigned char maxp[6] = {0x00, 0x00, 0x50, 0x00};
    put16(maxp + 4, n_glyphs);
    unsigned char head[54] = {
        0x00, 0x01, 0x00, 0x00, /* version 1.0 */
        0x00, 0x01, 0x00, 0x00, /* font revision */
        0,    0,    0,    0,    /* checksum adjustment */
        0x5F, 0x0F, 0x3C, 0xF5, /* magic */
        0x00, 0x03,             /* flags */
        0x03, 0xE8,             /* units per em: 1000 */
    };
    /* bbox: -50 -250 950 880 */
    put16(head + 36, (unsigned)(uint16_t)-50);
    put16(head + 38, (unsigned)(uint16_t)-250);
    put16(head + 40, 950);
    put16(head + 42, 880);
    static const char ps[] = "Evm(Fuzz) Sans/#1";
    unsigned char name[6 + 12 + 2 * (sizeof ps - 1)];
    put16(name + 0, 0);      /* format */
    put16(name + 2, 1);      /* one record */
    put16(name + 4, 6 + 12); /* string storage offset */
    put16(name + 6, 3);      /* Windows */
    put16(name + 8, 1);      /* Unicode BMP */
    put16(name + 10, 0x409); /* en-US */
    put16(name + 12, 6);     /* PostScript name */
    put16(name + 14, 2 * (sizeof ps - 1));
    put16(name + 16, 0);
    for (size_t i = 0; i + 1 < sizeof ps; i++)
        put16(name + 18 + 2 * i, (unsigned char)ps[i]);

    hb_face_t *builder = hb_face_builder_create();
    add_table(builder, "CFF ", cff, len);
    add_table(builder, "maxp", maxp, sizeof maxp);
    add_table(builder, "head", head, sizeof head);
    add_table(builder, "name", name, sizeof name);
    /* The builder's tables, as one font file, like a font read from disk. */
    hb_blob_t *font = hb_face_reference_blob(builder);
    hb_face_destroy(builder);
    hb_face_t *face = hb_face_create(font, 0);
    hb_blob_destroy(font);
    return face;
}

static evm_status to_buf(void *closure, const unsigned char *data, size_t len)
{
    evm_buf_put(closure, data, len);
    return ((evm_buf_t *)closure)->nomem ? EVM_ERR_NOMEM : EVM_OK;
}

/* The text glyph i stands for: none (a later glyph of a cluster), a
 * letter, a character outside the BMP (a surrogate pair), a base with
 * many marks (longer than one glyph's text may be). */
static const char *text_of(size_t i, char *scratch, size_t cap)
{
    switch (i % 5) {
    case 0:
        return "A";
    case 1:
        return "";
    case 2:
        return "\xF0\x9D\x84\x9E"; /* U+1D11E */
    case 3: {
        size_t k = 0;
        scratch[k++] = 'e';
        while (k + 2 < cap) {
            scratch[k++] = '\xCC'; /* U+0301 */
            scratch[k++] = '\x81';
        }
        scratch[k] = '\0';
        return scratch;
    }
    default:
        return "\xE4\xB8\xAD"; /* U+4E2D */
    }
}

/* Embeds the font as a PDF in memory and checks what the writer tells. */
static void embed(const unsigned char *cff, size_t len, unsigned n_glyphs,
                  const unsigned *cids, size_t n_cids)
{
    hb_face_t *face = face_around(cff, len, n_glyphs);
    evm_pdf_fonts_t *fonts = evm_pdf_fonts_new();
    if (!fonts) {
        hb_face_destroy(face);
        return;
    }
    int n = evm_pdf_fonts_add(fonts, face);
    if (n >= 0) {
        if (evm_pdf_fonts_add(fonts, face) != n)
            abort(); /* one face, one font */
        char scratch[700];
        size_t used = n_glyphs < MAX_USED ? n_glyphs : MAX_USED;
        /* Glyph ids past the table too: .notdef's code. */
        for (size_t i = 0; i < used + 2; i++) {
            unsigned gid = (unsigned)i;
            if (i == used)
                gid = n_glyphs;
            else if (i == used + 1)
                gid = 65535;
            const char *t = text_of(i, scratch, sizeof scratch);
            /* A glyph first seen inside a cluster, then with text. */
            if (!evm_pdf_fonts_use(fonts, n, gid, "", 0) ||
                !evm_pdf_fonts_use(fonts, n, gid, t, strlen(t)))
                abort();
            unsigned code = evm_pdf_fonts_code(fonts, n, gid);
            if (cids && code != (gid < n_cids ? cids[gid] : 0))
                abort();
            if (!cids && code != gid)
                abort();
            double w = evm_pdf_fonts_advance(fonts, n, gid);
            if (!(w > -1e9 && w < 1e9))
                abort();
        }
        evm_buf_t out = {0};
        evm_sink_t sink = {.write = to_buf, .closure = &out};
        evm_pdf_doc_t doc;
        evm_pdf_doc_init(&doc, &sink);
        evm_pdf_doc_header(&doc);
        evm_pdf_fonts_reserve(fonts, &doc);
        unsigned root = evm_pdf_doc_reserve(&doc);
        unsigned info = evm_pdf_doc_reserve(&doc);
        if (evm_pdf_fonts_object(fonts, n) == 0)
            abort();
        evm_error_t err = {0};
        evm_status st = evm_pdf_fonts_write(fonts, &doc, &err);
        if (st == EVM_OK) {
            evm_buf_t *b = evm_pdf_doc_begin(&doc, root);
            evm_buf_puts(b, "<< /Type /Catalog >>");
            evm_pdf_doc_end(&doc);
            b = evm_pdf_doc_begin(&doc, info);
            evm_buf_puts(b, "<< >>");
            evm_pdf_doc_end(&doc);
            static const unsigned char id[16];
            evm_pdf_doc_finish(&doc, root, info, id);
            static const char eof[] = "%%EOF\n";
            if (evm_pdf_doc_status(&doc) == EVM_OK &&
                (out.len < 16 || memcmp(out.data, "%PDF-", 5) != 0 ||
                 memcmp(out.data + out.len - (sizeof eof - 1), eof,
                        sizeof eof - 1) != 0))
                abort();
        } else if (st != EVM_ERR_RENDER && st != EVM_ERR_NOMEM) {
            abort();
        }
        evm_pdf_doc_free(&doc);
        evm_buf_free(&out);
    } else if (n != -2 || !evm_pdf_fonts_unembeddable(fonts)) {
        abort();
    }
    evm_pdf_fonts_free(fonts);
    hb_face_destroy(face);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so that the sanitizers see any read
     * past the end. */
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    bool cid_keyed = false;
    unsigned *cids = NULL;
    size_t n = 0;
    bool ok = evm_pdf_cff_cids(copy, size, &cid_keyed, &cids, &n);
    if (ok) {
        if (cids && (!cid_keyed || n < 1 || n > 65535 || cids[0] != 0))
            abort();
        if (!cids && (cid_keyed || n != 0))
            abort();
    } else if (cids) {
        abort();
    }
    /* A CID-keyed table counts its CIDs in FreeType's glyph count; its
     * glyphs are the CIDs read. */
    unsigned n_glyphs = cids ? (unsigned)n
                        : ok ? cff_glyph_count(copy, size)
                             : 0;
    if (n_glyphs > 0)
        embed(copy, size, n_glyphs, cids, n);
    free(cids);
    free(copy);
    return 0;
}
