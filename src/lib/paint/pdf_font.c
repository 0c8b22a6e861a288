/* Fonts of the native PDF: each HarfBuzz face that text was shaped with
 * becomes a composite (Type0) font with the Identity-H encoding, whose
 * two-byte codes are CIDs, and the glyphs used are embedded as a HarfBuzz
 * subset:
 *
 * - TrueType outlines (glyf) as CIDFontType2 with FontFile2 and
 *   CIDToGIDMap /Identity: the subset keeps glyph ids
 *   (HB_SUBSET_FLAGS_RETAIN_GIDS), and codes are Pango's glyph ids;
 * - CFF outlines (Noto Sans CJK, from a collection: the face index is
 *   HarfBuzz's) as CIDFontType0 with the subset's CFF table as FontFile3
 *   /CIDFontType0C. The viewer finds a CID's glyph through the CFF
 *   charset, which the subset keeps (ISO 32000-1, 9.7.4.2), so codes are
 *   the glyphs' CIDs (pdf_cff.c reads them) and the subset need not keep
 *   glyph ids: kept, the 65,000 empty glyphs of a CJK font cost 100 kB
 *   per font. A name-keyed CFF has no CIDs; its codes are glyph ids,
 *   kept as for TrueType.
 *
 * Widths (/W) are the fonts' own advances, which the text writer assumes
 * when it positions glyphs, and a ToUnicode CMap maps every code to the
 * characters of the cluster Pango shaped it from, so that text copies and
 * searches as it was written. Each font is subset once per document,
 * after the page has been built. */
#include "paint/pdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <hb-ot.h>
#include <hb-subset.h>

/* Objects per font: Type0, CIDFont, descriptor, font file, ToUnicode. */
enum { EVM_PDF_FONT_OBJECTS = 5 };

/* Longest text one glyph may stand for, in UTF-16 units: a cluster of a
 * base and hundreds of combining marks is not worth a longer entry. */
#define EVM_PDF_MAX_GLYPH_TEXT 256

typedef struct font {
    hb_face_t *face;
    hb_font_t *metrics; /* at the em size, for advances */
    unsigned upem;
    bool cff;         /* CFF outlines, else TrueType */
    unsigned *cid_of; /* per glyph id: its CID, in a CID-keyed CFF */
    size_t n_cid;
    GHashTable *text; /* gid + 1 -> its text (units_t) */
    unsigned obj;     /* the first of its EVM_PDF_FONT_OBJECTS */
} font_t;

struct evm_pdf_fonts {
    font_t *fonts;
    size_t n, cap;
    bool unembeddable; /* some text needs a font this writer cannot embed */
};

/* The text a glyph stands for, in UTF-16 as ToUnicode wants it. */
typedef struct units {
    size_t len;
    uint16_t u[];
} units_t;

evm_pdf_fonts_t *evm_pdf_fonts_new(void)
{
    return calloc(1, sizeof(evm_pdf_fonts_t));
}

void evm_pdf_fonts_free(evm_pdf_fonts_t *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        hb_font_destroy(f->fonts[i].metrics);
        free(f->fonts[i].cid_of);
        hb_face_destroy(f->fonts[i].face);
        g_hash_table_destroy(f->fonts[i].text);
    }
    free(f->fonts);
    free(f);
}

static bool has_table(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    bool has = hb_blob_get_length(b) > 0;
    hb_blob_destroy(b);
    return has;
}

/* Whether face has CFF outlines and, when they are CID-keyed, the CID of
 * each glyph. false when the CFF table is malformed or out of memory. */
static bool read_cids(font_t *ft, hb_face_t *face)
{
    hb_blob_t *b = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    unsigned len;
    const char *data = hb_blob_get_data(b, &len);
    bool ok = true, cid_keyed = false;
    ft->cff = data && len > 0;
    if (ft->cff)
        ok = evm_pdf_cff_cids((const unsigned char *)data, len, &cid_keyed,
                              &ft->cid_of, &ft->n_cid);
    hb_blob_destroy(b);
    return ok;
}

