/* One line of text measured with Pango, which starts fontconfig: the text
 * floor that pango_text.c and proj_and_pango.c time. Returns the line's
 * width in px. */
#include <pango/pangocairo.h>
static int measure_one_line(void)
{
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    PangoContext *pc = pango_font_map_create_context(fm);
    PangoLayout *l = pango_layout_new(pc);
    PangoFontDescription *d =
        pango_font_description_from_string("Noto Sans 14");
    pango_layout_set_font_description(l, d);
    pango_layout_set_text(l, "North Korea and Russia", -1);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    return w;
}
