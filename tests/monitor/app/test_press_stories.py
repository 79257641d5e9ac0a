"""Stories in the analysis stage (monitor.app.press_stories through monitor.app.analysis_stage, on SQLite and PostgreSQL):
copies of one story give one observation per municipality; an update adds only what is new."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from crawler.articles import read_article
from crawler.extraction.extractor import PdfLimits
from monitor.app.analysis_stage import analyse_pending
from storage import press_articles as stories
from tests.support.newsroom import FIXTURES, SKELLEFTEA, UMEA
from tests.support.press import publish

DAY = date(2025, 11, 10)
VINDELN = "2404"
MALMO_STORY = """Malmö stad tackar nej till regeringens samordnare för återvandring, skriver Sydsvenskan.
Kommunstyrelsens ordförande säger att frågan om återvandring är statens ansvar och att staden saknar
resurser för ett sådant arbete. Oppositionen i Malmö kritiserar beskedet och vill att staden träffar
samordnaren. Regeringen har skickat brev till alla kommuner om frivillig återvandring."""


def copy_text(path: str) -> str:
    body = (FIXTURES / "pages" / path).read_bytes()
    return read_article(body, f"https://news.test/{path}", "text/html", PdfLimits()).extraction.text


def observation_codes(database) -> list[str]:
    with database.transaction() as session:
        return sorted(code for (code,) in session.execute(text("select municipality_code from stance_observations")))


def test_copies_are_one_story_and_an_update_adds_only_what_is_new(service):
    database, context = service
    vk_text = copy_text("vk/umea-och-skelleftea.html")
    publish(database, "press-lokal", "https://www.svt.se/umea", copy_text("svt/umea-skelleftea-nej.html"), DAY,
            "SVT Nyheter")
    publish(database, "press-lokal", "https://www.vk.se/umea", vk_text, DAY, "Västerbottens-Kuriren")
    publish(database, "press-lokal", "https://norran.se/umea", copy_text("norran/tackar-nej.html"), DAY, "Norran")
    publish(database, "press-lokal", "https://www.sydsvenskan.se/malmo", MALMO_STORY, DAY, "Sydsvenskan")
    report = analyse_pending(database, context)
    assert sorted(c.observation.municipality_code for c in report.changes) == sorted([UMEA, SKELLEFTEA, "1280"])
    assert observation_codes(database) == sorted([UMEA, SKELLEFTEA, "1280"])
    with database.transaction() as session:
        told = {s.headline: [c.outlet for c in s.copies] for s in stories.stories(session)}
    assert told == {"Umeå och Skellefteå säger nej till regeringens samordnare":
                    ["SVT Nyheter", "Västerbottens-Kuriren", "Norran"],
                    "Malmö stad tackar nej till regeringens samordnare för återvandring, skriver Sydsvenskan.":
                    ["Sydsvenskan"]}

    update = vk_text + "\n\nUppdaterad: Även Vindelns kommun tackar nej till inbjudan om ett möte om återvandring."
    publish(database, "press-lokal", "https://www.vk.se/umea", update, DAY, "Västerbottens-Kuriren")
    again = analyse_pending(database, context)
    assert [c.observation.municipality_code for c in again.changes] == [VINDELN]
    assert observation_codes(database) == sorted([UMEA, SKELLEFTEA, "1280", VINDELN])
    with database.transaction() as session:
        (umea_story,) = [s for s in stories.stories(session) if len(s.copies) > 1]
    assert len(umea_story.copies) == 4  # the update in place joined its story as another copy
