"""Disclosure-protected counts: several definitions compared per region at a reference date.

A repeated anonymous read is answered from a small in-process map (request → rendered body) without a
database session: the body is the same bytes as before, its references are re-resolved at most every
`RESOLVE_TTL` seconds (a newly published version shows up within that time), and the store's manifest
hash is checked on every hit, so a rebuilt store never serves old numbers.
"""

from __future__ import annotations

import datetime as dt
import gzip
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.orm import Session

from zicht.api import comparisons, count_policy, negotiate
from zicht.api.auth import Principal, can_read_draft, presented_key, principal_for
from zicht.api.errors import ApiError
from zicht.api.etag import body_etag, none_match
from zicht.api.region_table import all_regions
from zicht.choices import CsvDialect, DisclosureMode
from zicht.compare import ComparisonResult
from zicht.db import definitions as store
from zicht.db.definitions import document_of
from zicht.errors import InputError, reference_date
from zicht.regions import codes
from zicht.regions.codes import Level

RESOLVE_TTL = 5.0
FAST_ENTRIES = 4096

router = APIRouter(prefix="/counts", tags=["counts"])

MAX_DEFINITIONS = 8  # UpSet cells grow as 2^n
TYPES = (negotiate.JSON, negotiate.CSV)
WITHIN_PATTERN = codes.within_pattern()


