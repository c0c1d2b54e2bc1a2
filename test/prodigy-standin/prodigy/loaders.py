"""Source loaders of the Prodigy stand-in: jsonl, json, txt, csv, stdin ('-'), image/audio folders, dataset:NAME.

Each loader returns a list of (where, task) pairs; `where` names the file and line for error messages.
"""
import csv
import io
import json
import sys
from pathlib import Path

from .errors import StandinError
from .media import AUDIO_EXTENSIONS, IMAGE_EXTENSIONS, file_to_data_uri

TEXT_LOADERS = ("jsonl", "json", "txt", "csv")
MEDIA_LOADERS = ("images", "image-server", "audio", "video", "audio-server")


def _parse_jsonl(lines, name):
    tasks = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            task = json.loads(line)
        except json.JSONDecodeError as err:
            raise StandinError(f"Invalid JSON on line {number} of {name}: {err.msg} (column {err.colno})",
                               "Each line must be one JSON object; fix or remove that line and try again.") from err
        if not isinstance(task, dict):
            raise StandinError(f"Invalid task on line {number} of {name}: expected a JSON object, got {type(task).__name__}")
        tasks.append((f"{name} line {number}", task))
    return tasks


def _parse_json(text, name):
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise StandinError(f"Invalid JSON in {name} at line {err.lineno}, column {err.colno}: {err.msg}") from err
    if not isinstance(value, list):
        raise StandinError(f"Invalid {name}: a .json source must hold a JSON array of tasks")
    out = []
    for index, task in enumerate(value):
        if not isinstance(task, dict):
            raise StandinError(f"Invalid task #{index + 1} in {name}: expected a JSON object")
        out.append((f"{name} item {index + 1}", task))
    return out


def _parse_txt(text, name):
    return [(f"{name} line {n}", {"text": line.rstrip("\r")}) for n, line in enumerate(text.split("\n"), start=1)
            if line.strip()]


def _parse_csv(text, name):
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.lower(): c for c in (reader.fieldnames or [])}
    if "text" not in columns:
        raise StandinError(f"Invalid CSV {name}: no 'Text' column (found: {', '.join(reader.fieldnames or []) or 'none'})")
    out = []
    for row in reader:
        task = {"text": row.get(columns["text"]) or ""}
        if "label" in columns and row.get(columns["label"]):
            task["label"] = row[columns["label"]]
        meta = {k: v for k, v in row.items() if k and k.lower() not in ("text", "label")}
        if meta:
            task["meta"] = meta
        out.append((f"{name} line {reader.line_num}", task))
    return out


def _read_text(path):
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise StandinError(f"Can't read {path}: not UTF-8 text (byte {err.start})") from err
    except OSError as err:
        raise StandinError(f"Can't read source {path}", str(err)) from err


def _media_folder(path, loader):
    extensions = AUDIO_EXTENSIONS if loader in ("audio", "video", "audio-server") else IMAGE_EXTENSIONS
    key = "audio" if extensions is AUDIO_EXTENSIONS else "image"
    if loader == "video":
        key = "video"
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in extensions)
    out = []
    for file in files:
        task = {key: file_to_data_uri(file), "text": file.stem, "path": str(file.resolve()), "meta": {"file": file.name}}
        out.append((str(file), task))
    return out


def load_source(source, loader=None, media_loader=None, db=None):
    """Read a recipe source into (where, task) pairs; media recipes pass their default folder loader."""
    if source is None:
        raise StandinError("Missing source: give a file path, a folder, 'dataset:NAME' or '-' for standard input")
    if loader and loader not in TEXT_LOADERS + MEDIA_LOADERS:
        raise StandinError(f"Unknown loader '{loader}'", f"The Prodigy stand-in knows: {', '.join(TEXT_LOADERS + MEDIA_LOADERS)}")
    if source.startswith("dataset:"):
        name = source[len("dataset:"):].split(":")[0]
        if db is None or name not in db:
            raise StandinError(f"Can't find dataset '{name}' in database SQLite (source {source})")
        return [(f"{source} #{i + 1}", eg) for i, eg in enumerate(db.get_dataset_examples(name))]
    if source == "-":
        text = sys.stdin.read()
        name = "<stdin>"
        kind = loader if loader in TEXT_LOADERS else "jsonl"
    else:
        path = Path(source)
        if path.is_dir():
            return _media_folder(path, loader if loader in MEDIA_LOADERS else (media_loader or "images"))
        if not path.is_file():
            raise StandinError(f"Can't find source file {source}", "Check the path (relative paths are resolved from "
                               f"{Path.cwd()}).")
        text = _read_text(path)
        name = source
        suffix = path.suffix.lower().lstrip(".")
        kind = loader if loader in TEXT_LOADERS else (suffix if suffix in TEXT_LOADERS else "jsonl")
    if kind == "json":
        return _parse_json(text, name)
    if kind == "txt":
        return _parse_txt(text, name)
    if kind == "csv":
        return _parse_csv(text, name)
    return _parse_jsonl(text.split("\n"), name)


def read_labels(value):
    """--label accepts 'A,B' or a path to a text file with one label per line."""
    if not value:
        return []
    path = Path(value)
    if path.is_file():
        labels = [line.strip() for line in _read_text(path).splitlines() if line.strip()]
        if not labels:
            raise StandinError(f"Label file {value} has no labels (one label per line expected)")
        return labels
    return [label.strip() for label in value.split(",") if label.strip()]
