"""`python -m dyadwatch.cli` runs the CLI."""

from dyadwatch.cli import main

main()
