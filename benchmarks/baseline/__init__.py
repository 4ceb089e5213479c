"""The baseline: a row-by-row Python port of the seed's workers A1, A2, A6, B9 and B10
(docs/seeds/002), one client or event at a time, over psycopg with the seed's concurrency."""
