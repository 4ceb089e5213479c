"""Romanian words the synthetic data is built from: people, places, companies and message texts.

Everything here is plain data. Texts never contain a tab, newline or backslash, because the
loader writes them unescaped into PostgreSQL's COPY text format.
Templates use `{slot}` placeholders filled per row by the generator: `produs`, `concurent`,
`zile`, `procent`, `cantitate`, `localitate`, `nume`, `prenume`, `samanta` (a seed).
Counts below 20 read "8 tone" but "20 de tone" in Romanian, so `cantitate` stays below 20
before a noun, or is followed by the unit "ha".
"""

from __future__ import annotations

from typing import NamedTuple

_ROMANIAN_TO_ASCII = str.maketrans("ăâîșțĂÂÎȘȚşţŞŢ", "aaistAAISTstST")


def strip_diacritics(text: str) -> str:
    """Romanian text as typed on a phone without diacritics (comma- and cedilla-below forms)."""
    return text.translate(_ROMANIAN_TO_ASCII)


# Fictional rival suppliers. ASCII on purpose: a message keeps the same spelling of a name
# whether or not its writer used diacritics, so detectors can match them literally.
COMPETITORS: tuple[str, ...] = (
    "AgroVista",
    "Cerealis Trading",
    "FertiPlus",
    "Semino Agro",
    "Holda Agroservice",
    "Campo Verde Distribution",
    "Brazda Agro",
    "AgriMax Vest",
)

MALE_FIRST_NAMES: tuple[str, ...] = (
    "Ion", "Gheorghe", "Vasile", "Constantin", "Nicolae", "Dumitru", "Mihai", "Alexandru",
    "Andrei", "Florin", "Marian", "Cristian", "Daniel", "Adrian", "Ionuț", "Cătălin", "Ștefan",
    "Petru", "Costel", "Viorel", "Gabriel", "Bogdan", "Sorin", "Lucian", "Radu", "Marius",
    "Valentin", "Dorin", "Liviu", "Emil", "Aurel", "Silviu", "Răzvan", "Tudor", "Ovidiu",
    "Traian", "Iulian", "Laurențiu", "Mircea", "Costică",
)  # fmt: skip

FEMALE_FIRST_NAMES: tuple[str, ...] = (
    "Maria", "Elena", "Ioana", "Ana", "Mihaela", "Andreea", "Cristina", "Gabriela", "Daniela",
    "Alina", "Georgiana", "Florentina", "Simona", "Ramona", "Larisa", "Camelia", "Rodica",
    "Carmen", "Mariana", "Luminița", "Nicoleta", "Adriana", "Roxana", "Oana", "Irina", "Violeta",
    "Lavinia", "Ștefania", "Denisa", "Corina",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei", "Ciobanu",
    "Munteanu", "Constantin", "Marin", "Moldovan", "Rusu", "Mihai", "Lungu", "Dinu", "Florea",
    "Toma", "Sandu", "Barbu", "Tudor", "Ene", "Dobre", "Nistor", "Zamfir", "Ardeleanu",
    "Țăranu", "Bălan", "Neagu", "Pavel", "Cozma", "Oprea", "Nedelcu", "Voicu", "Anghel", "Preda",
    "Mocanu", "Crăciun", "Radu", "Vasile", "Iordache", "Manea", "Stănescu", "Grigore", "Olteanu",
    "Dragomir", "Sârbu", "Lazăr", "Niculescu", "Căpraru", "Bucur", "Roman", "Cojocaru", "Drăgan",
    "Enache", "Păun", "Mitrea", "Năstase", "Șerban", "Tănase", "Vlad", "Ursu", "Bratu",
    "Chiriac", "Moraru", "Avram", "Ilie", "Petrescu", "Surdu", "Frățilă", "Țurcanu", "Costache",
    "Buzatu", "Ghiță", "Istrate", "Pîrvu", "Gavrilă", "Boboc", "Apostol",
)  # fmt: skip


class Locality(NamedTuple):
    name: str
    latitude: float
    longitude: float


