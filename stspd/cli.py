"""The `stspd` command: one function per sub-command, the work done in the modules they call."""

from __future__ import annotations

import re
import signal
import sys
from pathlib import Path

import click

from . import __version__

EXIT_INVALID = 1
EXIT_MISUSE = 2


class Misuse(click.ClickException):
    """A mistake in how the command was called (exit 2), said in French."""

    exit_code = EXIT_MISUSE

    def show(self, file=None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True)


EXIT_INTERRUPTED = 130  # the shell's convention for a command ended by Ctrl-C (128 + SIGINT)


def entry() -> None:
    """The `stspd` command: click's work, with the ways out said in French. Ctrl-C and SIGTERM end the command
    through the same path (the converters killed, their files removed), and a file the system refuses to read or
    write is an error, not a traceback."""
    from .stamp import BadSetting

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        main.main(standalone_mode=False)
    except BadSetting as error:
        Misuse(str(error)).show()
        sys.exit(EXIT_MISUSE)
    except click.exceptions.Abort:  # click's name for a Ctrl-C
        click.echo("Interrompu : rien n'a été écrit.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except OSError as error:
        from .os_errors import describe

        click.echo(f"Erreur : {describe(error)}", err=True)
        sys.exit(EXIT_INVALID)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # click turns it into Abort, and every `finally` on the way runs


PROJECT = click.argument("projet", type=click.Path(path_type=Path, file_okay=False), default=".", metavar="PROJET")
TEMPLATES = click.option(
    "--templates",
    "templates_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    metavar="DOSSIER",
    help="Modèles de la commune, qui remplacent ceux de stspd du même nom (voir « stspd templates export »).",
)


def _formats_option(default: str, listed: str):
    return click.option(
        "--format",
        "formats",
        default=default,
        show_default=True,
        metavar="LISTE",
        help=f"Formats séparés par des virgules : {listed}.",
    )


def _output_option(what: str):
    return click.option(
        "--output",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("dist"),
        show_default=True,
        metavar="DOSSIER",
        help=f"Dossier où écrire {what}",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="stspd")
def main() -> None:
    """Écrire, valider et publier une stratégie territoriale de sécurité et de prévention de la délinquance.

    Un projet est un dossier : strategie.yaml, diagnostic.yaml, actions/*.yaml (une fiche action par
    fichier) et evaluations/AAAA.yaml. Commencez par « stspd init » ou par l'exemple fourni.
    """


@main.command()
@click.argument("dossier", type=click.Path(path_type=Path, file_okay=False))
@click.option("--territoire", required=True, help="Nom de la commune ou de l'intercommunalité, ex. « Villeneuve-sur-Lot ».")
@click.option("--periode", required=True, metavar="AAAA-AAAA", help="Première et dernière année de la stratégie, ex. 2025-2030.")
@click.option(
    "--type",
    "kind",
    type=click.Choice(["commune", "epci"]),
    default="commune",
    show_default=True,
    help="Commune (CLSPD) ou intercommunalité (CISPD).",
)
def init(dossier: Path, territoire: str, periode: str, kind: str) -> None:
    """Créer un nouveau projet dans DOSSIER (nouveau ou vide), prêt à valider."""
    from .scaffold import create_project

    match = re.fullmatch(r"\s*(\d{4})\s*[-–/]\s*(\d{4})\s*", periode)
    if not match or int(match.group(1)) > int(match.group(2)):
        raise Misuse(f"--periode attend deux années dans l'ordre, ex. 2025-2030 (reçu « {periode} »)")
    if dossier.exists() and (not dossier.is_dir() or any(dossier.iterdir())):
        raise Misuse(f"« {dossier} » existe et n'est pas vide : stspd init ne remplace aucun fichier")
    written = create_project(dossier, territoire=territoire, debut=int(match.group(1)), fin=int(match.group(2)), kind=kind)
    click.echo(f"Projet créé dans {dossier} ({len(written)} fichiers). Étape suivante : stspd validate {dossier}")


@main.command()
@PROJECT
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text pour lire, json pour un outil, github pour des annotations dans une CI GitHub.",
)
def validate(projet: Path, fmt: str) -> None:
    """Vérifier PROJET (par défaut le dossier courant) : schémas, identifiants, références, années, montants.

    Code de sortie : 0 valide, 1 données invalides, 2 mauvaise utilisation.
    """
    from .project import NotAProject
    from .report import render
    from .validate import validate_project

    try:
        project, problems = validate_project(projet)
    except NotAProject as error:
        raise Misuse(str(error)) from None
    click.echo(render(problems, fmt, _summary(project, problems)), nl=False)
    sys.exit(EXIT_INVALID if problems else 0)


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number < 2 else plural}"


