"""EPP commands as a registry's SRS receives them: ``<domain:check>``, ``<domain:create>``, ``<domain:info>``.

:func:`handle` reads one command hardened (size and depth limits, no DTD or entity, UTF-8 only),
checks every name against a :class:`~idnkit.policy.Registry` (IDNA2008, the IDN table the command
names in any of the tag conventions of docs/epp.md, the Unicode form sent beside the A-labels,
and the registry's policy, variant and look-alike rules) and answers with an RFC 5730 §2.6
response document whose result code and ``<extValue>`` reasons name idnkit's rule ids.

>>> from idnkit import epp, policy
>>> registry = policy.Registry(policy.load("se"), policy.MemoryStore())
>>> create = '''<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><command><create>
...   <domain:create xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
...     <domain:name>xn--rksmrgs-5wao1o.se</domain:name><domain:authInfo><domain:pw>x</domain:pw></domain:authInfo>
...   </domain:create></create>
...   <extension><idn:data xmlns:idn="urn:ietf:params:xml:ns:idn-1.0">
...     <idn:table>und-Latn</idn:table><idn:uname>räksmörgås.se</idn:uname></idn:data></extension>
...   <clTRID>ABC-12345</clTRID></command></epp>'''.encode()
>>> answer = epp.handle(create, registry=registry, registrar="registrar-1")
>>> answer.code, answer.message
(1000, 'Command completed successfully')
>>> again = epp.handle(create, registry=registry, registrar="registrar-2")
>>> again.code, [f.rule for f in again.findings]
(2302, ['policy.registry.registered'])
"""

from __future__ import annotations

from ._codes import MESSAGES, code_for
from ._execute import execute, handle
from ._model import LIMITS, EppCommand, EppError, EppFinding, EppName, EppResponse, IdnTag, Limits, UnicodeForm
from ._parse import (
    AFILIAS_IDN_NS,
    AFILIAS_LEGACY_IDN_NS,
    ARI_IDN_NS,
    IETF_IDN_EPP_NS,
    IETF_IDN_NS,
    VERISIGN_IDNLANG_NS,
    parse,
)

__all__ = [
    "AFILIAS_IDN_NS",
    "AFILIAS_LEGACY_IDN_NS",
    "ARI_IDN_NS",
    "IETF_IDN_EPP_NS",
    "IETF_IDN_NS",
    "LIMITS",
    "MESSAGES",
    "VERISIGN_IDNLANG_NS",
    "EppCommand",
    "EppError",
    "EppFinding",
    "EppName",
    "EppResponse",
    "IdnTag",
    "Limits",
    "UnicodeForm",
    "code_for",
    "execute",
    "handle",
    "parse",
]
