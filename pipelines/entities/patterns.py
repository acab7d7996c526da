"""Rule-found entities: product model numbers, stock tickers and @handles.

A product family word followed by a model number ("RTX 4090", "GPT-4o", "iPhone 15 Pro",
"Galaxy S27 Ultra") is a product whose id is the slug of what was written, so every article
that names the same model gets the same entity. Tickers ("NASDAQ: NVDA", "$NVDA") and handles
("@elonmusk") resolve through the gazetteer's aliases when it knows them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipelines.entities.automaton import Automaton
from pipelines.entities.gazetteer import Gazetteer
from pipelines.entities.mention import starts_word

FAMILIES = (
    "iPhone", "iPad", "iPad Pro", "iPad Air", "iPad mini", "MacBook", "MacBook Air",
    "MacBook Pro", "Apple Watch", "Apple Watch Series", "Apple Watch Ultra",
    "Galaxy", "Galaxy Z Fold", "Galaxy Z Flip", "Galaxy Tab", "Galaxy Watch", "Galaxy Buds",
    "Pixel", "Redmi", "Redmi Note", "POCO", "Poco", "Xiaomi", "Vivo", "vivo", "Oppo", "OPPO",
    "Reno", "Find X", "Realme", "realme", "Infinix", "Infinix Note", "Infinix Hot",
    "RTX", "GTX", "GeForce RTX", "GeForce GTX", "RX", "Radeon RX", "Ryzen", "Ryzen AI",
    "Core", "Core Ultra", "Core i3", "Core i5", "Core i7", "Core i9", "Snapdragon", "Dimensity",
    "Exynos", "Helio", "Tensor", "Kirin", "GPT", "Llama", "Gemini", "Claude", "Grok", "Mistral",
    "Qwen", "DeepSeek", "DeepSeek-R", "DeepSeek-V", "Windows", "Android", "iOS", "HarmonyOS",
    "PlayStation", "Xbox Series", "Kalibre", "Surface Pro", "Unreal Engine",
)
"""Product family words: a family followed by a model number is a product."""
_BRANDS = ("GeForce ", "Radeon ")
"""Brand words dropped from a product's canonical name: "GeForce RTX 5090" is "RTX 5090"."""
EXCHANGES = ("NASDAQ", "Nasdaq", "NYSE", "IDX", "BEI", "HKEX", "TSE", "KRX", "LSE")
_MODEL = r"[A-Z]{0,3}\d+(?:\.\d+)?[A-Za-z]{0,3}"
_SUFFIX = (r"(?: (?:Pro|Max|Ultra|Plus|Mini|mini|Lite|Ti|Super|XT|XTX|FE|Turbo|Neo|Air|Edge"
           r"|Fold\d*|Flip\d*|Gen \d+|Sonnet|Opus|Haiku|Flash|Nano|Omni|SE)\+?)*")
MODEL_TAIL = re.compile(rf"[ -]?(?:{_MODEL})(?![\w-]){_SUFFIX}(?!\w)")
TICKER_TAIL = re.compile(r"\s?:\s?([A-Z]{1,5}(?:\.[A-Z]{1,2})?)\b")
CASHTAG = re.compile(r"(?<![\w$])\$([A-Z]{1,5})\b")
HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_]{2,15})\b(?!@|\.\w)")


TRIGGERS = {**{word: "family" for word in FAMILIES}, **{word: "exchange" for word in EXCHANGES}}
"""The words a pattern starts from: product families and exchange names."""
StartHit = tuple[int, tuple[int, str]]
"""An automaton hit on a trigger word: (index of its last character, (length, kind))."""


def _starts() -> Automaton[tuple[int, str]]:
    """One case-sensitive automaton over :data:`TRIGGERS` (a cheap first pass: a regex
    alternation over them costs ~0.7 ms per 4 KB, this ~0.05-0.14 ms)."""
    return Automaton({word: (len(word), kind) for word, kind in TRIGGERS.items()})


_STARTS = _starts()


@dataclass(frozen=True)
class Found:
    """A pattern match: offsets, type, canonical id and name."""

    start: int
    end: int
    type: str
    entity_id: str
    name: str


def slugify(text: str) -> str:
    """A stable ASCII slug: ``"iPhone 15 Pro"`` -> ``"iphone-15-pro"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower()).strip("-.") or "x"


def find_patterns(text: str, gazetteer: Gazetteer,
                  starts: Iterable[StartHit] | None = None) -> Iterator[Found]:
    """Products, tickers and handles in ``text`` (they may overlap gazetteer hits).
    ``starts``: the trigger words' hits when a shared pass (``scan.py``) found them."""
    best: dict[int, tuple[int, int]] = {}  # start -> (end, family length)
    for last, (length, kind) in (_STARTS.iter(text) if starts is None else starts):
        start = last + 1 - length
        if not starts_word(text, start):
            continue
        tail = (MODEL_TAIL if kind == "family" else TICKER_TAIL).match(text, last + 1)
        if tail is None or (kind == "family" and text[last + 1].isalpha()):
            continue  # "GalaxyS24" is one word, not a family followed by a model
        if kind == "exchange":
            yield _ticker(tail.start(1), tail.end(1), tail.group(1), gazetteer)
        elif tail.end() > best.get(start, (0, 0))[0]:
            best[start] = (tail.end(), length)
    for start, (end, length) in best.items():
        name = _product_name(text[start:start + length], text[start + length:end])
        known = gazetteer.lookup(name)
        if known is not None:
            yield Found(start, end, known.type, known.id, known.name)
        else:
            yield Found(start, end, "PRODUCT", f"warta:{slugify(name)}", name)
    if "$" in text:
        for m in CASHTAG.finditer(text):
            if gazetteer.lookup(m.group(0)) is None:  # known ones are gazetteer hits
                yield _ticker(m.start(), m.end(), m.group(1), gazetteer)
    if "@" in text:
        for m in HANDLE.finditer(text):
            if gazetteer.lookup(m.group(0)) is None:
                handle = m.group(0)
                yield Found(m.start(), m.end(), "HANDLE", f"warta:{handle.lower()}", handle)


def _product_name(family: str, tail: str) -> str:
    """Canonical product name: "GeForce RTX4090" -> "RTX 4090", "GPT-4o" stays."""
    joiner = "-" if tail.startswith("-") else " "
    name = family + joiner + " ".join(tail.lstrip(" -").split())
    for brand in _BRANDS:
        if name.startswith(brand):
            return name[len(brand):]
    return name


def _ticker(start: int, end: int, symbol: str, gazetteer: Gazetteer) -> Found:
    """A ticker symbol: the company the gazetteer lists it for, else an id of its own."""
    known = gazetteer.lookup(f"${symbol}")
    if known is not None:
        return Found(start, end, known.type, known.id, known.name)
    return Found(start, end, "ORG", f"warta:ticker-{symbol.lower()}", symbol)
