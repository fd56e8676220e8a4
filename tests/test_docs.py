"""The docs say what the code and the repository hold (after datasette's tests/test_docs.py):
the figures the README quotes from files in the repository, every path the README and docs/
name, and a format README in every data folder (the models' is their model card), naming
each file in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SHARED

PACKAGE = REPO / "src" / "dyadwatch"
DATA = PACKAGE / "data"
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# Paths the docs name that exist only at run time (a workspace), or only once set up (.venv).
RUN_TIME = {"./dyadwatch-data", ".venv/bin/python"}  # and WORKSPACE/...: inside a workspace
DATA_SUFFIXES = {".yaml", ".tsv", ".json", ".npz"}


def _readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def _count(path: Path, key: str = "sentences") -> int:
    return len(yaml.safe_load(path.read_text(encoding="utf-8"))[key])


def test_readme_counts_of_our_own_sentences_are_the_files() -> None:
    text = _readme()
    development = re.search(r"\((\d+) development", text)
    five_class = re.search(r"(\d+) five-class\)", text)
    assert development and five_class, "the README no longer quotes the two counts"
    assert int(development.group(1)) == _count(REPO / "tests" / "data" /
                                               "coding_sentences.yaml")
    assert int(five_class.group(1)) == _count(REPO / "bench" / "data" / "quad_heldout.yaml")


def _named_paths(text: str) -> set[str]:
    """Every `code` token that looks like a repository path (has a slash, no spaces)."""
    found = set()
    for code in re.findall(r"`([^`\n]+)`", text):
        for token in code.split():
            if "/" in token and not token.startswith(("http", "/api", "tcp:", "-")) \
                    and re.fullmatch(r"[\w.*/-]+", token) and token.strip("/"):
                found.add(token)
    return found


def _exists(token: str) -> bool:
    relative = token.removeprefix("../")
    for base in (REPO, PACKAGE, SHARED.parent):
        if "*" in relative and any(base.glob(relative)):
            return True
        if (base / relative).exists():
            return True
    return False


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_path_the_docs_name_exists(doc: Path) -> None:
    named = {p for p in _named_paths(doc.read_text(encoding="utf-8")) - RUN_TIME
             if not p.startswith("WORKSPACE/")}
    assert named or doc.name != "README.md", "the README names no path: the scan is broken"
    missing = sorted(token for token in named if not _exists(token))
    assert not missing, f"{doc.name} names paths that do not exist: {missing}"


def test_the_docs_cite_no_design_file_outside_the_repository() -> None:
    cited = [str(p.relative_to(REPO)) for p in [*DOCS, *PACKAGE.rglob("*.py")]
             if "DESIGN.md" in p.read_text(encoding="utf-8")]
    assert not cited, f"these cite DESIGN.md, which the repository does not hold: {cited}"


def _data_folders() -> list[Path]:
    return [DATA, *sorted(p for p in DATA.iterdir() if p.is_dir())]


def test_the_readme_promises_a_format_readme_per_data_folder() -> None:
    assert "each with its format README" in _readme()


@pytest.mark.parametrize("folder", _data_folders(), ids=lambda p: p.name)
def test_every_data_folder_has_a_format_readme_naming_its_files(folder: Path) -> None:
    readme = folder / ("MODEL_CARD.md" if folder.name == "models" else "README.md")
    assert readme.is_file(), f"{folder.relative_to(PACKAGE)} has no {readme.name}"
    text = readme.read_text(encoding="utf-8")
    files = [p.name for p in folder.iterdir() if p.suffix in DATA_SUFFIXES]
    assert files or folder == DATA
    unnamed = [name for name in files if name not in text and
               f"{Path(name).stem}.*" not in text]
    assert not unnamed, f"{readme.relative_to(PACKAGE)} does not describe {unnamed}"


def test_license_is_the_one_pyproject_names() -> None:
    license_text = (REPO / "LICENSE").read_text(encoding="utf-8")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "MIT"$', pyproject, re.MULTILINE)
    assert license_text.startswith("MIT License") and "dyadwatch developers" in license_text


def test_the_version_is_written_once() -> None:
    import dyadwatch

    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert not re.search(r'^version\s*=\s*"', pyproject, re.MULTILINE), "pyproject repeats it"
    assert 'version = {attr = "dyadwatch.__version__"}' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+", dyadwatch.__version__)
