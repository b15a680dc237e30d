"""Benchmark wpq against the floor each of its commands cannot beat (DESIGN §7).

    python bench/run.py [--runs 15] [--sizes 1000,10000,100000] [--quick]

Each pair runs command A (wpq) and command B (its baseline) as whole processes, alternated
A B A B ..., with the same interpreter and environment, stdout to /dev/null; it reports the
median wall-clock time of each, their ratio and the goal. Peak memory is each child's own
max RSS, from ``os.wait4``. Data is generated into ``bench/.data/`` (reused while the
generator is unchanged); wpq's cache goes to a private temporary XDG_CACHE_HOME.

See docs/performance.md for what each pair measures and why.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DATA_DIR = BENCH / ".data"
PY = sys.executable
# The `wpq` console script beside this interpreter, as a user runs it; `python -m wpq` when
# there is none (it adds runpy's start-up, a few milliseconds).
_SCRIPT = Path(PY).parent / "wpq"
WPQ = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "wpq"]
DONOR = "donor-gov-1"
UK_SUMMARY = ["funding", "--donor", "UK", "--summary", "--json"]
JQ_FILTER = f'[.[] | select(.donor == "{DONOR}")]'
PARSE = "import yaml,sys; yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)"
# Spend at most about this long timing one pair at one size: large sizes get fewer runs.
PAIR_BUDGET_S = 75.0
MIN_RUNS = 5


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    max_rss_kib: list[int] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def mb(self) -> float:
        return statistics.median(self.max_rss_kib) / 1024

    @property
    def spread(self) -> str:
        """The middle half of the runs (quartiles), in ms."""
        if len(self.seconds) < 4:
            return ""
        q1, _, q3 = statistics.quantiles(self.seconds, n=4)
        return f"{q1 * 1000:.0f}-{q3 * 1000:.0f}"


@dataclass
class Command:
    label: str
    argv: list[str]
    env: dict[str, str]


class CommandFailed(RuntimeError):
    pass


def run_once(cmd: Command) -> tuple[float, int]:
    """Wall-clock seconds and max RSS (KiB) of one whole process."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd.argv, env=cmd.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-2000:]
            raise CommandFailed(
                f"{cmd.label} exited with {proc.returncode}: {shlex.join(cmd.argv)}\n{tail}"
            )
    rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return elapsed, rss


def runs_for(a: Command, b: Command, runs: int) -> int:
    """Fewer runs (never under MIN_RUNS) when one A+B round would blow the pair's budget.

    Also warms both commands (page cache, bytecode) with one untimed run each.
    """
    round_s = run_once(a)[0] + run_once(b)[0]
    return max(min(runs, MIN_RUNS), min(runs, int(PAIR_BUDGET_S / max(round_s, 1e-6))))


def measure(a: Command, b: Command, runs: int) -> tuple[Sample, Sample]:
    """Time ``a`` and ``b`` alternated (A B A B ...), ``runs`` times each."""
    sa, sb = Sample(), Sample()
    for _ in range(runs):
        for cmd, sample in ((a, sa), (b, sb)):
            seconds, rss = run_once(cmd)
            sample.seconds.append(seconds)
            sample.max_rss_kib.append(rss)
    return sa, sb


def verdict(ratio: float, goal: float) -> str:
    return "PASS" if ratio <= goal else "MISS"


def print_pair(name: str, a: Command, b: Command, sa: Sample, sb: Sample, goal: float) -> float:
    ratio = sa.ms / sb.ms
    runs = len(sa.seconds)
    print(f"\n{name}  ({runs} alternated runs each; median ms, quartiles in brackets)")
    for cmd, sample in ((a, sa), (b, sb)):
        print(f"  {cmd.label:<4} {sample.ms:9.1f} ms  [{sample.spread:>11}]  {_show(cmd)}")
    print(f"  ratio A/B = {ratio:.2f}   goal <= {goal:g}   {verdict(ratio, goal)}")
    return ratio


