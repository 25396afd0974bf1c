"""The console's pages: thin handlers that parse a form, call the library and render a template.

Verdicts come from :mod:`idnkit.namecheck` (the record ``idncheck check --json`` and ``/v1/check``
build), variants from the policy's LGR, registrations from the service's registry store: the console
re-derives nothing.  Every page needs a signed-in user; roles gate what a page may change.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import lgr as lgrmod
from .. import policy as policymod
from ..collisions import CollisionIndex, SkeletonKeys, unicode_form
from ..confusables import confusable, skeleton
from ..errors import IdnkitError
from ..idna import Profile, check_domain, explain
from ..namecheck import ConfusablesJudge, Judge, LgrJudge, PolicyJudge, Verdict, check_record
from ..policy import Policy
from ..service import Resources, ServiceConfig, create_app
from ..service._errors import ApiError
from ._config import ConsoleConfig
from ._i18n import DEFAULT, Language, languages
from ._jobs import AuditJobs
from ._review import ReviewQueue
from ._users import ConsoleRole, User, UserStore, add_user
from ._view import characters, codepoint_name, finding_views, marker

MAX_NAME = 1024  # characters of a form field holding a name; longer input is refused before any check
MAX_PROTECTED = 10_000  # names in a look-alike list typed into the form
_HANDLER = Callable[[Request], Awaitable[Response]]

# Fonts the pages ask for (docs/console.md): Debian's fonts-noto-core and fonts-noto-cjk cover every shipped script.
FONTS = "Noto Sans, Noto Sans Arabic, Noto Sans Hebrew, Noto Sans Devanagari, Noto Sans Thai, Noto Sans CJK SC"


class Console:
    """One console process's state: users, languages, templates, login throttle, review queue, audit jobs."""

    def __init__(self, resources: Resources, config: ConsoleConfig) -> None:
        self.res = resources
        self.config = config
        self.users = UserStore(config.users)
        self.languages = languages()
        self.envs = {code: self._env(lang) for code, lang in self.languages.items()}
        self.jobs = AuditJobs(config.audit_dir, config.audit_state)
        self.protected = self._read_protected(config.protected)
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _env(lang: Language) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("idnkit.web", "templates"),
            autoescape=True,  # every name is hostile input: escape everything, mark nothing safe
            extensions=["jinja2.ext.i18n"],
            undefined=jinja2.StrictUndefined,
        )
        env.install_gettext_translations(lang.translations, newstyle=True)  # type: ignore[attr-defined]
        return env

    @staticmethod
    def _read_protected(path: str | None) -> list[str]:
        if path is None:
            return []
        try:
            with open(path, encoding="utf-8") as f:
                lines = [line.strip() for line in f]
        except (OSError, UnicodeDecodeError) as e:
            raise IdnkitError(f"{path}: cannot read the protected names: {e}") from None
        return [line for line in lines if line and not line.startswith("#")][:MAX_PROTECTED]

    # --- login throttle ---------------------------------------------------------------------------
    def throttled(self, keys: list[str]) -> int:
        """Seconds until the next login attempt is allowed for any of ``keys`` (0: now)."""
        cutoff = time.monotonic() - self.config.login_window
        wait = 0
        with self._lock:
            for key in keys:
                times = self._failures.get(key)
                if not times:
                    continue
                while times and times[0] < cutoff:
                    times.popleft()
                if len(times) >= self.config.login_attempts:
                    wait = max(wait, int(times[0] - cutoff) + 1)
        return wait

    def failed(self, keys: list[str]) -> None:
        with self._lock:
            if len(self._failures) > 100_000:  # bounded: an attacker cycling names cannot grow it forever
                self._failures.clear()
            for key in keys:
                self._failures.setdefault(key, deque(maxlen=self.config.login_attempts)).append(time.monotonic())

    def review(self) -> ReviewQueue | None:
        return ReviewQueue(self.res.store) if self.res.store is not None else None


def console(request: Request) -> Console:
    found: Console = request.app.state.console
    return found


