package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lib/pq"

	"chuyenhoa/cycle"
)

const (
	sqlUpsertProvince = `
INSERT INTO provinces (code, name, updated_at) VALUES ($1, $2, now())
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at`
	sqlDeleteCommunes  = `DELETE FROM communes WHERE province = $1`
	sqlDeleteDistricts = `DELETE FROM districts WHERE province = $1`
	sqlInsertDistricts = `
INSERT INTO districts (province, code, name)
SELECT $1, u.code, u.name FROM unnest($2::text[], $3::text[]) AS u(code, name)`
	sqlInsertCommunes = `
INSERT INTO communes (province, code, name, kind, district, new_rural)
SELECT $1, u.code, u.name, u.kind, NULLIF(u.district, ''), u.new_rural
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[]) AS u(code, name, kind, district, new_rural)`
	sqlUpsertIssuer = `
INSERT INTO issuers (province, parent_body, body, body_key, number_suffix, place, committee_name,
	authority_line, signer_authority, signer_title, signer_name, plan_ref, config)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)
ON CONFLICT (province) DO UPDATE SET
	config = EXCLUDED.config,
	parent_body = EXCLUDED.parent_body, body = EXCLUDED.body, body_key = EXCLUDED.body_key,
	number_suffix = EXCLUDED.number_suffix, place = EXCLUDED.place, committee_name = EXCLUDED.committee_name,
	authority_line = EXCLUDED.authority_line, signer_authority = EXCLUDED.signer_authority,
	signer_title = EXCLUDED.signer_title, signer_name = EXCLUDED.signer_name, plan_ref = EXCLUDED.plan_ref`

	sqlProvince  = `SELECT name FROM provinces WHERE code = $1`
	sqlProvinces = `SELECT code, name FROM provinces ORDER BY name, code`
	// Codes are ordered bytewise (COLLATE "C"), as Go compares strings:
	// Province.Commune binary-searches the slice.
	sqlDistricts = `SELECT code, name FROM districts WHERE province = $1 ORDER BY code COLLATE "C"`
	sqlCommunes  = `
SELECT code, name, kind, COALESCE(district, ''), new_rural
FROM communes WHERE province = $1 ORDER BY code COLLATE "C"`
	sqlIssuer = `
SELECT parent_body, body, body_key, number_suffix, place, committee_name,
	authority_line, signer_authority, signer_title, signer_name, plan_ref, config
FROM issuers WHERE province = $1`
)

// SaveProvince inserts or replaces a province's registry (its districts and
// communes) and its issuer configuration. The registry is validated first
// (EINVALID with every problem); it is stored as given, so its text should
// already be clean (cycle.Clean).
func (db *RegistryStore) SaveProvince(ctx context.Context, p cycle.Province, is cycle.Issuer) error {
	op := "save province " + p.Code
	if err := p.Validate(); err != nil {
		return failure(op, err)
	}
	return db.update(ctx, op, func(tx *sql.Tx) error {
		// The upsert locks the province row: a concurrent SaveProvince of the
		// same province waits here, so the replacement below is not interleaved.
		if _, err := tx.ExecContext(ctx, sqlUpsertProvince, p.Code, p.Name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlDeleteCommunes, p.Code); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlDeleteDistricts, p.Code); err != nil {
			return err
		}
		dCodes, dNames := make([]string, len(p.Districts)), make([]string, len(p.Districts))
		for i, d := range p.Districts {
			dCodes[i], dNames[i] = d.Code, d.Name
		}
		if _, err := tx.ExecContext(ctx, sqlInsertDistricts, p.Code, pq.Array(dCodes), pq.Array(dNames)); err != nil {
			return err
		}
		n := len(p.Communes)
		codes, names, kinds, districts, newRural := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]bool, n)
		for i, c := range p.Communes {
			codes[i], names[i], kinds[i], districts[i], newRural[i] = c.Code, c.Name, string(c.Kind), c.District, c.NewRural
		}
		if _, err := tx.ExecContext(ctx, sqlInsertCommunes, p.Code,
			pq.Array(codes), pq.Array(names), pq.Array(kinds), pq.Array(districts), pq.Array(newRural)); err != nil {
			return err
		}
		config, err := json.Marshal(issuerConfigOf(is))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlUpsertIssuer, p.Code, is.ParentBody, is.Body, is.BodyKey, is.NumberSuffix,
			is.Place, is.CommitteeName, is.AuthorityLine, is.SignerAuthority, is.SignerTitle, is.SignerName, is.PlanRef, string(config))
		return err
	})
}

