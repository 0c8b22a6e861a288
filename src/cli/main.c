/* evmap command-line front end: dispatches to one file per subcommand
 * through a command table. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command_t;

static const command_t commands[] = {
    {"render", cli_render, "draw a map of events to PNG, SVG or PDF"},
    {"info", cli_info, "summarise an events CSV file"},
    {"dist", cli_dist, "geodesic distances between events, or to a border"},
    {"batch", cli_batch, "many maps from a jobs file, in parallel"},
    {"routes", cli_routes, "lengths of shipment routes, leg by leg"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: evmap COMMAND [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
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
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return cli_finish_output(commands[i].run(argc - 2, argv + 2));
    fprintf(stderr, "evmap: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EVM_EXIT_USAGE;
}
