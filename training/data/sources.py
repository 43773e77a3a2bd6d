"""Readers of the installed text sources of the wide corpus (see README.md, "Wide corpus").

Each reader yields raw English text units (paragraphs of running prose, or single clauses) from the
files of one Debian package; ``corpus.py`` splits them into sentences, normalises and filters them.
Nothing here decides what is readable: the readers only undo the files' markup.

* fortune files (``fortunes``, ``fortunes-min``, ``fortune-anarchism``): ``textnorm.read_fortunes``;
* WordNet (``wordnet-base``, ``/usr/share/wordnet/data.*``): each synset's gloss, split into its
  definitions and its quoted example sentences;
* dictd databases (``dict-gcide``, ``dict-devil``: ``NAME.index`` + ``NAME.dict.dz``): the entries'
  definitions (GCIDE: one unit per ``;``-separated clause), quotations and notes (running prose).
"""

import gzip
import os
import re

WORDNET_DIR = "/usr/share/wordnet"
WORDNET_FILES = ("data.adj", "data.adv", "data.noun", "data.verb")
DICTD_DIR = "/usr/share/dictd"

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


# ---------------------------------------------------------------------------------------------
# WordNet


def parse_wordnet_gloss(gloss):
    """(definitions, examples) of one WordNet gloss such as
    ``the position of foreman; "he was promoted to foremanship"``.

    Examples are the double-quoted parts (an attribution after a quote, ``"..." - Shakespeare``, is
    dropped); definitions are the remaining ``;``-separated parts without their parenthesised notes
    (``(usually followed by `to')``).
    """
    examples = [q.strip() for q in re.findall(r'"([^"]+)"', gloss) if q.strip()]
    rest = re.sub(r'"[^"]*"(\s*-+\s*[^;]*)?', ";", gloss)
    rest = re.sub(r"\([^()]*\)", " ", rest)
    definitions = [" ".join(part.split()) for part in rest.split(";")]
    return [d for d in definitions if d], examples


def read_wordnet(directory=WORDNET_DIR, kinds=("definition", "example")):
    """Yield ``(kind, text)`` for every gloss of the WordNet data files, kind ``definition`` or ``example``.

    A data line is ``offset lex_filenum ss_type w_cnt word ... | gloss``; lines starting with two
    spaces are the licence header.
    """
    for name in WORDNET_FILES:
        path = os.path.join(directory, name)
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  ") or " | " not in line:
                    continue
                definitions, examples = parse_wordnet_gloss(line.split(" | ", 1)[1].strip())
                if "definition" in kinds:
                    for d in definitions:
                        yield "definition", d
                if "example" in kinds:
                    for e in examples:
                        yield "example", e


# ---------------------------------------------------------------------------------------------
# dictd databases


def b64_number(text):
    """A dictd index number (offset or length) in dictd's base64 digits."""
    n = 0
    for c in text:
        n = n * 64 + _B64.index(c)
    return n


def read_dictd_entries(name, directory=DICTD_DIR):
    """Yield ``(headword, entry text)`` of a dictd database in file order, one per distinct entry.

    ``NAME.dict.dz`` is dictzip, which is gzip: it is decompressed whole. Entries listed under several
    headwords (one offset, several index lines) are yielded once; the ``00-database-*`` entries are skipped.
    """
    with open(os.path.join(directory, f"{name}.index"), encoding="utf-8", errors="replace") as f:
        index = []
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and not parts[0].startswith("00-database") and not parts[0].startswith("00-"):
                index.append((b64_number(parts[1]), b64_number(parts[2]), parts[0]))
    with gzip.open(os.path.join(directory, f"{name}.dict.dz")) as f:
        data = f.read()
    seen = set()
    for offset, length, head in sorted(index):
        if offset in seen:
            continue
        seen.add(offset)
        yield head, data[offset:offset + length].decode("utf-8", errors="replace")


_GCIDE_SOURCE = re.compile(r"^\s*\[(1913 Webster|PJC|WordNet[^\]]*|Century[^\]]*|Webster[^\]]*|[A-Z]{2,5})\]\s*$")
_CITATION = re.compile(r"\s*--\s*[A-Z][^\"]*$")
_INLINE_QUOTE = re.compile(r'"([^"]+)"\s*(--\s*[A-Z][\w.\' ]*(?:\.\s*)?)?')
_SENSE = re.compile(r"^\s{2,6}(?:\d+\.|\([a-z]\))\s+")
_LABELS = re.compile(r"^\s*(Syn|Usage|Note):")


