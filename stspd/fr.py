"""French conventions for numbers, amounts, dates and percentages, from CLDR (Babel)."""

from __future__ import annotations

import datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = Locale.parse("fr_FR")  # parsed once: Babel would parse the name again on each of ~600 calls per document
# Formatting is Babel's slowest work in a build, and six figures in ten recur (years, counts): each is done once.
_once = lru_cache(maxsize=4096)
MISSING = "—"


@_once
def number(value: float | None, digits: int = 1, fixed: bool = False) -> str:
    """1 234,5 ; integers stay integers; a missing value shows as a dash, never as zero. `fixed`: exactly `digits`
    decimals (1 234,50), so that the figures of one row or column show the same precision."""
    if value is None:
        return MISSING
    if round(value, digits) == 0:  # what rounds to nothing is written unsigned: « 0 », never « −0,0 »
        value = 0
    if float(value).is_integer() and not (fixed and digits):
        return _minus(format_decimal(int(value), locale=LOCALE))
    decimals = ("0" if fixed else "#") * digits
    return _minus(format_decimal(round(value, digits), format=f"#,##0.{decimals}" if digits else "#,##0", locale=LOCALE))


def _minus(text: str) -> str:
    """A negative number with the minus sign (−) French typesetting uses, not CLDR's hyphen-minus (« -2 »), in
    every document alike: the bilan, the grid, the charts."""
    return text.replace("-", "\u2212", 1)


def decimals(values: list[float | None], most: int = 2) -> int:
    """How many decimals show all of `values` as typed, up to `most`: 0 for counts, 2 for « 0,19 »."""
    return max((len(f"{round(v, most):.{most}f}".rstrip("0").split(".")[1]) for v in values if v is not None), default=0)


@_once
def euros(value: float | None) -> str:
    """12 000 € (cents only where there are some)."""
    if value is None:
        return MISSING
    pattern = "#,##0\u00a0¤" if float(value).is_integer() else "#,##0.00\u00a0¤"  # no line break before €
    return _minus(format_currency(value, "EUR", format=pattern, currency_digits=False, locale=LOCALE))


@_once
def percent(value: float | None, signed: bool = False, digits: int | None = None) -> str:
    """A ratio as 12,5 % (+12,5 % when signed); with `digits`, exactly that many decimals (−2,0 % beside +43,1 %)."""
    if value is None:
        return MISSING
    decimals = "." + "#" if digits is None else ("." + "0" * digits if digits else "")
    if round(value * 100, 1 if digits is None else digits) == 0:  # « 0 % », never « −0 % »
        value = 0
    text = format_percent(value, format=f"#,##0{decimals}\u202f%", locale=LOCALE)  # narrow no-break space, as French sets it
    if signed and value > 0:  # a change: its sign always shown
        return f"+{text}"
    return _minus(text)


@_once
def date(value: str | datetime.date | None) -> str:
    """12 mars 2025 ; 1er mars 2025."""
    if value is None:
        return MISSING
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
    text = format_date(day, format="d\u00a0MMMM\u00a0y", locale=LOCALE)  # a date is never broken across lines
    return text.replace("1\u00a0", "1er\u00a0", 1) if day.day == 1 else text


@_once
def month(value: str) -> str:
    """« 2025-09 » → septembre 2025 ; a full date is written as a date."""
    if len(value) > 7:
        return date(value)
    return format_date(datetime.date.fromisoformat(f"{value}-01"), format="MMMM\u00a0y", locale=LOCALE)


def years(first: int, last: int) -> str:
    """A span of years as French typesetting writes it: 2024–2028 (en dash, no spaces)."""
    return f"{first}\u2013{last}"


def listing(items: list) -> str:
    """« 2024 », « 2024 et 2025 », « 2023, 2024 et 2025 »."""
    words = [str(item) for item in items]
    return ", ".join(words[:-1]) + " et " + words[-1] if len(words) > 1 else "".join(words)


def evolution(first: float | None, last: float | None) -> float | None:
    """Relative change from first to last; unknown when either is missing or first is zero."""
    if first in (None, 0) or last is None:
        return None
    return (last - first) / first


# Agreement in number. French puts a count under 2 in the singular (« 0 fiche », « 1 fiche », « 1,5 million »), and
# from 2 on in the plural. A label's plural is made word by word up to its first preposition: « non renseigné » →
# « non renseignés », « fiche action » → « fiches actions », « état d'avancement » → « états d'avancement » ; a
# locution that starts with one is invariable: « en retard », « en bonne voie », « à revoir ».
_PREPOSITIONS = frozenset({
    "à", "au", "aux", "de", "du", "des", "d", "en", "dans", "sur", "sous", "par", "pour", "sans", "hors", "avec", "vers",
    "chez", "entre", "contre", "selon", "le", "la", "les", "l",
})  # fmt: skip
_INVARIABLE = frozenset({"non", "très", "peu", "bien", "mal", "trop", "et", "ou"})  # adverbs before an adjective; conjunctions
_PLURAL_IN_S = frozenset({
    "bleu", "pneu", "émeu", "landau", "sarrau", "bal", "carnaval", "festival", "récital", "chacal", "final", "fatal",
    "natal", "naval", "banal",
})  # fmt: skip


@_once
def plural_of(label: str) -> str:
    """The plural of a singular noun, adjective or participle, or of a label made of them (see above)."""
    words = label.split(" ")
    for index, word in enumerate(words):
        bare = word.casefold()
        if bare in _PREPOSITIONS or "'" in word or "\u2019" in word:  # « d'avancement », « l'an »: the complement
            break
        if bare not in _INVARIABLE:
            words[index] = _plural_word(word)
    return " ".join(words)


def _plural_word(word: str) -> str:
    bare = word.casefold()
    if not word[-1:].isalpha() or bare[-1] in "sxz" or (len(word) > 1 and word.isupper()):  # « (autre) », « CAF »
        return word
    if bare in _PLURAL_IN_S:
        return word + "s"
    if bare.endswith(("eau", "au", "eu")):
        return word + "x"
    if bare.endswith("al"):
        return word[:-1] + "ux"  # national → nationaux
    return word + "s"


def agreed(label: str, count: float) -> str:
    """`label` agreed with `count`: « atteint » for 0 or 1, « atteints » for 2 and more (see plural_of)."""
    return label if abs(count) < 2 else plural_of(label)


def counted(count: float, singular: str, plural: str | None = None) -> str:
    """« 1 fiche », « 2 fiches », « 1 200 changements » : the count, written the French way, and its agreed noun
    (`plural` where the rule of plural_of does not make it)."""
    return f"{number(count)} {singular if abs(count) < 2 else plural or plural_of(singular)}"
