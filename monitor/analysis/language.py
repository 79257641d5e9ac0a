"""Swedish and English words that tell who speaks and how: not topic-specific.

Who acts in a clause (the municipality itself, a party, a generic "many
municipalities", a region…), what turns a statement into a wish or a question
about someone else, and what negates it.  The topic file adds its own actors
(the government, the coordinator).  Patterns use the syntax of `patterns.py`;
a pattern should open with a word of its own (not with a lookaround), so that
the compiled trie can skip it at every word that does not fit.
"""

from __future__ import annotations

import enum
import re

from monitor.analysis.patterns import compile_words, to_folded, word_pattern


class ActorKind(enum.StrEnum):
    SELF = "self"  # the speaking municipality: vi, kommunen, kommunalrådet, the city
    PRONOUN = "pronoun"  # de, man, they: someone named before
    GENERIC = "generic"  # many municipalities, de flesta, several: nobody named
    PARTY = "party"  # a party, the opposition, the interpellant: a proposal, not the municipality
    OTHER = "other"  # a region, the government, the coordinator: never a municipality
    MUNICIPALITY = "municipality"  # a named municipality (from linking)


_RULING_PARTIES = (
    r"(?:de |det )?styrande (?:\S+ )?(?:partierna|partiet|moderaterna|socialdemokraterna|sverigedemokraterna|"
    r"centerpartiet|liberalerna|kristdemokraterna|vänsterpartiet|miljöpartiet|\S+-?koalitionen|majoriteten|politikerna)",
    r"(?:the )?(?:ruling|governing) (?:\S+ )?(?:party|parties|coalition|majority|moderates|social democrats)",
)
ACTORS: dict[ActorKind, tuple[str, ...]] = {
    # Longer and more specific kinds first: "de flesta" is generic before "de" is a pronoun.
    ActorKind.GENERIC: (
        r"(?:flera|många|andra|alla|ett flertal|ett antal|några|vissa|tio|fem) (?:\S+ )?kommuner(?:na)?",
        r"[0-9][0-9]* (?:\S+ )?kommuner(?:na)?",
        r"kommuner(?:na)?", "de flesta", "flertalet", r"majoriteten av (?:\S+ )?kommuner(?:na)?", "en kommun",
        "ingen kommun", r"grannkommun\w*", "regionerna", "många", "flera", "ett flertal", "ingen",
        r"(?:other |many |most |several |some |all |ten |few )?(?:swedish )?municipalities", "a municipality",
        r"[0-9][0-9]* (?:swedish )?municipalities",
        "no municipality", "many", "most", "several", "others", "dozens", "the rest", "neighbouring municipalities",
        r"(?:den |the )?(?:enda|första|sista|senaste|only|first|last|latest) (?:\S+ )?(?:kommun(?:en)?|municipality)",
    ),
    ActorKind.PARTY: (
        "sverigedemokraterna", r"sd(?<!\(sd)(?![:\w)])", "moderaterna", "socialdemokraterna", "kristdemokraterna",
        r"kd(?<!\(kd)(?![:\w)])", "liberalerna", "centerpartiet", "vänsterpartiet", "miljöpartiet",
        r"mp(?<!\(mp)(?![:\w)])", "oppositionen", "partiet", "interpellanten", "motionären", "motionärerna",
        "reservanten", "reservanterna", "förslagsställaren", r"(?:the )?sweden democrats", r"(?:the )?social democrats",
        r"(?:the )?moderates", "the moderate party", r"(?:the )?christian democrats", r"(?:the )?left party",
        r"(?:the )?green party", r"(?:the )?centre party", "the liberals", "the opposition", "the party",
        "the interpellant",
        # a party's letter before its local branch: "M i Lund nobbar…", "S in Malmö"
        r"(?:s|m|c|v|l|kd|sd|mp)(?= (?:i|in) [a-zåäö])",
    ),
    ActorKind.OTHER: (
        r"region [a-zåäö]+", "regionen", "landstinget", r"läns?", "länsstyrelsen",
        "the region", "county council", "county", "skr", "sveriges kommuner och regioner",
        "utredaren", "utredningen", "the investigator", "the inquiry",
    ),
    ActorKind.SELF: (
        # the ruling party or parties speak for the municipality: "i Lidingö tackar de styrande Moderaterna ja"
        *_RULING_PARTIES,
        r"(?:the )?municipality's (?:leaders|leadership|council|board|chairman|chair|mayor)",
        r"(?:the )?city's (?:leaders|leadership|council|board|chairman|chair|mayor)",
        "vi", "oss", "vår kommun", "vår stad", "jag", "kommunen", "kommunens", "staden", "stadens", "kommunledningen",
        "kommunstyrelsen", "the municipality's", "the city's",
        "kommunfullmäktige", "fullmäktige", "ks", "ks-presidiet", "ks-presidium", "presidiet", "styret",
        r"(?:den )?(?:politiska )?majoriteten",
        "kommunalrådet", "kommunalråd", "kommunalråden", "kommunstyrelsens ordförande", "ordföranden",
        "borgarrådet", "borgarråd", "kommundirektören", "kommunchefen", r"företrädare(?:n)?(?: för kommunen)?",
        "we", "our municipality", "our city", "the municipality", "the city", "the council", "the city council",
        r"the municipal (?:government|council|board|executive board|leadership)", "the municipal executive",
        "council leader", "the mayor", "mayor", "municipal leaders", "the local authority", "councillor",
        "councilor", r"the (?:red-green )?majority", "the leadership",
    ),
    ActorKind.PRONOUN: ("de", "dom", "man", "hon", "han", "they", "she", "he"),
}

