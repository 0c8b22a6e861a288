/* Helpers shared by the unit tests: file reading, paths to data, and PNG
 * images (decoding, comparison with a tolerance, golden references). */
#ifndef EVM_TESTUTIL_H
#define EVM_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file; NULL on failure. *len gets its size. Caller frees. */
char *evm_test_read_file(const char *path, size_t *len);

/* Joins dir and name into a new string that the caller frees. */
char *evm_test_path(const char *dir, const char *name);

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

#endif
