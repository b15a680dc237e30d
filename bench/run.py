"""Benchmark wpq against the floor each of its commands cannot beat (DESIGN §7).

    python bench/run.py [--runs 15] [--sizes 1000,10000,100000] [--quick]

Each pair runs command A (wpq) and command B (its baseline) as whole processes, alternated
A B A B ..., with the same interpreter and environment; it reports the median wall-clock
time of each, their ratio and the goal. Before a time counts, one untimed run of each must
succeed, and where both print records they must print the same ones (wpq's ids equal jq's).
Peak memory is each child's own max RSS, from GNU time. Data is generated into
``bench/.data/`` (reused while the generator is unchanged); wpq's cache goes to a private
temporary XDG_CACHE_HOME.

See docs/performance.md for what each pair measures and why.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import itertools
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
DATA_DIR = BENCH / ".data"
PY = sys.executable
# The `wpq` console script beside this interpreter, as a user runs it; `python -m wpq` when
# there is none (it adds runpy's start-up, a few milliseconds).
_SCRIPT = Path(PY).parent / "wpq"
WPQ = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "wpq"]
YEAR = "2015"
# The honest floor of a cold load: libyaml's parse with the collector off (it alone doubles
# the bare parse, and wpq pauses it while loading too).
PARSE = "import gc,yaml,sys; gc.disable(); yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)"
UK_SUMMARY = ["funding", "--donor", "UK", "--summary", "--json"]
# Spend at most about this long timing one pair at one size: large sizes get fewer runs.
PAIR_BUDGET_S = 60.0
MIN_RUNS = 5


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
_MONEY = '(.kind == "funding" or .kind == "grant") and .amount != null'
_DONORS = " or ".join(f'.donor == "{d}"' for d in GENERATOR.DONOR_IDS)
JQ_DONOR = f"[.[] | select(({_DONORS}) and {_MONEY})]"
# High selectivity: one of six donors, a sixth of the pledges (``generate.py --six-donors``),
# named as a user names it: by its country.
HIGH_DONOR = "Norway"
JQ_HIGH = f'[.[] | select(.donor == "{GENERATOR.SIX_DONORS[0][0]}" and {_MONEY})]'
JQ_YEAR = f'[.[] | select(.date[0:4] == "{YEAR}" and {_MONEY})]'


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    peak_mb: float = 0.0  # from ``peak_memory``: wait4 counts the parent's pages too

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


def run_once(cmd: Command, stdout: Any = subprocess.DEVNULL) -> float:
    """Wall-clock seconds of one whole process; raises if it failed."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd.argv, env=cmd.env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err
        )
        _, status, _ = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-2000:]
            raise CommandFailed(
                f"{cmd.label} exited with {proc.returncode}: {shlex.join(cmd.argv)}\n{tail}"
            )
    return elapsed


# GNU time reports the peak resident memory of the command alone. A child's max RSS from
# wait4 starts at its parent's (a forked process carries the high-water mark through exec),
# so it is measured through this small program, never from the benchmark's own process.
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def peak_memory(cmd: Command, runs: int = 3) -> float:
    """Median peak resident memory of ``cmd`` in MB (0.0 without GNU time)."""
    if GNU_TIME is None:
        return 0.0
    peaks = []
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(mode="r") as report:
            timed = Command(
                cmd.label, [GNU_TIME, "-f", "%M", "-o", report.name, *cmd.argv], cmd.env
            )
            run_once(timed)
            peaks.append(int(report.read().split()[-1]) / 1024)
    return statistics.median(peaks)


def output_of(cmd: Command) -> tuple[float, bytes]:
    """One untimed run (it also warms the page cache and bytecode): seconds and stdout."""
    with tempfile.TemporaryFile() as out:
        seconds = run_once(cmd, stdout=out)
        out.seek(0)
        return seconds, out.read()


def ids(output: bytes) -> list[str]:
    """The ids of the records a command printed as a JSON array, sorted."""
    return sorted(str(record["id"]) for record in json.loads(output))


