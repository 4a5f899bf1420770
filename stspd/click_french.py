"""click's own words in French: usage, help headings, usage errors.

click translates its messages through gettext, bound in each of its modules as `_` and `ngettext`; stspd puts its
own translation there. A message click adds in a later release stays English until it is added here: the tests
read every message a user can meet (help, each usage error) and fail on an English word.
"""

from __future__ import annotations

import click

_WORDS = {
    "Usage:": "Utilisation\u00a0:",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Aborted!": "Interrompu : rien n'a été écrit.",
    "Missing command.": "Commande manquante.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Aide : {command} {option}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "No such option {name!r}.": "Option inconnue : {name}.",
    "No such command {name!r}.": "Commande inconnue : « {name} ».",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir « {filename} » : {message}",
    "unknown error": "erreur inconnue",
    "Option {name!r} does not take a value.": "L'option {name} ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name} prend {nargs} valeurs.",
    "Invalid start character for option ({option})": "Caractère de début invalide pour une option ({option})",
    "required": "obligatoire",
    "default: {default}": "par défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "(dynamic)": "(calculé)",
    "deprecated": "obsolète",
    "Value must be an iterable.": "Une liste de valeurs est attendue.",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas {number_type}.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "« {value} » n'est ni vrai ni faux ({states}).",
    "{name} {filename!r} does not exist.": "{name} « {filename} » n'existe pas.",
    "{name} {filename!r} is a file.": "{name} « {filename} » est un fichier, pas un dossier.",
    "{name} {filename!r} is a directory.": "{name} « {filename} » est un dossier, pas un fichier.",
    "{name} {filename!r} is not readable.": "{name} « {filename} » ne peut pas être lu (droits d'accès ?).",
    "{name} {filename!r} is not writable.": "{name} « {filename} » ne peut pas être écrit (droits d'accès ?).",
    "{name} {filename!r} is not executable.": "{name} « {filename} » n'est pas exécutable.",
    "file": "Le fichier",
    "directory": "Le dossier",
    "path": "Le chemin",
}
_PLURALS = {
    "Got unexpected extra argument ({args})": ("Argument en trop ({args})", "Arguments en trop ({args})"),
    "Option {name!r} requires an argument.": ("L'option {name} attend une valeur.", "L'option {name} attend {nargs} valeurs."),
    "{value!r} is not {choice}.": ("« {value} » n'est pas {choice}.", "« {value} » n'est pas l'une des valeurs : {choices}."),
    "Takes {nargs} values but 1 was given.": (
        "Attend {nargs} valeurs, 1 seule donnée.",
        "Attend {nargs} valeurs, {len} données.",
    ),
}
# click names the type in « 'deux' is not a valid integer »
_NUMBER_TYPES = {"integer": "un nombre entier", "float": "un nombre"}


def _gettext(message: str) -> str:
    return _WORDS.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    french = _PLURALS.get(singular)
    if french is None:
        return singular if count == 1 else plural
    return french[0] if count == 1 else french[1]


def _possibilities(possibilities: list[str]) -> str:
    """« vouliez-vous dire « --format » ? », as stspd's own suggestions say it (click quotes with repr)."""
    quoted = ", ".join(f"«\u00a0{p}\u00a0»" for p in sorted(possibilities))
    return f"Vouliez-vous dire {quoted}\u00a0?" if len(possibilities) == 1 else f"Vouliez-vous dire l'un de : {quoted}\u00a0?"


def _error_hint(parameter: click.Parameter, ctx: click.Context | None) -> str:
    """« --annee » in a message, without the English spelling still accepted (`hidden`) nor straight quotes."""
    names = [name for name in (parameter.opts if isinstance(parameter, click.Option) else [parameter.human_readable_name])]
    return " / ".join(f"«\u00a0{name}\u00a0»" for name in names if name not in _HIDDEN)


_HIDDEN: set[str] = set()


def install(hidden: set[str]) -> None:
    """Put the French words in each click module that says something; `hidden` options are left out of messages."""
    _HIDDEN.update(hidden)
    click.Parameter.get_error_hint = _error_hint  # type: ignore[method-assign, assignment]
    from click import core, decorators, exceptions, formatting, parser, termui, types

    exceptions._format_possibilities = _possibilities  # type: ignore[attr-defined]

    for module in (core, decorators, exceptions, formatting, parser, termui, types):
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    click.INT.name = _NUMBER_TYPES["integer"]  # type: ignore[misc]
    click.FLOAT.name = _NUMBER_TYPES["float"]  # type: ignore[misc]
