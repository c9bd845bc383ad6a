"""Checking many links at once: which links, under which policy, fetched by a bounded pool of threads.

The fetches never touch the database: the links are read first (plain values), and the caller
records results in short write transactions as they come, so no transaction waits on the network.
"""

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask

from tracker.db import db
from tracker.models import Dispute, Evidence, ReviewStatus, Statement
from tracker.models.link_check import link_state

from .fetch import Fetcher, Limits, Result
from .guard import Policy


@dataclass(frozen=True)
class Link:
    """An evidence link or a statement's source, by its row."""

    url: str
    evidence_id: int | None = None
    statement_id: int | None = None


@dataclass
class Summary:
    """How many links were checked, by what was found."""

    counts: Counter = field(default_factory=Counter)

    def add(self, result: Result) -> None:
        self.counts["checked"] += 1
        self.counts[link_state(result.status, result.error, result.redirects)] += 1

    def line(self) -> str:
        return ", ".join(f"{self.counts[key]} {key}" for key in ("checked", "ok", "redirected", "dead", "refused"))


def policy_of(app: Flask) -> Policy:
    """The guard's policy from the configuration. LINKS_TEST_SERVER_PORT (the tests' local server on
    127.0.0.1) counts only in a testing app, and is given to create_app, never read from the environment."""
    test_port = app.config.get("LINKS_TEST_SERVER_PORT") if app.testing else None
    return Policy(ports=frozenset(app.config["LINKS_PORTS"]), test_server_port=test_port)


def links_to_check(dispute: Dispute | None = None) -> list[Link]:
    """Every evidence link and statement source not deleted (in one dispute, if given); rejected
    suggestions are left out."""
    evidence = sa.select(Evidence.url, Evidence.id).where(
        Evidence.deleted_at.is_(None), Evidence.review != ReviewStatus.rejected)
    sources = sa.select(Statement.source_url, Statement.id).where(
        Statement.deleted_at.is_(None), Statement.source_url.is_not(None))
    if dispute is not None:
        evidence = evidence.where(Evidence.claim.has(dispute_id=dispute.id))
        sources = sources.where(Statement.dispute_id == dispute.id)
    links = [Link(url, evidence_id=id_) for url, id_ in db.session.execute(evidence.order_by(Evidence.id))]
    links += [Link(url, statement_id=id_) for url, id_ in db.session.execute(sources.order_by(Statement.id))]
    return links


def run_checks(links: list[Link], fetcher: Fetcher, concurrency: int) -> Iterator[tuple[Link, Result]]:
    """(link, result) for every link as its check ends; an address used by several links is fetched once."""
    by_url: dict[str, list[Link]] = {}
    for link in links:
        by_url.setdefault(link.url, []).append(link)
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="link-check") as pool:
        futures = {pool.submit(fetcher.check, url): url for url in by_url}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as error:  # a fault with one link must not lose the others' results
                result = Result(futures[future], error=f"check failed: {type(error).__name__}")
            for link in by_url[futures[future]]:
                yield link, result


def check_row(link: Link, result: Result) -> dict:
    """The values core.links.record_link_checks stores for one link."""
    return {"evidence_id": link.evidence_id, "statement_id": link.statement_id, "url": link.url,
            "status": result.status, "error": result.error and result.error[:300], "redirects": result.redirects,
            "final_url": result.final_url and result.final_url[:2000], "content_type": (result.content_type or "")[:200] or None,
            "checked_at": result.checked_at}


__all__ = ["Fetcher", "Limits", "Link", "Summary", "check_row", "links_to_check", "policy_of", "run_checks"]
