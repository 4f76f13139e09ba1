"""Search quality of Khlang's Thai search against plain Wagtail, on the demo content.

    .venv/bin/python bench/search_quality.py                 # baseline, database (SQLite), engine, PostgreSQL
    .venv/bin/python bench/search_quality.py --configs baseline,db

Queries and graded judgments (0-3, by exact page title) are in bench/search_queries.yaml.
Each configuration runs in a fresh subprocess with its own fresh database
(migrate + load_demo):

  baseline    plain Wagtail: WAGTAILSEARCH_BACKENDS = wagtail.search.backends.database,
              the project's Thai segmentation switched off (thai.words.segment_value
              patched to the identity before django.setup, so indexed text is raw), the
              project's FTS tokenizer migration reversed (`migrate search zero`, SQLite's
              default unicode61 tokenizer), queries sent unsegmented through
              visible_pages().search(q) - the same live, public, searchable page types
              the public search shows. `baseline-all` is the literal
              Page.objects.live().public().search(q) (index pages, home and plan pages
              can take top-10 places; they are judged 0).
  db          ours: search.backends.database on SQLite, via search.service.search({"q": q}).
  engine      ours: search.backends.engine on Elasticsearch 7.10.2 (search/engine/start.sh,
              port 9260, throwaway data), update_index after load_demo, same service call;
              every outcome must have fallback=False.
  pg          ours: search.backends.database on PostgreSQL (scripts/postgres.sh, port 15433).

Metrics (ir-measures): nDCG@10 (graded gains 0-3 as judged, log2 discount, ideal
ranking from the judgments - trec_eval's ndcg_cut), MRR = RR(rel=2) (reciprocal rank
of the first result graded >= 2), R@10 = R(rel=1)@10 (share of pages graded >= 1 in
the top 10). A query with no results scores 0.
"""

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

QUERIES = benchlib.BENCH / "search_queries.yaml"
TOP = 10
CONFIGS = ["baseline", "db", "engine", "pg"]
TARGETS = {"nDCG@10": 0.93, "MRR": 0.93, "R@10": 0.95}  # issue 16
KIND_TARGET = 0.85


# worker (one configuration, in its own interpreter) -------------------------------------


def worker(config, result_path):
    import yaml

    def patch_segmentation():
        import thai.words

        thai.words.segment_value = lambda value: value  # baseline: index raw text

    benchlib.worker_django_setup(patch_segmentation if config == "baseline" else None)

    from django.core.management import call_command
    from django.db import connection

    devnull = open(os.devnull, "w")
    t0 = time.monotonic()
    call_command("migrate", verbosity=0, stdout=devnull)
    if config == "baseline":
        # Reverse the project's search migrations; 0001 rebuilds SQLite's FTS table with
        # the default tokenizer (PostgreSQL: no-op). Tables of 0002/0003 are not used by
        # plain Wagtail search.
        call_command("migrate", "search", "zero", verbosity=0, stdout=devnull)
    call_command("load_demo", verbosity=0, stdout=devnull)
    if config == "engine":
        call_command("update_index", verbosity=0, stdout=devnull)
        from wagtail.search.backends import get_search_backend

        get_search_backend("default").refresh_indexes()
    setup_s = time.monotonic() - t0

    from django.conf import settings
    from wagtail.models import Page

    from search import service

    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    runs = {}
    extra = {}
    fallbacks = []
    timings = []
    for query in queries:
        q = query["q"]
        t = time.perf_counter()
        if config == "baseline":
            runs[query["id"]] = [p.title for p in service.visible_pages().search(q)[:TOP]]
            extra[query["id"]] = [p.title for p in Page.objects.live().public().search(q)[:TOP]]
        else:
            outcome = service.search({"q": q})
            runs[query["id"]] = [hit.page.title for hit in outcome.page.object_list] if outcome.page else []
            if outcome.fallback:
                fallbacks.append(query["id"])
            if config == "db":
                extra[query["id"]] = any_word_fts5(q)
        timings.append(time.perf_counter() - t)

    fts = ""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'wagtailsearch_indexentry_fts'")
            row = cursor.fetchone()
            fts = row[0] if row else "(no FTS5 table)"
    result = {
        "config": config,
        "vendor": connection.vendor,
        "backends": {name: cfg["BACKEND"] for name, cfg in settings.WAGTAILSEARCH_BACKENDS.items()},
        "fts_table": fts,
        "setup_s": setup_s,
        "query_ms_mean": 1000 * sum(timings) / len(timings),
        "runs": runs,
        "runs_all_pages": extra,
        "fallbacks": fallbacks,
        "searchable_titles": list(service.visible_pages().values_list("title", flat=True)),
    }
    Path(result_path).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def any_word_fts5(q):
    """The issue's baseline: the same segmentation, any word, SQLite FTS5 bm25, public pages."""
    from django.db import connection
    from wagtail.models import Page

    from search import service
    from search.backends.ranking import _fts5_term
    from search.query import query_groups

    words = list(dict.fromkeys(w for group in query_groups(q) for w in group))
    if not words:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.object_id FROM wagtailsearch_indexentry_fts AS f JOIN wagtailsearch_indexentry AS e "
            "ON e.id = f.rowid WHERE wagtailsearch_indexentry_fts MATCH %s ORDER BY bm25(wagtailsearch_indexentry_fts)",
            [" OR ".join(_fts5_term(w) for w in words)],
        )
        ids = [int(row[0]) for row in cursor.fetchall()]
    visible = set(service.visible_pages().filter(pk__in=ids).values_list("pk", flat=True))
    titles = dict(Page.objects.filter(pk__in=visible).values_list("pk", "title"))
    return [titles[pk] for pk in dict.fromkeys(ids) if pk in visible][:TOP]


