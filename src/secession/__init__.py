"""secession: peaceful, democratic separation and self-government.

Analysis packages (``geo``, ``plan``, ``scenario``, ``referendum``, ``maps``) never import
Django; the web platform lives in ``secession.web`` and is an optional extra.
"""

from secession.exceptions import (
    DataError,
    DataMissingError,
    InfeasiblePlanError,
    RuleError,
    SecessionError,
)

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "DataMissingError",
    "InfeasiblePlanError",
    "RuleError",
    "SecessionError",
    "__version__",
]
