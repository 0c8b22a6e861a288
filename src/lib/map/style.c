/* Colours from 0xRRGGBB values. The kinds' palette is in kind_style.c. */
#include "map/layout_internal.h"

evm_rgba_t evm_rgb_hex(unsigned hex)
{
    return (evm_rgba_t){((hex >> 16) & 0xff) / 255.0,
                        ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0, 1.0};
}
