"""The picture of one tenant's geography (PNG, no map tiles: it works offline): its located
companies (those without an order grey, clients by state, advocates as stars), its GEOGRAPHIC
clusters as circles of their radius, its NEIGHBOR pairs as thin lines and its open neighbour
suggestions as dashed lines from the referrer to the prospect; the whole tenant and a close-up.
Read from what the geography step stored."""

from __future__ import annotations

import io
import math
from uuid import UUID

import psycopg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse

from dagster_cerniq.lib.write_back import Reads, statements

KM_PER_DEGREE = 111.32
# The map's own reads are the gold tables the geography step wrote: no dbt relation.
SQL = statements(__file__, Reads())
MAP_COMPANIES = SQL("map_companies")
MAP_LINKS = SQL("map_links")
MAP_CLUSTERS = SQL("map_clusters")
# Half the side of the close-up, km.
CLOSE_UP_KM = 20


def geography_map(conn: psycopg.Connection, tenant_id: UUID | str, title: str) -> bytes:
    """The tenant's map as PNG bytes: the whole tenant, and a close-up of its largest cluster
    (or, with none, of its first company) where pairs and circles can be seen."""
    params = {"tenant_id": str(tenant_id)}
    companies = conn.execute(MAP_COMPANIES.compose(), params).fetchall()
    links = conn.execute(MAP_LINKS.compose(), params).fetchall()
    clusters = conn.execute(MAP_CLUSTERS.compose(), params).fetchall()

    figure = Figure(figsize=(15, 7.5))
    whole, close_up = figure.subplots(1, 2)
    latitudes = [row[1] for row in companies] or [45.9]
    # Degrees of longitude are shorter than degrees of latitude by cos(latitude).
    squeeze = math.cos(math.radians(sum(latitudes) / len(latitudes)))
    # Neighbour pairs are drawn in the close-up only: at a country's scale they are a blur, and
    # a tenant of 10,000 farms has some 140,000 of them.
    whole_links = [link for link in links if link[0] != "NEIGHBOR"]
    _draw(whole, companies, whole_links, clusters, squeeze, labels=False)
    whole.set_title(title)
    centre = clusters[0][:2] if clusters else (companies[0][:2] if companies else None)
    half = CLOSE_UP_KM / KM_PER_DEGREE
    if centre:
        near = [
            link for link in links
            if abs(link[1] - centre[0]) < 2 * half / squeeze and abs(link[2] - centre[1]) < 2 * half
        ]  # fmt: skip
        _draw(close_up, companies, near, clusters, squeeze, labels=True)
        close_up.set_xlim(centre[0] - half / squeeze, centre[0] + half / squeeze)
        close_up.set_ylim(centre[1] - half, centre[1] + half)
    close_up.set_title(f"{2 * CLOSE_UP_KM} km around " + (clusters[0][3] if clusters else "it"))
    close_up.legend(fontsize="small", loc="lower left")
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _draw(axes, companies, links, clusters, squeeze: float, labels: bool) -> None:
    axes.set_aspect(1 / squeeze)
    neighbours = [((a, b), (c, d)) for kind, a, b, c, d in links if kind == "NEIGHBOR"]
    suggestions = [((a, b), (c, d)) for kind, a, b, c, d in links if kind == "SUGGESTION"]
    axes.add_collection(
        LineCollection(neighbours, colors="#5b84b1", linewidths=0.4, alpha=0.5, zorder=1)
    )
    axes.add_collection(
        LineCollection(suggestions, colors="#e07b00", linewidths=1.2, linestyles="dashed", zorder=2)
    )
    for longitude, latitude, radius_km, name, members, advocates in clusters:
        # At least 1 km across, so that a cluster shows on the whole tenant's map too.
        radius = max(float(radius_km or 0), 0.5) / KM_PER_DEGREE
        axes.add_patch(
            Ellipse(
                (longitude, latitude), 2 * radius / squeeze, 2 * radius,
                fill=False, edgecolor="#2a7f62", linewidth=1.2, zorder=3,
            )
        )  # fmt: skip
        if labels:
            axes.annotate(
                f"{name}: {members} companies, {advocates} advocate(s)", (longitude, latitude),
                xytext=(4, 4), textcoords="offset points", fontsize=7, color="#2a7f62",
                zorder=6, clip_on=True,
            )  # fmt: skip

    groups = {
        "no order yet": ([r for r in companies if not r[2]], "#b0b0b0", "o", 8),
        "client": (
            [r for r in companies if r[2] and r[3] not in ("LOYAL_CLIENT", "ADVOCATE")],
            "#3b6ea8", "o", 8,
        ),
        "loyal client": ([r for r in companies if r[3] == "LOYAL_CLIENT"], "#2a7f62", "o", 16),
        "advocate": ([r for r in companies if r[3] == "ADVOCATE"], "#c0392b", "*", 110),
    }  # fmt: skip
    for label, (rows, colour, marker, size) in groups.items():
        axes.scatter(
            [r[0] for r in rows], [r[1] for r in rows], s=size, c=colour, marker=marker,
            label=f"{label} ({len(rows)})", zorder=5 if label == "advocate" else 4,
            linewidths=0,
        )  # fmt: skip
    axes.plot([], [], color="#5b84b1", label=f"neighbour pair ({len(neighbours)})")
    axes.plot([], [], color="#e07b00", linestyle="dashed", label=f"suggestion ({len(suggestions)})")
    axes.plot([], [], color="#2a7f62", label=f"cluster ({len(clusters)})")
    axes.autoscale_view()
    axes.set_xlabel("longitude")
    axes.set_ylabel("latitude")
