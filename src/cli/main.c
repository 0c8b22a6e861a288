/* evmap command-line front end: dispatches to one file per subcommand
 * through the command table of options.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: evmap COMMAND [options]\n\ncommands:\n");
    for (const cli_command_t *const *c = cli_commands; *c; c++)
        fprintf(f, "  %-8s %s\n", (*c)->name, (*c)->summary);
    fprintf(f, "\n'evmap COMMAND --help' describes a command.\n"
               "Exit status: 0 success, 1 bad input data, 2 bad command "
               "line, 3 output could not be written.\n");
}

/* Every command's printed output is checked here, once: a full disk or a
 * closed pipe behind stdout is exit 3, not a silent success. */
static int cli_finish_output(int rc)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc == EVM_EXIT_OK || rc == EVM_EXIT_DATA) {
            fprintf(stderr, "evmap: cannot write to standard output: %s\n",
                    errno ? strerror(errno) : "write error");
            rc = EVM_EXIT_OUTPUT;
        }
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EVM_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EVM_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("evmap %s\n", evm_version(NULL));
        return EVM_EXIT_OK;
    }
    cli_signals_install();
    for (const cli_command_t *const *c = cli_commands; *c; c++) {
        if (strcmp(argv[1], (*c)->name) != 0)
            continue;
        /* Every command's options are parsed here, from its table: a
         * command starts with its arguments checked. */
        cli_args_t args;
        int rc;
        if (cli_parse(*c, argc - 2, argv + 2, &args, &rc)) {
            rc = (*c)->run(&args);
            cli_args_free(&args);
        }
        return cli_finish_output(rc);
    }
    cli_message("unknown command '%s'", argv[1]);
    usage(stderr);
    return EVM_EXIT_USAGE;
}
