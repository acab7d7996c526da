"""The lead (standfirst) a page shows before its text: found from the page's description."""

from __future__ import annotations

import pytest

from pipelines import article_from_html
from pipelines.body import parse_html
from pipelines.lead import find_lead, find_loose_start

DESCRIPTION = ("Shanghai Electric baut in Dubai das größte solarthermische Kraftwerk der Welt. "
               "Nun hat die Montage begonnen.")
LEAD = DESCRIPTION + " Die Anlage soll 2023 ans Netz gehen."
FIRST = ("Der chinesische Konzern hat am Montag mitgeteilt, dass die ersten Parabolrinnen "
         "montiert sind und die Arbeiten im Plan liegen.")
SECOND = ("Das Kraftwerk liegt im Mohammed bin Rashid Al Maktoum Solarpark und hat eine "
          "Leistung von 700 Megawatt, dazu kommen 250 Megawatt Photovoltaik.")


def page(before: str = "", after: str = "", *, title: str = "Größtes Solarkraftwerk",
         description: str = DESCRIPTION) -> str:
    return f"""<html><head><title>{title}</title>
<meta name="description" content="{description}"></head><body>
<nav><a href="/">Start</a></nav>
<header><h1>{title}</h1></header>
<div class="top">{before}</div>
<article><p>{FIRST}</p><p>{SECOND}</p></article>
{after}
<footer><p>Impressum</p></footer></body></html>"""


def lead_of(html: str, paragraphs: list[str] | None = None,
            title: str | None = "Größtes Solarkraftwerk",
            description: str = DESCRIPTION) -> list[str]:
    found = find_lead(parse_html(html), [description], paragraphs or [FIRST, SECOND], title)
    # the search of the markup first (to skip pages that do not show the description)
    # finds the same
    assert find_lead(parse_html(html), [description], paragraphs or [FIRST, SECOND], title,
                     html) == found
    assert found is None or found.at == 0 or paragraphs
    return found.paragraphs if found else []


def test_a_lead_shown_before_the_text_is_found_whole():
    html = page(f'<p class="intro"><a href="/x">Shanghai Electric</a> baut in Dubai das größte '
                f'solarthermische Kraftwerk der Welt. Nun hat die <b>Montage</b> begonnen. '
                f'Die Anlage soll 2023 ans Netz gehen.</p>')
    assert lead_of(html) == [LEAD]


def test_a_truncated_description_still_finds_the_longer_lead():
    html = page(f"<p>{LEAD}</p>")
    assert lead_of(html, description=DESCRIPTION[:70] + " ...") == [LEAD]


def test_a_lead_after_a_block_inside_its_container():
    """The lead's text follows a heading inside one container (the heading's tail)."""
    html = page(f"<div><h2>Auf einen Blick</h2>{LEAD}</div>")
    assert lead_of(html) == ["Auf einen Blick", LEAD]


def test_a_lead_before_a_text_whose_first_words_are_marked_up():
    """The text's first words split by a span ("At <span>Home Depot</span>, we ...") are
    still found after the lead."""
    split = FIRST.replace("chinesische Konzern", '<span class="ticker">chinesische</span> Konzern')
    html = page(f"<p>{LEAD}</p>").replace(f"<p>{FIRST}</p>", f"<p>{split}</p>")
    assert split in html
    assert lead_of(html) == [LEAD]


def test_a_lead_with_a_label_before_it():
    html = page(f"<p><b>Auf einen Blick:</b> {LEAD}</p>")
    assert lead_of(html) == [f"Auf einen Blick: {LEAD}"]


@pytest.mark.parametrize("case", ["not shown", "in the text", "after the text", "in a list",
                                  "in an aside", "mostly links", "the headline's block",
                                  "short description", "container", "too long"])
