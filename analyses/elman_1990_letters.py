"""Elman (1990), "Discovering the notion 'word'".

A simple recurrent network reads sentences spelled out letter by letter,
with no spaces, and learns to predict the next letter.  Within a word the
next letter is nearly determined; at the end of a word it is not: the error
should peak at the first letter of each word and fall as the word goes on,
so that the boundaries of words show in the error alone
(``pdplab.models.srn_claims.letter_claims``).
"""

from pdplab.models.srn_claims import analyse_letters as analyse  # noqa: F401 - the reproduction's protocol

NAME = "elman-1990-letters"
TITLE = "Elman (1990): word boundaries in the error of a letter-predicting simple recurrent network"
SPEC = "elman_1990_letters.toml"
