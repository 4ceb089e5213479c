"""Romanian word lists and phrase rules of the offline sentiment analyzer (`offline.py`).

Plain data. Every pattern is a regular expression over the *normalised* message: lower case,
no diacritics (ă â î ș ț and the cedilla forms ş ţ folded to a i s t), one space between
tokens, punctuation kept as separate tokens (`.` `,` `!` `?` `;` `:`), so `\\w` never crosses
a punctuation mark. Named competitors of the tenant appear as the token `__comp__`.

Placeholders (`FRAGMENTS`) expanded when the rules are compiled:
  `<RIVAL>` a competitor: a named one (`__comp__`) or "alt furnizor", "concurența", "alții"…
  `<YOU>`   the supplier addressed: "voi", "dumneavoastră"
  `<PROD>`  a product noun (seed, fertiliser, crop protection, "marfa", "lotul"…)
  `<GOODS>` what gets delivered; `<DELIVERED>` "ajuns", "venit", "livrat"…
  `<HIGH>` / `<FAIR>` what a price is said to be ("mare", "piperat" / "bun", "corect")
Gaps between words are written `(?:\\w+ ){0,N}?`: at most N words, never across punctuation.
A named group `h` (or `h2`) marks the head word: negation and intensifiers are looked for
before it (default: the first word of the match).

Valences are in "lexicon units": about ±0.5 for an ordinary opinion word, ±1 for the strongest.
"""

from __future__ import annotations

from dataclasses import dataclass

from dagster_cerniq.defs.sentiment.schema import ChurnIndicator, Topic

# --- Emotions (names stored in gold_sentiment_analysis.emotions) ---------------------------

ANGER = "anger"
FRUSTRATION = "frustration"
DISAPPOINTMENT = "disappointment"
WORRY = "worry"
SATISFACTION = "satisfaction"
GRATITUDE = "gratitude"

# --- Modifiers ---------------------------------------------------------------------------

# Words that negate the next few words ("n" comes from "n-a", "n-am").
NEGATORS: frozenset[str] = frozenset(
    {
        "nu",
        "n",
        "nici",
        "nicio",
        "niciun",
        "niciuna",
        "niciodata",
        "fara",
        "nimic",
        "zero",
        "lipsa",
        "nicidecum",
    }
)
# "niciodată" / "nicicând" with "așa" / "atât de" before the opinion: a superlative, not a
# negation ("n-am avut niciodată recoltă așa bună").
NEVER: frozenset[str] = frozenset({"niciodata", "nicicand"})
SO: frozenset[str] = frozenset({"asa", "atat", "atata", "atare"})
# "rău" as colloquial "very" multiplies the opinion beside it.
COLLOQUIAL_BOOST = 1.4
# Two or more question marks in a row: impatience, a little negative.
IMPATIENCE = 0.3
# Intents: a complaint needs negative rules worth at least this; praise a positive rule
# worth at least PRAISE_FLOOR.
COMPLAINT_FLOOR = 0.3
PRAISE_FLOOR = 0.3
# "deloc" strengthens a negation ("nu e deloc scump") and negates on its own ("deloc bun").
DELOC = "deloc"
# How many tokens before the head a negator or intensifier may stand.
NEGATION_WINDOW = 4
# A negated opinion is weaker than its opposite ("nu e rău" < "e bun"): VADER's 0.74.
NEGATION_FLIP = 0.75
# "nu prea" = "not really": a softer negation.
SOFT_NEGATION_FLIP = 0.6

# "Nu cred că ...", "n-aș zice că ...": the negation reaches the whole clause after "că".
NEGATION_RAISING_PATTERN = (
    r"(?:nu|n) (?:as |am |o sa |pot sa |prea )?(?:zice|spune|crede|cred|zic|spun|consider"
    r"|considera|afirma|pretinde) ca"
)

# Tokens that end the reach of a negation or of an intensifier (clause boundaries).
# Unpunctuated clauses end at a conjunction or a relative word ("nu a venit care era promis").
CLAUSE_BREAKS: frozenset[str] = frozenset(
    {".", ",", "!", "?", ";", ":", "(", ")", "dar", "insa", "ci", "si", "sau", "iar", "desi",
     "totusi", "care", "daca", "deoarece", "fiindca", "incat", "deci"}
)  # fmt: skip
# Two-word conjunctions that end a clause the same way; both words are the boundary.
CLAUSE_BREAK_PAIRS: frozenset[tuple[str, str]] = frozenset({("pentru", "ca")})

# Intensifiers (multiply the head's valence). Two-word ones are matched as bigrams.
INTENSIFIERS: dict[str, float] = {
    "foarte": 1.3,
    "f": 1.3,
    "prea": 1.3,
    "super": 1.3,
    "tare": 1.2,
    "chiar": 1.15,
    "total": 1.4,
    "complet": 1.4,
    "absolut": 1.4,
    "extrem": 1.5,
    "teribil": 1.4,
    "groaznic": 1.4,
    "incredibil": 1.4,
    "atat": 1.3,
    "asa": 1.2,
    "mult": 1.2,
    "enorm": 1.4,
    "ft": 1.3,
    "deosebit": 1.3,
    "extraordinar": 1.4,
    "cam": 0.8,
    "putin": 0.6,
    "pic": 0.6,
    "oarecum": 0.7,
    "relativ": 0.8,
    "aproape": 0.8,
    "destul": 0.85,
    "usor": 0.7,
    "mica": 0.5,
    "mic": 0.5,
    "mici": 0.5,
    "micuta": 0.4,
    "minor": 0.5,
    "minora": 0.5,
}
# "cel mai", "cea mai", ... before the head.
SUPERLATIVE_ARTICLES: frozenset[str] = frozenset({"cel", "cea", "cei", "cele"})
SUPERLATIVE = 1.4

# Words joining two clauses where the second carries the message ("bun, dar scump").
CONTRAST_WORDS: frozenset[str] = frozenset({"dar", "insa", "totusi", "numai", "doar"})
# "numai" and "doar" contrast only when followed by "ca" ("doar că").
CONTRAST_NEEDS_CA: frozenset[str] = frozenset({"numai", "doar"})
BEFORE_CONTRAST = 0.5
AFTER_CONTRAST = 1.5

# Repetition makes a complaint stronger and frustrated ("iar", "a treia oară", "din nou").
REPETITION_PATTERN = (
    r"(?:din nou|iarasi|inca o data|a (?:doua|treia|patra|cincea|cata|n|\d+) oara"
    r"|nu (?:e|este|mai e) prima (?:data|oara)|de fiecare data|de atatea ori|mereu"
    r"|tot timpul|in mod repetat|repetat\w*|iar(?= [,.!?;]|$)"
    r"|iar(?= (?:au|a|ati|am|nu|n|s|e|este|v|ne|mi"
    r"|intarzi\w*|scump\w*|ne a|mi a)\b))"
)
REPETITION_BOOST = 1.25

# Sarcasm markers: the positive words of the sentence are read ironically when the message
# also complains ("Bravo, iar ați întârziat. Foarte profesionist, ce să zic.").
SARCASM_MARKER_PATTERN = r"(?:ce sa (?:mai )?(?:zic|spun|zicem)|ce sa mai vorbim|zi si tu)"

# Greetings, wishes and sign-offs carry no opinion ("Bună ziua", "O zi bună!").
GREETING_PATTERN = (
    r"(?:^buna(?= [,.!])|buna (?:ziua|dimineata|seara|ziuan)|o zi (?:buna|frumoasa|excelenta)"
    r"|zi buna|seara buna|o seara (?:buna|frumoasa)|sa traiti|cu (?:stima|respect|drag)"
    r"|salut\w*|spor la treaba|numai bine|toate cele bune|la multi ani"
    r"|sarbatori fericite|o saptamana (?:buna|frumoasa)|weekend (?:placut|frumos)"
    r"|o duminica (?:buna|frumoasa)|sanatate multa|toate bune|fara suparare|cu tot respectul"
    r"|nu va suparati|nu vreau sa (?:va )?deranjez)"
)

# Common abbreviations and chat spellings, after folding.
ABBREVIATIONS: dict[str, str] = {
    "pt": "pentru",
    "ptr": "pentru",
    "dvs": "dumneavoastra",
    "dv": "dumneavoastra",
    "dumneavoastre": "dumneavoastra",
    "ms": "mersi",
    "mss": "mersi",
    "msi": "mersi",
    "mrs": "mersi",
    "merci": "mersi",
    "multam": "multumesc",
    "mltm": "multumesc",
    "mersic": "mersi",
    "thx": "mersi",
    "thanks": "mersi",
    "n": "nu",
    "nus": "nu",
    "k": "ok",
    "oki": "ok",
    "okay": "ok",
    "okey": "ok",
    "oke": "ok",
    "okk": "ok",
    "bn": "bine",
    "fff": "foarte",
    "ff": "foarte",
    "tb": "trebuie",
    "tre": "trebuie",
    "sa-mi": "sa",
}
# Acronyms written in capitals that are not shouting.
ACRONYMS: frozenset[str] = frozenset(
    {"NPK", "APIA", "ANPC", "SRL", "SA", "PFA", "II", "IF", "DAP", "UE", "OK", "TVA", "CUI",
     "RO", "SMS", "CEC", "OP", "HA", "KG", "AFIR", "ANAF", "PDF", "WC", "IBAN"}
)  # fmt: skip

