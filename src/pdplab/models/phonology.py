"""A phonological template for English monosyllables and their past tenses:
slots of articulatory feature vectors.

A pronunciation (ARPAbet, as in the CMU Pronouncing Dictionary) is laid out
in a fixed template of consonant and vowel slots, ``CCC VV CCCC`` by
default::

    C1 C2 C3 | V1 V2 | C4 C5 C6 C7
    onset      nucleus  coda

Each slot holds the articulatory feature vector of the phoneme in it, from
panphon (Mortensen et al., 2016); an empty slot is all zeros.  The past
tense is written in the same template: its suffix lands in the coda slots
after the stem's coda (walk /w ɔ ɔ | k/ → walked /w ɔ ɔ | k t/; want →
wanted /w ɑ ɑ | n t ɪ d/), so a network that maps a stem onto its past in
this code sees the stem's segments in the same slots in input and output,
as in MacWhinney & Leinbach's (1991) templates (the classic alternative,
Plunkett & Marchman's, 1991, three phoneme slots plus two suffix units,
lives in :mod:`pdplab.models.past_tense`).

The template
------------
Onset: up to 3 consonants, right-aligned (the consonant next to the vowel is
always in C3), the longest English onset (/spr/, /str/, /skw/).  Nucleus:
two slots, one per mora: a lax vowel (IH ɪ, EH ɛ, AE æ, AH ʌ, UH ʊ) fills V1
and leaves V2 empty; a tense vowel fills both with the same vowel (IY i i,
UW u u, AA ɑ ɑ, AO ɔ ɔ, ER ɜ˞ ɜ˞); a diphthong fills V1 and V2 with its two
targets (AY a ɪ, AW a ʊ, EY e ɪ, OW o ʊ, OY ɔ ɪ).  So length is a slot, not a
feature, and beat/bit, pool/pull differ in V2 as well as in V1.  Coda:
left-aligned (the consonant after the vowel is always in C4), by default 4
slots: the longest coda of an English monosyllabic verb stem is 3 (tempt,
glimpse, sculpt), a past suffix /t/ or /d/ adds one (glimpsed /mpst/), and
the syllabic suffix /ɪd/ adds two, its ɪ taking a coda slot (wanted
/ntɪd/).  With 4 slots the pasts of stems ending in a 3-consonant /…t/ or
/…d/ cluster (tempted /mptɪd/, prompted, sculpted) and 4-consonant codas
(texts /ksts/ in a 3-slot coda) do not fit; ``Template(coda=5)`` takes them.
A coda slot may hold a consonant or the suffix vowel IH; any other second
vowel is refused.

Features
--------
Each ARPAbet phoneme is mapped to IPA by :data:`ARPABET_IPA` and given
panphon's feature values (+1, −1, or 0 for unspecified) for that segment.
Features constant over the whole inventory (sg, cg, velaric, long, hitone,
hireg) are dropped, leaving 18: syl, son, cons, cont, delrel, lat, nas,
strid, voi, ant, cor, distr, lab, hi, lo, back, round, tense.  Two codings:

``"binary"`` (default)
    Two units per feature, ``+voi`` and ``-voi``: 1 where the phoneme has
    that value, 0 otherwise (so an unspecified feature is 0 in both);
    36 units per slot, units that no phoneme turns on dropped.  For logistic
    units and cross-entropy.  Plain one-unit 0/1 features would not do:
    panphon's ɑ and a, and ʊ and ɜ˞, differ only in a feature that one of
    them leaves unspecified.
``"signed"``
    One unit per feature with panphon's value (+1, −1, 0): 18 units per
    slot, for tanh or linear units.

Unit labels are ``slot:feature``, e.g. ``C1:+voi`` (binary) or ``C1:voi``
(signed).  With the default template and coding: 9 slots × 36 units = 324.

Decoding
--------
:func:`decode` picks, for each onset and coda slot, the nearest (Euclidean)
of the slot's inventory and the empty (all-zero) vector: the 24 consonants
for the onset, those and the suffix vowel ɪ for the coda.  The nucleus is
decoded as a whole, the nearest of the 15 ARPAbet vowels' two-slot
patterns, so that every decoded form is a pronunciation with one vowel
(V1 and V2 decoded apart could spell an impossible pair such as i ʊ).
Empty slots are skipped, so a decoded form never has gaps.

References
----------
MacWhinney, B., & Leinbach, J. (1991). Implementations are not
conceptualizations: Revising the verb learning model. *Cognition*, 40,
121–157.
Mortensen, D. R., Littell, P., Bharadwaj, A., Goyal, K., Dyer, C., &
Levin, L. (2016). PanPhon: A resource for mapping IPA segments to
articulatory feature vectors. *Proceedings of COLING 2016*, 3475–3484.
Plunkett, K., & Marchman, V. (1991). U-shaped learning and frequency
effects in a multi-layered perceptron: Implications for child language
acquisition. *Cognition*, 38, 43–102.
Carnegie Mellon University. The CMU Pronouncing Dictionary (ARPAbet).
"""

