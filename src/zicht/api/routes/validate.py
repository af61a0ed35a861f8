"""Validating an uploaded extract (steward): streamed to a temporary file, checked, deleted."""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from zicht import paths
from zicht.api import negotiate
from zicht.api.auth import Principal, steward_or_admin
from zicht.api.errors import ApiError
from zicht.harmonise.extract import EXTRACT_SUFFIXES
from zicht.validate.formats import to_graph, to_json
from zicht.validate.report import Report
from zicht.validate.run import find_descriptor, validate_extracts


def _mappings_dir(request: Request) -> Path:
    return request.app.state.settings.mappings_dir or paths.mappings_dir()


router = APIRouter(tags=["validation"])

SUFFIXES = EXTRACT_SUFFIXES  # an upload is read by the one extract reader
TYPES = (negotiate.JSON, negotiate.TURTLE)
SOURCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$"  # no dots or slashes: never a path


def _safe_name(name: str | None) -> str:
    base = Path(name or "").name
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base)[:100]
    if not base.lower().endswith(SUFFIXES):
        base = (base or "extract") + ".csv"
    return base


async def _spool(request: Request, folder: Path, filename: str | None) -> Path:
    """Write the upload to ``folder`` while it streams in (never all in memory)."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(422, "multipart upload needs the extract in a file field named 'file'")
        target = folder / _safe_name(upload.filename or filename)
        with target.open("wb") as out:
            await run_in_threadpool(shutil.copyfileobj, upload.file, out, 1 << 20)
        await upload.close()
        return target
    target = folder / _safe_name(filename)
    size = 0
    with target.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            out.write(chunk)
    if size == 0:
        raise ApiError(
            422, "the request body is empty: send the extract as the body or as multipart field 'file'"
        )
    return target


def _hide_server_paths(report: Report, folder: Path) -> None:
    """Reports name the uploaded file, never the temporary folder on the server."""
    prefix = str(folder) + "/"

    def name(text: str) -> str:
        return text.replace(prefix, "")

    report.files = [name(f) for f in report.files]
    report.violations = [dataclasses.replace(v, file=name(v.file)) for v in report.violations]
    report.privacy = [dataclasses.replace(f, file=name(f.file)) for f in report.privacy]
    report.notices = [name(n) for n in report.notices]


@router.post(
    "/validate",
    summary="Validate an uploaded extract of one source (steward); the upload is never stored",
    responses=negotiate.openapi_content(*TYPES),
)
async def validate_upload(
    *,
    request: Request,
    source: Annotated[
        str, Query(pattern=SOURCE_PATTERN, description="Source id (mappings/<id>.source.yaml).")
    ],
    filename: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Name of the extract, for the report (its suffix says CSV or Parquet).",
        ),
    ] = None,
    engine: Annotated[Literal["auto", "fast", "reference"], Query(description="Validation engine.")] = "auto",
    _principal: Annotated[Principal, Depends(steward_or_admin)],
) -> Response:
    media = negotiate.choose(request, TYPES)
    descriptor = find_descriptor(source, _mappings_dir(request))
    folder = Path(tempfile.mkdtemp(prefix="zicht-upload-"))
    try:
        path = await _spool(request, folder, filename)
        report = await run_in_threadpool(validate_extracts, [path], descriptor, engine=engine)
        _hide_server_paths(report, folder)
        if media == negotiate.TURTLE:
            return negotiate.turtle_response(to_graph(report).serialize(format="turtle"))
        return negotiate.json_response(to_json(report))
    finally:
        # Uploaded person-level data is never kept.
        shutil.rmtree(folder, ignore_errors=True)
