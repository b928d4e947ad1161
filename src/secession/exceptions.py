"""The package's exception hierarchy.

Every error a user can cause is a :class:`SecessionError`; the command line turns it into
a clear message and a non-zero exit code, never a traceback.
"""


class SecessionError(Exception):
    """Base class of every error the package raises on purpose."""

    exit_code: int = 1


class DataError(SecessionError):
    """Input data is malformed, inconsistent or does not match (names the file, row or id)."""

    exit_code = 2


class DataMissingError(DataError):
    """A data file or folder the command needs is not there (says how to get it)."""

    exit_code = 3


class InfeasiblePlanError(SecessionError):
    """The plan constraints cannot all be met (names the conflict)."""

    exit_code = 4


class RuleError(SecessionError):
    """A referendum or voting rule is malformed or cannot be applied."""

    exit_code = 5


class PlanStopped(SecessionError):
    """A plan was stopped on request before it finished (a progress callback raised it)."""

    exit_code = 130
