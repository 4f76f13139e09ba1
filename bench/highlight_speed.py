"""What marking whole words costs a search results page, against the old substring marks.

    .venv/bin/python bench/highlight_speed.py            # --rounds 5

A results page builds up to 10 snippets (search.service.snippet): each highlights a
summary, then the body. This times search.highlight.highlight (whole words: the text's
parts holding a query word are segmented with thai.words) beside the previous
highlighter (regular-expression substrings, copied below as the baseline) in the same
run, on bodies of ~3 000 and ~30 000 characters recombined from the demo content, for
queries whose words are found early, late, or only inside other words. Per call, the
median of `--rounds` rounds; a cold round (empty segmentation caches, dictionaries loaded) is shown too.
The machine is shared: absolute times are noisy, compare the two columns.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khlang.settings.test")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.utils.html import escape  # noqa: E402

from bench.benchlib import command_line  # noqa: E402
from search import highlight as whole_words  # noqa: E402
from search.query import query_groups  # noqa: E402
from thai.words import normalize  # noqa: E402

QUERIES = ["การจัดการความรู้", "ภาษีที่ดิน 2568", "เบี้ยยังชีพผู้สูงอายุ", "e-GP", "การ", "ขั้นตอนการยื่นคำร้อง"]
_THAI = re.compile(r"[\u0E00-\u0E7F]")


def substring_highlight(text, query, width=220):
    """The highlighter before whole words (search/highlight.py until this change)."""
    text = " ".join((text or "").split())
    words = sorted({w for g in query_groups(query) for w in g if len(w) > 1 or _THAI.match(w)}, key=len, reverse=True)
    folded = normalize(text)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    first = pattern.search(folded)
    start = max(0, (first.start() if first else 0) - width // 4)
    end = min(len(text), start + width)
    out, cursor = [], start
    for match in pattern.finditer(folded, start, end):
        out += [escape(text[cursor:match.start()]), f"<mark>{escape(text[match.start():match.end()])}</mark>"]
        cursor = match.end()
    return "".join(out) + escape(text[cursor:end])


def demo_text():
    strings = []

    def walk(value):
        if isinstance(value, str) and _THAI.search(value):
            strings.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((Path(__file__).resolve().parent.parent / "demo" / "content").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return " ".join(strings)


def per_call_ms(fn, texts, rounds):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            for query in QUERIES:
                fn(text, query)
        times.append((time.perf_counter() - started) * 1000 / (len(texts) * len(QUERIES)))
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    corpus = demo_text()
    whole_words.highlight("ความรู้", "ความรู้")  # loads the dictionaries: not a per-call cost
    print(f"command: {command_line()}")
    print(f"queries: {len(QUERIES)}; times per highlight call, median of {args.rounds} rounds (shared machine: noisy)")
    print(f"{'body':>14} | {'substring (baseline)':>20} | {'whole words, cold':>17} | {'whole words, warm':>17}")
    for size in (3_000, 30_000):
        texts = [(corpus * (size // len(corpus) + 2))[offset:offset + size] for offset in (0, 997, 2_003)]
        baseline = per_call_ms(substring_highlight, texts, args.rounds)
        whole_words._reader_words.cache_clear()
        whole_words.query_terms.cache_clear()
        from thai import words

        words._segment_cached.cache_clear()
        cold = per_call_ms(whole_words.highlight, texts, 1)
        warm = per_call_ms(whole_words.highlight, texts, args.rounds)
        print(f"{size:>9} chars | {baseline:>17.2f} ms | {cold:>14.2f} ms | {warm:>14.2f} ms")


if __name__ == "__main__":
    main()
