"""Where each key of a TOML document sits: ``tomllib`` gives values but no positions.

One pass over the text, aware of strings (basic, literal, multi-line), comments, arrays and
inline tables, records the 1-based line of every table header, every key and every top-level
array element, keyed by its path (``("table", 0, "name")`` for ``[[table]]`` entries). Only
documents ``tomllib`` has already accepted are scanned, so the scanner can trust the syntax.
"""

from __future__ import annotations

Path = tuple[str | int, ...]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.array_counts: dict[Path, int] = {}

    # --- low level ---------------------------------------------------------------------------
    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.text[j] if j < len(self.text) else ""

    def advance(self, n: int = 1) -> None:
        for _ in range(n):
            if self.i < len(self.text) and self.text[self.i] == "\n":
                self.line += 1
            self.i += 1

    def skip_ws(self, newlines: bool) -> None:
        while True:
            c = self.peek()
            if c in (" ", "\t", "\r") or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                while self.peek() not in ("", "\n"):
                    self.advance()
            else:
                return

    def string(self) -> str:
        """Read a string at the cursor and return its raw body (escapes left as written)."""
        quote = self.peek()
        if self.text.startswith(quote * 3, self.i):
            self.advance(3)
            start = self.i
            while not self.text.startswith(quote * 3, self.i) or self.text.startswith(quote * 4, self.i):
                if quote == '"' and self.peek() == "\\":
                    self.advance()
                if not self.peek():
                    break
                self.advance()
            body = self.text[start : self.i]
            self.advance(3)
            return body
        self.advance()
        start = self.i
        while self.peek() not in (quote, "", "\n"):
            if quote == '"' and self.peek() == "\\":
                self.advance()
            self.advance()
        body = self.text[start : self.i]
        self.advance()
        return body

    def key(self) -> list[str]:
        """A (possibly dotted, possibly quoted) key."""
        parts: list[str] = []
        while True:
            self.skip_ws(False)
            c = self.peek()
            if c in ('"', "'"):
                parts.append(self.string())
            else:
                start = self.i
                while self.peek() in _BARE and self.peek():
                    self.advance()
                parts.append(self.text[start : self.i])
            self.skip_ws(False)
            if self.peek() == ".":
                self.advance()
                continue
            return parts

    def value(self, path: Path | None) -> None:
        """Skip a value; for an array directly under a key, record where each element starts."""
        c = self.peek()
        if c in ('"', "'"):
            self.string()
        elif c == "[":
            self.advance()
            index = 0
            while True:
                self.skip_ws(True)
                c = self.peek()
                if c in ("]", ""):
                    self.advance()
                    return
                if c == ",":
                    self.advance()
                    continue
                if path is not None:
                    self.lines.setdefault((*path, index), self.line)
                self.value(None)
                index += 1
        elif c == "{":
            self.advance()
            while True:
                self.skip_ws(False)
                c = self.peek()
                if c in ("}", ""):
                    self.advance()
                    return
                if c == ",":
                    self.advance()
                    continue
                self.key()
                if self.peek() == "=":
                    self.advance()
                self.skip_ws(False)
                self.value(None)
        else:
            while self.peek() not in ("", "\n", ",", "]", "}", "#"):
                self.advance()

    # --- document ----------------------------------------------------------------------------
    def document(self) -> dict[Path, int]:
        table: Path = ()
        while True:
            self.skip_ws(True)
            c = self.peek()
            if not c:
                return self.lines
            if c == "[":
                array = self.peek(1) == "["
                line = self.line
                self.advance(2 if array else 1)
                keys: Path = tuple(self.key())
                self.advance(2 if array else 1)
                if array:
                    count = self.array_counts.get(keys, 0)
                    self.array_counts[keys] = count + 1
                    table = (*keys, count)
                else:
                    table = keys
                self.lines.setdefault(table, line)
                continue
            line = self.line
            keys = tuple(self.key())
            path = (*table, *keys)
            self.lines.setdefault(path, line)
            if self.peek() == "=":
                self.advance()
            self.skip_ws(False)
            self.value(path)


def key_lines(text: str) -> dict[Path, int]:
    """The line of every table, key and array element of a valid TOML document."""
    return _Scanner(text).document()


def line_of(lines: dict[Path, int], path: Path) -> int:
    """The line of ``path``, or of its nearest recorded ancestor (1 when none is recorded)."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1
