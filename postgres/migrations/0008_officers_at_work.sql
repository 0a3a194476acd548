-- Officers at work in the web inbox: the administrator's role; accounts
-- with their title, contacts, notification preference and last sign-in;
-- tasks claimed by one officer of a unit or role, drafts saved before
-- submitting, supporting files attached; a head's delegation of his
-- signature to a deputy for a period; the audit trail read by object (a
-- task's history).
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('secretariat', 'district_officer', 'council_member',
    'council_chair', 'signer', 'clerk', 'admin', 'deputy_signer'));
ALTER TABLE accounts
    ADD COLUMN title        text NOT NULL DEFAULT '',
    ADD COLUMN email        text NOT NULL DEFAULT '',
    ADD COLUMN webhook      text NOT NULL DEFAULT '',
    ADD COLUMN notify       text NOT NULL DEFAULT 'immediate' CHECK (notify IN ('immediate', 'digest', 'none')),
    ADD COLUMN last_sign_in timestamptz;

CREATE TABLE task_claims (
    cycle_id   text NOT NULL,
    task_id    text NOT NULL,
    account_id text NOT NULL REFERENCES accounts (id),
    claimed_at timestamptz NOT NULL,
    PRIMARY KEY (cycle_id, task_id),
    FOREIGN KEY (cycle_id, task_id) REFERENCES tasks (cycle_id, task_id)
);

CREATE TABLE task_drafts (
    cycle_id   text NOT NULL,
    task_id    text NOT NULL,
    account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    data       jsonb NOT NULL,
    saved_at   timestamptz NOT NULL,
    PRIMARY KEY (cycle_id, task_id, account_id),
    FOREIGN KEY (cycle_id, task_id) REFERENCES tasks (cycle_id, task_id)
);

CREATE TABLE task_attachments (
    cycle_id   text NOT NULL,
    task_id    text NOT NULL,
    sha256     text NOT NULL REFERENCES blobs (sha256),
    name       text NOT NULL,
    media_type text NOT NULL,
    size       integer NOT NULL,
    account_id text NOT NULL REFERENCES accounts (id),
    at         timestamptz NOT NULL,
    PRIMARY KEY (cycle_id, task_id, sha256),
    FOREIGN KEY (cycle_id, task_id) REFERENCES tasks (cycle_id, task_id)
);

CREATE TABLE delegations (
    id           bigserial PRIMARY KEY,
    from_account text NOT NULL REFERENCES accounts (id),
    to_account   text NOT NULL REFERENCES accounts (id),
    title        text NOT NULL,
    from_date    date NOT NULL,
    to_date      date NOT NULL CHECK (to_date >= from_date),
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    CHECK (from_account <> to_account)
);
CREATE INDEX delegations_to ON delegations (to_account);

CREATE INDEX audit_chain_object ON audit_chain (object, seq);
