"""The bundled demo corpus (written for dyadwatch) and `run_demo`, which ingests it."""

from dyadwatch.examples.demo import DemoResult, demo_corpus, run_demo

__all__ = ["DemoResult", "demo_corpus", "run_demo"]
