"""Table rows for the templates: each cell escaped and written the French way."""

from __future__ import annotations

from stspd import fr
from stspd.evaluation import compute
from stspd.evaluation.grid import COLUMNS
from stspd.model.types import DatedValue, FundingLine, Indicator, Staffing, end_year
from stspd.model.vocabulary import (
    BODY_TYPES,
    EVALUATION_STEPS,
    FUNDING_SOURCES,
    FUNDING_STATUS,
    INDICATOR_TYPES,
    NEXT_STEPS,
    PARTNER_TYPES,
    SCHEMES,
    STATE_LABELS,
)
from stspd.render.markdown_syntax import grid_table, inline


def _esc(value: object) -> str:
    return inline(value) if value not in (None, "") else fr.MISSING


def _capital(label: str) -> str:
    """A table cell starts with a capital: « Commune », « Prévu » (the vocabulary's words are lower case, for
    running text)."""
    return label[:1].upper() + label[1:]


def _dated(value: DatedValue | None, unit: str | None, narrow: bool = False) -> str:
    """« 152 signalements (2023) ». `narrow`: a column too narrow for « 152 signalements » on one line, where the
    unit may go under its number rather than run into the next column; « % » stays on its number's line."""
    if not value:
        return fr.MISSING
    amount = fr.number(value["valeur"])
    if unit:  # kept on the number's line: a no-break space, narrow before « % » as French typesetting has it
        percent = unit.lstrip().startswith("%")
        amount += ("\u202f" if percent else " " if narrow else "\u00a0") + _esc(unit)
    return f"{amount} ({value['annee']})"


def qpv_row(q: dict) -> list[str]:
    return [_esc(q["nom"]), _esc(q["code"]), fr.number(q.get("population"))]


def summary_rows(fiches: list[dict]) -> list[list[str]]:
    """The summary table: a row per fiche, its axe and objective said on the first row of their group only."""
    rows, previous = [], (None, None)
    for f in fiches:
        schedule = f.get("calendrier") or {}
        group = (f["axe"]["id"], f["objectif"]["id"])
        rows.append(
            [
                _esc(f["axe"]["id"]) if group[0] != previous[0] else "",
                f"{_esc(f['objectif']['id'])} {_esc(f['objectif']['titre'])}" if group != previous else "",
                _esc(f["id"]),
                _esc(f["titre"]),
                _esc(f["pilote_detail"]["nom"]),  # named in full, as in the fiches
                _short_bound(schedule.get("debut")),
                _short_bound(schedule.get("fin")),
            ]
        )
        previous = group
    return rows


def interview_row(i: dict) -> list[str]:
    return [_esc(i["institution"]), fr.number(i["nombre"])]


SECRET_MARK = "n.d."  # a figure withheld for statistical secrecy, said apart from a missing one (« — »)


def _figures(values: list) -> list[str]:
    """A row's figures with the precision it needs (counts as integers, rates as published)."""
    digits = fr.decimals([v for v in values if not isinstance(v, str)])
    return [SECRET_MARK if isinstance(v, str) else fr.number(v, digits, fixed=True) for v in values]


def _change(values: list) -> str:
    first, last = (values[0], values[-1]) if values else (None, None)
    if isinstance(first, str) or isinstance(last, str):
        return fr.MISSING  # from or to a withheld figure: not computed (the table's note says why)
    return fr.percent(fr.evolution(first, last), signed=True, digits=1)


def stat_row(row: dict, units: bool = False) -> list[str]:
    """An indicator's figures, its unit of count when the table has a column for it, and its evolution with one
    decimal, the same in every row."""
    unit = [_esc(row.get("unite", "")) if row.get("unite") else ""] if units else []
    return [_esc(row["indicateur"]), *unit, *_figures(row["valeurs"]), _change(row["valeurs"])]


