"""PostgreSQL as the production database: the settings the tracker gives its own connections."""

import pytest

from tracker.db import db

from .database import on_postgresql

pytestmark = pytest.mark.skipif(not on_postgresql(), reason="PostgreSQL connection settings")


def test_connections_compile_no_query_just_in_time(app):
    # A server-wide default (postgresql.conf) turns JIT on; the tracker's connections turn it off.
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW jit").scalar() == "off"
    assert db.session.execute(db.text("SHOW jit")).scalar() == "off"
