"""Validating source extracts with SHACL before harmonisation.

Shapes come from the source descriptor, the model and ``validators/`` (``shapes``); rows are checked by the
reference engine (rows → RDF → pyshacl, ``reference``) or by the fast engine that compiles the same shapes
into column checks (``compile`` + ``fast``); the privacy guard runs first in both (``run``).
"""

from zicht.validate.report import Report, Violation
from zicht.validate.run import ENGINES, find_descriptor, validate_extracts

__all__ = ["ENGINES", "Report", "Violation", "find_descriptor", "validate_extracts"]
