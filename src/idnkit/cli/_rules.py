"""``idncheck rules``: every rule id idnkit reports, with the standard and section it comes from."""

from __future__ import annotations

import click

from ..findings import engine_of
from ..rules import RULES
from ._common import json_line

RULES_SCHEMA = "idnkit.rule/1"


@click.command("rules")
@click.argument("prefix", required=False, default="")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per rule (schema idnkit.rule/1).")
def rules_command(prefix: str, as_json: bool) -> None:
    """List the rule ids (those starting with PREFIX, e.g. rfc5892 or policy.table) and their sources.

    The same catalogue is docs/rules.md; every finding in every output names one of these ids.
    """
    chosen = [rule for rule_id, rule in sorted(RULES.items()) if rule_id.startswith(prefix)]
    if not chosen:
        raise click.UsageError(f"no rule id starts with {prefix!r}; `idncheck rules` lists them all")
    for rule in chosen:
        if as_json:
            record = {"schema": RULES_SCHEMA, "rule": rule.id, "engine": engine_of(rule.id)}
            click.echo(json_line({**record, "source": rule.source, "summary": rule.summary}))
        else:
            click.echo(f"{rule.id}  [{rule.source}]\n    {rule.summary}")
