"""Same input, same bytes: zip containers (DOCX, ODT, XLSX) rewritten with fixed entry dates and document dates."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping

_FIXED = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
_META_DATES = re.compile(rb"(<(meta:creation-date|dc:date)>)[^<]*(</\2>)")


def normalise_zip(
    data: bytes,
    iso_timestamp: str,
    edits: Mapping[str, Callable[[bytes], bytes]] | None = None,
    added: Mapping[str, bytes] | None = None,
) -> bytes:
    """`data` with every entry dated 1980-01-01, the documents' own dates set to `iso_timestamp`, the entries
    named in `edits` passed through their edit on the way, and the `added` entries at the end."""
    stamp = iso_timestamp.encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(out, "w") as target:
        for name, content in [*entries, *(added or {}).items()]:
            if edits and name in edits:
                content = edits[name](content)
            if name == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            elif name == "meta.xml":
                content = _META_DATES.sub(rb"\g<1>" + stamp + rb"\g<3>", content)
            entry = zipfile.ZipInfo(name, date_time=_FIXED)
            # ODF wants its mimetype entry first and stored; everything else is deflated.
            entry.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()
