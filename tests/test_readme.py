"""The examples of README.md and the docs run as written, so they cannot drift from what idnkit does.

The ``>>>`` examples of README.md and docs/*.md run as doctests.  The console examples of README.md
and docs/tutorial.md run as commands:  every ``$ `` command of a ``console`` block runs in a shell,
in a folder holding the files the examples name; where the README shows output, the output must
match (``...`` stands for any text, as in doctest's ELLIPSIS), and every command must exit 0 or 1
(2 would be a usage or input error in the example itself).
"""

from __future__ import annotations

import doctest
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TUTORIAL = ROOT / "docs" / "tutorial.md"
CONSOLE_PAGES = (README, TUTORIAL)
DOCTEST_PAGES = (README, *sorted((ROOT / "docs").glob("*.md")))

# The files the README's console examples name, written fresh for each run.
FIXTURES = {
    "names.txt": "bücher.example\nxn--bcher-kva.example\na·b.example\n",
    "brands.txt": "paypal.com\napple.com\n",
    "de-table.txt": "# a legacy table: one code point or range per line\n"
    + "".join(f"{cp}\n" for cp in ("U+002D", "U+0030..U+0039", "U+0061..U+007A", "U+00E4", "U+00F6", "U+00FC")),
    "example.zone": (
        "$ORIGIN example.\n"
        "@ SOA ns hostmaster 1 7200 3600 1209600 3600\n"
        "@ NS ns\n"
        "ns A 192.0.2.1\n"
        "bücher NS ns.other.\n"
        "bad- NS ns.other.\n"
        "раураӏ NS ns.other.\n"
        "paypal NS ns.other.\n"
        "_dmarc TXT v\n"
    ),
}


def blocks_of(text: str) -> list[tuple[str, int, str]]:
    """Every fenced block of a Markdown text: (info string, line of its first content line, content)."""
    out: list[tuple[str, int, str]] = []
    info: str | None = None
    start, lines = 0, []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            if info is None:
                info, start, lines = line[3:].strip(), number + 1, []
            else:
                out.append((info, start, "".join(lines)))
                info = None
        elif info is not None:
            lines.append(line + "\n")
    return out


def fenced(text: str, info: str) -> list[str]:
    """The contents of every fenced block of ``text`` whose info string is ``info``."""
    return [content for kind, _, content in blocks_of(text) if kind == info]


# The tutorial shows the policy file it lints: that block is the fixture, so the two are one.
FIXTURES["example.toml"] = fenced(TUTORIAL.read_text(encoding="utf-8"), "toml")[0]


@dataclass(frozen=True)
class Example:
    page: str
    line: int
    command: str
    output: str  # empty: the README shows none


def console_examples(page: Path) -> list[Example]:
    name = str(page.relative_to(ROOT))
    examples: list[Example] = []
    for kind, first, content in blocks_of(page.read_text(encoding="utf-8")):
        if kind != "console":
            continue
        command: str | None = None
        start, output = 0, []
        for offset, line in enumerate(content.splitlines()):
            if line.startswith("$ "):
                if command is not None:
                    examples.append(Example(name, start, command, "".join(output)))
                command, start, output = line[2:], first + offset, []
            else:
                output.append(line + "\n")
        if command is not None:
            examples.append(Example(name, start, command, "".join(output)))
    return examples


EXAMPLES = [example for page in CONSOLE_PAGES for example in console_examples(page)]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    for name, content in FIXTURES.items():
        (folder / name).write_text(content, encoding="utf-8")
    (folder / "policies").mkdir()
    shutil.copy(ROOT / "policies" / "se.toml", folder / "policies" / "se.toml")
    shutil.copy(ROOT / "tests" / "data" / "lgr-sets" / "de.xml", folder / "my-table.xml")
    return folder


@pytest.mark.parametrize("page", DOCTEST_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_examples(page: Path) -> None:
    # The python blocks of a page, one doctest in one namespace (a closing fence is not expected output).
    blocks = [b for b in fenced(page.read_text(encoding="utf-8"), "python") if ">>>" in b]
    if page == README:
        assert sum(b.count(">>> ") for b in blocks) >= 10
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_tutorial_zone_is_the_fixture() -> None:
    """The zone the tutorial asks the reader to save is the one its commands run on."""
    blocks = [b for b in fenced(TUTORIAL.read_text(encoding="utf-8"), "") if b.startswith("$ORIGIN")]
    assert blocks == [FIXTURES["example.zone"]]


def test_readme_has_console_examples() -> None:
    assert sum(e.page == "README.md" for e in EXAMPLES) >= 10
    assert all(e.command.startswith("idncheck ") for e in EXAMPLES), [e.command for e in EXAMPLES]


# The registry examples depend on each other (add, then check): they run in page order, in one folder.
@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.page}:{e.line}" for e in EXAMPLES])
def test_readme_console_example(example: Example, workdir: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["COLUMNS"] = "200"
    done = subprocess.run(
        example.command, shell=True, cwd=workdir, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    where = f"{example.page}:{example.line}: {example.command}"
    assert done.returncode in (0, 1), f"{where}: exit {done.returncode}\n{done.stderr}"
    if example.output:
        checker = doctest.OutputChecker()
        assert checker.check_output(example.output, done.stdout, doctest.ELLIPSIS), (
            f"{where}\n--- the page shows\n{example.output}--- idncheck printed\n{done.stdout}{done.stderr}"
        )
