"""
The assessments app's models, one module per subject: identity and districts, cycles and
the workflow's records, the audit trail, and sign-in. Who may see what is answered in
``assessments.querysets``.
"""

from .audit import AuditEvent
from .cycles import Assessment, Cycle, DevelopmentGoal, Rating, ReminderLog
from .identity import District, DistrictManager, RoleGrant, Team, User, UserManager
from .sign_in import ExternalIdentity, SignInDomain, SignInFailure, SignInSettings

__all__ = [
    "Assessment",
    "AuditEvent",
    "Cycle",
    "DevelopmentGoal",
    "District",
    "DistrictManager",
    "ExternalIdentity",
    "Rating",
    "ReminderLog",
    "RoleGrant",
    "SignInDomain",
    "SignInFailure",
    "SignInSettings",
    "Team",
    "User",
    "UserManager",
]
