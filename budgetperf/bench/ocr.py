"""OCR timings (`budgetperf bench --ocr`), and the scans they are measured on.

Scans are made, not collected: a report is drawn as a PDF (`render_pdf`: its
paragraphs, and its tables with ruling lines, in the CJK font reportlab ships),
each page is rendered at 200 dpi, tilted a little and given sensor noise and
specks (`scan_pages`), and the images are bound into an image-only PDF
(`scanned_pdf`). Tests make their scanned fixtures the same way.

Measured, on one core unless said: OCR seconds per page (recognition only, the
engine warmed up); a 10-page scanned report read end to end (render, level,
recognise, lay out) with an empty OCR cache, then again from the cache; and a
build of 100 scanned reports of up to five pages with the CLI (two extraction
workers, empty cache), then the same build again (every page from the cache). Figures are printed and
saved, never asserted.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

from budgetperf import settings
from budgetperf.bench.stores import cache_dir, cli_env
from budgetperf.bench.timing import run_measured
from budgetperf.reading import ocr
from budgetperf.reading.blocks import SourceDocument, Table
from budgetperf.reading.formats import read_document
from budgetperf.reading.pdf import render_page

DPI = 200
REPORTS = 100


# ---------------------------------------------------------------------------
# making scans

# A tab or a run of spaces separated two fields of the original page (a label and
# its value, two columns), a single space next to a Chinese character a word from
# the next (名称 网信…) or the letters of a spaced-out label (项 目 名 称); drawn as a
# space they would vanish on paper, so they are drawn as the gaps the page had.
_FIELD_GAP = re.compile(r"(\t+|  +|(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f]))")


def render_pdf(doc: SourceDocument) -> bytes:
    """A report's paragraphs and ruled tables as a text-layer PDF (A4, 10 pt)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable
    from xml.sax.saxutils import escape

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    text = ParagraphStyle("text", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    small = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")

    # Spaces in this CID font are narrow and \u3000 is drawn narrow too: gaps are
    # drawn as full-width characters in white, two for a field gap, half of one for
    # a single space.
    def gap(space: str, size: float) -> str:
        wide = len(space) > 1 or "\t" in space
        return '<font color="white">口口</font>' if wide else f'<font color="white" size="{size / 2:g}">口</font>'

    def para(s: str, style) -> Paragraph:
        parts = _FIELD_GAP.split(s.strip())  # text, gap, text, gap, …
        return Paragraph("".join(gap(p, style.fontSize) if k % 2 else escape(p) for k, p in enumerate(parts)), style)

    story = []
    for block in doc.blocks:
        if isinstance(block, Table):
            width = max(len(row) for row in block.rows)
            rows = [[para(c.text, small) for c in row] + [""] * (width - len(row)) for row in block.rows]
            table = PdfTable(rows, colWidths=[480 / width] * width)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
            story.append(table)
        else:
            story.append(para(block.text, text))
        story.append(Spacer(1, 4))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build(story)
    return out.getvalue()


def scan_pages(pdf: bytes, seed: int = 42, dpi: int = DPI, tilt: float = 1.0, noise: float = 12.0) -> list:
    """The pages of a PDF as a scanner would return them: grayscale images at `dpi`,
    each turned by up to `tilt` degrees (alternating direction), with Gaussian noise
    of `noise` grey levels and 0.2% black and white specks. Deterministic in `seed`."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = np.random.default_rng(seed)
    document = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            angle = tilt * (1.0 if index % 2 == 0 else -0.7) * float(rng.uniform(0.6, 1.0))
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
            pixels = np.asarray(image).astype(np.float32)
            pixels += rng.normal(0, noise, pixels.shape)
            specks = rng.random(pixels.shape)
            pixels[specks < 0.001] = 0
            pixels[specks > 0.999] = 255
            pages.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)))
    finally:
        document.close()
    return pages


def scanned_pdf(pages: list, dpi: int = DPI) -> bytes:
    """Page images bound into a PDF without a text layer (JPEG-compressed, as
    scanners save them)."""
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=dpi, quality=80)
    return out.getvalue()


def scan_of(report: Path, seed: int = 42) -> bytes:
    """A report file (any readable format) as a scanned, image-only PDF."""
    return scanned_pdf(scan_pages(render_pdf(read_document(report)), seed=seed))


# ---------------------------------------------------------------------------
# the timings

def bench_ocr(reports: list[Path], log=print) -> dict:
    """OCR seconds per page, a 10-page scanned report, a build of 100 scanned reports."""
    work = cache_dir() / "ocr"
    if work.exists():
        shutil.rmtree(work)
    (work / "reports").mkdir(parents=True)
    results: dict = {}
    old_threads = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        log("ocr: making scans …")
        scans = {p: scan_of(p) for p in reports}
        longest = max(scans, key=lambda p: _pages(scans[p]))
        pages = _pages(scans[longest])
        log(f"ocr: seconds per page ({pages} pages of {longest.name}) …")
        images = [render_page(scans[longest], n) for n in range(1, pages + 1)]
        ocr.recognise(images[0])  # warm-up: the engine loads its models on first use
        times, cpu = [], []
        for image in images[:10]:
            start, start_cpu = time.perf_counter(), time.process_time()
            ocr.recognise(image)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        results["page_s"] = {"pages": len(times), "median": round(statistics.median(times), 2),
                             "mean": round(statistics.mean(times), 2), "max": round(max(times), 2),
                             "cpu_median": round(statistics.median(cpu), 2), "loadavg": os.getloadavg()[0]}
        ten = _first_pages(scans[longest], 10)
        (work / "ten.pdf").write_bytes(ten)
        os.environ["BUDGETPERF_OCR_CACHE_DIR"] = str(work / "cache-ten")
        log("ocr: a 10-page scanned report, empty cache, then cached …")
        start = time.perf_counter()
        read_document(work / "ten.pdf")
        cold = time.perf_counter() - start
        start = time.perf_counter()
        read_document(work / "ten.pdf")
        warm = time.perf_counter() - start
        results["report_10_pages"] = {"pages": _pages(ten), "seconds": round(cold, 1), "cached_seconds": round(warm, 2)}
        log(f"ocr: {REPORTS} scanned reports …")
        # a typical scanned self-evaluation is a few pages: the long report is timed above
        names = sorted(p for p in scans if _pages(scans[p]) <= 5) or sorted(scans)
        total_pages = 0
        for k in range(REPORTS):
            source = names[k % len(names)]
            data = scan_of(source, seed=1000 + k) if k >= len(names) else scans[source]
            total_pages += _pages(data)
            (work / "reports" / f"scan-{k:03d}-{source.stem}.pdf").write_bytes(data)
        env = {**cli_env(), "BUDGETPERF_OCR_CACHE_DIR": str(work / "cache-build")}
        builds = []
        for label in ("build 100 scanned reports (empty OCR cache)", "rebuild the same (OCR from the cache)"):
            db = work / "scans.duckdb"
            db.unlink(missing_ok=True)
            log(f"ocr: {label} …")
            run = run_measured([sys.executable, "-m", "budgetperf", "build", "--reports", str(work / "reports"),
                                "--db", str(db)], env)
            builds.append({"what": label, "seconds": round(run.seconds, 1), "cpu_s": round(run.cpu_seconds, 1),
                           "peak_rss_mb": round(run.peak_rss_mb), "pages": total_pages,
                           "failed": sum(1 for line in run.stdout.splitlines() if line.startswith("失败"))})
        results["builds"] = builds
    finally:
        if old_threads is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = old_threads
        os.environ.pop("BUDGETPERF_OCR_CACHE_DIR", None)
    return results


def _pages(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _first_pages(pdf: bytes, count: int) -> bytes:
    """The first `count` pages of a PDF (all of them if it has fewer)."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(pdf)
    target = pdfium.PdfDocument.new()
    try:
        target.import_pages(source, list(range(min(count, len(source)))))
        out = io.BytesIO()
        target.save(out)
        return out.getvalue()
    finally:
        target.close()
        source.close()


def render(results: dict) -> str:
    """The OCR section of the bench table."""
    if not results:
        return ""
    page = results["page_s"]
    ten = results["report_10_pages"]
    lines = ["\n== OCR (RapidOCR on ONNX Runtime, one thread; scans at 200 dpi, tilted, noisy)",
             f"  seconds per page, one core: median {page['median']} s, mean {page['mean']} s, "
             f"max {page['max']} s, CPU median {page.get('cpu_median', '—')} s ({page['pages']} pages, "
             f"load {page.get('loadavg', '—')})",
             f"  a {ten['pages']}-page scanned report: {ten['seconds']} s with an empty OCR cache, "
             f"{ten['cached_seconds']} s from the cache"]
    for b in results["builds"]:
        per_page = b["seconds"] / max(b["pages"], 1)
        lines.append(f"  {b['what']}: {b['seconds']} s wall, {b['cpu_s']} s CPU, {b['pages']} pages "
                     f"({per_page:.2f} s/page wall), peak {b['peak_rss_mb']} MB, {b['failed']} failed")
    return "\n".join(lines)


def default_reports() -> list[Path]:
    """The reports the scans are made from: the seed reports."""
    folder = Path(settings.ROOT) / "data" / "reports"
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt")