def test_no_lead(case: str):
    paragraphs = [FIRST, SECOND]
    description = DESCRIPTION
    title = "Größtes Solarkraftwerk"
    html = page(f"<p>{LEAD}</p>")
    if case == "not shown":
        html = page()
    elif case == "in the text":
        paragraphs = [LEAD, FIRST, SECOND]
    elif case == "after the text":  # a teaser of the same text below the article
        html = page(after=f"<div><p>{LEAD}</p></div>")
    elif case == "in a list":
        html = page(f"<ul><li>{LEAD}</li></ul>")
    elif case == "in an aside":
        html = page(f"<aside><p>{LEAD}</p></aside>")
    elif case == "mostly links":
        html = page(f'<p><a href="/a">{LEAD}</a></p>')
    elif case == "the headline's block":  # a description that starts with the headline
        title = "Bonn: UN-Konvention veröffentlicht Empfehlungen zur Vogelgrippe und Wildvögeln"
        description = title + "Die in Bonn angesiedelte UN-Konvention über"
        html = page(f'<div class="kicker"><span>Meldungen</span> <h2>{title}</h2></div>')
    elif case == "short description":
        description = "Shanghai Electric baut in Dubai."
        html = page("<p>Shanghai Electric baut in Dubai.</p>")
    elif case == "container":  # the block that holds the lead holds the text too
        html = f"""<html><body><div class="story"><p>{LEAD}</p><p>{FIRST}</p>
<p>{SECOND}</p></div></body></html>"""
        paragraphs = [FIRST, SECOND]
        html = html.replace(f"<p>{LEAD}</p>", f"<span>{LEAD}</span>")
    elif case == "too long":  # a block of text that starts with the description is no lead
        html = page(f"<div>{LEAD} {'Noch ein Satz über das Kraftwerk. ' * 50}</div>")
    assert lead_of(html, paragraphs, title, description) == []


def test_the_lead_reaches_the_article_body():
    """Through extraction: the generic text leaves the header's lead out, the lead step puts
    it back first, once."""
    body = "".join(f"<p>{FIRST} {SECOND} {i}</p>" for i in range(6))
    html = f"""<html><head><title>Größtes Solarkraftwerk</title>
<meta name="description" content="{DESCRIPTION}"></head><body>
<nav><a href="/">Start</a></nav>
<div class="head"><h1>Größtes Solarkraftwerk</h1><p class="intro">{LEAD}</p></div>
<div class="gallery"><a href="/1"><img src="/1.jpg"></a><a href="/2"><img src="/2.jpg"></a></div>
<article><div class="text">{body}</div></article>
<footer><p>Impressum</p></footer></body></html>"""
    article = article_from_html(html, url="https://example.org/a")
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0] == LEAD
    assert article.body.count("Nun hat die Montage begonnen") == 1
    assert paragraphs[1].startswith(FIRST)


def test_a_lead_after_a_kicker_goes_after_it():
    """A line of the text that the page shows above the lead (a kicker, a breadcrumb) stays
    first; the lead goes before the first paragraph that follows it."""
    kicker = "Zweite Tarifrunde beginnt am Montag"
    html = page(f"<p class='kicker'>{kicker}</p><p class='lead'>{LEAD}</p>")
    lead = find_lead(parse_html(html), [DESCRIPTION], [kicker, FIRST, SECOND],
                     "Größtes Solarkraftwerk")
    assert lead is not None and lead.paragraphs == [LEAD] and lead.at == 1


def test_a_lead_below_the_first_three_paragraphs_is_none():
    """The description shown further down (a teaser box after the text's start) is no
    lead."""
    others = [f"Absatz {i}: die Region plant {i + 2} weitere Anlagen bis zum Jahr 2030."
              for i in range(3)]
    html = page().replace(f"<p>{FIRST}</p>", "".join(f"<p>{o}</p>" for o in others) +
                          f"<div><p>{LEAD}</p></div><p>{FIRST}</p>")
    assert find_lead(parse_html(html), [DESCRIPTION], [*others, FIRST, SECOND],
                     "Größtes Solarkraftwerk") is None
    # with one paragraph fewer above it, it is the lead
    html = html.replace(f"<p>{others[2]}</p>", "")
    lead = find_lead(parse_html(html), [DESCRIPTION], [*others[:2], FIRST, SECOND],
                     "Größtes Solarkraftwerk")
    assert lead is not None and lead.at == 2


