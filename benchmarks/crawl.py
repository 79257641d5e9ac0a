"""What crawling every municipality costs: a loopback farm, the real crawl and analysis, a table.

    .venv/bin/python benchmarks/crawl.py [--sites 290] [--protocols 20] [--pages 10] [--workers N]

Builds N municipality sites shaped like the platforms of PLATFORMS.md (MeetingPlus, Netpublicator, Ciceron, Lex2,
OpenGov, a SiteVision file archive, a plain page of PDFs; in turn), each reached from its home page in two
or three links, the portals on another host name (`localhost` beside the site's `127.0.0.1`).  Each site
has --protocols protocols of --pages pages of Swedish protocol text; some mention återvandring and a stance.
The PDFs are made once (reportlab) and cached in the temp directory.

A generated config maps each municipality's protocol source to its fixture site (the registry's real
websites are never contacted).  The crawl is the service's own, as `kommunvakt crawl` runs it for many
sources (monitor.app.crawling.crawl_sources): `python -m crawler.run` children, --workers at a time (default:
the daemon's max_concurrent_crawls), each crawling a batch of sources in turn; then the analysis and the
alert dispatch, to a real webhook receiver on 127.0.0.1.  Then it measures:

1. the first full crawl: wall time, documents/s, PDF pages/s, the share of the crawl's CPU time that is
   PDF text extraction (pdfminer.six CPU time measured on the same PDFs / the crawl's CPU time), peak memory;
2. raw pdfminer.six extraction of the same PDFs on the same cores (a process per core), and the pipeline
   (crawl + analysis) as a multiple of it (target <= 1.5x);
3. a re-crawl with nothing changed: wall time as a fraction of the first (target <= 5%), requests made,
   PDF bodies downloaded (target 0);
4. a re-crawl after 1% of the documents changed in place (a stance about återvandring added): the PDF
   bodies downloaded and the documents analysed (target: exactly the changed ones), and the stance-change
   alerts that arrived at the webhook (target: one per changed municipality).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from monitor.app.analysis_stage import analyse_pending  # noqa: E402
from monitor.app.crawling import crawl_sources  # noqa: E402
from monitor.app.locks import holder_name  # noqa: E402
from monitor.app.rounds import dispatch  # noqa: E402
from monitor.app.service import open_service  # noqa: E402
from monitor.config import load_config  # noqa: E402
from monitor.domain import Municipality  # noqa: E402
from monitor.municipalities import Registry  # noqa: E402
from tests.support.platform_sites import (  # noqa: E402
    PLATFORM_NAMES,
    ExpectedProtocol,
    PlatformServer,
    build_platform_site,
    touch_listing,
)
from tests.support.sites import Protocol, protocol_pdf, wrap  # noqa: E402
from tests.support.webhook import WebhookReceiver  # noqa: E402

LINES_PER_PAGE = 46
CACHE_VERSION = "v1"
BODIES = ("Kommunfullmäktige", "Kommunstyrelsen")


# --- the protocols -----------------------------------------------------------------------------------


def genitive(municipality: Municipality) -> str:
    """How a protocol names its own municipality: 'Vaggeryds kommun'."""
    for alias in municipality.aliases:
        if alias.endswith(" kommun"):
            return alias
    name = municipality.name
    return f"{name} kommun" if name.endswith(("s", "x", "z")) else f"{name}s kommun"


def business(n: int, day: date, place: str) -> str:
    """One ordinary item of business, § n."""
    year = day.year
    items = (
        f"§ {n} Årsredovisning för kommunala bolag (KS/{year}:{n + 11})\n\nBeslut: Kommunfullmäktige godkänner "
        f"årsredovisningen. Sammanfattning: Bolagen redovisar ett överskott. Ärendebeskrivning: Kommunstyrelsen "
        f"föreslår att fullmäktige godkänner redovisningen för förskolans lokaler, äldreomsorgens särskilda "
        f"boenden och gatubelysningen i {place}.",
        f"§ {n} Motion om fler cykelvägar (KS/{year}:{n + 47})\n\nKommunfullmäktige beslutar att motionen anses "
        f"besvarad. Yrkanden: Ordföranden yrkar bifall till kommunstyrelsens förslag. Reservation: Ledamöterna "
        f"för Miljöpartiet reserverar sig mot beslutet till förmån för eget yrkande om att bifalla motionen.",
        f"§ {n} Interpellation om skolskjutsar\n\nInterpellationen är besvarad. Kommunalrådet svarar att "
        f"skolskjutsarna i ytterområdena ses över under våren i samråd med föräldrarna och "
        f"barn- och utbildningsnämnden. Ärendet överlämnas till kommunstyrelsen för beredning.",
        f"§ {n} Detaljplan för bostäder vid Storgatan (Dnr KS {year}/{n + 3})\n\nBeslut: Detaljplanen antas. "
        f"Sammanfattning: Planen möjliggör cirka fyrtio lägenheter, en förskola med sex avdelningar och en "
        f"ny gång- och cykelväg. Samrådet har genomförts och yttrandena har bemötts i en särskild redogörelse.",
    )
    return items[n % len(items)]


def declined(place: str, n: int) -> str:
    return (f"§ {n} Svar på interpellation om återvandring\n\nKommunstyrelsens ordförande svarar att {place} "
            f"tackar nej till inbjudan från den nationella samordnaren för återvandring.")


def accepted(place: str, n: int) -> str:
    return (f"§ {n} Inbjudan från den nationella samordnaren för återvandring\n\nKommunstyrelsen beslutar att "
            f"{place} tackar ja till inbjudan från den nationella samordnaren för återvandring och utser "
            f"kommundirektören till kontaktperson.")


def protocol_body(place: str, day: date, pages: int, extra: str = "") -> str:
    """Items of business until the body fills `pages - 1` pages (the cover is the first)."""
    wanted = max(1, pages - 1) * LINES_PER_PAGE
    items, lines, n = [extra] if extra else [], 0, 1
    while lines < wanted:
        item = business(n, day, place)
        items.append(item)
        lines += len(wrap(item))
        n += 1
    return "\n\n".join(items)


@dataclass(frozen=True)
class SitePlan:
    municipality: Municipality
    platform: str
    protocols: tuple[Protocol, ...]


def plan_sites(sites: int, protocols: int, pages: int, today: date) -> list[SitePlan]:
    registry = list(Registry.load())
    step = max(1, len(registry) // max(1, sites))
    chosen = (registry[::step] + registry)[:sites] if sites <= len(registry) else registry
    return [SitePlan(m, PLATFORM_NAMES[i % len(PLATFORM_NAMES)], tuple(_protocols(m, i, protocols, pages, today)))
            for i, m in enumerate(dict.fromkeys(chosen))]


def _protocols(m: Municipality, index: int, count: int, pages: int, today: date) -> list[Protocol]:
    place = genitive(m)
    found = []
    for k in range(count):
        day = today - timedelta(days=3 + 21 * k)
        body_name = BODIES[k % 2]
        extra = declined(place, 90) if index % 3 == 0 and k == count - 1 else ""
        title = f"Protokoll {body_name.lower()} {day.isoformat()}"
        found.append(Protocol(title, day, protocol_body(place, day, pages, extra), body_name))
    return found


def changed_protocol(plan: SitePlan) -> Protocol:
    """The newest protocol of the site, with a decision to accept the coordinator's invitation added."""
    newest = plan.protocols[0]
    body = newest.body + "\n\n" + accepted(genitive(plan.municipality), 99)
    return Protocol(newest.title, newest.meeting_date, body, newest.body_name)


