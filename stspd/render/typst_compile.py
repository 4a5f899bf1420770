"""The PDF from pandoc's Typst source, compiled in a child process of its own so that the time limit and the
clean-up of the other converters apply to it too (the typst binding cannot be stopped once it compiles).

    python -m stspd.typst_compile FOLDER MAIN.typ OUT.pdf TIMESTAMP HEADER
"""

from __future__ import annotations

import sys


def main(folder: str, main_file: str, output: str, timestamp: str, header: str) -> None:
    import typst

    try:
        pdf = typst.compile(main_file, root=folder, format="pdf", timestamp=int(timestamp), sys_inputs={"entete": header})
    except typst.TypstError as error:
        sys.stderr.write(f"Typst : {error}\n")
        sys.exit(1)
    with open(output, "wb") as handle:
        handle.write(pdf)


if __name__ == "__main__":
    main(*sys.argv[1:])
