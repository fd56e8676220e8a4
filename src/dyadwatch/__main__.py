"""`python -m dyadwatch` runs the CLI."""

from dyadwatch.cli import main

main()
