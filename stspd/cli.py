"""The `stspd` command: one function per sub-command, the work done in the modules they call."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from stspd import __version__

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
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        main.main(standalone_mode=False)
    except click.exceptions.Abort:  # click's name for a Ctrl-C
        click.echo("Interrompu : rien n'a été écrit.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except OSError as error:
        from stspd.os_errors import describe

        click.echo(f"Erreur : {describe(error)}", err=True)
        sys.exit(EXIT_INVALID)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # click turns it into Abort, and every `finally` on the way runs


class _Said(click.ClickException):
    """A failure already said to the user: click only ends the command with its exit code."""

    exit_code = EXIT_INVALID

    def __init__(self) -> None:
        super().__init__("")

    def show(self, file=None) -> None:
        pass


class _Commands(click.Group):
    """stspd's commands, whose own failures (stspd.commands.errors) are said here in French with their exit code."""

    def invoke(self, ctx: click.Context):
        from stspd.commands.errors import BuildError, InvalidProject, Refused
        from stspd.commands.errors import Misuse as CommandMisuse
        from stspd.load.project import NotAProject
        from stspd.output.stamp import BadSetting

        try:
            return super().invoke(ctx)
        except (BadSetting, CommandMisuse, NotAProject) as error:
            raise Misuse(str(error)) from None
        except InvalidProject as error:
            from stspd.check.report import render

            summary = f"{_count(len(error.problems), 'erreur', 'erreurs')} : rien n'a été écrit."
            click.echo(render(error.problems, "text", summary), nl=False)
            raise _Said from None
        except Refused as error:
            from stspd.check.report import visible

            # A sheet's title and a cell's text come from outside: no control character reaches the terminal as it is
            click.echo("\n".join(visible(problem) for problem in error.problems))
            click.echo(
                f"{_count(len(error.problems), 'problème', 'problèmes')} dans {visible(error.source)} : rien n'a été écrit."
            )
            raise _Said from None
        except BuildError as error:
            click.echo(f"Erreur : {error} ; rien n'a été écrit.", err=True)
            raise _Said from None


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


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
    from stspd.commands.init import create_project

    written = create_project(dossier, territoire=territoire, periode=periode, kind=kind)
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
    from stspd.check.report import render, summary
    from stspd.check.validation import validate_project

    project, problems = validate_project(projet)
    click.echo(render(problems, fmt, summary(project, problems)), nl=False)
    sys.exit(EXIT_INVALID if problems else 0)


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number < 2 else plural}"


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
    from stspd.check import schemas
    from stspd.commands.init import write_schemas

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
    from stspd.commands.build import FORMATS, Settings, build_documents

    for path in build_documents(Settings(projet, _formats(formats, FORMATS), output, templates_dir), _warn):
        click.echo(path)


def _warn(message: str) -> None:
    click.echo(f"Attention : {message}", err=True)


@main.command()
@PROJECT
@click.option("--year", "year", type=int, metavar="AAAA", help="L'année du bilan (par défaut la dernière évaluée).")
@_formats_option("docx", "docx, pdf, html (et odt, md)")
@_output_option("bilan-AAAA.docx, bilan-AAAA.pdf…")
@TEMPLATES
def bilan(projet: Path, year: int | None, formats: str, output: Path, templates_dir: Path | None) -> None:
    """Produire le bilan annuel pour la séance plénière : synthèse par axe, graphiques, changements, difficultés, grille."""
    from stspd.commands.build import FORMATS, Settings, build_documents

    for path in build_documents(
        Settings(projet, _formats(formats, FORMATS), output, templates_dir, bilan=True, year=year), _warn
    ):
        click.echo(path)


@main.group()
def templates() -> None:
    """Les modèles du document, pour les adapter à la commune."""


@templates.command("export")
@click.argument("dossier", type=click.Path(path_type=Path, file_okay=False))
def templates_export(dossier: Path) -> None:
    """Copier les modèles de stspd dans DOSSIER pour les modifier (aucun fichier existant n'est remplacé)."""
    from stspd.commands.templates import export_templates

    for path in export_templates(dossier):
        click.echo(path)
    click.echo(f"Modifiez ces fichiers, puis : stspd build PROJET --templates {dossier}")


class _DefaultCommandGroup(click.Group):
    """`stspd grid PROJET …` runs `stspd grid export PROJET …`; the named sub-commands stay available."""

    default = "export"

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


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
    from stspd.commands.grid import FORMATS, export_grid

    for path in export_grid(projet, year, _formats(formats, FORMATS), output):
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
    from stspd.commands.collection import write_collection

    written = write_collection(projet, year, pilot, per_pilot, output)
    click.echo(
        f"{written.path} : {written.fiches} fiches, {_count(written.sheets, 'feuille', 'feuilles')} à remplir. "
        f"Au retour : stspd grid import {projet} {written.path}"
    )


@grid.command("import")
@PROJECT
@click.argument("classeur", type=click.Path(path_type=Path, dir_okay=False, exists=True), metavar="CLASSEUR")
@click.option("--dry-run", is_flag=True, help="Montrer ce qui changerait, sans rien écrire.")
@click.option("--force", is_flag=True, help="Mettre à jour un fichier d'évaluation existant (ses commentaires YAML sont perdus).")
def grid_import(projet: Path, classeur: Path, dry_run: bool, force: bool) -> None:
    """Reporter dans evaluations/AAAA.yaml ce que les pilotes ont saisi dans CLASSEUR.

    Rien n'est écrit tant qu'un problème demeure ; chacun est donné avec sa feuille et sa cellule.
    """
    from stspd.commands.collection import import_collection

    imported = import_collection(projet, classeur, dry_run, force)
    if not imported.changes:
        said = (
            f"{imported.target} dit déjà tout ce que le classeur contient"
            if imported.existed
            else "le classeur ne contient aucune saisie"
        )
        click.echo(f"Rien à changer : {said}.")
        return
    click.echo("\n".join(imported.changes))
    changed = _count(len(imported.changes), "changement", "changements")
    if imported.written:
        click.echo(f"{imported.target} : {changed} enregistrés. Vérifiez : stspd validate {projet}")
    elif dry_run:
        click.echo(f"{changed} ; --dry-run : rien n'a été écrit.")
    else:
        raise Misuse(f"{imported.target} existe : ajoutez --force pour le mettre à jour (--dry-run pour voir les changements)")
