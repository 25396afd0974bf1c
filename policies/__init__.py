"""Data package: ccTLD policy files shipped with idnkit (see README.md)."""
