"""HTTP server of the Prodigy stand-in: the annotation page and Prodigy's JSON REST endpoints."""
import base64
import hmac
import json
import os
import socket
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from . import __version__
from .controller import BadRequest
from .db import check_dataset_name
from .errors import StandinError

PAGE = (Path(__file__).parent / "page.html").read_bytes()


class App:
    """Everything a request handler needs: the controller, the public project config and the access rules."""

    def __init__(self, controller, project, allowed, auth):
        self.controller = controller
        self.project = project
        self.allowed = allowed
        self.auth = auth
        self.logging = bool(os.environ.get("PRODIGY_LOGGING"))

    def check_session(self, session_id):
        """PRODIGY_ALLOWED_SESSIONS: refuse names not listed (as NAME or DATASET-NAME)."""
        if session_id is None or not self.allowed:
            return
        dataset = self.controller.dataset
        known = set(self.allowed) | {f"{dataset}-{name}" for name in self.allowed}
        if session_id not in known:
            raise BadRequest(f"Session '{session_id}' is not allowed: PRODIGY_ALLOWED_SESSIONS lists only "
                             f"{', '.join(self.allowed)}. Open the app with ?session=NAME using one of those names.")

    def version(self):
        return {"name": "prodigy", "description": "The Prodigy stand-in (for tests and demos, not Prodigy)",
                "author": "Ferry", "author_email": "", "url": "", "version": __version__, "license": "test-only"}


def _session_from(body):
    value = body.get("session_id") if isinstance(body, dict) else None
    return value if isinstance(value, str) and value else None


class Handler(BaseHTTPRequestHandler):
    server_version = "ProdigyStandin/" + __version__
    app = None  # set by make_server

    def log_message(self, fmt, *args):
        if self.app.logging:
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

    def _send(self, status, body, content_type="application/json", extra=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        if self.app.project.get("cors", True) is not False:
            self.send_header("Access-Control-Allow-Origin", "*")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _authorized(self):
        if not self.app.auth:
            return True
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                user, password = None, None
            if user is not None and hmac.compare_digest(user, self.app.auth[0]) and \
                    hmac.compare_digest(password, self.app.auth[1]):
                return True
        self._send(401, {"detail": "Authentication required: this Prodigy app uses PRODIGY_BASIC_AUTH_USER/PASS"},
                   extra={"WWW-Authenticate": 'Basic realm="Prodigy"'})
        return False

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise BadRequest(f"Request body is not valid JSON: {err}") from err
        if not isinstance(body, dict):
            raise BadRequest("Request body must be a JSON object")
        return body

    def do_OPTIONS(self):
        self._send(204, b"", extra={"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                    "Access-Control-Allow-Headers": "Content-Type, Authorization"})

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self._dispatch(self._get)

    def do_POST(self):
        self._dispatch(self._post)

    def _dispatch(self, route):
        if not self._authorized():
            return
        url = urlsplit(self.path)
        try:
            route(url.path.rstrip("/") or "/", parse_qs(url.query))
        except BadRequest as err:
            if url.path in ("/", "/index.html"):
                self._send(400, _error_page(str(err)), "text/html; charset=utf-8")
            else:
                self._send(400, {"detail": str(err)})
        except StandinError as err:
            self._send(400, {"detail": err.message + (f" ({err.detail})" if err.detail else "")})
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as err:  # noqa: BLE001 - a bug must answer 500 with its message, not drop the connection
            traceback.print_exc(file=sys.stderr)
            self._send(500, {"detail": f"Internal error in the Prodigy stand-in: {type(err).__name__}: {err}"})

    def _get(self, path, query):
        app, ctrl = self.app, self.app.controller
        if path in ("/", "/index.html"):
            name = (query.get("session") or [None])[0]
            app.check_session(name)
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path == "/favicon.ico":
            self._send(204, b"", "image/x-icon")
        elif path == "/version":
            self._send(200, app.version())
        elif path == "/project" or path.startswith("/project/"):
            session_id = unquote(path[len("/project/"):]) if path.startswith("/project/") else None
            app.check_session(session_id)
            self._send(200, app.project)
        elif path == "/get_questions":
            self._send(200, {k: v for k, v in ctrl.get_questions().items() if k != "session_id"})
        elif path in ("/get_session_questions", "/give_answers", "/end_session"):
            self._send(405, {"detail": f"Use POST for {path}"})
        else:
            self._send(404, {"detail": f"Not found: {path}"})

    def _post(self, path, _query):
        app, ctrl = self.app, self.app.controller
        if path not in ("/get_session_questions", "/give_answers", "/end_session", "/set_session_aliases",
                        "/validate_answer"):
            self._send(404, {"detail": f"Not found: {path}"})
            return
        body = self._body()
        session_id = _session_from(body)
        app.check_session(session_id)
        if session_id is not None:
            check_dataset_name(session_id)  # it becomes a session dataset; refuse it before anything is saved
        if path == "/get_session_questions":
            result = ctrl.get_questions(session_id)
            result["progress_kind"] = "stream" if result["progress"] is not None else None
            self._send(200, result)
        elif path == "/give_answers":
            self._send(200, ctrl.receive_answers(body.get("answers", []), session_id))
        elif path == "/end_session":
            self._send(200, ctrl.end_session(session_id))
        elif path == "/set_session_aliases":
            self._send(200, {"session_id": session_id})
        else:
            self._send(200, {})


def _error_page(message):
    safe = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (f"<!doctype html><meta charset=utf-8><title>Prodigy stand-in: error</title>"
            f"<body style='font-family:sans-serif;padding:2em'><h1>Can't open this session</h1>"
            f"<p id='error'>{safe}</p></body>").encode("utf-8")


def make_server(app, host, port):
    handler = type("BoundHandler", (Handler,), {"app": app})
    server_class = ThreadingHTTPServer
    if ":" in host:
        server_class = type("ThreadingHTTPServerV6", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6})
    try:
        return server_class((host, port), handler)
    except OSError as err:
        raise StandinError(f"Couldn't start the web server at http://{host}:{port}: OSError: {err}",
                           f"Port {port} is taken or the host can't be bound; set PRODIGY_PORT to a free port.") from err