def _value_notes(table: dict) -> list[tuple[int, int, str]]:
    """The notes on the table's values as (row, column, text), in the order a reader meets them: row by row, column
    by column; their rank from 1 is the mark beside the value and before the note under the table."""
    columns = table["annees"]
    return sorted(
        (r, columns.index(note["annee"]), note["texte"])
        for r, row in enumerate(table["lignes"])
        for note in row.get("notes", [])
        if note["annee"] in columns  # the tableaux rule reports the others
    )


def stat_rows(table: dict, units: bool = False) -> list[list[str]]:
    """The table's rows as stat_row gives them, each noted value followed by its note's mark (¹, ²…)."""
    rows = [stat_row(row, units) for row in table["lignes"]]
    first = 2 if units else 1  # the first figure's cell: after the indicator and its unit
    for mark, (r, column, _) in enumerate(_value_notes(table), start=1):
        rows[r][first + column] += f"^{mark}^"
    return rows


def stat_notes(table: dict) -> list[str]:
    """The notes printed under the table: each note on a value after its mark (« ¹ 2022-2023, indicator : text »),
    then each row's own comment (a series broken, a method changed), after the row's name."""
    on_values = [
        f"^{mark}^ {table['annees'][c]}, {_esc(table['lignes'][r]['indicateur'])} : {_esc(text)}"
        for mark, (r, c, text) in enumerate(_value_notes(table), start=1)
    ]
    on_rows = [f"*{_esc(row['indicateur'])}* : {_esc(row['commentaire'])}" for row in table["lignes"] if row.get("commentaire")]
    return on_values + on_rows


def rate_row(row: dict, comparison: dict | None = None) -> list[str]:
    """An indicator's rates per 1,000, and the comparison territory's rate of the last year when there is one."""
    label = _esc(row["indicateur"]) + (" (pour 1 000 logements)" if row.get("base_taux") == "logements" else "")
    rates = row.get("taux") or []
    other = {r["indicateur"]: r["taux"] for r in (comparison or {}).get("lignes", [])}
    compared = [(other.get(row["indicateur"]) or [None])[-1]] if comparison else []
    return [label, *_figures(rates + compared)]  # the territory's rate at the row's precision: 6,40 beside 7,54


def reference_rows(table: dict, comparison: dict | None = None) -> list[list[str]]:
    """The populations the rates are computed on, under them: the inhabitants, and the dwellings when a row's rate
    is per 1,000 dwellings; a reader checks a rate against them. The comparison territory's column left empty."""
    wanted = [("populations", "Population de référence (habitants)")]
    if any(row.get("base_taux") == "logements" for row in table["lignes"]):
        wanted.append(("logements", "Logements de référence"))
    return [[f"*{label}*", *map(fr.number, table[key]), *([""] if comparison else [])] for key, label in wanted if table.get(key)]


def up_to(table: dict, year: int) -> dict | None:
    """A statistics table cut at `year` (its later years left out), for a bilan of that year; None when it has
    no year up to it."""
    kept = [i for i, column in enumerate(table["annees"]) if end_year(column) <= year]
    if not kept:
        return None

    def cut(values: list | None) -> list | None:
        return None if values is None else [values[i] for i in kept]

    rows = [
        {**row, "valeurs": cut(row["valeurs"]), **({"taux": cut(row["taux"])} if "taux" in row else {})}
        for row in table["lignes"]
    ]
    cut_table = {**table, "annees": cut(table["annees"]), "lignes": rows}
    if table.get("comparaison"):
        lines = [{**line, "taux": cut(line["taux"])} for line in table["comparaison"]["lignes"]]
        cut_table["comparaison"] = {**table["comparaison"], "lignes": lines}
    return cut_table


def recorded_delinquency(tables: list[dict], evaluations: list[dict], year: int) -> list[dict]:
    """The diagnostic's statistics tables as the bilan of `year` shows them: each imported one (`origine`) and each
    other one an evaluation up to `year` gives figures for, with_evaluations; those with no year up to it left out."""
    given = {entry["tableau"] for e in evaluations if e["annee"] <= year for entry in e.get("delinquance", [])}
    shown = (with_evaluations(t, evaluations, year) for t in tables if t.get("origine") or t["id"] in given)
    return [table for table in shown if table]


