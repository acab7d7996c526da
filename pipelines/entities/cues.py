"""Names the gazetteer does not know, found by the words around them ("cues").

News names a new person with a speech verb or a title ("said Dewi Kartika", ", Nugroho,
mengatakan", "Governor Greg Abbott"), a new organisation with the word that heads or ends
its name ("Kementerian Perdagangan China", "Nordhaven Logistics"), a new place with a word
such as "kawasan" or "Convention Center". The cue words are data, per language, in
``data/cues.toml`` (its header explains each list); this module turns each list into one
rule. The canonical id of a name found so is ``warta:<slug of the name>``, as for the model's
names, so every article that writes the name the same way names the same entity.

A name is a run of capitalised words. A run that overlaps a gazetteer or pattern match is
cut there (only the words after the match are kept: "said Google CEO Sundar Pichai" keeps
"Sundar Pichai" once the title is taken off), except that an organisation's or a place's
name may contain a known place ("US Commerce Department"). ``find_cues`` returns candidate
mentions; :func:`pipelines.entities.resolve.with_cues` adds them to the gazetteer's and the
patterns' (longest first), and with the model :func:`~pipelines.entities.resolve.model_first`
lets the model bound people's names.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.entities.automaton import Automaton
from pipelines.entities.gazetteer import Gazetteer
from pipelines.entities.mention import (
    Mention,
    abbreviates,
    mention_bounds,
    overlap_index,
    whole_word,
)
from pipelines.entities.patterns import slugify

CUES_FILE = Path(__file__).with_name("data") / "cues.toml"
LISTS = ("person_before", "person_after", "person_titles", "org_heads", "org_tails",
         "place_heads", "place_name_heads", "place_tails", "place_suffixes", "role_words",
         "not_names")

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)*(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)?"
"""A capitalised word of a name: "Dewi", "McDonald", "Young-hyun" (not "PDP", not "iPhone")."""
_ORG_WORD = rf"(?:{_NAME_WORD}|[{_UPPER}]{{2,}}|U\.S\.|U\.K\.)"
_PERSON = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}"
_ORG = rf"{_ORG_WORD}(?:(?: (?:dan|and|of|for|untuk|&))? {_ORG_WORD}){{0,5}}"  # _CONNECTORS
_PLACE = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,2}}"
_WORDS = re.compile(rf"{_ORG_WORD}|\S+")
_CONNECTORS = frozenset({"dan", "and", "of", "for", "untuk", "&"})
_END = r"(?![\w-])"
_START = r"(?<![\w-])"


class CueError(ValueError):
    """The cue file is malformed; the message names the file and the key."""


FORWARD = ("person_before", "person_titles", "org_heads", "place_heads", "place_name_heads")
"""Lists whose cue comes before the name (matched forward from the cue)."""
BACKWARD = ("person_after", "org_tails", "place_tails", "place_suffixes")
"""Lists whose cue comes after the name (matched backward from the cue)."""
_WINDOW = 120
"""How far before a cue word its name may start (more than six long words)."""
_AFTER_CUE = {
    "person_before": re.compile(_PERSON), "person_titles": re.compile(_PERSON),
    "org_heads": re.compile(_ORG),
    "place_heads": re.compile(rf"{_PLACE}(?:(?:, | dan | and ){_PLACE})*"),
    "place_name_heads": re.compile(_PLACE),
}
_BEFORE_CUE = {
    "person_after": re.compile(rf"{_START}(?P<name>{_PERSON})(?P<comma>,?)\Z"),
    "org_tails": re.compile(rf"{_START}(?P<name>{_ORG})\Z"),
    "place_tails": re.compile(rf"{_START}(?P<name>{_PLACE})\Z"),
    "place_suffixes": re.compile(rf"{_START}(?P<name>{_PLACE})\Z"),
}


@dataclass(frozen=True)
class Rules:
    """One language's cue rules, compiled: one automaton finds every cue word (a regex per
    list, each trying every position of the text, took ~3 ms per 4 KB; this ~0.1 ms)."""

    words: dict[str, tuple[str, ...]]
    """Cue word -> the lists it is in."""
    cues: Automaton[tuple[int, tuple[str, ...]]] | None
    """Cue word -> (its length, the lists it is in)."""
    titles: frozenset[str]
    """Titles and role words: a person's name starts after the last of them."""
    org_words: frozenset[str]
    """Organisations' head and tail words: a run holding one is not a person."""
    not_names: frozenset[str]


