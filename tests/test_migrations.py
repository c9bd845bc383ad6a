"""The migrations alone build the schema the models describe, from an empty database."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tracker.db import db
from tracker.search.index import include_name

from .database import make_app


def schema_drift() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(fresh_database):
    app = make_app(fresh_database())
    with app.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
        upgrade()
        tables = {t for t in sa.inspect(db.engine).get_table_names() if include_name(t, "table", {})}
        assert tables == {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}
        assert schema_drift() == []

        downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert schema_drift() == []
        db.engine.dispose()


def test_the_cli_upgrades_an_empty_database(fresh_database):
    app = make_app(fresh_database())
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "claim" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