# --- request helpers ------------------------------------------------------------------------------
def language(request: Request) -> Language:
    c = console(request)
    wanted = request.query_params.get("lang")
    if wanted in c.languages:
        request.session["lang"] = wanted
    return c.languages.get(request.session.get("lang", DEFAULT), c.languages[DEFAULT])


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def current_user(request: Request) -> User | None:
    name = request.session.get("user")
    if not isinstance(name, str):
        return None
    return console(request).users.get(name)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    env = console(request).envs[lang.code]
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    switch = [
        (code, other.name, f"{request.url.path}?{urlencode({**query, 'lang': code})}")
        for code, other in console(request).languages.items()
    ]
    body = env.get_template(template).render(
        request_path=request.url.path,
        user=current_user(request),
        lang=lang,
        languages=switch,
        csrf=csrf_token(request),
        fonts=FONTS,
        **context,
    )
    return HTMLResponse(body, status_code=status)


def gettext_for(request: Request) -> Callable[[str], str]:
    return language(request).translations.gettext


def need(role: ConsoleRole) -> Callable[[_HANDLER], _HANDLER]:
    """A page for signed-in users holding ``role``: others go to the login page, or get 403."""

    def wrap(handler: _HANDLER) -> _HANDLER:
        async def page(request: Request) -> Response:
            user = current_user(request)
            if user is None:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
            if not user.role.may(role):
                _ = gettext_for(request)
                return render(
                    request,
                    "error.html",
                    status=403,
                    title=_("Not allowed"),
                    message=_("This page needs the role %(role)s; you are signed in as %(user)s (%(have)s).")
                    % {"role": role.value, "user": user.name, "have": user.role.value},
                )
            if request.method == "POST":
                form = await request.form()
                sent = form.get("csrf")
                if not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(request)):
                    return csrf_refused(request)
            return await handler(request)

        page.__name__ = handler.__name__
        page.__doc__ = handler.__doc__
        return page

    return wrap


def csrf_refused(request: Request) -> Response:
    _ = gettext_for(request)
    return render(
        request,
        "error.html",
        status=403,
        title=_("Form refused"),
        message=_("The form did not carry this session's security token (CSRF): reload the page and send it again."),
    )


def field(request: Request, name: str, default: str = "") -> str:
    value = request.query_params.get(name, default)
    if len(value) > MAX_NAME:
        raise HTTPException(413, f"the field {name!r} is longer than {MAX_NAME} characters")
    return value.strip()


async def form_field(request: Request, name: str, default: str = "", limit: int = MAX_NAME) -> str:
    form = await request.form()
    value = form.get(name, default)
    if not isinstance(value, str):
        raise HTTPException(422, f"the field {name!r} must be text")
    if len(value) > limit:
        raise HTTPException(413, f"the field {name!r} is longer than {limit} characters")
    return value.strip()


