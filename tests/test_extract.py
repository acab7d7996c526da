"""article_from_html: fields from structured metadata, visible text and the source's rules."""

import gzip

import pytest

from pipelines import NotAnArticle, article_from_html
from warta.config import ExtractHints, Source

WP_PAGE = """<!DOCTYPE html><html lang="id-ID"><head><meta charset="utf-8">
<title>Elon Musk Beli 10.000 GPU NVIDIA - Gamebrott</title></head><body>
<header class="site-header"><a href="/">Gamebrott</a><nav><a href="/category/tech/">Tech</a></nav></header>
<aside class="sidebar"><div class="widget"><span class="date">Kamis, 01 Januari 2026 08:00 WIB</span></div></aside>
<article class="post"><h1 class="entry-title">Elon Musk Beli 10.000 GPU NVIDIA</h1>
<div class="entry-meta"><span class="posted-on">Senin, 23 November 2026 14:05 WIB</span>
<span class="author vcard">Oleh <a rel="author" href="/author/andi/">Andi Pratama</a></span></div>
<div class="entry-content">
<p>Elon Musk dikabarkan membeli sekitar 10.000 GPU dari NVIDIA untuk proyek kecerdasan buatan baru.</p>
<figure class="wp-caption"><img src="/gpu.jpg"><figcaption class="wp-caption-text">Elon Musk beli ribuan GPU dari NVIDIA untuk proyek AI</figcaption></figure>
<p>Baca juga: <a href="/x/">Tesla Umumkan Robotaxi</a></p>
<p>Proyek tersebut disebut berkaitan dengan xAI, perusahaan yang didirikan Musk bersama Igor Babuschkin dari DeepMind.</p>
<p>GPU yang dibeli adalah H100, penerus A100 yang dipakai untuk melatih ChatGPT dan GPT-4 milik OpenAI.</p>
<p>Baca juga informasi menarik Gamebrott lainnya terkait Tech atau artikel lainnya dari Andi Pratama.</p>
<p>For further information and other inquiries, you can contact us via author@gamebrott.com.</p>
</div></article>
<footer><a href="/?ak_action=reject_mobile">Exit mobile version</a></footer></body></html>"""

SOURCE = Source(name="gb", homepage="https://gamebrott.com/", lang="id", timezone="Asia/Jakarta",
                feeds=("https://gamebrott.com/feed/",), allowed_domains=("gamebrott.com",),
                extract=ExtractHints(body=".entry-content", title="h1.entry-title"))


@pytest.mark.parametrize("source", [SOURCE, None], ids=["with-rules", "generic"])
def test_wordpress_page_with_only_a_visible_indonesian_date(source):
    a = article_from_html(WP_PAGE, "https://gamebrott.com/elon-musk-gpu/?utm_source=fb", source,
                          fetched_at="2026-11-28T00:00:00Z")
    assert a.title == "Elon Musk Beli 10.000 GPU NVIDIA"
    assert a.published_at == "2026-11-23T07:05:00Z"  # 14:05 WIB, not the sidebar's date
    assert a.published_raw == "Senin, 23 November 2026 14:05 WIB"
    assert a.authors == ["Andi Pratama"]
    assert a.lang == "id"
    assert a.canonical_url == "https://gamebrott.com/elon-musk-gpu/"
    assert "Igor Babuschkin" in a.body and "GPT-4" in a.body
    for line in ("Baca juga", "contact us", "Exit mobile version", "ribuan GPU dari NVIDIA untuk"):
        assert line not in a.body, line
    assert a.captions == ["Elon Musk beli ribuan GPU dari NVIDIA untuk proyek AI"]


def test_relative_date_is_resolved_against_fetch_time():
    html = WP_PAGE.replace("Senin, 23 November 2026 14:05 WIB", "2 jam yang lalu")
    a = article_from_html(html, "https://gamebrott.com/x/", SOURCE, fetched_at="2026-11-28T10:00:00Z")
    assert a.published_at == "2026-11-28T08:00:00Z" and a.published_raw == "2 jam yang lalu"