def _show(cmd: Command) -> str:
    argv = ["python" if a == PY else a for a in cmd.argv]
    argv = [os.path.relpath(a) if a.startswith(str(DATA_DIR)) else a for a in argv]
    extra = {k: v for k, v in cmd.env.items() if k in ("WPQ_NO_CACHE", "COLUMNS")}
    prefix = " ".join(f"{k}={v}" for k, v in sorted(extra.items()))
    return (prefix + " " if prefix else "") + shlex.join(argv)


def data_for(size: int) -> tuple[Path, Path]:
    """The generated files for ``size`` pledges, regenerated when the generator changed."""
    yaml_path, json_path = DATA_DIR / f"pledges-{size}.yaml", DATA_DIR / f"pledges-{size}.json"
    generator = BENCH / "generate.py"
    if not all(
        p.exists() and p.stat().st_mtime >= generator.stat().st_mtime
        for p in (yaml_path, json_path)
    ):
        spec = importlib.util.spec_from_file_location("bench_generate", generator)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        start = time.perf_counter()
        module.generate(size, DATA_DIR)
        print(f"  generated {size:,} pledges in {time.perf_counter() - start:.1f} s")
    return yaml_path, json_path


def machine(jq: str | None) -> None:
    import yaml

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
    wpq_version = subprocess.run(
        [*WPQ, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    jq_version = (
        subprocess.run([jq, "--version"], capture_output=True, text=True).stdout.strip()
        if jq
        else "not installed"
    )
    print(f"command:  {shlex.join([sys.executable, *sys.argv])}")
    print(f"machine:  {platform.platform()}; {os.cpu_count()} cores; {cpu}")
    print(f"python:   {platform.python_version()} ({sys.executable})")
    print(
        f"wpq:      {wpq_version or '?'}; PyYAML {yaml.__version__} "
        f"(libyaml: {yaml.__with_libyaml__}); jq: {jq_version}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="runs of each command (15)")
    parser.add_argument("--sizes", default=None, help="pledge counts (1000,10000,100000)")
    parser.add_argument("--quick", action="store_true", help="sizes 1000,10000 and 5 runs")
    args = parser.parse_args(argv)
    runs = args.runs or (5 if args.quick else 15)
    default_sizes = "1000,10000" if args.quick else "1000,10000,100000"
    sizes = sorted({int(s) for s in (args.sizes or default_sizes).split(",")})
    if runs < 1 or sizes[0] < 1:
        parser.error("--runs and --sizes must be positive")

    jq = shutil.which("jq")
    machine(jq)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wpq-bench-") as private:
        env = {k: v for k, v in os.environ.items() if not k.startswith("WPQ_")}
        env.pop("FORCE_COLOR", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # wpq's cache goes to a private directory, never the user's. Bytecode is cached too,
        # in another private directory (never in the source tree): an installed wpq has its
        # .pyc files, and recompiling it on every run would measure the compiler.
        env["XDG_CACHE_HOME"] = str(Path(private, "cache"))
        env["PYTHONPYCACHEPREFIX"] = str(Path(private, "pycache"))
        print(f"env:      XDG_CACHE_HOME and PYTHONPYCACHEPREFIX under {private}; WPQ_* unset")
        bundled_pairs(env, runs)
        data_pairs(env, runs, sizes, jq)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


def bundled_pairs(env: dict[str, str], runs: int) -> dict[str, float]:
    """P1 and P2: queries of the bundled data against Python + Typer (+ Rich for a table);
    P5: what a conversion (`--in`) adds to the same query."""
    wide = env | {"COLUMNS": "100"}
    pairs = [
        (
            "P1  events --json vs import typer",
            Command("A", [*WPQ, "events", "--year", "2015", "--json"], env),
            Command("B", [PY, "-c", "import typer"], env),
            1.2,
        ),
        (
            "P2  events --format table vs import typer + rich table",
            Command("A", [*WPQ, "events", "--year", "2015", "--format", "table"], wide),
            Command("B", [PY, "-c", "import typer, rich.console, rich.table"], wide),
            1.2,
        ),
        (
            "P5  funding --summary --in EUR vs the same without --in",
            Command("A", [*WPQ, *UK_SUMMARY, "--in", "EUR"], env),
            Command("B", [*WPQ, *UK_SUMMARY], env),
            1.1,
        ),
    ]
    results = {}
    for name, a, b, goal in pairs:
        runs_for(a, b, runs)  # warm-up only: these are fast
        sa, sb = measure(a, b, runs)
        results[name[:2]] = print_pair(name, a, b, sa, sb, goal)
    return results


def data_pairs(
    env: dict[str, str], runs: int, sizes: Sequence[int], jq: str | None
) -> dict[str, float]:
    """P3 (warm cache vs jq) and P4 (no cache vs the bare YAML parse), at each size."""
    print(f"\nuser data: {', '.join(f'{s:,}' for s in sizes)} pledges in {DATA_DIR}")
    if jq is None:
        print("  P3 skipped: jq is not installed (apt-get install jq)")
    no_cache = env | {"WPQ_NO_CACHE": "1"}
    rows = []
    results: dict[str, float] = {}
    for size in sizes:
        yaml_path, json_path = data_for(size)
        query = [*WPQ, "funding", "--data", str(yaml_path), "--donor", DONOR, "--json"]
        parse = Command("B", [PY, "-c", PARSE, str(yaml_path)], env)
        row: dict[str, object] = {"size": size}
        if jq:
            a = Command("A", query, env)
            b = Command("B", [jq, JQ_FILTER, str(json_path)], env)
            n = runs_for(a, b, runs)  # the first run of A fills the cache
            cache_dir = Path(env["XDG_CACHE_HOME"])
            if not any(p.is_file() for p in cache_dir.rglob("*")):
                print(f"\n  note: wpq wrote no cache under {cache_dir}: P3 runs uncached")
            sa, sb = measure(a, b, n)
            ratio = print_pair(f"P3  {size:,}: funding, cache warm vs jq", a, b, sa, sb, 1.0)
            row |= {"p3": sa.ms, "jq": sb.ms, "p3_mb": sa.mb}
            results["P3"] = ratio
        a = Command("A", query, no_cache)
        n = runs_for(a, parse, runs)
        sa, sb = measure(a, parse, n)
        results["P4"] = print_pair(
            f"P4  {size:,}: funding, no cache vs PyYAML CSafeLoader parse", a, parse, sa, sb, 1.15
        )
        mem = sa.mb / sb.mb
        results["P4 memory"] = mem
        print(
            f"  peak memory: A {sa.mb:.0f} MB, B {sb.mb:.0f} MB, "
            f"ratio {mem:.2f}   goal <= 1.5   {verdict(mem, 1.5)}"
        )
        if jq:
            p3_mb = float(row["p3_mb"])  # type: ignore[arg-type]
            print(
                f"  P3 peak memory (cache warm): {p3_mb:.0f} MB, {p3_mb / sb.mb:.2f}x the parse's"
            )
        row |= {"p4": sa.ms, "parse": sb.ms, "p4_mb": sa.mb, "parse_mb": sb.mb}
        rows.append(row)
    print_growth(rows)
    return results


def print_growth(rows: list[dict[str, object]]) -> None:
    print("\nGrowth with the number of pledges (medians)")
    columns = [
        ("size", "size", "{:,}"),
        ("P3 ms", "p3", "{:.0f}"),
        ("jq ms", "jq", "{:.0f}"),
        ("P4 ms", "p4", "{:.0f}"),
        ("parse ms", "parse", "{:.0f}"),
        ("P3 peak MB", "p3_mb", "{:.0f}"),
        ("P4 peak MB", "p4_mb", "{:.0f}"),
        ("parse peak MB", "parse_mb", "{:.0f}"),
    ]
    print("  " + " | ".join(f"{title:>13}" for title, _, _ in columns))
    for row in rows:
        cells = [fmt.format(row[key]) if key in row else "-" for _, key, fmt in columns]
        print("  " + " | ".join(f"{cell:>13}" for cell in cells))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CommandFailed as exc:
        print(f"\nbench: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
