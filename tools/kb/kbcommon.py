"""Shared helpers for the Lagebild knowledge-base build scripts (tools/kb/).

Plain Python 3 standard library; no network. Imported by build_countries.py,
build_places.py and check_kb.py.
"""

import os
import re
import sys
import unicodedata

LIST_SEP = "|"


def fold(s):
    """Lower-case ASCII skeleton of a name: diacritics removed, ß -> ss."""
    s = s.replace("ß", "ss").replace("ẞ", "SS")
    s = s.replace("ı", "i").replace("ł", "l").replace("Ł", "L").replace("đ", "d").replace("Đ", "D")
    s = s.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "AE")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.lower()


def slug(s):
    """ASCII lower-case slug with hyphens ("Chan Yunis" -> "chan-yunis")."""
    s = fold(s)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def split_list(field):
    return [x.strip() for x in field.split(LIST_SEP) if x.strip()] if field else []


def join_list(items):
    return LIST_SEP.join(items)


def dedup(items):
    seen = set()
    out = []
    for x in items:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def clean_field(s):
    s = (s or "").replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return re.sub(r" {2,}", " ", s).strip()


def read_tsv(path, ncols, header_first=False):
    """Rows of a KB-style TSV ('#' comments, blank lines skipped), padded to ncols.
    Fails on rows with more than ncols fields."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) > ncols:
                sys.exit("%s:%d: %d fields, expected %d" % (path, lineno, len(fields), ncols))
            fields += [""] * (ncols - len(fields))
            rows.append([x.strip() for x in fields])
    return rows


def read_plain_tsv(path):
    """A data TSV with a header line; returns list of dicts."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        out = []
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            fields = line.split("\t")
            fields += [""] * (len(header) - len(fields))
            out.append(dict(zip(header, fields)))
    return out


def write_tsv(path, header_lines, columns, rows):
    """Writes comment header, a '#'-prefixed column line and the rows; LF line ends."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header_lines:
            f.write("# " + h + "\n" if h else "#\n")
        f.write("# Columns: " + "\t".join(columns) + "\n")
        for r in rows:
            assert len(r) == len(columns), r
            for x in r:
                assert "\t" not in x and "\n" not in x and "\r" not in x, r
            f.write("\t".join(r) + "\n")


def repo_root():
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


# German-style transliteration of a Cyrillic-derived English name; used only to
# pick a German form that the GeoNames alternate names attest (Tashkent ->
# Taschkent, Dushanbe -> Duschanbe, Novosibirsk -> Nowosibirsk).
_DE_TRANSLIT = [
    ("shch", "schtsch"), ("zh", "sch"), ("kh", "ch"), ("ch", "tsch"), ("sh", "sch"),
    ("ts", "z"), ("yu", "ju"), ("ya", "ja"), ("ye", "je"), ("yo", "jo"), ("iy", "i"),
    ("y", "j"), ("v", "w"), ("z", "s"),
]
# countries whose place names English writes in transliteration from Cyrillic
# (or with the same conventions) and German in its own transliteration
CYRILLIC_TRANSLIT_CC = {"RU", "UA", "BY", "KZ", "UZ", "TJ", "KG", "TM", "AZ", "MN", "BG", "AM", "GE"}


def _translit(low, rules):
    res = []
    i = 0
    while i < len(low):
        for a, b in rules:
            if low.startswith(a, i):
                res.append(b)
                i += len(a)
                break
        else:
            res.append(low[i])
            i += 1
    return "".join(res)


def _recap(s):
    return "-".join(" ".join(w[:1].upper() + w[1:] for w in part.split(" ")) for part in s.split("-"))


def german_translit_candidates(name):
    """German transliterations of an English transliterated name, with and
    without z -> s (Kazan -> Kasan, but Zaporizhzhia -> Saporischschja)."""
    low = name.lower()
    out = {_recap(_translit(low, _DE_TRANSLIT)), _recap(_translit(low, _DE_TRANSLIT[:-1]))}
    out.discard(name)
    return sorted(out)
