"""Comparing target-group definitions per region: counts, rates, overlaps, attrition, coverage and
survey estimates, all through disclosure control, with a run manifest."""

from zicht.compare.result import FORMATS, ComparisonResult
from zicht.compare.run import compare
from zicht.compare.survey import SurveyRules

__all__ = ["FORMATS", "ComparisonResult", "SurveyRules", "compare"]
