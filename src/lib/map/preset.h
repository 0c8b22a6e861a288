/* Presets: a page size, dpi and type scale for where a map will appear. */
#ifndef EVM_MAP_PRESET_H
#define EVM_MAP_PRESET_H

#include <evmap/map.h>

/* The preset named text (web, column, print, social; ASCII case
 * ignored); false when there is none of that name. */
bool evm_preset_parse(const char *text, evm_preset *out);

/* Applies opt->preset to opt: the page size unless has_size, the dpi
 * unless has_dpi. Returns the type scale (1 without a preset). */
double evm_preset_apply(evm_map_options_t *opt);

#endif