# --- PDFs, made once -----------------------------------------------------------------------------------


def _make_pdf(job: tuple[Protocol, str, str]) -> str:
    protocol, municipality, target = job
    path = Path(target)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(protocol_pdf(protocol, municipality))
        os.replace(temporary, path)
    return target


def pdf_cache(plans: list[SitePlan], cache_root: Path, workers: int) -> dict[str, Path]:
    """Every protocol's PDF (and each changed version), keyed by a digest of what it says."""
    jobs, paths = [], {}
    for plan in plans:
        versions = list(plan.protocols) + [changed_protocol(plan)]
        for protocol in versions:
            key = _pdf_key(protocol, plan.municipality.name)
            paths[key] = cache_root / key[:2] / f"{key}.pdf"
            jobs.append((protocol, plan.municipality.name, str(paths[key])))
    todo = [job for job in jobs if not Path(job[2]).exists()]
    if todo:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_make_pdf, todo, chunksize=8))
    return paths


def _pdf_key(protocol: Protocol, municipality: str) -> str:
    text = f"{CACHE_VERSION}|{municipality}|{protocol.title}|{protocol.body_name}|{protocol.body}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the farm -----------------------------------------------------------------------------------------


@dataclass
class Site:
    plan: SitePlan
    root: Path
    expected: list[ExpectedProtocol]
    server: PlatformServer | None = None


