"""Near-duplicate detection: MinHash signatures and LSH band hashes (datasketch).

`signature_of(text, rules)` returns a `Signature`: the MinHash values of the text's word
shingles and one 63-bit hash per band. The band hashes are stored in `doc_bands`, so finding
candidates is an SQL join over the workspace (memory does not grow with the corpus); a
candidate is a near-duplicate when the estimated Jaccard similarity of the two signatures
reaches `near_threshold` (data/ingest/ingest.yaml).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from dyadwatch.ingest.rules import MinHashRules

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Signature:
    values: bytes  # num_perm little-endian uint64 MinHash values
    bands: tuple[int, ...]  # one hash per band, < 2**63


def shingles(text: str, size: int) -> set[bytes]:
    """Lower-cased word `size`-grams (the whole text as one shingle when shorter)."""
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def _band_hash(band: int, chunk: bytes) -> int:
    digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "little") * 8)
    return int.from_bytes(digest.digest(), "little") >> 1


def signature_of(text: str, rules: MinHashRules) -> Signature:
    """The MinHash signature and band hashes of a document's text."""
    minhash = MinHash(num_perm=rules.num_perm, seed=rules.seed)
    minhash.update_batch(list(shingles(text, rules.shingle_words)))
    values = np.asarray(minhash.hashvalues, dtype="<u8").tobytes()
    width = rules.rows * 8
    bands = tuple(_band_hash(i, values[i * width : (i + 1) * width]) for i in range(rules.bands))
    return Signature(values=values, bands=bands)


def near_pairs(
    signatures: Sequence[Signature], first: int, threshold: float
) -> list[tuple[int, int, float]]:
    """(i, j, similarity) for each i >= `first` and each j < i whose signatures have the same
    length and an estimated Jaccard similarity of at least `threshold`, ordered by (i, j)."""
    found: list[tuple[int, int, float]] = []
    lengths = [len(sig.values) for sig in signatures]
    for width in set(lengths[first:]):
        rows = [k for k, length in enumerate(lengths) if length == width]
        matrix = np.frombuffer(b"".join(signatures[k].values for k in rows), dtype="<u8")
        matrix = matrix.reshape(len(rows), width // 8)
        for pos, row in enumerate(rows):
            if row < first or pos == 0:
                continue
            similarity = (matrix[:pos] == matrix[pos]).mean(axis=1)
            found.extend((row, rows[p], float(similarity[p]))
                         for p in np.flatnonzero(similarity >= threshold))
    return sorted(found)
