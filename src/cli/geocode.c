/* evmap geocode: what names resolve to in the gazetteer, as CSV or JSON,
 * so that a user can check them and freeze the result into a CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void on_error(void *closure, const evm_error_t *err)
{
    (void)closure;
    cli_print_error(err);
}

/* Names (and country hints) of a CSV file's rows, kept in *ev. */
static int names_of_file(const char *path, const evm_gazetteer_t *gaz,
                         evm_events_t **ev, const char ***names,
                         const char ***hints, size_t *n)
{
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    evm_error_t err;
    /* Read as events placed by the gazetteer, so that coordinates are
     * optional; a name it does not know is a rejected row, reported. */
    co.gazetteer = gaz;
    if (evm_events_load_file(path, &co, ev, &err)) {
        cli_print_error(&err);
        return EVM_EXIT_DATA;
    }
    for (size_t i = 0; i < evm_events_rejected_count(*ev); i++)
        cli_print_error(evm_events_rejected(*ev, i));
    long place = -1, country = -1;
    for (size_t c = 0; c < evm_events_column_count(*ev); c++) {
        const char *h = evm_events_column_name(*ev, c);
        if (strcmp(h, "place") == 0)
            place = (long)c;
        if (strcmp(h, "country") == 0)
            country = (long)c;
    }
    if (place < 0)
        place = evm_events_role_column(*ev, EVM_ROLE_NAME);
    if (place < 0) {
        fprintf(stderr, "evmap: %s: no place or name column\n", path);
        return EVM_EXIT_DATA;
    }
    *n = evm_events_count(*ev);
    *names = calloc(*n + 1, sizeof **names);
    *hints = calloc(*n + 1, sizeof **hints);
    if (!*names || !*hints) {
        fprintf(stderr, "evmap: out of memory\n");
        return EVM_EXIT_OUTPUT;
    }
    for (size_t i = 0; i < *n; i++) {
        (*names)[i] = evm_events_value(*ev, i, (size_t)place);
        (*hints)[i] =
            country >= 0 ? evm_events_value(*ev, i, (size_t)country) : NULL;
    }
    return EVM_EXIT_OK;
}

int cli_geocode(cli_args_t *args)
{
    const char **pos = args->pos;
    size_t n_pos = args->n_pos;
    int rc = EVM_EXIT_USAGE;
    evm_gazetteer_t *gaz = NULL;
    evm_events_t *file = NULL;
    const char **names = NULL, **hints = NULL;
    size_t n = 0;
    evm_error_t err;
    evm_dist_format format = EVM_DIST_CSV;
    if (!n_pos) {
        cli_usage_error("geocode", "give names or a file of names");
        goto done;
    }
    if (OPT("format")->seen) {
        const char *f = OPT("format")->value;
        if (strcmp(f, "json") == 0) {
            format = EVM_DIST_JSON;
        } else if (strcmp(f, "csv") != 0) {
            cli_usage_error("geocode", "--format must be csv or json");
            goto done;
        }
    }
    evm_gazetteer_options_t go;
    evm_gazetteer_options_init(&go);
    go.places_path = OPT("places")->value;
    go.geodata_dir = OPT("geodata")->value;
    rc = EVM_EXIT_DATA;
    if (evm_gazetteer_create(&go, &gaz, &err)) {
        cli_print_error(&err);
        goto done;
    }
    struct stat sb;
    if (n_pos == 1 && stat(pos[0], &sb) == 0 && S_ISREG(sb.st_mode)) {
        if ((rc = names_of_file(pos[0], gaz, &file, &names, &hints, &n)))
            goto done;
    } else {
        names = calloc(n_pos, sizeof *names);
        if (!names) {
            rc = EVM_EXIT_OUTPUT;
            goto done;
        }
        for (size_t i = 0; i < n_pos; i++)
            names[i] = pos[i];
        n = n_pos;
    }
    const char *country = OPT("country")->value;
    if (country && !hints && !(hints = calloc(n, sizeof *hints))) {
        rc = EVM_EXIT_OUTPUT;
        goto done;
    }
    for (size_t i = 0; country && i < n; i++)
        if (!hints[i] || !hints[i][0])
            hints[i] = country;
    /* Ambiguous names are warned of here, with every alternative. */
    for (size_t i = 0; i < n; i++) {
        evm_geocode_t g;
        char msg[2048];
        if (evm_gazetteer_lookup(gaz, names[i], hints ? hints[i] : NULL, &g,
                                 NULL) == EVM_OK) {
            if (evm_geocode_warning(&g, names[i], msg, sizeof msg))
                fprintf(stderr, "evmap: warning: %s\n", msg);
            evm_geocode_clear(&g);
        }
    }
    size_t failed = 0;
    if (evm_gazetteer_write(gaz, names, hints, n, format, cli_write_stdout,
                            NULL, on_error, NULL, &failed, &err)) {
        cli_print_error(&err);
        rc = EVM_EXIT_OUTPUT;
        goto done;
    }
    rc = cli_flush_stdout(failed || (file && evm_events_rejected_count(file))
                              ? EVM_EXIT_DATA
                              : EVM_EXIT_OK);
done:
    free(names);
    free(hints);
    evm_events_destroy(file);
    evm_gazetteer_destroy(gaz);
    return rc;
}
