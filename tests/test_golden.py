"""Golden pages: every configured source with per-site rules has a stored page whose
extracted fields must not change unless regenerated on purpose (tests/golden/regenerate.py)."""

import json

import pytest

from tests.golden.golden import HERE, REPO, SPEC, extract
from warta.config import load_config

CONFIGS = {"sources.toml": REPO / "sources.toml", "demo/sources.toml": REPO / "demo/sources.toml"}


def sources_with_rules():
    import os

    os.environ.setdefault("WARTA_DEMO_BASE", "http://demo.invalid")
    for label, path in CONFIGS.items():
        for source in load_config(path).sources.values():
            has_rules = (source.extract != type(source.extract)() or source.clean_rules
                         or source.pages is not None)
            if has_rules:
                yield label, source.name


@pytest.mark.parametrize(("config", "name"), list(sources_with_rules()))
def test_every_source_with_rules_has_a_golden_page(config, name):
    assert name in SPEC, f"{config}: source {name!r} has rules but no golden page in " \
                         f"tests/golden/sources.toml"
    assert SPEC[name]["config"] == config
    assert (HERE / f"{name}.json").exists(), f"run tests/golden/regenerate.py {name}"


@pytest.mark.parametrize("name", sorted(SPEC))
def test_golden_page_extracts_as_recorded(name):
    got = extract(name)
    if got is None:
        pytest.skip(f"{name}: its page is in ../shared/corpus, which is absent")
    expected = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    assert got == expected
