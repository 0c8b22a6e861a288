/* One signal policy for every command. SIGINT, SIGTERM and SIGHUP (Ctrl-C,
 * Slurm's scancel and time limit, a closed terminal) set a flag. A
 * command that writes files (render, batch, routes -o) declares that it
 * defers signals: it asks the library to stop through the flag (an
 * evm_cancel_fn), the library removes its temporary files, and the
 * command reports what it finished and exits 128 + the signal's number
 * (130, 143, 129). Anywhere else, and at a second signal, the process
 * ends at once; nothing it leaves is then visible under a final name, and
 * the next write to that folder removes its temporary files.
 *
 * This is the only mutable global state of evmap, and it lives in the
 * command line: the library knows nothing of signals. */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t deferring;
static void (*volatile on_signal)(void *user);
static void *volatile on_signal_user;

static const int handled[] = {SIGINT, SIGTERM, SIGHUP};

static void handler(int sig)
{
    if (!deferring || got_signal) {
        static const char msg[] = "evmap: interrupted\n";
        ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)ignored;
        _exit(128 + sig);
    }
    got_signal = sig;
    if (on_signal)
        on_signal(on_signal_user);
}

void cli_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
        sigaddset(&sa.sa_mask, handled[i]);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++) {
        struct sigaction old;
        /* nohup's SIGHUP stays ignored. SIGINT is taken even when ignored
         * (a shell ignores it in background jobs), so that `kill -INT`
         * still stops a batch started with '&'. */
        if (handled[i] == SIGHUP && sigaction(SIGHUP, NULL, &old) == 0 &&
            old.sa_handler == SIG_IGN)
            continue;
        sigaction(handled[i], &sa, NULL);
    }
}

void cli_signals_defer(void (*fn)(void *user), void *user)
{
    on_signal_user = user;
    on_signal = fn;
    deferring = 1;
}

int cli_signal(void)
{
    return got_signal;
}

bool cli_cancelled(void *user)
{
    (void)user;
    return got_signal != 0;
}

int cli_signal_exit(const char *cmd, const char *what)
{
    int sig = got_signal;
    const char *name = sig == SIGINT    ? "SIGINT"
                       : sig == SIGTERM ? "SIGTERM"
                       : sig == SIGHUP  ? "SIGHUP"
                                        : "a signal";
    fprintf(stderr, "evmap %s: interrupted by %s%s%s\n", cmd, name,
            what ? "; " : "", what ? what : "");
    return 128 + sig;
}
