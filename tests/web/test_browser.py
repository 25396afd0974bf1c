"""The console in a real browser: Debian's Chromium driven by Playwright (never a downloaded browser).

Each flow of issue 15 is done as a clerk would do it, reading the page by roles, labels and visible
text.  Screenshots of every page (English and Arabic UI; Latin, Arabic, Devanagari and Han names)
are written to tests/web/artifacts/ (git-ignored), and axe-core checks every page for serious or
critical accessibility violations.  Without chromium the module skips, unless
IDNKIT_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, Console, make_console

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None or not os.environ.get("DISPLAY", "1"):
    if os.environ.get("IDNKIT_REQUIRE_BROWSER") == "1":
        raise RuntimeError("IDNKIT_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install chromium)")
    pytest.skip(
        "no chromium on PATH (apt-get install chromium); IDNKIT_REQUIRE_BROWSER=1 makes this a failure",
        allow_module_level=True,
    )
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")

ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield found
        finally:
            found.close()


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """The console every flow here runs on, over a registry in an SQLite file (as a small registry deploys it);
    the review flow runs once more on PostgreSQL below."""
    folder = tmp_path_factory.mktemp("browser-console")
    stop, found = make_console(folder, db=f"sqlite:///{folder / 'registry.sqlite'}")
    yield found
    stop()


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core, as shipped inside the axe-playwright-python wheel (no npm, no download)."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh context per test; ``wait_for()`` on a locator waits (30 s at most) for it to be visible."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(30_000)
    found = context.new_page()
    errors: list[str] = []
    found.on("pageerror", lambda e: errors.append(str(e)))
    yield found
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sign_in(page: Any, console: Console, user: str, password: str = PASSWORD) -> None:
    page.goto(console.url + "/login")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe(page: Any, source: str) -> list[str]:
    """Serious and critical axe-core violations of the page (WCAG 2.1 A/AA rules)."""
    page.evaluate(source)  # through the DevTools protocol: the page's CSP does not apply to it
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


# --- sign-in and safety --------------------------------------------------------------------------------------
def test_login_wrong_password_then_right_then_logout(page: Any, console: Console) -> None:
    sign_in(page, console, "vera", "not the password")
    assert page.get_by_role("alert").inner_text() == "Wrong user name or password."
    shot(page, "login-wrong-password")
    sign_in(page, console, "vera")
    page.get_by_text("Signed in as vera (viewer)").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    page.goto(console.url + "/check")
    assert page.url.startswith(console.url + "/login")


def test_a_forged_form_is_refused(page: Any, console: Console) -> None:
    sign_in(page, console, "clara")
    page.goto(console.url + "/check")
    page.evaluate("document.querySelector('form[action=\"/logout\"] input[name=csrf]').value = 'forged'")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Form refused").wait_for()
    page.goto(console.url + "/check")
    page.get_by_text("Signed in as clara (clerk)").wait_for()


def test_a_clerk_is_refused_the_admin_page(page: Any, console: Console) -> None:
    sign_in(page, console, "clara")
    answer = page.goto(console.url + "/admin/users")
    assert answer.status == 403
    page.get_by_role("heading", name="Not allowed").wait_for()
    assert page.get_by_role("link", name="Users").count() == 0  # no link to what a clerk cannot open
    shot(page, "clerk-refused-admin")


# --- pages -------------------------------------------------------------------------------------------------
def test_check_valid_and_invalid_names_and_read_the_findings(page: Any, console: Console, axe_source: str) -> None:
    sign_in(page, console, "vera")
    page.get_by_label("Name (U-label or A-label)").fill("räksmörgås.se")
    page.get_by_role("button", name="Check", exact=True).click()
    page.get_by_role("heading", name="Accepted").wait_for()
    page.get_by_text("xn--rksmrgs-5wao1o.se").first.wait_for()
    page.get_by_role("heading", name="Policy se").wait_for()
    shot(page, "check-latin-valid")
    assert axe(page, axe_source) == []
    page.get_by_label("Name (U-label or A-label)").fill("a\u200db<x>.cn")
    page.get_by_role("button", name="Check", exact=True).click()
    page.get_by_role("heading", name="Refused").wait_for()
    findings = page.get_by_role("table", name="Findings of IDNA2008 / UTS #46")
    text = findings.inner_text()
    assert "rfc5892.contextj.zwj" in text and "U+200D" in text and "ZERO WIDTH JOINER" in text
    assert "ask the registrant to remove or replace the highlighted character" in text
    marker = page.locator(".marker", has_text="ZWJ").first
    assert marker.is_visible() and marker.bounding_box()["width"] > 5  # the invisible joiner is seen
    shot(page, "check-latin-invalid")
    assert axe(page, axe_source) == []


def test_a_bidi_name_reads_right_to_left(page: Any, console: Console) -> None:
    sign_in(page, console, "vera")
    page.goto(console.url + "/check?name=" + "مثال.مصر")
    page.get_by_role("heading", name="Accepted").wait_for()
    name = page.locator("dd bdi.name").first
    assert name.evaluate("e => e.matches(':dir(rtl)')")
    # Right to left: the first letter (U+0645 MEEM) is drawn to the right of the last label's letters.
    cells = page.locator(".label").first.locator(".ch")
    first, last = cells.first.bounding_box(), cells.last.bounding_box()
    assert first["x"] > last["x"]
    shot(page, "check-arabic-name")


def test_devanagari_name(page: Any, console: Console) -> None:
    sign_in(page, console, "vera")
    page.goto(console.url + "/check?name=" + "नमस्ते.भारत")
    page.get_by_role("heading", name="Accepted").wait_for()
    assert "DEVANAGARI LETTER NA" in page.get_by_role("table", name="Code points").first.inner_text()
    shot(page, "check-devanagari-name")


def test_variants_of_a_han_label(page: Any, console: Console, axe_source: str) -> None:
    sign_in(page, console, "vera")
    page.goto(console.url + "/variants")
    page.get_by_label("Label", exact=True).fill("学校")
    page.get_by_label("TLD").fill("中国")
    page.get_by_role("button", name="Show variants").click()
    page.get_by_text("5 variants").wait_for()
    table = page.get_by_role("table", name="Variant labels")
    assert "allocatable" in table.inner_text() and "bundled" in table.inner_text()
    glyph = table.locator(".name.big").first
    assert glyph.bounding_box()["height"] >= 28  # glyphs in large type
    shot(page, "variants-han")
    assert axe(page, axe_source) == []


def test_a_look_alike_pair(page: Any, console: Console, axe_source: str) -> None:
    sign_in(page, console, "vera")
    page.goto(console.url + "/lookalikes")
    page.get_by_label("Name", exact=True).fill("раураӏ.cn")
    page.get_by_role("button", name="Find look-alikes").click()
    pair = page.get_by_role("region", name="Pair 1")
    assert "Kind: whole-script" in pair.inner_text()
    assert pair.locator(".flagged").count() >= 5  # the Cyrillic letters are marked
    shot(page, "lookalikes-pair")
    assert axe(page, axe_source) == []


def test_explain_and_policy_pages(page: Any, console: Console, axe_source: str) -> None:
    sign_in(page, console, "vera")
    page.goto(console.url + "/explain")
    page.get_by_label("Code point (U+00DF, 00DF or the character)").fill("U+0644")
    page.get_by_role("button", name="Explain").click()
    page.get_by_text("ARABIC LETTER LAM").wait_for()
    shot(page, "explain")
    assert axe(page, axe_source) == []
    page.goto(console.url + "/policy?tld=中国")
    page.get_by_role("heading", name="Repertoire of ref/zh (zh)").wait_for()
    shot(page, "policy-han")
    assert axe(page, axe_source) == []


# --- review and audits -----------------------------------------------------------------------------------------
def review_flow(page: Any, console: Console, axe_source: str, screenshots: bool = False) -> None:
    """File a look-alike as a clerk, approve it from the queue with a reason, read the decision in the history."""
    sign_in(page, console, "clara")
    page.goto(console.url + "/check?name=päypal.se")
    page.get_by_label("Registrant").fill("reg-77")
    page.get_by_role("button", name="File a registration").click()
    page.get_by_text("Sent to the review queue:").wait_for()
    page.get_by_role("link", name="Review queue").click()
    item = page.get_by_role("region", name="päypal.se")
    item.get_by_label("Approve").check()
    item.get_by_label("Reason").fill("the registrant holds the mark")
    if screenshots:
        shot(page, "review-queue")
    assert axe(page, axe_source) == []
    item.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Registered to reg-77").wait_for()
    history = page.get_by_role("table", name="Decisions").inner_text()
    assert "approved" in history and "clara" in history and "the registrant holds the mark" in history
    if screenshots:
        shot(page, "history")


def test_a_clerk_approves_a_review_item_and_sees_the_history(page: Any, console: Console, axe_source: str) -> None:
    assert console.service.db.startswith("sqlite:///")
    review_flow(page, console, axe_source, screenshots=True)
    # The decision is in the registry file itself, not only in the console's memory.
    with contextlib.closing(sqlite3.connect(console.service.db.removeprefix("sqlite:///"))) as db:
        assert "reg-77" in db.execute("SELECT * FROM names WHERE name = 'päypal'").fetchone()
        assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1


def test_the_review_flow_on_postgresql(
    page: Any, fresh_console: Callable[..., Console], postgres_url: str, axe_source: str
) -> None:
    review_flow(page, fresh_console(db=postgres_url), axe_source)


def test_an_admin_adds_a_user_who_then_signs_in(page: Any, console: Console, axe_source: str) -> None:
    sign_in(page, console, "adam")
    page.goto(console.url + "/admin/users")
    page.get_by_label("User name").fill("nadia")
    page.get_by_label("Role").select_option("clerk")
    page.get_by_label("Password (8 characters or more)").fill("a long enough password")
    page.get_by_role("button", name="Add").click()
    page.get_by_role("status").get_by_text("nadia").wait_for()
    assert "nadia" in page.get_by_role("table", name="Console users").inner_text()
    shot(page, "users")
    assert axe(page, axe_source) == []
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, console, "nadia", "a long enough password")
    page.get_by_text("Signed in as nadia (clerk)").wait_for()


def test_an_audit_job_runs_to_the_end_and_its_report_opens(page: Any, console: Console, axe_source: str) -> None:
    sign_in(page, console, "clara")
    page.goto(console.url + "/audits")
    page.get_by_label("File on the server").select_option("sample.zone")
    page.get_by_label("Origin").fill("cn")
    page.get_by_role("button", name="Start the audit").click()
    page.get_by_role("link", name="Open the report").wait_for(state="visible", timeout=60_000)
    page.wait_for_load_state()
    progress = page.get_by_role("progressbar")
    assert progress.get_attribute("value") == "100"
    assert "410 names" in page.get_by_role("status").inner_text()
    shot(page, "audit-done")
    assert axe(page, axe_source) == []
    page.get_by_role("link", name="Open the report").click()
    page.wait_for_url("**/report")
    assert page.locator("h1").inner_text() == "Zone audit: sample.zone"
    page.goto(console.url + "/audits")
    page.get_by_role("table", name="Audits run on this console").get_by_text("sample.zone").first.wait_for()
    shot(page, "audits-list")


# --- Arabic UI ----------------------------------------------------------------------------------------------------
def test_the_arabic_ui_mirrors_the_layout(page: Any, console: Console, axe_source: str) -> None:
    sign_in(page, console, "vera")
    page.goto(console.url + "/check?lang=ar&name=学校.中国")
    assert page.locator("html").get_attribute("dir") == "rtl"
    width = page.viewport_size["width"]
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > width / 2  # the header starts on the right
    page.get_by_role("heading", name="مقبول").wait_for()
    shot(page, "check-han-arabic-ui")
    assert axe(page, axe_source) == []
    page.goto(console.url + "/variants?label=学校&tld=中国")
    page.get_by_text("5 متغيرات").wait_for()
    shot(page, "variants-han-arabic-ui")
    page.goto(console.url + "/check?name=مثال.مصر")
    shot(page, "check-arabic-name-arabic-ui")
    # Every other page in the right-to-left UI: each mirrored, each screenshot kept.
    for name, path in [
        ("explain", "/explain?cp=U%2B0628"),
        ("lookalikes", "/lookalikes?name=paypaI.cn"),
        ("policy", "/policy?tld=中国"),
        ("review", "/review"),
        ("audits", "/audits"),
    ]:
        page.goto(console.url + path)
        assert page.locator("html").get_attribute("dir") == "rtl", path
        shot(page, f"{name}-arabic-ui")
        assert axe(page, axe_source) == [], path
    page.goto(console.url + "/check?name=" + "नमस्ते.भारत" + "&lang=en")
    assert page.locator("html").get_attribute("dir") == "ltr"


def test_every_other_page_passes_axe_and_works_from_the_keyboard(page: Any, console: Console, axe_source: str) -> None:
    page.goto(console.url + "/login")
    assert axe(page, axe_source) == []
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.is_visible()  # the skip link appears when focused
    page.keyboard.press("Tab")  # past the language links, into the form, typing only
    page.get_by_label("User name").focus()
    page.keyboard.type("adam")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/check")
    page.get_by_text("Signed in as adam (admin)").wait_for()
    focused = page.get_by_label("Name (U-label or A-label)")
    focused.focus()
    outline = focused.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"  # a visible focus ring
    for path in ["/history?name=päypal.se", "/audits", "/admin/users", "/review", "/policy?tld=se", "/nowhere"]:
        page.goto(console.url + path)
        assert axe(page, axe_source) == [], path
    shot(page, "not-found")
