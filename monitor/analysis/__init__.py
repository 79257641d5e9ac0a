"""The analysis: pure functions from a document's text to mentions, municipalities and stances.

    text = clean_text(extracted)                      # once, before storing
    result = analyze(text, load_topic(), Registry.load(), owner_code="0665")

Nothing here touches a database, the network or the clock.
"""

from monitor.analysis.analyze import analyze
from monitor.analysis.mentions import find_mentions
from monitor.analysis.normalise import clean_text
from monitor.analysis.topic import Topic, load_topic

__all__ = ["Topic", "analyze", "clean_text", "find_mentions", "load_topic"]
