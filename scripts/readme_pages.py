"""The page images of the README (docs/pages/), from the sample's PDF: the cover, a fiche, the summary table.

    python scripts/readme_pages.py

Needs pdftoppm (Debian: poppler-utils). The images are PNGs of 64 colours, a grey border round each page: small
enough to live in git, sharp enough to read the layout.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageOps
from pypdf import PdfReader

from stspd.commands.build import Settings, build_documents

REPO = Path(__file__).resolve().parent.parent

# image name → how to recognise its page from its text
PAGES = {
    "couverture": lambda text, number: number == 0,
    "fiche": lambda text, number: "\nFiche 1.1.2 · " in text and "Sommaire" not in text,
    "synthese": lambda text, number: "\nTableau de synthèse des fiches actions" in text and "Sommaire" not in text,
}


def main() -> None:
    target = REPO / "docs" / "pages"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        build_documents(Settings(REPO / "samples" / "valmont", ("pdf",), out))
        pdf = out / "strategie.pdf"
        texts = [page.extract_text() for page in PdfReader(pdf).pages]
        for name, wanted in PAGES.items():
            number = next(i for i, text in enumerate(texts) if wanted(text, i)) + 1
            stem = out / name
            subprocess.run(
                ["pdftoppm", "-r", "72", "-png", "-singlefile", "-f", str(number), "-l", str(number), pdf, stem], check=True
            )
            page = ImageOps.expand(Image.open(f"{stem}.png").convert("RGB"), border=1, fill=(191, 191, 191))
            page.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
                target / f"{name}.png", optimize=True
            )
            print(target / f"{name}.png")


if __name__ == "__main__":
    main()
