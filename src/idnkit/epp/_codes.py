"""EPP result codes (RFC 5730 §3) and the code each idnkit rule calls for.

A command can fail for several reasons at once; every reason is reported (one ``<result>`` per
code, an ``<extValue>`` per reason), and the response's own code is the first by
:data:`PRECEDENCE`: a document that cannot be read at all before a value that is wrong, a value's
syntax before its range, and what the registry holds (2303, 2302) before what its policy refuses.
"""

from __future__ import annotations

# RFC 5730 §3, the codes idnkit answers with, and their messages as the RFC spells them.
MESSAGES: dict[int, str] = {
    1000: "Command completed successfully",
    2001: "Command syntax error",
    2002: "Command use error",
    2003: "Required parameter missing",
    2004: "Parameter value range error",
    2005: "Parameter value syntax error",
    2101: "Unimplemented command",
    2302: "Object exists",
    2303: "Object does not exist",
    2306: "Parameter value policy error",
    2400: "Command failed",
}

PRECEDENCE: tuple[int, ...] = (2001, 2101, 2002, 2003, 2005, 2004, 2303, 2302, 2306, 2400)

# idnkit's own EPP rules (src/idnkit/rules.py, "epp.*"), each with the one code it calls for.
_EPP_CODES: dict[str, int] = {
    "epp.xml.too_large": 2001,
    "epp.xml.too_deep": 2001,
    "epp.xml.encoding": 2001,
    "epp.xml.forbidden": 2001,
    "epp.xml.malformed": 2001,
    "epp.command.namespace": 2001,
    "epp.command.structure": 2001,
    "epp.command.trid": 2001,
    "epp.command.unimplemented": 2101,
    "epp.command.client": 2002,
    "epp.command.too_many_names": 2306,
    "epp.command.failed": 2400,
    "epp.name.not_ascii": 2005,
    "epp.name.level": 2306,
    "epp.name.not_registered": 2303,
    "epp.period.syntax": 2005,
    "epp.period.range": 2004,
    "epp.idn.uname_mismatch": 2306,
    "epp.idn.table_unknown": 2306,
    "epp.idn.table_ambiguous": 2306,
    "epp.idn.table_mismatch": 2306,
    "epp.idn.tags_conflict": 2306,
    "epp.idn.table_required": 2003,
}

# RFC 1035 §2.3.4's length limits are the protocol's range for a domain name (RFC 5731 §2.1).
_RANGE_RULES = frozenset({"dns.label_too_long", "dns.name_too_long", "dns.input_too_long"})


def code_for(rule: str) -> int:
    """The EPP result code a finding of ``rule`` calls for.

    IDNA2008 and DNS syntax (``rfc*``, ``dns.*``, ``uts46.*``) is 2005, a DNS length 2004; the name
    already registered is 2302 (the object exists); everything a policy refuses (``policy.*``,
    including a variant or look-alike of a registered name that is not itself registered) is 2306.

    >>> code_for("rfc5892.disallowed"), code_for("dns.label_too_long"), code_for("policy.registry.registered")
    (2005, 2004, 2302)
    >>> code_for("policy.registry.variant_blocked"), code_for("epp.idn.table_required")
    (2306, 2003)
    """
    if rule in _EPP_CODES:
        return _EPP_CODES[rule]
    if rule in _RANGE_RULES:
        return 2004
    prefix = rule.partition(".")[0]
    if prefix == "dns" or prefix.startswith("rfc") or prefix == "uts46":
        return 2005
    if rule == "policy.registry.registered":
        # RFC 5730 §3: 2302 when the object to be created already exists.  A bundled variant is
        # registered (a name of its own in the bundle), so it is an existing object too.
        return 2302
    # A blocked or reserved variant, or a look-alike, is not an object of the repository (an <info>
    # on it answers 2303), so a create of it is refused by policy, not as "object exists": 2306.
    return 2306


def primary(codes: list[int]) -> int:
    """The response's code among the codes of its findings (1000 when there are none)."""
    if not codes:
        return 1000
    return min(codes, key=lambda c: PRECEDENCE.index(c) if c in PRECEDENCE else len(PRECEDENCE))
