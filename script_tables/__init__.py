"""Data package: RFC 7940 LGRs and other script tables shipped with idnkit (see README.md)."""
