package match

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"slices"
	"sync"
)

// Logs of any size: MatchReader reads its input once, in blocks, and keeps
// only what a match can use, so memory stays bounded whatever the size:
//
//   - the candidate lines: those holding a literal of some entry (the same
//     automaton Match scans with), each with streamContext lines around it,
//     for multi-line regexes;
//   - the last streamContext lines, where a log's final error is, and what
//     fuzzy suggestions are made from when nothing matches.
//
// When the candidates outgrow streamBudget, the earliest are dropped: the
// last error of a log ranks highest. The kept lines are matched as one text
// and results point back to the input's lines and byte offsets.

// Limits of MatchReader, documented in README.md.
const (
	// maxStreamLine cuts longer lines to their first 64 KiB.
	maxStreamLine = 64 << 10
	// streamContext is how many lines before and after a candidate line
	// are kept (windowLines, the reach of a multi-line regex).
	streamContext = windowLines
	// streamBudget bounds the bytes of kept lines; under MaxInput.
	streamBudget = 3 << 20
	// streamBlock is how much input is scanned at a time.
	streamBlock = 1 << 20
)

// StreamStats says how much of the input was read and kept.
type StreamStats struct {
	Bytes int64 // bytes read
	Lines int   // lines read
	Kept  int   // lines kept and matched
	Cut   int   // lines longer than 64 KiB, cut
}

// keptLine is a line of the input kept for matching, normalized.
type keptLine struct {
	line int   // 0-based line number in the input
	off  int64 // byte offset of the line's start in the input
	text []byte
}

type streamer struct {
	ix      *Index
	kept    []keptLine // in input order, from head on
	head    int
	keptLen int
	ring    lineRing // the last lines not kept
	after   int      // lines still to keep after the last candidate
	last    int      // the input line last kept, -1 before any
	stats   StreamStats
}

// MatchReader matches an input of any size read from r, with memory
// bounded by the limits above. Span lines and offsets refer to the input
// as read (line numbers count its "\n"s; offsets within a line are in the
// line as normalized).
func (ix *Index) MatchReader(r io.Reader, opts Options) ([]Result, StreamStats, error) {
	s := &streamer{ix: ix, last: -1}
	if err := s.read(r); err != nil {
		return nil, s.stats, err
	}
	s.flushRing() // the end of the log
	text, at := s.text()
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, s.stats, ErrEmpty
	}
	rs, err := ix.Match(text, opts)
	if err != nil {
		return nil, s.stats, err
	}
	for i := range rs {
		if sp := rs[i].Span; sp != nil {
			sp.Start, sp.End = at.offset(sp.Start), at.offset(sp.End)
			sp.Line = at.line(sp.Line-1) + 1
		}
	}
	return rs, s.stats, nil
}

// read splits r into blocks of whole lines and hands them, in order, to
// take. The automaton scans of blocks run in parallel, one worker a core,
// a few blocks ahead of take; the input is read once.
func (s *streamer) read(r io.Reader) error {
	workers := max(1, min(runtime.GOMAXPROCS(0), 4))
	work := make(chan *block, workers)
	ordered := make(chan *block, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				b.hits = s.ix.lineHits(b.data, b.hits[:0])
				close(b.done)
			}
		}()
	}
	var readErr error
	go func() {
		readErr = split(r, func(b *block) {
			work <- b
			ordered <- b
		}, &s.stats)
		close(work)
		close(ordered)
		wg.Wait()
	}()
	for b := range ordered {
		<-b.done
		s.take(b)
		blockPool.Put(b)
	}
	return readErr
}

// block is a run of whole lines of the input (or the first 64 KiB of an
// over-long one), with the starts of the lines holding a literal.
type block struct {
	data []byte
	off  int64 // input offset of data[0]
	long bool  // data is the head of a line longer than the buffer
	hits []int
	done chan struct{}
}

var blockPool = sync.Pool{New: func() any { return &block{data: make([]byte, 0, streamBlock)} }}

func newBlock(data []byte, off int64, long bool) *block {
	b := blockPool.Get().(*block)
	b.data = append(b.data[:0], data...)
	b.off, b.long, b.done = off, long, make(chan struct{})
	return b
}

// split reads r and emits its blocks in order.
func split(r io.Reader, emit func(*block), stats *StreamStats) error {
	buf := make([]byte, streamBlock)
	n := 0        // bytes in buf
	skip := false // discarding the rest of an over-long line
	var off int64 // input offset of buf[0]
	for {
		m, err := io.ReadFull(r, buf[n:])
		n += m
		stats.Bytes += int64(m)
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return err
		}
		if skip {
			i := bytes.IndexByte(buf[:n], '\n')
			if i < 0 {
				off, n = off+int64(n), 0
				if eof {
					return nil
				}
				continue
			}
			off += int64(i + 1)
			n = copy(buf, buf[i+1:n])
			skip = false
		}
		if eof && n == 0 {
			return nil
		}
		end := bytes.LastIndexByte(buf[:n], '\n') + 1
		if eof {
			end = n
		}
		if end == 0 {
			if n < len(buf) {
				continue // room for more of the line
			}
			// A full buffer and no line end: an over-long line.
			emit(newBlock(buf[:maxStreamLine], off, true))
			skip = true
			off, n = off+int64(n), 0
			continue
		}
		emit(newBlock(buf[:end], off, false))
		off += int64(end)
		n = copy(buf, buf[end:n])
		if eof {
			return nil
		}
	}
}

