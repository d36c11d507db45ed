"""Elman's (1990) simple sentences: a stream of words, or of letters, to predict one at a time.

Sentences of two or three words are drawn from 16 templates over 12
categories of a 29-word lexicon (Elman 1990, Tables 3 and 4; the words of
each category are the leaves of his Figure 7, Table 3 listing two of each)
and run together with no marker between them.  Each word is a localist
vector of 31 bits (29 words and 2 spare bits, Elman's coding); the target of
each word is the next word of the stream.

The stream is drawn once from a fixed seed, so every model trained on it
reads the same words, as Elman's networks did.

:func:`elman_1990_letters` spells such a stream out letter by letter with no
space between words, each letter a random 5-bit vector, as in Elman's
"Discovering the notion 'word'" (his sentences came from another lexicon,
which this module does not have).

References
----------
Elman, J. L. (1990). Finding structure in time. *Cognitive Science*, 14, 179-211.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..environment import Environment

__all__ = ["LEXICON", "TEMPLATES", "WORDS", "BITS", "elman_1990_stream", "elman_1990_words", "letter_codes",
           "elman_1990_letter_stream", "elman_1990_letters"]

#: Elman (1990), Table 3, with the words of his Figure 7.
LEXICON = {
    "NOUN-HUM": ("man", "woman", "boy", "girl"),
    "NOUN-ANIM": ("cat", "dog", "mouse"),
    "NOUN-INANIM": ("book", "rock", "car"),
    "NOUN-AGRESS": ("dragon", "monster", "lion"),
    "NOUN-FRAG": ("glass", "plate"),
    "NOUN-FOOD": ("cookie", "bread", "sandwich"),
    "VERB-INTRAN": ("think", "sleep", "exist"),
    "VERB-TRAN": ("see", "chase", "like"),
    "VERB-AGPAT": ("move", "break"),
    "VERB-PERCEPT": ("smell", "see"),
    "VERB-DESTROY": ("break", "smash"),
    "VERB-EAT": ("eat",),
}

#: Elman (1990), Table 4: the sentence templates.
TEMPLATES = (
    ("NOUN-HUM", "VERB-EAT", "NOUN-FOOD"),
    ("NOUN-HUM", "VERB-PERCEPT", "NOUN-INANIM"),
    ("NOUN-HUM", "VERB-DESTROY", "NOUN-FRAG"),
    ("NOUN-HUM", "VERB-INTRAN"),
    ("NOUN-HUM", "VERB-TRAN", "NOUN-HUM"),
    ("NOUN-HUM", "VERB-AGPAT", "NOUN-INANIM"),
    ("NOUN-HUM", "VERB-AGPAT"),
    ("NOUN-ANIM", "VERB-EAT", "NOUN-FOOD"),
    ("NOUN-ANIM", "VERB-TRAN", "NOUN-ANIM"),
    ("NOUN-ANIM", "VERB-AGPAT", "NOUN-INANIM"),
    ("NOUN-ANIM", "VERB-AGPAT"),
    ("NOUN-INANIM", "VERB-AGPAT"),
    ("NOUN-AGRESS", "VERB-DESTROY", "NOUN-FRAG"),
    ("NOUN-AGRESS", "VERB-EAT", "NOUN-HUM"),
    ("NOUN-AGRESS", "VERB-EAT", "NOUN-ANIM"),
    ("NOUN-AGRESS", "VERB-EAT", "NOUN-FOOD"),
)

WORDS = tuple(sorted({w for words in LEXICON.values() for w in words}))
#: Units per word: one per word and two spare, as Elman's 31-bit vectors.
BITS = 31
#: Elman's corpus: 10,000 sentences (27,354 words).
SENTENCES = 10_000
SEED = 1990


def _word_class(word):
    return "verb" if any(word in ws for c, ws in LEXICON.items() if c.startswith("VERB")) else "noun"


def _category(word):
    """A noun's category (its one category); a verb's categories joined by '/'."""
    return "/".join(c for c, ws in LEXICON.items() if word in ws)


def elman_1990_stream(sentences=SENTENCES, seed=SEED):
    """The words of the stream, one row per word.

    Returns
    -------
    pandas.DataFrame
        Columns ``word``, ``sentence`` (its index), ``position`` (0, 1, 2
        within the sentence), ``template`` (index into :data:`TEMPLATES`),
        ``word_class`` (noun or verb) and ``category``.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(sentences):
        t = int(rng.integers(len(TEMPLATES)))
        for position, category in enumerate(TEMPLATES[t]):
            words = LEXICON[category]
            rows.append((words[int(rng.integers(len(words)))], s, position, t))
    stream = pd.DataFrame(rows, columns=["word", "sentence", "position", "template"])
    stream["word_class"] = stream["word"].map(_word_class)
    stream["category"] = stream["word"].map(_category)
    return stream


def elman_1990_words(sentences=SENTENCES, seed=SEED):
    """The stream as one item of many events: each word's 31-bit vector in ``word``, the next word's in
    ``prediction`` (the last word has no target)."""
    stream = elman_1990_stream(sentences, seed)
    index = {w: i for i, w in enumerate(WORDS)}
    codes = np.zeros((len(stream), BITS))
    codes[np.arange(len(stream)), stream["word"].map(index).to_numpy()] = 1.0
    targets = np.full_like(codes, np.nan)
    targets[:-1] = codes[1:]
    units = list(WORDS) + ["spare1", "spare2"]
    return Environment({"word": codes[None]}, {"prediction": targets[None]},
                       items=pd.DataFrame(index=pd.Index(["stream"], name="item")),
                       units={"word": units, "prediction": units}, name="elman-1990-sentences")


#: Elman's letter stream: 1270 words; each letter a random 5-bit vector.
LETTER_WORDS = 1270
LETTER_BITS = 5


def letter_codes(seed=SEED):
    """A distinct random 5-bit vector for each letter a-z (none all zero)."""
    rng = np.random.default_rng(seed)
    codes = rng.permutation(np.arange(1, 2 ** LETTER_BITS))[:26]
    return {chr(ord("a") + i): np.array([(c >> b) & 1 for b in range(LETTER_BITS)], float)
            for i, c in enumerate(codes)}


def elman_1990_letter_stream(words=LETTER_WORDS, seed=SEED):
    """The first ``words`` words of the sentence stream, letter by letter: a DataFrame with columns
    ``letter``, ``word`` (the word's index) and ``position`` (the letter's, within its word)."""
    stream = elman_1990_stream(sentences=words, seed=seed).iloc[:words]
    rows = [(ch, i, p) for i, w in enumerate(stream["word"]) for p, ch in enumerate(w)]
    return pd.DataFrame(rows, columns=["letter", "word", "position"])


def elman_1990_letters(words=LETTER_WORDS, seed=SEED):
    """The letter stream as one item of many events: each letter's code in ``letter``, the next
    letter's in ``prediction`` (the last letter has no target)."""
    letters = elman_1990_letter_stream(words, seed)
    codes = letter_codes(seed)
    x = np.stack([codes[ch] for ch in letters["letter"]])
    t = np.full_like(x, np.nan)
    t[:-1] = x[1:]
    units = [f"bit{b}" for b in range(LETTER_BITS)]
    return Environment({"letter": x[None]}, {"prediction": t[None]},
                       items=pd.DataFrame(index=pd.Index(["stream"], name="item")),
                       units={"letter": units, "prediction": units}, name="elman-1990-letters")
