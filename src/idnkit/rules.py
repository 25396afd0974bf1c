"""The catalogue of every rule idnkit reports: stable id, the section it comes from, a summary.

``docs/rules.md`` lists the same ids; a test holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    source: str
    summary: str


_RULES = (
    # Lengths (DNS).
    Rule("dns.label_empty", "RFC 1035 §2.3.4; RFC 5890 §2.3.1", "A label must not be empty."),
    Rule(
        "dns.label_too_long", "RFC 1035 §2.3.4; RFC 5890 §2.3.2.1", "A label is at most 63 octets in its A-label form."
    ),
    Rule(
        "dns.name_too_long",
        "RFC 1035 §2.3.4; RFC 5891 §4.4",
        "A name is at most 253 octets in ASCII, without the final dot.",
    ),
    Rule("dns.name_empty", "RFC 1035 §2.3.4; UTS #46 §4.2 A4_1", "A name must have at least one octet."),
    Rule(
        "dns.ascii_case",
        "RFC 4343 §3; RFC 5890 §2.3.1",
        "An LDH label with uppercase letters: the same label as its lowercase form, which is reported.",
    ),
    Rule("dns.input_too_long", "idnkit bound", "Input far over the DNS limits is refused before any further work."),
    # IDNA2008 protocol (RFC 5891) and definitions (RFC 5890).
    Rule("rfc5891.nfc", "RFC 5891 §4.2.1, §5.4", "A U-label must be in Unicode Normalization Form C."),
    Rule(
        "rfc5891.hyphen34",
        "RFC 5891 §4.2.3.1; RFC 5890 §2.3.1",
        'Hyphens in positions 3 and 4 are reserved ("??--" labels).',
    ),
    Rule("rfc5891.hyphen_start", "RFC 5891 §4.2.3.1", "A label must not start with a hyphen."),
    Rule("rfc5891.hyphen_end", "RFC 5891 §4.2.3.1", "A label must not end with a hyphen."),
    Rule("rfc5891.leading_combining_mark", "RFC 5891 §4.2.3.2", "A label must not start with a combining mark."),
    Rule("rfc5891.label_separator", "RFC 5890 §2.2; UTS #46 §4.1 V5", "A label must not contain a full stop."),
    Rule("rfc5890.fake_alabel", "RFC 5890 §2.3.2.1", "An xn-- label must decode to a non-ASCII U-label."),
    Rule(
        "rfc5891.alabel_roundtrip",
        "RFC 5891 §5.3; RFC 5890 §2.3.2.1",
        "An A-label must be the exact encoding of its U-label.",
    ),
    Rule("rfc5891.alabel_case", "RFC 5890 §2.3.2.1", "An A-label for registration is written in lowercase."),
    Rule("rfc3492.invalid", "RFC 3492 §6.2", "The Punycode after xn-- cannot be decoded."),
    Rule(
        "rfc3492.unencodable",
        "RFC 3492 §6.3; UTS #46 §4.2 A3",
        "The label cannot be encoded in Punycode (e.g. a lone surrogate).",
    ),
    # IDNA2008 code point table (RFC 5892).
    Rule("rfc5892.disallowed", "RFC 5892 §2, §3", "The code point is DISALLOWED in IDNA2008."),
    Rule("rfc5892.unassigned", "RFC 5892 §2.10", "The code point is unassigned in this Unicode version."),
    Rule(
        "rfc5892.contextj.zwnj",
        "RFC 5892 Appendix A.1",
        "ZERO WIDTH NON-JOINER needs a virama before it or a joining context.",
    ),
    Rule("rfc5892.contextj.zwj", "RFC 5892 Appendix A.2", "ZERO WIDTH JOINER needs a virama before it."),
    Rule("rfc5892.contexto.middle_dot", "RFC 5892 Appendix A.3", "MIDDLE DOT is allowed only between two 'l'."),
    Rule(
        "rfc5892.contexto.keraia",
        "RFC 5892 Appendix A.4",
        "GREEK LOWER NUMERAL SIGN must be followed by a Greek character.",
    ),
    Rule(
        "rfc5892.contexto.geresh", "RFC 5892 Appendix A.5", "HEBREW PUNCTUATION GERESH must follow a Hebrew character."
    ),
    Rule(
        "rfc5892.contexto.gershayim",
        "RFC 5892 Appendix A.6",
        "HEBREW PUNCTUATION GERSHAYIM must follow a Hebrew character.",
    ),
    Rule(
        "rfc5892.contexto.katakana_middle_dot",
        "RFC 5892 Appendix A.7",
        "KATAKANA MIDDLE DOT needs a Hiragana, Katakana or Han character in the label.",
    ),
    Rule(
        "rfc5892.contexto.arabic_indic_digits",
        "RFC 5892 Appendix A.8",
        "Arabic-Indic digits must not be mixed with Extended Arabic-Indic digits.",
    ),
    Rule(
        "rfc5892.contexto.extended_arabic_indic_digits",
        "RFC 5892 Appendix A.9",
        "Extended Arabic-Indic digits must not be mixed with Arabic-Indic digits.",
    ),
    # Bidi (RFC 5893 §2).
    Rule("rfc5893.rule1", "RFC 5893 §2 rule 1", "The first character must have Bidi class L, R or AL."),
    Rule(
        "rfc5893.rule2",
        "RFC 5893 §2 rule 2",
        "An RTL label may contain only R, AL, AN, EN, ES, CS, ET, ON, BN and NSM characters.",
    ),
    Rule("rfc5893.rule3", "RFC 5893 §2 rule 3", "An RTL label must end with R, AL, EN or AN, then any NSM."),
    Rule(
        "rfc5893.rule4", "RFC 5893 §2 rule 4", "An RTL label must not mix European (EN) and Arabic-Indic (AN) digits."
    ),
    Rule(
        "rfc5893.rule5",
        "RFC 5893 §2 rule 5",
        "An LTR label may contain only L, EN, ES, CS, ET, ON, BN and NSM characters.",
    ),
    Rule("rfc5893.rule6", "RFC 5893 §2 rule 6", "An LTR label must end with L or EN, then any NSM."),
    # UTS #46.
    Rule(
        "uts46.deviation",
        "UTS #46 §4 (Deviations)",
        "A deviation character: transitional (IDNA2003) and nontransitional processing differ.",
    ),
    Rule(
        "uts46.would_map",
        "UTS #46 §4 step 1; RFC 5891 §5.2",
        "The input is not a U-label but UTS #46 mapping would turn it into another string.",
    ),
    Rule(
        "uts46.mapped", "UTS #46 §4 step 1", "The lookup input was mapped (case, width, compatibility) before checking."
    ),
    Rule("uts46.disallowed", "UTS #46 §4.1 V7", "The code point's UTS #46 status is not valid."),
    Rule("uts46.std3", "UTS #46 §4.1 V7 (UseSTD3ASCIIRules)", "ASCII must be a-z, 0-9 or hyphen."),
    Rule(
        "uts46.xn_prefix",
        "UTS #46 §4.1 V4",
        "A label decoded from Punycode must not itself start with xn--.",
    ),
    Rule("uts46.xn_non_ascii", "UTS #46 §4 step 4.1.1", "An xn-- label must be all ASCII."),
    Rule("uts46.empty_label", "UTS #46 §4 (X4_2)", "An empty label inside the name."),
    Rule(
        "uts46.invalid_punycode_ignored",
        "UTS #46 §4 step 4.1.2 (IgnoreInvalidPunycode)",
        "An xn-- label whose Punycode does not decode was kept as it is.",
    ),
    # Named profiles (idnkit.profiles): the URL Standard's host parser (whatwg-url, display).
    Rule(
        "whatwg.domain_to_ascii",
        "URL Standard §3.3 domain parser steps 1-2",
        "Strict UTS #46 ToASCII refuses the domain: a validation error, not a failure.",
    ),
    Rule(
        "whatwg.empty_host",
        "URL Standard §3.3 domain parser step 7; §3.5",
        "The host is empty (after UTS #46 processing).",
    ),
    Rule(
        "whatwg.forbidden_domain_code_point",
        "URL Standard §3.2; §3.3 domain parser step 8",
        "The ASCII domain holds a forbidden domain code point.",
    ),
    Rule(
        "whatwg.domain_percent_encoded",
        "URL Standard §3.5 host parser step 4",
        "The host is percent-encoded: a validation error; it is decoded first.",
    ),
    Rule(
        "whatwg.ipv4",
        "URL Standard §3.5 host parser step 8; IPv4 parser",
        "The host ends in a number: the URL parser reads it as an IPv4 address.",
    ),
    Rule(
        "whatwg.ipv4_validation",
        "URL Standard §3.5 IPv4 parser",
        "An IPv4 validation error (too few parts, a non-decimal or out-of-range part, a final dot).",
    ),
    Rule(
        "whatwg.ipv4_invalid",
        "URL Standard §3.5 IPv4 parser",
        "The host ends in a number but is not a valid IPv4 address: failure.",
    ),
    Rule(
        "whatwg.not_a_domain",
        "URL Standard §3.5 host parser step 1",
        "An IPv6 address literal is not a domain.",
    ),
    # The email profile: the domain part of an address (RFC 5321, RFC 6531).
    Rule(
        "rfc5321.address_literal",
        "RFC 5321 §4.1.3",
        "An address literal is not a domain name.",
    ),
    Rule(
        "rfc5321.trailing_dot",
        "RFC 5321 §4.1.2 (Domain)",
        "A mail domain has no final dot.",
    ),
    Rule(
        "rfc5321.single_label",
        "RFC 5321 §2.3.5",
        "A mail domain of one label is not fully qualified.",
    ),
    Rule(
        "rfc5321.reserved_ldh",
        "RFC 5321 §4.1.2 (Ldh-str); RFC 5890 §2.3.1",
        'A reserved LDH label ("ab--cd"): valid in a mail domain, refused by registries.',
    ),
    # The display profile: why a label is shown as its A-label (warnings; the name stays valid).
    Rule(
        "display.unicode_error",
        "URL Standard §3.3 domain to Unicode",
        "UTS #46 ToUnicode records an error: the name is shown as it is.",
    ),
    Rule(
        "display.uts39.restriction_level",
        "UTS #39 §5.2",
        "The label is less restrictive than Moderately Restrictive.",
    ),
    Rule(
        "display.uts39.mixed_numbers",
        "UTS #39 §5.3",
        "Digits from more than one numbering system.",
    ),
    Rule(
        "display.firefox.restricted",
        "Firefox nsIDNService::IsLabelSafe (network.IDN.restriction_profile)",
        "A character whose UTS #39 Identifier_Status is Restricted.",
    ),
    Rule(
        "display.firefox.script_mix",
        "Firefox nsIDNService::IsLabelSafe (network.IDN.restriction_profile)",
        "A script combination the restriction profile does not allow.",
    ),
    Rule(
        "display.firefox.kana_context",
        "Firefox nsIDNService::IsLabelSafe (network.IDN.restriction_profile)",
        "A Kana or CJK character out of its context (ー, ヽ, ・, slash-like, twins).",
    ),
    Rule(
        "display.firefox.combining_mark",
        "Firefox nsIDNService::IsLabelSafe (network.IDN.restriction_profile)",
        "A combining mark that is repeated, on the wrong script, or on i, j, l or dotless i.",
    ),
    Rule(
        "display.firefox.middle_dot",
        "Firefox nsIDNService::IsLabelSafe (network.IDN.restriction_profile)",
        "U+00B7 outside .cat's l·l.",
    ),
    Rule(
        "display.firefox.tld_character",
        "Firefox nsIDNService::IsLabelSafe (network.IDN.restriction_profile)",
        "þ, ð outside .is and .fo; ə outside .az.",
    ),
    Rule(
        "display.firefox.quote_like",
        "Firefox nsIDNService::IsLabelSafe (network.IDN.restriction_profile)",
        "U+02BB or U+02BC, which look like quotation marks.",
    ),
    Rule(
        "display.firefox.mixed_numbers",
        "Firefox nsIDNService::IsLabelSafe (network.IDN.restriction_profile)",
        "Digits from more than one numbering system.",
    ),
    Rule(
        "display.chromium.not_allowed",
        "Chromium IDN display policy (docs/idn.md) step 3-4",
        "A character outside Chrome's allowed set (UTS #39 Allowed, less a blocked list).",
    ),
    Rule(
        "display.chromium.deviation",
        "Chromium IDNSpoofChecker (kDeviationCharacters)",
        "A deviation character (ß, ς, ZWJ, ZWNJ).",
    ),
    Rule(
        "display.chromium.tld_character",
        "Chromium IDNSpoofChecker (kTLDSpecificCharacters)",
        "þ, ð outside .is; ə outside .az.",
    ),
    Rule(
        "display.chromium.middle_dot",
        "Chromium IDN display policy (docs/idn.md) step 8",
        "U+00B7 outside .cat's l·l.",
    ),
    Rule(
        "display.chromium.script_mix",
        "Chromium IDN display policy (docs/idn.md) step 5",
        "Scripts mixed beyond Highly Restrictive, or non-ASCII Latin with another script.",
    ),
    Rule(
        "display.chromium.mixed_numbers",
        "Chromium IDN display policy (docs/idn.md) step 6",
        "Digits from more than one numbering system.",
    ),
    Rule(
        "display.chromium.invisible",
        "Chromium IDN display policy (docs/idn.md) step 7",
        "The same combining mark twice in a row.",
    ),
    Rule(
        "display.chromium.mixed_script_confusable",
        "Chromium IDN display policy (docs/idn.md) step 9",
        "A mixed-script label with the skeleton of a Latin string.",
    ),
    Rule(
        "display.chromium.whole_script_confusable",
        "Chromium IDN display policy (docs/idn.md) step 10",
        "Latin look-alike letters of one script under a TLD not of that script.",
    ),
    Rule(
        "display.chromium.digit_lookalike",
        "Chromium IDN display policy (docs/idn.md) step 11",
        "A label of digits and digit look-alikes.",
    ),
    Rule(
        "display.chromium.dangerous_pattern",
        "Chromium IDN display policy (docs/idn.md) step 12",
        "A character in one of Chrome's dangerous patterns.",
    ),
    Rule(
        "display.chromium.top_domain",
        "Chromium IDN display policy (docs/idn.md) step 13",
        "The name's skeleton is that of a listed top domain.",
    ),
    # UTS #39 security mechanisms (idnkit.confusables); warnings, the label may be valid IDNA2008.
    Rule(
        "uts39.restricted",
        "UTS #39 §3.1",
        "A code point outside the General Security Profile (Identifier_Status Restricted).",
    ),
    Rule(
        "uts39.restriction_level", "UTS #39 §5.2", "The label is less restrictive than the accepted restriction level."
    ),
    Rule(
        "uts39.mixed_script",
        "UTS #39 §5.2",
        "The label mixes scripts beyond Highly Restrictive (e.g. Latin with Cyrillic); idncheck warns by default.",
    ),
    Rule("uts39.mixed_numbers", "UTS #39 §5.3", "Digits from more than one decimal number system."),
    Rule("uts39.repeated_mark", "UTS #39 §5.4", "The same nonspacing mark twice on one base character."),
    Rule("uts39.too_many_marks", "UTS #39 §5.4", "More than four nonspacing marks in a row."),
    Rule(
        "uts39.hidden_overlay",
        "UTS #39 §5.4",
        "A COMBINING DOT ABOVE hidden in the dot or stroke of the letter before it (i, j, l and their look-alikes).",
    ),
    Rule(
        "uts39.whole_script_confusable",
        "idnkit; UTS #39 §4",
        "A single-script label has the same skeleton as some string of a target script.",
    ),
    Rule(
        "uts39.mixed_script_confusable",
        "idnkit; UTS #39 §4",
        "A mixed-script label has the same skeleton as some single-script string of a target script.",
    ),
    Rule(
        "uts39.confusable",
        "UTS #39 §4",
        "The name has the same skeleton as another name (single-, mixed- or whole-script confusable).",
    ),
    Rule(
        "uts39.mark_folded",
        "idnkit (beyond UTS #39)",
        "The name equals another once combining marks are folded away (off by default).",
    ),
    # Zone reading (RFC 1035 §5) and zone audit (idnkit zone and audit modules).
    Rule("zone.syntax", "RFC 1035 §5.1", "A master-file line cannot be parsed (quotes, parentheses, fields)."),
    Rule("zone.bad_name", "RFC 1035 §5.1, §2.3.4", "An owner name is malformed: bad escape, empty or over-long label."),
    Rule("zone.no_owner", "RFC 1035 §5.1", "A record with a blank owner field and no previous owner."),
    Rule("zone.no_type", "RFC 1035 §5.1", "A record line without a recognisable record type."),
    Rule(
        "zone.line_too_long",
        "idnkit bound",
        "A zone line over 288 KiB (room for a 65,535-octet RDATA as \\DDD escapes) or a name-list line over"
        " 64 KB is refused without reading it into memory.",
    ),
    Rule(
        "zone.record_too_long",
        "idnkit bound",
        "A parenthesised record over 288 KiB (bytes of the file, line ends included) is refused: RFC 1035 §3.2.1"
        " bounds RDATA at 65,535 octets, at most 262,140 bytes of presentation text (a \\DDD per octet).",
    ),
    Rule(
        "zone.unsupported_directive",
        "RFC 1035 §5.1",
        "A $ directive other than $ORIGIN, $TTL, $INCLUDE and BIND's $GENERATE.",
    ),
    Rule(
        "zone.generate_too_large",
        "idnkit bound; BIND 9 ARM $GENERATE",
        "A $GENERATE directive whose range has more than 65,536 values: refused whole, no name made.",
    ),
    Rule(
        "zone.include_refused",
        "RFC 1035 §5.1",
        "$INCLUDE is off, unreadable, leaves the zone's folder, names a FIFO, device or folder, closes a cycle,"
        " or passes the bounds on include depth, files or bytes per zone.",
    ),
    Rule("zone.unreadable", "RFC 3629", "A name that is not valid UTF-8."),
    Rule("audit.out_of_zone", "RFC 1035 §5.2", "An owner name that is not at or below the zone's origin."),
    Rule("audit.lgr", "RFC 7940 §8", "An IDN label that the chosen Label Generation Ruleset does not allow."),
    # Registry policy (idnkit.policy): sources here are the defaults; a policy file's own `source` wins.
    Rule("policy.example", "policy file [policy] status", "An example policy, not the registry's own word (a notice)."),
    Rule("policy.tld", "policy file [policy] tld", "The name is not under the policy's TLD."),
    Rule(
        "policy.idna.disallowed", "policy file [idna] disallow", "A code point the policy refuses on top of IDNA2008."
    ),
    Rule(
        "policy.table.none",
        "RFC 7940 §7; policy file [tables]",
        "The label is valid under none of the policy's LGR tables.",
    ),
    Rule(
        "policy.table.invalid", "RFC 7940 §7", "Why one LGR table refuses the label (reported with policy.table.none)."
    ),
    Rule(
        "policy.table.ambiguous", "policy file [tables] select = one", "The label is valid under more than one table."
    ),
    Rule(
        "policy.table.language", "policy file [tables] select = language", "No table has the registrant's language tag."
    ),
    Rule("policy.restriction_level", "UTS #39 §5.2", "The label is above the policy's UTS #39 restriction level."),
    Rule(
        "policy.script.not_allowed",
        "policy file [scripts] allowed",
        "A code point of a script the policy does not allow.",
    ),
    Rule(
        "policy.script.mixed",
        "policy file [scripts] single_script; UTS #39 §5.1",
        "The label mixes scripts beyond the allowed combinations.",
    ),
    Rule(
        "policy.script.tld_form",
        "policy file [scripts] idn_tld_only / ascii_tld_only",
        "A script allowed only under the other form of the TLD.",
    ),
    Rule("policy.digits.mixed", "policy file [digits] mixing; UTS #39 §5.3", "Digits from more than one digit set."),
    Rule("policy.digits.not_allowed", "policy file [digits] allowed", "A digit from a set the policy does not allow."),
    Rule("policy.hyphen.not_allowed", "policy file [hyphens] allowed", "The policy allows no hyphen."),
    Rule("policy.hyphen.consecutive", "policy file [hyphens] consecutive", "Two hyphens in a row."),
    Rule("policy.length.codepoints", "policy file [length]", "The label has too few or too many code points."),
    Rule(
        "policy.length.graphemes",
        "policy file [length]; UAX #29",
        "The label has too few or too many grapheme clusters.",
    ),
    Rule(
        "policy.length.octets", "policy file [length]; RFC 5890 §2.3.2.1", "The A-label has too few or too many octets."
    ),
    Rule("policy.context", "policy file [[context]]", "A code point outside the context the policy allows it in."),
    Rule("policy.reserved", "policy file [reserved]", "The name is reserved by the registry."),
    Rule("policy.blocked", "policy file [blocked]", "The name is blocked by the registry."),
    Rule(
        "policy.registry.conflict",
        "policy file [confusables]",
        "The name conflicts with a registered name (look-alike, fold or exact name).",
    ),
    Rule(
        "policy.registry.variant_blocked",
        "RFC 7940 §7.3; policy file [variants]",
        "The name is a blocked variant of a registered name.",
    ),
    Rule(
        "policy.registry.variant_reserved",
        "policy file [variants]",
        "The name is a variant reserved to another registrant.",
    ),
    Rule("policy.registry.registered", "registry database", "The name is already registered."),
    Rule(
        "policy.registry.variants_unknown",
        "RFC 7940 §8; policy file [variants]",
        "The name's variant labels could not be listed within the LGR's work budget, so its bundle is unknown.",
    ),
    # EPP commands (idnkit.epp): each rule calls for one EPP result code (RFC 5730 §3), named in docs/epp.md.
    Rule(
        "epp.xml.too_large",
        "RFC 5730 §2; idnkit bound",
        "The command is larger than the size limit (64 KiB by default).",
    ),
    Rule(
        "epp.xml.too_deep", "RFC 5730 §2; idnkit bound", "Elements nested deeper than the depth limit (32 by default)."
    ),
    Rule("epp.xml.encoding", "RFC 5730 §5; RFC 3629", "The command is not UTF-8, or declares another encoding."),
    Rule(
        "epp.xml.forbidden",
        "RFC 5730 §2; defusedxml",
        "A DTD, an entity declaration or an external reference: refused unread.",
    ),
    Rule("epp.xml.malformed", "RFC 5730 §2; XML 1.0 §2.1", "The command is not well-formed XML."),
    Rule(
        "epp.command.namespace",
        "RFC 5730 §2.1; RFC 5731 §2",
        "An element outside the EPP or domain namespace where one of theirs is required.",
    ),
    Rule(
        "epp.command.structure",
        "RFC 5730 §2.5; RFC 5731 §3",
        "An element missing, repeated or unexpected where the schema places it.",
    ),
    Rule(
        "epp.command.unimplemented",
        "RFC 5730 §3 (2101)",
        "A command idnkit does not validate (only domain check, create and info).",
    ),
    Rule("epp.command.trid", "RFC 5730 §2.5", "A <clTRID> that is not a token of 3 to 64 characters."),
    Rule(
        "epp.command.client",
        "RFC 5730 §3 (2002)",
        "A create without the sponsoring client (the service's authenticated registrar).",
    ),
    Rule(
        "epp.command.too_many_names",
        "RFC 5731 §3.1.1; idnkit bound",
        "A <domain:check> naming more names than the limit (100 by default).",
    ),
    Rule(
        "epp.command.failed",
        "RFC 5730 §3 (2400)",
        "The registry could not carry out the command (its store or an engine failed).",
    ),
    Rule(
        "epp.name.not_ascii",
        "RFC 5731 §2.1; RFC 5891 §4.4, §4.5",
        "<domain:name> must carry A-labels; the Unicode form goes in the IDN extension.",
    ),
    Rule(
        "epp.name.level",
        "RFC 5731 §2.1; policy file [policy] tld",
        "The name is not one label directly under the policy's TLD.",
    ),
    Rule("epp.name.not_registered", "RFC 5730 §3 (2303)", "The name asked about is not registered."),
    Rule("epp.period.syntax", "RFC 5731 §3.2.1", "<domain:period> is not a whole number with unit y or m."),
    Rule("epp.period.range", "RFC 5731 §3.2.1", "<domain:period> is outside 1 to 99."),
    Rule(
        "epp.idn.uname_mismatch",
        "draft-ietf-eppext-idnmap §3.2.1; RFC 5891 §5.3",
        "The Unicode form sent (<idn:uname>, <userForm>) is not the domain name's U-label form.",
    ),
    Rule(
        "epp.idn.table_unknown",
        "draft-ietf-eppext-idnmap §3.2.1; policy file [[table]]",
        "The IDN table or language tag names no table the policy offers.",
    ),
    Rule(
        "epp.idn.table_ambiguous",
        "policy file [[table]] tag",
        "The IDN table or language tag fits more than one of the policy's tables.",
    ),
    Rule(
        "epp.idn.table_mismatch",
        "RFC 7940 §7; policy file [[table]]",
        "The label is not valid under the IDN table the command names.",
    ),
    Rule(
        "epp.idn.tags_conflict",
        "docs/epp.md, tag conventions",
        "Two IDN tag conventions in one command name different tables.",
    ),
    Rule(
        "epp.idn.table_required",
        "policy file [tables] select = language",
        "The policy picks its table by language tag and the create sends none.",
    ),
    # LGR (RFC 7940): why idnkit.lgr finds a label not eligible (LgrFinding.kind, reported as rule_id) and
    # the problems of an LGR document (idncheck lgr validate / convert, Problem.kind, reported as rule_id).
    Rule(
        "rfc7940.label.not_in_repertoire",
        "RFC 7940 §8.1",
        "A code point (or part of a sequence) outside the LGR's repertoire.",
    ),
    Rule(
        "rfc7940.label.context",
        "RFC 7940 §5.2, §7.5, §8.1",
        "A repertoire element whose when/not-when context rule fails.",
    ),
    Rule("rfc7940.label.empty", "RFC 7940 §8.1; RFC 5890 §2.3.1", "An empty label is not eligible under any LGR."),
    Rule(
        "rfc7940.label.too_long",
        "idnkit bound",
        "A label longer than idnkit's bound for LGR evaluation (far over 63 octets).",
    ),
    Rule("rfc7940.doc.duplicate_reference", "RFC 7940 §4.3", "A reference id defined more than once."),
    Rule("rfc7940.doc.undefined_reference", "RFC 7940 §4.3", "A ref attribute naming no <reference>."),
    Rule(
        "rfc7940.doc.overlapping_repertoire",
        "RFC 7940 §5",
        "A code point or sequence listed more than once in the repertoire.",
    ),
    Rule("rfc7940.doc.tag_on_sequence", "RFC 7940 §5.5", "A tag on a code point sequence."),
    Rule("rfc7940.doc.undefined_rule", "RFC 7940 §5.2, §7.1", "A when/not-when/match/not-match naming no rule."),
    Rule("rfc7940.doc.duplicate_variant", "RFC 7940 §5.3", "The same variant mapping repeated on one element."),
    Rule(
        "rfc7940.doc.variant_outside_repertoire",
        "RFC 7940 §5.3",
        "A variant mapping to code points outside the repertoire.",
    ),
    Rule("rfc7940.doc.asymmetric_variant", "RFC 7940 §5.3; §8.5", "A variant mapping without its reverse mapping."),
    Rule("rfc7940.doc.non_transitive_variant", "RFC 7940 §5.3; §8.5", "Variant mappings that are not transitive."),
    Rule("rfc7940.doc.unknown_disposition", "RFC 7940 §7.3", "An action disposition RFC 7940 does not define."),
    Rule("rfc7940.doc.untriggered_variant_type", "RFC 7940 §7.2", "A variant type that no action triggers on."),
    Rule(
        "rfc7940.doc.unicode_version",
        "RFC 7940 §4.3",
        "No unicode-version in <meta>, or one idnkit's tables do not match.",
    ),
    Rule(
        "rfc7940.doc.bad_rule",
        "RFC 7940 §6",
        "A rule or class idnkit cannot compile (undefined reference, unsafe shape).",
    ),
    Rule(
        "rfc7940.doc.unmatchable_rule",
        "RFC 7940 §6.3",
        "A rule that needs text before <start/> or after <end/> (best effort).",
    ),
    Rule("rfc7940.doc.malformed_line", "RFC 3743; RFC 4290", "A line of a legacy table that cannot be read."),
    Rule(
        "rfc7940.doc.bad_value",
        "RFC 7940 §4.3, §5.3, §7.1",
        "An attribute or meta value not in the form RFC 7940 gives it (date, version, language tag, type, disposition).",
    ),
    # Notes of an LGR-set merge (idncheck lgr merge, MergeNote.kind): what the merged set could not keep.
    Rule(
        "rfc7940.merge.variant_conflict",
        "RFC 7940 §5.3, §7.2",
        "Members give one variant mapping different types; the first member's type is kept.",
    ),
    Rule(
        "rfc7940.merge.context_conflict",
        "RFC 7940 §5.2",
        "Members mix when and not-when contexts on one element; the first member's context is kept.",
    ),
    Rule("rfc7940.merge.unicode_version", "RFC 7940 §4.3", "Members name different Unicode versions."),
)

RULES: dict[str, Rule] = {r.id: r for r in _RULES}
