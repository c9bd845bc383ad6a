"""The tracker's models, one noun per module."""

from .actor import Actor, ActorKind
from .api_hit import ApiHit
from .api_token import ApiToken
from .claim import Claim, ClaimKind, ClaimTag, Relation, Response
from .dispute import Dispute, DisputeStatus, DisputeTag
from .editorial import Correction, CorrectionKind, ReviewStatus
from .evidence import Evidence, Stance
from .link_check import LinkCheck
from .revision import Revision
from .statement import DatePrecision, Statement, StatementAnswer, StatementKind, format_date
from .user import AccountSession, LoginFailure, Role, User
from .verdict import Rating, Verdict, VerdictEvidence

__all__ = [
    "AccountSession", "Actor", "ApiHit", "ApiToken", "ActorKind", "Correction", "CorrectionKind", "ReviewStatus", "Claim", "ClaimKind", "ClaimTag", "DatePrecision", "Dispute", "DisputeStatus",
    "DisputeTag", "Evidence", "LinkCheck", "LoginFailure", "Relation", "Response", "Revision", "Role", "Stance",
    "Rating", "Statement", "StatementAnswer", "StatementKind", "User", "Verdict", "VerdictEvidence", "format_date",
]
