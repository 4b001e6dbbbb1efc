-- Inputs that matched no entry, grouped by a normalised template after
-- redaction (internal/misses): what to write next.

-- +goose Up
CREATE TABLE misses (
    template   TEXT PRIMARY KEY,
    example    TEXT NOT NULL,
    count      BIGINT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);

CREATE INDEX misses_count ON misses (count);

-- +goose Down
DROP TABLE misses;
