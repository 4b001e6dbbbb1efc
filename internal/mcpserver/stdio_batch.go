// This file answers JSON-RPC batches on stdio, per the protocol version
// the session negotiated.
//
// MCP 2025-03-26 allows batches; 2025-06-18 removed them. The SDK's stdio
// transport ends the session on a batch line either way ("invalid trailing
// data at the end of stream"), so batches never reach it as such:
//
//   - For 2025-06-18 and later, and before initialize, every request of the
//     batch gets its own invalid-request error, each on its own line, and
//     notifications in it are dropped.
//   - For 2025-03-26 and earlier, each element goes to the SDK as a message
//     of its own, and the answers to its requests are held back and written
//     as one array when the last one is in (elements that are not valid
//     messages are answered in that array too).

package mcpserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

var errIDInUse = &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: "invalid request: this id belongs to a request of a batch still unanswered; use a new id"}

// batchesRemoved is the first protocol version without JSON-RPC batches.
const batchesRemoved = "2025-06-18"

// batch handles one batch line.
func (f *frameFilter) batch(line []byte) error {
	var elems []json.RawMessage
	if err := json.Unmarshal(line, &elems); err != nil || len(elems) == 0 {
		return f.answer(errorResponse(nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: "invalid request: a batch must be a non-empty array of JSON-RPC 2.0 messages"}))
	}
	if f.version == "" || f.version >= batchesRemoved {
		v := "no protocol version yet (send initialize first)"
		if f.version != "" {
			v = "protocol version " + f.version
		}
		e := &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: fmt.Sprintf(
			"invalid request: JSON-RPC batches were removed in MCP %s and this session has %s: send each message on its own line", batchesRemoved, v)}
		for _, m := range elems {
			if id := messageID(m); len(id) > 0 && !bytes.Equal(id, []byte("null")) {
				if err := f.answer(errorResponse(id, e)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	// Answer the batch as a batch: register the requests, then pass each
	// element on.
	var answers []json.RawMessage
	var forward []json.RawMessage
	keys := map[string]bool{}
	for _, m := range elems {
		if e := checkMessage(m); e != nil {
			answers = append(answers, errorResponse(messageID(m), e))
			continue
		}
		if msg, _ := jsonrpc.DecodeMessage(m); isCall(msg) {
			k := idKey(messageID(m))
			if keys[k] || f.held.waiting(k) {
				answers = append(answers, errorResponse(messageID(m), errIDInUse))
				continue
			}
			keys[k] = true
		}
		forward = append(forward, m)
	}
	if len(keys) == 0 {
		if len(answers) > 0 {
			return f.answer(joinBatch(answers))
		}
	} else {
		f.held.addBatch(&heldBatch{answers: answers, waiting: keys})
	}
	for _, m := range forward {
		if _, err := f.sdk.Write(append(bytes.TrimSpace(m), '\n')); err != nil {
			return err
		}
	}
	return nil
}

func isCall(m jsonrpc.Message) bool {
	r, ok := m.(*jsonrpc.Request)
	return ok && r.IsCall()
}

// noteInitialize records the protocol version an initialize request
// negotiates, the way the SDK negotiates it: the client's, if the server
// supports it, else the latest the server supports for initialize.
func (f *frameFilter) noteInitialize(line []byte) {
	var m struct {
		Method string `json:"method"`
		Params struct {
			ProtocolVersion string `json:"protocolVersion"`
		} `json:"params"`
	}
	if json.Unmarshal(line, &m) != nil || m.Method != "initialize" {
		return
	}
	f.version = batchesRemoved // the SDK's fallbacks are all later
	for _, v := range mcp.SupportedProtocolVersions() {
		if v == m.Params.ProtocolVersion {
			f.version = v
		}
	}
}

// heldBatch is a batch whose answers are being collected.
type heldBatch struct {
	answers []json.RawMessage
	waiting map[string]bool // idKeys of the requests not answered yet
}

func (l *lockedWriter) addBatch(b *heldBatch) {
	l.batchMu.Lock()
	defer l.batchMu.Unlock()
	if l.batches == nil {
		l.batches = map[string]*heldBatch{}
	}
	for k := range b.waiting {
		l.batches[k] = b
	}
}

func (l *lockedWriter) waiting(key string) bool {
	l.batchMu.Lock()
	defer l.batchMu.Unlock()
	_, ok := l.batches[key]
	return ok
}

// hold takes a response (resp is whether p is one) that answers a request
// of a batch: ok reports that it did, and batch is the whole batch's
// answer, to be written, once p was its last.
func (l *lockedWriter) hold(p []byte, resp bool) (batch []byte, ok bool) {
	if !resp {
		return nil, false
	}
	l.batchMu.Lock()
	defer l.batchMu.Unlock()
	if len(l.batches) == 0 {
		return nil, false
	}
	k := idKey(messageID(p))
	b, ok := l.batches[k]
	if !ok {
		return nil, false
	}
	delete(l.batches, k)
	delete(b.waiting, k)
	b.answers = append(b.answers, bytes.TrimSpace(p))
	if len(b.waiting) > 0 {
		return nil, true
	}
	return append(joinBatch(b.answers), '\n'), true
}

func joinBatch(answers []json.RawMessage) []byte {
	b := []byte{'['}
	for i, a := range answers {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, a...)
	}
	return append(b, ']')
}

// idKey is an id's identity: a string's text, or a number's value (the
// SDK writes 1.0 back as 1).
func idKey(id json.RawMessage) string {
	id = bytes.TrimSpace(id)
	if len(id) > 0 && id[0] == '"' {
		var s string
		_ = json.Unmarshal(id, &s)
		return "s:" + s
	}
	if n, ok := new(big.Rat).SetString(string(id)); ok {
		return "n:" + n.RatString()
	}
	return "?:" + string(id)
}
