"""The `stspd` command: options parsed, one function of stspd.commands called per command, its outcome said in
French. Every word printed is French, click's own included (click_french.py)."""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from stspd import __version__
from stspd.check.report import count
from stspd.click_french import install as _french

EXIT_INVALID = 1
EXIT_MISUSE = 2
EXIT_INTERRUPTED = 130  # the shell's convention for a command ended by Ctrl-C (128 + SIGINT)

# Options once named in English: still read, so that no script breaks, but no longer shown in the help.
ENGLISH_SPELLINGS = {
    "--year": "--annee",
    "--output": "--sortie",
    "--templates": "--modeles",
    "--dry-run": "--simulation",
    "--period": "--periode",
}
_french(hidden=set(ENGLISH_SPELLINGS))


class Misuse(click.ClickException):
    """A mistake in how the command was called (exit 2), said in French."""

    exit_code = EXIT_MISUSE

    def show(self, file=None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True)


class _Said(click.ClickException):
    """Invalid data, already said to the user: click only ends the command with its exit code."""

    exit_code = EXIT_INVALID

    def __init__(self) -> None:
        super().__init__("")

    def show(self, file=None) -> None:
        pass


class _SaidMisuse(_Said):
    """A misuse, already said (as JSON)."""

    exit_code = EXIT_MISUSE


def entry() -> None:
    """The `stspd` command: click's work, with the ways out said in French. Ctrl-C and SIGTERM end the command
    through the same path (the converters killed, their files removed), and a file the system refuses to read or
    write is an error, not a traceback."""
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        main.main(prog_name="stspd", standalone_mode=False)
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


class _Option(click.Option):
    """An option whose English spelling, still accepted, is left out of the help."""

    def get_help_record(self, ctx: click.Context):
        shown, self.opts = self.opts, [name for name in self.opts if name not in ENGLISH_SPELLINGS]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = shown


def _french_spaces(text: str) -> str:
    """No line break between « and its word, nor before « : »."""
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»").replace(" :", "\u00a0:")


class _Formatter(click.HelpFormatter):
    """click's help with French typography: « Options : », and quotes kept with their words."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}\u00a0:\n")

    def write_text(self, text: str) -> None:
        super().write_text(_french_spaces(text))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _french_spaces(definition)) for term, definition in rows], col_max, col_spacing)


class _Context(click.Context):
    formatter_class = _Formatter


class _Examples:
    """A command's examples (its `epilog`), one per line as written."""

    epilog: str | None

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.epilog:
            formatter.write_paragraph()
            formatter.write_text("Exemples :")
            with formatter.indentation():
                for line in self.epilog.strip().splitlines():
                    formatter.write(f"{formatter.current_indent * ' '}{line}\n")


class _Command(_Examples, click.Command):
    context_class = _Context


class _Commands(_Examples, click.Group):
    """stspd's commands, whose own failures (stspd.commands.errors) are said here in French with their exit code,
    and whose usage errors are JSON when `--format json` was asked for."""

    command_class = _Command
    group_class = type  # its groups are of this class too
    context_class = _Context

    def invoke(self, ctx: click.Context):
        from stspd.commands.errors import BuildError, InvalidProject, Refused
        from stspd.commands.errors import Misuse as CommandMisuse
        from stspd.load.project import NotAProject
        from stspd.output.stamp import BadSetting

        arguments = list(ctx.args)  # the sub-command's, before click hands them over
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            if not _wants_json(arguments):
                raise
            click.echo(json.dumps({"valide": None, "erreur_d_utilisation": error.format_message()}, ensure_ascii=False))
            raise _SaidMisuse from None
        except (BadSetting, CommandMisuse, NotAProject) as error:
            if _wants_json(arguments):
                click.echo(json.dumps({"valide": None, "erreur_d_utilisation": str(error)}, ensure_ascii=False))
                raise _SaidMisuse from None
            raise Misuse(str(error)) from None
        except InvalidProject as error:
            from stspd.check.report import render

            summary = f"{count(len(error.problems), 'erreur', 'erreurs')} : rien n'a été écrit."
            click.echo(render(error.problems, "text", summary), nl=False)
            raise _Said from None
        except Refused as error:
            from stspd.check.report import visible

            # A sheet's title and a cell's text come from outside: no control character reaches the terminal as it is
            click.echo("\n".join(visible(problem) for problem in error.problems))
            click.echo(
                f"{count(len(error.problems), 'problème', 'problèmes')} dans {visible(error.source)} : rien n'a été écrit."
            )
            raise _Said from None
        except BuildError as error:
            click.echo(f"Erreur : {error} ; rien n'a été écrit.", err=True)
            raise _Said from None


