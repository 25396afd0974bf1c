"""The group's command table, loaded on first use, and the group that defaults to ``check``.

Kept apart from ``_common`` (which the commands share and which imports the library) so that
starting ``idncheck`` costs only click and the command that runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_values


class _LazyCommands(dict[str, click.Command]):
    """``Group.commands`` whose entries are imported when first looked up (names are known at once).

    Membership (``name in commands``), ``len`` and iteration over the names import nothing;
    looking a command up, or ``items()``/``values()``, imports its module.
    """

    def __init__(self, package: str, where: dict[str, tuple[str, str]]) -> None:
        super().__init__()
        self._package = package
        self._where = dict(where)

    def _load(self, name: str) -> click.Command:
        module, attribute = self._where.pop(name)
        command: click.Command = getattr(importlib.import_module(module, self._package), attribute)
        super().__setitem__(name, command)
        return command

    def __getitem__(self, name: str) -> click.Command:
        if name in self._where:
            return self._load(name)
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self else default  # noqa: SIM401  (this is get)

    def __contains__(self, name: object) -> bool:
        return name in self._where or super().__contains__(name)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*super().keys(), *self._where}))

    def __len__(self) -> int:
        return len(self._where) + super().__len__()

    def keys(self) -> Any:
        return list(self)

    def _all(self) -> None:
        for name in list(self._where):
            self._load(name)

    def items(self) -> dict_items[str, click.Command]:
        self._all()
        return super().items()

    def values(self) -> dict_values[str, click.Command]:
        self._all()
        return super().values()

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._where.pop(name, None)
        super().__setitem__(name, command)


class DefaultGroup(click.Group):
    """A group that runs ``check`` when the first argument is not a subcommand or a group option."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        own = {opt for param in self.get_params(ctx) for opt in (*param.opts, *param.secondary_opts)}
        if args and args[0] not in self.commands and args[0] not in own:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)
