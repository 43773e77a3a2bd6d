"""The sentence pool of the wide corpus: several Debian text sources, normalised, filtered, split into
train / in-domain dev and test, and the open dev and test sets of everyday sentences (README.md,
"Wide corpus").

Pool entries are ``(text, speak)`` pairs as in ``textnorm``; each sentence also has a source name.
"""

import collections
import hashlib
import os
import random
import re

from . import sources, textnorm

HERE = os.path.dirname(os.path.abspath(__file__))
# Everyday sentences written for this corpus; no text source holds them (the open dev and test sets).
EVERYDAY_FILE = os.path.join(HERE, "everyday.txt")

# Source name -> share of the sentences that the train sets read, and that dev and test hold (a
# weighted interleave, so full sentences weigh more than the dictionaries' definition phrases,
# which are most of the text).
SOURCE_WEIGHTS = collections.OrderedDict([
    ("fortunes", 0.25),
    ("wordnet-example", 0.20),
    ("gcide-quotation", 0.20),
    ("wordnet-definition", 0.10),
    ("gcide-definition", 0.10),
    ("gcide-note", 0.07),
    ("devil", 0.04),
    ("anarchism", 0.04),
])
# Fortune files of the packages `fortunes`, `fortunes-min` (the English files of the recognition
# corpus) and `fortune-anarchism`.
ANARCHISM_FILE = os.path.join(textnorm.FORTUNE_DIR, "anarchism")

# Dictionary and month abbreviations that espeak-ng would read as a word or spell out ("esp.", "usu.",
# "Bot.", "Jan."): a text unit holding one with its full stop, or a dotted initialism ("U.S.", "A.D."),
# is dropped whole (the normalised words would be wrong: "U.S." becomes "us"; and a sentence split at
# the full stop would leave a fragment), and a sentence holding one as a word is dropped.
ABBREVIATIONS = frozenset("""
abbr adj adv anat approx bot bp cf chem colloq conj dial eccl eg esp etc fem gr ie imp interj
ital lat masc naut obs perh pl pp prep prob pron sc shak specif syn theol usu var vb viz zool
jan feb apr aug sept oct nov dec
""".split())
_ABBREVIATION_DOT = re.compile(r"\b(?:(?:" + "|".join(sorted(ABBREVIATIONS)) + r")\.|(?:[A-Za-z]\.){2,})", re.I)
_VOWEL = re.compile(r"[aeiouy]")
_PARENTHESES = re.compile(r"\([^()]*\)")


# ---------------------------------------------------------------------------------------------
# Sentences


def readable(text):
    """Whether a normalised sentence passes the wide corpus's rules beyond ``textnorm.normalize``:
    no dictionary abbreviation and no word without a vowel (``hmm``, ``tsk``: spelt or mumbled)."""
    for w in text.split():
        if w in ABBREVIATIONS or not _VOWEL.search(w):
            return False
    return True


def unit_sentences(kind, unit, min_words=3, max_words=20):
    """The ``(text, speak)`` sentences of one text unit of a source.

    Prose (``prose``, ``quotation``, ``note``) is split at sentence ends. Definitions and examples are
    phrases without final punctuation and often lower case (``a smooth lustrous round structure``):
    their parenthesised notes are removed and a full stop is added, then they go through the same
    sentence rules (``textnorm.normalize_with_prosody``) and ``readable``.
    """
    if kind in ("definition", "example", "note"):
        unit = _PARENTHESES.sub(" ", unit)
    unit = " ".join(unit.split()).strip()
    if _ABBREVIATION_DOT.search(unit):
        return []
    if kind in ("definition", "example"):
        unit = unit.rstrip(",;:")
        if unit and unit[-1] not in ".!?":
            unit += "."
    out = []
    for sentence in textnorm.split_sentences(unit):
        r = textnorm.normalize_with_prosody(sentence, min_words, max_words)
        if r and readable(r[0]):
            out.append(r)
    return out


def source_units(name):
    """Yield ``(kind, unit)`` of one source."""
    if name == "fortunes":
        for path in textnorm.fortune_files():
            for para in textnorm.read_fortunes(path):
                yield "prose", para
    elif name == "anarchism":
        for para in textnorm.read_fortunes(ANARCHISM_FILE):
            yield "prose", para
    elif name.startswith("wordnet-"):
        yield from sources.read_wordnet(kinds=(name.split("-", 1)[1],))
    elif name.startswith("gcide-"):
        kind = name.split("-", 1)[1]
        for k, unit in sources.read_gcide():
            if k == kind:
                yield k, unit
    elif name == "devil":
        yield from sources.read_devil()
    else:
        raise ValueError(f"unknown source {name!r}")


def missing_sources():
    """The sources whose files are not installed, with the Debian package that holds them."""
    files = {"fortunes": (os.path.join(textnorm.FORTUNE_DIR, "fortunes"), "fortunes"),
             "anarchism": (ANARCHISM_FILE, "fortune-anarchism"),
             "wordnet": (os.path.join(sources.WORDNET_DIR, "data.noun"), "wordnet-base"),
             "gcide": (os.path.join(sources.DICTD_DIR, "gcide.index"), "dict-gcide"),
             "devil": (os.path.join(sources.DICTD_DIR, "devil.index"), "dict-devil")}
    return [package for path, package in files.values() if not os.path.exists(path)]