int evm_pdf_fonts_add(evm_pdf_fonts_t *f, hb_face_t *face)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->fonts[i].face == face)
            return (int)i;
    if (f->n >= 100000 ||
        evm_grow((void **)&f->fonts, &f->cap, f->n + 1, sizeof *f->fonts))
        return -1;
    font_t *ft = &f->fonts[f->n];
    *ft = (font_t){.face = face};
    if (!read_cids(ft, face) ||
        (!ft->cff && !has_table(face, HB_TAG('g', 'l', 'y', 'f')))) {
        free(ft->cid_of);
        f->unembeddable = true;
        return -2;
    }
    hb_face_reference(face);
    ft->upem = hb_face_get_upem(face);
    if (ft->upem == 0)
        ft->upem = 1000;
    ft->metrics = hb_font_create(face);
    ft->text = g_hash_table_new_full(NULL, NULL, NULL, free);
    return (int)f->n++;
}

bool evm_pdf_fonts_use(evm_pdf_fonts_t *f, int n, unsigned gid,
                       const char *utf8, size_t len)
{
    font_t *ft = &f->fonts[n];
    gpointer key = GUINT_TO_POINTER(gid + 1);
    const units_t *had = g_hash_table_lookup(ft->text, key);
    /* A glyph first seen inside a cluster takes the text it has when it
     * later starts one. */
    if (had && (had->len > 0 || len == 0))
        return true;
    /* At most two units per character, and never more than the cap. */
    size_t cap = 2 * (size_t)g_utf8_strlen(utf8, (gssize)len);
    if (cap > EVM_PDF_MAX_GLYPH_TEXT)
        cap = EVM_PDF_MAX_GLYPH_TEXT;
    units_t *t = malloc(sizeof *t + cap * sizeof t->u[0]);
    if (!t)
        return false;
    t->len = 0;
    for (const char *p = utf8; p < utf8 + len && t->len + 2 <= cap;
         p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x10000) {
            t->u[t->len++] = (uint16_t)c;
        } else {
            c -= 0x10000;
            t->u[t->len++] = (uint16_t)(0xD800 + (c >> 10));
            t->u[t->len++] = (uint16_t)(0xDC00 + (c & 0x3FF));
        }
    }
    g_hash_table_insert(ft->text, key, t);
    return true;
}

unsigned evm_pdf_fonts_code(const evm_pdf_fonts_t *f, int n, unsigned gid)
{
    const font_t *ft = &f->fonts[n];
    if (!ft->cid_of)
        return gid;
    /* A glyph id beyond the CFF's glyphs shows .notdef, CID 0. */
    return gid < ft->n_cid ? ft->cid_of[gid] : 0;
}

double evm_pdf_fonts_advance(evm_pdf_fonts_t *f, int n, unsigned gid)
{
    const font_t *ft = &f->fonts[n];
    double w =
        (double)hb_font_get_glyph_h_advance(ft->metrics, gid) * 1000 / ft->upem;
    /* As /W writes it: the viewer moves by what it reads. */
    return round(w * 100) / 100;
}

void evm_pdf_fonts_set_unembeddable(evm_pdf_fonts_t *f)
{
    f->unembeddable = true;
}

bool evm_pdf_fonts_unembeddable(const evm_pdf_fonts_t *f)
{
    return f->unembeddable;
}

size_t evm_pdf_fonts_count(const evm_pdf_fonts_t *f)
{
    return f->n;
}

void evm_pdf_fonts_reserve(evm_pdf_fonts_t *f, evm_pdf_doc_t *d)
{
    for (size_t i = 0; i < f->n; i++) {
        f->fonts[i].obj = evm_pdf_doc_reserve(d);
        for (int k = 1; k < EVM_PDF_FONT_OBJECTS; k++)
            evm_pdf_doc_reserve(d);
    }
}

unsigned evm_pdf_fonts_object(const evm_pdf_fonts_t *f, int n)
{
    return f->fonts[n].obj;
}

/* A glyph used, and its code. */
typedef struct glyph {
    unsigned code, gid;
} glyph_t;

static int cmp_code(const void *a, const void *b)
{
    const glyph_t *x = a, *y = b;
    if (x->code != y->code)
        return (x->code > y->code) - (x->code < y->code);
    return (x->gid > y->gid) - (x->gid < y->gid);
}

/* The glyphs used, by code; NULL when out of memory. */
static glyph_t *sorted_glyphs(const evm_pdf_fonts_t *f, int font, size_t *n)
{
    const font_t *ft = &f->fonts[font];
    *n = g_hash_table_size(ft->text);
    glyph_t *g = evm_alloc_array(*n ? *n : 1, sizeof *g);
    if (!g)
        return NULL;
    GHashTableIter it;
    gpointer key;
    size_t i = 0;
    g_hash_table_iter_init(&it, ft->text);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        g[i].gid = GPOINTER_TO_UINT(key) - 1;
        g[i].code = evm_pdf_fonts_code(f, font, g[i].gid);
        i++;
    }
    qsort(g, *n, sizeof *g, cmp_code);
    return g;
}