def warm_up(a: Command, b: Command, same: Callable[[bytes, bytes], bool] | None) -> int:
    """Run A twice (the first may fill the cache), B once; check both succeeded and, with
    ``same``, printed the same records.

    Returns how many timed runs fit the pair's budget.
    """
    output_of(a)  # may fill wpq's cache: the budget is that of a warm run
    seconds_a, out_a = output_of(a)
    seconds_b, out_b = output_of(b)
    if same is not None and not same(out_a, out_b):
        raise CommandFailed(f"A and B printed different records:\n  {_show(a)}\n  {_show(b)}")
    return max(MIN_RUNS, int(PAIR_BUDGET_S / max(seconds_a + seconds_b, 1e-6)))


def same_records(out_a: bytes, out_b: bytes) -> bool:
    found_a, found_b = ids(out_a), ids(out_b)
    print(f"  records: A {len(found_a):,}, B {len(found_b):,}, same: {found_a == found_b}")
    return bool(found_a) and found_a == found_b


def measure(a: Command, b: Command, runs: int) -> tuple[Sample, Sample]:
    """Time ``a`` and ``b`` alternated (A B A B ...), ``runs`` times each."""
    sa, sb = Sample(), Sample()
    for _ in range(runs):
        for cmd, sample in ((a, sa), (b, sb)):
            sample.seconds.append(run_once(cmd))
    return sa, sb


def verdict(ratio: float, goal: float) -> str:
    return "PASS" if ratio <= goal else "MISS"


@dataclass
class Result:
    name: str
    ratio: float
    goal: float
    a: Sample
    b: Sample
    judged: bool = True  # the data goals are for the largest size; smaller ones show growth


def pair(
    name: str,
    a: Command,
    b: Command,
    goal: float,
    runs: int,
    same: Callable[[bytes, bytes], bool] | None = None,
) -> Result:
    print(f"\n{name}")
    runs = min(runs, warm_up(a, b, same))
    sa, sb = measure(a, b, runs)
    ratio = sa.ms / sb.ms
    print(f"  ({runs} alternated runs each; median ms, quartiles in brackets)")
    for cmd, sample in ((a, sa), (b, sb)):
        print(f"  {cmd.label:<2} {sample.ms:9.1f} ms [{sample.spread:>11}]")
        print(f"       {_show(cmd)}")
    print(f"  ratio A/B = {ratio:.2f}   goal <= {goal:g}   {verdict(ratio, goal)}")
    return Result(name, ratio, goal, sa, sb)


def _show(cmd: Command) -> str:
    argv = ["python" if a == PY else a for a in cmd.argv]
    argv = [os.path.relpath(a) if a.startswith(str(DATA_DIR)) else a for a in argv]
    extra = {k: v for k, v in cmd.env.items() if k in ("WPQ_NO_CACHE", "COLUMNS")}
    prefix = " ".join(f"{k}={v}" for k, v in sorted(extra.items()))
    return (prefix + " " if prefix else "") + shlex.join(argv)


def data_for(size: int, six: bool = False) -> tuple[Path, Path]:
    """The generated files for ``size`` pledges (``six``: of six donors), regenerated when
    the generator changed."""
    stem = f"{'six-donors' if six else 'pledges'}-{size}"
    yaml_path, json_path = DATA_DIR / f"{stem}.yaml", DATA_DIR / f"{stem}.json"
    generator = BENCH / "generate.py"
    if not all(
        p.exists() and p.stat().st_mtime >= generator.stat().st_mtime
        for p in (yaml_path, json_path)
    ):
        start = time.perf_counter()
        # in a process of its own: this one stays small, as it is the parent of every run
        subprocess.run(
            [PY, str(generator), "--pledges", str(size), "--out", str(DATA_DIR)]
            + (["--six-donors"] if six else []),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"  generated {stem} in {time.perf_counter() - start:.1f} s")
        time.sleep(2.5)  # past wpq's racy window: its cache keys the files by stat alone
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
    if jq is None:
        parser.error("jq is needed for the warm-query pairs (apt-get install jq)")

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
        results = bundled_pairs(env, runs)
        results += data_pairs(env, runs, sizes, jq)
    summary(results)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


