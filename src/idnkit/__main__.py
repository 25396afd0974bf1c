"""``python -m idnkit``: the same as the ``idncheck`` command."""

from .cli import main

main()
