"""Protocol text for the review tests (issue 14), written for this project.

Vaggeryd welcomes the coordinator with no decision behind it: the analysis reads a weak acceptance
(confidence 0.8, below the default 0.85 for `accepted`), so it must be held for review. In the same protocol a
party in Habo refuses, which is no municipality's stance: a candidate for review with its sentence.
"""

from __future__ import annotations

WELCOME_SENTENCE = ("Vaggeryds kommun välkomnar den nationella samordnaren för återvandring och bjuder in henne "
                    "till ett samtal under hösten.")
PARTY_SENTENCE = "Ordföranden informerar om att Centerpartiet i Habo nobbar samordnaren för återvandring."

WEAK_ACCEPTANCE_PROTOCOL = f"""Protokoll kommunstyrelsen, Vaggeryds kommun

§ 7 Inbjudan från den nationella samordnaren för återvandring

{WELCOME_SENTENCE}

§ 8 Information

{PARTY_SENTENCE}"""
