"""Configuration of the Prodigy stand-in: defaults, prodigy.json files, PRODIGY_* environment variables."""
import json
import os
from pathlib import Path

from .errors import StandinError

DEFAULTS = {
    "batch_size": 10,
    "port": 8080,
    "host": "localhost",
    "cors": True,
    "db": "sqlite",
    "db_settings": {},
    "auto_create": True,
    "auto_exclude_current": True,
    "instant_submit": False,
    "feed_overlap": False,
    "exclude_by": "task",
}


def prodigy_home():
    return Path(os.environ.get("PRODIGY_HOME") or Path.home() / ".prodigy")


def _read_json_file(path, what):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise StandinError(f"Can't find {what}: {path}", "Check the path or unset the variable.") from err
    except OSError as err:
        raise StandinError(f"Can't read {what}: {path}", str(err)) from err
    try:
        value = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as err:
        raise StandinError(f"Invalid JSON in {what} {path} at line {err.lineno}, column {err.colno}", err.msg) from err
    if not isinstance(value, dict):
        raise StandinError(f"Invalid {what} {path}: expected a JSON object at the top level")
    return value


def deep_merge(base, extra):
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _env_int(name, value):
    try:
        return int(value)
    except ValueError as err:
        raise StandinError(f"Invalid {name}: '{value}' is not a port number") from err


def load_config():
    """Merge defaults, PRODIGY_HOME/prodigy.json, ./prodigy.json, PRODIGY_CONFIG, PRODIGY_CONFIG_OVERRIDES, then PORT/HOST."""
    config = dict(DEFAULTS)
    home_file = prodigy_home() / "prodigy.json"
    if home_file.is_file():
        config = deep_merge(config, _read_json_file(home_file, "global config"))
    local_file = Path.cwd() / "prodigy.json"
    if local_file.is_file() and local_file.resolve() != home_file.resolve():
        config = deep_merge(config, _read_json_file(local_file, "local config"))
    if os.environ.get("PRODIGY_CONFIG"):
        config = deep_merge(config, _read_json_file(os.environ["PRODIGY_CONFIG"], "PRODIGY_CONFIG file"))
    overrides = os.environ.get("PRODIGY_CONFIG_OVERRIDES")
    if overrides:
        try:
            extra = json.loads(overrides)
        except json.JSONDecodeError as err:
            raise StandinError(f"Invalid JSON in PRODIGY_CONFIG_OVERRIDES at column {err.colno}", err.msg) from err
        if not isinstance(extra, dict):
            raise StandinError("Invalid PRODIGY_CONFIG_OVERRIDES: expected a JSON object")
        config = deep_merge(config, extra)
    if os.environ.get("PRODIGY_PORT"):
        config["port"] = _env_int("PRODIGY_PORT", os.environ["PRODIGY_PORT"])
    if os.environ.get("PRODIGY_HOST"):
        config["host"] = os.environ["PRODIGY_HOST"]
    validate_config(config)
    return config


def validate_config(config):
    if config.get("feed_overlap") is True and config.get("annotations_per_task"):
        raise StandinError("Invalid config: 'annotations_per_task' can't be combined with 'feed_overlap: true'")
    if not isinstance(config.get("batch_size"), int) or config["batch_size"] < 1:
        raise StandinError(f"Invalid config: 'batch_size' must be a positive integer, got {config.get('batch_size')!r}")
    if not isinstance(config.get("port"), int):
        config["port"] = _env_int("port", str(config.get("port")))
    if config.get("exclude_by") not in ("task", "input"):
        raise StandinError(f"Invalid config: 'exclude_by' must be 'task' or 'input', got {config.get('exclude_by')!r}")


def sqlite_location(config):
    """Where the sqlite file lives: db_settings.sqlite.{path,name} or PRODIGY_HOME/prodigy.db."""
    if config.get("db", "sqlite") != "sqlite":
        raise StandinError(f"The Prodigy stand-in only supports the sqlite database, not '{config.get('db')}'")
    settings = (config.get("db_settings") or {}).get("sqlite") or {}
    name = settings.get("name", "prodigy.db")
    if name == ":memory:":
        return ":memory:"
    return str(Path(settings.get("path") or prodigy_home()) / name)


def allowed_sessions():
    raw = os.environ.get("PRODIGY_ALLOWED_SESSIONS", "")
    names = [n.strip() for n in raw.split(",") if n.strip()]
    return names or None


def basic_auth():
    user = os.environ.get("PRODIGY_BASIC_AUTH_USER")
    password = os.environ.get("PRODIGY_BASIC_AUTH_PASS")
    if user or password:
        return (user or "", password or "")
    return None