from __future__ import annotations

import functools
import numbers
import re

import numpy as np

from ..exceptions import DataError

__all__ = ["ARPABET_IPA", "CONSONANTS", "VOWELS", "FEATURES", "TemplateError", "Template", "TEMPLATE", "parse",
           "encode", "decode", "units"]

#: ARPAbet phoneme → IPA: a consonant is one segment; a vowel is the tuple of segments in nucleus slots V1, V2
#: (one for a lax vowel; two for a tense vowel, doubled, or a diphthong).  IPA follows the usual General
#: American values (AH is stressed ʌ: a monosyllable's vowel is stressed; ER is r-coloured ɜ˞).
ARPABET_IPA = {
    # consonants
    "B": "b", "CH": "t͡ʃ", "D": "d", "DH": "ð", "F": "f", "G": "ɡ", "HH": "h", "JH": "d͡ʒ", "K": "k", "L": "l",
    "M": "m", "N": "n", "NG": "ŋ", "P": "p", "R": "ɹ", "S": "s", "SH": "ʃ", "T": "t", "TH": "θ", "V": "v",
    "W": "w", "Y": "j", "Z": "z", "ZH": "ʒ",
    # lax vowels: one mora
    "AE": ("æ",), "AH": ("ʌ",), "EH": ("ɛ",), "IH": ("ɪ",), "UH": ("ʊ",),
    # tense vowels: two morae, the vowel in both slots
    "AA": ("ɑ", "ɑ"), "AO": ("ɔ", "ɔ"), "ER": ("ɜ˞", "ɜ˞"), "IY": ("i", "i"), "UW": ("u", "u"),
    # diphthongs: their two targets
    "AW": ("a", "ʊ"), "AY": ("a", "ɪ"), "EY": ("e", "ɪ"), "OW": ("o", "ʊ"), "OY": ("ɔ", "ɪ"),
}
CONSONANTS = tuple(p for p, ipa in ARPABET_IPA.items() if isinstance(ipa, str))
VOWELS = tuple(p for p, ipa in ARPABET_IPA.items() if not isinstance(ipa, str))
#: The second vowel a coda slot may hold: the vowel of the /ɪd/ suffix.
CODA_VOWELS = ("IH",)
#: panphon's features kept (those that vary over the inventory), in panphon's order.
FEATURES = ("syl", "son", "cons", "cont", "delrel", "lat", "nas", "strid", "voi", "ant", "cor", "distr", "lab",
            "hi", "lo", "back", "round", "tense")
CODINGS = ("binary", "signed")
_STRESS = re.compile(r"[012]$")


class TemplateError(DataError):
    """A pronunciation the template cannot represent.

    Attributes
    ----------
    reason : str
        A short category for counting the words a corpus loses: ``"no
        vowel"``, ``"unknown phoneme"``, ``"onset too long"``, ``"coda too
        long"``, ``"second vowel"``.
    """

    def __init__(self, phon, reason, detail):
        super().__init__(f"{phon!r}: {detail}")
        self.reason = reason


