"""The one YAML reader of zicht: strict, bounded, and aware of where every key is.

Registry definitions, source descriptors and SSSOM metadata blocks are YAML written by people. A plain
``yaml.safe_load`` takes the last of two equal keys without a word, expands a "billion laughs" of
aliases into gigabytes, follows recursive aliases, and raises bare ``ValueError`` on ``2024-02-30``.
This reader builds the data itself from libyaml's event stream (the C parser when PyYAML has it, so
national descriptors stay fast) and refuses, with ``file:line:column`` and the rule broken:

- duplicate keys in one mapping (both positions named), complex (non-scalar) keys, merge keys (``<<``);
- anchors and aliases (no expansion at all, hence no billion laughs, no recursion);
- tags other than the plain scalar types, map and seq (no ``!!python/...``, ``!!binary``, ``!!set``);
- values that do not construct (``2024-02-30``, an integer of 5,000 digits);
- text with a lone surrogate or a control character (from ``"\\ud800"`` or ``"\\0"`` escapes);
- more than one document; files that are too large, too deep, have too many keys in one mapping or
  too many values in all.

`load_document` also returns the line:column of every key and list item so that linters can point at
``file:line:column`` (`Document.position`).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from zicht.errors import InputError

__all__ = [
    "DEFAULT_LIMITS",
    "Document",
    "Limits",
    "YamlError",
    "load",
    "load_document",
    "load_file",
    "load_file_document",
]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
# Tab, line feed and carriage return are text; every other C0/C1 control character and every lone
# surrogate is refused: they break JSON, SQLite, terminals and CSV readers further down.
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

Path_ = tuple[Hashable, ...]


def nearest_position(
    positions: Mapping[Path_, tuple[int, int]], path: Path_ | list[Hashable] = ()
) -> tuple[int, int]:
    """line:column of ``path`` in a document, or of its nearest ancestor that has one (the root: 1:1)."""
    p = tuple(path)
    while p:
        if p in positions:
            return positions[p]
        p = p[:-1]
    return positions.get((), (1, 1))


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile file from taking the machine. The defaults are far above any real
    registry definition, descriptor (342 gemeenten: ~40 KB) or SSSOM metadata block."""

    max_bytes: int = 8 * 1024 * 1024
    max_depth: int = 64
    max_mapping_keys: int = 2_000
    max_nodes: int = 500_000
    max_scalar_chars: int = 200_000


DEFAULT_LIMITS = Limits()


class YamlError(InputError):
    """A YAML file zicht refuses; ``str()`` is one line ``name:line:column: rule: explanation``."""

    def __init__(self, name: str, line: int | None, column: int | None, rule: str, message: str) -> None:
        where = name if line is None else f"{name}:{line}:{column}"
        super().__init__(f"{where}: {rule}: {message}")
        self.name = name
        self.line = line
        self.column = column
        self.rule = rule
        self.detail = message


@dataclass(frozen=True)
class Document:
    """Loaded YAML data with the 1-based (line, column) of every key (mapping entries) and item (lists).

    Paths are tuples of keys and list indexes from the root, e.g. ``("criteria", 0, "concept")``.
    """

    data: Any
    name: str
    positions: dict[Path_, tuple[int, int]] = field(repr=False)

    def position(self, path: Path_ | list[Hashable] = ()) -> tuple[int, int]:
        """Where ``path`` is, or its nearest ancestor that exists (the root is line 1, column 1)."""
        return nearest_position(self.positions, path)

    def where(self, path: Path_ | list[Hashable] = ()) -> str:
        """``name:line:column`` of ``path`` (or its nearest ancestor)."""
        line, column = self.position(path)
        return f"{self.name}:{line}:{column}"


def load(text: str | bytes, name: str = "<yaml>", limits: Limits = DEFAULT_LIMITS) -> Any:
    """The data of one YAML document in ``text`` (``None`` for an empty document)."""
    return load_document(text, name, limits).data


def load_file(path: Path, limits: Limits = DEFAULT_LIMITS, name: str | None = None) -> Any:
    return load_file_document(path, limits, name).data


