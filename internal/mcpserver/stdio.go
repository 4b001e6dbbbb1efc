// This file serves one session over standard input and output, surviving
// broken lines and answering every request before EOF.

package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// MaxFrame bounds one message on stdio: the same as one HTTP request to
// /mcp and one JSON body of POST /api/v1/match.
const MaxFrame = MaxHTTPBody

// ServeStdio serves one session over newline-delimited JSON-RPC on r and w
// (standard input and output for `errorcanon mcp`) until r ends or ctx is
// done.
//
// The SDK's stdio transport ends the session on the first line that is not
// a JSON-RPC message, or that is longer than its limit. Here such a line is
// answered with a JSON-RPC error (parse error, invalid request, or too
// large) and skipped, so a client's mistake costs one request, not the
// server. Ids the SDK would not echo exactly are refused the same way
// (ids.go), and batches are answered here (stdio_batch.go), since the
// SDK's stdio transport ends the session on them too.
//
// When r ends, requests already read are answered before the session
// closes (printf '...' | errorcanon mcp gets every answer), unless ctx ends
// first or they take longer than drainTimeout.
func (s *Server) ServeStdio(ctx context.Context, r io.Reader, w io.Writer) error {
	out := &lockedWriter{w: w}
	out.cond = sync.NewCond(&out.countMu)
	pr, pw := io.Pipe()
	go func() {
		f := &frameFilter{sdk: &counting{pw, out}, out: reply{out}, max: MaxFrame, held: out}
		err := f.run(r)
		if err == nil {
			out.drain(ctx, drainTimeout)
		}
		pw.CloseWithError(err)
	}()
	err := s.mcp.Run(ctx, &mcp.IOTransport{Reader: pr, Writer: out, MaxLineLength: -1})
	pr.Close()
	return err
}

// drainTimeout bounds the wait for answers after standard input ends.
const drainTimeout = 30 * time.Second

// lockedWriter serializes writes: the SDK writes each message with one
// Write, and so does filterFrames, so messages never interleave. It also
// counts the requests still unanswered, under its own lock, so counting a
// request never waits for a slow reader of the output.
type lockedWriter struct {
	mu sync.Mutex // held while writing
	w  io.Writer

	countMu sync.Mutex
	cond    *sync.Cond // on countMu
	pending int

	batchMu sync.Mutex
	batches map[string]*heldBatch // by idKey of the requests they wait for
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	resp := isResponse(p)
	var n int
	var err error
	if batch, ok := l.hold(p, resp); ok {
		n = len(p)
		if batch != nil {
			l.mu.Lock()
			_, err = l.w.Write(batch)
			l.mu.Unlock()
		}
	} else {
		l.mu.Lock()
		n, err = l.w.Write(p)
		l.mu.Unlock()
	}
	if resp {
		l.countMu.Lock()
		l.pending = max(l.pending-1, 0)
		l.cond.Broadcast()
		l.countMu.Unlock()
	}
	return n, err
}

func (l *lockedWriter) Close() error { return nil }

// reply writes filterFrames' own answers, which answer no request the
// SDK saw.
type reply struct{ l *lockedWriter }

func (r reply) Write(p []byte) (int, error) {
	r.l.mu.Lock()
	defer r.l.mu.Unlock()
	return r.l.w.Write(p)
}

// drain waits until every request passed to the SDK has been answered,
// ctx is done or timeout has passed.
func (l *lockedWriter) drain(ctx context.Context, timeout time.Duration) {
	giveUp := func() { l.countMu.Lock(); l.pending = 0; l.cond.Broadcast(); l.countMu.Unlock() }
	stop := context.AfterFunc(ctx, giveUp)
	defer stop()
	t := time.AfterFunc(timeout, giveUp)
	defer t.Stop()
	l.countMu.Lock()
	for l.pending > 0 {
		l.cond.Wait()
	}
	l.countMu.Unlock()
}

// counting passes frames to the SDK, counting the requests among them.
type counting struct {
	sdk io.Writer
	out *lockedWriter
}

func (c *counting) Write(p []byte) (int, error) {
	if isRequest(p) {
		c.out.countMu.Lock()
		c.out.pending++
		c.out.countMu.Unlock()
	}
	return c.sdk.Write(p)
}

// frameKind reads just enough of a message to tell requests (method and
// id) from responses (id, no method).
func frameKind(p []byte) (hasID, hasMethod bool) {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method *string         `json:"method"`
	}
	if json.Unmarshal(p, &m) != nil {
		return false, false
	}
	return len(m.ID) > 0 && string(m.ID) != "null", m.Method != nil
}

func isRequest(p []byte) bool  { id, method := frameKind(p); return id && method }
func isResponse(p []byte) bool { id, method := frameKind(p); return id && !method }

// frameFilter copies the well-formed lines of its input to the SDK and
// answers the others on out.
type frameFilter struct {
	sdk, out io.Writer
	max      int
	held     *lockedWriter // collects the answers to a batch
	// version is the protocol version the session negotiated, as the SDK
	// negotiates it from the initialize request; "" before one.
	version string
}

// run filters r until it ends (nil at EOF) or the SDK stops reading.
func (f *frameFilter) run(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, tooLong, err := readLine(br, f.max)
		if len(bytes.TrimSpace(line)) > 0 || tooLong {
			if werr := f.frame(bytes.TrimSpace(line), tooLong); werr != nil {
				return werr
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// frame handles one line: an answer of its own, a batch, or a message for
// the SDK.
func (f *frameFilter) frame(line []byte, tooLong bool) error {
	var reply *jsonrpc.Error
	switch {
	case tooLong:
		reply = &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: fmt.Sprintf("message is larger than %d bytes and was dropped: send error texts of at most 4 MiB (the lines around the error are enough)", f.max)}
	case !json.Valid(line):
		reply = &jsonrpc.Error{Code: jsonrpc.CodeParseError, Message: "parse error: each message must be one JSON-RPC 2.0 object on one line"}
	case line[0] == '[':
		return f.batch(line)
	default:
		reply = checkMessage(line)
		if reply == nil && f.held.waiting(idKey(messageID(line))) {
			reply = errIDInUse
		}
	}
	if reply != nil {
		return f.answer(errorResponse(messageID(line), reply))
	}
	f.noteInitialize(line)
	_, err := f.sdk.Write(append(line, '\n'))
	return err
}

func (f *frameFilter) answer(msg []byte) error {
	_, err := f.out.Write(append(msg, '\n'))
	return err
}

// checkMessage returns the error for a message that is not JSON-RPC 2.0
// or whose id the SDK would not echo exactly, or nil.
func checkMessage(m json.RawMessage) *jsonrpc.Error {
	if _, err := jsonrpc.DecodeMessage(m); err != nil {
		return &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: "invalid request: not a JSON-RPC 2.0 message (" + err.Error() + "); send {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"} and the like"}
	}
	return checkID(messageID(m))
}

// readLine reads one line of at most max bytes; a longer line is consumed
// to its end and reported as tooLong, with its first bytes.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max {
				tooLong = true
				line = append(line, chunk[:min(len(chunk), 256)]...)
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return line, tooLong, err
	}
}