class County(NamedTuple):
    name: str
    # Relative share of farm clients: the plains of the south, east and west weigh most.
    weight: float
    localities: tuple[Locality, ...]


def _county(name: str, weight: float, *localities: tuple[str, float, float]) -> County:
    return County(name, weight, tuple(Locality(*locality) for locality in localities))


# All 41 counties and Bucharest, each with a few real towns at approximate coordinates.
COUNTIES: tuple[County, ...] = (
    _county("Alba", 1.0, ("Alba Iulia", 46.07, 23.58), ("Aiud", 46.31, 23.72),
            ("Blaj", 46.18, 23.92), ("Teiuș", 46.20, 23.68)),
    _county("Arad", 4.0, ("Arad", 46.18, 21.31), ("Pecica", 46.17, 21.07),
            ("Sântana", 46.35, 21.50), ("Curtici", 46.35, 21.30), ("Chișineu-Criș", 46.52, 21.52)),
    _county("Argeș", 1.5, ("Pitești", 44.86, 24.87), ("Costești", 44.67, 24.88),
            ("Topoloveni", 44.81, 25.08), ("Mioveni", 44.95, 24.94)),
    _county("Bacău", 1.5, ("Bacău", 46.57, 26.91), ("Onești", 46.25, 26.77),
            ("Podu Turcului", 46.20, 27.38), ("Răcăciuni", 46.33, 27.00)),
    _county("Bihor", 2.0, ("Oradea", 47.07, 21.93), ("Salonta", 46.80, 21.65),
            ("Marghita", 47.35, 22.34), ("Valea lui Mihai", 47.52, 22.15)),
    _county("Bistrița-Năsăud", 0.7, ("Bistrița", 47.13, 24.50), ("Beclean", 47.18, 24.18),
            ("Năsăud", 47.28, 24.40)),
    _county("Botoșani", 2.5, ("Botoșani", 47.75, 26.67), ("Dorohoi", 47.95, 26.40),
            ("Săveni", 47.95, 26.86), ("Flămânzi", 47.56, 26.87), ("Ștefănești", 47.79, 27.20)),
    _county("Brașov", 0.8, ("Brașov", 45.65, 25.61), ("Făgăraș", 45.84, 24.97),
            ("Codlea", 45.70, 25.45), ("Feldioara", 45.82, 25.59)),
    _county("Brăila", 4.0, ("Brăila", 45.27, 27.96), ("Însurăței", 44.92, 27.60),
            ("Ianca", 45.13, 27.48), ("Făurei", 45.08, 27.27), ("Viziru", 45.00, 27.70)),
    _county("București", 0.5, ("București", 44.43, 26.10)),
    _county("Buzău", 2.5, ("Buzău", 45.15, 26.82), ("Râmnicu Sărat", 45.38, 27.06),
            ("Pogoanele", 44.92, 27.00), ("Smeeni", 44.99, 26.86)),
    _county("Caraș-Severin", 0.5, ("Reșița", 45.30, 21.89), ("Caransebeș", 45.42, 22.22),
            ("Oravița", 45.04, 21.69)),
    _county("Călărași", 4.5, ("Călărași", 44.20, 27.33), ("Oltenița", 44.09, 26.64),
            ("Lehliu Gară", 44.44, 26.85), ("Fundulea", 44.46, 26.52), ("Borcea", 44.33, 27.74),
            ("Dor Mărunt", 44.45, 27.13)),
    _county("Cluj", 1.0, ("Cluj-Napoca", 46.77, 23.59), ("Turda", 46.57, 23.78),
            ("Câmpia Turzii", 46.55, 23.88), ("Dej", 47.14, 23.87)),
    _county("Constanța", 5.0, ("Constanța", 44.18, 28.63), ("Medgidia", 44.25, 28.27),
            ("Cernavodă", 44.34, 28.03), ("Negru Vodă", 43.82, 28.21), ("Hârșova", 44.69, 27.95),
            ("Cobadin", 44.08, 28.22), ("Mangalia", 43.82, 28.58)),
    _county("Covasna", 0.6, ("Sfântu Gheorghe", 45.86, 25.79), ("Târgu Secuiesc", 46.00, 26.14),
            ("Covasna", 45.85, 26.18)),
    _county("Dâmbovița", 1.5, ("Târgoviște", 44.93, 25.46), ("Găești", 44.72, 25.32),
            ("Titu", 44.66, 25.57), ("Răcari", 44.63, 25.74)),
    _county("Dolj", 4.5, ("Craiova", 44.32, 23.80), ("Băilești", 44.03, 23.35),
            ("Calafat", 43.99, 22.93), ("Segarcea", 44.10, 23.75), ("Dăbuleni", 43.80, 24.09),
            ("Filiași", 44.55, 23.52)),
    _county("Galați", 3.0, ("Galați", 45.44, 28.05), ("Tecuci", 45.85, 27.43),
            ("Târgu Bujor", 45.87, 27.91), ("Berești", 46.10, 27.89), ("Pechea", 45.63, 27.80)),
    _county("Giurgiu", 3.0, ("Giurgiu", 43.90, 25.97), ("Bolintin-Vale", 44.45, 25.76),
            ("Mihăilești", 44.32, 25.91), ("Ghimpați", 44.20, 25.79)),
    _county("Gorj", 0.7, ("Târgu Jiu", 45.04, 23.27), ("Motru", 44.80, 22.97),
            ("Rovinari", 44.91, 23.16), ("Țicleni", 44.88, 23.40)),
    _county("Harghita", 0.5, ("Miercurea Ciuc", 46.36, 25.80), ("Odorheiu Secuiesc", 46.30, 25.30),
            ("Gheorgheni", 46.72, 25.60)),
    _county("Hunedoara", 0.5, ("Deva", 45.88, 22.90), ("Hunedoara", 45.75, 22.90),
            ("Orăștie", 45.84, 23.20), ("Hațeg", 45.61, 22.95)),
    _county("Ialomița", 4.5, ("Slobozia", 44.56, 27.36), ("Fetești", 44.38, 27.83),
            ("Urziceni", 44.72, 26.64), ("Țăndărei", 44.65, 27.66), ("Amara", 44.61, 27.32),
            ("Căzănești", 44.62, 27.02)),
    _county("Iași", 3.0, ("Iași", 47.16, 27.59), ("Pașcani", 47.25, 26.72),
            ("Hârlău", 47.43, 26.90), ("Târgu Frumos", 47.21, 27.01),
            ("Podu Iloaiei", 47.22, 27.27)),
    _county("Ilfov", 1.5, ("Buftea", 44.57, 25.95), ("Otopeni", 44.55, 26.07),
            ("Snagov", 44.70, 26.17), ("Brănești", 44.45, 26.33)),
    _county("Maramureș", 0.5, ("Baia Mare", 47.66, 23.58), ("Sighetu Marmației", 47.93, 23.89),
            ("Seini", 47.75, 23.29)),
    _county("Mehedinți", 2.0, ("Drobeta-Turnu Severin", 44.63, 22.66), ("Strehaia", 44.62, 23.20),
            ("Vânju Mare", 44.43, 22.87), ("Cujmir", 44.21, 22.93)),
    _county("Mureș", 1.2, ("Târgu Mureș", 46.54, 24.56), ("Reghin", 46.78, 24.71),
            ("Luduș", 46.48, 24.10), ("Iernut", 46.45, 24.23)),
    _county("Neamț", 1.2, ("Piatra Neamț", 46.93, 26.37), ("Roman", 46.92, 26.93),
            ("Târgu Neamț", 47.20, 26.36), ("Roznov", 46.84, 26.51)),
    _county("Olt", 4.0, ("Slatina", 44.43, 24.37), ("Caracal", 44.11, 24.35),
            ("Balș", 44.35, 24.10), ("Corabia", 43.78, 24.50), ("Drăgănești-Olt", 44.17, 24.53)),
    _county("Prahova", 1.5, ("Ploiești", 44.94, 26.02), ("Mizil", 45.01, 26.44),
            ("Urlați", 44.99, 26.23), ("Băicoi", 45.04, 25.85)),
    _county("Sălaj", 0.7, ("Zalău", 47.19, 23.06), ("Șimleu Silvaniei", 47.23, 22.80),
            ("Jibou", 47.26, 23.25)),
    _county("Satu Mare", 2.0, ("Satu Mare", 47.79, 22.89), ("Carei", 47.69, 22.47),
            ("Tășnad", 47.48, 22.58), ("Livada", 47.87, 23.13)),
    _county("Sibiu", 0.7, ("Sibiu", 45.79, 24.15), ("Mediaș", 46.16, 24.35),
            ("Agnita", 45.97, 24.62)),
    _county("Suceava", 1.5, ("Suceava", 47.65, 26.26), ("Fălticeni", 47.46, 26.30),
            ("Rădăuți", 47.84, 25.92), ("Dolhasca", 47.43, 26.61)),
    _county("Teleorman", 4.5, ("Alexandria", 43.97, 25.33), ("Roșiorii de Vede", 44.11, 24.99),
            ("Turnu Măgurele", 43.75, 24.87), ("Zimnicea", 43.66, 25.37), ("Videle", 44.28, 25.52)),
    _county("Timiș", 4.0, ("Timișoara", 45.76, 21.23), ("Lugoj", 45.69, 21.90),
            ("Jimbolia", 45.79, 20.72), ("Sânnicolau Mare", 46.07, 20.63), ("Deta", 45.39, 21.22),
            ("Recaș", 45.80, 21.51)),
    _county("Tulcea", 2.0, ("Tulcea", 45.18, 28.80), ("Babadag", 44.90, 28.71),
            ("Măcin", 45.24, 28.14), ("Isaccea", 45.27, 28.46)),
    _county("Vâlcea", 0.6, ("Râmnicu Vâlcea", 45.10, 24.37), ("Drăgășani", 44.66, 24.26),
            ("Băbeni", 44.97, 24.23)),
    _county("Vaslui", 2.5, ("Vaslui", 46.64, 27.73), ("Bârlad", 46.23, 27.67),
            ("Huși", 46.67, 28.06), ("Negrești", 46.84, 27.45), ("Murgeni", 46.20, 28.02)),
    _county("Vrancea", 1.5, ("Focșani", 45.70, 27.18), ("Adjud", 46.10, 27.18),
            ("Panciu", 45.91, 27.09), ("Odobești", 45.77, 27.06)),
)  # fmt: skip

