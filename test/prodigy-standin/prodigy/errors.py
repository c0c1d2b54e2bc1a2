"""User-facing errors of the Prodigy stand-in: printed as one clear line (plus detail) and exit code 1."""
import sys


class StandinError(Exception):
    """An error the CLI reports to the user and exits 1 for."""

    def __init__(self, message, detail=None):
        super().__init__(message)
        self.message = message
        self.detail = detail


def print_error(message, detail=None):
    print(f"\u2718 {message}", file=sys.stderr, flush=True)
    if detail:
        print(f"  {detail}", file=sys.stderr, flush=True)


def print_info(*lines):
    for line in lines:
        print(line, flush=True)
