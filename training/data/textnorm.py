"""Text source, sentence splitting, normalisation and the train/dev/test sentence pool.

Vocabulary (docs/model.md): lower-case letters a-z and the apostrophe, words separated by single
spaces. Sentences that cannot be mapped onto it without guessing are dropped, not repaired:

* sentences containing digits are dropped (spelling out years, prices and versions is ambiguous);
* sentences with acronyms (a word with two or more capitals, e.g. "IBM", "PEANUT BUTTER") are
  dropped, because espeak-ng may spell them letter by letter while the transcript would not;
* sentences with characters other than letters, whitespace and ordinary punctuation
  (``, . ; : ! ? ' " - ( )`` and their typographic forms) are dropped (code, URLs, e-mail, ASCII art);
* accented letters are folded to ASCII (NFKD, combining marks removed);
* hyphens and dashes become word breaks, other punctuation is removed, apostrophes are kept only
  inside words ("don't" stays, quoting apostrophes go);
* only sentences of ``min_words``..``max_words`` words (default 3..20) are kept.
"""

import collections
import glob
import hashlib
import os
import random
import re
import unicodedata

# Fortune files of the Debian package `fortunes` (English prose, quotations, jokes).
FORTUNE_DIR = "/usr/share/games/fortunes"
# The fortune files of the packages `fortunes` and `fortunes-min`, by name: other packages put their
# files in the same directory (fortune-anarchism, non-English collections), and a default that
# depended on what else is installed would change the corpus.
FORTUNE_PACKAGE_FILES = frozenset("""
art ascii-art computers cookie debian definitions disclaimer drugs education ethnic food goedel humorists kids
knghtbrd law linux linuxcookie literature love magic medicine men-women miscellaneous news paradoxum people perl
pets platitudes politics pratchett riddles science songs-poems sports startrek tao translate-me wisdom work zippy
fortunes
""".split())
# Files that are not natural English sentences.
FORTUNE_EXCLUDE = {"ascii-art", "perl", "translate-me", "linuxcookie", "zippy", "startrek"}

_TYPOGRAPHIC = {
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2026": "...",
}
_ALLOWED = re.compile(r"^[A-Za-z\s,.;:!?'\"()\-]+$")
_ACRONYM = re.compile(r"[A-Z][A-Za-z']*[A-Z]")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|vs|etc|Mt|Wm|Co|Inc|Ltd|Gen|Col|Capt|Lt|Rev|i\.e|e\.g)\.$")
_SENT_END = re.compile(r"([.!?]+[\"')]*)\s+")
_PROSODY = ",.;:!?"
_COMPLETE = re.compile(r"[A-Za-z'][.!?]+[\"')]*$")
_LABEL = re.compile(r"^\W*[A-Za-z]{1,2}:")


def _fold(text):
    for a, b in _TYPOGRAPHIC.items():
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _words(sentence):
    """Split a (folded) sentence into (word, trailing prosodic punctuation) pairs."""
    out = []
    for raw in re.split(r"[\s\-]+", sentence):
        trail = ""
        for c in reversed(raw):
            if c in _PROSODY:
                trail = c
                break
            if c.isalpha():
                break
        w = re.sub(r"[^a-z']", "", raw.lower())
        w = re.sub(r"'{2,}", "'", w).strip("'")
        if w:
            out.append((w, trail))
        elif trail and out and not out[-1][1]:
            out[-1] = (out[-1][0], trail)
    return out


def normalize(sentence, min_words=3, max_words=20):
    """Return the normalised sentence, or None if it must be dropped (see the module docstring)."""
    r = normalize_with_prosody(sentence, min_words, max_words)
    return r[0] if r else None


def normalize_with_prosody(sentence, min_words=3, max_words=20):
    """Return (text, speak) or None.

    ``text`` is the transcript in the model vocabulary; ``speak`` is the same words with the
    sentence's commas and final punctuation kept, which is what espeak-ng reads (so the pauses
    and intonation are natural while every spoken word is exactly a transcript word).
    """
    s = _fold(sentence).strip()
    if not s or not _ALLOWED.match(s):
        return None
    # Complete sentences only: fragments of verse or headings rarely end in . ! or ?
    if not _COMPLETE.search(s) or s.endswith("..."):
        return None
    # Riddle / dialogue labels such as "Q:" and "A:".
    if _LABEL.match(s):
        return None
    if _ACRONYM.search(s):
        return None
    words = _words(s)
    if not (min_words <= len(words) <= max_words):
        return None
    # Single letters other than "a" and "i" are usually list markers or initials.
    if any(len(w) == 1 and w not in ("a", "i") for w, _ in words):
        return None
    text = " ".join(w for w, _ in words)
    speak = " ".join(w + p for w, p in words)
    if speak[-1] not in ".!?":
        speak = speak.rstrip(_PROSODY) + "."
    return text, speak


