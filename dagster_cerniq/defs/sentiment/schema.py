"""The analysis of one message, whichever analyzer made it: the seed's prompt fields, typed.

The topic codes are the vocabulary the dbt churn rules read (PRICE_HIGH → PRICE_COMPLAINT,
QUALITY_ISSUE → QUALITY_COMPLAINT), so they are an enum, not free text.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Sentiment(StrEnum):
    POSITIVE = "POSITIVE"
    NEUTRAL = "NEUTRAL"
    NEGATIVE = "NEGATIVE"


class Topic(StrEnum):
    PRICE_HIGH = "PRICE_HIGH"
    QUALITY_ISSUE = "QUALITY_ISSUE"
    DELIVERY_DELAY = "DELIVERY_DELAY"
    PAYMENT_TERMS = "PAYMENT_TERMS"
    PRODUCT_AVAILABILITY = "PRODUCT_AVAILABILITY"
    CUSTOMER_SERVICE = "CUSTOMER_SERVICE"
    COMPETITOR_OFFER = "COMPETITOR_OFFER"
    ORDER_REQUEST = "ORDER_REQUEST"
    GRATITUDE = "GRATITUDE"
    TECHNICAL_ADVICE = "TECHNICAL_ADVICE"
    OTHER = "OTHER"


class ChurnIndicator(StrEnum):
    SWITCHING_SUPPLIER = "SWITCHING_SUPPLIER"
    PRICE_DISSATISFACTION = "PRICE_DISSATISFACTION"
    QUALITY_DISSATISFACTION = "QUALITY_DISSATISFACTION"
    DELIVERY_DISSATISFACTION = "DELIVERY_DISSATISFACTION"
    REDUCED_ORDERS = "REDUCED_ORDERS"
    CONTRACT_ENDING = "CONTRACT_ENDING"
    ESCALATION_THREAT = "ESCALATION_THREAT"


class Intent(StrEnum):
    """What the client wants (seed: gold_sentiment_analysis.intents / primary_intent). The
    order is the priority of `primary_intent`: a message that complains and asks a question is
    first a complaint."""

    SWITCHING_SUPPLIER = "SWITCHING_SUPPLIER"
    COMPLAINT = "COMPLAINT"
    PRICE_NEGOTIATION = "PRICE_NEGOTIATION"
    ORDER_REQUEST = "ORDER_REQUEST"
    QUESTION = "QUESTION"
    PRAISE = "PRAISE"


class MessageAnalysis(BaseModel):
    """What an analyzer returns for one message (validated before anything is stored)."""

    model_config = ConfigDict(extra="forbid")

    sentiment: Sentiment
    score: float = Field(ge=-1.0, le=1.0, description="-1 very negative … 1 very positive")
    emotions: dict[str, float] = Field(
        default_factory=dict, description="emotion name → intensity 0..1"
    )
    topics: list[Topic] = Field(default_factory=list)
    churn_indicators: list[ChurnIndicator] = Field(default_factory=list)
    intents: list[Intent] = Field(
        default_factory=list, description="what the client wants; empty when nothing"
    )
    mentioned_competitors: list[str] = Field(default_factory=list)
    mentioned_products: list[str] = Field(default_factory=list)

    @field_validator("emotions")
    @classmethod
    def _intensities_in_range(cls, emotions: dict[str, float]) -> dict[str, float]:
        for name, value in emotions.items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"emotion {name} has intensity {value}, outside 0..1")
        return emotions

    @property
    def dominant_emotion(self) -> str | None:
        """The strongest emotion (ties: the name first in order), as the seed takes it."""
        if not self.emotions:
            return None
        return sorted(self.emotions.items(), key=lambda item: (-item[1], item[0]))[0][0]

    @property
    def primary_intent(self) -> Intent | None:
        """The intent first in `Intent`'s order of priority."""
        return min(self.intents, key=list(Intent).index, default=None)

    @property
    def churn_signal_strength(self) -> float:
        """min(100, 25 x number of churn indicators) (seed B12)."""
        return float(min(100, 25 * len(self.churn_indicators)))