def with_evaluations(table: dict, evaluations: list[dict], year: int) -> dict | None:
    """A statistics table cut at `year` (up_to), followed by the figures each evaluation up to `year` gives for it
    (`delinquance`): a column per evaluated year, in place of the diagnostic's column of the same year if it has
    one. For a table of periods (« 2022-2023 »), an evaluated year is the period that ends in it, as long as the
    table's last. A row an evaluation does not give is missing that year; a comment on a figure is a note on it.

    The table gets `evaluees` (the columns from the evaluations) and `annee_manquante` (whether `year` has no
    figures yet): what the bilan's sentence says."""
    figures = {
        e["annee"]: entry
        for e in evaluations
        if e["annee"] <= year
        for entry in e.get("delinquance", [])
        if entry["tableau"] == table["id"]
    }
    seen = up_to(table, year)
    if seen is None and not figures:
        return None
    empty = [{**row, "valeurs": [], **({"taux": []} if "taux" in row else {})} for row in table["lignes"]]
    base = seen or {**table, "annees": [], "lignes": empty}
    last = table["annees"][-1]
    width = 0 if isinstance(last, int) else end_year(last) - int(last.partition("-")[0])
    label = {y: y if not width else f"{y - width}-{y}" for y in figures}
    kept = [i for i, column in enumerate(base["annees"]) if end_year(column) not in figures]
    columns = sorted([(end_year(base["annees"][i]), base["annees"][i], i) for i in kept] + [(y, label[y], None) for y in figures])
    lines = {y: {line["indicateur"]: line for line in figures[y]["lignes"]} for y in figures}

    def merged(values: list, name: str, key: str) -> list:
        return [values[i] if i is not None else lines[y].get(name, {}).get(key) for y, _, i in columns]

    rows = []
    for row in base["lignes"]:
        name = row["indicateur"]
        notes = [n for n in row.get("notes", []) if end_year(n["annee"]) not in figures]
        notes += [
            {"annee": label[y], "texte": lines[y][name]["commentaire"]}
            for y in figures
            if lines[y].get(name, {}).get("commentaire")
        ]
        new = {**row, "valeurs": merged(row["valeurs"], name, "valeur"), "notes": notes}
        if "taux" in row:
            new["taux"] = merged(row["taux"], name, "taux")
        rows.append(new)
    result = {**base, "annees": [column for _, column, _ in columns], "lignes": rows}
    if figures:
        result.pop("comparaison", None)  # the département's rates stop at the diagnostic's last year
    sources = [f"{label[y]} : {figures[y]['source']}" for y in sorted(figures) if figures[y].get("source")]
    if sources:
        result["source"] = " ; ".join(([table["source"]] if table.get("source") else []) + sources)
    result["evaluees"] = [label[y] for y in sorted(figures)]
    result["annee_manquante"] = end_year(result["annees"][-1]) < year
    return result


def has_secret(table: dict) -> bool:
    return any(isinstance(v, str) for row in table["lignes"] for v in [*row["valeurs"], *row.get("taux", [])])


def survey_row(answer: dict) -> list[str]:
    return [_esc(answer["modalite"]), fr.percent(answer["part"] / 100)]


def survey_caption(question: dict) -> str:
    """The question, with its base and whether several answers could be given: what its shares are a part of."""
    facts = ["plusieurs réponses possibles"] if question.get("reponses_multiples") else []
    facts += [f"base n = {fr.number(question['base'])}"] if "base" in question else []
    return _esc(question["question"]) + (f" ({', '.join(facts)})" if facts else "")


def profile_rows(survey: dict) -> list[list[str]]:
    """The respondents by criterion and value: their count and their share of all respondents, the criterion named
    on its first row only."""
    return [
        [
            f"**{_esc(p['critere'])}**" if i == 0 else "",
            _esc(c["modalite"]),
            fr.number(c["nombre"]),
            fr.percent(c["nombre"] / survey["echantillon"]),
        ]
        for p in survey.get("profils", [])
        for i, c in enumerate(p["effectifs"])
    ]


