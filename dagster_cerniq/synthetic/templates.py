"""Word lists and `{slot}` templates rendered for many rows at once, with or without diacritics."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence

import numpy as np

from dagster_cerniq.synthetic.encoding import encode
from dagster_cerniq.synthetic.vocabulary import strip_diacritics


class Phrases:
    """A list of phrases, each also spelt without diacritics."""

    def __init__(self, phrases: Sequence[str]):
        self.texts = tuple(phrases)
        self.with_diacritics = encode(self.texts)
        self.without_diacritics = encode([strip_diacritics(text) for text in self.texts])

    def __len__(self) -> int:
        return len(self.texts)

    def pick(self, indices: np.ndarray, plain: np.ndarray | None = None) -> np.ndarray:
        """The phrases at `indices`, spelt without diacritics where `plain` is true."""
        if plain is None:
            return self.with_diacritics[indices]
        return np.where(plain, self.without_diacritics[indices], self.with_diacritics[indices])


class Templates:
    """Texts with `{slot}` placeholders, split into literal segments and the slots between them."""

    def __init__(self, templates: Sequence[str]):
        parsed = [self._parse(template) for template in templates]
        self.slot_names = sorted({name for _, names in parsed for name in names})
        most_slots = max(len(names) for _, names in parsed)
        # segments[j] holds the j-th literal of every template; slot_indices[j][t] is the slot
        # after template t's j-th literal, len(slot_names) standing for none.
        self.segments = [
            Phrases([literals[j] if j < len(literals) else "" for literals, _ in parsed])
            for j in range(most_slots + 1)
        ]
        self.slot_indices = [
            np.array(
                [
                    self.slot_names.index(names[j]) if j < len(names) else len(self.slot_names)
                    for _, names in parsed
                ]
            )
            for j in range(most_slots)
        ]

    @staticmethod
    def _parse(template: str) -> tuple[list[str], list[str]]:
        literals: list[str] = []
        names: list[str] = []
        for literal, name, _, _ in string.Formatter().parse(template):
            literals.append(literal)
            if name is not None:
                names.append(name)
        if len(literals) == len(names):
            literals.append("")
        return literals, names

    def __len__(self) -> int:
        return len(self.segments[0])

    def render(
        self,
        chosen: np.ndarray,
        slots: Mapping[str, np.ndarray],
        plain: np.ndarray | None = None,
    ) -> list[np.ndarray]:
        """The pieces of template `chosen[i]` for each row i, slots filled from `slots[name][i]`.

        The pieces concatenate to the text; `copy_text` writes them as one column.
        """
        missing = set(self.slot_names) - set(slots)
        if missing:
            raise KeyError(f"no values for template slots {sorted(missing)}")
        rows = np.arange(len(chosen))
        candidates = np.stack(
            [np.asarray(slots[name], dtype=np.bytes_) for name in self.slot_names]
            + [np.zeros(len(chosen), dtype="S1")]
        )
        pieces = [self.segments[0].pick(chosen, plain)]
        for slot_position, slot_index in enumerate(self.slot_indices):
            pieces.append(candidates[slot_index[chosen], rows])
            pieces.append(self.segments[slot_position + 1].pick(chosen, plain))
        return pieces


class CategorisedTemplates:
    """Several template families in one `Templates`, addressed by (category, random pick)."""

    def __init__(self, families: tuple[tuple[str, ...], ...]):
        self.templates = Templates([text for family in families for text in family])
        self.sizes = np.array([len(family) for family in families])
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]])

    def choose(self, rng: np.random.Generator, categories: np.ndarray) -> np.ndarray:
        picks = (rng.random(len(categories)) * self.sizes[categories]).astype(np.int64)
        return self.offsets[categories] + picks
