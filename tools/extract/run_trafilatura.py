#!/usr/bin/env python3
"""Run Python trafilatura on the pages of ../shared/data/extract and write its
outputs, one JSON Lines file per benchmark, for `lagebild eval extract --compare DIR`.

Each line: {"id", "text", "title", "author", "date", "ms"}; `ms` is the wall time
of the extraction call alone (bytes in, text and metadata out), one page at a time.
The pages and their ids are enumerated exactly as `lagebild eval extract` does:
  trafilatura: the URL keys of evaldata.dev.json (html/<file>.gz)
  htmldate:    the `file` of eval_default.dev.json then eval_mediacloud_2020.dev.json
  zyte:        the ids of ground-truth.json (html/<id>.html.gz)
  wcxb:        dev/NNNN.html inside html.tar.xz
Written for this project; uses only the standard library and trafilatura.
"""
import argparse
import gzip
import json
import os
import sys
import tarfile
import time

import trafilatura
from trafilatura import bare_extraction


def pages(data, only, limit):
    def take(name, it):
        if only and only != name:
            return
        n = 0
        for item in it:
            if limit is not None and n >= limit:
                break
            n += 1
            yield (name,) + item

    def trafi():
        d = os.path.join(data, "trafilatura")
        gold = json.load(open(os.path.join(d, "evaldata.dev.json"), encoding="utf-8"))
        for url, g in gold.items():
            with gzip.open(os.path.join(d, "html", g["file"] + ".gz")) as f:
                yield url, url, f.read()

    def htmldate():
        d = os.path.join(data, "htmldate")
        seen = set()
        for name in ("eval_default.dev.json", "eval_mediacloud_2020.dev.json"):
            gold = json.load(open(os.path.join(d, name), encoding="utf-8"))
            for url, g in gold.items():
                if g["file"] in seen:
                    continue
                seen.add(g["file"])
                with gzip.open(os.path.join(d, "html", g["file"] + ".gz")) as f:
                    yield g["file"], url, f.read()

    def zyte():
        d = os.path.join(data, "zyte")
        gold = json.load(open(os.path.join(d, "ground-truth.json"), encoding="utf-8"))
        for pid, g in gold.items():
            with gzip.open(os.path.join(d, "html", pid + ".html.gz")) as f:
                yield pid, g.get("url"), f.read()

    def wcxb():
        d = os.path.join(data, "wcxb-dev")
        urls = {}
        with tarfile.open(os.path.join(d, "ground-truth.tar.xz")) as t:
            for m in t:
                if m.isfile() and m.name.endswith(".json"):
                    g = json.load(t.extractfile(m))
                    urls[os.path.basename(m.name)[:-5]] = g.get("url")
        items = []
        with tarfile.open(os.path.join(d, "html.tar.xz")) as t:
            for m in t:
                if m.isfile() and m.name.endswith(".html"):
                    pid = os.path.basename(m.name)[:-5]
                    if pid in urls:
                        items.append((pid, urls[pid], t.extractfile(m).read()))
        items.sort()
        yield from items

    def fixtures():
        d = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "../../crates/lagebild-html/tests/fixtures")
        for name in sorted(os.listdir(d)):
            if name.endswith(".json"):
                pid = name[:-5]
                g = json.load(open(os.path.join(d, name), encoding="utf-8"))
                with open(os.path.join(d, pid + ".html"), "rb") as f:
                    yield pid, g.get("url"), f.read()

    yield from take("trafilatura", trafi())
    yield from take("htmldate", htmldate())
    yield from take("zyte", zyte())
    yield from take("wcxb", wcxb())
    yield from take("fixtures", fixtures())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data/extract")
    ap.add_argument("--out", required=True)
    ap.add_argument("--only")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--fast", action="store_true", help="no fallback extractors")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    files = {}
    totals = {}
    for bench, pid, url, raw in pages(a.data, a.only, a.limit):
        if bench not in files:
            files[bench] = open(os.path.join(a.out, bench + ".jsonl"), "w", encoding="utf-8")
            totals[bench] = [0, 0.0]
        t0 = time.perf_counter()
        try:
            doc = bare_extraction(raw, url=url, with_metadata=True,
                                  include_comments=False, fast=a.fast)
        except Exception as e:  # a failing page counts as nothing extracted
            print(f"{bench} {pid}: {e}", file=sys.stderr)
            doc = None
        ms = (time.perf_counter() - t0) * 1000.0
        totals[bench][0] += 1
        totals[bench][1] += ms
        rec = {"id": pid, "ms": ms, "text": None, "title": None, "author": None, "date": None}
        if doc is not None:
            rec.update(text=doc.text, title=doc.title, author=doc.author, date=doc.date)
        files[bench].write(json.dumps(rec, ensure_ascii=False) + "\n")
    for f in files.values():
        f.close()
    with open(os.path.join(a.out, "version.json"), "w") as f:
        json.dump({"extractor": "trafilatura", "version": trafilatura.__version__,
                   "fast": a.fast}, f)
    for bench, (n, ms) in totals.items():
        print(f"{bench}: {n} pages, {ms / max(n, 1):.1f} ms/page (trafilatura {trafilatura.__version__})")


if __name__ == "__main__":
    main()