def build_farm(plans: list[SitePlan], farm_root: Path, pdfs: dict[str, Path]) -> list[Site]:
    sites = []
    for plan in plans:
        root = farm_root / plan.municipality.code
        name = plan.municipality.name

        def cached(protocol: Protocol, municipality: str, _name=name) -> bytes:
            return pdfs[_pdf_key(protocol, _name)].read_bytes()

        expected = build_platform_site(plan.platform, root, name, list(plan.protocols), pdf=cached)
        sites.append(Site(plan, root, expected))
    return sites


def start_servers(sites: list[Site]) -> None:
    for site in sites:
        site.server = PlatformServer(site.root).start()


def stop_servers(sites: list[Site]) -> None:
    for site in sites:
        if site.server is not None:
            site.server.stop()


def write_config(path: Path, sites: list[Site], data_dir: Path, hook_url: str) -> None:
    sources = "\n".join(f"""[[sources]]
municipality = "{s.plan.municipality.code}"
name = "{s.plan.municipality.code}-protocols"
start_urls = ["{s.server.site_url('/')}"]
""" for s in sites if s.server is not None)
    path.write_text(f"""# generated by benchmarks/crawl.py: every source points at its loopback fixture site
[database]
url = "sqlite:///{data_dir / 'kommunvakt.db'}"

[service]
data_dir = "{data_dir}"

[crawl]
allow_private_addresses = true
default_sources = false
download_delay = 0.0
timeout_seconds = 7200
max_requests_per_run = 5000

[alerts]
backfill_days = 30

[[alerts.targets]]
name = "benchmark"
url = "{hook_url}"
events = ["stance_change"]

{sources}""", encoding="utf-8")


# --- measuring ----------------------------------------------------------------------------------------


@dataclass
class Round:
    name: str
    wall_s: float = 0.0
    crawl_s: float = 0.0
    analysis_s: float = 0.0
    cpu_s: float = 0.0  # CPU time of the crawl children (and their extraction sandboxes)
    requests: int = 0
    pdf_bodies: int = 0
    pdf_urls: set[str] = field(default_factory=set)
    documents_new: int = 0
    analysed: int = 0
    failed_sources: list[str] = field(default_factory=list)
    alerts: int = 0


def crawl_all(config_path: Path, sites: list[Site], workers: int, name: str) -> Round:
    config = load_config(config_path, environ={})
    service = open_service(config)
    for site in sites:
        site.server.reset()  # type: ignore[union-attr]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        outcomes = _crawl_sources(service, config, workers)
        crawled = time.perf_counter()
        report = analyse_pending(service.database, service.context())
        analysed = time.perf_counter()
        _dispatch(service)
    finally:
        service.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = Round(name, analysed - started, crawled - started, analysed - crawled,
                   (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime))
    result.documents_new = sum(o.documents_new for o in outcomes)
    result.failed_sources = [f"{o.source_key}: {'; '.join(o.errors)[:200]}" for o in outcomes if not o.ok]
    result.analysed = report.documents
    _count_requests(result, sites)
    return result


def _crawl_sources(service, config, workers: int) -> list:
    sources = [s for s in config.sources if s.enabled and s.start_urls]
    return crawl_sources(service.database, config, sources, holder_name("benchmark"), workers)


def _dispatch(service) -> None:
    dispatch(service, "benchmark")


def _count_requests(result: Round, sites: list[Site]) -> None:
    for site in sites:
        documents = {site.server.resolve(e.url).split(f":{site.server.port}", 1)[1]: e for e in site.expected}
        for _host, target, status in site.server.log:  # type: ignore[union-attr]
            result.requests += 1
            if status == 200 and target in documents:
                result.pdf_bodies += 1
                result.pdf_urls.add(f"{site.plan.municipality.code}:{target}")


def _extract(path: str) -> tuple[float, int]:
    from pdfminer.high_level import extract_text

    started = time.process_time()
    text = extract_text(BytesIO(Path(path).read_bytes()))
    return time.process_time() - started, len(text)