// Province returns a province's registry, districts and communes ordered by
// code, and its issuer configuration (the zero Issuer if none was saved).
// The error is ENOTFOUND if the province is unknown.
func (db *RegistryStore) Province(ctx context.Context, code string) (cycle.Province, cycle.Issuer, error) {
	p := cycle.Province{Code: code}
	var is cycle.Issuer
	err := db.view(ctx, "province "+code, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, sqlProvince, code).Scan(&p.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có tỉnh mã «%s»", EN: "no province with code %q"}, code)
		}
		if err != nil {
			return err
		}
		if p.Districts, err = queryAll(ctx, tx, sqlDistricts, []any{code}, func(r *sql.Rows) (cycle.District, error) {
			var d cycle.District
			return d, r.Scan(&d.Code, &d.Name)
		}); err != nil {
			return err
		}
		if p.Communes, err = queryAll(ctx, tx, sqlCommunes, []any{code}, func(r *sql.Rows) (cycle.Commune, error) {
			var c cycle.Commune
			var kind string
			err := r.Scan(&c.Code, &c.Name, &kind, &c.District, &c.NewRural)
			c.Kind = cycle.CommuneKind(kind)
			return c, err
		}); err != nil {
			return err
		}
		var config []byte
		err = tx.QueryRowContext(ctx, sqlIssuer, code).Scan(&is.ParentBody, &is.Body, &is.BodyKey, &is.NumberSuffix,
			&is.Place, &is.CommitteeName, &is.AuthorityLine, &is.SignerAuthority, &is.SignerTitle, &is.SignerName, &is.PlanRef, &config)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var c issuerConfig
		if err := json.Unmarshal(config, &c); err != nil {
			return fmt.Errorf("issuer of %s: config: %w", code, err)
		}
		c.apply(&is)
		return nil
	})
	if err != nil {
		return cycle.Province{}, cycle.Issuer{}, err
	}
	return p, is, nil
}

// queryAll runs a query and converts each row with scan.
func queryAll[T any](ctx context.Context, tx *sql.Tx, query string, args []any, scan func(*sql.Rows) (T, error)) ([]T, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Provinces lists the provinces in the registry by name, with their code
// and name only.
func (db *RegistryStore) Provinces(ctx context.Context) ([]cycle.Province, error) {
	var out []cycle.Province
	err := db.view(ctx, "provinces", func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlProvinces, nil, func(r *sql.Rows) (cycle.Province, error) {
			var p cycle.Province
			return p, r.Scan(&p.Code, &p.Name)
		})
		return err
	})
	if out == nil {
		out = []cycle.Province{}
	}
	return out, err
}

// issuerConfig is the part of an issuer kept as JSON (issuers.config).
type issuerConfig struct {
	Kind           cycle.IssuerKind `json:"kind,omitempty"`
	HeadTitle      string           `json:"head_title,omitempty"`
	BodyName       string           `json:"body_name,omitempty"`
	Committee      string           `json:"committee,omitempty"`
	CommitteeShort string           `json:"committee_short,omitempty"`
	Founding       []cycle.LegalAct `json:"founding,omitempty"`
	Rules          []cycle.LegalAct `json:"rules,omitempty"`
	Plans          []cycle.LegalAct `json:"plans,omitempty"`
}

func issuerConfigOf(is cycle.Issuer) issuerConfig {
	return issuerConfig{Kind: is.Kind, HeadTitle: is.HeadTitle, BodyName: is.BodyName, Committee: is.Committee,
		CommitteeShort: is.CommitteeShort, Founding: is.Founding, Rules: is.Rules, Plans: is.Plans}
}

func (c issuerConfig) apply(is *cycle.Issuer) {
	is.Kind, is.HeadTitle, is.BodyName, is.Committee, is.CommitteeShort = c.Kind, c.HeadTitle, c.BodyName, c.Committee, c.CommitteeShort
	is.Founding, is.Rules, is.Plans = c.Founding, c.Rules, c.Plans
}
