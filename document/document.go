package document

import (
	"time"

	"golang.org/x/text/unicode/norm"
)

// Document is one administrative document (văn bản hành chính) laid out per
// Decree 30/2020/NĐ-CP, Appendix I: the two-column header, the kind and
// subject, the legal grounds, the articles, the signature block and the
// distribution list.
//
// Every string is NFC-normalised by the renderer before layout, so
// decomposed (NFD) Vietnamese input renders exactly like composed input.
type Document struct {
	// ParentBody is the governing body (cơ quan chủ quản), e.g.
	// "UBND TỈNH QUẢNG NGÃI"; may be empty. Upper case, regular weight.
	ParentBody string
	// IssuingBody is the issuing body (cơ quan ban hành), e.g.
	// "BAN CHỈ ĐẠO 138"; bold upper case with a short rule under it.
	IssuingBody string
	// Number is the full number and symbol, e.g. "12/QĐ-BCĐ" (Decree 30
	// writes numbers below 10 with a leading 0: "05/QĐ-BCĐ"). Empty means a
	// draft: "Số:      /QĐ-BCĐ" is printed using NumberSuffix.
	Number string
	// NumberSuffix is the symbol alone, e.g. "QĐ-BCĐ"; used when Number is empty.
	NumberSuffix string
	// Place is the place name of the place-and-date line, e.g. "Quảng Ngãi".
	Place string
	// Date is the civil date of signing. Only its year, month and day are
	// used, written as Decree 30 asks: "Quảng Ngãi, ngày 05 tháng 01 năm 2027"
	// (days below 10 and the months 1 and 2 take a leading zero). The zero
	// time prints a blank date for drafts.
	Date time.Time
	// Kind is the kind of document (tên loại), e.g. "QUYẾT ĐỊNH", "THÔNG
	// BÁO", "BÁO CÁO". Empty makes an official letter (công văn): it has no
	// kind line; its Subject is printed under the number in the left column
	// ("V/v …", 12pt) and Addressees after the header ("Kính gửi: …").
	Kind string
	// Subject is the summary (trích yếu), e.g. "Về việc phê duyệt danh sách …";
	// bold, centred, wrapped, with a short rule under it (for a letter: see Kind).
	Subject string
	// Addressees are the recipients of a letter ("Kính gửi:"), one per
	// line when there are several, each printed "- X"; used when Kind is empty.
	Addressees []string
	// Authority is the line naming who decides, e.g. "TRƯỞNG BAN CHỈ ĐẠO 138
	// TỈNH QUẢNG NGÃI", printed bold and centred before the grounds.
	Authority string
	// Grounds are the legal grounds ("Căn cứ …;"), each an italic justified paragraph.
	Grounds []string
	// Resolution is the line between the grounds and the articles, e.g. "QUYẾT ĐỊNH:".
	Resolution string
	// Articles are numbered "Điều 1.", "Điều 2.", … in order.
	Articles []Article
	// Signature is the signature block on the right.
	Signature Signature
	// Recipients is the distribution list (nơi nhận), printed "- X" under
	// "Nơi nhận:" on the left, level with the signature block. Give the
	// entries with their final punctuation ("Như Điều 3;", "Lưu: VT, CAT.").
	Recipients []string
	// Footnote is an optional small line at the bottom of the last page,
	// e.g. to label a demonstration document's data as synthetic.
	Footnote string
}

// Article is one article (điều) of the document, or, when Plain, a
// section of a document without articles (a notice, a report, a letter).
type Article struct {
	// Plain makes the article a section: no "Điều N." before its text,
	// and it does not count in the numbering of the articles.
	Plain bool
	// Heading is an optional bold line before the text (e.g. "I. KẾT QUẢ
	// THỰC HIỆN"), justified like a paragraph.
	Heading string
	// Text is the first paragraph, printed after a bold "Điều N. " on the
	// same line, N being the article's position (from 1) among the
	// articles that are not Plain. It may be empty in a Plain section.
	Text string
	// Paragraphs are further justified paragraphs of the same article,
	// printed after Table.
	Paragraphs []string
	// Table is an optional table printed after Text.
	Table *Table
}

// Table is a bordered table whose header row is repeated at the top of
// every page the table continues on. Cells wrap; a row is as tall as its
// tallest cell and is never split across pages.
type Table struct {
	// Caption is an optional bold centred line above the table.
	Caption string
	// Columns are the columns, left to right.
	Columns []Column
	// Rows are the body rows; each must have exactly len(Columns) cells.
	Rows [][]string
}

// Column is one column of a Table.
type Column struct {
	// Header is the header cell text, printed bold and centred.
	Header string
	// Width is the column width in mm; 0 shares the width left by the
	// fixed columns equally among the zero-width ones.
	Width float64
	// Align is the alignment of body cells: "L" (default), "C" or "R".
	Align string
}

// Signature is the signature block (quyền hạn, chức vụ, họ tên người ký).
type Signature struct {
	// Authority is the capacity of the signer, e.g. "TM. BAN CHỈ ĐẠO" or
	// "KT. TRƯỞNG BAN"; bold upper case. Lines separated by "\n" print
	// one under the other ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH").
	Authority string
	// Title is the signer's position, e.g. "TRƯỞNG BAN" or "PHÓ TRƯỞNG BAN
	// THƯỜNG TRỰC"; bold upper case.
	Title string
	// Name is the signer's full name, bold, under the gap left for the
	// hand signature and the seal.
	Name string
	// Signed reports whether the document is signed. When false the gap
	// carries "(Dự thảo)"; when true it is left empty for the signature and
	// seal images, which are placed later using Layout.Signature.
	Signed bool
}

// normalized returns a deep copy of d with every string in NFC.
func (d Document) normalized() Document {
	n := norm.NFC.String
	out := d
	out.ParentBody, out.IssuingBody = n(d.ParentBody), n(d.IssuingBody)
	out.Number, out.NumberSuffix, out.Place = n(d.Number), n(d.NumberSuffix), n(d.Place)
	out.Kind, out.Subject, out.Authority = n(d.Kind), n(d.Subject), n(d.Authority)
	out.Resolution, out.Footnote = n(d.Resolution), n(d.Footnote)
	out.Grounds = nfcAll(d.Grounds)
	out.Addressees = nfcAll(d.Addressees)
	out.Recipients = nfcAll(d.Recipients)
	out.Signature.Authority = n(d.Signature.Authority)
	out.Signature.Title = n(d.Signature.Title)
	out.Signature.Name = n(d.Signature.Name)
	out.Articles = make([]Article, len(d.Articles))
	for i, a := range d.Articles {
		out.Articles[i] = Article{Plain: a.Plain, Heading: n(a.Heading), Text: n(a.Text), Paragraphs: nfcAll(a.Paragraphs)}
		if a.Table != nil {
			t := &Table{Caption: n(a.Table.Caption), Columns: make([]Column, len(a.Table.Columns))}
			for j, c := range a.Table.Columns {
				t.Columns[j] = Column{Header: n(c.Header), Width: c.Width, Align: c.Align}
			}
			t.Rows = make([][]string, len(a.Table.Rows))
			for j, row := range a.Table.Rows {
				t.Rows[j] = nfcAll(row)
			}
			out.Articles[i].Table = t
		}
	}
	return out
}

func nfcAll(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = norm.NFC.String(s)
	}
	return out
}
