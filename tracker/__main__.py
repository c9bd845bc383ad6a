"""The `tracker` command (also `python -m tracker`): Flask's commands and the tracker's own, on create_app()."""

from flask.cli import FlaskGroup

from . import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, help="Follow public disputes: import, export, serve.")(prog_name="tracker")


if __name__ == "__main__":
    main()
