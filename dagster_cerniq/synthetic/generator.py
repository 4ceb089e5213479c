"""One tenant's synthetic history, generated column-wise with numpy and rendered as COPY text.

All randomness of a tenant comes from one generator seeded with (seed, tenant id), consumed in a
fixed order, so a tenant's rows depend on nothing else. Times are whole seconds since the Unix
epoch (UTC); every event lies in the two years that end with the as-of day.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass
from functools import cache

import numpy as np

from dagster_cerniq.synthetic import vocabulary as vocab
from dagster_cerniq.synthetic.encoding import (
    SECONDS_PER_DAY,
    concat,
    copy_text,
    encode,
    format_booleans,
    format_fixed_point,
    format_integers,
    format_timestamps,
    format_zero_padded,
    random_uuids,
    with_nulls,
)
from dagster_cerniq.synthetic.lexicon import Lexicon, lexicon, shares
from dagster_cerniq.synthetic.templates import CategorisedTemplates, Templates

HOUR = 3600
DAY = SECONDS_PER_DAY
HISTORY_DAYS = 730
ID_PREFIX_BYTES = 2

NEW_CLIENT_SHARE = 0.04
PROSPECT_SHARE = 0.04
# Clients go quiet (stop ordering) at any time of the history, not only in its last year: churn
# is a steady process, so a model fitted on past dates meets the same churn rate later.
QUIET_CLIENT_SHARE = 0.25  # of the clients old enough to go quiet
QUIET_GAP_DAYS = (60, HISTORY_DAYS - 90)
CHAMPION_SHARE = 0.002
MIN_CHAMPIONS = 2

# Orders per active year by segment (order of vocab.SEGMENTS), before each client's own pace.
ORDERS_PER_YEAR = np.array([6.0, 9.0, 14.0, 12.0, 20.0])
# Median order value in RON by segment, and the spread of the lognormal around it.
MEDIAN_ORDER_RON = np.array([9_000.0, 28_000.0, 85_000.0, 60_000.0, 110_000.0])
ORDER_VALUE_SIGMA = 0.8
CANCELLED_SHARE = 0.05
# Relative ordering activity by calendar month: sowing in spring, autumn sowing and harvest.
MONTH_ACTIVITY = np.array([0.45, 0.6, 1.9, 2.3, 1.6, 0.7, 0.6, 0.8, 1.8, 1.6, 0.6, 0.35])

PAYMENT_TERM_DAYS = 30
PAYER_SHARES = {"punctual": 0.73, "late": 0.22, "defaulting": 0.05}
QUIET_EXTRA_DEFAULTING = 0.12

ORDER_REQUEST_SHARE = 0.15
ORDER_CONFIRMATION_SHARE = 0.25
INBOUND_PER_YEAR = 1.6
OUTBOUND_PER_YEAR = 1.2
PLAIN_TEXT_SHARE = 0.4  # inbound messages typed without diacritics
INBOUND_CHANNELS = (
    ("EMAIL", 0.25),
    ("WHATSAPP", 0.35),
    ("SMS", 0.10),
    ("PHONE", 0.20),
    ("WEB", 0.10),
)
OUTBOUND_CHANNELS = (("EMAIL", 0.45), ("WHATSAPP", 0.30), ("SMS", 0.20), ("PHONE", 0.05))

TICKET_CLIENT_SHARE = 0.12
UNHAPPY_EXTRA_TICKET_SHARE = 0.10
STUCK_TICKET_SHARE = 0.06
ESCALATION_BY_PRIORITY = np.array([0.03, 0.08, 0.25, 0.5])
STUCK_ESCALATION = 0.6

NPS_RESPONSE_SHARE = 0.3
CHAMPION_NPS_RESPONSE_SHARE = 0.7
NPS_DELAY_DAYS = 3
NPS_CHANNELS = (("EMAIL", 0.55), ("WHATSAPP", 0.35), ("SMS", 0.10))
NPS_COMMENT_SHARE = 0.4

# Where farms are: in villages around each locality, the same villages for every tenant (a
# place does not depend on who supplies it), a few hundred metres apart within a village; some
# clients have no location on record. A tenant's villages drawn from a stream of their own, so
# every other column is what it was before villages existed.
VILLAGE_SEED = 20260119
VILLAGES_PER_LOCALITY = 12
VILLAGE_DISTANCE_KM = (2.0, 25.0)
# Of the scatter around a locality the generator drew before villages (sd 0.03 deg latitude,
# 0.04 deg longitude): about 0.7 km around a village.
VILLAGE_SCATTER = 0.2
NO_LOCATION_SHARE = 0.03
GEOGRAPHY_STREAM = 1
KM_PER_DEGREE = 111.32
# Villages east of this longitude would be in the Black Sea: they are mirrored inland.
COAST_LONGITUDE = 28.7

REFERRER_SHARE = 0.06
REFERRAL_CONVERSION = 0.25
CHAMPION_CONVERSION = 0.85
REFERRAL_LIFETIME_DAYS = 90


@cache
def villages(
    latitudes: tuple[float, ...], longitudes: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """(latitude, longitude) of VILLAGES_PER_LOCALITY villages around each locality, shape
    (localities, villages): at VILLAGE_DISTANCE_KM from it in every direction, inland."""
    rng = np.random.default_rng(VILLAGE_SEED)
    shape = (len(latitudes), VILLAGES_PER_LOCALITY)
    km = rng.uniform(*VILLAGE_DISTANCE_KM, shape)
    bearing = rng.uniform(0, 2 * math.pi, shape)
    town_lat = np.array(latitudes)[:, None]
    town_lon = np.array(longitudes)[:, None]
    north = km * np.cos(bearing) / KM_PER_DEGREE
    east = km * np.sin(bearing) / (KM_PER_DEGREE * np.cos(np.radians(town_lat)))
    east = np.where(town_lon + east > COAST_LONGITUDE, -east, east)
    return town_lat + north, town_lon + east


@dataclass(frozen=True)
class TableRows:
    """Rows of one table, ready for `COPY table (columns) FROM STDIN`."""

    table: str
    columns: tuple[str, ...]
    rows: int
    payload: bytes


def _categorical(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One draw per row of a (rows, categories) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    draws = rng.random(len(probabilities))[:, None] * cumulative[:, -1:]
    return np.minimum((draws >= cumulative).sum(axis=1), probabilities.shape[1] - 1)


def _uniform_between(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Whole seconds drawn uniformly from [low, high] per row (high clipped up to low)."""
    span = np.maximum(np.asarray(high) - np.asarray(low), 0)
    return np.asarray(low) + (rng.random(len(span)) * (span + 1)).astype(np.int64)