/* The font's PostScript name with a subset tag, "ABCDEF+NotoSans-Bold":
 * six capitals from a hash of the name and glyphs, so that two subsets of
 * one font differ and the same map gives the same name every time. */
static void base_font_name(const font_t *ft, const glyph_t *glyphs, size_t n,
                           size_t index, char out[80])
{
    char ps[64];
    unsigned len = sizeof ps;
    if (hb_ot_name_get_utf8(ft->face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
                            HB_LANGUAGE_INVALID, &len, ps) == 0)
        ps[0] = '\0';
    /* PostScript names are printable ASCII; keep them so. */
    size_t k = 0;
    for (size_t i = 0; ps[i] && k < sizeof ps - 1; i++) {
        unsigned char c = (unsigned char)ps[i];
        if (c > ' ' && c < 0x7f && !strchr("[](){}<>/%#", c))
            ps[k++] = (char)c;
    }
    ps[k] = '\0';
    if (!ps[0])
        snprintf(ps, sizeof ps, "Font%zu", index);
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *p = ps; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ glyphs[i].gid) * 16777619u;
    for (int i = 0; i < 6; i++) {
        out[i] = (char)('A' + h % 26);
        h = h / 26 + (uint32_t)i * 7919u;
    }
    out[6] = '+';
    snprintf(out + 7, 73, "%s", ps);
}

static int16_t be16(const char *p)
{
    return (int16_t)(((unsigned)(unsigned char)p[0] << 8) |
                     (unsigned char)p[1]);
}

/* Font units to thousandths of the em. */
static double em(const font_t *ft, double v)
{
    return v * 1000 / ft->upem;
}

