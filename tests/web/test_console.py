"""The console over HTTP: sign-in, roles, CSRF, cookies, every page's content, review and audit flows."""

from __future__ import annotations

import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from idnkit.web import ConsoleRole, UsersFileError, UserStore, add_user

from .conftest import PASSWORD, Console, csrf_of


class Elements(HTMLParser):
    """Every start tag of a page with its attributes: what a DOM built from the page would hold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Elements:
    p = Elements()
    p.feed(html)
    p.close()
    return p


# --- users ------------------------------------------------------------------------------------------
def test_users_file_holds_argon2_hashes_only(tmp_path) -> None:
    path = tmp_path / "users.toml"
    add_user(path, "amira", ConsoleRole.CLERK, "a long secret")
    text = path.read_text(encoding="utf-8")
    assert "$argon2id$" in text and "a long secret" not in text
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    store = UserStore(path)
    assert store.verify("amira", "a long secret").role is ConsoleRole.CLERK
    assert store.verify("amira", "wrong secret") is None
    assert store.verify("nobody", "a long secret") is None
    add_user(path, "amira", ConsoleRole.ADMIN, "another secret")  # replaces, never duplicates
    assert [(u.name, u.role) for u in UserStore(path).users()] == [("amira", ConsoleRole.ADMIN)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[user]]\nname = "a"\nrole = "boss"\nhash = "$argon2id$x"\n', "'role' must be viewer, clerk or admin"),
        ('[[user]]\nname = "a b"\nrole = "clerk"\nhash = "$argon2id$x"\n', "'name' must be"),
        ('[[user]]\nname = "a"\nrole = "clerk"\nhash = "plain"\n', "'hash' must be an Argon2 hash"),
        ('[[user]]\nname = "a"\nrole = "clerk"\nhash = "$argon2id$x"\n' * 2, "user 'a' appears twice"),
    ],
)
def test_a_bad_users_file_is_refused_naming_the_entry(tmp_path, text: str, message: str) -> None:
    path = tmp_path / "users.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsersFileError, match="user [12]: " + message.replace("(", r"\(")):
        UserStore(path)


def test_short_passwords_are_refused(tmp_path) -> None:
    with pytest.raises(UsersFileError, match="at least 8 characters"):
        add_user(tmp_path / "u.toml", "x", ConsoleRole.VIEWER, "short")


# --- sign-in, sessions, roles, CSRF --------------------------------------------------------------------------
def test_pages_need_a_signed_in_user(console: Console) -> None:
    with console.client(follow_redirects=False) as c:
        r = c.get("/check?name=x.cn")
        assert r.status_code == 303
        assert r.headers["location"] == "/login?next=" + quote("/check?name=x.cn")


def test_login_sets_a_signed_httponly_lax_cookie_and_logout_ends_the_session(console: Console) -> None:
    with console.client() as c:
        page = c.get("/login")
        r = c.post("/login", data={"csrf": csrf_of(page.text), "username": "vera", "password": PASSWORD})
        assert r.url.path == "/check"
        cookie = r.history[0].headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
        assert "secure" not in cookie.lower()  # plain http on loopback; --https-cookies adds it
        assert "Signed in as vera (viewer)" in r.text
        r = c.post("/logout", data={"csrf": csrf_of(r.text)})
        assert r.url.path == "/login"
        assert c.get("/check", follow_redirects=False).status_code == 303


def test_secure_cookie_flag_when_behind_https(fresh_console: Callable[..., Console]) -> None:
    served = fresh_console(https=True)
    with served.client() as c:
        page = c.get("/login")
        assert "secure" in page.headers["set-cookie"].lower()


def test_wrong_password_is_refused(console: Console) -> None:
    with console.client() as c:
        page = c.get("/login")
        r = c.post("/login", data={"csrf": csrf_of(page.text), "username": "vera", "password": "not it at all"})
        assert r.status_code == 401
        assert "Wrong user name or password." in r.text
        assert c.get("/check", follow_redirects=False).status_code == 303


def test_failed_logins_are_rate_limited(fresh_console: Callable[..., Console]) -> None:
    served = fresh_console(login_attempts=3, login_window=60)
    with served.client() as c:
        for _ in range(3):
            r = c.post(
                "/login", data={"csrf": csrf_of(c.get("/login").text), "username": "lock", "password": "bad guess"}
            )
            assert r.status_code == 401
        r = c.post("/login", data={"csrf": csrf_of(c.get("/login").text), "username": "lock", "password": PASSWORD})
        assert r.status_code == 429  # even the right password, until the window passes
        assert int(r.headers["retry-after"]) > 0
        assert "Too many failed sign-ins" in r.text


def test_a_post_without_the_csrf_token_is_refused(console: Console) -> None:
    with console.client() as c:
        assert c.post("/login", data={"username": "vera", "password": PASSWORD}).status_code == 403
    with console.login("clara") as c:
        r = c.post("/logout", data={"csrf": "forged"})
        assert r.status_code == 403 and "CSRF" in r.text
        r = c.post("/review/abc", data={"decision": "approve", "reason": "x"})
        assert r.status_code == 403
        assert "Signed in as clara" in c.get("/check").text  # still signed in: nothing happened


def test_a_clerk_is_refused_the_admin_page(console: Console) -> None:
    with console.login("clara") as c:
        r = c.get("/admin/users")
        assert r.status_code == 403
        assert "needs the role admin" in r.text
        assert c.post("/admin/users", data={"csrf": csrf_of(c.get("/check").text)}).status_code == 403
    with console.login("adam") as c:
        r = c.get("/admin/users")
        assert r.status_code == 200 and "clara" in r.text


def test_a_viewer_cannot_decide_or_audit(console: Console) -> None:
    with console.login("vera") as c:
        token = csrf_of(c.get("/check").text)
        assert c.post("/audits", data={"csrf": token, "file": "sample.zone"}).status_code == 403
        assert c.post("/register", data={"csrf": token, "name": "x.cn"}).status_code == 403


def test_login_redirects_only_within_the_site(console: Console) -> None:
    with console.client(follow_redirects=False) as c:
        page = c.get("/login")
        r = c.post(
            "/login",
            data={"csrf": csrf_of(page.text), "username": "vera", "password": PASSWORD, "next": "//evil.example/"},
        )
        assert r.headers["location"] == "/check"


def test_the_api_still_answers_beside_the_console(console: Console) -> None:
    with console.client() as c:
        assert c.get("/healthz").json()["status"] == "ok"
        assert c.get("/v1/check?name=x.se").status_code == 401  # the API keeps its tokens


# --- pages ----------------------------------------------------------------------------------------------------
def test_check_page_lists_every_engines_findings_at_their_positions(console: Console) -> None:
    with console.login("vera") as c:
        html = c.get("/check", params={"name": "a\u200db<x>.cn"}).text
    assert "Refused" in html
    assert "rfc5892.contextj.zwj" in html and "U+200D" in html and "ZERO WIDTH JOINER" in html
    assert "rfc5892.disallowed" in html and "U+003C" in html and "LESS-THAN SIGN" in html
    assert "rfc7940.label.not_in_repertoire" in html  # the LGR's findings carry their rule id too
    assert "IDNA2008 / UTS #46" in html and "UTS #39" in html
    assert "ask the registrant to remove or replace the highlighted character" in html
    elements = parse(html)
    flagged = [a["title"] for t, a in elements.tags if t == "span" and "flagged" in (a.get("class") or "")]
    assert "2: U+200D ZERO WIDTH JOINER" in flagged and "4: U+003C LESS-THAN SIGN" in flagged
    markers = [a.get("aria-label") for t, a in elements.tags if t == "span" and a.get("class") == "marker"]
    assert "U+200D ZERO WIDTH JOINER" in markers  # the invisible joiner shows as a marker


def test_check_page_valid_name_shows_a_label_and_every_engine(console: Console) -> None:
    with console.login("vera") as c:
        html = c.get("/check", params={"name": "学校.中国"}).text
    assert "Accepted" in html
    assert "xn--48s290a.xn--fiqs8s" in html
    assert "LGR ref/zh" in html and "Policy 中国" in html
    assert "CJK UNIFIED IDEOGRAPH-5B66" in html
    assert 'class="bad">refuses' not in html  # every engine passes it (the policy's note is only a warning)


def test_check_page_shows_rtl_names_in_their_own_direction(console: Console) -> None:
    with console.login("vera") as c:
        html = c.get("/check", params={"name": "مثال.مصر"}).text
    elements = parse(html)
    bdis = [a for t, a in elements.tags if t == "bdi"]
    assert bdis and all(a.get("dir") == "auto" for a in bdis)
    assert "xn--mgbh0fb.xn--wgbh1c" in html


@pytest.mark.parametrize("invisible", ["\u200c", "\u00ad", "\ufe0f", "\u200d"])
def test_invisible_characters_get_visible_markers(console: Console, invisible: str) -> None:
    with console.login("vera") as c:
        html = c.get("/check", params={"name": f"ab{invisible}c.cn"}).text
    expected = {"\u200c": "ZWNJ", "\u00ad": "SHY", "\ufe0f": "VS16", "\u200d": "ZWJ"}[invisible]
    assert f'<span class="marker" aria-label="U+{ord(invisible):04X}' in html
    assert f">{expected}</span>" in html


def test_explain_page(console: Console) -> None:
    with console.login("vera") as c:
        html = c.get("/explain", params={"cp": "U+00DF"}).text
    assert "LATIN SMALL LETTER SHARP S" in html and "PVALID" in html
    assert "Exceptions (RFC 5892 §2.6): yes -&gt; PVALID" in html
    assert "deviation" in html and "se/latin" in html


def test_variants_page_han(console: Console) -> None:
    with console.login("vera") as c:
        html = c.get("/variants", params={"label": "学校", "tld": "中国"}).text
    assert "5 variants" in html
    assert (
        'title="1: U+5B78 CJK UNIFIED IDEOGRAPH-5B78"' in html
        and "allocatable" in html
        and "bundled" in html
        and "blocked" in html
    )


def test_lookalikes_page_marks_the_pair_and_its_kind(console: Console) -> None:
    with console.login("vera") as c:
        html = c.get("/lookalikes", params={"name": "раураӏ.cn"}).text
    assert "1 look-alike" in html
    assert "Kind: whole-script" in html and "found in: protected" in html
    assert "U+0440 CYRILLIC SMALL LETTER ER ↔ U+0070 LATIN SMALL LETTER P" in html


def test_policy_page_shows_rules_and_repertoire(console: Console) -> None:
    with console.login("vera") as c:
        html = c.get("/policy", params={"tld": "se"}).text
    assert "Repertoire of se/latin" in html and "Latn" in html
    assert 'title="U+00E5 LATIN SMALL LETTER A WITH RING ABOVE"' in html


# --- review queue and history ------------------------------------------------------------------------------------
def test_a_look_alike_of_a_protected_name_goes_to_review_and_the_decision_is_in_the_history(console: Console) -> None:
    with console.login("clara") as c:
        page = c.get("/check", params={"name": "paypäl.se"})
        r = c.post("/register", data={"csrf": csrf_of(page.text), "name": "paypäl.se", "registrant": "reg-9"})
        assert "Sent to the review queue" in r.text
        assert "looks like the protected name paypal.se (mark-folded)" in r.text
        queue = c.get("/review").text
        assert "paypäl.se" in queue
        item = queue.split('action="/review/')[1].split('"')[0]
        r = c.post(
            f"/review/{item}",
            data={"csrf": csrf_of(queue), "decision": "approve", "reason": "the registrant's own trade mark"},
        )
        assert r.url.path == "/history"
        assert "Registered to reg-9" in r.text
        for what in ("submitted", "approved", "registered"):
            assert f"<td>{what}</td>" in r.text
        assert "<td>clara</td>" in r.text and "the registrant&#39;s own trade mark" in r.text
        again = c.post(f"/review/{item}", data={"csrf": csrf_of(r.text), "decision": "refuse", "reason": "late"})
        assert again.status_code == 500 or "already approved" in again.text


def test_a_name_no_rule_holds_back_is_registered_outright(fresh_console: Callable[..., Console]) -> None:
    with fresh_console(policy="中国").login("clara") as c:
        page = c.get("/check", params={"name": "学校.中国"})
        r = c.post("/register", data={"csrf": csrf_of(page.text), "name": "学校.中国", "registrant": "reg-1"})
        assert "Registered." in r.text
        html = c.get("/variants", params={"label": "学校", "tld": "中国"}).text
        assert "registered (reg-1)" in html and "blocked (reg-1)" in html


# --- audits -----------------------------------------------------------------------------------------------------
def test_an_audit_job_runs_to_the_end_and_its_report_opens(console: Console) -> None:
    with console.login("clara") as c:
        page = c.get("/audits")
        assert "sample.zone" in page.text
        r = c.post("/audits", data={"csrf": csrf_of(page.text), "file": "sample.zone", "origin": "cn", "kind": "zone"})
        job = r.url.path.rsplit("/", 1)[1]
        deadline = time.monotonic() + 60
        while (status := c.get(f"/audits/{job}/status").json())["state"] == "running":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert status["state"] == "done" and status["percent"] == 100 and status["names"] == 410
        report = c.get(f"/audits/{job}/report")
        assert "Zone audit" in report.text and "bad-.cn." in report.text
        assert "sample.zone" in c.get("/audits").text


def test_an_audit_names_only_files_in_the_audit_folder(console: Console) -> None:
    with console.login("clara") as c:
        page = c.get("/audits")
        r = c.post("/audits", data={"csrf": csrf_of(page.text), "file": "../users.toml", "origin": "."})
        assert r.status_code == 422 and "is not a file in the audit folder" in r.text


# --- languages ---------------------------------------------------------------------------------------------------
def test_arabic_ui_is_right_to_left_and_translated(console: Console) -> None:
    with console.login("vera") as c:
        html = c.get("/check", params={"name": "学校.中国", "lang": "ar"}).text
        assert '<html lang="ar" dir="rtl">' in html
        assert "تحقق" in html  # "Check"
        assert '<html lang="ar" dir="rtl">' in c.get("/policy").text  # the choice stays with the session
        assert '<html lang="en" dir="ltr">' in c.get("/policy?lang=en").text


def test_security_headers(console: Console) -> None:
    with console.client() as c:
        r = c.get("/login")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"


# --- the policy's [review] table decides what waits for a person -------------------------------------------
POLICIES = Path(__file__).resolve().parents[2] / "policies"


def test_review_refuse_lookalikes_refuses_outright(fresh_console: Callable[..., Console], tmp_path: Path) -> None:
    policy = tmp_path / "se-review.toml"
    text = (POLICIES / "se.toml").read_text(encoding="utf-8")
    policy.write_text(text + '\n[review]\nrefuse_lookalikes = ["mark-folded"]\n', encoding="utf-8")
    with fresh_console(policy=str(policy)).login("clara") as c:
        page = c.get("/check", params={"name": "paypäl.se"})
        r = c.post("/register", data={"csrf": csrf_of(page.text), "name": "paypäl.se", "registrant": "reg-9"})
        assert "Refused:" in r.text and "looks like the protected name paypal.se (mark-folded)" in r.text
        assert "paypäl.se" not in c.get("/review").text


def test_on_request_variants_wait_for_a_person(fresh_console: Callable[..., Console], tmp_path: Path) -> None:
    text = (POLICIES / "xn--fiqs8s.toml").read_text(encoding="utf-8")
    assert 'allocatable = "bundled"' in text
    policy = tmp_path / "cn-on-request.toml"
    policy.write_text(text.replace('allocatable = "bundled"', 'allocatable = "on-request"'), encoding="utf-8")
    with fresh_console(policy=str(policy)).login("clara") as c:
        page = c.get("/check", params={"name": "学校.中国"})
        r = c.post("/register", data={"csrf": csrf_of(page.text), "name": "学校.中国", "registrant": "reg-2"})
        assert "Sent to the review queue" in r.text
        assert "variant 學校 (allocatable) is on-request under the policy" in r.text
        queue = c.get("/review").text
        item = queue.split('action="/review/')[1].split('"')[0]
        r = c.post(f"/review/{item}", data={"csrf": csrf_of(queue), "decision": "refuse", "reason": "no licence"})
        assert "Not registered." in r.text and "<td>refused</td>" in r.text and "no licence" in r.text


def test_a_variant_of_a_registered_name_is_a_look_alike(fresh_console: Callable[..., Console]) -> None:
    with fresh_console(policy="中国").login("clara") as c:
        page = c.get("/check", params={"name": "学校.中国"})
        c.post("/register", data={"csrf": csrf_of(page.text), "name": "学校.中国", "registrant": "reg-1"})
        html = c.get("/lookalikes", params={"name": "斈校.中国"}).text
    assert "2 look-alikes" in html  # the name and its bundled traditional form 學校, both registered
    assert html.count("Kind: variant · found in: registry") == 2
    assert "U+6588 CJK UNIFIED IDEOGRAPH-6588 ↔ U+5B66 CJK UNIFIED IDEOGRAPH-5B66" in html
