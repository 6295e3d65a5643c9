#!/usr/bin/env python3
"""Checks the Lagebild knowledge-base files (resources/kb/*.tsv).

    python3 tools/kb/check_kb.py [resources/kb]

Run by build_countries.py and build_places.py after writing; also usable on a
folder of user KB files with the same names. Checks: column counts, no stray
tab/CR in fields, unique ids, ISO3 codes of places and entities present in
countries.tsv, the code sets (PER/ORG, sectors, place kinds), role syntax
(key@from-to), lower-case German adjective stems, file sizes. Exit 1 on error.

entities.tsv / titles.tsv / agents.tsv (extended checks): role years within
1900..2100 and not reversed; no name or variant of one entity that folds (as the
Rust loader's key::fold does: lower case, umlauts -> ae/oe/ue, diacritics off,
punctuation -> space, apostrophes and dots dropped) to a name or variant of
another entity, nor to a country name or alias (ambiguous surfaces cannot link);
no title or agent form that folds to the same key as another form with a
different role or sector (the loader keys titles and agents by folded form,
whatever the language).
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
    "agents.tsv": ["lang", "form", "sector"],
}
# CAMEO/PLOVER agent codes: the core set, plus the further CAMEO codes that the
# NGEC/PLOVER agents dictionary and its actor-resolution gold use (SPY intelligence,
# COP police, REL religious, CRM criminal, EDU education, HLH health, LAB labour,
# REF refugees, UAF unaffiliated armed forces, AGR agriculture, ELI elites,
# ENV environment, HRI human rights).
SECTORS = {"GOV", "MIL", "IGO", "NGO", "MED", "BUS", "JUD", "LEG", "OPP", "REB", "PTY", "CVL",
           "SPY", "COP", "REL", "CRM", "EDU", "HLH", "LAB", "REF", "UAF", "AGR", "ELI", "ENV",
           "HRI", "PRE", "PRM"}
KINDS = {"city", "capital", "region", "site"}
ROLE_RE = re.compile(r"^[a-z][a-z0-9_]*@(\d{4})?-(\d{4})?$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_TOTAL = 3 * 1024 * 1024
MAX_PLACES = 1024 * 1024
FOLD_MAP = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe",
            "ø": "o", "ł": "l", "đ": "d", "ı": "i"}


def fold(s):
    """Python twin of the Rust key::fold: lower case, German umlauts -> ae/oe/ue,
    other diacritics dropped, apostrophes and dots dropped, other non-alphanumeric
    runs -> one space."""
    import unicodedata
    out = []
    space = False
    for c in s:
        if c.isalnum():
            if space and out:
                out.append(" ")
            space = False
            lc = c.lower()
            if lc in FOLD_MAP:
                out.append(FOLD_MAP[lc])
            else:
                d = unicodedata.normalize("NFKD", lc)
                out.append("".join(x for x in d if not unicodedata.combining(x)))
        elif c not in "'’ʼ.":
            space = True
    return "".join(out)


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
    warnings = []
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
            elif any(y and not 1900 <= int(y) <= 2100 for y in m.groups()):
                errors.append("entities.tsv:%d: role year out of range %s" % (ln, role))
            elif not m.group(1) and not m.group(2):
                errors.append("entities.tsv:%d: role without years %s" % (ln, role))

    # Surfaces (name and variants) that fold alike on two entities, or like a country.
    country_keys = {}
    for ln, r in tables.get("countries.tsv", []):
        for x in [r[2], r[3]] + (r[10].split("|") if r[10] else []):
            country_keys.setdefault(fold(x), r[0])
    # Entity surfaces that are also place names only warn (metonymy such as a
    # building standing for its occupant can be intended).
    place_keys = {}
    for ln, r in tables.get("places.tsv", []):
        for x in [r[1], r[2]] + (r[5].split("|") if r[5] else []):
            if x:
                place_keys.setdefault(fold(x), r[0])
    owner = {}
    for ln, r in tables.get("entities.tsv", []):
        variants = r[6].split("|") if r[6] else []
        if len(set(variants)) != len(variants):
            errors.append("entities.tsv:%d: repeated variant in %s" % (ln, r[0]))
        for v in set([r[2]] + variants):
            k = fold(v)
            if not k:
                errors.append("entities.tsv:%d: variant without letters %r" % (ln, v))
                continue
            if k in owner and owner[k][0] != r[0]:
                errors.append("entities.tsv:%d: %r of %s also names %s (line %d)"
                              % (ln, v, r[0], owner[k][0], owner[k][1]))
            owner.setdefault(k, (r[0], ln))
            if k in country_keys:
                errors.append("entities.tsv:%d: %r of %s is a name of country %s"
                              % (ln, v, r[0], country_keys[k]))
            if k in place_keys:
                warnings.append("entities.tsv:%d: %r of %s is also a name of place %s"
                                % (ln, v, r[0], place_keys[k]))

    seen = set()
    folded = {}
    for ln, r in tables.get("titles.tsv", []):
        if r[0] not in ("de", "en"):
            errors.append("titles.tsv:%d: bad lang %s" % (ln, r[0]))
        if not fold(r[1]):
            errors.append("titles.tsv:%d: empty form" % ln)
        k = fold(r[1])
        if k in folded and folded[k][0] != (r[2], r[3]):
            errors.append("titles.tsv:%d: %r folds like line %d with another role/sector %s"
                          % (ln, r[1], folded[k][1], folded[k][0]))
        folded.setdefault(k, ((r[2], r[3]), ln))
        if not KEY_RE.match(r[2]):
            errors.append("titles.tsv:%d: bad role key %s" % (ln, r[2]))
        if r[3] not in SECTORS:
            errors.append("titles.tsv:%d: bad sector %s" % (ln, r[3]))
        key = (r[0], r[1], r[2])
        if key in seen:
            errors.append("titles.tsv:%d: duplicate %s" % (ln, key))
        seen.add(key)

    # Offices held by two people of one country for more than the year of handover:
    # usually a wrong year; fine for offices with several holders (advisers, envoys,
    # spokespeople, party co-leaders), so only a warning.
    multi = {"presidential_aide", "special_envoy", "party_leader", "intelligence_chief",
             "foreign_ministry_spokesperson", "hamas_leader", "ambassador", "party_official",
             "legislator", "mayor", "regional_head"}
    spans = {}
    for ln, r in tables.get("entities.tsv", []):
        if r[1] != "PER" or not r[3]:
            continue
        for role in r[5].split("|") if r[5] else []:
            m = ROLE_RE.match(role)
            if m and role.split("@")[0] not in multi and not role.startswith("deputy_"):
                a = int(m.group(1) or 1900)
                b = int(m.group(2) or 2100)
                spans.setdefault((role.split("@")[0], r[3]), []).append((a, b, r[0], ln))
    for (role, cc), lst in sorted(spans.items()):
        for i in range(len(lst)):
            for j in range(i + 1, len(lst)):
                a1, b1, id1, ln1 = lst[i]
                a2, b2, id2, ln2 = lst[j]
                if id1 != id2 and min(b1, b2) - max(a1, a2) >= 1:
                    warnings.append("entities.tsv:%d: %s %s held by %s and %s (line %d) in %d-%d"
                                    % (ln2, cc, role, id2, id1, ln1, max(a1, a2),
                                       min(b1, b2)))

    title_sector = {}
    for ln, r in tables.get("titles.tsv", []):
        title_sector.setdefault(fold(r[1]), (r[3], ln))
    folded = {}
    for ln, r in tables.get("agents.tsv", []):
        if r[0] not in ("de", "en"):
            errors.append("agents.tsv:%d: bad lang %s" % (ln, r[0]))
        if r[2] not in SECTORS:
            errors.append("agents.tsv:%d: bad sector %s" % (ln, r[2]))
        k = fold(r[1])
        if not k:
            errors.append("agents.tsv:%d: empty form" % ln)
        elif k in folded and folded[k][0] != r[2]:
            errors.append("agents.tsv:%d: %r folds like line %d with sector %s"
                          % (ln, r[1], folded[k][1], folded[k][0]))
        folded.setdefault(k, (r[2], ln))
        if k in title_sector and title_sector[k][0] != r[2]:
            warnings.append("agents.tsv:%d: %r has sector %s, titles.tsv:%d says %s"
                            % (ln, r[1], r[2], title_sector[k][1], title_sector[k][0]))

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

    for w in warnings[:100]:
        print("WARN " + w, file=sys.stderr)
    for e in errors[:200]:
        print("ERROR " + e, file=sys.stderr)
    counts = ", ".join("%s %d" % (n, len(t)) for n, t in sorted(tables.items()))
    print("check_kb: %s; %d bytes; %d errors, %d warnings"
          % (counts, total, len(errors), len(warnings)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