# metrics -------------------------------------------------------------------------------


def evaluate(queries, run):
    """Per-query nDCG@10, RR(rel>=2), R@10(rel>=1) with ir-measures; {qid: {measure: value}}."""
    import ir_measures
    from ir_measures import RR, R, nDCG

    measures = {"nDCG@10": nDCG @ 10, "MRR": RR(rel=2), "R@10": R(rel=1) @ 10}
    qrels = [
        ir_measures.Qrel(q["id"], title, int(grade)) for q in queries for title, grade in q["judgments"].items()
    ]
    scored = []
    for q in queries:
        titles = run.get(q["id"]) or []
        if not titles:  # an empty result list must still count as 0, not be skipped
            titles = ["__no_result__"]
        scored += [ir_measures.ScoredDoc(q["id"], title, float(len(titles) - rank)) for rank, title in enumerate(titles)]
    per_query = {q["id"]: {} for q in queries}
    for metric in ir_measures.iter_calc(list(measures.values()), qrels, scored):
        name = next(k for k, v in measures.items() if v == metric.measure)
        per_query[metric.query_id][name] = metric.value
    for values in per_query.values():
        for name in measures:
            values.setdefault(name, 0.0)
    return per_query


def kind_scores(queries, values, measure="nDCG@10"):
    kinds = list(dict.fromkeys(q["kind"] for q in queries))
    return {kind: mean(values[q["id"]][measure] for q in queries if q["kind"] == kind) for kind in kinds}


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