def survey_returns(survey: dict) -> str:
    """« 1 500 questionnaires diffusés, 640 retournés (taux de retour : 42,7 %) », or what of it is known."""
    sent, back = survey.get("questionnaires_diffuses"), survey.get("questionnaires_retournes")
    parts = [f"{fr.number(sent)} questionnaires diffusés"] if sent else []
    parts += [f"{fr.number(back)} {'retournés' if sent else 'questionnaires retournés'}"] if back else []
    rate = f" (taux de retour : {fr.percent(back / sent)})" if sent and back else ""
    return ", ".join(parts) + rate


def scheme_row(s: dict) -> list[str]:
    return [_esc(s["nom"]), _esc(s.get("porteur")), _esc(s.get("appreciation"))]


def body_row(i: dict, partners: list[dict]) -> list[str]:
    """An instance of the governance: its members named by their sigle (or name) when they are listed as partners,
    else the composition as written; who presides and who leads together, the axes it follows last."""
    by_id = {p["id"]: p for p in partners}
    # a semicolon between names that hold commas themselves (« Val Habitat, office public de l'habitat »)
    members = " ; ".join(_esc(by_id[m].get("sigle") or by_id[m]["nom"]) for m in i.get("membres", []) if m in by_id)
    lead = _esc(i.get("presidence"))
    if i.get("animation"):
        lead += f" ; animation : {inline(i['animation'])}"
    kind = BODY_TYPES[i["type"]].lower() if i.get("type") else ""
    name = _esc(i["nom"]) + (f" *({kind})*" if kind not in i["nom"].casefold() else "")  # not when the name says it
    axes = ", ".join(_esc(a) for a in i.get("axes", [])) or fr.MISSING
    return [name, lead, members or _esc(i.get("composition")), _esc(i.get("rythme")), axes]


def coordination_rows(post: dict) -> list[list[str]]:
    """The coordination post, one row per fact given."""
    rows = [["Fonction", _esc(post["fonction"])]]
    if post.get("rattachement"):
        rows.append(["Rattachement", _esc(post["rattachement"])])
    if post.get("etp"):
        rows.append(["Temps consacré", f"{fr.number(post['etp'], 2)}\u00a0ETP"])
    if post.get("missions"):
        rows.append(["Missions", " ; ".join(_esc(m) for m in post["missions"])])
    return rows


def scheme_link_row(link: dict) -> list[str]:
    """A scheme the strategy works with: its own name when given, else what it is."""
    return [_esc(link.get("nom") or SCHEMES[link["dispositif"]]), _esc(link["lien"])]


def calendar_row(step: dict, bodies: list[dict]) -> list[str]:
    """A step of the evaluation calendar: what, which year, when, before which instance, how."""
    names = {b["id"]: b["nom"] for b in bodies}
    when = fr.month(step["date"]) if step.get("date") else fr.MISSING
    return [
        EVALUATION_STEPS[step["type"]],
        str(step["annee"]),
        when,
        _esc(names.get(step.get("instance", ""))),
        _esc(step.get("modalites")),
    ]


def neighbourhood_row(q: dict) -> list[str]:
    return [_esc(q["nom"]), fr.number(q.get("population")), _esc(q.get("motif"))]


