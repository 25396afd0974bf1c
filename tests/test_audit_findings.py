"""The audit's findings store (issue 18): past a bound on disk, read back a block at a time, the
same findings in the same order whatever was kept where."""

from __future__ import annotations

import itertools
import os
import pickle
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from idnkit import Finding, Severity
from idnkit.audit import AuditError, FoldKeys, _findings, audit_zone, report
from idnkit.audit._findings import AuditFinding, Findings
from idnkit.cli import cli

from .test_audit import _generated_zone, _same, _split_owner_zone


def _finding(i: int) -> AuditFinding:
    # every field of the Finding and of the audit's wrapper varies, so a row read back wrongly shows
    if i % 2:
        found = Finding("rfc5891.hyphen_start", f"message {i}", 1, "U+002D", i % 3 + 1)
    else:
        found = Finding("policy.script.mixed", f"se: {i}", None, None, 2, Severity.WARNING, "lgr", "t:r", cite="se")
    return AuditFinding(f"n{i}.nu.", i, "delegation", found, f"ü{i}.nu." if i % 3 else None, placed=bool(i % 2))


def test_a_finding_keeps_its_place_and_reads_as_before() -> None:
    placed = _finding(1)
    assert placed.detail == "label 2, position 1, U+002D: message 1"
    assert placed.to_dict() == {
        "name": "n1.nu.",
        "unicode": "ü1.nu.",
        "line": 1,
        "class": "delegation",
        "rule": "rfc5891.hyphen_start",
        "severity": "error",
        "detail": "label 2, position 1, U+002D: message 1",
        "label": 2,
        "position": 1,
        "codepoint": "U+002D",
    }
    check = _finding(2)  # a check's finding: its message names the label, detail is the message
    assert check.detail == "se: 2" and (check.rule, check.severity) == ("policy.script.mixed", "warning")
    assert _findings._finding(_findings._row(check)) == check and check.finding.source == "se"


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounds of a few findings, so that every path of the store is taken on small inputs."""
    monkeypatch.setattr(_findings, "MEMORY_FINDINGS", 5)
    monkeypatch.setattr(_findings, "BLOCK", 3)


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize("named", [False, True])
def test_a_store_past_its_bound_reads_back_what_was_added(tmp_path: Path, named: bool) -> None:
    expected = [_finding(i) for i in range(24)]
    store = Findings(expected, folder=str(tmp_path), named=named)
    assert len(store) == 24 and store.on_disk == 23  # 5, then blocks of 3 written; 1 in memory
    assert list(store) == expected and store == expected and store == tuple(expected)
    assert store != expected[:-1] and store != [*expected[:-1], _finding(99)]
    assert store[0] == expected[0] and store[7] == expected[7] and store[-1] == expected[-1]
    assert store[3:11] == tuple(expected[3:11]) and store[::-4] == tuple(expected[::-4])
    with pytest.raises(IndexError):
        store[24]
    # two readers at once, each at its own place in the file
    first, second = iter(store), iter(store)
    next(second)
    assert list(zip(first, second, strict=False)) == list(itertools.pairwise(expected))
    files = list(tmp_path.iterdir())
    assert len(files) == (1 if named else 0)  # the client's store has no name: it dies with the process


@pytest.mark.usefixtures("small")
def test_taking_over_a_named_store_copies_its_file_and_removes_it(tmp_path: Path) -> None:
    worker = Findings((_finding(i) for i in range(12)), folder=str(tmp_path), named=True)
    worker.spill()
    assert worker.on_disk == 12
    arrived = pickle.loads(pickle.dumps(worker))  # a worker's result: the file passes by name
    client = Findings([_finding(100)], folder=str(tmp_path))
    client.take(arrived)
    client.append(_finding(101))
    assert list(client) == [_finding(100), *(_finding(i) for i in range(12)), _finding(101)]
    assert len(arrived) == 0 and not list(tmp_path.iterdir())  # the worker's file is gone
    materialised = pickle.loads(pickle.dumps(client))  # an unnamed store is read whole into the pickle
    assert materialised == client and materialised.on_disk == 0


def test_a_store_that_cannot_write_names_the_folder(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    store = Findings(folder=str(gone))
    with pytest.raises(AuditError, match=f"cannot write to the temporary folder {gone}"):
        store.extend(_finding(i) for i in range(_findings.MEMORY_FINDINGS))


def test_partitions_jobs_and_split_names_give_the_same_findings_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seams repaired, names split across the file rewritten: the same result with findings spilled."""
    zone = tmp_path / "gen.zone"
    _generated_zone(zone)
    split = tmp_path / "split.zone"
    split.write_text(_split_owner_zone(), encoding="utf-8")
    kept = [
        audit_zone(zone, "test", key_sources=[FoldKeys()]),
        audit_zone(split, "example", key_sources=[FoldKeys()]),
    ]
    monkeypatch.setattr(_findings, "MEMORY_FINDINGS", 2)
    monkeypatch.setattr(_findings, "BLOCK", 2)
    spilled = [
        audit_zone(zone, "test", key_sources=[FoldKeys()], partition_bytes=2000),
        audit_zone(split, "example", key_sources=[FoldKeys()], partition_bytes=600),
    ]
    for a, b in zip(kept, spilled, strict=True):
        assert b.findings.on_disk > 0 and a.findings.on_disk == 0
        _same(a, b)
        assert list(report.jsonl(a))[:-1] == list(report.jsonl(b))[:-1]
        assert report.csv_text(a) == report.csv_text(b)


