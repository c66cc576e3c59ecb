"""Run the command line with ``python -m cleaner``."""

from cleaner.cli import main

main()