# Emoji in a message that also has words (an emoji-only message stays NEUTRAL).
POSITIVE_EMOJI = "👍👌🙂😊😀😃😄😁🤗❤💚💪🥰😍⭐✅🙏"
NEGATIVE_EMOJI = "👎😡😠🤬😞😢😭😤🙁☹😒😩😫💩❌"
POSITIVE_EMOTICONS = (":)", ":-)", ":D", ":-D", ";)", "=)")
NEGATIVE_EMOTICONS = (":(", ":-(", ":((", ">:(", ":'(")
EMOJI_VALENCE = 0.3

# --- Products (mentioned_products, canonical names) -----------------------------------

PRODUCTS: tuple[tuple[str, str], ...] = (
    ("porumb", r"porumb\w*"),
    ("floarea-soarelui", r"flo\w* soarelui"),
    ("grâu", r"grau\w*|grane\w*"),
    ("rapiță", r"rapit\w*"),
    ("orz", r"orz|orzul\w*|orzoaic\w*"),
    ("soia", r"soia|soiei"),
    ("NPK", r"npk\w*|complex\w* \d+ \d+ \d+"),
    ("azotat de amoniu", r"azotat\w*"),
    ("uree", r"uree\w*|ureea\w*"),
    ("fosfat diamoniu", r"fosfat\w*|dap"),
    ("îngrășământ foliar", r"foliar\w*"),
    ("erbicid", r"erbicid\w*"),
    ("fungicid", r"fungicid\w*"),
    ("insecticid", r"insecticid\w*"),
    ("amendament calcaros", r"amendament\w*"),
    ("sămânță", r"saman\w*|seminte\w*|samint\w*|hibrid\w*"),
    ("îngrășământ", r"ingrasam\w*|fertilizant\w*"),
)
# A product-ish noun: a complaint about it with no other reason is a quality complaint.
PRODUCT_NOUN = (
    r"(?:porumb\w*|flo\w* soarelui|grau\w*|rapit\w*|orz\w*|soia|npk|azotat\w*|uree\w*"
    r"|fosfat\w*|foliar\w*|erbicid\w*|fungicid\w*|insecticid\w*|pesticid\w*"
    r"|amendament\w*|saman\w*|seminte\w*|hibrid\w*|soi\w*|ingrasam\w*|fertilizant\w*"
    r"|produs\w*|marf\w*|lot\w*|sac\w*|ambalaj\w*|calitat\w*|tratament\w*|cultur\w*"
    r"|semanatoar\w*|tractor\w*|pomp\w*|pulverizator\w*|atomizor\w*|dozator\w*|distribuitor\w*"
    r"|ulei\w*|motorin\w*|filtr\w*|granul\w*|bidon\w*|boab\w*)"
)

RIVAL = (
    r"(?:(?:(?:cei |cele |aia |astia )?(?:de )?la )?(?:__comp__|alt\w* furnizor\w*"
    r"|ceilalti furnizori|alta firma|alte firme|concurent\w*|altii|alta parte|altcineva)"
    r"|(?:din|in) alta parte|altundeva|pe altcineva|alt\w* partener\w*)"
)
YOU = r"(?:voi|dumneavoastra|domniile voastre)"


@dataclass(frozen=True, slots=True)
class Cue:
    """One phrase rule."""

    pattern: str
    valence: float = 0.0
    topics: tuple[Topic, ...] = ()
    churn: tuple[ChurnIndicator, ...] = ()
    emotion: str | None = None
    # Carries its own negation ("nu a ajuns"): never flipped by a negator before it.
    fixed: bool = False
    # Topic-only rules: they neither block nor are blocked by overlapping phrase rules.
    overlay: bool = False
    # A sentence-opening interjection that turns ironic in a complaint ("Bravo, ...").
    interjection: bool = False
    # Thanks: "pentru ..." or a message of thanks only is gratitude, else a polite formula.
    thanks: bool = False
    # Counts only in a message that names a competitor ("Ne gândim serios.").
    needs_competitor: bool = False
    # A word that is also an intensifier ("super"): no opinion of its own before another one.
    intensifier_word: bool = False
    # Topic-only rules whose topic stands under a negation ("nu sunt mulțumit de comunicare"
    # is still about customer service); an order request under a negation is none.
    keep_when_negated: bool = False
    # "rău" next to an opinion word is colloquial "very" ("scump rău", "rău de bun"): it then
    # strengthens that word instead of counting on its own.
    colloquial_intensifier: bool = False
    # Asks for a better price (intent PRICE_NEGOTIATION).
    negotiation: bool = False


def _cue(
    pattern: str,
    valence: float = 0.0,
    topics: str = "",
    churn: str = "",
    emotion: str | None = None,
    **flags: bool,
) -> Cue:
    return Cue(
        pattern,
        valence,
        tuple(Topic(code) for code in topics.split()),
        tuple(ChurnIndicator(code) for code in churn.split()),
        emotion,
        **flags,
    )


PRICE = "PRICE_HIGH"
QUALITY = "QUALITY_ISSUE"
DELIVERY = "DELIVERY_DELAY"
PAYMENT = "PAYMENT_TERMS"
AVAILABILITY = "PRODUCT_AVAILABILITY"
SERVICE = "CUSTOMER_SERVICE"
OFFER = "COMPETITOR_OFFER"
ORDER = "ORDER_REQUEST"
ADVICE = "TECHNICAL_ADVICE"

SWITCH = "SWITCHING_SUPPLIER"
REDUCED = "REDUCED_ORDERS"
ENDING = "CONTRACT_ENDING"
ESCALATION = "ESCALATION_THREAT"

# Bad-price adjectives after "preț".
_HIGH = (
    r"(?:mare|mari|marisor\w*|ridicat\w*|exagerat\w*|piperat\w*|umflat\w*|enorm\w*|usturator"
    r"|astronomic\w*|razna|pe cer|aberant\w*|absurd\w*|de farmacie|de lux|de speculant\w*"
    r"|inacceptabil\w*|nejustificat\w*|excesiv\w*|scump\w*|prohibitiv\w*)"
)
_FAIR = (
    r"(?:bun|buna|bune|buni|corect\w*|ok|accesibil\w*|rezonabil\w*|decent\w*|avantajos\w*|mic|mici)"
)
_DELIVERED = r"(?:ajuns|venit|sosit|livrat\w*|adus|trimis|incarcat|plecat)"
_GOODS = (
    r"(?:livrar\w*|marf\w*|comand\w*|transport\w*|sac\w*|ingrasam\w*|saman\w*|seminte\w*"
    r"|uree\w*|azotat\w*|npk|produs\w*|coletul|paletii|camion\w*|soferul|masina)"
)

# Shared pieces of the patterns below, written there as `<NAME>`.
FRAGMENTS: dict[str, str] = {
    "<RIVAL>": RIVAL,
    "<YOU>": YOU,
    "<PROD>": PRODUCT_NOUN,
    "<GOODS>": _GOODS,
    "<DELIVERED>": _DELIVERED,
    "<HIGH>": _HIGH,
    "<FAIR>": _FAIR,
}

