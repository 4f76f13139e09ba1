"""Import throughput: documents/s and MB/s for 200 generated Thai documents of mixed types.

    .venv/bin/python bench/import_speed.py [--documents 200]

Runs in a throwaway SQLite database with the demo site; the documents (.txt, .md,
.docx, .pdf, in equal shares, 2–60 KB of Thai text each) become drafts submitted
to the review workflow, as `import_documents` does by default.
"""

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE / "bench"))

import benchlib  # noqa: E402

THAI_FONT = "/usr/share/fonts/truetype/tlwg/Garuda.ttf"


def thai_paragraphs():
    import yaml

    texts = []
    for name in ("articles.yaml", "best_practices.yaml"):
        for item in yaml.safe_load((BASE / "demo" / "content" / name).read_text(encoding="utf-8")):
            for block in item.get("body", []):
                if "paragraph" in block:
                    texts.extend(p.strip() for p in str(block["paragraph"]).split("\n\n") if p.strip())
            texts.extend(str(item.get(key, "")) for key in ("background", "lessons", "reuse") if item.get(key))
    return texts


def make_documents(folder, count, rng):
    import docx
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Garuda", THAI_FONT))
    pool = thai_paragraphs()
    kinds = ["txt", "md", "docx", "pdf"]
    for n in range(count):
        kind = kinds[n % 4]
        paragraphs = rng.sample(pool, k=rng.randint(3, min(40, len(pool))))
        title = f"คู่มือการปฏิบัติงานฉบับทดสอบที่ {n + 1}"
        path = folder / f"doc-{n:03d}.{kind}"
        if kind in ("txt", "md"):
            heading = f"# {title}" if kind == "md" else title
            path.write_text("\n\n".join([heading, *paragraphs]), encoding="utf-8")
        elif kind == "docx":
            document = docx.Document()
            document.core_properties.title = title
            for paragraph in paragraphs:
                document.add_paragraph(paragraph)
            document.save(path)
        else:
            buffer = io.BytesIO()
            pdf = canvas.Canvas(buffer)
            pdf.setFont("Garuda", 12)
            y = 800
            for line in [title, *(p[i:i + 70] for p in paragraphs for i in range(0, len(p), 70))]:
                if y < 60:
                    pdf.showPage()
                    pdf.setFont("Garuda", 12)
                    y = 800
                pdf.drawString(40, y, line)
                y -= 18
            pdf.save()
            path.write_bytes(buffer.getvalue())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="khlang-import-bench-") as tmp:
        tmp = Path(tmp)
        benchlib.demo_site_in_sqlite(tmp)
        from django.core.management import call_command

        folder = tmp / "documents"
        folder.mkdir()
        make_documents(folder, args.documents, random.Random(2568))
        files = sorted(folder.iterdir())
        total_bytes = sum(f.stat().st_size for f in files)

        out = io.StringIO()
        began = time.perf_counter()
        call_command("import_documents", str(folder), user="admin", stdout=out, stderr=io.StringIO())
        elapsed = time.perf_counter() - began
        report = out.getvalue().strip().splitlines()[-1]

        by_kind = {}
        for f in files:
            by_kind.setdefault(f.suffix, []).append(f.stat().st_size)

    print(f"documents : {len(files)} ({', '.join(f'{k} {len(v)}' for k, v in sorted(by_kind.items()))})")
    print(f"input     : {total_bytes / 1e6:.2f} MB (mean {total_bytes / len(files) / 1e3:.1f} KB)")
    print(f"result    : {report}")
    print(f"time      : {elapsed:.1f} s")
    print(f"throughput: {len(files) / elapsed:.1f} documents/s, {total_bytes / 1e6 / elapsed:.2f} MB/s")
    print()
    print(f"command   : cd {BASE} && .venv/bin/python bench/import_speed.py --documents {args.documents}")
    print(f"date      : {time.strftime('%Y-%m-%d %H:%M:%S %z')}")
    print(f"machine   : nproc={os.cpu_count()}, RAM={os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB")
    print(f"runtime   : {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
