"""Command line of the Prodigy stand-in: `prodigy RECIPE ...` starts the web server, `prodigy COMMAND ...` runs and exits."""
import signal
import sys
import threading
from pathlib import Path

from . import __version__
from .commands import COMMANDS
from .config import allowed_sessions, basic_auth, deep_merge, load_config, sqlite_location
from .controller import Controller
from .db import Database
from .errors import StandinError, print_error, print_info
from .recipes import RECIPES
from .server import App, make_server

HELP_ARGS = ("--help", "-h", "help")


def _list_recipes():
    print_info(f"Prodigy stand-in {__version__} (for tests and demos, not Prodigy)", "",
               "Available recipes:", "  " + ", ".join(RECIPES), "",
               "Available commands:", "  " + ", ".join(COMMANDS), "",
               "Run `prodigy RECIPE --help` for a recipe's arguments.")


def _pop_recipe_file(args):
    """-F path/to/recipe.py: the stand-in checks the file exists but doesn't import it."""
    if "-F" not in args:
        return args
    index = args.index("-F")
    if index + 1 >= len(args):
        raise StandinError("-F needs a path to a recipe file, e.g. -F recipe.py")
    path = Path(args[index + 1])
    if not path.is_file():
        raise StandinError(f"Invalid recipe file path: {path.resolve()}", "-F must point to an existing Python file.")
    return args[:index] + args[index + 2:]


def _project_config(controller, config, recipe_name):
    project = {k: v for k, v in config.items() if k not in ("db_settings", "api_keys")}
    instructions = project.get("instructions")
    if instructions:
        path = Path(instructions)
        if not path.is_file():
            raise StandinError(f"Can't read instructions file {instructions}")
        project["instructions"] = path.read_text(encoding="utf-8")
    project.update({"view_id": controller.view_id, "batch_size": controller.batch_size, "version": __version__,
                    "dataset": controller.dataset, "recipe_name": recipe_name, "labels": config.get("labels", [])})
    return project


def _serve(recipe_name, argv):
    config = load_config()
    db = Database(sqlite_location(config))
    components = RECIPES[recipe_name](argv, db)
    config = deep_merge(config, components["config"])
    controller = Controller(recipe_name, components, config, db)
    app = App(controller, _project_config(controller, config, recipe_name), allowed_sessions(), basic_auth())
    server = make_server(app, config["host"], config["port"])
    port = server.server_address[1]

    def request_stop(_signum, _frame):
        # shutdown() waits for serve_forever to return, so it must run off the main thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print_info(f"\u2728  Starting the web server at http://{config['host']}:{port} ...",
               "Open the app in your browser and start annotating!")
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    # Answers are saved on every /give_answers, so there is nothing pending to save here.
    print_info("", *controller.summary_lines())
    return 0


def main(argv):
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass
    if not argv or (len(argv) == 1 and argv[0] in HELP_ARGS):
        _list_recipes()
        return 0
    if argv[0] in ("--version", "-v"):
        print_info(__version__)
        return 0
    command, args = argv[0], argv[1:]
    try:
        if command in COMMANDS:  # commands own their -F (db-out --flagged-only); only recipes take -F recipe.py
            if any(a in HELP_ARGS[:2] for a in args):
                return COMMANDS[command](args, None)
            return COMMANDS[command](args, Database(sqlite_location(load_config())))
        if command in RECIPES:
            args = _pop_recipe_file(args)
            if any(a in HELP_ARGS[:2] for a in args):
                return RECIPES[command](args, None) or 0
            return _serve(command, args)
        similar = [name for name in list(RECIPES) + list(COMMANDS) if command.split(".")[0] in name]
        raise StandinError(f"Can't find recipe or command '{command}'",
                           f"Similar: {', '.join(similar)}" if similar else "Run `prodigy` to list them.")
    except StandinError as err:
        print_error(err.message, err.detail)
        return 1
    except KeyboardInterrupt:
        return 1