def test_jobs_spill_in_the_workers(tmp_path: Path) -> None:
    """Partitions past the real bound in worker processes: written there, taken over by the client."""
    zone = tmp_path / "bad.zone"
    count = 3 * _findings.MEMORY_FINDINGS
    zone.write_text("".join(f"-h{i} IN NS ns.example.\n" for i in range(count)), encoding="utf-8")
    one = audit_zone(zone, "nu", key_sources=[])
    two = audit_zone(zone, "nu", key_sources=[], jobs=2, partition_bytes=zone.stat().st_size // 3)
    assert len(two.findings) == count and two.findings.on_disk > 0
    _same(one, two)


@pytest.mark.usefixtures("small")
def test_the_findings_outlive_the_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    zone = tmp_path / "bad.zone"
    zone.write_text("".join(f"-h{i} IN NS ns.example.\n" for i in range(40)), encoding="utf-8")
    result = audit_zone(zone, "nu", key_sources=[], partition_bytes=300)
    assert os.listdir(tmp_path) == ["bad.zone"]  # the folder is gone, and the findings file has no name
    assert [f.line for f in result.findings] == list(range(1, 41))
    summary = report.summary(result)
    assert "invalid names (first 10 of 40; 40 error findings" in summary and f"{zone}:10: -h9.nu." in summary


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize("fmt", ["summary", "jsonl", "csv", "html"])
def test_every_report_format_streams_the_findings_on_disk(tmp_path: Path, fmt: str) -> None:
    zone = tmp_path / "bad.zone"
    zone.write_text("".join(f"-h{i} IN NS ns.example.\n" for i in range(40)), encoding="utf-8")
    done = CliRunner().invoke(cli, ["audit", str(zone), "--origin", "nu", "-j", "1", "--format", fmt])
    assert done.exit_code == 1, done.output
    result = audit_zone(zone, "nu")
    assert result.findings.on_disk > 0
    expected = {
        "summary": report.summary(result) + "\n",
        "jsonl": "".join(line + "\n" for line in report.jsonl(result)),
        "csv": report.csv_text(result),
        "html": report.html_report(result),
    }[fmt]
    strip = [line for line in expected.splitlines() if "date" not in line]
    assert [line for line in done.output.splitlines() if "date" not in line] == strip
    assert ("-h39.nu." in done.output) == (fmt != "summary")  # the last finding, read back from disk
