"""The C accelerator and the package list; everything else is in pyproject.toml."""

from setuptools import Extension, find_packages, setup

setup(
    # Every subpackage of src/idnkit (found, so a new layer cannot be left out of the wheel), plus the
    # data folders at the repository root that ship as idnkit.script_tables and idnkit.policies.
    packages=[*find_packages("src"), "idnkit.script_tables", "idnkit.policies"],
    # optional=True: where no C compiler is available the build still succeeds and idnkit falls
    # back to the pure-Python Punycode encoder (same results, slower).
    ext_modules=[Extension("idnkit.idna._speedups", ["src/idnkit/idna/_speedups.c"], optional=True)],
)