# fmt: off
CUES: tuple[Cue, ...] = (
    # ---------------------------------------------------------------- gratitude / praise
    _cue(r"(?:va |iti |le |ne )?(?P<h>multumesc|multumim|multumiri|mersi)(?: mult| frumos"
         r"| din suflet| tare| enorm| inca o data)?", 0.6, emotion=GRATITUDE, thanks=True),
    _cue(r"(?:va |iti )?multumesc anticipat|multumim anticipat", 0.05),
    _cue(r"recunoscat\w*", 0.6, emotion=GRATITUDE),
    _cue(r"apreci\w*", 0.5, emotion=GRATITUDE),
    _cue(r"(?P<h>multumit|multumita|multumiti|multumite)", 0.6, emotion=SATISFACTION),
    _cue(r"satisfacut\w*|satisfactie", 0.6, emotion=SATISFACTION),
    _cue(r"excelent\w*", 0.9, emotion=SATISFACTION, interjection=True),
    _cue(r"perfect\w*", 0.8, emotion=SATISFACTION, interjection=True),
    _cue(r"minunat\w*|fantastic\w*|senzational\w*|nemaipomenit\w*|formidabil\w*",
         0.8, emotion=SATISFACTION, interjection=True),
    _cue(r"extraordinar\w*(?! de)|grozav\w*(?! de)", 0.8, emotion=SATISFACTION, interjection=True),
    _cue(r"impecabil\w*|ireprosabil\w*|nota 10|de nota zece", 0.9, emotion=SATISFACTION),
    _cue(r"super", 0.6, emotion=SATISFACTION, interjection=True, intensifier_word=True),
    _cue(r"superb\w*|beton|top|fain\w*|misto|bomba|meserie|fara cusur|ca unsa|ca pe roate"
         r"|ca la carte|merge struna|nimic de zis", 0.7, emotion=SATISFACTION, interjection=True),
    _cue(r"(?:ne |m )?(?:ati |a |au )?salvat\w*|de aur|de nadejde|de treaba|(?:oameni|om|sunteti"
         r"|este|e|firma|partener\w*) de cuvant|minune\w*|minuni|tot respectul"
         r"|tineti o tot asa|tine o tot asa|asa da|(?:ma|ne) bucur\w*|reusit\w*"
         r"|curat\w*", 0.6, emotion=SATISFACTION),
    _cue(r"linistit\w*|liniste|fara griji", 0.3, emotion=SATISFACTION),
    _cue(r"impresiona\w*|(?<!nu )(?<!nu mai )(?:o sa |vom |sigur |clar )?(?:mai )?(?:lucram"
         r"|colaboram) (?:\w+ )?(?:impreuna"
         r"|cu voi)(?! \?)", 0.55, emotion=SATISFACTION),
    _cue(r"(?:a |au )?(?:oprit|stopat|curatat|omorat) (?:\w+ ){0,2}?(?:boala|boli\w*|rugin\w*"
         r"|atac\w*"
         r"|infestar\w*|daunator\w*|gandac\w*|buruien\w*|tot\w*)", 0.55, emotion=SATISFACTION),
    # "nu mai comandăm până la toamnă": a pause, not leaving
    _cue(r"nu (?:mai )?(?:comand|luam|cumpar|iau)\w* (?:\w+ )?pana (?:la|in|dupa)", fixed=True),
    _cue(r"(?:^|(?<=[.!] ))respect(?= [.!]|$)|chapeau|de apreciat|(?:a|ati) fost de folos|ca peria"
         r"|(?:merge|a mers|a iesit|au iesit) (?:\w+ )?(?:bine|frumos|excelent|super)"
         r"|(?:mai devreme|inainte de termen|inaintea termenului)", 0.5, emotion=SATISFACTION),
    _cue(r"bravo|felicitari|jos palaria", 0.6, emotion=SATISFACTION, interjection=True),
    _cue(r"bun|buna|buni|bune|bunul|bunele|bunii|bunatate", 0.5, emotion=SATISFACTION),
    _cue(r"bine|binisor", 0.4, emotion=SATISFACTION),
    # "pe bune?" is "really?", not praise
    _cue(r"pe bune", fixed=True),
    # "înainte erați serioși": praise of the past is a complaint about now
    _cue(r"inainte (?:\w+ )?(?:erati|era|erau|ati fost|a fost|mergea|lucrati) (?:\w+ )?(?:mai )?"
         r"(?:serios\w*|bun\w*|punctual\w*|corect\w*|altfel|ok|prompt\w*|rapid\w*)",
         -0.6, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"mai bine(?= (?!ca\b|decat\b|organizat\w*)[a-z])", fixed=True),
    _cue(r"ok|okei|acceptabil\w*", 0.08),
    _cue(r"in regula|in ordine|fara probleme|fara nicio problema", 0.45, emotion=SATISFACTION),
    _cue(r"nici (?:cea mai mica|o|un|vreo|macar o) problem\w*|nicio problem\w*"
         r"|niciun fel de problem\w*",
         0.5, emotion=SATISFACTION, fixed=True),
    _cue(r"(?<!gandesc )(?<!gandim )(?<!vorbesc )(?P<h>serio\w*)(?! sa| \?| acum)",
         0.6, emotion=SATISFACTION),
    _cue(r"de incredere|corect|corecta|corecte|corecti|cinstit\w*|onest\w*",
         0.4, emotion=SATISFACTION),
    _cue(r"(?:va |il |o |v )?(?P<h>recomand)(?: \w+)?(?: oricui| tuturor| cu drag| cu incredere"
         r"| si altora| mai departe)?", 0.6, emotion=SATISFACTION),
    _cue(r"rapid\w*|prompt\w*|repede|operativ\w*|eficient\w*|punctual\w*|instantaneu"
         r"|(?:venit|ajuns|sosit|livrat\w*) instant",
         0.4, emotion=SATISFACTION),
    _cue(r"(?:a |au )?(?:venit|ajuns|sosit|livrat\w*) (?:\w+ ){0,2}?la timp|la timp|la tanc",
         0.45, emotion=SATISFACTION),
    _cue(r"profesionis\w*|profesional\w*|amabil\w*|politicos\w*|atent|atenta|atenti|atente"
         r"|serviabil\w*", 0.6, emotion=SATISFACTION),
    _cue(r"(?:fost|sunteti|este|e|a fost|ati fost) (?:\w+ )?de (?:mare |real |un real )?ajutor"
         r"|ne a ajutat|m a ajutat|ne ati ajutat|ajutat", 0.45, emotion=GRATITUDE),
    _cue(r"rezolvat\w*", 0.3, emotion=SATISFACTION),
    _cue(r"de calitate(?! (?:\w+ )?(?:inferioar\w*|slab\w*|proast\w*|indoielnic\w*|scazut\w*"
         r"|mediocr\w*|sub))|calitate (?:buna|superioara|excelenta|foarte buna)",
         0.6, emotion=SATISFACTION),
    _cue(r"peste (?:orice |toate )?asteptari\w*|peste ce (?:speram|ne asteptam|asteptam)"
         r"|mai (?:bine|mult) decat (?:ne )?(?:asteptam|speram)", 0.8, emotion=SATISFACTION),
    _cue(r"folositor\w*|folositoar\w*|util|utila|utile|utili|practic(?:a|e|i)|(?:e|este|foarte"
         r"|destul de|super|mai) practic", 0.45, emotion=SATISFACTION),
    _cue(r"(?:s a |isi a )?dovedit (?:\w+ )?(?:eficient\w*|bun\w*|util\w*)"
         r"|(?:isi a )?facut (?:\w+ )?treaba|a mers (?:brici|struna|perfect|foarte bine)",
         0.6, emotion=SATISFACTION),
    _cue(r"(?:placut|frumos) surprins\w*|surprins\w* placut", 0.7, emotion=SATISFACTION),
    _cue(r"placut\w*|placere|incantat\w*|fericit\w*|bucuros|bucuroasa|bucurosi",
         0.6, emotion=SATISFACTION),
    _cue(r"frumos|frumoasa|frumoase|frumosi|arata bine|arata foarte bine",
         0.4, emotion=SATISFACTION),
    _cue(r"(?:a |au )?(?:rasarit|iesit|crescut) (?:\w+ )?uniform\w*|uniform\w*",
         0.4, emotion=SATISFACTION),
    _cue(r"intact\w*|in stare perfecta", 0.4, emotion=SATISFACTION),
    _cue(r"(?:productie|recolta|randament)\w* (?:\w+ ){0,2}?(?:record|mare|foarte mare)",
         0.5, emotion=SATISFACTION),
    _cue(r"merit\w* (?:\w+ ){0,2}?(?:banii|pretul|efortul|fiecare (?:leu|ban))|merita|meritat",
         0.4, emotion=SATISFACTION),
    _cue(r"nu (?:isi |si )?(?:mai )?(?:merita|justifica|valoreaza|face) (?:\w+ ){0,2}?"
         r"(?:banii|pretul|costul)", -0.6, PRICE, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"raman\w* (?:\w+ )?(?:cu|la) <YOU>|ramanem clienti\w*|clienti fideli",
         0.6, emotion=SATISFACTION),
    _cue(r"exact ce (?:ne |imi "
         r"|mi )?(?:mai )?trebuia", 0.4, emotion=SATISFACTION, interjection=True),
    _cue(r"la inaltime|(?:ne|m|ma) a convins|(?:ne|m|ma) ati convins|stie ce face|stiti ce faceti"
         r"|rezultat\w* (?:\w+ )?(?:vizibil\w*|bun\w*|foarte bun\w*|excelent\w*|peste\w*)"
         r"|rezolvat\w* (?:\w+ ){0,2}?(?:problem\w*|situati\w*|reclamati\w*)|compenseaza"
         r"|avantajos\w*", 0.5, emotion=SATISFACTION),
    _cue(r"ieftin\w*", 0.3, emotion=SATISFACTION),
    # ---------------------------------------------------------------- general negative
    _cue(r"nemultumi\w*", -0.7, emotion=DISAPPOINTMENT),
    _cue(r"dezamag\w*", -0.8, emotion=DISAPPOINTMENT),
    _cue(r"suparat\w*|nervos\w*|nervi|enervat\w*|enervant\w*", -0.7, emotion=ANGER),
    _cue(r"furios\w*|furioasa|revoltat\w*|indignat\w*|scandalos\w*|scandal", -0.9, emotion=ANGER),
    _cue(r"(?:m am|ne am) saturat|saturat\w*|satul", -0.8, emotion=FRUSTRATION),
    _cue(r"nu (?:mai )?(?:suport|suportam|rezist|rezistam|tolera\w*)",
         -0.9, emotion=FRUSTRATION, fixed=True),
    _cue(r"nu (?:mai )?(?:putem|pot|se poate) (?:\w+ )?(?:continua|lucra|merge) (?:\w+ )?asa"
         r"|nu se (?:mai )?poate(?: (?:lucra|colabora|continua) (?:\w+ )?(?:cu voi"
         r"|asa))?(?= [,.!?]|$)"
         r"|nu se mai poate lucra",
         -0.8, emotion=FRUSTRATION, fixed=True),
    _cue(r"problem\w*", -0.5, emotion=WORRY),
    _cue(r"reclamati\w*|reclam(?:am|ati|at|ata|ez)", -0.6, emotion=DISAPPOINTMENT),
    _cue(r"(?:ma |ne )?(?P<h>plang|plangem)|plangeri\w*", -0.5, emotion=DISAPPOINTMENT),
    _cue(r"inacceptabil\w*|inadmisibil\w*|intolerabil\w*|revoltator\w*", -0.9, emotion=ANGER),
    _cue(r"bataie de joc|(?:va |isi )?bateti joc|ati batut joc|batjocur\w*", -1.0, emotion=ANGER),
    _cue(r"rusin\w*|penibil\w*|jenant\w*|lamentabil\w*|jalnic\w*|deplorabil\w*",
         -0.85, emotion=ANGER),
    _cue(r"groaznic\w*(?! de)|oribil\w*|dezastr\w*|catastrof\w*|teribil\w*(?! de)|horror",
         -0.9, emotion=ANGER),
    _cue(r"prost\w*|proast\w*|mizer\w*|nasol\w*|praf", -0.7, emotion=DISAPPOINTMENT),
    _cue(r"slab|slaba|slabe|slabi|slabut\w*|mediocr\w*", -0.6, emotion=DISAPPOINTMENT),
    _cue(r"rau|rea|rele|rai", -0.6, emotion=DISAPPOINTMENT, colloquial_intensifier=True),
    _cue(r"^tare(?= [,.!])|tare (?:de tot|ca)|(?<=^)tare", 0.6, emotion=SATISFACTION),
    _cue(r"teapa|tepuit\w*|tepar\w*|furat\w*|ne furati|hot|hoti|hotie|hotia|hotii|escroc\w*"
         r"|inselat\w*|inselatorie|jaf|jefui\w*|jecmani\w*|jupui\w*|speculant\w*|criminal\w*",
         -0.9, emotion=ANGER),
    _cue(r"minciun\w*|mintit\w*|mintiti|pacal\w*|promisiuni (?:\w+ )?(?:goale|desarte)",
         -0.8, emotion=ANGER),
    _cue(r"nesimt\w*|obraznic\w*|nepolitico\w*|arogan\w*|impertinent\w*",
         -0.9, SERVICE, emotion=ANGER),
    _cue(r"degeaba|in zadar", -0.6, emotion=FRUSTRATION),
    _cue(r"aberant\w*|absurd\w*|ridicol\w*", -0.6, emotion=ANGER),
    _cue(r"nu (?:ne |mi |imi )?(?:mai )?(?:convine|place|plac|multumeste)",
         -0.6, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"jale|haos|batai? de cap|vai de (?:\w+ )?(?:capul|mama)|halal|anormal|nu e normal"
         r"|nu se face asa|nu asa se|de neinteles|regret\w*|pacat|repros\w*|dezordine",
         -0.6, emotion=FRUSTRATION),
    _cue(r"lasat\w* (?:\w+ )?(?:balta|in aer|de izbeliste|in offside)|nu (?:v|va"
         r"|ne) (?:ati )?(?:tinut|tineti|tinem) de cuvant|nu (?:ati )?(?:respectat"
         r"|respectati) (?:\w+ )?(?:termen\w*|promisiun\w*|intelegere\w*|contract\w*)"
         r"|promisiuni\w*", -0.7, emotion=ANGER, fixed=True),
    _cue(r"tine\w* (?:va |te )?de cuvant|respectati\w* (?:\w+ )?(?:termen\w*|promisiun\w*)",
         -0.5, emotion=FRUSTRATION),
    _cue(r"(?:ne |ma )?(?P<h>tratati|tratat\w*) (?:\w+ )?(?:asa|in halul asta|ca pe|ca pe niste)"
         r"|asa (?:se trateaza|tratati)", -0.7, emotion=ANGER),
    _cue(r"multumesc (?:frumos |mult )?(?:pentru|de) nimic|mersi (?:de|pentru) nimic",
         -0.8, emotion=ANGER, fixed=True),
    _cue(r"pana cand (?:mai )?(?:asteptam|astept|trebuie|sa)\w*"
         r"|cat (?:mai )?(?:trebuie sa )?(?:asteptam|astept)", -0.5, emotion=FRUSTRATION),
    _cue(r"nepasar\w*|nepasator\w*|indiferenta|neserio\w*|lipsa de seriozitate"
         r"|indiferent\w*(?! de| ce| cand| cum| unde| daca| cine| cat| care)",
         -0.7, SERVICE, emotion=ANGER),
    _cue(r"gresit\w*|greseal\w*|eroare|erori|incurcatur\w*|incurcat\w*", -0.4, emotion=FRUSTRATION),
    _cue(r"nu se (?:mai )?justific\w*|nu (?:mai )?are sens|nu (?:mai )?merita",
         -0.5, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"nu (?:mai )?(?:am|avem|pot avea|putem avea) (?:\w+ )?incredere",
         -0.7, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"lasa (?:\w+ )?de dorit", -0.6, emotion=DISAPPOINTMENT),
    _cue(r"sub (?:orice )?(?:asteptari|critica)|sub nivel\w*", -0.7, emotion=DISAPPOINTMENT),
    _cue(r"pierd\w*", -0.5, emotion=WORRY),
    _cue(r"ingrijor\w*|(?:ma|ne) tem\w*|teama|frica|speriat\w*", -0.5, emotion=WORRY),
    _cue(r"urgent\w*", -0.15, emotion=WORRY),
    # "biroul mai puțin": a clause ending in "mai puțin" is the weaker side of a comparison
    _cue(r"(?<=[a-z] )mai putin(?= [,.!;]|$)", -0.5, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"doar (?:\w+ )?pe jumatate|numai pe jumatate|(?:fara|lipsa) (?:\w+ )?(?:jumatate"
         r"|o parte|restul)"
         r" din|degeaba (?:\w+ ){0,4}?(?:bun\w*|buna|de calitate|ieftin\w*|rapid\w*)"
         r"|nu (?:inteleg|intelegem) de ce|(?:depozitat\w*|tinut\w*|lasat\w*) (?:\w+ )?(?:in"
         r"|la) ploaie",
         -0.55, emotion=FRUSTRATION, fixed=True),
    _cue(r"(?:,|\.) dupa (?:o|\d+|doua|trei|patru) (?:zile|saptamani|saptamana|luni|luna)",
         -0.4, emotion=FRUSTRATION),
    # "bine că măcar ...": grudging, not praise
    _cue(r"bine (?:ca|macar) macar|bine ca (?:\w+ )?macar", fixed=True),
    # "Serios? Iar?": "again?!" on its own
    _cue(r"(?:^|(?<=[.!?] ))iar(?= [?!])", -0.4, emotion=FRUSTRATION),
    _cue(r"greu sa (?:\w+ ){0,2}?(?:recomand|mai lucr|mai comand|mai am incredere)\w*"
         r"|aceeasi poveste"
         r"|acelasi lucru ca|aceeasi problema|aceleasi probleme", -0.6, emotion=FRUSTRATION,
         fixed=True),
    _cue(r"nu (?:ma|ne) (?:asteptam|asteptasem) (?:la )?(?:asa ceva|asta|una ca asta)|(?:mi"
         r"|ne) a ajuns"
         r"(?= [,.!]|$)|luati (?:\w+ )?masuri|de nesuportat|insuportabil\w*"
         r"|ce (?:mai )?e (?:si )?asta"
         r"|apa chioara|nu e prima (?:oara|data)|(?:trebuie|trebuia"
         r"|ar trebui) (?:\w+ )?imbunatatit\w*"
         r"|alt\w* (?:\w+ ){0,3}?decat (?:cel |cea |cele )?(?:din |de pe )?(?:contract|oferta"
         r"|comanda"
         r"|stabilit\w*|convenit\w*|promis\w*|factura)|problem\w* (?:serioas\w*|grav\w*|mari|mare)"
         r"|(?:platim|platiti|dam|costa) (?:\w+ )?mai mult (?:ca|decat)",
         -0.6, emotion=FRUSTRATION),
    _cue(r"(?:inca|tot|si acum) (?:mai )?astept\w* (?:\w+ ){0,2}?(?:nota de credit|banii"
         r"|factura|retur\w*"
         r"|restitui\w*|decontar\w*)", -0.5, emotion=FRUSTRATION),
    # Everyday complaint phrases of clients, general rather than about one product.
    _cue(r"nu (?:sunt|suntem) de acord|nu (?:accept|acceptam)|neplacut\w*|deranjant\w*|suparar\w*"
         r"|sesizar\w*|nu (?:mai )?(?:are|avea) rost|nici vorba de|(?:mereu|doar|numai"
         r"|tot) (?:cu )?scuze"
         r"|(?:am|ne am|m am) (?:ramas|trezit) (?:\w+ )?fara|(?:ne|m|ma) (?:ati |a "
         r"|au )?lasat (?:\w+ )?fara"
         r"|nu (?:mai )?vreau (?:sa )?(?:aud|stiu|mai)|am patit\w*|(?:ne|m) a costat|ne costa"
         r"|lipsa de (?:comunicare|interes|profesionalism|respect|organizare)|dezorganiz\w*",
         -0.5, emotion=FRUSTRATION),
    _cue(r"(?:ati |a |au |mi a |ne a |mi au |ne au |ni s a |mi s a )?(?P<h>refuzat|anulat"
         r"|blocat)\w*",
         -0.4, emotion=FRUSTRATION),
    _cue(r"lipses\w*|lipsea\w*|lipseau", -0.45, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"a durat (?:\w+ ){0,2}?(?:\d+|doua|trei|patru|cinci|o) (?:zile|saptamani|saptamana"
         r"|luni|luna)",
         -0.4, DELIVERY, emotion=FRUSTRATION),
    _cue(r"(?:bani\w* )?aruncat\w* (?:\w+ )?(?:banii|pe geam|degeaba)|bani\w* aruncati|bani pe vant"
         r"|pagub\w*|prejudici\w*|tras\w* pe sfoara|(?:ne|m|ma) (?:ati )?pacalit\w*|culmea"
         r"|nemaiauzit\w*|(?:mai|e|este) rau ca|tot nimic|si (?:tot )?nimic|nici (?:o|un) (?:veste"
         r"|raspuns|semn)|de mantuiala|in bataie de joc|ca vai de\w*",
         -0.6, emotion=FRUSTRATION),
    _cue(r"(?:mi|ne|v|ni|le) (?:a |ati |au )?promis\w*|(?:mi|ne) s a (?:promis|spus|zis) ca"
         r"|(?:a|ati|au) promis\w*", -0.35, emotion=FRUSTRATION),
    _cue(r"trebuia (?:sa )?(?:\w+ )?(?:vina|vine|ajunga|fie|soseasca|plece|livrati|livreze|aduceti"
         r"|aduca|sunati|sune|anuntati|trimiteti|trimita)", -0.5, DELIVERY, emotion=FRUSTRATION),
    _cue(r"(?:mai|e|este|a fost|au fost) (?:mult |cu mult )?(?:mai )?(?:slab\w*|prost\w*|proast\w*"
         r"|mic\w*) (?:ca|decat) (?:\w+ ){0,2}?(?:anul trecut|inainte|cel vechi|cea veche|vecin\w*"
         r"|data trecuta|ce am|ce ati|la altii)|nu (?:mai )?(?:e|este|sunt) (?:ce|cum) (?:era|erau"
         r"|a fost|ati promis|am comandat|scrie)|nu (?:mai )?seamana cu",
         -0.6, QUALITY, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"seceta|grindin\w*|inghet\w*|ne a dat peste cap|dat peste cap", -0.15, emotion=WORRY),
    _cue(r"nici (?:azi|astazi|acum|pana acum|pana azi|maine|macar)",
         -0.3, emotion=FRUSTRATION, fixed=True),
    # ---------------------------------------------------------------- price
    _cue(r"(?:mai |prea |foarte |extrem de |asa de |atat de |cam |destul de )?(?P<h>scump\w*)",
         -0.6, PRICE, emotion=FRUSTRATION),
    _cue(r"(?:pret\w*|cost\w*|tarif\w*|oferta|oferte) (?:\w+ ){0,4}?(?P<h><HIGH>)",
         -0.6, PRICE, emotion=FRUSTRATION),
    _cue(r"(?:pret\w*|cost\w*|tarif\w*) (?:\w+ ){0,3}?(?P<h><FAIR>)", 0.45, emotion=SATISFACTION),
    _cue(r"(?:pret\w*|cost\w*|tarif\w*|scumpir\w*) (?:\w+ ){0,2}?(?:au |a |s au "
         r"|s a )?(?P<h>crescut|urcat|explodat|dublat|majorat|marit|sarit)",
         -0.5, PRICE, emotion=FRUSTRATION),
    _cue(r"(?:a |au |ati |s a |s au )?(?P<h>crescut|urcat|majorat|marit"
         r"|dublat)\w* (?:\w+ )?pret\w*", -0.5, PRICE, emotion=FRUSTRATION),
    _cue(r"(?:cu|la) pret\w* (?:astea|acestea|aste|asta|acesta|voastre de acum|de acum)",
         -0.4, PRICE, emotion=FRUSTRATION),
    _cue(r"(?:costa|cereti|ceri|vindeti) (?:\w+ )?(?:prea mult|o avere|enorm|cat nu face)",
         -0.6, PRICE, emotion=FRUSTRATION),
    _cue(r"prea (?:mult|multi|multe)", -0.4, emotion=FRUSTRATION),
    _cue(r"(?:costa|costat|platim|platit|dam) (?:\w+ )?(?:cat (?:o|un|pe) \w+|o avere|o groaza"
         r"|cu pielea|ochii din cap|sange)|sare\w* in ochi|pretur\w* (?:\w+ )?de (?:farmacie|lux"
         r"|speculant\w*)", -0.7, PRICE, emotion=FRUSTRATION),
    _cue(r"nu (?:ne |mi )?(?:mai )?(?:permit\w*|putem permite|pot permite)",
         -0.5, PRICE, emotion=WORRY, fixed=True),
    _cue(r"(?:ne |imi |ne a |mi a )?(?:mananca|mancat) (?:\w+ )?(?:profit\w*|castig\w*|tot)"
         r"|peste puteri\w*|de specul\w*", -0.6, PRICE, emotion=FRUSTRATION),
    _cue(r"nu (?:mai )?(?:putem|pot) (?:sa )?plati (?:\w+ )?(?:asa|asemenea|aceste|astfel de|atat)"
         r"|scumpir\w*", -0.55, PRICE, emotion=FRUSTRATION, fixed=True),
    _cue(r"nu (?:mai )?ramane nimic|(?:nu )?(?:mai )?iesim in pierdere|in pierdere",
         -0.6, emotion=WORRY, fixed=True),
    _cue(r"(?:aveti|ai|aveai|exista|gasesc|gasim|se gaseste) (?:\w+ ){0,2}?(?:ceva "
         r"|o varianta )?mai ieftin\w*", -0.05, AVAILABILITY),
    _cue(r"mai ieftin\w*|mai avantajos\w*|mai convenabil\w*|pret mai bun|preturi mai bune"
         r"|oferta mai buna", -0.4, PRICE, emotion=FRUSTRATION),
    _cue(r"(?:sub|mai mic\w*|mai jos|mai redus\w*) (?:\w+ ){0,2}?(?:decat )?(?:a voastra|al vostru"
         r"|ale voastre|ai vostri|pretul vostru|pretul dumneavoastra|decat la <YOU>)",
         -0.5, PRICE, emotion=FRUSTRATION),
    _cue(r"(?:egala\w*|egalati|bate\w*|alinia\w*|potrivi\w*|ajusta\w*) (?:\w+ ){0,1}?(?:pret\w*"
         r"|oferta|oferte)", -0.1, PRICE),
    _cue(r"(?:reducere|discount|rabat|pret special|pret mai mic)", 0.0, overlay=True),
    _cue(r"(?:puteti|poti|ati putea|se poate|faceti|faceti ne|dati ne|vreau|vrem|ne trebuie"
         r"|astept|revizuiti|revizui|scadeti|scade|coborati|cobori|lasati|negocia\w*|egala\w*"
         r"|alinia\w*|potrivi\w*|ajusta\w*) (?:\w+ ){0,4}?(?:pret\w*(?: mai \w+)?|reducere"
         r"|discount|rabat"
         r"|mai jos|mai putin)|(?:mai )?(?:puteti|poti) (?:\w+ )?(?:cobori|scadea|lasa)"
         r"|(?:un |o )?(?:pret|oferta) mai (?:bun|buna|mic|mica)|ce (?:puteti face|oferiti)\b"
         r"|cum ramane|(?:va|v) aliniati|(?:puteti|poti) egala|egalati", -0.1, PRICE,
         negotiation=True),
    _cue(r"__comp__ (?:\w+ ){0,8}?(?:\d+ (?:\w+ )?(?:lei|ron|euro|la suta)|pret\w*|ieftin\w*"
         r"|reducere|discount|mai putin|mai jos|mai mult pe)"
         r"|(?:\d+|pret\w*) (?:\w+ ){0,6}?(?:la|decat la) __comp__",
         -0.3, PRICE, churn=SWITCH, emotion=FRUSTRATION, negotiation=True),
    # ---------------------------------------------------------------- quality
    _cue(r"germinati\w* (?:\w+ ){0,2}?(?P<h>slab\w*|proast\w*|mic\w*|redus\w*|scazut\w*"
         r"|foarte mic\w*|sub \w+|groaznic\w*|dezastruoas\w*)",
         -0.7, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"(?:rasar\w*|rasarit\w*|germinat\w*|iesit\w*|crescut) (?:\w+ ){0,2}?(?P<h>neuniform\w*"
         r"|slab\w*|rar|rara|prost|pe jumatate|cu goluri)", -0.6, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"neuniform\w*", -0.5, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"pete (?:\w+ )?(?:galben\w*|maro|negre|albe|ciudat\w*|pe frunze)|boala s a (?:extins"
         r"|raspandit)"
         r"|s a (?:extins|raspandit) (?:\w+ )?boala|cuscut\w*|costrei|lipit\w* (?:intre ele"
         r"|impreuna)"
         r"|(?:venit|ajuns|primit)\w* (?:\w+ )?(?:deschis\w*|desfacut\w*|umflat\w*|murdar\w*)"
         r"|nu se potriveste|nu (?:se )?potrivesc|(?:a |au )?uscat (?:\w+ ){0,3}?(?:<PROD>"
         r"|cultur\w*"
         r"|plant\w*|lan\w*)|\d+ (?:de )?(?:kg|tone|saci|litri|l) (?:\w+ )?(?:nu|in loc de) \d+",
         -0.55, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"plin\w* (?:\w+ )?(?:de|cu) (?:buruieni|praf|apa|impuritati|gargarite|pietre|pietris"
         r"|mucegai"
         r"|seminte de buruieni|bulgari|cocoloase|noroi|gandaci|insecte|paie|pamant)",
         -0.6, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"sub greutate|(?:greutate|cantitate)\w* (?:\w+ )?(?:mai mica|lipsa)|lips\w* (?:\d+"
         r"|doi|trei"
         r"|cativa|niste|un|o) (?:\w+ )?(?:saci|sac|bidoane|bidon|paleti|kg|litri|tone)"
         r"|(?:crapat|sistav|spart|stricat)\w*|impuritat\w*|amestecat\w* cu|alt miros"
         r"|miros\w* (?:urat"
         r"|ciudat|de)|(?:alta|alte) culoare|a facut priza|facut\w* priza|s a depus|spumat"
         r"|s a incins"
         r"|infundat\w*|(?:sta\w*|stau|ramas\w*) pe loc|(?:\d+|doar"
         r"|numai) (?:\w+ ){0,3}?in loc de (?:\d+)"
         r"|gol\w* pe dinauntru|(?:seminte|boabe|saci)\w* (?:\w+ )?goale",
         -0.5, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"goluri", -0.6, QUALITY, emotion=WORRY),
    _cue(r"nu (?:a |au )?(?:rasarit|germinat|prins|rasare|rasar)",
         -0.7, QUALITY, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"(?:<PROD>|a venit|au venit|a ajuns|au ajuns|livrat\w*"
         r"|primit\w*) (?:\w+ ){0,3}?(?P<h>umed\w*|ud|uda|ude|udi|umezit\w*|muiat\w*"
         r"|(?:plin\w* )?(?:de|cu) apa)", -0.6, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"(?:s a |s au )?intarit\w*|bulgar\w*|aglomerat\w*|pietrific\w*|facut (?:\w+ )?bulgari"
         r"|facut (?:\w+ )?piatra|cocolos\w*", -0.6, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"calitat\w* (?:\w+ ){0,3}?(?P<h>slab\w*|proast\w*|scazut\w*|indoielnic\w*|inferioar\w*"
         r"|mai slab\w*|sub asteptari|ca vai de ea|nu e cea promisa|nu este cea promisa"
         r"|nu e cea buna|lasa de dorit|mizer\w*)", -0.7, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"calitat\w* (?:\w+ ){0,2}?(?:a |au )?(?P<h>scazut|scade)",
         -0.6, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"calitate(?:a)? (?:\w+ )?nu (?:e|este|a fost) (?:\w+ ){0,2}?(?:promisa|cea promisa|buna"
         r"|ok|cum trebuie|la nivel\w*|ca inainte)",
         -0.7, QUALITY, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"defect\w*|stricat\w*|avariat\w*|deteriorat\w*|distrus\w*|zdrobit\w*",
         -0.6, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"rupt\w*|gaurit\w*|spart\w*|desfacut\w*|sfasiat\w*|curge|curgea|scurs",
         -0.5, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"mucegai\w*|mucegait\w*|mucegaita|alterat\w*|contaminat\w*|infestat\w*|impuritat\w*"
         r"|corpuri straine|gargarit\w*|gargarite", -0.8, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"expirat\w*|fals\w*|contrafacut\w*|neconform\w*|necorespunzat\w*",
         -0.6, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"(?:saman\w*|seminte\w*|lot\w*|produs\w*|marf\w*) (?:\w+ ){0,3}?(?P<h>veche|vechi"
         r"|din anii trecuti|de anul trecut|reambalat\w*)", -0.5, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"nu (?:a |au )?(?:avut|facut) (?:niciun |nici un |absolut niciun )?(?:efect|treaba"
         r"|nimic)|fara (?:niciun )?efect|(?:nu|n) (?:a |au )?(?:mai )?(?:functionat|mers|actionat"
         r"|lucrat|omorat|oprit)|nu (?:merge|functioneaza|actioneaza)",
         -0.7, QUALITY, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"nu (?:mai |prea |isi |si |il |o |le )*(?:merge|mergea|functioneaza|functiona|porneste"
         r"|pornea|tine|distribuie|germineaza|rasare|creste|actioneaza|lucreaza|prinde"
         r"|are (?:niciun |nici un )?efect|face (?:nimic|fata|treaba)"
         r"|(?:isi )?face (?:efectul|treaba)"
         r"|a (?:iesit|rasarit|prins|mers|functionat|crescut) (?:\w+ )?nimic)"
         r"|(?:n a|nu a|nu au) (?:mai )?(?:iesit|rasarit|crescut|prins) (?:\w+ )?nimic"
         r"|nu face nimic|(?:s a|s au|a|au) (?:defectat|stricat|blocat|infundat)\w*",
         -0.7, QUALITY, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"buruieni\w* (?:\w+ ){0,3}?(?:au )?(?:ramas|crescut|neatinse|ca inainte|la fel)",
         -0.5, QUALITY, emotion=DISAPPOINTMENT),
    _cue(r"(?:a |au )?(?P<h>ars)\w* (?:\w+ ){0,2}?(?:frunz\w*|cultur\w*|plant\w*|lan\w*|rasad\w*"
         r"|<PROD>)"
         r"|fitotoxic\w*|arsuri", -0.7, QUALITY, emotion=WORRY),
    _cue(r"compromis\w*|calamitat\w*", -0.7, QUALITY, emotion=WORRY),
    _cue(r"ingalben\w*|ofil\w*|pipernic\w*|oprit\w* din crestere|(?:au |a )?(?:murit|pierit)"
         r"|s au uscat|s a uscat|deformat\w*|patat\w*|necroz\w*", -0.6, QUALITY, emotion=WORRY),
    _cue(r"alt (?:hibrid|soi|produs|sortiment|tip) decat|alt\w* (?:hibrid|soi"
         r"|produs) (?:\w+ )?(?:decat|in loc)|nu (?:e|este) ce am comandat|nu corespunde|(?:trimis"
         r"|primit|livrat|adus|dat)\w* (?:\w+ ){0,5}?in loc de",
         -0.5, QUALITY, emotion=FRUSTRATION, fixed=True),
    _cue(r"(?:productie|productia|recolta|randament\w*) (?:\w+ ){0,2}?(?P<h>mica|slaba|scazut\w*"
         r"|redus\w*|la jumatate|dezastruoas\w*)", -0.5, QUALITY, emotion=WORRY),
    _cue(r"compensa(?!za)\w*|despagub\w*|retur\w*|inlocui\w*|schimba\w* (?:\w+ )?lot\w*", -0.2),
    # ---------------------------------------------------------------- delivery
    _cue(r"intarzi\w*|intarzieri", -0.6, DELIVERY, emotion=FRUSTRATION),
    _cue(r"(?:inca |tot |nici acum |nici azi )?nu (?:ne |mi |ni |le )?(?:a |au |ati |mai "
         r"|s a )?(?:\w+ )?(?:<DELIVERED>)\b", -0.6, DELIVERY, emotion=FRUSTRATION, fixed=True),
    _cue(r"(?:inca |tot )?nu (?:am |o sa |vom |ne )?(?:mai )?primi\w* (?:\w+ ){0,2}?<GOODS>",
         -0.6, DELIVERY, emotion=FRUSTRATION, fixed=True),
    _cue(r"(?:inca|tot|si acum|si azi|si astazi|degeaba) (?:mai )?(?:astept"
         r"|asteptam)\w* (?:\w+ ){0,2}?<GOODS>", -0.6, DELIVERY, emotion=FRUSTRATION),
    _cue(r"astept\w* (?:\w+ ){0,2}?<GOODS> (?:\w+ ){0,2}?(?:promis\w*|de \d+ \w+|de (?:o|doua"
         r"|trei) \w+)", -0.6, DELIVERY, emotion=FRUSTRATION),
    _cue(r"astept\w* (?:de|deja) (?:\d+|o|doua|trei|patru|cinci|zece) (?:zile|saptamani|luni|ore"
         r"|saptamana|luna)", -0.6, DELIVERY, emotion=FRUSTRATION),
    _cue(r"(?:am |ne am )?asteptat (?:\w+ ){0,3}?(?:degeaba|in zadar|ore in sir|toata ziua"
         r"|de dimineata)", -0.7, DELIVERY, emotion=FRUSTRATION),
    _cue(r"mai tarziu decat (?:\w+ ){0,2}?(?:promis\w*|stabilit\w*|convenit|spus)|peste termen"
         r"|dupa termen\w*|depasit\w* (?:\w+ )?termen\w*|cu (?:o|\d+|doua|trei) \w+ mai tarziu"
         r"|(?:am stat|stam|stau|alerg\w*) (?:\w+ ){0,3}?dupa <GOODS>|(?:tot |iar )?(?:amanat\w*"
         r"|amanati|amana) (?:\w+ ){0,2}?(?:livrar\w*|transport\w*|comand\w*)",
         -0.6, DELIVERY, emotion=FRUSTRATION),
    _cue(r"(?:a |au )?(?:venit|ajuns|sosit|livrat\w*|adus\w*) (?:\w+ ){0,2}?dupa (?:o|\d+|doua|trei"
         r"|patru|cinci|cateva|mai multe) (?:zile|zi|saptamani|saptamana|luni|luna|ore)"
         r"|(?:(?:am )?stat|stam|stau|asteptam|astept) (?:\w+ ){0,3}?dupa (?:voi|el|ea|ei|sofer\w*"
         r"|camion\w*|masina)|nu (?:o |il |le |ne |mi )?(?:mai )?(?:trimiteti|livrati|aduceti"
         r"|incarcati)|(?:inca|alta|alte) (?:o |\d+ |doua |trei )?(?:zi|zile|saptamana|saptamani"
         r"|luna|luni) de (?:asteptat|asteptare)|(?:cand|unde) (?:\w+ ){0,3}?odata",
         -0.6, DELIVERY, emotion=FRUSTRATION),
    _cue(r"(?:cand|unde|la ce ora) (?:\w+ ){0,2}?(?:vine|ajunge|soseste|pleaca|e|este|livrati"
         r"|aduceti) (?:\w+ ){0,2}?<GOODS>|<GOODS> (?:\w+ ){0,2}?a plecat|(?:ajunge|vine) (?:\w+ )?"
         r"(?:masina|camionul|soferul|marfa)|numarul (?:\w+ )?sofer\w*",
         0.0, DELIVERY, overlay=True, keep_when_negated=True),
    _cue(r"(?:\d+|cateva|doua|trei|patru|cinci) (?:ore|zile"
         r"|saptamani) (?:\w+ )?(?:dupa (?:program|ora"
         r"|termen\w*|data)|mai tarziu|intarziere)", -0.5, DELIVERY, emotion=FRUSTRATION),
    _cue(r"amanar\w*|(?:dureaza|a durat|dura) (?:atat|asa mult|o vesnicie|prea mult)"
         r"|nu (?:mai )?(?:vine|ajunge|soseste)(?! [a-z]+ \?)|trebuia (?:sa fie )?(?:livrat\w*"
         r"|adus\w*"
         r"|trimis\w*)", -0.5, DELIVERY, emotion=FRUSTRATION),
    _cue(r"(?:s a |s au )?intors\w* (?:\w+ ){0,2}?(?:cu marfa|inapoi|la depozit)", -0.5, DELIVERY,
         emotion=FRUSTRATION),
    _cue(r"pierd\w* (?:\w+ )?(?:fereastra|sezonul|perioada optima|momentul|epoca)"
         r"|ratam (?:\w+ )?(?:fereastra|sezonul|semanatul)", -0.6, DELIVERY, emotion=WORRY),
    _cue(r"(?:inca|tot) (?:nu )?(?:a |au )?(?:venit|ajuns|sosit|plecat)\b(?! la timp)",
         -0.4, DELIVERY, emotion=FRUSTRATION),
    _cue(r"(?:livrar\w*|transport\w*|marf\w*|comand\w*) (?:\w+ ){0,2}?(?:intarzie|intarziata"
         r"|intarziat|nu mai vine|nu mai ajunge|in intarziere)",
         -0.6, DELIVERY, emotion=FRUSTRATION),
    _cue(r"(?:livrar\w*|comand\w*|transport\w*) (?:\w+ ){0,2}?(?:putea fi|trebuia sa fie"
         r"|ar fi putut fi) (?:\w+ )?(?:mai )?(?:rapid\w*|repede|la timp)",
         -0.4, DELIVERY, emotion=DISAPPOINTMENT, fixed=True),
    # ---------------------------------------------------------------- customer service
    _cue(r"(?:nu (?:ne |mi |ma |mai |a |au |ati |am )*(?P<h>raspun\w*|suna\w*|cheama|contacteaza"
         r"|intereseaza pe nimeni)|nimeni nu (?:\w+ )?(?:raspunde|suna|face nimic|se ocupa"
         r"|ne ajuta|stie|stia|stiu)|nu (?:stie|stia|stiu) nimeni|fara (?:niciun )?raspuns"
         r"|nu (?:am |ati |a |mai )?(?:primit|primesc|primim) (?:\w+ )?(?:raspuns|telefon|oferta"
         r"|ofertele|nicio oferta|niciun telefon|niciun raspuns))",
         -0.6, SERVICE, emotion=FRUSTRATION, fixed=True),
    _cue(r"(?:inca|tot|si acum|de \w+ \w+) (?:mai )?astept\w* (?:\w+ ){0,2}?raspuns\w*"
         r"|astept\w* (?:si |tot |inca )?(?:acum|inca|de \w+ \w+) (?:\w+ ){0,2}?raspuns\w*",
         -0.6, SERVICE, emotion=FRUSTRATION),
    _cue(r"(?:ne|m|ma) ati (?:uitat|ignorat|abandonat|lasat balta)|(?:ati |a |au )?uitat de (?:noi"
         r"|mine|comanda\w*|clienti\w*)|ignorat\w*|ignorati|nu (?:va |v )?pasa|nu va intereseaza",
         -0.6, SERVICE, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"agent\w*|colegul \w+|colega \w+|reprezentantul (?:vostru|dumneavoastra)|dispecer\w*"
         r"|comunicar\w*|(?:serviciul|departamentul) (?:\w+ )?(?:clienti|vanzari|comercial)"
         r"|la telefon|suport\w* (?:clienti|tehnic)|(?:va|v) am (?:sunat|scris)|va (?:scriu|sun)"
         r"|vanzator\w*", 0.0, SERVICE, overlay=True, keep_when_negated=True),
    _cue(r"greu de (?:contactat|prins|gasit)|greoai\w*|greoi", -0.5, SERVICE, emotion=FRUSTRATION),
    # ---------------------------------------------------------------- payment terms
    _cue(r"plat\w* (?:\w+ ){0,3}?(?:esalonat\w*|in rate|amanat\w*|la \d+ (?:de )?zile|(?:dupa"
         r"|la) recolt\w*|in avans|avans|partial\w*|diferentiat\w*|amanare)|termen\w* de plata"
         r"|scadent\w*|esalon\w*|factur\w*|avans|avansul\w*|avansuri\w*|restant\w*|penalit\w*"
         r"|fila cec|bilet la ordin"
         r"|ordin de plata|credit\w*|(?:sa |putem |pot )?(?:platim|plati"
         r"|platesc) (?:\w+ ){0,3}?(?:mai tarziu|dupa|la recolta|in \w+ transe|jumatate|restul)"
         r"|(?:restul|diferenta) (?:\w+ ){0,2}?(?:dupa|la) recolt\w*|amana\w* plat\w*"
         r"|bani\w* (?:\w+ )?inapoi|rambursa\w*|restitui\w*|plata cu \w+",
         0.0, PAYMENT, overlay=True, keep_when_negated=True),
    # ---------------------------------------------------------------- availability
    _cue(r"(?:pe|in|din) stoc|stoc\w*|disponibil\w*|mai aveti|mai avem|mai gasesc|s a terminat"
         r"|s au terminat|epuizat\w*|nu (?:mai )?(?:gasim|gasesc|exista|aveti)"
         r"|cand (?:mai )?(?:primiti|intra|aduceti|veti avea)",
         0.0, AVAILABILITY, overlay=True, keep_when_negated=True),
    # ---------------------------------------------------------------- order request
    _cue(r"(?:as|am|ar) (?:dori|vrea|putea) sa (?:\w+ )?(?:comand|cumpar|iau|luam|rezerv|comandam"
         r"|cumparam|achizition)\w*|(?:vreau|vrem|dorim|doresc|dori) (?:sa )?(?:\w+ )?(?:comand"
         r"|cumpar|iau|luam|rezerv|comandam|cumparam|refac|achizition)\w*|(?:va rog|trimiteti\w*"
         r"|astept|dorim|doresc|as vrea|as dori|faceti\w*) (?:\w+ ){0,2}?(?:o |un )?(?:ofert\w*"
         r"|proforma|deviz|cotatie)|puneti\w* (?:\w+ )?deoparte|rezervat\w* (?:\w+ )?(?:\d+"
         r"|o cantitate)|rezervati\w*|ne trebuie\w*|ne trebuiesc|am nevoie de \d+"
         r"|avem nevoie de (?:\w+ ){0,2}?(?:\d+|tone|saci)|cat (?:ar |va )?(?:costa|ne costa)"
         r"|ce pret\w* (?:\w+ ){0,2}?(?:aveti|are|ar|faceti)|(?:care e|cat e"
         r"|spuneti\w* \w+) pretul|refac\w* (?:\w+ )?comanda|comand\w* (?:din nou|iar|si anul"
         r"|la primavara|in continuare)|(?:luam|iau|comandam|comand|vrem|vreau"
         r"|cumparam) (?:\w+ ){0,3}?\d+ (?:tone|t|saci|kg|litri|l|ha|bucati|paleti|big bag\w*)"
         r"|(?:o |oferta |contractul )semnam|semnam (?:\w+ ){0,2}?(?:oferta|contract\w*|comanda)"
         r"|mai (?:vrem|luam|comandam)", 0.0, ORDER, overlay=True),
    # ---------------------------------------------------------------- technical advice
    _cue(r"doz\w*|fisa tehnica|fise\w* tehnice|fisa de securitate|(?:ce|cum|cand|unde) (?:ne |imi "
         r"|mi )?(?:recomandati|recomanzi|sfatuiti|sugerati)|sfat\w*|agronom\w*|(?:ce|cum"
         r"|cand) (?:\w+ ){0,2}?(?:aplic|aplicam|stropesc|stropim|erbicidez|erbicidam|semanam"
         r"|seman|fertilizez|fertilizam|tratez|tratam|incorporam|amestec)\w*|tratament\w*|boal\w*"
         r"|daunator\w*|gandac\w*|pat\w* (?:pe|ciudat\w*|maro|galben\w*)|ciuperc\w*|rugin\w*"
         r"|fainar\w*|densitat\w*|norma de samanta|compatibil\w*|analiz\w* (?:de )?sol"
         r"|cum se (?:aplica|foloseste|dizolva|administreaza)|ce hibrid|ce soi|recomandare tehnica"
         r"|consultan\w*", 0.0, ADVICE, overlay=True, keep_when_negated=True),
    # ---------------------------------------------------------------- competitors, switching
    _cue(r"(?:ma|ne) (?:tot )?(?:gandesc|gandim|tenteaza|bate gandul)\w* (?:\w+ )?(?:sa )?(?:trec"
         r"|trecem|schimb|schimbam|mut|mutam|renunt|renuntam|plec|plecam|iau|luam|comand|comandam"
         r"|cumpar|cumparam|incerc|incercam|lucrez|lucram)\w*",
         -0.6, churn=SWITCH, emotion=DISAPPOINTMENT),
    _cue(r"(?:am |au |a |vom |o sa |sa |vrem sa |vreau sa )?(?P<h>trec|trecem|trecut|trece|mutat"
         r"|mutam|mut|plecat|plecam)\w* (?:\w+ )?(?:la|catre) (?:<RIVAL>|ei|aia|altii)",
         -0.5, churn=SWITCH, emotion=DISAPPOINTMENT),
    _cue(r"(?P<h>schimb\w*) (?:\w+ )?(?:furnizor\w*|partener\w*)|(?:caut\w*|gasit|gasim"
         r"|uitam dupa|uit dupa|interesam de) (?:\w+ ){0,2}?(?:un |o )?(?:alt\w* (?:furnizor\w*"
         r"|partener\w*|firma)|pe altcineva|altcineva)|(?:luam|iau|comandam|comand|cumparam|cumpar"
         r"|ma duc|ne ducem|mergem|merg|mergeam|aprovizionam) (?:\w+ ){0,2}?<RIVAL>",
         -0.5, churn=SWITCH, emotion=DISAPPOINTMENT),
    _cue(r"mai ieftin\w* (?:\w+ ){0,3}?<RIVAL>|<RIVAL> (?:\w+ ){0,10}?(?:mai ieftin\w*"
         r"|mai putin (?:pe|la|decat)|mai jos|sub (?:pretul|voi))"
         r"|<RIVAL> (?:\w+ ){0,6}?cu \d+ (?:\w+ ){0,3}?(?:mai putin|mai ieftin\w*|reducere)|(?:am "
         r"|ne )?(?:gasit|gasim|dat|da|ofera|oferit) (?:\w+ ){0,6}?mai ieftin\w*",
         -0.5, PRICE, churn=SWITCH, emotion=FRUSTRATION, negotiation=True),
    _cue(r"(?P<h>scump\w*) (?:\w+ ){0,1}?decat (?:\w+ )?<RIVAL>",
         -0.6, PRICE, churn=SWITCH, emotion=FRUSTRATION),
    _cue(r"(?P<h>ofert\w*) (?:\w+ ){0,4}?(?:de la |din partea )?<RIVAL>"
         r"|(?:__comp__|concurent\w*) (?:\w+ ){0,8}?(?P<h2>ofert\w*|propus\w*|propune\w*|oferit\w*"
         r"|ofera)", -0.15, OFFER, churn=SWITCH),
    _cue(r"(?:ma|ne) gandesc serios|(?:ma|ne) gandim (?:serios|bine|la asta|la oferta\w*)|(?:o "
         r"|il )?"
         r"accept\w*|(?:e"
         r"|este) (?:o )?varianta|luam in calcul|ne intereseaza|(?:ma|ne) tenteaza|cantarim",
         -0.4, churn=SWITCH, emotion=WORRY, needs_competitor=True),
    _cue(r"(?P<h>luam|iau|cumparam|comandam|aducem|luat|comandat|cumparat|semnat|lucram|colaboram"
         r"|mergem|trecem|am trecut|facut contract\w*|incerc\w*"
         r"|facut un contract)\w* (?:\w+ ){0,6}?(?:de la|cu|la|si)"
         r" <RIVAL>",
         -0.5, churn=SWITCH, emotion=DISAPPOINTMENT),
    _cue(r"de ce (?:as|am|sa|ati vrea sa) (?:mai )?(?:comanda|comand|lua|iau|cumpara|lucra|ramane"
         r"|colabora)\w*", -0.5, churn=SWITCH, emotion=FRUSTRATION, fixed=True),
    # ---------------------------------------------------------------- churn: orders, contract
    _cue(r"nu (?:mai )?(?:comand|cumpar|luam|iau|comandam|cumparam"
         r"|achizition)\w*(?: (?:\w+ ){0,2}?(?:de la <YOU>))?",
         -0.6, churn=REDUCED, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"nu (?:stiu|stim|sunt sigur\w*|suntem sigur\w*) daca (?:mai )?(?:comand\w*|luam"
         r"|cumpar\w*|lucram|colaboram|continuam|ramanem|reinnoim)",
         -0.4, churn=REDUCED, emotion=WORRY, fixed=True),
    _cue(r"(?:reduc\w*|micsor\w*|injumatat\w*|scad\w*|taiem) (?:\w+ ){0,2}?(?:comand\w*"
         r"|cantitat\w*|achizit\w*|volum\w*|suprafat\w*)|(?:comand\w*|luam"
         r"|cumparam) (?:\w+ )?mai putin|doar jumatate din|(?:e|este|a fost"
         r"|asta e) ultima (?:noastra )?comanda", -0.5, churn=REDUCED, emotion=WORRY),
    _cue(r"rezili\w*|(?:incet\w*|inchei\w*|opri\w*|intrerup\w*"
         r"|sista\w*) (?:\w+ ){0,2}?(?:colaborar\w*|contract\w*|relati\w*)"
         r"|nu (?:mai )?(?:prelung\w*|reinno\w*|semnam) (?:\w+ ){0,2}?contract\w*"
         r"|nu (?:mai )?(?:lucram|lucrez|colaboram|colaborez)|(?:se termina|expira"
         r"|se incheie) contract\w*|contract\w* (?:\w+ ){0,2}?(?:expira|se termina|se incheie)"
         r"|ne despartim|renunt\w* la (?:<YOU>|serviciile|colaborare|contract)",
         -0.7, churn=ENDING, emotion=DISAPPOINTMENT, fixed=True),
    _cue(r"avocat\w*|(?:in|la) instant(?:a|e|ei|ta)|instanta de judecata|judecat\w*|tribunal\w*"
         r"|proces\w* (?:in|la)|anpc"
         r"|protectia consumatorului|plangere (?:oficiala|penala|la)|politi(?:e|a|ei|ia)"
         r"|dau in judecata|garda (?:financiara|de mediu)|(?:vorbesc|ma adresez|merg"
         r"|sun) (?:\w+ ){0,2}?(?:conducer\w*|director\w*|sef\w*|patron\w*|manager\w*)"
         r"|fac public\w*|pe facebook"
         r"|(?:las|lasa|lasam|scriu|scriem|dau|dam|pun|punem) (?:\w+ ){0,2}?recenzi\w*"
         r"|recenzi\w* (?:negativ\w*|proast\w*|rea|rele)|in presa|somatie|ultimatum|daune",
         -0.7, churn=ESCALATION, emotion=ANGER),
)
# fmt: on
