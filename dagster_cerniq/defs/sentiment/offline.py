"""The offline analyzer: Romanian rules and a lexicon, no network, no model weights.

Used when no ANTHROPIC_API_KEY is set (the embedded default and the tests). It fills the same
`MessageAnalysis` as the Claude analyzer so the rest of the pipeline does not care which ran.

How a message is read:
1. Normalise: Unicode NFKD without combining marks (so ă â î ș ț ş ţ → a a i s t s t), lower
   case, chat abbreviations expanded ("pt", "ms", "dvs"), "n-a" → "nu a"; punctuation kept
   as separate tokens; the tenant's competitor names become the token `__comp__`; greetings
   and sign-offs ("Bună ziua", "O zi bună!") are dropped.
2. Find the phrase rules of `lexicon.CUES`; overlapping rules keep the longest.
3. Per rule: a negator ("nu", "nici", "fără", "deloc") up to four words before its head, within
   the clause, flips and weakens it and drops its topics; intensifiers ("foarte", "prea",
   "extrem de", "cel mai", "deloc") and diminishers ("cam", "puțin") scale it; in a sentence
   with "dar" / "însă" / "doar că" the part after weighs more; repetition ("iar", "a treia
   oară") strengthens complaints; praise next to a competitor is about the competitor and
   is ignored; "Bravo, ..." in a complaining message is irony; thanks are gratitude when they
   say what for, otherwise a polite formula.
4. Score = S / sqrt(S² + 1) of the sum S, in [-1, 1]; NEUTRAL within ±`NEUTRAL_BAND`.

Deterministic and pure Python (compiled regular expressions), a few thousand messages a second.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from dagster_cerniq.defs.sentiment import lexicon as lex
from dagster_cerniq.defs.sentiment.schema import (
    ChurnIndicator,
    Intent,
    MessageAnalysis,
    Sentiment,
    Topic,
)

MODEL_NAME = "cerniq-offline-lexicon"
MODEL_VERSION = "2"

# Well-known Romanian agricultural input suppliers and grain traders every tenant competes with;
# the sentiment step adds each tenant's own list (cerniq_tenant_competitors) to these.
DEFAULT_COMPETITORS: tuple[str, ...] = (
    "Agricover",
    "Agrii",
    "Agroland",
    "Alcedo",
    "Ameropa",
    "Azomureș",
    "Bunge",
    "Cargill",
    "Comcereal",
    "Interagro",
    "Redoxim",
)


def with_default_competitors(own: Sequence[str]) -> list[str]:
    """What the analyzer looks for in a tenant's messages: its own competitor names, then the
    default ones it does not list itself (a name is the same in any case, with or without
    diacritics and surrounding spaces, as in gold_competitor_intel.competitor_normalized)."""
    listed = {fold(name.strip()) for name in own}
    return [*own, *(name for name in DEFAULT_COMPETITORS if fold(name) not in listed)]


# |score| below this is NEUTRAL.
NEUTRAL_BAND = 0.2
# Praise and complaint both present (each at least MIXED_FLOOR) and neither more than
# MIXED_RATIO times the other: the message is mixed, i.e. NEUTRAL (the schema has no MIXED).
MIXED_FLOOR = 0.45
MIXED_RATIO = 2.5
# Weight of a thanks formula ("Mulțumesc." closing a request) against real gratitude.
POLITE_THANKS = 0.1
COMPETITOR_TOKEN = "__comp__"

_SENTENCE_END = frozenset({".", "!", "?", ";"})
# Parentheses are kept: a negation does not reach into or out of "(...)".
_PUNCTUATION = frozenset({".", ",", "!", "?", ";", ":", "(", ")"})
_TOKEN = re.compile(r"[a-z0-9]+|[.,!?;:()]")
_RAW_WORD = re.compile(r"[^\W\d_]{2,}")
_REPEATED_LETTERS = re.compile(r"([a-z])\1{2,}")
# "nu-și", "nu-i": the clitic is not the conjunction "și" (a clause break); "și-a făcut" neither.
_CLITIC = re.compile(r"\b(nu|n)-(si|i)\b|\bsi-(?=a\b|au\b|o\b|l\b)")
# Thousands and decimal separators inside numbers ("2.700 lei", "3,8 t/ha") are not punctuation.
_NUMBER_SEPARATOR = re.compile(r"(?<=\d)[.,](?=\d)")
# Sarcasm in writing: praise in quotes ('ce sămânță "excelentă"') and laughing emoticons.
_QUOTED = re.compile(r"[\"„“”«»]([^\"„“”«»]{1,40})[\"„“”«»]")
_LAUGH = re.compile(r"[:;]-?\){2,}|[:;]-?[)D](?!\w)")
# Words opening a question that wants an answer (when, where, how much, who, how, which) ...
_INFORMATION_QUESTION = frozenset({"cand", "unde", "cat", "cate", "cati", "cine", "cum", "care"})
# ... and "ce", which also opens rhetorical ones ("Ce bătaie de joc?").
_INTERROGATIVE = _INFORMATION_QUESTION | {"ce"}
_COMPLAINT_TOPICS = frozenset(
    {Topic.PRICE_HIGH, Topic.QUALITY_ISSUE, Topic.DELIVERY_DELAY, Topic.CUSTOMER_SERVICE}
)
_DISSATISFACTION = {
    Topic.PRICE_HIGH: ChurnIndicator.PRICE_DISSATISFACTION,
    Topic.QUALITY_ISSUE: ChurnIndicator.QUALITY_DISSATISFACTION,
    Topic.DELIVERY_DELAY: ChurnIndicator.DELIVERY_DISSATISFACTION,
}
_YOU_WORDS = frozenset({"voi", "dumneavoastra", "vostru", "voastra", "vostri", "voastre"})


def _expand(pattern: str) -> str:
    for name, fragment in lex.FRAGMENTS.items():
        pattern = pattern.replace(name, fragment)
    return rf"(?<!\w)(?:{pattern})(?!\w)"


_CUES = tuple((cue, re.compile(_expand(cue.pattern))) for cue in lex.CUES)
_GREETING = re.compile(_expand(lex.GREETING_PATTERN))
_REPETITION = re.compile(_expand(lex.REPETITION_PATTERN))
_SARCASM = re.compile(_expand(lex.SARCASM_MARKER_PATTERN))
_PRODUCT_NOUN = re.compile(_expand(lex.PRODUCT_NOUN))
_NEGATION_RAISING = re.compile(_expand(lex.NEGATION_RAISING_PATTERN))
_RIVAL = re.compile(_expand(lex.RIVAL))
_PRODUCTS = tuple((name, re.compile(_expand(pattern))) for name, pattern in lex.PRODUCTS)


def fold(text: str) -> str:
    """Lower case without diacritics: 'Îngrășământ' and 'Ingrasamant' give 'ingrasamant'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _tokens(text: str) -> list[str]:
    folded = fold(text).replace("\n", " . ")
    folded = _CLITIC.sub(lambda m: f"{m.group(1)} i{m.group(2)}" if m.group(1) else "isi ", folded)
    folded = _NUMBER_SEPARATOR.sub("", folded)
    tokens = []
    for token in _TOKEN.findall(folded):
        token = _REPEATED_LETTERS.sub(r"\1", token)
        tokens.extend(lex.ABBREVIATIONS.get(token, token).split())
    return tokens