# Actors known by how their word ends ("arbetsmarknadsnämnden", "Västra Götalandsregionen"): the regex
# finds the ending (no word boundary before it), the word is then taken back to its start.
SUFFIX_ACTORS: dict[ActorKind, tuple[str, ...]] = {
    ActorKind.SELF: ("nämnden", "nämnd", "förvaltningen", "kontoret", "styrelsen"),
    ActorKind.OTHER: ("regionen", "länsstyrelsen"),
}
# One regex for all endings (no groups: `re` can then skip to their first letters at C speed);
# `suffix_kind` tells the kind of an ending found.
SUFFIX_ACTOR_REGEX = re.compile(
    "(?:" + "|".join(to_folded(s) for suffixes in SUFFIX_ACTORS.values() for s in suffixes) + r")(?![\w&])"
)
_SUFFIX_KINDS = [(kind, re.compile("(?:" + "|".join(to_folded(s) for s in suffixes) + ")")) for kind, suffixes
                 in reversed(SUFFIX_ACTORS.items())]


def suffix_kind(ending: str) -> ActorKind:
    """The kind of an ending SUFFIX_ACTOR_REGEX found ("länsstyrelsen" is another, not "styrelsen")."""
    return next(kind for kind, regex in _SUFFIX_KINDS if regex.fullmatch(ending))


