-- Moderators' tokens and the queue of submitted errors.

-- +goose Up
CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('moderator')),
    note       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE submissions (
    id         TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    domain     TEXT NOT NULL DEFAULT '',
    context    TEXT NOT NULL DEFAULT '',
    solution   TEXT NOT NULL DEFAULT '',
    reporter   TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by TEXT
);

CREATE INDEX submissions_status ON submissions (status, created_at);

-- +goose Down
DROP TABLE submissions;
DROP TABLE tokens;
