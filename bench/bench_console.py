#!/usr/bin/env python3
"""Server-side render time of the console's check page for a 63-code-point label (issue 15: < 50 ms).

    python bench/bench_console.py [--repeat 50]

Three labels of 63 code points (Latin with diacritics, Arabic, Han) under TLDs with shipped
policies, each checked by every engine the page shows (IDNA2008/UTS #46, the policy's LGR, UTS #39,
the policy) and rendered to HTML, in process (no socket, no browser):

* ``record``: :func:`idnkit.namecheck.check_record` with the page's judges, the library's share;
* ``view``: :func:`idnkit.web.check_view`, the record plus what the template shows (characters, advice);
* ``page``: a GET /check through the ASGI app with a signed-in session, the whole server-side cost.

Medians over --repeat runs after one warm-up (tables compiled, templates loaded); the ratio
page/record is what the console adds to the check.  A benchmark: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import httpx

from idnkit import check_domain
from idnkit.idna import Profile
from idnkit.namecheck import check_record
from idnkit.service import ServiceConfig
from idnkit.web import ConsoleConfig, ConsoleRole, add_user, check_view, create_console_app
from idnkit.web._app import _judges

LABELS = {
    "latin": ("räksmörgås" * 7)[:63] + ".se",
    "arabic": ("مثالعربي" * 8)[:63] + ".مصر",
    "han": ("学校中国网络" * 11)[:63] + ".中国",
}


def median_ms(work: Callable[[], object], repeat: int) -> float:
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def signed_in(app: object, user: str, password: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console")  # type: ignore[arg-type]
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    await client.post("/login", data={"csrf": token.group(1), "username": user, "password": password})
    return client


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="idnkit-bench-console-"))
    add_user(folder / "users.toml", "bench", ConsoleRole.VIEWER, "bench password")
    app = create_console_app(ServiceConfig(), ConsoleConfig(users=str(folder / "users.toml"), secret="b" * 64))
    res = app.state.console.res
    loop = asyncio.new_event_loop()
    client = loop.run_until_complete(signed_in(app, "bench", "bench password"))

    def record(name: str) -> object:
        result = check_domain(name, profile=Profile.REGISTRATION)
        judges, _, _ = _judges(res, name, "", "")
        return check_record(result, [j.judge(result) for j in judges])

    def page(name: str) -> None:
        answer = loop.run_until_complete(client.get("/check", params={"name": name}))
        assert answer.status_code == 200, answer.status_code

    print(f"{'label':8} {'cps':>4} {'record ms':>10} {'view ms':>9} {'page ms':>9} {'page/record':>12}  target < 50 ms")
    for kind, name in LABELS.items():
        cps = len(name.split(".")[0])
        r = median_ms(lambda name=name: record(name), args.repeat)
        v = median_ms(lambda name=name: check_view(res, name, "", "", lambda s: s), args.repeat)
        p = median_ms(lambda name=name: page(name), args.repeat)
        print(f"{kind:8} {cps:>4} {r:>10.2f} {v:>9.2f} {p:>9.2f} {p / r:>12.2f}  {'ok' if p < 50 else 'OVER'}")
    loop.run_until_complete(client.aclose())
    loop.close()


if __name__ == "__main__":
    main()