def safe_next(target: str) -> str:
    """A redirect target on this site only (no scheme, no host, no ``//``)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/check"


# --- sign in and out ------------------------------------------------------------------------------
async def login(request: Request) -> Response:
    """GET: the form; POST: check the password (rate-limited per user name and per client address)."""
    c = console(request)
    _ = gettext_for(request)
    nxt = safe_next(request.query_params.get("next", "/check"))
    if request.method == "GET":
        return render(request, "login.html", next=nxt, error=None)
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(request)):
        return csrf_refused(request)
    name = str(form.get("username", ""))[:64]
    password = str(form.get("password", ""))[:1024]
    nxt = safe_next(str(form.get("next", nxt)))
    keys = [f"user:{name}", f"addr:{request.client.host if request.client else '-'}"]
    wait = c.throttled(keys)
    if wait:
        response = render(
            request,
            "login.html",
            status=429,
            next=nxt,
            error=_("Too many failed sign-ins: try again in %(seconds)d seconds.") % {"seconds": wait},
        )
        response.headers["Retry-After"] = str(wait)
        return response
    user = c.users.verify(name, password)
    if user is None:
        c.failed(keys)
        return render(request, "login.html", status=401, next=nxt, error=_("Wrong user name or password."))
    lang = request.session.get("lang")
    request.session.clear()  # a new session on sign-in: a token planted before it is worthless
    request.session.update({"user": user.name, "csrf": secrets.token_urlsafe(32)})
    if lang:
        request.session["lang"] = lang
    return RedirectResponse(nxt, status_code=303)


async def logout(request: Request) -> Response:
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(request)):
        return csrf_refused(request)
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    return RedirectResponse("/login", status_code=303)


async def home(request: Request) -> Response:
    return RedirectResponse("/check", status_code=303)


# --- check ----------------------------------------------------------------------------------------
def policy_for(res: Resources, name: str, named: str) -> tuple[str | None, Policy | None]:
    """The policy a page judges ``name`` by: the one asked for, the service's, or the TLD's shipped one."""
    if not named:
        tld = name.rstrip(".").rpartition(".")[2]
        if tld and res.is_shipped_policy(tld):
            named = tld
        elif res.config.policy is not None:
            named = res.config.policy
    if not named or named == policymod.NO_POLICY:
        return None, None
    if not res.is_shipped_policy(named) and named != res.config.policy:
        raise HTTPException(404, f"no shipped policy {named!r}")
    selector = res.selector(named, None)
    return named, selector.policy_for(name if "." in name else f"x.{named}")


def default_table(policy: Policy | None) -> str | None:
    if policy is None:
        return None
    for table in policy.data.tables.tables:
        if table.path is None:
            return table.ref
    return None


def _judges(res: Resources, name: str, named_policy: str, lgr_name: str) -> tuple[list[Judge], str | None, str | None]:
    named, policy = policy_for(res, name, named_policy)
    table_name = lgr_name or default_table(policy)
    judges: list[Judge] = []
    if table_name:
        judges.append(LgrJudge(res.table(table_name)))
    judges.append(ConfusablesJudge(confusables=True))
    if named is not None:
        judges.append(PolicyJudge(res.selector(named, None)))
    return judges, named, table_name


def check_view(res: Resources, name: str, named_policy: str, lgr_name: str, _: Callable[[str], str]) -> dict[str, Any]:
    """Everything the check page shows for one name (shared with bench/bench_console.py)."""
    result = check_domain(name, profile=Profile.REGISTRATION)
    judges, named, table_name = _judges(res, name, named_policy, lgr_name)
    verdicts: list[Verdict] = []
    for judge in judges:
        try:
            verdicts.append(judge.judge(result))
        except IdnkitError as e:  # a table that cannot run on this name: shown, not a 500
            verdicts.append(Verdict("error", False, {"error": str(e)}))
    record = check_record(result, verdicts)
    engines: list[dict[str, Any]] = []
    flagged: dict[int, set[int]] = {}

    def add(title: str, ok: bool | None, findings: list[dict[str, Any]], label: int | None, note: str = "") -> None:
        for f in findings:
            index = f.get("label") or label
            if index and f.get("position"):
                flagged.setdefault(index, set()).add(int(f["position"]))
        engines.append({"title": title, "ok": ok, "note": note, "findings": finding_views(findings, _)})

    idna_findings = [f for lab in record["labels"] for f in lab["findings"]] + list(record["findings"])
    add("IDNA2008 / UTS #46", record["valid"], idna_findings, None)
    if "lgr" in record:
        lgr_rec = record["lgr"]
        add(
            f"LGR {lgr_rec['lgr']}",
            bool(lgr_rec["valid"]),
            list(lgr_rec["findings"]),
            1,
            _("disposition: %(d)s") % {"d": lgr_rec["disposition"]},
        )
    if "policy" in record:
        pol = record["policy"]
        add(_("Policy %(p)s") % {"p": pol.get("policy", named)}, bool(pol.get("valid")), list(pol["findings"]), 1)
    elif named is not None:
        engines.append(
            {
                "title": _("Policy %(p)s") % {"p": named},
                "ok": None,
                "findings": [],
                "note": _("not judged: the name is not valid under IDNA2008"),
            }
        )
    conf = [
        f | {"label": f.get("label") or i}
        for i, rep in enumerate(record.get("confusables", []), 1)
        for f in rep["findings"]
    ]
    scripts = ", ".join("+".join(rep["scripts"]) for rep in record.get("confusables", []))
    add("UTS #39", not any(f["severity"] == "error" for f in conf), conf, None, _("scripts: %(s)s") % {"s": scripts})
    labels = []
    for i, lab in enumerate(record["labels"], 1):
        text = lab["ulabel"] or lab["input"]
        labels.append(
            {
                "ulabel": text,
                "alabel": lab["alabel"],
                "valid": lab["valid"],
                "chars": characters(text, flagged.get(i, ())),
            }
        )
    return {
        "record": record,
        "accepted": record.get("accepted", record["valid"]),
        "labels": labels,
        "engines": engines,
        "policy": named,
        "table": table_name,
        "ascii": record["ascii"],
        "unicode": record["name"] or record["input"],
    }


@need(ConsoleRole.VIEWER)
async def check_page(request: Request) -> Response:
    """The verdict of every engine on one name, each finding at its position."""
    res = console(request).res
    name = field(request, "name")
    view: dict[str, Any] | None = None
    error = None
    if name:
        try:
            view = check_view(res, name, field(request, "policy"), field(request, "lgr"), gettext_for(request))
        except IdnkitError as e:
            error = str(e)
    return render(request, "check.html", name=name, view=view, error=error, registry=res.store is not None)


# --- explain --------------------------------------------------------------------------------------
def _allowed_by(res: Resources, cp: int) -> list[dict[str, Any]]:
    """Which shipped policies' tables hold ``cp`` in their repertoire (RFC 7940 §5), and what else they say."""
    out = []
    for entry in policymod.shipped():
        policy = res.selector(entry.tld, None).policy_for(f"x.{entry.tld}")  # loaded once per worker
        if policy is None:
            continue
        data = policy.data
        tables = []
        for table in data.tables.tables:
            if table.path is not None:
                continue
            tables.append({"table": table.ref, "holds": (cp,) in res.table(table.ref).chars})
        script_ok = not data.scripts.allowed or any(
            s in data.scripts.allowed for s in explain(f"U+{cp:04X}").script_extensions
        )
        out.append(
            {
                "tld": entry.tld,
                "status": entry.status,
                "tables": tables,
                "script": script_ok,
                "disallowed": cp in data.idna.disallow,
            }
        )
    return out


