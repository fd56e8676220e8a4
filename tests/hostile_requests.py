"""The hostile request set of issue #12: every endpoint with out-of-range, malformed and
foreign-script values (a helper module of test_web_hostile.py, not a test file).

`hostile_requests(sample)` lists (method, path, params, headers) in a fixed order; its size is
bounded (asserted by the test) so the sweep's time is too.
"""

from __future__ import annotations

from typing import Any

from test_web_api import Sample

Request = tuple[str, str, dict[str, str], dict[str, Any]]

BOUNDS = ("0", "-1", str(2**31), str(2**53), str(2**63 - 1), str(2**63), str(2**64),
          "1e3", "lots", "", "٢٠", "１０", " 5")
DATES = ("٢٠٢٤", "２０２４", "2024-02-30", "2024-13", "0000", "9999-99-99", "foo", "2024-1-1",
         "٢٠٢٤-٠١-٠١", "2024\n", "")
TEXTS = ("\x00", "%", "_", "[/x]", "' OR '1'='1", "a" * 201, "٢٠٢٤", "\u202e",
         "<script>", "../../etc/passwd")
CODES = ("USA", "usa", "U$A", "٢٠", "", "A" * 40, "USA-USA", "\x00", "US A")
PAGED = ("/api/documents", "/api/events", "/api/clusters", "/api/quotes", "/api/figures",
         "/api/search", "/documents", "/actor/KHM", "/search")
DATED = ("/api/events", "/api/clusters", "/api/series", "/api/timeline")


def _paging() -> list[Request]:
    found: list[Request] = []
    for path in PAGED:
        base = {"q": "embargo"} if path.endswith("/search") else {}
        names = ("offset",) if not path.startswith("/api/") else ("offset", "limit")
        found += [("GET", path, {**base, name: v}, {}) for name in names for v in BOUNDS]
    found += [("GET", "/api/dyads", {"limit": v}, {}) for v in BOUNDS]
    return found


def _filters() -> list[Request]:
    found: list[Request] = []
    for path in DATED:
        base = {"dyad": "USA-KHM"} if path in ("/api/series", "/api/timeline") else {}
        found += [("GET", path, {**base, name: v}, {}) for name in ("since", "until")
                  for v in DATES]
    found += [("GET", "/api/events", {"root": v}, {}) for v in ("٠٥", "99", "-1", "x", "123")]
    for name in ("actor", "dyad"):
        found += [("GET", "/api/events", {name: v}, {}) for v in CODES]
        found += [("GET", "/api/clusters", {name: v}, {}) for v in CODES]
    found += [("GET", "/api/series", {"dyad": v}, {}) for v in CODES]
    found += [("GET", "/api/series", {"dyad": "USA-KHM", "freq": v}, {})
              for v in ("week", "", "MONTH")]
    found += [("GET", "/api/hedging", {"actor": v}, {}) for v in (*CODES, "USAGOV", "CHN")]
    found += [("GET", "/api/hedging", {"actor": "KHM", "powers": v}, {}) for v in CODES]
    found += [("GET", "/api/dyads", {"actor": v}, {}) for v in CODES]
    return found


def _texts(sample: Sample) -> list[Request]:
    found: list[Request] = []
    for value in TEXTS:
        found += [("GET", "/api/search", {"q": value}, {}), ("GET", "/search", {"q": value}, {}),
                  ("GET", "/api/documents", {"q": value}, {}),
                  ("GET", "/api/quotes", {"doc_id": value, "speaker": value}, {}),
                  ("GET", "/api/figures", {"doc_id": value, "unit": value}, {}),
                  ("GET", "/api/events", {"doc_id": value}, {})]
    for value in ("%00", "..%2F..%2Fetc%2Fpasswd", "%E2%80%AE", "x" * 300, "%5B%2Fx%5D"):
        found += [("GET", f"{prefix}{value}", {}, {}) for prefix in (
            "/api/documents/", "/api/events/", "/document/", "/event/", "/actor/", "/dyad/USA/")]
    found += [("GET", f"/document/{sample.doc_a}", {"offset": v}, {}) for v in BOUNDS[:4]]
    return found


def _tokens() -> list[Request]:
    tokens = ("tökén".encode(), b"\xff\xfe", "s3cret\u00a0".encode(), b"x" * 5000,
              b"Bearer", "\u4e2d\u6587".encode())
    return [("POST", "/api/ingest", {}, {"Authorization": b"Bearer " + t}) for t in tokens] + [
        ("POST", "/api/ingest", {}, {"Authorization": b"Basic " + t}) for t in tokens[:2]]


def hostile_requests(sample: Sample) -> list[Request]:
    """Every request of the sweep, in a fixed order."""
    return [*_paging(), *_filters(), *_texts(sample), *_tokens()]
