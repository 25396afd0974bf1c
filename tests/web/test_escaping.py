"""Names are hostile input: every page shows them escaped, and no name adds an element to the DOM.

Each hostile string goes through every page that shows what it was given (query fields, the
protected list, a registrant, a review reason); the page is parsed as a browser would build its
DOM and must hold exactly the elements of the template, with no event-handler attribute and no
script but the console's own.  (tests/web/test_browser.py repeats this in Chromium.)
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from .conftest import Console, csrf_of

HOSTILE = [
    "<script>alert(1)</script>.cn",
    '"><img src=x onerror=alert(1)>.cn',
    "'onmouseover='alert(1)'.cn",
    "</textarea><script>alert(1)</script>",
    "</bdi></span><svg onload=alert(1)>",
    "\u202egnp.exe\u202c.cn",  # RIGHT-TO-LEFT OVERRIDE: a name that reads backwards
    "a\u2066b\u2069\u200f.cn",  # isolates and a mark
    "{{ 7 * 7 }}{% raw %}.cn",  # template syntax is text, never evaluated
    "javascript:alert(1)",
    "&lt;b&gt;.cn",  # already-escaped text stays text
]
ALLOWED_SCRIPTS = {"/static/console.js"}


class Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in {"img", "svg", "iframe", "object", "embed", "base"}:
            self.problems.append(f"injected <{tag}>")
        if tag == "script" and attributes.get("src") not in ALLOWED_SCRIPTS:
            self.problems.append(f"foreign <script {attributes}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in {"href", "src", "action"} and value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name} of <{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_dom(html: str, hostile: str, where: str) -> None:
    dom = Dom()
    dom.feed(html)
    dom.close()
    assert not dom.problems, f"{where}: {dom.problems}"


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_names_add_nothing_to_any_page(console: Console, hostile: str) -> None:
    label = hostile.split(".")[0]
    pages = [
        ("/check", {"name": hostile}),
        ("/check", {"name": hostile, "lang": "ar"}),
        ("/explain", {"cp": hostile}),
        ("/explain", {"cp": hostile[:1]}),
        ("/variants", {"label": label, "tld": "中国"}),
        ("/variants", {"label": label, "tld": hostile}),
        ("/lookalikes", {"name": hostile, "protected": hostile + "\npaypal.cn"}),
        ("/policy", {"tld": hostile}),
        ("/history", {"name": hostile}),
        ("/review", {"x": hostile}),
        ("/audits", {"x": hostile}),
    ]
    with console.login("clara") as c:
        for path, params in pages:
            r = c.get(path, params=params)
            assert r.status_code < 500, f"{path} {params}: {r.status_code}"
            check_dom(r.text, hostile, f"{path} {params}")
        page = c.get("/check", params={"name": "bänk.se", "lang": "en"})
        r = c.post("/register", data={"csrf": csrf_of(page.text), "name": "bänk.se", "registrant": hostile[:64]})
        check_dom(r.text, hostile, "register")
        assert "Sent to the review queue" in r.text
        queue = c.get("/review")
        check_dom(queue.text, hostile, "review")
        item = queue.text.split('action="/review/')[-1].split('"')[0]
        r = c.post(f"/review/{item}", data={"csrf": csrf_of(queue.text), "decision": "refuse", "reason": hostile})
        check_dom(r.text, hostile, "history after a hostile reason")
        assert r.url.path == "/history"
    with console.client() as anonymous:
        r = anonymous.get("/login", params={"next": hostile})
        check_dom(r.text, hostile, "login next")


def test_a_bidi_override_is_shown_as_a_marker_not_obeyed(console: Console) -> None:
    with console.login("vera") as c:
        html = c.get("/check", params={"name": "\u202egnp.exe.cn"}).text
    assert '<span class="marker" aria-label="U+202E RIGHT-TO-LEFT OVERRIDE">RLO</span>' in html
    # Inside the highlighted name the override is a marker, never the raw character.
    name_html = html.split('class="name big"', 2)[2].split("</bdi>", 1)[0]
    assert "\u202e" not in name_html


def test_template_syntax_in_a_name_is_shown_as_typed(console: Console) -> None:
    with console.login("vera") as c:
        html = c.get("/check", params={"name": "{{ 7 * 7 }}.cn"}).text
    assert 'value="{{ 7 * 7 }}.cn"' in html
