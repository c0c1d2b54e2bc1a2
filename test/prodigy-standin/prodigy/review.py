"""The review recipe's stream: examples of several datasets merged by input hash, with versions and sessions."""
import copy
import time
from collections import Counter

from .hashing import (INPUT_HASH_ATTR, REVIEW_INPUT_KEYS, REVIEW_TASK_KEYS, TASK_HASH_ATTR, get_input_hash,
                      get_task_hash)

_PER_ANSWER_KEYS = ("answer", "_session_id", "_annotator_id", "_timestamp")


def _session_of(example):
    return example.get("_session_id") or example.get("_annotator_id") or "unknown"


def _version_key(example):
    picked = {k: example[k] for k in REVIEW_TASK_KEYS if k in example}
    return (get_task_hash(picked, 0, REVIEW_TASK_KEYS), example.get("answer"))


def build_review_stream(db, in_sets, view_id=None, show_skipped=False, auto_accept=False):
    """Group the in_sets' examples by _input_hash; each group becomes one task listing its distinct versions."""
    groups, order, view_ids = {}, [], Counter()
    for name in in_sets:
        for example in db.get_dataset_examples(name):
            if example.get("answer") == "ignore" and not show_skipped:
                continue
            key = example.get(INPUT_HASH_ATTR)
            if key is None:
                key = get_input_hash(example, REVIEW_INPUT_KEYS)
            if key not in groups:
                groups[key] = {}
                order.append(key)
            version = _version_key(example)
            groups[key].setdefault(version, []).append(example)
            if example.get("_view_id"):
                view_ids[example["_view_id"]] += 1
    chosen_view = view_id or (view_ids.most_common(1)[0][0] if view_ids else "text")
    stream, auto = [], []
    for key in order:
        versions = []
        for examples in sorted(groups[key].values(), key=len, reverse=True):
            version = {k: v for k, v in copy.deepcopy(examples[0]).items() if k not in _PER_ANSWER_KEYS}
            version["answer"] = examples[0].get("answer")
            version["sessions"] = sorted({_session_of(eg) for eg in examples})
            version["default"] = not versions
            versions.append(version)
        sessions = sorted({s for v in versions for s in v["sessions"]})
        task = {k: v for k, v in versions[0].items() if k not in ("sessions", "default", "answer")}
        task[INPUT_HASH_ATTR] = key
        task[TASK_HASH_ATTR] = get_task_hash(task, key, REVIEW_TASK_KEYS)
        task["view_id"] = chosen_view
        task["versions"] = versions
        task["sessions"] = sessions
        if auto_accept and len(versions) == 1 and versions[0]["answer"] == "accept":
            auto.append({**task, "answer": "accept", "_view_id": "review", "_timestamp": int(time.time())})
        else:
            stream.append(task)
    return stream, chosen_view, auto
