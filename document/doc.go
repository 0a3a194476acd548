// Package document lays out administrative documents (văn bản hành chính)
// as Decree 30/2020/NĐ-CP, Appendix I, prescribes, and writes them as PDF
// with fpdf (the maintained fork of gofpdf, vendored in third_party/fpdf).
//
// The layout: A4 portrait; margins 20 mm top and bottom, 30 mm left, 15 mm
// right; a Times-metric font (the product ships Liberation Serif, see
// package templates).
//
//   - Header in two columns. Left (40% of the text width), centred: the
//     governing body (13pt, upper case), the issuing body (13pt bold, upper
//     case) with a rule 40% of its width under it, then "Số: 12/QĐ-BCĐ"
//     (13pt). Right, centred: the national title (12pt bold), the motto
//     (13pt bold) with a rule as wide as the motto, then the place and date
//     (14pt italic) level with the number.
//   - The kind (14pt bold), the subject (14pt bold, wrapped into lines of
//     similar length) with a short rule, the deciding authority (14pt bold).
//   - Grounds in 14pt italic, articles in 14pt with "Điều N." in bold at the
//     start of the paragraph: justified, first line indented 10 mm, line
//     height 1.3, 6pt between paragraphs.
//   - Tables in 13pt: bordered, header row bold and centred and repeated on
//     every page the table continues on, cells wrapping, rows as tall as
//     their tallest cell and never split.
//   - The signature block on the right (authority and title in bold upper
//     case, a 25 mm gap for the signature and seal, the name in bold) and
//     "Nơi nhận:" (12pt bold italic, entries 11pt) on the left, level with
//     it. The block never stands alone on a page: the last two lines of the
//     last paragraph go with it.
//   - Page numbers from page 2 on, 13pt, centred in the top margin.
//   - Documents without articles (notices, reports) have sections: the
//     same paragraphs without "Điều N.", optionally after a bold heading.
//     A letter (công văn, no kind) has its summary "V/v …" (12pt) under
//     the number and "Kính gửi:" with its addressees after the header.
//
// Text is NFC-normalised before layout; line breaking, justification and
// measurement are done here (fpdf's MultiCell cannot mix bold and regular
// in one paragraph), with the same rounded glyph widths fpdf writes into
// the PDF, so what is measured is what is drawn.
//
// Output is deterministic: the same Document gives the same bytes (the
// PDF's dates are the document's date, its objects written in a fixed
// order). A Renderer is safe for concurrent use.
package document
