"""The PDF from pandoc's Typst source, compiled in a child process of its own so that the time limit and the
clean-up of the other converters apply to it too (the typst binding cannot be stopped once it compiles).

    python -m stspd.render.typst_compile FOLDER MAIN.typ OUT.pdf TIMESTAMP HEADER LOGO
"""

from __future__ import annotations

import sys


def main(folder: str, main_file: str, output: str, timestamp: str, header: str, logo: str) -> None:
    import typst

    from stspd.resources import data_dir

    try:
        pdf = typst.compile(
            main_file,
            root=folder,
            format="pdf",
            timestamp=int(timestamp),
            sys_inputs={"entete": header, "logo": logo},  # the logo: its file name in `folder`, or ""
            # The fonts shipped with stspd (Carlito, as Calibri in the DOCX and ODT) and Typst's own, never the
            # machine's: the same PDF, to the byte, on every machine.
            font_paths=[str(data_dir() / "fonts")],
            ignore_system_fonts=True,
        )
    except typst.TypstError as error:
        sys.stderr.write(f"Typst : {error}\n")
        sys.exit(1)
    with open(output, "wb") as handle:
        handle.write(pdf)


if __name__ == "__main__":
    main(*sys.argv[1:])
