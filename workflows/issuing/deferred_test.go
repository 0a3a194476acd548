package issuing

import (
	"context"
	"strings"
	"testing"

	"chuyenhoa/workflows/flow"
)

// Outside the demo, an issue with no signature configured is refused,
// naming what is missing (issue 17, item 4).
func TestUnsignedIssueRefused(t *testing.T) {
	a := &Activities{Unsigned: "chữ ký số của người ký (CHUYENHOA_HEAD_SIGNATURE=external)"}
	_, err := a.SignDocument(context.Background(), SignInput{Code: "1/QĐ-BCĐ"})
	ce := flow.AsCycleError(err)
	if ce == nil || !strings.Contains(ce.Text, "Chưa cấu hình ký số nên không thể ban hành văn bản: thiếu chữ ký số của người ký (CHUYENHOA_HEAD_SIGNATURE=external)") {
		t.Fatalf("got %v (%+v)", err, ce)
	}
}
