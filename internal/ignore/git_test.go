package ignore

import (
	"bytes"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// The differential test: trees of folders and files with names that patterns like to
// trip on, .gitignore files of generated and hand-written patterns, and git's own answer
// for every path, compared with Decide's.

var (
	treeDirs  = []string{"a", "b", "foo", ".hidden", "@eaDir", "#recycle", "sp ace", "x[1]", "deep"}
	treeFiles = []string{"p.jpg", "q.JPG", "r.png", ".DS_Store", "._p.jpg", "Thumbs.db", "#n.jpg",
		"!bang.jpg", "sp .jpg", "a.b.gif", "foo", "deep"}
	segments = []string{"a", "b", "foo", "deep", ".hidden", "@eaDir", "p.jpg", "q.JPG", "*", "*.jpg",
		"*.JPG", "?.jpg", "[pq].jpg", "[!p].jpg", "[^p].jpg", "[a-c]", "**", `\#n.jpg`, `\!bang.jpg`,
		"[[:alpha:]].jpg", `x\[1\]`, "x[[]1]", "sp ace", `sp\ .jpg`, "*p*", ".*", "._*", "#recycle",
		"a*", "*b", "f?o", "[[:upper:]].JPG", "[]].jpg", "d**p", "**.jpg", "x[1]", "[a-]*", `\*`,
		"*.[jp][pn]g", "[[:digit:]]", "[z-a]*", "a/**/b", "r.png"}
	handWritten = []string{"*.jpg", "!p.jpg", "/a", "a/", "/foo/", "**/deep", "deep/**", "a/**/p.jpg",
		`\#n.jpg`, `\!bang.jpg`, "sp\\ ", "sp .jpg   ", "sp\\ .jpg\\ ", "# comment", "", "   ", "!",
		"*", "**", "/**", "/", "!/a", ".*", "!.hidden/", "*/p.jpg", "/*/p.jpg", "b/*", "b/**/",
		"[", "a[", `foo\`, "[[:nope:]]", "[!]", "x[1]/", "*.JPG", "@eaDir/", "f*/", "**/a/**/p.jpg"}
)

// makeTree creates the folders and files under root and returns every path (folders and
// files), '/' separated.
func makeTree(t *testing.T, root string) []string {
	var paths []string
	var mk func(dir string, depth int)
	mk = func(dir string, depth int) {
		dirs := treeDirs
		if depth > 0 {
			dirs = []string{"a", "b", "deep"}
		}
		if depth == 3 {
			dirs = nil
		}
	files:
		for _, f := range treeFiles {
			rel := strings.TrimPrefix(dir+"/"+f, "/")
			for _, d := range dirs {
				if d == f {
					continue files // a folder of that name is made here
				}
			}
			if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, rel)
		}
		for _, d := range dirs {
			rel := strings.TrimPrefix(dir+"/"+d, "/")
			if err := os.Mkdir(filepath.Join(root, filepath.FromSlash(rel)), 0o755); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, rel)
			mk(rel, depth+1)
		}
	}
	mk("", 0)
	sort.Strings(paths)
	return paths
}

func randomPattern(r *rand.Rand) string {
	var b strings.Builder
	if r.Intn(4) == 0 {
		b.WriteString("!")
	}
	if r.Intn(4) == 0 {
		b.WriteString("/")
	}
	n := 1 + r.Intn(3)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString("/")
		}
		b.WriteString(segments[r.Intn(len(segments))])
	}
	if r.Intn(4) == 0 {
		b.WriteString("/")
	}
	if r.Intn(10) == 0 {
		b.WriteString("  ")
	}
	return b.String()
}

type gitRun struct {
	t    *testing.T
	git  string
	root string
	env  []string
}

func (g *gitRun) run(stdin []byte, args ...string) []string {
	g.t.Helper()
	cmd := exec.Command(g.git, args...)
	cmd.Dir = g.root
	cmd.Env = g.env
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && !(len(out) > 0 || stderr.Len() == 0) {
		g.t.Fatalf("git %v: %v\n%s", args, err, stderr.Bytes())
	}
	fields := strings.Split(string(out), "\x00")
	if len(fields) > 0 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	return fields
}

func TestAgainstGit(t *testing.T) {
	git := sharedtest.Tool(t, "git", "git")
	root := t.TempDir()
	home := t.TempDir()
	g := &gitRun{t: t, git: git, root: root, env: append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C")}
	g.run(nil, "init", "-q")
	paths := makeTree(t, root)
	var dirs []string
	for _, p := range paths {
		if st, _ := os.Stat(filepath.Join(root, p)); st.IsDir() {
			dirs = append(dirs, p)
		}
	}
	defaultsFile := filepath.Join(home, "defaults")
	os.WriteFile(defaultsFile, []byte(strings.Join(DefaultPatterns, "\n")+"\n"), 0o644)

	r := rand.New(rand.NewSource(15))
	rounds, compared, differences := 0, 0, 0
	for round := 0; round < 250; round++ {
		// The ignore files of this round: the root's and a few folders'.
		files := map[string][]string{}
		for _, dir := range append([]string{""}, dirs[r.Intn(len(dirs))], dirs[r.Intn(len(dirs))], dirs[r.Intn(len(dirs))]) {
			n := 1 + r.Intn(6)
			for i := 0; i < n; i++ {
				if round < 40 && r.Intn(2) == 0 {
					files[dir] = append(files[dir], handWritten[r.Intn(len(handWritten))])
				} else {
					files[dir] = append(files[dir], randomPattern(r))
				}
			}
		}
		var excludes []string
		for i := r.Intn(3); i > 0; i-- {
			excludes = append(excludes, randomPattern(r))
		}
		defaults := r.Intn(2) == 0

		folders := &Folders{}
		for _, d := range dirs {
			os.Remove(filepath.Join(root, d, ".gitignore"))
		}
		os.Remove(filepath.Join(root, ".gitignore"))
		for dir, lines := range files {
			data := []byte(strings.Join(lines, "\n") + "\n")
			if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(dir), ".gitignore"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// Our chains: each folder's list on top of its parent's, as the walk builds them.
		chains := map[string]*Dir{}
		var chainOf func(dir string) *Dir
		chainOf = func(dir string) *Dir {
			if d, ok := chains[dir]; ok {
				return d
			}
			var parent *Dir
			if dir != "" {
				parent = chainOf(pathDir(dir))
			}
			d := parent
			if lines, ok := files[dir]; ok {
				src := strings.TrimPrefix(dir+"/.gitignore", "/")
				d = parent.With(Parse(src, dir, []byte(strings.Join(lines, "\n")+"\n")))
				folders.Set(dir, d)
			}
			chains[dir] = d
			return d
		}
		for _, d := range dirs {
			chainOf(d)
		}
		m := &Matcher{Excludes: Patterns("exclude", excludes)}
		if defaults {
			m.Defaults = Defaults()
		}

		// git ls-files: the ignored files, with all three groups.
		args := []string{"ls-files", "-z", "-o", "-i", "--exclude-per-directory=.gitignore"}
		for _, e := range excludes {
			args = append(args, "--exclude="+e)
		}
		if defaults {
			args = append(args, "--exclude-from="+defaultsFile)
		}
		gitIgnored := map[string]bool{}
		for _, p := range g.run(nil, args...) {
			gitIgnored[p] = true
		}
		// git check-ignore: the deciding rule of every path, without the excludes (it has
		// no command-line patterns; the defaults are its core.excludesFile).
		var stdin bytes.Buffer
		for _, p := range paths {
			stdin.WriteString(p + "\x00")
		}
		cargs := []string{"-c", "core.excludesFile=/dev/null", "check-ignore", "--no-index", "-v", "-n", "-z", "--stdin"}
		if defaults {
			cargs[1] = "core.excludesFile=" + defaultsFile
		}
		out := g.run(stdin.Bytes(), cargs...)
		mNoEx := &Matcher{Defaults: m.Defaults}
		for i := 0; i+3 < len(out); i += 4 {
			src, line, pat, p := out[i], out[i+1], out[i+2], out[i+3]
			isDir := false
			for _, d := range dirs {
				if d == p {
					isDir = true
				}
			}
			_, rule := mNoEx.Decide(folders, p, isDir)
			want := ""
			if src != "" {
				if src == defaultsFile {
					src = "default"
				}
				want = src + ":" + line + ":" + pat
			}
			got := ""
			if rule != nil {
				got = rule.String()
			}
			compared++
			if got != want {
				differences++
				if differences <= 20 {
					t.Errorf("round %d, %q (files %q, defaults %v): rule %q, git %q", round, p, files, defaults, got, want)
				}
			}
		}
		for _, p := range paths {
			if strings.HasSuffix(p, ".gitignore") {
				continue
			}
			isDir := false
			for _, d := range dirs {
				if d == p {
					isDir = true
				}
			}
			if isDir {
				continue
			}
			ex, rule := m.Decide(folders, p, false)
			compared++
			if ex != gitIgnored[p] {
				differences++
				if differences <= 20 {
					t.Errorf("round %d, %q (files %q, excludes %q, defaults %v): excluded %v by %v, git %v", round, p, files, excludes, defaults, ex, rule, gitIgnored[p])
				}
			}
		}
		rounds++
	}
	t.Logf("%d rounds, %d (path, rules) cases compared with %s, %d differences", rounds, compared, gitVersion(g), differences)
}

func gitVersion(g *gitRun) string {
	out, _ := exec.Command(g.git, "--version").Output()
	return strings.TrimSpace(string(out))
}

func pathDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}
