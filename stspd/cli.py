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
    "--paper": "--papier",
    "--period": "--periode",
    "--check": "--verifier",
    "--watch": "--surveiller",
    "--changes-since": "--modifications-depuis",
    "--department": "--departement",
    "--from": "--depuis",
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
        except (InvalidProject, Refused, BuildError) as error:
            _say(error)
            raise _Said from None


def _say(error: Exception) -> None:
    """A command's failure on its data or its documents, said in French with every problem and its place."""
    from stspd.check.report import render, visible
    from stspd.commands.errors import InvalidProject, Refused

    if isinstance(error, InvalidProject):
        summary = f"{count(len(error.problems), 'erreur', 'erreurs')} : rien n'a été écrit."
        click.echo(render(error.problems, "text", summary), nl=False)
    elif isinstance(error, Refused):
        # A sheet's title and a cell's text come from outside: no control character reaches the terminal as it is
        click.echo("\n".join(visible(problem) for problem in error.problems))
        click.echo(f"{count(len(error.problems), 'problème', 'problèmes')} dans {visible(error.source)} : rien n'a été écrit.")
    else:
        click.echo(f"Erreur : {error} ; rien n'a été écrit.", err=True)


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
    """Afficher le schéma JSON NOM (strategie, diagnostic, fiche, evaluation, referentiel, correspondance, commun,
    export), ou les lister."""
    from stspd.check import schemas
    from stspd.check.suggest import did_you_mean
    from stspd.commands.init import write_schemas

    if output is not None:
        for path in write_schemas(output):
            click.echo(path)
        return
    if nom is None:
        for name in schemas.names():
            click.echo(f"{name:<15} {schemas.load(name)['title']}")
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
stspd build --format docx,pdf --verifier   (les documents versionnés sont-ils à jour ?)
stspd build --format pdf --surveiller      (refait le PDF à chaque enregistrement)
stspd build --modifications-depuis v2024-adoptee   (avec le tableau des modifications)
"""
)
@PROJECT
@_formats_option("docx", DOCUMENT_FORMATS)
@_output_option("strategie.docx, strategie.pdf…")
@TEMPLATES
@QUIET
@click.option(
    "--verifier",
    "--check",
    "check",
    cls=_Option,
    is_flag=True,
    help="Ne rien écrire : dire quels documents du dossier de sortie ne sont plus à jour (code 1 s'il y en a).",
)
@click.option(
    "--surveiller",
    "--watch",
    "watch",
    cls=_Option,
    is_flag=True,
    help="Refaire les documents à chaque enregistrement d'un fichier du projet, en disant les erreurs (Ctrl-C pour finir).",
)
@click.option(
    "--modifications-depuis",
    "--changes-since",
    "changes_since",
    cls=_Option,
    metavar="REVISION",
    help="Finir le document par le tableau des modifications depuis cette révision git (une étiquette, un commit).",
)
def build(
    projet: Path | None,
    formats: tuple[str, ...],
    output: Path,
    templates_dir: Path | None,
    quiet: bool,
    check: bool,
    watch: bool,
    changes_since: str | None,
) -> None:
    """Produire le document de la stratégie (DOCX, ODT, PDF, HTML, Markdown).

    Les données sont d'abord validées : s'il y a une erreur, rien n'est écrit. Un fichier existant n'est
    remplacé que par un document complet.
    """
    from stspd.commands.build import Settings, rebuild_command, stale_documents
    from stspd.commands.locate import project_root

    if check and watch:  # checking writes nothing, watching writes at each change: one excludes the other
        raise Misuse(
            "--verifier et --surveiller ne vont pas ensemble : --verifier n'écrit rien, --surveiller réécrit les "
            "documents à chaque changement ; lancez l'un ou l'autre"
        )
    settings = Settings(
        project_root(projet), _formats(formats, DOCUMENT_FORMATS), output, templates_dir, changes_since=changes_since
    )
    if watch:
        _watch(settings, quiet)
        return
    if not check:
        _build(settings, quiet)
        return
    stale = stale_documents(settings, _warn)
    for path, why in stale:
        click.echo(f"{path} : {why}")
    if stale:
        click.echo(f"À refaire : {rebuild_command(settings)}")
        raise SystemExit(1)
    click.echo(f"{count(len(settings.formats), 'document', 'documents')} à jour dans {output}.")


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


def _build(settings, quiet: bool) -> list[Path]:
    """Build, telling a person at a terminal what is done as it is done; a script gets only the files' paths."""
    from stspd.commands.build import build_documents

    talk = not quiet and _on_terminal()
    start = time.monotonic()

    def done(fmt: str) -> None:
        if talk:
            click.echo(f"  {fmt.upper():<4} prêt ({time.monotonic() - start:.1f} s)".replace(".", ","), err=True)

    if talk:
        click.echo(f"Validation et mise en page de {len(settings.formats)} format(s)…", err=True)
    written = build_documents(settings, _warn, done)
    for path in written:
        click.echo(f"{path}  ({_size(path)})" if talk else path)
    return written