def identity_rows(f: dict) -> list[list[str]]:
    """The fiche's identity, one row per fact, dense enough that an ordinary fiche holds on one page: the axe and
    objective together, then the fiche's own aims in a row rather than a section (a heading costs a fiche's page
    more than a row), the funding's detail left to the funding table below."""
    schedule = f.get("calendrier") or {}
    means = f.get("moyens") or {}
    objectives = " ; ".join(f"{_esc(o['id'])} · {_esc(o['titre'])}" for o in f["objectifs_detail"])
    rows = [
        ["**Axe et objectif**", f"{_esc(f['axe']['id'])} · {_esc(f['axe']['titre'])} › {objectives}"],
        *(
            [["**Objectifs opérationnels**", " ; ".join(_esc(o) for o in f["objectifs_operationnels"])]]
            if f.get("objectifs_operationnels")
            else []
        ),
        ["**Pilote**", _esc(f["pilote_service"])],
        ["**Partenaires**", ", ".join(_esc(p["nom"]) for p in f["partenaires_detail"]) or fr.MISSING],
        ["**Public cible**", _capital(", ".join(_esc(p) for p in f.get("public", []))) or fr.MISSING],
        ["**Territoire**", _territory(f)],
        ["**Calendrier**", _span(schedule.get("debut"), schedule.get("fin"))],
        ["**Budget**", fr.euros(means.get("budget"))],
    ]
    kinds = [
        ("humains", _staff(f, means.get("humains"))),
        ("matériels", _esc(means.get("materiels")) if means.get("materiels") else ""),
    ]
    if any(text for _, text in kinds):
        rows.append(["**Moyens**", " ; ".join(_capital(f"{label} : {text}") for label, text in kinds if text)])
    by_frame: dict[str, list[str]] = {}
    for m in f["mesures_detail"]:
        label = f"Axe {m['axe']}" + (f", mesure {m['mesure']}" if m["mesure"] else "")
        by_frame.setdefault(m["strategie_court"], []).append(label + (f" : {m['mesure_titre']}" if m["mesure_titre"] else ""))
    # a row per frame, named by its short title, its measures one after the other: the fiche's page holds no
    # repeated heading
    rows += [[f"**{_esc(frame)}**", " ; ".join(_esc(label) for label in labels)] for frame, labels in by_frame.items()]
    return rows


def _staff(f: dict, text: str | None) -> str:
    """The posts' total (of two or more), then each post (function, structure, FTE), then what the free text adds."""
    etp = "\u00a0ETP"  # kept on its number's line
    posts = [
        f"{_esc(p['fonction'])}, {_esc(p['structure_court'])}, {fr.number(p['etp'], 2)}{etp}" for p in f["personnels_detail"]
    ]
    total = f"{fr.number(f['etp'], 2)}{etp} — " if len(posts) > 1 else ""  # one post is its own total
    parts = [total + " ; ".join(posts)] if posts else []
    return " ; ".join(parts + ([_esc(text)] if text else []))


def _span(first: int | str | None, last: int | str | None) -> str:
    """« 2024–2028 », « septembre 2024 – juin 2026 » (a span with a month has spaces around its dash)."""
    if isinstance(first, int) and isinstance(last, int):
        return fr.years(first, last)
    if first and last:
        return f"{_bound(first)} \u2013 {_bound(last)}"
    return f"à partir de {_bound(first)}" if first else f"jusqu'en {_bound(last)}" if last else fr.MISSING


def _bound(value: int | str) -> str:
    return fr.month(value) if isinstance(value, str) else str(value)


def _short_bound(value: int | str | None) -> str:
    """A start or an end in a narrow column: « 2024 », « 09/2024 »."""
    if value is None:
        return fr.MISSING
    return f"{value[5:7]}/{value[:4]}" if isinstance(value, str) else str(value)


def _territory(f: dict) -> str:
    """The fiche's territory and its priority neighbourhoods, each named once: a neighbourhood the territory's text
    already names is given by its code only."""
    text = f.get("territoire") or ""
    named = [q for q in f["qpv_detail"] if q["nom"].casefold() in text.casefold()]
    others = [q for q in f["qpv_detail"] if q not in named]
    parts = [_esc(text)] if text else []
    if named:
        parts[-1] += " (QPV " + ", ".join(_esc(q["code"]) for q in named) + ")"
    parts += [f"{_esc(q['nom'])} (QPV {_esc(q['code'])})" for q in others]
    return _capital(" ; ".join(parts)) or fr.MISSING


