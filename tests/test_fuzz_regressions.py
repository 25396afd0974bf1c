"""Every crash the fuzzers found stays fixed: fuzz/regressions/<harness>/<input> runs through its
harness here, as do the seed corpora (so a harness that breaks is noticed without fuzzing)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).resolve().parent.parent / "fuzz"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_loader(name, importlib.machinery.SourceFileLoader(name, str(path)))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


sys.path.insert(0, str(FUZZ))
harnesses = _load("harnesses", FUZZ / "harnesses.py")
runner = _load("fuzz_run", FUZZ / "run")
sys.path.remove(str(FUZZ))


def _inputs(kind: str) -> list[Path]:
    return sorted(p for p in (FUZZ / kind).glob("*/*") if p.is_file() and p.name != "README.md")


@pytest.mark.parametrize("path", _inputs("regressions"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_regression_input_passes_its_harness(path: Path) -> None:
    harnesses.HARNESSES[path.parent.name].run(path.read_bytes())


@pytest.mark.parametrize("path", _inputs("corpus"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_seed_passes_its_harness(path: Path) -> None:
    harnesses.HARNESSES[path.parent.name].run(path.read_bytes())


def test_every_directory_names_a_harness_and_every_harness_has_seeds() -> None:
    for kind in ("corpus", "regressions"):
        for folder in (FUZZ / kind).iterdir():
            if folder.is_dir():
                assert folder.name in harnesses.HARNESSES, f"fuzz/{kind}/{folder.name} names no harness"
    for name in harnesses.HARNESSES:
        assert list((FUZZ / "corpus" / name).iterdir()), f"harness {name} has no seed corpus"
    assert _inputs("regressions"), "fuzz/regressions holds the inputs of fixed bugs"


def test_runner_reports_rates_and_catches_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert runner.main(["--seconds", "1", "--engine", "hypothesis", "explain"]) == 0
    out = capsys.readouterr().out
    assert "explain" in out and "execs/s" in out

    def broken(data: bytes) -> None:
        if b"-" in data:
            raise RuntimeError("boom")

    monkeypatch.setitem(harnesses.HARNESSES, "broken", harnesses.Harness("broken", "test", broken))
    monkeypatch.setattr(runner, "HERE", tmp_path)
    (tmp_path / "corpus" / "broken").mkdir(parents=True)
    (tmp_path / "corpus" / "broken" / "seed").write_bytes(b"a")
    assert runner.main(["--seconds", "2", "--engine", "hypothesis", "broken"]) == 1
    crashes = list((tmp_path / "crashes").iterdir())
    assert len(crashes) == 1 and b"-" in crashes[0].read_bytes()
    assert "RuntimeError: boom" in capsys.readouterr().err
