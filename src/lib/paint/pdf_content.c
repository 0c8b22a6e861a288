/* The page's content stream: path operators in points rounded to 0.01 pt,
 * and the graphics state written only where it changes. Colours are in
 * steps of 1/255, as the PNG has them, and alpha goes through a small
 * table of ExtGState resources (PDF has no alpha operator). */
#include "paint/pdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 0.01 pt is 1/7200 inch: far below what any viewer or printer shows,
 * and it keeps the numbers of a map's many vertices short. */
#define EVM_PDF_DECIMALS 2

/* The control-point distance of a quarter circle of radius 1 drawn as a
 * cubic Bézier whose midpoint lies on the circle: 4/3 (sqrt 2 - 1). Its
 * radius is off by at most 0.027 %. */
static const double evm_kappa = 0.5522847498307936;

void evm_pdf_content_init(evm_pdf_content_t *c, double k, double height_pt)
{
    *c = (evm_pdf_content_t){.k = k, .height_pt = height_pt, .gs = -1};
}

void evm_pdf_content_free(evm_pdf_content_t *c)
{
    evm_buf_free(&c->s);
    free(c->alphas);
    c->alphas = NULL;
    free(c->marks);
    c->marks = NULL;
}

void evm_pdf_point(evm_pdf_content_t *c, double x_px, double y_px)
{
    evm_pdf_num_sp(&c->s, x_px * c->k, EVM_PDF_DECIMALS);
    evm_pdf_num_sp(&c->s, c->height_pt - y_px * c->k, EVM_PDF_DECIMALS);
}

void evm_pdf_move_to(evm_pdf_content_t *c, double x_px, double y_px)
{
    evm_pdf_point(c, x_px, y_px);
    evm_buf_puts(&c->s, "m\n");
}

void evm_pdf_line_to(evm_pdf_content_t *c, double x_px, double y_px)
{
    evm_pdf_point(c, x_px, y_px);
    evm_buf_puts(&c->s, "l\n");
}

void evm_pdf_close(evm_pdf_content_t *c)
{
    evm_buf_puts(&c->s, "h\n");
}

void evm_pdf_rect(evm_pdf_content_t *c, double x_px, double y_px, double w_px,
                  double h_px)
{
    /* From the bottom-left corner, with a positive height upwards. */
    evm_pdf_point(c, x_px, y_px + h_px);
    evm_pdf_num_sp(&c->s, w_px * c->k, EVM_PDF_DECIMALS);
    evm_pdf_num_sp(&c->s, h_px * c->k, EVM_PDF_DECIMALS);
    evm_buf_puts(&c->s, "re\n");
}

/* The four arcs of a circle of radius r (pt) around (x, y) (pt), y up,
 * from its rightmost point as cairo_arc goes. */
static void put_circle_pt(evm_buf_t *b, double x, double y, double r)
{
    double q = r * evm_kappa;
    const double pts[4][6] = {
        {x + r, y - q, x + q, y - r, x, y - r},
        {x - q, y - r, x - r, y - q, x - r, y},
        {x - r, y + q, x - q, y + r, x, y + r},
        {x + q, y + r, x + r, y + q, x + r, y},
    };
    evm_pdf_num_sp(b, x + r, EVM_PDF_DECIMALS);
    evm_pdf_num_sp(b, y, EVM_PDF_DECIMALS);
    evm_buf_puts(b, "m\n");
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 6; j++)
            evm_pdf_num_sp(b, pts[i][j], EVM_PDF_DECIMALS);
        evm_buf_puts(b, "c\n");
    }
    evm_buf_puts(b, "h\n");
}

/* Beyond this many radii (proportional symbols, say) circles are drawn
 * in place: a form each would cost as much, and finding them more. */
#define EVM_PDF_MAX_MARKS 256

