"""The site in a real headless browser (Debian's chromium + chromium-driver, driven by Selenium), served by
`kommunvakt serve` with its strict Content-Security-Policy.  Screenshots land in the test's temporary folder."""

from __future__ import annotations

import shutil

import pytest

from monitor.municipalities import Registry
from tests.support.readers_site import KIRUNA_ACCEPT
from tests.support.site_server import served

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser(tmp_path):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("no headless browser here: install Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver; .ci/run does)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--no-first-run", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chromium-profile'}",
                     "--window-size=1280,1900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def console_problems(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def test_map_click_opens_the_page_with_the_quote_and_the_table_filters_by_county(published, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    with served(published.config_path) as base:
        browser.get(base)
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Kommunernas hållning")
        WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "filters").is_displayed())
        assert console_problems(browser) == []  # no errors and no CSP violations
        browser.save_screenshot(str(tmp_path / "index.png"))

        norrbotten = [m for m in Registry.load() if m.code.startswith("25")]
        Select(browser.find_element(By.ID, "filter-county")).select_by_value("25")
        visible = [row for row in browser.find_elements(By.CSS_SELECTOR, "#stances tbody tr") if row.is_displayed()]
        assert sorted(row.get_attribute("data-code") for row in visible) == sorted(m.code for m in norrbotten)
        assert browser.find_element(By.ID, "shown").text == f"{len(norrbotten)} visas"
        Select(browser.find_element(By.ID, "filter-stance")).select_by_value("accepted")
        visible = [row for row in browser.find_elements(By.CSS_SELECTOR, "#stances tbody tr") if row.is_displayed()]
        assert [row.get_attribute("data-code") for row in visible] == ["2584"]

        browser.find_element(By.CSS_SELECTOR, "#stances thead th:first-child").click()  # sort by name
        browser.find_element(By.CSS_SELECTOR, "#stances thead th:first-child").click()  # and back
        names = [row.get_attribute("data-code") for row in browser.find_elements(By.CSS_SELECTOR, "#stances tbody tr")]
        assert len(names) == 290

        browser.find_element(By.CSS_SELECTOR, "svg a[href='municipalities/2584.html'] path").click()
        WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/municipalities/2584.html"))
        assert browser.find_element(By.CSS_SELECTOR, "blockquote.evidence").text == KIRUNA_ACCEPT
        assert "accepterat" in browser.find_element(By.CSS_SELECTOR, "section.current h2").text
        assert console_problems(browser) == []
        browser.save_screenshot(str(tmp_path / "kiruna.png"))
    assert (tmp_path / "index.png").stat().st_size > 10_000 and (tmp_path / "kiruna.png").stat().st_size > 10_000
    print(f"screenshots: {tmp_path / 'index.png'} {tmp_path / 'kiruna.png'}")
