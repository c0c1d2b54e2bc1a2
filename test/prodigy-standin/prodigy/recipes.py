"""Built-in recipes of the Prodigy stand-in. Each parses its CLI args and returns the controller components."""
from pathlib import Path

from .args import CliParser, add_exclude, add_labels, add_loader, split_names
from .errors import StandinError
from .hashing import TASK_HASH_ATTR, set_hashes
from .loaders import load_source, read_labels
from .media import fetch_local_media, remove_base64
from .review import build_review_stream
from .tokens import align_spans, tokenize


def _require(task, keys, where, recipe):
    if not any(isinstance(task.get(k), str) and task.get(k) for k in keys):
        wanted = " or ".join(f"'{k}'" for k in keys)
        raise StandinError(f"Invalid task for {recipe} ({where}): needs a non-empty string {wanted}",
                           f"Got keys: {', '.join(sorted(task)) or 'none'}.")


def _hash_and_dedup(tasks):
    seen, out = set(), []
    for task in tasks:
        set_hashes(task)
        if task[TASK_HASH_ATTR] not in seen:
            seen.add(task[TASK_HASH_ATTR])
            out.append(task)
    return out


def _check_file(value, what):
    if value and not Path(value).is_file():
        raise StandinError(f"Can't find {what} file {value}")


def _components(view_id, dataset, stream, config, exclude=None, before_db=None, exclude_by=None):
    return {"view_id": view_id, "dataset": dataset, "stream": stream, "config": config,
            "exclude": split_names(exclude), "before_db": before_db, "exclude_by": exclude_by}


def _token_recipe(name, view_id, description, highlight_key):
    def run(argv, db):
        parser = CliParser(name, description)
        parser.add_argument("dataset", help="Dataset to save annotations to")
        parser.add_argument("spacy_model", help="Loadable spaCy pipeline or blank:lang (tokenised on whitespace/punctuation here)")
        parser.add_argument("source", help="Data to annotate (file path or '-' to read from standard input)")
        add_loader(parser)
        add_labels(parser)
        parser.add_argument("--patterns", "-pt", "-p", default=None, help="Path to match patterns file (checked, not applied)")
        add_exclude(parser)
        parser.add_argument("--highlight-chars", "-C", action="store_true", help="Allow highlighting individual characters")
        args = parser.parse_args(argv)
        _check_file(args.patterns, "patterns")
        tasks = []
        for where, task in load_source(args.source, args.loader, db=db):
            _require(task, ("text",), where, name)
            if not isinstance(task.get("tokens"), list):
                task["tokens"] = tokenize(task["text"])
            if isinstance(task.get("spans"), list):
                align_spans(task["spans"], task["tokens"])
            tasks.append(task)
        config = {"labels": read_labels(args.label), highlight_key: args.highlight_chars}
        return _components(view_id, args.dataset, _hash_and_dedup(tasks), config, args.exclude)
    return run


def textcat_manual(argv, db):
    parser = CliParser("textcat.manual", "Manually annotate categories that apply to a text.")
    parser.add_argument("dataset", help="Dataset to save annotations to")
    parser.add_argument("source", help="Data to annotate (file path or '-' to read from standard input)")
    add_loader(parser)
    add_labels(parser)
    parser.add_argument("--exclusive", "-E", action="store_true", help="Treat classes as mutually exclusive")
    parser.add_argument("--accept-empty", "-ae", action="store_true", help="Accept answers with no label selected")
    add_exclude(parser)
    args = parser.parse_args(argv)
    labels = read_labels(args.label)
    if not labels:
        raise StandinError("textcat.manual needs at least one label: pass --label A,B (or a file with one label per line)")
    tasks = []
    for where, task in load_source(args.source, args.loader, db=db):
        _require(task, ("text",), where, "textcat.manual")
        if len(labels) == 1:
            task["label"] = labels[0]
        else:
            task["options"] = [{"id": label, "text": label} for label in labels]
        tasks.append(task)
    if len(labels) == 1:
        return _components("classification", args.dataset, _hash_and_dedup(tasks), {"labels": labels}, args.exclude)
    config = {"labels": labels, "choice_style": "single" if args.exclusive else "multiple",
              "choice_auto_accept": False, "exclude_by": "input"}
    return _components("choice", args.dataset, _hash_and_dedup(tasks), config, args.exclude, exclude_by="input")


def image_manual(argv, db):
    parser = CliParser("image.manual", "Manually annotate images by drawing rectangular bounding boxes or polygons.")
    parser.add_argument("dataset", help="Dataset to save annotations to")
    parser.add_argument("source", help="Folder of images, or JSONL of tasks with 'image' (path, URL or data URI)")
    add_loader(parser)
    add_labels(parser)
    add_exclude(parser)
    parser.add_argument("--width", "-w", type=int, default=675, help="Default width of the annotation card")
    parser.add_argument("--darken", "-D", action="store_true", help="Darken image to make boxes stand out more")
    parser.add_argument("--no-fetch", "-NF", action="store_true", help="Don't turn local image paths into data URIs")
    parser.add_argument("--remove-base64", "-R", action="store_true", help="Remove base64 image data before saving to the DB")
    args = parser.parse_args(argv)
    tasks = []
    for where, task in load_source(args.source, args.loader, media_loader="images", db=db):
        _require(task, ("image",), where, "image.manual")
        tasks.append(task)
    tasks = _hash_and_dedup(tasks)  # hash on the given path/URL, before any data URI is made
    if not args.no_fetch:
        for task in tasks:
            fetch_local_media(task, "image", task.get("path") or "source")
    config = {"labels": read_labels(args.label), "image_manual_stroke_width": 3, "darken_image": 0.3 if args.darken else 0,
              "card_width": args.width}
    before_db = (lambda examples: [remove_base64(eg, ("image",)) for eg in examples]) if args.remove_base64 else None
    return _components("image_manual", args.dataset, tasks, config, args.exclude, before_db)


