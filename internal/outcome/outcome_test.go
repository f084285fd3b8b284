package outcome

import (
	"testing"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// TestEmojiWidth: every outcome's symbol is one wide code point, so a
// tabwriter (which counts code points) lines the terminal table up.
func TestEmojiWidth(t *testing.T) {
	for _, o := range append(All, Outcome("unknown")) {
		e := o.Emoji()
		if n := utf8.RuneCountInString(e); n != 1 {
			t.Errorf("%s: emoji %q has %d code points, want 1", o, e, n)
		}
		if w := runewidth.StringWidth(e); w != 2 {
			t.Errorf("%s: emoji %q is %d cells wide, want 2", o, e, w)
		}
	}
	// The two outcomes that stop a run ask for different fixes.
	if Auth.Emoji() == Config.Emoji() {
		t.Errorf("auth and config share the emoji %q", Auth.Emoji())
	}
}
