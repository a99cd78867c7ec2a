"""DOOR"""

from __future__ import annotations

from kgwiki.lint.repair import Applied, Fix, apply_fixes, plan_fixes
from kgwiki.lint.report import count, lint_vault

__all__ = [
    "Applied",
    "Fix",
    "apply_fixes",
    "count",
    "lint_vault",
    "plan_fixes",
]