# main ----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", default=",".join(CONFIGS), help=f"comma-separated subset of {CONFIGS}")
    parser.add_argument("--dump", help="write every configuration's top-10 titles per query to this JSON file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.config, args.result)

    started = time.monotonic()
    import yaml

    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    ids = [q["id"] for q in queries]
    assert len(ids) == len(set(ids)), "duplicate query ids"
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = set(configs) - set(CONFIGS)
    if unknown:
        parser.error(f"unknown configs {unknown}")

    engine = benchlib.Engine() if "engine" in configs else None
    pg = benchlib.Postgres() if "pg" in configs else None
    prefix = f"benchq_{uuid.uuid4().hex[:6]}_"
    results = {}
    try:
        for config in configs:
            env = {"DATABASE_URL": None, "KHLANG_SEARCH_URL": None, "KHLANG_BENCH_SEARCH_BACKENDS": None}
            if config == "baseline":
                env["KHLANG_BENCH_SEARCH_BACKENDS"] = json.dumps({"default": {"BACKEND": "wagtail.search.backends.database"}})
            elif config == "engine":
                env["KHLANG_SEARCH_URL"] = engine.start()
                env["KHLANG_SEARCH_INDEX_PREFIX"] = prefix
            elif config == "pg":
                pg.start()
                env["DATABASE_URL"] = pg.fresh_database(f"khlang_bench_quality_{os.getpid()}")
            benchlib.log(f"[{config}] fresh database, migrate + load_demo, {len(queries)} queries ...")
            t = time.monotonic()
            results[config] = benchlib.run_worker(__file__, ["--config", config], env)
            benchlib.log(f"[{config}] done in {time.monotonic() - t:.0f} s")
    finally:
        if engine:
            engine.delete_indices(prefix)
            engine.stop()
        if pg:
            pg.stop()

    if args.dump:
        Path(args.dump).write_text(
            json.dumps({c: r["runs"] for c, r in results.items()}, ensure_ascii=False, indent=1), encoding="utf-8"
        )

    # every judged title must be a real searchable page
    known = set(next(iter(results.values()))["searchable_titles"])
    unknown_titles = sorted({t for q in queries for t in q["judgments"] if t not in known})
    if unknown_titles:
        sys.exit(f"judged titles that are not searchable demo pages: {unknown_titles}")

    rows = {}
    for config, result in results.items():
        rows[config] = evaluate(queries, result["runs"])
        if config == "baseline":
            rows["baseline-all"] = evaluate(queries, result["runs_all_pages"])
        if config == "db":
            rows["anyword"] = evaluate(queries, result["runs_all_pages"])
    order = [c for c in ["baseline", "baseline-all", "anyword", "db", "engine", "pg"] if c in rows]
    label = {
        "anyword": "any-word FTS5 baseline (same segmentation, bm25)",
        "baseline": "baseline (plain Wagtail, no segmentation; searchable types)",
        "baseline-all": "baseline-all (plain Wagtail, Page.objects.live().public())",
        "db": "ours, database backend, SQLite",
        "engine": "ours, engine (search/engine/start.sh)",
        "pg": "ours, database backend, PostgreSQL",
    }

    print(f"Search quality: {len(queries)} Thai queries over the demo content "
          f"({len(known)} searchable pages), judgments in {QUERIES.relative_to(benchlib.BASE)}")
    print()
    print(f"{'configuration':<62} {'nDCG@10':>8} {'MRR':>7} {'R@10':>7}")
    print("-" * 87)
    for config in order:
        values = rows[config]
        print(f"{label[config]:<62} {mean(v['nDCG@10'] for v in values.values()):>8.3f} "
              f"{mean(v['MRR'] for v in values.values()):>7.3f} {mean(v['R@10'] for v in values.values()):>7.3f}")
    print("MRR = reciprocal rank of the first result graded >= 2; R@10 counts pages graded >= 1.")
    ours = [c for c in ("db", "engine", "pg") if c in rows]
    kinds = list(dict.fromkeys(q["kind"] for q in queries))
    for config in ours:
        misses = [f"{name} {mean(v[name] for v in rows[config].values()):.3f} < {target}"
                  for name, target in TARGETS.items() if mean(v[name] for v in rows[config].values()) < target]
        weak = [f"{kind} {score:.3f}" for kind, score in kind_scores(queries, rows[config]).items() if score < KIND_TARGET]
        verdict = "met" if not misses and not weak else "MISSED: " + ", ".join(misses + weak)
        print(f"targets (nDCG@10, MRR >= 0.93, R@10 >= 0.95, every kind's nDCG@10 >= {KIND_TARGET}) on {config}: {verdict}")
    if "engine" in results:
        fb = results["engine"]["fallbacks"]
        print(f"engine outcomes with fallback=True: {len(fb)} {fb if fb else ''}")

    for measure in ("nDCG@10", "MRR", "R@10"):
        print()
        print(f"{measure} by kind of query")
        header = f"{'kind':<15} {'n':>3} " + " ".join(f"{c:>12}" for c in order)
        print(header)
        print("-" * len(header))
        for kind in kinds:
            qids = [q["id"] for q in queries if q["kind"] == kind]
            print(f"{kind:<15} {len(qids):>3} " + " ".join(f"{mean(rows[c][i][measure] for i in qids):>12.3f}" for c in order))

    if ours:
        print()
        print("Lowest-scoring queries for ours (by mean nDCG@10 over " + ", ".join(ours) + "); top-3 returned")
        by_id = {q["id"]: q for q in queries}
        worst = sorted(ids, key=lambda i: (mean(rows[c][i]["nDCG@10"] for c in ours), i))[:12]
        for qid in worst:
            q = by_id[qid]
            scores = "  ".join(f"{c}={rows[c][qid]['nDCG@10']:.2f}" for c in order)
            print(f"- {qid} [{q['kind']}] {q['q']!r}: {scores}")
            for c in ours:
                top = results[c]["runs"].get(qid, [])[:3]
                marked = [f"{t} ({q['judgments'].get(t, 0)})" for t in top]
                print(f"    {c:<6} {' | '.join(marked) if marked else '(no results)'}")

    print()
    print("Per-query nDCG@10")
    print(f"{'id':<14} " + " ".join(f"{c:>12}" for c in order) + "  query")
    for q in queries:
        print(f"{q['id']:<14} " + " ".join(f"{rows[c][q['id']]['nDCG@10']:>12.3f}" for c in order) + f"  {q['q']}")

    print()
    for config in results:
        r = results[config]
        print(f"[{config}] {r['vendor']}, backends {r['backends']}, setup {r['setup_s']:.0f} s, "
              f"mean query {r['query_ms_mean']:.1f} ms")
        if r["fts_table"]:
            print(f"    FTS table: {r['fts_table']}")
    import ir_measures

    print(f"ir-measures {ir_measures.__version__ if hasattr(ir_measures, '__version__') else ''}".strip())
    benchlib.footer(started)


if __name__ == "__main__":
    main()
