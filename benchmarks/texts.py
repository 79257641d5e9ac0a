"""Realistic long texts for the speed figures of benchmarks/accuracy.py.

The labelled cases are single sentences that each state a stance; joined, they make a text far
denser than anything real.  Real inputs are long municipal protocols (hundreds of kB, many § items,
one or two about the topic) and press articles (a few kB: headline, lead, background, quotes).
These generators write such texts from templates of ordinary protocol and news prose (dates,
amounts, people with their party, municipality names, decisions about schools and roads), and put
the labelled on-topic cases into some items and articles, so that the analysis meets the topic,
names and cue words where it would in real text.
"""

from __future__ import annotations

import random

PEOPLE = ("Anna Lindqvist (S)", "Erik Johansson (M)", "Maria Nilsson (C)", "Lars Berglund (SD)",
          "Karin Holm (V)", "Per Ekström (L)", "Sara Åberg (KD)", "Jonas Öhman (MP)", "Eva Sjöberg (S)",
          "Mikael Strand (M)", "Lena Dahl (SD)", "Hans Wikström (C)")
PLACES = ("Kalmar", "Växjö", "Umeå", "Luleå", "Jönköping", "Gävle", "Borås", "Örebro", "Västerås",
          "Sundsvall", "Karlstad", "Falun", "Halmstad", "Kristianstad", "Eskilstuna", "Norrköping")
SUBJECTS = ("detaljplan för kvarteret Lärkan", "budget och verksamhetsplan", "ombyggnad av Centralskolan",
            "taxa för vatten och avlopp", "upphandling av skolskjuts", "bredbandsutbyggnad på landsbygden",
            "delårsrapport per augusti", "reglemente för socialnämnden", "försäljning av fastigheten Tallen 4",
            "investering i ny förskola", "revisionsberättelse", "arvodesregler för förtroendevalda",
            "trafiksäkerhetsplan", "avfallsplan", "riktlinjer för föreningsbidrag", "lokalförsörjningsplan")
BOARDS = ("kommunstyrelsen", "barn- och utbildningsnämnden", "socialnämnden", "tekniska nämnden",
          "kultur- och fritidsnämnden", "miljö- och byggnadsnämnden", "kommunfullmäktige")

PROTOCOL_SENTENCES = (
    "{board_cap} har behandlat ärendet om {subject} vid sitt sammanträde den {day} {month}.",
    "Förvaltningen har i tjänsteskrivelse daterad den {day} {month} {year} redogjort för ärendet.",
    "Beslutsunderlag: tjänsteskrivelse, bilaga {n} samt protokollsutdrag från {board}.",
    "Kostnaden beräknas till {amount} miljoner kronor och ryms inom befintlig budgetram.",
    "{person} yrkar bifall till förvaltningens förslag.",
    "{person} yrkar att ärendet återremitteras för vidare utredning.",
    "Ordföranden ställer proposition på förslagen och finner att {board} beslutar enligt förvaltningens förslag.",
    "Paragrafen förklaras omedelbart justerad.",
    "Ärendet har beretts i arbetsutskottet den {day} {month}.",
    "Investeringen avser perioden {year}–{year2} och finansieras genom upplåning.",
    "Enligt prognosen redovisar verksamheten ett underskott på {amount} miljoner kronor för helåret.",
    "Samråd har skett med {place} kommun och länsstyrelsen under våren.",
    "Planförslaget har varit utställt för granskning under tiden {day} {month} till {day2} {month}.",
    "Under granskningen har {n} yttranden inkommit, varav {n2} med synpunkter på trafiken.",
    "Socialnämnden ska senast den {day} {month} återrapportera hur arbetet fortskrider.",
    "Förslaget innebär att taxan höjs med {n} procent från och med den 1 januari {year2}.",
    "Barn- och utbildningsnämnden konstaterar att antalet elever ökar i kommunens norra delar.",
    "{board_cap} föreslår kommunfullmäktige att anta reviderade riktlinjer.",
    "Revisorerna tillstyrker att fullmäktige beviljar ansvarsfrihet för styrelser och nämnder.",
    "Sammanträdet ajourneras kl. {hour}.{minute} och återupptas kl. {hour2}.{minute}.",
    "Till justerare utses {person} att tillsammans med ordföranden justera protokollet.",
    "Kommunen har tagit emot ett medborgarförslag om belysning längs gång- och cykelvägen.",
    "Yttrandet ska lämnas till Trafikverket senast den {day} {month} {year}.",
    "Nämnden noterar informationen och lägger den till handlingarna.",
    "Förvaltningschefen informerar om läget inom äldreomsorgen och bemanningen under sommaren.",
    "Ekonomichefen redovisar utfallet för perioden januari till {month} samt helårsprognos.",
    "Fastigheten säljs till högstbjudande för {amount} miljoner kronor enligt bilaga {n}.",
    "Avtalet löper i {n} år med möjlighet till förlängning i ytterligare två år.",
    "Arbetet ska ske i samverkan med Region {place} och grannkommunerna.",
    "{person} anmäler att hon eller han inte deltar i beslutet.",
)
PROTOCOL_HEADINGS = ("Ärendebeskrivning", "Beslutsunderlag", "Förslag till beslut", "Yrkanden",
                     "Propositionsordning", "Beslut", "Expedieras till")