@need(ConsoleRole.VIEWER)
async def explain_page(request: Request) -> Response:
    """A code point: its RFC 5892 derivation, properties and which shipped tables and policies allow it."""
    res = console(request).res
    spec = field(request, "cp")
    found = allowed = None
    error = None
    if spec:
        try:
            found = explain(spec)
            allowed = _allowed_by(res, int(found.codepoint[2:], 16))
        except IdnkitError as e:
            error = str(e)
    char = None
    if found is not None:
        cp = int(found.codepoint[2:], 16)
        char = marker(cp) or chr(cp)
    return render(request, "explain.html", spec=spec, found=found, char=char, allowed=allowed, error=error)


# --- variants -------------------------------------------------------------------------------------
def _registry_status(res: Resources, tld: str, label: str) -> dict[str, str]:
    """Label -> what the registry holds for it: registered (by whom) or reserved in a bundle."""
    if res.store is None or not tld:
        return {}
    try:
        registry = res.registry(f"{label}.{tld}")
    except Exception:  # no policy for the TLD: no registry view, the variants still show
        return {}
    status: dict[str, str] = {}
    record = registry.get(f"{label}.{tld}")
    if record is None:
        return status
    names, reservations = registry.bundle_of(f"{label}.{tld}")
    for r in reservations:
        status[r.label] = f"{r.action.value}:{r.registrant}"
    for n in names:
        status[n.name] = f"registered:{n.registrant}"
    return status


@need(ConsoleRole.VIEWER)
async def variants_page(request: Request) -> Response:
    """A label's variants under a shipped LGR: dispositions, the count, glyphs large, registry state."""
    c = console(request)
    res = c.res
    label = field(request, "label")
    tld = field(request, "tld", c.config.tld)
    _, policy = policy_for(res, f"x.{tld}", "") if tld else (None, None)
    table_name = field(request, "lgr") or default_table(policy) or ""
    rows: list[dict[str, Any]] = []
    count = 0
    verdict = None
    error = None
    if label and table_name:
        try:
            table = res.table(table_name)
            label_u = unicode_form(label)
            verdict = table.validate(label_u)
            if verdict.eligible:
                count = table.variant_count(label_u)
                state = _registry_status(res, tld, label_u)
                for v in table.variants(label_u, limit=res.config.limits.max_variants):
                    action = policy.data.variants.action(v.disposition).value if policy is not None else None
                    held, _sep, who = state.get(v.label, "").partition(":")
                    rows.append(
                        {
                            "label": v.label,
                            "disposition": v.disposition,
                            "types": v.types,
                            "action": action,
                            "registry": held,
                            "holder": who,
                            "chars": characters(
                                v.label,
                                [i for i, (a, b) in enumerate(zip(v.label, label_u, strict=False), 1) if a != b],
                            ),
                        }
                    )
        except (IdnkitError, HTTPException) as e:
            error = str(getattr(e, "detail", e))
    tables = [e.name for e in lgrmod.catalogue()]
    return render(
        request,
        "variants.html",
        label=label,
        tld=tld,
        table=table_name,
        tables=tables,
        rows=rows,
        count=count,
        verdict=verdict,
        error=error,
        label_chars=characters(unicode_form(label)) if label else [],
    )


