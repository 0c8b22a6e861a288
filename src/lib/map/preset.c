/* Presets: a page size, dpi and type scale for where a map will appear.
 * Sizes and dpi set explicitly win over the preset's (docs/cli.md). */
#include "map/preset.h"

#include "core/option_text.h"

static const struct {
    const char *name;
    evm_preset preset;
    double width_px, height_px, dpi, type_scale;
} presets[] = {
    {"web", EVM_PRESET_WEB, 1600, 1000, 96, 1.0},
    /* A newspaper's 800 px column: type a third larger to stay legible. */
    {"column", EVM_PRESET_COLUMN, 800, 600, 96, 1.3},
    /* 8 x 5.33 in at 300 dpi: the points are physical points. */
    {"print", EVM_PRESET_PRINT, 2400, 1600, 300, 1.0},
    /* 16:9, as feeds show a shared image; read on a phone. */
    {"social", EVM_PRESET_SOCIAL, 1200, 675, 96, 1.4},
};

#define N_PRESETS (sizeof presets / sizeof presets[0])

bool evm_preset_parse(const char *text, evm_preset *out)
{
    for (size_t i = 0; text && i < N_PRESETS; i++)
        if (evm_option_key_is(text, presets[i].name)) {
            *out = presets[i].preset;
            return true;
        }
    return false;
}

double evm_preset_apply(evm_map_options_t *opt)
{
    for (size_t i = 0; i < N_PRESETS; i++) {
        if (presets[i].preset != opt->preset)
            continue;
        if (!opt->has_size) {
            opt->width_px = presets[i].width_px;
            opt->height_px = presets[i].height_px;
            opt->has_size = true;
        }
        if (!opt->has_dpi)
            opt->dpi = presets[i].dpi;
        return presets[i].type_scale;
    }
    return 1.0;
}