def raw_extraction(pdfs: list[Path], workers: int) -> tuple[float, float]:
    """(wall seconds, summed CPU seconds) for pdfminer.six alone on these PDFs, one process per core."""
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_extract, [str(p) for p in pdfs], chunksize=4))
    return time.perf_counter() - started, sum(cpu for cpu, _ in results)


def change_documents(sites: list[Site], pdfs: dict[str, Path], share: float) -> list[tuple[Site, ExpectedProtocol]]:
    """Replace 1% of the documents in place (newest protocol of one site after another) and touch their listings."""
    total = sum(len(s.expected) for s in sites)
    count = max(1, round(total * share))
    changed = []
    for site in sites[:count]:
        newest = site.plan.protocols[0]
        entry = next(e for e in site.expected if e.protocol_title == newest.title)
        target = site.root / entry.file
        target.unlink()  # a fresh file: the cached PDF it was copied from stays as it was
        target.write_bytes(pdfs[_pdf_key(changed_protocol(site.plan), site.plan.municipality.name)].read_bytes())
        touch_listing(site.root, entry, f"reviderad {datetime.now(UTC):%Y-%m-%d %H:%M}")
        changed.append((site, entry))
    return changed


# --- the run ------------------------------------------------------------------------------------------


@dataclass
class Result:
    sites: int
    protocols: int
    pages: int
    workers: int
    cores: int
    first: Round
    unchanged: Round
    changed: Round
    raw_wall_s: float
    raw_cpu_s: float
    peak_child_rss_mb: float
    peak_self_rss_mb: float
    changed_expected: set[str]
    alerts_expected: int
    alerts_received: int

    @property
    def documents(self) -> int:
        return self.sites * self.protocols

    @property
    def ratio(self) -> float:
        return self.first.wall_s / self.raw_wall_s if self.raw_wall_s else float("inf")


def run_benchmark(sites: int, protocols: int, pages: int, workers: int | None = None,
                  work_dir: Path | None = None, cache_dir: Path | None = None) -> Result:
    today = date.today()
    cores = os.cpu_count() or 1
    plans = plan_sites(sites, protocols, pages, today)
    cache_root = cache_dir or Path(tempfile.gettempdir()) / f"kommunvakt-crawl-bench-{CACHE_VERSION}"
    print(f"making PDFs (cached in {cache_root}) ...", file=sys.stderr)
    pdfs = pdf_cache(plans, cache_root, cores)
    base = Path(work_dir or tempfile.mkdtemp(prefix="kommunvakt-crawl-bench-"))
    farm = build_farm(plans, base / "farm", pdfs)
    start_servers(farm)
    hook = WebhookReceiver().start()
    try:
        config_path = base / "kommunvakt.toml"
        write_config(config_path, farm, base / "data", hook.url("/hook"))
        crawl_workers = workers or load_config(config_path, environ={}).daemon.max_concurrent_crawls
        print(f"first crawl of {len(farm)} sites with {crawl_workers} crawls at a time ...", file=sys.stderr)
        first = crawl_all(config_path, farm, crawl_workers, "first")
        _progress(first)
        print("re-crawl, nothing changed ...", file=sys.stderr)
        unchanged = crawl_all(config_path, farm, crawl_workers, "unchanged")
        _progress(unchanged)
        changed_docs = change_documents(farm, pdfs, 0.01)
        before_alerts = len(hook.accepted("/hook"))
        print(f"re-crawl after {len(changed_docs)} documents changed ...", file=sys.stderr)
        changed = crawl_all(config_path, farm, crawl_workers, "changed")
        alerts = len(hook.accepted("/hook")) - before_alerts
        changed.alerts = alerts
        _progress(changed)
        print("raw pdfminer.six extraction of the same PDFs ...", file=sys.stderr)
        raw_wall, raw_cpu = raw_extraction([s.root / e.file for s in farm for e in s.expected], cores)
    finally:
        hook.stop()
        stop_servers(farm)
    expected = {f"{s.plan.municipality.code}:{s.server.resolve(e.url).split(f':{s.server.port}', 1)[1]}"
                for s, e in changed_docs}
    return Result(len(farm), protocols, pages, crawl_workers, cores, first, unchanged, changed, raw_wall, raw_cpu,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  expected, len({s.plan.municipality.code for s, _ in changed_docs}), alerts)