PRESS_SENTENCES = (
    "Frågan har väckt debatt i {place} under hösten.",
    "Enligt kommunens egna siffror har befolkningen ökat med {n} procent sedan {year}.",
    "– Vi måste ta ansvar för hela kommunen, inte bara centralorten, säger {person}.",
    "Beslutet fattades i kommunstyrelsen på tisdagen efter en lång debatt.",
    "Oppositionen är kritisk och menar att frågan borde ha utretts bättre.",
    "Kostnaden uppskattas till omkring {amount} miljoner kronor.",
    "Kommunen har sedan tidigare fått kritik från revisorerna för bristande uppföljning.",
    "{place} är en av de kommuner i länet som växer snabbast.",
    "Under förra året tog kommunen emot {n} nyanlända.",
    "Den nya förskolan beräknas stå klar till hösten {year2}.",
    "Lokaltidningen har sökt kommunalrådet utan att få svar.",
    "Flera föreningar har hört av sig med synpunkter på förslaget.",
    "Regeringen presenterade sin budget i september med satsningar på rättsväsendet.",
    "Migrationsverket har under året handlagt drygt {n} ärenden i regionen.",
    "Frågan ska tas upp på nästa sammanträde med kommunfullmäktige i {month}.",
)
PRESS_SENTENCES_EN = (
    "The issue has divided local politicians in {place} this autumn.",
    "According to the municipality, the population has grown by {n} percent since {year}.",
    "\"We have to take responsibility for the whole municipality,\" said {person}.",
    "The decision was taken by the municipal executive board on Tuesday after a long debate.",
    "The opposition criticised the plan and said it should have been investigated further.",
    "The cost is estimated at around {amount} million kronor.",
    "Several associations have sent in comments on the proposal.",
    "The government presented its budget in September with more money for the justice system.",
)
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "augusti", "september", "oktober", "november")


def _fill(rng: random.Random, template: str) -> str:
    board = rng.choice(BOARDS)
    return template.format(
        board=board, board_cap=board[:1].upper() + board[1:], subject=rng.choice(SUBJECTS),
        person=rng.choice(PEOPLE), place=rng.choice(PLACES), day=rng.randrange(1, 29), day2=rng.randrange(1, 29),
        month=rng.choice(MONTHS), year=rng.randrange(2019, 2026), year2=rng.randrange(2026, 2030),
        n=rng.randrange(2, 40), n2=rng.randrange(1, 9), amount=f"{rng.randrange(1, 90)},{rng.randrange(10)}",
        hour=rng.randrange(9, 16), hour2=rng.randrange(16, 20), minute=rng.choice(("00", "15", "30", "45")),
    )


def _paragraph(rng: random.Random, templates: tuple[str, ...], sentences: int) -> str:
    return " ".join(_fill(rng, rng.choice(templates)) for _ in range(sentences))


def _item(rng: random.Random, number: int, on_topic: list[str]) -> str:
    parts = [f"§ {number}", f"{rng.choice(SUBJECTS).capitalize()}", f"Dnr KS {rng.randrange(2019, 2026)}/"
             f"{rng.randrange(10, 999)}"]
    for heading in rng.sample(PROTOCOL_HEADINGS, 4):
        parts += [heading, _paragraph(rng, PROTOCOL_SENTENCES, rng.randrange(2, 7))]
    if on_topic:
        parts.insert(4, " ".join(on_topic))
    return "\n".join(parts)


def protocols(on_topic: list[str], count: int = 6, items: int = 120, every: int = 20, seed: int = 1) -> list[str]:
    """Long protocols (~160 kB): `items` § items, one in `every` (if `every`) holding on-topic cases."""
    rng = random.Random(seed)
    documents = []
    for _ in range(count):
        body = []
        for number in range(1, items + 1):
            cases = rng.sample(on_topic, min(3, len(on_topic))) if every and number % every == every // 2 else []
            body.append(_item(rng, number, cases))
        documents.append("\n\n".join(body))
    return documents


def articles(on_topic: list[str], english: list[str], count: int = 200, seed: int = 2) -> list[str]:
    """Press articles (~2–6 kB): lead, background paragraphs; on-topic ones quote 1–3 cases (none if no pool)."""
    rng = random.Random(seed)
    documents = []
    for i in range(count):
        english_article = bool(english) and i % 4 == 3
        templates = PRESS_SENTENCES_EN if english_article else PRESS_SENTENCES
        pool = english if english_article else on_topic
        paragraphs = [_paragraph(rng, templates, 1), _paragraph(rng, templates, 2)]
        paragraphs += [_paragraph(rng, templates, rng.randrange(2, 6)) for _ in range(rng.randrange(8, 16))]
        for case in rng.sample(pool, min(rng.randrange(1, 4), len(pool))) if pool else []:
            paragraphs.insert(rng.randrange(1, len(paragraphs)), case)
        documents.append("\n\n".join(paragraphs))
    return documents


def repeated(documents: list[str], min_mb: float) -> list[str]:
    """The documents over and over until they hold at least `min_mb` MB of UTF-8 (enough to time)."""
    out, size = [], 0
    while size < min_mb * 1e6:
        for document in documents:
            out.append(document)
            size += len(document.encode("utf-8"))
    return out