@functools.lru_cache(maxsize=1)
def _segment_features():
    """{IPA segment: panphon's values of :data:`FEATURES`} for every segment of :data:`ARPABET_IPA`."""
    import panphon

    table = panphon.FeatureTable()
    index = [table.names.index(f) for f in FEATURES]
    segments = {s for ipa in ARPABET_IPA.values() for s in ((ipa,) if isinstance(ipa, str) else ipa)}
    out = {}
    for s in sorted(segments):
        vectors = table.word_to_vector_list(s, numeric=True)
        if len(vectors) != 1:  # pragma: no cover - a panphon release that splits or lacks a segment
            raise DataError(f"panphon does not read {s!r} as one segment")
        out[s] = np.array([vectors[0][i] for i in index], dtype=float)
    return out


def _segment(phoneme):
    """The one IPA segment of a consonant, or of a one-slot vowel in a coda slot (IH of /ɪd/)."""
    ipa = ARPABET_IPA[phoneme]
    return ipa if isinstance(ipa, str) else ipa[0]


def _split(phon):
    """An ARPAbet string (stress digits allowed) as a list of phonemes, or a TemplateError."""
    if not isinstance(phon, str):
        raise DataError(f"a pronunciation must be an ARPAbet string, not {phon!r}")
    phones = [_STRESS.sub("", p) for p in phon.upper().split()]
    unknown = [p for p in phones if p not in ARPABET_IPA]
    if unknown:
        raise TemplateError(phon, "unknown phoneme", f"{unknown[0]!r} is not an ARPAbet phoneme")
    return phones


