"""Benchmark the department's letters: bulk petition updates and the reply letter for 3,321 communes.

Run: `.venv/bin/python tests/benchmarks/bench_letters.py [--size 3321] [--keep DIR] [--workers N]`.

Populates a database of finalized demo assessments (every commune of the country by default, with
the petitions their demo answers hold: about two a commune), then, each in a fresh process:

- the department answers them as it would, topic by topic, in one bulk update each
  (``update_petitions``: forwarded to Sở Tài chính, answered with a text, answered citing the
  guidance letter): the time of the largest of these updates;
- the reply letter (``readiness petitions reply``) over every answered petition, Word and PDF:
  grouped (the default: petitions asking the same thing with the same answer share one item) and
  ``--no-group`` (every petition its own item, as when every commune words its petitions
  differently: the worst case);
- the baseline in the same run: the same number of paragraphs of the same text written by bare
  python-docx (``Document().add_paragraph``) and by bare reportlab platypus (``Paragraph`` in a
  ``SimpleDocTemplate``), the cost of the libraries themselves.  (``add_paragraph`` is quadratic:
  it looks for the section properties among all the body's children each time; the letter
  appends its body as XML in chunks, so its Word file costs less than the bare baseline.)

The bar: the ungrouped reply letter for 3,321 communes, Word and PDF, each within 3× its bare
library baseline (the letter's own work — choosing, wording, layout, the checks of the atomic
writer — at most twice the libraries' cost).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "tests" / "department"))

PERIOD = "2025-11"
TODAY = dt.date(2025, 11, 20)
BAR_RATIO = 3.0
REF = "Công văn số 3005/SKHCN-BCVT&CĐS ngày 21/11/2025"

_ANSWER = r"""
import json, sys, time
sys.path.insert(0, {desktop!r})
from readiness.service import Workspace
from readiness.department.petitions import PetitionFilter, list_petitions, update_petitions
ws = Workspace.open({url!r})
every = list_petitions(ws, where=PetitionFilter(period={period!r}, province=None))
by_topic = {{}}
for p in every:
    by_topic.setdefault(p.topic, []).append(p.id)
plans = {{
    "funding": dict(status="forwarded", forwarded_to="Sở Tài chính", response_ref="Công văn số 3100/SKHCN-BCVT&CĐS ngày 01/12/2025"),
    "staffing": dict(status="forwarded", forwarded_to="Sở Nội vụ"),
    "infrastructure": dict(status="answered", response_ref={ref!r}),
    "equipment": dict(status="answered", response_ref={ref!r}),
    "software": dict(status="answered", response="Hệ thống thông tin giải quyết thủ tục hành chính tỉnh đã được nâng cấp ngày 25/11/2025, lỗi đồng bộ đã được khắc phục.\n- Trường hợp còn phát sinh lỗi, đề nghị xã liên hệ VNPT khu vực để được hỗ trợ kịp thời."),
    "signatures": dict(status="answered", response="Sở đã hướng dẫn quy trình gia hạn, cấp mới chứng thư số tại Công văn số 2990/SKHCN-BCVT&CĐS ngày 21/11/2025; đề nghị xã lập danh sách gửi Sở trước ngày 15 hằng tháng."),
    "training": dict(status="resolved", response="Sở đã tổ chức lớp tập huấn kỹ năng số ngày 14/11/2025 (trực tiếp và trực tuyến đến 96 điểm cầu cấp xã)."),
}}
times = {{}}
for topic, ids in by_topic.items():
    plan = plans.get(topic) or dict(status="answered", response="Sở đã tiếp nhận và hướng dẫn địa phương.")
    t = time.perf_counter()
    update_petitions(ws, ids, **plan)
    times[topic] = (len(ids), time.perf_counter() - t)
print(json.dumps({{"petitions": len(every), "updates": times}}))
"""

_LETTER = r"""
import json, sys, time, datetime as dt
sys.path.insert(0, {desktop!r})
started = time.perf_counter()
from readiness.service import Workspace
from readiness.department.reply_letter import ReplyOptions, build_reply_letter, reply_petitions
from readiness.document_settings import load_settings
from readiness.department.petitions import PetitionFilter
ws = Workspace.open({url!r})
out = {{}}
t = time.perf_counter()
options = ReplyOptions(period={period!r}, to="Sở Nội vụ", where=PetitionFilter(province=None), request_number="2956/SNV-XDCQ",
                       request_date=dt.date(2025, 12, 10), date=dt.date(2025, 12, 15), group={group!r})
chosen = reply_petitions(ws, options)
out["choose"] = time.perf_counter() - t
t = time.perf_counter()
letter = build_reply_letter(chosen, options, load_settings(ws.store), {{c.code: c for c in ws.store.all_communes()}})
out["build"] = time.perf_counter() - t
out["petitions"] = len(chosen)
out["items"] = sum(1 for b in letter.body if getattr(b, "kind", "") == "item")
out["paragraphs"] = len(letter.body)
t = time.perf_counter()
if {fmt!r} == "docx":
    from readiness.exchange.letter_docx import write_letter_docx
    write_letter_docx(letter, {target!r})
