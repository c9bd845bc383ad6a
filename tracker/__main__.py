"""The `tracker` command (also `python -m tracker`): Flask's commands and the tracker's own, on create_app().

Listing the commands (`tracker --help`) imports neither Flask nor the app: the list below
says what each command does, and Flask and the app load only when a command runs.
"""

import os

import click

# Every command, with what `tracker --help` says of it (tests/test_cli.py keeps this list true).
COMMANDS = {
    "backup": "Write every table and row into FILE, mode 600.",
    "db": "Perform database migrations.",
    "export": "Write the dispute SLUG as a bundle into FOLDER.",
    "import": "Import dispute bundles (a bundle folder, or a folder of bundles).",
    "links": "Check evidence links and statement sources.",
    "restore": "Load the backup FILE into an empty database, then migrate it.",
    "routes": "Show the routes for the app.",
    "run": "Run a development server.",
    "shell": "Run a shell in the app context.",
    "user": "Manage accounts.",
}


class TrackerGroup(click.Group):
    """Finds a command by name in Flask's group built on create_app(), only when one is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        from flask.cli import FlaskGroup, ScriptInfo

        from . import create_app

        os.environ["FLASK_RUN_FROM_CLI"] = "true"  # as Flask's own group does: app.run() is then a no-op
        if ctx.obj is None:
            ctx.obj = ScriptInfo(create_app=create_app, set_debug_flag=True, load_dotenv_defaults=False)
        return FlaskGroup(create_app=create_app, add_version_option=False, load_dotenv=False,
                          set_debug_flag=True).get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl(sorted(COMMANDS.items()))


def debug_flag(ctx: click.Context, param: click.Parameter, value: bool | None) -> None:
    """--debug / --no-debug, as Flask reads it (FLASK_DEBUG) when it builds the app."""
    if value is not None:
        os.environ["FLASK_DEBUG"] = "1" if value else "0"


@click.group(cls=TrackerGroup, help="Follow public disputes: import, export, serve.")
@click.option("--debug/--no-debug", default=None, expose_value=False, is_eager=True, callback=debug_flag,
              help="Set debug mode.")
def tracker() -> None:
    pass


def main() -> None:
    tracker(prog_name="tracker")


if __name__ == "__main__":
    main()