def bundled_pairs(env: dict[str, str], runs: int) -> list[Result]:
    """P1 and P2: queries of the bundled data against Python + Typer (+ Rich for a table);
    P6: what a conversion (``--in``) adds to the same query."""
    wide = env | {"COLUMNS": "100"}
    runs = max(runs, 41)  # some 50 ms each: a few seconds buy a steady median
    results = [
        pair(
            "P1  events --year 2015 --json vs import typer",
            Command("A", [*WPQ, "events", "--year", YEAR, "--json"], env),
            Command("B", [PY, "-c", "import typer"], env),
            1.10,
            runs,
        ),
        pair(
            "P2  events --year 2015 --format table vs import typer + rich table",
            Command("A", [*WPQ, "events", "--year", YEAR, "--format", "table"], wide),
            Command("B", [PY, "-c", "import typer, rich.console, rich.table"], wide),
            1.10,
            runs,
        ),
    ]
    p6 = pair(
        "P6  funding --summary --in EUR vs the same without --in",
        Command("A", [*WPQ, *UK_SUMMARY, "--in", "EUR"], env),
        Command("B", [*WPQ, *UK_SUMMARY], env),
        1.5,
        runs,
    )
    extra = p6.a.ms - p6.b.ms
    print(f"  --in adds {extra:.1f} ms   goal <= 50 ms   {verdict(extra, 50)}")
    return [*results, p6, Result("P6  what --in adds, in ms", extra, 50, p6.a, p6.b)]


def data_pairs(env: dict[str, str], runs: int, sizes: Sequence[int], jq: str) -> list[Result]:
    """At each size: P3, P3h and P3y (warm cache vs jq selecting the same records, at three
    selectivities), P4 (no cache vs the GC-off parse), M (peak memory), then P5 (help,
    version, completion on that cache)."""
    print(f"\nuser data: {', '.join(f'{s:,}' for s in sizes)} pledges in {DATA_DIR}")
    no_cache = env | {"WPQ_NO_CACHE": "1"}
    growth: list[dict[str, float]] = []
    results: list[Result] = []
    for size in sizes:
        yaml_path, json_path = data_for(size)
        six_yaml, six_json = data_for(size, six=True)
        data = ["--data", str(yaml_path)]
        by_donor = [*WPQ, "funding", *data, "--donor", GENERATOR.DONOR, "--json"]
        by_high = [*WPQ, "funding", "--data", str(six_yaml), "--donor", HIGH_DONOR, "--json"]
        p3 = pair(
            f"P3  {size:,}: funding --donor (a tenth), cache warm vs jq",
            Command("A", by_donor, env),
            Command("B", [jq, JQ_DONOR, str(json_path)], env),
            0.25,
            runs,
            same_records,
        )
        p3h = pair(
            f"P3h {size:,}: funding --donor (a sixth, six donors), cache warm vs jq",
            Command("A", by_high, env),
            Command("B", [jq, JQ_HIGH, str(six_json)], env),
            0.25,
            runs,
            same_records,
        )
        p3y = pair(
            f"P3y {size:,}: funding --year --no-bundled (a twentieth), cache warm vs jq",
            Command("A", [*WPQ, "funding", *data, "--no-bundled", "--year", YEAR, "--json"], env),
            Command("B", [jq, JQ_YEAR, str(json_path)], env),
            0.25,
            runs,
            same_records,
        )
        p4 = pair(
            f"P4  {size:,}: funding --donor, no cache vs CSafeLoader parse, GC off",
            Command("A", by_donor, no_cache),
            Command("B", [PY, "-c", PARSE, str(yaml_path)], env),
            1.0,
            runs,
        )
        p3.a.peak_mb = peak_memory(Command("A", by_donor, env))
        p3.b.peak_mb = peak_memory(Command("B", [jq, JQ_DONOR, str(json_path)], env))
        p3h.a.peak_mb = peak_memory(Command("A", by_high, env))
        p3h.b.peak_mb = peak_memory(Command("B", [jq, JQ_HIGH, str(six_json)], env))
        p4.a.peak_mb = peak_memory(Command("A", by_donor, no_cache))
        p4.b.peak_mb = peak_memory(Command("B", [PY, "-c", PARSE, str(yaml_path)], env))
        memory = {
            name: p.a.peak_mb / p.b.peak_mb if p.b.peak_mb else float("nan")
            for name, p in (("P3", p3), ("P3h", p3h))
        }
        for name, p in (("P3", p3), ("P3h", p3h)):
            print(
                f"\nM   {size:,}: peak memory (GNU time): {name} wpq {p.a.peak_mb:.0f} MB, jq "
                f"{p.b.peak_mb:.0f} MB, ratio {memory[name]:.2f}   goal <= 0.5   "
                f"{verdict(memory[name], 0.5)}"
            )
        print(f"    P4 wpq {p4.a.peak_mb:.0f} MB, parse {p4.b.peak_mb:.0f} MB")
        m = Result(f"M   {size:,}: P3 warm peak memory vs jq", memory["P3"], 0.5, p3.a, p3.b)
        mh = Result(f"Mh  {size:,}: P3h warm peak memory vs jq", memory["P3h"], 0.5, p3h.a, p3h.b)
        for result in (p3, p3h, p3y, p4, m, mh):
            result.judged = size == sizes[-1]
            results.append(result)
        growth.append(
            {"size": size, "p3": p3.a.ms, "p3h": p3h.a.ms, "p3y": p3y.a.ms, "jq": p3.b.ms}
            | {"jq_h": p3h.b.ms, "p4": p4.a.ms, "parse": p4.b.ms, "p3_mb": p3.a.peak_mb}
            | {"p3h_mb": p3h.a.peak_mb, "p4_mb": p4.a.peak_mb, "jq_mb": p3.b.peak_mb}
        )
    results += instant(env, data_for(sizes[-1])[0], runs)
    print_growth(growth)
    return results


