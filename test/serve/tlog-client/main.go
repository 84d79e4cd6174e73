// An independent C2SP tlog-tiles client (https://c2sp.org/tlog-tiles) for test/serve/tlog-client.test.ts, built on
// the Go project's own transparency-log code, golang.org/x/mod/sumdb/tlog and golang.org/x/mod/sumdb/note (from
// Debian's golang-golang-x-mod-dev), the code the Go checksum database's clients run. Nothing of enforcement-ledger is
// used: the test checks our server against it.
//
//	tlog-client check <prefix URL> <verifier key> [<older checkpoint file>]
//
// fetches <prefix>/checkpoint and opens it with the verifier key (note.Open), reads its origin, size and root hash,
// then reads the tree only through tiles: tlog.TileHashReader fetches the tiles a tree of that size needs (full
// tiles, and partial tiles `.p/<W>` of the widths the size gives), authenticates each against the checkpoint's root
// hash, and answers hash reads. With it the client recomputes the root (tlog.TreeHash), fetches every entry bundle,
// splits it into uint16-length-prefixed entries, and proves each entry's record hash included in the checkpoint
// (tlog.ProveRecord + tlog.CheckRecord). Given an older checkpoint (signed by the same key), it proves the newer tree
// consistent with it from the tiles (tlog.ProveTree + tlog.CheckTree). Prints one JSON line; any failure exits 1 with
// the reason on stderr.
//
//	tlog-client paths <L> <N> <W> ...
//
// prints the C2SP path of each tile (Tile.Path() of a height-8 tile, without the sumdb height segment `8/`).
//
// tlog-tiles paths are the sumdb tile paths with the height fixed at 8 and left out (`tile/<L>/<N>[.p/<W>]` for
// `tile/8/<L>/<N>[.p/<W>]`), and entry bundles are at `tile/entries/…` where sumdb has `tile/8/data/…` with
// newline-separated records; the two helpers below are the only translation.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8

// c2spPath is the tlog-tiles path of a height-8 tile: sumdb's `tile/8/<L>/…` without the height, and `entries` for
// the data level.
func c2spPath(t tlog.Tile) string {
	p := strings.TrimPrefix(t.Path(), "tile/8/")
	if strings.HasPrefix(p, "data/") {
		return "tile/entries/" + strings.TrimPrefix(p, "data/")
	}
	return "tile/" + p
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlog-client: "+format+"\n", args...)
	os.Exit(1)
}

func get(url, wantType string) []byte {
	resp, err := http.Get(url)
	if err != nil {
		fail("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fail("GET %s: %v", url, err)
	}
	if resp.StatusCode != 200 {
		fail("GET %s: status %d", url, resp.StatusCode)
	}
	if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, wantType) {
		fail("GET %s: Content-Type %q, the spec says %q", url, got, wantType)
	}
	return body
}

type checkpoint struct {
	origin string
	tree   tlog.Tree
}

// openCheckpoint verifies a checkpoint (c2sp.org/tlog-checkpoint) with the verifier and parses its first three lines.
func openCheckpoint(text []byte, v note.Verifier) checkpoint {
	n, err := note.Open(text, note.VerifierList(v))
	if err != nil {
		fail("checkpoint: %v", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		fail("checkpoint: fewer than three lines")
	}
	if lines[0] != v.Name() {
		fail("checkpoint: origin %q is not the key's name %q", lines[0], v.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		fail("checkpoint: bad size %q", lines[1])
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		fail("checkpoint: bad root hash %q", lines[2])
	}
	var h tlog.Hash
	copy(h[:], raw)
	return checkpoint{origin: lines[0], tree: tlog.Tree{N: size, Hash: h}}
}

// tileReader fetches hash tiles over HTTP; tlog.TileHashReader authenticates what it returns.
type tileReader struct {
	prefix  string
	fetched map[string][]byte
	paths   map[string]bool
}

func (r *tileReader) Height() int { return height }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		p := c2spPath(t)
		if b, ok := r.fetched[p]; ok {
			out[i] = b
			continue
		}
		b := get(r.prefix+"/"+p, "application/octet-stream")
		if len(b) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("%s: %d bytes, want %d", p, len(b), t.W*tlog.HashSize)
		}
		r.fetched[p] = b
		r.paths[p] = true
		out[i] = b
	}
	return out, nil
}