# --- look-alikes -------------------------------------------------------------------------------------------------
def _pair(a: str, b: str) -> dict[str, Any]:
    """The two names side by side, the characters of each that differ (and are confusable) marked."""
    from ..collisions import _differing_labels

    la, lb = _differing_labels(a, b)
    kind = confusable(la, lb, mark_folded=True)
    marks_a = [i for i, ch in enumerate(a, 1) if i > len(b) or b[i - 1] != ch]
    marks_b = [i for i, ch in enumerate(b, 1) if i > len(a) or a[i - 1] != ch]
    return {
        "a": characters(a, marks_a),
        "b": characters(b, marks_b),
        "kind": kind.value if kind else None,
        "skeleton": skeleton(la),
        "differing": [
            {"a": ch.codepoint + " " + ch.name, "b": other.codepoint + " " + other.name}
            for ch, other in zip(characters(a), characters(b), strict=False)
            if ch.char != other.char
        ],
    }


@need(ConsoleRole.VIEWER)
async def lookalikes_page(request: Request) -> Response:
    """A name against the registry's names and a protected list: each collision side by side, its kind."""
    c = console(request)
    res = c.res
    name = field(request, "name")
    extra = [n.strip() for n in request.query_params.get("protected", "").splitlines() if n.strip()][:MAX_PROTECTED]
    hits: list[dict[str, Any]] = []
    error = None
    if name:
        try:
            target = unicode_form(name)
            tld = target.rpartition(".")[2] if "." in target else c.config.tld
            sources: dict[str, str] = {}
            for n in [*c.protected, *extra]:
                sources.setdefault(unicode_form(n), "protected")
            if res.store is not None:
                try:
                    registry = res.registry(f"x.{tld}")
                    for record in registry.names():
                        sources.setdefault(f"{record.name}.{tld}", "registry")
                except Exception:  # no policy for that TLD: the registry has nothing under it
                    pass
            # UTS #39 skeletons, and the TLD's LGR index labels (RFC 7940 §8.5) for variants of a registered name.
            _named, policy = policy_for(res, target, "")
            table_name = default_table(policy)
            keys: list[Any] = [SkeletonKeys()]
            if table_name:
                keys.append(lgrmod.IndexLabelKeys(res.table(table_name)))
            index = CollisionIndex(sources=keys, mark_folded=True)
            index.add_many(sources)
            owner = {n.partition(".")[0]: n for n in sources if "." in n and n.rpartition(".")[2] == tld}
            index.add_many(owner)  # labels under the same TLD, so label keys (variants) meet too
            seen: set[str] = set()
            labels = [part for part in target.split(".") if part]
            for query in dict.fromkeys([".".join(labels), *labels]):
                for hit in index.query(query):
                    other = hit.name if hit.name in sources else owner.get(hit.name, "")
                    if not other or other in seen or other == target:
                        continue
                    seen.add(other)
                    pair = _pair(target, other)
                    kind = pair["kind"] or ("variant" if hit.kind == "lgr-variant" else hit.kind)
                    hits.append(pair | {"other": other, "kind": kind, "source": sources[other]})
        except IdnkitError as e:
            error = str(e)
    return render(
        request,
        "lookalikes.html",
        name=name,
        protected="\n".join(extra),
        hits=hits,
        error=error,
        protected_count=len(c.protected),
    )


