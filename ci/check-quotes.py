#!/usr/bin/env python3
"""Checks that every catalog quote taken from a document (no `source:`) is in
that document's text, word for word. The documents are not in this
repository: pass the folder that holds them (the seeds' file names).

    python3 ci/check-quotes.py ../shared/seeds

Whitespace is compared loosely, and the seeds' rendering faults are undone
(markdown links around citations, backquotes, backslash escapes, 8-bit
quotation marks); "…" and "[...]" in a quote stand for left-out words, so
its pieces must appear in order. Exit status 1 names each quote not found.
"""
import re
import sys
from pathlib import Path

import yaml

SEEDS = {
    "immi-content": "001_8785b7646633c311.txt",
    "mimi-discovery": "002_1cd7940c7890e43b.txt",
    "application-mime": "003_22214a6e978237c3.txt",
    "pep-message-2": "004_06469e738c198f2c.txt",
}
MARKS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                       "Õ": "'", "Ó": '"', "Ò": '"', "Ð": "-"})


def norm(s, document=False):
    s = s.translate(MARKS)
    if document:
        s = re.sub(r"\[\[([^\]]+)\]\(#\)\]", r"[\1]", s)
        s = re.sub(r"\[\\\[([^\]\\]+)\\\]\]\(#\)", r"[\1]", s)
        s = s.replace("`", "")
    s = re.sub(r"\\([_*\[\]()#.\-+!`>])", r"\1", s)
    return re.sub(r"\s+", " ", s).strip()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    seeds, vectors = Path(sys.argv[1]), Path(__file__).resolve().parent.parent / "vectors"
    checked, missing = 0, []
    for doc, name in SEEDS.items():
        text = norm((seeds / name).read_text(encoding="utf-8", errors="replace"), True)
        for r in yaml.safe_load((vectors / doc / "requirements.yaml").read_text()):
            if r.get("source"):
                continue
            checked += 1
            pos = 0
            for piece in re.split(r"\s*(?:…|\[\.\.\.\])\s*", r["quote"]):
                at = text.find(norm(piece), pos)
                if at < 0:
                    missing.append(f"{doc} {r['id']}: not in {name}: {piece[:100]!r}")
                    break
                pos = at + len(norm(piece))
    print("\n".join(missing + [f"{checked} document quotes, {len(missing)} not found"]))
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
