/* The CIDs of a CFF font's glyphs, read by FreeType: a CID-keyed CFF
 * numbers its glyphs by CID in the PDF (CIDFontType0 with the Identity
 * encoding), so the writer needs each glyph id's CID. The table comes
 * from a font file; FreeType opens it as a bare CFF font (which its CFF
 * driver supports), so glyph ids are the same as in the OpenType font. */
#include "paint/pdf.h"

#include <stdlib.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_CID_H

bool evm_pdf_cff_cids(const unsigned char *cff, size_t len, bool *cid_keyed,
                      unsigned **cid_of, size_t *n_glyphs)
{
    *cid_keyed = false;
    *cid_of = NULL;
    *n_glyphs = 0;
    FT_Library lib;
    if (len == 0 || len > 0x7fffffff || FT_Init_FreeType(&lib))
        return false;
    FT_Face face = NULL;
    bool ok = FT_New_Memory_Face(lib, cff, (FT_Long)len, 0, &face) == 0;
    FT_Bool is_cid = 0;
    if (ok && FT_Get_CID_Is_Internally_CID_Keyed(face, &is_cid))
        ok = false;
    if (ok && is_cid) {
        /* A bare CID-keyed CFF counts its CIDs in num_glyphs (glyphs
         * are loaded by CID); FreeType refuses the first glyph id past
         * the CharStrings, which ends the table. */
        size_t cap = face->num_glyphs > 0 && face->num_glyphs <= 65535
                         ? (size_t)face->num_glyphs
                         : 65535;
        unsigned *cids = malloc(cap * sizeof *cids);
        size_t n = 0;
        FT_UInt cid;
        while (cids && n < cap &&
               FT_Get_CID_From_Glyph_Index(face, (FT_UInt)n, &cid) == 0)
            cids[n++] = cid;
        ok = cids && n > 0;
        if (!ok)
            free(cids);
        *cid_of = ok ? cids : NULL;
        *n_glyphs = ok ? n : 0;
    }
    *cid_keyed = ok && is_cid;
    if (face)
        FT_Done_Face(face);
    FT_Done_FreeType(lib);
    return ok;
}
