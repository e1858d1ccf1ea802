"""Run a command and write its wall time, CPU time and peak RSS to a JSON file.

    python bench/peak.py REPORT.json COMMAND [ARG...]

The command's output passes through; this process exits with the command's exit code.
A child's peak RSS from wait4 counts its parent's pages at the time it was started (Linux
carries the high-water mark over `exec`), so a bench that has loaded models measures through
this small process rather than starting the command itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> int:
    report, *command = sys.argv[1:]
    start = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    figures = {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "exit": code,
    }
    with open(report, "w", encoding="utf-8") as out:
        json.dump(figures, out)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
