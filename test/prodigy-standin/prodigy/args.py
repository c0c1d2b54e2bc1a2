"""argparse wrapper for the Prodigy stand-in: usage errors print a clear message and exit 1, like a real CLI."""
import argparse
import sys

from .errors import print_error


class CliParser(argparse.ArgumentParser):
    def __init__(self, prog, description):
        super().__init__(prog=f"prodigy {prog}", description=description, allow_abbrev=False)

    def error(self, message):
        self.print_usage(sys.stderr)
        print_error(message, f"Run `{self.prog} --help` for the arguments it takes.")
        sys.exit(1)


def add_labels(parser):
    parser.add_argument("--label", "-l", default=None,
                        help="Comma-separated labels, or a path to a text file with one label per line")


def add_loader(parser):
    parser.add_argument("--loader", "-lo", default=None, help="Loader: jsonl, json, txt, csv, images, audio")


def add_exclude(parser):
    parser.add_argument("--exclude", "-e", default=None, help="Comma-separated datasets whose examples to skip")


def split_names(value):
    return [name.strip() for name in (value or "").split(",") if name.strip()]
