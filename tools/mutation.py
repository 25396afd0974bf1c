#!/usr/bin/env python3
"""Mutation testing of src/idnkit with cosmic-ray, on a random sample of mutants (issue 20 point 7).

    pip install -e '.[mutation]'
    python tools/mutation.py                       # the default sample: 8 mutants per module group
    python tools/mutation.py --per-group 40 --seed 7 --group zone.lexer --json score.json
    python tools/mutation.py --list                # the groups and their test commands

Why cosmic-ray (PyPI ``cosmic-ray``) and not mutmut: cosmic-ray mutates one module file at a time
and runs any command we give it, so each module is held against the test files that exercise it
(seconds per mutant); mutmut 3 runs the whole suite once to map tests to functions (21,000 tests,
9+ minutes here) and imports the mutated tree from a ``mutants/`` copy, which would not see the
C accelerator's build beside the sources.

cosmic-ray edits the files it mutates in place.  This script never lets it touch the work tree:
it copies the tracked files (and the built accelerator) to a temporary folder, runs there with
``PYTHONPATH`` pointing at the copy's ``src``, and removes the copy afterwards.  Of the mutants
cosmic-ray's operators make in a group's modules, those inside annotations (never evaluated here,
so equivalent) are set aside, and ``--per-group`` of the rest are drawn at random
(``--seed``); the others are marked skipped in cosmic-ray's session database, so the run is
bounded: at most ``per-group × groups × timeout`` seconds.

The score is killed / (killed + survived); a mutant whose tests time out counts as killed (as
cosmic-ray counts it), an incompetent one (the mutated module cannot be imported) is left out.
Each survivor is printed as ``module:line operator`` with its diff: a test to write, or an
equivalent mutant to say so.  Exit 0 always (a score is a measurement, not a gate) unless
``--fail-under`` is given.  The figures and the date go in bench/README.md.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Group:
    """Modules mutated together and the tests that are meant to catch their mutants."""

    name: str
    modules: tuple[str, ...]
    tests: tuple[str, ...]


PYTEST = ("-x", "-q", "-p", "no:cacheprovider", "-m", "not slow")
GROUPS = (
    Group("zone.lexer", ("src/idnkit/zone/_lexer.py",), ("tests/test_zone.py", "tests/test_zone_peers.py")),
    Group("zone.generate", ("src/idnkit/zone/_generate.py",), ("tests/test_zone_generate.py",)),
    Group("epp.tags", ("src/idnkit/epp/_tags.py", "src/idnkit/epp/_codes.py"), ("tests/epp",)),
    Group(
        "idna.contexts",
        ("src/idnkit/idna/_contextual.py", "src/idnkit/idna/_bidi.py"),
        ("tests/test_idna2008_rules.py", "tests/test_idnatestv2.py"),
    ),
    Group(
        "policy.registry",
        ("src/idnkit/policy/_registry.py",),
        ("tests/policy/test_registry.py", "tests/policy/test_rollback.py", "-k", "not postgres"),
    ),
)


def _copy_tree(dest: Path) -> None:
    """The tracked files and the built accelerator (not tracked) into ``dest``."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    names = [n for n in files.decode().split("\0") if n]
    names += [str(p.relative_to(ROOT)) for p in (ROOT / "src").rglob("*.so")]
    for name in names:
        src = ROOT / name
        if src.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


def _command(group: Group) -> str:
    """The test command, as one string that ``shlex.split`` (cosmic-ray's reading) gives back whole."""
    return shlex.join([sys.executable, "-m", "pytest", *PYTEST, *group.tests])


def _config(group: Group, timeout: float) -> str:
    modules = ", ".join(json.dumps(m) for m in group.modules)
    return (
        "[cosmic-ray]\n"
        f"module-path = [{modules}]\n"
        f"timeout = {timeout}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(_command(group))}\n"
        "[cosmic-ray.distributor]\n"
        'name = "local"\n'
    )


def _annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) positions of every annotation of a module: under ``from __future__ import
    annotations`` they are never evaluated, so a mutant inside one (``str | None`` made
    ``str >> None``) is equivalent by construction and would only dilute the score."""
    spans = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        notes: list[ast.expr | None] = []
        if isinstance(node, ast.arg):
            notes.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            notes.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            notes.append(node.annotation)
        for note in notes:
            if note is not None and note.end_lineno is not None and note.end_col_offset is not None:
                spans.append(((note.lineno, note.col_offset), (note.end_lineno, note.end_col_offset)))
    return spans


def _sample(db_path: Path, tree: Path, per_group: int, rng: random.Random) -> tuple[int, int, int]:
    """Keep ``per_group`` random mutants of the session, mark the rest skipped: (made, in annotations, kept)."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(db_path), WorkDB.Mode.open) as db:
        spans: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
        candidates, annotated = [], 0
        items = sorted(db.work_items, key=lambda item: item.job_id)
        for item in items:
            (mutation,) = item.mutations
            module = str(mutation.module_path)
            if module not in spans:
                spans[module] = _annotation_spans(tree / module)
            start = tuple(mutation.start_pos)
            if any(a <= start < b for a, b in spans[module]):
                annotated += 1
            else:
                candidates.append(item.job_id)
        keep = set(rng.sample(candidates, min(per_group, len(candidates))))
        skipped = [item.job_id for item in items if item.job_id not in keep]
        if skipped:
            db.set_multiple_results(
                skipped, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output="not in this sample")
            )
    return len(items), annotated, len(keep)


