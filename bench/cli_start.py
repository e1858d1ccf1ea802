"""How long the command line takes to answer `--help` and `--version` (the bar: 0.5 s).

Each command is run as a fresh process several times, alternating with the baseline, a
Python that does nothing (`python -c pass`), so both see the same machine load; the table
gives the median wall time of each and its ratio to the baseline, and a last column says
whether `--help` is within the bar.

    python bench/cli_start.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAR = 0.5
CASES = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "voicenotes --help": [sys.executable, "-m", "notes", "--help"],
    "voicenotes --version": [sys.executable, "-m", "notes", "--version"],
    "voicenotes draft --help": [sys.executable, "-m", "notes", "draft", "--help"],
    "voicenotes doctor --help": [sys.executable, "-m", "notes", "doctor", "--help"],
}


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(runs):
        for name, command in CASES.items():  # interleaved: the same load for every case
            times[name].append(wall(command))
    base = statistics.median(times["python -c pass (baseline)"])
    print(f"| {'command':<28} | median s | × baseline | max s | within {BAR} s |")
    print(f"|{'-' * 30}|----------|------------|-------|--------------|")
    for name, samples in times.items():
        median = statistics.median(samples)
        within = "yes" if median < BAR else "NO"
        print(
            f"| {name:<28} | {median:8.3f} | {median / base:10.1f} | {max(samples):5.3f} "
            f"| {within:<12} |"
        )


if __name__ == "__main__":
    main()
