"""Actors: the people and organisations who make statements, shared by every dispute."""

import sqlalchemy as sa

from tracker import history, rules
from tracker.db import db
from tracker.models import Actor, ActorKind, Role

from .by import By
from .edits import assign, checked
from .errors import Invalid
from .slugs import free_slug, slug_from


def save_actor(actor: Actor | None, *, slug: str, name: str, kind: ActorKind | str, role: str | None = None,
               country: str | None = None, by: By) -> Actor:
    """Create an actor under `slug`, or update its facts."""
    by.require(Role.editor)
    values = {
        "slug": checked("slug", rules.slug, slug),
        "name": checked("name", rules.one_line, name, rules.LIMITS["name"], required=True),
        "kind": checked("kind", rules.choice, kind, ActorKind),
        "role": checked("role", rules.one_line, role, rules.LIMITS["role"]),
        "country": checked("country", rules.one_line, country, rules.LIMITS["country"]),
    }
    before = None
    if actor is None:
        actor = Actor()
        db.session.add(actor)
    else:
        before = history.snapshot(actor)
    assign(actor, values)
    if before is None or history.snapshot(actor) != before:
        history.record("create" if before is None else "edit", actor, before, by)
    return actor


def new_speaker(name: str, kind: ActorKind | str, by: By) -> Actor:
    """An actor typed by name in the statement form; Invalid on `new_speaker` if that name is already one."""
    name = checked("new_speaker", rules.one_line, name, rules.LIMITS["name"], required=True)
    if db.session.scalar(sa.select(Actor.id).where(sa.func.lower(Actor.name) == name.lower())):
        raise Invalid("new_speaker", f'"{name}" is already a speaker: choose them in the list')
    base = slug_from(name, "speaker")
    slug = free_slug(base, db.session.scalars(sa.select(Actor.slug).where(Actor.slug.like(f"{base}%"))))
    return save_actor(None, slug=slug, name=name, kind=kind, by=by)


def actor_by_slug(slug: str) -> Actor | None:
    return db.session.scalar(sa.select(Actor).where(Actor.slug == slug))