def funding_row(line: FundingLine) -> list[str]:
    """A funding line and its total over its years: an annual line says its amount each year and how many years."""
    if line["source"] == "autre":  # the town's own funder: its name is the source
        source = line.get("precision", FUNDING_SOURCES["autre"])
    else:
        source = FUNDING_SOURCES[line["source"]] + (f" ({line['precision']})" if line.get("precision") else "")
    years = line["annees_detail"]
    if line.get("recurrence") == "annuelle":
        when = f", {fr.euros(line['montant'])} par an sur {fr.counted(len(years), 'an')} ({_years_list(years)})"
    else:
        when = f" ({line['annee']})" if line.get("annee") else ""
    return [_esc(_capital(source)) + when, fr.euros(line["total"]), _capital(FUNDING_STATUS[line.get("statut", "prevu")])]


def _years_list(years: list[int]) -> str:
    """2024–2028 when the years follow each other, else 2024, 2026."""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return fr.years(years[0], years[-1])
    return ", ".join(map(str, years))


def indicator_row(i: Indicator) -> list[str]:
    return [
        _capital(INDICATOR_TYPES[i["type"]]),
        _esc(compute.label(i)) + (f" *({_esc(i['commentaire'])})*" if i.get("commentaire") else ""),
        _dated(i.get("reference"), i.get("unite")),
        _dated(i.get("cible"), i.get("unite")),
        _esc(_capital(" ; ".join(part for part in (i.get("source"), compute.schedule(i)) if part))),  # where from, how often
    ]


def axe_column(axe: dict) -> str:
    return f"Axe {_esc(axe['id'])}"


def staffing_rows(staffing: Staffing) -> list[list[str]]:
    """The full-time equivalents per structure and axe, and their totals; an axe where a structure has none is blank."""
    rows = [
        [_esc(row["structure"]), *(fr.number(etp, 2) if etp else "" for etp in row["etp"]), fr.number(row["total"], 2)]
        for row in staffing["lignes"]
    ]
    return rows + [
        ["**Total**", *(f"**{fr.number(etp, 2)}**" for etp in staffing["axes"]), f"**{fr.number(staffing['total'], 2)}**"]
    ]


def revision_row(revision: dict) -> list[str]:
    """A revision in the document's history: its date, who decided, what, and what it changed."""
    changes = []
    if revision.get("prolongation"):
        extension = revision["prolongation"]
        changes.append(f"période prolongée de {extension['de']} à {extension['a']}")
    for key, label in (("fiches_ajoutees", "ajoutée"), ("fiches_abandonnees", "abandonnée")):
        fiches = revision.get(key) or []
        if fiches:
            changes.append(f"{fr.agreed('fiche ' + label, len(fiches))} : {', '.join(_esc(f) for f in fiches)}")
    for merge in revision.get("fusions") or []:
        changes.append(f"fiches {', '.join(_esc(f) for f in merge['fiches'])} réunies en {_esc(merge['en'])}")
    decided = _esc(revision["instance"]) + (
        f" (délibération {_esc(revision['deliberation'])})" if revision.get("deliberation") else ""
    )
    return [fr.date(revision["date"]), decided, _esc(revision["objet"]), _capital(" ; ".join(changes)) or fr.MISSING]


def signature_table(signatories: list[dict], signing: dict | None = None) -> str:
    """The signature page: each signatory's role and institution, and the place for the date and the signature,
    the place and date already written when strategie.yaml knows them."""
    signing = signing or {}
    place = inline(signing["lieu"]) if signing.get("lieu") else "………………………………………"
    day = fr.date(signing["date"]) if signing.get("date") else "………………………………………"
    space = [f"Fait à {place}", f"le {day}", "", "", ""]
    return grid_table(["Signataire", "Date et signature"], [45, 55], [[_signatory(s), space] for s in signatories])


