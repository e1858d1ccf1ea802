"""Idle cost of `voicenotes watch`: CPU time and wake-ups over a quiet window.

Starts the watcher on an empty knowledge base and, in the same run, a Python process that only
sleeps (the floor any process pays), waits until each is settled, then reads their CPU time
and context switches (all threads) from /proc over the same window. Linux only.

    python bench/watch_idle.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
COLUMNS = ("process", "threads", "CPU ms total", "CPU %", "wakeups/s", "vs baseline")
WIDTHS = (22, 7, 12, 8, 10, 12)
HEADER = "| " + " | ".join(f"{c:<{w}}" for c, w in zip(COLUMNS, WIDTHS, strict=True)) + " |"
RULE = "|" + "|".join("-" * (w + 2) for w in WIDTHS) + "|"
SLEEPER = "import sys, time; print('ready', flush=True); time.sleep(3600)"


@dataclass(frozen=True)
class Sample:
    cpu: float
    """User + system CPU seconds, all threads."""
    switches: int
    """Voluntary + involuntary context switches, all threads: each is a wake-up."""
    threads: int


def sample(pid: int) -> Sample:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    switches = 0
    tasks = list(Path(f"/proc/{pid}/task").iterdir())
    for task in tasks:
        for line in (task / "status").read_text().splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                switches += int(line.split()[1])
    return Sample(cpu, switches, len(tasks))


def start(command: list[str], ready: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start `command` and wait until a line containing `ready` shows on stdout or stderr."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if ready in line:
            return process
    raise SystemExit(f"{command[2]} exited before it was ready (status {process.wait()})")


def measure(processes: dict[str, subprocess.Popen[str]], seconds: float) -> list[str]:
    time.sleep(1.0)  # let start-up work (imports, first scan) finish before the window
    before = {name: sample(p.pid) for name, p in processes.items()}
    time.sleep(seconds)
    after = {name: sample(p.pid) for name, p in processes.items()}
    rows = []
    base_cpu = after["sleep (baseline)"].cpu - before["sleep (baseline)"].cpu
    for name in processes:
        cpu = after[name].cpu - before[name].cpu
        wakeups = after[name].switches - before[name].switches
        ratio = "-" if base_cpu == 0 and cpu == 0 else f"{cpu / max(base_cpu, 1 / TICKS):.1f}"
        rows.append(
            f"| {name:<22} | {after[name].threads:>7} | {cpu * 1000:>12.0f} | "
            f"{100 * cpu / seconds:>8.3f} | {wakeups / seconds:>10.2f} | {ratio:>12} |"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the window")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "inbox" / "raw").mkdir(parents=True)  # `watch` runs on a KB only
        env = dict(os.environ, VOICENOTES_KB=folder, OPENAI_API_KEY="unused-while-idle")
        env.pop("OPENAI_BASE_URL", None)
        processes = {
            "sleep (baseline)": start([sys.executable, "-c", SLEEPER], "ready", env),
            "voicenotes watch": start(
                [sys.executable, "-m", "notes", "watch", "--kb", folder], "watching", env
            ),
        }
        try:
            rows = measure(processes, args.seconds)
        finally:
            for process in processes.values():
                process.terminate()
                process.wait(timeout=30)
    print(
        f"Idle for {args.seconds:g} s on an empty inbox (CPU from /proc, clock tick "
        f"{1000 / TICKS:.0f} ms)\n"
    )
    print(HEADER)
    print(RULE)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
