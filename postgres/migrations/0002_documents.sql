-- Issued documents as a pipeline: voiding in the numbering register, the
-- archive of signed PDFs, and deliveries to the "Nơi nhận" list.

-- A voided decision keeps its number (the register has no gaps, and a
-- number is never given twice); the reason and who voided it are kept.
ALTER TABLE decisions
    ADD COLUMN voided_at   timestamptz,
    ADD COLUMN void_reason text,
    ADD COLUMN voided_by   jsonb,
    ADD CONSTRAINT decisions_void_reason CHECK ((voided_at IS NULL) = (void_reason IS NULL)),
    ADD CONSTRAINT decisions_void_reason_given CHECK (void_reason IS NULL OR btrim(void_reason) <> '');

-- Every issued PDF as it left the clerk: the signed bytes, their SHA-256,
-- the number and who signed. Written once per document; a retried issue
-- finds it and returns it instead of signing again.
CREATE TABLE archived_documents (
    id          text PRIMARY KEY REFERENCES decisions (id), -- the decision ID
    kind        text NOT NULL,
    code        text NOT NULL,     -- "5/QĐ-BCĐ"
    body_key    text NOT NULL,
    year        integer NOT NULL,
    number      integer NOT NULL,
    date        date,
    subject     text NOT NULL DEFAULT '',
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size        integer NOT NULL,
    signer      text NOT NULL DEFAULT '', -- certificate subject of the signer ('' when unsigned)
    sealed_by   text NOT NULL DEFAULT '', -- certificate subject of the issuing body
    signatures  integer NOT NULL DEFAULT 0,
    signed_at   timestamptz,
    archived_at timestamptz NOT NULL DEFAULT now(),
    recipients  jsonb NOT NULL DEFAULT '[]', -- the "Nơi nhận" entries as printed
    pdf         bytea NOT NULL
);
CREATE INDEX archived_documents_year ON archived_documents (year, body_key, number);

CREATE FUNCTION archived_documents_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'archived_documents is write-once: % refused', TG_OP;
END
$$;
CREATE TRIGGER archived_documents_no_update BEFORE UPDATE OR DELETE ON archived_documents
    FOR EACH ROW EXECUTE FUNCTION archived_documents_write_once();

-- One row per (document, recipient). status:
--   pending  planned, never tried
--   sending  claimed by an attempt (attempt_id) that has not reported back
--   failed   the last attempt failed before anything was handed over: safe to retry
--   sent     handed over (SMTP server accepted the message; file in place)
--   unknown  an attempt died while sending: not retried automatically (at most once)
CREATE TABLE deliveries (
    document_id  text NOT NULL REFERENCES decisions (id),
    recipient    text NOT NULL,        -- the key in the recipients directory
    label        text NOT NULL DEFAULT '', -- the entry of "Nơi nhận" it serves
    channel      text NOT NULL CHECK (channel IN ('smtp', 'file')),
    address      text NOT NULL,        -- e-mail address or directory
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'failed', 'sent', 'unknown')),
    attempts     integer NOT NULL DEFAULT 0,
    attempt_id   text NOT NULL DEFAULT '',
    last_error   text NOT NULL DEFAULT '',
    message_id   text NOT NULL DEFAULT '',
    planned_at   timestamptz NOT NULL DEFAULT now(),
    claimed_at   timestamptz,
    sent_at      timestamptz,
    PRIMARY KEY (document_id, recipient)
);
CREATE INDEX deliveries_open ON deliveries (status) WHERE status <> 'sent';