static void write_descriptor(evm_pdf_doc_t *d, const font_t *ft,
                             const char *name, bool cff)
{
    double bbox[4] = {0, 0, 0, 0};
    hb_blob_t *head =
        hb_face_reference_table(ft->face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned len;
    const char *h = hb_blob_get_data(head, &len);
    if (len >= 44)
        for (int i = 0; i < 4; i++)
            bbox[i] = em(ft, be16(h + 36 + 2 * i));
    hb_blob_destroy(head);
    hb_position_t asc = 0, desc = 0, cap = 0;
    hb_ot_metrics_get_position_with_fallback(
        ft->metrics, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &asc);
    hb_ot_metrics_get_position_with_fallback(
        ft->metrics, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &desc);
    hb_ot_metrics_get_position_with_fallback(
        ft->metrics, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap);
    float slant = hb_style_get_value(ft->metrics, HB_STYLE_TAG_SLANT_ANGLE);

    evm_buf_t *b = evm_pdf_doc_begin(d, ft->obj + 2);
    evm_buf_puts(b, "<< /Type /FontDescriptor /FontName ");
    evm_pdf_name(b, name);
    /* Symbolic (bit 3): the glyphs are addressed by id, not by a
     * standard character set. */
    evm_buf_puts(b, " /Flags 4 /FontBBox [");
    for (int i = 0; i < 4; i++)
        evm_pdf_num_sp(b, bbox[i], 0);
    evm_buf_puts(b, "] /ItalicAngle ");
    evm_pdf_num(b, isfinite(slant) ? slant : 0, 2);
    evm_buf_puts(b, " /Ascent ");
    evm_pdf_num(b, em(ft, asc), 0);
    evm_buf_puts(b, " /Descent ");
    evm_pdf_num(b, em(ft, desc), 0);
    evm_buf_puts(b, " /CapHeight ");
    evm_pdf_num(b, em(ft, cap ? cap : asc), 0);
    /* Required, but no font format records it; 80 is a regular stem. */
    evm_buf_puts(b, " /StemV 80 ");
    evm_buf_puts(b, cff ? "/FontFile3 " : "/FontFile2 ");
    evm_pdf_uint(b, ft->obj + 3);
    evm_buf_puts(b, " 0 R >>");
    evm_pdf_doc_end(d);
}

/* Widths by code, in runs of consecutive codes: "c [w1 w2 ...]". Two
 * glyphs of one code (malformed CIDs) share the first one's width. */
static void write_widths(evm_buf_t *b, evm_pdf_fonts_t *f, int n,
                         const glyph_t *g, size_t count)
{
    evm_buf_puts(b, " /W [");
    for (size_t i = 0; i < count;) {
        size_t j = i + 1;
        while (j < count && g[j].code <= g[j - 1].code + 1)
            j++;
        evm_pdf_uint(b, g[i].code);
        evm_buf_puts(b, " [");
        for (size_t k = i; k < j; k++) {
            if (k > i && g[k].code == g[k - 1].code)
                continue;
            if (k > i)
                evm_buf_putc(b, ' ');
            evm_pdf_num(b, evm_pdf_fonts_advance(f, n, g[k].gid), 2);
        }
        evm_buf_puts(b, "]");
        i = j;
        if (i < count)
            evm_buf_putc(b, ' ');
    }
    evm_buf_puts(b, "]");
}

static void put_hex4(evm_buf_t *b, unsigned u)
{
    static const char hex[] = "0123456789ABCDEF";
    char h[4] = {hex[(u >> 12) & 15], hex[(u >> 8) & 15], hex[(u >> 4) & 15],
                 hex[u & 15]};
    evm_buf_put(b, h, 4);
}

/* The ToUnicode CMap (Adobe technical note 5411), bfchar entries in
 * blocks of at most 100 as the CMap format limits them. */
static void write_to_unicode(evm_pdf_doc_t *d, const font_t *ft,
                             const glyph_t *g, size_t count)
{
    evm_buf_t m = {0};
    evm_buf_puts(&m, "/CIDInit /ProcSet findresource begin\n"
                     "12 dict begin\nbegincmap\n"
                     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                     "/Supplement 0 >> def\n"
                     "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                     "1 begincodespacerange\n<0000> <FFFF>\n"
                     "endcodespacerange\n");
    size_t i = 0;
    while (i < count) {
        /* Glyphs with no text of their own are left out. */
        const glyph_t *block[100];
        size_t nb = 0;
        for (; i < count && nb < 100; i++) {
            const units_t *u =
                g_hash_table_lookup(ft->text, GUINT_TO_POINTER(g[i].gid + 1));
            if (u && u->len && !(i > 0 && g[i].code == g[i - 1].code))
                block[nb++] = &g[i];
        }
        if (nb == 0)
            continue;
        evm_buf_printf(&m, "%zu beginbfchar\n", nb);
        for (size_t k = 0; k < nb; k++) {
            const units_t *u = g_hash_table_lookup(
                ft->text, GUINT_TO_POINTER(block[k]->gid + 1));
            evm_buf_putc(&m, '<');
            put_hex4(&m, block[k]->code);
            evm_buf_puts(&m, "> <");
            for (size_t q = 0; q < u->len; q++)
                put_hex4(&m, u->u[q]);
            evm_buf_puts(&m, ">\n");
        }
        evm_buf_puts(&m, "endbfchar\n");
    }
    evm_buf_puts(&m, "endcmap\nCMapName currentdict /CMap defineresource "
                     "pop\nend\nend\n");
    if (m.nomem)
        d->out.nomem = true;
    else
        evm_pdf_doc_stream(d, ft->obj + 4, "", m.data, m.len, true);
    evm_buf_free(&m);
}

/* The subset face of the glyphs used, glyph ids kept when retain is set;
 * NULL on failure. */
static hb_face_t *subset(const font_t *ft, const glyph_t *g, size_t count,
                         bool retain)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    hb_set_add(glyphs, 0); /* .notdef, which every font must have */
    for (size_t i = 0; i < count; i++)
        hb_set_add(glyphs, g[i].gid);
    /* Tables a PDF viewer never reads: shaping is done, and colour or
     * bitmap glyphs are not what cairo draws either. */
    static const char drop[][5] = {
        "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "DSIG", "VORG",
        "vhea", "vmtx", "COLR", "CPAL", "SVG ", "sbix", "CBDT", "CBLC", "EBDT",
        "EBLC", "EBSC", "hdmx", "LTSH", "VDMX", "STAT", "meta", "MVAR", "cmap",
    };
    hb_set_t *tables = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        hb_set_add(tables, hb_tag_from_string(drop[i], 4));
    /* The page is drawn unhinted, as the PNG is. */
    unsigned flags = HB_SUBSET_FLAGS_NO_HINTING;
    if (retain)
        flags |= HB_SUBSET_FLAGS_RETAIN_GIDS;
    if (ft->cff) {
        /* Only the CFF table is embedded: the rest need not be made.
         * Without subroutines the few glyphs of a label come out smaller
         * than with the subset's share of them. */
        hb_tag_t tags[64];
        for (unsigned at = 0, n = 64; n == 64; at += n) {
            n = 64;
            hb_face_get_table_tags(ft->face, at, &n, tags);
            for (unsigned i = 0; i < n; i++)
                if (tags[i] != HB_TAG('C', 'F', 'F', ' '))
                    hb_set_add(tables, tags[i]);
        }
        flags |= HB_SUBSET_FLAGS_DESUBROUTINIZE;
    }
    hb_subset_input_set_flags(in, flags);
    hb_face_t *out = hb_subset_or_fail(ft->face, in);
    hb_subset_input_destroy(in);
    return out;
}

