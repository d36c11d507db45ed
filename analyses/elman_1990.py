"""Elman (1990), "Discovering lexical classes from word order".

A simple recurrent network reads a stream of two- and three-word sentences
one word at a time and learns to predict the next word.  The next word is
not determined, but which words may come next is: the outputs should come to
activate the grammatical continuations.  Averaged over every occurrence of
each word, the hidden states should cluster the words by lexical class —
nouns apart from verbs, animate from inanimate nouns, humans from animals —
though no category was ever given (``pdplab.models.srn_claims``).
"""

from pdplab.models.srn_claims import analyse  # noqa: F401 - the reproduction's protocol

NAME = "elman-1990"
TITLE = "Elman (1990): lexical classes from word order in a simple recurrent network"
SPEC = "elman_1990.toml"
