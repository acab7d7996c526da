"""How the sources of evidence are combined into one non-overlapping list of mentions.

Gazetteer and pattern mentions (they carry canonical ids) are resolved among themselves
first, then with the names found by cues (``cues.py``): longest wins, the gazetteer on a tie.
Then the model, by one of two policies:

- model first (languages whose model was trained on enough news of the kind we crawl, "id"):
  the model decides where a person, organisation or place name starts and ends, and the
  gazetteer names it (a name found by a cue gives way to an overlapping model span, and is
  kept where the model found nothing); products, events and pattern matches always stay.
  A gazetteer *place* the model passed over is kept only as an argument ("di Jakarta",
  "dari China"): after a noun it modifies it, and news annotation does not count it
  ("Pemerintah Indonesia", "turis Tiongkok"). People and organisations the model passed over
  are kept: leaving them out scored better on idner but missed real mentions ("Gojek
  meluncurkan ...").
- gazetteer first (other languages, whose model is weak): model spans only fill the gaps, or
  replace one gazetteer hit they extend with capitalised words ("University of Indonesia").

Last, in-document aliases: a part of a full person name in the text ("Elon", "Musk" of
"Elon Musk") is that person wherever else it stands alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipelines.entities.gazetteer import Gazetteer
from pipelines.entities.mention import (
    RANK,
    Mention,
    abbreviates,
    mention_bounds,
    overlap_index,
    whole_word,
)
from pipelines.entities.patterns import slugify

MODEL_DECIDES = frozenset({"id"})
_MODEL_BOUNDED = frozenset({"gazetteer", "cue"})
"""Methods whose person, organisation and place names the model bounds where it decides: a
gazetteer name the model also found stands; a cue's name gives way to the model's span."""
NAMED = frozenset({"PERSON", "ORG", "PLACE"})
ARGUMENT_ONLY = frozenset({"PLACE"})
"""Types whose gazetteer names the model passed over count only in argument position: a
place name after a noun modifies it ("Pemerintah Indonesia", "turis Tiongkok")."""
ARGUMENT_WORDS = frozenset({
    "di", "ke", "dari", "pada", "oleh", "dengan", "untuk", "bagi", "antara", "terhadap",
    "kepada", "dan", "atau", "yakni", "yaitu", "seperti", "bersama", "melawan", "asal",
    "menuju", "in", "at", "to", "from", "of", "by", "with", "and", "or", "for", "on",
})
"""Words after which a name is an argument of the sentence, not a modifier of a noun."""
_WORD = re.compile(r"[^\W_][\w'’.-]*")
_ALPHA = re.compile(r"[^\W\d_]{2,}")
_LAST_WORD = re.compile(r"([^\W\d_][\w-]*)[^\w]*$")
_NAME_BEFORE = re.compile(r"[A-Z][\w'’-]* $")
_NAME_AFTER = re.compile(r" [A-Z]")
_CONNECTORS = frozenset({"of", "de", "van", "von", "der", "dan", "and", "&", "the"})
_NOT_NAME_PARTS = frozenset({"Bin", "Binti", "Van", "Von", "Der", "Jr.", "Sr.", "Mr.", "Mrs.",
                             "Dr.", "Pak", "Bu", "The"})
Span = tuple[int, int, str]


def longest_first(candidates: list[Mention], size: int) -> list[Mention]:
    """Non-overlapping mentions: longer first, then gazetteer before pattern, then leftmost."""
    taken = bytearray(size)
    kept: list[Mention] = []
    for m in sorted(candidates, key=lambda m: (m.start - m.end, RANK[m.method], m.start)):
        if taken.find(1, m.start, m.end) == -1:
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
            kept.append(m)
    return kept


def with_cues(firm: list[Mention], cues: list[Mention], size: int) -> list[Mention]:
    """``firm`` (non-overlapping) with the cues' names, longest first (a cue's organisation
    holds a shorter known place: "US Commerce Department" over "US")."""
    return longest_first(firm + cues, size) if cues else firm


def _from_model(text: str, start: int, end: int, kind: str, gaz: Gazetteer) -> Mention:
    """A model span as a mention, named by the gazetteer when it knows the name."""
    surface = text[start:end]
    name = " ".join(surface.split())
    known = gaz.lookup(name, as_written=True)
    if known is not None:
        return Mention(start, end, surface, known.type, known.id, known.name, "model")
    return Mention(start, end, surface, kind, f"warta:{slugify(name)}", name, "model")


def _named(surface: str) -> bool:
    """Whether a model span has a capitalised word: a "name" without one ("Rp750",
    "8/256 GB", "iphone") is almost always a model error in edited news."""
    return any(w[0].isupper() and w.isalpha() for w in _ALPHA.findall(surface))


def model_first(text: str, firm: list[Mention], spans: list[Span],
                gaz: Gazetteer) -> list[Mention]:
    """The model decides the PERSON/ORG/PLACE spans; see the module docstring."""
    named = [m for m in firm if m.type in NAMED and m.method == "gazetteer"]
    cued = [m for m in firm if m.type in NAMED and m.method == "cue"]
    kept = [m for m in firm if m.type not in NAMED or m.method not in _MODEL_BOUNDED]
    named_at, cued_at, kept_at = (overlap_index(group, mention_bounds)
                                  for group in (named, cued, kept))
    used: set[int] = set()
    out: list[Mention] = []
    spans = [s for s in spans if _named(text[s[0]:s[1]]) and not kept_at(s[0], s[1])]
    spans_at = overlap_index(spans, lambda s: (s[0], s[1]))
    # A person's name found by a cue is bounded by a guess (a run of capitalised words): the
    # model's span replaces it ("Perekonomian Boediono" -> "Boediono"). An organisation or
    # place named from its head or tail word stands over the one model span that cuts it
    # short ("Badan Riset dan Inovasi Nasional" over "Badan Riset"), not over two names in it
    # ("Kantor Wilayah" and "Kementerian Hukum dan HAM").
    standing: set[int] = set()
    for m in cued:
        over_spans = spans_at(m.start, m.end)
        if m.type != "PERSON" and len(over_spans) == 1 and over_spans[0][0] == m.start \
                and over_spans[0][1] <= m.end:
            standing.add(id(m))
    for start, end, kind in spans:
        over_cues = cued_at(start, end)
        if any(id(m) in standing for m in over_cues):
            continue
        used.update(id(m) for m in over_cues)
        over = named_at(start, end)
        used.update(id(m) for m in over)
        if len(over) == 1 and (over[0].start <= start and end <= over[0].end
                               or over[0].type == "PERSON" or kind == "PERSON"):
            # the gazetteer's name is the same or longer, or a title was taken for part of a
            # name ("Miliarder Elon Musk", "Bos Tesla"): the gazetteer's mention stands
            out.append(over[0])
        elif over and len({m.entity_id for m in over}) == 1 and not _WORD.search(
                _outside(text, start, end, over)):
            # one entity under two names ("Komisi Pemilihan Umum (KPU)"): one mention of it
            known = over[0]
            out.append(replace(known, start=start, end=end, text=text[start:end],
                               method="model"))
        else:
            out.append(_from_model(text, start, end, kind, gaz))
    for m in named:
        if id(m) not in used:
            if m.type not in ARGUMENT_ONLY:
                out.append(m)
                continue
            before = _LAST_WORD.search(text, max(0, m.start - 40), m.start)
            if before is not None and before.group(1).lower() in ARGUMENT_WORDS:
                out.append(m)
    out += [m for m in cued if id(m) not in used]  # names the model passed over
    return kept + out


def _outside(text: str, start: int, end: int, inner: list[Mention]) -> str:
    """The part of ``text[start:end]`` that none of ``inner`` covers."""
    chars = list(text[start:end])
    for m in inner:
        for i in range(max(m.start, start), min(m.end, end)):
            chars[i - start] = " "
    return "".join(chars)


def gazetteer_first(text: str, firm: list[Mention], spans: list[Span],
                    gaz: Gazetteer) -> list[Mention]:
    """Model spans fill the gaps between firm mentions; see the module docstring."""
    dropped: set[int] = set()
    added: list[Mention] = []
    for start, end, kind in spans:
        if not _named(text[start:end]):
            continue
        inside = [m for m in firm if m.start < end and start < m.end]
        if inside:
            m = inside[0]
            if len(inside) > 1 or not (start <= m.start and m.end <= end) or (
                    m.end - m.start == end - start) or not _capitalised(
                    text[start:m.start] + " " + text[m.end:end]):
                continue
            dropped.add(id(m))
        added.append(_from_model(text, start, end, kind, gaz))
    return [m for m in firm if id(m) not in dropped] + added


def _capitalised(words: str) -> bool:
    """Whether every word is capitalised (connectors such as "of" and "dan" aside)."""
    found = _WORD.findall(words)
    return bool(found) and all(w[0].isupper() or w[0].isdigit() or w in _CONNECTORS
                               for w in found)


_DEFINED = re.compile(r"[ \t]*\(([A-Z][A-Za-z0-9&]{1,11})\)")
"""An acronym or short name in brackets right after a name: "Mahkamah Konstitusi (MK)"."""
DEFINABLE = frozenset({"PERSON", "ORG", "PLACE", "EVENT"})


def acronym_definitions(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name followed by its abbreviation in brackets is one mention ("Komisi Pemberantasan
    Korupsi (KPK)", as news annotation counts it), and the abbreviation standing alone
    elsewhere in the text is the same entity. The bracket must abbreviate the name
    (:func:`~pipelines.entities.mention.abbreviates`) or be a known name of the same entity;
    a known name of another entity is left alone."""
    by_start = {m.start: m for m in mentions}
    dropped: set[int] = set()
    merged: dict[int, Mention] = {}
    defined: dict[str, Mention] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.type not in DEFINABLE or id(m) in dropped:
            continue
        found = _DEFINED.match(text, m.end)
        if found is None:
            continue
        short = found.group(1)
        inner = by_start.get(found.start(1))
        if inner is not None and inner.end > found.end(1):
            continue
        same = inner is not None and inner.entity_id == m.entity_id
        if not same and (inner is not None and inner.method == "gazetteer"
                         or not abbreviates(short, m.text)):
            continue
        if inner is not None:
            dropped.add(id(inner))
        merged[id(m)] = replace(m, end=found.end(), text=text[m.start:found.end()])
        defined.setdefault(short, m)
    if not merged:
        return mentions
    out: list[Mention] = []
    taken = bytearray(len(text))
    for m in mentions:
        if id(m) in dropped:
            continue
        m = merged.get(id(m), m)
        owner = defined.get(m.text) if m.method in ("model", "cue") else None
        if owner is not None:  # the model's or a cue's guess at the abbreviation alone
            m = replace(m, type=owner.type, entity_id=owner.entity_id, name=owner.name)
        out.append(m)
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    for short, owner in defined.items():
        for start, end in _whole_words(text, short):
            if taken.find(1, start, end) == -1:
                out.append(Mention(start, end, short, owner.type, owner.entity_id,
                                   owner.name, "pattern"))
    return out


