-- The audit trail: one row per update the proxy forwarded, written before it
-- left (outcome NULL) and completed with the outcome after. Ids are UUIDv7,
-- time first, so the primary key's order is time order (and a keyset page is a
-- range of it); at_ms is the id's own time.
CREATE TABLE audit_entries (
    id TEXT PRIMARY KEY NOT NULL,
    at_ms INTEGER NOT NULL,
    actor TEXT,
    client TEXT NOT NULL,
    request_id TEXT NOT NULL,
    identifier_kind TEXT NOT NULL,
    identifier_value TEXT NOT NULL,
    changed_fields TEXT NOT NULL,
    new_values TEXT,
    batch_id TEXT,
    outcome TEXT,
    setter_status INTEGER,
    latency_ms INTEGER,
    completed_at_ms INTEGER
) WITHOUT ROWID;

CREATE INDEX audit_entries_by_contact ON audit_entries (identifier_kind, identifier_value, id);
CREATE INDEX audit_entries_by_actor ON audit_entries (actor, id);
CREATE INDEX audit_entries_by_batch ON audit_entries (batch_id, id);