SUPPLIER_PREFIXES: tuple[str, ...] = (
    "AgroFurnizor", "AgroInput", "Agrosem", "FertiAgro", "SemAgro", "AgroDepozit", "Agrimat",
    "AgroCentru", "Fitoprotect", "AgroPartener",
)  # fmt: skip

SUPPLIER_REGIONS: tuple[str, ...] = (
    "Bărăgan", "Dobrogea", "Banat", "Moldova", "Oltenia", "Muntenia", "Crișana", "Siret",
    "Câmpia Dunării", "Dunărea de Jos", "Vest", "Transilvania",
)  # fmt: skip

# Client segments with their share of clients.
SEGMENTS: tuple[tuple[str, float], ...] = (
    ("SMALL_FARM", 0.45),
    ("MEDIUM_FARM", 0.28),
    ("LARGE_FARM", 0.12),
    ("COOPERATIVE", 0.07),
    ("DISTRIBUTOR", 0.08),
)

# Company names per segment (same order as SEGMENTS): a surname, a first name or the
# client's locality fill the slots.
COMPANY_NAME_TEMPLATES: tuple[tuple[str, ...], ...] = (
    (
        "{nume} {prenume} PFA",
        "{nume} {prenume} II",
        "Ferma {nume} II",
        "Întreprinderea Familială {nume} IF",
        "Agro {nume} SRL",
    ),
    (
        "Agro {nume} SRL",
        "Ferma {nume} SRL",
        "{nume} Agricultura SRL",
        "Agrofarm {localitate} SRL",
        "{nume} Cereale SRL",
        "Agricola {localitate} SRL",
    ),
    (
        "{nume} Cereale SA",
        "Agroindustriala {localitate} SA",
        "Agricola {localitate} SA",
        "Agrocomplex {nume} SRL",
        "Ferma {nume} Holding SRL",
    ),
    (
        "Cooperativa Agricolă {localitate}",
        "Cooperativa Agricolă Unirea {localitate}",
        "Cooperativa Agricolă Câmpia {localitate}",
        "Asociația Agricolă {nume} {localitate}",
    ),
    (
        "{nume} Agro Distribuție SRL",
        "Agro Depozit {localitate} SRL",
        "Agrocentru {nume} SRL",
        "{nume} Trading SRL",
        "Fitosanitar {localitate} SRL",
    ),
)

