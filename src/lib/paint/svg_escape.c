/* The native SVG writer's output layer: a 64 KiB buffer in front of the
 * sink (out.c), XML escaping of everything that comes from data, tokens
 * for ids and classes, and coordinates rounded to the document's
 * precision.
 *
 * Numbers are counted in whole multiples ("ticks") of the precision and
 * printed with integer arithmetic, so that relative path commands can be
 * formed from rounded absolute positions without drift, and no locale or
 * printf rounding mode can change a digit. */
#include "paint/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/num.h"
#include "core/text.h"

void evm_svg_out_init(evm_svg_out_t *o, evm_sink_t *sink, double precision_px)
{
    evm_out_init(&o->base, sink, o->buf, sizeof o->buf);
    o->precision_px = precision_px;
    /* The fewest decimals that print every multiple exactly: 0.1 -> 1,
     * 0.25 -> 2, 5 -> 0; a precision with no short decimal (1/3) gets 6. */
    o->decimals = 6;
    for (int d = 0; d <= 6; d++) {
        double m = precision_px * pow(10, d);
        if (fabs(m - round(m)) < 1e-9 * fmax(1, m)) {
            o->decimals = d;
            break;
        }
    }
    o->unit = llround(precision_px * pow(10, o->decimals));
    if (o->unit < 1)
        o->unit = 1;
}

static const char evm_replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

void evm_svg_escaped(evm_svg_out_t *o, const char *utf8, bool attr)
{
    const char *p = utf8 ? utf8 : "", *run = p;
    /* Plain bytes are copied in runs; each special one flushes the run. */
    while (*p) {
        unsigned char c = (unsigned char)*p;
        const char *rep = NULL;
        size_t adv = 1;
        if (c < 0x80) {
            switch (c) {
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;"; /* "]]>" is not allowed in character data */
                break;
            case '&':
                rep = "&amp;";
                break;
            case '"':
                rep = attr ? "&quot;" : NULL;
                break;
            case '\t':
                rep = attr ? "&#9;" : NULL;
                break;
            case '\n':
                rep = attr ? "&#10;" : NULL;
                break;
            case '\r':
                /* A raw CR in content would be read back as LF. */
                rep = "&#13;";
                break;
            default:
                /* XML 1.0 has no way to carry other C0 controls, not even
                 * as references. */
                if (c < 0x20)
                    rep = evm_replacement;
                break;
            }
        } else {
            gunichar u = g_utf8_get_char_validated(p, -1);
            if (u == (gunichar)-1 || u == (gunichar)-2)
                rep = evm_replacement; /* one byte at a time */
            else {
                adv = (size_t)(g_utf8_next_char(p) - p);
                if (u == 0xFFFE || u == 0xFFFF)
                    rep = evm_replacement;
            }
        }
        if (rep) {
            evm_out_write(&o->base, run, (size_t)(p - run));
            evm_out_puts(&o->base, rep);
            p += adv;
            run = p;
        } else {
            p += adv;
        }
    }
    evm_out_write(&o->base, run, (size_t)(p - run));
}

long long evm_svg_ticks(const evm_svg_out_t *o, double v)
{
    if (!(v > -1e9))
        v = -1e9; /* NaN too, though callers drop non-finite points */
    if (v > 1e9)
        v = 1e9;
    return llround(v / o->precision_px);
}

size_t evm_svg_format_ticks(const evm_svg_out_t *o, long long k, char out[40])
{
    /* k * unit is the value times 10^decimals: at most 1e9 px * 1e6. */
    return evm_num_scaled(out, k * o->unit, o->decimals, true);
}

void evm_svg_put_ticks(evm_svg_out_t *o, long long k)
{
    char buf[40];
    evm_out_write(&o->base, buf, evm_svg_format_ticks(o, k, buf));
}

void evm_svg_num(evm_svg_out_t *o, double v)
{
    evm_svg_put_ticks(o, evm_svg_ticks(o, v));
}

bool evm_svg_token(evm_buf_t *s, const char *text, bool lower,
                   const char *fallback)
{
    size_t start = s->len;
    bool dash = false;
    const char *p = text ? text : "";
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x80) {
            p++;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '-' || c == '.' || (c >= 'A' && c <= 'Z')) {
                if (dash)
                    evm_buf_putc(s, '-');
                dash = false;
                evm_buf_putc(
                    s,
                    (char)(lower && c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
            } else {
                dash = s->len > start;
            }
            continue;
        }
        gunichar u = g_utf8_get_char_validated(p, -1);
        if (u == (gunichar)-1 || u == (gunichar)-2) {
            p++;
            dash = s->len > start;
            continue;
        }
        p = g_utf8_next_char(p);
        if (!evm_xml_name_char(u)) {
            dash = s->len > start;
            continue;
        }
        if (dash)
            evm_buf_putc(s, '-');
        dash = false;
        char utf8[6];
        evm_buf_put(s, utf8, (size_t)g_unichar_to_utf8(u, utf8));
    }
    if (s->len > start)
        return true;
    evm_buf_puts(s, fallback);
    return false;
}

static unsigned channel(double v)
{
    if (!(v > 0))
        return 0; /* NaN too */
    if (v >= 1)
        return 255;
    return (unsigned)lround(v * 255);
}

void evm_svg_color(char out[8], const evm_rgba_t *c)
{
    snprintf(out, 8, "#%02x%02x%02x", channel(c->r) & 0xff,
             channel(c->g) & 0xff, channel(c->b) & 0xff);
}
