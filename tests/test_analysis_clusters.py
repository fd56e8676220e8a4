"""Event clusters: dated and undated mentions of one event merge; distinct events do not."""

from __future__ import annotations

from dyadwatch.analysis import assign_clusters, cluster_events, load_clusters
from test_analysis_support import (
    COMMENT,
    OTHER,
    TIMELINE,
    Doc,
    build_workspace,
    event,
    seed_like_events,
)


def _by_cameo_date(clusters):
    return {(c.cameo, c.date): c for c in clusters}


def test_undated_mention_joins_the_dated_event_of_its_family():
    clusters = cluster_events(seed_like_events(), {"doc-comment": "2026-01"})
    lifted = _by_cameo_date(clusters)[("085", "2025-11")]
    assert lifted.num_sources == 2
    assert {m.doc_id for m in lifted.mentions} == {"doc-timeline", "doc-comment"}
    # the later relaxation of the same family (085) on another date stays its own event
    later = _by_cameo_date(clusters)[("085", "2026-02-03")]
    assert later.num_sources == 1 and later.cluster_id != lifted.cluster_id


def test_undated_mention_joins_latest_event_before_its_document_date():
    # with an anchor in 2026-02 or later the February event is the most recent one
    clusters = cluster_events(seed_like_events(), {"doc-comment": "2026-03-01"})
    later = _by_cameo_date(clusters)[("085", "2026-02-03")]
    assert later.num_sources == 2


def test_undated_mention_never_joins_an_event_after_its_document():
    doc = OTHER  # published 2024-05, before every 085 event of the corpus
    undated = event(doc, 1, "The US once lifted a ban on Cambodia.", "USAGOV", "KHM", "085",
                    None)
    clusters = cluster_events([*seed_like_events(), undated], {"doc-other": "2024-05-02"})
    own = [c for c in clusters if undated.event_id in c.event_ids]
    assert len(own) == 1 and own[0].num_mentions == 1


def test_distinct_codes_same_month_stay_apart():
    clusters = cluster_events(seed_like_events())
    oct_clusters = [c for c in clusters if (c.date or "").startswith("2025-10")
                    and not c.negated]
    assert sorted(c.cameo for c in oct_clusters) == ["0312", "057"]


def test_negated_mention_is_its_own_cluster():
    clusters = cluster_events(seed_like_events())
    negated = [c for c in clusters if c.negated]
    assert len(negated) == 1 and negated[0].num_mentions == 1


def test_month_mention_joins_one_day_event_and_does_not_chain_two():
    t = TIMELINE
    a = event(t, 10, "On 2 March 2025 the US sent aid to Cambodia.", "USA", "KHM", "071",
              "2025-03-02")
    b = event(t, 11, "On 20 March 2025 the US sent more aid.", "USA", "KHM", "071",
              "2025-03-20")
    month = event(COMMENT, 10, "In March 2025 the US gave Cambodia aid.", "USA", "KHM",
                  "071", "2025-03", "month")
    clusters = cluster_events([a, b, month])
    assert len(clusters) == 2
    assert sorted(c.num_mentions for c in clusters) == [1, 2]


def test_range_contains_day_and_other_direction_is_same_dyad():
    t = TIMELINE
    visit = event(t, 12, "A US ship visited from 24 to 28 January.", "USAMIL", "KHM", "042",
                  "2026-01-24", "range", date_end="2026-01-28")
    hosted = event(COMMENT, 12, "Cambodia welcomed the ship on 26 January.", "KHM",
                   "USAMIL", "042", "2026-01-26")
    outside = event(COMMENT, 13, "Another ship came on 30 January.", "USAMIL", "KHM", "042",
                    "2026-01-30")
    clusters = cluster_events([visit, hosted, outside])
    assert sorted(c.num_mentions for c in clusters) == [1, 2]


def test_cluster_ids_are_deterministic_and_the_earliest_mention():
    events = seed_like_events()
    first = cluster_events(events, {"doc-comment": "2026-01"})
    second = cluster_events(list(reversed(events)), {"doc-comment": "2026-01"})
    assert [c.cluster_id for c in first] == [c.cluster_id for c in second]
    lifted = _by_cameo_date(first)[("085", "2025-11")]
    dated = next(m for m in lifted.mentions if m.date)
    assert lifted.cluster_id == dated.event_id


def test_assign_clusters_writes_ids_into_the_workspace(tmp_path):
    ws = build_workspace(tmp_path / "ws", [TIMELINE, COMMENT], seed_like_events())
    with ws.connect() as con:
        n = assign_clusters(con)
        rows = con.execute("SELECT count(*), count(cluster_id), count(DISTINCT cluster_id) "
                           "FROM events").fetchone()
        again = assign_clusters(con)
    assert n == again == rows[2]
    assert rows[0] == rows[1] == 8 and rows[2] == 7
    with ws.connect(read_only=True) as con:
        stored = load_clusters(con, dyad=("USA", "KHM"))
    lifted = _by_cameo_date(stored)[("085", "2025-11")]
    assert lifted.num_sources == 2  # the comment's anchor (2026-01) came from the documents


