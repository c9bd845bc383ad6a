"""Why the write core refuses a change: every door shows these its own way (a form field, a bundle entry, a message)."""

from tracker import history


class Refused(ValueError):
    """A change that must not be made; the message says why."""


class Invalid(Refused):
    """A value cannot be saved: `field` names it (the form field, or the bundle key it maps to).

    `problems` holds every (field, message) found at once, this one first, when several fields are wrong.
    """

    def __init__(self, field: str, message: str, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.field = field
        self.problems = problems or [(field, message)]


class Taken(Invalid):
    """Another object already has this slug (or link)."""


class NotAllowed(Refused):
    """The one acting lacks the role this change needs."""


class Conflict(Exception):
    """The object changed since the one acting loaded it: `current` is how it is now."""

    def __init__(self, obj):
        super().__init__("changed since it was loaded")
        self.current, self.version = history.snapshot(obj), obj.version