def _clean_markup(text):
    text = re.sub(r"\\[^\\]*\\", " ", text)  # pronunciation \A*buse"\
    text = re.sub(r"\[[^\]]*\]", " ", text)    # etymology, labels [Obs.], sources [1913 Webster]
    text = text.replace("{", "").replace("}", "")
    return " ".join(text.split())


def parse_gcide_entry(entry):
    """Yield ``(kind, text)`` of one GCIDE entry: ``definition`` clauses, ``quotation`` and ``note`` prose.

    Layout (dictd's rendering of the 1913 Webster and later additions): the headword line
    ``Abuse \\A*buse"\\, n. [etymology]``, senses at an indent of 3-6 spaces (``1.``, ``(a)``), block
    quotations at 8 or more spaces ending in an author citation ``--Macaulay.``, source markers
    ``[1913 Webster]``, and ``Syn:``/``Usage:``/``Note:`` paragraphs.
    """
    lines = entry.splitlines()
    # The headword line holds the headword, its pronunciation and the etymology, whose brackets may
    # run on over the next lines.
    depth, start = 0, len(lines)
    for n, line in enumerate(lines):
        depth += line.count("[") - line.count("]")
        if depth <= 0:
            start = n + 1
            break
    lines = lines[start:]
    blocks, current, kind = [], [], None

    def flush():
        if current:
            blocks.append((kind, " ".join(s.strip() for s in current)))
        current.clear()

    for line in lines:
        if not line.strip() or _GCIDE_SOURCE.match(line):
            flush()
            kind = None
            continue
        indent = len(line) - len(line.lstrip(" "))
        this = "quotation" if indent >= 8 and kind in (None, "quotation") else None
        if this is None:
            label = _LABELS.match(line)
            if label:
                flush()
                this = "synonyms" if label.group(1).lower() == "syn" else "note"
            elif _SENSE.match(line) or kind in (None, "quotation"):
                flush()
                this = "definition"
            else:
                this = kind
        if this != kind:
            flush()
        kind = this
        current.append(line)
    flush()

    for kind, text in blocks:
        if kind == "synonyms":
            continue
        if kind == "quotation":
            yield "quotation", _CITATION.sub("", _clean_markup(text))
            continue
        if kind == "note":
            text = _LABELS.sub("", text, count=1)
            yield "note", _clean_markup(_INLINE_QUOTE.sub(" ", text))
            continue
        text = _SENSE.sub("", text, count=1) if _SENSE.match(text) else text
        text = re.sub(r"^\s*\d+\.\s+", "", text)
        for quote in _INLINE_QUOTE.findall(text):
            yield "quotation", _clean_markup(quote[0])
        text = _clean_markup(_INLINE_QUOTE.sub(";", text))
        text = re.sub(r"\s--\s*[A-Z][\w.' ]*\.?", ";", text)  # a citation after an example
        for clause in text.split(";"):
            clause = clause.strip(" ,.")
            if clause:
                yield "definition", clause


def read_gcide(directory=DICTD_DIR):
    """Yield ``(kind, text)`` for all of GCIDE (``dict-gcide``)."""
    for _, entry in read_dictd_entries("gcide", directory):
        yield from parse_gcide_entry(entry)


def parse_devil_entry(entry):
    """The prose of one Devil's Dictionary entry (``ABASEMENT, n.  A decent ... power.``): the
    headword and its part of speech removed; verse lines (indented) are separate units."""
    lines = entry.splitlines()
    if not lines:
        return []
    first = re.sub(r"^\s*[A-Z][A-Z' -]*,?\s*(?:[a-z]{1,4}\.\s*)*(?:and\s+[a-z]{1,4}\.\s*)?", "", lines[0])
    units, para = [], [first.strip()] if first.strip() else []
    for line in lines[1:]:
        if not line.strip() or re.match(r"^\s{4,}", line):
            if para:
                units.append(" ".join(para))
                para = []
            if line.strip():
                units.append(line.strip())
            continue
        para.append(line.strip())
    if para:
        units.append(" ".join(para))
    return units


def read_devil(directory=DICTD_DIR):
    """Yield ``("prose", text)`` for Ambrose Bierce's Devil's Dictionary (``dict-devil``)."""
    for _, entry in read_dictd_entries("devil", directory):
        for unit in parse_devil_entry(entry):
            yield "prose", unit