PRODUCTS: tuple[str, ...] = (
    "sămânța de porumb",
    "sămânța de floarea-soarelui",
    "grâul de sămânță",
    "sămânța de rapiță",
    "sămânța de orz",
    "sămânța de soia",
    "îngrășământul NPK 15-15-15",
    "azotatul de amoniu",
    "ureea",
    "fosfatul diamoniu",
    "îngrășământul foliar",
    "erbicidul pentru porumb",
    "fungicidul pentru grâu",
    "insecticidul pentru rapiță",
    "amendamentul calcaros",
)

# The seeds among PRODUCTS, for texts about germination.
SEEDS: tuple[str, ...] = PRODUCTS[:6]

# Inbound categories, each a family of texts. The generator weighs them by the client's mood.
INBOUND_THANKS: tuple[str, ...] = (
    "Mulțumim pentru livrare, marfa a ajuns în stare foarte bună.",
    "Totul a fost în regulă cu ultima comandă, mulțumesc frumos!",
    "Sunteți serioși, marfa a venit la timp. Mulțumim!",
    "Răsărirea arată foarte bine anul acesta, mulțumim pentru recomandarea la {samanta}.",
    "Am fost mulțumiți de {produs}, comandăm din nou la primăvară.",
    "Mulțumesc pentru ajutor cu actele, totul e rezolvat.",
    "Agentul dumneavoastră ne-a ajutat mult la alegerea hibridului. Mulțumim!",
)

