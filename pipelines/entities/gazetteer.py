"""The curated gazetteer: tech-world entities with aliases, loaded from data and matched fast.

``data/gazetteer.tsv`` holds one entity a line: ``id<TAB>type<TAB>name<TAB>aliases`` with
aliases separated by ``|``. Names go into Aho-Corasick automata (one over lower-cased text,
one case-sensitive for acronyms; a regex alternation over the same names is orders of
magnitude slower), and each raw hit is then checked against word boundaries and case rules:

- a hit must not continue a word on either side ("Intel" is not in "Intelligence");
- an all-lower-case hit never matches a name that has capitals ("apple" the fruit, "windows");
- an all-capitals alias (an acronym: "AS", "PAN", "AMD") matches only in capitals ("As", "Pan");
- an alias prefixed with ``=`` in the file matches only with exactly that spelling;
- an alias must have at least two characters, so "X" alone can never match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.entities.automaton import Automaton

GAZETTEER_FILE = Path(__file__).with_name("data") / "gazetteer.tsv"
TYPES = frozenset({"PERSON", "ORG", "PRODUCT", "PLACE", "EVENT"})
_ID = re.compile(r"^(Q[1-9][0-9]*|warta:[a-z0-9][a-z0-9.-]*)$")


class GazetteerError(ValueError):
    """The gazetteer file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Entity:
    """A canonical entity: stable id (Wikidata QID where known, else ``warta:slug``)."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Hit:
    """A gazetteer match: character offsets into the text and the entity matched."""

    start: int
    end: int
    entity: Entity


def _accepts(surface: str, alias: str, exact: bool) -> bool:
    """Whether ``surface`` (same letters as ``alias`` up to case) counts as that alias."""
    if surface == alias:
        return True
    if exact or surface.islower() and not alias.islower():
        return False
    if alias[0].isupper() and surface[0].islower():
        return False  # "bank Indonesia" (a bank in Indonesia) is not "Bank Indonesia"
    return not (alias.isupper() and not surface.isupper())


def _latin(char: str) -> bool:
    """Whether a character is Latin script: a letter or digit continues a word only within
    one script family (Latin next to CJK or Cyrillic is a boundary: "Nvidia发布")."""
    code = ord(char)
    return code < 0x0250 or 0x1E00 <= code < 0x1F00


def _lowered(text: str) -> str:
    """``text`` lower-cased with every character kept in place (offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # a few characters ("İ") lower to two; keep those as they are to keep offsets aligned
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Gazetteer:
    """Entities by id plus an automaton over every name and alias."""

    def __init__(self, entities: list[Entity], *, source: str = "gazetteer") -> None:
        self.entities = {e.id: e for e in entities}
        self.by_alias: dict[str, Entity] = {}
        self._spelling: dict[str, tuple[str, bool]] = {}
        # Acronyms and exact-spelling aliases go into a case-sensitive automaton over the
        # text as written: "AS" or "UN" would otherwise hit inside every "atas" and "untuk".
        folded: dict[str, list[tuple[str, bool, Entity]]] = {}
        exact: dict[str, list[tuple[str, bool, Entity]]] = {}
        for entity in entities:
            for raw in (entity.name, *entity.aliases):
                strict = raw.startswith("=")
                alias = raw[1:] if strict else raw
                key = _lowered(alias)
                owner = self.by_alias.get(key)
                if owner is not None and owner.id != entity.id:
                    raise GazetteerError(
                        f"{source}:{entity.line}: alias {alias!r} of {entity.id} is already "
                        f"a name of {owner.id} (line {owner.line})")
                self.by_alias[key] = entity
                self._spelling[key] = (alias, strict or alias.isupper())
                if strict or alias.isupper():
                    exact.setdefault(alias, []).append((alias, True, entity))
                else:
                    folded.setdefault(key, []).append((alias, False, entity))
        self.folded = _automaton(folded)
        self.exact = _automaton(exact)

    def __len__(self) -> int:
        return len(self.entities)

    def lookup(self, name: str, *, as_written: bool = False) -> Entity | None:
        """The entity one of whose names is ``name`` (case folded), if any. ``as_written``
        applies :meth:`find`'s case rules to a name found in a text ("Ma" is not the
        acronym "MA", "bank Indonesia" not "Bank Indonesia")."""
        key = _lowered(name)
        entity = self.by_alias.get(key)
        if entity is None or not as_written:
            return entity
        alias, strict = self._spelling[key]
        return entity if _accepts(name, alias, strict) else None

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping hits, leftmost first, the longest where names overlap."""
        if not self.entities or not text:
            return []
        candidates: list[tuple[int, int, Entity]] = []
        n = len(text)
        for automaton, haystack in ((self.folded, _lowered(text)), (self.exact, text)):
            if automaton is None:
                continue
            for last, (length, options) in automaton.iter(haystack):
                start, end = last + 1 - length, last + 1
                # inlined word-boundary test (this loop is the hot path)
                if start > 0:
                    c = text[start - 1]
                    if c.isalnum() and _latin(c) == _latin(text[start]):
                        continue
                if end < n:
                    c = text[end]
                    if c.isalnum() and _latin(c) == _latin(text[last]):
                        continue
                surface = text[start:end]
                for alias, strict, entity in options:
                    if _accepts(surface, alias, strict):
                        candidates.append((start, -end, entity))
                        break
        candidates.sort(key=lambda c: (c[0], c[1]))
        hits: list[Hit] = []
        last_end = -1
        for start, neg_end, entity in candidates:
            if start >= last_end:
                hits.append(Hit(start, -neg_end, entity))
                last_end = -neg_end
        return hits


def _automaton(keys: dict[str, list[tuple[str, bool, Entity]]]
               ) -> Automaton[tuple[int, tuple[tuple[str, bool, Entity], ...]]] | None:
    """An automaton from key to (key length, the aliases it stands for)."""
    if not keys:
        return None
    return Automaton({key: (len(key), tuple(options)) for key, options in keys.items()})


def parse_gazetteer(lines: list[str], source: str = "gazetteer") -> Gazetteer:
    """Parse gazetteer lines; raises :class:`GazetteerError` naming the first bad line."""
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}:{number}"
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) not in (3, 4):
            raise GazetteerError(
                f"{where}: expected id, type, name and aliases separated by tabs, "
                f"got {len(fields)} field(s): {line.strip()[:80]!r}")
        ident, kind, name = (f.strip() for f in fields[:3])
        aliases = tuple(a.strip() for a in fields[3].split("|")) if len(fields) == 4 else ()
        if not _ID.match(ident):
            raise GazetteerError(f"{where}: bad id {ident!r} (a Wikidata QID or warta:slug)")
        if ident in seen:
            raise GazetteerError(f"{where}: duplicate id {ident} (first on line {seen[ident]})")
        if kind not in TYPES:
            raise GazetteerError(f"{where}: unknown type {kind!r} (one of {sorted(TYPES)})")
        for alias in (name, *aliases):
            if len(alias.lstrip("=")) < 2 or alias != alias.strip():
                raise GazetteerError(f"{where}: name or alias {alias!r} is empty or too short")
        seen[ident] = number
        entities.append(Entity(ident, kind, name.lstrip("="), aliases, number))
    return Gazetteer(entities, source=source)


def load_gazetteer(path: Path = GAZETTEER_FILE) -> Gazetteer:
    """Read and check a gazetteer file (see the module docstring for its format)."""
    return parse_gazetteer(path.read_text(encoding="utf-8").splitlines(), path.name)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, built once per process."""
    return load_gazetteer()