def test_the_opengraph_description_serves_when_the_meta_one_is_the_sites():
    """A site-wide meta description ("Nachrichten und Luftfahrtinformationen") is not shown
    as a lead; the page's og:description is."""
    body = "".join(f"<p>{FIRST} {SECOND} {i}</p>" for i in range(6))
    html = f"""<html><head><title>Größtes Solarkraftwerk</title>
<meta name="description" content="Nachrichten und Informationen aus der Welt der Energie und Technik">
<meta property="og:description" content="{DESCRIPTION}"></head><body>
<div class="head"><h1>Größtes Solarkraftwerk</h1><p class="intro">{LEAD}</p></div>
<div class="gallery"><a href="/1"><img src="/1.jpg"></a><a href="/2"><img src="/2.jpg"></a></div>
<article><div class="text">{body}</div></article></body></html>"""
    article = article_from_html(html, url="https://example.org/a")
    assert article.body.split("\n\n")[0] == LEAD
    assert article.description.startswith("Nachrichten und Informationen")


LOOSE = ("SAN FRANCISCO (AP) — Steve Jobs, the mind behind the iPhone and iPad, resigned as CEO "
         "on Wednesday, saying he can no longer handle the job.")
RELATED = ('<div class="related"><h3>Related Content</h3><ul><li><a href="/a">Article: a '
           'chronology</a></li><li><a href="/b">Article: his letter</a></li></ul></div>')


@pytest.mark.parametrize("markup", [
    # a box inside the first <p> closes it: the text after the box is the box's tail
    f"<div class='bd'><p>{RELATED}{LOOSE}</p><p>{FIRST}</p><p>{SECOND}</p></div>",
    # text written straight into the container, before its first paragraph
    f"<div class='bd'>\n  {LOOSE}\n  <p>{FIRST}</p><p>{SECOND}</p></div>",
])
def test_a_first_paragraph_left_as_loose_text_is_found(markup: str):
    tree = parse_html(f"<html><body><h1>Jobs resigns</h1>{markup}</body></html>")
    assert find_loose_start(tree, [FIRST, SECOND]) == LOOSE


@pytest.mark.parametrize("case", ["short", "in the text", "in an aside", "paragraph loose"])
def test_no_loose_start(case: str):
    loose, paragraphs = LOOSE, [FIRST, SECOND]
    markup = f"<div class='bd'>{{loose}}<p>{FIRST}</p><p>{SECOND}</p></div>"
    if case == "short":  # a byline or a date
        loose = "By Jane Doe, March 3, 2012"
    elif case == "in the text":  # the extractor has it, further down
        paragraphs = [FIRST, SECOND, LOOSE]
    elif case == "in an aside":
        markup = f"<aside>{{loose}}<p>{FIRST}</p></aside><p>{SECOND}</p>"
    elif case == "paragraph loose":  # the first paragraph is no <p> of its own: where it
        # starts is not known well enough to take what stands before it
        markup = (f"<div class='wrap'>{{loose}}<div class='bd'><b>Intro</b> {FIRST}"
                  f"<p>{SECOND}</p></div></div>")
    html = f"<html><body>{markup.format(loose=loose)}</body></html>"
    assert find_loose_start(parse_html(html), paragraphs) is None


def test_a_loose_first_paragraph_reaches_the_article_body():
    body = "".join(f"<p>{FIRST} {SECOND} {i}</p>" for i in range(6))
    html = f"""<html><head><title>Jobs resigns</title></head><body><nav><a href="/">Home</a></nav>
<h1>Jobs resigns</h1><div class="story"><p>{RELATED}{LOOSE}</p>{body}</div></body></html>"""
    article = article_from_html(html, url="https://example.org/jobs")
    assert article.body.split("\n\n")[0] == LOOSE
