"""Same input, same bytes: zip containers (DOCX, ODT, XLSX) rewritten with fixed entry dates and document dates."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping

_FIXED = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
_META_DATES = re.compile(rb"(<(meta:creation-date|dc:date)>)[^<]*(</\2>)")


def normalise_zip(data: bytes, iso_timestamp: str, edits: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """`data` with every entry dated 1980-01-01, the documents' own dates set to `iso_timestamp`, and the
    entries named in `edits` passed through their edit on the way."""
    stamp = iso_timestamp.encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if edits and info.filename in edits:
                content = edits[info.filename](content)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            elif info.filename == "meta.xml":
                content = _META_DATES.sub(rb"\g<1>" + stamp + rb"\g<3>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED)
            # ODF wants its mimetype entry first and stored; everything else is deflated.
            entry.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()
