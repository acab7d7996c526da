"""Boilerplate rules: each known line is removed and recorded; article prose is kept."""

import pytest

from pipelines.boilerplate import Cleaner, global_rules, normalize_text
from warta.config import CleanRule

BOILERPLATE = [
    "Exit mobile version",
    "Baca juga: Elon Musk Beli 10.000 GPU NVIDIA",
    "Baca Juga Informasi Menarik Gamebrott lainnya terkait Tech atau artikel lainnya dari Andi.",
    "For further information and other inquiries, you can contact us via author@gamebrott.com.",
    "Simak juga: video terbaru",
    "Lihat juga: foto-foto peluncuran",
    "Read also: Nvidia's new chips",
    "Read more: The H100 explained",
    "Related: xAI hires",
    "Share this article",
    "Bagikan artikel ini melalui",
    "Subscribe to our newsletter to get the latest tech news in your inbox",
    "Dapatkan informasi dan insight pilihan redaksi Kompas.com",
    "ADVERTISEMENT",
    "SCROLL TO CONTINUE WITH CONTENT",
    "Advertisement",
    "Iklan",
    "Photo: Reuters",
    "Foto: Dok. Istimewa",
    "Courtesy G4",
    "Photo courtesy of NASA/JPL",
    "© 2026 The Circuit. All rights reserved.",
    "Copyright @ 2023 detikcom",
    'Simak Video "Penyakit Jantung Penyakit Orang Tua?"',
]

PROSE = [
    "Elon Musk reportedly bought 10,000 GPUs from NVIDIA for a new AI project at Twitter.",
    "Dia juga mengatakan bahwa proyek ini akan dibaca juga oleh tim lain di perusahaan.",
    "Pengguna bisa membaca juga ulasan lengkapnya di aplikasi, kata juru bicara Kominfo.",
    "The photo shows the new data centre, which read more like a warehouse than a lab.",
    "Share prices of NVIDIA rose 4% after the report, Reuters said on Monday.",
    "Advertisement revenue at X fell sharply in the quarter, the company said in a filing.",
    "Iklan digital tumbuh 20 persen tahun ini menurut laporan asosiasi periklanan.",
    "Courtesy of the new law, prices fell. Analysts expect them to fall further next year.",
    "Courtesy calls from the ministry went unanswered, he said.",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_line_is_removed_with_its_rule(line):
    kept, removed = Cleaner().clean(["Some real article text here.", line])
    assert kept == ["Some real article text here."]
    assert removed[0]["text"] == normalize_text(line)
    assert removed[0]["origin"] == "global" and removed[0]["rule"]


@pytest.mark.parametrize("line", PROSE)
def test_article_prose_is_kept(line):
    kept, removed = Cleaner().clean([line])
    assert kept == [line], removed


def test_source_rules_add_to_global_rules():
    cleaner = Cleaner((CleanRule("kabar-footer", r"^Kabar Tekno hadir di WhatsApp"),))
    kept, removed = cleaner.clean(["Teks.", "Kabar Tekno hadir di WhatsApp Channel", "Iklan"])
    assert kept == ["Teks."]
    assert [(r["origin"], r["rule"]) for r in removed] == [
        ("source", "kabar-footer"), ("global", "advertisement")]


def test_repeated_title_at_the_top_is_removed():
    kept, removed = Cleaner().clean(["Judul Berita", "Isi berita."], title="Judul  Berita")
    assert kept == ["Isi berita."] and removed[0]["rule"] == "title-repeat"


def test_whitespace_and_unicode_are_normalised():
    assert normalize_text("Cafe\u0301\u00a0 GPU\u200b  news ") == "Café GPU news"


def test_global_rules_have_unique_ids_and_descriptions():
    rules = global_rules()
    assert len({r.id for r in rules}) == len(rules) >= 8
    assert all(r.description for r in rules)


@pytest.mark.parametrize("extra", [
    (),  # global rules only: joined into one pattern
    (CleanRule("doubled", r"^(\w+) \1$"),),  # a back-reference: the rules run one by one
    (CleanRule("verbose", r"(?x) ^ kabar \s tekno"),),  # a global flag: one by one too
])
def test_joined_rules_remove_exactly_what_the_rules_do_one_by_one(extra):
    cleaner = Cleaner(extra)
    assert (cleaner._any is None) == bool(extra)
    lines = [*BOILERPLATE, *PROSE, "iklan iklan", "Kabar tekno hari ini"]
    one_by_one = Cleaner(extra)
    one_by_one._any = None
    assert cleaner.clean(lines) == one_by_one.clean(lines)
    for line in lines:  # the first rule that matches names the removal
        rule = one_by_one.match(normalize_text(line))
        assert cleaner.match(normalize_text(line)) == rule
