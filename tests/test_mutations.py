"""Property: however the sample is broken, validate answers with located errors and exit 1, never a traceback."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import yaml
from conftest import SAMPLE, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FICHES = sorted(p.name for p in (SAMPLE / "actions").glob("*.yaml"))
WRONG_TYPES = [{"cle": 1}, ["a", "b"], "douze", 12, True]


def _mutate(data: dict, kind: str, choice: int) -> dict:
    if kind == "delete":  # a required key, of the fiche or of its first indicator
        owners = [(data, ["id", "titre", "objectifs", "pilote"])]
        if data.get("indicateurs"):
            owners.append((data["indicateurs"][0], ["id", "type", "libelle"]))
        owner, keys = owners[choice % len(owners)]
        del owner[keys[choice % len(keys)]]
    elif kind == "retype":
        key = ["titre", "pilote", "objectifs", "moyens", "indicateurs", "calendrier"][choice % 6]
        wrong = [w for w in WRONG_TYPES if type(w) is not type(data.get(key))]
        data[key] = wrong[choice % len(wrong)]
    elif kind == "reference":
        key = ["pilote", "objectifs", "partenaires", "constats"][choice % 4]
        data[key] = "inconnu-xyz" if key == "pilote" else ["inconnu-xyz"]
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fiche=st.sampled_from(FICHES),
    kind=st.sampled_from(["delete", "retype", "reference", "duplicate"]),
    choice=st.integers(min_value=0, max_value=1000),
)
def test_a_broken_sample_gets_located_errors_and_exit_1(fiche, kind, choice):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(shutil.copytree(SAMPLE, Path(folder) / "valmont"))
        path = root / "actions" / fiche
        if kind == "duplicate":
            lines = path.read_text(encoding="utf-8").splitlines()
            keys = [line for line in lines if line and line[0].isalpha() and ":" in line]
            path.write_text("\n".join(lines + [keys[choice % len(keys)]]) + "\n", encoding="utf-8")
        else:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            path.write_text(yaml.safe_dump(_mutate(data, kind, choice), allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = run("validate", root, "--format", "json")
        assert result.exit_code == 1, result.output
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
        errors = json.loads(result.output)["erreurs"]
        assert errors and all(e["line"] >= 1 and e["column"] >= 1 and e["message"] for e in errors)
        assert any(e["file"].endswith(fiche) for e in errors)
