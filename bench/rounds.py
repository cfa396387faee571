"""bench/rounds.py ROUNDS NAME=COMMAND... : runs the commands in turn, ROUNDS
times, and prints per name the median wall and CPU seconds (user + system
of the process, from wait4: microseconds, where time(1) gives hundredths).
Taking the commands in turns puts them under the same load; medians resist
the host's slow spells better than the best run, which favours whatever had
the one quiet moment.  Output lines: "NAME WALL CPU"."""
import os
import shlex
import statistics
import sys
import time


def run(argv):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    if os.WIFSIGNALED(status) or os.WEXITSTATUS(status) > 1:
        sys.exit("rounds: %s failed (status %d)" % (argv[0], status))
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main():
    rounds = int(sys.argv[1])
    cmds = [arg.split("=", 1) for arg in sys.argv[2:]]
    got = {name: [] for name, _ in cmds}
    for _ in range(rounds):
        for name, cmd in cmds:
            got[name].append(run(shlex.split(cmd)))
    for name, _ in cmds:
        wall = statistics.median(w for w, _ in got[name])
        cpu = statistics.median(c for _, c in got[name])
        print("%s %.4f %.4f" % (name, wall, cpu))


main()
