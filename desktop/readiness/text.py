"""Vietnamese text helpers: NFC normalisation, diacritic-free folding for search, collation.

Vietnamese sorts syllable by syllable; a syllable by the letters of its own alphabet (a ă â b c d đ
e ê g h i k l m n o ô ơ p q r s t u ư v x y), then by tone (none, huyền, hỏi, ngã, sắc, nặng).  Python's default string
order puts "Đ" after "Z" and "Â" before "Ă"; :func:`sort_key` fixes that without relying on
the operating system's locale (which old Windows PCs and CI machines do not have).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}
# Marks that make a different letter (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
_SPACES = re.compile(r"\s+")
_WORD_BREAK = re.compile(r"[\s\-–]+")  # syllables are compared one by one


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, trimmed, inner white space collapsed to one line: names, labels, short answers."""
    return _SPACES.sub(" ", nfc(text)).strip()


_LINE_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Like :func:`clean` but keeps line breaks (at most one blank line in a row): long answers."""
    lines = [_LINE_SPACES.sub(" ", line).strip() for line in nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


@lru_cache(maxsize=20000)
def fold(text: str) -> str:
    """Lower case without diacritics, for search: "Xã Đăk Hà" -> "xa dak ha"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.replace("đ", "d")).strip()


def matches(query: str, text: str) -> bool:
    """True when every word of the query occurs in the text, ignoring case and diacritics.

    A query typed with diacritics must match them ("hà" finds "Hà" but not "Hạ"); a query
    typed without them matches any ("ha" finds both).
    """
    words = clean(query).lower().split()
    if not words:
        return True
    haystack = clean(text).lower()
    folded_haystack = fold(haystack)
    for word in words:
        if fold(word) == word:
            if word not in folded_haystack:
                return False
        elif word not in haystack and nfc(word) not in haystack:
            return False
    return True


@lru_cache(maxsize=20000)
def sort_key(text: str) -> tuple:
    """A key that sorts Vietnamese text in dictionary order: syllable by syllable, each syllable by
    its letters then its tone, so «Cà Mau» < «Cao Bằng» (the syllable «Cà» is a prefix of «Cao»)
    and «ca sĩ» < «cà phê» (the first syllables differ by tone).  Upper and lower case differ only
    when nothing else does."""
    syllables: list[tuple[tuple[int, ...], int]] = []
    cases: list[int] = []
    for word in _WORD_BREAK.split(nfc(text)):
        if not word:
            continue
        letters: list[int] = []
        tone = 0
        for char in word:
            decomposed = unicodedata.normalize("NFD", char)
            base = decomposed[0]
            letter = base.lower()
            for mark in decomposed[1:]:
                if mark in _TONES:
                    tone = _TONES[mark]
                elif mark in _LETTER_MARKS:
                    letter = unicodedata.normalize("NFC", letter + mark)
            if base.lower() == "đ":
                letter = "đ"
            rank = _RANK.get(letter)
            letters.append(rank if rank is not None else 100 + ord(letter))
            cases.append(0 if base.islower() else 1)
        syllables.append((tuple(letters), tone))
    return (tuple(syllables), tuple(cases))


# Old-style tone placement ("oà", "uỷ") and new style ("òa", "ủy") are both official;
# names must compare equal whichever was typed.
_OLD_TO_NEW = {}
for _vowel_pair in ("oa", "oe", "uy"):
    for _mark in _TONES:
        first, second = _vowel_pair
        old = nfc(first + second + _mark)
        new = nfc(first + _mark + second)
        _OLD_TO_NEW[old] = new
        _OLD_TO_NEW[old.capitalize()] = new.capitalize()
_OLD_STYLE = re.compile("|".join(sorted(map(re.escape, _OLD_TO_NEW), key=len, reverse=True)))


def same_name(left: str, right: str) -> bool:
    """Whether two spellings name the same thing (NFC, case, spacing, tone-mark placement)."""
    return normalize_name(left) == normalize_name(right)


def normalize_name(name: str) -> str:
    text = clean(name).lower()
    return _OLD_STYLE.sub(lambda m: _OLD_TO_NEW[m.group(0)].lower(), text)


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 60) -> str:
    """ASCII, lower case, words joined by '-': "Xã Đăk Hà" -> "xa-dak-ha" (for file names)."""
    slug = _SLUG_DROP.sub("-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-") or "x"


def printable(text: object) -> str:
    """Text a document can hold and print: NFC, without control characters (tabs and line breaks
    kept), surrogates or noncharacters.  Every Word and PDF document we write puts outside text
    (what a commune typed) through this."""
    value = nfc("" if text is None else str(text))
    if value.isprintable():  # the common case, whole: no control character, surrogate or noncharacter in it
        return value
    if ("\n" in value or "\t" in value) and value.replace("\n", "").replace("\t", "").isprintable():
        return value  # lines and tabs are kept: printable but for them, whole
    return "".join(ch for ch in value if ch in "\t\n" or _printable_char(ch))


def _printable_char(ch: str) -> bool:
    code = ord(ch)
    if code < 32 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000:
        return False
    return not (0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)