def test_jsonld_wins_and_authors_are_names_only():
    html = """<html><head><script type="application/ld+json">
    {"@context":"https://schema.org","@type":"NewsArticle","headline":"Chip rules tighten",
     "datePublished":"2026-11-20T09:00:00-05:00","dateModified":"2026-11-21T10:00:00Z",
     "author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"Sam Lee"}],
     "image":{"url":"/img/chip.jpg"},"keywords":["chips","export"]}</script>
    <link rel="canonical" href="https://tech.example/2026/11/chip-rules/"></head><body>
    <h1>Chip rules tighten</h1><p class="byline">By Jane Doe and Sam Lee, Senior Reporters</p>
    <article>""" + "<p>The US tightened export rules on AI chips again this week.</p>" * 8 + \
        "</article></body></html>"
    a = article_from_html(html, "https://tech.example/2026/11/chip-rules/?ref=home")
    assert a.title == "Chip rules tighten"
    assert a.published_at == "2026-11-20T14:00:00Z" and a.modified_at == "2026-11-21T10:00:00Z"
    assert a.authors == ["Jane Doe", "Sam Lee"]
    assert a.image == "https://tech.example/img/chip.jpg"
    assert a.tags == ["chips", "export"]
    assert a.canonical_url == "https://tech.example/2026/11/chip-rules/"
    assert a.published_local == "2026-11-20T09:00:00-05:00"  # as the publisher wrote it


ARTICLE_TEXT = "".join(
    f"<p>Paragraph {n}: councils across the country reported that student halls were full "
    f"and that {n * 100} more beds would be needed before the start of term.</p>" for n in range(8))


def test_utc_metadata_and_the_local_time_shown_give_the_publishers_day():
    html = f"""<html lang="en"><head><script type="application/ld+json">
    {{"@type":"NewsArticle","headline":"Playoffs","datePublished":"2023-11-09T01:09:55Z"}}
    </script></head><body><article><h1>Playoffs</h1>
    <div class="time"><time datetime="2023-11-08 18:09:55">November 8, 2023 at 6:09 p.m.</time>
    </div>{ARTICLE_TEXT}</article></body></html>"""
    a = article_from_html(html, "https://news.example/2023/11/08/playoffs/")
    assert a.published_at == "2023-11-09T01:09:55Z"
    assert a.published_local == "2023-11-08T18:09:55-07:00"


def test_utc_metadata_and_the_local_time_of_another_meta_tag_give_the_publishers_day():
    html = f"""<html lang="en"><head><script type="application/ld+json">
    {{"@type":"NewsArticle","headline":"Debate","datePublished":"2023-11-09T03:28:35Z"}}
    </script><meta name="sailthru.date" content="2023-11-08 22:28:35"></head><body><article>
    <h1>Debate</h1>{ARTICLE_TEXT}</article></body></html>"""
    a = article_from_html(html, "https://news.example/debate/")
    assert a.published_at == "2023-11-09T03:28:35Z"
    assert a.published_local == "2023-11-08T22:28:35-05:00"
    utc_again = html.replace("2023-11-08 22:28:35", "2023-11-09 03:28:35")  # no offset shown
    assert article_from_html(utc_again, "https://news.example/debate/").published_local is None


@pytest.mark.parametrize(("lang", "day"), [("en-GB", "2020-10-02"), ("en-US", "2020-02-10")])
def test_english_numeric_date_order_follows_the_pages_region(lang, day):
    html = f"""<html lang="{lang}"><body><article><h1>Halls too full</h1>
    <span class="date">02/10/2020</span>{ARTICLE_TEXT}</article></body></html>"""
    a = article_from_html(html, "https://news.example/halls")
    # en-GB: read in London time, so the day is the local one (UTC is an hour behind in BST)
    assert (a.published_local or a.published_at)[:10] == day


def test_offsite_canonical_is_ignored():
    html = WP_PAGE.replace("<head>", '<head><link rel="canonical" href="https://spam.example/x">')
    a = article_from_html(html, "https://gamebrott.com/elon/", SOURCE)
    assert a.canonical_url == "https://gamebrott.com/elon/"


@pytest.mark.parametrize("html", ["", "   ", b"\x00\x01\x02binary", "<html></html>",
                                  "<html><body><div>" * 5000 + "x"])
def test_garbage_is_not_an_article(html):
    with pytest.raises(NotAnArticle):
        article_from_html(html, "https://x.example/a")


