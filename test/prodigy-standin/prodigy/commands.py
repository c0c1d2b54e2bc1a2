"""Database commands of the Prodigy stand-in: db-out, db-in, db-merge, drop, stats."""
import json
import platform
import sys
import time
from pathlib import Path

from . import __version__
from .args import CliParser, split_names
from .config import prodigy_home
from .controller import ANSWERS, timestamp_session_id
from .db import check_dataset_name, dumps_example
from .errors import StandinError, print_info
from .hashing import set_hashes
from .loaders import load_source


def _require_dataset(db, name):
    if name not in db:
        raise StandinError(f"Can't find '{name}' in database {db.db_name}",
                           "Check the name with `prodigy stats -l`.")


def db_out(argv, db):
    parser = CliParser("db-out", "Export annotations from the database as JSONL.")
    parser.add_argument("dataset", help="Dataset to export")
    parser.add_argument("out_dir", nargs="?", default=None, help="Folder to write DATASET.jsonl to (default: stdout)")
    parser.add_argument("--answer", "-a", choices=ANSWERS, default=None, help="Only export annotations with this answer")
    parser.add_argument("--flagged-only", "-F", action="store_true", help="Only export flagged annotations")
    parser.add_argument("--dry", "-D", action="store_true", help="Perform a dry run")
    args = parser.parse_args(argv)
    _require_dataset(db, args.dataset)
    examples = db.get_dataset_examples(args.dataset)
    if args.flagged_only:
        examples = [eg for eg in examples if eg.get("flagged")]
    if args.answer:
        examples = [eg for eg in examples if eg.get("answer") == args.answer]
    if args.out_dir is None:
        sys.stdout.write("".join(dumps_example(eg) + "\n" for eg in examples))
        sys.stdout.flush()
        return 0
    out_dir = Path(args.out_dir)
    out_file = out_dir / f"{args.dataset}.jsonl"
    if not args.dry:
        out_dir.mkdir(parents=True, exist_ok=True)
        out_file.write_text("".join(dumps_example(eg) + "\n" for eg in examples), encoding="utf-8")
    print_info(f"\u2714 Exported {len(examples)} annotations for '{args.dataset}' from database {db.db_name}",
               str(out_file.resolve()))
    return 0


def db_in(argv, db):
    parser = CliParser("db-in", "Import annotations to the database (any format the loaders read).")
    parser.add_argument("dataset", help="Dataset to import into (created if missing)")
    parser.add_argument("in_file", help="Path to the annotations file")
    parser.add_argument("--loader", "-lo", default=None, help="Loader: jsonl, json, txt, csv")
    parser.add_argument("--answer", "-a", choices=ANSWERS, default="accept", help="Answer to set where none is present")
    parser.add_argument("--overwrite", "-o", action="store_true", help="Overwrite existing answers")
    parser.add_argument("--rehash", "-rh", action="store_true", help="Recompute hashes even where present")
    parser.add_argument("--dry", "-D", action="store_true", help="Perform a dry run")
    args = parser.parse_args(argv)
    check_dataset_name(args.dataset)
    path = Path(args.in_file)
    if args.in_file != "-" and not path.is_file():
        raise StandinError(f"Not a valid input file: {args.in_file}")
    annotations = [set_hashes(task, overwrite=args.rehash) for _where, task in load_source(args.in_file, args.loader)]
    added = 0
    for task in annotations:
        if "answer" not in task or args.overwrite:
            task["answer"] = args.answer
            added += 1
        task.setdefault("_timestamp", int(time.time()))
    session_id = timestamp_session_id()
    if not args.dry:
        db.add_dataset(args.dataset, {"description": None, "author": None})
        db.add_dataset(session_id, session=True)
        db.add_examples(annotations, [(args.dataset, False), (session_id, True)])
    print_info(f"\u2714 Imported {len(annotations)} annotations for '{args.dataset}' to database {db.db_name}",
               f"Added '{args.answer}' answer to {added} annotations", f"Session ID: {session_id}")
    return 0