else:
    from readiness.exchange.letter_pdf import build_letter_pdf, write_letter_pdf
    write_letter_pdf(letter, {target!r})
    from pypdf import PdfReader
    out["pages"] = len(PdfReader({target!r}).pages)
out["write"] = time.perf_counter() - t
out["seconds"] = out["choose"] + out["build"] + out["write"]
out["with_import"] = time.perf_counter() - started
print(json.dumps(out))
"""

_BARE = r"""
import json, sys, time
sys.path.insert(0, {desktop!r})
texts = json.load(open({texts!r}, encoding="utf-8"))
t = time.perf_counter()
if {fmt!r} == "docx":
    from docx import Document
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    document.save({target!r})
else:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape
    from readiness.exchange.fonts import SERIF, register_fonts
    register_fonts()
    style = ParagraphStyle("b", fontName=SERIF, fontSize=13.5, leading=17.3)
    SimpleDocTemplate({target!r}, pagesize=A4).build([Paragraph(escape(text), style) for text in texts])
print(json.dumps({{"seconds": time.perf_counter() - t}}))
"""


def populate(size: int, folder: Path, workers: int) -> str:
    from demo_db import bulk_populate
    from readiness.service import Workspace

    path = folder / f"letters-{size}.sqlite3"
    url = f"sqlite:///{path}"
    workspace = Workspace.open(url)
    try:
        if workspace.store.assessments(PERIOD):
            print(f"  reusing {path} ({len(workspace.store.assessments(PERIOD))} assessments)")
            return url
        communes = workspace.store.communes(None, None if size > 96 else "51")[:size]
        started = time.perf_counter()
        written = bulk_populate(workspace.store, workspace.latest_checklist(), communes, PERIOD, today=TODAY,
                                workers=workers)
        print(f"  populated {written} finalized assessments in {time.perf_counter() - started:.1f} s")
    finally:
        workspace.close()
    return url


def run(code: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def letter_texts(url: str, group: bool) -> list[str]:
    """The paragraphs of the letter, for the bare-library baseline."""
    from readiness.department.petitions import PetitionFilter
    from readiness.department.reply_letter import ReplyOptions, build_reply_letter, reply_petitions
    from readiness.document_settings import load_settings
    from readiness.service import Workspace

    workspace = Workspace.open(url)
    try:
        options = ReplyOptions(period=PERIOD, to="Sở Nội vụ", where=PetitionFilter(province=None), group=group)
        letter = build_reply_letter(reply_petitions(workspace, options), options, load_settings(workspace.store))
    finally:
        workspace.close()
    return [getattr(block, "text", "") for block in letter.body]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=3321)
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the database in this folder")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    verdict = True
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("READINESS_HOME", str(folder))
        print(f"CPU cores: {os.cpu_count()}; Python {sys.version.split()[0]}")
        print(f"\n== {args.size} communes ==")
        url = populate(args.size, folder, args.workers)
        desktop = str(ROOT / "desktop")
        answered = run(_ANSWER.format(desktop=desktop, url=url, period=PERIOD, ref=REF))
        largest = max(answered["updates"].items(), key=lambda pair: pair[1][0])
        total = sum(seconds for _, seconds in answered["updates"].values())
        print(f"  bulk updates: {answered['petitions']} petitions in {len(answered['updates'])} updates, "
              f"{total:.2f} s in all; the largest, {largest[1][0]} petitions ({largest[0]}): {largest[1][1]:.2f} s")
        for group in (True, False):
            texts = letter_texts(url, group)
            texts_path = folder / f"texts-{group}.json"
            texts_path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
            name = "grouped" if group else "one item per petition"
            for fmt in ("docx", "pdf"):
                target = str(folder / f"reply-{group}.{fmt}")
                result = run(_LETTER.format(desktop=desktop, url=url, period=PERIOD, group=group, fmt=fmt,
                                            target=target))
                bare = run(_BARE.format(desktop=desktop, texts=str(texts_path), fmt=fmt,
                                        target=str(folder / f"bare-{group}.{fmt}")))
                ratio = result["seconds"] / bare["seconds"] if bare["seconds"] else float("inf")
                pages = f", {result['pages']} pages" if "pages" in result else ""
                print(f"  reply letter {fmt:<4} ({name}): {result['seconds']:6.2f} s = choose {result['choose']:.2f} + "
                      f"word {result['build']:.2f} + write {result['write']:.2f} (process {result['with_import']:.2f} s); "
                      f"{result['petitions']} petitions, {result['items']} items{pages}, "
                      f"{Path(target).stat().st_size / 1e6:.1f} MB; bare library {bare['seconds']:.2f} s "
                      f"({ratio:.2f}×)", flush=True)
                if not group:
                    ok = ratio <= BAR_RATIO
                    verdict &= ok
                    print(f"  -> {fmt} within {BAR_RATIO:.0f}× the bare library: {'PASS' if ok else 'FAIL'}")
    print("\nPASS" if verdict else "\nFAIL")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
