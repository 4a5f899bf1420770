"""Benchmark: importing one commune from an SSMSI commune file of the real file's size (about 5 million rows).

    python benchmarks/ssmsi.py [--rows 5000000] [--max-seconds 60] [--max-mib 200]

Generates, in a temporary folder, a gzip file in the current layout (`;`, every field quoted, decimal comma, `NA`
and `ndiff` rows), of `--rows` rows: communes × 9 years × 15 indicators, the sample's commune among them near the
end. Then times one `stspd diagnostic import-ssmsi` process on a copy of the sample and reports its wall time and
the peak memory of its process tree; exits 1 past a bound. The target on the 2-core machine: under 60 s and 200 MB.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
from pathlib import Path

from measure import STSPD, run_once, warm_up
from project_gen import SAMPLE

HEADER = (
    '"CODGEO_2025";"annee";"indicateur";"unite_de_compte";"nombre";"taux_pour_mille";"est_diffuse";"insee_pop";'
    '"insee_pop_millesime";"insee_log";"insee_log_millesime";"complement_info_nombre";"complement_info_taux"\n'
)
INDICATORS = 15
YEARS = range(2016, 2025)


def generate(path: Path, rows: int, kept: str = "45999") -> None:
    communes = max(1, rows // (INDICATORS * len(YEARS)))
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        out.write(HEADER)
        for n in range(communes):
            code = kept if n == communes - 10 else f"{1 + n // 900:02d}{n % 900 + 100:03d}"
            lines = []
            for k in range(INDICATORS):
                for year in YEARS:
                    withheld = (n + k + year) % 7 == 0
                    count, rate = ("NA", "NA") if withheld else (str((n * 7 + k * 3 + year) % 500), "1,25")
                    extra = ("3,2", "0,4") if withheld else ("NA", "NA")
                    lines.append(
                        f'"{code}";"{year}";"Indicateur {k}";"Victime";"{count}";"{rate}";'
                        f'"{"ndiff" if withheld else "diff"}";"12000";"2021";"6000";"2021";"{extra[0]}";"{extra[1]}"\n'
                    )
            out.write("".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000_000, help="rows of the generated file (default 5,000,000)")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="bound on the import's time (default 60)")
    parser.add_argument("--max-mib", type=float, default=200.0, help="bound on the import's peak memory (default 200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stspd-bench-") as folder:
        work = Path(folder)
        warm_up(work)
        source = work / "base-communale.csv.gz"
        generate(source, args.rows)
        project = Path(shutil.copytree(SAMPLE, work / "valmont"))
        (project / "diagnostic" / "ssmsi.yaml").unlink()
        run = run_once([*STSPD, "diagnostic", "import-ssmsi", str(project), str(source), "--commune", "45999"], work)
        size = source.stat().st_size / 1024 / 1024
    failed = run.seconds > args.max_seconds or run.tree_mib > args.max_mib
    print(
        f"import-ssmsi, {args.rows:,} rows ({size:.0f} MiB gzip): {run.seconds:.1f} s (bound {args.max_seconds:.0f} s), "
        f"peak {run.tree_mib:.0f} MiB (bound {args.max_mib:.0f}) {'TOO SLOW OR TOO BIG' if failed else 'ok'}"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