bool evm_pdf_circle_mark(evm_pdf_content_t *c, double cx, double cy, double r,
                         const char *op)
{
    long long rt = llround(r * c->k * 100);
    long long wt = op[0] == 'f' ? 0 : c->width_ticks;
    double x = cx * c->k, y = c->height_pt - cy * c->k;
    size_t i = 0;
    while (i < c->n_marks &&
           !(c->marks[i].r_ticks == rt && strcmp(c->marks[i].op, op) == 0))
        i++;
    if (i == c->n_marks && c->n_marks == EVM_PDF_MAX_MARKS) {
        put_circle_pt(&c->s, x, y, r * c->k);
        evm_buf_puts(&c->s, op);
        evm_buf_putc(&c->s, '\n');
        return !c->s.nomem;
    }
    if (i == c->n_marks) {
        if (strlen(op) >= sizeof c->marks[0].op ||
            evm_grow((void **)&c->marks, &c->cap_marks, c->n_marks + 1,
                     sizeof *c->marks)) {
            c->s.nomem = true;
            return false;
        }
        evm_pdf_mark_t *m = &c->marks[c->n_marks++];
        *m = (evm_pdf_mark_t){.r_ticks = rt};
        strcpy(m->op, op);
    }
    if (c->marks[i].max_width_ticks < wt)
        c->marks[i].max_width_ticks = wt;
    evm_buf_puts(&c->s, "q 1 0 0 1 ");
    evm_pdf_num_sp(&c->s, x, EVM_PDF_DECIMALS);
    evm_pdf_num_sp(&c->s, y, EVM_PDF_DECIMALS);
    evm_buf_puts(&c->s, "cm /C");
    evm_pdf_uint(&c->s, i);
    evm_buf_puts(&c->s, " Do Q\n");
    return true;
}

void evm_pdf_marks_reserve(evm_pdf_content_t *c, evm_pdf_doc_t *d)
{
    for (size_t i = 0; i < c->n_marks; i++)
        c->marks[i].obj = evm_pdf_doc_reserve(d);
}

void evm_pdf_marks_resources(const evm_pdf_content_t *c, evm_buf_t *b)
{
    evm_buf_puts(b, "<<");
    for (size_t i = 0; i < c->n_marks; i++)
        evm_buf_printf(b, " /C%zu %u 0 R", i, c->marks[i].obj);
    evm_buf_puts(b, " >>");
}

void evm_pdf_marks_write(const evm_pdf_content_t *c, evm_pdf_doc_t *d)
{
    for (size_t i = 0; i < c->n_marks; i++) {
        const evm_pdf_mark_t *m = &c->marks[i];
        double r = (double)m->r_ticks / 100;
        /* The box clips the form: room for the stroke (a circle has no
         * corners to miter) and a point to spare. */
        double e = r + (double)m->max_width_ticks / 100 + 1;
        evm_buf_t body = {0};
        put_circle_pt(&body, 0, 0, r);
        evm_buf_puts(&body, m->op);
        evm_buf_putc(&body, '\n');
        evm_buf_t dict = {0};
        evm_buf_puts(&dict, " /Type /XObject /Subtype /Form /BBox [");
        evm_pdf_num_sp(&dict, -e, EVM_PDF_DECIMALS);
        evm_pdf_num_sp(&dict, -e, EVM_PDF_DECIMALS);
        evm_pdf_num_sp(&dict, e, EVM_PDF_DECIMALS);
        evm_pdf_num(&dict, e, EVM_PDF_DECIMALS);
        evm_buf_puts(&dict, "] /Resources << >>");
        evm_buf_putc(&dict, '\0');
        if (body.nomem || dict.nomem)
            d->out.nomem = true;
        else
            evm_pdf_doc_stream(d, m->obj, (const char *)dict.data, body.data,
                               body.len, false);
        evm_buf_free(&body);
        evm_buf_free(&dict);
    }
}

static unsigned char channel(double v)
{
    if (!(v > 0))
        return 0;
    if (v >= 1)
        return 255;
    return (unsigned char)lround(v * 255);
}

/* Sets colour v with op ("rg\n" or "RG\n") unless *has tells that it is
 * in force as cur already. */
static void put_color(evm_pdf_content_t *c, const evm_rgba_t *v,
                      unsigned char cur[3], bool *has, const char *op)
{
    unsigned char rgb[3] = {channel(v->r), channel(v->g), channel(v->b)};
    if (*has && memcmp(rgb, cur, 3) == 0)
        return;
    for (int i = 0; i < 3; i++)
        evm_pdf_num_sp(&c->s, rgb[i] / 255.0, 3);
    evm_buf_puts(&c->s, op);
    memcpy(cur, rgb, 3);
    *has = true;
}

/* The ExtGState of an alpha pair, adding it when new; -1 when out of
 * memory. */
static int gstate(evm_pdf_content_t *c, unsigned fa, unsigned sa)
{
    for (size_t i = 0; i < c->n_alphas; i++)
        if (c->alphas[i][0] == fa && c->alphas[i][1] == sa)
            return (int)i;
    if (c->n_alphas >= 65536 || evm_grow((void **)&c->alphas, &c->cap_alphas,
                                         c->n_alphas + 1, sizeof *c->alphas))
        return -1;
    c->alphas[c->n_alphas][0] = fa;
    c->alphas[c->n_alphas][1] = sa;
    return (int)c->n_alphas++;
}