def _summary(project, problems) -> str:
    if problems:
        files = len({p.file for p in problems})
        return f"{_count(len(problems), 'erreur', 'erreurs')} dans {_count(files, 'fichier', 'fichiers')} : le projet n'est pas valide."
    data = project.strategie.data
    objectives = sum(len(axe["objectifs"]) for axe in data["axes"])
    years = ", ".join(str(doc.data["annee"]) for doc in project.evaluations)
    evaluations = f", {_count(len(project.evaluations), 'évaluation', 'évaluations')} ({years})" if years else ""
    return (
        f"Projet valide : {_count(len(data['axes']), 'axe', 'axes')}, {_count(objectives, 'objectif', 'objectifs')}, "
        f"{_count(len(project.fiches), 'fiche action', 'fiches actions')}{evaluations}."
    )


@main.command()
@click.argument("nom", required=False, metavar="[NOM]")
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DOSSIER",
    help="Écrire tous les schémas dans DOSSIER (pour l'éditeur) au lieu d'en afficher un.",
)
def schema(nom: str | None, output: Path | None) -> None:
    """Afficher le schéma JSON NOM (strategie, diagnostic, fiche, evaluation, commun), ou les lister."""
    from . import schemas
    from .scaffold import write_schemas

    if output is not None:
        for path in write_schemas(output):
            click.echo(path)
        return
    if nom is None:
        for name in schemas.names():
            click.echo(f"{name:<12} {schemas.load(name)['title']}")
        return
    if nom not in schemas.names():
        raise Misuse(f"schéma inconnu « {nom} » ; schémas : {', '.join(schemas.names())}")
    click.echo(schemas.schema_path(nom).read_text(encoding="utf-8"), nl=False)


@main.command()
@PROJECT
@_formats_option("docx", "docx, odt, pdf, html, md")
@_output_option("strategie.docx, strategie.pdf…")
@TEMPLATES
def build(projet: Path, formats: str, output: Path, templates_dir: Path | None) -> None:
    """Produire le document de la stratégie de PROJET (DOCX, ODT, PDF, HTML, Markdown).

    Les données sont d'abord validées : s'il y a une erreur, rien n'est écrit. Un fichier existant n'est
    remplacé que par un document complet.
    """
    from .build import FORMATS

    _build_documents(projet, _formats(formats, FORMATS), output, templates_dir)


def _build_documents(
    projet: Path, wanted: tuple[str, ...], output: Path, templates_dir: Path | None, bilan: bool = False, year: int | None = None
) -> None:
    from .build import BuildError, InvalidProject, NoEvaluation, Settings, ignored_template_files
    from .build import build as build_documents
    from .project import NotAProject
    from .report import render

    for name in ignored_template_files(projet):
        click.echo(
            f"Attention : {projet / name} n'est pas utilisé ; un modèle de la commune se donne avec --templates DOSSIER "
            "(le dossier du projet ne contient que des données)",
            err=True,
        )
    try:
        written = build_documents(Settings(projet, wanted, output, templates_dir, bilan, year))
    except (NotAProject, NoEvaluation) as error:
        raise Misuse(str(error)) from None
    except InvalidProject as error:
        summary = f"{_count(len(error.problems), 'erreur', 'erreurs')} : rien n'a été écrit."
        click.echo(render(error.problems, "text", summary), nl=False)
        sys.exit(EXIT_INVALID)
    except BuildError as error:
        click.echo(f"Erreur : {error} ; rien n'a été écrit.", err=True)
        sys.exit(EXIT_INVALID)
    for path in written:
        click.echo(path)


@main.group()
def templates() -> None:
    """Les modèles du document, pour les adapter à la commune."""


@templates.command("export")
@click.argument("dossier", type=click.Path(path_type=Path, file_okay=False))
def templates_export(dossier: Path) -> None:
    """Copier les modèles de stspd dans DOSSIER pour les modifier (aucun fichier existant n'est remplacé)."""
    from .atomic import write_bytes
    from .resources import resource_dir

    source = resource_dir("templates")
    files = sorted(p for p in source.iterdir() if p.is_file())
    existing = [p.name for p in files if (dossier / p.name).exists()]
    if existing:
        raise Misuse(f"{dossier} contient déjà {', '.join(existing)} : stspd ne remplace aucun fichier")
    for path in files:
        write_bytes(dossier / path.name, path.read_bytes())
        click.echo(dossier / path.name)
    click.echo(f"Modifiez ces fichiers, puis : stspd build PROJET --templates {dossier}")


