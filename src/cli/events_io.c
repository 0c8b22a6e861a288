/* Loading events for a subcommand: CSV options from the command line,
 * rejected rows printed as file:line:column: message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool cli_gazetteer_options(cli_args_t *args, evm_gazetteer_options_t *go)
{
    cli_opt_t *pl = cli_find(args, "places"), *gd = NULL;
    /* --geodata where the command has it (render, batch, dist). */
    for (size_t i = 0; i < args->n_opts; i++)
        if (strcmp(args->opts[i].def->name, "geodata") == 0)
            gd = &args->opts[i];
    evm_gazetteer_options_init(go);
    go->places_path = pl->seen ? pl->value : NULL;
    go->geodata_dir = gd && gd->seen ? gd->value : NULL;
    return cli_find(args, "geocode")->seen || pl->seen;
}

bool cli_csv_options(cli_args_t *args, evm_csv_options_t *o)
{
    static const char *const role_opts[EVM_ROLE_COUNT] = {
        "name-col", "lat-col", "lon-col", "kind-col", "date-col"};
    evm_csv_options_init(o);
    for (int r = 0; r < EVM_ROLE_COUNT; r++) {
        cli_opt_t *c = cli_find(args, role_opts[r]);
        if (c->seen)
            o->role_col[r] = c->value;
    }
    cli_opt_t *d = cli_find(args, "delimiter");
    if (d->seen) {
        const char *v = d->value;
        if (strcmp(v, ",") == 0 || strcmp(v, "comma") == 0)
            o->delimiter = ',';
        else if (strcmp(v, ";") == 0 || strcmp(v, "semicolon") == 0)
            o->delimiter = ';';
        else if (strcmp(v, "\\t") == 0 || strcmp(v, "\t") == 0 ||
                 strcmp(v, "tab") == 0)
            o->delimiter = '\t';
        else if (strcmp(v, "|") == 0 || strcmp(v, "pipe") == 0)
            o->delimiter = '|';
        else {
            cli_message("--delimiter must be ',', ';', '|' or 'tab', not "
                        "'%s'",
                        v);
            return false;
        }
    }
    o->strict = cli_find(args, "strict")->seen;
    cli_opt_t *df = cli_find(args, "date-format");
    if (df->seen)
        o->date_format = df->value;
    cli_opt_t *enc = cli_find(args, "encoding");
    if (enc->seen)
        o->encoding = enc->value;
    if (cli_find(args, "decimal-comma")->seen)
        o->decimal_comma = 1;
    cli_opt_t *w = cli_find(args, "where");
    if (w->seen) {
        o->where = w->values;
        o->n_where = w->n_values;
    }
    cli_opt_t *s = cli_find(args, "since");
    if (s->seen)
        o->since = s->value;
    cli_opt_t *u = cli_find(args, "until");
    if (u->seen)
        o->until = u->value;
    cli_opt_t *cc = cli_find(args, "country");
    if (cc->seen)
        o->country = cc->value;
    /* A batch makes its gazetteer itself, on the first map that needs
     * it (a job may geocode without --geocode); its warnings come from
     * the workers' loads. */
    evm_gazetteer_options_t go;
    if (args->cmd == &cli_cmd_batch)
        o->warn = cli_print_warning;
    else if (cli_gazetteer_options(args, &go)) {
        evm_gazetteer_t *g = NULL;
        evm_error_t err;
        if (evm_gazetteer_create(&go, &g, &err)) {
            cli_print_error(&err);
            return false;
        }
        o->gazetteer = g;
        o->warn = cli_print_warning;
    }
    /* The size limits: each names its option in its message. */
    static const struct {
        const char *name;
        unsigned shift; /* of the unit */
        unsigned long long most;
    } limits[] = {{"max-columns", 0, 100000000ULL},
                  {"max-field-kb", 10, 1ULL << 30},
                  {"max-record-mb", 20, 1ULL << 20}};
    size_t *dest[] = {&o->max_columns, &o->max_field_bytes,
                      &o->max_record_bytes};
    for (size_t i = 0; i < 3; i++) {
        cli_opt_t *c = cli_find(args, limits[i].name);
        if (!c->seen)
            continue;
        char *end;
        unsigned long long v = strtoull(c->value, &end, 10);
        if (end == c->value || *end || v < 1 || v > limits[i].most) {
            cli_message("--%s must be a whole number in 1..%llu, not "
                        "'%s'",
                        limits[i].name, limits[i].most, c->value);
            return false;
        }
        *dest[i] = (size_t)(v << limits[i].shift);
    }
    return cli_max_input_bytes(args) >= 0;
}

long long cli_max_input_bytes(cli_args_t *args)
{
    cli_opt_t *c = cli_find(args, "max-input-mb");
    if (!c->seen)
        return 0;
    char *end;
    unsigned long long v = strtoull(c->value, &end, 10);
    if (end == c->value || *end || v < 1 || v > (1ULL << 20)) {
        cli_message("--max-input-mb must be a whole number in 1..%llu, "
                    "not '%s'",
                    1ULL << 20, c->value);
        return -1;
    }
    return (long long)(v << 20);
}

void cli_csv_options_free(evm_csv_options_t *o)
{
    evm_gazetteer_destroy((evm_gazetteer_t *)o->gazetteer);
    o->gazetteer = NULL;
}

