package signing

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// lexer reads PDF values from b.
type lexer struct {
	b   []byte
	pos int
}

func newLexer(b []byte, pos int) *lexer { return &lexer{b: b, pos: pos} }

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		switch {
		case isSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

func (l *lexer) token() string {
	start := l.pos
	for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
		l.pos++
	}
	return string(l.b[start:l.pos])
}

var errEOF = errors.New("unexpected end of file")

// value reads one value; "N G R" is read as a ref.
func (l *lexer) value() (any, error) {
	return l.valueDepth(0)
}

func (l *lexer) valueDepth(depth int) (any, error) {
	if depth > 64 {
		return nil, errors.New("objects nested too deeply")
	}
	l.skipSpace()
	if l.pos >= len(l.b) {
		return nil, errEOF
	}
	switch c := l.b[l.pos]; {
	case c == '/':
		l.pos++
		return name(l.token()), nil
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<':
		l.pos += 2
		d := newDict()
		for {
			l.skipSpace()
			if l.pos+1 < len(l.b) && l.b[l.pos] == '>' && l.b[l.pos+1] == '>' {
				l.pos += 2
				return d, nil
			}
			k, err := l.valueDepth(depth + 1)
			if err != nil {
				return nil, err
			}
			kn, ok := k.(name)
			if !ok {
				return nil, fmt.Errorf("dictionary key %v is not a name (offset %d)", k, l.pos)
			}
			v, err := l.valueDepth(depth + 1)
			if err != nil {
				return nil, err
			}
			d.set(kn, v)
		}
	case c == '<':
		end := bytes.IndexByte(l.b[l.pos:], '>')
		if end < 0 {
			return nil, errEOF
		}
		raw := l.b[l.pos+1 : l.pos+end]
		l.pos += end + 1
		return decodeHex(raw)
	case c == '(':
		return l.literalString()
	case c == '[':
		l.pos++
		var arr []any
		for {
			l.skipSpace()
			if l.pos < len(l.b) && l.b[l.pos] == ']' {
				l.pos++
				if arr == nil {
					arr = []any{}
				}
				return arr, nil
			}
			v, err := l.valueDepth(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
	default:
		tok := l.token()
		if tok == "" {
			return nil, fmt.Errorf("unexpected %q at offset %d", c, l.pos)
		}
		switch tok {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		if _, err := strconv.ParseFloat(tok, 64); err != nil {
			return nil, fmt.Errorf("unexpected token %q at offset %d", tok, l.pos-len(tok))
		}
		// An integer may start "N G R".
		if _, err := strconv.Atoi(tok); err == nil {
			save := l.pos
			l.skipSpace()
			gen := l.token()
			if _, err := strconv.Atoi(gen); err == nil {
				l.skipSpace()
				if l.pos < len(l.b) && l.b[l.pos] == 'R' && (l.pos+1 == len(l.b) || isSpace(l.b[l.pos+1]) || isDelim(l.b[l.pos+1])) {
					l.pos++
					n, _ := strconv.Atoi(tok)
					g, _ := strconv.Atoi(gen)
					return ref{n, g}, nil
				}
			}
			l.pos = save
		}
		return number(tok), nil
	}
}

func decodeHex(raw []byte) (hexString, error) {
	var out []byte
	var hi byte
	half := false
	for _, c := range raw {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		case isSpace(c):
			continue
		default:
			return nil, fmt.Errorf("bad character %q in a hex string", c)
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return hexString(out), nil
}

func (l *lexer) literalString() (literal, error) {
	l.pos++ // (
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '\\':
			if l.pos >= len(l.b) {
				return nil, errEOF
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
			case '\n':
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; k++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					out = append(out, byte(v))
				} else {
					out = append(out, e)
				}
			}
		case '(':
			depth++
			out = append(out, c)
		case ')':
			depth--
			if depth == 0 {
				return literal(out), nil
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return nil, errEOF
}

// write serializes v.
func write(buf *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		if v {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case number:
		buf.WriteString(string(v))
	case int:
		buf.WriteString(strconv.Itoa(v))
	case float64:
		buf.WriteString(strconv.FormatFloat(v, 'f', 2, 64))
	case name:
		buf.WriteByte('/')
		for i := 0; i < len(v); i++ {
			c := v[i]
			if c < '!' || c > '~' || c == '#' || isDelim(c) {
				fmt.Fprintf(buf, "#%02X", c)
			} else {
				buf.WriteByte(c)
			}
		}
	case ref:
		fmt.Fprintf(buf, "%d %d R", v.num, v.gen)
	case hexString:
		fmt.Fprintf(buf, "<%X>", []byte(v))
	case literal:
		buf.WriteByte('(')
		for _, c := range []byte(v) {
			switch c {
			case '(', ')', '\\':
				buf.WriteByte('\\')
				buf.WriteByte(c)
			case '\r':
				buf.WriteString(`\r`)
			case '\n':
				buf.WriteString(`\n`)
			default:
				buf.WriteByte(c)
			}
		}
		buf.WriteByte(')')
	case []any:
		buf.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				buf.WriteByte(' ')
			}
			write(buf, x)
		}
		buf.WriteByte(']')
	case *dict:
		buf.WriteString("<<")
		for _, k := range v.keys {
			write(buf, k)
			buf.WriteByte(' ')
			write(buf, v.vals[k])
			buf.WriteByte(' ')
		}
		buf.WriteString(">>")
	default:
		panic(fmt.Sprintf("signing: cannot write %T", v))
	}
}

// equal reports whether two parsed values are the same.
func equal(a, b any) bool {
	var x, y bytes.Buffer
	write(&x, a)
	write(&y, b)
	return bytes.Equal(x.Bytes(), y.Bytes())
}
