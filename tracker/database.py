"""Wires the database and its migrations into the app."""

from pathlib import Path

from flask import Flask
from flask_migrate import Migrate

from .db import configure_postgresql, configure_sqlite, db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

migrate = Migrate(directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)


def init_app(app: Flask) -> None:
    from . import models, shown  # noqa: F401  (register the tables on db.metadata; readers' views of a claim)

    db.init_app(app)
    migrate.init_app(app, db)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
        elif db.engine.dialect.name == "postgresql":
            configure_postgresql(db.engine)
