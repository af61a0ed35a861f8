"""The query model: definitions as small immutable trees that every engine evaluates."""

from zicht.query_model.compile import compile_definition
from zicht.query_model.nodes import AgeRange, All, AnyOf, AtLeast, Criterion, DefinitionQuery, Node, Not

__all__ = [
    "AgeRange",
    "All",
    "AnyOf",
    "AtLeast",
    "Criterion",
    "DefinitionQuery",
    "Node",
    "Not",
    "compile_definition",
]