INBOUND_PRICE_COMPLAINTS: tuple[str, ...] = (
    "Prețul e prea mare la {produs}, nu putem continua așa.",
    "Am văzut că ați scumpit {produs} cu {procent}%. E prea mult pentru noi.",
    "La {produs} sunteți mai scumpi decât ceilalți furnizori din zonă.",
    "Vă rog să revedeți oferta, prețul e prea mare față de anul trecut.",
    "Cu prețurile astea nu mai rămâne nimic din profitul fermei.",
    "Puteți face o reducere? Pentru {cantitate} tone prețul e prea mare.",
    "Oferta la {produs} e mai scumpă decât anul trecut cu {procent}%, nu se mai justifică.",
)

INBOUND_QUALITY_COMPLAINTS: tuple[str, ...] = (
    "Semințele de porumb au avut germinație slabă, avem goluri mari în lan.",
    "Îngrășământul a venit umed și s-a întărit în saci.",
    "Am o reclamație la {produs}: calitatea nu e cea promisă.",
    "Sacii de la ultima livrare au venit rupți, o parte din marfă s-a pierdut.",
    "Erbicidul nu a avut efect, buruienile au rămas pe tot terenul.",
    "Am o problemă cu {samanta} din ultimul lot: germinație slabă. Vreau o compensare.",
    "Floarea-soarelui a răsărit neuniform, cred că sămânța a fost veche.",
)

INBOUND_LATE_DELIVERY: tuple[str, ...] = (
    "Comanda de {produs} întârzie de {zile} zile, când ajunge?",
    "Încă aștept livrarea promisă săptămâna trecută. Pierdem fereastra de semănat.",
    "Livrarea a venit cu {zile} zile întârziere, nu e prima dată.",
    "Transportul nu a ajuns nici azi. Vă rog să mă sunați urgent.",
    "Șoferul nu a venit la ora stabilită, am așteptat degeaba cu oamenii la fermă.",
)

