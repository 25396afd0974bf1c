"""Tokens and roles: 401 without a valid token, 403 short of the role or the name; tokens never logged."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from idnkit.service import Role, TokenFileError, TokenStore, new_token
from idnkit.service._auth import AuthError

from .conftest import Live


def test_missing_wrong_and_unknown_tokens_are_401(live: Live) -> None:
    with live.client(None) as c:
        none = c.get("/v1/check", params={"name": "a.de"})
        wrong = c.get("/v1/check", params={"name": "a.de"}, headers={"Authorization": "Bearer reader.nope"})
        unknown = c.get("/v1/check", params={"name": "a.de"}, headers={"Authorization": "Bearer ghost.abc"})
        scheme = c.get("/v1/check", params={"name": "a.de"}, headers={"Authorization": "Basic YTpi"})
    for r in (none, wrong, unknown, scheme):
        assert r.status_code == 401 and "WWW-Authenticate" in r.headers
    assert "wrong secret for token reader" in wrong.json()["message"]


def test_roles(live: Live) -> None:
    with live.client("reader") as c:
        assert c.get("/v1/check", params={"name": "a.de"}).status_code == 200
        refused = c.post("/v1/registry/names", json={"name": "学校.中国"})
    assert refused.status_code == 403 and "needs registrar" in refused.json()["message"]
    with live.client("argon") as c:  # an Argon2id hash at rest; verified once, then remembered
        assert c.get("/v1/check", params={"name": "a.de"}).status_code == 200
        assert c.get("/v1/check", params={"name": "b.de"}).status_code == 200


def test_anonymous_reads_only_when_opened(serve: Callable[..., Live]) -> None:
    opened = serve(anonymous_reads=True, db="memory:")
    with opened.client(None) as c:
        assert c.get("/v1/check", params={"name": "a.de"}).status_code == 200
        assert c.post("/v1/registry/check", json={"name": "a.se"}).status_code == 401


def test_the_access_log_names_the_token_id_never_the_token(live: Live, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="idnkit.service.access"), live.client("registrar") as c:
        c.get("/v1/check", params={"name": "bücher.de"})
        c.get("/v1/check", params={"name": "x.de"}, headers={"Authorization": f"Bearer {live.tokens['reader']}x"})
    lines = [r.getMessage() for r in caplog.records if r.name == "idnkit.service.access"]
    assert len(lines) == 2
    assert '"client": "registrar"' in lines[0] and '"status": 200' in lines[0] and '"path": "/v1/check"' in lines[0]
    assert '"status": 401' in lines[1]
    for token in live.tokens.values():
        secret = token.partition(".")[2]
        assert all(secret not in line for line in lines)
    assert all("bücher" not in line for line in lines)  # the query string is not logged


def test_expired_token_and_file_errors(tmp_path: Path) -> None:
    token, entry = new_token("old", Role.READ, scheme="sha256")
    path = tmp_path / "tokens.toml"
    path.write_text(entry + "expires = 2020-01-01T00:00:00Z\n", encoding="utf-8")
    store = TokenStore(path)
    with pytest.raises(AuthError, match="expired"):
        store.authenticate(token)
    later = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    assert store.authenticate(token, now=later).id == "old"
    path.write_text('[[token]]\nid = "x"\nrole = "god"\nhash = "sha256:00"\n', encoding="utf-8")
    with pytest.raises(TokenFileError, match="token 1 \\(x\\): 'role'"):
        store.reload()
    assert store.authenticate(token, now=later).id == "old"  # a broken file keeps the previous tokens
    path.write_text('[[token]]\nid = "r"\nrole = "registrar"\nhash = "sha256:00"\n', encoding="utf-8")
    with pytest.raises(TokenFileError, match="needs 'registrar'"):
        TokenStore(path)
    path.write_bytes(b"\xff")
    with pytest.raises(TokenFileError, match="not a valid tokens file"):
        TokenStore(path)