def load_file_document(path: Path, limits: Limits = DEFAULT_LIMITS, name: str | None = None) -> Document:
    """Read ``path`` (UTF-8, at most ``limits.max_bytes``) and load it; ``name`` replaces the path in
    messages (the API passes a neutral name so that server paths never reach a client)."""
    label = name or str(path)
    try:
        with Path(path).open("rb") as fh:
            raw = fh.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise YamlError(label, None, None, "file", "file not found") from None
    except IsADirectoryError:
        raise YamlError(label, None, None, "file", "is a folder, not a YAML file") from None
    except OSError as exc:  # symlink loops (ELOOP), permissions, devices
        raise YamlError(
            label, None, None, "file", f"cannot be read ({exc.strerror or type(exc).__name__})"
        ) from None
    return load_document(raw, label, limits)


def load_document(text: str | bytes, name: str = "<yaml>", limits: Limits = DEFAULT_LIMITS) -> Document:
    if isinstance(text, bytes):
        if len(text) > limits.max_bytes:
            raise YamlError(name, None, None, "size", f"larger than {limits.max_bytes:,} bytes")
        text = _decode(text, name)
    elif len(text) > limits.max_bytes:
        raise YamlError(name, None, None, "size", f"larger than {limits.max_bytes:,} characters")
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Builder(text, name, limits).build()


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError(name, None, None, "encoding", "UTF-16 text; save the file as UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(name, line, column, "encoding", f"not UTF-8 (byte {exc.start})") from None


class _Builder:
    def __init__(self, text: str, name: str, limits: Limits) -> None:
        self.text = text
        self.name = name
        self.limits = limits
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.nodes = 0
        self.constructor = SafeConstructor()

    def fail(self, mark: Any, rule: str, message: str) -> YamlError:
        if mark is None:
            return YamlError(self.name, None, None, rule, message)
        return YamlError(self.name, mark.line + 1, mark.column + 1, rule, message)

    def build(self) -> Document:
        loader = _Loader(self.text)
        try:
            data = self._stream(loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
            raise self.fail(mark, "syntax", problem) from None
        except yaml.YAMLError as exc:  # e.g. ReaderError: a character YAML does not allow
            text = " ".join(str(exc).split())
            position = getattr(exc, "position", None)
            if position is not None:
                line = self.text.count("\n", 0, position) + 1
                column = position - (self.text.rfind("\n", 0, position) + 1) + 1
                raise YamlError(self.name, line, column, "syntax", text.split(" in ")[0]) from None
            raise YamlError(self.name, None, None, "syntax", text) from None
        finally:
            loader.dispose()
        self.positions.setdefault((), (1, 1))
        return Document(data, self.name, self.positions)

    def _stream(self, loader: Any) -> Any:
        data: Any = None
        documents = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(
                        event.start_mark, "documents", "more than one YAML document (---) in one file"
                    )
                data = self._node(loader, loader.get_event(), (), 0)
            elif isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
        return data

    def _node(self, loader: Any, event: Any, path: Path_, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.fail(
                event.start_mark, "size", f"more than {self.limits.max_nodes:,} values in one file"
            )
        if depth > self.limits.max_depth:
            raise self.fail(event.start_mark, "depth", f"nested deeper than {self.limits.max_depth} levels")
        if isinstance(event, yaml.AliasEvent):
            raise self.fail(
                event.start_mark,
                "alias",
                f"alias *{event.anchor}: anchors and aliases are not allowed; write the value out",
            )
        if getattr(event, "anchor", None) is not None:
            raise self.fail(
                event.start_mark,
                "alias",
                f"anchor &{event.anchor}: anchors and aliases are not allowed; write the value out",
            )
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event)
        if isinstance(event, yaml.SequenceStartEvent):
            self._collection_tag(event, SequenceNode, _SEQ_TAG)
            items: list[Any] = []
            while True:
                child = loader.get_event()
                if isinstance(child, yaml.SequenceEndEvent):
                    return items
                item_path = (*path, len(items))
                self.positions[item_path] = (child.start_mark.line + 1, child.start_mark.column + 1)
                items.append(self._node(loader, child, item_path, depth + 1))
        if isinstance(event, yaml.MappingStartEvent):
            self._collection_tag(event, MappingNode, _MAP_TAG)
            mapping: dict[Any, Any] = {}
            first_seen: dict[Any, Any] = {}
            while True:
                key_event = loader.get_event()
                if isinstance(key_event, yaml.MappingEndEvent):
                    return mapping
                key = self._key(key_event)
                if key in first_seen:
                    line, column = first_seen[key]
                    raise self.fail(
                        key_event.start_mark,
                        "duplicate-key",
                        f"key {_show(key)} appears twice in one mapping (first at line {line}, column {column})",
                    )
                if len(mapping) >= self.limits.max_mapping_keys:
                    raise self.fail(
                        key_event.start_mark,
                        "size",
                        f"more than {self.limits.max_mapping_keys:,} keys in one mapping",
                    )
                where = (key_event.start_mark.line + 1, key_event.start_mark.column + 1)
                first_seen[key] = where
                key_path = (*path, key)
                self.positions[key_path] = where
                mapping[key] = self._node(loader, loader.get_event(), key_path, depth + 1)
        raise self.fail(getattr(event, "start_mark", None), "syntax", f"unexpected {type(event).__name__}")

    def _collection_tag(self, event: Any, kind: type, expected: str) -> None:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(kind, None, event.implicit)
        if tag != expected:
            raise self.fail(event.start_mark, "tag", f"tag {_tag(tag)} is not allowed here")

    def _key(self, event: Any) -> Hashable:
        if not isinstance(event, yaml.ScalarEvent):
            if getattr(event, "anchor", None) is not None or isinstance(event, yaml.AliasEvent):
                raise self.fail(
                    event.start_mark, "alias", "anchors and aliases are not allowed; write the value out"
                )
            raise self.fail(
                event.start_mark, "key", "a mapping key must be a plain value, not a list or mapping"
            )
        if event.anchor is not None:
            raise self.fail(
                event.start_mark,
                "alias",
                f"anchor &{event.anchor}: anchors and aliases are not allowed; write the value out",
            )
        self.nodes += 1
        key = self._scalar(event, allow_merge=False)
        if isinstance(key, (list, dict)):  # pragma: no cover - scalars only
            raise self.fail(event.start_mark, "key", "a mapping key must be a plain value")
        return key

    def _scalar(self, event: Any, allow_merge: bool = True) -> Any:
        value = event.value
        if len(value) > self.limits.max_scalar_chars:
            raise self.fail(
                event.start_mark, "size", f"a value longer than {self.limits.max_scalar_chars:,} characters"
            )
        bad = _BAD_CHAR.search(value)
        if bad:
            what = "a lone surrogate" if "\ud800" <= bad.group() <= "\udfff" else "a control character"
            raise self.fail(
                event.start_mark,
                "character",
                f"text contains {what} (U+{ord(bad.group()):04X}) at character {bad.start() + 1}",
            )
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(ScalarNode, value, event.implicit)
        if tag == _MERGE_TAG:
            raise self.fail(
                event.start_mark, "merge-key", "merge keys (<<) are not allowed; write the keys out"
            )
        if tag not in _SCALAR_TAGS:
            raise self.fail(
                event.start_mark,
                "tag",
                f"tag {_tag(tag)} is not allowed; use plain text, numbers, booleans or dates",
            )
        node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            return SafeConstructor.yaml_constructors[tag](self.constructor, node)
        except (ValueError, OverflowError, TypeError) as exc:
            kind = tag.rsplit(":", 1)[1]
            # Only date-shaped text is shown: any other value might be what the privacy guard hides.
            shown = f"{value!r} is" if kind == "timestamp" else "the value is"
            raise self.fail(
                event.start_mark,
                "value",
                f"{shown} not a valid {'date' if kind == 'timestamp' else kind} ({_reason(exc)})",
            ) from None
        except yaml.YAMLError as exc:
            raise self.fail(
                event.start_mark, "value", " ".join(str(getattr(exc, "problem", exc)).split())
            ) from None


# Resolver.resolve is an instance method that only reads class-level tables; one shared instance is enough.
_RESOLVER = yaml.resolver.Resolver()


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 80 else text[:77] + "..."


def _show(key: Any) -> str:
    text = repr(key)
    return text if len(text) <= 60 else text[:57] + "..."


def _tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")
