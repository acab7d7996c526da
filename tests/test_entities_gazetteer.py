"""The gazetteer file: format errors name the file and line; the shipped file is clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.entities.gazetteer import GAZETTEER_FILE, GazetteerError, load_gazetteer

GOOD = "# comment\n\nQ182477\tORG\tNvidia\tNVIDIA|$NVDA\nwarta:xai\tORG\txAI\tX.AI Corp\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gazetteer.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads(tmp_path: Path) -> None:
    gaz = load_gazetteer(write(tmp_path, GOOD))
    assert len(gaz) == 2
    assert gaz.lookup("x.ai corp").id == "warta:xai"


@pytest.mark.parametrize(("line", "message"), [
    ("Q1\tORG", r"gazetteer.tsv:5: expected id, type, name and aliases .* got 2 field"),
    ("Q1 ORG Apple", r"gazetteer.tsv:5: expected .* got 1 field"),
    ("apple\tORG\tApple", r"gazetteer.tsv:5: bad id 'apple'"),
    ("Q1\tCOMPANY\tApple", r"gazetteer.tsv:5: unknown type 'COMPANY'"),
    ("Q1\tORG\tX", r"gazetteer.tsv:5: name or alias 'X' is empty or too short"),
    ("Q1\tORG\tApple\tApple Inc.||AAPL", r"gazetteer.tsv:5: name or alias '' is empty"),
    ("Q182477\tORG\tNvidia Corp", r"gazetteer.tsv:5: duplicate id Q182477 \(first on line 3\)"),
    ("Q2\tPRODUCT\tGeForce\tnvidia",
     r"gazetteer.tsv:5: alias 'nvidia' of Q2 is already a name of Q182477 \(line 3\)"),
])
def test_bad_line_is_named(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(GazetteerError, match=message):
        load_gazetteer(write(tmp_path, GOOD + line + "\n"))


def test_shipped_file_is_tab_separated_and_sorted_into_sections() -> None:
    lines = GAZETTEER_FILE.read_text(encoding="utf-8").splitlines()
    entries = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    assert all(ln.count("\t") in (2, 3) for ln in entries)
    assert len(load_gazetteer()) == len(entries)


def test_indonesian_places_but_not_common_words_that_start_title_case_headlines() -> None:
    from pipelines.entities import find_mentions

    text = "Israel Serang Gaza. Ketok Palu Anggaran. Banjir di Kupang, Pulau Flores dan Ambon."
    found = {m.name: m.type for m in find_mentions(text, "id", use_model=False)}
    assert found.get("Kupang") == found.get("Flores") == found.get("Ambon") == "PLACE"
    assert "Serang" not in found and "Palu" not in found


def test_automaton_reports_every_occurrence_with_character_offsets() -> None:
    from pipelines.entities.automaton import Automaton

    words = Automaton({w: w for w in ("windows", "windows 12", "ma’ruf", "发布")})
    text = "İstanbul: windows 12 发布, ma’ruf windows"
    hits = words.iter(text)
    # (index of the last character, value): overlapping hits kept, by end, longest first
    assert [w for _, w in hits] == ["windows", "windows 12", "发布", "ma’ruf", "windows"]
    assert all(text[last + 1 - len(w):last + 1] == w for last, w in hits)
    same_end = Automaton({w: w for w in ("x", "series x", "xbox series x")})
    assert same_end.iter("XBOX: xbox series x") == [
        (6, "x"), (9, "x"), (18, "xbox series x"), (18, "series x"), (18, "x")]
    assert Automaton({}).iter(text) == [] and words.iter("") == []


def test_names_that_hold_a_place_or_an_acronym_are_not_that_place() -> None:
    from pipelines.entities import find_mentions

    text = ("The Kansas City Chiefs beat Oklahoma. Jimmy Wales spoke in Cardiff, Wales. "
            "Shipper CMA CGM and the UK's CMA disagreed.")
    found = {m.text: m.entity_id for m in find_mentions(text, "en", use_model=False)}
    assert found["Kansas City"] == "warta:kansas-city" and "Kansas" not in found
    assert found["Jimmy Wales"] == "warta:jimmy-wales" and found["Wales"] == "warta:wales"
    assert found["CMA CGM"] == "warta:cma-cgm"
    assert found["CMA"] == "warta:competition-and-markets-authority"