evm_place_lookup_t cli_place_lookup(const evm_csv_options_t *o,
                                    const evm_events_t *ev)
{
    evm_place_lookup_t lk = {.events = ev,
                             .gazetteer = o->gazetteer,
                             .country = o->country,
                             .warn = cli_print_warning};
    return lk;
}

void cli_print_warning(void *closure, const evm_error_t *w)
{
    (void)closure;
    char text[EVM_ERROR_FILE_MAX + EVM_ERROR_MESSAGE_MAX + 64];
    evm_error_format(w, text, sizeof text);
    fprintf(stderr, "evmap: warning: %s\n", text);
}

int cli_load_events(const char *path, const evm_csv_options_t *o,
                    bool skip_invalid, evm_events_t **out)
{
    evm_error_t err;
    evm_events_t *ev = NULL;
    *out = NULL;
    /* "-" is standard input, for every command that reads events. */
    evm_status st = strcmp(path, "-") == 0
                        ? evm_events_load_stream(stdin, "<stdin>", o, &ev, &err)
                        : evm_events_load_file(path, o, &ev, &err);
    if (st) {
        cli_print_error(&err);
        return st == EVM_ERR_INVALID_ARG ? EVM_EXIT_USAGE : EVM_EXIT_DATA;
    }
    size_t bad = evm_events_rejected_count(ev);
    for (size_t i = 0; i < bad; i++)
        cli_print_error(evm_events_rejected(ev, i));
    if (bad && !skip_invalid) {
        cli_message("%zu invalid row%s in %s; nothing written "
                    "(--skip-invalid renders the valid rows)",
                    bad, bad == 1 ? "" : "s", evm_events_source(ev));
        evm_events_destroy(ev);
        return EVM_EXIT_DATA;
    }
    *out = ev;
    return EVM_EXIT_OK;
}

size_t cli_report_omissions(const evm_scene_t *scene, const evm_events_t *ev,
                            bool verbose, bool quiet)
{
    size_t missing = 0, outside = 0, events = 0, room = 0, other = 0;
    size_t lines = 0, undrawn_lines = 0;
    for (size_t i = 0; i < scene->n_omissions; i++) {
        const evm_omission_t *o = &scene->omissions[i];
        if (o->kind == EVM_OMIT_OUTSIDE) {
            outside++;
            continue;
        }
        missing++;
        if (o->kind == EVM_OMIT_LINE) {
            /* A distance line or route leg: always named. */
            undrawn_lines++;
            if (!quiet)
                cli_message("warning: line \"%s\" not drawn: %s", o->text,
                            o->reason);
            continue;
        }
        bool label = o->kind == EVM_OMIT_LABEL;
        if (!label)
            events++;
        else if (o->event < 0)
            lines++;
        else if (strncmp(o->reason, "no room", 7) == 0)
            room++;
        else
            other++;
        /* Every event not drawn; labels with --verbose only. */
        if (label && (quiet || !verbose))
            continue;
        const char *what = label ? "label" : "event";
        if (o->event < 0) { /* a distance line's label */
            cli_message("warning: %s \"%s\" not drawn: %s", what, o->text,
                        o->reason);
            continue;
        }
        const evm_event_t *e = evm_events_get(ev, (size_t)o->event);
        cli_message("%s:%lu: warning: %s \"%s\" not drawn: %s",
                    evm_events_source(ev), e->line, what, o->text, o->reason);
    }
    if (outside)
        cli_message("note: %zu event%s outside the extent not shown", outside,
                    outside == 1 ? "" : "s");
    if (events)
        cli_message("warning: %zu event%s or label%s not drawn", missing,
                    missing == 1 ? "" : "s", missing == 1 ? "" : "s");
    if (undrawn_lines)
        cli_message("warning: %zu distance line%s or route leg%s not drawn",
                    undrawn_lines, undrawn_lines == 1 ? "" : "s",
                    undrawn_lines == 1 ? "" : "s");
    if (!quiet && !verbose && room)
        cli_message("warning: %zu of %zu labels omitted for lack of room; "
                    "--verbose lists them",
                    room, scene->n_labels_wanted);
    if (!quiet && !verbose && lines)
        cli_message("warning: %zu line label%s omitted for lack of room; "
                    "--verbose lists them",
                    lines, lines == 1 ? "" : "s");
    if (!quiet && !verbose && other)
        cli_message("warning: %zu label%s omitted: no installed font has "
                    "their glyphs; --verbose lists them",
                    other, other == 1 ? "" : "s");
    if (!quiet && scene->n_style_collisions)
        cli_message("warning: %zu kinds share a marker style with another "
                    "kind (more kinds than colours and shapes tell apart)",
                    scene->n_style_collisions);
    return missing;
}

bool cli_explain_no_events(const evm_events_t *ev)
{
    if (evm_events_count(ev) > 0)
        return false;
    const char *src = evm_events_source(ev);
    size_t read = evm_events_rows_read(ev);
    size_t filtered = evm_events_filtered_count(ev);
    size_t bad = evm_events_rejected_count(ev);
    if (read == 0 && bad == 0)
        cli_message("%s: no data rows, only the header: nothing to map", src);
    else if (filtered > 0)
        cli_message("%s: the filter kept 0 of %zu row%s (--where, --since, "
                    "--until)%s",
                    src, read, read == 1 ? "" : "s",
                    bad ? "; the others are invalid" : "");
    else
        cli_message("%s: none of the %zu row%s is valid", src, read + bad,
                    read + bad == 1 ? "" : "s");
    return true;
}