INBOUND_COMPETITOR_MENTIONS: tuple[str, ...] = (
    "La {concurent} am găsit {produs} cu {procent}% mai ieftin.",
    "Pentru {produs} sunteți mai scumpi decât la {concurent}.",
    "Ne-a făcut o ofertă {concurent}, puteți egala prețul?",
    "Vecinii au trecut la {concurent} și sunt mulțumiți. Ce ne puteți oferi?",
    "Anul acesta luăm îngrășământul de la {concurent}, au transport gratuit.",
    "Reprezentantul de la {concurent} ne-a vizitat ieri cu o ofertă bună la {produs}.",
    "E mai scump decât la {concurent}, de ce aș mai comanda de la voi?",
)

INBOUND_ORDER_REQUESTS: tuple[str, ...] = (
    "Aș dori să comand {cantitate} tone din {produs}.",
    "Vă rog o ofertă pentru {cantitate} tone din {produs}, cu livrare în {zile} zile.",
    "Aveți pe stoc {produs}? Ne trebuie săptămâna viitoare.",
    "Puneți-mi deoparte {cantitate} tone din {produs}, trec mâine să plătesc.",
    "Vreau să refac comanda de anul trecut, aceleași cantități.",
    "Ne trebuie {produs} pentru {cantitate} ha, cât ar costa?",
)

INBOUND_QUESTIONS: tuple[str, ...] = (
    "Ce doză recomandați la hectar pentru {produs}?",
    "Puteți să-mi trimiteți fișa tehnică pentru {produs}?",
    "Până la ce oră se poate ridica marfa de la depozit?",
    "Îmi trimiteți, vă rog, factura de la ultima comandă pe email?",
    "Aveți și plată eșalonată după recoltare?",
    "Livrați și sâmbăta în zona {localitate}?",
)

INBOUND_GREETINGS: tuple[str, ...] = (
    "",
    "Bună ziua. ",
    "Bună ziua! ",
    "Salut! ",
    "Bună dimineața. ",
    "Bună seara. ",
    "Să trăiți! ",
)

INBOUND_CLOSINGS: tuple[str, ...] = (
    "",
    "",
    " Mulțumesc.",
    " Aștept răspunsul dumneavoastră.",
    " Vă rog să mă sunați.",
    " O zi bună!",
    " Mersi.",
    " Cu stimă, {prenume} {nume}.",
)

OUTBOUND_ORDER_CONFIRMATIONS: tuple[str, ...] = (
    "Vă confirmăm comanda pentru {produs}. Livrarea estimată este în {zile} zile lucrătoare.",
    "Comanda dumneavoastră a fost înregistrată. Vă anunțăm când pleacă transportul.",
    "Marfa a fost încărcată și ajunge la dumneavoastră în {zile} zile.",
    "Am primit comanda de {cantitate} tone. Factura vine pe email la livrare.",
)

OUTBOUND_OFFERS: tuple[str, ...] = (
    "Avem ofertă specială la {produs}: reducere de {procent}% până la sfârșitul lunii.",
    "Vă recomandăm să comandați din timp {produs} pentru sezonul următor.",
    "A sosit un lot nou de {produs}. Doriți să vă rezervăm o cantitate?",
    "Pentru clienții din zona {localitate} livrarea este gratuită luna aceasta.",
)

OUTBOUND_FOLLOW_UPS: tuple[str, ...] = (
    "Cum arată culturile unde ați folosit {produs}? Suntem aici dacă aveți nevoie de sfaturi.",
    "Ne-ar face plăcere să aflăm cum a decurs ultima livrare.",
    "Vă mulțumim că lucrați cu noi! Dacă aveți nevoie de ceva, ne găsiți oricând.",
    "Agronomul nostru poate veni în {zile} zile să vadă cultura, vă convine?",
)

OUTBOUND_PAYMENT_REMINDERS: tuple[str, ...] = (
    "Vă reamintim că factura pentru ultima comandă are scadența peste {zile} zile.",
    "Conform evidențelor noastre există o factură restantă. Vă rugăm să verificați.",
    "Vă rugăm să confirmați data la care se face plata facturii restante.",
)