def db_merge(argv, db):
    parser = CliParser("db-merge", "Merge several datasets into a new dataset.")
    parser.add_argument("in_sets", help="Comma-separated names of datasets to merge")
    parser.add_argument("out_set", help="Name of the new dataset")
    parser.add_argument("--rehash", "-R", action="store_true", help="Recompute hashes")
    parser.add_argument("--dry", "-D", action="store_true", help="Perform a dry run")
    args = parser.parse_args(argv)
    in_sets = split_names(args.in_sets)
    if not in_sets:
        raise StandinError("db-merge needs at least one input dataset, e.g. `prodigy db-merge a,b merged`")
    for name in in_sets:
        _require_dataset(db, name)
    check_dataset_name(args.out_set)
    if args.out_set in db:
        raise StandinError(f"Dataset '{args.out_set}' already exists in database {db.db_name}",
                           "db-merge writes to a new dataset: choose another name or drop it first.")
    merged = [set_hashes(eg, overwrite=args.rehash) for name in in_sets for eg in db.get_dataset_examples(name)]
    if not args.dry:
        db.add_dataset(args.out_set, {"merged_from": in_sets})
        db.add_examples(merged, [(args.out_set, False)])
    print_info(f"\u2714 Merged {len(merged)} examples from {len(in_sets)} datasets", f"Created merged dataset '{args.out_set}'")
    return 0


def drop(argv, db):
    parser = CliParser("drop", "Remove a dataset or session dataset. Can't be undone.")
    parser.add_argument("dataset", help="Dataset or session to remove")
    args = parser.parse_args(argv)
    _require_dataset(db, args.dataset)
    db.drop_dataset(args.dataset)
    print_info(f"\u2714 Removed '{args.dataset}' from database {db.db_name}")
    return 0


def _print_table(title, rows, no_format):
    if no_format:
        print(json.dumps(dict(rows)), flush=True)
        return
    width = max(len(k) for k, _ in rows) + 3
    print(f"\n\u2728  {title}\n", flush=True)
    for key, value in rows:
        print(f"{key.ljust(width)}{value}", flush=True)


def stats(argv, db):
    parser = CliParser("stats", "Print Prodigy (stand-in) and database statistics.")
    parser.add_argument("dataset", nargs="?", default=None, help="Dataset to show details for")
    parser.add_argument("--list-datasets", "-l", action="store_true", help="Print list of all datasets")
    parser.add_argument("--list-sessions", "-ls", action="store_true", help="Print list of all sessions")
    parser.add_argument("--no-format", "-NF", action="store_true", help="Print JSON, not a table")
    args = parser.parse_args(argv)
    datasets, sessions = db.datasets, db.sessions
    _print_table("Prodigy Stats", [
        ("Version", __version__), ("Location", str(Path(__file__).parent)), ("Prodigy Home", str(prodigy_home())),
        ("Platform", platform.platform()), ("Python Version", platform.python_version()),
        ("Database Name", db.db_name), ("Database Id", db.db_id), ("Database Location", db.location),
        ("Total Datasets", len(datasets)), ("Total Sessions", len(sessions))], args.no_format)
    if args.list_datasets or args.list_sessions:
        print(f"\n\u2728  Datasets\n\n{', '.join(datasets) or '(none)'}", flush=True)
    if args.list_sessions:
        print(f"\n\u2728  Sessions\n\n{', '.join(sessions) or '(none)'}", flush=True)
    if args.dataset:
        _require_dataset(db, args.dataset)
        examples = db.get_dataset_examples(args.dataset)
        meta = db.get_meta(args.dataset)
        counts = {a: sum(1 for eg in examples if eg.get("answer") == a) for a in ANSWERS}
        created = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(meta["created"]))
        _print_table(f"Dataset '{args.dataset}'", [
            ("Dataset", args.dataset), ("Created", created), ("Description", meta.get("description")),
            ("Author", meta.get("author")), ("Annotations", len(examples)), ("Accept", counts["accept"]),
            ("Reject", counts["reject"]), ("Ignore", counts["ignore"])], args.no_format)
    return 0


COMMANDS = {"db-out": db_out, "db-in": db_in, "db-merge": db_merge, "drop": drop, "stats": stats}
