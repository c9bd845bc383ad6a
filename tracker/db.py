"""The database handle, the model base class and the SQLite connection rules."""

import datetime as dt
import enum
from typing import Annotated

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry

# Named constraints, so migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

intpk = Annotated[int, mapped_column(primary_key=True)]
slug_str = Annotated[str, mapped_column(sa.String(80))]
title_str = Annotated[str, mapped_column(sa.String(300))]


def utcnow() -> dt.datetime:
    """The current time in UTC, as stored in every timestamp column."""
    return dt.datetime.now(dt.UTC)


def in_utc(value: dt.datetime) -> dt.datetime:
    """A stored time with its zone: SQLite hands back UTC times without one."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    # Enums are stored as their (lower-case) values in a VARCHAR with a CHECK
    # constraint, the same on SQLite and PostgreSQL.
    registry = registry(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION), type_annotation_map={
        enum.Enum: sa.Enum(
            enum.Enum,
            native_enum=False,
            create_constraint=True,
            length=20,
            values_callable=lambda members: [m.value for m in members],
        ),
        dt.datetime: sa.DateTime(timezone=True),
    })


db = SQLAlchemy(model_class=Base)

# A session whose transaction is a write begins it with this execution option.
WRITE_OPTION = "tracker_write"


def begin_write() -> None:
    """Open the session's transaction as a write transaction.

    On SQLite this emits BEGIN IMMEDIATE, taking the write lock up front: a
    deferred transaction that reads and then writes fails with "database is
    locked" when another writer got in between, whatever the busy timeout.
    A transaction left open by earlier reads is ended first (its reads lose
    nothing); one holding unflushed changes is a programming error.
    """
    session = db.session()  # the request's own Session, behind the scoped proxy
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() called with changes pending in the session")
        session.rollback()
    session.connection(execution_options={WRITE_OPTION: True})


def configure_postgresql(engine: Engine) -> None:
    """No JIT compiling: the tracker's queries are short, and on a large store compiling one took longer
    than running it (0.5 of a 0.57 s claim page at a million claims; BENCHMARKS.md, "A million claims")."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()


def configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and explicit BEGINs for SQLite."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy (not the driver) say when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        immediate = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
