"""The date every output carries (zip entries, document properties): fixed by the data, so that the same
project gives the same bytes."""

from __future__ import annotations

import datetime
import os
import re

from stspd.model.types import Strategy

_LAST_SECOND = 253402300799  # 9999-12-31T23:59:59Z, the last date Python's datetime can hold


class BadSetting(Exception):
    """The environment asks for something impossible (a malformed SOURCE_DATE_EPOCH): a misuse, exit 2."""


def timestamp(strategie: Strategy) -> datetime.datetime:
    """SOURCE_DATE_EPOCH, else the adoption date, else 1 January of the strategy's first year."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        if not re.fullmatch(r"\s*\d{1,12}\s*", epoch) or int(epoch) > _LAST_SECOND:
            raise BadSetting(
                f"SOURCE_DATE_EPOCH doit être un nombre de secondes depuis 1970, par exemple 1700000000 (reçu « {epoch} »)"
            )
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    adopted = strategie.get("adoption", {}).get("date")
    day = datetime.date.fromisoformat(adopted) if adopted else datetime.date(strategie["periode"]["debut"], 1, 1)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
