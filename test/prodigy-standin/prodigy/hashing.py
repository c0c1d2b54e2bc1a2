"""Hashing for the Prodigy stand-in: MurmurHash3 x86_32 over canonical JSON, as signed 32-bit ints."""
import json

INPUT_HASH_ATTR = "_input_hash"
TASK_HASH_ATTR = "_task_hash"
INPUT_HASH_KEYS = ("text", "image", "html", "input")
TASK_HASH_KEYS = ("spans", "label", "options", "arcs")
IGNORE_HASH_KEYS = ("score", "rank", "model", "source", "pattern", "priority", "path",
                    "_view_id", "_session_id", "_annotator_id", "answer")
# The review recipe hashes on a wider set of keys (see reference/prodigy.md section 4).
REVIEW_INPUT_KEYS = ("text", "image", "html", "options", "audio", "video")
REVIEW_TASK_KEYS = ("spans", "label", "accept", "audio_spans", "relations")

_C1 = 0xCC9E2D51
_C2 = 0x1B873593
_MASK = 0xFFFFFFFF


def _rotl32(x, r):
    return ((x << r) | (x >> (32 - r))) & _MASK


def murmurhash3_32(data, seed=0):
    """MurmurHash3 x86_32 of bytes or str (UTF-8), returned as a signed 32-bit int like murmurhash.hash()."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    length = len(data)
    h = seed & _MASK
    rounded = length - (length % 4)
    for i in range(0, rounded, 4):
        k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)
        k = (k * _C1) & _MASK
        k = _rotl32(k, 15)
        k = (k * _C2) & _MASK
        h ^= k
        h = _rotl32(h, 13)
        h = (h * 5 + 0xE6546B64) & _MASK
    k = 0
    tail = length & 3
    if tail == 3:
        k ^= data[rounded + 2] << 16
    if tail >= 2:
        k ^= data[rounded + 1] << 8
    if tail >= 1:
        k ^= data[rounded]
        k = (k * _C1) & _MASK
        k = _rotl32(k, 15)
        k = (k * _C2) & _MASK
        h ^= k
    h ^= length
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    h ^= h >> 16
    return h - 0x100000000 if h & 0x80000000 else h


def canonical_json(value):
    """Key-sorted, compact JSON so the same content always hashes the same."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _hashable_part(task, keys, ignore):
    picked = {k: task[k] for k in keys if k in task}
    if picked:
        return picked
    # Tasks without any of the keys fall back to everything that is not ignored or internal.
    return {k: v for k, v in task.items() if k not in ignore and not k.startswith("_")}


def get_input_hash(task, input_keys=INPUT_HASH_KEYS, ignore=IGNORE_HASH_KEYS):
    return murmurhash3_32(canonical_json(_hashable_part(task, input_keys, ignore)))


def get_task_hash(task, input_hash, task_keys=TASK_HASH_KEYS):
    picked = {k: task[k] for k in task_keys if k in task}
    return murmurhash3_32(str(input_hash) + canonical_json(picked))


def set_hashes(task, input_keys=INPUT_HASH_KEYS, task_keys=TASK_HASH_KEYS,
               ignore=IGNORE_HASH_KEYS, overwrite=False):
    """Add _input_hash and _task_hash to a task in place (keeping existing ones unless overwrite)."""
    if overwrite or INPUT_HASH_ATTR not in task:
        task[INPUT_HASH_ATTR] = get_input_hash(task, input_keys, ignore)
    if overwrite or TASK_HASH_ATTR not in task:
        task[TASK_HASH_ATTR] = get_task_hash(task, task[INPUT_HASH_ATTR], task_keys)
    return task