def compile_rules(lists: dict[str, list[str]], source: str = "cues") -> Rules:
    """One language's lists (keys from :data:`LISTS`) as :class:`Rules`."""
    unknown = sorted(set(lists) - set(LISTS))
    if unknown:
        raise CueError(f"{source}: unknown key {unknown[0]!r} (known: {', '.join(LISTS)})")
    for key, words in lists.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip()
                                                  for w in words):
            raise CueError(f"{source}: {key!r} must be a list of non-empty strings")
    kinds: dict[str, tuple[str, ...]] = {}
    for key in (*FORWARD, *BACKWARD):
        for word in lists.get(key) or ():
            kinds[word] = (*kinds.get(word, ()), key)
    automaton = None
    if kinds:
        automaton = Automaton({word: (len(word), keys) for word, keys in kinds.items()})
    return Rules(
        words=kinds,
        cues=automaton,
        titles=frozenset([*(lists.get("person_titles") or ()), *(lists.get("role_words") or ())]),
        org_words=frozenset(w.split()[0] for key in ("org_heads", "org_tails")
                            for w in lists.get(key) or ()),
        not_names=frozenset(lists.get("not_names") or ()),
    )


def load_cues(path: Path = CUES_FILE) -> dict[str, Rules]:
    """Every language's rules from a cue file; :class:`CueError` names what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CueError(f"{path}: {exc}") from exc
    out = {}
    for lang, lists in data.items():
        if not isinstance(lists, dict):
            raise CueError(f"{path}: [{lang}] must be a table of word lists")
        out[lang] = compile_rules(lists, f"{path} [{lang}]")
    return out


@lru_cache(maxsize=1)
def default_cues() -> dict[str, Rules]:
    return load_cues()


CueHit = tuple[int, tuple[int, tuple[str, ...]]]
"""An automaton hit on a cue word: (index of its last character, (length, its lists))."""


def language_code(lang: str | None) -> str:
    """``id-ID`` -> ``id``."""
    return (lang or "").split("-")[0].split("_")[0].lower()


def find_cues(text: str, lang: str | None, firm: list[Mention], gaz: Gazetteer,
              rules: dict[str, Rules] | None = None,
              hits: Iterable[CueHit] | None = None) -> list[Mention]:
    """Candidate mentions of names found by their cues; ``firm``: the gazetteer's and the
    patterns' mentions (non-overlapping), which a person's name never overlaps. ``hits``:
    the cue words' hits when a shared pass (``scan.py``) found them."""
    language = (rules if rules is not None else default_cues()).get(language_code(lang))
    if language is None or language.cues is None:
        return []
    return _Finder(text, firm, gaz, language).run(
        language.cues.iter(text) if hits is None else hits)


