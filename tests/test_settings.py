"""Configuration comes from the environment and the instance folder."""

import os
import stat

from tracker import create_app
from tracker.settings import instance_secret


def test_secret_key_is_made_once_in_the_instance_folder(tmp_path):
    path = tmp_path / "secret_key"
    first = instance_secret(path)
    assert len(first) == 64 and int(first, 16)
    assert instance_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no draft left behind


def test_environment_sets_database_and_secret(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{os.path.join(app.instance_path, 'tracker.sqlite3')}"