def instant(env: dict[str, str], yaml_path: Path, runs: int) -> list[Result]:
    """P5: --version, --help and completion cost the same with the largest data as with
    the bundled data alone (A: with ``--data``, its cache warm; B: without)."""
    big = ["--data", str(yaml_path)]

    def completing(words: list[str]) -> dict[str, str]:
        return env | {
            "_WPQ_COMPLETE": "complete_bash",
            "COMP_WORDS": " ".join(["wpq", *words]),
            "COMP_CWORD": str(len(words)),
        }

    results = []
    for name, a, b in (
        ("--version", Command("A", [*WPQ, "--version"], env | {"WPQ_DATA": str(yaml_path)}),
         Command("B", [*WPQ, "--version"], env)),
        ("funding --help", Command("A", [*WPQ, "funding", *big, "--help"], env),
         Command("B", [*WPQ, "funding", "--help"], env)),
        ("completion of --donor", Command("A", WPQ, completing(["funding", *big, "--donor", "d"])),
         Command("B", WPQ, completing(["funding", "--donor", "d"]))),
    ):  # fmt: skip
        results.append(
            pair(f"P5  {name}: {yaml_path.stem} vs the bundled data alone", a, b, 1.2, runs)
        )
    return results


def print_growth(rows: list[dict[str, float]]) -> None:
    print("\nGrowth with the number of pledges (medians; 10x the records should cost <= 10x)")
    columns = [
        ("size", "size", "{:,.0f}"),
        ("P3 ms", "p3", "{:.0f}"),
        ("P3h ms", "p3h", "{:.0f}"),
        ("P3y ms", "p3y", "{:.0f}"),
        ("jq ms", "jq", "{:.0f}"),
        ("jq h ms", "jq_h", "{:.0f}"),
        ("P4 ms", "p4", "{:.0f}"),
        ("parse ms", "parse", "{:.0f}"),
        ("P3 MB", "p3_mb", "{:.0f}"),
        ("P3h MB", "p3h_mb", "{:.0f}"),
        ("P4 MB", "p4_mb", "{:.0f}"),
        ("jq MB", "jq_mb", "{:.0f}"),
    ]
    print("  " + " | ".join(f"{title:>9}" for title, _, _ in columns))
    for row in rows:
        print("  " + " | ".join(f"{fmt.format(row[key]):>9}" for _, key, fmt in columns))
    for before, after in itertools.pairwise(rows):
        factor = after["size"] / before["size"]
        grown = ", ".join(
            f"{key} x{after[key] / before[key]:.1f}"
            for key in ("p3", "p3h", "p3y", "p4", "p3h_mb", "p4_mb")
        )
        print(f"  {before['size']:,.0f} -> {after['size']:,.0f} (x{factor:.0f}): {grown}")


def summary(results: list[Result]) -> None:
    print("\nSummary (ratio against goal; the data goals are judged at the largest size)")
    for result in results:
        judged = verdict(result.ratio, result.goal) if result.judged else "(growth only)"
        print(f"  {result.name:<62} {result.ratio:6.2f}  <= {result.goal:<5g} {judged}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CommandFailed as exc:
        print(f"\nbench: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
