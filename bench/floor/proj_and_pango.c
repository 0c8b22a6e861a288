/* Both floors in one process, as every evmap map needs: a PROJ context
 * and one line of text measured. Nothing is projected or drawn. */
#include <proj.h>
#include <pango/pangocairo.h>
int main(void) {
    PJ_CONTEXT *c = proj_context_create();
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    PangoContext *pc = pango_font_map_create_context(fm);
    PangoLayout *l = pango_layout_new(pc);
    PangoFontDescription *d = pango_font_description_from_string("Noto Sans 14");
    pango_layout_set_font_description(l, d);
    pango_layout_set_text(l, "North Korea and Russia", -1);
    int w, h; pango_layout_get_pixel_size(l, &w, &h);
    proj_context_destroy(c);
    return w > 0 ? 0 : 1;
}