func (r *tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

func check(prefix, vkey, olderFile string) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	cp := openCheckpoint(get(prefix+"/checkpoint", "text/plain; charset=utf-8"), v)
	tr := &tileReader{prefix: prefix, fetched: map[string][]byte{}, paths: map[string]bool{}}
	hr := tlog.TileHashReader(cp.tree, tr)

	root, err := tlog.TreeHash(cp.tree.N, hr)
	if err != nil {
		fail("tree hash from tiles: %v", err)
	}
	if root != cp.tree.Hash {
		fail("tree hash from tiles %v, checkpoint says %v", root, cp.tree.Hash)
	}

	// Entry bundles: the bundle of a tree's last, partial tile has the width the size gives.
	var entries int64
	digest := make([]string, 0, cp.tree.N)
	for n := int64(0); n*256 < cp.tree.N; n++ {
		w := cp.tree.N - n*256
		if w > 256 {
			w = 256
		}
		p := c2spPath(tlog.Tile{H: height, L: -1, N: n, W: int(w)})
		b := get(prefix+"/"+p, "application/octet-stream")
		tr.paths[p] = true
		for i := int64(0); i < w; i++ {
			if len(b) < 2 {
				fail("%s: entry %d: no length", p, i)
			}
			l := int(b[0])<<8 | int(b[1])
			if len(b) < 2+l {
				fail("%s: entry %d: %d bytes, %d left", p, i, l, len(b)-2)
			}
			data := b[2 : 2+l]
			b = b[2+l:]
			index := n*256 + i
			rh := tlog.RecordHash(data)
			proof, err := tlog.ProveRecord(cp.tree.N, index, hr)
			if err != nil {
				fail("inclusion proof of entry %d from tiles: %v", index, err)
			}
			if err := tlog.CheckRecord(proof, cp.tree.N, cp.tree.Hash, index, rh); err != nil {
				fail("entry %d (%s): %v", index, p, err)
			}
			digest = append(digest, hex.EncodeToString(rh[:]))
			entries++
		}
		if len(b) != 0 {
			fail("%s: %d bytes after its %d entries", p, len(b), w)
		}
	}

	out := map[string]interface{}{
		"origin":      cp.origin,
		"size":        cp.tree.N,
		"root":        hex.EncodeToString(root[:]),
		"entries":     entries,
		"leafHashes":  digest,
		"consistency": nil,
	}
	if olderFile != "" {
		text, err := os.ReadFile(olderFile)
		if err != nil {
			fail("%v", err)
		}
		old := openCheckpoint(text, v)
		if old.tree.N > cp.tree.N {
			fail("older checkpoint of size %d is larger than %d", old.tree.N, cp.tree.N)
		}
		proof, err := tlog.ProveTree(cp.tree.N, old.tree.N, hr)
		if err != nil {
			fail("consistency proof from tiles: %v", err)
		}
		if err := tlog.CheckTree(proof, cp.tree.N, cp.tree.Hash, old.tree.N, old.tree.Hash); err != nil {
			fail("consistency of %d with %d: %v", cp.tree.N, old.tree.N, err)
		}
		out["consistency"] = old.tree.N
	}
	paths := make([]string, 0, len(tr.paths))
	for p := range tr.paths {
		paths = append(paths, p)
	}
	out["paths"] = paths
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(out); err != nil {
		fail("%v", err)
	}
	os.Stdout.Write(buf.Bytes())
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: tlog-client check <prefix> <vkey> [<older checkpoint>] | paths <L> <N> <W> ...")
	}
	switch os.Args[1] {
	case "check":
		if len(os.Args) != 4 && len(os.Args) != 5 {
			fail("usage: tlog-client check <prefix> <vkey> [<older checkpoint>]")
		}
		older := ""
		if len(os.Args) == 5 {
			older = os.Args[4]
		}
		check(strings.TrimSuffix(os.Args[2], "/"), os.Args[3], older)
	case "paths":
		args := os.Args[2:]
		if len(args)%3 != 0 {
			fail("paths: give <L> <N> <W> triples")
		}
		for i := 0; i < len(args); i += 3 {
			var t tlog.Tile
			t.H = height
			l, err1 := strconv.Atoi(args[i])
			n, err2 := strconv.ParseInt(args[i+1], 10, 64)
			w, err3 := strconv.Atoi(args[i+2])
			if err1 != nil || err2 != nil || err3 != nil {
				fail("paths: bad triple %v", args[i:i+3])
			}
			t.L, t.N, t.W = l, n, w
			fmt.Println(c2spPath(t))
		}
	default:
		fail("unknown command %q", os.Args[1])
	}
}
