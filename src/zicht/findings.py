"""One type for what every checker reports: the registry check, its rules, the mapping lint.

A finding says where (file, line, column, and what inside the file: a path in a document such as
``criteria/0/id`` or a source's own code), which rule, how bad, and what to do — a linter's line:
``registry/e33.yaml:12:16: error: unknown source 'politie-e3'; did you mean 'politie-e33'? [source-exists]``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    file: str  # the file or resource checked; "" while a finding is not yet placed in one
    line: int  # 1-based; 0 when not known
    column: int  # 1-based; 0 when not known
    rule: str
    message: str
    severity: str = ERROR
    suggestion: str | None = None  # the nearest known name when one was misspelt
    subject: str = ""  # what inside the file: a path in the document or a source code; "" the whole file

    @property
    def location(self) -> str:
        if not self.file:
            return self.subject
        place = ":".join([self.file] + [str(n) for n in (self.line, self.column) if n])
        return f"{place}: {self.subject}" if self.subject else place

    def __str__(self) -> str:
        hint = f"; did you mean {self.suggestion!r}?" if self.suggestion else ""
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}: {self.message}{hint} [{self.rule}]"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
