"""``POST /v1/epp``: an EPP command as the SRS forwards it, answered with an EPP response document.

The HTTP status is 200 whenever an EPP answer was produced (its result code is in the document and in
the ``X-EPP-Result`` header): EPP's own codes say what happened, as they would on an EPP session.
The sponsoring client is the authenticated registrar; an admin token acts without one.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .. import epp
from ._app_state import authorize, resources, run_bounded
from ._auth import Role
from ._http import read_body

EPP_MEDIA_TYPE = "application/epp+xml"


async def epp_command(request: Request) -> Response:
    who = authorize(request, Role.REGISTRAR)
    res = resources(request)
    body = await read_body(request, min(res.config.limits.max_body_bytes, epp.LIMITS.max_bytes))

    def work() -> epp.EppResponse:
        try:
            command = epp.parse(body)
        except epp.EppError as e:
            return e.response
        # The registry whose policy judges the command: the service's own, else that of the first name's TLD.
        registry = res.registry(command.names[0] if command.names else "x.invalid")
        return epp.execute(command, registry=registry, registrar=who.registrar)

    answer = await run_bounded(request, work)
    return Response(answer.xml, media_type=EPP_MEDIA_TYPE, headers={"X-EPP-Result": str(answer.code)})