def _signatory(s: dict) -> list[str]:
    """The role in bold, then the institution unless the role already names it (« Le Directeur général de Val
    Habitat » for « Val Habitat, office public de l'habitat »)."""
    institution = s["institution"]
    if not s.get("qualite"):
        return [f"**{_esc(institution)}**"]
    named = institution.split(",")[0].strip().casefold() in s["qualite"].casefold()
    return [f"**{_esc(s['qualite'])}**"] + ([] if named else [_esc(institution)])


def glossary_row(entry: tuple[str, str]) -> list[str]:
    return [f"**{_esc(entry[0])}**", _esc(entry[1])]


def partner_row(p: dict) -> list[str]:
    return [_esc(p["nom"]), _esc(p.get("sigle")), PARTNER_TYPES[p["type"]]]


def alignment_heading(frames: list[dict]) -> str:
    """The annex's title: the national strategy, when it is the only frame the strategy follows."""
    kinds = {frame["type"] for frame in frames}
    if kinds == {"national"}:
        return "Articulation avec la stratégie nationale" if len(frames) == 1 else "Articulation avec les stratégies nationales"
    return "Articulation avec les stratégies et plans de référence"


# An axe of a frame, named apart from the strategy's own axes
_FRAME_AXE = {"national": "Axe national", "departemental": "Axe départemental"}


def alignment_groups(frame: dict) -> list[dict]:
    """A frame's part of the annex, one group per axe: its heading, then a row per measure with the local axes,
    objectives and fiches that serve it."""
    groups: dict[int, dict] = {}
    word = _FRAME_AXE.get(frame["type"], "Axe")
    for a in frame["lignes"]:  # sorted by axe and measure (model/strategy.py)
        group = groups.setdefault(a["axe"], {"titre": _esc(f"{word} {a['axe']} · {a['axe_titre']}"), "lignes": []})
        measure = f"Mesure {a['mesure']}" + (f" : {a['mesure_titre']}" if a["mesure_titre"] else "") if a["mesure"] else None
        # « Fiche 4.3.1 » on one line: a narrow cell would otherwise leave the number alone on the next
        elements = ", ".join(_esc(e).replace(" ", "\u00a0") for e in a["elements"])
        group["lignes"].append([_esc(measure or "L'axe dans son ensemble"), elements])
    return list(groups.values())


def uncovered_axes(frame: dict) -> str:
    """The sentence on the frame's axes that no local axe, objective or fiche answers."""
    missing = frame["axes_non_couverts"]
    if not missing:
        return f"Chacun de ses {fr.number(frame['nombre_axes'])} axes a au moins une déclinaison locale."
    listed = " ; ".join(_esc(f"axe {a['numero']} · {a['titre']}") for a in missing)
    return f"{'Son axe' if len(missing) == 1 else 'Ses axes'} sans déclinaison locale : {listed}."


def etat_libelle(state: str) -> str:
    return STATE_LABELS[state]


def synthesis_row(row: dict, states: list[str]) -> list[str]:
    mean = row["atteinte"]
    return [
        _esc(f"{row['axe']['id']} · {row['axe']['titre']}"),
        *(str(row["etats"].get(s, 0)) for s in states),
        str(row["fiches"]),
        fr.percent(mean) if mean is not None else fr.MISSING,
    ]


def out_of_counts(counts: dict[str, int], averages: bool = True) -> str:
    """« Hors des comptes et des moyennes : 2 indicateurs « fiche abandonnée » ; … »: the indicators no value was
    expected of (compute.NOT_EXPECTED), said apart in the yearly bilan and the bilan of the period alike."""
    if not counts:
        return ""
    listed = " ; ".join(f"{fr.counted(n, 'indicateur')} « {words} »" for words, n in counts.items())
    return f"Hors des comptes{' et des moyennes' if averages else ''} : {listed}."  # spaces: see typography()


def suite(step: str) -> str:
    return NEXT_STEPS[step]