def _wants_json(arguments: list[str]) -> bool:
    """Whether the command line asks for JSON (`--format json`), even when it holds a mistake."""
    return any(a == "--format=json" or (a == "json" and b == "--format") for b, a in zip(["", *arguments], arguments))


# Completion of option values (see the README): what the project allows, read from its strategie.yaml.
def _project_data(ctx: click.Context) -> dict:
    import yaml

    from stspd.commands.locate import MARKERS, enclosing_project

    root = ctx.params.get("projet") or enclosing_project(Path.cwd())
    for marker in MARKERS:
        try:
            data = yaml.safe_load((Path(root or ".") / marker).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        return data if isinstance(data, dict) else {}
    return {}


def _complete_years(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    period = _project_data(ctx).get("periode") or {}
    try:
        years = range(int(period["debut"]), int(period["fin"]) + 1)
    except (KeyError, TypeError, ValueError):
        return []
    return [str(year) for year in years if str(year).startswith(incomplete)]


def _complete_pilots(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    partners = _project_data(ctx).get("partenaires") or []
    return [str(p["id"]) for p in partners if isinstance(p, dict) and str(p.get("id", "")).startswith(incomplete)]


def _formats_completer(allowed: tuple[str, ...]) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        return [f"{done},{name}" if done else name for name in allowed if name.startswith(last)]

    return complete


PROJECT = click.argument(
    "projet", type=click.Path(path_type=Path, file_okay=False), required=False, default=None, metavar="[PROJET]"
)
TEMPLATES = click.option(
    "--modeles",
    "--templates",
    "templates_dir",
    cls=_Option,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    metavar="DOSSIER",
    help="Modèles de la commune, qui remplacent ceux de stspd du même nom (voir « stspd templates export »).",
)
QUIET = click.option(
    "--silencieux", "-q", "quiet", is_flag=True, help="Ne rien dire pendant le travail (seulement les fichiers écrits)."
)


def _formats_option(default: str, allowed: tuple[str, ...]):
    return click.option(
        "--format",
        "formats",
        multiple=True,
        default=[default],
        show_default=True,
        metavar="LISTE",
        shell_complete=_formats_completer(allowed),
        help=f"Formats, séparés par des virgules ou en répétant l'option : {', '.join(allowed)}.",
    )


def _output_option(what: str):
    return click.option(
        "--sortie",
        "--output",
        "output",
        cls=_Option,
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("dist"),
        show_default=True,
        metavar="DOSSIER",
        help=f"Dossier où écrire {what}",
    )


def _year_option(required: bool, what: str):
    return click.option(
        "--annee",
        "--year",
        "year",
        cls=_Option,
        type=int,
        required=required,
        metavar="AAAA",
        shell_complete=_complete_years,
        help=what,
    )


def _formats(values: tuple[str, ...], allowed: tuple[str, ...]) -> tuple[str, ...]:
    """`--format docx,pdf --format html` → ("docx", "pdf", "html"), each known."""
    from stspd.check.suggest import did_you_mean

    wanted = tuple(dict.fromkeys(f.strip().lower() for text in values for f in text.split(",") if f.strip()))
    for name in wanted:
        if name not in allowed:
            raise Misuse(f"format inconnu « {name} »{did_you_mean(name, allowed)} ; formats : {', '.join(allowed)}")
    if not wanted:
        raise Misuse(f"--format attend au moins un format parmi : {', '.join(allowed)}")
    return wanted


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"]},
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
    epilog="""
stspd init valmont --territoire "Valmont-sur-Loire" --periode 2025-2030
stspd validate valmont
stspd build valmont --format docx,pdf
""",
)
@click.version_option(__version__, "-V", "--version", prog_name="stspd")
def main() -> None:
    """Écrire, valider et publier une stratégie territoriale de sécurité et de prévention de la délinquance.

    Un projet est un dossier : strategie.yaml, diagnostic.yaml, actions/*.yaml (une fiche action par
    fichier) et evaluations/AAAA.yaml. Commencez par « stspd init » ou par l'exemple fourni. Sans PROJET, une
    commande travaille sur le projet où se trouve le dossier courant. L'aide d'une commande : stspd COMMANDE
    --help ; la complétion dans le shell : voir le README.
    """


@main.command(
    epilog="""
stspd init valmont --territoire "Valmont-sur-Loire" --periode 2025-2030
stspd init agglo --territoire "Communauté d'agglomération du Val" --periode 2026-2031 --type epci
stspd init --exemple exemple
"""
)
@click.argument("dossier", type=click.Path(path_type=Path, file_okay=False))
@click.option("--territoire", help="Nom de la commune ou de l'intercommunalité, ex. « Villeneuve-sur-Lot ».")
@click.option("--periode", metavar="AAAA-AAAA", help="Première et dernière année de la stratégie, ex. 2025-2030.")
@click.option(
    "--type",
    "kind",
    type=click.Choice(["commune", "epci"]),
    default=None,
    help="Commune (CLSPD, par défaut) ou intercommunalité (CISPD).",
)
@click.option("--exemple", is_flag=True, help="Copier dans DOSSIER l'exemple complet livré avec stspd (Valmont-sur-Loire).")
def init(dossier: Path, territoire: str | None, periode: str | None, kind: str | None, exemple: bool) -> None:
    """Créer un nouveau projet dans DOSSIER (nouveau ou vide), prêt à valider, ou y copier l'exemple."""
    from stspd.commands.init import create_example, create_project

    if exemple:
        if territoire is not None or periode is not None or kind is not None:
            raise Misuse("--exemple copie l'exemple tel quel : sans --territoire, --periode ni --type")
        written = create_example(dossier)
        click.echo(f"Exemple copié dans {dossier} ({len(written)} fichiers). Étape suivante : stspd validate {dossier}")
        return
    if territoire is None or periode is None:
        raise Misuse("--territoire et --periode sont obligatoires (ou --exemple pour copier l'exemple)")
    written = create_project(dossier, territoire=territoire, periode=periode, kind=kind or "commune")
    click.echo(f"Projet créé dans {dossier} ({len(written)} fichiers). Étape suivante : stspd validate {dossier}")


@main.command(
    epilog="""
stspd validate                      (le projet du dossier courant)
stspd validate valmont --format json
stspd validate --strict             (avant l'adoption : plus rien à rédiger)
stspd validate actions/1.1.1.yaml   (le projet de ce fichier, comme pre-commit l'appelle)
"""
)
@click.argument("chemins", nargs=-1, type=click.Path(path_type=Path), metavar="[PROJET | FICHIER...]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text pour lire, json pour un outil, github pour des annotations dans une CI GitHub.",
)
@click.option("--strict", is_flag=True, help="Échouer aussi sur les avertissements (textes « À rédiger », objectif sans fiche…).")
def validate(chemins: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Vérifier un projet : schémas, identifiants, références, années, montants, textes encore à rédiger.

    Sans chemin, le projet du dossier courant ; avec des fichiers, le projet de chacun, vérifié en entier (une
    référence peut venir d'un autre fichier). Code de sortie : 0 valide (même avec des avertissements, sauf
    --strict), 1 données invalides, 2 mauvaise utilisation.
    """
    from stspd.check import validation
    from stspd.check.report import report
    from stspd.commands.locate import project_of, project_root

    roots = list(dict.fromkeys(project_of(path) for path in chemins)) if chemins else [project_root(None)]
    invalid = False
    for root in roots:
        result = validation.validate(root, strict=strict)
        click.echo(report(result, fmt), nl=False)
        invalid = invalid or not result.valid
    sys.exit(EXIT_INVALID if invalid else 0)


@main.command(
    epilog="""
stspd schema                         (la liste)
stspd schema fiche > fiche.schema.json
stspd schema --sortie schemas
"""
)
@click.argument("nom", required=False, metavar="[NOM]")
@click.option(
    "--sortie",
    "--output",
    "output",
    cls=_Option,
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DOSSIER",
    help="Écrire tous les schémas dans DOSSIER (pour l'éditeur) au lieu d'en afficher un.",
)
def schema(nom: str | None, output: Path | None) -> None:
    """Afficher le schéma JSON NOM (strategie, diagnostic, fiche, evaluation, commun), ou les lister."""
    from stspd.check import schemas
    from stspd.check.suggest import did_you_mean
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
        raise Misuse(f"schéma inconnu « {nom} »{did_you_mean(nom, schemas.names())} ; schémas : {', '.join(schemas.names())}")
    click.echo(schemas.schema_path(nom).read_text(encoding="utf-8"), nl=False)


DOCUMENT_FORMATS = ("docx", "odt", "pdf", "html", "md")


@main.command(
    epilog="""
stspd build                          (strategie.docx dans dist/)
stspd build valmont --format docx,pdf,html --sortie publication
stspd build --format pdf --modeles modeles-commune
"""
)
@PROJECT
@_formats_option("docx", DOCUMENT_FORMATS)
@_output_option("strategie.docx, strategie.pdf…")
@TEMPLATES
@QUIET
def build(projet: Path | None, formats: tuple[str, ...], output: Path, templates_dir: Path | None, quiet: bool) -> None:
    """Produire le document de la stratégie (DOCX, ODT, PDF, HTML, Markdown).

    Les données sont d'abord validées : s'il y a une erreur, rien n'est écrit. Un fichier existant n'est
    remplacé que par un document complet.
    """
    from stspd.commands.build import Settings
    from stspd.commands.locate import project_root

    _build(Settings(project_root(projet), _formats(formats, DOCUMENT_FORMATS), output, templates_dir), quiet)


@main.command(
    epilog="""
stspd bilan                          (la dernière année évaluée, en DOCX)
stspd bilan valmont --annee 2025 --format docx,pdf
stspd bilan --periode --format docx,pdf   (de la première année de la stratégie à la dernière évaluée)
"""
)
@PROJECT
@_year_option(False, "L'année du bilan (par défaut la dernière évaluée) ; avec --periode, sa dernière année.")
@click.option(
    "--periode",
    "--period",
    "period",
    cls=_Option,
    is_flag=True,
    help="Le bilan de toute la période, de la première année de la stratégie à --annee : parcours de chaque fiche, "
    "part des fiches déployées, indicateurs face à leur cible, enseignements de chaque année.",
)
@_formats_option("docx", DOCUMENT_FORMATS)
@_output_option("bilan-AAAA.docx, bilan-periode-AAAA-AAAA.docx…")
@TEMPLATES
@QUIET
def bilan(
    projet: Path | None,
    year: int | None,
    period: bool,
    formats: tuple[str, ...],
    output: Path,
    templates_dir: Path | None,
    quiet: bool,
) -> None:
    """Produire le bilan annuel pour la séance plénière : synthèse par axe, graphiques, changements, difficultés, grille
    (ou, avec --periode, le bilan de toute la période)."""
    from stspd.commands.build import Settings
    from stspd.commands.locate import project_root

    formats = _formats(formats, DOCUMENT_FORMATS)
    settings = Settings(project_root(projet), formats, output, templates_dir, bilan=True, year=year, period=period)
    _build(settings, quiet)


def _build(settings, quiet: bool) -> None:
    """Build, telling a person at a terminal what is done as it is done; a script gets only the files' paths."""
    from stspd.commands.build import build_documents

    talk = not quiet and _on_terminal()
    start = time.monotonic()

    def done(fmt: str) -> None:
        if talk:
            click.echo(f"  {fmt.upper():<4} prêt ({time.monotonic() - start:.1f} s)".replace(".", ","), err=True)

    if talk:
        click.echo(f"Validation et mise en page de {len(settings.formats)} format(s)…", err=True)
    for path in build_documents(settings, _warn, done):
        click.echo(f"{path}  ({_size(path)})" if talk else path)


def _on_terminal() -> bool:
    """Whether a person reads the command's messages (not a script, a file or a pipe)."""
    return sys.stderr.isatty()


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_000_000:.1f} Mo".replace(".", ",") if size >= 1_000_000 else f"{max(1, round(size / 1000))} ko"


def _warn(message: str) -> None:
    click.echo(f"Attention : {message}", err=True)


@main.group(epilog="stspd templates export modeles-commune")
def templates() -> None:
    """Les modèles du document, pour les adapter à la commune."""


@templates.command(
    "export",
    epilog="""
stspd templates export modeles-commune
stspd build --modeles modeles-commune
""",
)
@click.argument("dossier", type=click.Path(path_type=Path, file_okay=False))
def templates_export(dossier: Path) -> None:
    """Copier les modèles de stspd dans DOSSIER pour les modifier (aucun fichier existant n'est remplacé)."""
    from stspd.commands.templates import export_templates

    for path in export_templates(dossier):
        click.echo(path)
    click.echo(f"Modifiez ces fichiers, puis : stspd build PROJET --modeles {dossier}")


class _DefaultCommandGroup(_Commands):
    """`stspd grid PROJET …` runs `stspd grid export PROJET …`; the named sub-commands stay available."""

    default = "export"

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


@main.group(
    cls=_DefaultCommandGroup,
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
    epilog="""
stspd grid template --annee 2025 --par-pilote
stspd grid import collecte-2025.xlsx
stspd grid --annee 2025 --format docx,xlsx
""",
)
def grid() -> None:
    """La grille d'évaluation annuelle : l'exporter, la faire remplir par les pilotes, la réimporter.

    « stspd grid PROJET --annee AAAA » est le raccourci de « stspd grid export PROJET --annee AAAA ».
    """


GRID_FORMATS = ("docx", "xlsx", "csv")


@grid.command(
    "export",
    epilog="""
stspd grid export --annee 2025
stspd grid export valmont --annee 2025 --format docx,xlsx,csv --sortie evaluation
""",
)
@PROJECT
@_year_option(True, "L'année évaluée.")
@_formats_option("xlsx", GRID_FORMATS)
@_output_option("grille-AAAA.docx, .xlsx, .csv")
def grid_export(projet: Path | None, year: int, formats: tuple[str, ...], output: Path) -> None:
    """Écrire la grille d'évaluation de l'année : une ligne par fiche et par indicateur, valeur, écart, verdict."""
    from stspd.commands.grid import export_grid
    from stspd.commands.locate import project_root

    for path in export_grid(project_root(projet), year, _formats(formats, GRID_FORMATS), output):
        click.echo(path)


@grid.command(
    "template",
    epilog="""
stspd grid template --annee 2025
stspd grid template --annee 2025 --par-pilote --sortie collecte-2025.xlsx
stspd grid template --annee 2025 --pilote police-municipale --sortie collecte-pm.xlsx
""",
)
@PROJECT
@_year_option(True, "L'année à évaluer.")
@click.option(
    "--pilote",
    "pilot",
    metavar="ID",
    shell_complete=_complete_pilots,
    help="Seulement les fiches de ce pilote (identifiant de partenaire).",
)
@click.option("--par-pilote", "per_pilot", is_flag=True, help="Une feuille par pilote, au lieu d'une seule feuille.")
@click.option(
    "--sortie",
    "--output",
    "output",
    cls=_Option,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FICHIER",
    help="Le classeur à écrire, en .xlsx (par défaut collecte-AAAA.xlsx).",
)
@click.option("--force", is_flag=True, help="Remplacer un classeur existant (celui qu'un pilote a peut-être déjà rempli).")
def grid_template(projet: Path | None, year: int, pilot: str | None, per_pilot: bool, output: Path | None, force: bool) -> None:
    """Écrire le classeur de collecte à envoyer aux pilotes : identité verrouillée, saisie guidée, mode d'emploi."""
    from stspd.commands.collection import write_collection
    from stspd.commands.locate import project_root

    root = project_root(projet)
    written = write_collection(root, year, pilot, per_pilot, output, force)
    click.echo(
        f"{written.path} : {count(written.fiches, 'fiche', 'fiches')}, "
        f"{count(written.sheets, 'feuille', 'feuilles')} à remplir. Au retour : stspd grid import {written.path}"
    )


@grid.command(
    "import",
    epilog="""
stspd grid import collecte-2025.xlsx --simulation
stspd grid import collecte-2025.xlsx --force
stspd grid import valmont collecte-2025.xlsx
""",
)
@click.argument("chemins", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="[PROJET] CLASSEUR")
@click.option(
    "--simulation", "--dry-run", "dry_run", cls=_Option, is_flag=True, help="Montrer ce qui changerait, sans rien écrire."
)
@click.option("--force", is_flag=True, help="Mettre à jour un fichier d'évaluation existant (ses commentaires YAML sont perdus).")
def grid_import(chemins: tuple[Path, ...], dry_run: bool, force: bool) -> None:
    """Reporter dans evaluations/AAAA.yaml ce que les pilotes ont saisi dans CLASSEUR.

    Rien n'est écrit tant qu'un problème demeure ; chacun est donné avec sa feuille et sa cellule.
    """
    from stspd.commands.collection import import_collection
    from stspd.commands.locate import project_root

    if len(chemins) > 2:
        raise Misuse(f"un projet et un classeur au plus sont attendus ({len(chemins)} chemins donnés)")
    projet, classeur = (None, chemins[0]) if len(chemins) == 1 else chemins
    if not classeur.is_file():
        raise Misuse(
            f"le classeur « {classeur} » n'existe pas" if not classeur.exists() else f"« {classeur} » n'est pas un fichier"
        )
    root = project_root(projet)
    imported = import_collection(root, classeur, dry_run, force)
    if not imported.changes:
        said = (
            f"{imported.target} dit déjà tout ce que le classeur contient"
            if imported.existed
            else "le classeur ne contient aucune saisie"
        )
        click.echo(f"Rien à changer : {said}.")
        return
    click.echo("\n".join(imported.changes))
    changed = count(len(imported.changes), "changement", "changements")
    if imported.written:
        recorded = "enregistré" if len(imported.changes) == 1 else "enregistrés"
        click.echo(f"{imported.target} : {changed} {recorded}. Vérifiez : stspd validate {root}")
    elif dry_run:
        click.echo(f"{changed} ; --simulation : rien n'a été écrit.")
    else:
        raise Misuse(f"{imported.target} existe : ajoutez --force pour le mettre à jour (--simulation pour voir les changements)")