class Template:
    """A template of onset, nucleus and coda slots, each a feature vector.

    Parameters
    ----------
    onset : int, default 3
        Onset slots (right-aligned against the vowel).
    coda : int, default 4
        Coda slots (left-aligned against the vowel); they also take the past
        suffix, ɪ of /ɪd/ included.
    coding : {"binary", "signed"}, default "binary"
        How a feature value becomes units (see the module notes).

    Attributes
    ----------
    slots : tuple of str
        ``C1 … C{onset}``, ``V1``, ``V2``, then the coda ``C{onset+1} …``.
    features : tuple of str
        The unit labels within one slot (``+voi``, ``-voi`` … or ``voi`` …).
    units : tuple of str
        ``slot:feature`` for every unit, slot by slot.

    Examples
    --------
    >>> t = Template()
    >>> t.slots
    ('C1', 'C2', 'C3', 'V1', 'V2', 'C4', 'C5', 'C6', 'C7')
    >>> len(t.units), t.units[:2]
    (324, ('C1:+syl', 'C1:-syl'))
    >>> t.decode(t.encode(["W AO1 K T", "W AA N T IH D"]))
    ['W AO K T', 'W AA N T IH D']
    """

    def __init__(self, onset=3, coda=4, coding="binary"):
        for name, value in (("onset", onset), ("coda", coda)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise DataError(f"template: {name} slots must be a positive whole number, not {value!r}")
        if coding not in CODINGS:
            raise DataError(f"template: coding must be one of {', '.join(CODINGS)}, not {coding!r}")
        self.onset, self.coda, self.coding = onset, coda, coding
        self.slots = (tuple(f"C{i + 1}" for i in range(onset)) + ("V1", "V2")
                      + tuple(f"C{onset + i + 1}" for i in range(coda)))

    def __repr__(self):
        return f"Template(onset={self.onset}, coda={self.coda}, coding={self.coding!r})"

    def __eq__(self, other):
        return isinstance(other, Template) and (self.onset, self.coda, self.coding) == (
            other.onset, other.coda, other.coding)

    def __hash__(self):
        return hash((self.onset, self.coda, self.coding))

    # --- the code of one segment -------------------------------------------------------------------------------

    @functools.cached_property
    def _code(self):
        """(labels within a slot, {IPA segment: its vector})."""
        values = _segment_features()
        if self.coding == "signed":
            return FEATURES, dict(values)
        labels = [f"{sign}{f}" for f in FEATURES for sign in "+-"]
        vectors = {s: np.stack([v == 1, v == -1], axis=1).ravel().astype(float) for s, v in values.items()}
        used = np.stack(list(vectors.values())).any(axis=0)
        return (tuple(lab for lab, u in zip(labels, used) if u),
                {s: v[used] for s, v in vectors.items()})

    @property
    def features(self):
        return self._code[0]

    @functools.cached_property
    def units(self):
        return tuple(f"{slot}:{f}" for slot in self.slots for f in self.features)

    @functools.cached_property
    def _inventories(self):
        """Decoding tables: onset and coda (labels, vectors), empty first; nucleus (vowels, 2-slot vectors)."""
        code = self._code[1]
        width = len(self.features)

        def table(phonemes):
            rows = [np.zeros(width)] + [code[_segment(p)] for p in phonemes]
            return (None,) + tuple(phonemes), np.stack(rows)

        nucleus = np.stack([self._nucleus_vector(v) for v in VOWELS])
        return table(CONSONANTS), (VOWELS, nucleus), table(CONSONANTS + CODA_VOWELS)

    def _nucleus_vector(self, vowel):
        code = self._code[1]
        segments = ARPABET_IPA[vowel]
        return np.concatenate([code[segments[i]] if i < len(segments) else np.zeros(len(self.features))
                               for i in range(2)])

    # --- parsing, encoding, decoding ---------------------------------------------------------------------------

    def parse(self, phon):
        """Split an ARPAbet pronunciation into (onset, vowel, coda) that fit the template.

        Parameters
        ----------
        phon : str
            ARPAbet phonemes separated by spaces; stress digits are ignored.

        Returns
        -------
        (tuple of str, str, tuple of str)
            The onset consonants, the vowel, the coda phonemes (stress removed).

        Raises
        ------
        TemplateError
            With its ``reason``: no vowel, an unknown phoneme, an onset or a
            coda longer than its slots, or a second vowel other than the
            suffix's IH after a consonant.

        Examples
        --------
        >>> TEMPLATE.parse("S T R AY1 K")
        (('S', 'T', 'R'), 'AY', ('K',))
        >>> TEMPLATE.parse("T EH1 M P T IH0 D")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pdplab.models.phonology.TemplateError: 'T EH1 M P T IH0 D': coda of 5 segments (M P T IH D), the ...
        """
        phones = _split(phon)
        first = next((i for i, p in enumerate(phones) if p in VOWELS), None)
        if first is None:
            raise TemplateError(phon, "no vowel", "no vowel")
        onset, vowel, coda = tuple(phones[:first]), phones[first], tuple(phones[first + 1:])
        if len(onset) > self.onset:
            raise TemplateError(phon, "onset too long", f"onset of {len(onset)} consonants ({' '.join(onset)}), "
                                                        f"the template has {self.onset} onset slots")
        for i, p in enumerate(coda):
            if p in VOWELS and (p not in CODA_VOWELS or i == 0 or i == len(coda) - 1 or coda[i + 1] in VOWELS):
                raise TemplateError(phon, "second vowel", f"second vowel {p} (a coda slot takes only "
                                                          f"consonants, and the suffix vowel IH between two)")
        if len(coda) > self.coda:
            raise TemplateError(phon, "coda too long", f"coda of {len(coda)} segments ({' '.join(coda)}), "
                                                       f"the template has {self.coda} coda slots")
        return onset, vowel, coda

    def check(self, phon):
        """Raise :class:`TemplateError` if ``phon`` does not fit; return None otherwise."""
        self.parse(phon)

    def _encode_one(self, phon):
        onset, vowel, coda = self.parse(phon)
        code = self._code[1]
        width = len(self.features)
        row = np.zeros(len(self.slots) * width)
        for i, p in enumerate(onset):
            slot = self.onset - len(onset) + i
            row[slot * width:(slot + 1) * width] = code[_segment(p)]
        row[self.onset * width:(self.onset + 2) * width] = self._nucleus_vector(vowel)
        for i, p in enumerate(coda):
            slot = self.onset + 2 + i
            row[slot * width:(slot + 1) * width] = code[_segment(p)]
        return row

    def encode(self, phons):
        """The template code of one pronunciation or many.

        Parameters
        ----------
        phons : str or sequence of str
            ARPAbet pronunciations (``"W AO1 K"``; stress digits ignored).

        Returns
        -------
        numpy.ndarray
            (n, len(units)) for a sequence, (len(units),) for one string;
            the columns are :attr:`units`.

        Raises
        ------
        TemplateError
            For a form that does not fit (see :meth:`parse`).
        pdplab.exceptions.DataError
            For a value that is not a string.
        """
        if isinstance(phons, str):
            return self._encode_one(phons)
        if isinstance(phons, (bytes, numbers.Number)) or phons is None or not hasattr(phons, "__iter__"):
            raise DataError(f"encode: expected a pronunciation or a sequence of them, not {phons!r:.40}")
        phons = list(phons)
        if not phons:
            return np.zeros((0, len(self.units)))
        return np.stack([self._encode_one(p) for p in phons])

    def decode(self, outputs):
        """The nearest pronunciation to each row of template outputs.

        Parameters
        ----------
        outputs : array_like
            (len(units),) or (n, len(units)) activations or targets.

        Returns
        -------
        str or list of str
            ARPAbet without stress digits, one per row (a string for a 1-D
            input).  Onset and coda slots: the nearest consonant (coda: or
            the suffix vowel IH) or nothing; the nucleus: the nearest vowel.

        Raises
        ------
        pdplab.exceptions.DataError
            If ``outputs`` is not numeric, has the wrong width or holds a
            non-finite value.
        """
        try:
            a = np.asarray(outputs, dtype=float)
        except (TypeError, ValueError):
            raise DataError("decode: the outputs must be numbers") from None
        if a.ndim not in (1, 2) or a.shape[-1] != len(self.units):
            raise DataError(f"decode: expected (n, {len(self.units)}) outputs for {self!r}, not shape {a.shape}")
        if a.size == 0:
            return []
        if not np.isfinite(a).all():
            raise DataError("decode: the outputs hold NaN or an infinity")
        rows = a.reshape(-1, len(self.slots), len(self.features))
        (onset_labels, onset_table), (vowels, nucleus_table), (coda_labels, coda_table) = self._inventories

        def nearest(slots, table):
            # slots: (n, k, width) → (n, k) indices into table
            d = ((slots[:, :, None, :] - table[None, None, :, :]) ** 2).sum(-1)
            return d.argmin(-1)

        out = []
        for start in range(0, len(rows), 2048):  # in chunks: the distance arrays stay small
            chunk = rows[start:start + 2048]
            o = nearest(chunk[:, :self.onset], onset_table)
            nuc = chunk[:, self.onset:self.onset + 2].reshape(len(chunk), -1)
            v = ((nuc[:, None, :] - nucleus_table[None]) ** 2).sum(-1).argmin(-1)
            c = nearest(chunk[:, self.onset + 2:], coda_table)
            for oi, vi, ci in zip(o, v, c):
                phones = [onset_labels[k] for k in oi if k] + [vowels[vi]] + [coda_labels[k] for k in ci if k]
                out.append(" ".join(phones))
        return out[0] if a.ndim == 1 else out


#: The default template: CCC VV CCCC, binary feature coding.
TEMPLATE = Template()


def _template(template):
    if template is None:
        return TEMPLATE
    if not isinstance(template, Template):
        raise DataError(f"template must be a Template, not {template!r:.40}")
    return template


def parse(phon, template=None):
    """:meth:`Template.parse` with the default template (or ``template``)."""
    return _template(template).parse(phon)


def encode(phons, template=None):
    """:meth:`Template.encode` with the default template (or ``template``).

    >>> encode(["HH IH1 T", "W AA1 N T IH0 D"]).shape
    (2, 324)
    """
    return _template(template).encode(phons)


def decode(outputs, template=None):
    """:meth:`Template.decode` with the default template (or ``template``).

    >>> decode(encode("R EH1 D"))
    'R EH D'
    """
    return _template(template).decode(outputs)


def units(template=None):
    """The unit labels (``slot:feature``) of the default template (or ``template``)."""
    return _template(template).units
