"""English words in text that should be Danish: the one detector of the Danish tests.

Words inside quotes, ids, file keys, options and `commands` are left out: they are the data's or
the program's names, the same in both languages.
"""

from __future__ import annotations

import re

# Common English words that are not Danish words: one of them outside a quote means English text.
ENGLISH = frozenset({
    "the", "and", "is", "not", "of", "with", "which", "that", "this", "these", "from", "has", "are",
    "was", "were", "but", "only", "says", "does", "its", "in", "be", "as", "on", "an", "or",
    "what", "where", "when", "whose", "who", "than", "into", "also", "here", "there",
    "row", "rows", "appendix", "prose", "amount", "amounts", "year", "years", "names", "named", "body",
    "section", "gives", "given",
    # words of messages and hints
    "no", "nor", "one", "cannot", "can", "should", "must", "expected", "found", "while", "did", "exist",
    "folder", "write", "matches", "bodies", "committee", "chapter", "chapters", "initiative", "sort",
    "number", "least", "invalid", "unknown", "threshold", "target", "targets", "covers", "strategy",
    "they", "differ", "see", "mapping", "value", "day", "month", "out", "range", "twice",
    "such", "exactly", "links", "read", "line", "parsing", "scanning", "character", "key", "missing",
    "file", "exists", "written", "replace", "new", "instead", "please", "error", "warning",
    "run", "runs", "use", "at", "for", "to", "a",
    # the operating system's reasons and the units' words
    "permission", "denied", "space", "left", "device", "directory", "empty", "operation", "permitted",
    "inhabitant", "inhabitants", "persons", "thousand",
})
# "at", "for", "to" and "a" are Danish words too (or letters); they count only next to another English
# word. "by", "have", "give" and "it" (IT) are Danish words and are left out.
_SHARED = frozenset({"at", "for", "to", "a"})

# a single quote opens at the start of a word and closes at its end, so that an apostrophe ("the
# agreement's years") hides nothing
QUOTED = re.compile(r'"[^"]*"|”[^”]*”|“[^”]*”|»[^«]*«|(?<!\w)\'[^\']*\'(?!\w)|`[^`]*`')
# ids and file keys: anything with an underscore, a dot between letters, or a hyphen next to a digit;
# options; paths; the "(ved …)" / "(at …)" place of a problem in the file; YAML written out in a hint or
# an 'expected' line: a flow mapping ("{date: …, amounts: {…}}") and a key with its year or number ("year: 2030");
# the keys a mapping allows, listed in a hint
IDENT = re.compile(r"\S*_\S*|\b[\w.]*\d[\w.]*-[\w.-]+|\b[a-z]+(?:-[a-z]+){1,}\b|--?\w[\w-]*|\S*/\S*"
                   r"|\(ved [^)]*\)|\b[a-z]+: -?\d+\b")
ALLOWED_KEYS = re.compile(r"(?<=tilladte nøgler her: )[\w, ]+")
FLOW_MAPPING = re.compile(r"\{[^{}]*\}")
#: Danish phrases with a word that is English too ("links" in "symbolske links").
DANISH_PHRASES = re.compile(r"\bsymbolske? links?\b")
WORD = re.compile(r"[^\W\d_]+")


def english_words(text: str) -> set[str]:
    """The English words of `text` outside quotes and ids, in lower case."""
    bare = DANISH_PHRASES.sub(" ", QUOTED.sub(" ", text))
    while FLOW_MAPPING.search(bare):  # innermost first: {a: {…}}
        bare = FLOW_MAPPING.sub(" ", bare)
    bare = IDENT.sub(" ", ALLOWED_KEYS.sub(" ", bare))
    words = [w.lower() for w in WORD.findall(bare) if not (len(w) > 1 and w.isupper())]  # not FILE, TEKST
    found = set(words) & (ENGLISH - _SHARED)
    if found:
        found |= set(words) & _SHARED
    return found