# A statement someone wants from others, a proposal, a hypothesis: not a stance taken.
WISH = compile_words((
    "vill att", "ville att", "önskar att", r"kräv(?:er|de|a)", r"uppman(?:ar|ade|a)", r"yrka\w*",
    # "föreslår" by a person or a party; a board's proposal ("kommunstyrelsen föreslår") is the municipality's
    r"(?<!kommunstyrelsen\s)(?<!styrelsen\s)(?<!nämnden\s)(?<!utskottet\s)(?<!presidiet\s)(?<!beredningen\s)"
    r"(?<!kontoret\s)(?<!förvaltningen\s)föreslå(?:r|s)", "föreslog", "föreslagit",
    r"(?:motion|medborgarförslag|förslag|e-förslag|interpellation)\w* (?:\S+ )?om att", "borde", r"bör(?! inte)",
    "hoppas att", r"(?:frågar|frågade|undrar|undrade) (?:\S+ )?om", r"ask(?:s|ed)? (?:\S+ )?(?:whether|if)",
    "vill se", "ifall", "huruvida", "should", "ought to", r"urg(?:e|es|ed)", r"calls? on", "called on",
    r"calls? for", "called for", r"demand(?:s|ed)?", r"wants? (?:\S+ ){1,3}?to", r"wanted (?:\S+ ){1,3}?to",
    r"propos(?:e|es|ed)", "would like", "hopes? that", "whether", "if",
))
# A proposal by a person or party in a protocol ("yrkar avslag", "jag föreslår").
PROPOSAL = compile_words((r"yrka\w*", "jag föreslår", "vi föreslår", r"reserv\w*"))
RULING_PARTY = compile_words(_RULING_PARTIES)  # an actor that is the ruling party, speaking for the municipality
HYPOTHETICAL = compile_words(("kan", "kunde", "skulle", "skulle kunna", "could", "can", "might", "may", "would"))
NEGATION = compile_words((
    "inte", "ej", "icke", "aldrig", "inget", "ingen", "not", "never", r"\w+n't", "no longer", "cannot",
))
# A statement that replaces what the municipality said before: "nu har kommunen ändrat sig och…".
CHANGED = compile_words((
    "nu", "numera", r"ändra(?:t|de|r) sig", r"omprövat?", "now", "has changed", r"changed (?:its|their) mind",
    "reversed", "reconsidered", r"i ?stället", "instead",
))
SUPERSEDED = compile_words((
    # not "var först ut med ett nej", "the first to say no": the first of several, not an earlier word
    "tidigare", r"först(?! (?:ut|att|med|av|i landet))", "initialt", "inledningsvis", "förut", "earlier", "initially",
    "previously", "originally", "at first", r"first(?! (?:to|out|of|in the country|municipality))",
))
# "Kiruna, styrt av S och V, …", "Lund, governed by M and S, …": parties describing a municipality.
DESCRIPTIVE = compile_words((
    r"styr(?:d|da|t|s) av", r"ledd? av", r"governed by", r"led by", r"run by", r"controlled by", r"ruled by",
))
# A copula between a named municipality and a generic actor: "Stockholm is the latest of many municipalities".
COPULA = compile_words((
    "är", "blir", "blev", "var", "is", "was", "becomes", "became", r"joins?", "joined", r"ansluter",
))
# What introduces the municipalities a generic actor stands for: "…have said no, such as X and Y".
INTRODUCES_NAMES = re.compile(word_pattern((
    "such as", "including", "among them", "among others", "like", "namely", "bland annat", r"bl\.a\.?",
    r"bland (?:dem|andra|vilka)", "inklusive",
    "däribland", "exempelvis", r"t\.ex\.?", "till exempel", "nämligen", "som", "är", "var", "blev", "is", "was",
    "were", "are",
)) + "|:")
# What opens a clause inserted after a name, which says who governs or what it is, not who acts:
# "Håbo, som styrs av M, C och KD, tackar nej"; "Växjö's council, made up of S, V and MP, decided…".
INSERTED_CLAUSE = re.compile(",\\s*(?:" + "|".join(to_folded(p) for p in (
    "som", "där", "vilken", "vilket", "vilka", "which", "who", "where", "whose", "made up of", "consisting of",
    r"(?:styrd|styrt|styrda|styrs|ledd|lett|ledda) av", r"(?:governed|led|run|ruled|controlled) by", "with",
)) + r")(?![\w&])")
# Who a dash pair or parentheses set aside: "Jokkmokk's leaders – Roland Boman and Henrik Blind – rejected".
# Every alternative opens with its character (the word check after it), so that `re` skips to "(" and dashes.
ASIDE = re.compile("|".join(
    [r"\([^()\n]{1,160}\)"]
    + [dash + r"(?<!\w" + dash + r")\s?[^–—\n]{1,160}?\s?[–—](?!\w)" for dash in "–—-"]
    + [r"—(?<=\w—)[^—\n]{1,160}—(?=\w)"]
))
# What names the municipalities a group stands for, in the sentence after it:
# "Flera kommuner har sagt nej. Några är Boden, Luleå och Kalix."
NAMES_FOLLOW = compile_words((
    r"några (?:av dem |av dessa )?är", r"bland (?:dem|dessa|andra|annat)", "däribland", "till exempel", r"t\.ex\.?",
    "exempelvis", "såsom", r"dit hör", r"det gäller(?: \S+)?(?: bland annat| till exempel)?", r"de är",
    r"among (?:them|others|those)", "including", "such as", "for example", r"these (?:include|are)",
    r"they (?:include|are)", "namely",
))
# Words before a name that make it no subject: "i Jokkmokks spår", "som Växjö kommun", "like Lund".
BEFORE_OBJECT = re.compile(
    r"(?<![\w&])(?:i|till|fran|med|av|for|om|hos|mot|at|pa|som|an|efter|to|from|with|by|for|about|of|in|on|like|as|than|after)"
    r"\s+(?:den\s+|the\s+)?$"
)

# Words between a cue and the municipality after it that make that municipality the cue's subject:
# "no thanks, Jokkmokk replied", "nej tack, säger Kiruna", "likaså gör Ludvika".
ATTRIBUTION = compile_words((
    r"säg(?:er|a)", "sa", "sade", r"skriv(?:er|a)", "skrev", r"svar(?:ar|ade)", r"meddela(?:r|de)", r"uppg(?:er|av)",
    "enligt", r"gör", "gjorde", r"says?", "said", r"writes?", "wrote", r"repl(?:y|ies|ied)", r"answer(?:s|ed)?",
    r"respond(?:s|ed)?", "according to", r"reports?", "reported", r"announc\w*", r"confirm\w*", r"bekräfta\w*",
    "does", "did", "do", "från", "from", r"hör(?:s|des)", "heard",
))
# A reported refusal or acceptance that a party criticises is still a fact: "SD kritiserar att Kiruna tackat nej".
FACTIVE = compile_words((
    r"kritiser\w*", r"kritisk\w*", "beklagar", "reagerar", r"protester\w*", r"upprör\w*", r"criticis\w*",
    r"criticiz\w*", r"condemn\w*", r"slam\w*", r"deplor\w*",
))
ACTOR_KINDS: tuple[ActorKind, ...] = tuple(ACTORS)  # a topic compiles these with its own actors
QUESTION_END = re.compile(r"\?[\"'”’»)\]]*\s*$")
