package words

import (
	"fmt"
	"strings"
)

// Count says n things: "1 picture", "2 pictures", "0 pictures". noun is the singular; the
// plural is noun+"s", or the given irregular form ("copy", "copies").
func Count(n int, noun string, plural ...string) string {
	return fmt.Sprintf("%d %s", n, Noun(n, noun, plural...))
}

// Noun is the form of noun that goes with n: singular for 1 (and -1), plural otherwise.
func Noun(n int, noun string, plural ...string) string {
	if n == 1 || n == -1 {
		return noun
	}
	if len(plural) > 0 {
		return plural[0]
	}
	return noun + "s"
}

// Closest is the candidate nearest to word, for a "did you mean" hint: within an edit
// distance of a third of the word's length (at least 1, case ignored), else "".
func Closest(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestD := "", max(1, len([]rune(w))/3)+1
	for _, c := range candidates {
		if d := distance(w, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the edit distance of a and b in runes, a swap of two neighbours counting
// as one edit (optimal string alignment): "levle" is one edit from "level".
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// Pixels spells a pixel count the way people say a limit: "1 gigapixel", "16 megapixel",
// else "1000 pixel" (the decoders' "over the 1 gigapixel limit").
func Pixels(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d gigapixel", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d megapixel", n>>20)
	default:
		return fmt.Sprintf("%d pixel", n)
	}
}
