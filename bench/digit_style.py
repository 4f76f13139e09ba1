"""What one digit style per page costs: `thai.digits.in_text_of_html` on the demo's rendered pages.

    .venv/bin/python bench/digit_style.py [--repeat 200]

Renders the home page, the library listing and an article of the demo agency (throwaway SQLite),
then times the conversion of each page's HTML to Thai digits and to Arabic digits. Printed beside
it, measured in the same run, the baseline: rendering that page (the Django test client, page cache
off). Anonymous pages are cached by the page cache, so a reader pays the conversion once per
content version. Times on a machine shared with other work are noisy.
"""

import argparse
import sys
import tempfile
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    started_at = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        benchlib.demo_site_in_sqlite(tmp)
        from django.test import Client, override_settings

        from knowledge.models import KnowledgeArticle, KnowledgeIndexPage
        from thai.digits import ARABIC, THAI, in_text_of_html

        pages = {"home": "/", "library": KnowledgeIndexPage.objects.get().url,
                 "article": KnowledgeArticle.objects.live().order_by("pk").first().url}
        client = Client()
        print(f"{'page':10} {'KB':>5} {'render ms (baseline)':>21} {'→ Thai ms':>10} {'→ Arabic ms':>12}")
        with override_settings(KHLANG_PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"]):
            for name, url in pages.items():
                render = timeit.timeit(lambda url=url: client.get(url), number=20) / 20
                html = client.get(url).content.decode()
                thai = timeit.timeit(lambda html=html: in_text_of_html(html, THAI), number=args.repeat) / args.repeat
                arabic = timeit.timeit(lambda html=html: in_text_of_html(html, ARABIC), number=args.repeat) / args.repeat
                print(f"{name:10} {len(html) / 1024:5.0f} {render * 1000:21.1f} {thai * 1000:10.2f} {arabic * 1000:12.2f}")
    benchlib.footer(started_at)


if __name__ == "__main__":
    main()
