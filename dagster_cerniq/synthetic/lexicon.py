"""The vocabulary as numpy byte arrays and templates, ready for vectorised picking."""

from __future__ import annotations

import functools

import numpy as np

from dagster_cerniq.synthetic import vocabulary as vocab
from dagster_cerniq.synthetic.encoding import encode
from dagster_cerniq.synthetic.templates import CategorisedTemplates, Phrases, Templates


def shares(pairs: tuple[tuple[str, float], ...]) -> tuple[np.ndarray, np.ndarray]:
    names = encode([name for name, _ in pairs])
    weights = np.array([weight for _, weight in pairs])
    return names, weights / weights.sum()


def _flat_localities() -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, np.ndarray]:
    counts = np.array([len(county.localities) for county in vocab.COUNTIES])
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    places = [place for county in vocab.COUNTIES for place in county.localities]
    latitudes = np.array([place.latitude for place in places])
    longitudes = np.array([place.longitude for place in places])
    return counts, offsets, [place.name for place in places], latitudes, longitudes


class Lexicon:
    """The word lists and templates of `vocabulary` as byte arrays and `Templates`."""

    def __init__(self) -> None:
        self.segment_names, self.segment_shares = shares(vocab.SEGMENTS)
        self.county_names = Phrases([county.name for county in vocab.COUNTIES])
        weights = np.array([county.weight for county in vocab.COUNTIES])
        self.county_shares = weights / weights.sum()
        (
            self.locality_counts,
            self.locality_offsets,
            locality_names,
            self.latitudes,
            self.longitudes,
        ) = _flat_localities()
        self.locality_names = Phrases(locality_names)
        self.first_names = Phrases(vocab.MALE_FIRST_NAMES + vocab.FEMALE_FIRST_NAMES)
        self.surnames = Phrases(vocab.SURNAMES)
        self.first_name_handles = _email_handles(vocab.MALE_FIRST_NAMES + vocab.FEMALE_FIRST_NAMES)
        self.surname_handles = _email_handles(vocab.SURNAMES)
        self.company_names = [Templates(names) for names in vocab.COMPANY_NAME_TEMPLATES]
        self.products = Phrases(vocab.PRODUCTS)
        self.seeds = Phrases(vocab.SEEDS)
        self.competitors = encode(vocab.COMPETITORS)
        self.inbound_categories = (
            vocab.INBOUND_THANKS,
            vocab.INBOUND_PRICE_COMPLAINTS,
            vocab.INBOUND_QUALITY_COMPLAINTS,
            vocab.INBOUND_LATE_DELIVERY,
            vocab.INBOUND_COMPETITOR_MENTIONS,
            vocab.INBOUND_ORDER_REQUESTS,
            vocab.INBOUND_QUESTIONS,
        )
        self.inbound = CategorisedTemplates(self.inbound_categories)
        self.inbound_greetings = Templates(vocab.INBOUND_GREETINGS)
        self.inbound_closings = Templates(vocab.INBOUND_CLOSINGS)
        self.outbound = CategorisedTemplates(
            (
                vocab.OUTBOUND_ORDER_CONFIRMATIONS,
                vocab.OUTBOUND_OFFERS,
                vocab.OUTBOUND_FOLLOW_UPS,
                vocab.OUTBOUND_PAYMENT_REMINDERS,
            )
        )
        self.outbound_greetings = Templates(vocab.OUTBOUND_GREETINGS)
        self.outbound_closings = Templates(vocab.OUTBOUND_CLOSINGS)
        self.ticket_subjects = Templates([subject for subject, _ in vocab.TICKET_SUBJECTS])
        self.ticket_severity = np.array([severity for _, severity in vocab.TICKET_SUBJECTS])
        self.ticket_priorities = encode(vocab.TICKET_PRIORITIES)
        self.nps_comments = CategorisedTemplates(
            (
                vocab.NPS_DETRACTOR_COMMENTS,
                vocab.NPS_PASSIVE_COMMENTS,
                vocab.NPS_PROMOTER_COMMENTS,
            )
        )
        self.referral_contexts = Templates(vocab.REFERRAL_CONTEXTS)
        self.email_domains = encode(vocab.PERSONAL_EMAIL_DOMAINS)
        self.mobile_prefixes = encode(vocab.MOBILE_PREFIXES)


def _email_handles(names: tuple[str, ...]) -> np.ndarray:
    """Names as they appear in e-mail addresses: lower case ASCII, no spaces."""
    return encode([vocab.strip_diacritics(name).lower().replace(" ", "") for name in names])


@functools.cache
def lexicon() -> Lexicon:
    """The vocabulary as byte arrays, built once per process."""
    return Lexicon()
