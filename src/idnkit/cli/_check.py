"""``idncheck check`` and ``idncheck explain``: a thin layer over :func:`check_domain` and :func:`explain`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

import click

from ..errors import IdnkitError
from ..idna import Profile, check_domain
from ..uts46 import OPTION_NAMES, Uts46Options
from ._common import (
    EXPLAIN_SCHEMA,
    CheckView,
    InputFailure,
    NamesCommand,
    Tally,
    Unreadable,
    _emit_profile_result,
    _emit_result,
    _emit_summary,
    _emit_unreadable,
    _from_argument,
    _inputs,
    format_explanation,
    format_unreadable,
    json_line,
    show,
)

if TYPE_CHECKING:
    from .. import profiles

# The choices of --profile, --display-policy and --firefox-profile, spelled here so that building
# the command does not import idnkit.profiles (its dataclasses and the URL parser) for a plain
# `idncheck NAME` (issue 16, start-up); tests/test_lazy_imports.py holds them equal to
# profiles.NAMES, profiles.POLICIES and profiles.FIREFOX_PROFILES.
PROFILE_NAMES = ("registration", "lookup", "uts46", "whatwg-url", "display", "email")
DISPLAY_POLICIES = ("uts39", "firefox", "chromium")
FIREFOX_PROFILES = ("high", "moderate")


@click.command("check", cls=NamesCommand)
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option(
    "-f",
    "--file",
    "files",
    type=click.File("rb"),
    multiple=True,
    metavar="FILE",
    help="Check one name per line of FILE (- for stdin); blank lines and # comments are skipped.",
)
@click.option(
    "--profile",
    type=click.Choice(list(PROFILE_NAMES)),
    default=Profile.REGISTRATION.value,
    show_default=True,
    help="registration (RFC 5891 §4), lookup (RFC 5891 §5), uts46 (UTS #46 with the options below), "
    "whatwg-url (URL Standard host parsing), display (Unicode or A-label?), email (RFC 6531).  "
    "See docs/profiles.md.",
)
@click.option(
    "--map/--no-map",
    "map_",
    default=None,
    help="Apply UTS #46 mapping (case, width, ...) first.  Default: on for lookup, off for registration.",
)
@click.option(
    "--check-hyphens/--no-check-hyphens", default=None, help="uts46: CheckHyphens (UTS #46 §4.1). Default on."
)
@click.option("--check-bidi/--no-check-bidi", default=None, help="uts46: CheckBidi (UTS #46 §4.1). Default on.")
@click.option("--check-joiners/--no-check-joiners", default=None, help="uts46: CheckJoiners (§4.1). Default on.")
@click.option("--std3/--no-std3", default=None, help="uts46: UseSTD3ASCIIRules (UTS #46 §4.1). Default on.")
@click.option(
    "--transitional/--nontransitional", default=None, help="uts46: Transitional_Processing (§4). Default off."
)
@click.option(
    "--verify-dns-length/--no-verify-dns-length", default=None, help="uts46: VerifyDnsLength (§4.2). Default on."
)
@click.option(
    "--ignore-invalid-punycode/--no-ignore-invalid-punycode",
    default=None,
    help="uts46: IgnoreInvalidPunycode (UTS #46 §4). Default off.",
)
@click.option(
    "--display-policy",
    "display_policies",
    type=click.Choice(list(DISPLAY_POLICIES)),
    multiple=True,
    help="display: a policy that decides (repeatable).  Default: all of uts39, firefox, chromium.",
)
@click.option(
    "--firefox-profile",
    type=click.Choice(list(FIREFOX_PROFILES)),
    default=None,
    help="display: Firefox's network.IDN.restriction_profile.  Default: high.",
)
@click.option(
    "--top-domains",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE",
    help="display: names (one per line) whose look-alikes are shown as A-labels (Chromium's top domains).",
)
@click.option(
    "--confusables", is_flag=True, help="Add UTS #39 skeleton, scripts, restriction level and findings per label."
)
@click.option(
    "--against",
    type=click.File("rb"),
    metavar="FILE",
    help="Report collisions (confusables) with the names listed in FILE; a colliding name counts as invalid.",
)
@click.option("--mark-folded", is_flag=True, help="With --against: also mark-folded look-alikes (köhls ~ kohls).")
@click.option(
    "--policy",
    "policy",
    metavar="NAME_OR_FILE",
    help="Also apply a registry policy (a TLD such as se, рф, cn, or a .toml file; 'none' for no policy).  "
    "Default: the official policy of the name's TLD, if idnkit ships one.",
)
@click.option("--language", metavar="TAG", help="The registrant's language tag, for policies that select tables by it.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line (schema idnkit.check/1).")
@click.option(
    "--lgr",
    "lgr_name",
    metavar="NAME",
    help="Also judge the leftmost label by this LGR (see idncheck lgr list).",
)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), help="Write the report to FILE.")
@click.option("-q", "--quiet", is_flag=True, help="Report only names that are not accepted (and the -f summary).")
@click.option("-v", "--verbose", is_flag=True, help="One entry per finding instead of one per problem.")
@click.pass_context
def check(
    ctx: click.Context,
    names: tuple[str, ...],
    files: tuple[IO[bytes], ...],
    profile: str,
    map_: bool | None,
    check_hyphens: bool | None,
    check_bidi: bool | None,
    check_joiners: bool | None,
    std3: bool | None,
    transitional: bool | None,
    verify_dns_length: bool | None,
    ignore_invalid_punycode: bool | None,
    display_policies: tuple[str, ...],
    firefox_profile: str | None,
    top_domains: IO[str] | None,
    confusables: bool,
    against: IO[bytes] | None,
    mark_folded: bool,
    policy: str | None,
    language: str | None,
    as_json: bool,
    lgr_name: str | None,
    output: IO[str] | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check each NAME (U-labels or A-labels, whole names or single labels).

    `check` is the default command: `idncheck NAME...` is `idncheck check NAME...`.  To check a name
    spelled like a command, e.g. "explain", write `idncheck check explain`.

    Exit status: 0 all valid, 1 some name invalid (or colliding with a name of --against FILE),
    2 usage error or unreadable input.  --confusables findings are warnings: they do not change it.
    """
    if not names and not files:
        raise click.UsageError("give at least one NAME or -f FILE", ctx)
    flags = {
        "check_hyphens": check_hyphens,
        "check_bidi": check_bidi,
        "check_joiners": check_joiners,
        "use_std3_ascii_rules": std3,
        "transitional_processing": transitional,
        "verify_dns_length": verify_dns_length,
        "ignore_invalid_punycode": ignore_invalid_punycode,
    }
    given = {k: v for k, v in flags.items() if v is not None}
    registry_options = (
        ("--map/--no-map", map_ is not None),
        ("--confusables", confusables),
        ("--against", against),
        ("--policy", policy),
        ("--lgr", lgr_name),
        ("--language", language),
    )
    _refuse_options_of_other_profiles(
        ctx, profile, given, bool(display_policies or firefox_profile or top_domains), registry_options
    )
    if profile not in ("registration", "lookup"):
        from .. import profiles

        display_options = None
        if profile == "display":
            display_options = profiles.DisplayOptions.with_top_domains(
                top_domains or (),
                policies=display_policies or profiles.POLICIES,
                firefox_restriction_profile=firefox_profile or "high",
            )
        uts46_options = Uts46Options(**given) if profile == "uts46" else None
        _check_with_profile(ctx, names, files, profile, uts46_options, display_options, as_json, output, quiet, verbose)
        return
    views = _registry_views(lgr_name, confusables, against, mark_folded, policy, language, verbose)
    shown_profile = ctx.get_parameter_source("profile") is not click.core.ParameterSource.DEFAULT
    tally = Tally()
    with _progress(files) as tick:
        for where, item in _inputs(names, files):
            tick()
            if isinstance(item, Unreadable):
                tally.unreadable += 1
                _emit_unreadable(item, as_json, output)
                continue
            result = check_domain(item, profile=Profile(profile), map=map_)
            addenda = [view.judge(result) for view in views]
            accepted = result.ok and all(a.ok for a in addenda)
            if accepted:
                tally.valid += 1
            else:
                tally.invalid += 1
            if not (quiet and accepted):
                _emit_result(
                    result,
                    as_json,
                    addenda,
                    verbose=verbose,
                    out=output,
                    where=where,
                    map_option=map_,
                    show_profile=shown_profile,
                )
    if files:
        _emit_summary(tally, as_json, output)
    ctx.exit(tally.exit_code)


