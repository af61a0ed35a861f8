"""`python -m zicht` runs the command line."""

from zicht.cli import main

main()