def audio_manual(argv, db):
    parser = CliParser("audio.manual", "Manually label regions in audio or video files.")
    parser.add_argument("dataset", help="Dataset to save annotations to")
    parser.add_argument("source", help="Folder of audio files, or JSONL of tasks with 'audio' or 'video'")
    parser.add_argument("--loader", "-lo", default="audio", help="Loader: audio (default) or video, or jsonl")
    add_labels(parser)
    parser.add_argument("--keep-base64", "-B", action="store_true", help="Keep base64 audio data in the DB")
    parser.add_argument("--autoplay", "-A", action="store_true", help="Autoplay audio when a new task loads")
    parser.add_argument("--fetch-media", "-FM", action="store_true", help="Turn local paths into data URIs")
    add_exclude(parser)
    args = parser.parse_args(argv)
    tasks = []
    for where, task in load_source(args.source, None if args.loader in ("audio", "video") else args.loader,
                                   media_loader=args.loader, db=db):
        _require(task, ("audio", "video"), where, "audio.manual")
        tasks.append(task)
    tasks = _hash_and_dedup(tasks)
    if args.fetch_media:
        for task in tasks:
            fetch_local_media(task, "video" if "video" in task else "audio", task.get("path") or "source")
    config = {"labels": read_labels(args.label), "audio_autoplay": args.autoplay, "audio_loop": False}
    before_db = None if args.keep_base64 else (lambda examples: [remove_base64(eg, ("audio", "video")) for eg in examples])
    return _components("audio_manual", args.dataset, tasks, config, args.exclude, before_db)


def mark(argv, db):
    parser = CliParser("mark", "Click through pre-prepared examples, with no model in the loop.")
    parser.add_argument("dataset", help="Dataset to save annotations to")
    parser.add_argument("source", help="Data to annotate (file path or '-' to read from standard input)")
    add_loader(parser)
    add_labels(parser)
    parser.add_argument("--view-id", "-v", default="text", help="Annotation interface")
    add_exclude(parser)
    args = parser.parse_args(argv)
    labels = read_labels(args.label)
    tasks = []
    for _where, task in load_source(args.source, args.loader, db=db):
        if len(labels) == 1:
            task["label"] = labels[0]
        tasks.append(task)
    return _components(args.view_id, args.dataset, _hash_and_dedup(tasks), {"labels": labels}, args.exclude)


def review(argv, db):
    parser = CliParser("review", "Review existing annotations created by multiple annotators and resolve conflicts.")
    parser.add_argument("dataset", help="Dataset to save the reviewed annotations to")
    parser.add_argument("in_sets", help="Comma-separated names of datasets to review")
    parser.add_argument("--view-id", "-v", default=None, help="Interface of the reviewed annotations (default: theirs)")
    add_labels(parser)
    parser.add_argument("--auto-accept", "-A", action="store_true", help="Auto-accept annotations with no conflicts")
    parser.add_argument("--show-skipped", "-S", action="store_true", help="Include ignored answers")
    args = parser.parse_args(argv)
    in_sets = split_names(args.in_sets)
    if not in_sets:
        raise StandinError("review needs at least one input dataset, e.g. `prodigy review out ds_a,ds_b`")
    for name in in_sets:
        if name not in db:
            raise StandinError(f"Can't find input dataset '{name}' in database SQLite")
    stream, view_id, auto = build_review_stream(db, in_sets, args.view_id, args.show_skipped, args.auto_accept)
    reviewed = db.get_hashes([args.dataset], "input_hash")
    auto = [eg for eg in auto if eg["_input_hash"] not in reviewed]
    if auto:
        db.add_examples(auto, [(args.dataset, False)])
    config = {"labels": read_labels(args.label), "review_view_id": view_id, "exclude_by": "input"}
    return _components("review", args.dataset, stream, config, exclude_by="input")


RECIPES = {
    "ner.manual": _token_recipe("ner.manual", "ner_manual", "Mark spans by token. Requires only a tokenizer and no "
                                "entity recognizer, and doesn't do any active learning.", "ner_manual_highlight_chars"),
    "spans.manual": _token_recipe("spans.manual", "spans_manual", "Mark spans manually by token, allowing overlapping "
                                  "spans.", "spans_manual_highlight_chars"),
    "textcat.manual": textcat_manual,
    "image.manual": image_manual,
    "audio.manual": audio_manual,
    "mark": mark,
    "review": review,
}
