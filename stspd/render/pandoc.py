"""pandoc (the binary that pypandoc-binary ships), run once per format in its sandbox.

The Markdown is read with only the extensions stspd's templates need; the text guard (text_guard.lua) runs
first, then the filter of the `--modeles` folder or stspd's own, then those the format's layout needs (the HTML
page's, html_page.lua). The document's metadata come from a file
(the template's front matter), never from the text: a `---` block in a description stays text.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from stspd.render.children import Children

# Extensions off: what a report's text does not need and a hostile text could use (raw code, attributes on
# spans and code, metadata, citations). The templates still use fenced divs, header ids and image sizes: user
# text cannot reach those, markdown_syntax.block escapes their syntax, and text_guard.lua strips what would remain.
_DISABLED = (
    "raw_html",
    "raw_tex",
    "raw_attribute",
    "latex_macros",
    "tex_math_dollars",
    "tex_math_single_backslash",
    "yaml_metadata_block",
    "citations",
    "bracketed_spans",
    "native_spans",
    "native_divs",
    "inline_code_attributes",
    "fenced_code_attributes",
)
READER = "markdown" + "".join(f"-{extension}" for extension in _DISABLED)
# pandoc's runtime spends 40 % of its time collecting garbage by default; a 16 MB allocation area and no full
# collection before the old generation reaches 256 MB cut that by a quarter (pandoc +RTS -s on the sample).
RTS = ["+RTS", "-A16m", "-O256m", "-RTS"]
GUARD = Path(__file__).resolve().parent / "text_guard.lua"


@dataclass(frozen=True)
class Conversion:
    """One format to write, with the writer options pandoc's command line would have set."""

    format: str  # stspd's name for it: docx, odt, html, pdf
    writer: str  # pandoc's
    template: Path | None = None  # None: pandoc's default template for the writer
    reference_doc: Path | None = None
    variables: dict = field(default_factory=dict)
    toc: bool = True
    filters: tuple[Path, ...] = ()  # stspd's own, run after the town's: what stspd's layout of the format needs


def pandoc_path() -> str:
    """The binary inside pypandoc-binary, found without importing pypandoc (which imports urllib, 0.1 s)."""
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in ("pandoc", "pandoc.exe"):
            candidate = Path(folder) / "files" / name
            if candidate.is_file():
                return str(candidate)
    return shutil.which("pandoc") or "pandoc"


def convert(
    children: Children, folder: Path, markdown: Path, conversion: Conversion, metadata: Path, lua_filter: Path, timestamp: int
) -> bytes:
    """Run pandoc on `markdown` (in `folder`) for one format; returns what it wrote."""
    output = folder / f"pandoc-{conversion.format}.out"  # not ".pdf": pandoc would then run a PDF engine
    defaults = {
        "from": READER,
        "to": conversion.writer,
        "input-files": [str(markdown)],
        "output-file": str(output),
        "standalone": True,
        "sandbox": True,  # the writers read no file but those named here (DOCX and ODT would embed an image's)
        "metadata-files": [str(metadata)],
        "filters": [{"type": "lua", "path": str(path)} for path in (GUARD, lua_filter, *conversion.filters)],
        "table-of-contents": conversion.toc,
        "toc-depth": 2,
        "variables": conversion.variables,
    }
    if conversion.template:
        defaults["template"] = str(conversion.template)
    if conversion.reference_doc:
        defaults["reference-doc"] = str(conversion.reference_doc)
    plan = folder / f"pandoc-{conversion.format}.json"
    plan.write_text(json.dumps(defaults, ensure_ascii=False), encoding="utf-8")
    # SOURCE_DATE_EPOCH: pandoc's DOCX and ODT carry this date, so that two builds give the same bytes.
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(timestamp)}
    children.run([pandoc_path(), *RTS, "--defaults", str(plan)], f"pandoc ({conversion.format})", env)
    return output.read_bytes()