def _refuse_options_of_other_profiles(
    ctx: click.Context,
    profile: str,
    uts46_given: dict[str, bool],
    display_given: bool,
    registry_options: Sequence[tuple[str, object]],
) -> None:
    """A usage error for an option the chosen profile does not take (docs/profiles.md), naming it."""
    if uts46_given and profile != "uts46":
        from .. import profiles

        names_given = ", ".join(OPTION_NAMES[k] for k in uts46_given)
        raise click.UsageError(
            f"{names_given}: UTS #46 options apply to --profile uts46; {profile} follows "
            f"{profiles.get(profile).cite} (docs/profiles.md)",
            ctx,
        )
    if display_given and profile != "display":
        raise click.UsageError("--display-policy, --firefox-profile and --top-domains apply to --profile display", ctx)
    if profile not in ("registration", "lookup"):
        extra = [name for name, value in registry_options if value]
        if extra:
            raise click.UsageError(
                f"{', '.join(extra)}: registry checks apply to the registration and lookup profiles", ctx
            )


def _registry_views(
    lgr_name: str | None,
    confusables: bool,
    against: IO[bytes] | None,
    mark_folded: bool,
    policy: str | None,
    language: str | None,
    verbose: bool,
) -> list[CheckView]:
    """What judges a name besides IDNA2008 under registration and lookup: the LGR, look-alikes, the policy."""
    # Imported here, not at the top: `idncheck NAME` starts without the LGR and confusables code
    # unless an option asks for it (the policy code is needed for the TLD's official policy).
    from ._views import PolicyView, ScriptsView, policy_selector

    views: list[CheckView] = []
    table = None
    if lgr_name:
        from ._lgr import LgrView, load_table

        table = load_table(lgr_name)
        views.append(LgrView(table))
    if confusables or against is not None:  # else ConfusablesView.from_options gives None
        from ..lgr import IndexLabelKeys
        from ._confusables import ConfusablesView

        # With --lgr, --against also finds the listed names that are variants (same index label).
        lgr_keys = [IndexLabelKeys(table)] if table is not None else []
        confusables_view = ConfusablesView.from_options(confusables, against, mark_folded, lgr_keys)
        if confusables_view is not None:
            views.append(confusables_view)
    if not confusables:
        views.append(ScriptsView())  # --confusables reports mixed scripts through the restriction level
    views.append(PolicyView(policy_selector(policy, language), verbose=verbose))
    return views


