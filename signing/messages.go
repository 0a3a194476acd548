package signing

import (
	"time"

	"chuyenhoa/cycle"
)

// The verifier's, Embed's and the key policy's messages, in the
// product's catalogue: each refusal is a cycle.Problem whose Rule is one
// of these codes, with the Vietnamese text officers read and the English
// one of logs and `--lang en`.
func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"signing.untrusted_root": {
			VI: "Chứng thư số của người ký (%[1]s) không do tổ chức cung cấp dịch vụ chứng thực chữ ký số tin cậy cấp (chuỗi chứng thư không dẫn tới chứng thư gốc nào đã cấu hình; tổ chức cấp: %[2]s)",
			EN: "the signer's certificate (%[1]s) was not issued by a trusted certification authority: its chain reaches no configured root (issuer: %[2]s)",
		},
		"signing.no_roots": {
			VI: "Chưa kiểm tra được chứng thư số của người ký: chưa cấu hình chứng thư gốc của tổ chức chứng thực tin cậy",
			EN: "certificate chain not checked: no trusted CA configured",
		},
		"signing.chain": {
			VI: "Chuỗi chứng thư số của người ký (%[1]s) không hợp lệ: %[2]s",
			EN: "certificate chain of %[1]s is not valid: %[2]s",
		},
		"signing.expired": {
			VI: "Chứng thư số của người ký (%[1]s) đã hết hạn vào ngày %[2]s, trước thời điểm ký %[3]s",
			EN: "the signer's certificate (%[1]s) expired on %[2]s, before the signing time %[3]s",
		},
		"signing.not_yet_valid": {
			VI: "Chứng thư số của người ký (%[1]s) chỉ có hiệu lực từ ngày %[2]s, sau thời điểm ký %[3]s",
			EN: "the signer's certificate (%[1]s) is valid only from %[2]s, after the signing time %[3]s",
		},
		"signing.key_usage": {
			VI: "Chứng thư số (%[1]s) không có mục đích sử dụng ký số (digitalSignature hoặc nonRepudiation); mục đích ghi trong chứng thư: %[2]s",
			EN: "the certificate (%[1]s) is not for digital signatures: its key usage (%[2]s) has neither digitalSignature nor nonRepudiation",
		},
		"signing.revoked": {
			VI: "Chứng thư số (%[1]s) đã bị thu hồi vào ngày %[2]s, trước thời điểm ký %[3]s (theo danh sách chứng thư bị thu hồi của %[4]s)",
			EN: "the certificate (%[1]s) was revoked on %[2]s, before the signing time %[3]s (per the revocation list of %[4]s)",
		},
		"signing.revoked_unproven": {
			VI: "Chứng thư số (%[1]s) đã bị thu hồi vào ngày %[2]s; chữ ký không có dấu thời gian chứng minh nó được ký trước ngày đó",
			EN: "the certificate (%[1]s) was revoked on %[2]s, and no time-stamp proves the signature was made before then",
		},
		"signing.digest_mismatch": {
			VI: "Chữ ký số không ký đúng nội dung văn bản này (có thể đã ký một văn bản khác hoặc một bản khác của văn bản này): giá trị băm được ký %[1]s, giá trị băm của văn bản %[2]s",
			EN: "digest mismatch: the signature signs SHA-256 %[1]s, the document's signed bytes hash to %[2]s",
		},
		"signing.modified_after": {
			VI: "Văn bản đã bị thay đổi sau chữ ký cuối cùng: có %[1]d byte nằm ngoài phần đã ký (phần đã ký kết thúc ở byte %[2]d)",
			EN: "the file was changed after the last signature: %[1]d bytes follow the signed range (which ends at byte %[2]d)",
		},
		"signing.changed_between": {
			VI: "Văn bản đã bị sửa sau chữ ký này, không chỉ thêm chữ ký: %[1]s",
			EN: "changed after this signature, beyond adding signatures: %[1]s",
		},
		"signing.malformed": {
			VI: "Chữ ký trong tệp không đúng cấu trúc hoặc đã bị sửa: %[1]s",
			EN: "%[1]s",
		},
		"signing.not_cms": {
			VI: "Dữ liệu nhận về không phải là chữ ký số CMS hợp lệ: %[1]s",
			EN: "not a usable CMS signature: %[1]s",
		},
		"signing.bad_signature": {
			VI: "Giá trị chữ ký số không khớp với chứng thư số đi kèm: %[1]s",
			EN: "the CMS signature does not verify with the signer's certificate: %[1]s",
		},
		"signing.signing_certificate": {
			VI: "Chữ ký PAdES thiếu hoặc sai thuộc tính signing-certificate-v2 gắn chữ ký với chứng thư số của người ký: %[1]s",
			EN: "the PAdES signature's signing-certificate-v2 attribute, which binds it to the signer's certificate, is missing or wrong: %[1]s",
		},
		"signing.signing_time_attribute": {
			VI: "Chữ ký có thuộc tính signing-time trong CMS, điều PAdES cơ bản (B-B) không cho phép; thời điểm ký ghi ở /M",
			EN: "the CMS carries a signing-time attribute, which PAdES baseline B-B does not allow (the time belongs in /M)",
		},
		"signing.no_timestamp": {
			VI: "Chữ ký không có dấu thời gian (RFC 3161) trong khi cấu hình yêu cầu",
			EN: "the signature has no RFC 3161 time-stamp, and one is required",
		},
		"signing.bad_timestamp": {
			VI: "Dấu thời gian của chữ ký không hợp lệ: %[1]s",
			EN: "the signature's time-stamp is not valid: %[1]s",
		},
		"signing.unsigned": {
			VI: "Tệp không có chữ ký số",
			EN: "the file has no signature",
		},
		"signing.unreadable": {
			VI: "Không đọc được tệp PDF: %[1]s",
			EN: "cannot read the file: %[1]s",
		},
		"signing.person_key_on_server": {
			VI: "Không được đặt khóa bí mật của người ký (%[1]s) trên máy chủ: chữ ký số chuyên dùng công vụ phải nằm trong thiết bị ký của người ký hoặc dịch vụ ký số từ xa. Hãy dùng ký qua trang ký số với phần mềm ký trên máy người ký, hoặc dịch vụ ký từ xa. Chỉ bản trình diễn (đặt %[2]s=1) mới được giả lập thiết bị ký bằng tệp khóa",
			EN: "a person's private key (%[1]s) may not sit on the server: an official's signing key lives on their own token or with a remote-signing service. Sign through the signing page with the signing agent, or a remote-signing service. Only the demo (%[2]s=1) may simulate the signer's token with a key file",
		},
		"signing.demo_person_key": {
			VI: "BẢN TRÌNH DIỄN: khóa của người ký (%[1]s) nằm trên máy chủ, giả lập thiết bị ký của người ký; không dùng cho văn bản thật",
			EN: "DEMO: the signer's key (%[1]s) is on the server, simulating the signer's token; not for real documents",
		},
		"signing.not_configured": {
			VI: "Chưa cấu hình ký số nên không thể ban hành văn bản: thiếu %[1]s",
			EN: "signing is not configured, so nothing can be issued: missing %[1]s",
		},
	})
}

// when is a time said as each language writes it: "20/01/2027 09:30
// (UTC+07:00)" in Vietnamese, "2027-01-20 09:30 +07:00" in English.
type when time.Time

// Say formats the time in the Vietnamese time zone.
func (w when) Say(lang cycle.Lang) string {
	t := time.Time(w).In(cycle.Vietnam)
	if lang == cycle.English {
		return t.Format("2006-01-02 15:04 -07:00")
	}
	return t.Format("02/01/2006 15:04 (UTC-07:00)")
}