def _watch(settings, quiet: bool) -> None:
    """Build, then build again at each change of the project's files; a failure is said, and the watch goes on.

    Ctrl-C is how a watch ends: while waiting, it is the normal end (exit 0); during a build, that build writes
    nothing (exit 130). Either way the documents written before stay, so the goodbye says which those are, rather
    than the « rien n'a été écrit » of a command interrupted at its only build."""
    from stspd.commands.errors import BuildError, InvalidProject, Refused
    from stspd.commands.watch import changes

    written: list[Path] = []
    building = failed = False

    def attempt() -> None:
        nonlocal building, failed
        building = True
        try:
            written[:] = _build(settings, quiet)
            failed = False
        except (InvalidProject, Refused, BuildError) as error:
            _say(error)
            failed = True
        building = False

    try:
        attempt()
        click.echo("En attente de changements (Ctrl-C pour finir)…", err=True)
        for changed in changes(settings.project, settings.output.resolve()):
            click.echo(f"Changé : {', '.join(changed)}", err=True)
            attempt()
    except KeyboardInterrupt:
        last = (
            f"derniers documents écrits : {', '.join(map(str, written))}"
            + (" (sans les derniers changements, à corriger : voir plus haut)" if failed else "")
            if written
            else "aucun document écrit pendant la surveillance"
        )
        if building:
            click.echo(f"Interrompu pendant la construction, qui n'a rien écrit ; {last}.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        click.echo(f"Surveillance terminée ; {last}.", err=True)


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
    when_alone = False  # `stspd GROUP` alone runs the default too (else it shows the group's help)

    def parse_args(self, ctx, args):
        if (args or self.when_alone) and (not args or args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


@main.command(
    "new-period",
    epilog="""
stspd new-period valmont-2029 --depuis valmont --periode 2029-2034
""",
)
@click.argument("nouveau", type=click.Path(path_type=Path, file_okay=False), metavar="NOUVEAU")
@click.option(
    "--depuis",
    "--from",
    "source",
    cls=_Option,
    required=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    metavar="PROJET",
    help="La stratégie qui s'achève (lue seulement).",
)
@click.option("--periode", "--period", "periode", cls=_Option, required=True, metavar="AAAA-AAAA", help="La nouvelle période.")
def new_period(nouveau: Path, source: Path, periode: str) -> None:
    """Commencer la stratégie suivante dans NOUVEAU, à partir de la précédente et de son dernier bilan.

    Les fiches que le dernier bilan dit de poursuivre ou d'adapter sont reprises, avec la dernière valeur mesurée de
    chaque indicateur pour nouvelle référence ; celles à arrêter, abandonnées ou réalisées sont laissées.
    """
    from stspd.commands.locate import project_root
    from stspd.commands.new_period import new_period as start

    made = start(nouveau, project_root(source), periode)
    if made.overlap:
        _warn(made.overlap)
    for fate in made.fates:
        click.echo(f"{fate.fiche} : {'reprise' if fate.carried else 'laissée'} ({fate.why})")
    carried = sum(fate.carried for fate in made.fates)
    click.echo(
        f"{nouveau} : {count(carried, 'fiche reprise', 'fiches reprises')} sur {len(made.fates)}. "
        f"Les textes « À rédiger » sont à écrire : stspd validate {nouveau}"
    )


@main.command(epilog="stspd doctor")
def doctor() -> None:
    """Dire ce dont chaque format a besoin, ce que cette machine a, et ce qu'un manque empêche.

    Code 1 quand il manque de quoi produire un document.
    """
    from stspd.commands.doctor import checks

    found = checks()
    for check in found:
        if check.found:
            click.echo(f"ok        {check.what} : {check.found} — {check.serves}")
        elif check.unchecked:
            click.echo(f"inconnu   {check.what} — {check.serves} ; non vérifié : {check.unchecked}")
        else:
            click.echo(f"absent    {check.what} — {check.serves} ; sans : {check.without}")
    if any(check.needed and not check.found and not check.unchecked for check in found):
        raise SystemExit(1)  # a document cannot be made here


@main.group(
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
    epilog="""
stspd export json > strategie.json
""",
)
def export() -> None:
    """Le projet pour d'autres outils."""


@export.command(
    "json",
    epilog="""
stspd export json > strategie.json
stspd export json valmont --sortie publication/strategie.json
""",
)
@PROJECT
@click.option(
    "--sortie",
    "--output",
    "output",
    cls=_Option,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FICHIER",
    help="Écrire le JSON dans FICHIER, ses dossiers créés au besoin comme pour les autres --sortie (par défaut : sur la sortie standard).",
)
@click.option("--force", is_flag=True, help="Remplacer FICHIER s'il existe.")
def export_json(projet: Path | None, output: Path | None, force: bool) -> None:
    """Tout le projet validé en un document JSON (schéma : stspd schema export), pour un portail de données
    ouvertes ou un tableau de bord. Chaque partie a la forme du fichier YAML dont elle vient ; ce que le document
    tait y est tu aussi : d'une instance confidentielle (cellule de veille), seuls son nom et son identifiant."""
    from stspd.commands.export import export_json as exported
    from stspd.commands.locate import project_root
    from stspd.output.atomic import write_bytes

    content = exported(project_root(projet))
    if output is None:
        click.echo(content.decode("utf-8"), nl=False)
        return
    if output.exists() and not force:
        raise Misuse(f"{output} existe : ajoutez --force pour le remplacer")
    write_bytes(output, content)
    click.echo(output)


@main.group(
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
    epilog="""
stspd diagnostic import-ssmsi donnee-comm.csv.gz --commune 45234
""",
)
def diagnostic() -> None:
    """Le diagnostic à partir des données publiques."""


@diagnostic.command(
    "import-ssmsi",
    epilog="""
stspd diagnostic import-ssmsi donnee-comm-data.gouv-2025.csv.gz --commune 45234
stspd diagnostic import-ssmsi valmont base-communale.csv.gz --commune 45234 --departement base-departementale.csv
stspd diagnostic import-ssmsi base-communale.csv.gz --commune 45001 --commune 45002 --commune 45234
stspd diagnostic import-ssmsi base-communale-2026.csv.gz --commune 45234 --simulation
stspd diagnostic import-ssmsi base-communale-2026.csv.gz --commune 45234 --evaluation 2025
""",
)
@click.argument("chemins", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="[PROJET] FICHIER")
@click.option(
    "--commune",
    "communes",
    multiple=True,
    required=True,
    metavar="CODE",
    help="Code INSEE de la commune ; répétez l'option pour les communes d'un EPCI (leurs chiffres sont additionnés).",
)
@click.option(
    "--departement",
    "--department",
    "department_file",
    cls=_Option,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FICHIER",
    help="La base départementale du SSMSI : les taux du département, en regard de ceux de la commune.",
)
@click.option(
    "--simulation", "--dry-run", "dry_run", cls=_Option, is_flag=True, help="Montrer ce qui changerait, sans rien écrire."
)
@click.option(
    "--evaluation",
    "evaluation_year",
    type=int,
    metavar="AAAA",
    help="Écrire plutôt les chiffres de l'année AAAA dans evaluations/AAAA.yaml (bloc delinquance), pour le bilan : "
    "le diagnostic ne change pas.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Mettre à jour diagnostic/ssmsi.yaml s'il existe, ou les chiffres déjà dans l'évaluation (les commentaires sont gardés).",
)
def diagnostic_import_ssmsi(
    chemins: tuple[Path, ...],
    communes: tuple[str, ...],
    department_file: Path | None,
    evaluation_year: int | None,
    dry_run: bool,
    force: bool,
) -> None:
    """Écrire dans diagnostic/ssmsi.yaml (avec --evaluation, dans evaluations/AAAA.yaml) la délinquance enregistrée de
    la commune, lue dans FICHIER.

    FICHIER est la base statistique communale du SSMSI (data.gouv.fr), telle que téléchargée : .csv ou .csv.gz,
    l'édition actuelle ou une plus ancienne. Un chiffre non diffusé (secret statistique) est noté « secret », jamais
    remplacé par la moyenne départementale que le fichier donne à sa place.
    """
    from stspd.commands.diagnostic import import_ssmsi, import_ssmsi_year
    from stspd.commands.locate import project_root

    if len(chemins) > 2:
        raise Misuse(f"un projet et un fichier au plus sont attendus ({len(chemins)} chemins donnés)")
    projet, fichier = (None, chemins[0]) if len(chemins) == 1 else chemins
    for path in (fichier, department_file):
        if path is not None and not path.is_file():
            raise Misuse(f"le fichier « {path} » n'existe pas" if not path.exists() else f"« {path} » n'est pas un fichier")
    if evaluation_year is not None and department_file is not None:
        raise Misuse("--departement ne va pas avec --evaluation : les taux du département sont ceux du diagnostic")
    root = project_root(projet)
    if evaluation_year is not None:
        imported = import_ssmsi_year(root, fichier, list(communes), evaluation_year, dry_run, force)
    else:
        imported = import_ssmsi(root, fichier, list(communes), department_file, dry_run, force)
    for warning in imported.warnings:
        click.echo(f"Attention : {warning}", err=True)
    if imported.note:
        click.echo(imported.note)
    if not imported.changes:
        click.echo(f"Rien à changer : {imported.target} dit déjà ce que le fichier contient.")
        return
    click.echo("\n".join(imported.changes))
    changed = count(len(imported.changes), "changement", "changements")
    if imported.written and not imported.existed:
        click.echo(
            f"{imported.target} {'écrit' if imported.block is None else ': ' + imported.block + ' écrits'}. Vérifiez : stspd validate {root}"
        )
    elif imported.written:
        click.echo(
            f"{imported.target} : {changed} enregistré{'s' if len(imported.changes) > 1 else ''}. Vérifiez : stspd validate {root}"
        )
    elif dry_run:
        click.echo(f"{changed} ; --simulation : rien n'a été écrit.")
    else:
        what = f"{imported.target} existe" if imported.block is None else f"{imported.target} a déjà {imported.block}"
        raise Misuse(f"{what} : ajoutez --force pour le mettre à jour (--simulation pour voir les changements)")


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
stspd grid export --annee 2025 --format docx --papier a3
""",
)
@PROJECT
@_year_option(True, "L'année évaluée.")
@_formats_option("xlsx", GRID_FORMATS)
@_output_option("grille-AAAA.docx, .xlsx, .csv")
@click.option(
    "--papier",
    "--paper",
    "paper",
    cls=_Option,
    type=click.Choice(["a4", "a3"], case_sensitive=False),
    default="a4",
    show_default=True,
    help="Le format de la page, à l'italienne, du DOCX (a3 : chaque colonne sur moins de lignes). Le XLSX s'imprime en A3.",
)
def grid_export(projet: Path | None, year: int, formats: tuple[str, ...], output: Path, paper: str) -> None:
    """Écrire la grille d'évaluation de l'année : une ligne par fiche et par indicateur, valeur, écart, verdict."""
    from stspd.commands.grid import export_grid
    from stspd.commands.locate import project_root

    for path in export_grid(project_root(projet), year, _formats(formats, GRID_FORMATS), output, paper.lower()):
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


class _FramesGroup(_DefaultCommandGroup):
    """`stspd referentiels [PROJET]` lists the frames; `stspd referentiels migrer …` moves the links."""

    default = "liste"
    when_alone = True


@main.group(
    cls=_FramesGroup,
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
    epilog="""
stspd referentiels                   (ceux du projet courant, ou ceux livrés avec stspd)
stspd referentiels valmont --format json
stspd referentiels migrer valmont --correspondance snpd-2020-vers-2025.yaml --simulation
""",
)
def referentiels() -> None:
    """Les référentiels : stratégies nationales livrées avec stspd, plans et priorités que le projet ajoute.

    « stspd referentiels PROJET » est le raccourci de « stspd referentiels liste PROJET ». Un projet ajoute les
    siens dans son dossier referentiels/ (un fichier .yaml par référentiel, schéma referentiel) ; les fiches et les
    axes y renvoient par mesures_nationales.
    """


@referentiels.command(
    "liste",
    epilog="""
stspd referentiels liste
stspd referentiels liste valmont --format json
""",
)
@click.argument("projet", required=False, type=click.Path(path_type=Path, file_okay=False), metavar="[PROJET]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text pour lire, json pour un outil.",
)
def referentiels_liste(projet: Path | None, fmt: str) -> None:
    """Lister les référentiels que le projet peut citer, avec leurs axes et leurs mesures.

    Sans PROJET, ceux du projet du dossier courant ; hors d'un projet, ceux livrés avec stspd. Code de sortie : 1
    quand un fichier du dossier referentiels/ du projet a un problème (chacun est dit, à sa ligne).
    """
    from stspd.check.report import render
    from stspd.commands.frames import frame_json, frame_lines, list_frames
    from stspd.commands.locate import enclosing_project

    listing = list_frames(projet or enclosing_project(Path.cwd()))
    if fmt == "json":
        found = {"referentiels": [frame_json(f) for f in listing.frames], "problemes": [p.as_dict() for p in listing.problems]}
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join("\n".join(frame_lines(frame)) for frame in listing.frames))
        if listing.problems:
            summary = f"{count(len(listing.problems), 'erreur', 'erreurs')} : ces référentiels du projet ne sont pas listés."
            click.echo("\n" + render(listing.problems, "text", summary), nl=False)
    if listing.problems:
        sys.exit(EXIT_INVALID)


@referentiels.command(
    "migrer",
    epilog="""
stspd referentiels migrer valmont --correspondance snpd-2020-vers-2025.yaml --simulation
stspd referentiels migrer valmont --correspondance snpd-2020-vers-2025.yaml
""",
)
@click.argument("projet", required=False, type=click.Path(path_type=Path, file_okay=False), metavar="[PROJET]")
@click.option(
    "--correspondance",
    "mapping",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FICHIER",
    help="Le fichier YAML qui donne, pour chaque axe ou mesure de l'ancien référentiel, ceux du nouveau.",
)
@click.option(
    "--simulation", "--dry-run", "dry_run", cls=_Option, is_flag=True, help="Montrer ce qui changerait, sans rien écrire."
)
def referentiels_migrer(projet: Path | None, mapping: Path, dry_run: bool) -> None:
    """Réécrire les liens des fiches et des axes d'un référentiel vers un autre, selon une correspondance.

    Seules les valeurs des liens changent dans les fichiers : commentaires et mise en page restent. Les liens sans
    correspondance restent tels quels et sont signalés.
    """
    from stspd.commands.frames import migrate
    from stspd.commands.locate import project_root

    if not mapping.is_file():
        raise Misuse(f"le fichier de correspondance « {mapping} » n'existe pas")
    root = project_root(projet)
    done = migrate(root, mapping, dry_run)
    click.echo("\n".join(done.changes + done.unmapped) or "Aucun lien vers l'ancien référentiel.")
    rewritten = count(len(done.rewritten), "lien réécrit", "liens réécrits")
    if done.removed:
        rewritten += " et " + count(len(done.removed), "doublon retiré", "doublons retirés")
    left = count(len(done.unmapped), "lien sans correspondance", "liens sans correspondance")
    if dry_run:
        click.echo(f"{rewritten}, {left} ; --simulation : rien n'a été écrit.")
    else:
        click.echo(
            f"{rewritten} dans {count(len(done.written), 'fichier', 'fichiers')}, {left}. Vérifiez : stspd validate {root}"
        )


@main.command(
    epilog="""
stspd diff                           (la copie de travail depuis le dernier commit)
stspd diff v2025 v2026               (d'une étiquette à l'autre)
stspd diff HEAD~3 HEAD valmont --format md > modifications.md
stspd diff ancienne-version nouvelle-version   (deux dossiers)
git diff                             (avec le pilote de diff de stspd : voir le README)
"""
)
@click.argument("arguments", nargs=-1, metavar="[REV1] [REV2] [PROJET]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="text pour lire, md pour une demande de fusion ou une annexe, json pour un outil.",
)
@click.option(
    "--textconv",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FICHIER",
    help="Écrire FICHIER en mots, un champ par ligne : la conversion que git appelle pour son propre diff.",
)
def diff(arguments: tuple[str, ...], fmt: str, textconv: Path | None) -> None:
    """Dire ce qui a changé dans la stratégie entre deux révisions git du projet, ou entre deux dossiers.

    Axes, objectifs, fiches, indicateurs, partenaires et évaluations ajoutés, supprimés ou renumérotés (reconnus à
    leur numéro, sinon à leur titre), et chaque champ modifié, en mots. Sans révision : la copie de travail
    depuis HEAD ; avec une : la copie de travail depuis cette révision. Un dossier existant donné en dernier est
    le projet. Code de sortie : 0 comparé, 1 rien de comparable, 2 mauvaise utilisation.
    """
    from stspd.commands.diff import NothingToCompare, compare_states
    from stspd.commands.diff import textconv as in_words
    from stspd.compare.report import render

    if textconv is not None:
        if arguments:
            raise Misuse("--textconv convertit un fichier, seul : sans révision ni projet")
        click.echo(in_words(textconv), nl=False)
        return
    try:
        comparison = compare_states(arguments)
    except NothingToCompare as error:
        click.echo(f"Erreur : {error}.", err=True)
        raise SystemExit(EXIT_INVALID) from None
    click.echo(render(comparison, fmt), nl=False)
