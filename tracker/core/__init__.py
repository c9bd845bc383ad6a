"""The write core: every change to the record, whichever door it comes through.

Forms, the bundle importer and the `tracker` command turn their input into plain
values and call these functions with who acts. Each checks the rules, records the
revision (and the public correction where published wording changes) and leaves
the commit to its caller, so one user action is one transaction.
"""

from .by import By
from .errors import Conflict, Invalid, NotAllowed, Refused, Taken

__all__ = ["By", "Conflict", "Invalid", "NotAllowed", "Refused", "Taken"]
