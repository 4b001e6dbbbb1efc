// This file holds the misses: inputs that matched no entry, already
// redacted and reduced to a template by internal/misses.

package store

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"
)

// Miss is one template of unmatched inputs and how often it came.
type Miss struct {
	Template  string    `json:"template"`
	Example   string    `json:"example"`
	Count     int64     `json:"count"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// MaxMissText bounds a miss's template and example, in bytes.
const MaxMissText = 1000

const upsertMiss = `INSERT INTO misses (template, example, count, first_seen, last_seen) VALUES (?, ?, 1, ?, ?)
ON CONFLICT (template) DO UPDATE SET count = misses.count + 1, example = excluded.example, last_seen = excluded.last_seen`

// AddMiss counts one unmatched input under its template. The caller has
// redacted both texts.
func (s *sqlStore) AddMiss(ctx context.Context, template, example string) error {
	if template == "" || len(template) > MaxMissText || len(example) > MaxMissText || !utf8.ValidString(template) || !utf8.ValidString(example) {
		return fmt.Errorf("%w: miss template or example empty, too long or not UTF-8", ErrInvalid)
	}
	now := time.Now().UnixMilli()
	if _, err := s.db.ExecContext(ctx, s.d.rebind(upsertMiss), template, example, now, now); err != nil {
		return unavailable("record miss", err)
	}
	return nil
}

// Misses returns the most frequent templates, most frequent first.
func (s *sqlStore) Misses(ctx context.Context, limit int) ([]Miss, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT template, example, count, first_seen, last_seen FROM misses ORDER BY count DESC, last_seen DESC, template LIMIT ?`), limit)
	if err != nil {
		return nil, unavailable("misses", err)
	}
	defer rows.Close()
	var out []Miss
	for rows.Next() {
		var m Miss
		var first, last int64
		if err := rows.Scan(&m.Template, &m.Example, &m.Count, &first, &last); err != nil {
			return nil, unavailable("misses", err)
		}
		m.FirstSeen, m.LastSeen = time.UnixMilli(first).UTC(), time.UnixMilli(last).UTC()
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("misses", err)
	}
	return out, nil
}

// Pruned counts what Prune deleted.
type Pruned struct {
	Misses      int64 `json:"misses"`
	Submissions int64 `json:"submissions"`
}

// Prune deletes the misses last seen before a time and the submissions
// decided before it (a pending one waits for its moderator however old).
func (s *sqlStore) Prune(ctx context.Context, before time.Time) (Pruned, error) {
	var p Pruned
	t := before.UnixMilli()
	res, err := s.db.ExecContext(ctx, s.d.rebind(`DELETE FROM misses WHERE last_seen < ?`), t)
	if err != nil {
		return p, unavailable("prune misses", err)
	}
	p.Misses, _ = res.RowsAffected()
	res, err = s.db.ExecContext(ctx, s.d.rebind(`DELETE FROM submissions WHERE status <> 'pending' AND decided_at < ?`), t)
	if err != nil {
		return p, unavailable("prune submissions", err)
	}
	p.Submissions, _ = res.RowsAffected()
	return p, nil
}
