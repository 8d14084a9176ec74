-- Memory Vault schema version 6: presence tokens (docs/FORMAT.md §13).

-- One row per enrolled token: kind and parameters in the clear, the secret sealed under the vault
-- owner's key and bound to name, kind and parameters; last_counter is the newest counter (a TOTP
-- time step) a code was accepted for, NULL before the first.
CREATE TABLE tokens (
    name          TEXT    PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 32),
    kind          TEXT    NOT NULL,
    parameters    TEXT    NOT NULL,
    sealed_secret BLOB    NOT NULL,
    last_counter  INTEGER NULL,
    created_at    INTEGER NOT NULL
) STRICT;
