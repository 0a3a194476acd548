package signing

import (
	"bytes"
	"fmt"
)

// laterChanges lists what the revisions after rev (1-based) change in the
// objects that rev's signature covers, other than adding a signature:
// allowed are a rewritten catalog (/AcroForm, /Version), AcroForm
// (/Fields, /SigFlags) and page (/Annots, with signature widgets added).
func laterChanges(f *file, rev int) []string {
	var probs []string
	asOf := func(num, k int) (*object, bool) {
		for i := k - 1; i >= 0; i-- {
			if e, ok := f.revs[i].entries[num]; ok {
				o, err := f.objectAt(e[0])
				return o, err == nil
			}
		}
		return nil, false
	}
	allowed := map[name]bool{"AcroForm": true, "Version": true, "Fields": true, "SigFlags": true, "Annots": true}
	for k := rev + 1; k <= len(f.revs); k++ {
		for _, num := range f.revs[k-1].objNums {
			old, existed := asOf(num, rev)
			if !existed {
				continue
			}
			cur, ok := asOf(num, k)
			if !ok {
				probs = append(probs, fmt.Sprintf("revision %d: object %d is unreadable", k, num))
				continue
			}
			od, ok1 := old.value.(*dict)
			nd, ok2 := cur.value.(*dict)
			if !ok1 || !ok2 || old.stream != nil || cur.stream != nil {
				if !equal(old.value, cur.value) || !bytes.Equal(old.stream, cur.stream) {
					probs = append(probs, fmt.Sprintf("revision %d changes object %d after this signature", k, num))
				}
				continue
			}
			keys := map[name]bool{}
			for _, key := range append(append([]name(nil), od.keys...), nd.keys...) {
				keys[key] = true
			}
			for key := range keys {
				if allowed[key] {
					continue
				}
				if !equal(od.get(key), nd.get(key)) {
					probs = append(probs, fmt.Sprintf("revision %d changes /%s of object %d (%v) after this signature", k, key, num, od.get("Type")))
				}
			}
			if p := annotsAdded(f, od.get("Annots"), nd.get("Annots")); p != "" {
				probs = append(probs, fmt.Sprintf("revision %d: page object %d: %s", k, num, p))
			}
		}
	}
	return probs
}

// annotsAdded checks that now keeps every annotation of before and adds
// only signature widgets.
func annotsAdded(f *file, before, now any) string {
	if before == nil && now == nil {
		return ""
	}
	bv, _ := f.resolve(before)
	nv, _ := f.resolve(now)
	ba, _ := bv.([]any)
	na, _ := nv.([]any)
	if len(na) < len(ba) {
		return "annotations removed"
	}
	for i := range ba {
		if !equal(ba[i], na[i]) {
			return "annotations replaced"
		}
	}
	for _, a := range na[len(ba):] {
		d, err := f.dictOf(a)
		if err != nil || d.get("Subtype") != name("Widget") || d.get("FT") != name("Sig") {
			return "an annotation other than a signature widget added"
		}
	}
	return ""
}