class _DefaultCommandGroup(click.Group):
    """`stspd grid PROJET …` runs `stspd grid export PROJET …`; the named sub-commands stay available."""

    default = "export"

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


def _load_valid(projet: Path):
    """The valid project and its document model, or the validation errors and exit 1."""
    from .model import build as build_model
    from .project import NotAProject
    from .report import render
    from .validate import validate_project

    try:
        project, problems = validate_project(projet)
    except NotAProject as error:
        raise Misuse(str(error)) from None
    if problems:
        summary = f"{_count(len(problems), 'erreur', 'erreurs')} : rien n'a été écrit."
        click.echo(render(problems, "text", summary), nl=False)
        sys.exit(EXIT_INVALID)
    return project, build_model(project)


@main.group(cls=_DefaultCommandGroup)
def grid() -> None:
    """La grille d'évaluation annuelle : l'exporter, la faire remplir par les pilotes, la réimporter.

    « stspd grid PROJET --year AAAA » est le raccourci de « stspd grid export PROJET --year AAAA ».
    """


@grid.command("export")
@PROJECT
@click.option("--year", "year", type=int, required=True, metavar="AAAA", help="L'année évaluée.")
@_formats_option("xlsx", "docx, xlsx, csv")
@_output_option("grille-AAAA.docx, .xlsx, .csv")
def grid_export(projet: Path, year: int, formats: str, output: Path) -> None:
    """Écrire la grille d'évaluation de l'année : une ligne par fiche et par indicateur, valeur, écart, verdict."""
    from .atomic import write_all
    from .build import find_template_file
    from .grid import rows, to_csv, to_docx, to_xlsx
    from .stamp import timestamp

    wanted = _formats(formats, ("docx", "xlsx", "csv"))
    _, view = _load_valid(projet)
    _check_year(view, year)
    table = rows(view, year)
    title = f"Grille d'évaluation {year} · {view['territoire']['nom']}"
    iso = timestamp(view["strategie"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    makers = {
        "csv": lambda: to_csv(table),
        "xlsx": lambda: to_xlsx(table, title, iso),
        "docx": lambda: to_docx(table, title, find_template_file("reference.docx"), iso),
    }
    made = {output / f"grille-{year}.{fmt}": makers[fmt]() for fmt in wanted}
    for path in write_all(made):
        click.echo(path)


def _formats(text: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in allowed]
    if unknown or not wanted:
        raise Misuse(f"format inconnu « {', '.join(unknown) or text} » ; formats : {', '.join(allowed)}")
    return wanted


@grid.command("template")
@PROJECT
@click.option("--year", "year", type=int, required=True, metavar="AAAA", help="L'année à évaluer.")
@click.option("--pilote", "pilot", metavar="ID", help="Seulement les fiches de ce pilote (identifiant de partenaire).")
@click.option("--par-pilote", "per_pilot", is_flag=True, help="Une feuille par pilote, au lieu d'une seule feuille.")
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FICHIER",
    help="Le classeur à écrire (par défaut collecte-AAAA.xlsx).",
)
def grid_template(projet: Path, year: int, pilot: str | None, per_pilot: bool, output: Path | None) -> None:
    """Écrire le classeur de collecte à envoyer aux pilotes : identité verrouillée, saisie guidée, mode d'emploi."""
    from .atomic import write_bytes
    from .collect import template
    from .stamp import timestamp
    from .suggest import did_you_mean

    _, view = _load_valid(projet)
    _check_year(view, year)
    fiches = view["fiches"]
    partners = {p["id"]: p for p in view["partenaires"]}
    if pilot is not None:
        if pilot not in partners:
            raise Misuse(f"--pilote : partenaire inconnu « {pilot} »{did_you_mean(pilot, partners)}")
        fiches = [f for f in fiches if f["pilote"] == pilot]
    if per_pilot or pilot is not None:
        names = dict.fromkeys(f["pilote_detail"]["nom"] for f in fiches)
        groups = [(name, [f for f in fiches if f["pilote_detail"]["nom"] == name]) for name in names]
    else:
        groups = [("Collecte", fiches)]
    path = output or Path(f"collecte-{year}.xlsx")
    iso = timestamp(view["strategie"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    write_bytes(path, template(view, year, groups, iso))
    click.echo(
        f"{path} : {len(fiches)} fiches, {_count(len(groups), 'feuille', 'feuilles')} à remplir. "
        f"Au retour : stspd grid import {projet} {path}"
    )


def _check_year(view: dict, year: int) -> None:
    period = view["periode"]
    if not period["debut"] <= year <= period["fin"]:
        raise Misuse(f"--year {year} est hors de la période de la stratégie ({period['debut']}-{period['fin']})")


@grid.command("import")
@PROJECT
@click.argument("classeur", type=click.Path(path_type=Path, dir_okay=False, exists=True), metavar="CLASSEUR")
@click.option("--dry-run", is_flag=True, help="Montrer ce qui changerait, sans rien écrire.")
@click.option("--force", is_flag=True, help="Mettre à jour un fichier d'évaluation existant (ses commentaires YAML sont perdus).")
def grid_import(projet: Path, classeur: Path, dry_run: bool, force: bool) -> None:
    """Reporter dans evaluations/AAAA.yaml ce que les pilotes ont saisi dans CLASSEUR.

    Rien n'est écrit tant qu'un problème demeure ; chacun est donné avec sa feuille et sa cellule.
    """
    from .atomic import write_text
    from .collect import read
    from .evaluation_file import changes, check, dump, merge
    from .report import visible

    if classeur.suffix.lower() != ".xlsx":
        raise Misuse(f"« {classeur} » n'est pas un classeur Excel (.xlsx) : enregistrez-le au format « Classeur Excel (.xlsx) »")
    project, view = _load_valid(projet)

    def refuse(problems: list[str]) -> None:
        # A sheet's title and a cell's text come from outside: no control character reaches the terminal as it is
        click.echo("\n".join(visible(problem) for problem in problems))
        click.echo(f"{_count(len(problems), 'problème', 'problèmes')} dans {visible(str(classeur))} : rien n'a été écrit.")
        sys.exit(EXIT_INVALID)

    try:
        reading = read(classeur, view)
    except OSError:
        raise Misuse(f"« {classeur} » ne peut pas être lu (droits d'accès ?)") from None
    if reading.problems:
        refuse(reading.problems)
    year = reading.year
    existing_doc = next((d for d in project.evaluations if d.data["annee"] == year), None)
    existing = existing_doc.data if existing_doc else None
    target = existing_doc.path if existing_doc else projet / "evaluations" / f"{year}.yaml"
    merged = merge(existing, year, reading.entries)
    text = dump(merged, existing_doc.text if existing_doc else None)
    # The whole project is validated with the file as it would be written; each problem is put back at its cell.
    found = check(project, text, target)
    if found:
        refuse(
            [f"{reading.place(path, merged) or f'Évaluation {year} une fois mise à jour'} : {message}" for path, message in found]
        )
    differences = changes(existing, merged)
    if not differences:
        said = f"{target} dit déjà tout ce que le classeur contient" if existing_doc else "le classeur ne contient aucune saisie"
        click.echo(f"Rien à changer : {said}.")
        return
    click.echo("\n".join(differences))
    if dry_run:
        click.echo(f"{_count(len(differences), 'changement', 'changements')} ; --dry-run : rien n'a été écrit.")
        return
    if existing_doc and not force:
        raise Misuse(f"{target} existe : ajoutez --force pour le mettre à jour (--dry-run pour voir les changements)")
    write_text(target, text)
    click.echo(
        f"{target} : {_count(len(differences), 'changement', 'changements')} enregistrés. Vérifiez : stspd validate {projet}"
    )


@main.command()
@PROJECT
@click.option("--year", "year", type=int, metavar="AAAA", help="L'année du bilan (par défaut la dernière évaluée).")
@_formats_option("docx", "docx, pdf, html (et odt, md)")
@_output_option("bilan-AAAA.docx, bilan-AAAA.pdf…")
@TEMPLATES
def bilan(projet: Path, year: int | None, formats: str, output: Path, templates_dir: Path | None) -> None:
    """Produire le bilan annuel pour la séance plénière : synthèse par axe, graphiques, changements, difficultés, grille."""
    from .build import FORMATS

    _build_documents(projet, _formats(formats, FORMATS), output, templates_dir, bilan=True, year=year)