# --- policy ---------------------------------------------------------------------------------------
def repertoire(res: Resources, policy: Policy) -> list[dict[str, Any]]:
    """Per table, per script: the characters the table holds (RFC 7940 §5), as the page lists them."""
    from ..unicode import SCRIPT

    out = []
    for table in policy.data.tables.tables:
        if table.path is not None:
            continue
        by_script: dict[str, list[Any]] = {}
        for cps in sorted(res.table(table.ref).chars):
            if len(cps) != 1:
                continue  # sequences are listed by the LGR tool; the page shows single code points
            by_script.setdefault(SCRIPT[cps[0]], []).append(cps[0])
        scripts = []
        for script, members in sorted(by_script.items(), key=lambda kv: -len(kv[1])):
            shown = members[:2000]
            scripts.append(
                {
                    "script": script,
                    "count": len(members),
                    "shown": len(shown),
                    "chars": [
                        {"char": marker(cp) or chr(cp), "codepoint": f"U+{cp:04X}", "name": codepoint_name(cp)}
                        for cp in shown
                    ],
                }
            )
        out.append({"table": table.ref, "tag": table.tag, "scripts": scripts})
    return out


@need(ConsoleRole.VIEWER)
async def policy_page(request: Request) -> Response:
    """What a TLD's policy allows: identity, rules in words, the repertoire per script."""
    c = console(request)
    res = c.res
    tld = field(request, "tld", c.config.tld)
    shipped = policymod.shipped()
    data = tables = None
    error = None
    if tld:
        try:
            _named, policy = policy_for(res, f"x.{tld}", tld)
            if policy is None:
                raise IdnkitError(f"no policy for {tld!r}")
            data = policy.data.to_dict()
            tables = repertoire(res, policy)
            data["reserved_names"] = sorted(policy.data.reserved.names)[:500]
            data["blocked_names"] = sorted(policy.data.blocked.names)[:500]
        except (IdnkitError, HTTPException) as e:
            error = str(getattr(e, "detail", e))
    return render(request, "policy.html", tld=tld, shipped=shipped, data=data, tables=tables, error=error)


# --- review queue ---------------------------------------------------------------------------------
def review_reasons(policy: Policy, ulabel: str, protected: list[str], tld: str) -> tuple[list[str], list[str]]:
    """Why registering ``ulabel`` needs a person, and why it is refused outright, by the policy's ``[review]``
    (docs/policy-format.md): variants of the listed actions, look-alikes of protected names by kind."""
    rules = policy.data.review
    review: list[str] = []
    refuse: list[str] = []
    for v in policy.variants(ulabel):
        if v.action in rules.variants:
            review.append(f"variant {v.label} ({v.disposition}) is {v.action.value} under the policy")
    if protected:
        index = CollisionIndex(sources=[SkeletonKeys()], mark_folded=True)
        index.add_many(protected)
        for query in (f"{ulabel}.{tld}", ulabel):
            for hit in index.query(query):
                if hit.name == query:
                    continue
                reason = f"looks like the protected name {hit.name} ({hit.kind})"
                if hit.kind in rules.refuse_lookalikes:
                    refuse.append(reason)
                elif hit.kind in rules.lookalikes:
                    review.append(reason)
    return list(dict.fromkeys(review)), list(dict.fromkeys(refuse))


@need(ConsoleRole.CLERK)
async def register_request(request: Request) -> Response:
    """A clerk files a registration: refused with every reason, sent to review, or registered outright."""
    c = console(request)
    res = c.res
    name = await form_field(request, "name")
    registrant = await form_field(request, "registrant", limit=64) or "-"
    user = current_user(request)
    assert user is not None
    queue = c.review()
    if queue is None or not name:
        raise HTTPException(404, "this console has no registry database (--db)")
    full = unicode_form(name)
    registry = res.registry(full)
    tld = full.rpartition(".")[2]
    check = registry.can_register(full, registrant)
    if not check.ok:
        return render(request, "registered.html", name=full, check=check.to_dict(), item=None, added=False, refusals=[])
    ulabel = check.ulabel or full.partition(".")[0]
    reasons, refusals = review_reasons(registry.policy, ulabel, c.protected, tld)
    if refusals:
        return render(
            request, "registered.html", name=full, check=check.to_dict(), item=None, added=False, refusals=refusals
        )
    if reasons:
        item = queue.submit(full, registrant, reasons, user.name)
        return render(request, "registered.html", name=full, check=check.to_dict(), item=item, added=False, refusals=[])
    added = registry.add(full, registrant)
    return render(request, "registered.html", name=full, check=added.to_dict(), item=None, added=added.ok, refusals=[])


REVIEW_PAGE = 50  # open items per page of /review, and the most recent decided items shown


