-- Accounts, sessions and the hash-chained audit trail of the officers'
-- inbox (HTTP API and web pages).
--
-- An account is one officer acting in one role; a district officer is bound
-- to the unit (district, or commune in a two-tier province) they act for.
-- Passwords are stored as KDF hashes (bcrypt), session tokens as their
-- SHA-256: a copy of this database yields neither.

CREATE TABLE accounts (
    id            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    name          text NOT NULL DEFAULT '',
    role          text NOT NULL CHECK (role IN ('secretariat', 'district_officer', 'council_member',
                                                'council_chair', 'signer', 'clerk')),
    district      text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- a district officer has a unit; nobody else does
    CHECK ((role = 'district_officer') = (district <> ''))
);

CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY, -- SHA-256 of the bearer token / cookie value
    account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    remote     text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- The audit trail: sign-ins, task completions, refusals, downloads. Rows
-- are numbered 1, 2, 3, … without gaps; each row's hash is SHA-256 over its
-- content and the previous row's hash (see postgres/auditchain.go for the
-- exact encoding), so an edited, inserted or deleted row breaks the chain
-- from there on. audit_chain_head holds the last row's number and hash:
-- appenders lock it, which orders concurrent appends, and it reveals rows cut
-- off the end.
CREATE TABLE audit_chain (
    seq            bigint PRIMARY KEY CHECK (seq >= 1),
    at             timestamptz NOT NULL,
    actor_id       text NOT NULL,
    actor_role     text NOT NULL DEFAULT '',
    actor_district text NOT NULL DEFAULT '',
    action         text NOT NULL, -- sign_in, sign_in_failed, sign_out, complete.<task kind>, refused, download
    object         text NOT NULL DEFAULT '', -- what it was about: a cycle and task, a decision
    outcome        text NOT NULL, -- ok, or the refusal's code
    remote         text NOT NULL DEFAULT '', -- the client's address
    request_id     text NOT NULL DEFAULT '',
    detail         text NOT NULL DEFAULT '',
    prev_hash      bytea NOT NULL,
    hash           bytea NOT NULL
);
CREATE INDEX audit_chain_actor ON audit_chain (actor_id, seq);

CREATE TABLE audit_chain_head (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    seq  bigint NOT NULL,
    hash bytea NOT NULL
);
INSERT INTO audit_chain_head (seq, hash) VALUES (0, '\x0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_chain_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_chain is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER audit_chain_no_update_delete BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_chain_append_only();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_append_only();
