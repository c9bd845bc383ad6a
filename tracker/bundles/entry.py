"""One table of dispute.toml read field by field through tracker.rules, and the error listing every problem."""

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from tracker import rules
from tracker.models import CorrectionKind, ReviewStatus


# The state of a row a bundle shows plainly (the most of them), shared by its entries: never changed.
SHOWN = MappingProxyType({"deleted_at": None})
SHOWN_REVIEWED = MappingProxyType({"deleted_at": None, "review": None, "review_reason": None, "reviewed_at": None})


class BundleError(Exception):
    """A bundle that cannot be imported; `problems` lists each one."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class Entry:
    """One table of dispute.toml, read field by field through tracker.rules; problems are collected."""

    def __init__(self, where: str, table: Any, problems: list[str]):
        self.where, self.problems = where, problems
        self.table = table if isinstance(table, dict) else {}
        if not isinstance(table, dict):
            self.problem(None, "must be a table")

    def problem(self, key: str | None, message: str) -> None:
        self.problems.append(f"{self.where}: {key}: {message}" if key else f"{self.where}: {message}")

    def check_keys(self, allowed: set[str]) -> None:
        for key in sorted(set(self.table) - allowed):
            self.problem(key, f"unknown key (expected one of: {', '.join(sorted(allowed))})")

    def value(self, key: str, rule, *args, **kwargs) -> Any:
        """The entry's value for `key` as `rule` makes it; None (and a problem) if it breaks the rule."""
        try:
            return rule(self.table.get(key), *args, **kwargs)
        except rules.RuleError as error:
            self.problem(key, str(error))
            return None

    def slugs(self, key: str) -> list[str]:
        """A slug or a list of slugs."""
        value = self.table.get(key)
        values = [] if value is None else value if isinstance(value, list) else [value]
        try:
            return [rules.slug(v, reserved=()) for v in values]
        except rules.RuleError as error:
            self.problem(key, str(error))
            return []

    def flag(self, key: str) -> bool:
        value = self.table.get(key, False)
        if not isinstance(value, bool):
            self.problem(key, "must be true or false")
            return False
        return value

    def moment(self, key: str) -> dt.datetime | None:
        """A date and time with its offset (TOML 2020-01-22T10:00:00Z), as `tracker export --all` writes them."""
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            self.problem(key, f"{value!r} is not a date and time with its offset (2020-01-22T10:00:00Z)")
            return None
        return value.astimezone(dt.UTC)

    def state(self, reviewed: bool) -> Mapping:
        """The row's state (deletion, and review where it has one) as the bundle records it."""
        state = {"deleted_at": self.moment("deleted_at")}
        if reviewed:
            state["review"] = self.value("review", rules.choice, ReviewStatus, required=False)
            state["review_reason"] = self.value("review_reason", rules.free_text, rules.LIMITS["note"])
            state["reviewed_at"] = self.moment("reviewed_at")
        if not any(state.values()):  # as nearly every entry: one shared dict, not one per entry
            return SHOWN_REVIEWED if reviewed else SHOWN
        return state

    def correction(self) -> tuple | None:
        """The entry's `correction = { kind = ..., reason = ... }`, as (kind, reason)."""
        value = self.table.get("correction")
        if value is None:
            return None
        sub = Entry(f"{self.where} correction", value, self.problems)
        sub.check_keys({"kind", "reason"})
        kind = sub.value("kind", rules.choice, CorrectionKind)
        reason = sub.value("reason", rules.free_text, rules.LIMITS["reason"], required=True)
        return (kind, reason) if kind and reason else None
