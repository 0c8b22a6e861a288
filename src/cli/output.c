/* Output shared by the commands that print tables (dist, routes): the
 * --format and --units options, standard output as a write callback,
 * and its flush, whose failure every command reports alike. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

bool cli_table_output(cli_args_t *args, evm_dist_format *format,
                      evm_units *units)
{
    const char *cmd = args->cmd->name;
    const cli_opt_t *f = cli_find(args, "format");
    const cli_opt_t *u = cli_find(args, "units");
    if (f->seen && evm_dist_format_parse(f->value, format)) {
        cli_usage_error(cmd, "--format must be csv, json or table");
        return false;
    }
    if (u->seen && evm_units_parse(u->value, units)) {
        cli_usage_error(cmd, "--units must be km, m, mi or nmi");
        return false;
    }
    return true;
}

evm_status cli_write_stdout(void *closure, const unsigned char *data,
                            size_t len)
{
    (void)closure;
    return fwrite(data, 1, len, stdout) == len ? EVM_OK : EVM_ERR_IO;
}

int cli_flush_stdout(int rc)
{
    if (fflush(stdout) == 0)
        return rc;
    cli_message("could not write to standard output");
    return rc == EVM_EXIT_OK ? EVM_EXIT_OUTPUT : rc;
}

bool cli_jobs(cli_args_t *args, const char *cmd, unsigned *threads)
{
    cli_opt_t *o = cli_find(args, "jobs");
    if (!o->seen)
        return true;
    char *end;
    long j = strtol(o->value, &end, 10);
    if (*end || end == o->value || j < 1 || j > 1024) {
        cli_usage_error(cmd, "--jobs must be a number in 1..1024");
        return false;
    }
    *threads = (unsigned)j;
    return true;
}
