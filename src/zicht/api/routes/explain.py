"""Why did a number change? The API's `zicht explain`: two runs of the service (definition versions,
reference dates, store snapshots it knows) and each count's change split into its causes. Every step is
a comparison through `comparisons.run` — the same cached, disclosure-controlled release as /counts —
and the drafts policy of /counts applies to each definition named."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from zicht.api import comparisons, count_policy, negotiate
from zicht.api.auth import presented_key, principal_for
from zicht.api.errors import ApiError
from zicht.api.region_table import all_regions, inside
from zicht.api.routes.counts import WITHIN_PATTERN, check_within, load_documents, parse_date, resolve
from zicht.api.store_state import StoreState
from zicht.choices import CsvDialect
from zicht.explain import ORDER_TEXT, State, StoreInfo, explain, run_from_manifest, store_info
from zicht.explain.attribute import COLUMNS, LABELS_NL, plain_value
from zicht.regions.codes import Level

router = APIRouter(prefix="/explain", tags=["counts"])

LEVEL = Level
TYPES = (negotiate.JSON, negotiate.CSV)


def known_stores(request: Request) -> dict[str, tuple[StoreInfo, StoreState]]:
    """The store snapshots this service can compute on, by content hash: the current one and the earlier
    ones it was started with (`zicht serve --snapshot`)."""
    app = request.app
    cached = getattr(app.state, "explain_stores", None)
    if cached is not None:
        return cached
    out: dict[str, tuple[StoreInfo, StoreState]] = {}
    current = app.state.store_status
    if current.path is not None and current().counts_available:
        info = store_info(current.path)
        out[info.key] = (info, current)
    settings = app.state.settings
    for path in getattr(settings, "snapshots", ()) or ():
        info = store_info(path)
        out.setdefault(info.key, (info, StoreState(path, settings.cache_entries)))
    app.state.explain_stores = out
    return out


@router.get(
    "",
    summary="Why counts changed between two runs: definition version, mapping sets, data snapshot, "
    "reference date (each step disclosure-controlled)",
    responses=negotiate.openapi_content(*TYPES),
)
async def get_explain(
    request: Request,
    a: Annotated[
        str,
        Query(
            max_length=2000,
            description="Run A's definitions: comma-separated id@version (or id = highest published).",
        ),
    ],
    b: Annotated[str, Query(max_length=2000, description="Run B's definitions, the same ids.")],
    date_a: Annotated[str, Query(max_length=10, description="Run A's reference date YYYY-MM-DD.")],
    date_b: Annotated[str, Query(max_length=10, description="Run B's reference date YYYY-MM-DD.")],
    level: Annotated[LEVEL, Query(description="Region level.")] = "gemeente",
    within: Annotated[
        str | None, Query(pattern=WITHIN_PATTERN, description="Only regions inside this one.")
    ] = None,
    region: Annotated[
        str | None, Query(max_length=20, description="Only this region (and the total).")
    ] = None,
    store_a: Annotated[
        str | None,
        Query(max_length=80, description="Content hash of run A's store (default: the current store)."),
    ] = None,
    store_b: Annotated[
        str | None,
        Query(max_length=80, description="Content hash of run B's store (default: the current store)."),
    ] = None,
    dialect: negotiate.DialectQuery = "standard",
) -> Response:
    media = negotiate.choose(request, TYPES)
    run = {
        "a": a,
        "b": b,
        "date_a": parse_date(date_a),
        "date_b": parse_date(date_b),
        "store_a": store_a,
        "store_b": store_b,
    }
    return await run_in_threadpool(_explain, request, run, level, within, region, media, dialect)


@router.post(
    "",
    summary="Why counts changed between two runs given as their manifests (from /counts or zicht compare)",
    responses=negotiate.openapi_content(*TYPES),
)
async def post_explain(
    request: Request,
    body: Annotated[
        dict[str, Any],
        Body(description='{"a": manifest, "b": manifest, "region": optional code, "within": optional code}'),
    ],
    dialect: negotiate.DialectQuery = "standard",
) -> Response:
    media = negotiate.choose(request, TYPES)
    runs = []
    for side in ("a", "b"):
        try:
            runs.append(run_from_manifest(body.get(side), f"run {side.upper()}"))
        except Exception as exc:
            raise ApiError(422, str(exc)) from None
    ra, rb = runs
    if ra.level != rb.level:
        raise ApiError(422, f"the runs are at different levels ({ra.level} and {rb.level})")
    run = {
        "a": ",".join(f"{d['id']}@{d['version']}" for d in ra.definitions),
        "b": ",".join(f"{d['id']}@{d['version']}" for d in rb.definitions),
        "date_a": ra.reference_date,
        "date_b": rb.reference_date,
        "store_a": ra.store_content_hash,
        "store_b": rb.store_content_hash,
        "hashes": {(d["id"], d["version"]): d["content_hash"] for d in ra.definitions + rb.definitions},
    }
    region, within = body.get("region"), body.get("within")
    for name, value in (("region", region), ("within", within)):
        if value is not None and (not isinstance(value, str) or len(value) > 20):
            raise ApiError(422, f"{name} must be a region code")
    level = ra.level if ra.level in comparisons.LEVELS else "gemeente"
    return await run_in_threadpool(_explain, request, run, level, within, region, media, dialect)


def _explain(
    request: Request,
    run: dict[str, Any],
    level: str,
    within: str | None,
    region: str | None,
    media: str,
    dialect: CsvDialect = "standard",
) -> Response:
    check_within(level, within)
    settings = request.app.state.settings
    quota = getattr(settings, "draft_quota", count_policy.DRAFT_QUOTA)
    with request.app.state.sessions() as session:
        principal = principal_for(session, presented_key(request))
        refs_a, refs_b = resolve(session, run["a"], principal), resolve(session, run["b"], principal)
        count_policy.check_drafts(session, principal, refs_a + refs_b, level, quota)
    for ref in refs_a + refs_b:
        wanted = (run.get("hashes") or {}).get((ref["id"], ref["version"]))
        if wanted and wanted != ref["content_hash"]:
            raise ApiError(
                409,
                f"{ref['id']} {ref['version']} ran with content {wanted}; this service has {ref['content_hash']}",
            )
    if {r["id"] for r in refs_a} != {r["id"] for r in refs_b}:
        raise ApiError(
            422,
            "a and b must name the same definitions (in other versions or not); "
            f"got {sorted(r['id'] for r in refs_a)} and {sorted(r['id'] for r in refs_b)}",
        )
    stores = known_stores(request)
    if not stores:
        raise ApiError(503, f"counts are not available: {request.app.state.store_status().message}")
    current = next(iter(stores))
    info_a = _store(stores, run["store_a"] or current, "A")
    info_b = _store(stores, run["store_b"] or current, "B")
    docs_a, docs_b = load_documents(request, refs_a), load_documents(request, refs_b)
    state_a = State(info_a, tuple((d["id"], d) for d in docs_a), run["date_a"])
    state_b = State(info_b, tuple((d["id"], d) for d in docs_b), run["date_b"])

    def runner(state: State, lvl: str):
        _info, store_state = stores[state.store.key]
        return comparisons.run(store_state, state.documents(), state.reference_date, lvl)

    result = explain(state_a, state_b, level, runner, [i for i, _ in stores.values()])
    rows = _rows(result.rows, level, within, region)
    body = result.to_dict()
    body["rows"] = rows
    body.update(
        {"labels": LABELS_NL, "columns": COLUMNS, "order": ORDER_TEXT, "within": within, "region": region}
    )
    if media == negotiate.CSV:
        columns = tuple(result.rows.columns)
        return negotiate.csv_response(rows, columns, dialect=dialect)
    return negotiate.json_response(body)


def _store(stores: dict[str, tuple[StoreInfo, StoreState]], key: str, side: str) -> StoreInfo:
    if key not in stores:
        raise ApiError(
            404,
            f"run {side} used the store {key}, which this service does not hold; it computes on "
            f"{', '.join(stores)}",
        )
    return stores[key][0]


def _rows(frame, level: str, within: str | None, region: str | None) -> list[dict[str, Any]]:
    names = all_regions()
    want = {"total"} | ({"gemeente"} if level in ("land", "regio") else {level})
    out = []
    for r in frame.to_dict(orient="records"):
        if r["level"] not in want:
            continue
        code = r["region_code"]
        if r["level"] != "total" and within and not inside(code.split("-")[0], within):
            continue
        if region and r["level"] != "total" and code != region:
            continue
        known = names.get(code)
        if known is not None:
            r["region_name"] = known.name
        out.append({k: plain_value(v) for k, v in r.items()})
    return out
