package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/afkarlab/afkar/stage"
)

const userColumns = `id, login, name, role, coalesce(stage_id, 0), coalesce(judge, ''), password_hash, disabled`

func scanUser(row interface{ Scan(...any) error }) (stage.User, error) {
	var u stage.User
	err := row.Scan(&u.ID, &u.Login, &u.Name, &u.Role, &u.Stage, &u.Judge, &u.PasswordHash, &u.Disabled)
	return u, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateUser adds u. The schema refuses a juror without a stage and a
// judge, a juror with a password, an admin bound to a stage, and a
// repeated login.
func (db *DB) CreateUser(ctx context.Context, u stage.User, by stage.Actor) (stage.User, error) {
	if !u.Role.Valid() {
		return stage.User{}, fmt.Errorf("%w: role %q (expected admin, organiser, juror or observer)", stage.ErrInvalid, u.Role)
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO users (login, name, role, stage_id, judge, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Login, u.Name, u.Role, nullID(u.Stage), nullString(u.Judge), u.PasswordHash, u.Disabled, now)
		if isUnique(err) {
			return fmt.Errorf("user %q: %w", u.Login, stage.ErrExists)
		}
		if err != nil {
			return fmt.Errorf("%w: user %q: %v", stage.ErrInvalid, u.Login, err)
		}
		u.ID, _ = res.LastInsertId()
		return audit(ctx, tx, now, u.Stage, by, "user.create", "", fmt.Sprintf("%s (%s)", u.Login, u.Role))
	})
	return u, err
}

// User returns the user with id.
func (db *DB) User(ctx context.Context, id int64) (stage.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, notFound(err, fmt.Sprintf("user %d", id))
}

// UserByLogin returns the user with login.
func (db *DB) UserByLogin(ctx context.Context, login string) (stage.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE login = ?`, login))
	return u, notFound(err, fmt.Sprintf("user %q", login))
}

// Users lists every account by ID.
func (db *DB) Users(ctx context.Context) ([]stage.User, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []stage.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateSession stores s.
func (db *DB) CreateSession(ctx context.Context, s stage.Session) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		// Expired sessions go as new ones come.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, db.now()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, csrf, code_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			s.Hash, s.UserID, s.CSRF, nullID(s.CodeID), formatTime(s.CreatedAt), formatTime(s.ExpiresAt))
		return err
	})
}

// Session returns the unexpired session whose token hashes to hash, of a
// user not disabled, and whose code (for a juror) is not revoked.
func (db *DB) Session(ctx context.Context, hash string, now time.Time) (stage.Session, stage.User, error) {
	var s stage.Session
	var created, expires string
	var code sql.NullInt64
	row := db.r.QueryRowContext(ctx, `SELECT s.hash, s.user_id, s.csrf, s.code_id, s.created_at, s.expires_at, `+prefixed("u.", userColumns)+`
		FROM sessions s JOIN users u ON u.id = s.user_id
		LEFT JOIN codes c ON c.id = s.code_id
		LEFT JOIN jurors j ON j.stage_id = u.stage_id AND j.id = u.judge
		WHERE s.hash = ? AND s.expires_at > ? AND u.disabled = 0 AND c.revoked_at IS NULL AND coalesce(j.dropped, 0) = 0`,
		hash, formatTime(now))
	var u stage.User
	err := row.Scan(&s.Hash, &s.UserID, &s.CSRF, &code, &created, &expires,
		&u.ID, &u.Login, &u.Name, &u.Role, &u.Stage, &u.Judge, &u.PasswordHash, &u.Disabled)
	if err != nil {
		return stage.Session{}, stage.User{}, notFound(err, "session")
	}
	s.CodeID = code.Int64
	s.CreatedAt, s.ExpiresAt = parseTime(created), parseTime(expires)
	return s, u, nil
}

// prefixed puts p before each column of a list written as userColumns.
func prefixed(p, cols string) string {
	return p + "id, " + p + "login, " + p + "name, " + p + "role, coalesce(" + p + "stage_id, 0), coalesce(" + p + "judge, ''), " + p + "password_hash, " + p + "disabled"
}

// DeleteSession forgets a session.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
		return err
	})
}

// CreateCode stores a one-time code by its hash.
func (db *DB) CreateCode(ctx context.Context, c stage.Code, hash string, by stage.Actor) (stage.Code, error) {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var dropped bool
		err := tx.QueryRowContext(ctx, `SELECT dropped FROM jurors WHERE stage_id = ? AND id = ?`, c.Stage, c.Judge).Scan(&dropped)
		if err != nil {
			return notFound(err, fmt.Sprintf("juror %s of stage %d", c.Judge, c.Stage))
		}
		if dropped {
			return fmt.Errorf("%w: juror %s dropped out", stage.ErrInvalid, c.Judge)
		}
		now := db.now()
		c.CreatedAt = parseTime(now)
		res, err := tx.ExecContext(ctx, `INSERT INTO codes (stage_id, judge, hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			c.Stage, c.Judge, hash, by.UserID, now, formatTime(c.ExpiresAt))
		if err != nil {
			return fmt.Errorf("%w: code: %v", stage.ErrInvalid, err)
		}
		c.ID, _ = res.LastInsertId()
		return audit(ctx, tx, now, c.Stage, by, "code.issue", "", fmt.Sprintf("code %d for juror %s, expires %s", c.ID, c.Judge, formatTime(c.ExpiresAt)))
	})
	return c, err
}

