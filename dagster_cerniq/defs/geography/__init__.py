"""Geography (SPEC §5): NEIGHBOR relationships and proximity scores, GEOGRAPHIC clusters with a
stable identity, the state's neighbour count and cluster, and neighbour referral suggestions
(NEIGHBOR_STRATEGY) for the referral requests to name."""