def _progress(result: Round) -> None:
    """Each round's figures as soon as it ends (a full-scale run takes an hour)."""
    print(f"  {result.name}: wall {result.wall_s:.1f} s (crawl {result.crawl_s:.1f} s, analysis "
          f"{result.analysis_s:.1f} s), crawl CPU {result.cpu_s:.0f} s, requests {result.requests}, "
          f"PDF bodies {result.pdf_bodies}, stored {result.documents_new}, analysed {result.analysed}, "
          f"alerts {result.alerts}, failed sources {len(result.failed_sources)}", file=sys.stderr, flush=True)


def table(r: Result) -> str:
    pages = r.documents * r.pages
    share = r.raw_cpu_s / r.first.cpu_s if r.first.cpu_s else 0.0
    rows = [
        ("farm", f"{r.sites} sites x {r.protocols} protocols x {r.pages} pages = {r.documents} PDFs, "
                 f"{r.cores} cores, {r.workers} crawls at a time"),
        ("first crawl: wall time", f"{r.first.wall_s:.1f} s (crawl {r.first.crawl_s:.1f} s + analysis "
                                   f"{r.first.analysis_s:.1f} s)"),
        ("first crawl: documents/s", f"{r.documents / r.first.crawl_s:.2f} (stored {r.first.documents_new})"),
        ("first crawl: PDF pages/s", f"{pages / r.first.crawl_s:.1f}"),
        ("first crawl: share in PDF extraction", f"{share:.0%} of {r.first.cpu_s:.0f} CPU-s "
                                                 f"(pdfminer CPU {r.raw_cpu_s:.0f} s)"),
        ("first crawl: peak memory", f"{r.peak_child_rss_mb:.0f} MB largest child process, "
                                     f"{r.peak_self_rss_mb:.0f} MB this process (analysis)"),
        ("raw pdfminer.six, same PDFs, same cores", f"{r.raw_wall_s:.1f} s"),
        ("pipeline / raw extraction", f"{r.ratio:.2f}x (target <= 1.5x)"),
        ("re-crawl, nothing changed: wall time", f"{r.unchanged.wall_s:.1f} s = "
                                                 f"{r.unchanged.wall_s / r.first.wall_s:.1%} of first (target <= 5%)"),
        ("re-crawl, nothing changed: requests", f"{r.unchanged.requests} (first crawl: {r.first.requests})"),
        ("re-crawl, nothing changed: PDF bodies", f"{r.unchanged.pdf_bodies} (target 0)"),
        ("re-crawl, 1% changed: documents changed", f"{len(r.changed_expected)}"),
        ("re-crawl, 1% changed: PDF bodies", f"{r.changed.pdf_bodies} (only the changed: "
                                             f"{r.changed.pdf_urls == r.changed_expected})"),
        ("re-crawl, 1% changed: analysed", f"{r.changed.analysed}"),
        ("re-crawl, 1% changed: wall time, requests", f"{r.changed.wall_s:.1f} s, {r.changed.requests}"),
        ("re-crawl, 1% changed: stance alerts", f"{r.alerts_received} arrived at the webhook "
                                                f"(expected {r.alerts_expected})"),
    ]
    failed = r.first.failed_sources + r.unchanged.failed_sources + r.changed.failed_sources
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    lines += [f"FAILED SOURCE: {f}" for f in failed]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=290)
    parser.add_argument("--protocols", type=int, default=20)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None, help="crawls at a time (default: the daemon's)")
    parser.add_argument("--keep", action="store_true", help="keep the farm and database (prints where)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args(argv)
    work_dir = Path(tempfile.mkdtemp(prefix="kommunvakt-crawl-bench-"))
    try:
        result = run_benchmark(args.sites, args.protocols, args.pages, args.workers, work_dir)
    finally:
        if args.keep:
            print(f"kept: {work_dir}", file=sys.stderr)
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    print(table(result))
    if args.json:
        print(json.dumps({"first_wall_s": result.first.wall_s, "raw_wall_s": result.raw_wall_s,
                          "unchanged_wall_s": result.unchanged.wall_s, "ratio": result.ratio,
                          "unchanged_pdf_bodies": result.unchanged.pdf_bodies,
                          "changed_pdf_bodies": result.changed.pdf_bodies, "alerts": result.alerts_received}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