def test_real_detik_page(corpus):
    html = gzip.open(corpus / "htmldate_eval/eval/health.detik.com-Stroke.html.gz").read()
    a = article_from_html(html, "https://health.detik.com/berita-detikhealth/d-7010000/stroke")
    assert a.published_at.startswith("2023-11-02T13:59")  # 20:59 WIB
    assert a.lang == "id" and a.authors
    for junk in ("ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "Simak Video"):
        assert junk not in a.body


def test_real_kompas_page(corpus):
    html = gzip.open(corpus / "htmldate_eval/eval/money.kompas.com-Menhub.html.gz").read()
    a = article_from_html(html, "https://money.kompas.com/read/2023/11/02/213400026/menhub")
    assert a.published_at.startswith("2023-11-02T14:34")  # 21:34 WIB
    assert "Baca juga" not in a.body and "Menhub" in a.title
    for line in a.body.split("\n\n"):
        assert not line.startswith(("Halaman", "Baca juga", "Dapatkan informasi")), line


def test_control_characters_in_the_text_do_not_lose_the_body():
    # lxml refuses XML-invalid characters in copied text; trafilatura then returned nothing
    html = f"""<html lang="en"><body><article><h1>Land use</h1>
    {ARTICLE_TEXT}<p>Sources: WWF\x07 (2020), FAO\x0b (2012).</p></article></body></html>"""
    a = article_from_html(html, "https://news.example/land")
    assert "student halls were full" in a.body
    assert "WWF (2020), FAO (2012)" in a.body


def test_generic_path_drops_caption_lines_with_their_credit():
    html = f"""<html lang="de"><body><article><h1>Wohnungssuche</h1>
    <p>Die Vorlesungen an der Uni und den Hochschulen starten, aber nicht alle haben ein Zimmer.</p>
    <div class="caption">Einen Studienplatz, aber keine Wohnung? Foto: Ingo Schneider</div>
    {ARTICLE_TEXT}</article></body></html>"""
    a = article_from_html(html, "https://zeitung.example/wohnung")
    assert a.captions == ["Einen Studienplatz, aber keine Wohnung?"]
    assert "Studienplatz" not in a.body and "Ingo Schneider" not in a.body
    assert "nicht alle haben ein Zimmer" in a.body


@pytest.mark.parametrize(("raw", "names"), [
    (["Veröffentlicht vonChris Jung"], ["Chris Jung"]),  # a long label run into the name
    (["Erstellt von Andri Bryner"], ["Andri Bryner"]),
    (["Ditulis oleh Budi Santoso"], ["Budi Santoso"]),
    (["Byron Smith"], ["Byron Smith"]),  # "By" glued to a name is a name
    (["Bob Fischer", "weiter", "Weitere Artikel", "Archiv anzeigen →"], ["Bob Fischer"]),
    (["Thomas More"], ["Thomas More"]),
    (["Von"], []),  # a label alone
    (["Auteur: Anna Kubišta"], ["Anna Kubišta"]),  # labels that end with a colon
    (["Text und Interview: Harald Willenbrock"], ["Harald Willenbrock"]),
    (["Text: Jens Bergmann Foto: Michael Hudler"], ["Jens Bergmann"]),  # the credit ends it
    (["Foto: Ingo Schneider", "Clara Müller"], ["Clara Müller"]),  # a photographer is not
    (["Donnerstag"], []),  # a date line's day
    (["Textor Schmidt"], ["Textor Schmidt"]),
    (["VON MORITZ GATHMANN am 21. April 2020"], ["MORITZ GATHMANN"]),  # the date after it
    (["Isabella.DiBiase am Samstag"], ["Isabella.DiBiase"]),
    (["Ben am Ende"], ["Ben am Ende"]),  # "am" before no date
    (["Williams Perdomo @wperdomod"], ["Williams Perdomo"]),  # the handle after it
    (["Glen Owen and Brendan Carlin for The Mail on Sunday"], ["Glen Owen", "Brendan Carlin"]),
    (["Facebook", "vom Support Team"], ["Support Team"]),
    (["dpa"], ["dpa"]),  # agencies write themselves in lower case
])
def test_author_labels_and_link_texts_are_not_names(raw, names):
    from pipelines.extract import clean_authors

    assert clean_authors(raw) == names


def test_yoast_graph_author_reference_is_resolved():
    html = f"""<html lang="en"><head><script type="application/ld+json">
    {{"@context":"https://schema.org","@graph":[
      {{"@type":"Article","headline":"Halls","author":{{"@id":"https://x.example/#/person/1"}},
        "datePublished":"2020-10-02T08:00:00+01:00"}},
      {{"@type":"Person","@id":"https://x.example/#/person/1","name":"Christoph Hein"}}]}}
    </script></head><body><article><h1>Halls</h1>{ARTICLE_TEXT}</article></body></html>"""
    a = article_from_html(html, "https://x.example/halls")
    assert a.authors == ["Christoph Hein"]


def test_a_dateline_runs_into_its_paragraph_and_comments_are_not_text():
    from pipelines.body import _join_datelines

    assert _join_datelines(["Jakarta -", "Seorang wanita muda terkena stroke."]) == [
        "Jakarta - Seorang wanita muda terkena stroke."]
    assert _join_datelines(["JAKARTA, KOMPAS.com -", "Pemerintah menerbitkan PP."]) == [
        "JAKARTA, KOMPAS.com - Pemerintah menerbitkan PP."]
    assert _join_datelines(["A whole sentence - with a dash inside it, not a dateline."]) == [
        "A whole sentence - with a dash inside it, not a dateline."]
    html = f"""<html lang="en"><body><article><h1>Halls</h1><!-- S:body -->
    {ARTICLE_TEXT}<!-- E:body --></article></body></html>"""
    assert "S:body" not in article_from_html(html, "https://news.example/h").body


def test_a_date_without_its_year_takes_the_year_of_the_urls_date():
    html = f"""<html lang="de"><body><article><h1>Alles neu macht der Mai</h1>
    <span class="entry-date">06 PM | 18 Mai</span>{ARTICLE_TEXT}</article></body></html>"""
    a = article_from_html(html, "http://blog.example/2014/05/18/alles-neu/",
                          fetched_at="2026-11-28T00:00:00Z")
    assert a.published_at.startswith("2014-05-18")
    # a different day in the URL says nothing about this date's year
    a = article_from_html(html, "http://blog.example/2014/05/19/alles-neu/",
                          fetched_at="2026-11-28T00:00:00Z")
    assert a.published_at.startswith("2026-05-18")


def test_the_first_byline_that_holds_a_name_is_taken():
    html = f"""<html lang="de"><body><article><h1>Friseurbesuch</h1>
    <div class="author-box"><span class="author-label">Alle Beiträge anzeigen</span></div>
    <div class="article_autor"><span>Kirsten Freund</span></div>
    {ARTICLE_TEXT}</article></body></html>"""
    assert article_from_html(html, "https://handwerk.example/friseur").authors == [
        "Kirsten Freund"]


def test_meta_tags_that_agree_outvote_a_stale_json_ld_date():
    head = """<meta name="date" content="2022-02-04 15:33"/>
    <meta name="DC.date.issued" content="2022-02-04T15:33:00+01:00"/>"""
    ld = """<script type="application/ld+json">{"@type":"NewsArticle","headline":"Warten",
    "datePublished":"2021-12-14T15:41:07+01:00"}</script>"""
    page = f"""<html lang="de"><head>{ld}HEAD</head><body><article><h1>Warten</h1>
    {ARTICLE_TEXT}</article></body></html>"""
    a = article_from_html(page.replace("HEAD", head), "https://mac.example/warten")
    assert a.published_at == "2022-02-04T14:33:00Z"
    # one tag alone does not outvote the JSON-LD date
    a = article_from_html(page.replace("HEAD", head.split("\n")[0]), "https://mac.example/warten")
    assert a.published_at == "2021-12-14T14:41:07Z"


def test_the_sites_banner_date_is_not_the_articles():
    # an edition date by the logo (a role="banner" header) is the day of the visit
    page = f"""<html lang="fr"><body><header role="banner"><a class="logo">
    <span class="date-edition">lun. 5 août 2019</span></a></header><main><h1>Violences</h1>
    <p class="date">27 juin 2019</p>
    {ARTICLE_TEXT}</main></body></html>"""
    a = article_from_html(page, "https://blogs.example.fr/violences")
    assert a.published_local.startswith("2019-06-27")
    # without the landmark, the first date in page order would be taken
    page = page.replace('<header role="banner">', "<header>")
    a = article_from_html(page, "https://blogs.example.fr/violences")
    assert a.published_local.startswith("2019-08-05")


def test_a_time_elements_written_date_wins_over_a_distant_attribute():
    page = f"""<html lang="fr"><body><article><h1>Grenades</h1><div class="time">
    <time datetime="2019-07-03T10:18:46Z">TEXT</time></div>{ARTICLE_TEXT}</article>
    </body></html>"""
    a = article_from_html(page.replace("TEXT", "Publié le 29 juin 2019"),
                          "https://luttes.example/grenades")
    assert a.published_at.startswith("2019-06-29")
    # a written date on the same day (or a day off: another time zone) keeps the exact time
    a = article_from_html(page.replace("TEXT", "Publié le 3 juillet 2019"),
                          "https://luttes.example/grenades")
    assert a.published_at == "2019-07-03T10:18:46Z"
    # a written update date is not the publication: the attribute stays
    a = article_from_html(page.replace("TEXT", "Mis à jour le 5 août 2019"),
                          "https://luttes.example/grenades")
    assert a.published_at == "2019-07-03T10:18:46Z"


PARAGRAPHS = "".join(f"<p>Paragraf {i}: café résumé — harga GPU naik lagi di Jakarta minggu ini "
                     "menurut laporan analis pasar.</p>" for i in range(12))


def _with_tail(tail: str) -> bytes:
    return (f'<html lang="id"><head><title>Harga GPU</title></head><body><article>'
            f"<h1>Harga GPU</h1>{PARAGRAPHS}</article>{tail}</body></html>").encode()


def test_huge_pages_are_bounded():
    # 5 MB of inline data (a base64 image, a script): the article is found
    page = _with_tail('<img src="data:image/png;base64,' + "A" * 4_000_000 + '">'
                      "<script>var x = '" + "y" * 1_000_000 + "';</script>")
    assert len(page) > 5_000_000
    assert article_from_html(page, "https://x.example/gpu").body.count("Paragraf") == 12
    # 9,000 elements of small blocks: past the size where trafilatura's quadratic
    # fallbacks are skipped
    page = _with_tail("<div class='ad'><span>iklan</span></div>" * 4_500)
    assert article_from_html(page, "https://x.example/gpu").body.count("Paragraf") == 12
    # past the element ceiling: refused at once, with its reason
    page = _with_tail("<i>x</i>" * 100_001)
    with pytest.raises(NotAnArticle, match="over the 100000") as refused:
        article_from_html(page, "https://x.example/gpu")
    assert refused.value.reason == "too_large"


def test_utf8_declared_as_windows_1252_is_read_as_utf8():
    page = _with_tail("").replace(b"<head>", b'<head><meta charset="windows-1252">')
    body = article_from_html(page, "https://x.example/cafe").body
    assert "café résumé" in body and "Ã" not in body


def test_elements_with_class_keeps_page_order_and_skips_scripts():
    from pipelines.body import class_attributes, elements_with_class, parse_html

    page = """<html><body><p class="b">one</p><div class="a x">two</div>
    <script class="a x">var a;</script><p class="a x">three</p><p class="b">four</p>
    <p class="a">five</p>{extra}</body></html>"""
    tree = parse_html(page.format(extra=""))
    assert class_attributes(tree)[:4] == ["b", "a x", "a x", "a x"]
    found = elements_with_class(tree, {"a x", "b"}.__contains__)
    assert [el.text for el in found] == ["one", "two", "three", "four"]
    assert elements_with_class(tree, lambda c: False) == []
    # a class holding "|" (the joined lookup's separator) elsewhere on the page: still exact
    tree = parse_html(page.format(extra='<p class="a x|b">six</p>'))
    found = elements_with_class(tree, {"a x", "b"}.__contains__)
    assert [el.text for el in found] == ["one", "two", "three", "four"]
    # the class values read once a page, before parts of it were dropped: only the elements
    # still there come back
    tree = parse_html(page.format(extra=""))
    classes = class_attributes(tree)
    for el in tree.xpath('//*[@class="b"]'):
        el.drop_tree()
    found = elements_with_class(tree, {"a x", "b"}.__contains__, classes)
    assert [el.text for el in found] == ["two", "three"]


def test_labelled_byline_found_after_the_cheap_first_text_test():
    html = f"""<html lang="id"><body><article><h1>Harga GPU naik lagi</h1>
    <div class="info"><span>Penulis: Budi Santoso</span></div>
    {ARTICLE_TEXT}</article></body></html>"""
    assert article_from_html(html, "https://berita.example/gpu").authors == ["Budi Santoso"]


def test_author_from_microdata_and_from_the_seo_plugins_written_by_pair():
    body = f"<article><h1>Harga GPU naik lagi</h1>{ARTICLE_TEXT}</article>"
    microdata = f"""<html lang="de"><body><div class="meta">Text: <span itemprop="author">
    Kirsten Freund</span> / 12.03.2021</div>{body}</body></html>"""
    assert article_from_html(microdata, "https://zeitung.example/a").authors == ["Kirsten Freund"]
    yoast = f"""<html lang="es"><head><meta name="twitter:label1" content="Written by">
    <meta name="twitter:data1" content="Williams Perdomo @wperdomod">
    <meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2"
    content="3 minutes"></head><body>{body}</body></html>"""
    assert article_from_html(yoast, "https://diario.example/b").authors == ["Williams Perdomo"]
    other_label = yoast.replace("Written by", "Est. reading time", 1)
    assert article_from_html(other_label, "https://diario.example/b").authors == []


def test_an_author_in_a_listing_of_other_articles_is_not_the_articles():
    html = f"""<html lang="de"><body><article><h1>Vielfalt im Betrieb</h1>{ARTICLE_TEXT}
    </article><div class="fachartikel-listing"><a href="/b"><div class="listing__author">Von
    <span>Jörn Mecher</span> am <span>08.12.2022</span></div></a></div></body></html>"""
    assert article_from_html(html, "https://magazin.example/a").authors == []
    own = html.replace("<article>", '<article><p class="author">Von Jörg Staff</p>', 1)
    assert article_from_html(own, "https://magazin.example/a").authors == ["Jörg Staff"]


def test_a_selector_whose_classes_the_page_never_writes_is_not_evaluated(monkeypatch) -> None:
    from pipelines import body

    html = ('<html><body><div class="entry-content post"><p id="lead">Hi</p></div>'
            '<div class="share">x</div></body></html>')
    tree = body.parse_html(html)
    selectors = [".entry-content p", ".sharedaddy, .share", "#lead", "div:not(.nothing-here)",
                 "a[rel=author], .sharedaddy", ".sharedaddy", "#missing .entry-content",
                 "p:has(.absent)"]
    expected = {s: body.select(tree, s) for s in selectors}
    assert all(body.select(tree, s, html) == found for s, found in expected.items())
    evaluated = []
    real = body._compiled

    def spy(selector):
        evaluated.append(selector)
        return real(selector)

    monkeypatch.setattr(body, "_compiled", spy)
    for s in selectors:
        body.select(tree, s, html)
    # only the ones that need a class or id the markup lacks are skipped
    assert set(selectors) - set(evaluated) == {".sharedaddy", "#missing .entry-content"}


def test_pages_read_the_same_with_lxml_htmls_own_element_classes(monkeypatch):
    """warta's parser makes every element a plain HtmlElement, chosen in C (lxml.html's
    lookup is a Python call per element, to give form controls their own classes): the
    fields of every demo page, and of a page of forms, come out as with lxml.html's."""
    from lxml import html as lxml_html

    from pipelines import body
    from tests.crawling import REPO
    from tests.demo_site import articles

    pages = [(REPO / "demo" / "site" / a["path"].strip("/") / "index.html").read_text()
             for a in articles()]
    pages.append("<html><body><h1>Formulir pendaftaran ditutup hari ini</h1>"
                 + "<p>Pendaftaran beasiswa ditutup pukul 23.59 WIB, kata panitia.</p>" * 8
                 + "<form><label for='q'>Cari</label><input id='q' value='x'><select>"
                 "<option>a</option></select><textarea>t</textarea></form></body></html>")
    ours = body._parser()
    assert type(body.parse_html(pages[-1]).find(".//input")) is lxml_html.HtmlElement
    theirs = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False,
                                  encoding="utf-8")
    for html in pages:
        got = []
        for parser in (ours, theirs):
            monkeypatch.setattr(body._PARSERS, "parser", parser)
            article = article_from_html(html, "http://demo.test/a/",
                                        fetched_at="2026-11-28T00:00:00Z")
            got.append(article.to_dict())
        assert got[0] == got[1]
