/* Fuzz target for the CFF reader of the native PDF writer
 * (src/lib/paint/pdf_cff.c), which reads the charset of every CFF font a
 * label uses: no read outside the table, and when it succeeds a CID for
 * each glyph, .notdef's 0, at most 65,535 glyphs as a CFF INDEX counts.
 *
 * Built with -DEVM_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer
 * target; otherwise main() runs it over the files named on the command
 * line, so the corpus (tests/data/cff) also runs as an ordinary test
 * under gcc. */
#include <stdint.h>
#include <stdio.h>
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

#ifndef EVM_LIBFUZZER
int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            fprintf(stderr, "fuzz_cff: cannot open %s\n", argv[i]);
            return 1;
        }
        size_t cap = 1 << 16, n = 0, got;
        uint8_t *buf = malloc(cap);
        while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
            n += got;
            if (n == cap) {
                uint8_t *nb = realloc(buf, cap *= 2);
                if (!nb)
                    free(buf);
                buf = nb;
            }
        }
        fclose(f);
        if (!buf) {
            fprintf(stderr, "fuzz_cff: out of memory on %s\n", argv[i]);
            return 1;
        }
        LLVMFuzzerTestOneInput(buf, n);
        free(buf);
    }
    return 0;
}
#endif