def resolve(session: Session, text: str, principal: Principal | None) -> list[dict[str, Any]]:
    """References (id, version, content_hash, title) for ``a,b@1.0.0``: an id gives its highest published
    version. Documents are loaded only when a comparison has to be computed (`load_documents`)."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise ApiError(422, "definitions= needs at least one definition id")
    if len(names) > MAX_DEFINITIONS:
        raise ApiError(422, f"at most {MAX_DEFINITIONS} definitions per comparison, got {len(names)}")
    if len(set(names)) != len(names):
        raise ApiError(422, "a definition is listed twice in definitions=")
    out = []
    for name in names:
        did, _, version = name.partition("@")
        refs = store.version_refs(session, did)
        if version:
            ref = next((r for r in refs if r["version"] == version), None)
            if ref is None or (ref["status"] == "draft" and not can_read_draft(principal, ref["author"])):
                raise ApiError(404, f"no definition {did!r} version {version!r}")
        else:
            ref = next((r for r in refs if r["status"] == "published"), None)
            if ref is None:
                raise ApiError(
                    404, f"no published version of definition {did!r}; name a version as {did}@VERSION"
                )
        if ref["status"] == "draft" and not count_policy.may_count_draft(principal, ref["author"]):
            raise ApiError(
                403, f"draft {did}@{version} is counted only for a key of its own field lab ({ref['author']})"
            )
        out.append(ref)
    if len({d["id"] for d in out}) != len(out):
        raise ApiError(422, "two versions of one definition cannot be compared in one request")
    return out


def load_documents(request: Request, refs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    with request.app.state.sessions() as session:
        rows = [store.get_version(session, r["id"], r["version"]) for r in refs]
        docs = [document_of(row) for row in rows if row is not None]
    if [(d["id"], d["version"], d["content_hash"]) for d in docs] != [
        (r["id"], r["version"], r["content_hash"]) for r in refs
    ]:
        raise ApiError(409, "a definition changed while the comparison started; retry")
    return docs


def parse_date(text: str) -> dt.date:
    try:
        return reference_date(text, "date")
    except InputError as exc:
        raise ApiError(422, str(exc)) from None


def check_within(level: str, within: str | None) -> None:
    if within is None or within in (codes.NL_CODE, codes.TWENTE_CODE):
        return
    region = all_regions().get(within)
    if region is None:
        raise ApiError(404, f"unknown region {within!r} for within=")
    if level in ("land", "regio") or comparisons.LEVELS.index(region.level) >= comparisons.LEVELS.index(
        level
    ):
        raise ApiError(422, f"{within} is a {region.level}; it holds no {level} level regions")


@dataclass(frozen=True)
class CountsQuestion:
    """The question /counts and /counts/manifest both answer: its query parameters, declared once (a
    FastAPI dependency of both routes). A legacy region alias in within= is read as its current code."""

    definitions: Annotated[
        str,
        Query(max_length=2000, description="Comma-separated ids (highest published version) or id@version."),
    ]
    date: Annotated[str, Query(max_length=10, description="Reference date YYYY-MM-DD.")]
    level: Annotated[Level, Query(description="Region level.")] = "wijk"
    within: Annotated[
        str | None,
        Query(
            pattern=WITHIN_PATTERN,
            description="Only regions inside this one (NL01, CR12 = Twente, a GM/WK code).",
        ),
    ] = None
    disclosure: Annotated[
        DisclosureMode,
        Query(
            description="perturb: cell key method (every count with a small deviation, the same for the same "
            "persons in every request); suppress: the one canonical suppressed release of all "
            "published definitions per store snapshot and date, down to gemeente."
        ),
    ] = "perturb"

    def __post_init__(self) -> None:
        if self.within:
            object.__setattr__(self, "within", codes.canonical(self.within))


def _dialect(dialect: negotiate.DialectQuery = "standard") -> CsvDialect:
    # A dependency of its own so that OpenAPI lists dialect after the question's parameters, as before.
    return dialect


@router.get(
    "",
    summary="Compare definitions per region (disclosure-protected counts, rates, overlaps, attrition)",
    responses=negotiate.openapi_content(*TYPES),
)
async def get_counts(
    request: Request,
    question: Annotated[CountsQuestion, Depends()],
    dialect: Annotated[CsvDialect, Depends(_dialect)],
) -> Response:
    media = negotiate.choose(request, TYPES)
    q = question
    presented = presented_key(request)
    fast_key = (q.definitions, q.date, q.level, q.within, media, q.disclosure, dialect)
    if presented is None:
        hit = _fast(request).get(fast_key, request.app.state.store_status)
        if hit is not None:
            # the same question in other bytes (another Accept header, parameter order): answer it on the
            # ASGI fast path next time too, before routing and the rate limit for expensive questions
            _fast(request).put(raw_key(request.scope), hit, request.app.state.store_status)
            return cached_response(request, hit)
    # A comparison may take seconds: computed in the thread pool, never on the event loop.
    return await run_in_threadpool(_counts, request, question, media, presented, fast_key, dialect)


def _counts(
    request: Request,
    question: CountsQuestion,
    media: str,
    presented: str | None,
    fast_key: tuple,
    dialect: CsvDialect = "standard",
) -> Response:
    q = question
    reference_date, documents = _question(request, q, presented)
    state = request.app.state.store_status
    key = (
        "counts-body",
        *comparisons.compare_key(state, documents, reference_date, q.level, q.disclosure),
        q.level,
        q.within,
        media,
        dialect,
    )

    def render() -> Response:
        result = _result(request, documents, reference_date, q.level, q.disclosure)
        body = comparisons.shape(result, documents, q.level, q.within)
        if media == negotiate.CSV:
            response = negotiate.csv_response(body["cells"], comparisons.CELL_COLUMNS, dialect=dialect)
            # The CSV holds numbers only; its run manifest (with the disclosure rules) is one link away.
            response.headers["Link"] = (
                f'<{manifest_url(request, q)}>; rel="describedby"; type="application/json"'
            )
            response.headers["Zicht-Disclosure"] = _ascii(
                str(
                    (body["disclosure"] or {}).get("rule") or (body["disclosure"] or {}).get("secondary_rule")
                )
            )
            return response
        return negotiate.json_response(body)

    rendered = state.cached(key, lambda: Rendered.of(render()))
    if presented is None:
        _fast(request).put(fast_key, rendered, state)
        _fast(request).put(raw_key(request.scope), rendered, state)
    return cached_response(request, rendered)


def _question(
    request: Request, question: CountsQuestion, presented: str | None
) -> tuple[dt.date, list[dict[str, Any]]]:
    """The checked question: its reference date and definition references (drafts only for their lab)."""
    reference_date = parse_date(question.date)
    check_within(question.level, question.within)
    with request.app.state.sessions() as session:
        principal = principal_for(session, presented)
        documents = resolve(session, question.definitions, principal)
        if question.disclosure == "perturb":
            count_policy.check_drafts(
                session,
                principal,
                documents,
                question.level,
                getattr(request.app.state.settings, "draft_quota", count_policy.DRAFT_QUOTA),
            )
    if question.disclosure == "suppress":
        comparisons.require_suppression()
    return reference_date, documents


def _result(
    request: Request, documents: list[dict[str, Any]], reference_date: dt.date, level: str, disclosure: str
) -> ComparisonResult:
    """The released comparison (cached per store snapshot, versions, date, level and mode)."""
    state = request.app.state.store_status
    if disclosure == "suppress":
        from zicht.api.warm import published_documents

        canonical = getattr(request.app.state.settings, "suppress_level", "gemeente")
        return comparisons.canonical_release(
            state, published_documents(request.app), documents, reference_date, level, canonical
        )
    return comparisons.run(state, load_documents(request, documents), reference_date, level)


def manifest_url(request: Request, question: CountsQuestion) -> str:
    """The path of the run manifest that belongs to these counts (GET /counts/manifest)."""
    from zicht.api.app import API

    q = question
    params = {"definitions": q.definitions, "date": q.date, "level": q.level, "disclosure": q.disclosure}
    if q.within:
        params["within"] = q.within
    return f"{request.scope.get('root_path', '')}{API}/counts/manifest?{urlencode(params)}"


@router.get(
    "/manifest",
    summary="The run manifest of a /counts answer (what a CSV of counts links to as rel=describedby)",
)
async def get_counts_manifest(request: Request, question: Annotated[CountsQuestion, Depends()]) -> Response:
    presented = presented_key(request)

    def answer() -> Response:
        reference_date, documents = _question(request, question, presented)
        result = _result(request, documents, reference_date, question.level, question.disclosure)
        return negotiate.json_response(result.manifest)

    return await run_in_threadpool(answer)


def raw_key(scope) -> tuple:
    """The request as bytes (query string and Accept header): what the ASGI fast path looks up."""
    headers = dict(scope.get("headers") or [])
    return ("raw", scope.get("query_string", b""), headers.get(b"accept", b""))


class CachedCounts:
    """ASGI middleware: an anonymous GET of /counts that was answered before (same query string and Accept)
    is served from `FastReads` before FastAPI's routing, validation and the other middleware run."""

    def __init__(self, app, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == self.path:
            headers = dict(scope.get("headers") or [])
            fast = getattr(scope["app"].state, "counts_fast", None) if "app" in scope else None
            if fast is not None and b"authorization" not in headers and b"x-api-key" not in headers:
                hit = fast.get(raw_key(scope), scope["app"].state.store_status)
                if hit is not None:
                    body, etag, encoding = hit.variant(headers.get(b"accept-encoding", b"").decode("latin-1"))
                    out = [
                        (b"etag", etag.encode()),
                        (b"vary", b"Accept, Accept-Encoding"),
                        (b"cache-control", b"private, max-age=60"),
                    ]
                    out += [(k.encode(), v.encode()) for k, v in hit.extra]
                    if none_match(headers.get(b"if-none-match", b"").decode("latin-1"), etag):
                        await send({"type": "http.response.start", "status": 304, "headers": out})
                        await send({"type": "http.response.body", "body": b""})
                        return
                    if encoding:
                        out.append((b"content-encoding", encoding.encode()))
                    out += [
                        (b"content-type", hit.media_type.encode()),
                        (b"content-length", str(len(body)).encode()),
                    ]
                    await send({"type": "http.response.start", "status": 200, "headers": out})
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")


class FastReads:
    """Request → rendered body for anonymous repeated reads (bounded, thread-safe)."""

    def __init__(self) -> None:
        self._map: OrderedDict[tuple, tuple[float, str, Rendered]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, state) -> Rendered | None:
        with self._lock:
            hit = self._map.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        status = state()
        if not status.counts_available or hit[1] != state.manifest_hash():
            return None
        return hit[2]

    def put(self, key: tuple, rendered: Rendered, state) -> None:
        entry = (time.monotonic() + RESOLVE_TTL, state.manifest_hash(), rendered)
        with self._lock:
            self._map[key] = entry
            self._map.move_to_end(key)
            while len(self._map) > FAST_ENTRIES:
                self._map.popitem(last=False)


def _fast(request: Request) -> FastReads:
    app = request.app
    fast = getattr(app.state, "counts_fast", None)
    if fast is None:
        fast = app.state.counts_fast = FastReads()
    return fast


GZIP_FROM = 1024  # bodies smaller than this are sent as they are


@dataclass(frozen=True)
class Rendered:
    """A response body kept in the cache with its media type and ETag (hashed once), and its gzip
    encoding (compressed once, when cached): a wijk comparison is about 1 MB of JSON and about a tenth of
    that gzipped, so a cached read costs the server and the client (the page) a tenth of the bytes."""

    body: bytes
    media_type: str
    etag: str
    extra: tuple[tuple[str, str], ...] = ()
    gzipped: bytes | None = None

    @staticmethod
    def of(response: Response) -> Rendered:
        body = bytes(response.body)
        extra = tuple((k, v) for k, v in response.headers.items() if k.startswith("zicht-") or k == "link")
        # mtime=0: the same body always gives the same bytes (and so the same ETag-named representation)
        gzipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_FROM else None
        return Rendered(body, str(response.media_type), body_etag(body), extra, gzipped)

    def variant(self, accept_encoding: str) -> tuple[bytes, str, str | None]:
        """(body, ETag, Content-Encoding) for the client's Accept-Encoding: gzip when it accepts it."""
        if self.gzipped is not None and accepts_gzip(accept_encoding):
            return self.gzipped, self.etag[:-1] + '-gzip"', "gzip"
        return self.body, self.etag, None


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (``gzip``, ``x-gzip`` or ``*``, with q > 0)."""
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        q = params.strip().lower()
        if q.startswith("q="):
            try:
                if float(q[2:]) <= 0:
                    continue
            except ValueError:
                continue
        return True
    return False


def cached_response(request: Request, rendered: Rendered) -> Response:
    """A fresh response around cached bytes, with an ETag and 304 for a matching If-None-Match."""
    body, etag, encoding = rendered.variant(request.headers.get("accept-encoding", ""))
    headers = {
        "ETag": etag,
        "Vary": "Accept, Accept-Encoding",
        "Cache-Control": "private, max-age=60",
        **dict(rendered.extra),
    }
    if none_match(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if encoding:
        headers["Content-Encoding"] = encoding
    return Response(body, media_type=rendered.media_type, headers=headers)