// RedeemCode uses a code once and returns the juror's account, made on
// first use, and the code's ID.
func (db *DB) RedeemCode(ctx context.Context, hash string, now time.Time) (stage.User, int64, error) {
	var u stage.User
	var codeID int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var c stage.Code
		var expires string
		var used, revoked sql.NullString
		var dropped bool
		err := tx.QueryRowContext(ctx, `SELECT c.id, c.stage_id, c.judge, c.expires_at, c.used_at, c.revoked_at, j.dropped
			FROM codes c JOIN jurors j ON j.stage_id = c.stage_id AND j.id = c.judge WHERE c.hash = ?`, hash).
			Scan(&c.ID, &c.Stage, &c.Judge, &expires, &used, &revoked, &dropped)
		if errors.Is(err, sql.ErrNoRows) {
			return stage.ErrCode
		}
		if err != nil {
			return err
		}
		if used.Valid || revoked.Valid || dropped || !parseTime(expires).After(now) {
			return stage.ErrCode
		}
		at := formatTime(now)
		if _, err := tx.ExecContext(ctx, `UPDATE codes SET used_at = ? WHERE id = ?`, at, c.ID); err != nil {
			return err
		}
		codeID = c.ID
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE stage_id = ? AND judge = ?`, c.Stage, c.Judge))
		if errors.Is(err, sql.ErrNoRows) {
			u = stage.User{Login: fmt.Sprintf("juror:%d:%s", c.Stage, c.Judge), Role: stage.RoleJuror, Stage: c.Stage, Judge: c.Judge}
			res, err := tx.ExecContext(ctx, `INSERT INTO users (login, name, role, stage_id, judge, created_at) VALUES (?, '', 'juror', ?, ?, ?)`,
				u.Login, c.Stage, c.Judge, at)
			if err != nil {
				return err
			}
			u.ID, _ = res.LastInsertId()
		} else if err != nil {
			return err
		}
		return audit(ctx, tx, at, c.Stage, stage.Actor{UserID: u.ID, Login: u.Login}, "code.redeem", "", fmt.Sprintf("code %d", c.ID))
	})
	return u, codeID, err
}

// RevokeCode revokes a code; the sessions it opened end with it.
func (db *DB) RevokeCode(ctx context.Context, stageID, id int64, by stage.Actor) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE codes SET revoked_at = ? WHERE id = ? AND stage_id = ? AND revoked_at IS NULL`, now, id, stageID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("code %d of stage %d, not revoked yet: %w", id, stageID, stage.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE code_id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, stageID, by, "code.revoke", "", fmt.Sprintf("code %d", id))
	})
}

// Codes lists a stage's codes, newest first.
func (db *DB) Codes(ctx context.Context, stageID int64) ([]stage.Code, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, stage_id, judge, created_at, expires_at, used_at, revoked_at FROM codes WHERE stage_id = ? ORDER BY id DESC`, stageID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []stage.Code{}
	for rows.Next() {
		var c stage.Code
		var created, expires string
		var used, revoked sql.NullString
		if err := rows.Scan(&c.ID, &c.Stage, &c.Judge, &created, &expires, &used, &revoked); err != nil {
			return nil, err
		}
		c.CreatedAt, c.ExpiresAt = parseTime(created), parseTime(expires)
		c.UsedAt, c.RevokedAt = nullTime(used), nullTime(revoked)
		out = append(out, c)
	}
	return out, rows.Err()
}
