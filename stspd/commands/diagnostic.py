"""`stspd diagnostic import-ssmsi`: the recorded delinquency of the SSMSI's open data written into the project, as
diagnostic/ssmsi.yaml (a part of the diagnostic that stspd owns: a new import replaces its figures and keeps what the
town wrote in it, the rows' and the table's comments)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from stspd import fr
from stspd.commands.errors import InvalidProject, Misuse, Refused
from stspd.exchange import ssmsi
from stspd.os_errors import describe
from stspd.output.atomic import write_bytes

TARGET = Path("diagnostic") / "ssmsi.yaml"
MODELINE = "# yaml-language-server: $schema=../schemas/diagnostic.schema.json\n"  # where `stspd init` puts the schemas
HEADER = """\
# Délinquance enregistrée par la police et la gendarmerie nationales (SSMSI), écrite par
# « stspd diagnostic import-ssmsi ». Un nouvel import en remplace les chiffres ; les commentaires
# (« commentaire: » d'une ligne ou du tableau) sont conservés. « secret » : chiffre non diffusé (secret statistique).
"""


@dataclass(frozen=True)
class Imported:
    target: Path
    changes: list[str]
    existed: bool
    written: bool
    places: list[str]
    block: str | None = None  # in an evaluation: what the import writes there (the diagnostic's file: None)
    warnings: list[str] = field(default_factory=list)  # what was read, but may not be what was meant
    note: str | None = None  # what was read, when the project does not say what to expect


def import_ssmsi(
    root: Path, source: Path, codes: list[str], department_file: Path | None, dry_run: bool, force: bool
) -> Imported:
    """Read `source` for the communes `codes` (an EPCI's: summed), and the département's rates from `department_file`."""
    codes = _codes(codes)
    extract = _extract(source, codes)
    territory = _Territory.of(root)
    warnings = territory.warnings(codes)
    comparison = None
    if department_file is not None:
        departments = list(dict.fromkeys(_department(code) for code in codes))
        department = departments[0]
        if len(departments) > 1:
            warnings.append(
                f"les communes sont de {len(departments)} départements ({', '.join(departments)}) : leurs chiffres "
                f"additionnés sont mis en regard du seul département {department}, celui de la première commune"
            )
        other = _read(department_file, {department}, ssmsi.DEPARTMENTS)
        if department not in other.found:
            raise Refused(str(department_file), [f"aucune ligne pour le département {department}"])
        comparison = (department, other)
    target = root / TARGET
    old = _old(target)
    table = _table(territory.place(codes), source, codes, extract, comparison, old)
    changes = _changes(old, table)
    existed = target.exists()
    written = bool(changes) and not dry_run and (force or not existed)
    if written:
        write_bytes(target, (_modeline(target) + HEADER + _yaml({"statistiques": [table]})).encode("utf-8"))
    return Imported(target, changes, existed, written, codes, warnings=warnings, note=territory.note(codes))


def _department(code: str) -> str:
    """The département of a commune's INSEE code: 3 characters overseas (971…), else 2 (45, 2A)."""
    return code[:3] if code.startswith("97") else code[:2]


@dataclass(frozen=True)
class _Territory:
    """The project's territory as strategie.yaml names it: the table's title says it only of its own communes."""

    name: str | None
    kind: str | None
    code: str | None  # a commune's INSEE code, or an EPCI's SIREN

    @classmethod
    def of(cls, root: Path) -> _Territory:
        try:
            strategy = yaml.safe_load((root / "strategie.yaml").read_text(encoding="utf-8")) or {}
            territory = strategy.get("territoire") or {}
            return cls(*(str(territory[k]) if territory.get(k) else None for k in ("nom", "type", "code_insee")))
        except (OSError, yaml.YAMLError, AttributeError):  # the validation says what is wrong with the file
            return cls(None, None, None)

    def known(self, codes: list[str]) -> bool | None:
        """Whether `codes` are the project's commune; None when strategie.yaml does not say (an EPCI's SIREN
        names no commune)."""
        if self.kind != "commune" or not self.code:
            return None
        return codes == [self.code]

    def warnings(self, codes: list[str]) -> list[str]:
        if self.known(codes) is not False:
            return []
        read = f"commune lue : {codes[0]}" if len(codes) == 1 else f"communes lues : {', '.join(codes)}"
        said = f"{read}, mais le territoire de strategie.yaml est {self.name} (code_insee {self.code}) : "
        return [said + f"le titre du tableau nomme donc {self.place(codes)[2:]}, pas {self.name} ; vérifiez --commune"]

    def note(self, codes: list[str]) -> str | None:
        """What was read, said when strategie.yaml gives no commune's code to compare it with."""
        if self.known(codes) is not None:
            return None
        read = f"Commune lue : {codes[0]}" if len(codes) == 1 else f"Communes lues : {', '.join(codes)}"
        return f"{read} (strategie.yaml ne donne pas le code INSEE d'une commune à comparer)."

    def place(self, codes: list[str]) -> str:
        """Where the table's figures are, for its title: « à Valmont-sur-Loire », « à la commune 45001 »."""
        if self.known(codes) is False:
            return f"à la commune {codes[0]}" if len(codes) == 1 else f"aux communes {', '.join(codes)}"
        name = self.name or "la commune"
        return f"à {name}" if len(codes) == 1 else f"à {name} ({len(codes)} communes)"


def _codes(codes: list[str]) -> list[str]:
    codes = [code.strip().upper() for code in codes]
    bad = [code for code in codes if not re.fullmatch(r"\d[0-9AB]\d{3}", code)]
    if bad:
        raise Misuse(f"code commune « {bad[0]} » : 5 caractères attendus, le code INSEE de la commune (ex. 45234, 2A004)")
    return codes


def _extract(source: Path, codes: list[str]) -> ssmsi.Extract:
    """The file's rows for the communes `codes`, each of which it must name."""
    extract = _read(source, set(codes))
    missing = [code for code in codes if code not in extract.found]
    if missing:
        raise Refused(str(source), [f"aucune ligne pour {', '.join(missing)} : vérifiez le code INSEE de la commune"])
    return extract


def import_ssmsi_year(root: Path, source: Path, codes: list[str], year: int, dry_run: bool, force: bool) -> Imported:
    """Write the year's figures of the communes `codes`, read in `source`, into evaluations/`year`.yaml: its
    `delinquance` entry for the diagnostic's SSMSI table (the other entries and the rest of the file as they were;
    each row's comment kept). The diagnostic is not touched: the adopted strategy's document does not change."""
    from stspd.check.validation import validate_project
    from stspd.exchange.evaluation_file import check, with_block

    codes = _codes(codes)
    project, problems = validate_project(root)
    if problems:
        raise InvalidProject(problems)
    document = next((d for d in project.evaluations if d.data.get("annee") == year), None)
    if document is None:
        raise Misuse(
            f"--evaluation {year} : evaluations/{year}.yaml n'existe pas ; les chiffres d'une année s'écrivent dans son "
            f"évaluation : créez-la d'abord (stspd grid template --annee {year}, puis stspd grid import)"
        )
    table = _ssmsi_table(project)
    if sorted(table.get("origine", {}).get("codes") or []) != sorted(codes):
        known = ", ".join(table["origine"].get("codes") or [])
        raise Misuse(
            f"--commune {', '.join(codes)} : le tableau « {table['id']} » du diagnostic est celui de {known} ; "
            "donnez les mêmes communes, pour que l'année continue sa série"
        )
    extract = _extract(source, codes)
    if year not in extract.years:
        span = fr.years(extract.years[0], extract.years[-1]) if extract.years else "aucune"
        raise Refused(
            str(source),
            [
                f"pas de chiffres de {year} dans ce fichier (ses années : {span}) : une année paraît dans l'édition suivante de la base"
            ],
        )
    entries = [dict(e) for e in document.data.get("delinquance") or []]
    old = next((e for e in entries if e.get("tableau") == table["id"]), None)
    entry = _year_entry(table, source, extract, codes, year, old or {})
    if old is None:
        entries.append(entry)
    else:
        entries[entries.index(old)] = entry
    text = with_block(document, "delinquance", entries)
    found = check(project, text, document.path)
    if found:
        raise Refused(str(document.path), [message for _, message in found])
    changes = _year_changes(old, entry, year)
    written = bool(changes) and not dry_run and (force or old is None)
    if written:
        write_bytes(document.path, text.encode("utf-8"))
    return Imported(
        document.path, changes, old is not None, written, codes, f"les chiffres de {year} du tableau « {table['id']} »"
    )


def _ssmsi_table(project) -> dict:
    """The diagnostic's table written by the import (`origine`), whose series an evaluation's year continues."""
    for doc in project.diagnostics:
        for table in doc.data.get("statistiques") or []:
            if table.get("origine"):
                return table
    raise Misuse(
        "le diagnostic n'a pas de tableau importé du SSMSI : importez d'abord sa série "
        "(stspd diagnostic import-ssmsi FICHIER --commune CODE), l'évaluation en donne ensuite chaque année"
    )


def _year_entry(table: dict, source: Path, extract: ssmsi.Extract, codes: list[str], year: int, old: dict) -> dict:
    """The `delinquance` entry of `year`: a line per row of the diagnostic's table that the file gives, in its order."""
    places = len(codes)
    kept = {line.get("indicateur"): line.get("commentaire") for line in old.get("lignes") or []}
    lines = []
    for row in table["lignes"]:
        series = extract.series.get(row["indicateur"])
        if series is None:
            continue
        line: dict = {"indicateur": series.indicator, "valeur": _plain(series.count(year, places))}
        line["taux"] = _plain(series.rate(year, places))
        if kept.get(series.indicator):
            line["commentaire"] = kept[series.indicator]
        lines.append(line)
    source_text = f"SSMSI, base statistique communale de la délinquance enregistrée, {_edition(extract)} ({source.name})"
    return {"tableau": table["id"], "source": source_text, "lignes": lines}


def _plain(value: float | str | None) -> float | str | None:
    """A whole number written as one (11, not 11.0: what the schemas' integers and the fast check expect)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _year_changes(old: dict | None, new: dict, year: int) -> list[str]:
    """What the import changes in the evaluation, in words: each figure of the year that differs."""
    if old is None:
        return [f"{fr.counted(len(new['lignes']), 'indicateur')} en {year} (tableau « {new['tableau']} »)"]
    before = {line.get("indicateur"): line.get("valeur", "absent") for line in old.get("lignes") or []}
    changes = [
        f"{line['indicateur']}, {year} : {_said(before.get(line['indicateur'], 'absent'))} → {_said(line['valeur'])}"
        for line in new["lignes"]
        if before.get(line["indicateur"], "absent") != line["valeur"]
    ]
    kept = {line["indicateur"] for line in new["lignes"]}
    changes += [f"{name} : absent du fichier, retiré" for name in before if name not in kept]
    if not changes and _yaml(old) != _yaml(new):
        changes.append("mêmes nombres ; taux ou source mis à jour")
    return changes


def _modeline(target: Path) -> str:
    """The previous file's schema line (the town may have pointed it elsewhere), else the one `init` writes."""
    if target.is_file():
        first = target.read_text(encoding="utf-8").partition("\n")[0]
        if first.startswith("# yaml-language-server:"):
            return first + "\n"
    return MODELINE


def _read(path: Path, codes: set[str], wanted: str = ssmsi.COMMUNES) -> ssmsi.Extract:
    try:
        return ssmsi.read(ssmsi.stream(path), codes, wanted)
    except ssmsi.SsmsiError as error:
        raise Refused(str(path), [str(error)]) from None
    except OSError as error:  # the system's refusal (a cut archive, a text not UTF-8: SsmsiError, by its line)
        raise Refused(str(path), [f"fichier illisible : {describe(error)}"]) from None


def _old(target: Path) -> dict:
    """The table an earlier import wrote, or an empty one."""
    if not target.is_file():
        return {}
    try:
        tables = (yaml.safe_load(target.read_text(encoding="utf-8")) or {}).get("statistiques") or [{}]
    except yaml.YAMLError as error:
        raise Refused(str(target), [f"YAML illisible ({error}) : corrigez-le ou supprimez-le avant l'import"]) from None
    return tables[0] if isinstance(tables[0], dict) else {}


def _table(place: str, source: Path, codes: list[str], extract: ssmsi.Extract, comparison, old: dict) -> dict:
    years, places = extract.years, len(codes)
    kept = {row.get("indicateur"): row.get("commentaire") for row in old.get("lignes") or [] if isinstance(row, dict)}
    rows = []
    for series in extract.series.values():
        row: dict = {"indicateur": series.indicator, "unite": series.unit}
        row["valeurs"] = [series.count(year, places) for year in years]
        row["taux"] = [series.rate(year, places) for year in years]
        if series.indicator == ssmsi.DWELLINGS:
            row["base_taux"] = "logements"
        if kept.get(series.indicator):
            row["commentaire"] = kept[series.indicator]
        rows.append(row)
    inhabitants = next((s for s in extract.series.values() if s.indicator != ssmsi.DWELLINGS), None)
    dwellings = extract.series.get(ssmsi.DWELLINGS)
    table: dict = {
        "id": "ssmsi-import",
        "titre": f"Délinquance enregistrée par la police et la gendarmerie nationales {place}",
        "source": f"SSMSI, base statistique communale de la délinquance enregistrée, {_edition(extract)}",
        "unite": "nombre, dans l'unité de compte de chaque indicateur",
        "annees": years,
        "populations": [_whole(inhabitants.base(y, places)) if inhabitants else None for y in years],
        "logements": [_whole(dwellings.base(y, places)) if dwellings else None for y in years],
        "origine": {"fichier": source.name, "edition": _edition(extract), "codes": codes},
        "lignes": rows,
    }
    if comparison:
        department, other = comparison
        table["comparaison"] = {
            "territoire": f"département {department}",
            "lignes": [{"indicateur": s.indicator, "taux": [s.rate(y, 1) for y in years]} for s in other.series.values()],
        }
    if old.get("commentaire"):
        table["commentaire"] = old["commentaire"]
    return table


def _edition(extract: ssmsi.Extract) -> str:
    return f"séries {extract.years[0]}-{extract.years[-1]}" if extract.years else "sans données"


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


def _changes(old: dict, new: dict) -> list[str]:
    """What the import changes, in words: each figure that differs, each indicator or year that appears."""
    if not old:
        return [
            f"{len(new['lignes'])} indicateurs sur {len(new['annees'])} années ({fr.years(new['annees'][0], new['annees'][-1])})"
        ]
    before = {
        (row.get("indicateur"), year): value
        for row in old.get("lignes") or []
        if isinstance(row, dict)
        for year, value in zip(old.get("annees") or [], row.get("valeurs") or [], strict=False)
    }
    changes = []
    for row in new["lignes"]:
        for year, value in zip(new["annees"], row["valeurs"], strict=True):
            previous = before.get((row["indicateur"], year), "absent")
            if previous != value:
                changes.append(f"{row['indicateur']}, {year} : {_said(previous)} → {_said(value)}")
    if old.get("comparaison") and not new.get("comparaison"):
        changes.append(f"comparaison avec le {old['comparaison'].get('territoire')} retirée (redonnez --departement FICHIER)")
    kept = {row["indicateur"] for row in new["lignes"]}
    changes += [f"{name} : absent du fichier, retiré" for name in dict.fromkeys(k for k, _ in before) if name not in kept]
    if not changes and _yaml(old) != _yaml(new):
        changes.append("mêmes nombres ; taux, populations ou source mis à jour")
    return changes


def _said(value: object) -> str:
    if value == "absent":
        return "absent"
    if value is None:
        return fr.MISSING
    return "secret" if value == ssmsi.SECRET else fr.number(value, 2)  # type: ignore[arg-type]


def _yaml(data: object, indent: int = 0) -> str:
    """Block YAML with lists of figures on one line: stable, readable, diffable by line in git."""
    pad = " " * indent
    if isinstance(data, dict):
        lines = []
        for key, value in data.items():
            if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
                lines.append(f"{pad}{key}: [{', '.join(_scalar(v) for v in value)}]\n")
            elif isinstance(value, (dict, list)):
                lines.append(f"{pad}{key}:\n{_yaml(value, indent + 2)}")
            else:
                lines.append(f"{pad}{key}: {_scalar(value)}\n")
        return "".join(lines)
    if isinstance(data, list):
        out = []
        for item in data:
            body = _yaml(item, indent + 2)
            out.append(f"{pad}- {body[indent + 2 :]}")
        return "".join(out)
    return f"{pad}{_scalar(data)}\n"


def _scalar(value: object) -> str:
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML string
