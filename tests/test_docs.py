"""The README, --help and the code agree: every command and every source is documented."""

import re

import pytest
from click.testing import CliRunner

from tests.crawling import REPO
from warta.cli import main
from warta.config import DEFAULT_CONFIG, load_config

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    return sorted(main.commands)


def test_cli_has_the_core_commands():
    assert {"crawl", "search", "stats", "sources", "show", "extract"} <= set(commands())


@pytest.mark.parametrize("name", commands())
def test_every_command_is_in_the_readme_and_has_an_example(name):
    assert re.search(rf"warta (--\S+ \S+ )*{name}\b", README), f"README lacks 'warta {name}'"
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


@pytest.mark.parametrize("name", sorted(load_config(DEFAULT_CONFIG).sources))
def test_every_configured_source_is_in_the_readme(name):
    assert f"`{name}`" in README


def test_the_shipped_config_reclusters_as_the_readme_says():
    stories = load_config(DEFAULT_CONFIG).stories
    assert stories.recluster is not None and stories.recluster.cron == "30 3 * * *"
    assert "nightly at 03:30 UTC" in README
    assert f"`warta recluster --since {stories.recluster_since}`" in README


def test_readme_has_the_two_commands_and_exit_codes():
    assert "make demo" in README and "make test" in README
    for code in ("| 0 |", "| 1 |"):
        assert code in README


def test_every_table_and_column_is_documented(tmp_path):
    from storage.archive import open_db

    db = open_db(tmp_path / "w.db")
    for table in db.tables:
        if table.name.startswith(("_", "articles_fts_")):
            continue
        assert f"`{table.name}`" in README, table.name
        if table.name == "articles_fts":
            continue
        for column in table.columns_dict:
            assert f"`{column}`" in README, f"{table.name}.{column}"