def _competitor_keys(competitors: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """By first letter: (space-free folded key, canonical name), longest first so longer names
    win. Cached: a tenant's list is the same for every one of its messages."""
    return _keys_of(tuple(competitors))


@lru_cache(maxsize=256)
def _keys_of(competitors: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    keys: dict[str, str] = {}
    for name in competitors:
        key = "".join(_tokens(name or ""))
        if key and key not in keys:
            keys[key] = name
    by_letter: dict[str, list[tuple[str, str]]] = {}
    for key, name in sorted(keys.items(), key=lambda item: -len(item[0])):
        by_letter.setdefault(key[0], []).append((key, name))
    return by_letter


def _mark_competitors(tokens: list[str], competitors: Sequence[str]) -> tuple[list[str], list[str]]:
    """Whole-word mentions (also written apart or together: 'Agro Vista') → `__comp__`."""
    keys_by_letter = _competitor_keys(competitors)
    if not keys_by_letter:
        return tokens, []
    out: list[str] = []
    found: list[str] = []
    i = 0
    while i < len(tokens):
        matched = 0
        if tokens[i] not in _PUNCTUATION:
            for key, name in keys_by_letter.get(tokens[i][0], ()):
                joined = ""
                for j in range(i, min(len(tokens), i + 6)):
                    if tokens[j] in _PUNCTUATION:
                        break
                    joined += tokens[j]
                    if joined == key:
                        matched = j - i + 1
                        break
                    if not key.startswith(joined):
                        break
                if matched:
                    if name not in found:
                        found.append(name)
                    break
        if matched:
            out.append(COMPETITOR_TOKEN)
            i += matched
        else:
            out.append(tokens[i])
            i += 1
    return out, found


@dataclass
class _Hit:
    cue: lex.Cue
    start: int  # first token
    end: int  # one past the last token
    head: int
    valence: float = 0.0
    negated: bool = False
    sentence: int = 0
    boost: float = 1.0  # a colloquial intensifier beside it ("rău de bun")


@dataclass
class _Doc:
    tokens: list[str]
    text: str = ""
    starts: list[int] = field(default_factory=list)
    sentence_of: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = " ".join(self.tokens)
        position = 0
        for token in self.tokens:
            self.starts.append(position)
            position += len(token) + 1
        sentence = 0
        for token in self.tokens:
            self.sentence_of.append(sentence)
            if token in _SENTENCE_END:
                sentence += 1

    def token_at(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def span(self, match: re.Match[str], group: int | str = 0) -> tuple[int, int]:
        start, end = match.span(group)
        return self.token_at(start), self.token_at(max(start, end - 1)) + 1


def _drop_greetings(tokens: list[str]) -> list[str]:
    text = _GREETING.sub(" . ", " ".join(tokens))
    return text.split()


def _find_hits(doc: _Doc) -> list[_Hit]:
    hits = []
    for cue, regex in _CUES:
        for match in regex.finditer(doc.text):
            start, end = doc.span(match)
            head = start
            for name in ("h", "h2"):
                if name in regex.groupindex and match.group(name) is not None:
                    head = doc.span(match, name)[0]
            hits.append(_Hit(cue, start, end, head, sentence=doc.sentence_of[head]))
    return hits


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Phrase rules: longest first, no overlaps. Topic-only (overlay) rules are all kept,
    unless their head lies inside a fixed rule (that rule already says what the words mean:
    "nu mai comandăm" is not an order)."""
    taken: set[int] = set()
    kept: list[_Hit] = []
    # Of two equally long overlapping rules the later wins: a Romanian modifier follows what
    # it qualifies ("de calitate inferioară" is "calitate inferioară").
    for hit in sorted(
        (hit for hit in hits if not hit.cue.overlay),
        key=lambda hit: (-(hit.end - hit.start), -hit.start),
    ):
        span = set(range(hit.start, hit.end))
        if span & taken:
            continue
        taken |= span
        kept.append(hit)
    fixed_tokens = {i for hit in kept if hit.cue.fixed for i in range(hit.start, hit.end)}
    kept.extend(hit for hit in hits if hit.cue.overlay and hit.head not in fixed_tokens)
    return sorted(kept, key=lambda hit: (hit.start, hit.end))


def _clause_break(tokens: list[str], i: int) -> bool:
    """Whether token i ends a clause: a break word, or a word of a two-word one ("pentru că")."""
    if tokens[i] in lex.CLAUSE_BREAKS:
        return True
    after = (tokens[i], tokens[i + 1]) if i + 1 < len(tokens) else None
    before = (tokens[i - 1], tokens[i]) if i > 0 else None
    return after in lex.CLAUSE_BREAK_PAIRS or before in lex.CLAUSE_BREAK_PAIRS


def _raised_negation(doc: _Doc) -> set[int]:
    """Tokens of the clause after "nu cred că", "n-aș zice că": negated as a whole (up to a
    break other than "și": "nu cred că e bun și ieftin" denies both)."""
    negated: set[int] = set()
    for match in _NEGATION_RAISING.finditer(doc.text):
        i = doc.span(match)[1]
        while i < len(doc.tokens) and (doc.tokens[i] == "si" or not _clause_break(doc.tokens, i)):
            negated.add(i)
            i += 1
    return negated


def _negation_and_scale(
    doc: _Doc, hit: _Hit, owned: set[int], raised: set[int]
) -> tuple[bool, float, float]:
    """(negated, flip factor, intensity) from the words around the head."""
    tokens = doc.tokens
    negated, flip, scale = hit.head in raised, lex.NEGATION_FLIP, 1.0
    deloc_seen = False
    first = max(0, hit.head - lex.NEGATION_WINDOW)
    for i in range(hit.head - 1, first - 1, -1):
        token = tokens[i]
        if i < hit.start and _clause_break(tokens, i):
            break
        if i in owned:
            continue
        if token in lex.NEGATORS:
            # "n-am avut niciodată așa recoltă bună": never ... so good is a superlative
            if token in lex.NEVER and lex.SO & set(tokens[i + 1 : hit.head]):
                continue
            negated = True
            if i + 1 < len(tokens) and tokens[i + 1] == "prea":
                flip = lex.SOFT_NEGATION_FLIP
        elif token == lex.DELOC:
            deloc_seen = True
    # Intensifiers: up to two words right before the head ("extrem de", "cel mai", "foarte").
    before = [tokens[i] for i in range(max(0, hit.head - 3), hit.head) if i not in owned]
    if len(before) >= 1 and before[-1] == "de":
        before = before[:-1]
    for position, token in enumerate(reversed(before[-2:])):
        if token == "prea" and negated and flip == lex.SOFT_NEGATION_FLIP:
            continue
        if (
            token == "mai"
            and position == 0
            and len(before) >= 2
            and before[-2] in lex.SUPERLATIVE_ARTICLES
        ):
            scale *= lex.SUPERLATIVE
        elif token in lex.INTENSIFIERS:
            scale *= lex.INTENSIFIERS[token]
    # "deloc" before or right after the head ("nu e scump deloc").
    after = tokens[hit.end : hit.end + 2]
    if deloc_seen or lex.DELOC in after:
        scale *= 1.4
        if deloc_seen and not negated:
            negated = True
    return negated, flip, scale


def _contrast_weights(doc: _Doc) -> list[float]:
    """Per token: 0.5 before a "dar"/"însă"/"doar că" of its sentence, 1.5 after it; a
    sentence that starts with one also halves everything before it."""
    tokens = doc.tokens
    weights = [1.0] * len(tokens)
    sentence_start = 0
    for i, token in enumerate(tokens):
        if token in _SENTENCE_END:
            sentence_start = i + 1
            continue
        if token not in lex.CONTRAST_WORDS:
            continue
        if token in lex.CONTRAST_NEEDS_CA and (i + 1 >= len(tokens) or tokens[i + 1] != "ca"):
            continue
        from_start = 0 if i == sentence_start else sentence_start
        for j in range(from_start, i):
            weights[j] = lex.BEFORE_CONTRAST
        j = i + 1
        while j < len(tokens) and tokens[j] not in _SENTENCE_END:
            weights[j] = lex.AFTER_CONTRAST
            j += 1
    return weights


def _emphasis(text: str) -> tuple[int, bool, float]:
    """(exclamation marks up to 3, shouting in capitals, emoji valence)."""
    exclamations = min(3, text.count("!"))
    words = [w for w in _RAW_WORD.findall(text) if w.upper() not in lex.ACRONYMS]
    shouted = [w for w in words if w.isupper()]
    shouting = len(shouted) >= 2 and len(shouted) >= len(words) / 2
    emoji = 0.0
    emoji += sum(text.count(e) for e in lex.POSITIVE_EMOJI) * lex.EMOJI_VALENCE
    emoji -= sum(text.count(e) for e in lex.NEGATIVE_EMOJI) * lex.EMOJI_VALENCE
    emoji += sum(text.count(e) for e in lex.POSITIVE_EMOTICONS) * lex.EMOJI_VALENCE
    emoji -= sum(text.count(e) for e in lex.NEGATIVE_EMOTICONS) * lex.EMOJI_VALENCE
    return exclamations, shouting, max(-0.6, min(0.6, emoji))


def _products(doc: _Doc) -> list[str]:
    found: list[tuple[int, str]] = []
    for name, regex in _PRODUCTS:
        match = regex.search(doc.text)
        if match:
            found.append((match.start(), name))
    return [name for _, name in sorted(found)]


def _neutral() -> MessageAnalysis:
    return MessageAnalysis(sentiment=Sentiment.NEUTRAL, score=0.0)


def analyze(text: str, competitors: Sequence[str]) -> MessageAnalysis:
    """Sentiment, emotions, topics, churn indicators and competitor mentions of one message.

    `competitors` are the tenant's rival suppliers; mentions are matched whole-word, case- and
    diacritic-insensitive, and returned as spelled in that list. The text is only ever data:
    nothing in it changes how it is read.
    """
    tokens = _tokens(text or "")
    if not any(token not in _PUNCTUATION for token in tokens):
        return _neutral()
    tokens, mentioned = _mark_competitors(tokens, competitors)
    doc = _Doc(_drop_greetings(tokens))
    if not any(token not in _PUNCTUATION for token in doc.tokens):
        return _neutral()

    hits = _resolve(_find_hits(doc))
    if not mentioned:
        hits = [hit for hit in hits if not hit.cue.needs_competitor]
    opinion_starts = {hit.start for hit in hits if hit.cue.valence != 0.0}
    hits = [hit for hit in hits if not (hit.cue.intensifier_word and hit.end in opinion_starts)]
    hits = _colloquial_intensifiers(doc, hits)
    repeated = _score_hits(doc, hits, _sarcasm_cues(text))

    exclamations, shouting, emoji = _emphasis(text)
    if emoji > 0 and any(hit.valence < 0 for hit in hits):
        emoji = 0.0  # a smiley beside a complaint is a sneer, not a smile
    impatience = lex.IMPATIENCE if "? ?" in doc.text or "?" * 2 in text else 0.0
    total = sum(hit.valence for hit in hits) + emoji - impatience
    if total < 0:
        total *= 1 + 0.1 * exclamations + (0.25 if shouting else 0.0)
    elif total > 0:
        total *= 1 + 0.05 * exclamations
    score = max(-1.0, min(1.0, round(total / math.sqrt(total * total + 1.0), 4)))
    praise = sum(hit.valence for hit in hits if hit.valence > 0)
    complaint = -sum(hit.valence for hit in hits if hit.valence < 0)
    mixed = min(praise, complaint) >= MIXED_FLOOR and max(praise, complaint) < MIXED_RATIO * min(
        praise, complaint
    )
    if mixed or -NEUTRAL_BAND < score < NEUTRAL_BAND:
        sentiment = Sentiment.NEUTRAL
    elif score > 0:
        sentiment = Sentiment.POSITIVE
    else:
        sentiment = Sentiment.NEGATIVE

    topics = _topics(doc, hits, mentioned, sentiment)
    churn = _churn(hits, topics, sentiment)
    return MessageAnalysis(
        sentiment=sentiment,
        score=score,
        emotions=_emotions(hits, repeated, exclamations, shouting, total),
        topics=topics,
        churn_indicators=churn,
        intents=_intents(doc, hits, topics, churn, sentiment),
        mentioned_competitors=mentioned,
        mentioned_products=_products(doc),
    )


def _colloquial_intensifiers(doc: _Doc, hits: list[_Hit]) -> list[_Hit]:
    """ "scump rău", "rău de bun", "bun rău": "rău" beside an opinion word means "very"; it is
    dropped and the opinion word strengthened."""
    ends = {hit.end: hit for hit in hits if hit.cue.valence != 0.0}
    starts = {hit.start: hit for hit in hits if hit.cue.valence != 0.0}
    kept = []
    for hit in hits:
        if hit.cue.colloquial_intensifier:
            before = ends.get(hit.start)
            after = starts.get(hit.end + 1) if doc.tokens[hit.end : hit.end + 1] == ["de"] else None
            target = before or after
            if target is not None and not target.cue.colloquial_intensifier:
                target.boost = lex.COLLOQUIAL_BOOST
                continue
        kept.append(hit)
    return kept


def _sarcasm_cues(text: str) -> tuple[bool, set[str]]:
    """(laughing emoticon, folded words written in quotes)."""
    quoted = {word for match in _QUOTED.finditer(text) for word in _tokens(match.group(1))}
    return bool(_LAUGH.search(text)), quoted


def _intents(
    doc: _Doc,
    hits: list[_Hit],
    topics: list[Topic],
    churn: list[ChurnIndicator],
    sentiment: Sentiment,
) -> list[Intent]:
    found: set[Intent] = set()
    # Leaving: a switching or contract-ending rule, unless the rival was only cited for its price
    # (a price comparison is a negotiation).
    leaving = {ChurnIndicator.SWITCHING_SUPPLIER, ChurnIndicator.CONTRACT_ENDING}
    if any(
        leaving & set(hit.cue.churn) and not hit.negated and hit.valence < 0
        and not hit.cue.negotiation
        for hit in hits
    ):  # fmt: skip
        found.add(Intent.SWITCHING_SUPPLIER)
    if any(hit.cue.negotiation and not hit.negated for hit in hits):
        found.add(Intent.PRICE_NEGOTIATION)
    # A complaint: negative rules other than leaving, negotiating or ordering less.
    grievance = sum(
        hit.valence for hit in hits
        if hit.valence < 0 and not hit.cue.negotiation
        and not set(hit.cue.churn) - {ChurnIndicator.ESCALATION_THREAT}
    )  # fmt: skip
    explained = {Intent.SWITCHING_SUPPLIER, Intent.PRICE_NEGOTIATION} & found
    if (
        grievance <= -lex.COMPLAINT_FLOOR
        and (sentiment is not Sentiment.POSITIVE or grievance <= -2 * lex.COMPLAINT_FLOOR)
    ) or (sentiment is Sentiment.NEGATIVE and not explained):
        found.add(Intent.COMPLAINT)
    if Topic.ORDER_REQUEST in topics:
        found.add(Intent.ORDER_REQUEST)
    if any(hit.valence >= lex.PRAISE_FLOOR for hit in hits) and sentiment is not Sentiment.NEGATIVE:
        found.add(Intent.PRAISE)
    bargaining = {Intent.COMPLAINT, Intent.PRICE_NEGOTIATION} & found
    if _asks(doc) and not (bargaining and not _asks_for_information(doc)):
        found.add(Intent.QUESTION)
    return [intent for intent in Intent if intent in found]


def _question_sentences(doc: _Doc) -> list[list[str]]:
    sentences: list[list[str]] = [[]]
    for token in doc.tokens:
        sentences[-1].append(token)
        if token in _SENTENCE_END:
            sentences.append([])
    return [words for words in sentences if words and words[-1] == "?"]


def _asks(doc: _Doc) -> bool:
    return bool(_question_sentences(doc)) or (
        bool(doc.tokens) and doc.tokens[0] in _INTERROGATIVE and "?" not in doc.tokens
    )


def _asks_for_information(doc: _Doc) -> bool:
    """A question that wants an answer (when, where, how much), not a rhetorical one."""
    return any(words[0] in _INFORMATION_QUESTION for words in _question_sentences(doc))


def _score_hits(doc: _Doc, hits: list[_Hit], sarcasm: tuple[bool, set[str]]) -> bool:
    """Set every hit's valence and negation; return whether the message repeats a complaint.
    `sarcasm`: (laughing emoticon, words in quotes) of the message."""
    owned = {i for hit in hits if hit.cue.fixed for i in range(hit.start, hit.end)}
    for match in _REPETITION.finditer(doc.text):
        start, end = doc.span(match)
        owned.update(range(start, end))
    repeated = _REPETITION.search(doc.text) is not None
    contrast = _contrast_weights(doc)
    raised = _raised_negation(doc)

    # Each rule on its own: negation, intensifiers, contrast.
    for hit in hits:
        cue = hit.cue
        if cue.keep_when_negated or (cue.valence == 0.0 and not cue.topics and not cue.churn):
            continue
        others = owned - set(range(hit.start, hit.end))
        negated, flip, scale = _negation_and_scale(doc, hit, others, raised)
        hit.negated = negated and not cue.fixed
        valence = cue.valence * scale * hit.boost
        if hit.negated:
            valence = -valence * flip
        hit.valence = valence * contrast[hit.head]

    # Readings of the whole message.
    tokens = doc.tokens
    laughing, quoted = sarcasm
    for hit in hits:
        # Praise in quotes is ironic: 'ce preț "bun"'.
        if hit.valence > 0 and quoted & set(tokens[hit.start : hit.end]):
            hit.valence = -hit.valence
    # Praise after a rival, named ("__comp__") or not ("alt furnizor mai serios"), is its own.
    competitor_at = [i for i, token in enumerate(tokens) if token == COMPETITOR_TOKEN] + [
        doc.span(match)[1] - 1 for match in _RIVAL.finditer(doc.text)
    ]
    sarcastic = {doc.sentence_of[doc.span(match)[0]] for match in _SARCASM.finditer(doc.text)}
    complaint = sum(hit.valence for hit in hits if hit.valence < 0 and not hit.cue.interjection)
    asking = "?" in tokens or "va rog" in doc.text or "te rog" in doc.text
    thanks_only = all(hit.cue.thanks for hit in hits) and not asking
    praise = any(hit.valence >= 0.3 and not hit.cue.thanks for hit in hits)
    for hit in hits:
        cue = hit.cue
        # Praise after a competitor's name, in its sentence, is about the competitor.
        if hit.valence > 0 and not cue.thanks:
            for position in competitor_at:
                same_sentence = doc.sentence_of[position] == hit.sentence
                if (
                    same_sentence
                    and position < hit.head
                    and not _YOU_WORDS & set(tokens[position : hit.head])
                ):
                    hit.valence = 0.0
        # Irony: "Bravo, ..." opening a sentence, or "..., ce să zic", in a complaint.
        if hit.valence > 0 and complaint <= -0.5:
            opening = hit.start == 0 or tokens[hit.start - 1] in _SENTENCE_END
            sincere = any(
                other.cue.thanks and other.sentence == hit.sentence and other.valence > 0
                for other in hits
            )
            if (
                (cue.interjection and opening and not sincere)
                or hit.sentence in sarcastic
                or laughing
            ):
                hit.valence = -hit.valence
        # Thanks: gratitude when it says what for, when it is all the message says (not after
        # a question or a "vă rog"), or when it comes with praise; otherwise a polite formula
        # ("..., cât costă? Mulțumesc.").
        if cue.thanks and not hit.negated:
            # "mulțumesc pentru / că / de ..." says what for
            genuine = bool({"pentru", "ca", "de"} & set(tokens[hit.end : hit.end + 2])) or (
                _intensified_thanks(doc, hit)
            )
            if not (genuine or thanks_only or (praise and complaint == 0.0)):
                hit.valence = POLITE_THANKS * contrast[hit.head]
        if repeated and hit.valence < 0:
            hit.valence *= lex.REPETITION_BOOST
    return repeated


def _intensified_thanks(doc: _Doc, hit: _Hit) -> bool:
    words = set(doc.tokens[hit.start : hit.end])
    return bool(words & {"mult", "frumos", "suflet", "tare", "enorm"})


def _topics(doc: _Doc, hits: list[_Hit], mentioned: list[str], sentiment: Sentiment) -> list[Topic]:
    found: set[Topic] = set()
    sentence_topics: dict[int, set[Topic]] = {}
    sentence_valence: dict[int, float] = {}
    thanks_formula = False
    switching = ChurnIndicator.SWITCHING_SUPPLIER
    churn_sentences = {hit.sentence for hit in hits if switching in hit.cue.churn}
    for hit in hits:
        sentence_valence[hit.sentence] = sentence_valence.get(hit.sentence, 0.0) + hit.valence
        if hit.negated:
            continue
        if hit.cue.thanks:
            if hit.valence > POLITE_THANKS + 1e-9:
                found.add(Topic.GRATITUDE)
            elif hit.valence > 0:
                thanks_formula = True
            continue
        for topic in hit.cue.topics:
            # A price or quality word in a positive reading is not a complaint.
            if topic in _COMPLAINT_TOPICS and hit.valence > 0:
                continue
            found.add(topic)
            sentence_topics.setdefault(hit.sentence, set()).add(topic)
    if mentioned or any(
        hit.cue.churn == (ChurnIndicator.SWITCHING_SUPPLIER,)
        and not hit.negated
        and COMPETITOR_TOKEN in doc.tokens[hit.start : hit.end]
        for hit in hits
    ):
        found.add(Topic.COMPETITOR_OFFER)
    # A complaint about a product with no other reason given is about its quality.
    for sentence, valence in sentence_valence.items():
        if valence > -0.4 or sentence_topics.get(sentence, set()) & _COMPLAINT_TOPICS:
            continue
        if sentence in churn_sentences:
            continue
        words = [t for t, s in zip(doc.tokens, doc.sentence_of, strict=True) if s == sentence]
        if COMPETITOR_TOKEN not in words and _PRODUCT_NOUN.search(" ".join(words)):
            found.add(Topic.QUALITY_ISSUE)
    # Advice is a topic when asked for, not when a pest or a dose is mentioned in passing; the
    # staff are a topic when the message says something about them.
    if not (_asks(doc) or "va rog" in doc.text or "recomandati" in doc.tokens):
        found.discard(Topic.TECHNICAL_ADVICE)
    if Topic.CUSTOMER_SERVICE in found and not any(
        sentence_valence.get(sentence, 0.0) != 0.0
        for sentence, topics in sentence_topics.items()
        if Topic.CUSTOMER_SERVICE in topics
    ):
        found.discard(Topic.CUSTOMER_SERVICE)
    if thanks_formula and not found and sentiment is not Sentiment.NEGATIVE:
        found.add(Topic.GRATITUDE)
    if not found:
        found.add(Topic.OTHER)
    return [topic for topic in Topic if topic in found]


def _churn(hits: list[_Hit], topics: list[Topic], sentiment: Sentiment) -> list[ChurnIndicator]:
    found = {
        indicator
        for hit in hits
        if not hit.negated and hit.valence < 0
        for indicator in hit.cue.churn
    }
    if sentiment is Sentiment.NEGATIVE:
        found.update(_DISSATISFACTION[topic] for topic in topics if topic in _DISSATISFACTION)
    return [indicator for indicator in ChurnIndicator if indicator in found]


def _emotions(
    hits: list[_Hit], repeated: bool, exclamations: int, shouting: bool, total: float
) -> dict[str, float]:
    raw: dict[str, float] = {}
    for hit in hits:
        if hit.valence == 0.0:
            continue
        emotion = hit.cue.emotion
        if hit.negated:
            emotion = lex.DISAPPOINTMENT if hit.valence < 0 else None
        elif hit.valence < 0 and emotion in (lex.SATISFACTION, lex.GRATITUDE):
            emotion = lex.ANGER  # irony
        elif hit.valence > 0 and emotion not in (lex.SATISFACTION, lex.GRATITUDE):
            emotion = lex.SATISFACTION
        if emotion is None:
            continue
        raw[emotion] = raw.get(emotion, 0.0) + abs(hit.valence)
    if total < 0:
        if repeated:
            raw[lex.FRUSTRATION] = raw.get(lex.FRUSTRATION, 0.0) + 0.3
        if exclamations or shouting:
            raw[lex.ANGER] = raw.get(lex.ANGER, 0.0) + 0.15 * exclamations + 0.3 * shouting
    return {name: round(min(1.0, value), 2) for name, value in sorted(raw.items()) if value >= 0.05}