def test_undated_mention_prefers_the_alike_event_over_the_latest():
    # two dated 06 events: USA->KHM on 31 Oct, KHM->USA on 5 Dec; an undated USA->KHM 061
    # mention written in January refers to the first, although the second is more recent
    t = TIMELINE
    oct_ = event(t, 2, "On 31 October 2025 the US opened its market to Cambodian goods.",
                 "USAGOV", "KHMGOV", "061", "2025-10-31")
    dec = event(t, 4, "On 5 December Phnom Penh opened its ports to US firms.",
                "KHMGOV", "USA", "061", "2025-12-05")
    undated = event(COMMENT, 5, "Washington has opened its market to Cambodian exports.",
                    "USAGOV", "KHM", "061", None)
    clusters = cluster_events([oct_, dec, undated], {"doc-comment": "2026-01"})
    joined = next(c for c in clusters if undated.event_id in c.event_ids)
    assert joined.cluster_id == oct_.event_id and joined.num_sources == 2


def test_undated_verbal_mention_refers_back_one_week_and_same_code_only():
    said = event(TIMELINE, 40, "On 2 March 2026 the US accused Cambodia of hosting scams.",
                 "USAGOV", "KHM", "112", "2026-03-02")
    echo = Doc("doc-echo", "corpus/echo.txt", published="2026-03-05")
    late = Doc("doc-late", "corpus/late.txt", published="2026-04-20")
    again = event(echo, 1, "Washington accused Phnom Penh of hosting scam centres.", "USA",
                  "KHM", "112", None)
    other_code = event(echo, 2, "Washington criticised Phnom Penh.", "USA", "KHM", "111",
                       None)
    months_later = event(late, 1, "The US accused Cambodia of hosting scams.", "USA", "KHM",
                         "112", None)
    anchors = {"doc-echo": "2026-03-05", "doc-late": "2026-04-20"}
    clusters = cluster_events([said, again, other_code, months_later], anchors)
    joined = next(c for c in clusters if said.event_id in c.event_ids)
    assert set(joined.event_ids) == {said.event_id, again.event_id}
    assert len(clusters) == 3


def test_undated_mention_does_not_reach_back_years():
    old = event(TIMELINE, 20, "In 2011 the US praised Cambodia's army.", "USA", "KHM", "051",
                "2011", "year")
    later = event(OTHER, 20, "The US has praised Cambodia's reforms.", "USA", "KHM", "051",
                  None)
    clusters = cluster_events([old, later], {"doc-other": "2024-05-02"})
    assert len(clusters) == 2


def test_expected_mention_joins_only_a_later_event():
    aid = event(TIMELINE, 21, "US aid reached Cambodia from 24 to 28 January 2026.",
                "USAGOV", "KHM", "071", "2026-01-24", "range", date_end="2026-01-28")
    expected_same_month = event(COMMENT, 21, "More US aid is expected to reach Cambodia.",
                                "USAGOV", "KHM", "071", None, modality="expected")
    clusters = cluster_events([aid, expected_same_month], {"doc-comment": "2026-01"})
    assert len(clusters) == 2  # written in January: may refer to aid after January only
    announced = Doc("doc-early", "corpus/early.txt", published="2025-12-01")
    expected_before = event(announced, 1, "US aid is expected to reach Cambodia soon.",
                            "USAGOV", "KHM", "071", None, modality="expected")
    clusters = cluster_events([aid, expected_before], {"doc-early": "2025-12-01"})
    assert len(clusters) == 1 and clusters[0].modality == "occurred"
    assert clusters[0].num_sources == 2


def test_a_malformed_document_date_is_ignored():
    undated = event(COMMENT, 30, "Washington has dropped a weapons ban.", "USA", "KHM", "085",
                    None)
    clusters = cluster_events([*seed_like_events(), undated], {"doc-comment": "2026-13"})
    assert sum(c.num_mentions for c in clusters) == 9


def test_document_dated_mentions_years_apart_stay_apart():
    early = event(OTHER, 30, "The US sanctioned Cambodian officials, officials said.", "USA",
                  "KHM", "163", "2011", "document")
    late = event(COMMENT, 30, "The US sanctioned Cambodian officials again.", "USA", "KHM",
                 "163", "2024-10-25", "document")
    weeks_later = event(TIMELINE, 30, "The US has sanctioned Cambodian officials.", "USA",
                        "KHM", "163", "2024-11-10", "document")
    clusters = cluster_events([early, late, weeks_later])
    assert sorted(c.num_mentions for c in clusters) == [1, 2]


def test_document_dated_statements_of_different_days_stay_apart():
    docs = [Doc(f"doc-s{i}", f"corpus/s{i}.txt", published=f"2018-09-{i + 1:02d}")
            for i in range(5)]
    statements = [event(d, 1, "A US envoy said Syria must change course.", "USA", "SYR",
                        "111", d.published, "document") for d in docs]
    clusters = cluster_events(statements)
    # verbal events recur: only documents within two days share a cluster, and a cluster
    # keeps the date of its first mention, so the chain cannot grow
    assert len(clusters) >= 2 and max(c.num_sources for c in clusters) <= 3
