package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/stage"
)

// BenchmarkSync is one juror's sync that changes one score of a sheet of
// 10 ideas × 2 criteria, on a stage of ideas ideas: a write must cost the
// same at 60,000 ideas as at 100 (red-team finding 12).
func BenchmarkSync(b *testing.B) {
	for _, n := range []int{100, 60_000} {
		b.Run(fmt.Sprintf("ideas=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db, _ := open(b, time.Now)
			u, err := db.CreateUser(ctx, stage.User{Login: "admin", Role: stage.RoleAdmin, PasswordHash: "x"}, stage.Actor{})
			require.NoError(b, err)
			admin := stage.Actor{UserID: u.ID, Login: "admin"}
			st, err := db.CreateStage(ctx, stage.Stage{Slug: "big", Title: "Big", Rules: []byte(rules), JurorsPerIdea: 1, CapPerJuror: 10, Seed: "s"}, admin)
			require.NoError(b, err)
			_, err = db.AddIdeas(ctx, st.ID, func(yield func(stage.Idea, error) bool) {
				for i := range n {
					if !yield(stage.Idea{ID: fmt.Sprintf("P%06d", i), Region: "oriental"}, nil) {
						return
					}
				}
			}, admin, "")
			require.NoError(b, err)
			_, err = db.PutJuror(ctx, st.ID, stage.Juror{ID: "J1"}, admin, "")
			require.NoError(b, err)
			_, err = db.Assign(ctx, st.ID, admin)
			require.NoError(b, err)
			ju, err := db.CreateUser(ctx, stage.User{Login: "j", Role: stage.RoleJuror, Stage: st.ID, Judge: "J1"}, admin)
			require.NoError(b, err)
			digest, err := db.StageDigest(ctx, st.ID)
			require.NoError(b, err)
			as, err := db.Assignments(ctx, st.ID, "J1")
			require.NoError(b, err)
			sh := &afkar.Sheet{Judge: "J1", Dataset: digest, Seq: 1}
			for _, a := range as {
				for _, c := range []string{"social", "economic"} {
					sh.Scores = append(sh.Scores, scoring.Score{Judge: "J1", Project: a.Project, Criterion: c, Value: decimal.NewFromInt(10)})
				}
			}
			require.Len(b, sh.Scores, 20)
			_, err = db.Sync(ctx, stage.SyncRequest{Stage: st.ID, Judge: "J1", Sheet: sh, By: stage.Actor{UserID: ju.ID}})
			require.NoError(b, err)
			b.ResetTimer()
			for i := range b.N {
				sh.Seq = i + 2
				sh.Scores[i%20].Value = decimal.NewFromInt(int64(i % 21))
				if _, err := db.Sync(ctx, stage.SyncRequest{Stage: st.ID, Judge: "J1", Base: i + 1, Sheet: sh, By: stage.Actor{UserID: ju.ID}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
