"""Config loading: the bundled files load; every kind of mistake is one clear error."""

import textwrap
from pathlib import Path

import pytest

from warta.config import DEFAULT_CONFIG, ConfigError, load_config

MINIMAL = """
[sources.site]
homepage = "https://example.com/"
lang = "en"
feeds = ["https://example.com/feed"]
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "sources.toml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_default_config_lists_the_required_real_sources():
    config = load_config(DEFAULT_CONFIG)
    homes = {s.homepage for s in config.sources.values()}
    for host in ("gamebrott.com", "inet.detik.com", "tekno.kompas.com", "arstechnica.com",
                 "theverge.com", "techcrunch.com"):
        assert any(host in h for h in homes), host
    for source in config.sources.values():
        assert source.feeds or source.sitemaps or source.listings
        assert all(u.startswith("https://") for u in (*source.feeds, *source.sitemaps))
        assert source.owns(source.homepage)


def test_minimal_source_gets_defaults(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    site = config.sources["site"]
    assert site.timezone == "UTC"
    assert site.allowed_domains == ("example.com",)
    assert site.owns("https://www.example.com/a") and not site.owns("https://evil.com/example.com")


def test_indonesian_source_defaults_to_jakarta_time(tmp_path):
    config = load_config(write(tmp_path, MINIMAL.replace('"en"', '"id"')))
    assert config.sources["site"].timezone == "Asia/Jakarta"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('lang = "en"', 'lang = "en"\nfeedz = []'), "source 'site': unknown field(s): feedz"),
        (('homepage = "https://example.com/"', 'homepage = "ftp://x"'),
         "source 'site' field 'homepage': not an http(s) URL"),
        (('feeds = ["https://example.com/feed"]', 'feeds = ["not a url"]'),
         "source 'site' field 'feeds[0]': not an http(s) URL"),
        (('feeds = ["https://example.com/feed"]', "feeds = []"),
         "needs at least one of 'feeds', 'sitemaps', 'listings'"),
        (('lang = "en"', 'lang = "fr"'), "field 'lang' must be one of id, en"),
        (('lang = "en"', 'lang = "en"\narticle_pattern = "([a-z"'),
         "field 'article_pattern': bad regular expression"),
        (('lang = "en"', 'lang = "en"\nlistings = ["https://example.com/news"]'),
         "'article_pattern' is required when 'listings' is set"),
        (('lang = "en"', 'lang = "en"\ntimezone = "Mars/Olympus"'), "unknown time zone"),
        (('lang = "en"', 'lang = "en"\nextract = { body = "div[[" }'),
         "field 'extract.body': bad CSS selector"),
        (('lang = "en"', 'lang = "en"\nclean = { rules = [{ id = "x", pattern = "(" }] }'),
         "(rule 'x') 'pattern': bad regular expression"),
        (('lang = "en"', 'lang = "en"\nschedule = { every = "soon" }'), "schedule.every"),
        (('lang = "en"', 'lang = "en"\npages = { all_in_one = "all" }'), "'pages'.all_in_one"),
        (('lang = "en"', 'lang = "en"\npages = { next = "a[[" }'), "'pages'.next: bad CSS"),
        (('lang = "en"', 'lang = "en"\npages = { next = "a", max_pages = 500 }'),
         "max_pages: an integer from 2 to 50"),
        (('homepage = "https://example.com/"', 'homepage = "${WARTA_TEST_UNSET_VAR}"'),
         "environment variable WARTA_TEST_UNSET_VAR is not set"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path, change, message):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, MINIMAL.replace(*change)))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_not_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[sources.x\n"))
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_environment_variables_expand(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_BASE", "http://127.0.0.1:8000")
    text = MINIMAL.replace('"https://example.com/feed"', '"${SITE_BASE}/feed"')
    config = load_config(write(tmp_path, text))
    assert config.sources["site"].feeds == ("http://127.0.0.1:8000/feed",)


def test_selecting_an_unknown_source_names_the_configured_ones(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    with pytest.raises(ConfigError, match="unknown source.*nope.*configured: site"):
        config.select(["nope"])


def test_stories_recluster_schedule(tmp_path):
    from warta.config import Schedule

    assert load_config(write(tmp_path, MINIMAL)).stories.recluster is None
    config = load_config(write(tmp_path, MINIMAL + '\n[stories]\nrecluster = { cron = '
                               '"30 3 * * *" }\nrecluster_since = "2w"\n'))
    assert config.stories.recluster == Schedule(cron="30 3 * * *")
    assert config.stories.recluster_since == "2w"
    assert load_config(write(tmp_path, MINIMAL + '\n[stories]\nrecluster = { every = "1d" }\n'
                             )).stories.recluster_since == "3d"


@pytest.mark.parametrize(("stories", "message"), [
    ('recluster = { every = "sometimes" }', "[stories]: field 'recluster.every'"),
    ('recluster = "nightly"', "[stories]: field 'recluster' must be"),
    ('recluster_since = "yesterday"', "'recluster_since' must look like 12h, 3d or 2w"),
    ('reclsuter = { every = "1d" }', "[stories] unknown key(s): reclsuter"),
])
def test_bad_stories_table_is_one_clear_error(tmp_path, stories, message):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, MINIMAL + f"\n[stories]\n{stories}\n"))
    assert message in str(err.value)
