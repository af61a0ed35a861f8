"""A source's full code list (`mappings/<source>.codes.csv`): every code the source can deliver."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from zicht.errors import InputError

LABEL_COLUMNS = ("label", "label_nl", "subject_label", "omschrijving", "description")


@dataclass(frozen=True)
class CodeEntry:
    code: str
    label: str
    line: int


def read_code_list(path: Path) -> tuple[list[CodeEntry], list[tuple[int, str, str]]]:
    """Codes in file order, plus problems (line, rule, message) such as duplicates or empty codes."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            delimiter = (
                ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
            )
            reader = csv.DictReader(fh, delimiter=delimiter)
            fields = [f.strip() for f in (reader.fieldnames or [])]
            if "code" not in fields:
                raise InputError(
                    f"{path}:1: code list has no 'code' column (columns: {', '.join(fields) or 'none'})"
                )
            label_col = next((c for c in LABEL_COLUMNS if c in fields), None)
            entries: list[CodeEntry] = []
            problems: list[tuple[int, str, str]] = []
            seen: dict[str, int] = {}
            for line, raw in enumerate(reader, start=2):
                row = {(k or "").strip(): (v or "") for k, v in raw.items()}
                code = row.get("code", "").strip()
                if not code:
                    problems.append((line, "code_list", "empty code in the code list"))
                    continue
                if code in seen:
                    problems.append(
                        (line, "code_list", f"code {code!r} listed twice (first on line {seen[code]})")
                    )
                    continue
                seen[code] = line
                entries.append(CodeEntry(code, row.get(label_col, "").strip() if label_col else "", line))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    return entries, problems
