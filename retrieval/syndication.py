"""Syndicated copies: the same wire story carried by several outlets is indexed once.

A newsroom's archive holds the AP or Reuters story as it ran on a dozen sites, with a different headline, a line
added or cut, and the site's furniture around it. Indexed a dozen times, one story fills every evidence slot and
looks like a dozen independent confirmations. So documents whose texts are near-duplicates are grouped here: each
text becomes a MinHash signature of its word 5-grams (datasketch), locality-sensitive hashing proposes candidate
pairs, and a pair is joined when its estimated Jaccard similarity is at least ``THRESHOLD``. One document of each
group is indexed (the earliest dated: usually the wire's own copy; ties by corpus order), and the others are kept
as ``Copy`` records, listed on its evidence card as "also carried by".

Short texts are left alone (fewer than ``MIN_WORDS`` words): two one-line wire alerts can share most of their
5-grams and still report different facts.
"""

from __future__ import annotations

import re
from datetime import date

from retrieval.types import Copy, Document

THRESHOLD = 0.8  # estimated Jaccard of word 5-grams: a story with its headline and a paragraph changed stays above
NUM_PERM = 128
SHINGLE = 5
MIN_WORDS = 40
_WORD = re.compile(r"\w+")


def _signature(text: str):
    from datasketch import MinHash

    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return None
    signature = MinHash(num_perm=NUM_PERM, seed=1)
    signature.update_batch([" ".join(words[i:i + SHINGLE]).encode("utf-8")
                            for i in range(len(words) - SHINGLE + 1)])
    return signature


def collapse_syndicated(documents: list[Document]) -> tuple[list[Document], dict[str, list[Copy]]]:
    """``documents`` with each group of near-duplicate texts reduced to one, in corpus order, and for each kept
    document id the copies left out."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    signatures = {}
    parent = list(range(len(documents)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, document in enumerate(documents):
        signature = _signature(document.text)
        if signature is None:
            continue
        for j in lsh.query(signature):  # candidates; the estimate confirms them
            if signature.jaccard(signatures[j]) >= THRESHOLD:
                parent[root(i)] = root(j)
        signatures[i] = signature
        lsh.insert(i, signature)
    groups: dict[int, list[int]] = {}
    for i in range(len(documents)):
        groups.setdefault(root(i), []).append(i)
    leader_of = {}
    for members in groups.values():
        leader = min(members, key=lambda i: (documents[i].date or date.max, i))
        for i in members:
            leader_of[i] = leader
    kept = [d for i, d in enumerate(documents) if leader_of[i] == i]
    copies: dict[str, list[Copy]] = {}
    for i, document in enumerate(documents):
        if leader_of[i] != i:
            copies.setdefault(documents[leader_of[i]].id, []).append(
                Copy(document.id, document.source, document.title, document.date, document.url))
    return kept, copies
