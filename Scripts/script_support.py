"""What the check scripts share: stopping a server they started."""
import signal, subprocess


def stop(process, timeout=10):
    """Ctrl-C for `process` (agentlog serve stops cleanly on it), then kill if it lingers."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
