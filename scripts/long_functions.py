"""List the functions in src/zicht whose body is longer than LIMIT lines (issue #15: "no function over ~60
lines without a reason").

A body is counted from its first statement after the docstring to its last line, so a signature that is a
flat table of CLI or API options does not count, and blank and comment lines inside the body do. A function
may stay long when the line right above its `def` (or its decorators) is a comment `# long: <why>`; such
functions are listed apart. The generated model.py is left out (`zicht ontology build` writes it).

    python scripts/long_functions.py [--limit 60] [--exclude harmonise/ ...]

Exit status 1 when an unexplained long function is found (so that CI could use it), else 0.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "zicht"
GENERATED = {"model.py"}


def body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = node.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return (node.end_lineno or node.lineno) - body[0].lineno + 1


def reason(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    above = lines[first - 2].strip() if first >= 2 else ""
    return above.removeprefix("# long:").strip() if above.startswith("# long:") else None


def long_functions(root: Path, limit: int) -> list[tuple[int, str, str, str | None]]:
    """(body lines, path:line, qualified name, reason or None) of each function over the limit."""
    found: list[tuple[int, str, str, str | None]] = []
    for path in sorted(root.rglob("*.py")):
        if path.name in GENERATED:
            continue
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(root.parent))
        _visit(ast.parse(text, filename=str(path)), "", where, text.splitlines(), limit, found)
    return sorted(found, reverse=True)


def _visit(node: ast.AST, prefix: str, where: str, lines: list[str], limit: int, found: list) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + child.name
            n = body_lines(child)
            if n > limit:
                found.append((n, f"{where}:{child.lineno}", name, reason(lines, child)))
            _visit(child, name + ".", where, lines, limit, found)
        elif isinstance(child, ast.ClassDef):
            _visit(child, prefix + child.name + ".", where, lines, limit, found)
        else:
            _visit(child, prefix, where, lines, limit, found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--exclude", nargs="*", default=[], help="path parts to leave out, e.g. harmonise/")
    args = parser.parse_args(argv)
    rows = [r for r in long_functions(ROOT, args.limit) if not any(x in r[1] for x in args.exclude)]
    open_rows = [r for r in rows if r[3] is None]
    kept = [r for r in rows if r[3] is not None]
    for n, where, name, _ in open_rows:
        print(f"{n:4d}  {where}  {name}")
    if kept:
        print(f"kept long, with a reason ({len(kept)}):")
        for n, where, name, why in kept:
            print(f"{n:4d}  {where}  {name}  — {why}")
    print(f"{len(open_rows)} function(s) over {args.limit} body lines without a reason, {len(kept)} with one")
    return 1 if open_rows else 0


if __name__ == "__main__":
    sys.exit(main())
