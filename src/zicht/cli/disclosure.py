"""`zicht disclosure ptable`: the perturbation table every published count goes through."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from zicht.choices import TextCsvJson

app = typer.Typer(
    help="Disclosure control: the perturbation table of the cell key method.", no_args_is_help=True
)


@app.command("ptable")
def ptable(
    max_deviation: Annotated[
        int | None, typer.Option("--max-deviation", help="Largest deviation (D; default 5).")
    ] = None,
    variance: Annotated[
        float | None, typer.Option("--variance", help="Variance of the deviation (V; default 4).")
    ] = None,
    blocked_upto: Annotated[
        int | None, typer.Option("--blocked-upto", help="No count is published as 1 .. this (js; default 2).")
    ] = None,
    fmt: Annotated[TextCsvJson, typer.Option("--format", help="text (a table), csv or json.")] = "text",
) -> None:
    """Print the perturbation table: per true count the probability of each deviation, its bias and variance."""
    from zicht.disclosure.ptable import PerturbationRules

    given: dict[str, Any] = {
        k: v
        for k, v in (("max_deviation", max_deviation), ("variance", variance), ("blocked_upto", blocked_upto))
        if v is not None
    }
    rules = PerturbationRules(**given)
    frame = rules.table.frame()
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n", float_format="%.6f")
        return
    if fmt == "json":
        typer.echo(json.dumps({"rules": rules.to_dict(), "rows": frame.to_dict(orient="records")}, indent=1))
        return
    typer.echo(
        f"perturbation table: D = {rules.max_deviation}, V = {rules.variance:g}, js = {rules.blocked_upto} "
        "(row = true count; p(d) = probability that d is added)"
    )
    typer.echo(frame.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