class _Finder:
    def __init__(self, text: str, firm: list[Mention], gaz: Gazetteer, rules: Rules) -> None:
        self.text = text
        self.firm = firm
        self._at: Callable[[int, int], list[Mention]] | None = None  # built on first use
        self.gaz = gaz
        self.rules = rules
        self.out: list[Mention] = []
        self.headed: dict[str, list[Mention]] = {}
        """Cued names by the cue word they start with, for acronyms of them."""

    def run(self, hits: Iterable[CueHit]) -> list[Mention]:
        text = self.text
        for last, (length, kinds) in hits:
            start, end = last + 1 - length, last + 1
            if not whole_word(text, start, end):
                continue  # part of a longer word
            for kind in kinds:
                if kind in _AFTER_CUE:
                    self._after_cue(kind, start, end)
                else:
                    self._before_cue(kind, start, end)
        return self.out

    def _after_cue(self, kind: str, start: int, end: int) -> None:
        """A name that follows its cue word (``text[start:end]``) and a space; after a title,
        also one after a known organisation or place ("Gubernur BI Perry Warjiyo", "CEO
        Nvidia Jensen Huang")."""
        if not self.text.startswith(" ", end):
            return
        if kind == "person_titles":
            known = self._overlapping(end + 1, end + 2)
            if known and known[0].start == end + 1 and known[0].type in ("ORG", "PLACE") \
                    and self.text.startswith(" ", known[0].end):
                end = known[0].end
        m = _AFTER_CUE[kind].match(self.text, end + 1)
        if m is None or not whole_word(self.text, m.start(), m.end()):
            return
        if kind == "org_heads":  # the head word is part of the name
            self._named(start, m.end(), "ORG", head=True)
        elif kind == "place_name_heads":  # "Bandara Juanda": the same, for a place
            self._named(start, m.end(), "PLACE", head=True)
        elif kind == "place_heads":
            for part in re.finditer(_PLACE, m.group(0)):
                self._named(m.start() + part.start(), m.start() + part.end(), "PLACE",
                            may_hold_place=False)
        else:
            self._person(m.start(), m.end(), need_title=False)

    def _before_cue(self, kind: str, start: int, end: int) -> None:
        """A name that ends a space before its cue word (``text[start:end]``)."""
        if start < 2 or self.text[start - 1] != " ":
            return
        window = self.text[max(0, start - 1 - _WINDOW):start - 1]
        if not window[window.rfind(" ") + 1:][:1].isupper():
            return  # "the company said": no capitalised word before the cue (most cues)
        m = _BEFORE_CUE[kind].search(window)
        if m is None:
            return
        offset = start - 1 - len(window)
        name_start, name_end = offset + m.start("name"), offset + m.end("name")
        if kind == "person_after":
            enclosed = bool(m.group("comma")) and self.text[
                max(0, name_start - 2):name_start] == ", "
            self._person(name_start, name_end, need_title=not enclosed, one_word=enclosed)
        elif kind == "org_tails":  # the tail word is part of the name
            self._named(name_start, end, "ORG")
        elif kind == "place_tails":
            self._named(name_start, end, "PLACE")
        else:
            self._named(name_start, name_end, "PLACE")

    def _overlapping(self, start: int, end: int) -> list[Mention]:
        if self._at is None:  # most cue words find no name: no index needed
            self._at = overlap_index(self.firm, mention_bounds)
        return self._at(start, end)

    def _words(self, start: int, end: int) -> list[tuple[int, int, str]]:
        return [(start + w.start(), start + w.end(), w.group(0))
                for w in _WORDS.finditer(self.text[start:end])]

    def _person(self, start: int, end: int, *, need_title: bool, one_word: bool = False) -> None:
        over = self._overlapping(start, end)
        if over:  # only the words after the last known name can be a new person's
            start = max(m.end for m in over)
        words = self._words(start, end)
        if any(w in self.rules.org_words for *_, w in words):
            return  # "Kantor Meteorologi Islandia"
        titled = False
        # a title inside the run ("Governor Greg Abbott"): the name is what follows it
        for i in range(len(words) - 1, -1, -1):
            for n in (2, 1):
                if i - n + 1 >= 0 and " ".join(w for *_, w in words[i - n + 1:i + 1]
                                               ) in self.rules.titles:
                    words, titled = words[i + 1:], True
                    break
            if titled:
                break
        while words and words[0][2] in self.rules.not_names:
            words = words[1:]
        if not words or (need_title and not titled):
            return
        if len(words) < (1 if one_word else 2):
            return
        if any(w in self.rules.not_names for *_, w in words):
            return
        self._add(words[0][0], words[-1][1], "PERSON")

    def _named(self, start: int, end: int, kind: str, *, head: bool = False,
               may_hold_place: bool = True) -> None:
        if head:  # "Polda Jawa Timur dan Pemprov DKI Jakarta": two names, the first one is this
            words = self._words(start, end)
            for i in range(1, len(words) - 1):
                if words[i][2] in _CONNECTORS and words[i + 1][2] in self.rules.org_words:
                    end = words[i - 1][1]
                    break
        # an organisation's or place's name may hold a known place ("US Commerce
        # Department", "Jakarta Convention Center"), but not the name after a place cue word
        # ("Wali Kota Surakarta Respati Ardi"); a name that is known whole is the
        # gazetteer's; before anything else known, a name that ends with its cue word starts
        # after it, one that starts with its cue word is no name
        for m in self._overlapping(start, end):
            if m.start <= start and end <= m.end or not may_hold_place:
                return
            if m.type == "PLACE" and start <= m.start and m.end <= end:
                continue
            if head or m.end >= end:
                return
            start = max(start, m.end)
        words = self._words(start, end)
        if not head:  # "Lumbung Ventures and Rimba Capital": two names, the last one is this
            for i in range(len(words) - 3, -1, -1):
                if words[i][2] in self.rules.org_words and words[i + 1][2] in _CONNECTORS:
                    words = words[i + 2:]
                    break
        # "The ...", or a job title before a tail word: "Direktur Teknologi" names a post
        while words and (words[0][2] in self.rules.not_names or not head
                         and words[0][2] in self.rules.titles):
            words = words[1:]
        if not words:
            return
        start, end = words[0][0], words[-1][1]
        if all(w in self.rules.not_names or w in self.rules.titles or w in self.rules.org_words
               or not w[0].isalnum() for *_, w in words):
            return  # "The Commission", "Inc.": the cue word alone names nothing
        self._add(start, end, kind, head=words[0][2] if head else None,
                  short=words[1][2] if head and len(words) == 2 and words[1][2].isupper()
                  else None)

    def _add(self, start: int, end: int, kind: str, *, head: str | None = None,
             short: str | None = None) -> None:
        """``head``: the cue word the name starts with; ``short``: the one word after it
        when that is an acronym ("Lembaga PDP")."""
        surface = self.text[start:end]
        name = " ".join(surface.split())
        known = self.gaz.lookup(name, as_written=True)
        # "Lembaga PDP" after "Lembaga Pelindungan Data Pribadi": the same body
        first = None if known is not None or short is None else next(
            (m for m in self.headed.get(head, ()) if abbreviates(short, m.name)), None)
        if known is not None:
            mention = Mention(start, end, surface, known.type, known.id, known.name, "cue")
        elif first is not None:
            mention = Mention(start, end, surface, first.type, first.entity_id, first.name,
                              "cue")
        else:
            mention = Mention(start, end, surface, kind, f"warta:{slugify(name)}", name, "cue")
        if head is not None and short is None:
            self.headed.setdefault(head, []).append(mention)
        self.out.append(mention)
