-- The head's signature requests at a remote-signing service, in flight
-- (issue 17): kept here rather than in one server's memory, so that any
-- server process answers the signing page's polls. A row is removed once
-- the request is signed, denied or expired.
CREATE TABLE remote_signatures (
    id         text PRIMARY KEY,          -- the service's ticket ID
    account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    cycle_id   text NOT NULL,
    task_id    text NOT NULL,
    ticket     bytea NOT NULL,            -- what the service needs to finish (opaque)
    expires    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