static evm_status write_font(evm_pdf_fonts_t *f, int n, evm_pdf_doc_t *d,
                             evm_error_t *err)
{
    const font_t *ft = &f->fonts[n];
    size_t count;
    glyph_t *gids = sorted_glyphs(f, n, &count);
    if (!gids)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory embedding a font");
    char name[80];
    base_font_name(ft, gids, count, (size_t)n, name);
    bool cff = ft->cff;
    hb_face_t *sub = subset(ft, gids, count, !ft->cid_of);
    hb_blob_t *blob =
        !sub  ? NULL
        : cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '))
              : hb_face_reference_blob(sub);
    unsigned len = 0;
    const char *data = blob ? hb_blob_get_data(blob, &len) : NULL;
    if (!data || len == 0) {
        hb_blob_destroy(blob);
        hb_face_destroy(sub);
        free(gids);
        return evm_error_set(err, EVM_ERR_RENDER, NULL, 0, 0,
                             "HarfBuzz could not subset font %s", name + 7);
    }

    evm_buf_t *b = evm_pdf_doc_begin(d, ft->obj);
    evm_buf_puts(b, "<< /Type /Font /Subtype /Type0 /BaseFont ");
    /* ISO 32000-1, 9.7.6.1: a Type0 font over a CIDFontType0 is named
     * after the font and the CMap. */
    char type0[96];
    snprintf(type0, sizeof type0, cff ? "%s-Identity-H" : "%s", name);
    evm_pdf_name(b, type0);
    evm_buf_printf(b,
                   " /Encoding /Identity-H /DescendantFonts [%u 0 R] "
                   "/ToUnicode %u 0 R >>",
                   ft->obj + 1, ft->obj + 4);
    evm_pdf_doc_end(d);

    b = evm_pdf_doc_begin(d, ft->obj + 1);
    evm_buf_puts(b, cff ? "<< /Type /Font /Subtype /CIDFontType0 /BaseFont "
                        : "<< /Type /Font /Subtype /CIDFontType2 /BaseFont ");
    evm_pdf_name(b, name);
    evm_buf_printf(b,
                   " /CIDSystemInfo << /Registry (Adobe) /Ordering "
                   "(Identity) /Supplement 0 >> /FontDescriptor %u 0 R",
                   ft->obj + 2);
    write_widths(b, f, n, gids, count);
    if (!cff)
        evm_buf_puts(b, " /CIDToGIDMap /Identity");
    evm_buf_puts(b, " >>");
    evm_pdf_doc_end(d);

    write_descriptor(d, ft, name, cff);
    /* A TrueType program states its length before compression. */
    char extra[64] = " /Subtype /CIDFontType0C";
    if (!cff)
        snprintf(extra, sizeof extra, " /Length1 %u", len);
    evm_pdf_doc_stream(d, ft->obj + 3, extra, (const unsigned char *)data, len,
                       true);
    write_to_unicode(d, ft, gids, count);

    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    free(gids);
    return EVM_OK;
}

evm_status evm_pdf_fonts_write(evm_pdf_fonts_t *f, evm_pdf_doc_t *d,
                               evm_error_t *err)
{
    for (size_t i = 0; i < f->n; i++) {
        evm_status st = write_font(f, (int)i, d, err);
        if (st != EVM_OK)
            return st;
    }
    return EVM_OK;
}
