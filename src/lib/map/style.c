/* Colours. Event kinds take the Okabe-Ito palette, which stays
 * distinguishable for the common forms of colour blindness; yellow comes
 * last because it is weak on a light land fill. */
#include "map/layout_internal.h"

evm_rgba_t evm_rgb_hex(unsigned hex)
{
    return (evm_rgba_t){((hex >> 16) & 0xff) / 255.0,
                        ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0, 1.0};
}

evm_rgba_t evm_kind_color(size_t kind_index)
{
    static const unsigned palette[] = {0xD55E00, 0x0072B2, 0x009E73, 0xCC79A7,
                                       0xE69F00, 0x56B4E9, 0x000000, 0xF0E442};
    return evm_rgb_hex(
        palette[kind_index % (sizeof palette / sizeof palette[0])]);
}