// lineHits appends to hits the starts of data's lines that hold a
// literal of some entry, in order.
func (ix *Index) lineHits(data []byte, hits []int) []int {
	if ix.direct(len(data)) {
		from := len(hits)
		for _, h := range ix.directHits(data) {
			hits = append(hits, bytes.LastIndexByte(data[:h.start], '\n')+1)
		}
		slices.Sort(hits[from:])
		return append(hits[:from], slices.Compact(hits[from:])...)
	}
	it := ix.scanner(len(data)).IterByte(data)
	for h := it.Next(); h != nil; h = it.Next() {
		start := bytes.LastIndexByte(data[:h.Start()], '\n') + 1
		if len(hits) == 0 || hits[len(hits)-1] != start {
			hits = append(hits, start)
		}
	}
	return hits
}

// take handles a block's lines in order.
func (s *streamer) take(b *block) {
	hits := b.hits
	if b.long {
		s.lineAt(b.data, b.off, len(hits) > 0, true)
		s.ring.own()
		return
	}
	for start := 0; start < len(b.data); {
		e := bytes.IndexByte(b.data[start:], '\n')
		next := len(b.data)
		line := b.data[start:]
		if e >= 0 {
			line, next = b.data[start:start+e], start+e+1
		}
		cut := len(line) > maxStreamLine
		if cut {
			line = line[:maxStreamLine]
		}
		hit := len(hits) > 0 && hits[0] == start
		if hit {
			hits = hits[1:]
		}
		s.lineAt(line, b.off+int64(start), hit, cut)
		start = next
	}
	// The ring's lines point into the block, which is about to be reused.
	s.ring.own()
}

func (s *streamer) lineAt(text []byte, off int64, candidate, cut bool) {
	n := s.stats.Lines
	s.stats.Lines++
	if cut {
		s.stats.Cut++
	}
	kl := keptLine{line: n, off: off, text: text}
	switch {
	case candidate:
		s.flushRing()
		s.keep(kl)
		s.after = streamContext
	case s.after > 0:
		s.keep(kl)
		s.after--
	default:
		s.ring.push(kl)
	}
}

func (s *streamer) flushRing() {
	s.ring.each(s.keep)
	s.ring.reset()
}

// lineRing holds the last streamContext lines not kept, oldest first.
type lineRing struct {
	l    [streamContext]keptLine
	head int // index of the oldest
	n    int
}

func (r *lineRing) push(kl keptLine) {
	if r.n < len(r.l) {
		r.l[(r.head+r.n)%len(r.l)] = kl
		r.n++
		return
	}
	r.l[r.head] = kl
	r.head = (r.head + 1) % len(r.l)
}

func (r *lineRing) each(f func(keptLine)) {
	for i := 0; i < r.n; i++ {
		f(r.l[(r.head+i)%len(r.l)])
	}
}

func (r *lineRing) reset() { r.head, r.n = 0, 0 }

// own copies the lines' text out of the read buffer.
func (r *lineRing) own() {
	for i := 0; i < r.n; i++ {
		kl := &r.l[(r.head+i)%len(r.l)]
		kl.text = bytes.Clone(kl.text)
	}
}

// keep adds a line, normalized, dropping the earliest kept lines past the
// budget.
func (s *streamer) keep(kl keptLine) {
	if kl.line <= s.last {
		return
	}
	s.last = kl.line
	kl.text = bytes.Clone(normalize(kl.text))
	s.kept = append(s.kept, kl)
	s.keptLen += len(kl.text) + 1
	for s.keptLen > streamBudget && s.head < len(s.kept)-1 {
		s.keptLen -= len(s.kept[s.head].text) + 1
		s.kept[s.head] = keptLine{}
		s.head++
	}
	// Compact now and then, so dropping stays O(1) a line on average.
	if s.head > 1024 && s.head > len(s.kept)/2 {
		s.kept = append(s.kept[:0], s.kept[s.head:]...)
		s.head = 0
	}
	s.stats.Kept = len(s.kept) - s.head
}

// lineMap maps the kept text's lines back to the input.
type lineMap struct {
	starts []int // start of each line of the kept text
	lines  []int // its line in the input
	offs   []int64
}

func (m lineMap) index(off int) int {
	lo, hi := 0, len(m.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if m.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func (m lineMap) offset(off int) int {
	i := m.index(off)
	return int(m.offs[i]) + off - m.starts[i]
}

func (m lineMap) line(i int) int {
	if i < 0 || i >= len(m.lines) {
		return i
	}
	return m.lines[i]
}

// text joins the kept lines. A kept line that normalizing split (a lone
// carriage return) counts as several lines of the text, all mapped to it.
func (s *streamer) text() ([]byte, lineMap) {
	b := make([]byte, 0, s.keptLen)
	var m lineMap
	for _, kl := range s.kept[s.head:] {
		parts := bytes.Split(kl.text, []byte{'\n'})
		pos := int64(0)
		for _, p := range parts {
			m.starts = append(m.starts, len(b))
			m.lines = append(m.lines, kl.line)
			m.offs = append(m.offs, kl.off+pos)
			pos += int64(len(p)) + 1
			b = append(append(b, p...), '\n')
		}
	}
	if m.starts == nil {
		m.starts, m.lines, m.offs = []int{0}, []int{0}, []int64{0}
	}
	return b, m
}