def change_rows(changes: list[dict]) -> list[list[str]]:
    """« Ce qui a changé »: a row per état or verdict that moved (what, before, after), the fiche named on its
    first row only."""
    rows = []
    for change in changes:
        moved = [("État d'avancement", change["avant"], change["apres"])] if change["etat_change"] else []
        moved += change["verdicts"]
        fiche = _esc(f"{change['fiche']['id']} · {change['fiche']['titre']}")
        rows += [
            [fiche if k == 0 else "", _esc(what), _esc(before), _esc(after)] for k, (what, before, after) in enumerate(moved)
        ]
    return rows


def trajectory_row(trajectory: dict) -> list[str]:
    """The bilan of the period: a fiche and its état each year."""
    fiche = trajectory["fiche"]
    return [_esc(fiche["id"]), _esc(fiche["titre"]), *(STATE_LABELS[state] for state in trajectory["etats"])]


def year_states_row(row: dict, states: list[str]) -> list[str]:
    """The bilan of the period: a year's fiches per état and the share deployed."""
    return [str(row["annee"]), *(str(row["etats"].get(s, 0)) for s in states), fr.percent(row["deployees"])]


def outcome_row(outcome) -> list[str]:
    """The bilan of the period: an indicator's baseline, target, last value (its year) and how far it went."""
    indicator = outcome.indicator
    unit = indicator.get("unite")
    measured: DatedValue | None = {"valeur": outcome.value, "annee": outcome.year} if outcome.year is not None else None
    last = _dated(measured, unit, narrow=True)
    return [
        _esc(outcome.fiche["id"]),
        _esc(compute.label(indicator)),
        _dated(indicator.get("reference"), unit, narrow=True),
        _dated(indicator.get("cible"), unit, narrow=True),
        last,
        fr.percent(outcome.attainment, digits=0),
        compute.VERDICTS[outcome.verdict],
    ]


# The bilan's short grid: the columns of the evaluation grid it keeps, in its order.
_SHORT_GRID = (
    "N° fiche",
    "Fiche action",
    "État d'avancement",
    "Indicateur",
    "Référence",
    "Cible",
    "Valeur N-1",
    "Valeur N",
    "Verdict",
)


def grid_rows(grid) -> list[list[str]]:
    """The bilan's short grid: identity, values and verdict of each indicator."""
    titles = [column.title for column in COLUMNS]
    picked = [titles.index(title) for title in _SHORT_GRID]
    return [[_esc(row[i]) if isinstance(row[i], str) else fr.number(row[i]) for i in picked] for row in grid.rows]


# The filters the templates know, by the name they use.
FILTERS = {
    "qpv_row": qpv_row,
    "summary_rows": summary_rows,
    "interview_row": interview_row,
    "stat_row": stat_row,
    "stat_rows": stat_rows,
    "stat_notes": stat_notes,
    "rate_row": rate_row,
    "reference_rows": reference_rows,
    "revision_row": revision_row,
    "has_secret": has_secret,
    "up_to": up_to,
    "recorded_delinquency": recorded_delinquency,
    "listing": fr.listing,
    "survey_row": survey_row,
    "survey_caption": survey_caption,
    "profile_rows": profile_rows,
    "survey_returns": survey_returns,
    "scheme_row": scheme_row,
    "body_row": body_row,
    "coordination_rows": coordination_rows,
    "scheme_link_row": scheme_link_row,
    "calendar_row": calendar_row,
    "neighbourhood_row": neighbourhood_row,
    "identity_rows": identity_rows,
    "funding_row": funding_row,
    "indicator_row": indicator_row,
    "axe_column": axe_column,
    "staffing_rows": staffing_rows,
    "glossary_row": glossary_row,
    "partner_row": partner_row,
    "alignment_heading": alignment_heading,
    "alignment_groups": alignment_groups,
    "uncovered_axes": uncovered_axes,
    "etat_libelle": etat_libelle,
    "synthesis_row": synthesis_row,
    "suite": suite,
    "out_of_counts": out_of_counts,
    "grid_rows": grid_rows,
    "change_rows": change_rows,
    "trajectory_row": trajectory_row,
    "year_states_row": year_states_row,
    "outcome_row": outcome_row,
}
