#include "signal_forwarding.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

// The one piece of state a signal handler can reach: where it reports. Written before any
// handler is installed, read only by handlers.
static volatile sig_atomic_t report_descriptor = -1;

static int sent_by_process(const siginfo_t *info) {
    if (info == NULL) return 0;
    if (info->si_code == SI_USER || info->si_code == SI_QUEUE) return 1;
#ifdef SI_TKILL
    if (info->si_code == SI_TKILL) return 1;
#endif
    return 0;
}

static void report(int signal, siginfo_t *info, void *context) {
    (void)context;
    int saved = errno;
    unsigned char bytes[2] = { (unsigned char)signal, (unsigned char)sent_by_process(info) };
    if (report_descriptor >= 0) {
        ssize_t ignored = write(report_descriptor, bytes, 2);
        (void)ignored;
    }
    errno = saved;
}

int agentlog_forward_signal(int signal, int descriptor, int keep_ignored) {
    struct sigaction previous;
    if (sigaction(signal, NULL, &previous) != 0) return -1;
    if (keep_ignored && previous.sa_handler == SIG_IGN) return 1;
    report_descriptor = descriptor;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = report;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_RESTART | (signal == SIGCHLD ? SA_NOCLDSTOP : 0);
    return sigaction(signal, &action, NULL);
}
