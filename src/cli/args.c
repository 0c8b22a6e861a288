/* The option parser, driven by a command's option table (options.c):
 * "--name value", "--name=value", "-o value", "--" ends options, "-"
 * alone is a positional argument (stdin/stdout). Also the messages
 * shared by every command. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Prints prefix and the formatted text on one line of stderr, its
 * control characters made visible (evm_text_escape): text from a file or
 * the command line never reaches the terminal raw. */
static void print_escaped(const char *prefix, const char *fmt, va_list ap)
{
    char raw[4096], shown[4096 * 2];
    vsnprintf(raw, sizeof raw, fmt, ap);
    evm_text_escape(shown, sizeof shown, raw);
    fprintf(stderr, "%s%s\n", prefix, shown);
}

void cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "evmap %s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    print_escaped(prefix, fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'evmap %s --help'.\n", cmd);
}

void cli_message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_escaped("evmap: ", fmt, ap);
    va_end(ap);
}

void cli_print_error(const evm_error_t *err)
{
    char buf[2048];
    evm_error_format(err, buf, sizeof buf);
    fprintf(stderr, "evmap: %s\n", buf);
}

const char *cli_option_key(const cli_option_t *o)
{
    return o->key ? o->key : o->name;
}

bool cli_option_is_cell(const cli_option_t *o)
{
    return (o->flags & CLI_CELL) || o->setter == CLI_MAP ||
           o->setter == CLI_RENDER || o->setter == CLI_LINES;
}

cli_opt_t *cli_find(cli_args_t *args, const char *name)
{
    for (size_t i = 0; i < args->n_opts; i++)
        if (strcmp(args->opts[i].def->name, name) == 0)
            return &args->opts[i];
    /* A name missing from the table is a programming error. */
    fprintf(stderr, "evmap %s: internal error: no option --%s\n",
            args->cmd->name, name);
    abort();
}

const char *cli_one_file(const cli_args_t *args, const char *what)
{
    if (args->n_pos == 1)
        return args->pos[0];
    if (args->n_pos == 0)
        cli_usage_error(args->cmd->name, "missing %s", what);
    else
        cli_usage_error(args->cmd->name, "expected %s only, not %zu arguments",
                        what, args->n_pos);
    return NULL;
}

static bool take(const char *cmd, cli_opt_t *o, const char *value)
{
    if (o->def->flags & CLI_REPEAT) {
        const char **v = realloc(o->values, (o->n_values + 1) * sizeof *v);
        if (!v) {
            fprintf(stderr, "evmap %s: out of memory\n", cmd);
            return false;
        }
        o->values = v;
        o->values[o->n_values++] = value;
    } else if (o->seen && o->def->arg) {
        cli_usage_error(cmd, "--%s given twice", o->def->name);
        return false;
    }
    o->seen = true;
    o->value = value;
    return true;
}

/* One cli_opt_t per row of cmd's table; a name or short name defined
 * twice is refused (a table error, caught by any run of the command). */
static bool make_opts(const cli_command_t *cmd, cli_args_t *args)
{
    size_t n = 0;
    for (const cli_section_t *s = cmd->sections; s->rows; s++)
        n += s->n_rows;
    args->opts = calloc(n ? n : 1, sizeof *args->opts);
    if (!args->opts)
        return false;
    for (const cli_section_t *s = cmd->sections; s->rows; s++)
        for (size_t i = 0; i < s->n_rows; i++) {
            const cli_option_t *d = &s->rows[i];
            for (size_t k = 0; k < args->n_opts; k++)
                if (strcmp(args->opts[k].def->name, d->name) == 0 ||
                    (d->short_name &&
                     args->opts[k].def->short_name == d->short_name)) {
                    fprintf(stderr,
                            "evmap %s: internal error: option --%s defined "
                            "twice\n",
                            cmd->name, d->name);
                    return false;
                }
            args->opts[args->n_opts++].def = d;
        }
    return true;
}

static cli_opt_t *lookup(cli_args_t *args, const char *a)
{
    if (a[1] == '-') {
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        for (size_t k = 0; k < args->n_opts; k++)
            if (strlen(args->opts[k].def->name) == len &&
                strncmp(args->opts[k].def->name, name, len) == 0)
                return &args->opts[k];
    } else if (a[2] == '\0') {
        for (size_t k = 0; k < args->n_opts; k++)
            if (args->opts[k].def->short_name == a[1])
                return &args->opts[k];
    }
    return NULL;
}

static bool parse(const cli_command_t *cmd, int argc, char **argv,
                  cli_args_t *args, int *rc)
{
    memset(args, 0, sizeof *args);
    args->cmd = cmd;
    *rc = EVM_EXIT_USAGE;
    const char **pos = args->pos = calloc((size_t)argc + 1, sizeof *pos);
    if (!pos || !make_opts(cmd, args))
        return false;
    bool only_pos = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        /* "-33.87,151.21" is a place, never an option: no option name
         * starts with a digit or a point. */
        bool number =
            a[0] == '-' && ((a[1] >= '0' && a[1] <= '9') ||
                            (a[1] == '.' && a[2] >= '0' && a[2] <= '9'));
        if (only_pos || a[0] != '-' || strcmp(a, "-") == 0 || number) {
            pos[args->n_pos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        cli_opt_t *o = lookup(args, a);
        if (!o) {
            cli_usage_error(cmd->name, "unknown option '%s'", a);
            return false;
        }
        const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
        const char *value = NULL;
        if (o->def->arg) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                cli_usage_error(cmd->name, "option '%s' needs a value", a);
                return false;
            }
        } else if (eq) {
            cli_usage_error(cmd->name, "option --%s takes no value",
                            o->def->name);
            return false;
        }
        if (!take(cmd->name, o, value))
            return false;
    }
    if (cli_find(args, "help")->seen) {
        cli_print_help(cmd, stdout);
        *rc = EVM_EXIT_OK;
        return false;
    }
    return true;
}

bool cli_parse(const cli_command_t *cmd, int argc, char **argv,
               cli_args_t *args, int *rc)
{
    if (parse(cmd, argc, argv, args, rc))
        return true;
    cli_args_free(args);
    return false;
}

void cli_args_free(cli_args_t *args)
{
    for (size_t i = 0; i < args->n_opts; i++)
        free(args->opts[i].values);
    free(args->opts);
    free(args->pos);
    memset(args, 0, sizeof *args);
}

int cli_set_options(cli_args_t *args, evm_map_options_t *mo,
                    evm_render_options_t *ro)
{
    evm_map_options_t check_mo;
    evm_render_options_t check_ro;
    evm_map_options_init(&check_mo);
    evm_render_options_init(&check_ro);
    for (size_t i = 0; i < args->n_opts; i++) {
        const cli_opt_t *o = &args->opts[i];
        const cli_option_t *d = o->def;
        if (!o->seen || (d->setter != CLI_MAP && d->setter != CLI_RENDER))
            continue;
        const char *v = d->arg ? o->value : "";
        evm_error_t err;
        evm_status st =
            d->setter == CLI_MAP
                ? evm_map_options_set(mo ? mo : &check_mo, cli_option_key(d), v,
                                      &err)
                : evm_render_options_set(ro ? ro : &check_ro, cli_option_key(d),
                                         v, &err);
        if (st) {
            cli_usage_error(args->cmd->name, "--%s", err.message);
            return EVM_EXIT_USAGE;
        }
    }
    return EVM_EXIT_OK;
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
