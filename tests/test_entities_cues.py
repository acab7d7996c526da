"""Cues: names the gazetteer does not know, found by the words around them (``cues.py``), and
abbreviations defined in brackets (``resolve.acronym_definitions``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.entities import Mention, find_mentions, summarize
from pipelines.entities.cues import CueError, compile_rules, load_cues
from pipelines.entities.gazetteer import default_gazetteer
from pipelines.entities.mention import abbreviates
from pipelines.entities.resolve import model_first


def cued(text: str, lang: str) -> dict[str, tuple[str, str]]:
    """Mentions found by a cue: surface -> (type, entity id)."""
    out = {}
    for m in find_mentions(text, lang, use_model=False):
        assert text[m.start:m.end] == m.text
        if m.method == "cue":
            out[m.text] = (m.type, m.entity_id)
    return out


def test_people_by_speech_verbs_and_titles() -> None:
    found = cued("“It feels Indonesian,” said Ayu Lestari, creative director of a studio. "
                 "State Governor Tom Harlow said the plant would open. The firm's co-CEO "
                 "Park Min-jun said so. Its chief executive, Claire Dubois, said it would.",
                 "en")
    assert found["Ayu Lestari"] == ("PERSON", "warta:ayu-lestari")
    assert found["Tom Harlow"] == ("PERSON", "warta:tom-harlow")  # the title is not the name
    assert found["Park Min-jun"] == ("PERSON", "warta:park-min-jun")
    assert found["Claire Dubois"] == ("PERSON", "warta:claire-dubois")


def test_titles_past_a_known_organisation_and_in_lower_case() -> None:
    found = cued("Gubernur BI Surya Darmawan menyebut inflasi turun.", "id")
    assert found["Surya Darmawan"] == ("PERSON", "warta:surya-darmawan")
    found = cued("Nintendo of Europe president Lena Vogt said the console sold well.", "en")
    assert found["Lena Vogt"] == ("PERSON", "warta:lena-vogt")
    assert cued("The Commission said it would publish guidelines.", "en") == {}
    assert cued("Direktur Teknologi perusahaan itu hadir.", "id") == {}  # a post, not a firm
    assert cued("said Dr Kalpana Rao, who maintains it. The firm, Inc., said.", "en") == {
        "Kalpana Rao": ("PERSON", "warta:kalpana-rao")}  # no title, no lone "Inc."


def test_indonesian_one_word_names_set_off_by_commas() -> None:
    found = cued("Direktur Utama perusahaan itu, Hartono, mengatakan proyek selesai. "
                 "Peneliti dari kampus itu, Sari Wulandari, menilai aturan ini kuat. "
                 "Proyek itu, Selasa, mengatakan hal lain.", "id")
    assert found["Hartono"] == ("PERSON", "warta:hartono")
    assert found["Sari Wulandari"] == ("PERSON", "warta:sari-wulandari")
    assert "Selasa" not in found  # a day name is never a person


def test_no_person_without_a_title_or_commas() -> None:
    # "X Y said" is as often a company as a person: no cue without a title or commas
    assert cued("Corvin Halley said the launch slipped.", "en") == {}


def test_a_known_name_ends_a_person_run() -> None:
    found = find_mentions("Google Cloud Platform said it would grow. It was said "
                          "Google CEO Sundar Pichai.", "en", use_model=False)
    assert not any(m.type == "PERSON" and "Cloud" in m.text for m in found)
    assert [m.entity_id for m in found if m.text == "Sundar Pichai"] == ["warta:sundar-pichai"]


def test_organisations_by_head_and_tail_words() -> None:
    found = cued("Kementerian Perdagangan Brasil mengecam langkah itu. Pembentukan Lembaga "
                 "Pengawas Data Nasional diumumkan. Lembaga PDN mulai bekerja 2027.", "id")
    assert found["Kementerian Perdagangan Brasil"] == (
        "ORG", "warta:kementerian-perdagangan-brasil")  # a known place inside the name
    full = found["Lembaga Pengawas Data Nasional"]
    assert found["Lembaga PDN"] == full  # the acronym after the full name: the same body
    en = cued("A ransomware attack on Harbourline Logistics, which runs ports. Peru's Trade "
              "Ministry called it protectionism.", "en")
    assert en["Harbourline Logistics"] == ("ORG", "warta:harbourline-logistics")
    assert en["Trade Ministry"] == ("ORG", "warta:trade-ministry")  # the possessive ends it


def test_places_by_cue_words() -> None:
    found = cued("Uji coba di kawasan Kotaraja dan Waena berjalan lancar. Final digelar di "
                 "Bahari Convention Center pekan depan.", "id")
    assert found["Kotaraja"] == ("PLACE", "warta:kotaraja")  # "kawasan" is not in the name
    assert found["Waena"] == ("PLACE", "warta:waena")
    assert found["Bahari Convention Center"] == ("PLACE", "warta:bahari-convention-center")
    assert cued("a utility in Kelwyn state", "en")["Kelwyn"] == ("PLACE", "warta:kelwyn")
    assert cued("Each region has its own rules.", "en") == {}  # a determiner is no name
    assert cued("led by Lumbung Ventures and Rimba Capital", "en") == {
        "Lumbung Ventures": ("ORG", "warta:lumbung-ventures"),
        "Rimba Capital": ("ORG", "warta:rimba-capital")}


def test_no_cues_for_other_languages() -> None:
    assert cued("said Ayu Lestari", "fr") == {}


def test_bad_cue_files(tmp_path: Path) -> None:
    with pytest.raises(CueError, match="unknown key 'person_befor'"):
        compile_rules({"person_befor": ["said"]})
    with pytest.raises(CueError, match="'org_tails' must be a list"):
        compile_rules({"org_tails": "Inc"})
    broken = tmp_path / "cues.toml"
    broken.write_text("[en]\nperson_before = [\"said\"\n", encoding="utf-8")
    with pytest.raises(CueError, match=str(broken)):
        load_cues(broken)


def test_shipped_cue_file_loads() -> None:
    rules = load_cues()
    assert set(rules) == {"id", "en"}


def test_acronym_defined_in_brackets() -> None:
    text = ("Lembaga Pengawas Data Nasional (LPDN) dibentuk tahun ini. LPDN akan mengawasi "
            "perusahaan. Teten Masduki (PDIP) hadir.")
    mentions = find_mentions(text, "id", use_model=False)
    by_text = {m.text: m for m in mentions}
    full = by_text["Lembaga Pengawas Data Nasional (LPDN)"]  # one mention, as news counts it
    assert by_text["LPDN"].entity_id == full.entity_id  # the acronym alone, later
    assert "Teten Masduki (PDIP)" not in by_text  # a party, not an abbreviation of the name
    summary = {e["entity_id"]: e for e in summarize(mentions)}
    assert summary[full.entity_id]["count"] == 2
    assert summary[full.entity_id]["aliases"] == ["LPDN"]


@pytest.mark.parametrize(("short", "name", "expected"), [
    ("KPK", "Komisi Pemberantasan Korupsi", True),
    ("PDP", "Lembaga Pelindungan Data Pribadi", True),
    ("Komdigi", "Kementerian Komunikasi dan Digital", True),
    ("Jokowi", "Joko Widodo", True),
    ("PDIP", "Teten Masduki", False),
    ("WHO", "Badan Kesehatan Dunia", False),
])
def test_abbreviates(short: str, name: str, expected: bool) -> None:
    assert abbreviates(short, name) is expected


def test_model_bounds_cued_people_but_not_cut_short_organisations() -> None:
    text = ("Menko Perekonomian Boediono datang. Badan Riset dan Inovasi Nasional hadir. "
            "Kantor Wilayah Kementerian Hukum dan HAM juga.")

    def at(surface: str) -> tuple[int, int]:
        start = text.index(surface)
        return start, start + len(surface)

    def cue(surface: str, kind: str) -> Mention:
        return Mention(*at(surface), surface, kind, "warta:x-" + surface[:3].lower(),
                       surface, "cue")

    firm = [cue("Perekonomian Boediono", "PERSON"),
            cue("Badan Riset dan Inovasi Nasional", "ORG"),
            cue("Kantor Wilayah Kementerian Hukum dan HAM", "ORG")]
    spans = [(*at("Boediono"), "PER"), (*at("Badan Riset"), "ORG"),
             (*at("Kantor Wilayah"), "ORG"), (*at("Kementerian Hukum dan HAM"), "ORG")]
    kept = sorted(m.text for m in model_first(text, firm, spans, default_gazetteer()))
    assert kept == ["Badan Riset dan Inovasi Nasional", "Boediono", "Kantor Wilayah",
                    "Kementerian Hukum dan HAM"]


def test_facility_names_and_two_organisations_joined_by_dan() -> None:
    found = cued("Tim tiba di Bandara Juanda, lalu ke Stasiun Gubeng. Kasus ditangani Polda "
                 "Jawa Timur dan Pemprov Jawa Tengah; Kombes Ade Ary Syam Indradi menjelaskan.",
                 "id")
    assert found["Bandara Juanda"] == ("PLACE", "warta:bandara-juanda")  # the head is in it
    assert found["Stasiun Gubeng"] == ("PLACE", "warta:stasiun-gubeng")
    assert found["Polda Jawa Timur"] == ("ORG", "warta:polda-jawa-timur")  # not "... dan ..."
    assert found["Pemprov Jawa Tengah"] == ("ORG", "warta:pemprov-jawa-tengah")
    assert found["Ade Ary Syam Indradi"] == ("PERSON", "warta:ade-ary-syam-indradi")
