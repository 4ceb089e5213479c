"""Vectorised conversion of numpy columns into PostgreSQL COPY text.

Every value becomes a fixed-width byte string (numpy `S` dtype, UTF-8, NUL-padded). A table is
laid out as one (rows, bytes) matrix with tab and newline columns between fields; dropping the
NUL padding of the flattened matrix yields the COPY payload without a Python loop per row.
"""

from __future__ import annotations

import binascii
from collections.abc import Sequence

import numpy as np

NULL = b"\\N"
SECONDS_PER_DAY = 86_400

# A column is one byte-string array, a constant, or pieces written one after another.
Column = np.ndarray | bytes | Sequence[np.ndarray | bytes]


def random_uuids(rng: np.random.Generator, count: int, prefix: bytes = b"") -> np.ndarray:
    """Version-4 UUIDs as 32 hex digits, which PostgreSQL accepts without dashes.

    The first bytes can be fixed (at most 6, before the version nibble): ids sharing a prefix
    sit together in a B-tree index.
    """
    if len(prefix) > 6:
        raise ValueError("a UUID prefix has at most 6 bytes")
    raw = rng.integers(0, 256, size=(count, 16), dtype=np.uint8)
    raw[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    return np.frombuffer(binascii.hexlify(raw.tobytes()), dtype="S32").copy()


def encode(values: Sequence[str]) -> np.ndarray:
    """Python strings as a UTF-8 byte-string array."""
    return np.array([value.encode() for value in values], dtype=np.bytes_)


def with_nulls(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    return np.where(missing, NULL, values)


def format_booleans(flags: np.ndarray) -> np.ndarray:
    return np.where(flags, b"t", b"f")


def format_integers(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).astype(np.bytes_)


def _digits(values: np.ndarray, width: int) -> list[np.ndarray]:
    """The `width` lowest decimal digits of non-negative integers, most significant first."""
    return [(values // 10**power) % 10 for power in range(width - 1, -1, -1)]


def format_timestamps(seconds: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    """Seconds since the Unix epoch as `YYYY-MM-DD HH:MM:SS+00`, NULL where `missing`."""
    seconds = np.asarray(seconds, dtype=np.int64)
    days, second_of_day = np.divmod(seconds, SECONDS_PER_DAY)
    # Civil date from a day count (H. Hinnant's algorithm), valid for every proleptic date.
    shifted = days + 719_468
    era = np.floor_divide(shifted, 146_097)
    day_of_era = shifted - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_index + 2) // 5 + 1
    month = np.where(month_index < 10, month_index + 3, month_index - 9)
    year = year_of_era + era * 400 + (month <= 2)
    hour, minute_second = np.divmod(second_of_day, 3600)
    minute, second = np.divmod(minute_second, 60)

    layout = b"0000-00-00 00:00:00+00"
    text = np.tile(np.frombuffer(layout, dtype=np.uint8), (len(seconds), 1))
    fields = ((year, 0, 4), (month, 5, 2), (day, 8, 2), (hour, 11, 2), (minute, 14, 2))
    for value, start, width in (*fields, (second, 17, 2)):
        for offset, digit in enumerate(_digits(value, width)):
            text[:, start + offset] += digit.astype(np.uint8)
    formatted = text.view(f"S{len(layout)}").ravel()
    return formatted if missing is None else with_nulls(formatted, missing)


def format_zero_padded(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers below 10^width as exactly `width` digits: 42, 4 → `0042`."""
    # Adding 10^width keeps the leading zeros; the leading "1" is then cut off.
    padded = (np.asarray(values, dtype=np.int64) + 10**width).astype(f"S{width + 1}")
    digits = padded.view(np.uint8).reshape(-1, width + 1)[:, 1:].copy()
    return digits.view(f"S{width}").ravel()


def format_fixed_point(units: np.ndarray, decimals: int) -> np.ndarray:
    """Integers counting 10^-decimals as exact decimal text: 12345, 2 → `123.45`."""
    units = np.asarray(units, dtype=np.int64)
    sign = np.where(units < 0, b"-", b"")
    whole, fraction = np.divmod(np.abs(units), 10**decimals)
    return concat(sign, whole.astype(np.bytes_), b".", format_zero_padded(fraction, decimals))


def concat(*parts: np.ndarray | bytes) -> np.ndarray:
    """Element-wise concatenation of byte-string arrays and constants."""
    result = np.asarray(parts[0], dtype=np.bytes_)
    for part in parts[1:]:
        result = np.strings.add(result, np.asarray(part, dtype=np.bytes_))
    return result


def _as_matrix(part: np.ndarray | bytes, rows: int) -> np.ndarray:
    if isinstance(part, bytes):
        return np.broadcast_to(np.frombuffer(part, dtype=np.uint8), (rows, len(part)))
    part = np.asarray(part, dtype=np.bytes_)
    if part.shape != (rows,):
        raise ValueError(f"column piece has shape {part.shape}, expected ({rows},)")
    width = part.dtype.itemsize
    return np.ascontiguousarray(part).view(np.uint8).reshape(rows, width)


def copy_text(columns: Sequence[Column], rows: int) -> bytes:
    """The rows as PostgreSQL COPY text: tab-separated fields, one line per row."""
    if rows == 0:
        return b""
    matrices: list[np.ndarray] = []
    for position, column in enumerate(columns):
        pieces = column if isinstance(column, list | tuple) else [column]
        matrices.extend(_as_matrix(piece, rows) for piece in pieces)
        matrices.append(_as_matrix(b"\n" if position == len(columns) - 1 else b"\t", rows))
    table = np.hstack(matrices).ravel()
    return table[table != 0].tobytes()
