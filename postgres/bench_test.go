package postgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
)

func BenchmarkAssignNumber(b *testing.B) {
	ctx := context.Background()
	b.Run("new", func(b *testing.B) {
		db := newTestDB(b)
		id := withCycle(b, db)
		b.ResetTimer()
		for i := range b.N {
			if _, err := db.AssignNumber(ctx, decision(id, fmt.Sprintf("d%d", i), "51-BCD138", 2027)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("retry", func(b *testing.B) {
		db := newTestDB(b)
		id := withCycle(b, db)
		d := decision(id, "d", "51-BCD138", 2027)
		if _, err := db.AssignNumber(ctx, d); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, err := db.AssignNumber(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Concurrent callers on one register take turns on its row lock.
	b.Run("parallel", func(b *testing.B) {
		db := newTestDB(b)
		postgres.SetMaxOpenConns(db.DB, 16)
		id := withCycle(b, db)
		var next atomic.Int64
		b.SetParallelism(4)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := db.AssignNumber(ctx, decision(id, fmt.Sprintf("d%d", next.Add(1)), "51-BCD138", 2027)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkCompleteTask(b *testing.B) {
	ctx := context.Background()
	// A district's proposal: figures for its five communes, two proposed;
	// each iteration is the next revision.
	b.Run("proposal", func(b *testing.B) {
		db := newTestDB(b)
		id := withCycle(b, db)
		b.ResetTimer()
		for i := range b.N {
			if err := db.CompleteTask(ctx, submission(id, fmt.Sprintf("req-%d", i), i+1, proposal522(), t0)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("retry", func(b *testing.B) {
		db := newTestDB(b)
		id := withCycle(b, db)
		c := submission(id, "req", 1, proposal522(), t0)
		if err := db.CompleteTask(ctx, c); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if err := db.CompleteTask(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("consolidation", func(b *testing.B) {
		db := newTestDB(b)
		id := withCycle(b, db)
		list := []cycle.ListedCommune{
			{Commune: "21016", Name: "Phường Quảng Phú", District: "522", DistrictName: "Thành phố Quảng Ngãi", Types: cycle.Types{1, 3, 4}, Rank: 1},
			{Commune: "21010", Name: "Phường Lê Hồng Phong", District: "522", DistrictName: "Thành phố Quảng Ngãi", Types: cycle.Types{1, 4}, Rank: 2},
		}
		b.ResetTimer()
		for i := range b.N {
			c := cycle.Completion{CycleID: id, TaskID: "consolidate", Kind: cycle.TaskConsolidate, Actor: secretariat,
				RequestID: fmt.Sprintf("c-%d", i), At: t0, Consolidation: &cycle.Consolidation{}, List: list}
			if err := db.CompleteTask(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	})
}