def split_sentences(paragraph):
    """Split running text into sentences on . ! ? followed by whitespace, keeping abbreviations."""
    paragraph = " ".join(paragraph.split())
    parts, start = [], 0
    for m in _SENT_END.finditer(paragraph):
        candidate = paragraph[start:m.end(1)]
        if _ABBREV.search(candidate):
            continue
        parts.append(candidate.strip())
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def fortune_files(directory=FORTUNE_DIR):
    files = []
    for path in sorted(glob.glob(os.path.join(directory, "*"))):
        name = os.path.basename(path)
        if name not in FORTUNE_PACKAGE_FILES or name in FORTUNE_EXCLUDE or not os.path.isfile(path):
            continue
        files.append(path)
    return files


def read_fortunes(path):
    """Yield the paragraphs of one fortune file: entries split on '%', attribution lines removed.

    Blank lines and lines indented with a tab/several spaces (verse, dialogue layout) separate
    paragraphs, so text is only joined across ordinary line wraps.
    """
    with open(path, encoding="utf-8", errors="replace") as f:
        content = f.read()
    for entry in re.split(r"^%\s*$", content, flags=re.M):
        para = []
        for line in entry.splitlines():
            if re.match(r"^\s*--", line) or not line.strip() or re.match(r"^(\t|   )", line):
                if para:
                    yield " ".join(para)
                    para = []
                if line.strip() and not re.match(r"^\s*--", line):
                    para.append(line.strip())
                continue
            para.append(line.strip())
        if para:
            yield " ".join(para)


def load_sentences(files, min_words=3, max_words=20):
    """Return the deduplicated list of (text, speak) pairs from the given text files, sorted by text."""
    seen = {}
    for path in files:
        for para in read_fortunes(path):
            for sent in split_sentences(para):
                r = normalize_with_prosody(sent, min_words, max_words)
                if r and r[0] not in seen:
                    seen[r[0]] = r[1]
    return sorted(seen.items())


def split_pool(sentences, seed, n_dev, n_test):
    """Split (text, speak) pairs by sentence into {'train','dev','test'}; disjoint by text.

    Duplicates (same normalised text) are removed first, so no sentence can land in two splits.
    """
    unique = {}
    for text, speak in sentences:
        unique.setdefault(text, speak)
    items = sorted(unique.items())
    random.Random(f"split:{seed}").shuffle(items)
    if n_dev + n_test >= len(items):
        raise ValueError(f"only {len(items)} sentences; cannot hold out {n_dev} dev + {n_test} test")
    return {
        "dev": items[:n_dev],
        "test": items[n_dev:n_dev + n_test],
        "train": items[n_dev + n_test:],
    }


def restrict_vocabulary(sentences, size):
    """Keep the (text, speak) pairs whose words are all among the `size` most frequent words.

    Frequencies are counted over all the given sentences; ties break alphabetically, so the
    result depends only on the input.
    """
    counts = collections.Counter(w for text, _ in sentences for w in text.split())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    vocabulary = {w for w, _ in ranked[:size]}
    return [(text, speak) for text, speak in sentences if all(w in vocabulary for w in text.split())]


def drop_unseen_words(pool):
    """Drop dev and test sentences holding a word that no train sentence holds (closed vocabulary)."""
    seen = {w for text, _ in pool["train"] for w in text.split()}
    closed = {split: [(t, s) for t, s in pool[split] if all(w in seen for w in t.split())]
              for split in ("dev", "test")}
    return {**pool, **closed}


def extra_sentences(sentences, pool, overlap_words=6):
    """The (text, speak) pairs of ``sentences`` that are in no split of ``pool`` and cannot give away a
    dev or test sentence: none contains one, and none shares a run of ``overlap_words`` words with one.

    Their words are not restricted to any vocabulary (the open-text training set and the language
    model read them; see README.md)."""
    held = [text for split in ("dev", "test") for text, _ in pool[split]]
    held_runs = {run for text in held for run in _word_runs(text.split(), overlap_words)}
    padded = [f" {text} " for text in held]
    in_pool = {text for split in ("train", "dev", "test") for text, _ in pool[split]}
    return [(text, speak) for text, speak in sentences
            if text not in in_pool
            and not any(h in f" {text} " for h in padded)
            and not held_runs.intersection(_word_runs(text.split(), overlap_words))]


def _word_runs(words, n):
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def pool_fingerprint(pool):
    h = hashlib.sha256()
    for split in ("train", "dev", "test"):
        for text, speak in pool[split]:
            h.update(f"{split}\t{text}\t{speak}\n".encode())
    return h.hexdigest()


def sentences_fingerprint(sentences):
    h = hashlib.sha256()
    for text, speak in sentences:
        h.update(f"{text}\t{speak}\n".encode())
    return h.hexdigest()
