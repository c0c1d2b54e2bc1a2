"""Controller of the Prodigy stand-in: hands tasks to sessions, saves answers, tracks a per-run summary.

Routing (simplified Prodigy): with feed_overlap false a task handed to one session is reserved for it until
answered or that session ends; with feed_overlap true every session sees every task. Answered tasks
(by task hash, or input hash when exclude_by is "input") are never served again. When a session has
received every open task, further requests re-send that session's own unanswered ones.
"""
import copy
import threading
import time
from collections import Counter, OrderedDict

from .hashing import INPUT_HASH_ATTR, TASK_HASH_ATTR, set_hashes

ANSWERS = ("accept", "reject", "ignore")


def timestamp_session_id():
    return time.strftime("%Y-%m-%d_%H-%M-%S", time.localtime())


class BadRequest(Exception):
    """A request the HTTP layer answers with 400 and this message."""


class Controller:
    def __init__(self, recipe_name, components, config, db):
        self.recipe_name = recipe_name
        self.view_id = components["view_id"]
        self.dataset = components["dataset"]
        self.config = config
        self.db = db
        self.before_db = components.get("before_db")
        self.batch_size = config["batch_size"]
        self.feed_overlap = bool(config.get("feed_overlap"))
        self.exclude_by = components.get("exclude_by") or config.get("exclude_by") or "task"
        self.hash_column = "input_hash" if self.exclude_by == "input" else "task_hash"
        self.hash_attr = INPUT_HASH_ATTR if self.exclude_by == "input" else TASK_HASH_ATTR
        self.stream = components["stream"]
        self.stream_keys = {task[self.hash_attr] for task in self.stream}
        self.excluded = db.get_hashes(components.get("exclude") or [], self.hash_column)
        self.session_id = timestamp_session_id()
        self.lock = threading.Lock()
        self.reserved = {}  # hash -> session holding it (feed_overlap false)
        self.sent = {}  # session -> OrderedDict of hashes sent and not yet answered
        self.saved = Counter()  # session -> answers saved in this run
        self.answers = Counter()  # answer -> count in this run
        db.add_dataset(self.dataset, {"recipe": recipe_name})

    def _done_hashes(self, session_id):
        names = [session_id] if self.feed_overlap else [self.dataset]
        return self.db.get_hashes(names, self.hash_column) | self.excluded

    def _progress(self, done):
        if not self.stream_keys:
            return None
        return len(self.stream_keys & done) / len(self.stream_keys)

    def _serve(self, task, session_id):
        out = copy.deepcopy(task)
        out["_view_id"] = self.view_id
        out["_session_id"] = session_id
        out["_annotator_id"] = session_id
        return out

    def get_questions(self, session_id=None):
        session_id = session_id or self.session_id
        with self.lock:
            done = self._done_hashes(session_id)
            mine = self.sent.setdefault(session_id, OrderedDict())
            for key in [k for k in mine if k in done]:
                del mine[key]
            batch = []
            for task in self.stream:
                if len(batch) >= self.batch_size:
                    break
                key = task[self.hash_attr]
                if key in done or key in mine:
                    continue
                if not self.feed_overlap and self.reserved.get(key, session_id) != session_id:
                    continue
                batch.append(task)
            if not batch:
                # Nothing new: re-send this session's unanswered tasks (e.g. after a page reload).
                by_key = {t[self.hash_attr]: t for t in self.stream}
                batch = [by_key[k] for k in list(mine)[: self.batch_size] if k in by_key]
            for task in batch:
                key = task[self.hash_attr]
                mine[key] = True
                if not self.feed_overlap:
                    self.reserved[key] = session_id
            return {"tasks": [self._serve(t, session_id) for t in batch], "total": self.db.count_examples(self.dataset),
                    "progress": self._progress(done), "session_id": session_id}

    def receive_answers(self, answers, session_id=None):
        if not isinstance(answers, list):
            raise BadRequest("'answers' must be a list of annotated tasks")
        session_id = session_id or self.session_id
        now = int(time.time())
        examples = []
        for index, answer in enumerate(answers):
            if not isinstance(answer, dict):
                raise BadRequest(f"answers[{index}] must be a JSON object (a task with an 'answer')")
            if answer.get("answer") not in ANSWERS:
                raise BadRequest(f"answers[{index}].answer must be one of accept, reject, ignore; got {answer.get('answer')!r}")
            example = set_hashes(copy.deepcopy(answer))
            example["_session_id"] = session_id
            example["_annotator_id"] = session_id
            example.setdefault("_view_id", self.view_id)
            example["_timestamp"] = now
            examples.append(example)
        if self.before_db:
            examples = self.before_db(examples)
        with self.lock:
            if examples:
                self.db.add_examples(examples, [(self.dataset, False), (session_id, True)])
            for example in examples:
                key = example[self.hash_attr]
                self.reserved.pop(key, None)
                self.sent.get(session_id, {}).pop(key, None)
                self.answers[example["answer"]] += 1
            self.saved[session_id] += len(examples)
            return {"progress": self._progress(self._done_hashes(session_id))}

    def end_session(self, session_id=None):
        session_id = session_id or self.session_id
        with self.lock:
            released = [k for k, holder in self.reserved.items() if holder == session_id]
            for key in released:
                del self.reserved[key]
            self.sent.pop(session_id, None)
        return {"session_id": session_id, "released": len(released)}

    def summary_lines(self):
        total = sum(self.saved.values())
        lines = [f"\u2714 Saved {total} annotations to database {self.db.db_name}", f"Dataset: {self.dataset}"]
        sessions = [s for s in self.saved if self.saved[s]] or [self.session_id]
        lines.append(f"Session ID: {', '.join(sessions)}")
        if total:
            lines.append(", ".join(f"{a.upper()}: {self.answers[a]}" for a in ANSWERS))
        return lines