OUTBOUND_GREETINGS: tuple[str, ...] = (
    "",
    "Bună ziua! ",
    "Bună ziua. ",
    "Bună ziua, stimate client! ",
)

OUTBOUND_CLOSINGS: tuple[str, ...] = (
    "",
    " Cu stimă, echipa de vânzări.",
    " Vă mulțumim!",
    " Vă stăm la dispoziție.",
)

# Ticket subjects with a typical urgency: 0 LOW, 1 MEDIUM, 2 HIGH, 3 URGENT.
TICKET_SUBJECTS: tuple[tuple[str, int], ...] = (
    ("Livrare întârziată pentru {produs}", 2),
    ("Reclamație calitate: {produs}", 2),
    ("Germinație slabă la {samanta}", 3),
    ("Saci deteriorați la livrare", 1),
    ("Cantitate livrată mai mică decât în comandă", 2),
    ("Factură emisă greșit", 1),
    ("Solicitare duplicat factură", 0),
    ("Retur {produs}", 1),
    ("Solicitare fișă tehnică pentru {produs}", 0),
    ("Problemă de acces la portalul de comenzi", 1),
    ("Schimbare adresă de livrare", 0),
    ("Plată înregistrată greșit", 1),
)

TICKET_PRIORITIES: tuple[str, ...] = ("LOW", "MEDIUM", "HIGH", "URGENT")

NPS_PROMOTER_COMMENTS: tuple[str, ...] = (
    "Foarte mulțumit, vă recomand oricui!",
    "Livrare rapidă și produse de calitate.",
    "Colaborare excelentă, agentul ne ajută mereu.",
    "Cei mai serioși furnizori din zonă.",
)

NPS_PASSIVE_COMMENTS: tuple[str, ...] = (
    "În general bine, dar prețurile au crescut.",
    "Livrarea putea fi mai rapidă.",
    "Produse bune, comunicarea uneori greoaie.",
)

NPS_DETRACTOR_COMMENTS: tuple[str, ...] = (
    "Prețul e prea mare pentru ce primim.",
    "Întârzieri repetate la livrare.",
    "Calitatea semințelor a scăzut față de anii trecuți.",
    "Nu răspunde nimeni la telefon când avem o problemă.",
)

REFERRAL_CONTEXTS: tuple[str, ...] = (
    "Vecinul meu de teren caută un furnizor serios pentru {produs}.",
    "Cumnatul meu are o fermă lângă {localitate} și ar vrea o ofertă.",
    "Un membru din asociație e interesat de {produs}.",
    "Le-am spus celor de la ferma vecină de voi, așteaptă un telefon.",
    "Un prieten lucrează {cantitate} ha și vrea să schimbe furnizorul.",
)

REFERRAL_TYPES: tuple[tuple[str, float], ...] = (
    ("EXPLICIT", 0.75),
    ("SOFT_MENTION", 0.10),
    ("NEIGHBOR_STRATEGY", 0.10),
    ("GROUP_DEAL", 0.05),
)

REFERRAL_SOURCES: tuple[tuple[str, float], ...] = (
    ("WHATSAPP", 0.45),
    ("PHONE", 0.30),
    ("IN_PERSON", 0.15),
    ("EMAIL", 0.10),
)

REFERRAL_RELATIONS: tuple[tuple[str, float], ...] = (
    ("NEIGHBOR", 0.45),
    ("SAME_ASSOCIATION", 0.20),
    ("FAMILY_BUSINESS", 0.15),
    ("SUPPLY_CHAIN", 0.10),
    ("RECOMMENDED_BY", 0.10),
)

PERSONAL_EMAIL_DOMAINS: tuple[str, ...] = ("gmail.com", "yahoo.com", "yahoo.ro", "outlook.com")

# Romanian mobile numbers: +40 7xx xxx xxx, operators' prefixes 72 to 78.
MOBILE_PREFIXES: tuple[str, ...] = ("+4072", "+4073", "+4074", "+4075", "+4076", "+4077", "+4078")