bool evm_pdf_set_paint(evm_pdf_content_t *c, const evm_rgba_t *fill,
                       const evm_rgba_t *stroke)
{
    /* A side not painted keeps whatever alpha is in force, so that fills
     * and strokes alternating with one opaque state share it. */
    unsigned fa = fill ? channel(fill->a) : 255;
    unsigned sa = stroke ? channel(stroke->a) : 255;
    if (!fill && c->has_gs)
        fa = c->alphas[c->gs][0];
    if (!stroke && c->has_gs)
        sa = c->alphas[c->gs][1];
    int gs = gstate(c, fa, sa);
    if (gs < 0) {
        c->s.nomem = true;
        return false;
    }
    if (!c->has_gs || c->gs != gs) {
        evm_buf_puts(&c->s, "/G");
        evm_pdf_uint(&c->s, (unsigned)gs);
        evm_buf_puts(&c->s, " gs\n");
        c->gs = gs;
        c->has_gs = true;
    }
    if (fill)
        put_color(c, fill, c->fill, &c->has_fill, "rg\n");
    if (stroke)
        put_color(c, stroke, c->stroke, &c->has_stroke, "RG\n");
    return true;
}

void evm_pdf_set_line(evm_pdf_content_t *c, double width_px, evm_cap cap,
                      evm_join join, const double *dash_px, size_t n_dash)
{
    long long w = llround(width_px * c->k * 100);
    if (w < 1)
        w = 1; /* 0 would be the thinnest line a device can draw */
    if (!c->has_width || c->width_ticks != w) {
        evm_pdf_num_sp(&c->s, (double)w / 100, EVM_PDF_DECIMALS);
        evm_buf_puts(&c->s, "w\n");
        c->width_ticks = w;
        c->has_width = true;
    }
    /* The enums count as PDF's do: butt/round/square, miter/round/bevel. */
    int ic = cap == EVM_CAP_ROUND ? 1 : cap == EVM_CAP_SQUARE ? 2 : 0;
    int ij = join == EVM_JOIN_ROUND ? 1 : join == EVM_JOIN_BEVEL ? 2 : 0;
    if (!c->has_cap || c->cap != ic) {
        evm_buf_printf(&c->s, "%d J\n", ic);
        c->cap = ic;
        c->has_cap = true;
    }
    if (!c->has_join || c->join != ij) {
        evm_buf_printf(&c->s, "%d j\n", ij);
        c->join = ij;
        c->has_join = true;
    }
    if (n_dash > EVM_DASH_MAX)
        n_dash = EVM_DASH_MAX;
    bool same = c->has_dash && c->n_dash == n_dash;
    for (size_t i = 0; same && i < n_dash; i++)
        same = c->dash[i] == dash_px[i];
    if (same)
        return;
    evm_buf_putc(&c->s, '[');
    for (size_t i = 0; i < n_dash; i++) {
        evm_pdf_num(&c->s, dash_px[i] * c->k, EVM_PDF_DECIMALS);
        if (i + 1 < n_dash)
            evm_buf_putc(&c->s, ' ');
        c->dash[i] = dash_px[i];
    }
    evm_buf_puts(&c->s, "] 0 d\n");
    c->n_dash = n_dash;
    c->has_dash = true;
}

void evm_pdf_save(evm_pdf_content_t *c)
{
    evm_buf_puts(&c->s, "q\n");
}

void evm_pdf_restore(evm_pdf_content_t *c)
{
    evm_buf_puts(&c->s, "Q\n");
    c->has_fill = c->has_stroke = c->has_width = c->has_cap = c->has_join =
        c->has_dash = c->has_gs = false;
}

void evm_pdf_content_gstates(const evm_pdf_content_t *c, evm_buf_t *b)
{
    evm_buf_puts(b, "<<");
    for (size_t i = 0; i < c->n_alphas; i++) {
        evm_buf_puts(b, " /G");
        evm_pdf_uint(b, i);
        evm_buf_puts(b, " << /ca ");
        evm_pdf_num(b, c->alphas[i][0] / 255.0, 3);
        evm_buf_puts(b, " /CA ");
        evm_pdf_num(b, c->alphas[i][1] / 255.0, 3);
        evm_buf_puts(b, " >>");
    }
    evm_buf_puts(b, " >>");
}
