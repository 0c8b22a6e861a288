/* The themes' palettes, each defined once here. Light is the default
 * look; dark is for screens (dark sea and land, light type); print is
 * greyscale-safe (every pair of neighbouring fills differs in lightness,
 * not only in hue) with heavier lines and type. */
#include "map/layout_internal.h"

#define RGB(hex)                                                               \
    {                                                                          \
        ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0,             \
            ((hex)&0xff) / 255.0, 1.0                                          \
    }
#define RGBA(hex, a)                                                           \
    {                                                                          \
        ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0,             \
            ((hex)&0xff) / 255.0, (a)                                          \
    }

static const evm_palette_t palettes[] = {
    [EVM_THEME_LIGHT] = {.page = RGB(0xFFFFFF),
                         .ocean = RGB(0xDCE9F2),
                         .land = RGB(0xF3F0E8),
                         .border = RGB(0x8C8C8C),
                         .coast = RGB(0x6F9AB8),
                         .river = RGBA(0x6F9AB8, 0.8),
                         .disputed_fill = RGBA(0xB07A4F, 0.16),
                         .disputed_line = RGB(0x8C6A55),
                         .graticule = RGBA(0x9A9A9A, 0.5),
                         .text = RGB(0x1F1F1F),
                         .subtle_text = RGB(0x555555),
                         .ink = RGB(0x333333),
                         .panel = RGBA(0xFFFFFF, 0.88),
                         .panel_line = RGB(0xB0B0B0),
                         .marker_outline = RGB(0x1F1F1F),
                         .halo = RGBA(0xFFFFFF, 0.9),
                         .place_text = RGB(0x5A5A5A),
                         .place_dot = RGB(0x6E6E6E),
                         .capital_dot = RGB(0x4A4A4A),
                         .country_text = RGB(0x8A8580),
                         .water_text = RGB(0x4F7FA6),
                         .line_scale = 1.0,
                         .reference_weight = EVM_WEIGHT_NORMAL},
    [EVM_THEME_DARK] = {.page = RGB(0x14181D),
                        .ocean = RGB(0x1B2733),
                        .land = RGB(0x2E3134),
                        .border = RGB(0x6C7075),
                        .coast = RGB(0x4C6C88),
                        .river = RGBA(0x4F7FA6, 0.8),
                        .disputed_fill = RGBA(0xD0A070, 0.18),
                        .disputed_line = RGB(0xC09070),
                        .graticule = RGBA(0x8090A0, 0.35),
                        .text = RGB(0xECECEC),
                        .subtle_text = RGB(0xB0B4B8),
                        .ink = RGB(0xD0D0D0),
                        .panel = RGBA(0x1E2226, 0.9),
                        .panel_line = RGB(0x5A5F66),
                        .marker_outline = RGB(0xE8E8E8),
                        .halo = RGBA(0x1B1E21, 0.85),
                        .place_text = RGB(0xB5B5B5),
                        .place_dot = RGB(0xA0A0A0),
                        .capital_dot = RGB(0xC8C8C8),
                        .country_text = RGB(0x8E9296),
                        .water_text = RGB(0x7FA7C9),
                        .line_scale = 1.0,
                        .reference_weight = EVM_WEIGHT_NORMAL},
    [EVM_THEME_PRINT] = {.page = RGB(0xFFFFFF),
                         .ocean = RGB(0xE4E4E4),
                         .land = RGB(0xFFFFFF),
                         .border = RGB(0x555555),
                         .coast = RGB(0x3C3C3C),
                         .river = RGBA(0x5A5A5A, 0.8),
                         .disputed_fill = RGBA(0x000000, 0.12),
                         .disputed_line = RGB(0x222222),
                         .graticule = RGBA(0x777777, 0.5),
                         .text = RGB(0x000000),
                         .subtle_text = RGB(0x333333),
                         .ink = RGB(0x000000),
                         .panel = RGBA(0xFFFFFF, 0.92),
                         .panel_line = RGB(0x555555),
                         .marker_outline = RGB(0x000000),
                         .halo = RGBA(0xFFFFFF, 0.95),
                         .place_text = RGB(0x333333),
                         .place_dot = RGB(0x333333),
                         .capital_dot = RGB(0x000000),
                         .country_text = RGB(0x555555),
                         .water_text = RGB(0x444444),
                         .line_scale = 1.4,
                         .reference_weight = EVM_WEIGHT_BOLD},
};

const evm_palette_t *evm_theme_palette(evm_theme theme)
{
    return (unsigned)theme < sizeof palettes / sizeof palettes[0]
               ? &palettes[theme]
               : &palettes[EVM_THEME_LIGHT];
}
