/* Text output shared by the tables `evmap dist` and `evmap routes` print:
 * numbers without printf's locale-dependent decimal point, CSV fields
 * and columns
 * aligned by their width in a terminal. All append to an evm_buf_t,
 * which records running out of memory itself. */
#ifndef EVM_BATCH_TEXT_OUT_H
#define EVM_BATCH_TEXT_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include "batch/ordered.h"
#include "core/text.h"

/* v with `dec` decimals (dec <= 12), '.' as the point; NaN prints as
 * nan_text. */
void evm_out_fixed(evm_buf_t *b, double v, int dec, const char *nan_text);
/* A CSV field, quoted (by libcsv's writer) only when it must be. */
void evm_out_csv(evm_buf_t *b, const char *s);
/* Terminal columns of a UTF-8 string: two for East Asian wide
 * characters, one for others. */
size_t evm_display_width(const char *s);
/* s left- or right-aligned in `width` columns (longer text is not cut). */
void evm_out_left(evm_buf_t *b, const char *s, size_t width);
void evm_out_right(evm_buf_t *b, const char *s, size_t width);

#endif
