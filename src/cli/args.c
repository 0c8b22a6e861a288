/* A small long-option parser: "--name value", "--name=value", "-o value",
 * "--" ends options, "-" alone is a positional argument (stdin/stdout). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "evmap %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'evmap %s --help'.\n", cmd);
}

void cli_print_error(const evm_error_t *err)
{
    char buf[2048];
    evm_error_format(err, buf, sizeof buf);
    fprintf(stderr, "evmap: %s\n", buf);
}

cli_opt_t *cli_find(cli_opt_t *opts, size_t n_opts, const char *name)
{
    for (size_t i = 0; i < n_opts; i++)
        if (strcmp(opts[i].name, name) == 0)
            return &opts[i];
    return NULL;
}

static bool take(const char *cmd, cli_opt_t *o, const char *value)
{
    if (o->repeatable) {
        const char **v = realloc(o->values, (o->n_values + 1) * sizeof *v);
        if (!v) {
            fprintf(stderr, "evmap %s: out of memory\n", cmd);
            return false;
        }
        o->values = v;
        o->values[o->n_values++] = value;
    } else if (o->seen && o->takes_value) {
        cli_usage_error(cmd, "--%s given twice", o->name);
        return false;
    }
    o->seen = true;
    o->value = value;
    return true;
}

bool cli_parse(const char *cmd, int argc, char **argv, cli_opt_t *opts,
               size_t n_opts, const char ***positional, size_t *n_pos)
{
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    if (!pos)
        return false;
    size_t np = 0;
    bool only_pos = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
            pos[np++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        cli_opt_t *o = NULL;
        const char *inline_value = NULL;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (size_t k = 0; k < n_opts && !o; k++)
                if (strlen(opts[k].name) == len &&
                    strncmp(opts[k].name, name, len) == 0)
                    o = &opts[k];
            if (eq)
                inline_value = eq + 1;
        } else if (a[2] == '\0') {
            for (size_t k = 0; k < n_opts && !o; k++)
                if (opts[k].short_name == a[1])
                    o = &opts[k];
        }
        if (!o) {
            cli_usage_error(cmd, "unknown option '%s'", a);
            free(pos);
            return false;
        }
        const char *value = NULL;
        if (o->takes_value) {
            if (inline_value)
                value = inline_value;
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                cli_usage_error(cmd, "option '%s' needs a value", a);
                free(pos);
                return false;
            }
        } else if (inline_value) {
            cli_usage_error(cmd, "option --%s takes no value", o->name);
            free(pos);
            return false;
        }
        if (!take(cmd, o, value)) {
            free(pos);
            return false;
        }
    }
    *positional = pos;
    *n_pos = np;
    return true;
}

void cli_free(cli_opt_t *opts, size_t n_opts, const char **positional)
{
    for (size_t i = 0; i < n_opts; i++)
        free(opts[i].values);
    free(positional);
}

/* The default title: the file name without its extension, with the
 * folder in front when the name alone says little ("events"). */
void cli_default_title(const char *path, char *buf, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        len = (size_t)(dot - base);
    if (base != path && (strncmp(base, "events", len) == 0 ||
                         strncmp(base, "data", len) == 0)) {
        const char *dir_end = base - 1, *dir = dir_end;
        while (dir > path && dir[-1] != '/')
            dir--;
        if (dir < dir_end) {
            snprintf(buf, cap, "%.*s: %.*s", (int)(dir_end - dir), dir,
                     (int)len, base);
            return;
        }
    }
    snprintf(buf, cap, "%.*s", (int)len, base);
}