def _whole_words(text: str, word: str) -> list[tuple[int, int]]:
    """Where ``word`` stands in ``text`` as a whole word (not inside a longer one)."""
    found = []
    at = text.find(word)
    while at != -1:
        end = at + len(word)
        if whole_word(text, at, end):
            found.append((at, end))
        at = text.find(word, end)
    return found


def in_document_aliases(text: str, mentions: list[Mention]) -> list[Mention]:
    """Link and add stand-alone parts of full person names found in the same text."""
    parts: dict[str, Mention | None] = {}
    for m in mentions:
        words = m.text.split()
        if m.type != "PERSON" or len(words) < 2:
            continue
        for word in words:
            if len(word) >= 3 and word[0].isupper() and word not in _NOT_NAME_PARTS:
                other = parts.get(word)
                parts[word] = m if other is None or other.entity_id == m.entity_id else None
    owners = {w: m for w, m in parts.items() if m is not None}
    if not owners:
        return mentions
    linked: list[Mention] = []
    taken = bytearray(len(text))
    for m in mentions:
        owner = owners.get(m.text) if m.method == "model" else None
        if owner is not None:
            m = replace(m, type="PERSON", entity_id=owner.entity_id, name=owner.name)
        linked.append(m)
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    # each name part found with str.find (a regex alternation of them, compiled for every
    # text, cost more than the search); parts cannot overlap: each is a whole word
    found = sorted((start, end, word) for word in owners
                   for start, end in _whole_words(text, word))
    for start, end, word in found:
        if taken.find(1, start, end) == -1 and not _in_longer_name(text, start, end):
            owner = owners[word]
            linked.append(Mention(start, end, word, "PERSON", owner.entity_id, owner.name,
                                  "pattern"))
    return linked



def _in_longer_name(text: str, start: int, end: int) -> bool:
    """Whether a capitalised word touches the span ("Musk" in "Kimbal Musk" is not Elon)."""
    if _NAME_AFTER.match(text, end):
        return True
    before = _NAME_BEFORE.search(text, max(0, start - 30), start)
    if before is None:
        return False
    # a capitalised first word of a sentence ("Kini Elon ...") is not a first name
    lead = text[max(0, before.start() - 3):before.start()].rstrip(" ")
    return bool(lead) and lead[-1] not in ".!?\n\"“(:"