def load_sources(names, min_words=3, max_words=20, units=None):
    """``{source: [(text, speak), ...]}``, each sentence in the first source (in ``names`` order) that
    holds it, each source's list sorted by text. ``units`` (source -> [(kind, unit)]) replaces the
    installed files (tests)."""
    seen, out = set(), {}
    for name in names:
        kept = {}
        for kind, unit in (units[name] if units is not None else source_units(name)):
            for text, speak in unit_sentences(kind, unit, min_words, max_words):
                if text not in seen and text not in kept:
                    kept[text] = speak
        seen.update(kept)
        out[name] = sorted(kept.items())
    return out


def read_everyday(path=EVERYDAY_FILE, min_words=3, max_words=20):
    """The everyday sentences (one per line; ``#`` lines are comments), normalised, in file order.
    A line that the rules would drop is an error: the file is ours to fix."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            r = textnorm.normalize_with_prosody(line, min_words, max_words)
            if r is None or not readable(r[0]):
                raise ValueError(f"{path}:{n}: not readable by the corpus rules: {line!r}")
            out.append(r)
    return out


# ---------------------------------------------------------------------------------------------
# Splits


def weighted_order(by_source, weights, rng):
    """All ``(text, speak)`` pairs of ``by_source`` in one order: each source's sentences shuffled, then
    interleaved by drawing the next source with probability proportional to its weight (a source
    that runs out leaves the draw). Deterministic for a given ``rng`` state."""
    queues = {}
    for name in weights:
        items = list(by_source.get(name, []))
        rng.shuffle(items)
        if items:
            queues[name] = items[::-1]  # pop() from the end
    out = []
    while queues:
        names = list(queues)
        name = rng.choices(names, [weights[n] for n in names])[0]
        out.append(queues[name].pop())
        if not queues[name]:
            del queues[name]
    return out


def _word_runs(words, n):
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def gives_away(held_texts, overlap_words=6):
    """A predicate on a sentence: true when it is, contains, or shares ``overlap_words`` words in a row
    with one of ``held_texts``."""
    held_runs = {run for text in held_texts for run in _word_runs(text.split(), overlap_words)}
    held = set(held_texts)
    short = [f" {t} " for t in held_texts if len(t.split()) < overlap_words]

    def test(text):
        if text in held or held_runs.intersection(_word_runs(text.split(), overlap_words)):
            return True
        padded = f" {text} "
        return any(h in padded for h in short)
    return test


def build_pool(by_source, everyday, seed, n_dev, n_test, weights=None, overlap_words=6):
    """Split the sentences into the wide corpus's sentence sets.

    ``train``, ``dev``, ``test``: one weighted interleave (``weighted_order``) of all source sentences;
    dev and test are its first ``n_dev`` and next ``n_test`` sentences, train is the rest, in that order,
    less every sentence that gives a dev, test or everyday sentence away (``gives_away``): so no held-out
    sentence, nor six words in a row of one, is in the training text. ``open-dev`` and ``open-test``:
    the everyday sentences, alternately (odd lines dev, even lines test), less any that is a source
    sentence. Returns (pool, source_of) with ``source_of`` mapping each text to its source name.
    """
    weights = weights or SOURCE_WEIGHTS
    source_of = {text: name for name, items in by_source.items() for text, _ in items}
    rng = random.Random(f"wide-split:{seed}")
    order = weighted_order(by_source, weights, rng)
    if n_dev + n_test >= len(order):
        raise ValueError(f"only {len(order)} sentences; cannot hold out {n_dev} dev + {n_test} test")
    open_sentences = [(t, s) for t, s in everyday if t not in source_of]
    pool = {"dev": order[:n_dev], "test": order[n_dev:n_dev + n_test],
            "open-dev": open_sentences[0::2], "open-test": open_sentences[1::2]}
    held = gives_away([t for split in ("dev", "test", "open-dev", "open-test") for t, _ in pool[split]],
                      overlap_words)
    pool["train"] = [(t, s) for t, s in order[n_dev + n_test:] if not held(t)]
    return pool, source_of


# ---------------------------------------------------------------------------------------------
# Vocabulary figures


def vocabulary(sentences):
    """The set of words of ``(text, speak)`` pairs or of plain texts."""
    return {w for s in sentences for w in (s[0] if isinstance(s, tuple) else s).split()}


def oov_rate(sentences, known_words):
    """Out-of-vocabulary rates of ``sentences`` against ``known_words``: ``(tokens, types)``, the share of
    running words and of distinct words that are not known (0.0 for no words)."""
    words = [w for s in sentences for w in (s[0] if isinstance(s, tuple) else s).split()]
    if not words:
        return 0.0, 0.0
    types = set(words)
    return (sum(w not in known_words for w in words) / len(words),
            sum(w not in known_words for w in types) / len(types))


def pool_figures(pool, source_of):
    """Per set: sentences, words, distinct words, OOV rates against the training text, sources."""
    known = vocabulary(pool["train"])
    out = {}
    for split, items in pool.items():
        tokens, types = oov_rate(items, known)
        out[split] = {"sentences": len(items), "words": sum(len(t.split()) for t, _ in items),
                      "distinct_words": len(vocabulary(items)),
                      "oov_token_rate": round(tokens, 4), "oov_type_rate": round(types, 4),
                      "sources": dict(sorted(collections.Counter(source_of.get(t, "everyday")
                                                                 for t, _ in items).items()))}
    return out


def pool_fingerprint(pool):
    h = hashlib.sha256()
    for split in sorted(pool):
        for text, speak in pool[split]:
            h.update(f"{split}\t{text}\t{speak}\n".encode())
    return h.hexdigest()