@need(ConsoleRole.VIEWER)
async def review_page(request: Request) -> Response:
    """The open items a page at a time (``?page=N``, from 1), oldest first, then the latest decisions."""
    queue = console(request).review()
    opened: list[Any] = []
    closed: list[Any] = []
    pages, waiting = 1, 0
    try:
        page = max(1, int(field(request, "page") or "1"))
    except ValueError:
        page = 1
    if queue is not None:
        waiting = queue.count("open")
        pages = max(1, -(-waiting // REVIEW_PAGE))
        page = min(page, pages)
        opened = queue.items("open", limit=REVIEW_PAGE, offset=(page - 1) * REVIEW_PAGE)
        for state in ("approved", "refused"):
            last = max(0, queue.count(state) - REVIEW_PAGE)
            closed += queue.items(state, limit=REVIEW_PAGE, offset=last)
        closed = sorted(closed, key=lambda i: i.history[0].when)[-REVIEW_PAGE:]
    return render(
        request,
        "review.html",
        open=opened,
        waiting=waiting,
        page=page,
        pages=pages,
        closed=closed,
        registry=queue is not None,
    )


@need(ConsoleRole.CLERK)
async def review_decide(request: Request) -> Response:
    """Approve (and register) or refuse an item, with the clerk's reason; both are recorded."""
    c = console(request)
    queue = c.review()
    user = current_user(request)
    assert queue is not None
    assert user is not None
    item_id = request.path_params["item"]
    decision = await form_field(request, "decision", limit=16)
    reason = await form_field(request, "reason", limit=2000)
    _ = gettext_for(request)
    item = queue.get(item_id)
    if item is None:
        raise HTTPException(404, f"no review item {item_id}")
    if decision not in {"approve", "refuse"} or not reason:
        return render(
            request,
            "error.html",
            status=422,
            title=_("Decision incomplete"),
            message=_("Choose approve or refuse and give a reason."),
        )
    if decision == "refuse":
        queue.decide(item_id, user.name, "refused", reason)
    else:
        queue.decide(item_id, user.name, "approved", reason)
        added = c.res.registry(item.name).add(item.name, item.registrant)
        outcome = "registered" if added.ok else "not registered: " + "; ".join(f.message for f in added.errors)
        queue.decide(item_id, "registry", "registered" if added.ok else "failed", outcome)
    return RedirectResponse(f"/history?name={quote(item.name)}", status_code=303)


@need(ConsoleRole.VIEWER)
async def history_page(request: Request) -> Response:
    """A name's history: its registration and every review decision on it."""
    c = console(request)
    name = field(request, "name")
    events: list[Any] = []
    record = None
    if name and c.res.store is not None:
        full = unicode_form(name)
        queue = c.review()
        assert queue is not None
        events = queue.history(full)
        try:
            record = c.res.registry(full).get(full)
        except Exception:  # no policy applies: nothing can be registered under it
            record = None
    return render(request, "history.html", name=name, events=events, record=record)


# --- audits ---------------------------------------------------------------------------------------
@need(ConsoleRole.VIEWER)
async def audits_page(request: Request) -> Response:
    jobs = console(request).jobs
    return render(request, "audits.html", files=jobs.files(), jobs=jobs.jobs(), error=None)


@need(ConsoleRole.CLERK)
async def audit_start(request: Request) -> Response:
    c = console(request)
    user = current_user(request)
    assert user is not None
    file = await form_field(request, "file", limit=255)
    origin = await form_field(request, "origin", limit=255)
    names_list = (await form_field(request, "kind", limit=16)) == "names"
    try:
        job = c.jobs.start(file, origin, names_list, user.name)
    except IdnkitError as e:
        return render(request, "audits.html", status=422, files=c.jobs.files(), jobs=c.jobs.jobs(), error=str(e))
    return RedirectResponse(f"/audits/{job.id}", status_code=303)


def _job(request: Request) -> Any:
    job = console(request).jobs.get(request.path_params["job"])
    if job is None:
        raise HTTPException(404, "no such audit")
    return job


@need(ConsoleRole.VIEWER)
async def audit_page(request: Request) -> Response:
    return render(request, "audit.html", job=_job(request))


@need(ConsoleRole.VIEWER)
async def audit_status(request: Request) -> Response:
    return JSONResponse(_job(request).status(), headers={"Cache-Control": "no-store"})


@need(ConsoleRole.VIEWER)
async def audit_report(request: Request) -> Response:
    job = _job(request)
    if job.state != "done":
        raise HTTPException(409, "the audit has not finished")
    # The audit's own self-contained report (inline styles, no script): its own, stricter CSP.
    return HTMLResponse(
        job.report, headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
    )


# --- admin ----------------------------------------------------------------------------------------
@need(ConsoleRole.ADMIN)
async def users_page(request: Request) -> Response:
    """Admins list users and add one (the users file is re-read by every worker when it changes)."""
    c = console(request)
    message = None
    if request.method == "POST":
        if c.config.users is None:
            raise HTTPException(404, "the console has no users file")
        try:
            role = ConsoleRole(await form_field(request, "role", limit=16))
            added = add_user(
                c.config.users,
                await form_field(request, "username", limit=64),
                role,
                await form_field(request, "password", limit=1024),
            )
            message = added.name
        except (ValueError, IdnkitError) as e:
            message = str(e)
    return render(request, "users.html", users=c.users.users(), roles=list(ConsoleRole), message=message)


# --- the app --------------------------------------------------------------------------------------
async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    _ = gettext_for(request)
    return render(request, "error.html", status=exc.status_code, title=str(exc.status_code), message=str(exc.detail))


async def _api_error(request: Request, exc: Exception) -> Response:
    """The registry's refusals (no policy for the TLD, no database) as a page, with the service's status."""
    assert isinstance(exc, ApiError)
    return render(request, "error.html", status=exc.status, title=str(exc.status), message=exc.message)


_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """CSP (no inline script or style, so an escaping slip cannot run), no sniffing, no referrer (names
    sit in query strings), no framing.  A response that set its own CSP keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for key, value in (
                    (b"content-security-policy", _CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ):
                    if key not in names:
                        headers.append((key, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def console_routes() -> list[BaseRoute]:
    return [
        Route("/", home, methods=["GET"]),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/check", check_page, methods=["GET"]),
        Route("/register", register_request, methods=["POST"]),
        Route("/explain", explain_page, methods=["GET"]),
        Route("/variants", variants_page, methods=["GET"]),
        Route("/lookalikes", lookalikes_page, methods=["GET"]),
        Route("/policy", policy_page, methods=["GET"]),
        Route("/review", review_page, methods=["GET"]),
        Route("/review/{item}", review_decide, methods=["POST"]),
        Route("/history", history_page, methods=["GET"]),
        Route("/audits", audits_page, methods=["GET"]),
        Route("/audits", audit_start, methods=["POST"]),
        Route("/audits/{job}", audit_page, methods=["GET"]),
        Route("/audits/{job}/status", audit_status, methods=["GET"]),
        Route("/audits/{job}/report", audit_report, methods=["GET"]),
        Route("/admin/users", users_page, methods=["GET", "POST"]),
        Mount("/static", app=StaticFiles(packages=[("idnkit.web", "static")]), name="static"),
    ]


def create_console_app(
    service: ServiceConfig | None = None,
    console_config: ConsoleConfig | None = None,
    *,
    resources: Resources | None = None,
) -> Starlette:
    """The service's app with the console mounted at ``/`` (the API keeps ``/v1``, ``/healthz``, ``/readyz``)."""
    service = service or ServiceConfig()
    cfg = console_config or ConsoleConfig()
    if not cfg.secret:
        # One process, one key: sessions end when it restarts.  Several workers need --console-secret.
        cfg = ConsoleConfig(
            **{**{f: getattr(cfg, f) for f in cfg.__dataclass_fields__}, "secret": secrets.token_hex(32)}
        )
    res = resources or Resources.load(service)
    state = Console(res, cfg)
    web = Starlette(
        routes=console_routes(),
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=cfg.secret,
                session_cookie="idnkit_console",
                max_age=cfg.session_hours * 3600,
                same_site="lax",
                https_only=cfg.https,  # Secure behind TLS; HttpOnly always (Starlette sets it)
            ),
        ],
        exception_handlers={HTTPException: _http_error, ApiError: _api_error},
    )
    web.state.console = state
    app = create_app(service, resources=res, mounts=[Mount("/", app=web)])
    app.state.console = state
    return app
