package main

import (
	"strings"
	"testing"
)

// Without --policy the demo runs the province's policy in force on 1
// January of the year: Quảng Ngãi's two-tier template in 2027; a province
// without a plan for the year is refused in both languages, naming --policy.
func TestDemoPolicyInForce(t *testing.T) {
	pol, err := demoPolicy("", "51", 2027)
	if err != nil || pol.ID != "005-quang-ngai-2026-2030" {
		t.Fatalf("51 in 2027: %s %v", pol.ID, err)
	}
	if pol, err := demoPolicy("002", "12", 2027); err != nil || pol.ID != "002-ba-ria-vung-tau-2020" {
		t.Fatalf("named: %s %v", pol.ID, err)
	}
	_, err = demoPolicy("", "12", 2027)
	if err == nil || !strings.Contains(err.Error(), "Không có kế hoạch chuyển hóa nào của Tỉnh Lai Châu (mã 12) có hiệu lực ngày 01/01/2027") ||
		!strings.Contains(err.Error(), "no policy of Tỉnh Lai Châu (12) is in force on 2027-01-01") || !strings.Contains(err.Error(), "--policy") {
		t.Errorf("Lai Châu in 2027: %v", err)
	}
	if _, err := demoPolicy("", "tay-ninh-2024", 2027); err == nil || !strings.Contains(err.Error(), "mã tỉnh 72 (Tỉnh Tây Ninh, từ ngày 01/7/2025 thuộc Tỉnh Tây Ninh, mã 80)") {
		t.Errorf("Tây Ninh of 2024 in 2027: %v", err)
	}
	if pol, err := demoPolicy("", "ba-ria-vung-tau-2024", 2020); err != nil || pol.ID != "002-ba-ria-vung-tau-2020" {
		t.Errorf("Bà Rịa - Vũng Tàu of 2024 in 2020: %s %v", pol.ID, err)
	}
}
