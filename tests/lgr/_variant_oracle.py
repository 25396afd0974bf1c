"""What the variant tests share: a small LGR from XML and the brute-force reference of Lgr.variants."""

from __future__ import annotations

import itertools

from idnkit.lgr import Lgr, parse_bytes

# 'c' is invalid before any later 'd' (an unbounded look-ahead, so no prefix decides it): every permutation
# of "c" + "a" * n that turns an 'a' into 'd' is invalid, and there is no other; the walk can only stop at
# its work budget.
UNPRUNABLE_XML = (
    '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta>'
    "<unicode-version>17.0.0</unicode-version></meta><data>"
    '<char cp="0061"><var cp="0064"/></char><char cp="0064"><var cp="0061"/></char>'
    '<char cp="0063" not-when="d-later"/></data><rules>'
    '<rule name="d-later"><anchor/><look-ahead><any count="0+"/><char cp="0064"/></look-ahead></rule>'
    "</rules></lgr>"
)


def table(xml: str, name: str = "small") -> Lgr:
    return Lgr(parse_bytes(xml.encode(), f"{name}.xml"), name)


def canonical_permutations(lgr: Lgr, label: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every distinct permuted label (the original excluded) with the disposition and types of its first
    spelling in product order, by itertools.product over the options: what the walk must reproduce."""
    u, elements = lgr._eligible(label)
    out: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for combo in itertools.product(*lgr._options(u, elements)):
        text = "".join(chr(c) for o in combo for c in o[0])
        if text != u and text not in out:
            disp, types = lgr._variant_disposition(text, list(combo))
            out[text] = (text, disp, tuple(sorted(types)))
    return list(out.values())
