"""`python -m prodigy` entry point of the Prodigy stand-in."""
import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
