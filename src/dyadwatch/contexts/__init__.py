"""PLOVER contexts (military, economic, diplomatic, ...): what an event is about.

A stage after coding: `with_contexts(pairs, lexicon)` gives each coded event its contexts; a
document's contexts are the union of its events' (`store.events.document_contexts`).
"""

from dyadwatch.contexts.lexicon import ContextLexicon, load_contexts
from dyadwatch.contexts.stage import check_context, event_contexts, with_contexts

__all__ = [
    "ContextLexicon", "check_context", "event_contexts", "load_contexts", "with_contexts",
]
