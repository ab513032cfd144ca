#ifndef AGENTLOG_SIGNAL_FORWARDING_H
#define AGENTLOG_SIGNAL_FORWARDING_H

/// Installs a handler for `signal` that writes two bytes to `descriptor`: the signal number, and
/// 1 when a process sent it (kill, sigqueue, tkill) or 0 when the kernel did (a terminal's Ctrl-C
/// or hang-up). errno is kept. Returns 0, or -1 with errno set. The descriptor is process-wide:
/// the last call's wins. A signal whose action was "ignore" stays ignored when `keep_ignored`
/// is non-zero, and then 1 is returned.
int agentlog_forward_signal(int signal, int descriptor, int keep_ignored);

#endif
