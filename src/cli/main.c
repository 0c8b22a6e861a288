/* evmap command-line front end: dispatches to one file per subcommand
 * through a command table. */
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
    {"geocode", cli_geocode, "where named places are, from the gazetteer"},
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
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "evmap: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EVM_EXIT_USAGE;
}