def _results(db_path: Path) -> list[dict[str, object]]:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome

    out: list[dict[str, object]] = []
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            (mutation,) = item.mutations
            out.append(
                {
                    "module": str(mutation.module_path),
                    "line": mutation.start_pos[0],
                    "operator": mutation.operator_name,
                    "occurrence": mutation.occurrence,
                    "outcome": str(result.test_outcome.value) if result.test_outcome else str(result.worker_outcome),
                    "diff": result.diff or "",
                    "output": (result.output or "")[-2000:],
                }
            )
    return out


@dataclass
class Report:
    """One group's run: mutants made and sampled, their outcomes, the survivors with their diffs."""

    group: str
    modules: list[str]
    made: int
    in_annotations: int  # equivalent mutants, never sampled (see _annotation_spans)
    sampled: int
    killed: int
    survived: int
    incompetent: int
    seconds: float
    survivors: list[dict[str, object]]
    mutants: list[dict[str, object]]  # every sampled mutant: module, line, operator, outcome (no diff)


def _not_a_test_failure(output: str) -> bool:
    """pytest's own complaints (exit 4 and 5): the command, not the mutant, failed."""
    return "no tests ran" in output or "ERROR: usage" in output or "ERROR: file or directory not found" in output


def run_group(group: Group, tree: Path, per_group: int, timeout: float, rng: random.Random) -> Report:
    work = tree / ".mutation"
    work.mkdir(exist_ok=True)
    config = work / f"{group.name}.toml"
    db_path = work / f"{group.name}.sqlite"
    config.write_text(_config(group, timeout), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(["cosmic-ray", "init", str(config), str(db_path)], cwd=tree, env=env, check=True)
    made, annotated, kept = _sample(db_path, tree, per_group, rng)
    # The unmutated code must pass its tests, run by the very command cosmic-ray runs (split as it
    # splits it), or every mutant would look killed: cosmic-ray counts any non-zero exit as a kill.
    baseline = subprocess.run(shlex.split(_command(group)), cwd=tree, env=env, capture_output=True, text=True)
    if baseline.returncode != 0 or " passed" not in baseline.stdout:
        raise SystemExit(f"{group.name}: the tests do not pass without any mutant:\n{baseline.stdout[-3000:]}")
    started = time.monotonic()
    subprocess.run(["cosmic-ray", "exec", str(config), str(db_path)], cwd=tree, env=env, check=True)
    results = _results(db_path)
    broken = [r for r in results if r["outcome"] == "killed" and _not_a_test_failure(str(r["output"]))]
    if broken:
        raise SystemExit(f"{group.name}: {len(broken)} mutant(s) 'killed' by a broken command:\n{broken[0]}")
    return Report(
        group.name,
        list(group.modules),
        made,
        annotated,
        kept,
        killed=sum(r["outcome"] == "killed" for r in results),
        survived=sum(r["outcome"] == "survived" for r in results),
        incompetent=sum(r["outcome"] == "incompetent" for r in results),
        seconds=round(time.monotonic() - started, 1),
        survivors=[{k: v for k, v in r.items() if k != "output"} for r in results if r["outcome"] == "survived"],
        mutants=[{k: v for k, v in r.items() if k not in ("diff", "output")} for r in results],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-group", type=int, default=8, help="mutants drawn per group (default 8)")
    parser.add_argument("--seed", type=int, default=20, help="seed of the draw (default 20)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant's test run")
    parser.add_argument("--group", action="append", help="run only these groups (repeatable)")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--fail-under", type=float, help="exit 1 when the score (0-100) is below this")
    parser.add_argument("--list", action="store_true", help="print the groups and exit")
    args = parser.parse_args(argv)
    groups = [g for g in GROUPS if not args.group or g.name in args.group]
    if args.list or not groups:
        for g in GROUPS:
            print(f"{g.name:16} {' '.join(g.modules)}  <-  {' '.join(g.tests)}")
        return 0 if args.list else 2
    if shutil.which("cosmic-ray") is None:
        print("tools/mutation.py needs cosmic-ray: pip install -e '.[mutation]'", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    reports: list[Report] = []
    with tempfile.TemporaryDirectory(prefix="idnkit-mutation-") as tmp:
        tree = Path(tmp)
        _copy_tree(tree)
        for group in groups:
            report = run_group(group, tree, args.per_group, args.timeout, rng)
            reports.append(report)
            print(
                f"{group.name}: {report.killed}/{report.killed + report.survived} killed of {report.sampled} "
                f"sampled ({report.made} made, {report.in_annotations} in annotations), "
                f"{report.incompetent} incompetent, {report.seconds} s",
                flush=True,
            )
            for s in report.survivors:
                print(f"  survived {s['module']}:{s['line']} {s['operator']}\n{s['diff']}")
    killed = sum(r.killed for r in reports)
    scored = killed + sum(r.survived for r in reports)
    score = 100.0 * killed / scored if scored else 0.0
    print(f"mutation score: {killed}/{scored} = {score:.1f}% (seed {args.seed}, {args.per_group} per group)")
    if args.json:
        document = {"score": score, "seed": args.seed, "groups": [asdict(r) for r in reports]}
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 1 if args.fail_under is not None and score < args.fail_under else 0


if __name__ == "__main__":
    sys.exit(main())