def _working_hours_between(
    rng: np.random.Generator, low: np.ndarray, high: np.ndarray
) -> np.ndarray:
    """Times on a day drawn uniformly from [low, high], during the Romanian working day
    (05:00-18:00 UTC), kept within [low, high]."""
    day = _uniform_between(rng, np.asarray(low) // DAY, np.asarray(high) // DAY)
    moment = day * DAY + rng.integers(5 * HOUR, 18 * HOUR, len(day))
    return np.clip(moment, low, np.maximum(low, high))


def cui_check_digit(bases: np.ndarray) -> np.ndarray:
    """The check digit of Romanian fiscal codes (CUI) for bases of up to 9 digits."""
    key = np.array([7, 5, 3, 2, 1, 7, 5, 3, 2])
    digits = np.stack([(bases // 10**power) % 10 for power in range(8, -1, -1)], axis=1)
    check = (digits @ key) * 10 % 11
    return np.where(check == 10, 0, check)


def _romanian_cuis(rng: np.random.Generator, count: int) -> np.ndarray:
    bases = rng.integers(100_000, 9_999_999, size=count)
    return format_integers(bases * 10 + cui_check_digit(bases))


def _mobile_phones(rng: np.random.Generator, words: Lexicon, count: int) -> np.ndarray:
    prefix = words.mobile_prefixes[rng.integers(0, len(words.mobile_prefixes), count)]
    return concat(prefix, format_zero_padded(rng.integers(0, 10**7, count), 7))


def _append_rows(first: list[np.ndarray], second: list[np.ndarray]) -> list[np.ndarray]:
    """Two texts given as piece lists, rows of `second` after those of `first`.

    The shorter list is padded with empty pieces so that the pieces line up.
    """
    width = max(len(first), len(second))

    def padded(pieces: list[np.ndarray]) -> list[np.ndarray]:
        empty = np.zeros(len(pieces[0]), dtype="S1")
        return pieces + [empty] * (width - len(pieces))

    return [np.concatenate(pair) for pair in zip(padded(first), padded(second), strict=True)]


@dataclass
class _People:
    """Persons as indices into the name lists, with their rendered names."""

    first: np.ndarray
    surname: np.ndarray
    full_name: np.ndarray


@dataclass
class _Clients:
    ids: np.ndarray
    names: np.ndarray
    segment: np.ndarray
    locality: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    quiet: np.ndarray
    new: np.ndarray
    prospect: np.ndarray
    champion: np.ndarray
    mood: np.ndarray
    payer: np.ndarray
    pace: np.ndarray
    owner: _People

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class _Orders:
    ids: np.ndarray
    client: np.ndarray
    ordered_at: np.ndarray
    delivered_at: np.ndarray
    delivered: np.ndarray
    cancelled: np.ndarray
    value_cents: np.ndarray


class TenantGenerator:
    """Generates every table of one tenant; `tables()` returns them in foreign-key order."""

    def __init__(
        self,
        seed: int,
        tenant_id: uuid.UUID,
        clients: int,
        as_of: dt.date,
    ):
        self.rng = np.random.default_rng([seed, tenant_id.int])
        self.geography_rng = np.random.default_rng([seed, tenant_id.int, GEOGRAPHY_STREAM])
        self.words = lexicon()
        self.tenant_id = tenant_id.hex.encode()
        self.client_count = clients
        epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        day_after = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), dt.UTC)
        self.end = int((day_after - epoch).total_seconds())
        self.latest = self.end - 1  # the last second of the as-of day
        self.history_start = self.end - HISTORY_DAYS * DAY
        self.tenant_created_at = self.history_start - int(self.rng.integers(60 * DAY, 240 * DAY))
        prefix = vocab.SUPPLIER_PREFIXES[self.rng.integers(0, len(vocab.SUPPLIER_PREFIXES))]
        region = vocab.SUPPLIER_REGIONS[self.rng.integers(0, len(vocab.SUPPLIER_REGIONS))]
        self.tenant_name = f"{prefix} {region}"
        # All ids of the tenant share a random 16-bit prefix, so that loading a tenant fills
        # one region of each primary-key index instead of touching every page of it; the
        # remaining random bits keep them unique.
        self.id_prefix = self.rng.integers(0, 256, size=ID_PREFIX_BYTES, dtype=np.uint8).tobytes()

    def tables(self) -> list[TableRows]:
        tenant = self._tenant()
        users, active_managers = self._users()
        clients = self._clients()
        orders = self._orders(clients)
        # A client is on record a little before its first order.
        first_order_at = np.full(len(clients), self.end)
        np.minimum.at(first_order_at, orders.client, orders.ordered_at)
        created_at = np.minimum(clients.start, first_order_at) - self.rng.integers(
            0, 20 * DAY, len(clients)
        )
        return [
            tenant,
            users,
            self._client_rows(clients, created_at, active_managers),
            self._contacts(clients, created_at),
            self._order_rows(clients, orders),
            self._invoices(clients, orders),
            self._messages(clients, orders),
            self._tickets(clients),
            self._nps_surveys(clients, orders),
            self._referrals(clients),
        ]

    # -- helpers --------------------------------------------------------------------------

    def _table(self, table: str, columns: dict[str, object], rows: int) -> TableRows:
        return TableRows(table, tuple(columns), rows, copy_text(list(columns.values()), rows))

    def _ids(self, count: int) -> np.ndarray:
        return random_uuids(self.rng, count, self.id_prefix)

    def _tenant_column(self, rows: int) -> np.ndarray:
        return np.full(rows, self.tenant_id, dtype="S32")

    def _soon_after(
        self, start: np.ndarray, shortest: int, longest: int, limit: np.ndarray | int | None = None
    ) -> np.ndarray:
        """Times from `shortest` to `longest` seconds after `start`, none after `limit`
        (by default the end of the as-of day)."""
        limit = self.latest if limit is None else limit
        return _uniform_between(
            self.rng, np.minimum(start + shortest, limit), np.minimum(start + longest, limit)
        )

    def _pick(self, pairs: tuple[tuple[str, float], ...], count: int) -> np.ndarray:
        names, weights = shares(pairs)
        return names[self.rng.choice(len(names), size=count, p=weights)]

    def _people(self, count: int) -> _People:
        words = self.words
        male = len(vocab.MALE_FIRST_NAMES)
        female = len(vocab.FEMALE_FIRST_NAMES)
        is_female = self.rng.random(count) < 0.3
        first = np.where(
            is_female,
            male + self.rng.integers(0, female, count),
            self.rng.integers(0, male, count),
        )
        surname = self.rng.integers(0, len(words.surnames), count)
        full_name = concat(words.first_names.pick(first), b" ", words.surnames.pick(surname))
        return _People(first, surname, full_name)

    def _emails(self, people: _People) -> np.ndarray:
        words = self.words
        count = len(people.first)
        first = words.first_name_handles[people.first]
        surname = words.surname_handles[people.surname]
        domain = words.email_domains[self.rng.integers(0, len(words.email_domains), count)]
        number = format_integers(self.rng.integers(1, 99, count))
        surname_first = self.rng.random(count) < 0.4
        handle = np.where(
            surname_first,
            concat(surname, b".", first, number),
            concat(first, b".", surname),
        )
        return concat(handle, b"@", domain)

    # -- tenants and users ---------------------------------------------------------------

    def _tenant(self) -> TableRows:
        columns = {
            "id": self._tenant_column(1),
            "name": encode([f"{self.tenant_name} SRL"]),
            "created_at": format_timestamps(np.array([self.tenant_created_at])),
        }
        return self._table("tenants", columns, 1)

    def _users(self) -> tuple[TableRows, np.ndarray]:
        count = int(self.rng.integers(3, 9))
        people = self._people(count)
        domain = vocab.strip_diacritics(self.tenant_name).lower().replace(" ", "-") + ".ro"
        handles: list[str] = []
        for first, surname in zip(people.first, people.surname, strict=True):
            base = (
                f"{self.words.first_name_handles[first].decode()}."
                f"{self.words.surname_handles[surname].decode()}"
            )
            handle, suffix = base, 2
            while handle in handles:  # (tenant_id, email) is unique
                handle, suffix = f"{base}{suffix}", suffix + 1
            handles.append(handle)
        roles = np.full(count, b"ACCOUNT_MANAGER", dtype="S15")
        roles[0] = b"ADMIN" if self.rng.random() < 0.5 else b"MANAGER"
        active = self.rng.random(count) >= 0.15
        active[:2] = True  # the lead and at least one account manager stay active
        ids = self._ids(count)
        created_at = _uniform_between(
            self.rng,
            np.full(count, self.tenant_created_at),
            np.full(count, self.history_start),
        )
        columns = {
            "id": ids,
            "tenant_id": self._tenant_column(count),
            "email": encode([f"{handle}@{domain}" for handle in handles]),
            "full_name": people.full_name,
            "role": roles,
            "is_active": format_booleans(active),
            "created_at": format_timestamps(created_at),
        }
        managers = ids[1:][active[1:]]
        return self._table("users", columns, count), managers

    # -- clients --------------------------------------------------------------------------

    def _clients(self) -> _Clients:
        rng, words, count = self.rng, self.words, self.client_count
        segment = rng.choice(len(words.segment_names), size=count, p=words.segment_shares)
        county = rng.choice(len(words.county_shares), size=count, p=words.county_shares)
        locality = words.locality_offsets[county] + (
            rng.random(count) * words.locality_counts[county]
        ).astype(np.int64)

        new = rng.random(count) < NEW_CLIENT_SHARE
        prospect = ~new & (rng.random(count) < PROSPECT_SHARE)
        # Most clients were already buying when the history starts; later ones trickle in.
        start = self.history_start + (rng.random(count) ** 1.6 * (HISTORY_DAYS - 90) * DAY).astype(
            np.int64
        )
        start = np.where(new, self.end - rng.integers(5, 45, count) * DAY, start)
        room_days = np.minimum(QUIET_GAP_DAYS[1], (self.end - start) // DAY - 45)
        quiet = ~new & (rng.random(count) < QUIET_CLIENT_SHARE) & (room_days >= QUIET_GAP_DAYS[0])
        gap_days = _uniform_between(rng, np.full(count, QUIET_GAP_DAYS[0]), room_days)
        stop = np.where(quiet, self.end - gap_days * DAY, self.latest)

        long_standing = ~new & ~prospect & ~quiet & (start <= self.end - 365 * DAY)
        champion = np.zeros(count, dtype=bool)
        candidates = np.flatnonzero(long_standing)
        wanted = min(len(candidates), max(MIN_CHAMPIONS, round(CHAMPION_SHARE * count)))
        champion[rng.choice(candidates, size=wanted, replace=False)] = True

        mood = rng.normal(0.3, 1.0, count) - 1.0 * quiet
        mood = np.where(champion, np.maximum(mood, 1.8), mood)
        defaulting = PAYER_SHARES["defaulting"] + QUIET_EXTRA_DEFAULTING * quiet
        payer_draw = rng.random(count)
        payer = np.where(
            payer_draw < defaulting,
            2,
            np.where(payer_draw < defaulting + PAYER_SHARES["late"], 1, 0),
        )
        pace = rng.gamma(2.0, 0.5, count)

        owner = self._people(count)
        names_by_segment = []
        slots = {
            "nume": words.surnames.pick(owner.surname),
            "prenume": words.first_names.pick(owner.first),
            "localitate": words.locality_names.pick(locality),
        }
        for index, templates in enumerate(words.company_names):
            rows = np.flatnonzero(segment == index)
            chosen = rng.integers(0, len(templates), len(rows))
            pieces = templates.render(
                chosen, {name: values[rows] for name, values in slots.items()}
            )
            names_by_segment.append((rows, concat(*pieces)))
        width = max(segment_names.dtype.itemsize for _, segment_names in names_by_segment)
        names = np.zeros(count, dtype=f"S{width}")
        for rows, segment_names in names_by_segment:
            names[rows] = segment_names
        return _Clients(
            ids=self._ids(count),
            names=names,
            segment=segment,
            locality=locality,
            start=start,
            stop=stop,
            quiet=quiet,
            new=new,
            prospect=prospect,
            champion=champion,
            mood=mood,
            payer=payer,
            pace=pace,
            owner=owner,
        )

    def _client_rows(
        self, clients: _Clients, created_at: np.ndarray, managers: np.ndarray
    ) -> TableRows:
        rng, words, count = self.rng, self.words, len(clients)
        village_lat, village_lon = villages(tuple(words.latitudes), tuple(words.longitudes))
        village = self.geography_rng.integers(0, VILLAGES_PER_LOCALITY, count)
        latitude = village_lat[clients.locality, village] + VILLAGE_SCATTER * rng.normal(
            0, 0.03, count
        )
        longitude = village_lon[clients.locality, village] + VILLAGE_SCATTER * rng.normal(
            0, 0.04, count
        )
        located = self.geography_rng.random(count) >= NO_LOCATION_SHARE
        location = concat(
            b"SRID=4326;POINT(",
            format_fixed_point(np.round(longitude * 1e5).astype(np.int64), 5),
            b" ",
            format_fixed_point(np.round(latitude * 1e5).astype(np.int64), 5),
            b")",
        )
        has_manager = rng.random(count) < 0.9
        manager = managers[rng.integers(0, len(managers), count)]
        county = np.searchsorted(words.locality_offsets, clients.locality, side="right") - 1
        columns = {
            "id": clients.ids,
            "tenant_id": self._tenant_column(count),
            "company_name": clients.names,
            "cui": _romanian_cuis(rng, count),
            "county": words.county_names.pick(county),
            "locality": words.locality_names.pick(clients.locality),
            "location": with_nulls(location, ~located),
            "segment": words.segment_names[clients.segment],
            "account_manager_id": with_nulls(manager, ~has_manager),
            "created_at": format_timestamps(created_at),
            "updated_at": format_timestamps(created_at),
        }
        return self._table("gold_clients", columns, count)

    def _contacts(self, clients: _Clients, client_created_at: np.ndarray) -> TableRows:
        rng = self.rng
        second = rng.random(len(clients)) < 0.3
        client = np.concatenate([np.arange(len(clients)), np.flatnonzero(second)])
        extra = self._people(int(second.sum()))
        people = _People(
            first=np.concatenate([clients.owner.first, extra.first]),
            surname=np.concatenate([clients.owner.surname, extra.surname]),
            full_name=np.concatenate([clients.owner.full_name, extra.full_name]),
        )
        count = len(client)
        created_at = self._soon_after(client_created_at[client], 0, 2 * DAY)
        columns = {
            "id": self._ids(count),
            "tenant_id": self._tenant_column(count),
            "client_id": clients.ids[client],
            "full_name": people.full_name,
            "phone": _mobile_phones(rng, self.words, count),
            "email": self._emails(people),
            "created_at": format_timestamps(created_at),
        }
        return self._table("gold_contacts", columns, count)

    # -- orders and invoices -------------------------------------------------------------

    def _seasonal_days(self, first_day: np.ndarray, last_day: np.ndarray) -> np.ndarray:
        """Day offsets from the history start, drawn per row from [first_day, last_day]
        with the farming calendar's monthly activity as density."""
        dates = np.datetime64(dt.date(1970, 1, 1)) + (
            self.history_start // DAY + np.arange(HISTORY_DAYS)
        ).astype("timedelta64[D]")
        months = dates.astype("datetime64[M]").astype(np.int64) % 12
        cumulative = np.concatenate([[0.0], np.cumsum(MONTH_ACTIVITY[months])])
        low, high = cumulative[first_day], cumulative[last_day + 1]
        target = low + self.rng.random(len(first_day)) * (high - low)
        day = np.searchsorted(cumulative, target, side="right") - 1
        return np.clip(day, first_day, last_day)

    def _orders(self, clients: _Clients) -> _Orders:
        rng = self.rng
        active_years = (clients.stop - clients.start) / (365 * DAY)
        expected = ORDERS_PER_YEAR[clients.segment] * clients.pace * active_years
        counts = rng.poisson(expected)
        counts = np.where(clients.new, 1 + rng.poisson(0.4, len(clients)), counts)
        counts = np.where(clients.champion, np.maximum(counts, 4), counts)
        counts = np.where(clients.prospect, 0, counts)
        client = np.repeat(np.arange(len(clients)), counts)

        first_day = np.maximum(clients.start - self.history_start, 0) // DAY
        last_day = (clients.stop - self.history_start) // DAY
        day = self._seasonal_days(first_day[client], last_day[client])
        ordered_at = self.history_start + day * DAY + rng.integers(5 * HOUR, 17 * HOUR, len(day))
        ordered_at = np.maximum(ordered_at, clients.start[client])
        # In time order, as the orders were placed; this also keeps the load's inserts into the
        # created_at index sequential.
        order = np.argsort(ordered_at, kind="stable")
        client, ordered_at = client[order], ordered_at[order]
        count = len(client)

        delivered_at = (
            ordered_at + rng.integers(1, 11, count) * DAY + rng.integers(-3 * HOUR, 4 * HOUR, count)
        )
        cancelled = rng.random(count) < CANCELLED_SHARE
        delivered = ~cancelled & (delivered_at <= self.latest)
        median = MEDIAN_ORDER_RON[clients.segment[client]]
        value_ron = median * np.exp(rng.normal(0.0, ORDER_VALUE_SIGMA, count))
        value_cents = np.maximum(np.round(value_ron * 100), 10_000).astype(np.int64)
        return _Orders(
            ids=self._ids(count),
            client=client,
            ordered_at=ordered_at,
            delivered_at=delivered_at,
            delivered=delivered,
            cancelled=cancelled,
            value_cents=value_cents,
        )

    def _order_rows(self, clients: _Clients, orders: _Orders) -> TableRows:
        rng, count = self.rng, len(orders.ids)
        cancelled = orders.cancelled
        open_order = ~cancelled & ~orders.delivered
        confirmed = open_order & (
            (self.latest - orders.ordered_at > DAY) | (rng.random(count) < 0.4)
        )
        status = np.where(
            orders.delivered,
            b"DELIVERED",
            np.where(cancelled, b"CANCELLED", np.where(confirmed, b"CONFIRMED", b"PENDING")),
        )
        handled_at = self._soon_after(orders.ordered_at, HOUR, 3 * DAY)
        updated_at = np.where(
            orders.delivered,
            orders.delivered_at,
            np.where(cancelled | confirmed, handled_at, orders.ordered_at),
        )
        columns = {
            "id": orders.ids,
            "tenant_id": self._tenant_column(count),
            "client_id": clients.ids[orders.client],
            "status": status,
            "total_value": format_fixed_point(orders.value_cents, 2),
            "currency": b"RON",
            "ordered_at": format_timestamps(orders.ordered_at),
            "delivered_at": format_timestamps(orders.delivered_at, ~orders.delivered),
            "created_at": format_timestamps(orders.ordered_at),
            "updated_at": format_timestamps(updated_at),
        }
        return self._table("gold_orders", columns, count)

    def _invoices(self, clients: _Clients, orders: _Orders) -> TableRows:
        rng = self.rng
        delivered = np.flatnonzero(orders.delivered)
        count = len(delivered)
        client = orders.client[delivered]
        issued_at = orders.delivered_at[delivered]
        due_at = issued_at + PAYMENT_TERM_DAYS * DAY
        payer = clients.payer[client]
        punctual_paid = issued_at + rng.integers(2 * DAY, (PAYMENT_TERM_DAYS - 2) * DAY, count)
        late_paid = due_at + rng.integers(3 * DAY, 60 * DAY, count)
        very_late_paid = due_at + rng.integers(20 * DAY, 120 * DAY, count)
        # Defaulting clients leave their recent invoices open; older ones got paid eventually.
        recent = due_at > self.end - 150 * DAY
        defaulted = (payer == 2) & recent & (rng.random(count) < 0.75)
        paid_at = np.select([payer == 0, payer == 1], [punctual_paid, late_paid], very_late_paid)
        unpaid = defaulted | (paid_at > self.latest)
        columns = {
            "id": self._ids(count),
            "tenant_id": self._tenant_column(count),
            "client_id": clients.ids[client],
            "order_id": orders.ids[delivered],
            "amount": format_fixed_point(orders.value_cents[delivered], 2),
            "currency": b"RON",
            "issued_at": format_timestamps(issued_at),
            "due_at": format_timestamps(due_at),
            "paid_at": format_timestamps(paid_at, unpaid),
            "created_at": format_timestamps(issued_at),
        }
        return self._table("gold_invoices", columns, count)

    # -- messages -------------------------------------------------------------------------

    def _message_slots(
        self, clients: _Clients, client: np.ndarray, plain: np.ndarray | None
    ) -> dict[str, np.ndarray]:
        """Values for every template slot, one per row, spelt plainly where `plain`."""
        rng, words, count = self.rng, self.words, len(client)
        return {
            "produs": words.products.pick(rng.integers(0, len(words.products), count), plain),
            "samanta": words.seeds.pick(rng.integers(0, len(words.seeds), count), plain),
            "concurent": words.competitors[rng.integers(0, len(words.competitors), count)],
            "zile": format_integers(rng.integers(2, 15, count)),
            "procent": format_integers(rng.integers(5, 26, count)),
            "cantitate": format_integers(rng.integers(2, 20, count)),
            "localitate": words.locality_names.pick(clients.locality[client], plain),
            "prenume": words.first_names.pick(clients.owner.first[client], plain),
            "nume": words.surnames.pick(clients.owner.surname[client], plain),
        }

    def _inbound_categories(
        self, clients: _Clients, client: np.ndarray, sent_at: np.ndarray
    ) -> np.ndarray:
        # Unhappy clients complain and mention rivals; a client about to go quiet sounds
        # unhappier in its last three months. Prospects, who never bought, only ask.
        fading = clients.quiet[client] & (sent_at > clients.stop[client] - 90 * DAY)
        mood = clients.mood[client] - 1.0 * fading
        intercepts = np.array([0.0, -0.6, -1.2, -1.0, -1.3, 0.3, 0.3])
        slopes = np.array([1.0, -0.8, -0.8, -0.6, -0.9, 0.0, 0.0])
        weights = np.exp(intercepts[None, :] + slopes[None, :] * mood[:, None])
        asking = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0])
        weights = np.where(clients.prospect[client][:, None], asking[None, :], weights)
        return _categorical(self.rng, weights)

    def _messages(self, clients: _Clients, orders: _Orders) -> TableRows:
        rng, words = self.rng, self.words
        order_count = len(orders.ids)
        years = (clients.stop - clients.start) / (365 * DAY)

        requested = np.flatnonzero(rng.random(order_count) < ORDER_REQUEST_SHARE)
        confirmed = np.flatnonzero(rng.random(order_count) < ORDER_CONFIRMATION_SHARE)
        free_in = np.repeat(np.arange(len(clients)), rng.poisson(INBOUND_PER_YEAR * years))
        free_out = np.repeat(np.arange(len(clients)), rng.poisson(OUTBOUND_PER_YEAR * years))

        request_at = orders.ordered_at[requested] - rng.integers(10 * 60, 36 * HOUR, len(requested))
        confirm_at = orders.ordered_at[confirmed] + rng.integers(5 * 60, 6 * HOUR, len(confirmed))
        free_in_at = _working_hours_between(rng, clients.start[free_in], clients.stop[free_in])
        free_out_at = _working_hours_between(rng, clients.start[free_out], clients.stop[free_out])

        inbound_client = np.concatenate([orders.client[requested], free_in])
        inbound_at = np.concatenate([request_at, free_in_at])
        order_request = words.inbound_categories.index(vocab.INBOUND_ORDER_REQUESTS)
        inbound_category = np.concatenate(
            [
                np.full(len(requested), order_request),
                self._inbound_categories(clients, free_in, free_in_at),
            ]
        )

        reminder_share = np.array([0.05, 0.2, 0.45])[clients.payer[free_out]]
        is_reminder = rng.random(len(free_out)) < reminder_share
        outbound_client = np.concatenate([orders.client[confirmed], free_out])
        outbound_at = np.concatenate([confirm_at, free_out_at])
        outbound_category = np.concatenate(
            [
                np.zeros(len(confirmed), dtype=np.int64),
                np.where(is_reminder, 3, 1 + (rng.random(len(free_out)) < 0.5)),
            ]
        )

        keep_out = outbound_at <= self.latest
        outbound_client, outbound_at = outbound_client[keep_out], outbound_at[keep_out]
        outbound_category = outbound_category[keep_out]

        inbound_plain = rng.random(len(inbound_client)) < PLAIN_TEXT_SHARE
        inbound_body = self._message_bodies(
            clients,
            inbound_client,
            words.inbound.choose(rng, inbound_category),
            words.inbound,
            (words.inbound_greetings, words.inbound_closings),
            inbound_plain,
        )
        outbound_body = self._message_bodies(
            clients,
            outbound_client,
            words.outbound.choose(rng, outbound_category),
            words.outbound,
            (words.outbound_greetings, words.outbound_closings),
            None,
        )
        inbound_count, outbound_count = len(inbound_client), len(outbound_client)
        count = inbound_count + outbound_count
        inbound_channel = self._pick(INBOUND_CHANNELS, inbound_count)
        outbound_channel = self._pick(OUTBOUND_CHANNELS, outbound_count)
        sent_at = np.concatenate([inbound_at, outbound_at])
        chronological = np.argsort(sent_at, kind="stable")
        client = np.concatenate([inbound_client, outbound_client])[chronological]
        direction = np.repeat(np.array([b"INBOUND", b"OUTBOUND"]), [inbound_count, outbound_count])
        channel = np.concatenate([inbound_channel, outbound_channel])
        body = _append_rows(inbound_body, outbound_body)
        sent_at = sent_at[chronological]
        columns = {
            "id": self._ids(count),
            "tenant_id": self._tenant_column(count),
            "client_id": clients.ids[client],
            "direction": direction[chronological],
            "channel": channel[chronological],
            "body": [piece[chronological] for piece in body],
            "sent_at": format_timestamps(sent_at),
            "created_at": format_timestamps(sent_at),
        }
        return self._table("gold_client_messages", columns, count)

    def _message_bodies(
        self,
        clients: _Clients,
        client: np.ndarray,
        chosen: np.ndarray,
        texts: CategorisedTemplates,
        frame: tuple[Templates, Templates],
        plain: np.ndarray | None,
    ) -> list[np.ndarray]:
        """Greeting, text and closing of each message as pieces of fixed total count."""
        rng = self.rng
        slots = self._message_slots(clients, client, plain)
        greetings, closings = frame
        count = len(client)
        greeting = greetings.render(rng.integers(0, len(greetings), count), slots, plain)
        closing = closings.render(rng.integers(0, len(closings), count), slots, plain)
        return [*greeting, *texts.templates.render(chosen, slots, plain), *closing]

    # -- tickets, NPS answers, referrals -------------------------------------------------

    def _tickets(self, clients: _Clients) -> TableRows:
        rng, words = self.rng, self.words
        share = TICKET_CLIENT_SHARE + UNHAPPY_EXTRA_TICKET_SHARE * (clients.mood < -0.5)
        has_tickets = ~clients.prospect & (rng.random(len(clients)) < share)
        per_client = np.where(has_tickets, 1 + rng.poisson(0.6, len(clients)), 0)
        client = np.repeat(np.arange(len(clients)), per_client)
        count = len(client)

        opened_at = _working_hours_between(rng, clients.start[client], clients.stop[client])
        subject = rng.integers(0, len(words.ticket_subjects), count)
        priority = np.clip(
            words.ticket_severity[subject] + rng.choice([-1, 0, 0, 0, 1], size=count), 0, 3
        )
        closed_at = opened_at + np.round(np.exp(rng.normal(np.log(36 * HOUR), 1.0, count)))
        closed_at = closed_at.astype(np.int64)
        stuck = rng.random(count) < STUCK_TICKET_SHARE
        escalation = np.where(stuck, STUCK_ESCALATION, ESCALATION_BY_PRIORITY[priority])
        escalated_at = opened_at + rng.integers(HOUR, 48 * HOUR, count)
        escalated = (rng.random(count) < escalation) & (escalated_at <= self.latest)
        # An escalated ticket is closed only after its escalation was handled.
        closed_at = np.where(
            escalated,
            np.maximum(closed_at, escalated_at + rng.integers(2 * HOUR, 5 * DAY, count)),
            closed_at,
        )
        still_open = stuck | (closed_at > self.latest)
        slots = self._message_slots(clients, client, None)
        columns = {
            "id": self._ids(count),
            "tenant_id": self._tenant_column(count),
            "client_id": clients.ids[client],
            "subject": words.ticket_subjects.render(subject, slots),
            "priority": words.ticket_priorities[priority],
            "opened_at": format_timestamps(opened_at),
            "closed_at": format_timestamps(closed_at, still_open),
            "is_escalated": format_booleans(escalated),
            "escalated_at": format_timestamps(escalated_at, ~escalated),
            "created_at": format_timestamps(opened_at),
        }
        return self._table("gold_support_tickets", columns, count)

    def _nps_surveys(self, clients: _Clients, orders: _Orders) -> TableRows:
        rng, words = self.rng, self.words
        response_share = np.where(
            clients.champion[orders.client], CHAMPION_NPS_RESPONSE_SHARE, NPS_RESPONSE_SHARE
        )
        scheduled_at = orders.delivered_at + NPS_DELAY_DAYS * DAY
        sent_at = scheduled_at + rng.integers(0, 2 * HOUR, len(orders.ids))
        responded_at = sent_at + rng.integers(10 * 60, 72 * HOUR, len(orders.ids))
        answered = np.flatnonzero(
            orders.delivered
            & (rng.random(len(orders.ids)) < response_share)
            & (responded_at <= self.latest)
        )
        count = len(answered)
        client = orders.client[answered]
        slow_delivery = orders.delivered_at[answered] - orders.ordered_at[answered] > 8 * DAY
        score = np.round(
            8.4 + 1.4 * clients.mood[client] - 1.0 * slow_delivery + rng.normal(0, 1.2, count)
        )
        score = np.clip(score, 0, 10).astype(np.int64)
        category = np.digitize(score, [7, 9])  # 0 DETRACTOR, 1 PASSIVE, 2 PROMOTER
        has_comment = rng.random(count) < NPS_COMMENT_SHARE
        comment_pieces = words.nps_comments.templates.render(
            words.nps_comments.choose(rng, category), {}
        )
        columns = {
            "id": self._ids(count),
            "tenant_id": self._tenant_column(count),
            "client_id": clients.ids[client],
            "order_id": orders.ids[answered],
            "survey_type": b"POST_ORDER",
            "channel": self._pick(NPS_CHANNELS, count),
            "status": b"RESPONDED",
            "scheduled_at": format_timestamps(scheduled_at[answered]),
            "sent_at": format_timestamps(sent_at[answered]),
            "responded_at": format_timestamps(responded_at[answered]),
            "score": format_integers(score),
            "comment": with_nulls(concat(*comment_pieces), ~has_comment),
            "nps_category": np.array([b"DETRACTOR", b"PASSIVE", b"PROMOTER"])[category],
            "created_at": format_timestamps(orders.delivered_at[answered]),
            "updated_at": format_timestamps(responded_at[answered]),
        }
        return self._table("gold_nps_surveys", columns, count)

    def _referrals(self, clients: _Clients) -> TableRows:
        rng, words = self.rng, self.words
        regular = (
            ~clients.champion
            & ~clients.quiet
            & ~clients.prospect
            & (clients.mood > 0.3)
            & (rng.random(len(clients)) < REFERRER_SHARE)
        )
        per_client = np.select(
            [clients.champion, regular],
            [2 + rng.poisson(0.8, len(clients)), 1 + rng.poisson(0.4, len(clients))],
            0,
        )
        referrer = np.repeat(np.arange(len(clients)), per_client)
        count = len(referrer)
        champion = clients.champion[referrer]
        # A champion's first two referrals convert, the rest as often as anyone's.
        rank = np.arange(count) - np.repeat(np.cumsum(per_client) - per_client, per_client)

        earliest = np.maximum(clients.start[referrer] + 30 * DAY, self.history_start + 60 * DAY)
        created_at = np.where(
            champion,
            self.end - rng.integers(100 * DAY, 330 * DAY, count),
            _working_hours_between(rng, earliest, np.full(count, self.latest - DAY)),
        )
        created_at = np.minimum(created_at, self.latest - DAY)
        expires_at = created_at + REFERRAL_LIFETIME_DAYS * DAY
        converted_at = created_at + rng.integers(7 * DAY, 80 * DAY, count)
        conversion = np.where(champion, CHAMPION_CONVERSION, REFERRAL_CONVERSION)
        converted = ((champion & (rank < 2)) | (rng.random(count) < conversion)) & (
            converted_at <= self.latest
        )
        expired = ~converted & (expires_at <= self.latest)
        open_status = np.array([b"PENDING_CONSENT", b"AWAITING_CONSENT", b"ACTIVE", b"CONTACTED"])[
            rng.choice(4, size=count, p=[0.2, 0.2, 0.3, 0.3])
        ]
        status = np.where(
            converted,
            b"CONVERTED",
            np.where(
                expired, np.where(rng.random(count) < 0.7, b"EXPIRED", b"REJECTED"), open_status
            ),
        )
        consent_given = np.isin(status, [b"ACTIVE", b"CONTACTED", b"CONVERTED", b"REJECTED"])
        asked = status == b"AWAITING_CONSENT"
        asked_at = self._soon_after(created_at, 10 * 60, 6 * HOUR)
        consent_at = self._soon_after(asked_at, HOUR, 48 * HOUR)
        contacted = np.isin(status, [b"CONTACTED", b"CONVERTED", b"REJECTED"])
        contact_limit = np.where(converted, converted_at, self.latest)
        first_contact = self._soon_after(consent_at, HOUR, 5 * DAY, contact_limit)
        last_contact = self._soon_after(first_contact, 0, 10 * DAY, contact_limit)
        converted_value = np.round(np.exp(rng.normal(np.log(2_000_000), 0.8, count))).astype(
            np.int64
        )
        reward_paid_at = converted_at + rng.integers(5 * DAY, 30 * DAY, count)
        reward_paid = converted & (reward_paid_at <= self.latest)
        updated_at = np.select(
            [converted, contacted, consent_given, asked],
            [
                np.where(reward_paid, reward_paid_at, converted_at),
                last_contact,
                consent_at,
                asked_at,
            ],
            created_at,
        )
        updated_at = np.where(expired, np.maximum(updated_at, expires_at), updated_at)

        prospect = self._people(count)
        surname = words.surnames.pick(prospect.surname)
        company = np.where(
            rng.random(count) < 0.5,
            concat(b"Agro ", surname, b" SRL"),
            concat(surname, b" ", words.first_names.pick(prospect.first), b" PFA"),
        )
        slots = self._message_slots(clients, referrer, None)
        slots["cantitate"] = format_integers(rng.integers(20, 400, count))
        distance = np.round(np.exp(rng.normal(np.log(6.0), 0.7, count)) * 100).astype(np.int64)
        columns = {
            "id": self._ids(count),
            "tenant_id": self._tenant_column(count),
            "referrer_client_id": clients.ids[referrer],
            "referrer_name": clients.names[referrer],
            "referred_contact_name": prospect.full_name,
            "referred_contact_phone": _mobile_phones(rng, words, count),
            "referred_contact_email": self._emails(prospect),
            "referred_company_name": company,
            "referred_company_cui": _romanian_cuis(rng, count),
            "referral_type": self._pick(vocab.REFERRAL_TYPES, count),
            "referral_source": self._pick(vocab.REFERRAL_SOURCES, count),
            "consent_status": np.where(
                consent_given, b"GRANTED", np.where(asked, b"REQUESTED", b"PENDING_REQUEST")
            ),
            "consent_given": format_booleans(consent_given),
            "consent_given_at": format_timestamps(consent_at, ~consent_given),
            "consent_asked_at": format_timestamps(asked_at, ~(asked | consent_given)),
            "context_message": words.referral_contexts.render(
                rng.integers(0, len(words.referral_contexts), count), slots
            ),
            "relationship_type": self._pick(vocab.REFERRAL_RELATIONS, count),
            "distance_from_referrer_km": format_fixed_point(distance, 2),
            "approach_channel": np.where(rng.random(count) < 0.6, b"PHONE", b"WHATSAPP"),
            "status": status,
            "contact_attempts": format_integers(np.where(contacted, rng.integers(1, 5, count), 0)),
            "first_contact_at": format_timestamps(first_contact, ~contacted),
            "last_contact_at": format_timestamps(last_contact, ~contacted),
            "converted": format_booleans(converted),
            "converted_at": format_timestamps(converted_at, ~converted),
            "converted_order_value": with_nulls(format_fixed_point(converted_value, 2), ~converted),
            "reward_type": with_nulls(np.full(count, b"DISCOUNT"), ~converted),
            "reward_value": with_nulls(
                format_fixed_point(converted_value * 3 // 100, 2), ~converted
            ),
            "reward_status": with_nulls(np.where(reward_paid, b"PAID", b"PENDING"), ~converted),
            "reward_paid_at": format_timestamps(reward_paid_at, ~reward_paid),
            "expiry_reason": with_nulls(np.full(count, b"NO_RESPONSE"), status != b"EXPIRED"),
            "created_at": format_timestamps(created_at),
            "expires_at": format_timestamps(expires_at),
            "updated_at": format_timestamps(updated_at),
        }
        return self._table("gold_referrals", columns, count)
