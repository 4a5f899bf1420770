"""The bilan for the plenary, read back; its charts; and its drawing code kept out of the other commands."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import SAMPLE, run
from docx import Document
from docx.oxml.ns import qn


@pytest.fixture(scope="module")
def bilan(tmp_path_factory):
    out = tmp_path_factory.mktemp("bilan")
    result = run("bilan", SAMPLE, "--format", "docx,odt,pdf,html", "--output", out)
    assert result.exit_code == 0, result.output
    return out


def test_bilan_docx_has_its_parts_charts_and_synthesis(bilan):
    document = Document(str(bilan / "bilan-2025.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Synthèse", "Les indicateurs", "Ce qui a changé depuis 2024", "Difficultés et suites", "La grille 2025"]
    drawings = document.element.body.findall(f".//{qn('w:drawing')}")
    assert len(drawings) >= 1 + 4 + 1  # états per axe, at least one trajectory figure per axe, the logo
    synthesis = next(t for t in document.tables if t.rows[0].cells[0].text == "Axe")
    assert len(synthesis.rows) == 1 + 4 and synthesis.rows[0].cells[-1].text == "Atteinte moyenne"
    text = "\n".join(p.text for p in document.paragraphs).replace("\u00a0", " ").replace("\u2019", "'")
    assert "Atteint : la valeur de l'année atteint la cible" in text
    assert any(s.page_width > s.page_height for s in document.sections)  # the grid, in landscape


def test_bilan_html_embeds_its_charts(bilan):
    html = (bilan / "bilan-2025.html").read_text(encoding="utf-8")
    # the logo, the états per axe, the 81 indicators
    assert html.count('src="data:image/png;base64,') == 1 + 1 + 81 and 'lang="fr-FR"' in html
    # each indicator's chart says what it shows; the stylesheet sets them three a line, one on a phone
    assert 'alt="Trajectoire de l’indicateur 1.1.1 · Nombre de classes' in html
    assert re.search(r"<div class=\"graphiques\">\s*<p><img\s+src=\"data:image/png;base64,", html)
    assert ".graphiques img { width: 32% !important; }" in html
    assert ".graphiques img, figure > img { width: 100% !important;" in html  # in the phone's rules


def test_the_charts_lie_three_a_line_in_the_docx(bilan):
    """Inline pictures of 32 % of the text's width, without the gap LibreOffice would put around them, in lines
    of single spacing: three a line, which flow from page to page."""
    document = Document(str(bilan / "bilan-2025.docx"))
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    lines = [p for p in document.paragraphs if len(p._p.findall(f".//{qn('w:drawing')}")) > 1]
    assert len(lines) == 4  # one paragraph of charts per axe
    for paragraph in lines:
        assert paragraph.paragraph_format.line_spacing == 1.0
        for inline in paragraph._p.iter(qn("wp:inline")):
            assert {inline.get(side) for side in ("distT", "distB", "distL", "distR")} == {"0"}
            assert 3 * inline.extent.cx < text_width < 4 * inline.extent.cx


def test_the_changes_are_a_table_of_before_and_after(bilan):
    document = Document(str(bilan / "bilan-2025.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Fiche")
    assert [c.text for c in table.rows[0].cells] == ["Fiche", "Ce qui a changé", "2024", "2025"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) > 20 and rows[0][0].startswith("1.1.") and all(len(row) == 4 for row in rows)
    states = [row for row in rows if row[1] == "État d’avancement"]
    assert states and all(row[0] for row in states)  # the fiche named on its état's row, its first
    assert all(row[2] != row[3] for row in rows)  # only what moved
    assert any(row[0] == "" for row in rows)  # a fiche's further rows leave its name out


def test_the_bilan_grid_shows_the_verdicts_in_the_grid_colours(bilan):
    from stspd.exchange.grid_files import VERDICT_COLOURS

    document = Document(str(bilan / "bilan-2025.docx"))
    grid = next(t for t in document.tables if t.rows[0].cells[-1].text == "Verdict")
    shown = 0
    for row in grid.rows[1:]:
        cell = row.cells[-1]
        fill, text = VERDICT_COLOURS[cell.text]
        assert cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) == fill
        assert {str(run.font.color.rgb) for p in cell.paragraphs for run in p.runs} == {text}
        shown += 1
    assert shown == 81
    assert grid.rows[1].cells[0]._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") is None  # only the verdicts
    # the grid ends the document in its last section, turned: no empty page after it
    last = document.sections[-1]
    assert last.page_width > last.page_height
    assert [e.tag for e in grid._tbl.itersiblings() if e.tag != qn("w:bookmarkEnd")] == [qn("w:sectPr")]
    # the ODT: a cell style of the verdict's fill, a paragraph style of its colour
    import zipfile

    from lxml import etree

    content = etree.fromstring(zipfile.ZipFile(bilan / "bilan-2025.odt").read("content.xml"))
    ns = {
        "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
        "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    }
    fills = {
        s.get(f"{{{ns['style']}}}name"): s.find("style:table-cell-properties", ns).get(f"{{{ns['fo']}}}background-color")
        for s in content.iterfind(".//style:style[@style:family='table-cell']", ns)
        if s.find("style:table-cell-properties", ns) is not None
    }
    coloured = [
        ("".join(cell.itertext()).strip(), fills.get(cell.get(f"{{{ns['table']}}}style-name")))
        for cell in content.iterfind(".//table:table-cell", ns)
        if cell.get(f"{{{ns['table']}}}style-name", "").startswith("StspdVerdict")
    ]
    assert len(coloured) == 81
    assert all(fill == "#" + VERDICT_COLOURS[verdict][0] for verdict, fill in coloured)
    html = (bilan / "bilan-2025.html").read_text(encoding="utf-8")
    for verdict, (fill, text) in VERDICT_COLOURS.items():
        if verdict != "non renseigné":
            assert re.search(f'<td style="background: #{fill}; color: #{text}"[^>]*>{verdict}</td>', html), verdict


def test_bilan_pdf_shows_the_changes_and_the_charts(bilan):
    from pypdf import PdfReader

    reader = PdfReader(bilan / "bilan-2025.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Bilan 2025" in text and "Ce qui a changé depuis 2024" in text
    assert sum(len(page.images) for page in reader.pages) >= 6
    # the synthesis's état columns are wide enough for their header's word: « abandonnée » is not cut (a hyphen, or
    # the soft one pypdf reads)
    assert "abandonnée" in text and not re.search(r"aban\w*[-\u00ad]\n\w*née", text)


def test_bilan_is_byte_identical(bilan, tmp_path):
    assert run("bilan", SAMPLE, "--format", "docx,html", "--output", tmp_path).exit_code == 0
    for fmt in ("docx", "html"):
        assert (tmp_path / f"bilan-2025.{fmt}").read_bytes() == (bilan / f"bilan-2025.{fmt}").read_bytes()


def test_the_odt_turns_its_pages_with_the_grid_heading_and_ends_with_the_grid(bilan):
    """No empty paragraph to turn the page (before the grid's heading, which starts a page: a blank landscape page),
    nor to turn it back after the grid that ends the document (a blank portrait page)."""
    import zipfile

    content = zipfile.ZipFile(bilan / "bilan-2025.odt").read("content.xml").decode()
    assert 'text:style-name="StspdLandscapeStart"' not in content and 'text:style-name="StspdLandscapeEnd"' not in content
    heading = re.search(r'<text:h text:style-name="(StspdLandscapeStart\d+)"[^>]*>(?:<[^>]+>)*La grille 2025', content)
    assert heading and f'style:name="{heading.group(1)}"' in content and 'style:master-page-name="StspdLandscape"' in content
    assert re.search(r"</table:table>\s*(<text:bookmark-end[^>]*/>\s*)*</office:text>", content)  # the grid, last


def test_bilan_of_a_year_without_evaluation_is_misuse(tmp_path):
    result = run("bilan", SAMPLE, "--year", "2027", "--output", tmp_path)
    assert result.exit_code == 2 and "aucune évaluation" in result.output


@pytest.mark.parametrize(
    ("arguments", "imported", "allowed"),
    [  # the grid measures its text with Pillow's FreeType
        (["grid", "--year", "2025", "--format", "xlsx"], True, {"PIL.ImageFont"}),
        (["build", "--format", "md"], False, set()),
        (["build", "--format", "md"], True, {"stspd.render.charts", "PIL.ImageDraw", "PIL.ImageFont"}),
    ],
)
def test_only_the_bilan_and_imported_statistics_draw_charts(tmp_path, arguments, imported, allowed):
    """Neither the grid (openpyxl brings PIL.Image along) nor the strategy's build loads the charts, nor Pillow's
    drawing; only the grid loads its fonts, to measure the width of its text; and the strategy draws only the
    statistics the diagnostic imported (stspd diagnostic import-ssmsi), when it has some."""
    project = shutil.copytree(SAMPLE, tmp_path / "valmont")
    if not imported:  # the imported table gone, and the year's figures the evaluation gives for it
        (project / "diagnostic" / "ssmsi.yaml").unlink()
        evaluation = project / "evaluations" / "2024.yaml"
        text = evaluation.read_text(encoding="utf-8")
        evaluation.write_text(text[: text.index("delinquance:")], encoding="utf-8")
    code = (
        "import sys\nfrom stspd.cli import main\n"
        f"try:\n    main({[*arguments, str(project), '--output', str(tmp_path / 'dist')]!r})\n"
        "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
        "print(sorted({'stspd.render.charts', 'PIL.ImageDraw', 'PIL.ImageFont'} & set(sys.modules)))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.splitlines()[-1] == str(sorted(allowed))


# Counts and their labels agree: « 1 atteint », « 9 atteints », « 3 non renseignés », « 1 en retard ».


@pytest.mark.parametrize(
    ("label", "plural"),
    [
        ("atteint", "atteints"),
        ("non renseigné", "non renseignés"),
        ("en bonne voie", "en bonne voie"),
        ("en retard", "en retard"),
        ("réalisée", "réalisées"),
        ("non engagée", "non engagées"),
        ("non évaluée", "non évaluées"),
        ("abandonnée", "abandonnées"),
        ("fiche action", "fiches actions"),
        ("état d'avancement", "états d'avancement"),
        ("politique de la ville", "politiques de la ville"),
        ("changement enregistré", "changements enregistrés"),
        ("réalisée ou reportée", "réalisées ou reportées"),
        ("FIPD", "FIPD"),
        ("prix", "prix"),
        ("bureau", "bureaux"),
        ("national", "nationaux"),
        ("final", "finals"),
    ],
)
def test_a_label_takes_its_plural_from_two_on(label, plural):
    from stspd import fr

    assert fr.plural_of(label) == plural
    assert [fr.agreed(label, n) for n in (0, 1, 1.5, 2, 9, -3)] == [label, label, label, plural, plural, plural]


def test_a_count_is_written_with_its_agreed_noun():
    from stspd import fr

    assert fr.counted(0, "problème") == "0 problème"
    assert fr.counted(1, "fiche") == "1 fiche"
    assert fr.counted(2, "changement enregistré") == "2 changements enregistrés"
    assert fr.counted(1200, "ligne") == "1\u202f200 lignes"
    assert fr.counted(2, "œil", "yeux") == "2 yeux" and fr.counted(1, "œil", "yeux") == "1 œil"


def synthesis(content: dict) -> list[str]:
    from stspd.render.templates import render

    text = render(content, "bilan.md.j2", images={}).replace("\u00a0", " ").replace("\u202f", " ")
    return [line for line in text.splitlines() if line.startswith(("En 20", "Indicateurs :"))]


def test_the_bilan_agrees_its_counts_with_their_labels():
    from stspd.commands.valid import valid_model
    from stspd.evaluation.bilan import bilan_content

    _, view = valid_model(SAMPLE)
    content = dict(bilan_content(view, 2025))
    scope = (
        "(chaque axe fait la moyenne de ses objectifs, chaque objectif celle de ses fiches, chaque fiche celle de ses "
        "indicateurs renseignés, chaque atteinte ramenée entre 0 et 100 %)."
    )
    assert synthesis(content) == [
        f"En 2025, 29 fiches actions ; atteinte moyenne des axes : 60,4 % {scope}",
        (
            "Indicateurs : 9 atteints ; 47 en bonne voie ; 20 en retard ; 2 non renseignés. Hors des comptes et des "
            "moyennes : 1 indicateur « pas de mesure prévue cette année » ; 2 indicateurs « fiche abandonnée »."
        ),
    ]
    content |= {
        "fiches": content["fiches"][:1],
        "verdict_comptes": {"atteint": 1, "en retard": 1, "non renseigné": 1},
        "hors_comptes": {},
    }
    assert synthesis(content) == [
        f"En 2025, 1 fiche action ; atteinte moyenne des axes : 60,4 % {scope}",
        "Indicateurs : 1 atteint ; 1 en retard ; 1 non renseigné.",
    ]


def test_the_bilan_says_what_leaves_the_counts_the_regressions_and_the_decisions():
    """The sample's 2025: 3.4.2 abandoned by a decision, the triennial survey not due, the rodeos regressing."""
    from stspd.commands.valid import valid_model
    from stspd.evaluation.bilan import bilan_content

    _, view = valid_model(SAMPLE)
    content = bilan_content(view, 2025)
    counted = [r for r in content["indicateurs_annee"] if r.counted]
    assert sum(content["verdict_comptes"].values()) == len(counted) == 81 - 3
    assert content["hors_comptes"] == {"pas de mesure prévue cette année": 1, "fiche abandonnée": 2}
    assert [(r.fiche["id"], r.indicator["id"]) for r in content["regressions"]] == [("3.1.1", "rodeos")]
    assert content["decisions"]["3.4.2"].replace("\u00a0", " ").startswith("18 novembre 2025, CLSPD en formation restreinte : ")
    (abandoned,) = [c for c in content["changements"] if c["fiche"]["id"] == "3.4.2"]
    assert (abandoned["avant"], abandoned["apres"]) == ("en cours", "abandonnée")
    assert abandoned["decision"].replace("\u00a0", " ").startswith("abandonnée (18 novembre 2025, CLSPD")
    assert abandoned["verdicts"] == []  # said « abandonnée », not « en retard → fiche abandonnée » per indicator
    assert ("Nombre d'exclusions temporaires prononcées dans les collèges de la ville", "Année scolaire 2024-2025.") in content[
        "commentaires_valeurs"
    ]["1.2.1"]


def test_the_bilan_prints_the_decisions_the_comments_and_the_regressions(bilan):
    document = Document(str(bilan / "bilan-2025.docx"))
    text = "\n".join(p.text for p in document.paragraphs).replace("\u00a0", " ").replace("\u2019", "'").replace("\u2013", "-")
    assert "Décision : abandonnée. 18 novembre 2025, CLSPD en formation restreinte : Refus du dispositif" in text
    changes = next(t for t in document.tables if t.rows[0].cells[1].text == "Ce qui a changé")
    after = [row.cells[3].text.replace("\u00a0", " ") for row in changes.rows if row.cells[0].text.startswith("3.4.2")]
    assert after == ["abandonnée"]  # the state alone in its narrow year cell…
    # …its decision in a line under the table, where it reads
    assert "Fiche 3.4.2 : abandonnée (18 novembre 2025, CLSPD en formation restreinte : Refus" in text
    assert "Nombre d'exclusions temporaires prononcées dans les collèges de la ville : Année scolaire 2024-2025." in text
    assert "Indicateurs en régression, dont la valeur s'éloigne de la cible depuis la référence" in text
    assert "Fiche 3.1.1 · Interventions de la police municipale pour rodéos motorisés : 163 en 2025, contre 142 en 2023" in text


def test_sections_after_a_table_tail_follow_on_its_page_and_headers_keep_their_words(bilan):
    """« Ce qui a changé » and « Difficultés et suites » continue the page before them rather than leave it half
    empty (DOCX: their page break turned off; PDF: on the page of the table's end); the synthesis's « abandonnée »
    header is one word on one line (it broke « abandonn/ée »)."""
    from docx.oxml.ns import qn
    from pypdf import PdfReader

    document = Document(str(bilan / "bilan-2025.docx"))
    breaks = {}
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            found = paragraph._p.pPr.find(qn("w:pageBreakBefore"))
            breaks[paragraph.text] = None if found is None else found.get(qn("w:val"))
    assert breaks["Ce qui a changé depuis 2024"] == breaks["Difficultés et suites"] == "0"
    assert breaks["Les indicateurs"] is None  # the style's break holds elsewhere
    # ODT: the two headings take a style of their own, Heading 1's but for its page break
    import re
    import zipfile

    content = zipfile.ZipFile(bilan / "bilan-2025.odt").read("content.xml").decode()
    styled = {text: style for style, text in re.findall(r'<text:h text:style-name="([^"]+)"[^>]*>(?:<[^>]+>)*([^<]+)', content)}
    assert styled["Ce qui a changé depuis 2024"] == styled["Difficultés et suites"] == "StspdFollowOn_Heading_20_1"
    assert styled["Les indicateurs"] == "Heading_20_1"
    assert (
        '<style:style style:name="StspdFollowOn_Heading_20_1" style:family="paragraph" '
        'style:parent-style-name="Heading_20_1"><style:paragraph-properties fo:break-before="auto"/>'
    ) in content
    pages = [page.extract_text() for page in PdfReader(bilan / "bilan-2025.pdf").pages]
    page = next(p for p in pages[2:] if "Difficultés et suites" in p)  # past the cover and the contents
    assert "Fiche 3.4.2 : abandonnée (18" in page.replace("\u00a0", " ")  # the changes' last note, then the section
    synthesis = next(p for p in pages if "atteinte moyenne, par axe" in p)
    assert "abandonnée" in synthesis and "abandon-" not in synthesis and "abandonn\n" not in synthesis
    headers = next(t for t in document.tables if t.rows[0].cells[-1].text == "Atteinte moyenne")
    assert [c.text for c in headers.rows[0].cells][1:-2] == ["réalisée", "en cours", "reportée", "abandonnée"]
    from stspd.exchange.grid_layout import length

    widths = [int(col.get(qn("w:w"))) for col in headers._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    section = document.sections[0]
    usable = (section.page_width - section.left_margin - section.right_margin) / 12700  # points; the table is full width
    # the column's share of the width holds the word in the table style's 9-point bold and the cell's margins (2 × 85 twips)
    assert widths[4] / sum(widths) * usable >= length("abandonnée", 9, bold=True) + 2 * 85 / 20


def test_odt_charts_sit_in_full_height_lines_and_hide_no_text(bilan):
    """In the ODT, each chart is a character of its line, in a paragraph at a full line height: at the body's 97 %
    LibreOffice laid the first row of charts over the paragraph before (the « Axe 1 » heading disappeared)."""
    import re
    import zipfile

    content = zipfile.ZipFile(bilan / "bilan-2025.odt").read("content.xml").decode()
    charts = re.findall(r'<text:p text:style-name="([^"]+)"><draw:frame draw:name="img\d+"[^>]*>', content)
    frames = re.findall(r'<draw:frame draw:name="img\d+"[^>]*>', content)
    assert charts and frames and all('text:anchor-type="as-char"' in frame for frame in frames)
    for style in set(charts):
        assert re.search(
            rf'<style:style style:name="{style}" style:family="paragraph"[^>]*><style:paragraph-properties fo:line-height="100%"/>',
            content,
        ), style
