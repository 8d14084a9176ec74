-- Out-of-band approvals of recalls (approval.gate = queue). Times are epoch milliseconds.
CREATE TABLE approvals (
    id            TEXT    PRIMARY KEY CHECK (length(id) = 32),
    memory_id     TEXT    NOT NULL,
    requester     TEXT    NOT NULL,
    justification TEXT    NOT NULL,
    requested_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'used', 'expired')),
    decided_by    TEXT,
    decided_at    INTEGER,
    reason        TEXT
) STRICT;

CREATE INDEX approvals_by_status_time ON approvals (status, requested_at);