def _check_with_profile(
    ctx: click.Context,
    names: tuple[str, ...],
    files: tuple[IO[bytes], ...],
    profile: str,
    options: Uts46Options | None,
    display: profiles.DisplayOptions | None,
    as_json: bool,
    output: IO[str] | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """``check`` under a profile other than registration and lookup (idnkit.profiles)."""
    from .. import profiles

    tally = Tally()
    with _progress(files) as tick:
        for where, item in _inputs(names, files):
            tick()
            if isinstance(item, Unreadable):
                tally.unreadable += 1
                _emit_unreadable(item, as_json, output)
                continue
            result = profiles.check(item, profile, options=options, display=display)
            if result.ok:
                tally.valid += 1
            else:
                tally.invalid += 1
            if not (quiet and result.ok):
                _emit_profile_result(result, as_json, verbose=verbose, out=output, where=where)
    if files:
        _emit_summary(tally, as_json, output)
    ctx.exit(tally.exit_code)


@contextmanager
def _progress(files: Sequence[IO[bytes]]) -> Iterator[Callable[[], None]]:
    """A count of names checked and their rate on stderr, while a -f file is read, when stderr is a terminal."""
    if not files or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress, TextColumn

    start = time.monotonic()
    with Progress(TextColumn("checked {task.completed:,} names, {task.fields[rate]}"), transient=True) as bar:
        task = bar.add_task("check", total=None, rate="")
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if done % 1000 == 0:
                rate = done / max(time.monotonic() - start, 1e-6)
                bar.update(task, completed=done, rate=f"{rate:,.0f}/s")

        yield tick


@click.command("explain")
@click.argument("codepoints", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line (schema idnkit.explain/1).")
def explain_command(codepoints: tuple[str, ...], as_json: bool) -> None:
    """Explain each CODEPOINT: U+00DF, 0xDF, 00DF or the character itself (ß)."""
    from ..idna import explain

    explanations = []
    for number, arg in enumerate(codepoints, 1):
        spec = _from_argument(arg, number)
        if isinstance(spec, Unreadable):
            raise InputFailure(format_unreadable(spec))
        try:
            explanations.append(explain(spec))
        except IdnkitError as error:
            raise InputFailure(show(str(error))) from None
    for explanation in explanations:
        if as_json:
            click.echo(json_line({"schema": EXPLAIN_SCHEMA, **explanation.to_dict()}))
        else:
            click.echo("\n".join(format_explanation(explanation)))
