"""Only the optional C accelerator lives here; everything else is in pyproject.toml."""

from setuptools import Extension, setup

# optional=True: where no C compiler is available the build still succeeds and idnkit falls
# back to the pure-Python Punycode encoder (same results, slower).
setup(ext_modules=[Extension("idnkit._speedups", ["src/idnkit/_speedups.c"], optional=True)])
