package api

import (
	"context"
	"net/http/httptest"
	"testing"
)

// With every KDF slot taken and the queue full, a sign-in is refused at
// once with 503 and Retry-After instead of waiting behind the others.
func TestSignInRefusedWhenTheQueueIsFull(t *testing.T) {
	old := MaxQueuedSignIns
	MaxQueuedSignIns = 0
	for range cap(kdfSlots) {
		kdfSlots <- struct{}{}
	}
	t.Cleanup(func() {
		for range cap(kdfSlots) {
			<-kdfSlots
		}
		MaxQueuedSignIns = old
	})
	_, err := checkPassword(context.Background(), dummyHash, "x")
	if asError(err).Code != EBUSY {
		t.Fatalf("got %v, want busy", err)
	}
	w := httptest.NewRecorder()
	s := &Server{}
	s.build()
	s.deps.writeError(w, httptest.NewRequest("POST", "/api/session", nil), err)
	if w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	if _, refused := SignInLoad(); refused == 0 {
		t.Fatal("the refusal is not counted")
	}
}
