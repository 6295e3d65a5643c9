#!/usr/bin/env python3
"""Checks the Lagebild knowledge-base files (resources/kb/*.tsv).

    python3 tools/kb/check_kb.py [resources/kb]

Run by build_countries.py and build_places.py after writing; also usable on a
folder of user KB files with the same names. Checks: column counts, no stray
tab/CR in fields, unique ids, ISO3 codes of places and entities present in
countries.tsv, the code sets (PER/ORG, sectors, place kinds), role syntax
(key@from-to), lower-case German adjective stems, file sizes. Exit 1 on error.
"""

import os
import re
import sys

SPECS = {
    "countries.tsv": ["iso3", "iso2", "name_en", "name_de", "capital_en", "capital_de",
                      "adj_en", "adj_de", "people_en", "people_de", "aliases"],
    "countries_supplement.tsv": ["iso3", "iso2", "name_en", "name_de", "capital_en", "capital_de",
                                 "adj_en", "adj_de", "people_en", "people_de", "aliases"],
    "places.tsv": ["id", "name_en", "name_de", "country", "kind", "variants"],
    "places_supplement.tsv": ["id", "name_en", "name_de", "country", "kind", "variants"],
    "entities.tsv": ["id", "type", "name", "country", "sector", "roles", "variants"],
    "titles.tsv": ["lang", "form", "role", "sector"],
}
SECTORS = {"GOV", "MIL", "IGO", "NGO", "MED", "BUS", "JUD", "LEG", "OPP", "REB", "PTY", "CVL"}
KINDS = {"city", "capital", "region", "site"}
ROLE_RE = re.compile(r"^[a-z][a-z0-9_]*@(\d{4})?-(\d{4})?$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_TOTAL = 3 * 1024 * 1024
MAX_PLACES = 1024 * 1024


def rows_of(path, ncols, errors):
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    if "\r" in data:
        errors.append("%s: contains CR characters" % path)
    for lineno, line in enumerate(data.split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != ncols:
            errors.append("%s:%d: %d fields, expected %d" % (path, lineno, len(fields), ncols))
            continue
        for x in fields:
            if x != x.strip():
                errors.append("%s:%d: field with surrounding white space: %r" % (path, lineno, x))
            if "||" in x or x.startswith("|") or x.endswith("|"):
                errors.append("%s:%d: empty list item in %r" % (path, lineno, x))
        out.append((lineno, fields))
    return out


def main(argv):
    kbdir = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "resources", "kb")
    errors = []
    tables = {}
    for name, cols in SPECS.items():
        path = os.path.join(kbdir, name)
        if os.path.exists(path):
            tables[name] = rows_of(path, len(cols), errors)

    iso3 = set()
    if "countries.tsv" in tables:
        seen2 = set()
        for ln, r in tables["countries.tsv"]:
            if not re.match(r"^[A-Z]{3}$", r[0]) or not re.match(r"^[A-Z]{2}$", r[1]):
                errors.append("countries.tsv:%d: bad codes %s %s" % (ln, r[0], r[1]))
            if r[0] in iso3 or r[1] in seen2:
                errors.append("countries.tsv:%d: duplicate code %s/%s" % (ln, r[0], r[1]))
            iso3.add(r[0])
            seen2.add(r[1])
            if not r[2] or not r[3]:
                errors.append("countries.tsv:%d: missing name" % ln)
            for a in r[7].split("|") if r[7] else []:
                if a != a.lower():
                    errors.append("countries.tsv:%d: adj_de not lower case: %s" % (ln, a))
    else:
        errors.append("countries.tsv missing in %s" % kbdir)

    for name in ("places.tsv", "places_supplement.tsv"):
        ids = set()
        for ln, r in tables.get(name, []):
            if not re.match(r"^geo:([0-9]+|[a-z0-9]+(-[a-z0-9]+)*)$", r[0]):
                errors.append("%s:%d: bad id %s" % (name, ln, r[0]))
            if r[0] in ids:
                errors.append("%s:%d: duplicate id %s" % (name, ln, r[0]))
            ids.add(r[0])
            if r[3] and r[3] not in iso3:
                errors.append("%s:%d: unknown country %s" % (name, ln, r[3]))
            if r[4] and r[4] not in KINDS:
                errors.append("%s:%d: bad kind %s" % (name, ln, r[4]))
            if name == "places.tsv" and (not r[1] or not r[2] or not r[4]):
                errors.append("%s:%d: empty name or kind" % (name, ln))
            if name == "places.tsv" and not r[3] and r[4] not in ("region", "site"):
                errors.append("%s:%d: a city without a country" % (name, ln))

    ids = set()
    for ln, r in tables.get("entities.tsv", []):
        if not re.match(r"^(per|org):[a-z0-9]+(-[a-z0-9]+)*$", r[0]):
            errors.append("entities.tsv:%d: bad id %s" % (ln, r[0]))
        if r[0] in ids:
            errors.append("entities.tsv:%d: duplicate id %s" % (ln, r[0]))
        ids.add(r[0])
        if r[1] not in ("PER", "ORG") or r[0][:3] != r[1].lower():
            errors.append("entities.tsv:%d: type %s does not fit id %s" % (ln, r[1], r[0]))
        if not r[2]:
            errors.append("entities.tsv:%d: empty name" % ln)
        if r[3] and r[3] not in iso3:
            errors.append("entities.tsv:%d: unknown country %s" % (ln, r[3]))
        if r[4] not in SECTORS:
            errors.append("entities.tsv:%d: bad sector %s" % (ln, r[4]))
        for role in r[5].split("|") if r[5] else []:
            m = ROLE_RE.match(role)
            if not m:
                errors.append("entities.tsv:%d: bad role %s" % (ln, role))
            elif m.group(1) and m.group(2) and int(m.group(1)) > int(m.group(2)):
                errors.append("entities.tsv:%d: role years reversed %s" % (ln, role))

    seen = set()
    for ln, r in tables.get("titles.tsv", []):
        if r[0] not in ("de", "en"):
            errors.append("titles.tsv:%d: bad lang %s" % (ln, r[0]))
        if not KEY_RE.match(r[2]):
            errors.append("titles.tsv:%d: bad role key %s" % (ln, r[2]))
        if r[3] not in SECTORS:
            errors.append("titles.tsv:%d: bad sector %s" % (ln, r[3]))
        key = (r[0], r[1], r[2])
        if key in seen:
            errors.append("titles.tsv:%d: duplicate %s" % (ln, key))
        seen.add(key)

    total = 0
    for fn in os.listdir(kbdir):
        p = os.path.join(kbdir, fn)
        if os.path.isfile(p):
            total += os.path.getsize(p)
    if total > MAX_TOTAL:
        errors.append("%s: %d bytes in all, over %d" % (kbdir, total, MAX_TOTAL))
    pl = os.path.join(kbdir, "places.tsv")
    if os.path.exists(pl) and os.path.getsize(pl) > MAX_PLACES:
        errors.append("places.tsv: %d bytes, over %d" % (os.path.getsize(pl), MAX_PLACES))

    for e in errors[:200]:
        print("ERROR " + e, file=sys.stderr)
    counts = ", ".join("%s %d" % (n, len(t)) for n, t in sorted(tables.items()))
    print("check_kb: %s; %d bytes; %d errors" % (counts, total, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
