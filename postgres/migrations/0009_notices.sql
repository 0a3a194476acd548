-- Reminders that reach people: a notification (reminder, overdue notice,
-- escalation, a reminder letter issued) is addressed to the accounts it
-- concerns — each once, with its read state for the in-app list — and
-- sent by e-mail or webhook through a durable outbox: one row per
-- (notification, account, channel), claimed before the message leaves and
-- settled after, so that a retried activity, two dispatchers or a
-- restarted worker never send it twice.

-- A notice about an issued document (a reminder letter to a unit) names it.
ALTER TABLE notifications ADD COLUMN document text NOT NULL DEFAULT '';

CREATE TABLE notice_recipients (
    id         bigserial PRIMARY KEY,
    key        text NOT NULL REFERENCES notifications (key),
    account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at         timestamptz NOT NULL, -- when it reached the account (wall clock)
    read_at    timestamptz,
    UNIQUE (key, account_id)
);
CREATE INDEX notice_recipients_account ON notice_recipients (account_id, id);
CREATE INDEX notice_recipients_unread ON notice_recipients (account_id) WHERE read_at IS NULL;

CREATE TABLE notice_outbox (
    id           bigserial PRIMARY KEY,
    recipient_id bigint NOT NULL REFERENCES notice_recipients (id) ON DELETE CASCADE,
    key          text NOT NULL,
    account_id   text NOT NULL,
    channel      text NOT NULL CHECK (channel IN ('email', 'webhook')),
    digest       boolean NOT NULL, -- sent in the account's daily digest
    created_at   timestamptz NOT NULL,
    status       text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown', 'refused', 'dropped')),
    next_try     timestamptz NOT NULL, -- pending or failed: not before
    attempts     integer NOT NULL DEFAULT 0,
    attempt_id   text NOT NULL DEFAULT '',
    claimed_at   timestamptz,
    sent_at      timestamptz,
    address      text NOT NULL DEFAULT '', -- where the last attempt sent it
    message_id   text NOT NULL DEFAULT '',
    last_error   text NOT NULL DEFAULT '',
    UNIQUE (key, account_id, channel)
);
CREATE INDEX notice_outbox_due ON notice_outbox (next_try, id) WHERE status IN ('pending', 'failed');
CREATE INDEX notice_outbox_sending ON notice_outbox (claimed_at) WHERE status = 'sending';
