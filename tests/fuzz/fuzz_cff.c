/* Fuzz target for the CID reader of the native PDF writer
 * (src/lib/paint/pdf_cff.c), which hands the CFF table of every font a
 * label uses to FreeType and reads each glyph's CID back: no read outside
 * the table, and when it succeeds a CID for each glyph, .notdef's 0, at
 * most 65,535 glyphs as a CFF INDEX counts.
 *
 * Built with -DEVM_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer
 * target; otherwise replay.c's main() runs it over the files named on
 * the command line, so the corpus (tests/data/cff) also runs as an
 * ordinary test under gcc. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paint/pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    if (evm_pdf_cff_cids(copy, size, &cid_keyed, &cids, &n)) {
        if (cids && (!cid_keyed || n < 1 || n > 65535 || cids[0] != 0))
            abort();
        if (!cids && (cid_keyed || n != 0))
            abort();
    } else if (cids) {
        abort();
    }
    free(cids);
    free(copy);
    return 0;
}
