"""The `tracker` command: its help comes at once, and it lists exactly the commands there are."""

import subprocess
import sys

from flask.cli import FlaskGroup

from tracker import create_app
from tracker.__main__ import COMMANDS

LOADED = """
import sys
from tracker.__main__ import main
sys.argv = ["tracker", "--help"]
try:
    main()
except SystemExit:
    pass
print(sorted({m.split(".")[0] for m in sys.modules} & {"flask", "sqlalchemy", "werkzeug", "jinja2"}))
"""


def test_help_lists_every_command_without_loading_flask_or_the_database():
    result = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True, check=True)
    help_text, loaded = result.stdout.rsplit("\n", 2)[:2]
    assert loaded == "[]"
    for name in COMMANDS:
        assert f"\n  {name} " in help_text


def test_the_help_lists_exactly_the_commands_the_app_has(app):
    group = FlaskGroup(create_app=lambda: app)
    with group.make_context("tracker", ["--help"], resilient_parsing=True) as context:
        assert set(group.list_commands(context)) == set(COMMANDS)


def test_a_command_runs_on_the_app_it_builds(tmp_path):
    """`tracker` builds the app for a command that needs it (here on the database TRACKER_DATABASE_URL names)."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {"TRACKER_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    upgraded = subprocess.run([sys.executable, "-m", "tracker", "db", "upgrade"], capture_output=True, text=True,
                              env=env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    missing = subprocess.run([sys.executable, "-m", "tracker", "export", "nothing", str(tmp_path / "out")],
                             capture_output=True, text=True, env=env, cwd=tmp_path)
    assert missing.returncode == 1
    assert 'no dispute with the slug "nothing"' in missing.stderr
