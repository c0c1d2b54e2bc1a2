"""Media helpers of the Prodigy stand-in: data URIs for local images/audio, base64 removal before saving."""
import base64
import mimetypes
from pathlib import Path

from .errors import StandinError

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".bmp")
AUDIO_EXTENSIONS = (".mp3", ".wav", ".m4a", ".ogg", ".oga", ".flac", ".mp4", ".webm", ".mov")
_REMOTE = ("http://", "https://", "data:", "blob:")


def file_to_data_uri(path):
    mime = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise StandinError(f"Can't read media file {path}", str(err)) from err
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def fetch_local_media(task, key, where):
    """Turn a local file path in task[key] into a data URI (keeping the path), as Prodigy's fetch step does."""
    value = task.get(key)
    if not isinstance(value, str) or value.startswith(_REMOTE):
        return task
    path = Path(value[len("file://"):] if value.startswith("file://") else value)
    if not path.is_file():
        raise StandinError(f"Can't find the {key} file '{value}' ({where})", "Use an existing path, a URL or a data URI.")
    task.setdefault("path", value)
    task[key] = file_to_data_uri(path)
    return task


def remove_base64(task, keys):
    """Drop data-URI media before the DB so it doesn't grow with copies of every file (--remove-base64)."""
    for key in keys:
        value = task.get(key)
        if isinstance(value, str) and value.startswith("data:"):
            if "path" in task:
                task[key] = task["path"]
            else:
                del task[key]
    return task
